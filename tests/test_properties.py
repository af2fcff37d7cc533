"""Property-based tests of the code that reads the article: numbers, quotes and their offsets,
reference periods. Hypothesis generates the input; the profile (tests/conftest.py) bounds it."""

from __future__ import annotations

from datetime import datetime

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef

from kg.coverage import find_numbers
from kg.errors import KgError, SpanError
from kg.namespaces import OA
from kg.periods import REF, bounds
from kg.spans import resolve_spans

SPAN = URIRef("https://w3id.org/hitz/id/span/generated")
# article-like text: letters, digits, punctuation, CJK, currency signs, spaces and line ends
TEXT = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "S", "Zs"))
               | st.sampled_from("0123456789.,$¥ \n"), max_size=300)


@given(TEXT)
def test_every_number_found_is_the_text_at_its_offsets(text):
    for start, end, token, kind in find_numbers(text):
        assert 0 <= start < end <= len(text)
        assert text[start:end] == token
        assert kind in ("figure", "name")


@given(TEXT, st.data())
def test_a_quote_once_in_the_text_gets_offsets_that_select_it(text, data):
    assume(text)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    quote = text[start:end]
    graph = Graph()
    graph.add((SPAN, OA.exact, Literal(quote)))
    if text.count(quote) == 1 and text.find(quote, text.find(quote) + 1) < 0:
        resolve_spans(graph, text)
        begin, finish = int(graph.value(SPAN, OA.start)), int(graph.value(SPAN, OA.end))
        assert text[begin:finish] == quote
    else:
        with pytest.raises(SpanError):
            resolve_spans(graph, text)


@given(TEXT, st.integers(-5, 400), st.integers(-5, 400), st.text(max_size=20))
def test_given_offsets_are_accepted_only_when_they_select_the_quote(text, start, end, quote):
    graph = Graph()
    graph.add((SPAN, OA.exact, Literal(quote)))
    graph.add((SPAN, OA.start, Literal(start)))
    graph.add((SPAN, OA.end, Literal(end)))
    if text[start:end] == quote:
        assert resolve_spans(graph, text) == 1
    else:
        with pytest.raises(SpanError):
            resolve_spans(graph, text)


@given(st.integers(1, 9998))  # the year 9999 ends in 10000, which datetime cannot hold: a KgError
def test_a_year_runs_from_its_first_instant_to_the_next_years(year):
    begin, end = bounds(URIRef(f"{REF}year/{year:04d}"))
    assert (begin, end) == (datetime(year, 1, 1), datetime(year + 1, 1, 1))


@given(st.dates(min_value=datetime(1, 1, 1).date(), max_value=datetime(9000, 12, 31).date()),
       st.integers(1, 120), st.sampled_from("MY"))
def test_an_interval_ends_its_length_after_it_begins_or_is_refused(day, n, unit):
    period = URIRef(f"{REF}gregorian-interval/{day.isoformat()}T00:00:00/P{n}{unit}")
    try:
        begin, end = bounds(period)
    except KgError:  # no such day at the end (31 January + 1 month): refused with a reason
        return
    months = n * 12 if unit == "Y" else n
    assert begin == datetime(day.year, day.month, day.day)
    assert (end.year * 12 + end.month) - (begin.year * 12 + begin.month) == months
    assert end.day == begin.day and end > begin


@given(st.from_regex(r"\Ahttp://reference\.data\.gov\.uk/id/gregorian-interval/\d{4}-\d{2}-\d{2}T00:00:00/P\d{1,3}[YM]\Z")
       | st.from_regex(r"\Ahttp://reference\.data\.gov\.uk/id/year/\d{4}\Z") | st.text(max_size=80))
def test_any_period_iri_gives_bounds_or_a_kg_error(iri):
    try:
        begin, end = bounds(URIRef(iri))
    except KgError:
        return
    assert begin < end


# --- what the generators found, kept as plain regression tests -------------------------------

def test_digits_glued_to_a_non_ascii_letter_are_read_not_a_crash():
    # a character past ASCII after digits is a unit or counter word (12.33万亿元, 178家, 2023年)
    assert find_numbers("0À") == [(0, 1, "0", "figure")]
    assert find_numbers("3号") == [(0, 1, "3", "figure")]
    assert find_numbers("C919") == [(0, 4, "C919", "name")]


@pytest.mark.parametrize("tail", ["0000-00-00T00:00:00/P0M", "2022-13-01T00:00:00/P1M", "2022-01-31T00:00:00/P1M",
                                  "2022-01-01T00:00:00/P0Y"])
def test_an_impossible_interval_is_a_kg_error_not_a_traceback(tail):
    with pytest.raises(KgError, match="period <"):
        bounds(URIRef(f"{REF}gregorian-interval/{tail}"))
