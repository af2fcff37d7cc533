"""What the extraction tests read of `kg extract`'s drafts: one place for the tuples they compare."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kg.extract import extract

REF = "http://reference.data.gov.uk/id/"  # periods are compared by their reference.data.gov.uk id
DAY = "2031-10-20"  # the day the round tests' sentences of our own are published, unless they say


def read(text: str, published: str, lang: str = "en") -> list[tuple[Decimal, str, str | None, str | None]]:
    """Each drafted figure's value, unit, qualifier and period."""
    return [(f.value, f.unit, f.qualifier, f.period) for f in extract(text, date.fromisoformat(published), lang)]


def named(text: str, published: str, lang: str, indicators) -> list[tuple[Decimal, str | None]]:
    """Each drafted figure's value and the local name of its code-list indicator (None for none)."""
    return [(f.value, str(f.indicator.iri).rsplit("/", 1)[-1] if f.indicator else None)
            for f in extract(text, date.fromisoformat(published), lang, indicators)]


def worded_periods(text: str, published: str = DAY, lang: str = "en") -> list[tuple[str, str]]:
    """Each drafted figure's words and its period's id ("year/2030"; "" for none)."""
    return [(text[f.start:f.end], (f.period or "").removeprefix(REF)) for f in extract(text, date.fromisoformat(published), lang)]


def worded_values(text: str, published: str = DAY, lang: str = "en") -> list[tuple[str, str, str]]:
    """Each drafted figure's words, value (as text) and unit."""
    return [(text[f.start:f.end], str(f.value), f.unit) for f in extract(text, date.fromisoformat(published), lang)]
