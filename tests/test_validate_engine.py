"""The whole-graph SPARQL engine finds what pySHACL finds, on the article and on generated data with seeded violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.generate import VIOLATION_KINDS, generate
from kg.validate import load_shapes, validate_files


def findings(report) -> list[tuple]:
    return sorted((v.shape, v.focus, v.path, v.value, v.message, v.severity) for v in report.violations)


@pytest.fixture(scope="module")
def broken(project, tmp_path_factory) -> tuple[Path, object]:
    """One generated zone (about 3,000 triples beside the article's) with one violation of each kind."""
    lines, info = generate(3000, 1, seed=3, project=project)
    path = tmp_path_factory.mktemp("engine") / "broken.nq"
    path.write_text("".join(lines), encoding="utf-8")
    return path, info


def test_same_findings_as_pyshacl_on_seeded_violations(project, broken):
    path, info = broken
    shapes = load_shapes(project.shape_files())
    ours = validate_files([path], shapes, "sparql")
    reference = validate_files([path], shapes, "pyshacl")
    assert not ours.conforms
    assert findings(ours) == findings(reference)
    named = {v.focus for v in ours.violations} | {v.value for v in ours.violations}
    for kind in VIOLATION_KINDS:
        assert set(info.broken[kind]) <= named, kind


def test_validate_names_focus_node_and_shape_on_the_command_line(broken):
    path, info = broken
    result = CliRunner().invoke(cli, ["validate", "--graph", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "shape:Percentage (percentage):" in result.output
    assert info.broken["percentage-over-100"][0] in result.output
    assert "does not conform" in result.output


def test_the_reference_engine_is_kept_and_agrees_on_the_article(project):
    from kg.build import check

    result = CliRunner().invoke(cli, ["validate", "--engine", "pyshacl"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("conforms")
    assert findings(check(project).report) == []


def test_graph_without_files_is_one_line():
    result = CliRunner().invoke(cli, ["validate", "--graph"], catch_exceptions=False)
    assert result.exit_code != 0 and result.output.startswith("error:")
