"""Time each whole-graph query of `kg validate --graph` on its own: python -m benchmarks.validate_profile FILE...

Prints one line per query (CPU seconds, rows, the peak RSS reached so far, shape and constraint), the
slowest first, so that a query growing faster than the data can be seen by running it at two sizes.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib.namespace import RDFS, SH


def profile(files: list[Path], repeat: int = 1, on_disk: Path | None = None,
            bulk: bool = False) -> list[tuple[float, int, int, str]]:
    """(CPU seconds, rows, peak RSS in MB after it, label) of each query the engine runs on the files, in run order;
    the seconds are the least of `repeat` runs of each query. With `on_disk`, the store is Oxigraph's RocksDB one there;
    with `bulk`, the files are read with bulk_load rather than load (as kg validate --graph does)."""
    from kg.rdfio import _FORMATS
    from kg import same_values
    from kg.shacl_sparql import Compiler, Unsupported, inline_after, prebound
    from kg.validate import load_shapes

    shapes = load_shapes(sorted(Path(__file__).resolve().parent.parent.joinpath("shapes").glob("*.ttl")))
    store = ox.Store(str(on_disk)) if on_disk else ox.Store()
    start = time.process_time()
    for path in files:
        (store.bulk_load if bulk else store.load)(path=str(path), format=_FORMATS[path.suffix.lower()][1])
    out = [(time.process_time() - start, len(store), _peak(), "load")]
    compiler = Compiler(shapes, store)
    for shape in compiler.targeted():
        start = time.process_time()
        try:
            queries = compiler.compile(shape)
        except Unsupported:
            continue
        out.append((time.process_time() - start, 0, _peak(), f"{_name(shapes, shape)}: targets"))
        for text, read in queries:
            best = float("inf")
            for _ in range(repeat):
                start = time.process_time()
                rows = 0
                if "same_values" in read:
                    rows = len(same_values.pairs(read["same_values"], read["target"], compiler.query, inline_after))
                elif "focus_query" in read:
                    for focus in [row["this"] for row in compiler.query(read["focus_query"])]:
                        rows += sum(1 for _ in compiler.query(*prebound(text, focus)))
                else:
                    rows = sum(1 for _ in compiler.query(text))
                best = min(best, time.process_time() - start)
            what = "tests" if "tests" in read else _name(shapes, read.get("node") or read["shape"])
            out.append((best, rows, _peak(), f"{_name(shapes, shape)}: {what}"))
    return out


def _peak() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def _name(shapes, node) -> str:
    label = shapes.value(node, RDFS.label) or shapes.value(node, SH.name)
    return str(label) if label else str(node).rsplit("#", 1)[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--top", type=int, default=25, help="how many queries to print")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each query (the least time is printed)")
    parser.add_argument("--bulk", action="store_true", help="load with bulk_load, not load")
    parser.add_argument("--on-disk", type=Path, help="load into an on-disk store in this (new) folder, not in memory")
    args = parser.parse_args()
    rows = profile(args.files, args.repeat, args.on_disk, args.bulk)
    total = sum(r[0] for r in rows)
    print(f"{total:.2f} s CPU in all, peak {_peak()} MB")
    for seconds, n, peak, label in sorted(rows, key=lambda r: -r[0])[:args.top]:
        print(f"{seconds:8.3f} s {100 * seconds / total:5.1f}% {n:>9} rows {peak:>6} MB  {label}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
