"""`kg extract`: numbers and scales in English and Chinese, qualifiers, periods, exclusions,
the draft graph and its refusal by the build, and the evaluation against the curated sources."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF

from kg.build import assemble
from kg.cli import cli
from kg.errors import KgError
from kg.extract import draft_graph, extract
from kg.extract.evaluate import evaluate, project_graph, report, scores
from kg.namespaces import HITZ, OA, QB

FIXTURES = Path(__file__).parent / "fixtures"
Y = "http://reference.data.gov.uk/id/year/"
I = "http://reference.data.gov.uk/id/gregorian-interval/"  # noqa: E741 (I for interval, beside Y and D)
D = "http://reference.data.gov.uk/id/day/"

# The overall figures of `kg extract --evaluate` on the curated sources, as the closing note
# of issue 10 reports them: (recall, precision). They may rise, never silently fall.
REPORTED = {
    "value+unit": (0.98, 1.00),
    "period": (0.98, 1.00),
    "qualifier": (0.98, 1.00),
    "indicator": (0.96, 0.98),
}


def read(text: str, published: str, lang: str = "en"):
    return [(f.value, f.unit, f.qualifier, f.period) for f in extract(text, date.fromisoformat(published), lang)]


def test_chinese_numbers_are_read_in_base_units_with_their_periods():
    text = "本报北京12月12日电 截至2023年11月,国家高新区总数达178家。前三季度,国家高新区生产总值12.33万亿元,同比增长7.11%。"
    assert read(text, "2023-12-13", "zh") == [
        (Decimal(178), "NUM", None, D + "2023-11-30"),
        (Decimal("12330000000000"), "CCY_CNY", None, I + "2023-01-01T00:00:00/P9M"),
        (Decimal("7.11"), "PERCENT", None, I + "2023-01-01T00:00:00/P9M"),
    ]


def test_english_scales_qualifiers_and_periods_against_the_published_date():
    text = ("From January to July, the zones earned CNY17.5 trillion, an 8.1% growth compared to the same period "
            "last year. Exports reached nearly 3 billion U.S. dollars last year. Over the next three years the zone "
            "will invest CNY1 billion. It has less than 20,000 firms, up from about 1,500 in 2012.")
    assert read(text, "2022-09-01") == [
        (Decimal("17500000000000"), "CCY_CNY", None, I + "2022-01-01T00:00:00/P7M"),
        (Decimal("8.1"), "PERCENT", None, I + "2022-01-01T00:00:00/P7M"),
        (Decimal("3000000000"), "CCY_USD", "Nearly", Y + "2021"),
        (Decimal("1000000000"), "CCY_CNY", None, I + "2023-01-01T00:00:00/P3Y"),
        (Decimal("20000"), "NUM", "LessThan", D + "2022-09-01"),
        (Decimal("1500"), "NUM", "About", Y + "2012"),
    ]


def test_comparisons_take_their_base_year():
    text = "As of 2022, there are 173 zones, 84 more than in 2012. By the end of 2021 it had 2,200 labs, a 4.6-fold increase compared to 2012."
    got = [(f.value, f.kind, f.period) for f in extract(text, date(2022, 10, 1))]
    assert got == [
        (Decimal(173), "level", Y + "2022"),
        (Decimal(84), "change", I + "2012-01-01T00:00:00/P11Y"),
        (Decimal(2200), "level", Y + "2021"),
        (Decimal("4.6"), "ratio", I + "2012-01-01T00:00:00/P10Y"),
    ]


def test_numbers_in_names_dates_durations_and_definitions_are_not_figures():
    text = ("BEIJING, Dec. 12 (Xinhua) -- Zones made the C919 jet, 5G networks and Covid-19 vaccines in 2021. "
            "Enterprises with annual production values over 10 billion yuan numbered 35 for 20 consecutive years. "
            "年产值超过100亿元的企业有35家。")
    assert [(f.value, f.unit) for f in extract(text, date(2022, 1, 1))] == [(Decimal(35), "NUM"), (Decimal(35), "NUM")]


def test_last_year_and_at_present_follow_the_published_date():
    text = "At present, China has 54 State-level zones. Their output made at least 6 percent of GDP last year."
    assert read(text, "2008-03-31") == [
        (Decimal(54), "NUM", None, D + "2008-03-31"),
        (Decimal(6), "PERCENT", "AtLeast", Y + "2007"),
    ]
    known_to_the_year = [(f.value, f.period) for f in extract(text, date(2008, 12, 31), precise=False)]
    assert known_to_the_year == [(Decimal(54), Y + "2008"), (Decimal(6), Y + "2007")]


def test_a_headline_figure_takes_the_period_of_the_body_and_conversions_are_not_figures():
    text = ("Zones increase to 178\n\nThe number of zones had reached 178 as of the end of November. Output hit "
            "12.33 trillion yuan (1.73 trillion U.S. dollars) in the first three quarters of this year.\n")
    assert read(text, "2023-12-12") == [
        (Decimal(178), "NUM", None, D + "2023-11-30"),
        (Decimal(178), "NUM", None, D + "2023-11-30"),
        (Decimal("12330000000000"), "CCY_CNY", None, I + "2023-01-01T00:00:00/P9M"),
    ]


def test_the_draft_graph_is_marked_and_its_spans_select_their_words(article: str):
    figures = extract(article, date(2022, 12, 31))
    graph = Graph().parse(data=draft_graph(figures, article, "article", date(2022, 12, 31), "en").serialize(format="turtle"),
                          format="turtle")
    observations = set(graph.subjects(RDF.type, QB.Observation))
    assert observations and observations == set(graph.subjects(RDF.type, HITZ.DraftObservation))
    for span, exact in graph.subject_objects(OA.exact):
        assert article[int(graph.value(span, OA.start)):int(graph.value(span, OA.end))] == str(exact)
    assert all(graph.value(o, HITZ.extractionRule) and graph.value(o, HITZ.extractionConfidence) for o in observations)


def test_cli_prints_a_table_and_writes_the_draft_whole(tmp_path: Path):
    text = tmp_path / "news.txt"
    text.write_text("In the first three quarters of this year, output hit 12.33 trillion yuan.\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(text), "--published", "2023-12-12", "--format", "table"])
    assert result.exit_code == 0, result.output
    assert "12330000000000" in result.output and "2023-01-01/P9M" in result.output
    out = tmp_path / "draft.ttl"
    result = CliRunner().invoke(cli, ["extract", str(text), "--published", "2023-12-12", "-o", str(out)])
    assert result.exit_code == 0 and len(Graph().parse(out)) > 10
    bad = CliRunner().invoke(cli, ["extract", str(text), "--published", "12/12/2023"])
    assert bad.exit_code == 2 and bad.output.startswith("error: --published") and "Traceback" not in bad.output


def test_the_build_refuses_a_draft_among_the_facts(project_copy, article: str):
    draft = draft_graph(extract(article, date(2022, 12, 31)), article, "article", date(2022, 12, 31), "en")
    path = project_copy.data_dir / "facts" / "draft.ttl"
    draft.serialize(path, format="turtle")
    with pytest.raises(KgError, match=r"draft\.ttl: holds \d+ draft observation"):
        assemble(project_copy)


@pytest.fixture(scope="module")
def graph(project) -> Graph:
    return project_graph(project)


def test_the_evaluation_holds_the_reported_figures(graph: Graph):
    overall = scores(evaluate(graph))
    for aspect, (recall, precision) in REPORTED.items():
        assert overall[aspect][0] >= recall - 1e-9, (aspect, overall[aspect])
        assert overall[aspect][1] >= precision - 1e-9, (aspect, overall[aspect])


def test_a_new_source_in_the_graph_is_evaluated_without_code_changes(graph: Graph):
    extended = Graph()
    for triple in graph:
        extended.add(triple)
    extended.parse(FIXTURES / "extract-source.ttl")
    results = {r.source.iri.rsplit("/", 1)[-1]: r for r in evaluate(extended)}
    added = results["test-zh"]
    assert len(added.source.curated) == 2 and added.correct["value+unit"] == 2
    assert added.correct["period"] == 1  # the fixture's growth period is year 2023; the text says P9M
    lines = report(list(results.values()))
    assert any(line.startswith("wrong  test-zh") and "period" in line for line in lines)


def test_chinese_month_ranges_and_recent_years():
    text = "1至10月,高新区营业收入5000亿元,近3年新增企业1.2万家。今年前10个月,出口增长约8.5%。"
    assert read(text, "2023-11-20", "zh") == [
        (Decimal("500000000000"), "CCY_CNY", None, I + "2023-01-01T00:00:00/P10M"),
        (Decimal("12000"), "NUM", None, I + "2020-01-01T00:00:00/P3Y"),
        (Decimal("8.5"), "PERCENT", "About", I + "2023-01-01T00:00:00/P10M"),
    ]
