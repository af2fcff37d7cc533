"""The scale benchmark (benchmarks/scale.py) runs end to end on a small graph: every row it
promises is there with a number, a reference stopped by its budget is a lower bound, and the
table states the run's machine. No time is asserted."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from benchmarks import scale


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("bench")
    scale.main(["--sizes", "3000", "--only", "query,validate,serve", "--repeat", "1", "--serve-seconds", "0.3",
                "--rounds", "1", "--budget", "0.5", "--out", str(out), "--name", "smoke"])
    return out


def rows(folder: Path) -> list[dict]:
    with open(folder / "smoke-scale.csv", newline="", encoding="utf-8") as source:
        return list(csv.DictReader(source))


def test_every_row_has_its_measure_and_reference(run):
    found = rows(run)
    measures = {(r["measure"], r["reference"]) for r in found}
    for shape in scale.QUERIES:
        assert (f"query: {shape}", "raw pyoxigraph") in measures
        assert (f"query: {shape}", "rdflib engine") in measures
    for setting in ("keep-alive, 1 client", "SPARQLWrapper, 1 client", "keep-alive, 4 clients", "SPARQLWrapper, 4 clients"):
        assert (f"serve q/s: {setting}", "oxigraph serve") in measures
        assert (f"serve p99 ms: {setting}", "oxigraph serve") in measures
    assert not any(m.startswith("load") for m, _ in measures)  # --only left it out
    for r in found:
        if r["measure"].startswith(("query", "serve")) and r["reference"] != "rdflib engine":
            assert float(r["ours_s"]) > 0 and float(r["reference_s"]) > 0, r


def test_a_reference_past_its_budget_is_a_lower_bound(run):
    validation = next(r for r in rows(run) if r["measure"].startswith("validate"))
    assert validation["reference"] == "pySHACL over rdflib"
    assert validation["reference_bound"] == ">=" and float(validation["reference_s"]) == pytest.approx(0.5)
    assert "budget" in validation["note"]
    assert float(validation["ours_s"]) > 0


def test_the_table_states_the_machine_and_the_run(run):
    table = (run / "smoke-scale.md").read_text(encoding="utf-8")
    assert "cores" in table and "load average" in table and "in all" in table
    assert "| query: top-k |" in table and ">=" in table


def test_the_growth_plot_combines_every_run(run, tmp_path):
    pytest.importorskip("matplotlib")
    for name, size in (("a", 1000), ("b", 10000)):
        with open(tmp_path / f"{name}-scale.csv", "w", newline="", encoding="utf-8") as sink:
            writer = csv.DictWriter(sink, fieldnames=scale.FIELDS)
            writer.writeheader()
            writer.writerow(dict(size=size, measure="load: kg load", ours_s=size / 1000, reference="rdflib parse",
                                 reference_s=size / 100, ours_bound="", reference_bound=""))
    assert len(scale._series(scale.read_rows(tmp_path))["load: kg load (ours)"]) == 2
    scale.main(["--plot", "--out", str(tmp_path)])
    assert (tmp_path / "growth.png").stat().st_size > 1000
    assert (run / "growth.png").is_file() and (run / "smoke-scale.png").is_file()


def test_an_unknown_section_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as stopped:
        scale.main(["--only", "query,speed", "--out", str(tmp_path)])
    assert stopped.value.code == 2
