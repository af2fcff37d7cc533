"""The library functions behind `kg spans`, `kg coverage`, `kg export` and `kg link discover --accept`,
called from Python as the CLI calls them (tests/test_spans.py has kg.spans.check_project_spans)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS, XSD

import shapecases
from kg.coverage import project_coverage
from kg.errors import KgError, ValidationFailed
from kg.export import conforming, export
from kg.link import Candidate, Entity, accepted, write_accepted
from kg.namespaces import HITZ, SCHEMA

OBSERVATIONS = "data/facts/observations.ttl"


def test_project_coverage_accounts_for_every_number_of_every_source(project):
    found = project_coverage(project)
    assert found.sources == len(project.sources()) and found.complete
    assert {source for source, _ in found.numbers} == {s.id for s in project.sources()}
    assert found.accounted == len(found.numbers) > 90
    names = {n.text for _, n in found.numbers if n.kind == "name"}
    assert {"C919", "Covid-19"} <= names and found.names == sum(n.kind == "name" for _, n in found.numbers)
    assert re.fullmatch(rf"{found.accounted} of {found.accounted} numbers accounted for \(100\.0 %\) "
                        rf"in {found.sources} sources; {found.names} inside names", found.summary())


def test_export_is_the_build_s_file_and_writes_it_whole(project, built_dist: Path, tmp_path: Path):
    target = tmp_path / "hitz.nt"
    data = export(project, "nt", target)
    assert data == (built_dist / "hitz.nt").read_bytes() == target.read_bytes()


def test_export_of_a_graph_that_does_not_conform_writes_nothing(project_copy, tmp_path: Path):
    path = project_copy.root / OBSERVATIONS
    path.write_text(path.read_text(encoding="utf-8").replace(
        'sdmx-measure:obsValue "13.4"^^xsd:decimal ;', 'sdmx-measure:obsValue "134"^^xsd:decimal ;'), encoding="utf-8")
    shapecases.only_shapes(project_copy, "observations.ttl")
    target = tmp_path / "hitz.ttl"
    target.write_bytes(b"the previous export")
    with pytest.raises(ValidationFailed) as failure:
        export(project_copy, "turtle", target)
    assert re.fullmatch(r"the graph does not conform to the shapes \(\d+ results\); nothing exported", str(failure.value))
    assert any("shape:Percentage (percentage):" in line for line in failure.value.lines)
    assert target.read_bytes() == b"the previous export"
    with pytest.raises(ValidationFailed, match=r"results\); dist/ was not changed$"):
        conforming(project_copy, "dist/ was not changed")  # the build's check, with its own ending


@pytest.mark.parametrize("where, message", [
    ("folder", "not a regular file (a folder, FIFO or device): refused"),
    ("missing/hitz.ttl", "does not exist"),
])
def test_export_refuses_its_output_before_the_work(project_copy, tmp_path: Path, where: str, message: str):
    (tmp_path / "folder").mkdir()
    (project_copy.root / OBSERVATIONS).write_text("not turtle", encoding="utf-8")  # the work would fail later
    with pytest.raises(KgError, match=re.escape(message)):
        export(project_copy, "turtle", tmp_path / where)


def test_export_refuses_an_unknown_format(project):
    with pytest.raises(KgError, match="unknown format 'yaml': choose one of turtle, json-ld, nt, nquads, trig, xml"):
        export(project, "yaml")


def ranking() -> list[tuple[Entity, list[Candidate]]]:
    changsha = Entity(URIRef("https://w3id.org/hitz/id/place/changsha"), [Literal("Changsha", lang="en")], [SCHEMA.City])
    ai = Entity(URIRef("https://w3id.org/hitz/id/field/ai"), [Literal("artificial intelligence", lang="en")], [HITZ.Field])
    nobody = Entity(URIRef("https://w3id.org/hitz/id/place/nowhere"), [Literal("Nowhere", lang="en")], [SCHEMA.City])
    low = Entity(URIRef("https://w3id.org/hitz/id/place/low"), [Literal("Low", lang="en")], [SCHEMA.City])

    def cand(qid: str, label: str, score: float) -> Candidate:
        return Candidate(f"http://www.wikidata.org/entity/{qid}", [(label, "en")], [], [], label_score=score,
                         type_ok=True, score=score)

    return [(changsha, [cand("Q1", "Changsha", 0.95), cand("Q2", "Changsha County", 0.9)]),
            (ai, [cand("Q3", "artificial intelligence", 0.9)]),
            (nobody, []),
            (low, [cand("Q4", "Lowland", 0.89)])]


def test_accepted_takes_the_best_candidate_of_each_entity_at_the_threshold():
    chosen = accepted(ranking(), 0.9)
    assert [(e.name, c.qid) for e, c in chosen] == [("place/changsha", "Q1"), ("field/ai", "Q3")]
    assert accepted(ranking(), 0.96) == []
    assert [c.qid for _, c in accepted(ranking(), 0.0)] == ["Q1", "Q3", "Q4"]


def test_write_accepted_writes_a_link_set_with_each_link_s_score(tmp_path: Path):
    target = tmp_path / "discovered.ttl"
    chosen = write_accepted(ranking(), "http://127.0.0.1:1/sparql", 0.9, target)
    assert len(chosen) == 2
    graph = Graph().parse(target)
    wd = "http://www.wikidata.org/entity/"
    assert (URIRef("https://w3id.org/hitz/id/place/changsha"), OWL.sameAs, URIRef(wd + "Q1")) in graph
    assert (URIRef("https://w3id.org/hitz/id/field/ai"), SKOS.closeMatch, URIRef(wd + "Q3")) in graph  # a concept
    scores = {str(graph.value(r, RDF.object)): graph.value(r, HITZ.score) for r in graph.subjects(RDF.type, HITZ.LinkVerification)}
    assert scores == {wd + "Q1": Literal("0.95", datatype=XSD.decimal), wd + "Q3": Literal("0.9", datatype=XSD.decimal)}
