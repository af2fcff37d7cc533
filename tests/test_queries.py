"""The competency questions of queries/: each answer is checked against the article's words.

Every expected value below is written from the article (the sentence is quoted in a
comment), never copied from what the query returned. Money is in yuan (base units),
shares in percent, counts as integers, as DESIGN.md says.
"""

from __future__ import annotations

import ast
import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from click.testing import CliRunner

from kg.cli import cli
from kg.query import load_question, questions
from conftest import ROOT

QUERIES = ROOT / "queries"
TRILLION = 10**12
BILLION = 10**9


def question(name: str):
    return load_question(QUERIES / f"{name}.rq")


@pytest.fixture(scope="module")
def answer(select):
    """The rows a competency question returns, by file name (without .rq)."""

    def run(name: str) -> list[dict]:
        return select(question(name).sparql)

    return run


# ---- the catalog -------------------------------------------------------------

def test_there_are_at_least_twenty_questions():
    assert len(questions(QUERIES)) >= 20


@pytest.mark.parametrize("path", sorted(QUERIES.glob("*.rq")), ids=lambda p: p.name)
def test_each_query_file_states_its_question_and_parses(path: Path):
    text = path.read_text(encoding="utf-8")
    assert re.fullmatch(r"\d\d-[a-z0-9]+(-[a-z0-9]+)*\.rq", path.name)
    first, second = text.splitlines()[:2]
    assert first.startswith("# Question: ") and first.rstrip().endswith("?")
    assert second.startswith("# ") and not second.startswith("# Question:")
    if load_question(path).needs_network:
        # executing it would call the remote endpoint: parse only (tests/test_federated.py runs it offline)
        rdflib.plugins.sparql.prepareQuery(text)
    else:
        ox.Store().query(text)  # raises SyntaxError if it does not parse


def test_question_numbers_are_unique():
    numbers = [p.name[:2] for p in QUERIES.glob("*.rq")]
    assert len(numbers) == len(set(numbers))


def asked_by_tests(*files: Path) -> dict[str, set[str]]:
    """{question name: the offline test functions test_NN_... that run it with answer/question/federated("NN-...")}."""
    asked: dict[str, set[str]] = {}
    for path in files:
        for function in ast.parse(path.read_text(encoding="utf-8")).body:
            if not isinstance(function, ast.FunctionDef) or not re.match(r"test_\d\d_", function.name):
                continue
            if any("network" in ast.unparse(d) for d in function.decorator_list):
                continue
            for call in ast.walk(function):
                if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                        and call.func.id in ("answer", "question", "federated", "ask")):
                    for arg in call.args:
                        if (isinstance(arg, ast.Constant) and isinstance(arg.value, str)
                                and function.name.startswith(f"test_{arg.value[:2]}_")):
                            asked.setdefault(arg.value, set()).add(function.name)
    return asked


def test_every_question_has_a_test_that_runs_it():
    asked = asked_by_tests(*sorted(Path(__file__).parent.glob("test_*.py")))
    untested = [q.name for q in questions(QUERIES) if q.name not in asked]
    assert untested == []
    assert set(asked) <= {q.name for q in questions(QUERIES)}, "a test runs a question that is not in queries/"


# ---- one test per question ---------------------------------------------------

def test_01_zones_2012_2022(answer):
    # "As of 2022, there are 173 national high-tech development zones, 84 more than in 2012."
    # 173 - 84 = 89 in 2012, a figure the article implies but does not state.
    assert answer("01-zones-2012-2022") == [
        {"year": "2012", "zones": 173 - 84, "derived": True},
        {"year": "2022", "zones": 173, "derived": False},
    ]


def test_02_demonstration_zones_2012_2022(answer):
    # "China has also established 23 indigenous innovation demonstration zones, 20 more than
    # in 2012, that are supported by these high-tech development zones."
    assert answer("02-demonstration-zones-2012-2022") == [
        {"year": "2012", "zones": 23 - 20, "derived": True, "supportedBy": "all national high-tech zones"},
        {"year": "2022", "zones": 23, "derived": False, "supportedBy": "all national high-tech zones"},
    ]


def test_03_gdp_2012_2021_and_growth_factor(answer):
    # "The gross domestic product (GDP) of high-tech development zones grew from
    # CNY5.4 trillion in 2012 to CNY15.3 trillion in 2021."  15.3 / 5.4 = 2.833...
    [row] = answer("03-gdp-2012-2021")
    assert row == {
        "gdp2012": Decimal("5.4") * TRILLION,
        "gdp2021": Decimal("15.3") * TRILLION,
        "unit": "CCY_CNY",
        "computedFactor": round(Decimal("15.3") / Decimal("5.4"), 2),
        "derivedFactor": round(Decimal("15.3") / Decimal("5.4"), 2),
        "derivedQualifier": "about",
    }


def test_04_share_of_gdp_and_construction_land_2021(answer):
    # "These zones contributed 13.4% to China's GDP in 2021 while only using 2.5% of the
    # nation's construction land."
    assert answer("04-share-of-gdp-and-land-2021") == [
        {"indicator": "share of China's GDP", "period": "2021", "value": Decimal("13.4"), "unit": "PERCENT"},
        {"indicator": "share of China's construction land", "period": "2021", "value": Decimal("2.5"), "unit": "PERCENT"},
    ]


def test_05_january_july_2022_output_and_revenue(answer):
    # "From January to July, the 173 national high-tech development zones achieved a gross
    # industrial output worth CNY17.5 trillion, an 8.1% growth compared to the same period
    # last year. This output generated CNY27.4 trillion of revenue, a 7.1% increase over the
    # same period last year."  The 2021 baselines: 17.5 / 1.081 and 27.4 / 1.071 trillion,
    # to CNY0.01 trillion, hence "about".
    jan_jul_2022, jan_jul_2021 = "2022-01-01/P7M", "2021-01-01/P7M"
    assert answer("05-january-july-2022-output-and-revenue") == [
        {"indicator": "gross industrial output", "period": jan_jul_2022, "value": Decimal("17.5") * TRILLION,
         "unit": "CCY_CNY", "growthPercent": Decimal("8.1"), "baselinePeriod": jan_jul_2021,
         "baseline": round(Decimal("17.5") / Decimal("1.081"), 2) * TRILLION,
         "baselineQualifier": "about", "baselineDerived": True},
        {"indicator": "revenue", "period": jan_jul_2022, "value": Decimal("27.4") * TRILLION,
         "unit": "CCY_CNY", "growthPercent": Decimal("7.1"), "baselinePeriod": jan_jul_2021,
         "baseline": round(Decimal("27.4") / Decimal("1.071"), 2) * TRILLION,
         "baselineQualifier": "about", "baselineDerived": True},
    ]


def test_06_shares_of_labs_and_innovation_centres(answer):
    # "National high-tech zones are home to 84% of China's State Key Laboratories and 78% of
    # the national technological innovation centers. As a result, ..., Wu said."  The "Wu said"
    # closes the next sentence, so this one names no speaker: China Daily's, whose report it relays.
    assert answer("06-shares-of-labs-and-innovation-centres") == [
        {"indicator": "share of China's State Key Laboratories", "period": "2022",
         "value": Decimal(84), "unit": "PERCENT", "saidBy": "China Daily"},
        {"indicator": "share of the national technological innovation centers", "period": "2022",
         "value": Decimal(78), "unit": "PERCENT", "saidBy": "China Daily"},
    ]


def test_07_research_capacity_2021(answer):
    # "By the end of 2021, national high-tech zones were home to over 4,400 research
    # institutions with over 5.63 million researchers, which was 2.5 times higher than in 2012.
    # The total research and development budget in these zones has more than tripled in the
    # last decade, surpassing the CNY1 trillion milestone in 2021."
    decade = "2012-01-01/P10Y"
    assert answer("07-research-capacity-2021") == [
        {"indicator": "research institutions", "period": "2021", "qualifier": "more than", "value": 4400,
         "unit": "NUM", "ratioPeriod": None, "ratioQualifier": None, "ratio": None},
        {"indicator": "researchers", "period": "2021", "qualifier": "more than", "value": 5_630_000,
         "unit": "NUM", "ratioPeriod": decade, "ratioQualifier": None, "ratio": Decimal("2.5")},
        {"indicator": "research and development budget", "period": "2021", "qualifier": "more than",
         "value": 1 * TRILLION, "unit": "CCY_CNY", "ratioPeriod": decade, "ratioQualifier": "more than",
         "ratio": Decimal(3)},
    ]


def test_08_high_tech_companies_over_time(answer):
    # "The number of high-tech companies in national high-tech zones also increased from less
    # than 20,000 in 2012 to 115,000 last year."  (last year: 2021)
    assert answer("08-high-tech-companies-over-time") == [
        {"year": "2012", "qualifier": "less than", "companies": 20_000},
        {"year": "2021", "qualifier": None, "companies": 115_000},
    ]


def test_09_export_shares_over_time(answer):
    # "The total exports from high-tech zones made up about 3.2% of China's total exports in
    # 2012 and increased to 24.4% in 2021."
    assert answer("09-export-shares-over-time") == [
        {"year": "2012", "qualifier": "about", "share": Decimal("3.2"), "unit": "PERCENT", "changeSincePrevious": None},
        {"year": "2021", "qualifier": None, "share": Decimal("24.4"), "unit": "PERCENT",
         "changeSincePrevious": Decimal("24.4") - Decimal("3.2")},
    ]


def test_10_zones_with_revenue_over_100_billion(answer):
    # "The number of national high-tech zones with an annual revenue of more than CNY100
    # billion has grown from 54 in 2012 to 97 last year."  97 - 54 = 43 more, implied.
    level = "zones with an annual revenue of more than CNY100 billion"
    change = "change in the number of " + level
    assert answer("10-zones-with-revenue-over-100-billion") == [
        {"indicator": level, "period": "2012", "value": 54, "thresholdCNY": Decimal(100 * BILLION), "derived": False},
        {"indicator": level, "period": "2021", "value": 97, "thresholdCNY": Decimal(100 * BILLION), "derived": False},
        {"indicator": change, "period": "2012-01-01/P10Y", "value": 97 - 54,
         "thresholdCNY": Decimal(100 * BILLION), "derived": True},
    ]


def test_11_foreign_researchers_and_returnees(answer):
    # "More than 47,000 foreign researchers are currently working in these high-tech zones,
    # along with 211,000 Chinese experts who returned home after studying abroad."
    assert answer("11-foreign-researchers-and-returnees") == [
        {"indicator": "foreign researchers", "period": "2022", "qualifier": "more than", "people": 47_000},
        {"indicator": "Chinese experts returned from study abroad", "period": "2022", "qualifier": None,
         "people": 211_000},
    ]


def test_12_overseas_research_institutions_and_the_fold_reading(answer):
    # "National high-tech zones had established over 2,200 overseas research institutions by
    # the end of 2021, a 4.6-fold increase compared to 2012, ..., the China Daily reports."
    # 2,200 / 4.6 = 478 (4.6 times the 2012 number); 2,200 / 5.6 = 393 (an increase by 4.6 times).
    [row] = answer("12-overseas-research-institutions")
    assert row["period"] == "2021"
    assert row["qualifier"] == "more than"
    assert row["institutions"] == 2200
    assert row["fold"] == Decimal("4.6")
    assert row["implied2012"] == round(Decimal(2200) / Decimal("4.6")) == 478
    assert row["implied2012IfIncreaseBy"] == round(Decimal(2200) / Decimal("5.6")) == 393
    assert row["reportedBy"] == "China Daily"
    assert "4.6 times the number in 2012" in row["chosenReading"]


def test_13_officials_and_their_posts(answer):
    # "Wu Jiaxi, Deputy Director of the Ministry's Department of Research Commercialization and
    # Regional Innovation, said ..."; "according to the Ministry of Science and Technology (MST)";
    # "Since 2012, President Xi Jinping has paid over 20 visits to these zones"
    assert answer("13-officials-and-their-posts") == [
        {"person": "Wu Jiaxi", "role": "Deputy Director",
         "department": "Department of Research Commercialization and Regional Innovation",
         "ministry": "Ministry of Science and Technology"},
        {"person": "Xi Jinping", "role": "President", "department": None, "ministry": None},
    ]


def test_14_achievements_by_field(answer):
    # "high-tech zones have made numerous breakthroughs in quantum technologies, high-speed
    # rail, the Beidou satellite navigation system, the C919 passenger jet, 5G
    # telecommunications and other fields. China's first artificial intelligence chip, first
    # quantum communication satellite, first vaccines for Covid-19 and many other
    # breakthroughs were achieved by scientists and companies working in high-tech zones."
    rows = answer("14-achievements-by-field")
    by_kind: dict[str, set[str]] = {}
    for row in rows:
        by_kind.setdefault(row["kind"], set()).add(row["field"])
    assert len(rows) == 8
    assert by_kind == {
        "breakthrough": {"quantum technology", "high-speed rail", "Beidou satellite navigation system",
                         "C919 passenger jet", "5G telecommunications"},
        "national first": {"artificial intelligence chips", "quantum communication satellites",
                           "Covid-19 vaccines"},
    }


def test_15_changsha_talent_commitment(answer):
    # "For instance, the national high-tech zone in Changsha, Hunan province, will invest
    # CNY1 billion over the next three years to attract talent."  (a 2022 article: 2023-2025, the
    # graph's own reading; the sentence names no speaker, so it is China Daily's, whose report it relays)
    assert answer("15-changsha-talent-commitment") == [
        {"zone": "Changsha national high-tech zone", "city": "Changsha", "province": "Hunan",
         "amount": Decimal(1 * BILLION), "unit": "CCY_CNY", "period": "2023-01-01/P3Y",
         "firstYear": 2023, "lastYear": 2025, "purpose": "to attract talent", "saidBy": "China Daily"},
    ]


def test_16_ministry_policies(answer):
    # "Wu said the Ministry will continue to provide policy support for high-tech zones to
    # achieve stable growth, and encourage investment in key areas such as digital
    # technologies, energy, advanced materials, chemicals and biopharmaceuticals."
    # "The Ministry will continue to support high-level talent working in these zones."
    # "This will require the Ministry to support these companies with tax breaks, new
    # investments and help them commercialize their scientific and technological output."
    rows = answer("16-ministry-policies")
    areas = {r["item"] for r in rows if r["kind"] == "key investment area"}
    measures = {r["item"] for r in rows if r["kind"] == "support measure"}
    assert areas == {"digital technologies", "energy", "advanced materials", "chemicals", "biopharmaceuticals"}
    assert measures == {"policy support", "support for high-level talent", "tax breaks", "new investments",
                        "help to commercialize scientific and technological output"}
    smes = {r["item"] for r in rows if r["policy"] == "support for small and medium-sized tech companies"}
    assert smes == {"tax breaks", "new investments", "help to commercialize scientific and technological output"}
    assert len({r["policy"] for r in rows}) == 4
    assert rows == sorted(rows, key=lambda r: (r["policy"], r["kind"], r["item"]))


def test_17_figures_that_are_only_bounds(answer):
    rows = answer("17-figures-that-are-bounds")
    got = {(r["indicator"], r["period"], r["qualifier"], r["value"], r["derived"]) for r in rows}
    assert got == {
        # "President Xi Jinping has paid over 20 visits to these zones"
        ("visits by President Xi Jinping", "2012-01-01/P11Y", "more than", 20, False),
        # "over 4,400 research institutions with over 5.63 million researchers"
        ("research institutions", "2021", "more than", 4400, False),
        ("researchers", "2021", "more than", 5_630_000, False),
        # "has more than tripled in the last decade, surpassing the CNY1 trillion milestone in 2021"
        ("growth factor of the research and development budget", "2012-01-01/P10Y", "more than", 3, False),
        ("research and development budget", "2021", "more than", 1 * TRILLION, False),
        # "from less than 20,000 in 2012"
        ("high-tech companies", "2012", "less than", 20_000, False),
        # "made up about 3.2% of China's total exports in 2012"
        ("share of China's total exports", "2012", "about", Decimal("3.2"), False),
        # "More than 47,000 foreign researchers"
        ("foreign researchers", "2022", "more than", 47_000, False),
        # "over 2,200 overseas research institutions"; "over 77% of them have implemented policies"
        ("overseas research institutions", "2021", "more than", 2200, False),
        ("share of zones with policies to support internationalization", "2022", "more than", 77, False),
        # rounded derivations: 15.3 / 5.4, 17.5 / 1.081, 27.4 / 1.071
        ("GDP growth factor", "2012-01-01/P10Y", "about", round(Decimal("15.3") / Decimal("5.4"), 2), True),
        ("gross industrial output", "2021-01-01/P7M", "about",
         round(Decimal("17.5") / Decimal("1.081"), 2) * TRILLION, True),
        ("revenue", "2021-01-01/P7M", "about", round(Decimal("27.4") / Decimal("1.071"), 2) * TRILLION, True),
    }
    assert len(rows) == 13


def test_18_derived_figures_and_their_sources(answer):
    rows = answer("18-derived-figures")
    derived = {(r["indicator"], r["period"], r["value"]) for r in rows}
    assert derived == {
        # "173 national high-tech development zones, 84 more than in 2012"
        ("number of zones", "2012", 173 - 84),
        # "23 indigenous innovation demonstration zones, 20 more than in 2012"
        ("number of zones", "2012", 23 - 20),
        # "grew from CNY5.4 trillion in 2012 to CNY15.3 trillion in 2021"
        ("GDP growth factor", "2012-01-01/P10Y", round(Decimal("15.3") / Decimal("5.4"), 2)),
        # "CNY17.5 trillion, an 8.1% growth"; "CNY27.4 trillion of revenue, a 7.1% increase"
        ("gross industrial output", "2021-01-01/P7M", round(Decimal("17.5") / Decimal("1.081"), 2) * TRILLION),
        ("revenue", "2021-01-01/P7M", round(Decimal("27.4") / Decimal("1.071"), 2) * TRILLION),
        # "has grown from 54 in 2012 to 97 last year"
        ("change in the number of zones with an annual revenue of more than CNY100 billion",
         "2012-01-01/P10Y", 97 - 54),
    }
    sources = {(r["value"], r["fromValue"], r["fromWords"]) for r in rows}
    assert (89, 173, "As of 2022, there are 173 national high-tech development zones") in sources
    assert (89, 84, "84 more than in 2012") in sources
    assert (3, 20, "20 more than in 2012") in sources
    assert (Decimal("2.83"), Decimal("15.3") * TRILLION, "CNY15.3 trillion in 2021") in sources
    assert (Decimal("2.83"), Decimal("5.4") * TRILLION, "CNY5.4 trillion in 2012") in sources
    assert len(rows) == 12  # each derived figure comes from exactly two stated ones


def test_19_words_behind_gdp_2021(answer, article):
    # "... grew from CNY5.4 trillion in 2012 to CNY15.3 trillion in 2021."
    words = "CNY15.3 trillion in 2021"
    start = article.index(words)
    assert answer("19-words-behind-gdp-2021") == [
        {"indicator": "gross domestic product", "period": "2021", "value": Decimal("15.3") * TRILLION,
         "exact": words, "start": start, "end": start + len(words), "matchesArticle": True},
    ]
    assert (start, start + len(words)) == (813, 837)


def test_20_who_said_what(answer):
    # A speaker only where the sentence names one. "according to the Ministry of Science and
    # Technology (MST)": the visits (1 figure) and Xi Jinping's post. "officials said": the
    # opening claim. Wu Jiaxi ("Wu Jiaxi ... said", "Wu said", "he said"): the two policies of
    # "Wu said the Ministry will ...", and 4 claims (resilient, growth despite uncertainties,
    # talent hub, small companies). Every other sentence names no speaker and is China Daily's,
    # whose report the article relays: 8 figures of paragraph 1, 4 January-July figures, 84%
    # and 78%, CNY1 billion, 9 figures of paragraph 4, 7 of paragraph 5 (32 - 1 in all); Wu
    # Jiaxi's post and his dated membership (the reporter's introduction), 8 achievements, 3
    # policies, 2 claims and the demonstration zones "supported by" the high-tech zones (16).
    rows = [r for r in answer("20-who-said-what") if r["source"].endswith("/article/hitz-2022")]
    assert [{k: r[k] for k in ("speaker", "figures", "statements", "total")} for r in rows] == [
        {"speaker": "China Daily", "figures": 31, "statements": 16, "total": 47},
        {"speaker": "Wu Jiaxi", "figures": 0, "statements": 6, "total": 6},
        {"speaker": "Ministry of Science and Technology", "figures": 1, "statements": 1, "total": 2},
        {"speaker": "officials (unnamed)", "figures": 0, "statements": 1, "total": 1},
    ]


def test_21_what_wu_jiaxi_said(answer, article):
    rows = answer("21-what-wu-jiaxi-said")
    words = [r["words"] for r in rows]
    # "Wu Jiaxi, ..., said the high-tech zones have proven to be resilient to risks ..."
    assert words[0].startswith("the high-tech zones have proven to be resilient to risks")
    # "... encourage investment in key areas such as digital technologies, energy, ..."
    assert any(w.startswith("encourage investment in key areas") for w in words)
    # "... will invest CNY1 billion over the next three years to attract talent." names no speaker
    assert "will invest CNY1 billion over the next three years to attract talent" not in words
    # "Small and medium-sized tech companies are key contributors ..., he said."
    assert any(w.endswith("he said") for w in words)
    assert all(article[r["start"]:r["start"] + len(r["words"])] == r["words"] for r in rows)
    assert [r["start"] for r in rows] == sorted(r["start"] for r in rows)
    assert {r["kind"] for r in rows} == {"claim", "policy"}
    # nothing from paragraph 1 (the Ministry's) or the last sentence (China Daily's)
    assert article.index("Wu Jiaxi") < rows[0]["start"] and rows[-1]["start"] < article.index("The number of national")


def test_22_ambiguous_readings(answer):
    rows = answer("22-ambiguous-readings")
    readings = {(r["indicator"], r["period"], r["value"]) for r in rows}
    assert readings == {
        # "while only using 2.5% of the nation's construction land" (no year of its own)
        ("share of China's construction land", "2021", Decimal("2.5")),
        # "will invest CNY1 billion over the next three years"
        ("investment to attract talent", "2023-01-01/P3Y", Decimal(1 * BILLION)),
        # "which was 2.5 times higher than in 2012"
        ("growth factor of researchers", "2012-01-01/P10Y", Decimal("2.5")),
        # "has more than tripled in the last decade"
        ("growth factor of the research and development budget", "2012-01-01/P10Y", Decimal(3)),
        # "made up about 3.2% ... in 2012 and increased to 24.4% in 2021"
        ("share of China's total exports", "2021", Decimal("24.4")),
        # "a 4.6-fold increase compared to 2012"
        ("growth factor of overseas research institutions", "2012-01-01/P10Y", Decimal("4.6")),
        # "over 77% of them have implemented policies to support internationalization"
        ("share of zones with policies to support internationalization", "2022", Decimal(77)),
    }
    assert all(r["chosenReading"] and r["alternativeReading"] for r in rows)


def test_23_did_the_number_of_zones_grow(store):
    # "As of 2022, there are 173 national high-tech development zones, 84 more than in 2012."
    assert bool(store.query(question("23-did-the-number-of-zones-grow").sparql)) is True


def test_24_gdp_summary_graph(store, article):
    # "The gross domestic product (GDP) of high-tech development zones grew from CNY5.4
    # trillion in 2012 to CNY15.3 trillion in 2021."
    graph = rdflib.Graph()
    data = store.query(question("24-gdp-summary-graph").sparql).serialize(format=ox.RdfFormat.N_TRIPLES)
    graph.parse(data=data.decode("utf-8"), format="nt")
    OA = rdflib.Namespace("http://www.w3.org/ns/oa#")
    SDMX_MEASURE = rdflib.Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
    PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")
    values = {}
    for obs, value in graph.subject_objects(SDMX_MEASURE.obsValue):
        span = graph.value(obs, PROV.wasDerivedFrom)
        exact = str(graph.value(span, OA.exact))
        start, end = graph.value(span, OA.start).toPython(), graph.value(span, OA.end).toPython()
        assert article[start:end] == exact
        values[exact] = value.toPython()
    assert values == {
        "CNY5.4 trillion in 2012": Decimal("5.4") * TRILLION,
        "CNY15.3 trillion in 2021": Decimal("15.3") * TRILLION,
    }
    # two figures: 5 triples each, a span of 3 and a period label
    assert len(graph) == 2 * (5 + 3 + 1)


def test_25_figures_by_unit(answer):
    # Stated figures, by unit:
    #  counts (17): over 20 visits, 173 zones, 84 more, 23 demonstration zones, 20 more,
    #   54 and 97 zones over CNY100 billion, over 4,400 institutions, over 5.63 million
    #   researchers, 2.5 times, more than tripled, less than 20,000 and 115,000 companies,
    #   more than 47,000 foreign researchers, 211,000 returnees, over 2,200 overseas
    #   institutions, 4.6-fold;
    #  percentages (9): 13.4%, 2.5%, 8.1%, 7.1%, 84%, 78%, about 3.2%, 24.4%, over 77%;
    #  yuan (6): CNY5.4 trillion, CNY15.3 trillion, CNY17.5 trillion, CNY27.4 trillion,
    #   CNY1 billion, CNY1 trillion.
    # Derived: 89 zones, 3 demonstration zones, the GDP factor, 43 more zones (counts);
    #  the January-July 2021 output and revenue (yuan).
    assert answer("25-figures-by-unit") == [
        {"unit": "NUM", "stated": 17, "derived": 4, "figures": 21},
        {"unit": "PERCENT", "stated": 9, "derived": 0, "figures": 9},
        {"unit": "CCY_CNY", "stated": 6, "derived": 2, "figures": 8},
    ]


def test_26_presidential_visits(answer):
    # "Since 2012, President Xi Jinping has paid over 20 visits to these zones, according to
    # the Ministry of Science and Technology (MST)."
    assert answer("26-presidential-visits") == [
        {"visitor": "Xi Jinping", "post": "President of China", "period": "2012-01-01/P11Y",
         "qualifier": "more than", "visits": 20, "accordingTo": "Ministry of Science and Technology"},
    ]


def test_27_claims_about_the_zones(answer):
    rows = answer("27-claims-about-the-zones")
    assert [(r["speaker"], r["words"].split()[-2:]) for r in rows] == [
        # "... support China's socio-economic development, officials said."
        ("officials (unnamed)", ["officials", "said"]),
        # "National high-tech development zones have been used to boost China's innovation-driven
        # development strategy." (no speaker named)
        ("China Daily", ["development", "strategy"]),
        # "Wu Jiaxi, ..., said the high-tech zones have proven to be resilient to risks and can
        # achieve growth despite global uncertainties in recent years."
        ("Wu Jiaxi", ["recent", "years"]),
        ("Wu Jiaxi", ["recent", "years"]),
        # "... a key hub for quality science and technology talent, Wu said."
        ("Wu Jiaxi", ["Wu", "said"]),
        # "Small and medium-sized tech companies are key contributors ..., he said."
        ("Wu Jiaxi", ["he", "said"]),
        # "Many of these high-tech products are entering foreign markets." (no speaker named)
        ("China Daily", ["foreign", "markets"]),
    ]


def test_28_comparisons(answer):
    rows = answer("28-comparisons")
    got = {(r["comparison"], r["value"], r["ofValue"], r["withValue"]) for r in rows}
    assert got == {
        # "173 ..., 84 more than in 2012"; "23 ..., 20 more than in 2012"
        ("absolute change", 84, 173, 173 - 84),
        ("absolute change", 20, 23, 23 - 20),
        # "grown from 54 in 2012 to 97 last year"
        ("absolute change", 97 - 54, 97, 54),
        # "from CNY5.4 trillion in 2012 to CNY15.3 trillion in 2021"
        ("ratio", round(Decimal("15.3") / Decimal("5.4"), 2), Decimal("15.3") * TRILLION, Decimal("5.4") * TRILLION),
        # "over 5.63 million researchers, which was 2.5 times higher than in 2012"
        ("ratio", Decimal("2.5"), 5_630_000, None),
        # "more than tripled in the last decade, surpassing the CNY1 trillion milestone in 2021"
        ("ratio", Decimal(3), 1 * TRILLION, None),
        # "over 2,200 overseas research institutions ..., a 4.6-fold increase compared to 2012"
        ("ratio", Decimal("4.6"), 2200, None),
        # "CNY17.5 trillion, an 8.1% growth"; "CNY27.4 trillion of revenue, a 7.1% increase"
        ("percentage change", Decimal("8.1"), Decimal("17.5") * TRILLION,
         round(Decimal("17.5") / Decimal("1.081"), 2) * TRILLION),
        ("percentage change", Decimal("7.1"), Decimal("27.4") * TRILLION,
         round(Decimal("27.4") / Decimal("1.071"), 2) * TRILLION),
    }


# ---- the command line --------------------------------------------------------

@pytest.fixture(scope="module")
def cli_root(built_dist: Path, tmp_path_factory) -> Path:
    """A project root whose sources are this checkout's and whose dist/ is the test build."""
    root = tmp_path_factory.mktemp("cli-root")
    for name in ("ontology", "shapes", "data", "queries"):
        (root / name).symlink_to(ROOT / name, target_is_directory=True)
    (root / "dist").symlink_to(built_dist, target_is_directory=True)
    return root


def kg(cli_root: Path, *args: str):
    return CliRunner().invoke(cli, ["--root", str(cli_root), *args])


def test_kg_questions_prints_every_question_with_its_answer(cli_root):
    result = kg(cli_root, "questions")
    assert result.exit_code == 0, result.output
    for q in questions(QUERIES):
        assert f"== {q.name}: {q.question}" in result.stdout
    # "As of 2022, there are 173 national high-tech development zones, 84 more than in 2012."
    assert re.search(r"^2012\s+89\s+true$", result.stdout, re.MULTILINE)
    assert re.search(r"^2022\s+173\s+false$", result.stdout, re.MULTILINE)
    assert "Traceback" not in result.output


ZONES = str(QUERIES / "01-zones-2012-2022.rq")


def test_kg_query_table(cli_root):
    result = kg(cli_root, "query", ZONES, "--format", "table")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["year", "zones", "derived"]
    assert lines[2].split() == ["2012", "89", "true"] and lines[3].split() == ["2022", "173", "false"]
    assert lines[-1] == "(2 rows)"


def test_kg_query_json(cli_root):
    result = kg(cli_root, "query", ZONES, "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["year", "zones", "derived"]
    assert [(b["year"]["value"], int(b["zones"]["value"])) for b in data["results"]["bindings"]] == [
        ("2012", 89), ("2022", 173)]


def test_kg_query_csv(cli_root):
    result = kg(cli_root, "query", ZONES, "--format", "csv")
    assert result.exit_code == 0, result.output
    assert list(csv.reader(io.StringIO(result.stdout))) == [
        ["year", "zones", "derived"], ["2012", "89", "true"], ["2022", "173", "false"]]


def test_kg_query_tsv(cli_root):
    result = kg(cli_root, "query", ZONES, "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert [line.split("\t") for line in result.stdout.splitlines()] == [
        ["?year", "?zones", "?derived"], ['"2012"', "89", "true"], ['"2022"', "173", "false"]]


def test_kg_query_xml(cli_root):
    result = kg(cli_root, "query", ZONES, "--format", "xml")
    assert result.exit_code == 0, result.output
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(result.stdout)
    zones = [int(b.find("r:literal", ns).text) for b in root.iterfind(".//r:binding[@name='zones']", ns)]
    assert zones == [89, 173]


def test_kg_query_ask_as_json(cli_root):
    result = kg(cli_root, "query", str(QUERIES / "23-did-the-number-of-zones-grow.rq"), "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["boolean"] is True


def test_kg_query_construct_as_turtle(cli_root):
    result = kg(cli_root, "query", str(QUERIES / "24-gdp-summary-graph.rq"), "--format", "turtle")
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    exact = {str(o) for o in graph.objects(None, rdflib.URIRef("http://www.w3.org/ns/oa#exact"))}
    assert exact == {"CNY5.4 trillion in 2012", "CNY15.3 trillion in 2021"}


@pytest.mark.parametrize("sparql, line", [
    ("SELECT ?x WHERE { ?x ?y }", 1),
    ("SELECT ?x\nWHERE {\n  ?x ?y\n}", 4),
])
def test_kg_query_malformed_is_one_line_with_the_position(cli_root, sparql, line):
    result = kg(cli_root, "query", sparql)
    assert result.exit_code == 2
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("error: ") and "malformed SPARQL" in lines[0]
    assert re.search(rf"\b{line}:\d+\b", lines[0])
    assert "Traceback" not in result.output
