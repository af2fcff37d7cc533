"""Compute the figures the article implies but does not state, from SPARQL rules in data/derivations/."""

from __future__ import annotations

from pathlib import Path
from typing import cast

from rdflib import Dataset, Graph
from rdflib.term import Node

from .errors import QueryError
from .rdfio import union_of


def run_derivations(dataset: Dataset, rules_dir: Path, target: Graph) -> int:
    """Run every CONSTRUCT rule (in name order) over all graphs and add the results to `target`.

    Each rule sees what the rules before it derived. Returns the number of triples added.
    """
    added = 0
    union = union_of(dataset)  # built once; each rule's results are added to it for the rules after
    for rule in sorted(rules_dir.glob("*.rq")):
        try:
            result = union.query(rule.read_text(encoding="utf-8"))
        except Exception as exc:
            raise QueryError(f"{rule}: {str(exc).splitlines()[0]}") from None
        if result.type != "CONSTRUCT":
            raise QueryError(f"{rule}: a derivation rule must be a CONSTRUCT query")
        for triple in cast("list[tuple[Node, Node, Node]]", list(result)):
            target.add(triple)
            union.add(triple)
            added += 1
    return added
