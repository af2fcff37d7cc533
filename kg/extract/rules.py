"""The extractor's rules, read once from patterns.toml (the data) and compiled."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

PATTERNS = Path(__file__).with_name("patterns.toml")


@dataclass(frozen=True)
class ContextRule:
    """A rule that looks at the words before and/or after a number."""

    rule: str
    before: re.Pattern | None = None
    after: re.Pattern | None = None
    before_not: re.Pattern | None = None
    after_not: re.Pattern | None = None
    extra: dict = field(default_factory=dict, hash=False, compare=False)

    def matches(self, before: str, after: str) -> re.Match | bool:
        """True (or the after-match) when every given pattern holds around the number."""
        if self.before_not is not None and self.before_not.search(before):
            return False
        if self.after_not is not None and self.after_not.search(after):
            return False
        found_before = self.before.search(before) if self.before is not None else True
        found_after = self.after.search(after) if self.after is not None else True
        if not found_before or not found_after:
            return False
        return found_after if isinstance(found_after, re.Match) else (found_before or True)


@dataclass(frozen=True)
class Rules:
    """Every compiled rule of patterns.toml."""

    scales: dict[str, Decimal]
    scale_after: re.Pattern  # a scale word right after the digits: group 1 English, group 2 Chinese
    word_numbers: dict[str, int]
    scale_word_before: re.Pattern  # a verb of reaching or passing before a scale word with no digit (突破千亿元)
    scale_word: re.Pattern
    scale_word_digits: dict[str, int]
    scale_word_units: dict[str, str]
    scale_word_count: re.Pattern  # (round 8) 突破万家: a count written with a scale word and no digit
    scale_word_count_scales: dict[str, int]
    zh_numerals: dict[str, int]
    multiplier_verbs: dict[str, int]
    units: list[ContextRule]
    qualifiers: list[ContextRule]
    exclusions: list[ContextRule]
    comparisons: list[ContextRule]
    comparison_markers: list[re.Pattern]
    inherit_markers: list[re.Pattern]
    refer_back_markers: list[re.Pattern]
    months: dict[str, int]
    quarters: dict[str, int]
    quarter_numbers: dict[str, int]
    periods: list[tuple[str, re.Pattern, str]]
    synonyms: dict[str, str]
    five_year_plans: dict[str, int]
    fractions: dict[str, Decimal]
    shared_unit_after: re.Pattern
    currency_elided_after: re.Pattern
    bare_amount_scales: frozenset[str]  # (round 11) 突破600亿: a Chinese amount written with 亿 and no unit is in yuan
    bare_amount_not_after: re.Pattern  # ... unless a measure word after it counts something else (3亿株)
    bare_amount_scales_en: frozenset[str]  # "was 14.68 billion, accounting for": no noun after billion, an amount
    bare_amount_after_en: re.Pattern
    items_before_start: re.Pattern  # (round 8) where a list of items named before a count starts
    items_before_separator: str
    items_after: re.Pattern  # (round 8) a list of items named after a count and its noun
    items_after_separator: str
    items_last_joined: re.Pattern  # the word that joins a list's last two items
    area_count_after: re.Pattern
    area_count_stated_before: re.Pattern
    zh_count_gap: re.Pattern
    context_sets: frozenset[str]
    context_carry: str
    context_targets: frozenset[str]  # (round 9) time words that state a plan's target year ("by 2025", 到“十四五”末)
    context_within_year: frozenset[str]  # (round 8) spans shorter than a year: reporting periods without a figure
    tense: re.Pattern
    span_markers: list[re.Pattern]
    plan_targets: re.Pattern
    base_before: re.Pattern
    attached_after: re.Pattern
    multiple: re.Pattern
    subset_markers: list[re.Pattern]
    subset_subjects: list[re.Pattern]
    subset_lead_in: list[re.Pattern]
    rate_markers: list[re.Pattern]
    growth_subject: re.Pattern
    area_words: frozenset[str]
    other_area: re.Pattern
    stock_words: list[re.Pattern]
    flow_words: list[re.Pattern]
    stock_moment: list[re.Pattern]
    flow_after: re.Pattern
    existential_before: re.Pattern  # (round 8) 有 right before a count: it only introduces what is counted
    event_after: re.Pattern  # (round 8) a verb of events after the counted noun: the count is a flow
    list_item: re.Pattern
    ranked_among_after: re.Pattern
    ranked_among_before: re.Pattern
    stock_not_taken_from: frozenset[str]
    share_opening: re.Pattern  # (round 8) the words opening a share's piece (占, "accounting for")
    year_amount_after: re.Pattern  # (round 8) four digits followed by a scale word or unit: an amount, no year
    first_year: int  # (round 8) the earliest year a carried reporting period may be of (the first zone's)
    bracketed_year: re.Pattern  # (round 8) a year in brackets is a label: carried only where another statement agrees
    origin_year: re.Pattern  # (round 9) where a text states the year of a zone's origin (成立于1991年, "founded in 1991")
    aside: re.Pattern  # (round 9) an aside in brackets: its time words date only the figures inside it
    origin_start_before: re.Pattern  # (round 10) an undated starting point ("from 90 to over 1,100"): the origin's year
    change_span: re.Pattern  # (round 10, C3) a change right after its dated start and end (从2030年的X增至2039年的Y,增长2倍)
    context_own_sentence: frozenset[str]  # (round 10) time words that state a reporting period only where their sentence has figures


_END = re.compile(r"(?<!\\)\$")


def _at_end(pattern: str) -> re.Pattern:
    """A pattern whose `$` means the very end of the words before a number: Python's `$` also matches before
    a last newline, which would read "Exports\n" + "62 percent" as a number right after a letter (a name)."""
    return re.compile(_END.sub(r"\\Z", pattern))


def _context(entry: dict, keys: tuple[str, ...] = ()) -> ContextRule:
    def compiled(name: str) -> re.Pattern | None:
        return _at_end(entry[name]) if name in entry else None

    pattern = entry.get("pattern")
    before, after = compiled("before"), compiled("after")
    if pattern is not None:  # units: a prefix pattern looks before, a suffix one after
        if entry.get("where") == "prefix":
            before = _at_end(pattern)
        else:
            after = _at_end(pattern)
    return ContextRule(
        rule=entry["rule"], before=before, after=after,
        before_not=compiled("before_not"), after_not=compiled("after_not"),
        extra={k: v for k, v in entry.items() if k not in ("rule", "before", "after", "pattern", "where")},
    )


def _scale_after(scales: dict[str, str]) -> re.Pattern:
    """The scale words, longest first: English ones after an optional space, Chinese ones right after the digits."""
    words = sorted(scales, key=len, reverse=True)
    english = "|".join(re.escape(w) for w in words if w.isascii())
    chinese = "|".join(re.escape(w) for w in words if not w.isascii())
    return re.compile(rf"^(?:[\s-]?({english})\b|({chinese}))", re.I)  # "2-Billion-Yuan" in a headline


@cache
def load_rules(path: Path = PATTERNS) -> Rules:
    """Read and compile the rule data (cached: the file is read once)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    return Rules(
        scales={k: Decimal(v) for k, v in data["scales"].items()},
        scale_after=_scale_after(data["scales"]),
        word_numbers=dict(data["word_numbers"]),
        scale_word_before=_at_end(data["scale_words"]["before"]),
        scale_word=re.compile(data["scale_words"]["pattern"]),
        scale_word_digits=dict(data["scale_words"]["digits"]),
        scale_word_units=dict(data["scale_words"]["units"]),
        scale_word_count=re.compile(data["scale_words"]["count_pattern"]),
        scale_word_count_scales=dict(data["scale_words"]["count_scales"]),
        zh_numerals=dict(data["zh_numerals"]),
        multiplier_verbs=dict(data["multiplier_verbs"]),
        units=[_context(e) for e in data["units"]],
        qualifiers=[_context(e) for e in data["qualifiers"]],
        exclusions=[_context(e) for e in data["exclusions"]],
        comparisons=[_context(e) for e in data["comparisons"]],
        comparison_markers=[re.compile(p) for p in data["markers"]["comparison"]],
        inherit_markers=[re.compile(p) for p in data["markers"]["inherit"]],
        refer_back_markers=[re.compile(p) for p in data["markers"]["refer_back"]],
        months=dict(data["months"]),
        quarters=dict(data["quarters"]),
        quarter_numbers=dict(data["quarter_numbers"]),
        periods=[(e["rule"], re.compile(e["pattern"]), e["resolve"]) for e in data["periods"]],
        synonyms=dict(data["synonyms"]),
        five_year_plans=dict(data["five_year_plans"]),
        fractions={k: Decimal(v) for k, v in data["fractions"].items()},
        shared_unit_after=re.compile(data["lists"]["shared_unit_after"]),
        currency_elided_after=re.compile(data["lists"]["currency_elided_after"]),
        bare_amount_scales=frozenset(data["lists"]["bare_amount_scales"]),
        bare_amount_not_after=re.compile(data["lists"]["bare_amount_not_after"]),
        bare_amount_scales_en=frozenset(data["lists"]["bare_amount_scales_en"]),
        bare_amount_after_en=re.compile(data["lists"]["bare_amount_after_en"]),
        items_before_start=re.compile(data["lists"]["items_before_start"]),
        items_before_separator=data["lists"]["items_before_separator"],
        items_after=re.compile(data["lists"]["items_after"]),
        items_after_separator=data["lists"]["items_after_separator"],
        items_last_joined=re.compile(data["lists"]["items_last_joined"]),
        area_count_after=re.compile(data["counts"]["area_after"]),
        area_count_stated_before=re.compile(data["counts"]["stated_before"]),
        zh_count_gap=re.compile(data["counts"]["zh_gap"]),
        context_sets=frozenset(data["context"]["sets"]),
        context_carry=data["context"]["carry"],
        context_within_year=frozenset(data["context"]["within_year"]),
        context_targets=frozenset(data["context"]["target_sets"]),
        tense=re.compile(f"(?P<present>{data['context']['present']})|(?P<past>{data['context']['past']})", re.I),
        plan_targets=re.compile(data["context"]["targets"]),
        span_markers=[re.compile(p) for p in data["context"]["span_refer_back"]],
        base_before=re.compile(data["context"]["base_before"]),
        attached_after=re.compile(data["context"]["attached_after"]),
        multiple=re.compile(data["context"]["multiple"]),
        subset_markers=[re.compile(p) for p in data["subsets"]["words"]],
        subset_subjects=[re.compile(p) for p in data["subsets"]["subjects"]],
        subset_lead_in=[re.compile(p) for p in data["subsets"]["lead_in"]],
        rate_markers=[re.compile(p) for p in data["subsets"]["rates"]],
        growth_subject=re.compile(data["subsets"]["growth_subject"]),
        area_words=frozenset(data["subsets"]["area_words"]),
        other_area=re.compile(data["subsets"]["other_area"]),
        stock_words=[re.compile(p) for p in data["stock_flow"]["stock"]],
        flow_words=[re.compile(p) for p in data["stock_flow"]["flow"]],
        flow_after=re.compile(data["stock_flow"]["flow_after"]),
        existential_before=_at_end(data["stock_flow"]["existential_before"]),
        event_after=re.compile(data["stock_flow"]["event_after"]),
        list_item=re.compile(data["stock_flow"]["list_item"]),
        ranked_among_after=re.compile(data["stock_flow"]["ranked_among_after"]),
        ranked_among_before=_at_end(data["stock_flow"]["ranked_among_before"]),
        stock_moment=[re.compile(p) for p in data["stock_flow"]["moment"]],
        stock_not_taken_from=frozenset(data["stock_flow"]["not_taken_from"]),
        share_opening=re.compile(data["stock_flow"]["share_opening"]),
        year_amount_after=re.compile(data["year_guard"]["amount_after"]),
        first_year=int(data["year_guard"]["first_year"]),
        bracketed_year=re.compile(data["year_guard"]["bracketed_year"]),
        origin_year=re.compile(data["origin"]["year"]),
        aside=re.compile(data["origin"]["aside"]),
        context_own_sentence=frozenset(data["context"]["own_sentence"]),
        change_span=re.compile(data["context"]["change_span"]),
        origin_start_before=_at_end(data["origin"]["start_before"]),
    )
