"""Reading RDF files with errors a person can act on (FILE:LINE: message)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pyoxigraph
from rdflib import Graph
from rdflib.query import Result, ResultRow

from .errors import ParseError

_FORMATS = {
    ".ttl": ("turtle", pyoxigraph.RdfFormat.TURTLE),
    ".nt": ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
    ".nq": ("nquads", pyoxigraph.RdfFormat.N_QUADS),
    ".trig": ("trig", pyoxigraph.RdfFormat.TRIG),
    ".rdf": ("xml", pyoxigraph.RdfFormat.RDF_XML),
    ".owl": ("xml", pyoxigraph.RdfFormat.RDF_XML),
    ".jsonld": ("json-ld", pyoxigraph.RdfFormat.JSON_LD),
}


def syntax_error(path: Path, exc: Exception) -> ParseError:
    """Turn a parser's exception into one FILE:LINE: message line."""
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    line = re.search(r"line (\d+)", text)
    text = re.sub(r"\s*\([^()]*, line \d+\)$", "", text)
    where = f"{path}:{line.group(1)}" if line else str(path)
    return ParseError(f"{where}: {text}")


def check_syntax(path: Path) -> None:
    """Raise ParseError naming the file and line if `path` is not well-formed RDF."""
    suffix = path.suffix.lower()
    if suffix not in _FORMATS:
        raise ParseError(f"{path}: unknown RDF file type {suffix!r} (expected one of {', '.join(_FORMATS)})")
    if not path.is_file():
        raise ParseError(f"{path}: no such file")
    try:
        for _ in pyoxigraph.parse(path=str(path), format=_FORMATS[suffix][1]):
            pass
    except (SyntaxError, ValueError, OSError) as exc:
        raise syntax_error(path, exc) from None


def parse_into(graph: Graph, path: Path) -> Graph:
    """Parse an RDF file into `graph`, raising ParseError (FILE:LINE: message) if it is malformed."""
    check_syntax(path)
    try:
        graph.parse(str(path), format=_FORMATS[path.suffix.lower()][0])
    except Exception as exc:  # the strict parser passed; report rdflib's complaint as is
        raise syntax_error(path, exc) from None
    return graph


def union_of(dataset) -> Graph:
    """All named graphs of a dataset merged into one graph (what the triple formats hold)."""
    from .namespaces import bind_prefixes

    graph = Graph()
    bind_prefixes(graph)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def result_rows(result: Result) -> Iterator[ResultRow]:
    """The rows of a SELECT result, typed as rows (rdflib types them as rows, triples or a boolean)."""
    return cast("Iterator[ResultRow]", iter(result))
