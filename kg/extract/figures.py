"""Draft the figures of a text: each number that is a figure, with its unit, qualifier, kind,
period (resolved against the published date) and indicator, and the rules that decided each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from .context import TimeContext, comparison_base, context_period, present_tense, target_period, time_context
from .indicators import Indicator, match, proposed_label, weights
from .numbers import Number, find_numbers
from .periods import (TimeExpression, day_iri, find_time_expressions, interval_iri, resolve_decade, resolve_previous_year,
                      year_iri, years_iri)
from .rules import Rules, load_rules

_SENTENCE_END = re.compile(r"(?<![A-Z]\.[A-Z])(?<!\b[A-Z])(?<!Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"
                           r"(?<!\bMr|\bMs|\bDr|\bNo|\bSt)[.!?](?=\s+[\"“A-Z(])|[。！？]|\n+")
_FROM_FIGURE = re.compile(r"\bfrom\s+(?:about\s+|nearly\s+|less\s+than\s+|over\s+|more\s+than\s+)?(?:CNY|RMB|\$)?\d")
_CLAUSE_END = re.compile(r",\s+and\s+|;\s*|；|,\s+while\s+")


@dataclass
class Figure:
    """One drafted observation: the figure's words, its value and what the extractor read around it."""

    start: int
    end: int
    exact: str
    value: Decimal
    unit: str
    kind: str
    qualifier: str | None
    period: str | None
    indicator: Indicator | None
    indicator_score: float
    proposed_indicator: str | None
    confidence: float
    rules: list[str] = field(default_factory=list)


def period_reason(figure: Figure) -> str:
    """The first word of the rules' reason for the figure's period ("inherited", "before", "context", ...; "none"),
    read alike inside the period chooser's `period=model P (over rule: REASON)`."""
    reason = next((r.split("=", 1)[1] for r in figure.rules if r.startswith("period=")), "none")
    if chosen := re.fullmatch(r"model [\d.]+ \(over rule: (.*)\)", reason):
        reason = chosen.group(1)
    return re.split(r"[:+ ]", reason, maxsplit=1)[0]


def _spans(pattern: re.Pattern, text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split text[start:end] at the pattern's matches, as absolute (start, end) pairs."""
    pieces, at = [], start
    for m in pattern.finditer(text, start, end):
        if m.end() > at:
            pieces.append((at, m.end()))
            at = m.end()
    if at < end:
        pieces.append((at, end))
    return [(s, e) for s, e in pieces if text[s:e].strip()]


def _containing(pieces: list[tuple[int, int]], position: int) -> tuple[int, int]:
    return next((s, e) for s, e in pieces if s <= position < e)


def extract(text: str, published: date, lang: str = "en", indicators: list[Indicator] | None = None,
            rules: Rules | None = None, precise: bool = True, periods: str = "rules") -> list[Figure]:
    """The figures of `text` published on `published`, in text order.

    With `precise` False the date is known only to its year: "now" is that year, not that day. With `periods`
    "model" the learned chooser (period_model.py) re-chooses each period among the rules' candidates."""
    rules = rules or load_rules()
    indicators = indicators or []
    numbers = [n for n in find_numbers(text, rules) if n.excluded is None]
    expressions = find_time_expressions(text, published, rules, precise)
    sentences = _spans(_SENTENCE_END, text, 0, len(text))
    weight = weights([text[s:e] for s, e in sentences], rules)
    context = time_context(text, expressions, rules, sentences, [n.digits_start for n in numbers], published)
    figures: list[Figure] = []
    previous_period: tuple[int, str] | None = None  # (sentence start, period) of the last figure
    for number in numbers:
        if any(number.digits_start >= f.start and number.digits_end <= f.end for f in figures):
            continue  # part of a figure already read ("more than tripled")
        sentence = _containing(sentences, number.digits_start)
        clauses = _spans(_CLAUSE_END, text, *sentence)
        clause = _containing(clauses, number.digits_start)
        figure = _read(number, text, rules, clause)
        in_sentence = [t for t in expressions if sentence[0] <= t.start < sentence[1]]
        in_sentence = [resolve_decade(t, in_sentence, published) if t.period == "decade" else t for t in in_sentence]
        if any(t.period == "previous-year" for t in in_sentence):
            reported = context_period(context, sentence[0], "document")[0]
            fallback = reported.last_year if reported is not None else published.year
            in_sentence = [resolve_previous_year(t, in_sentence, fallback) if t.period == "previous-year" else t
                           for t in in_sentence]
        if not rules.plan_targets.search(text, *sentence):  # a running plan's period dates only its targets
            in_sentence = [t for t in in_sentence if t.rule != "plan-period" or t.last_year < published.year]
        later = [n for n in numbers if n.digits_start > figure.end and n.digits_start < sentence[1]]
        next_start = later[0].start if later else sentence[1]
        period, period_rule = _period(figure, in_sentence, clause, next_start, text, sentence, rules,
                                      previous_period, published, precise, context)
        if (span := change_span(text, sentence, figure.start, rules)) is not None:
            period, period_rule = span, "change-span"
        elif not in_sentence and (origin := origin_start(text, sentence, figure.start, rules)) is not None:
            period, period_rule = origin, "origin-start"
        if period_rule.endswith("since-this-year"):
            period = _year_to_date(period, context, published)
        if period_rule.endswith("since-year"):
            period = since_to_reported(period, in_sentence, context_period(context, sentence[0], "document")[0], published)
        if _stock_at_publication(figure, text, clause, rules, period, period_rule):
            period = day_iri(published) if precise else years_iri(published.year, published.year)
            period_rule = f"stock:{period_rule}"
        whole = share_of(figure, text, clause, rules, [f for f in figures if f.start >= sentence[0]], in_sentence)
        if whole is not None and whole.period is not None:
            period, period_rule = whole.period, f"share-of:{period_rule}"
        figure.period, figure.rules = period, figure.rules + [f"period={period_rule}"]
        if (period_rule not in ("inherited", "default-published-date") and not period_rule.startswith(("base-", "stock:"))
                and not period_rule.endswith(":now")):
            # only a period the text states for the figures is passed on (not a starting point's year, nor
            # "currently": a clause in the present, not a period the following growth figures are of)
            previous_period = (sentence[0], period)
        figure.confidence -= 0.2 if period_rule == "default-published-date" else 0.1 if period_rule.startswith(
            ("inherited", "context", "summary")) else 0.0
        lead_end = next((n.digits_start for n in numbers if sentence[0] <= n.digits_start < sentence[1]), sentence[1])
        own = _own_piece(figure, numbers, clause, text)
        _indicator(figure, text, own or clause, indicators, rules, weight, sentence, lead_end)
        if own is not None and figure.indicator is None and "indicator=subset" not in figure.rules:
            figure.rules = [r for r in figure.rules if r != "indicator=proposed"]
            figure.confidence += 0.2
            _indicator(figure, text, clause, indicators, rules, weight, sentence, lead_end)
        if figure.indicator is None and figure.kind != "level":
            _name_after_compared(figure, [f for f in figures if f.start >= sentence[0] and f.kind == "level"])
        figure.confidence = round(max(0.05, min(1.0, figure.confidence)), 2)
        figures.append(figure)
    figures = _headline_periods(figures, text, context.body_start)
    if periods == "model":
        from .period_model import apply_model

        figures = apply_model(figures, text, published, precise, rules)
    return figures


def origin_start(text: str, sentence: tuple[int, int], start: int, rules: Rules) -> str | None:
    """(round 10) The origin's year for an undated starting point ("went from 90 to over 1,100") in a text that states
    the year its zone was set up ("since its establishment in 1992"), else None."""
    if rules.origin_start_before.search(text, sentence[0], start) is None:
        return None
    stated = rules.origin_year.search(text)
    return year_iri(int(next(v for v in stated.groups() if v))) if stated else None


def change_span(text: str, sentence: tuple[int, int], start: int, rules: Rules) -> str | None:
    """(round 10, C3) The years a change is over where it follows its dated starting point and end point in its
    sentence (从2030年的5万亿元增至2039年的15万亿元,增长2倍: 2030-2039), else None."""
    found = rules.change_span.search(text, sentence[0], start)
    if found is None or found.end() != start or int(found.group("y2")) <= int(found.group("y1")):
        return None
    return years_iri(int(found.group("y1")), int(found.group("y2")))


def _own_piece(figure: Figure, numbers: list[Number], clause: tuple[int, int], text: str) -> tuple[int, int] | None:
    """(round 8) An English amount's own words where its clause states several amounts ("The zone's revenue reached
    521.5 billion yuan, exports totaled 87.6 billion yuan and gross industrial output value reached 443.4 billion
    yuan"): from the end of the amount before it to the start of the one after it. None where there is no other
    amount in the clause, or the clause is Chinese (read by its pieces already)."""
    if figure.kind != "level" or not figure.unit.startswith("CCY_") or _CJK.search(text, *clause):
        return None
    amounts = [n for n in numbers if clause[0] <= n.digits_start < clause[1] and n.unit.startswith("CCY_")
               and not (n.start >= figure.start and n.end <= figure.end)]
    before = [n.end for n in amounts if n.end <= figure.start]
    after = [n.start for n in amounts if n.start >= figure.end]
    if not before and not after:
        return None
    return (max(before) if before else clause[0], min(after) if after else clause[1])


def _year_to_date(period: str, context: TimeContext, published: date) -> str:
    """今年以来 ends where the interval the text states its figures cover ends (前三季度), when the text states
    one from January of the year of publication; else it keeps its end, the month before publication (C4)."""
    stated = [t.period for t in context.reporting if f"/{published.year}-01-01T" in t.period]
    return stated[0] if stated else period


def since_to_reported(period: str, in_sentence: list[TimeExpression], reported: TimeExpression | None,
                      published: date) -> str:
    """(round 9) "Since 2004" (2004年以来) runs to the last year the text reports, not to the day of publication: the
    latest whole year its sentence names (2011年 ... 2004年以来), else the text's reporting year, when that year is
    before the year of publication, as 今年以来 ends where the text's stated interval ends (C4)."""
    first = re.search(r"gregorian-interval/(\d{4})-01-01T", period)
    if first is None:
        return period
    years = [t.last_year for t in in_sentence if "/year/" in t.period]
    if not years and reported is not None and "/year/" in reported.period:
        years = [reported.last_year]
    ends = [y for y in years if int(first.group(1)) < y < published.year]
    return years_iri(int(first.group(1)), max(ends)) if ends else period


def stock_or_flow(figure: Figure, text: str, clause: tuple[int, int], rules: Rules) -> str | None:
    """"stock", "flow" or None (not told), from the words that govern the figure (C5): a counter of events
    after it (次) is a flow, and so is a count that 有 introduces before a verb of events (有592个项目获得立项); in its own piece of the clause (from the last comma) a flow word wins over a stock
    word; a piece with neither that is an item of a list (以及, "as well as") takes the last stock or flow word of its clause before it.
    The field a ranking is taken among ("在160家开发区中排名第5位", "ranked 4th among 150 parks") is a stock."""
    if rules.flow_after.search(text, figure.start, figure.end + 12):
        return "flow"
    if (rules.existential_before.search(text[clause[0]:figure.start])
            and rules.event_after.match(text[figure.end:clause[1]])):
        return "flow"  # 有592个项目获得立项: 有 introduces the projects, 获得立项 is what they did in the period
    if figure.unit == "NUM" and (rules.ranked_among_after.match(text[figure.end:clause[1]])
                                 or rules.ranked_among_before.search(text, clause[0], figure.start)):
        return "stock"  # the field a ranking is taken among (在160家开发区中排名第5位)
    cut = [m.end() for m in _PIECE_END.finditer(text, clause[0], figure.start)]
    piece = text[cut[-1] if cut else clause[0]:figure.start]
    if any(p.search(piece) for p in rules.flow_words):
        return "flow"
    if any(p.search(piece) for p in rules.stock_words):
        return "stock"
    if not rules.list_item.match(piece):
        return None
    before = text[clause[0]:figure.start]
    found = [(m.end(), kind) for kind, patterns in (("stock", rules.stock_words), ("flow", rules.flow_words))
             for p in patterns for m in p.finditer(before)]
    return max(found)[1] if found else None


def share_of(figure: Figure, text: str, clause: tuple[int, int], rules: Rules, earlier: list[Figure],
             in_sentence: list[TimeExpression]) -> Figure | None:
    """The figure a share or a multiple is of (企业34家,占全市的25.56%; "15 firms, accounting for 62 percent"; 107件,
    相当于全国平均水平的10倍): the last level of
    another unit stated before it in its sentence, when the share's own piece opens with 占 / "accounting for" and
    states no time of its own. A share of a whole is of that whole's moment or period (a stock's, a flow's)."""
    if not (figure.unit == "PERCENT" and figure.kind == "level" or figure.kind == "ratio") or not earlier:
        return None  # a share, or a multiple (相当于全国平均水平的10倍)
    cut = [m.end() for m in _PIECE_END.finditer(text, clause[0], figure.start)]
    piece_start = cut[-1] if cut else clause[0]
    if not rules.share_opening.match(text[piece_start:figure.start]):
        return None
    if any(piece_start <= t.start < figure.start for t in in_sentence):
        return None  # 占2020年全市的30%: its own time words
    whole = earlier[-1]
    return whole if whole.kind == "level" and whole.unit != "PERCENT" else None


def _stock_at_publication(figure: Figure, text: str, clause: tuple[int, int], rules: Rules, period: str,
                          period_rule: str) -> bool:
    """Whether a stock took a reporting period it does not have: a count or share held, with no moment
    of its own stated in its clause (截至, "as of", an origin), given a span carried from elsewhere or stated for its
    sentence's flows (C5)."""
    if figure.kind != "level" or figure.unit not in ("NUM", "PERCENT") or "/day/" in period:
        return False
    if period_rule.endswith(":origin"):
        return False  # (round 9) an origin (建区之初,全区只有58家企业) is a moment: what was held then is of it
    if period_rule.split(":", 1)[0] not in rules.stock_not_taken_from:
        return False
    if any(p.search(text, *clause) for p in rules.stock_moment):
        return False
    return stock_or_flow(figure, text, clause, rules) == "stock"


def _headline_periods(figures: list[Figure], text: str, body_start: int) -> list[Figure]:
    """A figure of the summary lines (title, subtitle, bullets) that the body states again has the body's period;
    one the title abbreviates to a bare number ("总收入20.3万亿" for the body's 20.3万亿元) has the body's unit too."""
    for figure in (f for f in figures if f.end <= body_start):
        again = next((f for f in figures if f.start >= body_start and (f.value, f.unit) == (figure.value, figure.unit)), None)
        if again is None and "number=count" in figure.rules and figure.value >= 10000:
            again = next((f for f in figures if f.start >= body_start and f.value == figure.value and f.unit != "NUM"), None)
            if again is not None:  # the headline left the unit out: the body states it
                figure.unit = again.unit
                figure.rules.append("unit=as-in-body")
                figure.indicator, figure.proposed_indicator = again.indicator, again.proposed_indicator
        if again is not None:
            figure.period = again.period
            figure.rules = [r if not r.startswith("period=") else "period=as-in-body" for r in figure.rules]
            figure.confidence = again.confidence
    return figures


def _read(number: Number, text: str, rules: Rules, clause: tuple[int, int]) -> Figure:
    """The figure of a number: its qualifier, its kind (level or comparison) and its words."""
    start, end = number.start, number.end
    applied = [f"number={number.unit_rule}"]
    confidence = 0.9 - (0.15 if number.word else 0.0) - (0.05 if number.unit_rule == "count" else 0.0)
    before, after = text[max(clause[0], number.digits_start - 120):number.digits_start], text[number.digits_end:number.digits_end + 120]
    if number.unit_rule == "multiplier-verb":
        before = text[max(clause[0], number.start - 120):number.start]
    qualifier = None
    for rule in rules.qualifiers:
        if rule.matches(before, text[number.end:number.end + 40]):
            qualifier = rule.extra["qualifier"]
            applied.append(f"qualifier={rule.rule}")
            if rule.before is not None and (m := rule.before.search(before)):
                start = min(start, number.digits_start - len(before) + m.start())
            elif rule.after is not None and (m := rule.after.search(text[number.end:number.end + 40])):
                end = number.end + m.end()
            break
    kind, base, base_end = number.kind, None, False
    for rule in rules.comparisons:
        if number.unit_rule == "percentage-point":
            break  # "rose by 0.9 percentage point": a change of a percent, not a growth rate
        found = rule.matches(before, after)
        if found:
            kind = rule.extra["kind"]
            applied.append(f"kind={rule.rule}")
            if isinstance(found, re.Match) and rule.after is not None:
                end = max(end, number.digits_end + found.end())
                base = found.groupdict().get("base")
            elif rule.before is not None and (m := rule.before.search(before)):
                base = m.groupdict().get("base")  # 较2012年增加84家
                base_end = bool(m.groupdict().get("base_end"))  # 较2023年末: from the year's end
            break
    figure = Figure(start, end, text[start:end], number.value, number.unit, kind, qualifier, None, None, 0.0,
                    None, confidence, applied)
    figure.base_year = int(base) + base_end if base else None  # type: ignore[attr-defined]
    figure.base_from_end = base_end  # type: ignore[attr-defined]
    return figure


def _period(figure: Figure, in_sentence: list[TimeExpression], clause: tuple[int, int], next_start: int,
            text: str, sentence: tuple[int, int], rules: Rules, previous: tuple[int, str] | None,
            published: date, precise: bool, context: TimeContext | None = None) -> tuple[str, str]:
    """The period of a figure: words right after it, else earlier in its clause, else later in it,
    else the previous sentence's (when this one compares "year on year"), else the reporting period
    of the text (see context.py), else the day of publication."""
    host = None
    rule = ""
    # (round 9) an aside in brackets (1991年时22家) is its own clause: its time words date only the figures inside it
    asides = [m.span() for m in rules.aside.finditer(text, *sentence)]
    in_sentence = [t for t in in_sentence if not any(s <= t.start and t.end <= e and not s <= figure.start < e
                                                     for s, e in asides)]
    # (round 9) an origin (建区之初, "when it was founded") dates only the figure it is stated for: the first after it
    in_sentence = [t for t in in_sentence if t.rule != "origin" or t.end > figure.start
                   or not re.search(r"\d", text[t.end:figure.start])]
    # a starting point or a comparison base (从2020年的169家增加到了178家) dates only the figure attached to it
    multiple = rules.multiple.search(text, figure.start, figure.end) is not None  # 是2015年的1.5倍: 2015 is the base
    in_sentence = [t for t in in_sentence if not comparison_base(text, t, rules)
                   or (re.fullmatch(r"\s*年?的\s*(?:约|近|超过)?", text[t.end:figure.start]) and not multiple)  # 从2020年的169家
                   or (t.start >= figure.end and re.fullmatch(r"\s*(?:in\s+)?", text[figure.end:t.start]))]  # from 2.4 billion in 2018
    after = [t for t in in_sentence if t.start >= figure.end and t.start < next_start and t.start < clause[1]
             and not re.search(r"[,，;；:：]", text[figure.end:t.start])]
    # "In 2019, the 169 zones generated 12.2 trillion yuan": a count of the zones that a further figure of
    # its clause is about names what is measured; the zones are counted now, whatever the time words say
    subject = (figure.unit == "NUM" and figure.kind == "level" and next_start < clause[1]
               and rules.area_count_after.match(text[figure.end:figure.end + 60]) is not None
               and rules.area_count_stated_before.search(text[max(clause[0], figure.start - 40):figure.start]) is None)
    before = [t for t in in_sentence if clause[0] <= t.start and t.end <= figure.start and not subject]
    later = [t for t in in_sentence if t.start >= figure.end and t.start < clause[1]
             and not _FROM_FIGURE.search(text, figure.end, t.start)  # "up from 1,500 in 2012": 2012 is 1,500's
             # (round 9) 企业近2700家,近三年平均增长超20%: a time word opening the next piece dates that piece's figure
             and not (t.start < next_start < clause[1] and re.search(r"[,，;；]", text[figure.end:t.start]))
             and not subject]
    adjacent = [t for t in before if re.fullmatch(r"\s*年?的\s*", text[t.end:figure.start]) and not multiple]
    if adjacent:  # 从2012年的5.4万亿元: the year written right before the figure is its own
        host, rule = adjacent[-1], f"adjacent:{adjacent[-1].rule}"
        if comparison_base(text, host, rules):
            rule = f"base-{rule}"  # 从2020年的169家: the starting point's year is its figure's alone, not passed on
    elif after and not subject:  # (round 9, C1) "rose in 54 zones over the first three quarters": the verb's time, not the count's
        host, rule = after[0], f"after:{after[0].rule}"
    elif before:
        host, rule = before[-1], f"before:{before[-1].rule}"
    elif later:
        host, rule = later[0], f"later:{later[0].rule}"
    elif earlier := [t for t in in_sentence if t.end <= figure.start and not subject
                     and re.search(r"[;；]", text[t.end:figure.start])
                     and not re.search(r",\s+(?:and|while)\s+", text[t.end:figure.start])]:
        host, rule = earlier[-1], f"sentence:{earlier[-1].rule}"  # "1至9月,...71.06亿元;...37.5亿元": a list shares its period
    if host is not None:
        period, last = host.period, host.last_year
    elif previous and not subject and (any(p.search(text, *sentence) for p in rules.inherit_markers)
                       or not in_sentence and any(p.search(text, *sentence) for p in rules.refer_back_markers)):
        period, rule = previous[1], "inherited"
        span = context_period(context, sentence[0], "document")[0] if context else None
        if "/day/" in period and span is not None and any(p.search(text, *sentence) for p in rules.span_markers):
            period, rule = span.period, f"inherited-span:{span.rule}"  # "during the period" after a stock "by March"
        from .periods import last_year_of
        last = last_year_of(period)
    elif (context is not None and not subject
          and (found := context_period(context, sentence[0], rules.context_carry))[0] is not None
          and (found[1] == "summary" or not present_tense(text, clause, figure.start, figure.end, rules)
               or _flow_of_a_period(figure, text, clause, rules))):
        host = found[0]
        period, last, rule = host.period, host.last_year, f"{found[1]}:{host.rule}"
    elif (context is not None and not subject and rules.plan_targets.search(text, *clause)
          and (target := target_period(context, sentence[0])) is not None):
        period, last, rule = target.period, target.last_year, f"target:{target.rule}"  # (round 9) "By 2025, ... will reach"
    elif figure.kind != "level" and rules.plan_targets.search(text, sentence[0], figure.start):
        # a target of growth with no time words (计划...增长12%, "aims to grow 10 percent"): of the current year
        period, last, rule = year_iri(published.year), published.year, "target-this-year"
    else:  # the present tense: the day of publication (its year when only the year is known)
        period = day_iri(published) if precise else years_iri(published.year, published.year)
        last, rule = published.year, "default-published-date"
    base = getattr(figure, "base_year", None)
    if base and getattr(figure, "base_from_end", False) and (day := re.search(r"/day/(\d{4})-(\d\d)-\d\d$", period)):
        months = (int(day.group(1)) - base) * 12 + int(day.group(2))  # from the end of a year to a day: its months
        return (interval_iri(base, 1, months, "M"), f"{rule}+base-year-end") if months > 0 else (period, rule)
    if base and base < last:
        return years_iri(base, last), f"{rule}+base-year"
    return period, rule


def _flow_of_a_period(figure: Figure, text: str, clause: tuple[int, int], rules: Rules) -> bool:
    """(round 9, C5) Whether a figure is a growth or a change told in the present perfect ("have achieved growth, ...,
    an increase of 2 percentage points from April"): a change compares two moments, so it is of a period, never of a
    day, and the tense does not make it the day of publication. A multiple of a level ("is 14 times the national
    average") compares levels and keeps its tense; a clause in the future (a plan's target) stays out."""
    return figure.kind in ("growth", "change") and not rules.plan_targets.search(text, *clause)


_COMPARISON_NAMES = {"growth": "growth of {}", "ratio": "growth factor of {}", "change": "change in {}"}


def _name_after_compared(figure: Figure, levels: list[Figure]) -> None:
    """Name a proposed comparison indicator after the level figure it compares ("growth of gdp")."""
    if levels:
        level = levels[-1]
        compared = level.indicator.label if level.indicator else level.proposed_indicator
        figure.proposed_indicator = _COMPARISON_NAMES[figure.kind].format(compared)


_PIECE_END = re.compile(r"[,，;；。]")
_AMOUNT = re.compile(r"\d[\d.,]*\s?(?:万亿|亿|万|trillion|billion|million)?\s?(?:元|美元|家|个|人|yuan|dollars|RMB|CNY)")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def _scope(figure: Figure, text: str, clause: tuple[int, int], rules: Rules) -> tuple[str, str, str]:
    """The words an indicator is read from (all, before the figure, after it): in English the clause;
    in Chinese, where a clause runs on through commas, an amount's own piece (after a colon, with the
    head the colon breaks down: "营业收入1.4万亿元:国家高新区0.8万亿元,省级高新区0.6万亿元"), or for a
    growth, the pieces from the amount it compares ("实现技术收入505亿元,比上年同期增长17.8%")."""
    if not _CJK.search(text[clause[0]:clause[1]]):
        if figure.kind != "level":
            cut = [m.end() for m in _PIECE_END.finditer(text, clause[0], figure.start)]
            own = text[cut[-1] if cut else clause[0]:figure.start]
            if rules.growth_subject.search(own):  # "the paid taxes increased by 17.4%": its own subject names it
                start = cut[-1] if cut else clause[0]
                return text[start:clause[1]], own, text[figure.end:clause[1]]
        return text[clause[0]:clause[1]], text[clause[0]:figure.start], text[figure.end:clause[1]]
    starts = [clause[0]] + [m.end() for m in _PIECE_END.finditer(text, clause[0], figure.start)]
    start = starts[-1]
    if figure.kind != "level":  # from the piece of the amount it compares
        start = _compared_piece(text, starts, figure.start)
    end = m.start() if (m := _PIECE_END.search(text, figure.end, clause[1])) else clause[1]
    head = ""
    if start > clause[0] and (colon := re.search(r"[:：][^:：]*$", text[clause[0]:start])):
        head = text[clause[0]:clause[0] + colon.start()]
    return head + " " + text[start:end], text[start:figure.start], text[figure.end:end]


def _compared_piece(text: str, starts: list[int], at: int) -> int:
    """Where the piece of the amount a growth compares starts: the last piece before the growth that
    holds an amount, else the one before the growth's own piece."""
    amounts = [s for s in starts if _AMOUNT.search(text, s, next((e for e in starts if e > s), at))]
    return amounts[-1] if amounts else starts[-2] if len(starts) > 1 else starts[-1]


def _subset(figure: Figure, text: str, clause: tuple[int, int], sentence: tuple[int, int], rules: Rules,
            lead_end: int | None = None) -> bool:
    """Whether the figure is of a part of what the code list measures (one industry, enterprises above
    designated size, listed companies), or a rate (per capita): the words of its own piece of the clause (for
    a growth, from the piece of the amount it compares), the subject that starts its sentence or the words
    before the sentence's first figure name the part; the words of its clause name a rate."""
    if any(p.search(text, *clause) for p in rules.rate_markers):
        return True
    if lead_end is not None and any(p.search(text, sentence[0], lead_end) for p in rules.subset_lead_in):
        return True
    starts = [clause[0]] + [m.end() for m in _PIECE_END.finditer(text, clause[0], figure.start)]
    start = starts[-1] if figure.kind == "level" else _compared_piece(text, starts, figure.start)
    piece = text[start:figure.start]
    if colon := re.search(r"[:：][^:：]*$", text[clause[0]:start]):
        piece = text[clause[0]:clause[0] + colon.start()] + " " + piece  # the head a colon breaks down
    return (any(p.search(piece) for p in rules.subset_markers)
            or any(p.match(text, sentence[0], sentence[1]) for p in rules.subset_subjects))


def _indicator(figure: Figure, text: str, clause: tuple[int, int], indicators: list[Indicator], rules: Rules,
               weight: dict[str, float], sentence: tuple[int, int] | None = None, lead_end: int | None = None) -> None:
    sentence = sentence or clause
    words, before, after = _scope(figure, text, clause, rules)
    found, score = match(indicators, figure.kind, figure.unit, words, before, after, rules, weight)
    if found is not None and _subset(figure, text, clause, sentence, rules, lead_end):
        found, score = None, 0.0
        figure.rules.append("indicator=subset")
    figure.indicator, figure.indicator_score = found, score
    if found is None:
        figure.proposed_indicator = proposed_label(after, before)
        figure.rules.append("indicator=proposed")
        figure.confidence -= 0.2
    else:
        figure.rules.append(f"indicator=label-words {score:.2f}")
