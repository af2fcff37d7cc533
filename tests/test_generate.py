"""`kg generate`: synthetic data in the project's model, the same for the same seed, valid unless told to break it."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.generate import VIOLATION_KINDS, generate, stated_ratio
from kg.validate import load_shapes, validate_files


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture(scope="module")
def shapes(project):
    return load_shapes(project.shape_files())


def test_same_seed_same_data_other_seed_other_data(project):
    first, _ = generate(6000, 1, seed=7, project=project)
    again, _ = generate(6000, 1, seed=7, project=project)
    other, _ = generate(6000, 1, seed=8, project=project)
    assert first == again
    assert first != other


@pytest.mark.parametrize("suffix", [".nq", ".ttl"])
def test_writes_about_the_size_asked_in_the_format_of_the_suffix(tmp_path: Path, suffix: str):
    out = tmp_path / f"data{suffix}"
    result = run("generate", "--triples", "20000", "--seed", "1", "-o", str(out))
    assert result.exit_code == 0, result.output
    fmt = ox.RdfFormat.N_QUADS if suffix == ".nq" else ox.RdfFormat.TURTLE
    triples = {(q.subject, q.predicate, q.object) for q in ox.parse(path=str(out), format=fmt)}
    assert 17000 <= len(triples) <= 23000
    assert f"wrote {len(triples)} triples" in result.output


def test_generated_data_conforms_to_the_shapes(tmp_path: Path, project, shapes):
    out = tmp_path / "valid.nq"
    assert run("generate", "--triples", "20000", "-o", str(out)).exit_code == 0
    report = validate_files([out], shapes)
    assert report.conforms, "\n".join(report.lines())
    assert report.violations == []


def test_each_kind_of_seeded_violation_is_found(tmp_path: Path, project, shapes):
    lines, info = generate(20000, 2, seed=5, project=project)
    out = tmp_path / "broken.nq"
    out.write_text("".join(lines), encoding="utf-8")
    report = validate_files([out], shapes)
    named = {v.focus for v in report.violations} | {v.value for v in report.violations}
    for kind in VIOLATION_KINDS:
        assert len(info.broken[kind]) >= 1, kind
        for obs in info.broken[kind]:
            assert obs in named, f"{kind}: {obs} not reported"


def test_an_unknown_suffix_is_one_line_and_writes_nothing(tmp_path: Path):
    out = tmp_path / "data.csv"
    result = run("generate", "--triples", "1000", "-o", str(out))
    assert result.exit_code != 0
    assert result.output.strip().startswith("error:") and len(result.output.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize("value, stated", [(1.23456, "1.235"), (0.5, "0.500"), (252 / 69242, "0.00364"),
                                           (1.2e-05, "0.000012"), (0.0999, "0.0999")])
def test_a_small_ratio_is_stated_to_three_figures_not_three_places(value, stated):
    """0.00364 stated as 0.004 is 10% off: the generated graph would break its own RatioAddsUp shape."""
    assert stated_ratio(value) == stated


def test_a_long_text_is_split_into_articles_that_still_conform(tmp_path: Path, project, shapes):
    """Past `article_chars` the zones' words go into a new article (Oxigraph reads no line over 16 MiB);
    each span still points into the text of its own article, so the split graph conforms."""
    lines, info = generate(20000, 0, seed=3, project=project, article_chars=20_000)
    texts = [line for line in lines if "<http://schema.org/text>" in line and "synthetic-3" in line]
    assert len(texts) >= 3
    assert max(len(line) for line in texts) < 40_000
    out = tmp_path / "parts.nq"
    out.write_text("".join(lines), encoding="utf-8")
    report = validate_files([out], shapes)
    assert report.conforms, "\n".join(report.lines())
    store = ox.Store()
    store.bulk_load(path=str(out), format=ox.RdfFormat.N_QUADS)
    solutions = store.query("""
        PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dct: <http://purl.org/dc/terms/>
        SELECT ?exact ?start ?end ?text WHERE { GRAPH ?g {
            ?span oa:exact ?exact ; oa:start ?start ; oa:end ?end ; dct:isPartOf ?article .
            ?article <http://schema.org/text> ?text } }""")
    assert isinstance(solutions, ox.QuerySolutions)
    spans = list(solutions)
    assert len(spans) >= info.observations
    for row in spans:
        start, end = int(row["start"].value), int(row["end"].value)
        assert row["text"].value[start:end] == row["exact"].value
