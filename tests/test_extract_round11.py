"""`kg extract`: the rules of the eleventh tuning (tests/extract/unseen/AFTER11.md): precision. A table of sentences of
our own (tests/extract/not_figures.toml), English and Chinese, says which numbers of each are figures (with their unit)
and which are not (thresholds, conversions, names, dates, durations, ranks, lists' items, measures in other units);
the extractor is run on each row."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from kg.extract import extract

TABLE = tomllib.loads((Path(__file__).parent / "extract" / "not_figures.toml").read_text(encoding="utf-8"))
PUBLISHED = date.fromisoformat(TABLE["published"])


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


@pytest.mark.parametrize("row", TABLE["row"], ids=lambda row: row["text"][:40])
def test_what_is_a_figure(row: dict) -> None:
    text = row["text"]
    lang = "zh" if any("\u4e00" <= c <= "\u9fff" for c in text) else "en"
    drafted = [(f.start, f.end, f.unit) for f in extract(text, PUBLISHED, lang)]
    assert row.get("figures") or row.get("not"), "a row says something"
    for words, unit in row.get("figures", {}).items():
        start, end = _span(text, words)
        units = [u for s, e, u in drafted if s < end and start < e]
        assert units == [unit], (words, [text[s:e] for s, e, _ in drafted])
    for words in row.get("not", []):
        start, end = _span(text, words)
        assert not [1 for s, e, _ in drafted if s < end and start < e], (words, [text[s:e] for s, e, _ in drafted])


def test_the_table_is_of_both_languages_and_both_kinds() -> None:
    rows = TABLE["row"]
    chinese = [r for r in rows if any("\u4e00" <= c <= "\u9fff" for c in r["text"])]
    assert len(rows) >= 60 and 20 <= len(chinese) <= len(rows) - 20
    assert sum(len(r.get("not", [])) for r in rows) >= 60 and sum(len(r.get("figures", {})) for r in rows) >= 40
