"""The query's dataset (SPARQL 1.1 §13.2, Protocol §2.1.4) on every store kind and through
`kg query` and `kg serve`: FROM / FROM NAMED choose the graphs, the protocol's parameters
override them, none of them means the union of the project's graphs, and FROM fetches nothing."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator

import httpx
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.dataset import Dataset, query_dataset
from kg.query import solutions
from kg.store import LocalStore, RemoteStore, dataset_quads, open_store
from kg.testing import ConnectionCounter, Server, oxigraph_server
from conftest import ROOT, ServerStarter

ONTOLOGY = "https://w3id.org/hitz/id/graph/ontology"
FACTS = "https://w3id.org/hitz/id/graph/facts"
NONE = "http://example.org/none"
COUNT = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ ?s ?p ?o }}"
COUNT_NAMED = "SELECT (COUNT(*) AS ?n) {from} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"


@pytest.fixture(scope="module")
def sizes(built_dist) -> dict[str, int]:
    """Triples per graph of the build, read from hitz.nq itself (not through a query)."""
    return {g: len(q) for g, q in dataset_quads(built_dist).items()}


@pytest.fixture(scope="module")
def stores(built_dist, tmp_path_factory):
    """memory:, oxigraph:PATH and a real Oxigraph server, each loaded by `kg load`."""
    memory = LocalStore("memory:", None)
    memory.replace(built_dist)
    path = tmp_path_factory.mktemp("dataset") / "store"
    with oxigraph_server(tmp_path_factory.mktemp("dataset-server")) as remote:
        for url in (f"oxigraph:{path}", remote.url + "/query"):
            result = CliRunner().invoke(cli, ["load", "--store", url, "--dist", str(built_dist)])
            assert result.exit_code == 0, result.output
        embedded = open_store(f"oxigraph:{path}", root=ROOT, read_only=True)
        yield {"memory": memory, "oxigraph": embedded, "remote": RemoteStore(remote.url + "/query")}
        embedded.close()


def count(store, sparql: str, **dataset) -> int:
    n = solutions(store.query(sparql, **dataset))[0]["n"]
    assert isinstance(n, int), n
    return n


@pytest.mark.parametrize("kind", ["memory", "oxigraph", "remote"])
def test_from_sets_the_default_graph_on_every_store(stores, sizes, kind):
    store = stores[kind]
    everything = sum(sizes.values())
    assert count(store, COUNT.format(**{"from": ""})) == everything
    assert count(store, COUNT.format(**{"from": f"FROM <{ONTOLOGY}>"})) == sizes[ONTOLOGY]
    assert count(store, COUNT.format(**{"from": f"FROM <{ONTOLOGY}> FROM <{FACTS}>"})) == sizes[ONTOLOGY] + sizes[FACTS]
    assert count(store, COUNT.format(**{"from": f"FROM <{NONE}>"})) == 0
    prefixed = "PREFIX g: <https://w3id.org/hitz/id/graph/> " + COUNT.format(**{"from": "FROM g:ontology"})
    assert count(store, prefixed) == sizes[ONTOLOGY]


@pytest.mark.parametrize("kind", ["memory", "oxigraph", "remote"])
def test_from_named_sets_the_named_graphs_and_empties_the_default_graph(stores, sizes, kind):
    store = stores[kind]
    assert count(store, COUNT_NAMED.format(**{"from": f"FROM NAMED <{ONTOLOGY}>"})) == sizes[ONTOLOGY]
    assert count(store, COUNT.format(**{"from": f"FROM NAMED <{ONTOLOGY}>"})) == 0
    assert count(store, COUNT_NAMED.format(**{"from": f"FROM <{ONTOLOGY}>"})) == 0


@pytest.mark.parametrize("kind", ["memory", "oxigraph", "remote"])
def test_protocol_graphs_override_the_querys_own(stores, sizes, kind):
    store = stores[kind]
    sparql = COUNT.format(**{"from": f"FROM <{ONTOLOGY}>"})
    assert count(store, sparql, default_graphs=[FACTS]) == sizes[FACTS]
    assert count(store, sparql, named_graphs=[FACTS]) == 0


def test_the_word_from_elsewhere_is_not_a_dataset():
    assert query_dataset('SELECT * WHERE { ?s ?p "from" }') is None
    assert query_dataset("SELECT ?from WHERE { ?from ?p ?o }") is None
    assert query_dataset(f"ASK FROM <{ONTOLOGY}> FROM NAMED <{FACTS}> {{}}") == Dataset((ONTOLOGY,), (FACTS,))


@pytest.mark.parametrize("kind", ["oxigraph", "remote"])
def test_kg_query_reads_from(stores, sizes, kind):
    result = CliRunner().invoke(cli, ["query", COUNT.format(**{"from": f"FROM <{ONTOLOGY}>"}),
                                      "--store", stores[kind].url, "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["n", str(sizes[ONTOLOGY])]


@pytest.fixture(scope="module")
def served(serve: ServerStarter) -> Iterator[Server]:
    """`kg serve` of the build, with its safety defaults."""
    with serve() as server:
        yield server


def test_kg_serve_honours_from_and_fetches_nothing(served, sizes):
    def ask(sparql: str, **params) -> int:
        query = urllib.parse.urlencode([("query", sparql), *[(k, v) for k, vs in params.items() for v in vs]])
        request = urllib.request.Request(f"{served.url}/sparql?{query}",
                                         headers={"Accept": "application/sparql-results+json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            return int(json.load(response)["results"]["bindings"][0]["n"]["value"])

    listener = ConnectionCounter()
    try:
        assert ask(COUNT.format(**{"from": f"FROM <{ONTOLOGY}>"})) == sizes[ONTOLOGY]
        assert ask(COUNT.format(**{"from": f"FROM <{NONE}>"})) == 0
        here = f"http://127.0.0.1:{listener.port}/data.ttl"
        assert ask(COUNT.format(**{"from": f"FROM <{here}> FROM NAMED <{here}>"})) == 0
        assert ask(COUNT.format(**{"from": f"FROM <{ONTOLOGY}>"}), **{"default-graph-uri": [FACTS]}) == sizes[FACTS]
    finally:
        listener.close()
    assert listener.connections == 0


def test_the_graph_store_protocol_reads_a_named_graph(served, sizes):
    import pyoxigraph as ox

    with httpx.Client(base_url=served.url, timeout=30) as http:
        answer = http.get("/store", params={"graph": ONTOLOGY}, headers={"Accept": "application/n-triples"})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].startswith("application/n-triples")
        assert len(list(ox.parse(answer.content, format=ox.RdfFormat.N_TRIPLES))) == sizes[ONTOLOGY]
        head = http.head("/store", params={"graph": ONTOLOGY})
        assert head.status_code == 200 and head.content == b""
        assert http.get("/store", params={"graph": NONE}).status_code == 404
        assert http.head(f"/store/{'missing'}").status_code == 404
        assert http.get("/store", params={"graph": "not an iri"}).status_code == 400
        assert http.get("/store", params={"graph": [ONTOLOGY, FACTS]}).status_code == 400
        assert http.get("/store", params={"graph": ONTOLOGY}, headers={"Accept": "image/png"}).status_code == 406
        for method in ("PUT", "POST", "DELETE"):
            refused = http.request(method, "/store", params={"graph": ONTOLOGY}, content=b"<a> <b> <c> .",
                                   headers={"Content-Type": "application/n-triples"})
            assert refused.status_code == 405 and refused.headers["allow"] == "GET, HEAD"
        default = http.get("/store?default", headers={"Accept": "application/n-triples"})
        assert len(list(ox.parse(default.content, format=ox.RdfFormat.N_TRIPLES))) == sum(sizes.values())
