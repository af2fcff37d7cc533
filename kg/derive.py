"""Compute the figures the article implies but does not state, from SPARQL rules in data/derivations/."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset, Graph

from .errors import QueryError
from .namespaces import bind_prefixes
from .rdfio import from_oxigraph, to_oxigraph


def known_prefixes() -> dict[str, str]:
    """The prefixes a rule may use undeclared: those of the project's graphs (as in rdflib's engine)."""
    graph = Graph()
    bind_prefixes(graph)
    return {prefix: str(namespace) for prefix, namespace in graph.namespaces()}


def run_derivations(dataset: Dataset, rules_dir: Path, target: Graph) -> int:
    """Run every CONSTRUCT rule (in name order) over all graphs and add the results to `target`.

    Each rule sees what the rules before it derived. The rules run in Oxigraph, over one
    store of the union of the graphs. Returns the number of triples added.
    """
    store = ox.Store()  # built once; each rule's results are added to it for the rules after
    store.extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o))
                 for s, p, o in {(s, p, o) for s, p, o, _ in dataset.quads((None, None, None, None))})
    added = 0
    prefixes = known_prefixes()
    for rule in sorted(rules_dir.glob("*.rq")):
        try:
            result = store.query(rule.read_text(encoding="utf-8"), prefixes=prefixes)
            triples = list(result) if isinstance(result, ox.QueryTriples) else None
        except (SyntaxError, OSError, ValueError, RuntimeError) as exc:
            raise QueryError(f"{rule}: {str(exc).splitlines()[0]}") from None
        if triples is None:
            raise QueryError(f"{rule}: a derivation rule must be a CONSTRUCT query")
        store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in triples)
        for t in triples:
            target.add((from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object)))
            added += 1
    return added
