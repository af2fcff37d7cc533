"""Many sources (issue 9): each source a folder, its figures in one model, the cross-source
questions and `kg conflicts`, each checked against the sources' own words.

Expected values are read from the texts in data/sources/*/text.txt (quoted in comments),
never copied from what a query returned.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from click.testing import CliRunner

from kg.build import check
from kg.cli import cli
from kg.conflicts import compare
from kg.query import load_question
from conftest import ROOT

TRILLION = 10**12
XINHUA_2023 = "xinhua-2023-12-12-178-zones"
PEOPLES_DAILY = "peoples-daily-2023-12-13-178-zones-zh"
XINHUA_2022 = "xinhua-2022-02-25-169-zones"
CHINA_DAILY_2008 = "china-daily-2008-03-31-state-hi-tech-zones"


def ask(select, name: str) -> list[dict]:
    return select(load_question(ROOT / "queries" / f"{name}.rq").sparql)


# ---- the sources themselves ----------------------------------------------------

def test_every_source_is_enumerated_with_its_date_language_text_and_graph(project):
    found = {s.id: s for s in project.sources()}
    assert list(found) == ["hitz-2022", CHINA_DAILY_2008, PEOPLES_DAILY, XINHUA_2022, XINHUA_2023]
    assert {k: (s.published, s.language) for k, s in found.items()} == {
        "hitz-2022": ("2022", "en"),  # undated: the year of its own words
        CHINA_DAILY_2008: ("2008-03-31", "en"), PEOPLES_DAILY: ("2023-12-13", "zh"),
        XINHUA_2022: ("2022-02-25", "en"), XINHUA_2023: ("2023-12-12", "en"),
    }
    for sid in (CHINA_DAILY_2008, PEOPLES_DAILY, XINHUA_2022, XINHUA_2023):
        # the text as stored, byte for byte the shared copy
        stored = (ROOT.parent / "shared" / "sources" / f"{sid}.txt")
        if stored.exists():
            assert found[sid].text() == stored.read_text(encoding="utf-8")
        assert str(found[sid].graph).endswith(f"/graph/source/{sid}")


def test_every_span_of_every_source_selects_its_words(built, project):
    from kg.namespaces import OA
    from rdflib.namespace import DCTERMS

    graph = built.union()
    texts = {s.article: s.text() for s in project.sources()}
    spans = list(graph.subject_objects(OA.exact))
    assert len(spans) > 90
    for span, exact in spans:
        text = texts[graph.value(span, DCTERMS.isPartOf)]
        assert text[int(graph.value(span, OA.start)):int(graph.value(span, OA.end))] == str(exact)


def test_a_span_put_in_the_wrong_source_fails_the_build(project_copy):
    path = project_copy.sources_dir / XINHUA_2022 / "source.ttl"
    text = path.read_text(encoding="utf-8")
    # the words are in the 2022 text, but the span claims to be part of the 2023 article
    path.write_text(text.replace("dcterms:isPartOf article:xinhua-2022-02-25-169-zones .\n",
                                 "dcterms:isPartOf article:xinhua-2023-12-12-178-zones .\n", 1), encoding="utf-8")
    from kg.errors import SpanError

    with pytest.raises(SpanError, match="a span belongs with its source"):
        check(project_copy)


def test_coverage_accounts_for_every_number_of_every_source(project):
    result = CliRunner().invoke(cli, ["--root", str(project.root), "coverage", "--all"])
    assert result.exit_code == 0, result.output
    for sid in (CHINA_DAILY_2008, PEOPLES_DAILY, XINHUA_2022, XINHUA_2023):
        assert sid in result.output
    assert "NOT ACCOUNTED FOR" not in result.output
    # "12.33万亿元" is one figure, not a name glued to 万
    assert any(line.split()[:4] == [PEOPLES_DAILY, "107", "12.33", "figure"] for line in result.output.splitlines())


# ---- figures in the one model --------------------------------------------------

def test_chinese_numbers_and_conversions_are_in_base_units(select):
    rows = select("""
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX hitz: <https://w3id.org/hitz/ontology#>
        SELECT ?obs ?v ?usd WHERE {
          VALUES ?obs { <https://w3id.org/hitz/id/obs/gdp-2023-01-09-peoples-daily>
                        <https://w3id.org/hitz/id/obs/gdp-2023-01-09-xinhua>
                        <https://w3id.org/hitz/id/obs/revenue-2021-xinhua> }
          ?obs sdmx-measure:obsValue ?v . OPTIONAL { ?obs hitz:conversion/hitz:convertedValue ?usd } } ORDER BY ?obs""")
    assert [(r["v"], r["usd"]) for r in rows] == [
        (Decimal("12.33") * TRILLION, None),                            # "12.33万亿元"
        (Decimal("12.33") * TRILLION, Decimal("1.73") * TRILLION),      # "12.33 trillion yuan (1.73 trillion U.S. dollars)"
        (48 * TRILLION, Decimal("7.6") * TRILLION),                      # "48 trillion yuan ($7.6 trillion)"
    ]
    # the converted amount is part of its figure, not a figure of its own
    assert select("""PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX hitz: <https://w3id.org/hitz/ontology#>
        SELECT ?c WHERE { ?c a hitz:CurrencyConversion , qb:Observation }""") == []


# Every figure of the four further sources: (observation, value in base units, qualifier, words
# of its source that must be in its quote). Read from the texts, not from the graph.
OTHER_FIGURES = [
    ("zones-2023-11-30-xinhua", 178, None, "had reached 178 as of the end of November"),
    ("gdp-2023-01-09-xinhua", Decimal("12.33") * TRILLION, None, "12.33 trillion yuan"),
    ("gdp-growth-2023-01-09-xinhua", Decimal("7.11"), None, "7.11 percent"),
    ("share-of-key-national-laboratories-2023-12-12", Decimal(80), "nearly", "nearly 80 percent of key national laboratories"),
    ("share-of-national-manufacturing-innovation-centers-2023-12-12", Decimal(70), None, "70 percent of national manufacturing"),
    ("zones-2023-11-30-peoples-daily", 178, None, "总数达178家"),
    ("gdp-2023-01-09-peoples-daily", Decimal("12.33") * TRILLION, None, "生产总值12.33万亿元"),
    ("gdp-growth-2023-01-09-peoples-daily", Decimal("7.11"), None, "同比增长7.11%"),
    ("zones-2022-02-25", 169, None, "169 state-level high-tech zones"),
    ("revenue-2021-xinhua", 48 * TRILLION, "more than", "expected to exceed 48 trillion yuan"),
    ("revenue-growth-2021-xinhua", Decimal(12), "about", "up about 12 percent"),
    ("profits-2021", Decimal("4.2") * TRILLION, None, "totaled 4.2 trillion yuan"),
    ("profit-growth-2021", Decimal(17), "about", "about 17 percent"),
    ("share-of-national-gdp-2021-xinhua", Decimal(13), "about", "about 13 percent of China's GDP"),
    ("share-of-national-land-area-2021", Decimal("0.1"), None, "only 0.1 percent of the country's land area"),
    ("zones-2008-03-31", 54, None, "China has 54 State-level"),
    ("output-value-contribution-to-gdp-2007", Decimal(6), "at least", "at least 6 percent"),
    ("zones-set-up-1991", 7, None, "A total of seven hi-tech development zones"),
    ("zhongguancun-sub-parks-2008-03-31", 10, None, "now includes 10 sub-parks"),
    ("zhongguancun-growth-rate-1988-2007", Decimal(25), "more than", "over 25 percent for 20 consecutive years"),
    ("national-zones-in-guangdong-2001", 6, None, "the sixth State-level hi-tech zone in Guangdong"),
]


@pytest.fixture(scope="module")
def figures(select):
    rows = select("""
        PREFIX qb: <http://purl.org/linked-data/cube#> PREFIX hitz: <https://w3id.org/hitz/ontology#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?obs ?value ?qualifier (GROUP_CONCAT(?exact; separator=" | ") AS ?words) WHERE {
          ?obs a qb:Observation ; qb:dataSet ?ds ; sdmx-measure:obsValue ?value ; prov:wasDerivedFrom/oa:exact ?exact .
          FILTER (?ds != <https://w3id.org/hitz/id/dataset/zone-statistics>)
          OPTIONAL { ?obs hitz:valueQualifier/rdfs:label ?qualifier FILTER (lang(?qualifier) = "en") }
        } GROUP BY ?obs ?value ?qualifier""")
    return {r["obs"].rsplit("/", 1)[1]: r for r in rows}


@pytest.mark.parametrize("slug, value, qualifier, words", OTHER_FIGURES, ids=[f[0] for f in OTHER_FIGURES])
def test_each_figure_of_the_other_sources(figures, slug, value, qualifier, words):
    row = figures[slug]
    assert (row["value"], row["qualifier"]) == (value, qualifier)
    assert words in row["words"]


def test_the_other_sources_figures_are_all_listed(figures):
    assert sorted(figures) == sorted(f[0] for f in OTHER_FIGURES)


def test_34_number_of_zones_over_time(select):
    rows = ask(select, "34-number-of-zones-over-time")
    assert [(r["period"], r["zones"], r["language"], r["saidBy"]) for r in rows] == [
        ("2008-03-31", 54, "en", "China Daily"),      # "At present, China has 54 State-level hi-tech development zones" (31 March 2008)
        ("2022-02-25", 169, "en", "Shao Xinyu"),      # "the country's 169 state-level high-tech zones ..., said Shao Xinyu"
        ("2022", 173, "en", "China Daily"),           # "As of 2022, there are 173 national high-tech development zones"
        # "had reached 178 as of the end of November, an official said Tuesday"
        ("2023-11-30", 178, "en", "an official (unnamed, 12 December 2023)"),
        ("2023-11-30", 178, "zh", "Wu Jiaxi"),        # "吴家喜12日表示,截至2023年11月,...总数达178家"
    ]
    assert all(str(r["zones"]) in r["words"] for r in rows)


def test_35_gdp_over_time_in_both_languages(select):
    rows = ask(select, "35-gdp-of-the-zones-over-time")
    assert [(r["period"], r["yuan"], r["usd"], r["language"]) for r in rows] == [
        ("2012", Decimal("5.4") * TRILLION, None, "en"),   # "CNY5.4 trillion in 2012"
        ("2021", Decimal("15.3") * TRILLION, None, "en"),  # "CNY15.3 trillion in 2021"
        # "In the first three quarters of this year, the economic output ... hit 12.33 trillion yuan (1.73 trillion U.S. dollars)"
        ("2023-01-01/P9M", Decimal("12.33") * TRILLION, Decimal("1.73") * TRILLION, "en"),
        ("2023-01-01/P9M", Decimal("12.33") * TRILLION, None, "zh"),  # "前三季度,国家高新区生产总值12.33万亿元"
    ]


def test_36_what_each_ministry_said_and_when(select):
    rows = ask(select, "36-what-each-ministry-said-and-when")
    by = {(r["ministry"], r["speaker"], r["published"]) for r in rows}
    assert by == {
        ("Ministry of Science and Technology", "Wu Jiaxi", "2022"),
        ("Ministry of Science and Technology", "Shao Xinyu", "2022-02-25"),  # "vice minister of science and technology"
        ("Ministry of Industry and Information Technology", "Wu Jiaxi", "2023-12-12"),
        ("Ministry of Industry and Information Technology", "Wu Jiaxi", "2023-12-13"),
    }
    miit = [r["words"] for r in rows if r["ministry"].startswith("Ministry of Industry")]
    assert any("12.33 trillion yuan" in w for w in miit) and any("178" in w for w in miit)


def test_37_figures_only_one_source_gives(select):
    rows = {r["indicator"]: r["source"] for r in ask(select, "37-figures-only-one-source-gives")}
    assert rows["profits"] == XINHUA_2022                       # "profits ... totaled 4.2 trillion yuan"
    assert rows["share of China's land area"] == XINHUA_2022    # "only 0.1 percent of the country's land area"
    assert rows["share of key national laboratories"] == XINHUA_2023
    assert rows["sub-parks"] == CHINA_DAILY_2008                 # "now includes 10 sub-parks"
    # stated by several sources
    for shared in ("number of zones", "gross domestic product", "share of China's GDP", "revenue", "growth of GDP"):
        assert shared not in rows


def test_38_wu_jiaxis_posts_over_time(select):
    rows = ask(select, "38-wu-jiaxis-posts-over-time")
    assert [(r["during"], r["ministry"], r["language"]) for r in rows] == [
        # "Wu Jiaxi, Deputy Director of the Ministry's Department of Research Commercialization ..." (2022)
        ("2022", "Ministry of Science and Technology", "en"),
        # "Wu Jiaxi, deputy director of the planning department of the Ministry of Industry and Information Technology"
        ("2023-12-12", "Ministry of Industry and Information Technology", "en"),
        ("2023-12-12", "Ministry of Industry and Information Technology", "zh"),  # "工业和信息化部规划司副司长吴家喜12日表示"
    ]


# ---- agreement and conflict ----------------------------------------------------------

def verdicts(comparisons) -> dict:
    return {(c.row["indicator"], c.row["valueA"], c.row["valueB"]): c.verdict for c in comparisons}


def test_33_the_real_sources_agree_or_are_not_comparable(select, project):
    rows = ask(select, "33-where-sources-agree-or-conflict")
    found = {(r["indicator"], r["valueA"], r["valueB"]): r["verdict"] for r in rows}
    # "contributed 13.4% to China's GDP in 2021" vs "contributed about 13 percent of China's GDP"
    assert found[("share of China's GDP", Decimal("13.4"), Decimal(13))] == "agree"
    # 173 "as of 2022" vs 169 on 25 February 2022: different periods, not a conflict
    assert found[("number of zones", 173, 169)] == "not comparable"
    # the same press conference in English and Chinese
    assert found[("number of zones", 178, 178)] == "agree"
    assert found[("gross domestic product", Decimal("12.33") * TRILLION, Decimal("12.33") * TRILLION)] == "agree"
    assert "conflict" not in found.values()
    assert verdicts(compare(project)) == found  # kg conflicts runs the same question
    result = CliRunner().invoke(cli, ["--root", str(project.root), "conflicts"])
    assert result.exit_code == 0 and "0 conflict" in result.output


CONFLICTING_TEXT = "As of the end of November 2023, China had 180 national high-tech zones, a count said.\n"
CONFLICTING_TTL = """
@prefix hitz: <https://w3id.org/hitz/ontology#> . @prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> . @prefix dcterms: <http://purl.org/dc/terms/> .
@prefix qb: <http://purl.org/linked-data/cube#> . @prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <http://schema.org/> . @prefix oa: <http://www.w3.org/ns/oa#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#> .
@prefix id: <https://w3id.org/hitz/id/> .

id:article\\/test-conflict a schema:NewsArticle ; rdfs:label "a test source" ;
    schema:datePublished "2023-12-14"^^xsd:date ; schema:inLanguage "en" .
id:dataset\\/test-conflict a qb:DataSet ; rdfs:label "test" ; qb:structure id:dsd\\/zone-statistics ;
    dcterms:source id:article\\/test-conflict .
id:obs\\/test-zones a qb:Observation ; qb:dataSet id:dataset\\/test-conflict ;
    sdmx-dimension:refArea id:zone\\/all-national ;
    sdmx-dimension:refPeriod <http://reference.data.gov.uk/id/day/2023-11-30> ;
    hitz:indicator id:indicator\\/zone-count ; sdmx-measure:obsValue 180 ;
    sdmx-attribute:unitMeasure <http://qudt.org/vocab/unit/NUM> ;
    prov:wasDerivedFrom id:span\\/test-zones ; prov:wasAttributedTo id:org\\/xinhua ;
    hitz:attributionNote "test" .
id:span\\/test-zones a hitz:TextSpan ; oa:exact "China had 180 national high-tech zones" ;
    dcterms:isPartOf id:article\\/test-conflict .
"""


def test_a_source_folder_with_a_conflicting_count_is_reported_and_exits_1(project_copy):
    folder = project_copy.sources_dir / "test-conflict"
    folder.mkdir()
    (folder / "text.txt").write_text(CONFLICTING_TEXT, encoding="utf-8")
    (folder / "source.ttl").write_text(CONFLICTING_TTL, encoding="utf-8")
    assert check(project_copy).report.conforms  # a new source is a folder, not code
    found = verdicts(compare(project_copy))
    # 180 vs 178, both as of the end of November 2023: a real conflict
    assert found[("number of zones", 178, 180)] == "conflict"
    assert found[("number of zones", 173, 180)] == "not comparable"
    result = CliRunner().invoke(cli, ["--root", str(project_copy.root), "conflicts"])
    assert result.exit_code == 1
    assert any(line.rstrip().endswith("conflict") and "180" in line for line in result.output.splitlines())
