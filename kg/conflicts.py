"""Where sources agree or conflict: the catalog question 33 run on the assembled graph, as a table."""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .build import assemble
from .project import Project
from .query import load_question, solutions, table
from .rdfio import union_of

QUESTION = "33-where-sources-agree-or-conflict.rq"
COLUMNS = ["indicator", "area", "periodA", "valueA", "qualifierA", "sourceA",
           "periodB", "valueB", "qualifierB", "sourceB", "verdict"]


@dataclass
class Comparison:
    """Two sources' figures of one indicator and area, side by side, with the verdict."""

    row: dict

    @property
    def verdict(self) -> str:
        return str(self.row["verdict"])


def compare(project: Project) -> list[Comparison]:
    """Every pair of figures of one indicator and area stated by two sources, with its verdict."""
    graph = union_of(assemble(project))
    store = ox.Store()
    store.load(graph.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)
    sparql = load_question(project.queries_dir / QUESTION).sparql
    return [Comparison(row) for row in solutions(store.query(sparql))]


def render(comparisons: list[Comparison]) -> str:
    """The comparisons as a text table, then one line counting each verdict."""
    rows = [[_text(c.row[k]) for k in COLUMNS] for c in comparisons]
    counts = {v: sum(c.verdict == v for c in comparisons) for v in ("agree", "conflict", "not comparable")}
    summary = ", ".join(f"{n} {v}" for v, n in counts.items())
    return (table(COLUMNS, rows) + "\n" if rows else "") + f"{len(comparisons)} pairs: {summary}"


def _text(value) -> str:
    return "" if value is None else str(value)
