"""What the extraction tests read of `kg extract`'s drafts: one place for the tuples they compare."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kg.extract import extract


def read(text: str, published: str, lang: str = "en") -> list[tuple[Decimal, str, str | None, str | None]]:
    """Each drafted figure's value, unit, qualifier and period."""
    return [(f.value, f.unit, f.qualifier, f.period) for f in extract(text, date.fromisoformat(published), lang)]


def named(text: str, published: str, lang: str, indicators) -> list[tuple[Decimal, str | None]]:
    """Each drafted figure's value and the local name of its code-list indicator (None for none)."""
    return [(f.value, str(f.indicator.iri).rsplit("/", 1)[-1] if f.indicator else None)
            for f in extract(text, date.fromisoformat(published), lang, indicators)]
