"""`kg serve --processes N`: several HTTP front processes on one listening socket, updates run
by the process that holds the store, and seen by every front's next query; and the queries of
one triple pattern that a front answers itself, without a worker, because they are bounded."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time

import httpx
import pytest

from kg.endpoint import INLINE_ROWS, answer_inline, answer_query, bounded_shape
from kg.errors import ConfigurationError
from kg.serve import Config
from kg.sparql_text import normalise
from kg.store import LocalStore
from kg.testing import kg_server
from conftest import ROOT

TOKEN = "fronts-test-token"
MARKER = "<https://example.org/fronts/s> <https://example.org/fronts/p>"
ZONES_2022 = ("SELECT ?zones WHERE { <https://w3id.org/hitz/id/obs/zones-2022> "
              "<http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?zones }")


def load(path, dist) -> str:
    """An embedded store at `path` holding the build, closed again so that a server can open it."""
    store = LocalStore(f"oxigraph:{path}", path)
    store.replace(dist)
    store.close()
    return f"oxigraph:{path}"


@pytest.fixture(scope="module")
def loaded_store(built_dist, tmp_path_factory) -> str:
    return load(tmp_path_factory.mktemp("fronts") / "store", built_dist)


@pytest.fixture(scope="module")
def fronts(loaded_store, built_dist, tmp_path_factory):
    """`kg serve` with two front processes (the default), updates with a token, one worker each."""
    log = tmp_path_factory.mktemp("fronts-log") / "serve.log"
    with kg_server(ROOT, "--store", loaded_store, "--processes", "2", "--workers", "1", "--allow-update",
                   "--update-token", TOKEN, "--query-timeout", "3", log=log, dist=built_dist) as server:
        yield server


def clients_on_each_front(url: str, fronts: int = 2, tries: int = 100) -> dict[int, httpx.Client]:
    """A keep-alive client connected to each front process (told apart by the pid /health gives)."""
    found: dict[int, httpx.Client] = {}
    for _ in range(tries):
        client = httpx.Client(timeout=30)
        pid = client.get(url + "/health").json()["process"]
        if pid in found:
            client.close()
        else:
            found[pid] = client
        if len(found) == fronts:
            return found
    for client in found.values():
        client.close()
    raise AssertionError(f"only {len(found)} of {fronts} front processes answered in {tries} connections")


def ask(client: httpx.Client, url: str, query: str) -> bool:
    response = client.get(url + "/sparql", params={"query": query},
                          headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200, response.text
    return response.json()["boolean"]


def test_an_update_through_one_front_is_seen_by_the_next_query_of_every_front(fronts):
    clients = clients_on_each_front(fronts.url)
    try:
        assert sorted(clients) != [fronts.process.pid] * 2  # fronts, not the server process itself
        pids = list(clients)
        for step, (verb, expected) in enumerate([("INSERT DATA", True), ("DELETE DATA", False), ("INSERT DATA", True)]):
            writer = clients[pids[step % 2]]
            response = writer.post(fronts.url + "/sparql", data={"update": f"{verb} {{ {MARKER} {step // 2} }}"},
                                   headers={"Authorization": f"Bearer {TOKEN}"})
            assert response.status_code == 204, response.text
            for pid, client in clients.items():  # the bounded path and a worker alike
                assert ask(client, fronts.url, f"ASK {{ {MARKER} ?o }}") is expected, (verb, pid)
                assert ask(client, fronts.url, f"ASK {{ {MARKER} ?o FILTER(?o >= 0) }}") is expected, (verb, pid)
        counts = {pid: client.get(fronts.url + "/health").json()["graphs"]["default"] for pid, client in clients.items()}
        assert set(counts.values()) == {1}
    finally:
        for client in clients.values():
            client.close()


def test_an_update_without_the_token_is_refused_by_every_front(fronts):
    clients = clients_on_each_front(fronts.url)
    try:
        for client in clients.values():
            response = client.post(fronts.url + "/sparql", data={"update": "DROP ALL"})
            assert response.status_code == 401
            assert client.get(fronts.url + "/sparql", params={"query": ZONES_2022}).json()[
                "results"]["bindings"][0]["zones"]["value"] == "173"
    finally:
        for client in clients.values():
            client.close()


def test_a_front_that_ends_is_replaced_and_the_server_keeps_answering(fronts):
    clients = clients_on_each_front(fronts.url)
    gone = next(iter(clients))
    for client in clients.values():
        client.close()
    os.kill(gone, signal.SIGKILL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:  # the other front answers at once; a new one joins it
        try:
            clients = clients_on_each_front(fronts.url, tries=20)
            break
        except (AssertionError, httpx.HTTPError):
            time.sleep(0.5)
    else:
        raise AssertionError("no second front process answered within 60 s")
    try:
        assert gone not in clients
        for client in clients.values():
            assert client.get(fronts.url + "/sparql", params={"query": ZONES_2022}).status_code == 200
    finally:
        for client in clients.values():
            client.close()
    assert "a front process ended" in fronts.log_text()


def test_a_runaway_query_is_still_cancelled_by_its_worker(fronts):
    runaway = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    assert not bounded_shape(normalise(runaway))
    started = time.monotonic()
    response = httpx.get(fronts.url + "/sparql", params={"query": runaway}, timeout=60)
    assert response.status_code == 503 and "time limit" in response.text
    assert time.monotonic() - started < 30
    assert httpx.get(fronts.url + "/sparql", params={"query": ZONES_2022}).status_code == 200


def test_one_process_serves_alone_with_processes_1(built_dist, tmp_path):
    with kg_server(ROOT, "--store", load(tmp_path / "store", built_dist), "--processes", "1", "--workers", "1", log=tmp_path / "serve.log",
                   dist=built_dist) as server:
        health = httpx.get(server.url + "/health").json()
        assert health["process"] == server.process.pid
        assert httpx.get(server.url + "/sparql", params={"query": ZONES_2022}).json()[
            "results"]["bindings"][0]["zones"]["value"] == "173"


def test_a_port_in_use_is_one_error_line(built_dist, tmp_path):
    loaded_store = load(tmp_path / "store", built_dist)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, "-m", "kg.cli", "--root", str(ROOT), "serve", "--store", loaded_store,
                                 "--port", str(port), "--dist", str(built_dist)],
                                capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and f"cannot listen on --host 127.0.0.1 --port {port}" in errors[0], result.stderr
    assert "Traceback" not in result.stderr


def test_processes_must_be_positive():
    with pytest.raises(ConfigurationError) as caught:
        Config(processes=0)
    assert caught.value.parameters == ("processes",)


@pytest.mark.parametrize("query", [
    ZONES_2022,
    "SELECT ?p ?o WHERE { <https://w3id.org/hitz/id/obs/gdp-2021> ?p ?o }",
    "PREFIX qb: <http://purl.org/linked-data/cube#> SELECT * { ?obs a qb:Observation } LIMIT 3",
    "ASK { ?s <http://www.w3.org/2000/01/rdf-schema#label> \"Changsha\"@en }",
    "ASK WHERE { ?s ?p \"12\"^^<http://www.w3.org/2001/XMLSchema#integer> . }",
])
def test_a_query_of_one_triple_pattern_is_bounded(query):
    assert bounded_shape(normalise(query))


@pytest.mark.parametrize("query", [
    "SELECT ?s { ?s ?p ?s }",  # a repeated variable filters a scan of the whole store
    "SELECT DISTINCT ?p { ?s ?p ?o }",  # reads every row to give a few
    "SELECT ?s { ?s ?p ?o } ORDER BY ?s",
    "SELECT ?s { ?s ?p ?o } OFFSET 100000",
    "SELECT ?s { ?s ?p ?o } LIMIT 5 OFFSET 1",
    "SELECT ?s FROM <https://w3id.org/hitz/id/graph/facts> { ?s ?p ?o }",
    "SELECT ?s { ?s ?p ?o . ?o ?q ?r }",
    "SELECT ?s { ?s ?p ?o ; ?q ?r }",
    "SELECT ?s { ?s ?p ?o , ?r }",
    "SELECT ?s { ?s ?p ?o FILTER(regex(str(?o), \"x\")) }",
    "SELECT ?s { ?s <http://x/a>/<http://x/b>* ?o }",
    "SELECT ?s { GRAPH ?g { ?s ?p ?o } }",
    "SELECT ?s { ?s ?p [] }",
    "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "SELECT ?s { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "DESCRIBE <https://w3id.org/hitz/id/obs/gdp-2021>",
    "SELECT ?s { { ?s ?p ?o } }",
    "SELECT ?s { ?s ?p ?o } LIMIT 5.0",
])
def test_anything_else_goes_to_a_worker(query):
    try:
        text = normalise(query)
    except Exception:  # refused before any shape is looked at
        return
    assert not bounded_shape(text)


def test_a_bounded_query_answers_as_a_worker_would_or_is_handed_on(built_dist):
    store = LocalStore("memory:", None)
    store.replace(built_dist)
    for query in (ZONES_2022, "SELECT ?p ?o WHERE { <https://w3id.org/hitz/id/obs/gdp-2021> ?p ?o }",
                  "ASK { ?s ?p \"no such literal\" }", "SELECT * { ?s a <http://purl.org/linked-data/cube#Observation> } LIMIT 7"):
        text = normalise(query)
        assert bounded_shape(text)
        for accept in ("application/sparql-results+json", "text/csv", "application/sparql-results+xml"):
            inline = answer_inline(store, text, accept=accept)
            assert inline is not None
            assert inline == answer_query(store, text, accept=accept)
    many = normalise("SELECT ?s ?o WHERE { ?s a ?o }")  # more rows than a front answers itself
    assert answer_inline(store, many, accept=None) is None
    assert answer_inline(store, many, accept=None, max_rows=INLINE_ROWS) == answer_query(store, many, accept=None,
                                                                                           max_rows=INLINE_ROWS)
    full = answer_query(store, many, accept=None)
    assert full.status == 200 and full.body.count(b'"s":') > INLINE_ROWS


def test_a_long_answer_of_one_pattern_comes_whole_from_a_worker(fronts):
    response = httpx.get(fronts.url + "/sparql", params={"query": "SELECT ?s ?o WHERE { ?s a ?o }"},
                         headers={"Accept": "application/sparql-results+json"})
    assert response.status_code == 200
    assert len(response.json()["results"]["bindings"]) > INLINE_ROWS
    assert "hitz-truncated" not in response.headers
