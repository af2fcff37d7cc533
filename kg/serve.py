"""`kg serve`: the graph over the SPARQL 1.1 Protocol, safe by default.

Starlette and uvicorn. Queries on a local store run in a pool of worker processes,
each with its own read-only view of the store, so that a query past the time limit is
cancelled by ending its process (Oxigraph cannot interrupt a running query) while the
other workers go on answering. Queries on a remote store are sent with the time limit
as their HTTP timeout. SPARQL Update runs in the server process, on the one writable
handle of the store, and then the workers are renewed to see the change.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
import multiprocessing
import signal
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .endpoint import Answer, Refused, answer_query, inspect_update, negotiate
from .errors import StoreError
from .store import DEFAULT_STORE, HITZ_GRAPHS, LocalStore, NotLoadedError, RemoteStore, open_store

log = logging.getLogger("kg.serve")
UPDATE_TOKEN_ENV = "HITZ_UPDATE_TOKEN"


@dataclass(frozen=True)
class Setting:
    """One server setting: it makes the `kg serve` option, its help and the README table."""

    name: str
    default: object
    help: str
    type: type = str
    multiple: bool = False
    envvar: str | None = None
    shown: str | None = None  # how the default reads, when its value says too little

    @property
    def default_text(self) -> str:
        if self.shown:
            return self.shown
        return {None: "none", (): "none", False: "off"}.get(self.default, str(self.default))  # type: ignore[arg-type]

    @property
    def option(self) -> str:
        return "--" + self.name

    @property
    def key(self) -> str:
        return self.name.replace("-", "_")

    @property
    def flag(self) -> bool:
        return self.type is bool


SETTINGS: tuple[Setting, ...] = (
    Setting("host", "127.0.0.1", "Interface to listen on; 127.0.0.1 answers this machine only."),
    Setting("port", 8000, "TCP port to listen on.", int),
    Setting("store", DEFAULT_STORE, "Store to serve: memory: (the built dist/), oxigraph:PATH, "
                                    "or a remote SPARQL 1.1 query endpoint http(s)://..."),
    Setting("update", None, "Update endpoint of a remote store.", shown="derived from --store"),
    Setting("cors", False, "Answer cross-origin requests from any web page (Access-Control-Allow-Origin: *).", bool),
    Setting("allow-update", False, "Accept SPARQL Update; needs --update-token, which requests must carry "
                                   "as 'Authorization: Bearer TOKEN'. Off: updates get 403.", bool),
    Setting("update-token", None, f"Bearer token for SPARQL Update (or the {UPDATE_TOKEN_ENV} environment "
                                  "variable).", envvar=UPDATE_TOKEN_ENV),
    Setting("query-timeout", 10.0, "Seconds a query may run; then it is cancelled and the client gets 503.", float),
    Setting("max-rows", 10000, "Most rows (or triples) in one answer; a cut answer has the header "
                               "Hitz-Truncated.", int),
    Setting("allow-service", (), "A SERVICE endpoint queries may call (repeatable). None by default: "
                                 "SERVICE is refused with 403.", multiple=True),
    Setting("max-request-bytes", 65536, "Largest query or request body; larger ones get 413.", int),
    Setting("workers", 4, "Query worker processes for a local store (a slow query holds one).", int),
)
DEFAULTS = {s.key: s.default for s in SETTINGS}


@dataclass(frozen=True)
class Config:
    """The resolved settings of one server."""

    host: str = "127.0.0.1"
    port: int = 8000
    store: str = DEFAULT_STORE
    update: str | None = None
    cors: bool = False
    allow_update: bool = False
    update_token: str | None = None
    query_timeout: float = 10.0
    max_rows: int = 10000
    allow_service: tuple[str, ...] = ()
    max_request_bytes: int = 65536
    workers: int = 4

    def __post_init__(self):
        if self.allow_update and not self.update_token:
            raise StoreError(f"--allow-update needs --update-token (or {UPDATE_TOKEN_ENV}): "
                             "updates must carry a bearer token")
        if self.query_timeout <= 0 or self.max_rows <= 0 or self.workers <= 0 or self.max_request_bytes <= 0:
            raise StoreError("--query-timeout, --max-rows, --workers and --max-request-bytes must be positive")


# --- worker processes ----------------------------------------------------------------------

def _worker_main(conn, source: tuple[str, object], url: str) -> None:
    """A query worker: open its own read-only view of the store, then answer tasks."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        import pyoxigraph as ox

        from .endpoint import inspect_query

        if source[0] == "path":
            store = LocalStore(url, Path(source[1]), read_only=True)
        else:
            store = LocalStore("memory:", None)
            store.store.bulk_load(source[1], format=ox.RdfFormat.N_QUADS)
        inspect_query("ASK {}")  # load the parser now, not during the first query
    except Exception as exc:  # report to the server, which names the store
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", None))
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        try:
            answer = answer_query(store, **task)
        except Exception as exc:
            answer = Answer(500, "text/plain", f"internal error: {type(exc).__name__}: {exc}\n".encode())
        conn.send(answer)


class Worker:
    def __init__(self, ctx, source, url: str, generation: int):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, source, url), daemon=True)
        self.process.start()
        child.close()
        self.generation = generation

    def wait_ready(self, timeout: float = 120.0) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise StoreError("a query worker did not start in time")
        status, message = self.conn.recv()
        if status != "ready":
            self.kill()
            raise StoreError(f"a query worker could not open the store: {message}")

    def stop(self) -> None:
        try:
            self.conn.send(None)
        except (OSError, ValueError):
            pass
        self.process.join(2)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


class QueryTimeout(Exception):
    pass


class Busy(Exception):
    pass


class WorkerPool:
    """Worker processes answering queries; one past its time limit is killed and replaced."""

    def __init__(self, size: int, source, url: str):
        self.size = size
        self.source = source  # a callable giving the workers' source of data
        self.url = url
        self.ctx = multiprocessing.get_context("spawn")
        self.generation = 0
        self.executor = ThreadPoolExecutor(max_workers=2 * size + 4, thread_name_prefix="kg-pool")
        self.idle: asyncio.Queue[Worker] = asyncio.Queue()
        self.workers: set[Worker] = set()

    def _new(self, generation: int) -> Worker:
        worker = Worker(self.ctx, self.source(), self.url, generation)
        self.workers.add(worker)
        try:
            worker.wait_ready()
        except StoreError:
            self.workers.discard(worker)
            raise
        return worker

    async def _spawn(self) -> None:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(self.executor, self._new, self.generation)
        await self._release(worker)

    def _replace_later(self) -> None:
        task = asyncio.get_running_loop().create_task(self._spawn())
        task.add_done_callback(lambda t: t.exception() and log.error("kg serve: %s", t.exception()))

    async def start(self) -> None:
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _retire(self, worker: Worker) -> None:
        self.workers.discard(worker)
        await asyncio.get_running_loop().run_in_executor(self.executor, worker.stop)

    async def _release(self, worker: Worker) -> None:
        if worker.generation == self.generation:
            await self.idle.put(worker)
        else:
            await self._retire(worker)
            self._replace_later()

    async def run(self, task: dict, timeout: float) -> Answer:
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        try:
            worker = await asyncio.wait_for(self.idle.get(), timeout)
        except asyncio.TimeoutError:
            raise Busy() from None
        try:
            worker.conn.send(task)
            left = max(0.05, timeout - (time.monotonic() - started))
            done = await loop.run_in_executor(self.executor, worker.conn.poll, left)
            if not done:
                raise QueryTimeout()
            answer = worker.conn.recv()
        except BaseException:  # timed out, worker died, or the client went away mid-query
            self.workers.discard(worker)
            await loop.run_in_executor(self.executor, worker.kill)
            self._replace_later()
            raise
        await self._release(worker)
        return answer

    async def renew(self) -> None:
        """After an update: every worker is replaced by one that sees the new data."""
        self.generation += 1
        while not self.idle.empty():
            await self._retire(self.idle.get_nowait())
            self._replace_later()

    async def close(self) -> None:
        for worker in list(self.workers):
            await asyncio.get_running_loop().run_in_executor(self.executor, worker.kill)
        self.workers.clear()
        self.executor.shutdown(wait=False, cancel_futures=True)


# --- the service ---------------------------------------------------------------------------

class Service:
    """The store behind the endpoint, and how queries and updates reach it."""

    def __init__(self, config: Config, root: Path, dist: Path):
        self.config = config
        self.dist = dist
        self.allowed = frozenset(config.allow_service)
        self.update_lock = asyncio.Lock()
        self.pool: WorkerPool | None = None
        self.remote_executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="kg-remote")
        self.store = open_store(config.store, root=root, update=config.update, timeout=config.query_timeout)
        if isinstance(self.store, LocalStore):
            if self.store.path is None:
                self.store.replace(dist)
            elif not any(g.startswith(HITZ_GRAPHS) for g in self.store.counts()):
                raise NotLoadedError(f"{config.store} holds no graph yet: run `kg load` first")

    @property
    def remote(self) -> bool:
        return isinstance(self.store, RemoteStore)

    def _source(self):
        if self.store.path is not None:
            return ("path", str(self.store.path))
        return ("nquads", self.store.dump())

    async def start(self) -> None:
        if not self.remote:
            self.pool = WorkerPool(self.config.workers, self._source, self.config.store)
            await self.pool.start()

    async def stop(self) -> None:
        if self.pool:
            await self.pool.close()
        self.remote_executor.shutdown(wait=False, cancel_futures=True)
        if not self.remote:
            self.store.close()

    async def query(self, sparql: str, accept: str | None, default_graphs, named_graphs) -> Answer:
        task = dict(sparql=sparql, accept=accept, default_graphs=default_graphs or None,
                    named_graphs=named_graphs or None, allowed_services=self.allowed,
                    max_rows=self.config.max_rows)
        timeout = self.config.query_timeout
        limit = f"the query ran longer than the {timeout:g} s time limit and was cancelled\n".encode()
        try:
            if self.pool:
                return await self.pool.run(task, timeout)
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(self.remote_executor, lambda: answer_query(self.store, **task))
            return await asyncio.wait_for(future, timeout + 1)
        except (QueryTimeout, asyncio.TimeoutError):
            return Answer(503, "text/plain", limit)
        except Busy:
            return Answer(503, "text/plain", b"every query worker is busy: try again shortly\n",
                          {"Retry-After": "1"})
        except (EOFError, OSError) as exc:
            return Answer(500, "text/plain", f"the query worker failed: {exc}\n".encode())

    async def update(self, sparql: str) -> Answer:
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self.remote_executor, inspect_update, sparql, self.allowed)
            async with self.update_lock:
                await loop.run_in_executor(self.remote_executor, self.store.update, sparql)
                if self.pool:
                    self.store.flush()
                    await self.pool.renew()
        except Refused as exc:
            return Answer(exc.status, "text/plain", (exc.message + "\n").encode())
        except StoreError as exc:
            return Answer(502 if self.remote else 500, "text/plain", f"{exc}\n".encode())
        except Exception as exc:  # QueryError from the engine's own parser
            return Answer(400, "text/plain", f"{exc}\n".encode())
        return Answer(204, "text/plain", b"")

    def counts(self) -> dict[str, int] | None:
        return None if self.remote else self.store.counts()


def service_description(config: Config, endpoint: str, dist: Path):
    """The SPARQL 1.1 Service Description of this endpoint, with the dataset's VoID description."""
    from rdflib import BNode, Graph, Literal, Namespace, URIRef
    from rdflib.namespace import RDF, RDFS

    from .export import DATASET
    from .namespaces import bind_prefixes

    sd = Namespace("http://www.w3.org/ns/sparql-service-description#")
    formats = Namespace("http://www.w3.org/ns/formats/")
    graph = Graph()
    bind_prefixes(graph)
    graph.bind("formats", formats)
    void_path = dist / "void.ttl"
    if void_path.is_file():
        graph.parse(void_path, format="turtle")
    service = URIRef(endpoint + "#service")
    graph.add((service, RDF.type, sd.Service))
    graph.add((service, sd.endpoint, URIRef(endpoint)))
    graph.add((service, RDFS.label, Literal("hitz-kg SPARQL endpoint", lang="en")))
    graph.add((service, sd.supportedLanguage, sd.SPARQL11Query))
    if config.allow_update:
        graph.add((service, sd.supportedLanguage, sd.SPARQL11Update))
    graph.add((service, sd.feature, sd.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                 "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        graph.add((service, sd.resultFormat, formats[name]))
    graph.add((service, sd.defaultDataset, DATASET))
    graph.add((DATASET, RDF.type, sd.Dataset))
    default_graph = BNode()
    graph.add((DATASET, sd.defaultGraph, default_graph))
    graph.add((default_graph, RDF.type, sd.Graph))
    for triples in graph.objects(DATASET, URIRef("http://rdfs.org/ns/void#triples")):
        graph.add((default_graph, URIRef("http://rdfs.org/ns/void#triples"), triples))
    for subset in list(graph.objects(DATASET, URIRef("http://rdfs.org/ns/void#subset"))):
        if str(subset).startswith(HITZ_GRAPHS):
            named = BNode()
            graph.add((DATASET, sd.namedGraph, named))
            graph.add((named, RDF.type, sd.NamedGraph))
            graph.add((named, sd.name, subset))
            graph.add((named, sd.graph, subset))
    return graph


_RDFLIB_FORMATS = {"text/turtle": "turtle", "application/ld+json": "json-ld",
                   "application/n-triples": "nt", "application/rdf+xml": "xml"}


async def _read_body(request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"the request is larger than the {limit} bytes this endpoint accepts")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > limit:
            raise Refused(413, f"the request is larger than the {limit} bytes this endpoint accepts")
    return bytes(body)


def create_app(config: Config, root: Path, dist: Path | None = None):
    """The ASGI application: /sparql (SPARQL 1.1 Protocol), /health."""
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from .web import Site

    dist = dist or root / "dist"
    service = Service(config, root, dist)

    def send(answer: Answer) -> Response:
        media = answer.media_type
        if media.startswith("text/"):
            media += "; charset=utf-8"
        return Response(answer.body, status_code=answer.status, headers=answer.headers, media_type=media)

    def refuse(status: int, message: str, headers: dict | None = None) -> Response:
        return PlainTextResponse(message + "\n", status_code=status, headers=headers)

    async def describe(request) -> Response:
        try:
            media = negotiate(request.headers.get("accept"), "graph")
        except Refused as exc:
            return refuse(exc.status, exc.message)
        endpoint = str(request.url.replace(query="", fragment=""))
        graph = service_description(config, endpoint, dist)
        return Response(graph.serialize(format=_RDFLIB_FORMATS[media]).encode("utf-8"), media_type=media)

    async def sparql(request) -> Response:
        params = request.query_params
        default_graphs = params.getlist("default-graph-uri")
        named_graphs = params.getlist("named-graph-uri")
        query = update = None
        try:
            if request.method == "GET":
                if "update" in params:
                    return refuse(405, "SPARQL Update must be sent by POST", {"Allow": "GET, POST"})
                if "query" not in params:
                    return await describe(request)
                query = params["query"]
                if len(query.encode("utf-8")) > config.max_request_bytes:
                    raise Refused(413, f"the query is longer than the {config.max_request_bytes} bytes "
                                       "this endpoint accepts")
            else:
                body = await _read_body(request, config.max_request_bytes)
                media = request.headers.get("content-type", "").split(";")[0].strip().lower()
                if media == "application/x-www-form-urlencoded":
                    form = urllib.parse.parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
                    query = (form.get("query") or [None])[0]
                    update = (form.get("update") or [None])[0]
                    default_graphs += form.get("default-graph-uri", [])
                    named_graphs += form.get("named-graph-uri", [])
                elif media == "application/sparql-query":
                    query = body.decode("utf-8", "replace")
                elif media == "application/sparql-update":
                    update = body.decode("utf-8", "replace")
                else:
                    return refuse(415, "send the query as application/sparql-query, application/sparql-update "
                                       "or a form (application/x-www-form-urlencoded)")
                if query is None and update is None:
                    return refuse(400, "no query: send query= (or update=)")
        except Refused as exc:
            return refuse(exc.status, exc.message)
        if update is not None:
            return await do_update(request, update)
        return send(await service.query(query, request.headers.get("accept"), default_graphs, named_graphs))

    async def do_update(request, update: str) -> Response:
        if not config.allow_update:
            return refuse(403, "SPARQL Update is disabled: this endpoint is read-only")
        given = request.headers.get("authorization", "")
        token = given[7:].strip() if given.lower().startswith("bearer ") else ""
        if not token or not hmac.compare_digest(token.encode(), (config.update_token or "").encode()):
            return refuse(401, "SPARQL Update needs the bearer token: Authorization: Bearer TOKEN",
                          {"WWW-Authenticate": 'Bearer realm="hitz-kg"'})
        answer = await service.update(update)
        return Response(status_code=204) if answer.status == 204 else send(answer)

    async def health(request) -> Response:
        loop = asyncio.get_running_loop()
        counts = await loop.run_in_executor(service.remote_executor, service.counts)
        body = {"status": "ok", "store": config.store}
        if counts is not None:
            body["graphs"] = counts
            body["triples"] = sum(counts.values())
        return JSONResponse(body)

    @asynccontextmanager
    async def lifespan(app):
        await service.start()
        try:
            yield
        finally:
            await service.stop()

    middleware = [Middleware(AccessLog), Middleware(Site, service=service, root=root, dist=dist)]  # the web site
    if config.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Authorization", "Content-Type"]))
    return Starlette(routes=[Route("/sparql", sparql, methods=["GET", "POST"]), Route("/health", health)],
                     middleware=middleware, lifespan=lifespan)


class AccessLog:
    """One line per request on stderr: client, method, path, status, bytes, milliseconds."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.monotonic()
        seen = {"status": 500, "bytes": 0}

        async def watch(message):
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
            elif message["type"] == "http.response.body":
                seen["bytes"] += len(message.get("body", b""))
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            client = scope.get("client") or ("-", 0)
            path = scope.get("path", "")
            if scope.get("query_string"):
                path += "?" + scope["query_string"].decode("latin-1")[:200]
            ms = (time.monotonic() - started) * 1000
            print(f'{client[0]} "{scope["method"]} {path}" {seen["status"]} {seen["bytes"]} {ms:.0f}ms',
                  file=sys.stderr, flush=True)


def serve(config: Config, root: Path, dist: Path | None = None) -> None:
    """Run the server until interrupted."""
    import uvicorn

    app = create_app(config, root, dist)
    print(f"kg serve: {config.store} at http://{config.host}:{config.port}/sparql "
          f"({'updates with token' if config.allow_update else 'read-only'}, "
          f"query timeout {config.query_timeout:g} s, max rows {config.max_rows})", file=sys.stderr, flush=True)
    uvicorn.run(app, host=config.host, port=config.port, log_level="warning", access_log=False,
                timeout_graceful_shutdown=5)
