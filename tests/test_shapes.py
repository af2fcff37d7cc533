"""The SHACL shapes: the real build conforms, and each way of breaking the data is refused with a message that names it.

Each broken case edits the Turtle of a throwaway copy of the project (one unique
piece of text replaced), validates the copy, and expects a result on the named
focus node whose message says what is wrong.
"""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH

from kg.build import build, check
from kg.errors import SpanError, ValidationFailed
from kg.validate import load_shapes

OBSERVATIONS = "data/facts/observations.ttl"
INDICATORS = "data/facts/indicators.ttl"
ACHIEVEMENTS = "data/facts/achievements.ttl"
SPANS = "data/provenance/spans.ttl"
SDMX = "ontology/sdmx.ttl"
ACTORS = "data/facts/actors.ttl"
XINHUA_2023 = "data/sources/xinhua-2023-12-12-178-zones/source.ttl"
XINHUA_2022 = "data/sources/xinhua-2022-02-25-169-zones/source.ttl"
ARTICLE = "data/provenance/article.ttl"
ZONES_2012_RULE = "data/derivations/zones-2012.rq"
OUTPUT_2021_RULE = "data/derivations/gross-industrial-output-2021-01-07.rq"


def _edit(project, relative: str, old: str, new: str) -> None:
    path = project.root / relative
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not exactly once in {relative}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def _refused(report, focus: str, message: str, value: str | None = None) -> bool:
    return any(
        v.focus == focus and message in v.message and (value is None or v.value == value) and v.severity == "Violation"
        for v in report.violations
    )


def test_the_real_build_conforms(built):
    assert built.report.conforms, "\n".join(built.report.lines())
    assert built.report.violations == [], "not even a warning"


# (edits, focus node, expected part of the message, value the result names or None)
BROKEN = [
    # ---- many sources: posts over time, converted amounts, each source's language
    pytest.param(
        [(ACTORS, "    org:member person:wu-jiaxi ;\n    org:organization agent:most-research",
          "    org:organization agent:most-research")],
        "membership:wu-jiaxi-most-2022", "exactly one org:member", None, id="membership-without-member",
    ),
    pytest.param(
        [(ACTORS, "    org:organization agent:most-research-commercialization-regional-innovation ;\n    org:role",
          "    org:role")],
        "membership:wu-jiaxi-most-2022", "exactly one org:organization", None, id="membership-without-organization",
    ),
    pytest.param(
        [(ACTORS, "    org:memberDuring year:2022 ;\n", "")],
        "membership:wu-jiaxi-most-2022", "exactly one org:memberDuring", None, id="membership-without-period",
    ),
    pytest.param(
        [(XINHUA_2023, 'hitz:convertedValue "1730000000000"^^xsd:decimal ;', 'hitz:convertedValue "1.73 trillion" ;')],
        "obs:gdp-2023-01-09-xinhua-usd", "exactly one hitz:convertedValue", None, id="conversion-value-not-decimal",
    ),
    pytest.param(
        [(XINHUA_2022, "hitz:convertedUnit unit:CCY_USD ;", "hitz:convertedUnit unit:PERCENT ;")],
        "obs:revenue-2021-xinhua-usd", "exactly one hitz:convertedUnit", None, id="conversion-unit-not-a-currency",
    ),
    pytest.param(
        [(XINHUA_2022, "    hitz:conversion obs:revenue-2021-xinhua-usd ;\n", "")],
        "obs:revenue-2021-xinhua-usd", "belongs to exactly one figure", None, id="conversion-of-no-figure",
    ),
    pytest.param(
        [(ARTICLE, '    schema:inLanguage "en" ;\n', "")],
        "article:hitz-2022", "exactly one schema:inLanguage", None, id="source-without-language",
    ),
    # "These zones contributed 13.4% to China's GDP in 2021", written as 134
    pytest.param(
        [(OBSERVATIONS, 'sdmx-measure:obsValue "13.4"^^xsd:decimal ;', 'sdmx-measure:obsValue "134"^^xsd:decimal ;')],
        "obs:share-of-national-gdp-2021", "must be between 0 and 100", None, id="percentage-of-134",
    ),
    pytest.param(
        [(OBSERVATIONS, 'sdmx-measure:obsValue "5400000000000"^^xsd:decimal ;\n    sdmx-attribute:unitMeasure unit:CCY_CNY ;',
          'sdmx-measure:obsValue "5400000000000"^^xsd:decimal ;')],
        "obs:gdp-2012", "exactly one sdmx-attribute:unitMeasure", None, id="missing-unit",
    ),
    pytest.param(
        [(OBSERVATIONS, 'sdmx-measure:obsValue "5400000000000"^^xsd:decimal ;\n    sdmx-attribute:unitMeasure unit:CCY_CNY ;',
          'sdmx-measure:obsValue "5400000000000"^^xsd:decimal ;')],
        "ds:zone-statistics", "IC-13 Required attributes", "obs:gdp-2012", id="missing-unit-ic-13",
    ),
    # "As of 2022, there are 173 national high-tech development zones"
    pytest.param(
        [(OBSERVATIONS, "sdmx-measure:obsValue 173 ;", 'sdmx-measure:obsValue "173"^^xsd:string ;')],
        "obs:zones-2022", "a number (xsd:decimal or xsd:integer), not a string", None, id="typed-string-for-a-number",
    ),
    pytest.param(
        [(OBSERVATIONS, "sdmx-measure:obsValue 173 ;", 'sdmx-measure:obsValue "173" ;')],
        "obs:zones-2022", "a number (xsd:decimal or xsd:integer), not a string", None, id="plain-string-for-a-number",
    ),
    # "CNY15.3 trillion in 2021", written in trillions
    pytest.param(
        [(OBSERVATIONS, '"15300000000000"^^xsd:decimal', '"15.3"^^xsd:decimal')],
        "obs:gdp-2021", "amount of money looks like it is in trillions, not base units (yuan)", None, id="cny-in-trillions",
    ),
    pytest.param(
        [(OBSERVATIONS, "sdmx-dimension:refPeriod year:2022 ;\n    hitz:indicator indicator:zone-count ;\n    sdmx-measure:obsValue 173 ;",
          "sdmx-dimension:refPeriod year:2023 ;\n    hitz:indicator indicator:zone-count ;\n    sdmx-measure:obsValue 173 ;")],
        "obs:zones-2022", "ends after the year the article was published", None, id="stated-figure-after-2022",
    ),
    # "173 ... 84 more than in 2012": 84 changed to 85 while the derived 2012 count stays 89
    pytest.param(
        [(OBSERVATIONS, "sdmx-measure:obsValue 84 ;", "sdmx-measure:obsValue 85 ;"),
         (ZONES_2012_RULE, "BIND (?later - ?change AS ?value)", "BIND (89 AS ?value)")],
        "obs:zones-change-2012-2022", "the figures do not add up", None, id="change-does-not-add-up",
    ),
    # "CNY17.5 trillion, an 8.1% growth": 18.1% while the derived 2021 output stays CNY16.19 trillion
    pytest.param(
        [(OBSERVATIONS, 'sdmx-measure:obsValue "8.1"^^xsd:decimal ;', 'sdmx-measure:obsValue "18.1"^^xsd:decimal ;'),
         (OUTPUT_2021_RULE, "BIND (ROUND(?later / (1 + ?growth / 100) / 10000000000) * 10000000000 AS ?value)",
          'BIND ("16190000000000"^^xsd:decimal AS ?value)')],
        "obs:gross-industrial-output-growth-2022-01-07", "the figures do not add up", None, id="growth-does-not-add-up",
    ),
    pytest.param(
        [(ZONES_2012_RULE, "prov:wasDerivedFrom obs:zones-2022 , obs:zones-change-2012-2022 ;",
          "prov:wasDerivedFrom obs:zones-2022 , obs:zones-change-2012-2022 , <https://w3id.org/hitz/id/span/zones-2022> ;")],
        "obs:zones-2012", "computed, not quoted", None, id="derived-observation-with-a-span",
    ),
    pytest.param(
        [(OBSERVATIONS, "    prov:wasDerivedFrom span:gdp-2021 ;\n", "")],
        "obs:gdp-2021", "at least one hitz:TextSpan", None, id="stated-observation-without-a-span",
    ),
    pytest.param(
        [(OBSERVATIONS, "obs:gdp-2021 a qb:Observation ;\n    qb:dataSet ds:zone-statistics ;", "obs:gdp-2021 a qb:Observation ;")],
        "obs:gdp-2021", "IC-1 Unique DataSet", None, id="observation-without-a-data-set",
    ),
    # the 2012 GDP dated 2021: two GDP figures for the same area and year
    pytest.param(
        [(OBSERVATIONS, "sdmx-dimension:refPeriod year:2012 ;\n    hitz:indicator indicator:gdp ;",
          "sdmx-dimension:refPeriod year:2021 ;\n    hitz:indicator indicator:gdp ;")],
        "ds:zone-statistics", "IC-12 No duplicate observations", "obs:gdp-2012", id="duplicate-observation",
    ),
    pytest.param(
        [(INDICATORS, "indicator:gdp a hitz:Indicator ;\n    skos:inScheme scheme:indicators ;", "indicator:gdp a hitz:Indicator ;")],
        "ds:zone-statistics", "IC-19 Codes from code list", "obs:gdp-2021", id="code-not-in-the-code-list",
    ),
    pytest.param(
        [(ACHIEVEMENTS, "    hitz:field field:c919 ;\n", "")],
        "achievement:c919", "exactly one hitz:field", None, id="achievement-without-a-field",
    ),
    # Data Cube rules the data keeps today, broken one at a time
    pytest.param(
        [(INDICATORS, "qb:dimension hitz:indicator ; qb:order 3 .", "qb:dimension hitz:indicator ; qb:order 3 ; qb:componentRequired false .")],
        "<https://w3id.org/hitz/id/dsd/zone-statistics>", "IC-6 Only attributes may be optional", None, id="optional-dimension",
    ),
    pytest.param(
        [(SDMX, "sdmx-dimension:refArea a qb:DimensionProperty , rdf:Property ;\n    rdfs:range rdfs:Resource ;",
          "sdmx-dimension:refArea a qb:DimensionProperty , rdf:Property ;")],
        "sdmx-dimension:refArea", "IC-4 Dimensions have range", None, id="dimension-without-a-range",
    ),
    pytest.param(
        [(OBSERVATIONS, "obs:gdp-2021 a qb:Observation ;\n    qb:dataSet ds:zone-statistics ;\n    sdmx-dimension:refArea zone:all-national ;\n",
          "obs:gdp-2021 a qb:Observation ;\n    qb:dataSet ds:zone-statistics ;\n")],
        "ds:zone-statistics", "IC-11 All dimensions required", "obs:gdp-2021", id="observation-without-an-area",
    ),
    pytest.param(
        [(OBSERVATIONS, 'sdmx-attribute:unitMeasure unit:PERCENT ;\n    hitz:comparisonOf obs:gross-industrial-output-2022-01-07 ;',
          'sdmx-attribute:unitMeasure unit:NUM ;\n    hitz:comparisonOf obs:gross-industrial-output-2022-01-07 ;')],
        "obs:gross-industrial-output-growth-2022-01-07", "is in unit:PERCENT", None, id="growth-not-in-percent",
    ),
]


@pytest.mark.parametrize("edits, focus, message, value", BROKEN)
def test_broken_data_is_refused(project_copy, edits, focus, message, value):
    for relative, old, new in edits:
        _edit(project_copy, relative, old, new)
    report = check(project_copy).report
    assert not report.conforms
    assert _refused(report, focus, message, value), "\n".join(report.lines())


# A hierarchical code list over the indicators (IC-20, IC-21): a code is accepted
# when it can be reached from a root, refused when it cannot.
HIERARCHIES = [
    pytest.param("qb:hierarchyRoot indicator:gdp ; qb:parentChildProperty skos:narrower ;",
                 "obs:gdp-2021", "obs:zones-2022", "IC-20 Codes from hierarchy", id="ic-20-root-itself"),
    pytest.param("qb:hierarchyRoot indicator:zone-count ;\n"
                 "    qb:parentChildProperty [ <http://www.w3.org/2002/07/owl#inverseOf> skos:broader ] ;",
                 "obs:zones-change-2012-2022", "obs:gdp-2021", "IC-21 Codes from hierarchy (inverse)", id="ic-21-one-hop"),
]


@pytest.mark.parametrize("hierarchy, reached, unreached, message", HIERARCHIES)
def test_codes_are_walked_from_the_roots_of_a_hierarchy(project_copy, hierarchy, reached, unreached, message):
    _edit(project_copy, INDICATORS, "scheme:indicators a skos:ConceptScheme ;",
          "scheme:indicators a skos:ConceptScheme , qb:HierarchicalCodeList ;\n    " + hierarchy)
    report = check(project_copy).report
    assert _refused(report, "ds:zone-statistics", message, unreached), "\n".join(report.lines())
    assert not _refused(report, "ds:zone-statistics", message, reached), "\n".join(report.lines())


def test_a_broken_build_fails_and_names_the_shape(project_copy, tmp_path):
    _edit(project_copy, OBSERVATIONS, 'sdmx-measure:obsValue "13.4"^^xsd:decimal ;', 'sdmx-measure:obsValue "134"^^xsd:decimal ;')
    with pytest.raises(ValidationFailed) as failure:
        build(project_copy, tmp_path / "dist")
    lines = "\n".join(failure.value.lines)
    assert "shape:Percentage (percentage):" in lines
    assert 'obs:share-of-national-gdp-2021 sdmx-measure:obsValue = "134' in lines
    assert not (tmp_path / "dist").exists()


# "The gross domestic product ... grew from CNY5.4 trillion in 2012 to CNY15.3 trillion in 2021"
SPAN_CASES = [
    pytest.param('oa:exact "CNY15.3 trillion in 2021" ;\n    oa:start 813 ; oa:end 837 ;',
                 'oa:exact "CNY15.3 trillion in 2021" ;\n    oa:start 814 ; oa:end 838 ;',
                 r"span/gdp-2021>: oa:start 814 and oa:end 838 select", id="offsets-that-do-not-match"),
    pytest.param('oa:exact "CNY15.3 trillion in 2021" ;\n    oa:start 813 ; oa:end 837 ;',
                 'oa:exact "CNY15.3 trillion in 2020" ;',
                 r"span/gdp-2021>: the quote 'CNY15.3 trillion in 2020' is not in the article", id="quote-not-in-the-article"),
]


@pytest.mark.parametrize("old, new, message", SPAN_CASES)
def test_a_span_that_does_not_match_the_article_is_refused(project_copy, old, new, message):
    _edit(project_copy, SPANS, old, new)
    with pytest.raises(SpanError, match=message):
        check(project_copy)


# ---- the shapes themselves ---------------------------------------------------


# the shapes of the entities, the figures, their arithmetic and the Data Cube rules
OWN_SHAPES = ("prefixes.ttl", "entities.ttl", "observations.ttl", "consistency.ttl", "datacube.ttl")


@pytest.fixture(scope="module")
def shapes(project) -> Graph:
    return load_shapes([project.shapes_dir / name for name in OWN_SHAPES])


def test_every_shape_and_constraint_has_a_label_and_a_message(shapes: Graph):
    constraints = set(shapes.objects(None, SH.property)) | set(shapes.objects(None, SH.sparql))
    for node in constraints | set(shapes.subjects(RDF.type, SH.PropertyShape)):
        assert shapes.value(node, RDFS.label), f"{node} has no rdfs:label"
        assert shapes.value(node, SH.message), f"{node} has no sh:message"
    for shape in shapes.subjects(RDF.type, SH.NodeShape):
        assert shapes.value(shape, RDFS.label), f"{shape} has no rdfs:label"
        own = [p for p in (SH["class"], SH["not"], SH.nodeKind, SH["or"], SH["in"]) if shapes.value(shape, p) is not None]
        if own:
            assert shapes.value(shape, SH.message), f"{shape} checks {own} itself but has no sh:message"
        if shapes.value(shape, SH.sparql) is not None:
            # pySHACL adds a node shape's own message to every result of its SPARQL constraints
            assert shapes.value(shape, SH.message) is None, f"{shape} has SPARQL constraints and a message of its own"
    for severity in shapes.objects(None, SH.severity):
        assert severity == SH.Violation


def test_every_data_cube_integrity_constraint_is_encoded(shapes: Graph):
    labels = {str(shapes.value(c, RDFS.label)) for c in shapes.objects(None, SH.sparql)}
    for number in range(1, 22):
        found = [label for label in labels if label.startswith(f"IC-{number} ")]
        assert len(found) == 1, f"IC-{number}: {found}"
        constraint = next(c for c in shapes.objects(None, SH.sparql) if str(shapes.value(c, RDFS.label)) == found[0])
        assert str(shapes.value(constraint, SH.message)).startswith(found[0] + ":")
        assert "$this" in str(shapes.value(constraint, SH.select))
