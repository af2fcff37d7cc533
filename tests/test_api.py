"""The Python library: what `import kg` offers, its errors, the one SPARQL client, the README's example."""

from __future__ import annotations

import base64
import doctest
import http.server
import json
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest

import kg
from kg import errors, sparql_client
from kg.link import Endpoint
from kg.store import LocalStore, RemoteStore, open_store, store_for_queries

ROOT = Path(__file__).resolve().parent.parent
API = {"Project", "build", "check", "Build", "Report", "Violation", "Store", "open_store", "built_store",
       "solutions", "render", "read_query", "questions", "HitzError", "ConfigurationError", "StoreError",
       "StoreInUse", "NotLoadedError", "Refused", "Busy", "QueryError", "ParseError", "ValidationFailed"}


def python(code: str) -> str:
    """Run `code` in a fresh interpreter (nothing of kg imported yet) and return what it printed."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


# --- the public API ----------------------------------------------------------------------

def test_all_lists_the_api_and_every_name_imports():
    listed = json.loads(python("import json, kg; print(json.dumps(kg.__all__))"))
    assert API <= set(listed)
    assert len(listed) == len(set(listed))
    for name in listed:
        assert getattr(kg, name) is not None, name
    assert set(listed) <= set(dir(kg))
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        kg.nothing  # noqa: B018 -- reading it is the test


def test_import_kg_loads_no_rdf_library_until_a_name_is_used():
    loaded = python("import sys, kg; print(sorted(m for m in ('rdflib', 'pyoxigraph', 'pyshacl', 'kg.build') "
                    "if m in sys.modules))")
    assert loaded.strip() == "[]"
    used = python("import sys, kg; kg.Report; print('rdflib' in sys.modules)")
    assert used.strip() == "True"


def test_kg_build_stays_the_function_when_the_module_kg_build_is_imported():
    kinds = python("import kg, kg.build; from kg.build import check; import kg.build; "
                   "print(callable(kg.build), kg.build.__module__, kg.check.__name__)")
    assert kinds.split() == ["True", "kg.build", "check"]
    assert kg.build.__module__ == "kg.build" and sys.modules["kg.build"].build is kg.build


def test_the_package_ships_py_typed():
    import tomllib

    assert (ROOT / "kg" / "py.typed").is_file()
    setup = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    assert "kg" in setup["packages"] and "py.typed" in setup["package-data"]["kg"]


# --- errors ----------------------------------------------------------------------------------

def test_every_error_is_a_hitz_error_and_old_names_still_import():
    from kg.serve import Busy as ServeBusy
    from kg.store import NotLoadedError as StoreNotLoaded, StoreInUse as StoreStoreInUse

    classes = [c for c in vars(errors).values() if isinstance(c, type) and issubclass(c, Exception)]
    assert {"StoreInUse", "NotLoadedError", "Refused", "Busy", "ConfigurationError", "EndpointError"} <= {
        c.__name__ for c in classes}
    assert all(issubclass(c, errors.HitzError) for c in classes)
    assert errors.KgError is errors.HitzError
    assert (ServeBusy, StoreNotLoaded, StoreStoreInUse) == (errors.Busy, errors.NotLoadedError, errors.StoreInUse)
    assert issubclass(errors.Refused, errors.QueryError) and issubclass(errors.StoreInUse, errors.StoreError)
    assert errors.ValidationFailed.exit_code == 1 and errors.ConfigurationError.exit_code == 2


def test_a_configuration_error_names_parameters_not_options():
    from kg.serve import Config

    with pytest.raises(errors.ConfigurationError) as both:
        store_for_queries(ROOT, ROOT / "dist", store="memory:", endpoint="http://127.0.0.1:9/sparql")
    assert both.value.parameters == ("store", "endpoint")
    assert str(both.value) == "give store or endpoint, not both"
    assert both.value.render(lambda p: f"<{p}>") == "give <store> or <endpoint>, not both"
    with pytest.raises(errors.ConfigurationError) as token:
        Config(allow_update=True)
    assert token.value.parameters == ("allow_update", "update_token") and "--" not in str(token.value)
    with pytest.raises(errors.ConfigurationError) as limits:
        Config(workers=0, max_rows=-1)
    assert set(limits.value.parameters) == {"workers", "max_rows"}
    assert str(limits.value) == "max_rows and workers must be positive"


@pytest.mark.parametrize("args, line", [
    (["query", "ASK {}", "--store", "memory:", "--endpoint", "http://127.0.0.1:9/sparql"],
     "error: give --store or --endpoint, not both"),
    (["query", "ASK {}", "--endpoint", "oxigraph:x"], "error: --endpoint needs an http(s):// URL, not 'oxigraph:x'"),
    (["serve", "--store", "memory:", "--allow-update"],
     "error: --allow-update needs --update-token (or HITZ_UPDATE_TOKEN): updates must carry a bearer token"),
    (["serve", "--store", "memory:", "--max-rows", "0", "--request-timeout", "-1"],
     "error: --max-rows and --request-timeout must be positive"),
])
def test_the_cli_words_a_configuration_error_with_its_options(args, line):
    done = subprocess.run([sys.executable, "-m", "kg.cli", *args], capture_output=True, text=True, cwd=ROOT,
                          env={"PATH": "/usr/bin:/bin", "HITZ_UPDATE_TOKEN": ""}, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [line] and done.stdout == ""


# --- one SPARQL client -----------------------------------------------------------------------

class Recorder(http.server.BaseHTTPRequestHandler):
    """A tiny SPARQL endpoint: answers SELECT with one row, CONSTRUCT with one triple, updates
    with 204, and the path /broken with 500; remembers the User-Agent and Authorization of each request."""

    seen: list[tuple[str, str, str]] = []

    def _answer(self, query: str) -> None:
        Recorder.seen.append((self.command, self.headers.get("User-Agent", ""), self.headers.get("Authorization", "")))
        if self.path.startswith("/broken"):
            self.send_response(500)
            self.end_headers()
            return
        if "CONSTRUCT" in query:
            body, media = b"<urn:a> <urn:b> <urn:c> .\n", "application/n-triples"
        elif "INSERT" in query or self.headers.get("Content-Type") == "application/sparql-update":
            self.send_response(204)
            self.end_headers()
            return
        else:
            body = json.dumps({"head": {"vars": ["g", "n"]}, "results": {"bindings": [
                {"g": {"type": "uri", "value": "urn:g"},
                 "n": {"type": "literal", "value": "1", "datatype": "http://www.w3.org/2001/XMLSchema#integer"}}]}}).encode()
            media = "application/sparql-results+json"
        self.send_response(200)
        self.send_header("Content-Type", media)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        from urllib.parse import parse_qs, urlsplit

        self._answer(" ".join(parse_qs(urlsplit(self.path).query).get("query", [""])))

    def do_POST(self):
        from urllib.parse import unquote_plus

        self._answer(unquote_plus(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()))

    def log_message(self, *args):
        pass


@pytest.fixture
def recorder():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Recorder.seen = []
    yield f"127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()


def test_stores_and_link_discovery_send_one_user_agent(recorder):
    store = RemoteStore(f"http://{recorder}/sparql", update=f"http://{recorder}/update")
    assert store.counts() == {"urn:g": 1}                                     # a SELECT, by GET
    assert len(store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")) == 1  # a graph
    store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")                  # urllib, not SPARQLWrapper
    rows = Endpoint(f"http://{recorder}/sparql", delay=0).select("SELECT ?g ?n WHERE {}")  # link discovery, POST
    assert rows[0]["g"]["value"] == "urn:g"
    assert {method for method, _, _ in Recorder.seen} == {"GET", "POST"}
    assert {agent for _, agent, _ in Recorder.seen} == {sparql_client.USER_AGENT}
    assert re.fullmatch(r"hitz-kg/\S+ \(https://w3id\.org/hitz\)", sparql_client.USER_AGENT)


def test_credentials_are_sent_as_basic_auth_and_masked_in_errors(recorder):
    with pytest.raises(errors.EndpointError) as failed:
        sparql_client.select(f"http://reader:s3cret@{recorder}/broken", "SELECT * WHERE {}")
    assert failed.value.status == 500
    assert "s3cret" not in str(failed.value) and f"http://***@{recorder}/broken" in str(failed.value)
    assert sparql_client.select(f"http://reader:s3cret@{recorder}/sparql", "SELECT * WHERE {}")
    auth = {header for _, _, header in Recorder.seen}
    assert auth == {"Basic " + base64.b64encode(b"reader:s3cret").decode()}


def test_one_timeout_policy_and_a_clear_error_when_no_answer_comes():
    assert [sparql_client.timeout_seconds(t) for t in (0.2, 1.0, 2.6, 30.0)] == [1, 1, 3, 30]
    silent = __import__("socket").create_server(("127.0.0.1", 0))  # accepts, never answers
    try:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/sparql"
        with pytest.raises(errors.EndpointError, match="no answer in time") as late:
            sparql_client.select(url, "SELECT * WHERE {}", timeout=1)
        assert late.value.status is None
    finally:
        silent.close()


# --- the Store protocol ----------------------------------------------------------------------

def test_a_store_is_a_context_manager_that_closes(tmp_path):
    url = f"oxigraph:{tmp_path / 'store'}"
    with open_store(url) as store:
        assert isinstance(store, LocalStore) and isinstance(store, kg.Store)
        store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
        with pytest.raises(errors.StoreInUse):
            open_store(url)
    assert not hasattr(store, "store")  # its handle is gone: the store can be opened again
    with open_store(url, read_only=True) as again:
        assert again.counts() == {"default": 1}
    remote = RemoteStore("http://127.0.0.1:9/sparql")
    with remote as same:
        assert same is remote and isinstance(remote, kg.Store)


# --- the README's Python example --------------------------------------------------------------

def readme_examples() -> str:
    """The `pycon` blocks of the README's section "Use it from Python"."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Use it from Python\n", 1)[1].split("\n## ", 1)[0]
    return "\n".join(re.findall(r"```pycon\n(.*?)```", section, re.DOTALL))


def test_the_readme_python_example_runs():
    text = readme_examples()
    assert text.count(">>>") > 10
    test = doctest.DocTestParser().get_doctest(text, {}, "README.md: Use it from Python", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    report: list[str] = []
    runner.run(test, out=report.append)
    assert runner.failures == 0, "".join(report)
