"""`kg load` into the embedded store: Oxigraph's bulk loader fills a new folder and a renamed
link swaps it in. Readers see the old data or the new, a failed load leaves the old, other
graphs of the store are kept, and a terminal shows a progress bar with a rate."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
import threading
import time
from pathlib import Path

import pyoxigraph as ox
from click.testing import CliRunner

from kg.cli import cli
from kg.store import HITZ_GRAPHS, LocalStore, open_store

FACTS = f"{HITZ_GRAPHS}facts"
OTHER = "https://example.org/someone-elses-graph"


def write_build(dist: Path, triples: int, graph: str = FACTS, pad: int = 0) -> Path:
    """A dist/ folder whose hitz.nq holds `triples` distinct triples in `graph` (literals `pad` characters longer)."""
    dist.mkdir(parents=True, exist_ok=True)
    lines = (f'<urn:s{i}> <urn:p{i % 7}> "{i}{"x" * pad}" <{graph}> .\n' for i in range(triples))
    (dist / "hitz.nq").write_text("".join(lines), encoding="utf-8")
    return dist


def kg_load(store: Path, dist: Path):
    return CliRunner().invoke(cli, ["load", "--store", f"oxigraph:{store}", "--dist", str(dist)])


def counts(store: Path) -> dict[str, int]:
    view = LocalStore(f"oxigraph:{store}", store, read_only=True)
    try:
        return view.counts()
    finally:
        view.close()


def siblings(store: Path) -> list[str]:
    return sorted(p.name for p in store.parent.iterdir() if p.name.startswith(f".{store.name}-"))


def test_a_load_replaces_the_data_and_leaves_one_folder(tmp_path):
    store = tmp_path / "s"
    for size in (300, 120):
        result = kg_load(store, write_build(tmp_path / f"dist{size}", size))
        assert result.exit_code == 0, result.output
        assert f"loaded {size} triples into oxigraph:{store}" in result.output
        assert counts(store) == {FACTS: size}
    assert store.is_symlink() and (store / "CURRENT").is_file()
    assert siblings(store) == [os.readlink(store)]  # the previous folder is gone


def test_a_failed_load_names_file_and_line_and_leaves_the_previous_data(tmp_path):
    store = tmp_path / "s"
    good = write_build(tmp_path / "good", 200)
    assert kg_load(store, good).exit_code == 0
    bad = write_build(tmp_path / "bad", 50)
    with open(bad / "hitz.nq", "a", encoding="utf-8") as f:
        f.write('<urn:a> <urn:b> "no end <urn:g> .\n')
    before = siblings(store)
    result = kg_load(store, bad)
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert lines[0].startswith(f"error: {bad / 'hitz.nq'}:51: ")
    assert counts(store) == {FACTS: 200}
    assert siblings(store) == before  # the half-filled folder was removed
    handle = open_store(f"oxigraph:{store}", root=tmp_path)
    try:
        assert handle.holds_build(good) and not handle.holds_build(bad)
    finally:
        handle.close()


def test_a_missing_build_is_one_line(tmp_path):
    result = kg_load(tmp_path / "s", tmp_path / "nothing")
    assert result.exit_code == 2
    assert "hitz.nq not found: run `kg build` first" in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_other_graphs_of_the_store_are_kept_and_graphs_no_longer_built_dropped(tmp_path):
    store = tmp_path / "s"
    assert kg_load(store, write_build(tmp_path / "a", 10, graph=f"{HITZ_GRAPHS}links/gone")).exit_code == 0
    handle = open_store(f"oxigraph:{store}", root=tmp_path)
    handle.update(f"INSERT DATA {{ GRAPH <{OTHER}> {{ <urn:x> <urn:y> <urn:z> }} }}")
    assert handle.replace(write_build(tmp_path / "b", 20)) == {FACTS: 20, OTHER: 1}
    handle.close()
    assert counts(store) == {FACTS: 20, OTHER: 1}


def test_the_memory_store_is_replaced_the_same_way(tmp_path):
    memory = LocalStore("memory:", None)
    memory.update(f"INSERT DATA {{ GRAPH <{OTHER}> {{ <urn:x> <urn:y> <urn:z> }} }}")
    memory.replace(write_build(tmp_path / "a", 10, graph=f"{HITZ_GRAPHS}links/gone"))
    assert memory.replace(write_build(tmp_path / "b", 20)) == {FACTS: 20, OTHER: 1}


def test_a_store_made_before_links_is_moved_into_place(tmp_path):
    store = tmp_path / "s"
    old = ox.Store(str(store))  # a plain folder, as stores were made before
    old.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c"), ox.NamedNode(FACTS)))
    old.add(ox.Quad(ox.NamedNode("urn:a"), ox.NamedNode("urn:b"), ox.NamedNode("urn:c"), ox.NamedNode(OTHER)))
    del old
    assert kg_load(store, write_build(tmp_path / "dist", 30)).exit_code == 0
    assert store.is_symlink()
    assert counts(store) == {FACTS: 30, OTHER: 1}
    assert siblings(store) == [os.readlink(store)]


def test_folders_left_by_an_interrupted_load_are_removed_and_no_others(tmp_path):
    store = tmp_path / "s"
    assert kg_load(store, write_build(tmp_path / "dist", 5)).exit_code == 0
    left = tmp_path / ".s-0123456789ab"  # a load that was killed midway
    left.mkdir()
    (left / "000001.sst").write_bytes(b"x")
    other = tmp_path / ".s-2-0123456789ab"  # a data folder of a store named s-2: not ours
    other.mkdir()
    assert kg_load(store, write_build(tmp_path / "dist", 6)).exit_code == 0
    assert not left.exists() and other.is_dir()


READER = """
import sys, time
from pathlib import Path
from kg.store import LocalStore
path, until = Path(sys.argv[1]), time.monotonic() + float(sys.argv[2])
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
held = LocalStore("oxigraph:" + str(path), path, read_only=True)  # one view kept open across loads
while time.monotonic() < until:
    fresh = LocalStore("oxigraph:" + str(path), path, read_only=True)
    for view in (held, fresh):
        print(next(iter(view.query(COUNT)))["n"].value, flush=True)
    del fresh
"""


def test_a_reader_during_loads_sees_the_old_or_the_new_data_never_part(tmp_path):
    store = tmp_path / "s"
    small, large = write_build(tmp_path / "small", 5_000), write_build(tmp_path / "large", 15_000)
    assert kg_load(store, small).exit_code == 0
    reader = subprocess.Popen([sys.executable, "-c", READER, str(store), "60"], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent)
    try:
        while reader.poll() is None and not counts(store):
            time.sleep(0.05)
        for dist in (large, small, large, small, large):
            result = kg_load(store, dist)
            assert result.exit_code == 0, result.output
    finally:
        reader.terminate()
        out, err = reader.communicate(timeout=60)
    seen = [int(line) for line in out.split()]
    assert seen, err
    assert set(seen) <= {5_000, 15_000}, sorted(set(seen))
    assert "Traceback" not in err or "KeyboardInterrupt" in err or err.rstrip().endswith("Terminated"), err


def test_a_terminal_shows_a_progress_bar_with_a_rate_and_a_pipe_shows_none(tmp_path):
    kg = Path(sys.executable).parent / "kg"
    dist = write_build(tmp_path / "dist", 25_000, pad=400)  # over 10 MB: the bar is shown
    assert (dist / "hitz.nq").stat().st_size > 10_000_000
    piped = subprocess.run([str(kg), "load", "--store", f"oxigraph:{tmp_path / 'a'}", "--dist", str(dist)],
                           capture_output=True, text=True, timeout=300)
    assert piped.returncode == 0, piped.stderr
    assert piped.stderr == "" and "triples/s" not in piped.stdout
    primary, secondary = pty.openpty()  # stderr on a terminal
    chunks: list[bytes] = []

    def read_terminal() -> None:
        while True:
            try:
                chunk = os.read(primary, 65536)
            except OSError:  # the terminal closed
                return
            if not chunk:
                return
            chunks.append(chunk)

    reading = threading.Thread(target=read_terminal, daemon=True)
    reading.start()
    try:
        shown = subprocess.run([str(kg), "load", "--store", f"oxigraph:{tmp_path / 'b'}", "--dist", str(dist)],
                               stdout=subprocess.PIPE, stderr=secondary, timeout=300)
    finally:
        os.close(secondary)
        reading.join(timeout=10)
        os.close(primary)
    assert shown.returncode == 0
    terminal = b"".join(chunks)
    assert b"loading" in terminal and b"triples/s" in terminal, terminal[-500:]
    assert counts(tmp_path / "b") == {FACTS: 25_000}
