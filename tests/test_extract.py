"""`kg extract`: numbers and scales in English and Chinese, qualifiers, periods, exclusions,
the draft graph and its refusal by the build, and the evaluation against the curated sources."""

from __future__ import annotations

import os
import re
import shutil
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
from kg.extract.cli import project_indicators
from kg.extract.evaluate import evaluate, evaluate_sources, project_graph, report, scores
from kg.extract.rules import load_rules
from kg.extract.unseen import (GROUPS, QUALIFIERS, TEXTS_ENV, UNITS, load_text, load_unseen, read_gold, sha256, texts_dir,
                               unseen_dir)
from kg.namespaces import HITZ, OA, QB
from conftest import literal
from extracting import read

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

# The figures of `kg extract --evaluate --unseen` on the news texts of tests/extract/unseen/ after the
# rules were tuned, per group of texts, as issue 10's closing note reports them: (recall, precision).
# The blind figures (before any rule was changed) are in tests/extract/unseen/BLIND.md, FRESH.md, BLIND2.md and
# BLIND3.md; the tunings in AFTER3.md (a text's reporting period, figures of a part) and AFTER4.md (starting points,
# numbers in words, parts named by a sentence's opening; the gold files under the conventions C1-C3). Every group
# is held, so $HITZ_UNSEEN_TEXTS must name one folder holding the texts of all of them (tests/extract/unseen/README.md).
REPORTED_UNSEEN = {
    "tuned": {"value+unit": (1.00, 1.00), "period": (1.00, 1.00), "qualifier": (1.00, 1.00), "indicator": (0.98, 0.98)},
    "held-out": {"value+unit": (1.00, 1.00), "period": (1.00, 1.00), "qualifier": (1.00, 1.00), "indicator": (0.96, 0.96)},
    "fresh": {"value+unit": (1.00, 1.00), "period": (1.00, 1.00), "qualifier": (1.00, 1.00), "indicator": (0.98, 0.98)},
    # five more texts, run blind once (tests/extract/unseen/BLIND2.md), then tuned on (AFTER3.md): no longer unseen
    # (period chooser round 2, MODEL.md: the learned chooser is the default) one figure of sina-2021-08-31, a count of
    # the zones (C1: the day of publication) in a text of the first half, which the rules left at the day and the model
    # moves to the half: period 100 / 98.8 -> 98.8 / 97.6 (the model's out-of-sample CV on blind2 is the same)
    "blind2": {"value+unit": (1.00, 0.98), "period": (0.98, 0.97), "qualifier": (1.00, 0.98), "indicator": (0.95, 0.94)},
    # eight more, run blind once (BLIND3.md: 92.9 / 90.1, period 75.5 / 73.3), then tuned on (AFTER4.md): no longer unseen
    "blind3": {"value+unit": (1.00, 1.00), "period": (0.98, 0.98), "qualifier": (1.00, 1.00), "indicator": (0.93, 0.93)},
    # eight more, run blind once after AFTER4 (BLIND4.md: period 72.9 / 70.0, kept there); the round-5 rules (AFTER5.md)
    # were checked and partly tuned on them, so blind4 is now a tuned group, no longer unseen
    # (round 6, AFTER6.md: 突破百亿元 and "top 10" now read by rules written for blind5's kinds)
    # (round 7, AFTER7.md: "currently" no longer passes its day on, 是...的N倍 bases: period 84.4 / 79.4 -> 86.5 / 81.4)
    # (round 8, AFTER8.md: the span end "(2016-20)", "three times the", a headline's unit, a share's whole: raised)
    # (round 9, AFTER9.md: a bracketed aside, a plan's target year carried to its future clauses: period raised)
    "blind4": {"value+unit": (0.98, 0.97), "period": (0.92, 0.91), "qualifier": (0.98, 0.97), "indicator": (0.80, 0.79)},
    # eight more, run blind once after AFTER5 (BLIND5.md: value+unit 92.7 / 78.8, period 83.3 / 70.8, kept there); the
    # round-6 rules (AFTER6.md: ranks, hyphenated units, scale words, ...) were written from its misses, so blind5 is
    # now a tuned group, no longer unseen
    # (round 8, AFTER8.md: a list's named items, 有...获得立项 a flow, 前一年: raised)
    "blind5": {"value+unit": (1.00, 0.97), "period": (0.94, 0.92), "qualifier": (1.00, 0.97), "indicator": (0.94, 0.92)},
    # six more, run blind once after AFTER6 (BLIND6.md: period 54.9 / 47.2, kept there); the round-7 rules (AFTER7.md:
    # ranges of quarters, comparison bases, 五年来, the current year's targets) were written from its misses, so blind6
    # is now a tuned group, no longer unseen
    # (round 8, AFTER8.md: ranks, a list's named items, a bracketed year, 54个年初; the gold's share of land added: raised)
    "blind6": {"value+unit": (1.00, 0.97), "period": (0.89, 0.87), "qualifier": (1.00, 0.97), "indicator": (0.86, 0.85)},
    # six more, run blind once after AFTER7 (BLIND7.md); held at that blind run. The round-8 rules (AFTER8.md) were
    # written from its misses (now 99.0 / 96.2, period 97.0 / 94.2): it is a tuned group, held at its blind run
    "blind7": {"value+unit": (0.95, 0.89), "period": (0.74, 0.70), "qualifier": (0.95, 0.89), "indicator": (0.75, 0.71)},
    # eight more (pages of 2008-2018) and seven more (2019-2025), run blind once after AFTER8, with C6 applied to their
    # gold before the run (BLIND8.md, BLIND9.md); held at that run
    "blind8": {"value+unit": (0.98, 0.94), "period": (0.86, 0.82), "qualifier": (0.98, 0.94), "indicator": (0.83, 0.79)},
    "blind9": {"value+unit": (0.97, 0.95), "period": (0.81, 0.79), "qualifier": (0.96, 0.94), "indicator": (0.87, 0.85)},
    # eight more (pages of 2008-2018) and seven more (2020-2023), annotated by C1-C6 and run blind once after AFTER9
    # (BLIND10.md, BLIND11.md); held at that run
    "blind10": {"value+unit": (0.97, 0.91), "period": (0.82, 0.78), "qualifier": (0.96, 0.90), "indicator": (0.82, 0.78)},
    "blind11": {"value+unit": (0.97, 0.90), "period": (0.72, 0.66), "qualifier": (0.97, 0.90), "indicator": (0.77, 0.71)},
    # seven more (pages of 2008-2018) and eight more (2022-2025), annotated by C1-C6 and run blind once before and once
    # after AFTER10 (BLIND12.md, BLIND13.md); held at the run after
    "blind12": {"value+unit": (0.95, 0.92), "period": (0.90, 0.87), "qualifier": (0.95, 0.92), "indicator": (0.77, 0.74)},
    "blind13": {"value+unit": (0.98, 0.90), "period": (0.84, 0.77), "qualifier": (0.98, 0.90), "indicator": (0.88, 0.80)},
    # six more (pages of 2012-2018) and eight more (2021-2024), annotated by C1-C6 and run blind once before and once
    # after AFTER11 (BLIND14.md, BLIND15.md); held at the run after
    "blind14": {"value+unit": (0.97, 0.96), "period": (0.82, 0.81), "qualifier": (0.97, 0.96), "indicator": (0.80, 0.79)},
    "blind15": {"value+unit": (0.93, 0.86), "period": (0.78, 0.73), "qualifier": (0.93, 0.86), "indicator": (0.86, 0.80)},
    # seven more (pages of 2012-2015), six more (2021-2023) and eight more (2016-2019), annotated by C1-C6 and run blind
    # once with the round-11 rules, the figure filter and the period chooser (BLIND16.md-BLIND18.md); held at the run
    # of the rules alone, which is what this test measures
    "blind16": {"value+unit": (0.96, 0.93), "period": (0.84, 0.82), "qualifier": (0.95, 0.92), "indicator": (0.86, 0.84)},
    "blind17": {"value+unit": (0.97, 0.94), "period": (0.83, 0.80), "qualifier": (0.97, 0.94), "indicator": (0.87, 0.84)},
    "blind18": {"value+unit": (0.95, 0.84), "period": (0.82, 0.72), "qualifier": (0.95, 0.84), "indicator": (0.84, 0.74)},
    # eight more (pages of 2008-2013), eight more (2014-2018) and seven more (2020-2023), annotated by C1-C6 and run blind
    # once with each round of the figure filter and the period chooser (BLIND19.md-BLIND21.md); held at the run of
    # round 2's chooser without the filter, which is what this test measures
    "blind19": {"value+unit": (1.00, 0.87), "period": (0.83, 0.72), "qualifier": (1.00, 0.87), "indicator": (0.86, 0.75)},
    "blind20": {"value+unit": (1.00, 0.90), "period": (0.77, 0.70), "qualifier": (1.00, 0.90), "indicator": (0.70, 0.63)},
    "blind21": {"value+unit": (0.98, 0.97), "period": (0.68, 0.68), "qualifier": (0.97, 0.96), "indicator": (0.88, 0.87)},
    # seven more (pages of 2016-2020) and eight more (2021-2023), annotated by C1-C6 and run blind once with round 2 and
    # once with round 3 of the figure filter and the period chooser (BLIND23.md, BLIND24.md; no set of 2008-2014 could
    # be gathered any more); held at the run of round 3's chooser without the filter, which is what this test measures
    "blind23": {"value+unit": (0.92, 0.91), "period": (0.87, 0.86), "qualifier": (0.92, 0.91), "indicator": (0.84, 0.83)},
    "blind24": {"value+unit": (0.95, 0.98), "period": (0.78, 0.80), "qualifier": (0.94, 0.97), "indicator": (0.92, 0.95)},
}


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
        assert article[int(literal(graph.value(span, OA.start))):int(literal(graph.value(span, OA.end)))] == str(exact)
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


# The news texts themselves are third-party articles kept outside the repository: the tests that need
# them run when $HITZ_UNSEEN_TEXTS names the folder holding them (tests/extract/unseen/README.md).
needs_unseen_texts = pytest.mark.skipif(
    not os.environ.get(TEXTS_ENV),
    reason=f"the unseen news texts are not in the repository: set {TEXTS_ENV} to the folder holding them "
           "(tests/extract/unseen/README.md)")


@needs_unseen_texts
def test_the_unseen_news_texts_hold_the_reported_figures(project):
    indicators = project_indicators(project)
    texts = load_unseen(unseen_dir(project.root), texts_dir(), {str(i.iri).rsplit("/", 1)[-1] for i in indicators},
                        REPORTED_UNSEEN)  # a group not yet measured is kept for its one run, not held here
    assert len(texts) >= 174 and {text.group for text in texts} == set(REPORTED_UNSEEN)
    assert [text.differs for text in texts if text.differs] == []  # the copies annotated, byte for byte
    for group, reported in REPORTED_UNSEEN.items():
        sources = [text.source for text in texts if text.group == group]
        got = scores(evaluate_sources(sources, indicators, load_rules()))
        for aspect, (recall, precision) in reported.items():
            assert got[aspect][0] >= recall - 1e-9 and got[aspect][1] >= precision - 1e-9, (group, aspect, got[aspect])


@needs_unseen_texts
def test_cli_evaluates_the_unseen_texts_by_group():
    groups = [word for group in REPORTED_UNSEEN for word in ("--group", group)]
    result = CliRunner().invoke(cli, ["extract", "--evaluate", "--unseen", *groups])
    # exit 1 says the targets are not met overall; the groups measured are those of REPORTED_UNSEEN
    assert result.exit_code == (1 if re.search(r"^targets .*: NOT met$", result.output, re.M) else 0), result.output
    assert re.search(r"^targets .*: (met|NOT met)$", result.output, re.M), result.output
    assert all(f"{group} texts" in result.output for group in REPORTED_UNSEEN) and "warning:" not in result.output


def test_kinds_of_figure_the_unseen_texts_taught():
    # each sentence is ours, built like the news sentences that showed the kind missing
    text = ("In 2021, the parks' output topped 8.4 trillion RMB, 2.3 trillion yuan of profits and 3.6 trillion of "
            "imports. The three figures made up 14.5, 9.7 and 18.2 percent of the country's totals. "
            "Their share grew by 1.4 percentage points. Imports came to nearly half of the province's total; one third "
            "of them were chips. Patents per 10,000 workers went up to 512.6.")
    assert read(text, "2022-03-15") == [
        (Decimal("8400000000000"), "CCY_CNY", "MoreThan", Y + "2021"),  # a currency code after the number
        (Decimal("2300000000000"), "CCY_CNY", None, Y + "2021"),
        (Decimal("3600000000000"), "CCY_CNY", None, Y + "2021"),  # the currency left out after a list's first items
        (Decimal("14.5"), "PERCENT", None, Y + "2021"),  # a unit written once for a list; "the three figures" refer back
        (Decimal("9.7"), "PERCENT", None, Y + "2021"),
        (Decimal("18.2"), "PERCENT", None, Y + "2021"),
        (Decimal("1.4"), "PERCENT", None, Y + "2021"),  # percentage points; past tense: the text's period carries
        (Decimal(50), "PERCENT", "Nearly", Y + "2021"),  # a fraction in words; "one third" has no exact value
        (Decimal("512.6"), "NUM", None, Y + "2021"),  # "per 10,000" is a rate's base; "went up to" no bound
    ]


def test_time_words_the_unseen_texts_taught():
    text = ("Sales reached 2.35 trillion yuan in the first quarter this year. By March, the zone employed about 318,000 "
            "people. Its exports came to 87.2 billion yuan during the January-August period this year.")
    assert read(text, "2019-10-20") == [
        (Decimal("2350000000000"), "CCY_CNY", None, I + "2019-01-01T00:00:00/P3M"),
        (Decimal(318000), "NUM", "About", D + "2019-03-31"),
        (Decimal("87200000000"), "CCY_CNY", None, I + "2019-01-01T00:00:00/P8M"),
    ]
    zh = ("前三季度,165家国家高新区运行平稳,营业收入达到9.87万亿元。1-5月,技术收入8123.4亿元,比上年同期增长12.6%;"
          "研发投入合计950.2亿元。园区工业总产值从2015年的3.2万亿元提高到2020年的6.1万亿元。"
          "截至6月,企业总数为24510户。到“十四五”末,高新区数量将达到200家左右。")
    assert read(zh, "2023-12-12", "zh") == [
        (Decimal(165), "NUM", None, D + "2023-12-12"),  # a count of the zones, not dated by the text
        (Decimal("9870000000000"), "CCY_CNY", None, I + "2023-01-01T00:00:00/P9M"),
        (Decimal("812340000000"), "CCY_CNY", None, I + "2023-01-01T00:00:00/P5M"),
        (Decimal("12.6"), "PERCENT", None, I + "2023-01-01T00:00:00/P5M"),  # 上年同期 is compared with, not the period
        (Decimal("95020000000"), "CCY_CNY", None, I + "2023-01-01T00:00:00/P5M"),  # a semicolon list shares its period
        (Decimal("3200000000000"), "CCY_CNY", None, Y + "2015"),
        (Decimal("6100000000000"), "CCY_CNY", None, Y + "2020"),
        (Decimal(24510), "NUM", None, D + "2023-06-30"),  # 截至6月 without a year: of the year of publication
        (Decimal(200), "NUM", "About", Y + "2025"),  # the end of the 14th Five-Year Plan
    ]


# A text of our own and its gold file, to test the reader of the unseen texts without the news texts.
OWN_TEXT = "Zone output\n\nIn 2020, the zone's revenue hit 5 trillion yuan, up 8.5 percent.\n"
OWN_GOLD = """[source]
title = "Zone output"
url = "https://example.org/zone-output"
published = 2021-03-01
language = "en"
sha256 = "{sha}"
group = "fresh"

[[figure]]
exact = "5 trillion yuan"
value = "5000000000000"
unit = "CCY_CNY"
period = "year/2020"
indicator = "revenue"

[[figure]]
exact = "8.5 percent"
value = "8.5"
unit = "PERCENT"
period = "year/2020"
indicator = "revenue-growth"
"""


def own_unseen(folder: Path) -> tuple[Path, Path]:
    """A gold folder with one gold file (ours) and an empty texts folder beside it."""
    gold, texts = folder / "gold", folder / "texts"
    gold.mkdir(parents=True)
    texts.mkdir()
    (gold / "own.toml").write_text(OWN_GOLD.format(sha=sha256(OWN_TEXT.encode("utf-8"))), encoding="utf-8")
    return gold, texts


def test_the_unseen_reader_names_a_missing_text_and_warns_of_a_different_copy(tmp_path: Path):
    gold, texts = own_unseen(tmp_path)
    with pytest.raises(KgError, match=r"texts: 1 of the 1 unseen texts missing: own\.txt \(from https://example\.org/zone-output\)"):
        load_unseen(gold, texts, {"revenue", "revenue-growth"})
    (texts / "own.txt").write_text(OWN_TEXT, encoding="utf-8")
    [read_as_annotated] = load_unseen(gold, texts, {"revenue", "revenue-growth"})
    assert read_as_annotated.differs is None and read_as_annotated.group == "fresh"
    assert [(c.start, c.end) for c in read_as_annotated.source.curated] == [(45, 60), (65, 76)]
    (texts / "own.txt").write_text("Zone output (updated)\n" + OWN_TEXT[len("Zone output\n"):], encoding="utf-8")
    [other_copy] = load_unseen(gold, texts, {"revenue", "revenue-growth"})
    assert other_copy.differs is not None and other_copy.differs.startswith("text own.txt differs from the annotated copy (sha256 ")
    assert other_copy.differs.endswith("); offsets and words may not match")
    assert [(c.start, c.end) for c in other_copy.source.curated] == [(55, 70), (75, 86)]  # still read, by its words
    (texts / "own.txt").write_text(OWN_TEXT.replace("8.5", "8.4"), encoding="utf-8")
    with pytest.raises(KgError, match=r"figure 2: '8\.5 percent' is not in the text \(.*own\.txt differs from the annotated copy\)"):
        load_unseen(gold, texts, {"revenue", "revenue-growth"})


def test_cli_evaluates_unseen_texts_from_a_folder_outside_the_project(project_copy, tmp_path: Path, monkeypatch):
    monkeypatch.delenv(TEXTS_ENV, raising=False)
    gold, texts = own_unseen(tmp_path)
    shutil.copytree(gold, unseen_dir(project_copy.root))
    root = ["--root", str(project_copy.root), "extract", "--evaluate", "--unseen"]
    no_folder = CliRunner().invoke(cli, root)
    assert no_folder.exit_code == 2 and no_folder.output.count("\n") == 1, no_folder.output
    assert no_folder.output.startswith("error: the unseen texts are not in the repository") and TEXTS_ENV in no_folder.output
    missing = CliRunner().invoke(cli, [*root, "--texts", str(texts)])
    assert missing.exit_code == 2 and missing.output.count("\n") == 1, missing.output
    assert missing.output.startswith(f"error: {texts}: 1 of the 1 unseen texts missing") and "example.org/zone-output" in missing.output
    (texts / "own.txt").write_text(OWN_TEXT, encoding="utf-8")
    monkeypatch.setenv(TEXTS_ENV, str(texts))
    result = CliRunner().invoke(cli, root)
    assert result.exit_code == 0 and "warning:" not in result.output, result.output
    assert re.search(r"^fresh texts\s+2\s+2\s+100\.0% / 100\.0%", result.output, re.M), result.output
    (texts / "own.txt").write_text(OWN_TEXT.replace("\n\n", "\n"), encoding="utf-8")
    differs = CliRunner().invoke(cli, root)
    assert differs.exit_code == 0 and "warning: text own.txt differs from the annotated copy" in differs.output
    assert "fresh texts" in differs.output


def test_cli_measures_one_group_from_a_folder_holding_only_its_texts(project_copy, tmp_path: Path, monkeypatch):
    monkeypatch.delenv(TEXTS_ENV, raising=False)
    gold, texts = own_unseen(tmp_path)
    (texts / "own.txt").write_text(OWN_TEXT, encoding="utf-8")
    other = OWN_GOLD.format(sha=sha256(b"another text\n")).replace('group = "fresh"', 'group = "blind3"')
    (gold / "other.toml").write_text(other.replace("zone-output", "other-zone"), encoding="utf-8")
    shutil.copytree(gold, unseen_dir(project_copy.root))
    root = ["--root", str(project_copy.root), "extract", "--evaluate", "--unseen", "--texts", str(texts)]
    every = CliRunner().invoke(cli, root)  # without --group every gold file's text must be in the folder
    assert every.exit_code == 2 and every.output.startswith(f"error: {texts}: 1 of the 2 unseen texts missing: other.txt")
    fresh = CliRunner().invoke(cli, [*root, "--group", "fresh"])
    assert fresh.exit_code == 0 and "warning:" not in fresh.output, fresh.output
    assert re.search(r"^fresh texts\s+2\s+2\s+100\.0% / 100\.0%", fresh.output, re.M), fresh.output
    assert re.search(r"^own\s", fresh.output, re.M) and "other" not in fresh.output and "blind3" not in fresh.output
    blind3 = CliRunner().invoke(cli, [*root, "--group", "blind3"])
    assert blind3.exit_code == 2 and blind3.output.count("\n") == 1, blind3.output
    assert blind3.output.startswith(f"error: {texts}: 1 of the 1 unseen texts missing: other.txt (from https://example.org/other-zone)")
    both = CliRunner().invoke(cli, [*root, "--group", "fresh", "--group", "blind3"])
    assert both.exit_code == 2 and "1 of the 2 unseen texts missing" in both.output
    unknown = CliRunner().invoke(cli, [*root, "--group", "blind99"])
    assert unknown.exit_code == 2 and unknown.output.count("\n") == 1, unknown.output
    assert unknown.output.startswith("error: unknown group 'blind99': the groups are tuned, held-out, fresh, blind2, blind3, blind4")
    with pytest.raises(KgError, match=r"no gold files \(ID\.toml\) of unseen texts of the group held-out"):
        load_unseen(gold, texts, {"revenue", "revenue-growth"}, ["held-out"])


# the groups annotated by the header rules below (blind2 came before them)
BLIND_GROUPS = tuple(group for group in GROUPS if group.startswith("blind") and group != "blind2")


def test_every_gold_file_of_the_unseen_texts_is_well_formed(project):
    # without the texts: each gold file's source, group and figures; the blind3 to blind13 groups as issue 10 asked for them
    indicators = {str(i.iri).rsplit("/", 1)[-1] for i in project_indicators(project)}
    period = re.compile(r"(year/\d{4}|day/\d{4}-\d\d-\d\d|gregorian-interval/\d{4}-\d\d-\d\dT00:00:00/P\d+[YM])")
    figures_of: dict[str, list[int]] = {}
    urls: dict[str, list[str]] = {}
    for gold in sorted(unseen_dir(project.root).glob("*.toml")):
        data = read_gold(gold)
        meta = data["source"]
        assert meta.get("group", "tuned") in GROUPS and meta["language"] in ("en", "zh") and re.fullmatch(r"[0-9a-f]{64}", meta["sha256"])
        for figure in data["figure"]:
            assert figure["exact"] and Decimal(figure["value"]) >= 0 and figure["unit"] in UNITS, (gold.name, figure)
            assert figure.get("qualifier", "About") in QUALIFIERS and period.fullmatch(figure["period"]), (gold.name, figure)
            assert figure["indicator"] == "new" or figure["indicator"] in indicators, (gold.name, figure)
        figures_of.setdefault(meta.get("group", "tuned"), []).append(len(data["figure"]))
        if meta.get("group") in BLIND_GROUPS:
            assert meta["language"] == ("zh" if gold.stem.endswith("-zh") else "en")
            # annotated by hand before any run, and saying what in the text is not a figure
            head = gold.read_text(encoding="utf-8").split("[source]")[0]
            assert "annotated by hand before the extractor was run" in head and "Not figures" in head, gold.name
        urls.setdefault(meta["url"], []).append(gold.name)
    assert not {url: names for url, names in urls.items() if len(names) > 1}  # no text annotated twice
    for group in BLIND_GROUPS:
        golds = [gold for gold in unseen_dir(project.root).glob("*.toml") if read_gold(gold)["source"].get("group") == group]
        languages = [read_gold(gold)["source"]["language"] for gold in golds]
        assert 6 <= len(golds) <= 8 and languages.count("en") >= 3 and languages.count("zh") >= 3, group
        assert sum(figures_of[group]) >= 90, group


def test_cli_unseen_options_go_together():
    bad = CliRunner().invoke(cli, ["extract", "--unseen"])
    assert bad.exit_code == 2 and "--unseen goes with --evaluate" in bad.output
    bad = CliRunner().invoke(cli, ["extract", "--evaluate", "--texts", "."])
    assert bad.exit_code == 2 and "--texts goes with --evaluate --unseen" in bad.output
    bad = CliRunner().invoke(cli, ["extract", "--evaluate", "--group", "blind3"])
    assert bad.exit_code == 2 and "--group goes with --evaluate --unseen" in bad.output


def test_a_wrong_gold_file_is_one_line_naming_it(tmp_path: Path):
    text = tmp_path / "t.txt"
    text.write_text("Revenue hit 5 trillion yuan.\n", encoding="utf-8")
    gold = tmp_path / "t.toml"
    head = f'[source]\npublished = 2020-01-01\nurl = "https://example.org/t"\nsha256 = "{sha256(text.read_bytes())}"\n'
    gold.write_text(head + '[[figure]]\nexact = "6 trillion yuan"\nvalue = "6e12"\n'
                    'unit = "CCY_CNY"\nperiod = "year/2020"\nindicator = "revenue"\n', encoding="utf-8")
    with pytest.raises(KgError, match=r"t\.toml: figure 1: '6 trillion yuan' is not in the text$"):
        load_text(gold, text, {"revenue"})
    gold.write_text(gold.read_text(encoding="utf-8").replace("6 trillion", "5 trillion").replace('"revenue"', '"income"'),
                    encoding="utf-8")
    with pytest.raises(KgError, match="indicator 'income' is not in the code list"):
        load_text(gold, text, {"revenue"})
    gold.write_text(gold.read_text(encoding="utf-8").replace("sha256", "sha1"), encoding="utf-8")
    with pytest.raises(KgError, match=r"t\.toml: \[source\] needs sha256 = "):
        load_text(gold, text, {"revenue"})
