"""Every figure of the article, as the graph holds it, checked against the article's own words.

The expected values are written here from the text (in base units), with the
words they come from; they are not copied from the graph.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

UNIT = "http://qudt.org/vocab/unit/"
YEAR = "http://reference.data.gov.uk/id/year/"
INTERVAL = "http://reference.data.gov.uk/id/gregorian-interval/"
HITZ = "https://w3id.org/hitz/ontology#"
TRILLION = 10**12

# (observation, value, unit, period, qualifier, words of the article that hold the figure)
STATED = [
    ("presidential-visits-2012-2022", 20, "NUM", INTERVAL + "2012-01-01T00:00:00/P11Y", "MoreThan", "has paid over 20 visits"),
    ("zones-2022", 173, "NUM", YEAR + "2022", None, "As of 2022, there are 173 national high-tech development zones"),
    ("zones-change-2012-2022", 84, "NUM", INTERVAL + "2012-01-01T00:00:00/P11Y", None, "84 more than in 2012"),
    ("demonstration-zones-2022", 23, "NUM", YEAR + "2022", None, "established 23 indigenous innovation demonstration zones"),
    ("demonstration-zones-change-2012-2022", 20, "NUM", INTERVAL + "2012-01-01T00:00:00/P11Y", None, "20 more than in 2012"),
    ("gdp-2012", Decimal("5.4") * TRILLION, "CCY_CNY", YEAR + "2012", None, "CNY5.4 trillion in 2012"),
    ("gdp-2021", Decimal("15.3") * TRILLION, "CCY_CNY", YEAR + "2021", None, "CNY15.3 trillion in 2021"),
    ("share-of-national-gdp-2021", Decimal("13.4"), "PERCENT", YEAR + "2021", None, "contributed 13.4% to China’s GDP in 2021"),
    ("share-of-national-construction-land-2021", Decimal("2.5"), "PERCENT", YEAR + "2021", None, "only using 2.5% of the nation’s construction land"),
    ("gross-industrial-output-2022-01-07", Decimal("17.5") * TRILLION, "CCY_CNY", INTERVAL + "2022-01-01T00:00:00/P7M", None, "gross industrial output worth CNY17.5 trillion"),
    ("gross-industrial-output-growth-2022-01-07", Decimal("8.1"), "PERCENT", INTERVAL + "2022-01-01T00:00:00/P7M", None, "an 8.1% growth compared to the same period last year"),
    ("revenue-2022-01-07", Decimal("27.4") * TRILLION, "CCY_CNY", INTERVAL + "2022-01-01T00:00:00/P7M", None, "CNY27.4 trillion of revenue"),
    ("revenue-growth-2022-01-07", Decimal("7.1"), "PERCENT", INTERVAL + "2022-01-01T00:00:00/P7M", None, "a 7.1% increase over the same period last year"),
    ("share-of-state-key-laboratories-2022", Decimal("84"), "PERCENT", YEAR + "2022", None, "84% of China’s State Key Laboratories"),
    ("share-of-national-technological-innovation-centers-2022", Decimal("78"), "PERCENT", YEAR + "2022", None, "78% of the national technological innovation centers"),
    ("changsha-talent-investment-2023-2025", Decimal(10**9), "CCY_CNY", INTERVAL + "2023-01-01T00:00:00/P3Y", None, "invest CNY1 billion over the next three years"),
    ("zones-with-revenue-over-100-billion-2012", 54, "NUM", YEAR + "2012", None, "has grown from 54 in 2012"),
    ("zones-with-revenue-over-100-billion-2021", 97, "NUM", YEAR + "2021", None, "to 97 last year"),
    ("research-institutions-2021", 4400, "NUM", YEAR + "2021", "MoreThan", "over 4,400 research institutions"),
    ("researchers-2021", 5630000, "NUM", YEAR + "2021", "MoreThan", "over 5.63 million researchers"),
    ("researchers-ratio-2012-2021", Decimal("2.5"), "NUM", INTERVAL + "2012-01-01T00:00:00/P10Y", None, "2.5 times higher than in 2012"),
    ("rd-budget-ratio-2012-2021", Decimal(3), "NUM", INTERVAL + "2012-01-01T00:00:00/P10Y", "MoreThan", "has more than tripled in the last decade"),
    ("rd-budget-2021", Decimal(TRILLION), "CCY_CNY", YEAR + "2021", "MoreThan", "surpassing the CNY1 trillion milestone in 2021"),
    ("high-tech-companies-2012", 20000, "NUM", YEAR + "2012", "LessThan", "from less than 20,000 in 2012"),
    ("high-tech-companies-2021", 115000, "NUM", YEAR + "2021", None, "to 115,000 last year"),
    ("share-of-national-exports-2012", Decimal("3.2"), "PERCENT", YEAR + "2012", "About", "about 3.2% of China’s total exports in 2012"),
    ("share-of-national-exports-2021", Decimal("24.4"), "PERCENT", YEAR + "2021", None, "increased to 24.4% in 2021"),
    ("foreign-researchers-2022", 47000, "NUM", YEAR + "2022", "MoreThan", "More than 47,000 foreign researchers are currently working"),
    ("returned-chinese-experts-2022", 211000, "NUM", YEAR + "2022", None, "211,000 Chinese experts who returned home"),
    ("overseas-research-institutions-2021", 2200, "NUM", YEAR + "2021", "MoreThan", "over 2,200 overseas research institutions by the end of 2021"),
    ("overseas-research-institutions-ratio-2012-2021", Decimal("4.6"), "NUM", INTERVAL + "2012-01-01T00:00:00/P10Y", None, "a 4.6-fold increase compared to 2012"),
    ("share-of-zones-with-internationalization-policies-2022", Decimal("77"), "PERCENT", YEAR + "2022", "MoreThan", "over 77% of them have implemented policies"),
]

# (observation, value, qualifier, the observations it was computed from)
DERIVED = [
    # "173 national high-tech development zones, 84 more than in 2012": 173 - 84
    ("zones-2012", 89, None, {"zones-2022", "zones-change-2012-2022"}),
    # "23 indigenous innovation demonstration zones, 20 more than in 2012": 23 - 20
    ("demonstration-zones-2012", 3, None, {"demonstration-zones-2022", "demonstration-zones-change-2012-2022"}),
    # "grew from CNY5.4 trillion in 2012 to CNY15.3 trillion in 2021": 15.3 / 5.4 = 2.83
    ("gdp-ratio-2012-2021", Decimal("2.83"), "About", {"gdp-2012", "gdp-2021"}),
    # "CNY17.5 trillion, an 8.1% growth compared to the same period last year": 17.5 / 1.081 = 16.19
    ("gross-industrial-output-2021-01-07", Decimal("16.19") * TRILLION, "About",
     {"gross-industrial-output-2022-01-07", "gross-industrial-output-growth-2022-01-07"}),
    # "CNY27.4 trillion of revenue, a 7.1% increase over the same period last year": 27.4 / 1.071 = 25.58
    ("revenue-2021-01-07", Decimal("25.58") * TRILLION, "About", {"revenue-2022-01-07", "revenue-growth-2022-01-07"}),
    # "grown from 54 in 2012 to 97 last year": 97 - 54
    ("zones-with-revenue-over-100-billion-change-2012-2021", 43, None,
     {"zones-with-revenue-over-100-billion-2012", "zones-with-revenue-over-100-billion-2021"}),
]

OBSERVATION = """
PREFIX hitz: <https://w3id.org/hitz/ontology#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?value ?unit ?period ?qualifier ?exact ?start ?end ?source WHERE {
  BIND (<https://w3id.org/hitz/id/obs/%s> AS ?obs)
  ?obs sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure ?unit ; sdmx-dimension:refPeriod ?period .
  OPTIONAL { ?obs hitz:valueQualifier ?qualifier }
  OPTIONAL { ?obs prov:wasDerivedFrom ?span . ?span oa:exact ?exact ; oa:start ?start ; oa:end ?end }
  OPTIONAL { ?obs prov:wasDerivedFrom ?source . ?source sdmx-measure:obsValue [] }
}
"""


def observation(select, slug: str) -> list[dict]:
    rows = select(OBSERVATION % slug)
    assert rows, f"obs/{slug} is not in the graph"
    return rows


@pytest.mark.parametrize("slug, value, unit, period, qualifier, words", STATED, ids=[s[0] for s in STATED])
def test_stated_figure(select, article, slug, value, unit, period, qualifier, words):
    row = observation(select, slug)[0]
    assert row["value"] == value and type(row["value"]) is type(value)
    assert row["unit"] == UNIT + unit
    assert row["period"] == period
    assert row["qualifier"] == (HITZ + qualifier if qualifier else None)
    # the span is the article's exact words, at the offsets it claims, and holds the figure's words
    assert article[row["start"]:row["end"]] == row["exact"]
    assert words in article
    assert words in row["exact"] or row["exact"] in words


def test_every_stated_figure_is_listed(select):
    """The table above is the whole list of the article's figures (the other sources' are in test_sources.py)."""
    rows = select("""
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX hitz: <https://w3id.org/hitz/ontology#>
        SELECT ?obs WHERE { ?obs a qb:Observation ; qb:dataSet <https://w3id.org/hitz/id/dataset/zone-statistics>
                            FILTER NOT EXISTS { ?obs a hitz:DerivedObservation } }""")
    assert sorted(r["obs"].rsplit("/", 1)[1] for r in rows) == sorted(s[0] for s in STATED)


@pytest.mark.parametrize("slug, value, qualifier, sources", DERIVED, ids=[d[0] for d in DERIVED])
def test_derived_figure(select, slug, value, qualifier, sources):
    rows = observation(select, slug)
    assert rows[0]["value"] == value
    assert rows[0]["qualifier"] == (HITZ + qualifier if qualifier else None)
    assert all(r["exact"] is None for r in rows), "a derived figure has no quote of its own"
    assert {r["source"].rsplit("/", 1)[1] for r in rows} == sources


def test_every_derived_figure_is_listed(select):
    rows = select("""PREFIX hitz: <https://w3id.org/hitz/ontology#>
        SELECT ?obs WHERE { ?obs a hitz:DerivedObservation }""")
    assert sorted(r["obs"].rsplit("/", 1)[1] for r in rows) == sorted(d[0] for d in DERIVED)


def test_ambiguous_sentences_record_both_readings(select):
    # "2.5 times higher than in 2012", "a 4.6-fold increase", "over 77% of them", "the next three years"
    rows = select("""PREFIX hitz: <https://w3id.org/hitz/ontology#>
        SELECT ?obs ?chosen ?alternative WHERE { ?obs hitz:chosenReading ?chosen ; hitz:alternativeReading ?alternative }""")
    readings = {r["obs"].rsplit("/", 1)[1]: (r["chosen"], r["alternative"]) for r in rows}
    assert "4.6 times the number in 2012" in readings["overseas-research-institutions-ratio-2012-2021"][0]
    assert "5.6 times" in readings["overseas-research-institutions-ratio-2012-2021"][1]
    assert "researchers" in readings["researchers-ratio-2012-2021"][0]
    assert "research institutions" in readings["researchers-ratio-2012-2021"][1]
    assert "national high-tech zones" in readings["share-of-zones-with-internationalization-policies-2022"][0]
    assert "overseas research institutions" in readings["share-of-zones-with-internationalization-policies-2022"][1]
    assert "2023 to 2025" in readings["changsha-talent-investment-2023-2025"][0]


def test_wu_jiaxi_holds_a_post_in_the_ministrys_department(select):
    # "Wu Jiaxi, Deputy Director of the Ministry’s Department of Research Commercialization and Regional Innovation"
    rows = select("""
        PREFIX org: <http://www.w3.org/ns/org#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT ?role ?department ?ministry WHERE {
          <https://w3id.org/hitz/id/person/wu-jiaxi> org:holds ?post .
          ?post org:heldBy <https://w3id.org/hitz/id/person/wu-jiaxi> ; org:role/skos:prefLabel ?role ;
                org:postIn ?d . ?d skos:prefLabel ?department ; org:unitOf/skos:prefLabel ?ministry .
          FILTER (lang(?ministry) = "en" && lang(?role) = "en")
        }""")
    assert rows == [{"role": "Deputy Director",
                     "department": "Department of Research Commercialization and Regional Innovation",
                     "ministry": "Ministry of Science and Technology"}]


def test_changsha_zone_is_in_changsha_in_hunan(select):
    # "the national high-tech zone in Changsha, Hunan province"
    rows = select("""
        PREFIX schema: <http://schema.org/>
        PREFIX hitz: <https://w3id.org/hitz/ontology#>
        SELECT ?city ?province WHERE {
          <https://w3id.org/hitz/id/zone/changsha> a hitz:NationalHighTechZone ; schema:containedInPlace ?city .
          ?city schema:containedInPlace ?province }""")
    assert rows == [{"city": "https://w3id.org/hitz/id/place/changsha",
                     "province": "https://w3id.org/hitz/id/place/hunan"}]


def test_eight_achievements_each_with_a_field(select):
    # "breakthroughs in quantum technologies, high-speed rail, the Beidou satellite navigation system,
    #  the C919 passenger jet, 5G telecommunications" and "China’s first artificial intelligence chip,
    #  first quantum communication satellite, first vaccines for Covid-19"
    rows = select("""
        PREFIX hitz: <https://w3id.org/hitz/ontology#>
        SELECT ?kind (COUNT(DISTINCT ?a) AS ?n) WHERE { ?a a ?kind ; hitz:field ?field .
          VALUES ?kind { hitz:Breakthrough hitz:NationalFirst } } GROUP BY ?kind ORDER BY ?kind""")
    assert [(r["kind"].rsplit("#")[1], r["n"]) for r in rows] == [("Breakthrough", 5), ("NationalFirst", 3)]


def test_every_span_matches_the_article(select, article):
    rows = select("""PREFIX oa: <http://www.w3.org/ns/oa#>
        SELECT ?exact ?start ?end WHERE { ?s oa:exact ?exact ; oa:start ?start ; oa:end ?end ;
            <http://purl.org/dc/terms/isPartOf> <https://w3id.org/hitz/id/article/hitz-2022> }""")
    assert len(rows) > 50
    for row in rows:
        assert article[row["start"]:row["end"]] == row["exact"]


def test_the_shipped_article_is_the_source_article(article):
    source = Path(__file__).resolve().parents[2] / "shared" / "source" / "article.txt"
    if not source.exists():
        pytest.skip("shared/source/article.txt is not beside this checkout")
    assert article == source.read_text(encoding="utf-8")
    assert len(article) == 4032
