"""Candidate periods of each drafted figure (the rules' own choice, the day and year of publication, the time words
of its sentence, the carried reporting period, the previous figure's, the title's, the text's most frequent, the last
interval stated) and the features the learned period chooser (period_model.py) scores them by."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from datetime import date
from pathlib import Path

from .context import context_period, present_tense, time_context
from .figures import _CLAUSE_END, _SENTENCE_END, Figure, _containing, _spans, period_reason, stock_or_flow
from .periods import TimeExpression, day_iri, find_time_expressions, year_iri, years_iri
from .rules import Rules, load_rules

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

CUES = Path(__file__).parent / "period-cues.toml"
_CJK = re.compile(r"[\u4e00-\u9fff]")
KINDS = ("day", "year", "months", "years")
# where a candidate comes from: the rules' choice, publication, the figure's sentence (its clause or not, before or
# after the figure, the nearest on each side), the carried reporting period, the previous figure, the title or lead,
# the text's most frequent drafted period, the last interval of months and the last period stated before the figure
SOURCES = ("rule", "published-day", "published-year", "year-before", "clause-before", "clause-after", "sentence-before",
           "sentence-after", "nearest-before", "nearest-after", "context-document", "context-paragraph",
           "previous-figure", "title", "frequent", "last-interval", "last-stated")
NUMERIC = ("bias", "sources", "text-mentions", "drafted-share", "log-distance", "adjacent")
# (round 2) document-level: the share of the text's time words of the candidate's kind, and of its drafted periods
DOCUMENT = tuple(f"{kind}&{name}" for kind in KINDS for name in ("text-kind-share", "drafted-kind-share"))


@dataclass
class Candidate:
    """One period a figure may be of, where it came from (source kinds) and its features."""

    period: str
    sources: set[str] = field(default_factory=set)
    features: dict[str, float] = field(default_factory=dict)


@lru_cache(maxsize=4)
def load_cues(path: Path = CUES) -> dict[str, dict[str, re.Pattern]]:
    """The cue words of period-cues.toml, compiled: {"before": {name: pattern}, "after": {...}}; read once per file
    and process (candidates() asks for them on every text; the result is not to be changed)."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    return {side: {name: re.compile(pattern, re.I) for name, pattern in cues.items()} for side, cues in data.items()}


def known_feature(name: str, cues: dict[str, dict[str, re.Pattern]] | None = None) -> bool:
    """Whether `name` is a feature this module makes (so a model file's features can be checked against the code)."""
    cues = cues or load_cues()
    said = [f"cue-{side}={cue}" for side in ("before", "after") for cue in cues.get(side, cues["before"])]
    trait = "|".join([r"reason=[\w.-]+", "flow=(?:stock|flow|untold)", "tense=(?:present|past)", "lang=(?:en|zh)",
                      r"unit=[A-Z_]+", r"kind=[\w-]+", r"sentence-times=(?:0|1|2-3|4\+)", "text-(?:no-)?months",
                      "in-(?:summary|body)", "(?:first|later)-paragraph", r"indicator=[\w.-]+", "count-of-zones",
                      "date-year-only", f"doc-period=(?:{'|'.join(KINDS)}|none)", f"title-period=(?:{'|'.join(KINDS)}|none)"] + [re.escape(c) for c in said])
    kinds, sources = "|".join(KINDS), "|".join(SOURCES)
    return re.fullmatch("|".join([
        "|".join(NUMERIC), "|".join(DOCUMENT), f"is=(?:{kinds})", f"src=(?:{sources})(?:&reason=[\\w.-]+)?", f"(?:{kinds}|rule)&(?:{trait})",
        f"(?:{kinds})&year-offset=(?:-[123]|0|1)", r"constructed-by=[\w.-]+", f"(?:{kinds})&latest-year-stated"]), name) is not None


def period_kind(iri: str) -> str:
    """The kind of a period IRI: day, year, months (an interval of months) or years (of several years)."""
    if "/day/" in iri:
        return "day"
    if "/year/" in iri:
        return "year"
    return "months" if iri.endswith("M") else "years"


def _count_of_zones(figure: Figure, text: str, clause: tuple[int, int], rules: Rules) -> bool:
    """Whether a figure counts the zones themselves (C1: "the 169 national high-tech zones", 178家国家高新区), with no
    time word of its own before it in its clause: the test the rules make of a count that is a sentence's subject."""
    return (figure.unit == "NUM" and figure.kind == "level"
            and rules.area_count_after.match(text[figure.end:figure.end + 60]) is not None
            and rules.area_count_stated_before.search(text[max(clause[0], figure.start - 40):figure.start]) is None)


def _bucket(value: float) -> str:
    return "0" if value <= 0 else "1" if value <= 1 else "2-3" if value <= 3 else "4+"


@dataclass
class _Text:
    """What the candidates of every figure of one text are read from."""

    text: str
    published: date
    precise: bool
    expressions: list[TimeExpression]
    sentences: list[tuple[int, int]]
    paragraphs: list[tuple[int, int]]
    body_start: int
    context: object
    title_period: str | None
    frequent_period: str | None
    has_months: bool
    document_period: str | None = None  # the reporting period the text states for its figures (context.py), if any
    kind_share: dict[str, float] = field(default_factory=dict)  # each kind's share of the text's time words


def _read_text(text: str, published: date, precise: bool, figures: list[Figure], rules: Rules) -> _Text:
    expressions = [t for t in find_time_expressions(text, published, rules, precise)
                   if t.period not in ("decade", "previous-year")]
    sentences = _spans(_SENTENCE_END, text, 0, len(text))
    context = time_context(text, expressions, rules, sentences, [f.start for f in figures], published)
    title = [t.period for t in expressions if t.start < max(context.body_start, 1)]
    if not title:  # no summary lines: the lead's first period
        lead = next((e for s, e in context.paragraphs if s >= context.body_start and text[s:e].strip()), len(text))
        title = [t.period for t in expressions if t.start < lead]
    counted = Counter(f.period for f in figures if f.period)
    frequent = min(counted, key=lambda p: (-counted[p], p)) if counted else None
    reported = [t for t in context.reporting if t.start >= context.body_start] or list(context.reporting)
    document = reported[0] if reported else None  # the first reporting period of the body
    kinds = Counter(period_kind(t.period) for t in expressions)
    return _Text(text, published, precise, expressions, sentences, list(context.paragraphs), context.body_start, context,
                 title[0] if title else None, frequent, any(period_kind(t.period) == "months" for t in expressions),
                 document.period if document is not None else None,
                 {kind: kinds[kind] / len(expressions) for kind in KINDS} if expressions else {})


def candidates(text: str, published: date, precise: bool, figures: list[Figure], rules: Rules | None = None,
               cues: dict[str, dict[str, re.Pattern]] | None = None) -> list[list[Candidate]]:
    """The candidate periods of each figure of `figures` (as `extract` drafted them from `text`), with features."""
    rules = rules or load_rules()
    cues = cues or load_cues()
    read = _read_text(text, published, precise, figures, rules)
    return [_figure_candidates(read, figures, i, rules, cues) for i in range(len(figures))]


def _add(found: dict[str, Candidate], period: str | None, source: str) -> None:
    if period and period not in ("decade", "previous-year"):
        found.setdefault(period, Candidate(period)).sources.add(source)


def _figure_candidates(read: _Text, figures: list[Figure], i: int, rules: Rules,
                       cues: dict[str, dict[str, re.Pattern]]) -> list[Candidate]:
    figure, text, published = figures[i], read.text, read.published
    sentence = _containing(read.sentences, figure.start) if any(s <= figure.start < e for s, e in read.sentences) \
        else (figure.start, figure.end)
    clause = _containing(_spans(_CLAUSE_END, text, *sentence), figure.start) if text[sentence[0]:sentence[1]].strip() \
        else sentence
    paragraph = next((n for n, (s, e) in enumerate(read.paragraphs) if s <= figure.start <= e), 0)
    found: dict[str, Candidate] = {}
    _add(found, figure.period, "rule")
    pubday = day_iri(published) if read.precise else years_iri(published.year, published.year)
    _add(found, pubday, "published-day")
    _add(found, year_iri(published.year), "published-year")
    _add(found, year_iri(published.year - 1), "year-before")
    in_sentence = [t for t in read.expressions if sentence[0] <= t.start < sentence[1]]
    positions: dict[str, list[TimeExpression]] = {}
    for t in in_sentence:
        where = "clause" if clause[0] <= t.start < clause[1] else "sentence"
        side = "before" if t.end <= figure.start else "after"
        _add(found, t.period, f"{where}-{side}")
        positions.setdefault(t.period, []).append(t)
    for carry in ("document", "paragraph"):
        host = context_period(read.context, sentence[0], carry)[0]  # type: ignore[arg-type]
        _add(found, host.period if host is not None else None, f"context-{carry}")
    if i > 0:
        _add(found, figures[i - 1].period, "previous-figure")
    _add(found, read.title_period, "title")
    _add(found, read.frequent_period, "frequent")
    earlier = [t for t in read.expressions if t.end <= figure.start]
    months = [t for t in earlier if period_kind(t.period) == "months"]
    _add(found, months[-1].period if months else None, "last-interval")
    _add(found, earlier[-1].period if earlier else None, "last-stated")
    # what the figure is: the same for every candidate, crossed with each candidate's kind
    reason = period_reason(figure)
    flow = stock_or_flow(figure, text, clause, rules) or "untold"
    present = "present" if present_tense(text, clause, figure.start, figure.end, rules) else "past"
    lang = "zh" if _CJK.search(text, *sentence) else "en"
    before, after = text[sentence[0]:figure.start], text[figure.end:sentence[1]]
    said = [f"cue-{side}={name}" for side, words in (("before", before), ("after", after))
            for name, pattern in cues.get(side, cues["before"]).items() if pattern.search(words)]
    traits = [f"reason={reason}", f"flow={flow}", f"tense={present}", f"lang={lang}", f"unit={figure.unit}",
              f"kind={figure.kind}", f"sentence-times={_bucket(len(in_sentence))}",
              "text-months" if read.has_months else "text-no-months",
              "in-summary" if figure.start < read.body_start else "in-body",
              "first-paragraph" if paragraph <= 1 else "later-paragraph",
              f"indicator={str(figure.indicator.iri).rsplit('/', 1)[-1] if figure.indicator is not None else 'new'}",
              # (round 2) what the rules read and the ranker lacked: a count of the zones themselves (C1), a date known
              # only to its year, and the text's own decision: the kind of the period it reports, and its title's
              f"doc-period={period_kind(read.document_period) if read.document_period else 'none'}",
              f"title-period={period_kind(read.title_period) if read.title_period else 'none'}"] + said
    if _count_of_zones(figure, text, clause, rules):
        traits.append("count-of-zones")
    if not read.precise:
        traits.append("date-year-only")
    nearest = {"nearest-before": max((t for t in in_sentence if t.end <= figure.start), key=lambda t: t.end, default=None),
               "nearest-after": min((t for t in in_sentence if t.start >= figure.end), key=lambda t: t.start, default=None)}
    for name, near in nearest.items():
        if near is not None:
            found[near.period].sources.add(name)
    latest = max((t.last_year for t in read.expressions if t.last_year <= published.year), default=None)
    text_periods = Counter(t.period for t in read.expressions)
    drafted = Counter(f.period for f in figures if f.period)
    drafted_kinds = Counter(period_kind(f.period) for f in figures if f.period)
    out = []
    for period, candidate in sorted(found.items()):
        kind = period_kind(period)
        f = candidate.features
        f["bias"] = 1.0
        f[f"is={kind}"] = 1.0
        for source in candidate.sources:
            f[f"src={source}"] = 1.0
            f[f"src={source}&reason={reason}"] = 1.0
        f["sources"] = math.log1p(len(candidate.sources))
        if candidate.sources == {"rule"}:  # a period the rules computed (a change's span, a base year's, an origin)
            f[f"constructed-by={reason}"] = 1.0
        for trait in traits:
            f[f"{kind}&{trait}"] = 1.0
        if "rule" in candidate.sources:
            for trait in traits:
                f[f"rule&{trait}"] = 1.0
        first = re.search(r"/(\d{4})", period.rsplit("/id/", 1)[-1])
        year = int(first.group(1)) if first else published.year
        f[f"{kind}&year-offset={max(-3, min(1, year - published.year))}"] = 1.0
        if latest is not None and year == latest:
            f[f"{kind}&latest-year-stated"] = 1.0
        f["text-mentions"] = math.log1p(text_periods[period])
        f["drafted-share"] = drafted[period] / len(figures)
        f[f"{kind}&text-kind-share"] = read.kind_share.get(kind, 0.0)
        f[f"{kind}&drafted-kind-share"] = drafted_kinds[kind] / len(figures)
        if period in positions:
            distance = min(abs(t.start - figure.start) for t in positions[period])
            f["log-distance"] = math.log1p(distance)
            f["adjacent"] = 1.0 if distance <= 12 else 0.0
        out.append(candidate)
    return out
