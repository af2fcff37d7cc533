"""The extractor's rules against well-kept libraries, on the curated sources of the graph.

quantulum3 (quantities) is scored on value+unit, dateparser (dates) on the period of the figures
both find; the same matching as `kg extract --evaluate` (overlapping words, equal value and unit),
on the curated sources and on the unseen news texts annotated in tests/extract/unseen/ (read from
the folder $HITZ_UNSEEN_TEXTS names: they are not in the repository).
The libraries are not dependencies of the project: install them anywhere on the path, e.g.

    pip install --target /tmp/extract-libs quantulum3 dateparser
    HITZ_UNSEEN_TEXTS=DIR PYTHONPATH=/tmp/extract-libs .venv/bin/python benchmarks/extract_libraries.py

Prints one table; nothing is asserted.
"""

from __future__ import annotations

import re
import warnings
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from kg.extract.cli import project_indicators
from kg.extract.evaluate import _pair, curated_sources, evaluate_sources, project_graph, scores
from kg.extract.figures import Figure
from kg.extract.periods import year_iri
from kg.extract.rules import load_rules
from kg.errors import KgError
from kg.extract.unseen import load_unseen, texts_dir, unseen_dir
from kg.project import Project

ROOT = Path(__file__).resolve().parent.parent
UNITS = {"percentage": "PERCENT", "yuan": "CCY_CNY", "renminbi": "CCY_CNY", "chinese yuan": "CCY_CNY",
         "dollar": "CCY_USD", "united states dollar": "CCY_USD", "dimensionless": "NUM", "count": "NUM"}


def quantulum_figures(text: str) -> list[Figure]:
    """quantulum3's quantities as figures (its units mapped to QUDT; four-digit whole numbers dropped as years)."""
    from quantulum3 import parser

    figures = []
    for q in parser.parse(text):
        unit = UNITS.get(q.unit.name.lower(), UNITS.get(q.unit.entity.name.lower(), q.unit.name))
        raw = text[q.span[0]:q.span[1]]
        if re.fullmatch(r"(?:19|20)\d\d", raw):
            continue
        value = Decimal(str(q.value)).normalize()
        figures.append(Figure(q.span[0], q.span[1], raw, value, unit, "level", None, None, None, 0.0, None, 0.0))
    return figures


def dateparser_period(text: str, figure: Figure, published: datetime) -> str | None:
    """The year of the first date dateparser finds in the figure's sentence, relative to the published date."""
    from dateparser.search import search_dates

    start = max(text.rfind(". ", 0, figure.start) + 2, 0)
    end = text.find(". ", figure.end)
    sentence = text[start:end if end > 0 else len(text)]
    found = search_dates(sentence, settings={"RELATIVE_BASE": published, "PREFER_DATES_FROM": "past"})
    return year_iri(found[0][1].year) if found else None


def library_scores(sources) -> tuple[tuple[float, float], tuple[float, float]]:
    """quantulum3's (value+unit) and dateparser's (period) recall and precision on `sources`."""
    curated = drafted = found = periods = 0
    for source in sources:
        figures = quantulum_figures(source.text)
        pairs = _pair(source.curated, figures)
        curated, drafted, found = curated + len(source.curated), drafted + len(figures), found + len(pairs)
        base = datetime(source.published.year, source.published.month, source.published.day)
        periods += sum(dateparser_period(source.text, f, base) == c.period for c, f in pairs)
    return (found / curated, found / drafted), (periods / curated, periods / drafted)


def main() -> None:
    warnings.filterwarnings("ignore")
    graph = project_graph(Project(ROOT))
    indicators = project_indicators(Project(ROOT))
    named = [("curated", curated_sources(graph))]
    try:
        codes = {str(i.iri).rsplit("/", 1)[-1] for i in indicators}
        named.append(("unseen", [text.source for text in load_unseen(unseen_dir(ROOT), texts_dir(), codes)]))
    except KgError as exc:
        print(f"(no unseen texts: {exc})")
    rows = []
    for name, sources in named:
        rules = scores(evaluate_sources(sources, indicators, load_rules()))
        rows.append((f"{name}: rules (kg/extract/patterns.toml)", rules["value+unit"], rules["period"]))
        try:
            rows.append((f"{name}: quantulum3 + dateparser", *library_scores(sources)))
        except ImportError as exc:
            print(f"({exc.name} is not installed: see this script's docstring)")
    print(f"{'extractor':44} {'value+unit R / P':>20} {'period R / P':>20}")
    for name, (r, p), (pr, pp) in rows:
        print(f"{name:44} {100 * r:8.1f}% / {100 * p:5.1f}% {100 * pr:8.1f}% / {100 * pp:5.1f}%")


if __name__ == "__main__":
    main()
