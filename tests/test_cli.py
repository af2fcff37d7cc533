"""The `kg` command: each command works, and every user error is one line with a documented exit code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SH

from kg.cli import cli
from conftest import ROOT



def run(*args: str):
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    return result


def test_build_then_coverage_is_complete(project_copy, tmp_path: Path):
    result = run("--root", str(project_copy.root), "build", "--dist", str(tmp_path / "dist"))
    assert result.exit_code == 0, result.output
    assert "built" in result.output and "graph/facts" in result.output
    result = run("--root", str(project_copy.root), "coverage", "--all")
    assert result.exit_code == 0, result.output
    assert re.search(r"(\d+) of \1 numbers accounted for \(100\.0 %\)", result.output)
    # numbers inside names are reported as names: "the C919 passenger jet", "first vaccines for Covid-19"
    assert re.search(r"C919\s+name", result.output) and re.search(r"Covid-19\s+name", result.output)


def test_coverage_fails_when_a_number_has_no_fact(project_copy):
    spans = project_copy.root / "data/provenance/spans.ttl"
    spans.write_text(spans.read_text(encoding="utf-8").replace(
        'oa:exact "to 97 last year" ;\n    oa:start 2552 ; oa:end 2567 ;', 'oa:exact "last year. By the end" ;'), encoding="utf-8")
    result = run("--root", str(project_copy.root), "coverage")
    assert result.exit_code == 1
    assert re.search(r"97\s+figure\s+NOT ACCOUNTED FOR", result.output)


def test_validate_conforms():
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("conforms")


def test_validate_prints_the_shacl_report_as_turtle():
    result = run("validate", "--format", "turtle")
    assert result.exit_code == 0
    report = Graph().parse(data=result.output, format="turtle")
    # a conforming graph's report: one sh:ValidationReport, sh:conforms true, and no sh:result
    [node] = report.subjects(RDF.type, SH.ValidationReport)
    assert report.value(node, SH.conforms) == Literal(True)
    assert list(report.objects(node, SH.result)) == []
    assert list(report.subjects(RDF.type, SH.ValidationResult)) == []


def test_validate_given_files_with_the_projects_ontology(tmp_path: Path):
    facts = tmp_path / "facts.ttl"
    facts.write_text((ROOT / "data/facts/observations.ttl").read_text(encoding="utf-8")
                     .replace('"13.4"^^xsd:decimal', '"134"^^xsd:decimal'), encoding="utf-8")
    result = run("validate", str(facts), str(ROOT / "data/facts/indicators.ttl"),
                 str(ROOT / "data/facts/actors.ttl"), str(ROOT / "data/provenance/spans.ttl"),
                 str(ROOT / "data/provenance/article.ttl"))
    assert result.exit_code == 1, result.output
    assert "obs:share-of-national-gdp-2021" in result.output


@pytest.mark.parametrize("content, line", [
    ('@prefix ex: <http://example.org/> .\nex:a ex:b "unterminated .\n', 2),
    ("@prefix ex: <http://example.org/> .\n\nex:a ex:b ex:c ex:d .\n", 3),
])
def test_a_file_that_does_not_parse_gives_file_and_line(tmp_path: Path, content: str, line: int):
    bad = tmp_path / "bad.ttl"
    bad.write_text(content, encoding="utf-8")
    result = run("validate", str(bad))
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {bad}:{line}: ")
    assert len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args, message", [
    (["validate", "/no/such/file.ttl"], "/no/such/file.ttl: no such file"),
    (["export", "--format", "yaml"], "Invalid value for '--format'"),
    (["--no-such-option"], "No such option"),
    (["no-such-command"], "No such command"),
])
def test_user_errors_are_one_line_with_exit_2(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: ") and message in lines[0], result.output


def test_a_malformed_query_names_the_position(built_project: Path):
    result = run("--root", str(built_project), "query", "SELECT * WHERE { ?s ?p }")
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "malformed SPARQL" in lines[0] and "1:25" in lines[0], result.output


def test_query_without_a_build_says_to_build(project_copy):
    result = run("--root", str(project_copy.root), "query", "ASK { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "run `kg build` first" in result.output


def test_export_writes_the_file_only_when_complete(tmp_path: Path, built):
    out = tmp_path / "hitz.jsonld"
    result = run("export", "--format", "json-ld", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert isomorphic(Graph().parse(out, format="json-ld"), built.union())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hitz.jsonld"]


def test_export_into_a_missing_folder_is_one_line_before_any_validation(project_copy, tmp_path: Path):
    # the copy does not conform ("13.4%" written as 134), but the folder is checked first
    facts = project_copy.root / "data/facts/observations.ttl"
    facts.write_text(facts.read_text(encoding="utf-8").replace('"13.4"^^xsd:decimal', '"134"^^xsd:decimal'), encoding="utf-8")
    result = run("--root", str(project_copy.root), "export", "-o", str(tmp_path / "missing" / "hitz.ttl"))
    assert result.exit_code == 2
    assert result.output == f"error: {tmp_path / 'missing' / 'hitz.ttl'}: the folder {tmp_path / 'missing'} does not exist\n"


def test_export_to_stdout_parses(built):
    result = CliRunner().invoke(cli, ["export", "--format", "nt"])
    assert result.exit_code == 0
    assert isomorphic(Graph().parse(data=result.stdout_bytes.decode("utf-8"), format="nt"), built.union())


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in cli.commands:
        assert f"kg {name}" in readme, f"`kg {name}` is not in the README"
