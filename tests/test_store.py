"""The store layer: memory:, oxigraph:PATH and a real Oxigraph server, loaded by `kg load`,
give the same answer to every question of the catalog."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.cli import cli
from kg.errors import StoreError
from kg.query import load_question
from kg.store import (
    HITZ_GRAPHS, LocalStore, RemoteStore, Triples, dataset_quads, derive_endpoints, embedded_store_for,
    open_store, store_for_queries,
)
from kg.testing import free_port, oxigraph_server
from conftest import OFFLINE_QUERIES, ROOT

CATALOG = OFFLINE_QUERIES  # these tests are offline
GDP_2021 = "SELECT ?v WHERE { <https://w3id.org/hitz/id/obs/gdp-2021> <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?v }"
ZONES_2022 = "SELECT ?v WHERE { <https://w3id.org/hitz/id/obs/zones-2022> <http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?v }"


def expected_counts(dist: Path) -> dict[str, int]:
    return {g: len(q) for g, q in dataset_quads(dist).items()}


@pytest.fixture(scope="module")
def remote(tmp_path_factory):
    """A real Oxigraph server on a free loopback port, with its own temporary folder."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-server")) as server:
        yield server


@pytest.fixture(scope="module")
def stores(built_dist, remote, tmp_path_factory):
    """The three backends, each loaded with the same build by `kg load`."""
    memory = LocalStore("memory:", None)
    memory.replace(built_dist)
    path = tmp_path_factory.mktemp("embedded") / "store"
    runner = CliRunner()
    for url in (f"oxigraph:{path}", remote.url + "/query"):
        result = runner.invoke(cli, ["load", "--store", url, "--dist", str(built_dist)])
        assert result.exit_code == 0, result.output
    embedded = open_store(f"oxigraph:{path}", root=ROOT, read_only=True)
    yield {"memory": memory, "oxigraph": embedded, "remote": RemoteStore(remote.url + "/query")}
    embedded.close()


def canonical(result):
    """A result in a form that compares across stores (blank node labels aside)."""
    if isinstance(result, ox.QueryBoolean):
        return bool(result)
    if isinstance(result, ox.QuerySolutions):
        variables = [v.value for v in result.variables]
        rows = []
        for solution in result:
            rows.append(tuple("_:b" if isinstance(solution[v], ox.BlankNode) else str(solution[v]) for v in variables))
        return variables, sorted(rows, key=repr)
    triples = list(result)
    graph = Graph()
    graph.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return graph


@pytest.mark.parametrize("path", CATALOG, ids=[p.stem for p in CATALOG])
def test_every_question_has_the_same_answer_on_every_store(stores, path):
    question = load_question(path)
    answers = {name: canonical(store.query(question.sparql, source=str(path))) for name, store in stores.items()}
    first = answers["memory"]
    for name, answer in answers.items():
        if isinstance(first, Graph):
            assert isomorphic(first, answer), f"{path.name}: {name} differs from memory:"
        else:
            assert answer == first, f"{path.name}: {name} differs from memory:"


def test_the_catalog_is_not_empty():
    assert CATALOG, "queries/ holds no .rq file"


@pytest.mark.parametrize("name", ["memory", "oxigraph", "remote"])
def test_every_store_answers_the_articles_figures(stores, name):
    store = stores[name]
    # "As of 2022, there are 173 national high-tech development zones"
    assert [int(s["v"].value) for s in store.query(ZONES_2022)] == [173]
    # "... reached CNY15.3 trillion in 2021"
    assert [s["v"].value for s in store.query(GDP_2021)] == ["15300000000000"]


@pytest.mark.parametrize("name", ["memory", "oxigraph", "remote"])
def test_named_graphs_are_kept(stores, built_dist, name):
    counts = {g: n for g, n in stores[name].counts().items() if g.startswith(HITZ_GRAPHS)}
    assert counts == expected_counts(built_dist)
    assert {"https://w3id.org/hitz/id/graph/facts", "https://w3id.org/hitz/id/graph/ontology"} <= set(counts)


def test_kg_load_prints_triples_per_named_graph(built_dist, tmp_path):
    result = CliRunner().invoke(cli, ["load", "--store", f"oxigraph:{tmp_path / 's'}", "--dist", str(built_dist)])
    assert result.exit_code == 0, result.output
    counts = expected_counts(built_dist)
    assert f"loaded {sum(counts.values())} triples into oxigraph:{tmp_path / 's'}" in result.output
    for graph, n in counts.items():
        assert f"  {graph}  {n} triples" in result.output


def test_loading_again_replaces_the_graph_and_drops_graphs_no_longer_built(built_dist, remote):
    store = RemoteStore(remote.url + "/query")
    store.update(f"INSERT DATA {{ GRAPH <{HITZ_GRAPHS}links/gone> {{ <urn:a> <urn:b> <urn:c> }} }}")
    assert f"{HITZ_GRAPHS}links/gone" in store.counts()
    counts = store.replace(built_dist)
    assert f"{HITZ_GRAPHS}links/gone" not in counts
    assert {g: n for g, n in counts.items() if g.startswith(HITZ_GRAPHS)} == expected_counts(built_dist)
    assert not [g for g in counts if g.startswith("urn:hitz-kg:staging:")]


def test_a_remote_construct_reads_back_as_triples(stores):
    result = stores["remote"].query("CONSTRUCT WHERE { <https://w3id.org/hitz/id/obs/gdp-2021> ?p ?o }")
    assert isinstance(result, Triples) and len(result) > 5
    assert b"15300000000000" in result.serialize(ox.RdfFormat.TURTLE)


@pytest.mark.parametrize("query_url, update, graph_store", [
    ("http://localhost:7878/query", "http://localhost:7878/update", "http://localhost:7878/store"),
    ("http://localhost:3030/hitz/sparql", "http://localhost:3030/hitz/update", "http://localhost:3030/hitz/data"),
    ("http://localhost:3030/hitz/query", "http://localhost:3030/hitz/update", "http://localhost:3030/hitz/data"),
    ("http://localhost:8890/sparql", "http://localhost:8890/sparql", "http://localhost:8890/sparql-graph-crud"),
    ("http://localhost:7200/repositories/hitz", "http://localhost:7200/repositories/hitz/statements",
     "http://localhost:7200/repositories/hitz/rdf-graphs/service"),
    ("http://example.org/whatever/endpoint/x", None, None),
])
def test_update_and_graph_store_endpoints_are_derived_for_known_layouts(query_url, update, graph_store):
    endpoints = derive_endpoints(query_url)
    assert (endpoints.update, endpoints.graph_store) == (update, graph_store)
    assert derive_endpoints(query_url, "http://u/", "http://g/").update == "http://u/"


def run_kg(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_kg_query_on_a_store_and_on_an_endpoint(stores, remote, built_dist):
    for option in ("--store", "--endpoint"):
        result = run_kg("query", ZONES_2022, option, remote.url + "/query", "--format", "csv")
        assert result.exit_code == 0, result.output
        # as is, an endpoint's default graph is its own (Oxigraph: empty); a store's is the union of our graphs
        assert result.output.split() == (["v", "173"] if option == "--store" else ["v"])


@pytest.mark.parametrize("args, message", [
    (["--endpoint", "http://127.0.0.1:{closed}/sparql"], "connection refused"),
    (["--store", "http://127.0.0.1:{closed}/query"], "connection refused"),
    (["--store", "ftp://example.org/"], "unknown store 'ftp://example.org/'"),
    (["--endpoint", "oxigraph:x"], "--endpoint needs an http(s):// URL"),
    (["--store", "memory:", "--endpoint", "http://x/"], "give --store or --endpoint, not both"),
])
def test_an_endpoint_that_fails_gives_one_line_and_exit_2(args, message):
    closed = free_port()
    result = run_kg("query", "ASK {}", *[a.format(closed=closed) for a in args])
    assert result.exit_code == 2
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_a_malformed_query_on_the_remote_store_names_the_position(remote):
    result = run_kg("query", "SELECT * WHERE { ?s ?p }", "--store", remote.url + "/query")
    assert result.exit_code == 2
    assert "1:25" in result.output and len(result.output.strip().splitlines()) == 1


def test_the_embedded_store_is_used_only_while_it_holds_the_current_build(built_dist, tmp_path):
    root, dist = tmp_path, tmp_path / "dist"
    dist.mkdir()
    (dist / "hitz.nq").write_bytes((built_dist / "hitz.nq").read_bytes())
    assert embedded_store_for(root, dist) is None  # nothing loaded yet: queries read dist/
    store = open_store(None, root=root)
    store.replace(dist)
    store.close()
    embedded = embedded_store_for(root, dist)
    assert embedded is not None and embedded.url == "oxigraph:.kg/store"
    embedded.close()
    with open(dist / "hitz.nq", "a", encoding="utf-8") as f:  # a new build, not loaded yet
        f.write('<urn:x> <urn:y> "new" <https://w3id.org/hitz/id/graph/facts> .\n')
    assert embedded_store_for(root, dist) is None
    assert store_for_queries(root, dist).url.startswith("memory:")


def test_the_embedded_store_cannot_be_opened_twice_for_writing(tmp_path):
    first = open_store(f"oxigraph:{tmp_path / 's'}", root=tmp_path)
    with pytest.raises(StoreError, match="open in another process"):
        open_store(f"oxigraph:{tmp_path / 's'}", root=tmp_path)
    first.close()
    open_store(f"oxigraph:{tmp_path / 's'}", root=tmp_path).close()  # closed: free again
