"""Measure the extractor against the curated sources of the built graph: recall and precision of
(value, unit), period, qualifier and indicator, per source and overall, with every miss and false figure."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path

from rdflib import Graph
from rdflib.namespace import XSD

from ..errors import KgError
from ..rdfio import result_rows
from .figures import Figure, extract
from .indicators import Indicator, code_list
from .rules import Rules, load_rules

HERE = Path(__file__).parent
ASPECTS = ("value+unit", "period", "qualifier", "indicator")


@dataclass
class Curated:
    """One curated figure: its words' offsets and what a person read in them."""

    obs: str
    start: int
    end: int
    exact: str
    value: Decimal
    unit: str | None
    period: str | None
    qualifier: str | None
    indicator: str | None


@dataclass
class Source:
    """A curated source: its text, date, language and curated figures."""

    iri: str
    text: str
    published: date
    precise: bool  # False when only the year of publication is known
    lang: str
    curated: list[Curated]


@dataclass
class SourceResult:
    source: Source
    drafted: list[Figure]
    pairs: list[tuple[Curated, Figure]]
    correct: dict[str, int] = field(default_factory=dict)

    @property
    def misses(self) -> list[Curated]:
        matched = {id(c) for c, _ in self.pairs}
        return [c for c in self.source.curated if id(c) not in matched]

    @property
    def false_figures(self) -> list[Figure]:
        matched = {id(f) for _, f in self.pairs}
        return [f for f in self.drafted if id(f) not in matched]


def _published(literal) -> tuple[date, bool]:
    """An xsd:date (precise), or the last day of an xsd:gYear (a date known only to the year)."""
    text = str(literal) if literal is not None else ""
    if getattr(literal, "datatype", None) == XSD.gYear or len(text) == 4:
        return date(int(text[:4]), 12, 31), False
    try:
        return date.fromisoformat(text[:10]), True
    except ValueError:
        raise KgError(f"source publication date {text!r} is not an xsd:date or xsd:gYear") from None


def _local(iri) -> str | None:
    return str(iri).rsplit("#", 1)[-1].rsplit("/", 1)[-1] if iri is not None else None


def curated_sources(graph: Graph) -> list[Source]:
    """Every source of the built graph with its text, date, language and stated figures, by SPARQL."""
    sources = []
    observations = (HERE / "curated-observations.rq").read_text(encoding="utf-8")
    for row in result_rows(graph.query((HERE / "curated-sources.rq").read_text(encoding="utf-8"))):
        curated = [
            Curated(str(r.obs), int(r.start), int(r.end), str(r.exact), Decimal(str(r.value)), _local(r.unit),
                    str(r.period) if r.period else None, _local(r.qualifier), str(r.indicator) if r.indicator else None)
            for r in result_rows(graph.query(observations, initBindings={"source": row.source}))
        ]
        if curated:
            lang = str(row.lang or "en")[:2].lower()
            sources.append(Source(str(row.source), str(row.text), *_published(row.published), lang, curated))
    return sources


def _pair(curated: list[Curated], drafted: list[Figure]) -> list[tuple[Curated, Figure]]:
    """Match drafted to curated figures: overlapping words, equal value and unit (largest overlap first)."""
    candidates = []
    for c in curated:
        for f in drafted:
            overlap = min(c.end, f.end) - max(c.start, f.start)
            if overlap > 0 and f.value == c.value and f.unit == c.unit:
                candidates.append((overlap, c, f))
    pairs, used_c, used_f = [], set(), set()
    for _, c, f in sorted(candidates, key=lambda t: -t[0]):
        if id(c) not in used_c and id(f) not in used_f:
            pairs.append((c, f))
            used_c.add(id(c))
            used_f.add(id(f))
    return sorted(pairs, key=lambda p: p[0].start)


def _correct(c: Curated, f: Figure, aspect: str) -> bool:
    if aspect == "value+unit":
        return True
    if aspect == "period":
        return c.period == f.period
    if aspect == "qualifier":
        return c.qualifier == f.qualifier
    if c.indicator is None:  # a figure no code-list indicator fits: right when the draft proposes a new one
        return f.indicator is None
    return f.indicator is not None and c.indicator == str(f.indicator.iri)


def evaluate(graph: Graph, periods: str = "model", post: Post | None = None) -> list[SourceResult]:
    """Run the extractor on every curated source of `graph` and compare (periods by the rules or the model)."""
    rules = load_rules()
    return evaluate_sources(curated_sources(graph), code_list(graph, rules), rules, periods, post)


Post = Callable[[list[Figure], Source], list[Figure]]  # what a step after the extractor keeps of a source's drafts


def evaluate_sources(sources: list[Source], indicators: list[Indicator], rules: Rules, periods: str = "model",
                     post: Post | None = None) -> list[SourceResult]:
    """Run the extractor on each source (its text, date, language; periods by the rules or the model), then `post`
    if given (the figure filter), and compare with its figures."""
    results = []
    for source in sources:
        drafted = extract(source.text, source.published, source.lang, indicators, rules, source.precise, periods)
        if post is not None:
            drafted = post(drafted, source)
        pairs = _pair(source.curated, drafted)
        result = SourceResult(source, drafted, pairs)
        result.correct = {a: sum(_correct(c, f, a) for c, f in pairs) for a in ASPECTS}
        results.append(result)
    return results


def scores(results: list[SourceResult]) -> dict[str, tuple[float, float]]:
    """Overall (recall, precision) of each aspect."""
    curated = sum(len(r.source.curated) for r in results)
    drafted = sum(len(r.drafted) for r in results)
    return {a: (sum(r.correct[a] for r in results) / curated if curated else 0.0,
                sum(r.correct[a] for r in results) / drafted if drafted else 0.0) for a in ASPECTS}


def report(results: list[SourceResult], groups: dict[str, list[SourceResult]] | None = None) -> list[str]:
    """The evaluation table (a row per source, overall, then a row per named group of sources),
    then every miss, false figure and wrong reading."""
    head = ["source", "curated", "drafted"] + [f"{a} R/P" for a in ASPECTS]
    rows = []
    named = [(r.source.iri.rsplit("/", 1)[-1], [r]) for r in results] + [("overall", results)]
    for name, group in named + list((groups or {}).items()):
        cur = sum(len(g.source.curated) for g in group)
        dra = sum(len(g.drafted) for g in group)
        cells = [name, str(cur), str(dra)]
        for a in ASPECTS:
            ok = sum(g.correct[a] for g in group)
            cells.append(f"{100 * ok / cur if cur else 0:5.1f}% / {100 * ok / dra if dra else 0:5.1f}%")
        rows.append(cells)
    widths = [max(len(x[i]) for x in rows + [head]) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(row, widths)) for row in [head] + rows]
    for r in results:
        name = r.source.iri.rsplit("/", 1)[-1]
        for c in r.misses:
            lines.append(f"miss   {name} [{c.start}:{c.end}] {c.value} {c.unit}: {c.exact!r}")
        for f in r.false_figures:
            lines.append(f"false  {name} [{f.start}:{f.end}] {f.value.normalize():f} {f.unit}: {f.exact!r} ({'; '.join(f.rules)})")
        for c, f in r.pairs:
            for aspect, want, got in (("period", c.period, f.period), ("qualifier", c.qualifier, f.qualifier),
                                      ("indicator", c.indicator, str(f.indicator.iri) if f.indicator else None)):
                if want != got:
                    lines.append(f"wrong  {name} [{c.start}:{c.end}] {aspect}: {_short(got)} instead of {_short(want)} in {c.exact!r}")
    return lines


def _short(iri: str | None) -> str:
    if iri is None:
        return "none"
    return iri.replace("http://reference.data.gov.uk/id/", "").replace("T00:00:00", "").rsplit("/indicator/", 1)[-1]


def project_graph(project) -> Graph:
    """The project's graph as `kg build` assembles it (every named graph merged), without writing dist/."""
    from ..build import assemble
    from ..rdfio import union_of

    return union_of(assemble(project))
