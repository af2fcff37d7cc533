"""Load time and query throughput of each store, and of `kg serve` over HTTP.

Run: .venv/bin/python benchmarks/store.py [--seconds 3]   (builds dist/ first if needed)
Prints one table. Numbers depend on the machine; the tests assert none of them.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import threading
import time
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.build import build
from kg.project import Project
from kg.query import questions
from kg.store import LocalStore, RemoteStore
from kg.testing import kg_server, oxigraph_server

ROOT = Path(__file__).resolve().parent.parent
ZONES_2022 = ("SELECT ?v WHERE { <https://w3id.org/hitz/id/obs/zones-2022> "
              "<http://purl.org/linked-data/sdmx/2009/measure#obsValue> ?v }")


def timed(action) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def consume(result):
    """Read a whole answer: a boolean, or every row or triple."""
    return bool(result) if isinstance(result, ox.QueryBoolean) else list(result)


def throughput(ask, clients: int, seconds: float) -> tuple[float, float, int]:
    """Queries per second and median latency (ms) with `clients` threads asking for `seconds`."""
    latencies: list[float] = []
    errors = [0]
    deadline = time.perf_counter() + seconds

    def client():
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                ask()
                latencies.append(time.perf_counter() - started)
            except Exception:
                errors[0] += 1

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / seconds, 1000 * statistics.median(latencies or [0]), errors[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    args = parser.parse_args()
    project = Project(ROOT)
    dist = project.dist_dir
    if not (dist / "hitz.nq").is_file():
        build(project, dist)
    catalog = [q.sparql for q in questions(project.queries_dir) if "# Needs: network" not in q.sparql]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        with oxigraph_server(tmp / "oxigraph-server") as oxi:
            backends: dict[str, LocalStore | RemoteStore] = {
                "memory:": LocalStore("memory:", None),
                "oxigraph:PATH": LocalStore(f"oxigraph:{tmp / 'embedded'}", tmp / "embedded"),
                "oxigraph server (HTTP)": RemoteStore(oxi.url + "/query"),
            }
            for name, store in backends.items():
                load = timed(lambda: store.replace(dist))
                catalog_time = timed(lambda: [consume(store.query(q)) for q in catalog])
                one = throughput(lambda: list(store.query(ZONES_2022)), 1, args.seconds)
                eight = throughput(lambda: list(store.query(ZONES_2022)), 8, args.seconds)
                rows.append([name, f"{load * 1000:.0f}", f"{catalog_time * 1000:.0f}",
                             f"{one[0]:.0f}", f"{one[1]:.1f}", f"{eight[0]:.0f}", f"{eight[1]:.1f}", str(one[2] + eight[2])])
            backends["oxigraph:PATH"].close()
        store_url = f"oxigraph:{tmp / 'embedded'}"
        with kg_server(ROOT, "--store", store_url, log=tmp / "serve.log", dist=dist) as server:
            with httpx.Client() as http:
                def ask(query=ZONES_2022):
                    response = http.get(server.url + "/sparql", params={"query": query})
                    response.raise_for_status()

                catalog_time = timed(lambda: [ask(q) for q in catalog])
                one = throughput(ask, 1, args.seconds)
                eight = throughput(ask, 8, args.seconds)
                rows.append(["kg serve (HTTP, 4 workers)", "-", f"{catalog_time * 1000:.0f}",
                             f"{one[0]:.0f}", f"{one[1]:.1f}", f"{eight[0]:.0f}", f"{eight[1]:.1f}",
                             str(one[2] + eight[2])])
            slow = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
            cut = timed(lambda: httpx.get(server.url + "/sparql", params={"query": slow}, timeout=60))
    headers = ["store", "load ms", f"catalog ({len(catalog)} q) ms", "q/s 1 client", "p50 ms",
               "q/s 8 clients", "p50 ms", "errors"]
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(w) for h, w in zip(headers, widths)))
    print("  ".join("-" * w for w in widths))
    for row in rows:
        print("  ".join(c.ljust(w) for c, w in zip(row, widths)))
    print(f"\na query that would run for minutes was cut by kg serve (10 s limit) after {cut:.1f} s")


if __name__ == "__main__":
    main()
