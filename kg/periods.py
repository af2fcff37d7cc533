"""Describe each reference period locally with OWL-Time, so no one has to fetch it.

Periods are reference.data.gov.uk IRIs: .../id/year/2021 and
.../id/gregorian-interval/2022-01-01T00:00:00/P7M. Each gets a label and a
beginning and an end instant (.../id/gregorian-instant/...), the end being the
first instant after the period, as reference.data.gov.uk does.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import cast

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, TIME, XSD

from .errors import KgError
from .namespaces import ORG, SDMX_DIMENSION

REF = "http://reference.data.gov.uk/id/"
INSTANT = Namespace(REF + "gregorian-instant/")
_YEAR = re.compile(re.escape(REF) + r"year/(\d{4})$")
_DAY = re.compile(re.escape(REF) + r"day/(\d{4})-(\d{2})-(\d{2})$")
_INTERVAL = re.compile(re.escape(REF) + r"gregorian-interval/(\d{4})-(\d{2})-(\d{2})T00:00:00/P(\d+)([YM])$")


def bounds(period: URIRef) -> tuple[datetime, datetime]:
    """The first instant of a period and the first instant after it."""
    try:
        if m := _YEAR.match(str(period)):
            year = int(m.group(1))
            return datetime(year, 1, 1), datetime(year + 1, 1, 1)
        if m := _DAY.match(str(period)):  # a count "as of" a date: that day, not its year
            first = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)))
            return first, first + timedelta(days=1)
        if m := _INTERVAL.match(str(period)):
            year, month, day, n, unit = int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)), m.group(5)
            if n == 0:
                raise KgError(f"period <{period}> has no length (P0{unit})")
            months = n * 12 if unit == "Y" else n
            total = (month - 1) + months
            return datetime(year, month, day), datetime(year + total // 12, total % 12 + 1, day)
    except ValueError as exc:  # no such day (2022-02-30), or the end falls on none (31 January + P1M)
        raise KgError(f"period <{period}>: {exc}") from None
    raise KgError(
        f"period <{period}> is not a reference.data.gov.uk year, day or gregorian-interval "
        "(e.g. .../id/year/2021, .../id/day/2023-11-30 or .../id/gregorian-interval/2022-01-01T00:00:00/P7M)"
    )


def describe_periods(source: Graph, target: Graph) -> int:
    """Add an OWL-Time description of every refPeriod used in `source` to `target`."""
    periods = cast("set[URIRef]", set(source.objects(None, SDMX_DIMENSION.refPeriod)) | set(source.objects(None, ORG.memberDuring)))
    for period in periods:
        begin, end = bounds(period)
        target.add((period, RDF.type, TIME.Interval))
        target.add((period, RDFS.label, Literal(_label(period))))
        for prop, instant in ((TIME.hasBeginning, begin), (TIME.hasEnd, end)):
            node = INSTANT[instant.strftime("%Y-%m-%dT%H:%M:%S")]
            target.add((period, prop, node))
            target.add((node, RDF.type, TIME.Instant))
            target.add((node, TIME.inXSDDateTime, Literal(instant.strftime("%Y-%m-%dT%H:%M:%S"), datatype=XSD.dateTime)))
    return len(periods)


def _label(period: URIRef) -> str:
    text = str(period)
    if m := _YEAR.match(text):
        return m.group(1)
    if m := _DAY.match(text):
        return "-".join(m.groups())
    return text.split("gregorian-interval/")[1].replace("T00:00:00", "")
