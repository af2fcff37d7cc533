"""Stable forms of a graph, so that every build writes the same bytes whatever the hash seed.

rdflib keeps triples and named graphs in sets, and its RDF/XML, JSON-LD and TriG writers follow
that order; parsers and `BNode()` give blank nodes random labels. Here blank nodes get their
RDFC-1.0 canonical labels (W3C RDF Dataset Canonicalization, computed by Oxigraph), and a graph
can be copied into a store that keeps the order triples were added in, filled in sorted order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import pyoxigraph
from rdflib import BNode, Dataset, Graph, URIRef
from rdflib.graph import _TripleType
from rdflib.term import IdentifiedNode, Node

from .rdfio import to_oxigraph

Quad = tuple[Node, Node, Node, Node | None]  # subject, predicate, object, graph name (None: the default graph)


def relabel_blank_nodes(graph: Graph) -> None:
    """Give every blank node of a graph or dataset its RDFC-1.0 canonical label (c14n0, c14n1, ...),
    in place; the same graph gets the same labels however it was read. Cheap where there are none."""
    dataset = graph if isinstance(graph, Dataset) else None
    graphs = list(dataset.graphs()) if dataset is not None else [graph]  # faster to scan than a dataset's quads
    quads: list[Quad] = []
    for one in graphs:
        name = one.identifier if dataset is not None else None  # a plain graph's own name is not in its quads
        every = isinstance(name, BNode)
        quads += [(s, p, o, name) for s, p, o in one if every or isinstance(s, BNode) or isinstance(o, BNode)]
    if not quads:
        return

    def part(name: Node | None) -> Graph:
        """The graph a quad of that graph name is in."""
        return dataset.graph(cast(IdentifiedNode, name)) if dataset is not None and name is not None else graph

    for s, p, o, g in quads:
        part(g).remove((s, p, o))
    for s, p, o, g in canonical_quads(quads):
        part(g).add((s, p, o))


def canonical_quads(quads: list[Quad]) -> list[Quad]:
    """The quads with their blank nodes relabelled by RDFC-1.0; every other term is kept as it was.
    The quads without blank nodes do not change the labels, so only those with one need be given."""
    # Oxigraph's term -> the rdflib term it came from ("x" and "x"^^xsd:string, two terms to rdflib,
    # are one to Oxigraph as in RDF 1.1: the first one seen is kept)
    terms: dict[Any, Node] = {}

    def ox(term: Node | None) -> Any:
        if term is None:
            return pyoxigraph.DefaultGraph()
        converted = to_oxigraph(term)
        terms.setdefault(converted, term)
        return converted

    dataset = pyoxigraph.Dataset(pyoxigraph.Quad(ox(s), ox(p), ox(o), ox(g)) for s, p, o, g in quads)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.RDFC_1_0)

    def back(term: Any) -> Node:
        return BNode(term.value) if isinstance(term, pyoxigraph.BlankNode) else terms[term]

    return [
        (back(q.subject), back(q.predicate), back(q.object),
         None if isinstance(q.graph_name, pyoxigraph.DefaultGraph) else back(q.graph_name))
        for q in dataset
    ]


def ordered_graph(triples: Iterable[_TripleType], like: Graph) -> Graph:
    """A copy of `triples` (with the prefixes of `like`) whose store yields them in N-Triples
    order: rdflib's RDF/XML and JSON-LD writers then write the same bytes every time."""
    graph = Graph(store="SimpleMemory")  # dicts, which keep insertion order, not sets
    for prefix, namespace in like.namespaces():
        graph.bind(prefix, namespace, override=True, replace=True)
    graph.addN((s, p, o, graph) for s, p, o in sorted(triples, key=ntriples_key))
    return graph


def bind_generated_prefixes(graph: Graph, predicates: Iterable[Node], *, strict: bool = False) -> None:
    """Bind a prefix (ns1, ns2, ...) for every namespace of `predicates` that has none, in sorted
    order: rdflib's Turtle, TriG and RDF/XML (`strict`) writers would make them up in the order of a set."""
    manager = graph.namespace_manager
    for predicate in sorted({p for p in predicates if isinstance(p, URIRef)}):
        try:
            manager.compute_qname_strict(predicate) if strict else manager.compute_qname(predicate)
        except (ValueError, KeyError):  # no namespace can be split off: the writer decides, as it would anyway
            pass


def ntriples_key(triple: _TripleType) -> tuple[str, str, str]:
    """A total order on triples: their terms as N-Triples writes them."""
    s, p, o = triple
    return s.n3(), p.n3(), o.n3()
