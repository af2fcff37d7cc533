"""Shared fixtures: the project, one build of it into a temporary dist/, a store of that build, copies of
the project to break or query, `kg serve` started on a free port (`serve`), and the network filter.

Test modules import `ROOT` (this checkout) and `OFFLINE_QUERIES` from here: `from conftest import ROOT`.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

import pytest
from rdflib import Literal
from rdflib.term import Node

from kg.build import Build, build
from kg.project import Project
from kg.query import load_question, solutions
from kg.store import built_store
from kg.testing import Server, kg_server, online
from listeners import Listener

ROOT = Path(__file__).resolve().parent.parent
SOURCE_FOLDERS = ("ontology", "shapes", "data", "queries")
# the question catalog but for the federated questions (`# Needs: network`), which ask Wikidata:
# the tests that run the whole catalog are offline
OFFLINE_QUERIES = [p for p in sorted((ROOT / "queries").glob("*.rq")) if not load_question(p).needs_network]


@pytest.fixture(scope="session")
def project() -> Project:
    return Project(ROOT)


@pytest.fixture(scope="session")
def indicators(project: Project):
    """The code list's indicators, as `kg extract` matches figures against them."""
    from kg.extract.cli import project_indicators
    return project_indicators(project)


@pytest.fixture(scope="session")
def article(project: Project) -> str:
    """The article's text, exactly as the spans count it."""
    return project.article_path.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def session_build(project: Project, tmp_path_factory) -> tuple[Build, Path]:
    """One build of the project into a temporary dist/ (the checkout's dist/ is not touched)."""
    dist = tmp_path_factory.mktemp("build") / "dist"
    return build(project, dist), dist


@pytest.fixture(scope="session")
def built_dist(session_build: tuple[Build, Path]) -> Path:
    """The session build's dist/ folder."""
    return session_build[1]


@pytest.fixture(scope="session")
def built(session_build: tuple[Build, Path]) -> Build:
    """The session build's graph and validation report (validated once, by the build)."""
    return session_build[0]


@pytest.fixture(scope="session")
def store(built_dist: Path):
    """An in-memory Oxigraph store of the built graph."""
    return built_store(built_dist)


@pytest.fixture(scope="session")
def select(store):
    """Run a SELECT on the built graph and get plain Python rows."""

    def run(sparql: str) -> list[dict]:
        return solutions(store.query(sparql))

    return run


def literal(node: Node | None) -> Literal:
    """`node` as a literal (`int(literal(graph.value(s, p)))`): the test fails here if the graph has
    no value or something else."""
    assert isinstance(node, Literal), f"expected a literal, found {node!r}"
    return node


def copy_project(target: Path, dist: Path | None = None) -> Path:
    """Copy the project's sources (ontology/, shapes/, data/, queries/) to `target`, with `dist` as its dist/."""
    for name in SOURCE_FOLDERS:
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, target / name)
    if dist is not None:
        shutil.copytree(dist, target / "dist")
    return target


@pytest.fixture
def project_copy(tmp_path: Path) -> Project:
    """A throwaway copy of the project's sources, to break on purpose."""
    return Project(copy_project(tmp_path / "project"))


@pytest.fixture(scope="module")
def built_project(tmp_path_factory, built_dist: Path) -> Path:
    """A copy of the project with the session's build as its dist/, for commands that read the build
    (a fresh clone has no dist/ of its own); one per test module, which may change it."""
    return copy_project(tmp_path_factory.mktemp("built") / "project", built_dist)


ServerStarter = Callable[..., AbstractContextManager[Server]]


@pytest.fixture(scope="module")
def allowed() -> Iterator[Listener]:
    """A SPARQL endpoint on loopback (tests/listeners.py) for a module's servers to put on their
    allow-list (`--allow-service URL/sparql`): it answers one row and counts the connections."""
    with Listener() as listener:
        yield listener


@pytest.fixture(scope="session")
def serve(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> ServerStarter:
    """Start `kg serve` in its own process on a free loopback port, the one way every test does:
    `with serve("--workers", "2", token=TOKEN) as server: ... server.url`. The store is `memory:`
    unless `store` names another, the data the session's build unless `dist` names another folder;
    `token` allows updates with that bearer token; the log goes to a fresh temporary folder, and
    with `clean_log` the server's log must show no traceback once it has stopped."""

    @contextmanager
    def start(*options: str, store: str = "memory:", dist: Path | None = None, token: str | None = None,
              clean_log: bool = False) -> Iterator[Server]:
        args = ["--store", store, *options]
        if token is not None:
            args += ["--allow-update", "--update-token", token]
        log = tmp_path_factory.mktemp("serve") / "serve.log"
        data = dist if dist is not None else request.getfixturevalue("built_dist")  # built only when used
        with kg_server(ROOT, *args, log=log, dist=data) as running:
            yield running
        if clean_log:
            text = running.log_text()
            assert "Traceback" not in text, text[-3000:]

    return start


def pytest_collection_modifyitems(config, items) -> None:
    """The network filter: tests marked `network` (they ask the public Wikidata endpoint) are skipped
    when it cannot be reached; nothing else may use the internet."""
    marked = [item for item in items if item.get_closest_marker("network")]
    if marked and not online():
        skip = pytest.mark.skip(reason="offline: the public Wikidata endpoint cannot be reached")
        for item in marked:
            item.add_marker(skip)


def pytest_terminal_summary(terminalreporter) -> None:
    """The figures of the run: SHACL constraints broken by the shape cases (tests/test_shape_cases.py)
    and the W3C suites (tests/test_w3c.py), when they ran."""
    import sys

    import shapecases

    line = shapecases.summary()
    if line:
        terminalreporter.write_line(line)
    module = sys.modules.get("test_w3c")
    for suite, f in sorted(getattr(module, "FIGURES", {}).items()):
        terminalreporter.write_line(f"W3C {suite}: {f['passed']} passed, {f['known']} known differences "
                                    f"(tests/w3c-known-differences.json), {f['failed']} failed, of {f['total']}")


def pytest_addoption(parser):
    parser.addoption("--fuzz-long", action="store_true", default=False,
                     help="Run the property-based and fuzz tests with many more examples (minutes, not seconds).")


def pytest_configure(config):
    """Hypothesis profiles: 'short' for make test, 'long' with --fuzz-long (or HITZ_FUZZ=long)."""
    import os

    from hypothesis import HealthCheck, settings

    settings.register_profile("short", max_examples=40, deadline=None, derandomize=True,
                              suppress_health_check=[HealthCheck.too_slow])
    settings.register_profile("long", max_examples=2000, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow])
    long = config.getoption("--fuzz-long") or os.environ.get("HITZ_FUZZ") == "long"
    settings.load_profile("long" if long else "short")
