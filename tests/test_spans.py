"""Unit tests of kg.spans: offsets count Unicode code points (astral characters are one each),
a quote must occur once, given offsets must select it; and the project-wide check behind `kg spans`."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, XSD

from kg.errors import SpanError
from kg.namespaces import OA
from kg.spans import check_project_spans, resolve_spans, write_offsets
from conftest import literal

SPAN = URIRef("https://w3id.org/hitz/id/span/test")
ARTICLE = URIRef("https://w3id.org/hitz/id/article/test")
# U+20000 (𠀀, CJK Extension B) and U+1F600 (😀) are outside the Basic Multilingual Plane:
# two UTF-16 code units and four UTF-8 bytes each, but one code point
TEXT = "𠀀𠀀 高新区 😀 GDP reached CNY15.3 trillion 😀 in 2021."


def span_graph(exact: str, start: int | None = None, end: int | str | None = None) -> Graph:
    graph = Graph()
    graph.add((SPAN, OA.exact, Literal(exact)))
    if start is not None:
        graph.add((SPAN, OA.start, Literal(start, datatype=XSD.integer)))
    if end is not None:
        graph.add((SPAN, OA.end, Literal(end, datatype=XSD.integer)))
    return graph


def offsets(graph: Graph) -> tuple[int, int]:
    return int(literal(graph.value(SPAN, OA.start))), int(literal(graph.value(SPAN, OA.end)))


@pytest.mark.parametrize("quote, start, end", [
    ("𠀀𠀀 高新区", 0, 6),  # the first characters: astral ones count one each
    ("高新区", 3, 6),
    ("CNY15.3 trillion", 21, 37),  # after two astral characters and one emoji: 21, not 23 (UTF-16) or 28 (UTF-8)
    ("😀 in 2021.", 38, 48),
    ("2021.", 43, 48),  # the very end of the text
])
def test_offsets_are_code_points(quote: str, start: int, end: int):
    graph = span_graph(quote)
    assert resolve_spans(graph, TEXT) == 1
    assert offsets(graph) == (start, end)
    assert TEXT[start:end] == quote


def test_given_offsets_that_select_the_quote_are_kept():
    graph = span_graph("CNY15.3 trillion", 21, 37)
    resolve_spans(graph, TEXT)
    assert offsets(graph) == (21, 37) and len(graph) == 3


def test_offsets_counted_in_utf16_units_are_refused():
    with pytest.raises(SpanError, match=r"oa:start 23 and oa:end 39 select 'Y15.3 trillion 😀', not the quote 'CNY15.3 trillion'"):
        resolve_spans(span_graph("CNY15.3 trillion", 23, 39), TEXT)


@pytest.mark.parametrize("graph, message", [
    (span_graph("CNY15.4 trillion"), "the quote 'CNY15.4 trillion' is not in the article"),
    (span_graph("😀"), "the quote '😀' occurs 2 times in the article; lengthen it"),
    (span_graph("高新区", 3), "needs exactly one oa:start and one oa:end"),
    (span_graph("高新区", 3, "six"), "oa:start and oa:end must be integers"),
])
def test_a_quote_that_cannot_be_placed_names_its_span(graph: Graph, message: str):
    with pytest.raises(SpanError, match=f"span <{SPAN}>: " + message.replace("(", r"\(")):
        resolve_spans(graph, TEXT)


def test_a_repeated_quote_with_offsets_is_fine():
    graph = span_graph("😀", 38, 39)
    resolve_spans(graph, TEXT)
    assert offsets(graph) == (38, 39)


def test_a_span_must_belong_to_the_source_whose_files_hold_it():
    graph = span_graph("高新区")
    graph.add((SPAN, DCTERMS.isPartOf, URIRef("https://w3id.org/hitz/id/article/other")))
    with pytest.raises(SpanError, match="dcterms:isPartOf <https://w3id.org/hitz/id/article/other>"):
        resolve_spans(graph, TEXT, ARTICLE)


TURTLE = """@prefix oa: <http://www.w3.org/ns/oa#> .
# a comment that stays
<https://w3id.org/hitz/id/span/a> oa:exact "CNY15.3 trillion" ;
    oa:end 0 .
"""


def test_write_offsets_adds_them_after_the_quote_and_keeps_the_layout(tmp_path: Path):
    path = tmp_path / "spans.ttl"
    path.write_text(TURTLE.replace("    oa:end 0 .\n", '    <http://purl.org/dc/terms/isPartOf> <x:a> .\n'),
                    encoding="utf-8")
    assert write_offsets(path, TEXT) == 1
    assert path.read_text(encoding="utf-8") == (
        "@prefix oa: <http://www.w3.org/ns/oa#> .\n# a comment that stays\n"
        '<https://w3id.org/hitz/id/span/a> oa:exact "CNY15.3 trillion" ;\n'
        "                                  oa:start 21 ; oa:end 37 ;\n"
        "    <http://purl.org/dc/terms/isPartOf> <x:a> .\n")
    assert write_offsets(path, TEXT) == 0  # nothing left to add


def test_write_offsets_replaces_nothing_when_a_quote_is_not_in_the_text(tmp_path: Path):
    path = tmp_path / "spans.ttl"
    before = TURTLE.replace("CNY15.3", "CNY99").replace("    oa:end 0 .\n", "    a <x:Span> .\n")
    path.write_text(before, encoding="utf-8")
    with pytest.raises(SpanError, match="'CNY99 trillion' is not in the article"):
        write_offsets(path, TEXT)
    assert path.read_text(encoding="utf-8") == before


def test_check_project_spans_lists_every_quote_of_every_source(project):
    quotes = check_project_spans(project)
    assert len(quotes) > 90
    assert {q.source for q in quotes} == {s.id for s in project.sources()}
    texts = {s.id: s.text() for s in project.sources()}
    assert all(texts[q.source][q.start:q.end] == q.exact for q in quotes)
    most = [q for q in quotes if str(q.span).endswith("/span/most-named")]
    assert [(q.source, q.start, q.end) for q in most] == [("hitz-2022", 415, 472)]


def test_check_project_spans_writes_missing_offsets_and_says_where(project_copy):
    path = project_copy.root / "data/provenance/spans.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("    oa:start 415 ; oa:end 472 ;\n", "", 1),
                    encoding="utf-8")
    written: list[tuple[Path, int]] = []
    quotes = check_project_spans(project_copy, write=True, on_write=lambda p, n: written.append((p, n)))
    assert written == [(path, 1)]
    assert "    oa:start 415 ; oa:end 472 ;\n" in path.read_text(encoding="utf-8")
    assert [(q.start, q.end) for q in quotes if str(q.span).endswith("/span/most-named")] == [(415, 472)]


def test_check_project_spans_refuses_offsets_that_select_other_words(project_copy):
    path = project_copy.root / "data/provenance/spans.ttl"
    path.write_text(path.read_text(encoding="utf-8").replace("oa:start 415 ; oa:end 472", "oa:start 416 ; oa:end 473"),
                    encoding="utf-8")
    with pytest.raises(SpanError, match="most-named>: oa:start 416 and oa:end 473 select"):
        check_project_spans(project_copy)
