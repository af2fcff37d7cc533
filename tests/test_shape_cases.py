"""Every SHACL constraint of shapes/ is fed data that breaks it, and must say so with its own message.

The cases come from tests/shapecases.py (generated from the shapes) and
tests/cases/*.ru (written by hand); tests/README.md says how to add one. The
terminal summary prints how many constraints a passing case broke.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph

import shapecases
from shapecases import (Case, can_generate, generated_cases, generated_line, load_constraints, run_generated,
                        run_written, written_cases)

SHAPES_DIR = Path(__file__).resolve().parent.parent / "shapes"
SHAPES, CONSTRAINTS = load_constraints(sorted(SHAPES_DIR.glob("*.ttl")))
WRITTEN = written_cases(CONSTRAINTS)
CASES = generated_cases(CONSTRAINTS) + WRITTEN
shapecases.COVERAGE.update(constraints=CONSTRAINTS, cases=CASES)


@pytest.fixture(scope="module")
def conforming(built) -> Graph:
    """The built graph, all named graphs as one, as the build validates it."""
    return built.union()


def _show(found) -> str:
    return "\n".join(f"  {r.focus} {r.component} {r.value}: {r.message}" for r in found) or "  (no results)"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_a_case_breaks_its_constraint(case: Case, conforming: Graph):
    runner = run_generated if case.parameter is not None else run_written
    broken, focus, shapes = runner(case, conforming, SHAPES)
    assert case.constraint is not None  # each runner has said which
    found = shapecases.results(shapecases.validate(broken, shapes))
    value = shapecases.resolve(broken, case.value) if case.value else None
    hits = [r for r in found if r.focus == focus and r.component == case.component
            and case.constraint.matches(r.message) and (value is None or r.value == value)]
    assert hits, (f"{case.source}: expected {case.constraint.name} to report {focus} "
                  f"({case.component.rsplit('#', 1)[1]}) with its message\n  {case.constraint.message}\n"
                  f"but the report has:\n{_show(found)}")
    if case.not_value:
        spared = shapecases.resolve(broken, case.not_value)
        assert not [r for r in found if r.focus == focus and r.value == spared], (
            f"{case.source}: {case.constraint.name} should not name {case.not_value}\n{_show(found)}")
    shapecases.COVERAGE.setdefault("passed", set()).add((case.constraint.node, case.component))


def test_every_constraint_component_has_a_case():
    """A constraint added without a case that breaks it fails here: add one (tests/README.md)."""
    covered = {(c.constraint.node, c.component) for c in CASES if c.constraint is not None}
    lines, write = [], []
    for constraint in CONSTRAINTS:
        for parameter in shapecases.parameters(SHAPES, constraint):
            if (constraint.node, shapecases.component(parameter)) in covered:
                continue
            if can_generate(SHAPES, constraint, parameter):
                lines.append(generated_line(SHAPES, constraint, parameter))
            else:
                write.append(f"{constraint.name} ({constraint.file}): {parameter}: {constraint.message}")
    assert lines == [] and write == [], (
        "constraints that no case breaks (tests/README.md says how to add one):\n"
        + "".join(f"  add to tests/cases/generated.txt:  {line}\n" for line in lines)
        + "".join(f"  write a case in tests/cases/ for:  {w}\n" for w in write))


def test_the_generated_list_has_no_line_twice():
    ids = [c.id for c in CASES if c.source.startswith("generated.txt")]
    assert len(ids) == len(set(ids))


def test_the_constraints_are_the_ones_with_a_message():
    # every sh:message of the shapes is one constraint here, and each has at least one component
    assert len(CONSTRAINTS) == len(set(SHAPES.subjects(shapecases.SH.message, None)))
    assert [c.name for c in CONSTRAINTS if not c.components] == []
    names = [c.name for c in CONSTRAINTS]
    assert len(names) == len(set(names)), "two constraints have the same name"


def test_no_message_could_be_mistaken_for_another():
    # a case knows its constraint by the message, so no message may match another's pattern
    clashes = [(a.name, b.name) for a in CONSTRAINTS for b in CONSTRAINTS
               if a is not b and a.matches(b.message)]
    assert clashes == []


def test_every_written_case_breaks_a_component_of_its_constraint():
    for case in WRITTEN:
        assert case.component in case.constraint.components, f"{case.source}: {case.constraint.name} has no {case.component}"
