"""Scale benchmark: load, query shapes, validation and `kg serve` at sizes from 10^5 triples, each beside its reference.

Run: make bench, or .venv/bin/python -m benchmarks [--sizes 100000 1000000] [--quick]
Each measurement runs in a child process (so its peak memory is its own), several
times where it is cheap; the table gives medians and the ratio to the reference.
Writes benchmarks/results/scale.csv, scale.md and scale.png (log-log time against size).
Numbers depend on the machine and its load; nothing here fails on a number.
"""

from __future__ import annotations

import argparse
import csv
import multiprocessing as mp
import resource
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
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


# -- measurements, each run in a child process -------------------------------------------
def _child(target, args, queue):
    try:
        value = target(*args)
        queue.put((value, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, None))
    except Exception as exc:  # reported as the row's note
        queue.put((None, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, f"{type(exc).__name__}: {exc}"))


def isolated(target, *args, timeout: float = 3600):
    """(what `target` returns, peak MB, error or None), run in a fresh process; None if it ran past `timeout`."""
    ctx = mp.get_context("spawn")
    queue = ctx.Queue()
    process = ctx.Process(target=_child, args=(target, args, queue))
    process.start()
    try:
        result = queue.get(timeout=timeout)
    except Exception:
        process.kill()
        process.join()
        return None, None, f"stopped after {timeout:.0f} s"
    process.join()
    return result


def load_kg(path: str, work: str) -> float:
    from kg.store import LocalStore

    dist = Path(work) / "dist"
    dist.mkdir(exist_ok=True)
    target = dist / "hitz.nq"
    if not target.exists():
        target.symlink_to(path)
    store_dir = Path(work) / "kg-store"
    shutil.rmtree(store_dir, ignore_errors=True)
    started = time.perf_counter()
    store = LocalStore(f"oxigraph:{store_dir}", store_dir)
    store.replace(dist)
    store.close()
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


def query_times(kind: str, path: str, work: str, repeat: int) -> dict[str, list[float]]:
    """Seconds per call of each query shape: `kind` is kg (the project's store API), oxigraph or rdflib."""
    if kind == "kg":
        from kg.store import LocalStore

        store = LocalStore(f"oxigraph:{Path(work) / 'kg-store'}", Path(work) / "kg-store", read_only=True)
        ask = store.query
    elif kind == "oxigraph":
        import pyoxigraph as ox

        raw = ox.Store.read_only(str(Path(work) / "raw-store"))
        ask = lambda q: raw.query(q, use_default_graph_as_union=True)  # noqa: E731
    else:
        from rdflib import Dataset

        data = Dataset(default_union=True)
        data.parse(path, format="nquads")
        ask = data.query
    out = {}
    for name, sparql in QUERIES.items():
        list(ask(sparql))  # warm
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            rows = list(ask(sparql))
            times.append(time.perf_counter() - started)
        assert rows, f"{name} found nothing"
        out[name] = times
    return out


def validate_time(engine: str, path: str) -> tuple[float, list]:
    """Seconds to validate the file as a whole graph, and the findings (shape, focus, path, value, message)."""
    from kg.project import Project
    from kg.validate import load_shapes, validate_files

    shapes = load_shapes(Project(ROOT).shape_files())
    started = time.perf_counter()
    report = validate_files([Path(path)], shapes, engine)
    seconds = time.perf_counter() - started
    return seconds, sorted((v.shape, v.focus, v.path, v.value, v.message, v.severity) for v in report.violations)


def serve_rates(kind: str, work: str, seconds: float) -> dict:
    """Queries per second and p50/p99 ms of the lookup query at 1 and 4 clients, keep-alive and SPARQLWrapper."""
    import httpx
    from SPARQLWrapper import JSON, SPARQLWrapper

    from kg.testing import kg_server, oxigraph_server

    if kind == "kg":
        server_cm = kg_server(ROOT, "--store", f"oxigraph:{Path(work) / 'kg-store'}", log=Path(work) / "serve.log",
                              dist=Path(work) / "dist")
        path = "/sparql"
    else:
        server_cm = oxigraph_server(Path(work) / "raw-store")
        path = "/query"
    out = {}
    with server_cm as server:
        url = server.url + path
        for clients in (1, 4):
            local = threading.local()

            def ask_httpx():
                if not hasattr(local, "client"):
                    local.client = httpx.Client(timeout=30)
                response = local.client.get(url, params={"query": LOOKUP},
                                            headers={"Accept": "application/sparql-results+json"})
                response.raise_for_status()

            out[f"keep-alive, {clients} client{'s' if clients > 1 else ''}"] = throughput(ask_httpx, clients, seconds)

            def ask_wrapper():
                client = SPARQLWrapper(url)
                client.setQuery(LOOKUP)
                client.setReturnFormat(JSON)
                client.query().convert()

            out[f"SPARQLWrapper, {clients} client{'s' if clients > 1 else ''}"] = throughput(ask_wrapper, clients, seconds)
    return out


def throughput(ask, clients: int, seconds: float) -> tuple[float, float, float]:
    """(queries per second, p50 ms, p99 ms) with `clients` threads asking for `seconds`."""
    latencies: list[float] = []
    deadline = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            ask()
            latencies.append(time.perf_counter() - started)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    ordered = sorted(latencies) or [0.0]
    return len(latencies) / seconds, 1000 * ordered[len(ordered) // 2], 1000 * ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


# -- the run ----------------------------------------------------------------------------
def median(values) -> float:
    return statistics.median(values) if values else float("nan")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--quick", action="store_true", help="10^5 triples only, short serve runs (under two minutes)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each cheap measurement (median)")
    parser.add_argument("--serve-seconds", type=float, default=3.0)
    parser.add_argument("--rdflib-max", type=int, default=1_000_000, help="largest size rdflib loads and queries")
    parser.add_argument("--pyshacl-timeout", type=float, default=900, help="seconds pySHACL may take before its row says so")
    parser.add_argument("--validate-timeout", type=float, default=1800, help="seconds kg validate may take")
    args = parser.parse_args(argv)
    if args.quick:
        args.sizes, args.repeat, args.serve_seconds, args.pyshacl_timeout = [100_000], 1, 2.0, 60
    from kg.generate import generate, write

    RESULTS.mkdir(parents=True, exist_ok=True)
    rows: list[dict] = []
    started_all = time.perf_counter()

    def row(size, measure, ours, reference, ref_name, peak_ours=None, peak_ref=None, note=""):
        ratio = ours / reference if ours and reference else None
        rows.append(dict(size=size, measure=measure, ours_s=ours, reference=ref_name, reference_s=reference,
                         ratio=ratio, ours_peak_mb=peak_ours, reference_peak_mb=peak_ref, note=note))
        show = (lambda x: "-" if x is None else f"{x:.0f}q/s") if measure.startswith("serve q/s") else fmt
        print(f"{size:>9}  {measure:<40} {show(ours):>9}  {ref_name:<22} {show(reference):>9}  "
              f"{f'{ratio:.2f}' if ratio else '-':>6}  {note}", flush=True)

    for size in args.sizes:
        with tempfile.TemporaryDirectory(prefix="hitz-bench-") as work:
            path = str(Path(work) / f"synthetic-{size}.nq")
            lines, info = generate(size, 2, seed=1)
            write(Path(path), lines)
            del lines
            size = info.triples
            # load
            kg = [isolated(load_kg, path, work) for _ in range(args.repeat)]
            ox_ = [isolated(load_oxigraph, path, work) for _ in range(args.repeat)]
            row(size, "load: kg load", median([r[0] for r in kg if r[0]]), median([r[0] for r in ox_ if r[0]]),
                "pyoxigraph bulk_load", max(r[1] for r in kg), max(r[1] for r in ox_))
            if size <= args.rdflib_max:
                rd = isolated(load_rdflib, path)
                row(size, "load: kg load", median([r[0] for r in kg if r[0]]), rd[0], "rdflib parse",
                    max(r[1] for r in kg), rd[1], rd[2] or "")
            # queries
            ours, peak_q, _ = isolated(query_times, "kg", path, work, max(5, args.repeat))
            raw, peak_raw, _ = isolated(query_times, "oxigraph", path, work, max(5, args.repeat))
            rdf = isolated(query_times, "rdflib", path, work, args.repeat) if size <= args.rdflib_max else (None, None, "")
            for name in QUERIES:
                row(size, f"query: {name}", median(ours[name]), median(raw[name]), "raw pyoxigraph", peak_q, peak_raw)
                if rdf[0]:
                    row(size, f"query: {name}", median(ours[name]), median(rdf[0][name]), "rdflib engine", peak_q, rdf[1])
            # validation
            fast = isolated(validate_time, "sparql", path, timeout=args.validate_timeout)
            ref = isolated(validate_time, "pyshacl", path, timeout=args.pyshacl_timeout)
            same = ""
            if fast[0] and ref[0]:
                same = "identical findings" if fast[0][1] == ref[0][1] else "FINDINGS DIFFER"
                same += f" ({len(fast[0][1])} results)"
            elif fast[0]:
                same = f"{len(fast[0][1])} results; pySHACL: {ref[2]}"
            else:
                same = f"kg validate: {fast[2]}; pySHACL: {ref[2]}"
            row(size, "validate: kg validate --graph", fast[0][0] if fast[0] else None,
                ref[0][0] if ref[0] else (args.pyshacl_timeout if ref[2] and "stopped" in ref[2] else None),
                "pySHACL over rdflib", fast[1], ref[1], same + (" (reference is a lower bound)" if not ref[0] else ""))
            # serve
            kg_rates = isolated(serve_rates, "kg", work, args.serve_seconds)
            ox_rates = isolated(serve_rates, "oxigraph", work, args.serve_seconds)
            if kg_rates[0] and ox_rates[0]:
                for client, (qps, p50, p99) in kg_rates[0].items():
                    oqps, op50, op99 = ox_rates[0][client]
                    row(size, f"serve q/s: {client}", qps, oqps, "oxigraph serve", note="ratio is of q/s")
                    row(size, f"serve p99 ms: {client}", p99 / 1000, op99 / 1000, "oxigraph serve",
                        note=f"p50 {p50:.1f} ms vs {op50:.1f} ms")
            else:
                print("serve:", kg_rates[2], ox_rates[2])
    virtuoso = shutil.which("virtuoso-t")
    print(f"Virtuoso: {'found at ' + virtuoso + ' but not benchmarked' if virtuoso else 'not installed (Debian virtuoso-opensource): row skipped'}")
    total = time.perf_counter() - started_all
    write_results(rows, total)
    print(f"\nthe whole run took {total:.0f} s; results in {RESULTS}/")


def fmt(x) -> str:
    return "-" if x is None else (f"{x * 1000:.1f}ms" if x < 1 else f"{x:.2f}s")


def write_results(rows: list[dict], total: float) -> None:
    with open(RESULTS / "scale.csv", "w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    lines = ["| triples | measure | ours | reference | reference time | ours / reference | peak MB ours | peak MB ref | note |",
             "|---:|---|---:|---|---:|---:|---:|---:|---|"]
    for r in rows:
        q = r["measure"].startswith("serve q/s")
        show = (lambda x: "-" if x is None else f"{x:.0f} q/s") if q else fmt
        lines.append(f"| {r['size']} | {r['measure']} | {show(r['ours_s'])} | {r['reference']} | {show(r['reference_s'])} | "
                     f"{format(r['ratio'], '.2f') if r['ratio'] else '-'} | {format(r['ours_peak_mb'], '.0f') if r['ours_peak_mb'] else '-'} | "
                     f"{format(r['reference_peak_mb'], '.0f') if r['reference_peak_mb'] else '-'} | {r['note']} |")
    lines.append(f"\nWhole run: {total:.0f} s.")
    (RESULTS / "scale.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    plot(rows)


def plot(rows: list[dict]) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (pip install -e '.[bench]'): no plot")
        return
    series: dict[str, list] = {}
    for r in rows:
        if r["measure"].startswith(("load", "query: aggregate", "validate")):
            for who, key in (("ours", "ours_s"), (r["reference"], "reference_s")):
                if r[key]:
                    series.setdefault(f"{r['measure']} ({who})", []).append((r["size"], r[key]))
    fig, ax = plt.subplots(figsize=(9, 6))
    for name, points in sorted(series.items()):
        points = sorted(set(points))
        ax.plot([p[0] for p in points], [p[1] for p in points], marker="o", label=name)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("triples")
    ax.set_ylabel("seconds")
    ax.set_title("hitz-kg: time against size")
    ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(RESULTS / "scale.png", dpi=100)
