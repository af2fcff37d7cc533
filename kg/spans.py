"""Pointing into the article: find each quote, add its offsets, refuse any mismatch."""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

from .errors import SpanError
from .namespaces import HITZ, OA, SCHEMA


def resolve_spans(graph: Graph, text: str) -> int:
    """Add oa:start/oa:end to every text span of `graph`, or check the ones it has.

    Offsets count Unicode code points, so that text[start:end] == exact. A quote
    that is missing from the text, occurs more than once without offsets, or
    whose offsets select other words raises SpanError naming the span.
    Returns the number of spans.
    """
    count = 0
    for span, exact in sorted(graph.subject_objects(OA.exact)):
        count += 1
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


def add_article_text(graph: Graph, article: URIRef, text: str) -> None:
    """Put the article's full text in the graph, the context every span points into."""
    graph.add((article, SCHEMA.text, Literal(text)))


def find_article(graph: Graph) -> URIRef:
    """The one schema:NewsArticle of the graph."""
    articles = sorted(graph.subjects(RDF.type, SCHEMA.NewsArticle))
    if len(articles) != 1:
        raise SpanError(f"the provenance needs exactly one schema:NewsArticle, found {len(articles)}")
    return articles[0]


def spans_of(graph: Graph) -> list[URIRef]:
    """All text spans, by type."""
    return sorted(graph.subjects(RDF.type, HITZ.TextSpan))
