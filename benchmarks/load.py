"""A bounded load test of `kg serve`: many clients on loopback for a fixed time, asking the
catalog's questions (each answer checked against the same question run locally), a runaway
query every few seconds and malformed requests. Prints errors, p50/p99 latency, wrong answers,
and the server's memory (its process and its query workers) at the start and at the end.

Run: make load   or   .venv/bin/python benchmarks/load.py [--clients 50] [--seconds 30]
Numbers depend on the machine; nothing here fails on a time.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import pyoxigraph as ox

from kg.build import build
from kg.project import Project
from kg.query import questions, render
from kg.store import built_store
from kg.testing import kg_server

ROOT = Path(__file__).resolve().parent.parent
RUNAWAY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
MALFORMED = [
    ("POST", {"Content-Type": "application/sparql-query"}, b"SELECT * WHERE { ?s ?p "),
    ("POST", {"Content-Type": "application/sparql-query"}, b"ASK {\xff\xfe}"),
    ("POST", {"Content-Type": "text/plain"}, b"ASK {}"),
    ("POST", {"Content-Type": "application/x-www-form-urlencoded"}, b"query=ASK%7B%7D&query=ASK%7B%7D"),
    ("PUT", {}, b"x"),
    ("POST", {"Content-Type": "application/sparql-query"}, b"x" * 100_000),
]


def canonical(json_text: str):
    """A SPARQL JSON result as comparable data: the boolean, or the sorted rows (blank nodes blanked)."""
    data = json.loads(json_text)
    if "boolean" in data:
        return data["boolean"]
    rows = [tuple(sorted((v, "_:" if b["type"] == "bnode" else b["value"]) for v, b in row.items()))
            for row in data["results"]["bindings"]]
    return sorted(rows)


def memory_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants (the query workers), in kB."""
    total, todo = 0, [pid]
    while todo:
        current = todo.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS:")))
            for task in Path(f"/proc/{current}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, StopIteration):
            continue
    return total


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] if ordered else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--runaway-every", type=float, default=5.0, help="seconds between runaway queries")
    parser.add_argument("--query-timeout", type=float, default=10.0, help="kg serve --query-timeout (its default)")
    parser.add_argument("--workers", type=int, default=4, help="kg serve --workers (its default)")
    args = parser.parse_args()

    project = Project(ROOT)
    with tempfile.TemporaryDirectory(prefix="kg-load-") as tmp:
        dist = Path(tmp) / "dist"
        build(project, dist)
        store = built_store(dist)
        catalog = [q for q in questions(project.queries_dir) if not q.needs_network  # SELECT and ASK
                   and isinstance(store.query(q.sparql), (ox.QuerySolutions, ox.QueryBoolean))]
        expected = {q.name: canonical(render(store.query(q.sparql), "json")) for q in catalog}
        print(f"{len(catalog)} catalog questions (SELECT/ASK, offline), answers computed locally; "
              f"{args.clients} clients for {args.seconds:g} s; kg serve --workers {args.workers} "
              f"--query-timeout {args.query_timeout:g}; a runaway query every {args.runaway_every:g} s")

        with kg_server(ROOT, "--store", "memory:", "--query-timeout", str(args.query_timeout),
                       "--workers", str(args.workers),
                       log=Path(tmp) / "kg-serve.log", dist=dist) as server:
            with httpx.Client(base_url=server.url, timeout=30) as warm:  # every question once
                for q in catalog:
                    warm.post("/sparql", content=q.sparql.encode(), headers={
                        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
            memory_start = memory_kb(server.process.pid)
            latencies: list[float] = []
            outcomes: Counter = Counter()
            problems: list[str] = []
            lock = threading.Lock()
            deadline = time.monotonic() + args.seconds

            def note(kind: str, problem: str | None = None) -> None:
                with lock:
                    outcomes[kind] += 1
                    if problem and len(problems) < 20:
                        problems.append(problem)

            def client(number: int) -> None:
                rng = random.Random(number)
                with httpx.Client(base_url=server.url, timeout=30) as http:
                    while time.monotonic() < deadline:
                        try:
                            if rng.random() < 0.1:
                                method, headers, body = rng.choice(MALFORMED)
                                answer = http.request(method, "/sparql", headers=headers, content=body)
                                ok = 400 <= answer.status_code < 500
                                note("malformed refused (4xx)" if ok else "malformed: unexpected status",
                                     None if ok else f"malformed {body[:30]!r}: {answer.status_code}")
                                continue
                            q = rng.choice(catalog)
                            started = time.perf_counter()
                            answer = http.post("/sparql", content=q.sparql.encode(), headers={
                                "Content-Type": "application/sparql-query",
                                "Accept": "application/sparql-results+json"})
                            elapsed = time.perf_counter() - started
                            if answer.status_code == 503:
                                busy = "busy" in answer.text
                                note("question: 503 every worker busy" if busy else "question: 503 time limit")
                            elif answer.status_code != 200:
                                note("question: error", f"{q.name}: {answer.status_code} {answer.text[:100]}")
                            elif canonical(answer.text) != expected[q.name]:
                                note("question: WRONG ANSWER", f"{q.name}: the answer differs")
                            else:
                                with lock:
                                    latencies.append(elapsed)
                                note("question: right answer")
                        except httpx.HTTPError as exc:
                            note("transport error", f"{type(exc).__name__}: {exc}")

            def runaway() -> None:
                with httpx.Client(base_url=server.url, timeout=30) as http:
                    while time.monotonic() < deadline:
                        answer = http.get("/sparql", params={"query": RUNAWAY})
                        note(f"runaway: {answer.status_code}")
                        time.sleep(args.runaway_every)

            threads = [threading.Thread(target=client, args=(i,)) for i in range(args.clients)]
            threads.append(threading.Thread(target=runaway))
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            time.sleep(1)
            memory_end = memory_kb(server.process.pid)
            with httpx.Client(base_url=server.url, timeout=30) as after:
                health = after.get("/health").json()

    total = sum(outcomes.values())
    print(f"\nrequests: {total} in {args.seconds:g} s ({total / args.seconds:.0f}/s)")
    for kind, n in sorted(outcomes.items()):
        print(f"  {kind:34} {n}")
    if latencies:
        print(f"catalog questions answered right: p50 {1000 * statistics.median(latencies):.0f} ms, "
              f"p99 {1000 * percentile(latencies, 99):.0f} ms, max {1000 * max(latencies):.0f} ms")
    print(f"server memory (process + workers): start {memory_start / 1024:.0f} MB, end {memory_end / 1024:.0f} MB, "
          f"ratio {memory_end / memory_start:.2f} (target <= 1.5)")
    print(f"health after: {health.get('status')}, worker restarts {health.get('worker_restarts')}, "
          f"triples {health.get('triples')}")
    for problem in problems:
        print(f"  problem: {problem}")


if __name__ == "__main__":
    main()
