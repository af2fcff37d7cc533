"""The RDF dataset a query runs on (SPARQL 1.1 §13.2 and the Protocol §2.1.4).

Without FROM / FROM NAMED and without the protocol's default-graph-uri / named-graph-uri,
the default graph is the union of the store's graphs (this project's convention). A query's
own FROM / FROM NAMED set the dataset; the protocol parameters override them. A graph named
in FROM is one of the store's graphs: nothing is ever fetched from the network.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_FROM = re.compile(r"from", re.IGNORECASE)
_FROM_CLAUSE = re.compile(r"\bFROM\s+(NAMED\s+)?(<|[A-Za-z_]?[\w.-]*:)", re.IGNORECASE)


@dataclass(frozen=True)
class Dataset:
    """The graphs of a query's dataset: the default graph is the merge of `default`,
    the named graphs are `named` (both lists of IRIs; either may be empty)."""

    default: tuple[str, ...] = ()
    named: tuple[str, ...] = ()
    native: bool = False  # the query's own clauses, left to the engine to read (see query_dataset)


NATIVE = Dataset(native=True)


@lru_cache(maxsize=512)
def query_dataset(sparql: str) -> Dataset | None:
    """The dataset named by a query's FROM / FROM NAMED clauses (IRIs resolved against its
    PREFIX and BASE), or None when it names none. A query that rdflib's parser cannot read
    (SPARQL 1.2 syntax, say) but that has a FROM clause gives NATIVE: Oxigraph, which reads
    every query it runs, then applies the clauses itself."""
    if not _FROM.search(sparql):  # the usual case: no need to parse
        return None
    from .sparql_text import rdflib_query

    try:
        clauses = rdflib_query(sparql).algebra.get("datasetClause") or []
    except Exception:  # pyparsing or rdflib: let the engine read it (and report its errors)
        return NATIVE if _FROM_CLAUSE.search(sparql) else None
    if not clauses:
        return None
    default = tuple(str(c["default"]) for c in clauses if "default" in c)
    named = tuple(str(c["named"]) for c in clauses if "named" in c)
    return Dataset(default, named)


def effective_dataset(sparql: str, default_graphs: list[str] | None = None,
                      named_graphs: list[str] | None = None) -> Dataset | None:
    """The dataset a query runs on: the protocol's graphs if any were given, else the query's
    FROM / FROM NAMED, else None (the union of the store's graphs)."""
    if default_graphs or named_graphs:
        return Dataset(tuple(default_graphs or ()), tuple(named_graphs or ()))
    return query_dataset(sparql)
