"""The time context of a text: the reporting period that a heading or a lead states once, carried
to the later figures whose sentences state none, and back to the summary lines before the body."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .periods import TimeExpression
from .rules import Rules

_LINE_END = re.compile(r"[.。!?！？:：\"”'’]\s*$")


@dataclass(frozen=True)
class TimeContext:
    """The expressions of a text that state a reporting period, and where its body starts."""

    reporting: tuple[TimeExpression, ...]  # in text order
    body_start: int  # the first code point after the title, subtitle and summary lines
    paragraphs: tuple[tuple[int, int], ...]
    targets: tuple[TimeExpression, ...] = ()  # (round 9) the future years a text's plans are for ("by 2025"), in text order
    headings: tuple[tuple[int, int], ...] = ()  # (round 10) lines of the body with no sentence end: subheadings


def time_context(text: str, expressions: list[TimeExpression], rules: Rules,
                 sentences: list[tuple[int, int]] | None = None, figures: list[int] | None = None,
                 published: date | None = None) -> TimeContext:
    """The reporting periods of `text` and its summary lines.

    The summary lines are the leading lines with no sentence end: a title, a subtitle, bullets. A
    reporting period is stated by time words of the kinds `[context] sets` names, in the summary
    lines, in the lead (the first paragraph of the body) or in a sentence that dates figures (given
    `sentences` and the offsets of the `figures`): "established in 1988" in a sentence of no figure
    is history, not the period of what follows (a span shorter than a year, "in the first 11 months", is
    never history: it states a period wherever it stands); a period that begins after `published` ("by 2025")
    is a target, not a report."""
    body_start, at = 0, 0
    for line in text.split("\n"):
        if line.strip() and _LINE_END.search(line):
            break
        at += len(line) + 1
        body_start = min(at, len(text))
    if body_start >= len(text.rstrip()):
        body_start = 0  # no line ends a sentence (a list of lines): all of it is body
    paragraphs, at = [], 0
    for line in text.split("\n"):
        paragraphs.append((at, at + len(line)))
        at += len(line) + 1
    lead_end = next((e for s, e in paragraphs if s >= body_start and text[s:e].strip()), len(text))

    def dates_figures(t: TimeExpression) -> bool:
        if sentences is None or figures is None:
            return True
        if t.rule not in rules.context_own_sentence and (t.start < lead_end or t.rule in rules.context_within_year):
            return True  # a span shorter than a year is told of figures, never of history
        start, end = next(((s, e) for s, e in sentences if s <= t.start < e), (t.start, t.end))
        return any(start <= f < end for f in figures)

    def begun(t: TimeExpression) -> bool:
        first = re.search(r"/(\d{4})", t.period.rsplit("/id/", 1)[-1])
        return published is None or first is None or int(first.group(1)) <= published.year

    reporting = tuple(t for t in expressions if t.rule in rules.context_sets and "/day/" not in t.period
                      and dates_figures(t) and begun(t) and not comparison_base(text, t, rules)
                      and plausible(t, rules, published) and (not bracketed_year(text, t, rules) or agreed(t, expressions))
                      and not nested(t, [e for e in expressions if e.rule in rules.context_within_year], sentences)
                      and not origin_stated(text, t, rules))
    targets = tuple(t for t in expressions if t.rule in rules.context_targets and not begun(t)
                    and not comparison_base(text, t, rules))
    headings = tuple((s, e) for s, e in paragraphs if s >= body_start and text[s:e].strip() and not _LINE_END.search(text[s:e]))
    return TimeContext(reporting, body_start, tuple(paragraphs), targets, headings)


def target_period(context: TimeContext, sentence_start: int) -> TimeExpression | None:
    """(round 9) The target year a plan's later sentences are for: the last future year stated before the sentence
    ("By 2025, ... Institutions will reach 900. Revenue will reach 3.18 trillion yuan."), for a clause in the future."""
    earlier = [t for t in context.targets if t.end <= sentence_start]
    return earlier[-1] if earlier else None


def origin_stated(text: str, expression: TimeExpression, rules: Rules) -> bool:
    """(round 9) Whether a year is the year of an origin (成立于1999年, "founded in 1999", 1991年时): it looks back, and
    is never the period the text reports. (round 10) Nor is the origin's year where the text names it again ("since its
    establishment in 1992 ... from less than 10 square kilometers in 1992 to 420 now"): a zone's first year is history."""
    origins = {int(next(v for v in m.groups() if v)) for m in rules.origin_year.finditer(text)}
    if expression.period.endswith(tuple(f"/year/{y}" for y in origins)):
        return True
    return any(m.start() <= expression.start and expression.end <= m.end() + 1
               for m in rules.origin_year.finditer(text, max(0, expression.start - 20), expression.end + 4))


def months(iri: str) -> tuple[int, int] | None:
    """The months a year or an interval covers, first and last, counted from year 0 (None for a day)."""
    if m := re.search(r"/year/(\d{4})$", iri):
        return int(m.group(1)) * 12, int(m.group(1)) * 12 + 11
    if m := re.search(r"(\d{4})-(\d\d)-01T00:00:00/P(\d+)([YM])$", iri):
        first = int(m.group(1)) * 12 + int(m.group(2)) - 1
        return first, first + int(m.group(3)) * (12 if m.group(4) == "Y" else 1) - 1
    return None


def nested(expression: TimeExpression, expressions: list[TimeExpression],
           sentences: list[tuple[int, int]] | None) -> bool:
    """(round 9) Whether a span lies within a longer one stated before it in its sentence ("From January to May, ...
    increased 3.1%, and 10.2 percentage points in April and May"; `expressions`: the spans shorter than a year, as a
    year before 今年上半年 is often a label): a detail of the period reported, not a new reporting period for the
    sentences after it."""
    own = months(expression.period)
    if own is None or sentences is None:
        return False
    start, _ = next(((s, e) for s, e in sentences if s <= expression.start < e), (expression.start, expression.end))
    for other in expressions:
        wider = months(other.period) if start <= other.start < expression.start else None
        if wider is not None and wider != own and wider[0] <= own[0] and own[1] <= wider[1]:
            return True
    return False


def plausible(expression: TimeExpression, rules: Rules, published: date | None) -> bool:
    """Whether a period may be a text's reporting period: it begins no earlier than the first national zone
    (`[year_guard] first_year`, 1988) and no later than the year of publication (a later one is a target)."""
    first = re.search(r"/(\d{4})", expression.period.rsplit("/id/", 1)[-1])
    if first is None:
        return True
    return rules.first_year <= int(first.group(1)) <= (published.year if published else 9999)


def bracketed_year(text: str, expression: TimeExpression, rules: Rules) -> bool:
    """Whether a time expression is a year in brackets ("Binhai Index (2017)", "(2016-2020)"): a label of what
    it follows (an edition, a plan's years), not a statement of the period the figures are of."""
    found = rules.bracketed_year.search(text, max(0, expression.start - 3), expression.end + 3)
    return found is not None and found.start() <= expression.start and found.end() >= expression.end


def agreed(expression: TimeExpression, expressions: list[TimeExpression]) -> bool:
    """Whether another time expression of the text names the same period (a second statement agrees)."""
    return any(t is not expression and t.period == expression.period for t in expressions)


def comparison_base(text: str, expression: TimeExpression, rules: Rules) -> bool:
    """Whether a time expression is a starting point or a comparison base (从2020年的169家, "up from 1,500 in
    2012", "compared with 2015"): it dates only the figure attached to it, not the figures after it."""
    return (rules.base_before.search(text, max(0, expression.start - 40), expression.start) is not None
            or rules.attached_after.match(text, expression.end) is not None)


def context_period(context: TimeContext, sentence_start: int, carry: str) -> tuple[TimeExpression | None, str]:
    """The reporting period a sentence with no time words of its own falls under, and how it was found.

    A summary line takes the first period the body states; a sentence of the body the last one
    stated before it (with `carry` "paragraph", only one stated in its own paragraph). (round 10) A subheading of the
    body before any stated period ("工业增加值占全区地区生产总值70.9%" above the paragraphs of 2015) summarises what follows,
    as the title does: the first period stated after it."""
    heading = any(s <= sentence_start < e for s, e in context.headings)
    if heading and not any(t.end <= sentence_start for t in context.reporting):
        ahead = [t for t in context.reporting if t.start >= sentence_start]
        return (ahead[0], "summary") if ahead else (None, "")
    if sentence_start < context.body_start:
        ahead = [t for t in context.reporting if t.start >= context.body_start]
        return (ahead[0], "summary") if ahead else (None, "")
    earlier = [t for t in context.reporting if t.end <= sentence_start]
    if carry == "paragraph":
        paragraph = next((p for p in context.paragraphs if p[0] <= sentence_start <= p[1]), (0, 0))
        earlier = [t for t in earlier if t.start >= paragraph[0]]
    return (earlier[-1], "context") if earlier else (None, "")


def present_tense(text: str, clause: tuple[int, int], start: int, end: int, rules: Rules) -> bool:
    """Whether the verb of a figure's clause is in the present, present perfect or future tense: the
    last tense-marking word before the figure, else the first after it. Chinese marks no tense but
    the future (将, 预计)."""
    before = list(rules.tense.finditer(text, clause[0], start))
    found = before[-1] if before else rules.tense.search(text, end, clause[1])
    return found is not None and found.lastgroup == "present"
