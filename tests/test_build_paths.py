"""The quicker paths of `kg build` give what the slower ones gave: Turtle read by Oxigraph as
rdflib reads it, derivation rules run in Oxigraph as in rdflib's engine, formats written in
a forked child as here."""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.compare import isomorphic

from kg.build import IN_CHILD, assemble
from kg.cli import cli
from kg.derive import run_derivations
from kg.errors import ParseError, QueryError
from kg.export import DIST_FILES, serialize
from kg.parallel import can_fork, run_split
from kg.rdfio import parse_into, union_of

ROOT = Path(__file__).resolve().parent.parent
TURTLE = sorted(p for folder in ("ontology", "data", "shapes") for p in (ROOT / folder).rglob("*.ttl"))


@pytest.mark.parametrize("path", TURTLE, ids=[str(p.relative_to(ROOT)) for p in TURTLE])
def test_a_turtle_file_reads_as_rdflib_reads_it(path):
    ours, theirs = parse_into(Graph(), path), Graph().parse(path, format="turtle")
    assert len(ours) == len(theirs) and isomorphic(ours, theirs)
    assert dict(ours.namespaces()) == dict(theirs.namespaces())


def test_a_file_changed_in_place_is_read_again(tmp_path):
    path = tmp_path / "f.ttl"
    path.write_text('<urn:a> <urn:b> "1" .\n', encoding="utf-8")
    assert {str(o) for o in parse_into(Graph(), path).objects()} == {"1"}
    path.write_text('<urn:a> <urn:b> "2" .\n', encoding="utf-8")  # same size, perhaps the same mtime
    assert {str(o) for o in parse_into(Graph(), path).objects()} == {"2"}


def test_malformed_turtle_is_one_line_naming_file_and_line(tmp_path):
    path = tmp_path / "bad.ttl"
    path.write_text('@prefix ex: <http://example.org/> .\nex:a ex:b ex:c .\nex:a ex:b "open .\n', encoding="utf-8")
    with pytest.raises(ParseError, match=rf"^{path}:3: Parser error") as caught:
        parse_into(Graph(), path)
    assert "(line" not in str(caught.value)
    result = CliRunner().invoke(cli, ["--root", str(ROOT), "validate", str(path)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {caught.value}"]


def test_the_derivations_are_those_of_rdflibs_engine(project):
    dataset = assemble(project, derive=False)
    ours = Graph()
    assert run_derivations(dataset, project.derivations_dir, ours) == len(ours) > 0
    union, theirs = union_of(dataset), Graph()
    for rule in sorted(project.derivations_dir.glob("*.rq")):  # what the rules gave in rdflib, in turn
        for triple in list(union.query(rule.read_text(encoding="utf-8"))):
            union.add(triple)
            theirs.add(triple)
    assert set(ours) == set(theirs)


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE { ?s ?p ?o }", "a derivation rule must be a CONSTRUCT query"),
    ("CONSTRUCT { ?s ?p } WHERE { ?s ?p ?o }", "error at 1:"),
])
def test_a_bad_derivation_rule_is_named(project, tmp_path, text, message):
    (tmp_path / "rule.rq").write_text(text, encoding="utf-8")
    with pytest.raises(QueryError, match=rf"^{tmp_path / 'rule.rq'}: .*{message}"):
        run_derivations(assemble(project, derive=False), tmp_path, Graph())


def test_formats_written_in_a_child_are_those_written_here(project):
    dataset = assemble(project)
    here = {name: serialize(dataset, fmt, project) for name, fmt in DIST_FILES.items()}
    split = run_split({name: partial(serialize, dataset, fmt, project) for name, fmt in DIST_FILES.items()},
                      in_child=IN_CHILD)
    assert list(split) == list(here) and split == here


def test_run_split_runs_a_share_in_a_child_and_raises_its_errors_here():
    results = run_split({"a": os.getpid, "b": os.getpid, "c": os.getpid}, in_child={"b"})
    assert list(results) == ["a", "b", "c"] and results["a"] == results["c"] == os.getpid()
    assert (results["b"] != os.getpid()) == can_fork()

    def fails() -> None:
        raise ValueError("the child's task failed")

    with pytest.raises(ValueError, match="the child's task failed"):
        run_split({"a": os.getpid, "b": fails}, in_child={"b"})
