"""One small interface over the stores the graph can live in, each named by a store URL.

- ``memory:`` an Oxigraph store in this process, gone when it ends;
- ``oxigraph:PATH`` the embedded, persistent Oxigraph store (``oxigraph:.kg/store`` by
  default, relative to the project root);
- ``http://…`` / ``https://…`` any SPARQL 1.1 store, named by its query endpoint, with
  its update and Graph Store Protocol endpoints given or derived from the known layouts
  of Oxigraph server, Apache Jena Fuseki, Virtuoso and GraphDB (:func:`derive_endpoints`).

Every backend answers :meth:`query` with the same result objects (pyoxigraph's
``QuerySolutions``/``QueryBoolean``, or :class:`Triples`), so ``kg.query.render`` prints
them all. :meth:`replace` swaps in the built dataset with its named graphs, atomically
for readers: locally by bulk loading a fresh store folder beside the current one and
then pointing the store's path (a symbolic link) at it in one rename; remotely by uploading every graph to a
staging graph and then moving all of them into place with one SPARQL Update request
(atomic on stores that run an update request as one transaction: Oxigraph, Fuseki with
TDB2, GraphDB).
"""

from __future__ import annotations

import gc
import hashlib
from abc import ABC, abstractmethod
import json
import os
import re
import shutil
import time
import urllib.parse
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, BinaryIO, Protocol, TypeVar, cast, runtime_checkable
from collections.abc import Callable, Iterable

import pyoxigraph as ox

from . import sparql_client
from .dataset import effective_dataset, query_dataset
from .errors import ConfigurationError, NotBuiltError, NotLoadedError, QueryError, StoreError, StoreInUse
from .sparql_client import DEFAULT_TIMEOUT, mask_credentials
from .sparql_client import split_credentials as _split_credentials

if TYPE_CHECKING:  # what a query answers: solutions, a boolean, or triples (Triples from a remote store)
    from typing import TypeAlias

    QueryResult: TypeAlias = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | "Triples"

DEFAULT_STORE = "oxigraph:.kg/store"
HITZ_GRAPHS = "https://w3id.org/hitz/id/graph/"
STAGING = "urn:hitz-kg:staging:"
DEFAULT = "default"  # the key of the default graph in counts

_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"

Progress = Callable[[str, int], None]
_S = TypeVar("_S", bound="_Closing")


@runtime_checkable
class Store(Protocol):
    """What every store answers (LocalStore, RemoteStore): queries, triple counts, updates,
    replacing this project's graphs with a build, and closing; ``with open_store(...) as
    store:`` closes it at the end of the block."""

    url: str

    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, source: str = "query",
              base_iri: str | None = None) -> QueryResult: ...

    def counts(self) -> dict[str, int]: ...

    def update(self, sparql: str, base_iri: str | None = None) -> None: ...

    def replace(self, dist: Path, progress: Progress | None = None) -> dict[str, int]: ...

    def flush(self) -> None: ...

    def close(self) -> None: ...

    def __enter__(self) -> Store: ...

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None: ...


class _Closing(ABC):
    """Context manager support for the stores: the block's end closes the store."""

    @abstractmethod
    def close(self) -> None:
        """Release the store (its lock, its handle)."""

    def __enter__(self: _S) -> _S:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()


@dataclass(frozen=True)
class Triples:
    """A CONSTRUCT or DESCRIBE result read back from a remote store: iterable, serialisable."""

    triples: tuple

    def __iter__(self):
        return iter(self.triples)

    def __len__(self) -> int:
        return len(self.triples)

    def serialize(self, format: ox.RdfFormat) -> bytes:
        return ox.serialize(list(self.triples), format=format) or b""


def dataset_quads(dist: Path) -> dict[str, list[ox.Quad]]:
    """The built dataset of `dist` (hitz.nq) as {graph IRI or 'default': quads}."""
    nquads = dist / "hitz.nq"
    if not nquads.is_file():
        raise NotBuiltError(f"{nquads} not found: run `kg build` first")
    graphs: dict[str, list[ox.Quad]] = defaultdict(list)
    try:
        for quad in ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS):
            key = DEFAULT if isinstance(quad.graph_name, ox.DefaultGraph) else quad.graph_name.value
            graphs[key].append(quad)
    except (SyntaxError, OSError) as exc:
        raise NotBuiltError(f"{nquads}: {exc}; run `kg build` again") from None
    return dict(graphs)


def build_digest(dist: Path) -> str:
    """A fingerprint of the built dataset, to tell whether a store holds the current build."""
    digest = hashlib.sha256()
    with open(dist / "hitz.nq", "rb") as file:
        while chunk := file.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _graph_term(key: str):
    return ox.DefaultGraph() if key == DEFAULT else ox.NamedNode(key)


def _drop(keys: Iterable[str]) -> list[str]:
    return ["DROP SILENT DEFAULT" if k == DEFAULT else f"DROP SILENT GRAPH <{k}>" for k in keys]


def _nquads_of(dist: Path) -> Path:
    nquads = dist / "hitz.nq"
    if not nquads.is_file():
        raise NotBuiltError(f"{nquads} not found: run `kg build` first")
    return nquads


class _CountingReader:
    """A binary file read by Oxigraph's loader, telling `progress` how many lines (quads) went by."""

    def __init__(self, file: BinaryIO, progress: Progress):
        self.file = file
        self.progress = progress

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.progress("", data.count(b"\n"))
        return data


def _bulk_load(store: ox.Store, nquads: Path, progress: Progress | None) -> None:
    """Bulk load an N-Quads file (Oxigraph's loader, nothing held in Python); a syntax error in
    one line naming the file and its line."""
    try:
        if progress is None:
            store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        else:
            with open(nquads, "rb") as file:
                store.bulk_load(cast(BinaryIO, _CountingReader(file, progress)), format=ox.RdfFormat.N_QUADS)
    except SyntaxError as exc:
        where = f"{nquads}:{exc.lineno}" if exc.lineno else str(nquads)
        reason = str(exc.msg if exc.msg else exc).split(" (", 1)[0]
        raise NotBuiltError(f"{where}: {reason}; run `kg build` again") from None
    except OSError as exc:
        raise StoreError(f"{nquads}: cannot load it: {exc}") from None


def _copy_foreign_graphs(source: ox.Store, target: ox.Store) -> None:
    """Copy into `target` the named graphs of `source` that are neither this project's nor in `target`."""
    built = {g.value for g in target.named_graphs() if isinstance(g, ox.NamedNode)}
    for graph in source.named_graphs():
        if isinstance(graph, ox.NamedNode) and not graph.value.startswith(HITZ_GRAPHS) and graph.value not in built:
            target.bulk_extend(source.quads_for_pattern(None, None, None, graph))


def _folder_beside(path: Path) -> Path:
    """A new, empty folder for a store's data next to `path` (which links to the current one)."""
    folder = path.parent / f".{path.name}-{uuid.uuid4().hex[:12]}"
    folder.mkdir(parents=True)
    return folder


def _point(path: Path, folder: Path) -> None:
    """Make `path` a symbolic link to `folder` in one rename: a reader opening `path` gets one or the other."""
    link = path.parent / f".{path.name}-link-{uuid.uuid4().hex[:12]}"
    link.symlink_to(folder.name)
    try:
        os.replace(link, path)
    except OSError:
        link.unlink()
        raise


def _create_layout(path: Path) -> None:
    """A new store at `path`: a link to a data folder beside it (so `kg load` can swap folders)."""
    if not path.exists() and not path.is_symlink():
        _point(path, _folder_beside(path))


def _stale_folders(path: Path) -> list[Path]:
    """Data folders and links beside `path` left by loads that stopped midway (none is in use)."""
    current = path.resolve()
    ours = re.compile(rf"\.{re.escape(path.name)}-(link-)?[0-9a-f]{{12}}")
    return [p for p in path.parent.iterdir() if ours.fullmatch(p.name) and p != current]


def _open_writable(path: Path) -> ox.Store:
    """The store at `path`, opened read-write at its data folder (the link resolved), so the
    handle keeps working in that folder after `kg load` points the link elsewhere."""
    return ox.Store(str(path.resolve()))


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    else:
        shutil.rmtree(path, ignore_errors=True)


def raced_writer(exc: BaseException) -> bool:
    """Whether a read-only view failed because the writer (`kg load`) replaced its files meanwhile."""
    text = str(exc)
    return "No such file" in text or "Corruption" in text


def _open_read_only(path: Path, attempts: int = 5):
    """A read-only view of an Oxigraph store; opened again if `kg load` compacts it meanwhile."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(str(path.resolve()))  # the folder, not the link: see _open_writable
        except (OSError, RuntimeError) as exc:
            if attempt == attempts - 1 or not raced_writer(exc):
                raise
            time.sleep(0.05 * (attempt + 1))


class LocalStore(_Closing):
    """A pyoxigraph store, in memory (``memory:``) or on disk (``oxigraph:PATH``)."""

    def __init__(self, url: str, path: Path | None, *, read_only: bool = False):
        self.url = url
        self.path = path
        self.read_only = read_only
        if path is None:
            self.store = ox.Store()
            return
        try:
            if read_only:
                if not (path / "CURRENT").is_file():
                    raise NotLoadedError(f"{url}: no store there yet: run `kg load` first")
                self.store = _open_read_only(path)
            else:
                _create_layout(path)
                self.store = _open_writable(path)
        except OSError as exc:
            if "lock" in str(exc).lower():
                raise StoreInUse(
                    f"{url} is open in another process (a running `kg serve`?): stop it first, "
                    "or change the data through that server") from None
            raise StoreError(f"{url}: cannot open the store: {exc}") from None

    # -- reading -------------------------------------------------------------------------
    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, source: str = "query", base_iri: str | None = None):
        """Run a query on its dataset (kg.dataset): the protocol's graphs, else the query's
        FROM / FROM NAMED, else the union of all graphs as the default graph."""
        options: dict = {"base_iri": base_iri} if base_iri else {}
        dataset = effective_dataset(sparql, default_graphs, named_graphs)
        if dataset is None:
            options["use_default_graph_as_union"] = True
        elif not dataset.native:  # graphs the store does not hold are empty; nothing is fetched
            options["default_graph"] = [ox.NamedNode(g) for g in dataset.default]
            options["named_graphs"] = [ox.NamedNode(g) for g in dataset.named]
        try:
            for attempt in range(4):
                try:
                    return self.store.query(sparql, **options)
                except (OSError, RuntimeError) as exc:  # `kg load` compacted the files of this view
                    if not (self.read_only and raced_writer(exc)) or attempt == 3:
                        raise
                    self.store = _open_read_only(self.path)  # type: ignore[arg-type]  # a read-only view has a path
        except SyntaxError as exc:
            raise QueryError(f"{source}: malformed SPARQL: {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:  # the first line only: no remote payload
            reason = str(exc).split(" with payload:")[0].strip().splitlines()
            raise QueryError(f"{source}: the query failed: {reason[0] if reason else type(exc).__name__}") from None

    def counts(self) -> dict[str, int]:
        """Triples per named graph ('default' for the default graph), every graph of the store."""
        graphs = [g for g in self.store.named_graphs() if isinstance(g, ox.NamedNode)]
        found = {g.value: self._count(f"GRAPH <{g.value}> {{ ?s ?p ?o }}") for g in graphs}  # one scan each:
        default = self._count("?s ?p ?o")  # quicker than one GROUP BY over every graph
        if default:
            found[DEFAULT] = default
        return dict(sorted((g, n) for g, n in found.items() if n))

    def _count(self, pattern: str) -> int:
        solutions = cast(ox.QuerySolutions, self.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}"))
        return int(next(iter(solutions))["n"].value)

    # -- writing -------------------------------------------------------------------------
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        """Run a SPARQL Update in one transaction (relative IRIs against `base_iri`)."""
        try:
            self.store.update(sparql, base_iri=base_iri)
        except SyntaxError as exc:
            raise QueryError(f"malformed SPARQL Update: {exc}") from None
        except (OSError, ValueError, RuntimeError) as exc:
            raise StoreError(f"{self.url}: the update failed: {exc}") from None

    def replace(self, dist: Path, progress: Progress | None = None) -> dict[str, int]:
        """Replace this project's graphs with the build of `dist`; other named graphs are kept.

        Oxigraph's bulk loader fills a new store (a folder beside the current one, or a new
        in-memory store) and only a complete load takes the current one's place: readers see
        the old data or the new, and a load that fails leaves the old data as it was.
        """
        nquads = _nquads_of(dist)
        if self.path is None:
            fresh = ox.Store()
            _bulk_load(fresh, nquads, progress)
            _copy_foreign_graphs(self.store, fresh)
            self.store = fresh
            return self.counts()
        for stale in _stale_folders(self.path):  # we hold the store's lock: no other load runs
            _remove(stale)
        folder = _folder_beside(self.path)
        with ThreadPoolExecutor(1) as beside:  # the fingerprint is read while Oxigraph loads
            digest = beside.submit(build_digest, dist)
            try:
                fresh = ox.Store(str(folder))
                _bulk_load(fresh, nquads, progress)
                _copy_foreign_graphs(self.store, fresh)
                fresh.flush()
                del fresh
            except BaseException:
                shutil.rmtree(folder, ignore_errors=True)
                raise
        old = self.path.resolve()
        if not self.path.is_symlink():  # a store made before folders were swapped: closed, moved aside once
            del self.store
            old = self.path.parent / f".{self.path.name}-{uuid.uuid4().hex[:12]}"
            os.rename(self.path, old)
        _point(self.path, folder)
        self.__dict__.pop("store", None)  # close the old folder; readers still in it will open the new one
        self.store = _open_writable(self.path)
        _remove(old)
        marker = self._marker()
        written = marker.with_name(marker.name + ".new")
        written.write_text(json.dumps({"build": digest.result()}) + "\n", encoding="utf-8")
        os.replace(written, marker)
        return self.counts()

    def _marker(self) -> Path:
        assert self.path is not None
        return self.path.parent / (self.path.name + ".loaded.json")

    def holds_build(self, dist: Path) -> bool:
        """Whether this store was last loaded from the build now in `dist`."""
        if self.path is None:
            return False
        try:
            loaded = json.loads(self._marker().read_text(encoding="utf-8")).get("build")
        except (OSError, ValueError):
            return False
        return (dist / "hitz.nq").is_file() and loaded == build_digest(dist)

    def dump(self) -> bytes:
        return self.store.dump(format=ox.RdfFormat.N_QUADS) or b""

    def flush(self) -> None:
        if self.path is not None and not self.read_only:
            self.store.flush()

    def close(self) -> None:
        self.flush()
        del self.store
        # An Oxigraph iterator caught in a reference cycle keeps the store, and its lock, open until a
        # collection reaches it; one made on this thread cannot be freed from another (pyo3 leaks it
        # there), so collect now, here: a server started next must find the store free.
        gc.collect()


@dataclass(frozen=True)
class Endpoints:
    query: str
    update: str | None
    graph_store: str | None


def derive_endpoints(query_url: str, update: str | None = None, graph_store: str | None = None) -> Endpoints:
    """The update and Graph Store Protocol endpoints of a store, unless given.

    Known layouts (by the query endpoint's path):
    ``/query`` Oxigraph server (``/update``, ``/store``); ``/DATASET/sparql`` or
    ``/DATASET/query`` Fuseki (``/DATASET/update``, ``/DATASET/data``); ``/sparql`` Virtuoso
    (``/sparql``, ``/sparql-graph-crud``); ``/repositories/ID`` GraphDB
    (``/repositories/ID/statements``, ``/repositories/ID/rdf-graphs/service``).
    """
    parts = urllib.parse.urlsplit(query_url)
    path = parts.path.rstrip("/")
    segments = [s for s in path.split("/") if s]

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new_path, "", ""))

    guess_update = guess_gsp = None
    if segments == ["query"]:
        guess_update, guess_gsp = at("/update"), at("/store")
    elif len(segments) >= 2 and segments[-1] in ("sparql", "query") and segments[-2] != "repositories":
        base = "/" + "/".join(segments[:-1])
        guess_update, guess_gsp = at(base + "/update"), at(base + "/data")
    elif segments == ["sparql"]:
        guess_update, guess_gsp = at("/sparql"), at("/sparql-graph-crud")
    elif len(segments) == 2 and segments[0] == "repositories":
        guess_update, guess_gsp = at(path + "/statements"), at(path + "/rdf-graphs/service")
    return Endpoints(query_url, update or guess_update, graph_store or guess_gsp)


class RemoteStore(_Closing):
    """A SPARQL 1.1 store reached over HTTP: the Protocol for queries and updates, the
    Graph Store Protocol for uploads, all through kg.sparql_client."""

    def __init__(self, query_url: str, *, update: str | None = None, graph_store: str | None = None,
                 timeout: float = DEFAULT_TIMEOUT, union: bool = True):
        self.endpoints = derive_endpoints(query_url, update, graph_store)
        self.url = query_url
        self.timeout = timeout
        self.union = union
        self._graphs: list[str] | None = None

    # -- reading -------------------------------------------------------------------------
    def query(self, sparql: str, *, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None, source: str = "query", base_iri: str | None = None):
        """Run a query through kg.sparql_client (relative IRIs are left to the store's own base); on a store of this project the default graph is
        the union of the project's graphs (sent as default-graph-uri), as in the local stores,
        unless the query names its own dataset (FROM / FROM NAMED), which the store then reads."""
        if not default_graphs and not named_graphs and self.union and query_dataset(sparql) is None:
            graphs = self.project_graphs()
            default_graphs, named_graphs = graphs, graphs
        return sparql_query(self.url, sparql, default_graphs=default_graphs, named_graphs=named_graphs,
                            timeout=self.timeout, source=source)

    def project_graphs(self) -> list[str]:
        if self._graphs is None:
            self._graphs = [g for g in self.counts() if g.startswith(HITZ_GRAPHS)]
        return self._graphs

    def counts(self) -> dict[str, int]:
        result = sparql_query(self.url, _COUNTS, timeout=self.timeout, source="counting triples")
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError(f"{mask_credentials(self.url)}: counting triples: the endpoint did not answer the SELECT with solutions")
        return dict(sorted((s["g"].value, int(s["n"].value)) for s in result))

    # -- writing -------------------------------------------------------------------------
    def update(self, sparql: str, base_iri: str | None = None) -> None:
        if not self.endpoints.update:
            raise ConfigurationError(f"{mask_credentials(self.url)}: no update endpoint known for this store: "
                                     "give {update} URL", "update")
        url, headers = _split_credentials(self.endpoints.update)
        self._send("POST", url, sparql.encode("utf-8"), {**headers, "Content-Type": "application/sparql-update"},
                   what="the update")

    def put_graph(self, graph: str, ntriples: bytes) -> None:
        """Graph Store Protocol PUT: replace one named graph."""
        if not self.endpoints.graph_store:
            raise ConfigurationError(f"{mask_credentials(self.url)}: no Graph Store Protocol endpoint known: "
                                     "give {graph_store} URL", "graph_store")
        base, headers = _split_credentials(self.endpoints.graph_store)
        target = base + ("&" if "?" in base else "?") + urllib.parse.urlencode({"graph": graph})
        self._send("PUT", target, ntriples, {**headers, "Content-Type": "application/n-triples"},
                   what=f"uploading <{graph}>")

    def _send(self, method: str, url: str, body: bytes, headers: dict[str, str], *, what: str) -> None:
        sparql_client.send(method, url, body, headers, timeout=self.timeout, what=what)

    def replace(self, dist: Path, progress: Progress | None = None) -> dict[str, int]:
        """Upload every graph to a staging graph, then move them all into place in one update.

        Until that last request the store's graphs are untouched, so a load that fails
        midway (the store stops, the network drops) leaves the previous graph readable.
        """
        graphs = dataset_quads(dist)
        run = uuid.uuid4().hex
        staged: dict[str, str] = {}
        try:
            for i, (key, quads) in enumerate(sorted(graphs.items())):
                staging = f"{STAGING}{run}:{i}"
                data = ox.serialize([q.triple for q in quads], format=ox.RdfFormat.N_TRIPLES) or b""
                self.put_graph(staging, data)
                staged[key] = staging
                if progress:
                    progress(key, len(quads))
            old = [g for g in self.counts()  # graphs of the previous build, and staging left by failed loads
                   if (g.startswith(HITZ_GRAPHS) and g not in staged)
                   or (g.startswith(STAGING) and g not in staged.values())]
            moves = [f"MOVE SILENT GRAPH <{s}> TO {'DEFAULT' if k == DEFAULT else f'GRAPH <{k}>'}"
                     for k, s in staged.items()]
            self.update(" ;\n".join(moves + _drop(old)))
        except StoreError as exc:
            self._clean(staged.values())
            raise StoreError(f"loading into {self.url} failed, the store keeps its previous graph: {exc}") from None
        self._graphs = None
        return self.counts()

    def _clean(self, staging: Iterable[str]) -> None:
        """Best effort: drop staging graphs left by a failed load."""
        staging = list(staging)
        if staging:
            try:
                self.update(" ;\n".join(_drop(staging)))
            except StoreError:
                pass

    def flush(self) -> None:
        """Nothing to write: the remote store keeps its own data."""

    def close(self) -> None:
        pass


def sparql_query(endpoint: str, sparql: str, *, default_graphs: list[str] | None = None,
                 named_graphs: list[str] | None = None, timeout: float = DEFAULT_TIMEOUT,
                 source: str = "query") -> ox.QuerySolutions | ox.QueryBoolean | Triples:
    """Ask a SPARQL endpoint (kg.sparql_client) and read the answer back into the same result
    objects as a local store."""
    answer = sparql_client.request(endpoint, sparql, default_graphs=default_graphs, named_graphs=named_graphs,
                                   timeout=timeout, source=source)
    graph_result = answer.graph_result
    shown = mask_credentials(endpoint)
    try:
        results_format = ox.QueryResultsFormat.from_media_type(answer.media_type)
        if results_format is not None and not graph_result:
            return ox.parse_query_results(answer.body, format=results_format)
        rdf_format = ox.RdfFormat.from_media_type(answer.media_type)
        if rdf_format is not None and graph_result:
            return Triples(tuple(q.triple for q in ox.parse(answer.body, format=rdf_format)))
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"{shown}: {source}: unreadable answer ({answer.media_type}): {exc}") from None
    raise StoreError(f"{shown}: {source}: unexpected answer of type {answer.media_type or 'unknown'!r}")


def check_url(url: str | None) -> None:
    """Refuse (StoreError) an http(s) URL that cannot be used: a bad host, port or bracket."""
    if url is None:
        return
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 -- reading it checks it
    except ValueError as exc:
        raise StoreError(f"{mask_credentials(url)}: not a usable URL ({exc})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise StoreError(f"{mask_credentials(url)}: not a usable http(s) URL")


def store_path(url: str, root: Path) -> Path | None:
    """The folder of an ``oxigraph:PATH`` store (relative paths from the project root)."""
    if url.startswith("oxigraph:"):
        raw = url[len("oxigraph:"):]
        if not raw:
            raise StoreError("oxigraph: needs a folder, e.g. oxigraph:.kg/store")
        path = Path(raw).expanduser()
        return path if path.is_absolute() else root / path
    return None


def open_store(url: str | None = None, *, root: Path | None = None, update: str | None = None,
               graph_store: str | None = None, timeout: float = DEFAULT_TIMEOUT,
               read_only: bool = False) -> LocalStore | RemoteStore:
    """The store named by `url` (default ``oxigraph:.kg/store``, relative paths from `root`,
    default the project's root): a LocalStore or a RemoteStore, each a :class:`Store`."""
    url = url or DEFAULT_STORE
    if root is None:
        from .project import default_root

        root = default_root()
    if url == "memory:":
        return LocalStore(url, None)
    if url.startswith("oxigraph:"):
        return LocalStore(url, store_path(url, root), read_only=read_only)
    if url.startswith(("http://", "https://")):
        for given in (url, update, graph_store):
            check_url(given)
        return RemoteStore(url, update=update, graph_store=graph_store, timeout=timeout)
    raise StoreError(f"unknown store {url!r}: use memory:, oxigraph:PATH or an http(s):// SPARQL endpoint")


def embedded_store_for(root: Path, dist: Path) -> LocalStore | None:
    """The default embedded store, read-only, if it holds the build now in `dist`; else None
    (then `kg query` and `kg questions` read dist/ directly)."""
    path = store_path(DEFAULT_STORE, root)
    if path is None or not (path / "CURRENT").is_file():
        return None
    try:
        store = LocalStore(DEFAULT_STORE, path, read_only=True)
    except StoreError:
        return None
    if not store.holds_build(dist):
        return None
    return store


def built_store(dist: Path) -> LocalStore:
    """An in-memory store of the build in `dist` (what `kg query` reads without a loaded store)."""
    store = LocalStore(f"memory: ({dist})", None)
    nquads = dist / "hitz.nq"
    if not nquads.is_file():
        raise NotBuiltError(f"{nquads} not found: run `kg build` first")
    store.store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return store


def store_for_queries(root: Path, dist: Path, *, store: str | None = None, endpoint: str | None = None,
                      timeout: float = DEFAULT_TIMEOUT):
    """Where `kg query` and `kg questions` ask: --endpoint (any SPARQL endpoint, as is), --store
    (a store URL), else the embedded store if it holds the current build, else dist/ itself."""
    if store and endpoint:
        raise ConfigurationError("give {store} or {endpoint}, not both", "store", "endpoint")
    if endpoint:
        if not endpoint.startswith(("http://", "https://")):
            raise ConfigurationError(f"{{endpoint}} needs an http(s):// URL, not {mask_credentials(repr(endpoint))}",
                                     "endpoint")
        check_url(endpoint)
        return RemoteStore(endpoint, timeout=timeout, union=False)
    if store == "memory:":
        return built_store(dist)
    if store:
        return open_store(store, root=root, timeout=timeout, read_only=True)
    return embedded_store_for(root, dist) or built_store(dist)
