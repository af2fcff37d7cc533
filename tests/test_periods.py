"""Unit tests of kg.periods: the bounds of reference.data.gov.uk years, days and intervals (leap
years, month ends, year ends), their OWL-Time description, and one-line errors for impossible ones."""

from __future__ import annotations

from datetime import datetime

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, TIME, XSD

from kg.errors import KgError
from kg.namespaces import SDMX_DIMENSION
from kg.periods import INSTANT, REF, bounds, describe_periods


@pytest.mark.parametrize("tail, begin, end", [
    ("year/2021", datetime(2021, 1, 1), datetime(2022, 1, 1)),
    ("year/2024", datetime(2024, 1, 1), datetime(2025, 1, 1)),  # a leap year is a year all the same
    ("day/2024-02-29", datetime(2024, 2, 29), datetime(2024, 3, 1)),  # a leap day
    ("day/2023-02-28", datetime(2023, 2, 28), datetime(2023, 3, 1)),
    ("day/2023-12-31", datetime(2023, 12, 31), datetime(2024, 1, 1)),  # the end is in the next year
    ("gregorian-interval/2022-01-01T00:00:00/P7M", datetime(2022, 1, 1), datetime(2022, 8, 1)),  # "January to July"
    ("gregorian-interval/2022-12-01T00:00:00/P1M", datetime(2022, 12, 1), datetime(2023, 1, 1)),
    ("gregorian-interval/2022-06-01T00:00:00/P12M", datetime(2022, 6, 1), datetime(2023, 6, 1)),
    ("gregorian-interval/2022-06-01T00:00:00/P1Y", datetime(2022, 6, 1), datetime(2023, 6, 1)),
    ("gregorian-interval/2012-01-01T00:00:00/P10Y", datetime(2012, 1, 1), datetime(2022, 1, 1)),
    ("gregorian-interval/2024-02-29T00:00:00/P4Y", datetime(2024, 2, 29), datetime(2028, 2, 29)),
    ("gregorian-interval/2022-03-15T00:00:00/P25M", datetime(2022, 3, 15), datetime(2024, 4, 15)),
])
def test_bounds(tail: str, begin: datetime, end: datetime):
    assert bounds(URIRef(REF + tail)) == (begin, end)


@pytest.mark.parametrize("tail, reason", [
    ("day/2023-02-29", ": day is out of range for month"),  # 2023 is no leap year
    ("day/2022-13-01", ": month must be in 1..12"),
    ("gregorian-interval/2024-02-29T00:00:00/P1Y", ": day is out of range for month"),  # no 29 February 2025
    ("gregorian-interval/2024-01-31T00:00:00/P1M", ": day is out of range for month"),  # no 31 February
    ("gregorian-interval/2022-01-01T00:00:00/P0M", " has no length (P0M)"),
    ("gregorian-interval/2022-01-01T00:00:00/P0Y", " has no length (P0Y)"),
    ("year/9999", ": year 10000 is out of range"),  # its end
    ("year/0000", ": year 0 is out of range"),
    ("year/21", " is not a reference.data.gov.uk year, day or gregorian-interval"),
    ("gregorian-interval/2022-01-01T00:00:00/P1D", " is not a reference.data.gov.uk year, day or gregorian-interval"),
    ("gregorian-interval/2022-01-01T12:00:00/P1M", " is not a reference.data.gov.uk year, day or gregorian-interval"),
])
def test_an_impossible_period_is_one_kg_error_naming_it(tail: str, reason: str):
    with pytest.raises(KgError) as error:
        bounds(URIRef(REF + tail))
    assert str(error.value).startswith(f"period <{REF}{tail}>{reason}")


def test_describe_periods_gives_each_period_a_label_and_two_instants():
    source, target = Graph(), Graph()
    for i, tail in enumerate(["year/2021", "day/2023-11-30", "gregorian-interval/2022-01-01T00:00:00/P7M", "year/2021"]):
        source.add((URIRef(f"x:obs{i}"), SDMX_DIMENSION.refPeriod, URIRef(REF + tail)))
    assert describe_periods(source, target) == 3
    interval = URIRef(REF + "gregorian-interval/2022-01-01T00:00:00/P7M")
    assert {str(target.value(URIRef(REF + t), RDFS.label)) for t in ("year/2021", "day/2023-11-30")} == {
        "2021", "2023-11-30"}
    assert str(target.value(interval, RDFS.label)) == "2022-01-01/P7M"
    assert (interval, RDF.type, TIME.Interval) in target
    begin, end = target.value(interval, TIME.hasBeginning), target.value(interval, TIME.hasEnd)
    assert (begin, end) == (INSTANT["2022-01-01T00:00:00"], INSTANT["2022-08-01T00:00:00"])
    assert target.value(end, TIME.inXSDDateTime) == Literal("2022-08-01T00:00:00", datatype=XSD.dateTime)
    assert len(target) == 3 * 4 + 5 * 2  # type, label, beginning, end per period; type and time per instant
