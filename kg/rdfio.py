"""Reading RDF files with errors a person can act on (FILE:LINE: message)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import pyoxigraph
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import XSD
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
    text = re.sub(r"\s*\((?:[^()]*, )?line \d+\)$", "", text)
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


_READ_BY_OXIGRAPH = {".ttl", ".nt"}  # triple formats whose terms Oxigraph and rdflib read alike
_XSD_STRING = str(XSD.string)


def _term(term):
    """An rdflib term for a pyoxigraph one (a literal keeps its lexical form, as rdflib's parser does)."""
    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    datatype = term.datatype.value
    return Literal(term.value) if datatype == _XSD_STRING else Literal(term.value, datatype=URIRef(datatype))


def to_oxigraph(term) -> Any:  # a NamedNode, BlankNode or Literal of pyoxigraph
    """The pyoxigraph term for an rdflib one (the inverse of reading a file's terms)."""
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if term.language:
        return pyoxigraph.Literal(str(term), language=term.language)
    if term.datatype:
        return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(str(term.datatype)))
    return pyoxigraph.Literal(str(term))


def from_oxigraph(term):
    """The rdflib term for a pyoxigraph one."""
    return _term(term)


@lru_cache(maxsize=256)
def _read(path: Path, data: bytes) -> tuple[tuple, tuple]:
    """The triples and prefixes of a Turtle or N-Triples file, parsed once by Oxigraph (a
    file's contents are part of the key: an edited file is read again)."""
    parser = pyoxigraph.parse(input=data, format=_FORMATS[path.suffix.lower()][1])
    try:
        triples = tuple((_term(q.subject), _term(q.predicate), _term(q.object)) for q in parser)
    except (SyntaxError, ValueError) as exc:
        raise syntax_error(path, exc) from None
    return triples, tuple(parser.prefixes.items())


def read_triples(path: Path) -> tuple[tuple, tuple]:
    """(triples as rdflib terms, (prefix, namespace) pairs) of a .ttl or .nt file;
    ParseError (FILE:LINE: message) if it is malformed."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        reason = "no such file" if isinstance(exc, FileNotFoundError) else exc.strerror or exc
        raise ParseError(f"{path}: {reason}") from None
    return _read(path, data)


def parse_into(graph: Graph, path: Path) -> Graph:
    """Parse an RDF file into `graph`, raising ParseError (FILE:LINE: message) if it is malformed."""
    if path.suffix.lower() in _READ_BY_OXIGRAPH:
        triples, prefixes = read_triples(path)
        graph.addN((s, p, o, graph) for s, p, o in triples)
        for prefix, namespace in prefixes:  # as rdflib's Turtle parser binds the file's prefixes
            graph.bind(prefix, namespace)
        return graph
    check_syntax(path)
    try:
        graph.parse(str(path), format=_FORMATS[path.suffix.lower()][0])
    except Exception as exc:  # the strict parser passed; report rdflib's complaint as is
        raise syntax_error(path, exc) from None
    return graph


_shared: list = []  # [(dataset, its union or None)] while `shared_union` runs


def union_of(dataset) -> Graph:
    """All named graphs of a dataset merged into one graph (what the triple formats hold)."""
    from .namespaces import bind_prefixes

    if _shared and _shared[-1][0] is dataset:
        if _shared[-1][1] is None:
            _shared[-1] = (dataset, _union(dataset, bind_prefixes))
        return _shared[-1][1]
    return _union(dataset, bind_prefixes)


def _union(dataset, bind_prefixes) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        graph.add((s, p, o))
    return graph


def result_rows(result: Result) -> Iterator[ResultRow]:
    """The rows of a SELECT result, typed as rows (rdflib types them as rows, triples or a boolean)."""
    return cast("Iterator[ResultRow]", iter(result))


@contextmanager
def shared_union(dataset) -> Iterator[None]:
    """Within the block, union_of(dataset) is built once and the same graph returned each time:
    for a finished dataset whose union is only read (validated, serialised, counted)."""
    _shared.append((dataset, None))
    try:
        yield
    finally:
        _shared.pop()
