"""Scale benchmark: load, query shapes, validation and `kg serve` at sizes from 10^5 triples, each beside its reference.

Run: make bench, or .venv/bin/python -m benchmarks [--sizes 100000 1000000 10000000] [--quick]
     [--only load,query,validate,serve] [--budget SECONDS] [--memory-cap MB]; --plot redraws
     the growth plot from every CSV in benchmarks/results/.
Each measurement runs in a child process (so its peak memory is its own, and a memory cap and a
time budget stop it), several times where it is cheap; the table gives medians and the ratio to
the reference. A reference that the budget or the cap stops is reported as a lower bound (>=).
Writes benchmarks/results/NAME-scale.csv, NAME-scale.md and NAME-scale.png (log-log time
against size), and growth.png from every CSV there. Nothing here fails on a number.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import datetime
import io
import math
import multiprocessing as mp
import os
import platform
import queue as queues
import resource
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
SECTIONS = ("load", "query", "validate", "serve")
PREFIXES = """PREFIX hitz: <https://w3id.org/hitz/ontology#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""
QUERIES = {
    "aggregate by year": PREFIXES + """SELECT ?year (SUM(?v) AS ?total) WHERE {
        ?o hitz:indicator <https://w3id.org/hitz/id/indicator/gdp> ; sdmx-dimension:refPeriod ?year ;
           sdmx-measure:obsValue ?v } GROUP BY ?year ORDER BY ?year""",
    "top-k": PREFIXES + """SELECT ?zone ?v WHERE {
        ?o hitz:indicator <https://w3id.org/hitz/id/indicator/revenue> ;
           sdmx-dimension:refPeriod <http://reference.data.gov.uk/id/year/2021> ;
           sdmx-dimension:refArea ?zone ; sdmx-measure:obsValue ?v } ORDER BY DESC(?v) LIMIT 10""",
    "lookup by IRI": "SELECT ?p ?o WHERE { <https://w3id.org/hitz/id/obs/synthetic-0-gdp-2021> ?p ?o }",
    "provenance path": PREFIXES + """SELECT ?exact ?start ?end WHERE {
        <https://w3id.org/hitz/id/obs/synthetic-0-gdp-2021> prov:wasDerivedFrom ?span .
        ?span oa:exact ?exact ; oa:start ?start ; oa:end ?end }""",
}
LOOKUP = QUERIES["lookup by IRI"]
RAW_ON_KG = "oxigraph on kg's store"


# -- measurements, each run in a child process -------------------------------------------
def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _stop_on_sigterm() -> None:
    """SIGTERM unwinds (servers and client processes are stopped on the way) instead of killing outright."""
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))


def _child(target, args, queue, memory_mb: int | None) -> None:
    _stop_on_sigterm()
    if memory_mb:  # address space: past it, allocations fail (MemoryError) instead of taking the machine
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024, resource.RLIM_INFINITY))
    try:
        value = target(*args)
        queue.put((value, _peak_mb(), None))
    except MemoryError:
        queue.put((None, _peak_mb(), f"stopped at the memory cap of {memory_mb} MB"))
    except BaseException as exc:  # reported as the row's note (the CLI exits with SystemExit)
        queue.put((None, _peak_mb(), f"{type(exc).__name__}: {exc}"))


def isolated(target, *args, timeout: float = 3600, memory_mb: int | None = None) -> tuple:
    """(what `target` returns, peak MB, why it stopped or None, seconds) from a fresh process,
    stopped after `timeout` seconds or past `memory_mb` megabytes of address space."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(target, args, queue, memory_mb))
    started = time.perf_counter()
    process.start()
    result = None
    try:
        while result is None:
            left = timeout - (time.perf_counter() - started)
            try:
                result = queue.get(timeout=max(0.01, min(1.0, left)))
            except queues.Empty:
                if left <= 0:
                    process.kill()
                    process.join()
                    return None, None, f"stopped after the budget of {timeout:g} s", timeout
                if not process.is_alive() and queue.empty():
                    return None, None, f"the process ended (exit code {process.exitcode})", time.perf_counter() - started
    except BaseException:  # interrupted: the child stops too, and stops what it started
        process.terminate()
        process.join(15)
        if process.is_alive():
            process.kill()
        raise
    elapsed = time.perf_counter() - started
    process.join()
    return (*result, elapsed)


def _quiet_cli(*args: str) -> None:
    """Run a `kg` command in this process, its output discarded; an error is raised, not printed."""
    from kg.cli import cli

    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            cli.main(["--root", str(ROOT), *args], prog_name="kg")
        except SystemExit as exc:
            if exc.code:
                raise RuntimeError(err.getvalue().strip() or f"kg {args[0]} exited with {exc.code}") from None


def _dist(path: str, work: str) -> Path:
    dist = Path(work) / "dist"
    dist.mkdir(exist_ok=True)
    target = dist / "hitz.nq"
    if not target.exists():
        target.symlink_to(path)
    return dist


def load_kg(path: str, work: str) -> float:
    """Seconds of `kg load --store oxigraph:DIR` (the CLI, in this process) of the file."""
    store_dir = Path(work) / "kg-store"
    shutil.rmtree(store_dir, ignore_errors=True)
    dist = _dist(path, work)
    started = time.perf_counter()
    _quiet_cli("load", "--store", f"oxigraph:{store_dir}", "--dist", str(dist))
    return time.perf_counter() - started


def load_oxigraph(path: str, work: str) -> float:
    import pyoxigraph as ox

    store_dir = Path(work) / "raw-store"
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    store = ox.Store(str(store_dir))
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    store.flush()
    del store
    return time.perf_counter() - started


def load_rdflib(path: str) -> float:
    from rdflib import Dataset

    started = time.perf_counter()
    Dataset().parse(path, format="nquads")
    return time.perf_counter() - started


def query_times(work: str, repeat: int) -> dict[str, dict[str, list[float]]]:
    """Seconds per call of each query shape, {shape: {who: [seconds]}}: the project's store API
    (kg), raw pyoxigraph on its own bulk-loaded store, and raw pyoxigraph on kg's store files;
    interleaved call by call, so that a busy machine slows each alike."""
    import pyoxigraph as ox

    from kg.store import LocalStore

    kg = LocalStore(f"oxigraph:{Path(work) / 'kg-store'}", Path(work) / "kg-store", read_only=True)
    raw = ox.Store.read_only(str(Path(work) / "raw-store"))
    raw_on_kg = ox.Store.read_only(str(Path(work) / "kg-store"))
    asks: dict[str, Callable[[str], Any]] = {"kg": kg.query,  # solutions of three types, each iterable
            "oxigraph": lambda q: raw.query(q, use_default_graph_as_union=True),
            RAW_ON_KG: lambda q: raw_on_kg.query(q, use_default_graph_as_union=True)}
    out: dict[str, dict[str, list[float]]] = {}
    for name, sparql in QUERIES.items():
        out[name] = {who: [] for who in asks}
        for who, ask in asks.items():
            assert list(ask(sparql)), f"{name} found nothing ({who})"  # warm
        order = list(asks.items())
        for turn in range(repeat):
            for who, ask in order[turn % len(order):] + order[:turn % len(order)]:  # each goes first in turn
                started = time.perf_counter()
                list(ask(sparql))
                out[name][who].append(time.perf_counter() - started)
    return out


def rdflib_query_times(path: str, repeat: int) -> dict[str, list[float]]:
    """Seconds per call of each query shape in rdflib's engine over its in-memory Dataset."""
    from rdflib import Dataset

    data = Dataset(default_union=True)
    data.parse(path, format="nquads")
    out = {}
    for name, sparql in QUERIES.items():
        list(data.query(sparql))  # warm
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            list(data.query(sparql))
            times.append(time.perf_counter() - started)
        out[name] = times
    return out


def validate_time(engine: str, path: str) -> tuple[float, list, float]:
    """Seconds to validate the file as a whole graph, the findings (shape, focus, path, value, message), and the
    CPU seconds it took (on a shared machine the wall time also holds the time other processes had the cores)."""
    from kg.project import Project
    from kg.validate import load_shapes, validate_files

    shapes = load_shapes(Project(ROOT).shape_files())
    started, cpu = time.perf_counter(), time.process_time()
    report = validate_files([Path(path)], shapes, engine)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    return seconds, sorted((v.shape, v.focus, v.path, v.value, v.message, v.severity) for v in report.violations), cpu


def _asker(kind: str, url: str):
    """A function asking the lookup query once: a keep-alive httpx client, or SPARQLWrapper (a connection a query)."""
    if kind == "keep-alive":
        import httpx

        client = httpx.Client(timeout=30)

        def ask() -> None:
            client.get(url, params={"query": LOOKUP},
                       headers={"Accept": "application/sparql-results+json"}).raise_for_status()
        return ask
    from SPARQLWrapper import JSON, SPARQLWrapper

    def ask_wrapper() -> None:
        wrapper = SPARQLWrapper(url)
        wrapper.setQuery(LOOKUP)
        wrapper.setReturnFormat(JSON)
        wrapper.query().convert()
    return ask_wrapper


def _lookup_rows(url: str) -> int:
    """The rows a server answers the lookup query with."""
    import httpx

    response = httpx.get(url, params={"query": LOOKUP}, headers={"Accept": "application/sparql-results+json"}, timeout=30)
    response.raise_for_status()
    return len(response.json()["results"]["bindings"])


def _client_process(commands, results, barrier) -> None:
    """One client process: for each (kind, url, seconds, together) command, warm up, wait for the
    other clients when `together`, then ask for `seconds` and send back every latency."""
    while True:
        command = commands.get()
        if command is None:
            return
        kind, url, seconds, together = command
        ask = _asker(kind, url)
        for _ in range(5):
            ask()
        if together:
            barrier.wait()
        latencies = []
        deadline = time.perf_counter() + seconds
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            ask()
            latencies.append(time.perf_counter() - started)
        results.put(latencies)


class Clients:
    """Client processes, started once (processes, so that clients do not share one interpreter's lock)."""

    def __init__(self, count: int):
        ctx = mp.get_context("spawn")
        self.barrier, self.results = ctx.Barrier(count), ctx.Queue()
        self.commands = [ctx.Queue() for _ in range(count)]
        self.processes = [ctx.Process(target=_client_process, args=(c, self.results, self.barrier), daemon=True)
                          for c in self.commands]
        for p in self.processes:
            p.start()

    def throughput(self, kind: str, url: str, clients: int, seconds: float) -> tuple[float, list[float]]:
        """(queries per second, every latency in seconds) of `clients` clients asking for `seconds`."""
        together = clients == len(self.processes)
        for commands in self.commands[:clients]:
            commands.put((kind, url, seconds, together))
        latencies: list[float] = []
        for _ in range(clients):
            latencies += self.results.get(timeout=seconds + 120)
        return len(latencies) / seconds, latencies

    def close(self) -> None:
        for commands in self.commands:
            commands.put(None)
        for p in self.processes:
            p.join(10)


def cpu_seconds(pid: int) -> float | None:
    """CPU seconds (user and system) used so far by a process and its children (Linux /proc), or None."""
    try:
        stats = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with contextlib.suppress(OSError):
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                    stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
        tree, ticks, grew = {pid}, 0, True
        while grew:
            grew = False
            for child, (parent, _) in stats.items():
                if parent in tree and child not in tree:
                    tree.add(child)
                    grew = True
        ticks = sum(stats[p][1] for p in tree if p in stats)
        return ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def serve_rates(work: str, seconds: float, rounds: int = 3,
                processes: int | None = None) -> dict[str, dict[str, tuple[float, float, float, float]]]:
    """{setting: {"kg": (q/s, p50 ms, p99 ms, server CPU ms a query), "oxigraph": (...)}} of the lookup query at 1 and 4 clients,
    keep-alive and SPARQLWrapper: both servers run at once and take turns, `rounds` windows of
    `seconds` each, so that a busy machine slows each alike; q/s is the median window. `processes`:
    kg serve's --processes (None: its default)."""
    from kg.testing import kg_server, oxigraph_server

    out: dict[str, dict[str, tuple[float, float, float, float]]] = {}
    clients = Clients(4)
    try:
        front = ("--processes", str(processes)) if processes else ()
        with kg_server(ROOT, "--store", f"oxigraph:{Path(work) / 'kg-store'}", *front, log=Path(work) / "serve.log",
                       dist=Path(work) / "dist") as kg, \
                oxigraph_server(Path(work) / "raw-store", union_default_graph=True) as raw:
            urls = {"kg": kg.url + "/sparql", "oxigraph": raw.url + "/query"}
            rows = {who: _lookup_rows(url) for who, url in urls.items()}  # both answer the same, not one nothing
            if len(set(rows.values())) != 1 or not rows["kg"]:
                raise RuntimeError(f"the servers answer the lookup differently: rows {rows}")
            pids = {"kg": kg.process.pid, "oxigraph": raw.process.pid}
            for count in (1, 4):
                for client in ("keep-alive", "SPARQLWrapper"):
                    windows: dict[str, list] = {who: [] for who in urls}
                    cpu = {who: 0.0 for who in urls}
                    for _ in range(rounds):
                        for who, url in urls.items():
                            before = cpu_seconds(pids[who])
                            windows[who].append(clients.throughput(client, url, count, seconds))
                            after = cpu_seconds(pids[who])
                            cpu[who] += (after - before) if before is not None and after is not None else math.nan
                    name = f"{client}, {count} client{'s' if count > 1 else ''}"
                    out[name] = {}
                    for who, measured in windows.items():
                        latencies = sorted(x for _, window in measured for x in window)
                        out[name][who] = (statistics.median(q for q, _ in measured),
                                          1000 * latencies[len(latencies) // 2],
                                          1000 * latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))],
                                          1000 * cpu[who] / max(1, len(latencies)))
    finally:
        clients.close()
    return out


# -- the run ----------------------------------------------------------------------------
def median(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def machine() -> dict[str, str]:
    """What the figures depend on: cores, memory, load average, versions."""
    from importlib.metadata import PackageNotFoundError, version

    model = ""
    with contextlib.suppress(OSError):
        model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo", encoding="utf-8")
                      if line.startswith("model name")), "")
    memory = ""
    with contextlib.suppress(OSError, ValueError):
        memory = f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB"
    versions = []
    for package in ("pyoxigraph", "oxigraph", "rdflib", "pyshacl", "uvicorn", "httptools"):
        with contextlib.suppress(PackageNotFoundError):
            versions.append(f"{package} {version(package)}")
    return {"cores": str(os.cpu_count()), "cpu": model, "memory": memory,
            "python": platform.python_version(), "versions": ", ".join(versions),
            "load": "/".join(f"{x:.2f}" for x in os.getloadavg())}


def run_name(sizes: list[int], quick: bool) -> str:
    label = "-".join(f"1e{round(math.log10(s))}" if s > 0 and 10 ** round(math.log10(s)) == s else str(s) for s in sizes)
    return f"{'quick' if quick else 'full'}-{label}"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000],
                        help="triples of each generated graph (up to 10^7)")
    parser.add_argument("--quick", action="store_true", help="10^5 triples only, short runs, small budget (under two minutes)")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help=f"comma-separated sections to run, of {','.join(SECTIONS)}")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each cheap measurement (median)")
    parser.add_argument("--serve-seconds", type=float, default=3.0, help="seconds of each serve window")
    parser.add_argument("--serve-processes", type=int, help="kg serve's --processes (default: kg serve's own)")
    parser.add_argument("--rounds", type=int, default=3, help="windows of each serve measurement, kg and oxigraph in turn")
    parser.add_argument("--budget", type=float, default=900,
                        help="seconds a reference (rdflib parse and queries, pySHACL) may take; then its row is a lower bound")
    parser.add_argument("--memory-cap", type=int, default=8192,
                        help="megabytes of address space a reference (rdflib, pySHACL) may use, 0 for none; Oxigraph's runs are not capped: it reserves far more address space than it uses (at 10^7 triples, over 14 GB)")
    parser.add_argument("--validate-timeout", type=float, default=1800, help="seconds kg validate may take")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder of the results")
    parser.add_argument("--name", help="name of this run's files (default: quick-1e5, full-1e5-1e6, ...)")
    parser.add_argument("--plot", action="store_true", help="only redraw growth.png from the CSVs in --out")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    if args.plot:
        print(f"wrote {plot_growth(args.out)}")
        return
    only = {s.strip() for s in args.only.split(",") if s.strip()}
    if only - set(SECTIONS):
        parser.error(f"--only: unknown section {', '.join(sorted(only - set(SECTIONS)))}; choose of {', '.join(SECTIONS)}")
    if args.quick:
        args.sizes, args.repeat, args.serve_seconds, args.rounds = [100_000], 1, 1.5, 1
        args.budget, args.validate_timeout = min(args.budget, 15), min(args.validate_timeout, 30)
    name = args.name or run_name(args.sizes, args.quick)
    from kg.generate import generate, write

    rows: list[dict] = []
    host = machine()
    started_at = datetime.datetime.now(datetime.timezone.utc)
    started_all = time.perf_counter()
    cap = args.memory_cap  # for the references only: Oxigraph reserves far more address space than it uses
    print(f"{host['cores']} cores, load average {host['load']} at start; sections {','.join(s for s in SECTIONS if s in only)}",
          flush=True)

    def row(size, measure, ours, reference, ref_name, peak_ours=None, peak_ref=None, note="",
            ours_bound="", reference_bound=""):
        ratio = ours / reference if ours and reference and not (ours_bound and reference_bound) else None
        rows.append(dict(size=size, measure=measure, ours_s=ours, reference=ref_name, reference_s=reference,
                         ratio=ratio, ours_peak_mb=peak_ours, reference_peak_mb=peak_ref, note=note,
                         ours_bound=ours_bound, reference_bound=reference_bound))
        show = shower(measure)
        print(f"{size:>9}  {measure:<40} {ours_bound}{show(ours):>9}  {ref_name:<22} {reference_bound}{show(reference):>9}  "
              f"{ratio_text(ratio, ours_bound, reference_bound):>6}  {note}", flush=True)

    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="hitz-bench-") as work:
            path = str(Path(work) / f"synthetic-{size}.nq")
            lines, info = generate(size, 2, seed=1)
            write(Path(path), lines)
            del lines
            size = info.triples
            if "load" in only:
                kg = [isolated(load_kg, path, work) for _ in range(args.repeat)]
                ox_ = [isolated(load_oxigraph, path, work) for _ in range(args.repeat)]
                errors = "; ".join({r[2] for r in kg + ox_ if r[2]})
                row(size, "load: kg load", median([r[0] for r in kg]), median([r[0] for r in ox_]),
                    "pyoxigraph bulk_load", max(r[1] or 0 for r in kg), max(r[1] or 0 for r in ox_), errors)
                rd = isolated(load_rdflib, path, timeout=args.budget, memory_mb=cap)
                row(size, "load: kg load", median([r[0] for r in kg]), rd[0] if rd[0] else rd[3], "rdflib parse",
                    max(r[1] or 0 for r in kg), rd[1], rd[2] or "", reference_bound="" if rd[0] else ">=")
            elif {"query", "serve"} & only:  # the stores they read, without a row
                for loader in (load_kg, load_oxigraph):
                    prepared = isolated(loader, path, work)
                    if prepared[2]:
                        sys.exit(f"error: preparing the stores: {prepared[2]}")
            if "query" in only:
                ours, peak_q, error, _ = isolated(query_times, work, max(6, args.repeat))
                rdf = isolated(rdflib_query_times, path, max(1, args.repeat), timeout=args.budget, memory_mb=cap)
                for shape in QUERIES:
                    if ours is None:
                        row(size, f"query: {shape}", None, None, "raw pyoxigraph", note=error or "")
                        continue
                    times = ours[shape]
                    row(size, f"query: {shape}", median(times["kg"]), median(times["oxigraph"]), "raw pyoxigraph",
                        peak_q, peak_q, f"one process, calls interleaved; raw pyoxigraph on kg's store files: "
                                        f"{fmt(median(times[RAW_ON_KG]))}")
                    row(size, f"query: {shape}", median(times["kg"]), median(rdf[0][shape]) if rdf[0] else None,
                        "rdflib engine", peak_q, rdf[1],
                        "" if rdf[0] else f"rdflib did not load and query the graph: {rdf[2]}")
            if "validate" in only:
                fast = isolated(validate_time, "sparql", path, timeout=args.validate_timeout)
                ref = isolated(validate_time, "pyshacl", path, timeout=args.budget, memory_mb=cap)
                if fast[0] and ref[0]:
                    same = "identical findings" if fast[0][1] == ref[0][1] else "FINDINGS DIFFER"
                    same += f" ({len(fast[0][1])} results)"
                elif fast[0]:
                    same = f"{len(fast[0][1])} results; pySHACL: {ref[2]}"
                else:
                    same = f"kg validate: {fast[2]}; pySHACL: {ref[2] or 'finished'}"
                if fast[0]:
                    same += f"; kg validate CPU {fast[0][2]:.1f} s" + (f", pySHACL CPU {ref[0][2]:.1f} s" if ref[0] else "")
                row(size, "validate: kg validate --graph", fast[0][0] if fast[0] else fast[3],
                    ref[0][0] if ref[0] else ref[3], "pySHACL over rdflib", fast[1], ref[1], same,
                    ours_bound="" if fast[0] else ">=", reference_bound="" if ref[0] else ">=")
            if "serve" in only:
                rates, _, error, _ = isolated(serve_rates, work, args.serve_seconds, args.rounds, args.serve_processes)
                fronts = f"; kg serve --processes {args.serve_processes}" if args.serve_processes else ""
                for client, measured in (rates or {}).items():
                    (qps, p50, p99, cpu), (oqps, op50, op99, ocpu) = measured["kg"], measured["oxigraph"]
                    row(size, f"serve q/s: {client}", qps, oqps, "oxigraph serve",
                        note=f"ratio is of q/s; median of {args.rounds} windows of {args.serve_seconds:g} s, taking "
                             f"turns; server CPU a query {cpu:.2f} ms vs {ocpu:.2f} ms{fronts}")
                    row(size, f"serve p99 ms: {client}", p99 / 1000, op99 / 1000, "oxigraph serve",
                        note=f"p50 {p50:.1f} ms vs {op50:.1f} ms")
                if error:
                    print("serve:", error)
    if "serve" in only:
        virtuoso = shutil.which("virtuoso-t")
        print("Virtuoso: " + (f"found at {virtuoso} but not benchmarked" if virtuoso
                              else "not installed (Debian virtuoso-opensource): row skipped"))
    total = time.perf_counter() - started_all
    host["load_end"] = "/".join(f"{x:.2f}" for x in os.getloadavg())
    write_results(rows, args.out, name, total, host, started_at, argv if argv is not None else sys.argv[1:])
    print(f"\nthe whole run took {total:.0f} s; results in {args.out}/{name}-scale.*")


def fmt(x) -> str:
    return "-" if x is None else (f"{x * 1000:.1f}ms" if x < 1 else f"{x:.2f}s")


def megabytes(value) -> str:
    """A peak in whole megabytes, or - when it was not measured."""
    return f"{value:.0f}" if value else "-"


def ratio_text(ratio, ours_bound: str = "", reference_bound: str = "") -> str:
    """A ratio to three figures; a bound on either side makes it a bound (<= or >=)."""
    if not ratio:
        return "-"
    return ("<=" if reference_bound else ">=" if ours_bound else "") + (f"{ratio:.2f}" if ratio >= 0.1 else f"{ratio:.2g}")


def shower(measure: str):
    if measure.startswith("serve q/s"):
        return lambda x: "-" if x is None else f"{x:.0f} q/s"
    return fmt


FIELDS = ["size", "measure", "ours_s", "reference", "reference_s", "ratio", "ours_peak_mb", "reference_peak_mb",
          "note", "ours_bound", "reference_bound"]


def write_results(rows: list[dict], out: Path, name: str, total: float, host: dict, started_at, argv: list[str]) -> None:
    """The run's CSV, its Markdown table (with the run's duration and machine), and its plots."""
    with open(out / f"{name}-scale.csv", "w", newline="", encoding="utf-8") as sink:
        writer = csv.DictWriter(sink, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows(rows)
    lines = [f"Run of `python -m benchmarks {' '.join(argv)}` at {started_at:%Y-%m-%d %H:%M} UTC: "
             f"**{total:.0f} s** in all.",
             "",
             f"Machine: {host['cores']} cores ({host['cpu'] or 'unknown CPU'}), {host['memory']} memory; "
             f"load average (1/5/15 min) **{host['load']}** at the start, {host.get('load_end', '-')} at the end "
             f"(the machine may be shared: a load above the cores slows every row). Python {host['python']}; "
             f"{host['versions']}.",
             "",
             "`>=` marks a lower bound: the measurement was stopped by its time budget or memory cap (see note).",
             "",
             "| triples | measure | ours | reference | reference time | ours / reference | peak MB ours | peak MB ref | note |",
             "|---:|---|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        show = shower(r["measure"])
        lines.append(f"| {r['size']} | {r['measure']} | {r['ours_bound']}{show(r['ours_s'])} | {r['reference']} | "
                     f"{r['reference_bound']}{show(r['reference_s'])} | "
                     f"{ratio_text(r['ratio'], r['ours_bound'], r['reference_bound'])} | "
                     f"{megabytes(r['ours_peak_mb'])} | {megabytes(r['reference_peak_mb'])} | {r['note']} |")
    (out / f"{name}-scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plot(rows, out / f"{name}-scale.png", f"hitz-kg: time against size ({name})")
    plot_growth(out)


def _series(rows) -> dict[str, list[tuple[int, float]]]:
    """Time against size for load, query and validation: one series per measure and side."""
    series: dict[str, list[tuple[int, float]]] = {}
    for r in rows:
        if not str(r["measure"]).startswith(("load", "query", "validate")):
            continue
        for who, key, bound in (("ours", "ours_s", "ours_bound"), (r["reference"], "reference_s", "reference_bound")):
            value = r[key]
            if value not in (None, ""):
                label = f"{r['measure']} ({who}{', lower bound' if r.get(bound) else ''})"
                series.setdefault(label, []).append((int(r["size"]), float(value)))
    return series


def plot(rows, target: Path, title: str) -> Path | None:
    """A log-log plot of time against size; None (and a line saying why) without matplotlib."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot")
        return None
    fig, ax = plt.subplots(figsize=(10, 7))
    ax.set_prop_cycle(color=plt.cm.tab20.colors)
    for label, points in sorted(_series(rows).items()):
        by_size: dict[float, tuple[int, float]] = {}
        for size, seconds in points:  # sizes within a few percent are one size: the last run's point
            by_size[round(math.log10(size), 1)] = (size, seconds)
        chosen = sorted(by_size.values())
        ax.plot([p[0] for p in chosen], [p[1] for p in chosen], marker="o", label=label,
                linestyle="--" if "lower bound" in label or "ours" not in label else "-")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples")
    ax.set_ylabel("seconds")
    ax.set_title(title)
    ax.grid(True, which="both", alpha=0.3)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(fontsize=6, ncol=2)
    fig.tight_layout()
    fig.savefig(target, dpi=100)
    plt.close(fig)
    return target


def read_rows(folder: Path) -> list[dict]:
    """The rows of every *-scale.csv in `folder`, oldest file first (a later run's point wins)."""
    rows = []
    for path in sorted(folder.glob("*.csv"), key=lambda p: p.stat().st_mtime):
        with open(path, newline="", encoding="utf-8") as source:
            for r in csv.DictReader(source):
                r.setdefault("ours_bound", "")
                r.setdefault("reference_bound", "")
                rows.append(r)
    return rows


def plot_growth(folder: Path) -> Path | None:
    """growth.png: time against size from every run's CSV in `folder`, so that growth shows across runs."""
    return plot(read_rows(folder), folder / "growth.png", "hitz-kg: time against size, every run in " + folder.name)
