"""Pointing into the article: find each quote, add its offsets, refuse any mismatch."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, XSD

from .errors import SpanError
from .namespaces import HITZ, OA, SCHEMA

if TYPE_CHECKING:
    from .project import Project


def resolve_spans(graph: Graph, text: str, article: URIRef | None = None) -> int:
    """Add oa:start/oa:end to every text span of `graph`, or check the ones it has.

    Offsets count Unicode code points, so that text[start:end] == exact. A quote
    that is missing from the text, occurs more than once without offsets, or
    whose offsets select other words raises SpanError naming the span.
    With `article`, every span of the graph must be dcterms:isPartOf that source.
    Returns the number of spans.
    """
    count = 0
    for span, exact in sorted(graph.subject_objects(OA.exact)):
        count += 1
        if article is not None and graph.value(span, DCTERMS.isPartOf) != article:
            raise SpanError(f"span <{span}>: it is in the files of <{article}> but dcterms:isPartOf "
                            f"<{graph.value(span, DCTERMS.isPartOf)}>; a span belongs with its source")
        quote = str(exact)
        starts = list(graph.objects(span, OA.start))
        ends = list(graph.objects(span, OA.end))
        if starts or ends:
            _check(span, quote, starts, ends, text)
            continue
        first = text.find(quote)
        if first < 0:
            raise SpanError(f"span <{span}>: the quote {quote!r} is not in the article")
        if text.find(quote, first + 1) >= 0:
            raise SpanError(
                f"span <{span}>: the quote {quote!r} occurs {text.count(quote)} times in the article; "
                "lengthen it until it is unique or give oa:start and oa:end"
            )
        graph.add((span, OA.start, Literal(first, datatype=XSD.integer)))
        graph.add((span, OA.end, Literal(first + len(quote), datatype=XSD.integer)))
    return count


def _check(span, quote: str, starts: list, ends: list, text: str) -> None:
    if len(starts) != 1 or len(ends) != 1:
        raise SpanError(f"span <{span}>: needs exactly one oa:start and one oa:end")
    try:
        start, end = int(starts[0]), int(ends[0])
    except (TypeError, ValueError):
        raise SpanError(f"span <{span}>: oa:start and oa:end must be integers") from None
    found = text[start:end]
    if found != quote:
        raise SpanError(
            f"span <{span}>: oa:start {start} and oa:end {end} select {found!r}, not the quote {quote!r}"
        )


def write_offsets(path: Path, text: str) -> int:
    """Add oa:start/oa:end to every span of a Turtle file that has only its quote; returns how many.

    The file is edited as text, right after each `oa:exact "..." ;` line, so its
    layout and comments stay; it is replaced only when every quote was found once.
    """
    from rdflib import Graph

    from .files import write_atomically
    from .rdfio import parse_into

    graph = parse_into(Graph(), path)
    source = path.read_text(encoding="utf-8")
    added = 0
    for span, exact in sorted(graph.subject_objects(OA.exact)):
        if graph.value(span, OA.start) is not None:
            continue
        written = f'oa:exact "{exact}" ;'
        if source.count(written) != 1:
            raise SpanError(f"{path}: cannot place the offsets of <{span}> (its quote is not written once, plainly); add them by hand")
        scratch = Graph()
        scratch.add((span, OA.exact, exact))
        resolve_spans(scratch, text)
        start, end = int(str(scratch.value(span, OA.start))), int(str(scratch.value(span, OA.end)))
        # aligned under oa:exact: a subject written on the same line is not repeated
        indent = re.sub(r"\S", " ", source[:source.index(written)].rsplit("\n", 1)[-1])
        source = source.replace(written, f"{written}\n{indent}oa:start {start} ; oa:end {end} ;")
        added += 1
    if added:
        write_atomically(path, source.encode("utf-8"))
    return added


@dataclass(frozen=True)
class Quote:
    """One checked quote of a source: its span, offsets (code points) and exact words."""

    source: str
    span: URIRef
    start: int
    end: int
    exact: str


def check_project_spans(project: Project, write: bool = False,
                        on_write: Callable[[Path, int], None] | None = None) -> list[Quote]:
    """Check every quote of every source against its text (SpanError on a mismatch); with `write`,
    first add the offsets of quotes written without them, calling `on_write(path, added)` per file."""
    from .rdfio import parse_into

    quotes = []
    for source in project.sources():
        text = source.text()
        for path in source.ttl_files:
            graph = parse_into(Graph(), path)
            if not any(graph.subject_objects(OA.exact)):
                continue
            if write:
                added = write_offsets(path, text)
                if added and on_write is not None:
                    on_write(path, added)
                graph = parse_into(Graph(), path)
            resolve_spans(graph, text, source.article)
            for span, exact in sorted(graph.subject_objects(OA.exact)):
                quotes.append(Quote(source.id, URIRef(str(span)), int(str(graph.value(span, OA.start))),
                                    int(str(graph.value(span, OA.end))), str(exact)))
    return quotes


def add_article_text(graph: Graph, article: URIRef, text: str) -> None:
    """Put the article's full text in the graph, the context every span points into."""
    graph.add((article, SCHEMA.text, Literal(text)))


def find_article(graph: Graph) -> URIRef:
    """The one schema:NewsArticle of the graph."""
    articles = sorted(graph.subjects(RDF.type, SCHEMA.NewsArticle), key=str)
    if len(articles) != 1:
        raise SpanError(f"the provenance needs exactly one schema:NewsArticle, found {len(articles)}")
    return URIRef(str(articles[0]))


def spans_of(graph: Graph) -> list[URIRef]:
    """All text spans, by type."""
    return sorted((URIRef(str(s)) for s in graph.subjects(RDF.type, HITZ.TextSpan)), key=str)
