"""Unit tests of kg.endpoint.negotiate: which media type a SPARQL answer is sent in, for an Accept header."""

from __future__ import annotations

import pytest

from kg.endpoint import GRAPH, SELECT, negotiate, parse_accept
from kg.errors import Refused

JSON = "application/sparql-results+json"
XML = "application/sparql-results+xml"
CSV = "text/csv"
TSV = "text/tab-separated-values"


@pytest.mark.parametrize("accept, kind, expected", [
    # no header, an empty one, or any type at all: the first type offered
    (None, SELECT, JSON),
    ("", SELECT, JSON),
    ("*/*", SELECT, JSON),
    ("*/*", GRAPH, "text/turtle"),
    ("*", GRAPH, "text/turtle"),
    # a wildcard subtype: the first offered type of that kind
    ("text/*", SELECT, CSV),
    ("text/*", GRAPH, "text/turtle"),
    ("application/*", GRAPH, "application/ld+json"),
    # the common aliases
    ("application/json", SELECT, JSON),
    ("application/json", GRAPH, "application/ld+json"),
    ("text/xml", SELECT, XML),
    ("text/plain", GRAPH, "application/n-triples"),
    # q-values: the highest wins; on a tie, the order of the header
    ("text/csv;q=0.5, application/sparql-results+xml", SELECT, XML),
    ("text/csv;q=0.5, text/tab-separated-values;q=0.5", SELECT, CSV),
    ("text/tab-separated-values;q=0.5, text/csv;q=0.5", SELECT, TSV),
    ("text/csv; q=0.2, text/tab-separated-values; Q=0.9", SELECT, TSV),
    ("image/png, */*;q=0.1", SELECT, JSON),
    # a malformed q-value counts as 0: that range is not acceptable
    ("text/csv;q=abc, text/xml;q=0.2", SELECT, XML),
    # case and parameters do not matter
    ("TEXT/CSV", SELECT, CSV),
    ("text/turtle; charset=utf-8", GRAPH, "text/turtle"),
    # q=0 refuses a type: a wildcard then means any other type
    ("application/sparql-results+json;q=0, */*;q=0.1", SELECT, XML),
    ("application/json;q=0, */*", SELECT, XML),
    ("text/csv;q=0, text/*", SELECT, TSV),
    ("text/turtle;q=0, */*", GRAPH, "application/ld+json"),
])
def test_negotiate_picks_the_media_type(accept, kind, expected):
    assert negotiate(accept, kind) == expected


@pytest.mark.parametrize("accept, kind", [
    ("text/html", SELECT),
    ("text/csv;q=0", SELECT),
    ("image/*", GRAPH),
    ("text/turtle", SELECT),  # a graph type for a table of results
    ("text/csv", GRAPH),
    ("text/*;q=0, text/csv;q=0, text/tab-separated-values;q=0, application/*;q=0, */*;q=0", SELECT),
    ("text/turtle;q=0, application/ld+json;q=0, application/n-triples;q=0, application/rdf+xml;q=0, */*", GRAPH),
])
def test_negotiate_refuses_what_it_cannot_offer_with_406(accept, kind):
    with pytest.raises(Refused) as refused:
        negotiate(accept, kind)
    assert refused.value.status == 406
    assert str(refused.value).startswith(f"cannot answer a {'CONSTRUCT/DESCRIBE' if kind == GRAPH else 'SELECT/ASK'} "
                                         f"query in {accept!r}; this endpoint offers ")


def test_parse_accept_orders_by_q_keeps_ties_in_order_and_drops_q_0():
    assert parse_accept("a/b;q=0.3, c/d, e/f;Q=0.9, g/h;q=0, , i/j;q=x, k/l") == [
        ("c/d", 1.0), ("k/l", 1.0), ("e/f", 0.9), ("a/b", 0.3)]
    assert parse_accept(None) == [("*/*", 1.0)]
