"""Issue 14: what an attacker or a careless user found in `kg serve` and the CLI, each
refused in one line, answered with the right status, or kept within a limit."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from kg.testing import Server, free_port
from conftest import ROOT, ServerStarter, copy_project

TOKEN = "hardening-test-token"
BEARER = {"Authorization": f"Bearer {TOKEN}"}
DEEP = "{" * 5000 + " ?s ?p ?o " + "}" * 5000
# 26 doublings of an 8-byte string: 512 MB for the last one alone (872 bytes in the issue)
DOUBLING = ('SELECT (STRLEN(?s26) AS ?n) WHERE { BIND("xxxxxxxx" AS ?s0) '
            + " ".join(f"BIND(CONCAT(?s{i}, ?s{i}) AS ?s{i + 1})" for i in range(26)) + " }")


@pytest.fixture(scope="module")
def server(serve: ServerStarter) -> Iterator[Server]:
    with serve("--workers", "2", "--max-memory", "256", "--request-timeout", "1", "--query-timeout", "20",
               "--max-connections", "6", token=TOKEN) as running:
        yield running


def kg(*args: str, cwd: Path = ROOT, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, **(env or {})}, timeout=300)


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


def restarts(server) -> int:
    return httpx.get(server.url + "/health").json()["worker_restarts"]


# 1, 2 -- deep nesting after a comment trick: refused before a worker or the server parses it

def test_an_update_hiding_5000_nested_groups_is_refused_and_the_server_lives(server):
    update = "INSERT DATA { <http://a> <http://b> <http://c> } ; # x\rINSERT { ?s ?p ?o } WHERE " + DEEP
    response = httpx.post(server.url + "/sparql", data={"update": update}, headers=BEARER, timeout=30)
    assert response.status_code == 400 and "nests" in response.text
    assert httpx.get(server.url + "/health").status_code == 200


def test_a_deep_query_is_refused_before_any_worker_sees_it(server):
    before = restarts(server)
    for _ in range(5):
        response = httpx.post(server.url + "/sparql", data={"query": "SELECT * WHERE { # x\r" + DEEP + " }"},
                              timeout=30)
        assert response.status_code == 400 and "nests" in response.text
    assert restarts(server) == before


# 3, 4 -- the CLI: one line and exit 2, never a crash or a traceback

def test_the_cli_refuses_5000_nested_groups_instead_of_crashing():
    assert "nests" in one_line_error(kg("query", "SELECT * WHERE " + DEEP))


def test_the_cli_says_one_line_for_each_reported_traceback(tmp_path, built_project):
    bad = tmp_path / "latin1.rq"
    bad.write_bytes('SELECT * WHERE { ?s ?p "caf\xe9" }'.encode("latin-1"))
    assert "not UTF-8" in one_line_error(kg("query", str(bad)))
    assert "is a folder" in one_line_error(kg("query", str(tmp_path)))
    assert "not a usable URL" in one_line_error(kg("load", "--store", "http://[::1/query"))
    assert "not a usable URL" in one_line_error(kg("query", "ASK {}", "--endpoint", "http://[::1/x"))
    assert "refused" in one_line_error(kg("export", "-o", "/proc/version"))
    closed = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    failed = one_line_error(kg("--root", str(built_project), "query",
                               f"SELECT * WHERE {{ ?s ?p ?o SERVICE <{closed}> {{ ?a ?b ?c }} }}"))
    assert "the query failed" in failed


def test_a_malformed_query_is_one_line(built_project):
    assert "malformed SPARQL" in one_line_error(kg("--root", str(built_project), "query", "SELECT * WHERE { ?s ?p }"))


def test_queries_during_a_load_see_the_old_or_the_new_store(tmp_path, built_dist):
    project = copy_project(tmp_path / "project", built_dist)
    assert kg("--root", str(project), "load").returncode == 0
    loads = " ; ".join([f"{sys.executable} -m kg.cli --root {project} load >/dev/null 2>&1"] * 3)
    loader = subprocess.Popen(["bash", "-c", loads], cwd=ROOT)
    answers, errors = [], []
    while loader.poll() is None or not answers:
        result = kg("--root", str(project), "query", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "-f", "csv")
        (answers if result.returncode == 0 else errors).append(result.stdout or result.stderr)
    assert errors == []
    assert len(set(answers)) == 1


# 5 -- memory

def test_a_query_past_the_memory_cap_gets_503_and_the_next_one_answers(server):
    response = httpx.post(server.url + "/sparql", data={"query": DOUBLING}, timeout=60)
    assert response.status_code == 503 and "256 MB of memory" in response.text
    assert httpx.get(server.url + "/sparql", params={"query": "ASK {}"}, timeout=60).json()["boolean"] is True


# 6, 7 -- slow and vanishing clients

def _connect(server) -> socket.socket:
    port = int(server.url.rsplit(":", 1)[1])
    return socket.create_connection(("127.0.0.1", port), timeout=15)


def test_a_client_too_slow_with_its_headers_is_disconnected(server):
    with _connect(server) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\n")
        sock.settimeout(15)
        assert sock.recv(100) == b""  # closed by the server (the request timeout is 1 s)


def test_a_client_too_slow_with_its_body_gets_408(server):
    with _connect(server) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK")
        answer = sock.recv(1000)
    assert answer.startswith(b"HTTP/1.1 408")


def test_connections_past_the_limit_get_503_and_idle_ones_are_closed(server):
    idle = [_connect(server) for _ in range(6)]
    try:
        assert httpx.get(server.url + "/sparql", params={"query": "ASK {}"}).status_code == 503
    finally:
        for sock in idle:
            sock.close()
    time.sleep(0.5)
    assert httpx.get(server.url + "/sparql", params={"query": "ASK {}"}).status_code == 200


def test_a_client_that_leaves_mid_body_is_one_log_line(server):
    with _connect(server) as sock:
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                     b"Content-Length: 100\r\n\r\nASK")
        time.sleep(0.2)
    time.sleep(1.0)
    log = server.log_text()
    assert "closed the connection before sending its whole request" in log
    assert "Traceback" not in log


# 8, 9, 13 -- the Protocol's own rules

@pytest.mark.parametrize("graph", ["", "not an iri", "http://x/a b", "<http://x/>"])
def test_a_bad_dataset_iri_is_400(server, graph):
    for name in ("default-graph-uri", "named-graph-uri"):
        response = httpx.get(server.url + "/sparql", params={"query": "ASK {}", name: graph})
        assert response.status_code == 400 and "not an absolute IRI" in response.text


def test_head_answers_as_get_without_a_body(server):
    get = httpx.get(server.url + "/sparql", params={"query": "ASK {}"})
    head = httpx.head(server.url + "/sparql", params={"query": "ASK {}"})
    assert head.status_code == get.status_code == 200
    assert head.headers["content-type"] == get.headers["content-type"] and head.content == b""


def test_invalid_utf8_is_400(server):
    assert httpx.get(server.url + "/sparql?query=ASK%20%7B%7D%FF").status_code == 400
    for media, body in (("application/sparql-query", b"ASK {} # \xff"),
                        ("application/x-www-form-urlencoded", b"query=ASK+%7B%7D+%23%FF")):
        response = httpx.post(server.url + "/sparql", content=body, headers={"Content-Type": media})
        assert response.status_code == 400 and "UTF-8" in response.text


def test_a_repeated_query_or_query_with_update_is_400(server):
    twice = httpx.post(server.url + "/sparql", content=b"query=ASK+%7B%7D&query=ASK+%7B%7D",
                       headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert twice.status_code == 400 and "2 times" in twice.text
    assert httpx.get(server.url + "/sparql?query=ASK%7B%7D&query=ASK%7B%7D").status_code == 400
    both = httpx.post(server.url + "/sparql", data={"query": "ASK {}", "update": "CLEAR DEFAULT"}, headers=BEARER)
    assert both.status_code == 400 and "not both" in both.text


def test_drop_of_a_missing_graph_is_404_and_204_when_silent(server):
    missing = httpx.post(server.url + "/sparql", data={"update": "DROP GRAPH <urn:hitz-test:none>"}, headers=BEARER)
    assert missing.status_code == 404 and "urn:hitz-test:none" in missing.text
    silent = httpx.post(server.url + "/sparql", data={"update": "DROP SILENT GRAPH <urn:hitz-test:none>"},
                        headers=BEARER)
    assert silent.status_code == 204


def test_no_answer_carries_an_exception_text(server):
    response = httpx.post(server.url + "/sparql", data={"update": "CREATE GRAPH <urn:x> ; CREATE GRAPH <urn:x>"},
                          headers=BEARER)
    assert response.status_code == 500
    assert response.text.startswith("internal error (id ") and "already exists" not in response.text
    error_id = response.headers["hitz-error-id"]
    assert f"internal error (id {error_id})" in server.log_text()


# 10 -- legitimate deep queries still run

@pytest.mark.parametrize("query", [
    "SELECT * WHERE " + "{" * 50 + " ?s ?p ?o " + "}" * 50 + " LIMIT 1",
    "SELECT * WHERE { ?s ?p ?o FILTER(" + "(" * 30 + "true" + ")" * 30 + ") } LIMIT 1",
    "SELECT * WHERE { ?s " + "/".join(["<http://e/p>"] * 200) + " ?o }",
])
def test_deep_but_legitimate_queries_run(server, query):
    response = httpx.post(server.url + "/sparql", data={"query": query}, timeout=60)
    assert response.status_code == 200, response.text


def test_a_deep_but_legitimate_update_runs(server):
    update = "INSERT { <urn:hitz-test:deep> <urn:hitz-test:p> 1 } WHERE " + "{" * 50 + "}" * 50
    response = httpx.post(server.url + "/sparql", data={"update": update}, headers=BEARER, timeout=60)
    assert response.status_code == 204, response.text


# 11 -- export

def test_export_honours_the_umask_and_follows_a_symlink(tmp_path):
    from kg.files import write_atomically as write_output  # what export and every other writer use

    target = tmp_path / "real.ttl"
    target.write_text("old")
    target.chmod(0o640)
    link = tmp_path / "link.ttl"
    link.symlink_to(target)
    previous = os.umask(0o022)
    try:
        write_output(tmp_path / "fresh.ttl", b"new")
        write_output(link, b"new")
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "fresh.ttl").stat().st_mode) == 0o644
    assert link.is_symlink() and target.read_bytes() == b"new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # a replaced file keeps its mode


def test_a_data_file_rewritten_by_kg_spans_keeps_its_mode(tmp_path):
    """`kg spans --write` (like generate, link and extract) writes through the same function: the file it
    replaces keeps its mode, where it used to become 0600 (mkstemp's mode)."""
    from kg.spans import write_offsets

    data = tmp_path / "facts.ttl"
    data.write_text('@prefix oa: <http://www.w3.org/ns/oa#> .\n<https://example.org/span> oa:exact "quote" ;\n'
                    '    a oa:TextQuoteSelector .\n', encoding="utf-8")
    data.chmod(0o644)
    assert write_offsets(data, "a quote in a text") == 1
    assert "oa:start 2" in data.read_text(encoding="utf-8")
    assert stat.S_IMODE(data.stat().st_mode) == 0o644


def test_export_refuses_a_fifo_before_any_work(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    assert "not a regular file" in one_line_error(kg("export", "-o", str(fifo)))
    assert stat.S_ISFIFO(fifo.stat().st_mode)


# 12, 13 -- credentials and stray folders

def test_a_password_in_a_store_url_is_never_printed():
    url = f"http://admin:S3CRETPW@127.0.0.1:{free_port()}/query"
    for args in (("load", "--store", url), ("query", "ASK {}", "--store", url), ("serve", "--store", url,
                                                                                 "--port", "1", "--workers", "0")):
        result = kg(*args)
        assert result.returncode != 0
        assert "S3CRETPW" not in result.stderr + result.stdout
        assert "admin" not in result.stderr + result.stdout


def test_serve_refuses_a_missing_store_without_creating_its_folder(tmp_path):
    where = tmp_path / "new" / "path"
    assert "no store there yet" in one_line_error(kg("serve", "--store", f"oxigraph:{where}"))
    assert not (tmp_path / "new").exists()
