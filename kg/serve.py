"""`kg serve`: the graph over the SPARQL 1.1 Protocol, safe by default.

Every query and update is first normalised (kg.sparql_text): what runs is one text that
rdflib's check and Oxigraph read alike, with its SERVICE endpoints and LOADs decided on its
tokens. When nothing may be called, the processes and the thread that run SPARQL have no
network at all (kg.sandbox).

Starlette and uvicorn; GET/HEAD/POST /sparql skip Starlette's stack (class QueryRoute). Queries
on a local store run in a pool of worker processes,
each with its own read-only view of the store, so that a query past the time limit is
cancelled by ending its process (Oxigraph cannot interrupt a running query) while the
other workers go on answering. Queries on a remote store are sent with the time limit
as their HTTP timeout. SPARQL Update runs in the server process, on the one writable
handle of the store, and then the workers are renewed to see the change. A query of one
triple pattern is bounded (kg.endpoint.bounded_shape) and answered without a worker.

On a store on disk, several front processes (--processes) share the listening socket, each
with its own read-only view and workers; the server process holds the writable handle, runs
the updates they send it, and counts them in shared memory so that each front reopens its
view before its next query (class Fronts).
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import logging
import multiprocessing
import os
import pickle
import re
import secrets
import signal
import struct
import sys
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .endpoint import (DEEP_RECURSION, DEEP_STACK, INLINE_CHECK_CHARS, Answer, Refused, answer_inline, answer_query,
                       bounded_shape, checked_text, inspect_update, known_text, negotiate, with_deep_stack)
from .errors import Busy, ConfigurationError, QueryError, StoreError
from .graphstore import read_graph
from .sandbox import cap_memory, drop_network, offline_executor
from .serve_settings import DEFAULTS, SETTINGS, UPDATE_TOKEN_ENV, Setting  # noqa: F401  (kg.serve's API)
from .sparql_text import normalise
from .store import (DEFAULT_STORE, HITZ_GRAPHS, LocalStore, NotLoadedError, RemoteStore, mask_credentials,
                    open_store, store_path)

log = logging.getLogger("kg.serve")


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
    workers: int = 2
    max_memory: int = 1024
    max_connections: int = 200
    request_timeout: float = 10.0
    processes: int = 2

    def __post_init__(self):
        if self.allow_update and not self.update_token:
            raise ConfigurationError(f"{{allow_update}} needs {{update_token}} (or {UPDATE_TOKEN_ENV}): "
                                     "updates must carry a bearer token", "allow_update", "update_token")
        limits = ("query_timeout", "max_rows", "workers", "max_request_bytes", "max_memory", "max_connections",
                  "request_timeout", "processes")
        if not_positive := [name for name in limits if getattr(self, name) <= 0]:
            raise ConfigurationError(" and ".join(f"{{{name}}}" for name in not_positive) + " must be positive",
                                     *not_positive)


def internal_error(exc: BaseException, where: str) -> Answer:
    """A 500 that names an id, never the exception: the detail goes to the log, with the id."""
    error_id = secrets.token_hex(4)
    log.error("kg serve: internal error (id %s) %s: %s: %s", error_id, where, type(exc).__name__,
              mask_credentials(str(exc)).replace("\n", " ")[:500])
    return Answer(500, "text/plain", f"internal error (id {error_id})\n".encode(), {"Hitz-Error-Id": error_id})


MEMORY_LIMIT = "the query needed more than the {mb} MB of memory a query worker may use, and was stopped\n"


# --- worker processes ----------------------------------------------------------------------

def _worker_main(conn, source: tuple[str, object], url: str, offline: bool = False, max_memory: int = 0) -> None:
    """A query worker: drop the network when no SERVICE is allowed, open its own read-only
    view of the store, cap its memory, then answer tasks (on a big stack, for deep queries)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ["RUST_BACKTRACE"] = "0"  # past the memory cap Oxigraph aborts: one line, not a backtrace
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    warning = drop_network() if offline else None
    try:
        from .endpoint import inspect_query

        store = _open_view(source, url)
        inspect_query("ASK {}")  # load the parser now, not during the first query
    except Exception as exc:  # report to the server, which names the store
        conn.send(("failed", str(exc)))
        return
    conn.send(("ready", warning))
    with_deep_stack(_answer_tasks, conn, store, url, max_memory)
    os._exit(0)  # at once: nothing to save in a read-only view, and no Oxigraph result freed off its thread


def _open_view(source: tuple[str, object], url: str) -> LocalStore:
    """A worker's read-only view of the store, or its own in-memory copy of the data."""
    import pyoxigraph as ox

    if source[0] == "path":
        return LocalStore(url, Path(source[1]), read_only=True)  # type: ignore[arg-type]
    store = LocalStore("memory:", None)
    store.store.bulk_load(source[1], format=ox.RdfFormat.N_QUADS)  # type: ignore[arg-type]
    return store


def _answer_tasks(conn, store, url: str, max_memory: int) -> None:
    if max_memory:
        cap_memory(max_memory * 1024 * 1024)
    while True:
        try:
            task = conn.recv()
        except (EOFError, OSError):
            break
        if task is None:
            break
        if isinstance(task, tuple):  # ("renew", source): see the store as it is now
            for attempt in range(5):  # a read-only open can race the writer's compaction: again
                try:
                    store = _open_view(task[1], url)
                    conn.send(("ready", None))
                    break
                except Exception as exc:
                    if attempt == 4:
                        conn.send(("failed", str(exc)))
                    time.sleep(0.1 * (attempt + 1))
            continue
        try:
            answer = answer_query(store, **task)
        except MemoryError:
            answer = Answer(503, "text/plain", MEMORY_LIMIT.format(mb=max_memory).encode())
        except Exception as exc:
            answer = internal_error(exc, "in a query worker")
        _send_answer(conn, answer)


class Worker:
    def __init__(self, ctx, source, url: str, generation: int, offline: bool = False, max_memory: int = 0):
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(child, source, url, offline, max_memory), daemon=True)
        self.process.start()
        child.close()
        self.generation = generation

    def wait_ready(self, timeout: float = 120.0) -> None:
        if not self.conn.poll(timeout):
            self.kill()
            raise StoreError("a query worker did not start in time")
        try:
            status, message = self.conn.recv()
        except (EOFError, OSError):
            self.process.join(5)
            raise StoreError(f"a query worker ended before it was ready (exit code {self.process.exitcode})") from None
        if status != "ready":
            self.kill()
            raise StoreError(f"a query worker could not open the store: {message}")
        self.warning = message  # why the network could not be dropped, if it could not

    def renew(self, source, generation: int, timeout: float = 60.0) -> bool:
        """Reopen this worker's view of the store (after an update); False if it could not."""
        try:
            self.conn.send(("renew", source))
            if self.conn.poll(timeout):
                status, message = self.conn.recv()
                if status == "ready":
                    self.generation = generation
                    return True
                log.warning("kg serve: a query worker could not reopen the store: %s", message)
        except (EOFError, OSError):
            pass
        return False

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


# An answer crosses from a worker as bytes, not a pickle: a header (the lengths of its metadata
# and body), its status, media type and headers as JSON, then its body. The server reads it on the
# event loop, without a thread, and never unpickles what a process running queries wrote.
_ANSWER_HEAD = struct.Struct("!IQ")


def _send_answer(conn, answer: Answer) -> None:
    """Write one answer to the server's end of the pipe (in the worker)."""
    meta = json.dumps([answer.status, answer.media_type, answer.headers]).encode("utf-8")
    view = memoryview(_ANSWER_HEAD.pack(len(meta), len(answer.body)) + meta + answer.body)
    fd = conn.fileno()
    while view:
        view = view[os.write(fd, view):]


async def _receive_answer(conn, timeout: float) -> Answer:
    """Read one answer from a worker's pipe on the event loop; QueryTimeout after `timeout`
    seconds, EOFError if the worker ended first."""
    loop = asyncio.get_running_loop()
    done = loop.create_future()
    fd = conn.fileno()
    buffer = bytearray()

    def settle(outcome: BaseException | None = None) -> None:
        if done.done():
            return
        if outcome is None:
            done.set_result(None)
        else:
            done.set_exception(outcome)

    def readable() -> None:
        try:
            chunk = os.read(fd, 1 << 20)
        except BlockingIOError:
            return
        except OSError as exc:
            settle(exc)
            return
        if not chunk:
            settle(EOFError())
            return
        buffer.extend(chunk)
        if len(buffer) >= _ANSWER_HEAD.size:
            meta, body = _ANSWER_HEAD.unpack_from(buffer)
            if len(buffer) >= _ANSWER_HEAD.size + meta + body:
                settle()

    os.set_blocking(fd, False)
    loop.add_reader(fd, readable)
    timer = loop.call_later(timeout, settle, QueryTimeout())
    try:
        await done
    finally:
        timer.cancel()
        loop.remove_reader(fd)
        os.set_blocking(fd, True)  # renewing and stopping a worker read its pipe blocking
    meta_size, _ = _ANSWER_HEAD.unpack_from(buffer)
    status, media_type, headers = json.loads(buffer[_ANSWER_HEAD.size:_ANSWER_HEAD.size + meta_size])
    return Answer(status, media_type, bytes(buffer[_ANSWER_HEAD.size + meta_size:]), headers)


class WorkerDied(Exception):
    def __init__(self, exitcode: int | None):
        super().__init__(f"the query worker ended with exit code {exitcode}")
        self.exitcode = exitcode


class WorkerPool:
    """Worker processes answering queries; one past its time limit is killed and replaced."""

    def __init__(self, size: int, source, url: str, offline: bool = False, max_memory: int = 0, counter=None):
        self.size = size
        self.counter = counter if counter is not None else _Counter()  # workers replaced (shared by front processes)
        self.source = source  # a callable giving the workers' source of data
        self.url = url
        self.offline = offline  # workers drop the network: no SERVICE endpoint is allowed
        self.max_memory = max_memory
        self.warned = False
        self.ctx = multiprocessing.get_context("spawn")
        self.generation = 0
        self.executor = ThreadPoolExecutor(max_workers=2 * size + 4, thread_name_prefix="kg-pool")
        self.idle: asyncio.LifoQueue[Worker] = asyncio.LifoQueue()  # the last used first: its caches are warm
        self.workers: set[Worker] = set()

    def _new(self, generation: int, attempts: int = 4) -> Worker:
        for attempt in range(attempts):
            worker = Worker(self.ctx, self.source(), self.url, generation, self.offline, self.max_memory)
            self.workers.add(worker)
            try:
                worker.wait_ready()
                break
            except StoreError:  # a read-only open can race the writer's compaction: open again
                self.workers.discard(worker)
                if attempt == attempts - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        if worker.warning and not self.warned:
            self.warned = True
            log.warning("kg serve: warning: query workers keep network access (%s); SERVICE is still "
                        "refused by the query check", worker.warning)
        return worker

    async def _spawn(self) -> None:
        loop = asyncio.get_running_loop()
        worker = await loop.run_in_executor(self.executor, self._new, self.generation)
        await self._release(worker)

    def _replace_later(self) -> None:
        task = asyncio.get_running_loop().create_task(self._spawn())
        task.add_done_callback(lambda t: t.exception() and log.error("kg serve: a query worker could not start: %r", t.exception()))  # type: ignore[func-returns-value]

    async def start(self) -> None:
        await asyncio.gather(*(self._spawn() for _ in range(self.size)))

    async def _retire(self, worker: Worker) -> None:
        self.workers.discard(worker)
        await asyncio.get_running_loop().run_in_executor(self.executor, worker.stop)

    async def _release(self, worker: Worker) -> None:
        if worker.generation != self.generation:
            await self._renew(worker)
            return
        await self.idle.put(worker)

    async def _renew(self, worker: Worker) -> None:
        """The worker reopens its view at the current generation; one that cannot is replaced."""
        loop = asyncio.get_running_loop()
        generation = self.generation
        if await loop.run_in_executor(self.executor, worker.renew, self.source(), generation):
            await self._release(worker)
        else:
            await self._retire(worker)
            self.counter.add(1)
            self._replace_later()

    async def run(self, task: dict, timeout: float) -> Answer:
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        if not self.idle.empty():  # the usual case, without a task to wait in
            worker = self.idle.get_nowait()
        else:
            try:
                worker = await asyncio.wait_for(self.idle.get(), timeout)
            except asyncio.TimeoutError:
                raise Busy() from None
        try:
            worker.conn.send_bytes(pickle.dumps(task, pickle.HIGHEST_PROTOCOL))  # read by the worker's conn.recv()
            answer = await _receive_answer(worker.conn, max(0.05, timeout - (time.monotonic() - started)))
        except BaseException as exc:  # timed out, worker died, or the client went away mid-query
            self.workers.discard(worker)
            await loop.run_in_executor(self.executor, worker.kill)
            self.counter.add(1)
            self._replace_later()
            if isinstance(exc, (EOFError, OSError)):
                raise WorkerDied(worker.process.exitcode) from None
            raise
        await self._release(worker)
        return answer

    @property
    def restarts(self) -> int:
        """Workers replaced after a crash, a time-out or a memory cap."""
        return self.counter.value

    async def renew(self) -> None:
        """After an update: every worker reopens its view of the store (no new process)."""
        self.generation += 1
        idle = []
        while not self.idle.empty():
            idle.append(self.idle.get_nowait())
        # the update is answered once they see it: the next query does; busy ones renew when done
        await asyncio.gather(*(self._renew(worker) for worker in idle))

    async def close(self) -> None:
        for worker in list(self.workers):
            await asyncio.get_running_loop().run_in_executor(self.executor, worker.kill)
        self.workers.clear()
        self.executor.shutdown(wait=False, cancel_futures=True)


class _Counter:
    """A count in this process (a multiprocessing.Value is shared by the front processes)."""

    def __init__(self) -> None:
        self.value = 0

    def add(self, n: int) -> None:
        self.value += n


class _SharedCounter:
    """A count kept in shared memory, seen alike by every front process."""

    def __init__(self, value) -> None:
        self.shared = value

    @property
    def value(self) -> int:
        return self.shared.value

    def add(self, n: int) -> None:
        with self.shared.get_lock():
            self.shared.value += n


class UpdateLink:
    """A front process's way to the process that holds the store's one writable handle: it
    sends an update there and waits for its answer; `generation` (shared memory) counts the
    updates done, so that every front reopens its view before its next query after one."""

    def __init__(self, conn, generation, restarts) -> None:
        self.conn = conn
        self.generation = _SharedCounter(generation)
        self.restarts = _SharedCounter(restarts)
        self.lock: asyncio.Lock | None = None

    async def update(self, sparql: str, base_iri: str | None) -> Answer:
        if self.lock is None:
            self.lock = asyncio.Lock()
        async with self.lock:  # one update of this front at a time on the pipe
            self.conn.send_bytes(json.dumps([sparql, base_iri]).encode("utf-8"))
            return await _receive_answer(self.conn, float(10 ** 9))


# --- the service ---------------------------------------------------------------------------

class Service:
    """The store behind the endpoint, and how queries and updates reach it."""

    def __init__(self, config: Config, root: Path, dist: Path, link: UpdateLink | None = None, generation=None):
        """`link`: this is a front process, with its own read-only view, that sends updates to the
        process holding the writable store; `generation`: this is that process, and counts its updates."""
        self.config = config
        self.dist = dist
        self.link = link
        self.generation = _SharedCounter(generation) if generation is not None else None  # updates done
        self.seen = link.generation.value if link else 0  # the updates this front's view has seen
        self.renewing: asyncio.Lock | None = None
        self.allowed = frozenset(config.allow_service)
        self.update_lock = asyncio.Lock()
        self.pool: WorkerPool | None = None
        self.remote_executor = ThreadPoolExecutor(max_workers=16, thread_name_prefix="kg-remote")
        path = store_path(config.store, root)
        if path is not None and not (path / "CURRENT").is_file():  # refuse before creating a folder
            raise NotLoadedError(f"{config.store}: no store there yet: run `kg load --store {config.store}` first")
        if link is not None:  # a front process: the server process checked the store and holds it writable
            self.store: LocalStore | RemoteStore = LocalStore(config.store, path, read_only=True)
        else:
            self.store = open_store(config.store, root=root, update=config.update, timeout=config.query_timeout)
        # no SERVICE allowed and a local store: nothing that runs a query or an update needs the network
        self.offline = not self.allowed and not self.remote
        sys.setrecursionlimit(max(sys.getrecursionlimit(), DEEP_RECURSION))  # rdflib, on the update thread
        self.update_executor = offline_executor(self.offline, DEEP_STACK, lambda reason: log.warning(
            "kg serve: warning: updates keep network access (%s); LOAD and SERVICE are still refused "
            "by the update check", reason))
        if isinstance(self.store, LocalStore) and link is None:
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
            self.pool = WorkerPool(self.config.workers, self._source, self.config.store, self.offline,
                                   self.config.max_memory, self.link.restarts if self.link else None)
            await self.pool.start()

    async def refresh(self) -> None:
        """In a front process: after an update made through any front, reopen this front's view
        of the store and renew its workers, before answering anything else."""
        if self.link is None or self.link.generation.value == self.seen:
            return
        if self.renewing is None:
            self.renewing = asyncio.Lock()
        async with self.renewing:
            generation = self.link.generation.value
            if generation == self.seen:
                return  # another request renewed it meanwhile
            loop = asyncio.get_running_loop()
            store = self.store
            assert isinstance(store, LocalStore)  # a front process serves a store on disk
            self.store = await loop.run_in_executor(self.remote_executor,
                                                    lambda: LocalStore(store.url, store.path, read_only=True))
            store.close()
            if self.pool:
                await self.pool.renew()
            self.seen = generation

    async def stop(self) -> None:
        if self.pool:
            await self.pool.close()
        self.remote_executor.shutdown(wait=False, cancel_futures=True)
        self.update_executor.shutdown(wait=False, cancel_futures=True)
        if not self.remote:
            self.store.close()

    async def query(self, sparql: str, accept: str | None, default_graphs, named_graphs,
                    base_iri: str | None = None) -> Answer:
        loop = asyncio.get_running_loop()
        try:  # refused here, before a worker sees it (a long new text off the event loop); what runs is this text
            known = known_text(sparql, self.allowed)
            if known is not None:
                sparql = known
            elif len(sparql) <= INLINE_CHECK_CHARS:
                sparql = checked_text(sparql, self.allowed)
            else:
                sparql = await loop.run_in_executor(self.remote_executor, checked_text, sparql, self.allowed)
        except Refused as exc:
            return Answer(exc.status, "text/plain", (exc.message + "\n").encode())
        if self.link is not None and self.link.generation.value != self.seen:
            await self.refresh()
        task = dict(sparql=sparql, accept=accept, default_graphs=default_graphs or None,
                    named_graphs=named_graphs or None, allowed_services=self.allowed,
                    max_rows=self.config.max_rows, base_iri=base_iri)
        timeout = self.config.query_timeout
        limit = f"the query ran longer than the {timeout:g} s time limit and was cancelled\n".encode()
        if self.pool and len(sparql) <= INLINE_CHECK_CHARS and bounded_shape(sparql):
            answer = answer_inline(self.store, **task)  # type: ignore[arg-type]
            if answer is not None:  # one index scan, cut early: no worker needed to bound it
                return answer
        try:
            if self.pool:
                return await self.pool.run(task, timeout)
            future = loop.run_in_executor(self.remote_executor,
                                          lambda: with_deep_stack(lambda: answer_query(self.store, **task)))  # type: ignore[arg-type]
            return await asyncio.wait_for(future, timeout + 1)
        except (QueryTimeout, asyncio.TimeoutError):
            return Answer(503, "text/plain", limit)
        except Busy:
            return Answer(503, "text/plain", b"every query worker is busy: try again shortly\n",
                          {"Retry-After": "1"})
        except WorkerDied as exc:
            if exc.exitcode == -signal.SIGABRT:  # Oxigraph aborts when an allocation fails
                log.warning("kg serve: a query needed more than %d MB; its worker was replaced", self.config.max_memory)
                return Answer(503, "text/plain", MEMORY_LIMIT.format(mb=self.config.max_memory).encode())
            return internal_error(exc, "a query worker died")

    async def update(self, sparql: str, base_iri: str | None = None) -> Answer:
        """Check and run an update: the normalised text, in the update thread (offline when
        nothing may call out), on the one writable handle of the store."""
        if self.link is not None:  # the server process runs it, on its writable handle
            try:
                return await self.link.update(sparql, base_iri)
            except (EOFError, OSError) as exc:
                return internal_error(exc, "sending an update to the server process")
        loop = asyncio.get_running_loop()
        try:
            sparql = await loop.run_in_executor(self.remote_executor, normalise, sparql, self.allowed)
            async with self.update_lock:
                await loop.run_in_executor(self.update_executor, inspect_update, sparql, self.allowed)
                await loop.run_in_executor(self.update_executor, self.store.update, sparql, base_iri)
                if self.pool:
                    self.store.flush()
                    await self.pool.renew()
                if self.generation is not None:  # the front processes reopen their views before their next query
                    self.store.flush()
                    self.generation.add(1)
        except Refused as exc:
            return Answer(exc.status, "text/plain", (exc.message + "\n").encode())
        except (StoreError, ConfigurationError) as exc:  # a remote store without an update endpoint
            missing = re.search(r"The graph (<[^>]*>) does not exist", str(exc))
            if missing:
                return Answer(404, "text/plain", f"no graph {missing.group(1)} in this store (DROP SILENT "
                                                  "ignores a missing graph)\n".encode())
            if self.remote:
                return Answer(502, "text/plain", f"{mask_credentials(str(exc))}\n".encode())
            return internal_error(exc, "running an update")
        except QueryError as exc:  # the engine's own parser
            return Answer(400, "text/plain", f"{' '.join(str(exc).split())}\n".encode())
        except Exception as exc:
            return internal_error(exc, "running an update")
        return Answer(204, "text/plain", b"")

    def counts(self) -> dict[str, int] | None:
        return None if self.remote else self.store.counts()

    @property
    def restarts(self) -> int:
        if self.link is not None:
            return self.link.restarts.value
        return self.pool.restarts if self.pool else 0


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


class ClientGone(Exception):
    """The client closed the connection before its request body was complete."""


async def _read_body(request, limit: int, timeout: float) -> bytes:
    """The request body, at most `limit` bytes, each part arriving within `timeout` seconds."""
    from starlette.requests import ClientDisconnect

    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise Refused(413, f"the request is larger than the {limit} bytes this endpoint accepts")
    body = bytearray()
    stream = request.stream().__aiter__()
    while True:
        try:
            chunk = await asyncio.wait_for(stream.__anext__(), timeout)
        except StopAsyncIteration:
            return bytes(body)
        except asyncio.TimeoutError:
            raise Refused(408, f"the request body did not arrive within {timeout:g} s") from None
        except ClientDisconnect:
            raise ClientGone() from None
        body += chunk
        if len(body) > limit:
            raise Refused(413, f"the request is larger than the {limit} bytes this endpoint accepts")


def _parameters(raw: bytes, where: str) -> dict[str, list[str]]:
    """Form or URL parameters, strictly UTF-8 (400 otherwise)."""
    try:
        return urllib.parse.parse_qs(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                                     errors="strict")
    except UnicodeDecodeError:
        raise Refused(400, f"the {where} is not valid UTF-8") from None


def _text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise Refused(400, f"the request body is not valid UTF-8 (byte {exc.start})") from None


def _one(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    if len(values) > 1:
        raise Refused(400, f"{name}= is given {len(values)} times: send one")
    return values[0] if values else None


_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")


def _graph_iris(values: list[str], name: str) -> list[str]:
    for value in values:
        if not _IRI.fullmatch(value):
            raise Refused(400, f"{name} {value!r} is not an absolute IRI")
    return values


_ENDPOINT_URLS: dict[tuple, str] = {}


def _endpoint_url(request) -> str:
    """The request's URL without query or fragment, remembered per scheme, server, host and path
    (building it is a noticeable part of a small query's time)."""
    scope = request.scope
    key = (scope.get("scheme"), tuple(scope.get("server") or ()), scope.get("root_path"), scope.get("path"),
           request.headers.get("host"))
    url = _ENDPOINT_URLS.get(key)
    if url is None:
        url = str(request.url.replace(query="", fragment=""))
        if len(_ENDPOINT_URLS) >= 256:  # a bound on what clients can make it remember
            _ENDPOINT_URLS.clear()
        _ENDPOINT_URLS[key] = url
    return url


def create_app(config: Config, root: Path, dist: Path | None = None, link: UpdateLink | None = None):
    """The ASGI application: /sparql (SPARQL 1.1 Protocol), /health; with `link`, that of one
    front process among several (see serve)."""
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.middleware.cors import CORSMiddleware
    from starlette.responses import JSONResponse, PlainTextResponse, Response
    from starlette.routing import Route

    from .web import Site

    dist = dist or root / "dist"
    service = Service(config, root, dist, link)

    def send(answer: Answer) -> Response | AnswerResponse:
        media = answer.media_type
        if media.startswith("text/"):
            media += "; charset=utf-8"
        if answer.status < 200 or answer.status in (204, 304):  # no body: Starlette leaves out its length
            return Response(answer.body, status_code=answer.status, headers=answer.headers, media_type=media)
        return AnswerResponse(answer.status, media, answer.body, answer.headers)

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

    async def sparql(request) -> Response | AnswerResponse:
        query = update = None
        try:
            params = _parameters(request.scope.get("query_string", b""), "query string")
            default_graphs = params.get("default-graph-uri", [])
            named_graphs = params.get("named-graph-uri", [])
            if request.method in ("GET", "HEAD"):
                if "update" in params:
                    return refuse(405, "SPARQL Update must be sent by POST", {"Allow": "GET, HEAD, POST"})
                query = _one(params, "query")
                if query is None:
                    return await describe(request)
                if len(query.encode("utf-8")) > config.max_request_bytes:
                    raise Refused(413, f"the query is longer than the {config.max_request_bytes} bytes "
                                       "this endpoint accepts")
            else:
                body = await _read_body(request, config.max_request_bytes, config.request_timeout)
                media = request.headers.get("content-type", "").split(";")[0].strip().lower()
                if media == "application/x-www-form-urlencoded":
                    form = _parameters(body, "form")
                    query, update = _one(form, "query"), _one(form, "update")
                    default_graphs = default_graphs + form.get("default-graph-uri", [])
                    named_graphs = named_graphs + form.get("named-graph-uri", [])
                elif media == "application/sparql-query":
                    query = _text(body)
                elif media == "application/sparql-update":
                    update = _text(body)
                else:
                    return refuse(415, "send the query as application/sparql-query, application/sparql-update "
                                       "or a form (application/x-www-form-urlencoded)")
                if query is None and update is None:
                    return refuse(400, "no query: send query= (or update=)")
                if query is not None and update is not None:
                    return refuse(400, "send query= or update=, not both")
            _graph_iris(default_graphs, "default-graph-uri")
            _graph_iris(named_graphs, "named-graph-uri")
        except Refused as exc:
            return refuse(exc.status, exc.message)
        except ClientGone:
            client = request.client.host if request.client else "-"
            log.warning("kg serve: %s closed the connection before sending its whole request", client)
            return Response(status_code=400)
        if update is not None and any(name.startswith("using-") for name in params):
            return refuse(400, "using-graph-uri and using-named-graph-uri are not supported: name the graphs "
                               "with USING / USING NAMED in the update itself")
        if update is not None:
            return await do_update(request, update)
        base = _endpoint_url(request)  # the base IRI of relative IRIs (Protocol §2.1.4)
        return send(await service.query(query, request.headers.get("accept"), default_graphs, named_graphs, base))  # type: ignore[arg-type]

    async def do_update(request, update: str) -> Response | AnswerResponse:
        if not config.allow_update:
            return refuse(403, "SPARQL Update is disabled: this endpoint is read-only")
        given = request.headers.get("authorization", "")
        token = given[7:].strip() if given.lower().startswith("bearer ") else ""
        if not token or not hmac.compare_digest(token.encode(), (config.update_token or "").encode()):
            return refuse(401, "SPARQL Update needs the bearer token: Authorization: Bearer TOKEN",
                          {"WWW-Authenticate": 'Bearer realm="hitz-kg"'})
        answer = await service.update(update, str(request.url.replace(query="", fragment="")))
        return Response(status_code=204) if answer.status == 204 else send(answer)

    async def health(request) -> Response:
        loop = asyncio.get_running_loop()
        await service.refresh()
        counts = await loop.run_in_executor(service.remote_executor, service.counts)
        body = {"status": "ok", "store": mask_credentials(config.store), "worker_restarts": service.restarts,
                "process": os.getpid()}  # which front process answered (kg serve --processes)
        if counts is not None:
            body["graphs"] = counts
            body["triples"] = sum(counts.values())
        return JSONResponse(body)

    @asynccontextmanager
    async def lifespan(app):
        asyncio.get_running_loop().set_exception_handler(_quiet_accept_errors())
        await service.start()
        if link is not None:
            link.conn.send_bytes(b'"ready"')  # this front answers: the server process may say so
        try:
            yield
        finally:
            await service.stop()

    middleware = [Middleware(AccessLog), Middleware(Site, service=service, root=root, dist=dist)]  # the web site
    if config.cors:
        middleware.append(Middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET", "POST"],
                                     allow_headers=["Accept", "Authorization", "Content-Type"]))
    async def failed(request, exc: Exception) -> Response:
        answer = internal_error(exc, f"answering {request.method} {request.url.path}")
        return Response(answer.body, status_code=answer.status, headers=answer.headers,
                        media_type=f"{answer.media_type}; charset=utf-8")

    async def graph_store(request) -> Response | AnswerResponse:  # the Graph Store Protocol, read-only (kg.graphstore)
        return send(await read_graph(service.query, request.method, str(request.url),
                                     request.scope.get("query_string", b""), request.headers.get("accept")))

    every_method = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"]
    app = Starlette(routes=[Route("/sparql", sparql, methods=["GET", "HEAD", "POST"]), Route("/health", health),
                            Route("/store", graph_store, methods=every_method),
                            Route("/store/{path:path}", graph_store, methods=every_method)],
                    middleware=middleware, lifespan=lifespan, exception_handlers={Exception: failed})
    return QueryRoute(app, sparql, failed, config.cors)


class AnswerResponse:
    """An ASGI response of an Answer with a body: what Starlette's Response sends (its headers,
    then content-length and content-type, then the body), without building a Response per query."""

    __slots__ = ("status", "headers", "body")

    def __init__(self, status: int, media_type: str, body: bytes, headers: dict[str, str]) -> None:
        self.status = status
        self.body = body
        self.headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]
        if headers:  # an answer may set its own (HEAD of a graph: the length of its GET)
            names = {name for name, _ in self.headers}
            if b"content-length" not in names:
                self.headers.append((b"content-length", str(len(body)).encode()))
            if b"content-type" not in names:
                self.headers.append((b"content-type", media_type.encode("latin-1")))
        else:
            self.headers += [(b"content-length", str(len(body)).encode()), (b"content-type", media_type.encode("latin-1"))]

    async def __call__(self, scope, receive, send) -> None:
        await send({"type": "http.response.start", "status": self.status, "headers": self.headers})
        await send({"type": "http.response.body", "body": self.body})


class QueryRoute:
    """ASGI: GET, HEAD and POST /sparql go straight to the endpoint's handler, with the access
    log line and the 500 page of the full stack; everything else (and, with --cors, a request
    that names an Origin) goes through Starlette's middleware and router. A query's own work is
    small, and that stack was a fifth of it."""

    METHODS = ("GET", "HEAD", "POST")

    def __init__(self, app, endpoint, failed, cors: bool) -> None:
        self.app = app
        self.endpoint = endpoint
        self.failed = failed
        self.cors = cors
        self.logged = AccessLog(self._answer)

    async def __call__(self, scope, receive, send) -> None:
        if (scope["type"] == "http" and scope["path"] == "/sparql" and scope["method"] in self.METHODS
                and not (self.cors and any(name == b"origin" for name, _ in scope["headers"]))):
            await self.logged(scope, receive, send)
        else:
            await self.app(scope, receive, send)

    async def _answer(self, scope, receive, send) -> None:
        from starlette.requests import Request

        request = Request(scope, receive)
        try:
            response = await self.endpoint(request)
        except Exception as exc:  # as Starlette's ServerErrorMiddleware would: the 500 page, the detail logged
            response = await self.failed(request, exc)
        await response(scope, receive, send)


class AccessLog:
    """One line per request on stderr: client, method, path, status, bytes, milliseconds."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.monotonic()
        seen = {"status": 500, "bytes": 0, "error": ""}

        async def watch(message):
            if message["type"] == "http.response.start":
                seen["status"] = message["status"]
                for name, value in message.get("headers", []):
                    if name.lower() == b"hitz-error-id":
                        seen["error"] = f" error-id={value.decode('latin-1')}"
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
            print(f'{client[0]} "{scope["method"]} {mask_credentials(path)}" {seen["status"]} {seen["bytes"]} '
                  f'{ms:.0f}ms{seen["error"]}', file=sys.stderr, flush=True)


def _uvicorn_options(config: Config) -> dict:
    return dict(log_level="warning", access_log=False, timeout_graceful_shutdown=5, timeout_keep_alive=5,
                limit_concurrency=config.max_connections, h11_max_incomplete_event_size=16384,
                http=_timed_protocol(config.request_timeout))


def front_processes(config: Config) -> int:
    """How many HTTP front processes serve `config`: --processes for a store on disk; one for
    memory: (each process would hold its own copy) and for a remote store."""
    return config.processes if config.store.startswith("oxigraph:") else 1


def serve(config: Config, root: Path, dist: Path | None = None) -> None:
    """Run the server until interrupted: in this process, or (--processes above one, a store on
    disk) in front processes that share one listening socket while this one holds the store."""
    import uvicorn

    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    processes = front_processes(config)
    app = create_app(config, root, dist) if processes == 1 else None  # each checks the store first
    fronts = Fronts(config, root, dist or root / "dist", processes) if processes > 1 else None
    print(f"kg serve: {mask_credentials(config.store)} at http://{config.host}:{config.port}/sparql "
          f"({'updates with token' if config.allow_update else 'read-only'}, "
          f"query timeout {config.query_timeout:g} s, max rows {config.max_rows}"
          f"{f', {processes} processes' if processes > 1 else ''})", file=sys.stderr, flush=True)
    _raise_file_limit(config.max_connections * processes)
    if fronts is not None:
        fronts.run()
        return
    assert app is not None  # one process: this one serves
    uvicorn.run(app, host=config.host, port=config.port, **_uvicorn_options(config))


def _listen(host: str, port: int):
    """A listening TCP socket for the front processes (IPPROTO_TCP named, so that asyncio sets
    TCP_NODELAY on its connections, as it does on the sockets it opens itself)."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             proto=socket.IPPROTO_TCP)[0]
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        raise ConfigurationError(f"cannot listen on {{host}} {host} {{port}} {port}: {exc.strerror or exc}",
                                 "host", "port") from None
    return sock


def _front_main(config: Config, root: Path, dist: Path, sock, conn, generation, restarts) -> None:
    """A front process: the whole HTTP server on the shared socket, queries on its own read-only
    view and workers; updates go to the server process through `conn`. Ends with its parent."""
    import uvicorn

    try:
        import ctypes

        ctypes.CDLL(None).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG: the server process is gone, so is this
    except (OSError, AttributeError):
        pass
    logging.basicConfig(format="%(message)s", level=logging.WARNING)
    app = create_app(config, root, dist, UpdateLink(conn, generation, restarts))
    uvicorn.Server(uvicorn.Config(app, **_uvicorn_options(config))).run(sockets=[sock])


class Fronts:
    """The server process when several front processes answer HTTP: it holds the store's one
    writable handle and runs the updates they send it (one at a time, offline as before), then
    counts the update so that every front reopens its view first; a front that ends is replaced."""

    def __init__(self, config: Config, root: Path, dist: Path, processes: int):
        self.config, self.root, self.dist, self.processes = config, root, dist, processes
        self.ctx = multiprocessing.get_context("spawn")
        self.generation = self.ctx.Value("q", 0)
        self.restarts = self.ctx.Value("q", 0)
        self.service = Service(config, root, dist, generation=self.generation)  # checks and opens the store
        self.sock = _listen(config.host, config.port)
        self.fronts: dict[int, tuple] = {}  # fd of its pipe -> (process, pipe)

    def _start_front(self, loop) -> None:
        mine, theirs = self.ctx.Pipe()
        process = self.ctx.Process(target=_front_main, args=(self.config, self.root, self.dist, self.sock, theirs,
                                                             self.generation, self.restarts))
        process.start()
        theirs.close()
        self.fronts[mine.fileno()] = (process, mine)
        loop.add_reader(mine.fileno(), self._readable, loop, mine)

    def _readable(self, loop, conn) -> None:
        try:
            message = json.loads(conn.recv_bytes())
        except (EOFError, OSError, ValueError):
            loop.remove_reader(conn.fileno())  # the front ended: _watch replaces it
            return
        if message == "ready":
            self.ready += 1
            return
        sparql, base_iri = message
        loop.create_task(self._update(conn, sparql, base_iri))

    async def _update(self, conn, sparql: str, base_iri: str | None) -> None:
        answer = await self.service.update(sparql, base_iri)
        try:
            _send_answer(conn, answer)
        except OSError:
            pass  # the front ended meanwhile

    async def _watch(self, stopping: asyncio.Event) -> None:
        loop = asyncio.get_running_loop()
        while not stopping.is_set():
            for fd, (process, conn) in list(self.fronts.items()):
                if not process.is_alive():
                    del self.fronts[fd]
                    with contextlib.suppress(ValueError, OSError):
                        loop.remove_reader(fd)
                    conn.close()
                    if self.ready < self.processes:  # it ended while starting: so would the next one
                        raise StoreError(f"a front process could not start (exit code {process.exitcode}); "
                                         "its log lines are above")
                    log.warning("kg serve: a front process ended (exit code %s); starting another", process.exitcode)
                    self._start_front(loop)
            with contextlib.suppress(asyncio.TimeoutError):
                await asyncio.wait_for(stopping.wait(), 0.5)

    async def _main(self) -> None:
        loop = asyncio.get_running_loop()
        stopping = asyncio.Event()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stopping.set)
        self.ready = 0
        try:
            for _ in range(self.processes):
                self._start_front(loop)
            await self._watch(stopping)
        finally:
            for process, _ in self.fronts.values():
                if process.is_alive():
                    process.terminate()  # uvicorn's graceful shutdown, which stops the front's workers
            for process, conn in self.fronts.values():
                await loop.run_in_executor(None, process.join, 8)
                if process.is_alive():
                    process.kill()
                    process.join()
                conn.close()
            await self.service.stop()

    def run(self) -> None:
        try:
            asyncio.run(self._main())
        finally:
            self.sock.close()


def _quiet_accept_errors():
    """A loop exception handler that reports failing accept() calls (out of file descriptors)
    in one line a minute, not one traceback per attempt; anything else as asyncio would."""
    last = {"at": -60.0, "dropped": 0}

    def handle(loop, context) -> None:
        exc = context.get("exception")
        if isinstance(exc, OSError) and "accept" in str(context.get("message", "")):
            now = time.monotonic()
            if now - last["at"] < 60:
                last["dropped"] += 1
                return
            log.warning("kg serve: refusing new connections: %s (%d more like it in the last minute)",
                        exc.strerror or exc, last["dropped"])
            last.update(at=now, dropped=0)
            return
        loop.default_exception_handler(context)

    return handle


def _raise_file_limit(connections: int) -> None:
    """Enough file descriptors for every allowed connection and the workers' pipes."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    wanted = connections * 2 + 256
    if soft != resource.RLIM_INFINITY and soft < wanted:
        resource.setrlimit(resource.RLIMIT_NOFILE, (wanted if hard == resource.RLIM_INFINITY else min(wanted, hard), hard))


MAX_HEADER_BYTES = 16384  # request line and headers of one request; more closes the connection


class _CoalescedWrites:
    """A transport whose writes within one turn of the event loop leave in one send: uvicorn
    writes a response's headers and its body apart, which costs the server a second system
    call and the client a second wake-up for every small answer. Closing sends what is held."""

    def __init__(self, transport, loop) -> None:
        self._transport = transport
        self._loop = loop
        self._held: list[bytes] = []

    def write(self, data) -> None:
        if not self._held:
            self._loop.call_soon(self._flush)
        self._held.append(bytes(data))

    def _flush(self) -> None:
        if self._held:
            data = b"".join(self._held)
            self._held.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str):
        return getattr(self._transport, name)


def _timed_protocol(timeout: float):
    """uvicorn's HTTP protocol (httptools' C parser where installed, else h11), closing a connection
    whose request headers do not arrive within `timeout` seconds (uvicorn itself waits forever for a
    slow client's headers), or run past MAX_HEADER_BYTES."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base
    except ImportError:  # httptools is not installed: the pure-Python parser
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base  # type: ignore[assignment]

    class TimedProtocol(Base):
        def _arm(self, delay: float) -> None:
            self._header_timer = self.loop.call_later(delay, self._headers_too_slow)

        def connection_made(self, transport) -> None:
            super().connection_made(_CoalescedWrites(transport, self.loop))  # type: ignore[arg-type]
            self._waiting_since = self.loop.time()
            self._header_bytes = 0
            self._arm(timeout)

        def data_received(self, data: bytes) -> None:
            waiting = self.cycle is None or self.cycle.response_complete
            super().data_received(data)
            if waiting and (self.cycle is None or self.cycle.response_complete):  # headers still incomplete
                self._header_bytes += len(data)
                if self._header_bytes > MAX_HEADER_BYTES and not self.transport.is_closing():
                    self.transport.write(b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n"
                                         b"connection: close\r\n\r\n")
                    self.transport.close()
            else:
                self._header_bytes = 0

        def on_response_complete(self) -> None:
            self._waiting_since = self.loop.time()
            self._header_bytes = 0
            super().on_response_complete()

        def _headers_too_slow(self) -> None:
            waited = self.loop.time() - self._waiting_since
            if (self.cycle is None or self.cycle.response_complete) and waited >= timeout:
                if not self.transport.is_closing():  # no request under way, headers still incomplete
                    self.transport.close()
            else:
                self._arm(max(0.1, timeout - waited) if waited < timeout else timeout)

        def connection_lost(self, exc) -> None:
            self._header_timer.cancel()
            super().connection_lost(exc)

    return TimedProtocol
