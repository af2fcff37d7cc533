"""The W3C SHACL test suite (core and SPARQL): the whole-graph SPARQL engine gives pySHACL's verdict on every test.

The manifests in ../shared/w3c/shacl/ are read as they are; each test's data and
shapes graphs are validated by pySHACL over rdflib (the reference) and by
kg.validate's engine over Oxigraph. The verdict is "conforms", "does not
conform", or "error" (the shapes are refused).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

from kg.errors import KgError
from kg.shacl_sparql import store_of
from kg.validate import validate, validate_store

SUITE = Path(__file__).resolve().parent.parent.parent / "shared" / "w3c" / "shacl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
SHT = Namespace("http://www.w3.org/ns/shacl-test#")


def _graph(url: URIRef) -> Graph:
    path = Path(str(url).removeprefix("file://"))
    return Graph().parse(path, format="turtle", publicID=str(url))


def _tests(manifest: Path) -> list:
    graph = _graph(URIRef(manifest.resolve().as_uri()))
    found = []
    for m in graph.subjects(RDF.type, MF.Manifest):
        for inc in graph.objects(m, MF.include):
            found += _tests(Path(str(inc).removeprefix("file://")))
        for entries in graph.objects(m, MF.entries):
            for entry in Collection(graph, entries):
                action = graph.value(entry, MF.action)
                found.append(pytest.param(graph.value(action, SHT.dataGraph), graph.value(action, SHT.shapesGraph),
                                          id=str(entry).split("/shacl/", 1)[-1]))
    return found


TESTS = _tests(SUITE / "manifest.ttl") if (SUITE / "manifest.ttl").exists() else []


def _verdict(run) -> str:
    try:
        return "conforms" if run().conforms else "does not conform"
    except KgError:
        return "error"


@pytest.mark.skipif(not TESTS, reason=f"the W3C SHACL suite is not at {SUITE}")
@pytest.mark.parametrize("data_url,shapes_url", TESTS)
def test_same_verdict_as_pyshacl(data_url, shapes_url):
    data, shapes = _graph(data_url), _graph(shapes_url)
    reference = _verdict(lambda: validate(data, shapes, engine="pyshacl"))
    ours = _verdict(lambda: validate_store(store_of(data), shapes))
    assert ours == reference


def test_the_suite_is_there():
    assert len(TESTS) > 100 or not SUITE.exists()
