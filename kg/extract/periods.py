"""Time expressions of a text ("last year", "from January to July", "截至2023年11月") resolved to
reference.data.gov.uk periods against the text's published date."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..periods import REF
from .rules import Rules


@dataclass(frozen=True)
class TimeExpression:
    """Words that name a period, where they are, and the period they name."""

    start: int
    end: int
    rule: str
    period: str  # a reference.data.gov.uk IRI
    last_year: int  # the last calendar year the period touches


def year_iri(year: int) -> str:
    return f"{REF}year/{year}"


def interval_iri(year: int, month: int, count: int, unit: str) -> str:
    """A gregorian interval; twelve months from January, or one year, is the year itself."""
    if (unit == "M" and count == 12 and month == 1) or (unit == "Y" and count == 1 and month == 1):
        return year_iri(year)
    return f"{REF}gregorian-interval/{year:04d}-{month:02d}-01T00:00:00/P{count}{unit}"


def day_iri(day: date) -> str:
    return f"{REF}day/{day.isoformat()}"


def years_iri(first: int, last: int) -> str:
    """The calendar years first..last, both included."""
    return interval_iri(first, 1, last - first + 1, "Y")


def last_year_of(iri: str) -> int:
    """The last calendar year a period touches."""
    if m := re.search(r"(?:year|day)/(\d{4})(?:-\d\d-\d\d)?$", iri):
        return int(m.group(1))
    m = re.search(r"(\d{4})-(\d{2})-01T00:00:00/P(\d+)([YM])$", iri)
    year, month, count, unit = int(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4)  # type: ignore[union-attr]
    months = count * 12 if unit == "Y" else count
    return year + (month - 1 + months - 1) // 12


def mask(text: str, patterns: list[re.Pattern]) -> str:
    """The text with every match blanked out (same length, so offsets stay)."""
    for pattern in patterns:
        text = pattern.sub(lambda m: " " * len(m.group(0)), text)
    return text


def _number(word: str, rules: Rules) -> int:
    """A count written in digits, in English words or in Chinese numerals (前七个月)."""
    if word.isdigit():
        return int(word)
    return rules.zh_numerals[word] if word in rules.zh_numerals else rules.word_numbers[word.lower()]


def _month(word: str, rules: Rules) -> int:
    """A month's number from its digits or its English name, whole or cut short ("Sept.", "Jan")."""
    return int(word) if word.isdigit() else rules.months[word.lower().rstrip(".")]


def _stated_year(groups: dict[str, str], published: date) -> int | None:
    """(round 10) The year a time expression states: four digits (any group named year, zyear, year2, ...), or "last year",
    去年, 上年 (a group named lastyear...) for the year before publication; None where it states none."""
    for name, value in groups.items():
        if name.lstrip("z").rstrip("0123456789") == "year":
            return int(value)
    if any(name.startswith("lastyear") for name in groups):
        return published.year - 1
    return None


def _latest_month(month: int, stated: int | None, published: date) -> int:
    """The year of a month named without a year: the latest such month not after the month of publication."""
    if stated is not None:
        return stated
    return published.year - 1 if month > published.month else published.year


def _resolve(m: re.Match, how: str, published: date, rules: Rules, precise: bool, origin: int | None = None) -> str | None:
    groups = {k: v for k, v in m.groupdict().items() if v}
    if how == "origin":  # (round 9) 1991年时: its year; 建区之初: the year the text gives for the origin, else none
        return year_iri(int(groups["zyear"])) if "zyear" in groups else year_iri(origin) if origin else None
    stated = _stated_year(groups, published)
    year = stated if stated is not None else published.year
    if how == "year":
        return year_iri(year)
    if how == "last-year":
        return year_iri(published.year - 1)
    if how == "last-month":
        month_end = published.replace(day=1) - timedelta(days=1)
        return interval_iri(month_end.year, month_end.month, 1, "M")
    if how == "this-year":
        return year_iri(published.year)
    if how == "year-to-date":  # 今年以来 (C4): from 1 January to the end of the month before publication
        return interval_iri(published.year, 1, published.month - 1, "M") if published.month > 1 else None
    if how == "now":
        return day_iri(published) if precise else year_iri(published.year)
    if how == "month-range":
        first, last = _month(groups.get("m1") or groups["b1"], rules), _month(groups["m2"], rules)
        return interval_iri(year, first, last - first + 1, "M") if last >= first else None
    if how == "month-pair":  # (round 9) "April and May": two months in a row, one span of them
        first, last = (_month(groups.get(k) or groups[f"z{k}"], rules) for k in ("m1", "m2"))
        return interval_iri(year, first, 2, "M") if last == first + 1 else None
    if how == "quarters":
        return interval_iri(year, 1, rules.quarters[groups["q"].lower()], "M")
    if how == "quarter-range":
        first, last = (_number(groups[g], rules) for g in ("q1", "q2"))
        return interval_iri(year, 3 * first - 2, 3 * (last - first + 1), "M") if last >= first else None
    if how == "plan-period":
        begins = rules.five_year_plans[groups.get("plan") or groups["zplan"]]
        return years_iri(begins, begins + 4)  # an unfinished plan's targets too: no reporting period (not in [context] sets)
    if how == "quarter":
        q = rules.quarter_numbers[(groups.get("qn") or groups.get("qd") or groups["zq"]).lower()]
        return interval_iri(year, 3 * q - 2, 3, "M")
    if how == "first-months":
        return interval_iri(year, 1, _number(groups.get("n") or groups["zn"], rules), "M")
    if how == "past-years":
        n = _number(groups.get("n") or groups["zn"], rules)
        return years_iri(published.year - n, published.year - 1)
    if how == "half":
        return interval_iri(year, 1, 6, "M")
    if how == "second-half":
        return interval_iri(year, 7, 6, "M")
    if how == "month":
        month = _month(groups.get("month") or groups["month2"], rules)
        year = _latest_month(month, stated, published)
        return day_iri(date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1))  # as of the month's end
    if how == "month-interval":  # (round 10) a month named alone: the whole month
        month = _month(groups.get("month") or groups.get("month3") or groups["month2"], rules)
        return interval_iri(_latest_month(month, stated, published), month, 1, "M")
    if how == "day":  # (round 10) 截至6月30日, "as of June 30": that day
        month = _month(groups.get("month") or groups["zmonth"], rules)
        day = int(groups.get("day") or groups["zday"])
        try:
            return day_iri(date(_latest_month(month, stated, published), month, day))
        except ValueError:  # no such day (6月31日): no period
            return None
    if how == "next-year":  # (round 10) "next year", 明年
        return year_iri(published.year + 1)
    if how == "past-decades":  # (round 10) "the past two decades": the twenty years before the year of publication
        n = 10 * _number(groups["n"], rules)
        return years_iri(published.year - n, published.year - 1)
    if how == "next-years":
        return interval_iri(published.year + 1, 1, _number(groups["n"], rules), "Y")
    if how == "consecutive-years":
        n = _number(groups["n"], rules)
        return interval_iri(published.year - n, 1, n, "Y")
    if how == "plan-end":
        return year_iri(rules.five_year_plans[groups.get("plan") or groups["zplan"]] + 4)
    if how == "year-range":  # (round 9) 1991年至2011年: the years from the first to the last
        key = next(k for k in ("zy", "y", "dy") if groups.get(f"{k}1"))
        first, last = int(groups[f"{key}1"]), int(groups[f"{key}2"])
        return years_iri(first, last) if last > first else None
    if how == "since":
        return years_iri(year, published.year)
    return None  # "decade" is resolved against the sentence (see resolve_decade)


def find_time_expressions(text: str, published: date, rules: Rules, precise: bool = True) -> list[TimeExpression]:
    """Every time expression of the text that names the period of a figure, in text order.

    Comparison markers ("the same period last year", "year on year", "than in 2012") are
    blanked first: they name the period compared with, not the figure's own.
    """
    masked = mask(text, rules.comparison_markers)
    taken = [False] * len(text)
    stated = rules.origin_year.search(text)
    origin = int(next(v for v in stated.groups() if v)) if stated else None
    found = []
    for rule, pattern, how in rules.periods:
        for m in pattern.finditer(masked):
            if not m.group(0).strip() or any(taken[m.start():m.end()]):
                continue
            if how == "not-a-period":  # words that look like time words but date nothing: take them, give no period
                for i in range(m.start(), m.end()):
                    taken[i] = True
                continue
            if amount_read_as_year(text, m, rules):
                continue
            if how in ("decade", "previous-year"):
                period = how  # resolved against the sentence (resolve_decade, resolve_previous_year)
            else:
                period = _resolve(m, how, published, rules, precise, origin)  # type: ignore[assignment]  # None: next line
                if period is None:
                    if how == "origin":  # an origin the text gives no year for: taken, no period
                        for i in range(m.start(), m.end()):
                            taken[i] = True
                    continue
            for i in range(m.start(), m.end()):
                taken[i] = True
            found.append(TimeExpression(m.start(), m.end(), rule, period,
                                        0 if period in ("decade", "previous-year") else last_year_of(period)))
    return sorted(found, key=lambda t: t.start)


def amount_read_as_year(text: str, m: re.Match, rules: Rules) -> bool:
    """Whether the year a time expression reads is the digits of an amount (工业总产值1911亿元, "1911 billion
    yuan", 2013家): four digits followed by a scale word, a currency or a counter state how much, not when."""
    if "year" not in m.re.groupindex or m.group("year") is None:
        return False
    return rules.year_amount_after.match(text, m.end("year")) is not None


def resolve_previous_year(expression: TimeExpression, others: list[TimeExpression], fallback: int) -> TimeExpression:
    """"The previous year", 前一年: the year before the latest year the sentence names, else before `fallback` (the
    year of the text's reporting period, or of publication)."""
    last = max((t.last_year for t in others if t.period not in ("decade", "previous-year")), default=fallback)
    return TimeExpression(expression.start, expression.end, expression.rule, year_iri(last - 1), last - 1)


def resolve_decade(expression: TimeExpression, others: list[TimeExpression], published: date) -> TimeExpression:
    """"The last decade" ends with the latest year the sentence names, else (round 10) with the year before publication:
    the ten years before it, as "the past ten years" and 十年来 are."""
    last = max((t.last_year for t in others if t.period not in ("decade", "previous-year")), default=published.year - 1)
    period = years_iri(last - 9, last)
    return TimeExpression(expression.start, expression.end, expression.rule, period, last)
