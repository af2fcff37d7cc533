"""The build: what it writes, that every format reads back as the same graph, and that a failed build writes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, VOID

from kg.build import build, check
from kg.errors import ParseError, SpanError, ValidationFailed
from kg.export import FORMATS
from kg.namespaces import ID
from kg.rdfio import union_of
from shapecases import only_shapes
from conftest import literal

EXPECTED_FILES = {"hitz.ttl", "hitz.jsonld", "hitz.nt", "hitz.nq", "hitz.trig", "hitz.rdf", "void.ttl"}
GRAPHS = {"ontology", "facts", "derived", "provenance"}


def test_build_writes_every_distribution(built_dist: Path):
    assert {p.name for p in built_dist.iterdir()} == EXPECTED_FILES


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_reads_back_as_the_built_graph(built, built_dist: Path, fmt):
    spec = FORMATS[fmt]
    path = built_dist / spec.filename
    if spec.quads:
        back = Dataset()
        back.parse(path, format=spec.rdflib)
        for name in GRAPHS:
            original = built.dataset.graph(ID[f"graph/{name}"])
            assert isomorphic(back.graph(ID[f"graph/{name}"]), original), f"named graph {name} differs"
        assert isomorphic(union_of(back), built.union())
    else:
        graph = Graph().parse(path, format=spec.rdflib)
        assert isomorphic(graph, built.union())


def test_json_ld_is_compacted_with_the_projects_context(built_dist: Path, project):
    doc = json.loads((built_dist / "hitz.jsonld").read_text(encoding="utf-8"))
    context = json.loads(project.context_path.read_text(encoding="utf-8"))["@context"]
    assert doc["@context"] == context
    text = (built_dist / "hitz.jsonld").read_text(encoding="utf-8")
    assert '"exact": "CNY15.3 trillion in 2021"' in text


def test_trig_keeps_the_named_graphs(built_dist: Path):
    back = Dataset()
    back.parse(built_dist / "hitz.trig", format="trig")
    names = {str(g.identifier).rsplit("/graph/", 1)[-1] for g in back.graphs() if len(g)}
    assert GRAPHS <= names


def test_void_counts_the_triples_and_lists_the_distributions(built, built_dist: Path):
    void = Graph().parse(built_dist / "void.ttl")
    dataset = ID["dataset/hitz"]
    assert (dataset, RDF.type, VOID.Dataset) in void
    assert int(literal(void.value(dataset, VOID.triples))) == len(built.union())
    media = {str(void.value(d, DCAT.mediaType)).rsplit("media-types/", 1)[1] for d in void.objects(dataset, DCAT.distribution)}
    assert media == {f.media_type for f in FORMATS.values()}
    sizes = {str(void.value(d, DCAT.downloadURL)).rsplit("/", 1)[1]: int(literal(void.value(d, DCAT.byteSize)))
             for d in void.objects(dataset, DCAT.distribution)}
    assert sizes == {name: (built_dist / name).stat().st_size for name in sizes}


def test_two_builds_write_the_same_line_based_files(project, built_dist: Path, tmp_path: Path):
    again = tmp_path / "dist"
    build(project, again)
    for name in ("hitz.nt", "hitz.nq"):
        assert (again / name).read_bytes() == (built_dist / name).read_bytes()


def _break(project_copy, relative: str, old: str, new: str) -> None:
    path = project_copy.root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_failed_build_leaves_dist_as_it_was(project_copy, tmp_path: Path):
    only_shapes(project_copy, "observations.ttl")  # the shapes of a figure's value are enough to fail it
    dist = tmp_path / "dist"
    build(project_copy, dist)
    before = {p.name: p.read_bytes() for p in dist.iterdir()}
    _break(project_copy, "data/facts/observations.ttl", "sdmx-measure:obsValue 173 ;", 'sdmx-measure:obsValue "173" ;')
    with pytest.raises(ValidationFailed):
        build(project_copy, dist)
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == before
    assert not [p.name for p in tmp_path.iterdir() if p.name.startswith(".dist")], "no staging folder is left behind"


def test_a_parse_error_names_the_file_and_line(project_copy):
    _break(project_copy, "data/facts/actors.ttl", 'rdfs:label "Hunan province"@en ;', 'rdfs:label "Hunan province@en ;')
    with pytest.raises(ParseError, match=r"actors\.ttl:\d+: "):
        check(project_copy)


GDP_2021 = 'oa:exact "CNY15.3 trillion in 2021" ;\n    oa:start 813 ; oa:end 837 ;'


def test_a_quote_that_is_not_in_the_article_is_refused(project_copy):
    _break(project_copy, "data/provenance/spans.ttl", GDP_2021, 'oa:exact "CNY15.8 trillion in 2021" ;')
    with pytest.raises(SpanError, match=r"span/gdp-2021.*not in the article"):
        check(project_copy)


def test_offsets_that_select_other_words_are_refused(project_copy):
    # "CNY15.3 trillion in 2021" starts at code point 813, not 812
    _break(project_copy, "data/provenance/spans.ttl", "oa:start 813 ; oa:end 837 ;", "oa:start 812 ; oa:end 836 ;")
    with pytest.raises(SpanError, match=r"span/gdp-2021.*select '.CNY15.3 trillion in 202', not the quote"):
        check(project_copy)


def test_a_quote_without_offsets_is_found_by_the_build(project_copy):
    _break(project_copy, "data/provenance/spans.ttl", GDP_2021, 'oa:exact "CNY15.3 trillion in 2021" ;')
    only_shapes(project_copy, "entities.ttl")  # the shape of a text span: its offsets are there and in order
    result = check(project_copy)
    assert result.report.conforms
    from kg.namespaces import OA

    span = ID["span/gdp-2021"]
    assert (int(result.union().value(span, OA.start)), int(result.union().value(span, OA.end))) == (813, 837)


def test_kg_spans_write_adds_the_missing_offsets(project_copy):
    from click.testing import CliRunner

    from kg.cli import cli

    spans = project_copy.root / "data/provenance/spans.ttl"
    original = spans.read_text(encoding="utf-8")
    _break(project_copy, "data/provenance/spans.ttl", GDP_2021, 'oa:exact "CNY15.3 trillion in 2021" ;')
    result = CliRunner().invoke(cli, ["--root", str(project_copy.root), "spans", "--write"])
    assert result.exit_code == 0, result.output
    assert spans.read_text(encoding="utf-8") == original


def test_a_quote_that_occurs_twice_is_refused(project_copy):
    _break(project_copy, "data/provenance/spans.ttl", 'oa:exact "84 more than in 2012" ;\n    oa:start 538 ; oa:end 558 ;',
           'oa:exact "more than in 2012" ;')
    with pytest.raises(SpanError, match="occurs 2 times"):
        check(project_copy)


@pytest.mark.parametrize("text, message", [
    ("data/article.txt", "the source article is missing"),
    ("data/sources/xinhua-2022-02-25-169-zones/text.txt",
     "the text of source xinhua-2022-02-25-169-zones is missing"),
])
def test_a_missing_source_text_is_one_line_naming_it(project_copy, text: str, message: str):
    (project_copy.root / text).unlink()
    with pytest.raises(ParseError) as error:
        check(project_copy)
    assert str(error.value) == f"{project_copy.root / text}: {message}"
