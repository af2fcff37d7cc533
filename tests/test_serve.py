"""`kg serve` speaks the SPARQL 1.1 Protocol: SPARQLWrapper, the client analysts use, gets the
article's figures in every result format, by GET and by POST."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from SPARQLWrapper import CSV, JSON, JSONLD, POST, POSTDIRECTLY, TSV, TURTLE, XML, SPARQLWrapper

from kg.store import LocalStore
from kg.testing import Server
from conftest import OFFLINE_QUERIES, ROOT, ServerStarter

CATALOG = OFFLINE_QUERIES  # these tests are offline
SDMX = "http://purl.org/linked-data/sdmx/2009/measure#obsValue"
OBS = "https://w3id.org/hitz/id/obs/"
# "As of 2022, there are 173 national high-tech development zones"
ZONES_2022 = f"SELECT ?zones WHERE {{ <{OBS}zones-2022> <{SDMX}> ?zones }}"
# "... (their GDP) reached CNY15.3 trillion in 2021"
GDP_2021 = f"SELECT ?gdp WHERE {{ <{OBS}gdp-2021> <{SDMX}> ?gdp }}"
GDP_GRAPH = f"CONSTRUCT {{ <{OBS}gdp-2021> <{SDMX}> ?gdp }} WHERE {{ <{OBS}gdp-2021> <{SDMX}> ?gdp }}"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


@pytest.fixture(scope="module")
def loaded_store(built_dist, tmp_path_factory) -> str:
    """An embedded store holding the build, closed again so that the server can open it."""
    path = tmp_path_factory.mktemp("serve") / "store"
    store = LocalStore(f"oxigraph:{path}", path)
    store.replace(built_dist)
    store.close()
    return f"oxigraph:{path}"


@pytest.fixture(scope="module")
def server(serve: ServerStarter, loaded_store: str) -> Iterator[Server]:
    with serve("--query-timeout", "5", "--workers", "2", "--max-request-bytes", "4096", store=loaded_store) as running:
        yield running


def client(server, query: str, fmt: str, method: str = "GET") -> SPARQLWrapper:
    sparql = SPARQLWrapper(server.url + "/sparql", agent="hitz-kg-tests")
    sparql.setQuery(query)
    sparql.setReturnFormat(fmt)
    sparql.setTimeout(30)
    if method != "GET":
        sparql.setMethod(POST)
        if method == "POSTDIRECTLY":
            sparql.setRequestMethod(POSTDIRECTLY)
    return sparql


def bindings(server: Server, query: str) -> list[dict]:
    """The rows of a SELECT asked through SPARQLWrapper, as its JSON bindings."""
    answer = client(server, query, JSON).queryAndConvert()
    assert isinstance(answer, dict), answer
    return answer["results"]["bindings"]


METHODS = ["GET", "POST", "POSTDIRECTLY"]


@pytest.mark.parametrize("method", METHODS)
def test_select_json(server, method):
    result = client(server, ZONES_2022, JSON, method).queryAndConvert()
    [row] = result["results"]["bindings"]
    assert row["zones"]["value"] == "173"
    assert row["zones"]["datatype"] == "http://www.w3.org/2001/XMLSchema#integer"


@pytest.mark.parametrize("method", METHODS)
def test_select_xml(server, method):
    document = client(server, GDP_2021, XML, method).queryAndConvert()
    [literal] = document.getElementsByTagName("literal")
    assert literal.firstChild.data == "15300000000000"
    assert literal.getAttribute("datatype") == "http://www.w3.org/2001/XMLSchema#decimal"


@pytest.mark.parametrize("method", METHODS)
def test_select_csv(server, method):
    data = client(server, ZONES_2022, CSV, method).queryAndConvert()
    assert list(csv.reader(io.StringIO(data.decode("utf-8")))) == [["zones"], ["173"]]


@pytest.mark.parametrize("method", METHODS)
def test_select_tsv(server, method):
    data = client(server, GDP_2021, TSV, method).queryAndConvert()
    assert data.decode("utf-8").split("\n")[:2] == ["?gdp", '"15300000000000"^^<http://www.w3.org/2001/XMLSchema#decimal>']


@pytest.mark.parametrize("method", METHODS)
def test_ask(server, method):
    yes = f"ASK {{ <{OBS}zones-2022> <{SDMX}> 173 }}"
    no = f"ASK {{ <{OBS}zones-2022> <{SDMX}> 174 }}"
    assert client(server, yes, JSON, method).queryAndConvert()["boolean"] is True
    assert client(server, no, JSON, method).queryAndConvert()["boolean"] is False


@pytest.mark.parametrize("method", METHODS)
def test_construct_turtle(server, method):
    data = client(server, GDP_GRAPH, TURTLE, method).queryAndConvert()
    graph = Graph().parse(data=data, format="turtle")
    assert int(graph.value(URIRef(OBS + "gdp-2021"), URIRef(SDMX)).toPython()) == 15_300_000_000_000


@pytest.mark.parametrize("method", METHODS)
def test_construct_json_ld(server, method):
    graph = client(server, GDP_GRAPH, JSONLD, method).queryAndConvert()
    assert int(graph.value(URIRef(OBS + "gdp-2021"), URIRef(SDMX)).toPython()) == 15_300_000_000_000


@pytest.mark.parametrize("accept, parse_as", [("application/n-triples", "nt"), ("application/rdf+xml", "xml")])
def test_construct_in_the_other_rdf_formats(server, accept, parse_as):
    response = httpx.get(server.url + "/sparql", params={"query": GDP_GRAPH}, headers={"Accept": accept})
    assert response.status_code == 200 and response.headers["content-type"].startswith(accept)
    graph = Graph().parse(data=response.text, format=parse_as)
    assert graph.value(URIRef(OBS + "gdp-2021"), URIRef(SDMX)) == Literal(
        "15300000000000", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal"))


def test_the_whole_catalog_answers_through_sparqlwrapper(server, stores_catalog):
    for path, expected in stores_catalog:
        text = path.read_text(encoding="utf-8")
        sparql = client(server, text, JSON, "POST")
        if expected is None:  # CONSTRUCT or DESCRIBE
            sparql.setReturnFormat(TURTLE)
            Graph().parse(data=sparql.queryAndConvert(), format="turtle")
            continue
        answer = sparql.queryAndConvert()
        got = answer["boolean"] if "boolean" in answer else len(answer["results"]["bindings"])
        assert got == expected, path.name


@pytest.fixture(scope="module")
def stores_catalog(built_dist):
    """Each catalog question with the answer the built graph gives in process (rows, or ASK's boolean)."""
    import pyoxigraph as ox

    store = LocalStore("memory:", None)
    store.replace(built_dist)
    out = []
    for path in CATALOG:
        result = store.query(path.read_text(encoding="utf-8"))
        if isinstance(result, ox.QueryBoolean):
            out.append((path, bool(result)))
        elif isinstance(result, ox.QuerySolutions):
            out.append((path, len(list(result))))
        else:
            out.append((path, None))
    return out


def test_dataset_parameters_choose_the_graphs(server):
    facts, ontology = "https://w3id.org/hitz/id/graph/facts", "https://w3id.org/hitz/id/graph/ontology"
    sparql = client(server, ZONES_2022, JSON)
    sparql.addDefaultGraph(ontology)  # the figure is in the facts graph, not in the ontology
    assert sparql.queryAndConvert()["results"]["bindings"] == []
    sparql = client(server, f"SELECT ?g WHERE {{ GRAPH ?g {{ <{OBS}zones-2022> <{SDMX}> 173 }} }}", JSON)
    sparql.addNamedGraph(facts)
    assert [b["g"]["value"] for b in sparql.queryAndConvert()["results"]["bindings"]] == [facts]


def test_service_description(server, built):
    response = httpx.get(server.url + "/sparql", headers={"Accept": "text/turtle"})
    assert response.status_code == 200
    graph = Graph().parse(data=response.text, format="turtle")
    [service] = graph.subjects(URIRef("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), SD.Service)
    assert graph.value(service, SD.endpoint) == URIRef(server.url + "/sparql")
    assert SD.SPARQL11Query in set(graph.objects(service, SD.supportedLanguage))
    assert SD.SPARQL11Update not in set(graph.objects(service, SD.supportedLanguage))
    assert URIRef("http://www.w3.org/ns/formats/SPARQL_Results_JSON") in set(graph.objects(service, SD.resultFormat))
    dataset = graph.value(service, SD.defaultDataset)
    assert dataset == URIRef("https://w3id.org/hitz/id/dataset/hitz")
    # the VoID description comes along: its triple count is the built graph's
    triples = graph.value(dataset, URIRef("http://rdfs.org/ns/void#triples"))
    assert triples is not None and int(triples) == len(built.union())
    names = {graph.value(n, SD.name) for n in graph.objects(dataset, SD.namedGraph)}
    assert URIRef("https://w3id.org/hitz/id/graph/facts") in names


def test_health(server, built):
    body = httpx.get(server.url + "/health").json()
    # the store holds the build: each named graph with as many triples as the build put in it
    expected = {str(g.identifier): len(g) for g in built.dataset.graphs() if len(g)}
    assert body["status"] == "ok" and body["graphs"] == expected
    assert body["triples"] == sum(expected.values())
    assert "https://w3id.org/hitz/id/graph/facts" in body["graphs"]


@pytest.mark.parametrize("request_args, status, words", [
    (dict(method="GET", params={"query": ZONES_2022}, headers={"Accept": "image/png"}), 406, "cannot answer"),
    (dict(method="GET", params={"query": GDP_GRAPH}, headers={"Accept": "text/csv"}), 406, "text/turtle"),
    (dict(method="GET", params={"query": "SELECT * WHERE { ?s ?p }"}), 400, "line:1, col:"),
    (dict(method="GET", params={"query": "SELECT * WHERE { ?s ?p ?o } " + "#" * 5000}), 413, "4096 bytes"),
    (dict(method="POST", content="x" * 5000, headers={"Content-Type": "application/sparql-query"}), 413, "4096"),
    (dict(method="POST", content=ZONES_2022, headers={"Content-Type": "text/plain"}), 415, "application/sparql-query"),
    (dict(method="POST", data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}), 403, "read-only"),
    (dict(method="POST", content="DROP ALL", headers={"Content-Type": "application/sparql-update"}), 403, "read-only"),
    (dict(method="GET", params={"update": "DROP ALL"}), 405, "POST"),
])
def test_refusals_have_a_status_and_one_line(server, request_args, status, words):
    response = httpx.request(url=server.url + "/sparql", **request_args)
    assert response.status_code == status, response.text
    assert words in response.text and len(response.text.strip().splitlines()) == 1


def test_cors_is_off_by_default(server):
    response = httpx.get(server.url + "/sparql", params={"query": ZONES_2022}, headers={"Origin": "https://example.org"})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers


def test_one_access_log_line_per_request(server):
    import time

    httpx.get(server.url + "/health?marker=access-log-test")
    httpx.get(server.url + "/sparql", params={"marker": "one-line-each", "query": ZONES_2022})
    # the line is written once the response has gone out: wait for it, then count
    deadline = time.monotonic() + 10
    while "marker=one-line-each" not in server.log_text() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    lines = server.log_text().splitlines()
    assert sum('"GET /health?marker=access-log-test" 200' in line for line in lines) == 1
    assert sum("marker=one-line-each" in line for line in lines) == 1


def test_row_limit_cuts_the_answer_and_says_so(built_dist, tmp_path):
    from starlette.testclient import TestClient

    from kg.serve import Config, create_app

    app = create_app(Config(store="memory:", max_rows=3, workers=1, cors=True), ROOT, built_dist)
    with TestClient(app) as test:
        response = test.get("/sparql", params={"query": "SELECT * WHERE { ?s ?p ?o }"},
                            headers={"Accept": "application/sparql-results+json", "Origin": "https://example.org"})
        assert response.status_code == 200
        assert len(response.json()["results"]["bindings"]) == 3
        assert response.headers["hitz-truncated"] == "max-rows=3"
        assert response.headers["access-control-allow-origin"] == "*"  # --cors
        whole = test.get("/sparql", params={"query": ZONES_2022})
        assert "hitz-truncated" not in whole.headers and json.loads(whole.text)["results"]["bindings"]


def test_allow_update_without_a_token_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["serve", "--store", "memory:", "--allow-update"], env={"HITZ_UPDATE_TOKEN": ""})
    assert result.exit_code == 2
    assert "--allow-update needs --update-token" in result.output


def test_serve_help_shows_every_setting_with_its_default():
    from click.testing import CliRunner

    from kg.cli import cli
    from kg.serve import SETTINGS

    text = " ".join(CliRunner().invoke(cli, ["serve", "--help"], terminal_width=200).output.split())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for setting in SETTINGS:
        assert setting.option in text
        assert f"[default: {setting.default_text}]" in text or f"[default: ({setting.default_text})]" in text
        assert f"| `{setting.option}` | `{setting.default_text}` |" in readme, f"{setting.option} not in the README"


def test_serve_in_front_of_a_remote_store_with_an_allowed_service(serve: ServerStarter, built_dist: Path,
                                                                   tmp_path: Path) -> None:
    """kg serve --store http://… answers from a real Oxigraph server; a SERVICE endpoint on the
    allow-list is called (the allow-list is a list, not a switch that refuses everything)."""
    from kg.store import RemoteStore
    from kg.testing import oxigraph_server

    with oxigraph_server(tmp_path / "oxigraph") as oxigraph:
        RemoteStore(oxigraph.url + "/query").replace(built_dist)
        allowed = oxigraph.url + "/query"
        with serve("--allow-service", allowed, store=allowed) as server:
            assert bindings(server, ZONES_2022)[0]["zones"]["value"] == "173"
            federated = (f"SELECT ?gdp WHERE {{ SERVICE <{allowed}> {{ GRAPH ?g {{ <{OBS}gdp-2021> <{SDMX}> ?gdp }} }} }}")
            [row] = bindings(server, federated)
            assert row["gdp"]["value"] == "15300000000000"
            other = federated.replace(allowed, oxigraph.url + "/elsewhere")
            response = httpx.get(server.url + "/sparql", params={"query": other})
            assert response.status_code == 403


def test_the_same_text_with_other_graphs_or_services_is_checked_and_answered_anew(server):
    """The server remembers checked query texts: what it remembers must never stand for another
    dataset (default-graph-uri) or another allow-list."""
    from kg.endpoint import checked_text, known_text
    from kg.errors import Refused

    ontology = "https://w3id.org/hitz/id/graph/ontology"
    url = server.url + "/sparql"
    accept = {"Accept": "application/sparql-results+json"}
    rows = lambda response: response.json()["results"]["bindings"]  # noqa: E731
    assert rows(httpx.get(url, params={"query": ZONES_2022}, headers=accept))[0]["zones"]["value"] == "173"
    assert rows(httpx.get(url, params={"query": ZONES_2022, "default-graph-uri": ontology}, headers=accept)) == []
    assert rows(httpx.get(url, params={"query": ZONES_2022}, headers=accept))[0]["zones"]["value"] == "173"
    service = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
    allowed = frozenset({"http://127.0.0.1:9/sparql"})
    assert "SERVICE" in checked_text(service, allowed) and known_text(service, allowed)
    assert known_text(service) is None
    with pytest.raises(Refused) as refused:
        checked_text(service)
    assert refused.value.status == 403
    assert httpx.get(url, params={"query": service}).status_code == 403  # this server allows no SERVICE


def test_a_large_answer_crosses_from_the_worker_whole(server):
    """An answer much larger than a pipe's buffer arrives whole (the server reads it in parts)."""
    query = "SELECT ?s ?p ?o ?n WHERE { ?s ?p ?o VALUES ?n { 1 2 3 4 5 } }"  # five times the graph's triples
    response = httpx.get(server.url + "/sparql", params={"query": query},
                         headers={"Accept": "text/tab-separated-values"}, timeout=60)
    assert response.status_code == 200
    lines = response.text.split("\n")
    assert lines[0] == "?s\t?p\t?o\t?n" and len(response.content) > 500_000
    assert sum(1 for line in lines[1:] if line) == 10000
    assert response.headers["hitz-truncated"] == "max-rows=10000"


def test_request_headers_past_the_limit_close_the_connection(server):
    import socket

    from kg.serve import MAX_HEADER_BYTES

    port = int(server.url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:  # sooner than the request timeout
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n" + b"X-Padding: " + b"a" * (MAX_HEADER_BYTES + 100))
        answer = b""
        while chunk := sock.recv(4096):
            answer += chunk
    assert answer.startswith((b"HTTP/1.1 431", b"HTTP/1.1 400"))  # 400 from h11, where httptools is missing
    assert httpx.get(server.url + "/health").status_code == 200
