"""The SERVICE hole closed by construction (issue 12): whatever comments, line ends, escapes,
BASE or prefixed names a query or update uses, `kg serve` calls no endpoint that is not
allowed. A loopback listener counts every connection it receives; it must count none."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import httpx
import pytest

from kg.errors import Refused
from kg.query import render
from kg.sandbox import offline_executor
from kg.sparql_text import MAX_DEPTH, normalise
from kg.testing import Server
from conftest import ServerStarter
from listeners import Listener

TOKEN = "security-test-token"
@pytest.fixture(scope="module")
def evil() -> Iterator[Listener]:
    with Listener() as listener:
        yield listener


@pytest.fixture(scope="module", params=["default", "allow-other"])
def server(request: pytest.FixtureRequest, serve: ServerStarter, allowed: Listener) -> Iterator[Server]:
    """`kg serve` with its defaults (plus a token for updates), and with --allow-service naming
    another endpoint than the one the attacks aim at."""
    extra = ["--allow-service", allowed.url + "/sparql"] if request.param == "allow-other" else []
    with serve("--workers", "2", *extra, token=TOKEN, clean_log=True) as running:
        yield running


def attacks(e: str) -> dict[str, str]:
    """Queries that reach the endpoint `e` (…/evil) if any parser difference is left."""
    base = e.rsplit("/", 1)[0] + "/"
    call = f"SERVICE <{e}> {{ ?a ?b ?c }}"
    return {
        "issue 12: comment ended by CR": f"SELECT * WHERE {{ ?s ?p ?o # \r{call} \n }}",
        "CR LF": f"SELECT * WHERE {{ ?s ?p ?o # x\r\n{call} }}",
        "escaped CR \\u000D": f"SELECT * WHERE {{ ?s ?p ?o # x\\u000D{call} \n }}",
        "escaped CR \\U0000000D": f"SELECT * WHERE {{ ?s ?p ?o # x\\U0000000D{call} \n }}",
        "form feed in a comment": f"SELECT * WHERE {{ ?s ?p ?o # x\f{call} \n }}",
        "form feed as space": f"SELECT * WHERE {{ ?s ?p ?o .\f{call} }}",
        "vertical tab in a comment": f"SELECT * WHERE {{ ?s ?p ?o # x\v{call} \n }}",
        "NEL in a comment": f"SELECT * WHERE {{ ?s ?p ?o # x\x85{call} \n }}",
        "U+2028 in a comment": f"SELECT * WHERE {{ ?s ?p ?o # x\u2028{call} \n }}",
        "comment sign in a string": f'SELECT * WHERE {{ ?s ?p ?o BIND("# not a comment" AS ?x) {call} }}',
        "IRI-looking string": f'SELECT * WHERE {{ ?s ?p ?o BIND("<http://x/#" AS ?x) {call} BIND("#>" AS ?y) }}',
        "long string": f'SELECT * WHERE {{ ?s ?p ?o BIND("""a"b""c" # """ AS ?x) {call} }}',
        "escaped keyword": f"SELECT * WHERE {{ ?s ?p ?o SERV\\u0049CE <{e}> {{ ?a ?b ?c }} }}",
        "escaped quote": f'SELECT * WHERE {{ ?s ?p ?o BIND("\\u0022 AS ?x) {call} #" AS ?y) }}',
        "escaped IRI": f"SELECT * WHERE {{ ?s ?p ?o SERVICE \\u003C{e}\\u003E {{ ?a ?b ?c }} }}",
        "BASE and a relative IRI": f"BASE <{base}> SELECT * WHERE {{ ?s ?p ?o SERVICE <evil> {{ ?a ?b ?c }} }}",
        "prefixed name": f"PREFIX e: <{base}> SELECT * WHERE {{ ?s ?p ?o SERVICE e:evil {{ ?a ?b ?c }} }}",
        "prefix read as keyword": f"PREFIX : <{base}> SELECT * WHERE {{ ?s ?p ?o SERVICE:evil {{ ?a ?b ?c }} }}",
        "keyword glued to a word": f"SELECT * WHERE {{ ?s ?p trueSERVICE <{e}> {{ ?a ?b ?c }} }}",
        "variable endpoint": f"SELECT * WHERE {{ VALUES ?e {{ <{e}> }} SERVICE ?e {{ ?a ?b ?c }} }}",
        "SILENT": f"SELECT * WHERE {{ ?s ?p ?o SERVICE SILENT <{e}> {{ ?a ?b ?c }} }}",
        "lower case, no spaces": f"select * where {{ ?s ?p ?o service<{e}>{{?a ?b ?c}} }}",
        "in a subquery": f"SELECT * WHERE {{ {{ SELECT * WHERE {{ ?s ?p ?o {call} }} }} }}",
        "in EXISTS": f"SELECT * WHERE {{ ?s ?p ?o FILTER EXISTS {{ {call} }} }}",
        "in MINUS": f"SELECT * WHERE {{ ?s ?p ?o MINUS {{ {call} }} }}",
        "in OPTIONAL": f"SELECT * WHERE {{ ?s ?p ?o OPTIONAL {{ {call} }} }}",
        "in GRAPH": f"SELECT * WHERE {{ GRAPH ?g {{ ?s ?p ?o {call} }} }}",
    }


def update_attacks(e: str) -> dict[str, str]:
    return {
        "issue 14: LOAD after a comment ended by CR": "INSERT DATA { <http://a> <http://b> <http://c> } ; "
                                                      f"# x\rLOAD <{e}.nt> INTO GRAPH <http://evil/loaded>\n",
        "LOAD": f"LOAD <{e}.nt>",
        "LOAD SILENT, no space": f"load silent<{e}.nt>",
        "SERVICE in DELETE WHERE": f"DELETE {{ ?s ?p ?o }} WHERE {{ SERVICE <{e}> {{ ?s ?p ?o }} }}",
        "SERVICE after a CR": f"INSERT {{ ?a ?b ?c }} WHERE {{ ?s ?p ?o # x\rSERVICE <{e}> {{ ?a ?b ?c }} \n }}",
        "escaped LOAD": f"L\\u004FAD <{e}.nt>",
    }


QUERY_NAMES = list(attacks("http://x/evil"))
UPDATE_NAMES = list(update_attacks("http://x/evil"))


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_no_query_variant_reaches_an_endpoint_that_is_not_allowed(server, evil, name):
    query = attacks(evil.url + "/evil")[name]
    before = evil.connections
    for send in (lambda: httpx.post(server.url + "/sparql", data={"query": query}, timeout=30),
                 lambda: httpx.get(server.url + "/sparql", params={"query": query}, timeout=30),
                 lambda: httpx.post(server.url + "/sparql", content=query.encode(),
                                    headers={"Content-Type": "application/sparql-query"}, timeout=30)):
        response = send()
        assert response.status_code in (400, 403), response.text
        assert "Error" not in response.text and "Traceback" not in response.text
    assert evil.connections == before


@pytest.mark.parametrize("name", UPDATE_NAMES)
def test_no_update_variant_reaches_an_endpoint_that_is_not_allowed(server, evil, name):
    update = update_attacks(evil.url + "/evil")[name]
    before = evil.connections
    response = httpx.post(server.url + "/sparql", data={"update": update},
                          headers={"Authorization": f"Bearer {TOKEN}"}, timeout=30)
    assert response.status_code in (400, 403), response.text
    assert evil.connections == before
    check = httpx.get(server.url + "/sparql", params={"query": "ASK { GRAPH <http://evil/loaded> { ?s ?p ?o } }"})
    assert check.json()["boolean"] is False


def test_an_allowed_endpoint_is_still_called(serve: ServerStarter, allowed: Listener) -> None:
    before = allowed.connections
    with serve("--workers", "1", "--allow-service", allowed.url + "/sparql") as running:
        query = f"SELECT ?a WHERE {{ SERVICE <{allowed.url}/sparql> {{ ?a ?b ?c }} }}"
        response = httpx.post(running.url + "/sparql", data={"query": query}, timeout=30)
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"] == [{"a": {"type": "literal", "value": "remote"}}]
    assert allowed.connections > before


# --- the normaliser itself -------------------------------------------------------------------

@pytest.mark.parametrize("name", QUERY_NAMES)
def test_the_normaliser_refuses_every_variant_even_with_other_endpoints_allowed(name):
    with pytest.raises(Refused) as refused:
        normalise(attacks("http://127.0.0.1:9/evil")[name], frozenset({"http://127.0.0.1:9/allowed"}))
    assert refused.value.status in (400, 403)


def test_the_normalised_text_has_no_comment_no_line_end_and_no_escape_left():
    text = normalise('SELECT ?x # a comment\r\nWHERE {\t?x <http://e/p>\n"caf\\u00E9"@fr # more\n}')
    assert text == 'SELECT ?x WHERE { ?x <http://e/p> "café"@fr }'
    assert normalise(text) == text


def test_every_catalog_question_answers_the_same_once_normalised(store, project):
    for path in sorted(project.queries_dir.glob("*.rq")):
        sparql = path.read_text(encoding="utf-8")
        normalised = normalise(sparql, frozenset({"https://query.wikidata.org/sparql"}))
        if "SERVICE" in sparql:
            continue  # they ask Wikidata: these tests are offline
        fmt = "turtle" if "CONSTRUCT" in sparql or "DESCRIBE" in sparql else "csv"
        assert render(store.query(normalised), fmt) == render(store.query(sparql), fmt), path.name


def test_nesting_deeper_than_the_limit_is_refused_before_any_parser():
    normalise("SELECT * WHERE " + "{" * MAX_DEPTH + "}" * MAX_DEPTH)
    with pytest.raises(Refused, match="nests"):
        normalise("SELECT * WHERE " + "{" * 5000 + "}" * 5000)


# --- the operating system's part -------------------------------------------------------------

def test_a_thread_that_dropped_the_network_cannot_connect_while_others_can(allowed):
    host, port = "127.0.0.1", int(allowed.url.rsplit(":", 1)[1])
    warnings: list[str] = []
    executor = offline_executor(True, 8 * 1024 * 1024, warnings.append)
    try:
        if warnings:
            pytest.skip(f"no network namespaces here: {warnings[0]}")

        def connect():
            try:
                socket.create_connection((host, port), timeout=5).close()
                return "connected"
            except OSError as exc:
                return f"refused: {exc}"

        assert executor.submit(connect).result().startswith("refused")
        assert connect() == "connected"
    finally:
        executor.shutdown()
