"""The lean path of a lookup in `kg serve`: JSON rows written byte for byte as Oxigraph's own
serializer writes them, one-pattern answers serialised by Oxigraph from a scan cut short, and
GET/POST /sparql answered past Starlette's stack with the same log line, CORS and 500 page."""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest
from starlette.testclient import TestClient

from kg.endpoint import INLINE_ROWS, _small_answer, answer_inline, answer_query, bounded_shape, serialize_result
from kg.serve import Config, QueryRoute, create_app
from kg.sparql_text import normalise
from kg.store import LocalStore
from conftest import ROOT

JSON_TYPE = "application/sparql-results+json"
OBS = "https://w3id.org/hitz/id/obs/"
LOOKUP = f"SELECT ?p ?o WHERE {{ <{OBS}gdp-2021> ?p ?o }}"
E = "http://example.org/"


def tricky_store() -> ox.Store:
    """Terms of every kind a JSON answer writes, and strings that need escapes."""
    store = ox.Store()
    s = ox.NamedNode(E + "s")
    objects: list = [ox.Literal(text) for text in ('a"b\\c', "line\nx\tq\r\x01\x1f\x7f", "é中文\u2028\u2029", "</script>", "")]
    objects += [ox.Literal("hi", language="en-GB"), ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
                ox.BlankNode("b1"), ox.Literal("hi", language="ar", direction=ox.BaseDirection.RTL),
                ox.Triple(ox.NamedNode(E + "a"), ox.NamedNode(E + "b"), ox.Literal("c")), ox.NamedNode(E + "o?x=é&y=%22")]
    for i, term in enumerate(objects):
        store.add(ox.Quad(s, ox.NamedNode(f"{E}p{i}"), term))
    return store


@pytest.mark.parametrize("query", [
    f"SELECT ?p ?o {{ <{E}s> ?p ?o }}",
    f"SELECT ?unbound ?p ?o {{ <{E}s> ?p ?o }}",  # a variable no row binds
    f"SELECT ?o ?p {{ <{E}s> ?p ?o OPTIONAL {{ ?o ?q ?r }} }}",
    "SELECT ?x {}",  # one row, nothing bound
    "SELECT * {} LIMIT 0",  # no row
])
def test_json_rows_are_written_as_oxigraph_writes_them(query):
    store = tricky_store()
    ours = serialize_result(store.query(query), JSON_TYPE, max_rows=100).body
    assert ours == store.query(query).serialize(format=ox.QueryResultsFormat.JSON)
    json.loads(ours)  # and it is JSON


@pytest.fixture(scope="module")
def store(built_dist) -> LocalStore:
    store = LocalStore("memory:", None)
    store.replace(built_dist)
    return store


def test_a_short_one_pattern_answer_is_oxigraphs_and_equals_the_workers(store):
    for query in (LOOKUP, LOOKUP + " LIMIT 5", f"SELECT * {{ <{OBS}gdp-2021> ?p ?o }}"):
        text = normalise(query)
        small = _small_answer(store, text, INLINE_ROWS, None, None, None)
        assert small is not None  # the fast path was taken
        assert small == answer_query(store, text, accept=JSON_TYPE)
    assert len(json.loads(_small_answer(store, normalise(LOOKUP + " LIMIT 5"), INLINE_ROWS, None, None, None)
                          .body)["results"]["bindings"]) == 5


def test_an_answer_that_may_be_longer_is_read_row_by_row(store):
    lookup = normalise(LOOKUP)
    rows = len(json.loads(answer_query(store, lookup, accept=JSON_TYPE).body)["results"]["bindings"])
    assert rows > 3
    assert _small_answer(store, lookup, 3, None, None, None) is None  # more rows than the row limit
    cut = answer_inline(store, lookup, accept=JSON_TYPE, max_rows=3)
    assert cut is not None and cut.headers == {"Hitz-Truncated": "max-rows=3"}
    assert cut == answer_query(store, lookup, accept=JSON_TYPE, max_rows=3)
    many = normalise("SELECT ?s ?o WHERE { ?s a ?o }")
    assert _small_answer(store, many, INLINE_ROWS, None, None, None) is None
    assert answer_inline(store, many, accept=JSON_TYPE) is None  # handed on to a worker


def test_a_relative_iri_still_resolves_against_the_endpoint(store):
    relative = normalise("SELECT ?p ?o WHERE { <gdp-2021> ?p ?o }")
    shape = bounded_shape(relative)
    assert shape is not None and shape.relative and not bounded_shape(normalise(LOOKUP)).relative
    answer = answer_inline(store, relative, accept=JSON_TYPE, base_iri=OBS)
    assert answer is not None and answer.body == answer_query(store, normalise(LOOKUP), accept=JSON_TYPE).body


@pytest.fixture(scope="module")
def app(built_dist):
    return create_app(Config(store="memory:", workers=1, cors=True), ROOT, built_dist)


def test_the_lean_route_logs_one_line_and_keeps_cors(app, capsys):
    with TestClient(app) as test:
        capsys.readouterr()
        plain = test.get("/sparql", params={"query": LOOKUP, "marker": "lean-route"}, headers={"Accept": JSON_TYPE})
        assert plain.status_code == 200 and plain.headers["content-type"] == JSON_TYPE
        assert "access-control-allow-origin" not in plain.headers
        assert rows(plain.content) == rows(answer_query_bytes(test))
        lines = [line for line in capsys.readouterr().err.splitlines() if "marker=lean-route" in line]
        assert len(lines) == 1 and '"GET /sparql?' in lines[0] and f" 200 {len(plain.content)} " in lines[0]
        crossed = test.get("/sparql", params={"query": LOOKUP}, headers={"Origin": "https://example.org"})
        assert crossed.headers["access-control-allow-origin"] == "*" and crossed.content == plain.content
        preflight = test.options("/sparql", headers={"Origin": "https://example.org",
                                                     "Access-Control-Request-Method": "POST"})
        assert preflight.status_code == 200 and "POST" in preflight.headers["access-control-allow-methods"]
        refused = test.get("/sparql", params={"query": "SELECT * WHERE { SERVICE <http://127.0.0.1:1/> { ?s ?p ?o } }"})
        assert refused.status_code == 403 and refused.headers["content-type"] == "text/plain; charset=utf-8"
        posted = test.post("/sparql", content=LOOKUP, headers={"Content-Type": "application/sparql-query"})
        assert posted.status_code == 200 and posted.content == plain.content
        head = test.head("/sparql", params={"query": LOOKUP})
        assert head.status_code == 200 and head.content == b""
        assert test.put("/sparql", content=LOOKUP).status_code == 405  # other methods: Starlette, as before


def rows(body: bytes) -> list[str]:
    """The rows of a JSON answer, in an order of their own (a SELECT without ORDER BY has none)."""
    return sorted(json.dumps(row, sort_keys=True) for row in json.loads(body)["results"]["bindings"])


def answer_query_bytes(test: TestClient) -> bytes:
    """The lookup as a query worker answers it (the long way, without the one-pattern path)."""
    return test.get("/sparql", params={"query": LOOKUP + " OFFSET 0"}, headers={"Accept": JSON_TYPE}).content


def test_an_exception_on_the_lean_route_is_the_500_page_with_its_id(capsys):
    async def broken(request):
        raise RuntimeError("secret detail")

    async def failed(request, exc):
        from starlette.responses import PlainTextResponse

        return PlainTextResponse(f"internal error ({type(exc).__name__})\n", status_code=500,
                                 headers={"Hitz-Error-Id": "abc"})

    async def elsewhere(scope, receive, send):
        raise AssertionError("the lean route should have answered")

    test = TestClient(QueryRoute(elsewhere, broken, failed, cors=False))  # no lifespan: the route alone
    response = test.get("/sparql", params={"query": "ASK {}"})
    assert response.status_code == 500 and response.text == "internal error (RuntimeError)\n"
    assert "secret detail" not in response.text
    assert " 500 " in capsys.readouterr().err.split("error-id=abc")[0]  # logged, with its status and id
