"""The SHACL shapes: the real build conforms, broken sources are refused when built, and the shapes are well made.

Each broken case here edits the Turtle (or a derivation rule) of a throwaway copy
of the project, builds it, and expects a result on the named focus node whose
message says what is wrong. Every constraint on its own: tests/test_shape_cases.py.
"""

from __future__ import annotations

import pytest
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH

import shapecases
from kg.build import build, check
from kg.errors import SpanError, ValidationFailed
from kg.validate import load_shapes

OBSERVATIONS = "data/facts/observations.ttl"
SPANS = "data/provenance/spans.ttl"
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


# Each constraint is broken on its own, against the built graph, in tests/test_shape_cases.py. The
# cases here break the sources instead and build them: what the build computes (derived figures,
# the OWL-Time description of periods) must reach the shapes. Each copy keeps only the shape files
# its case concerns, so only those are validated.
# (edits, shape files, focus node, expected part of the message)
BROKEN_SOURCES = [
    # "As of 2022, there are 173 national high-tech development zones", dated 2023: the build
    # describes year 2023 in OWL-Time, and its end is after the article's year
    pytest.param(
        [(OBSERVATIONS, "sdmx-dimension:refPeriod year:2022 ;\n    hitz:indicator indicator:zone-count ;\n    sdmx-measure:obsValue 173 ;",
          "sdmx-dimension:refPeriod year:2023 ;\n    hitz:indicator indicator:zone-count ;\n    sdmx-measure:obsValue 173 ;")],
        ["observations.ttl"], "obs:zones-2022", "ends after the year the article was published", id="stated-figure-after-2022",
    ),
    # "173 ... 84 more than in 2012": 84 changed to 85 while the derived 2012 count stays 89
    pytest.param(
        [(OBSERVATIONS, "sdmx-measure:obsValue 84 ;", "sdmx-measure:obsValue 85 ;"),
         (ZONES_2012_RULE, "BIND (?later - ?change AS ?value)", "BIND (89 AS ?value)")],
        ["consistency.ttl"], "obs:zones-change-2012-2022", "the figures do not add up", id="change-does-not-add-up",
    ),
    # "CNY17.5 trillion, an 8.1% growth": 18.1% while the derived 2021 output stays CNY16.19 trillion
    pytest.param(
        [(OBSERVATIONS, 'sdmx-measure:obsValue "8.1"^^xsd:decimal ;', 'sdmx-measure:obsValue "18.1"^^xsd:decimal ;'),
         (OUTPUT_2021_RULE, "BIND (ROUND(?later / (1 + ?growth / 100) / 10000000000) * 10000000000 AS ?value)",
          'BIND ("16190000000000"^^xsd:decimal AS ?value)')],
        ["consistency.ttl"], "obs:gross-industrial-output-growth-2022-01-07", "the figures do not add up", id="growth-does-not-add-up",
    ),
    # a derivation rule that quotes: its output must not point at the words of the article
    pytest.param(
        [(ZONES_2012_RULE, "prov:wasDerivedFrom obs:zones-2022 , obs:zones-change-2012-2022 ;",
          "prov:wasDerivedFrom obs:zones-2022 , obs:zones-change-2012-2022 , <https://w3id.org/hitz/id/span/zones-2022> ;")],
        ["observations.ttl"], "obs:zones-2012", "computed, not quoted", id="derived-observation-with-a-span",
    ),
]


@pytest.mark.parametrize("edits, shape_files, focus, message", BROKEN_SOURCES)
def test_broken_sources_are_refused(project_copy, edits, shape_files, focus, message):
    for relative, old, new in edits:
        _edit(project_copy, relative, old, new)
    shapecases.only_shapes(project_copy, *shape_files)
    report = check(project_copy).report
    assert not report.conforms
    assert _refused(report, focus, message), "\n".join(report.lines())


def test_a_broken_build_fails_and_names_the_shape(project_copy, tmp_path):
    _edit(project_copy, OBSERVATIONS, 'sdmx-measure:obsValue "13.4"^^xsd:decimal ;', 'sdmx-measure:obsValue "134"^^xsd:decimal ;')
    shapecases.only_shapes(project_copy, "observations.ttl")
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
