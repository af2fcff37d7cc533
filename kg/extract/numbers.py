"""Find the numbers of a text and read each with its scale and unit, in base units."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from .rules import Rules

_DIGITS = re.compile(r"(?<![\d.])(?<!\d,)(\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)(?![\d])")
_PREFIX_UNIT = re.compile(r"(?:CNY|RMB|US\$|\$|USD\s?|¥|￥)\s?$")


@dataclass
class Number:
    """One number as written: where it is, its value in base units, its unit and why."""

    start: int          # first code point of the figure's words (currency prefix included)
    end: int            # code point after its unit (or scale, or digits)
    digits_start: int
    digits_end: int
    value: Decimal
    unit: str           # QUDT local name: CCY_CNY, CCY_USD, PERCENT, NUM
    unit_rule: str
    kind: str = "level"  # level, change, ratio, growth
    word: bool = False   # written as a word ("seven", "tripled")
    excluded: str | None = None  # why it is not a figure (a rule name), if it is not


def _unit(rules: Rules, before: str, after: str) -> tuple[str, str, int, str | None]:
    """The unit from the words around a number: (unit, rule, length after, kind)."""
    for rule in rules.units:
        if rule.before is not None and rule.before.search(before):
            return rule.extra["unit"], rule.rule, 0, rule.extra.get("kind")
        if rule.after is not None and (m := rule.after.search(after)):
            return rule.extra["unit"], rule.rule, m.end(), rule.extra.get("kind")
    return "NUM", "count", 0, None


def _excluded(rules: Rules, text: str, start: int, end: int, raw: str, value: Decimal, word: bool = False) -> str | None:
    before, after = text[max(0, start - 120):start], text[end:end + 120]
    for rule in rules.exclusions:
        if rule.extra.get("words_only") and not word:
            continue
        if "raw" in rule.extra and not re.fullmatch(rule.extra["raw"], raw):
            continue  # the rule holds for numbers written so only ("20" in "2016-20")
        if "value_between" in rule.extra:
            low, high = rule.extra["value_between"]
            if not (re.fullmatch(r"\d{4}", raw) and low <= value < high):
                continue
            if _PREFIX_UNIT.search(before):
                continue
        if rule.extra.get("only_if_stated_before") and not re.search(rf"(?<![\d.]){re.escape(raw)}(?![\d])", text[:start]):
            continue  # the first time a number is stated it is a figure, whatever words precede it
        if rule.matches(before, after):
            return rule.rule
    return None


def find_numbers(text: str, rules: Rules) -> list[Number]:
    """Every number of `text` (digits or words), read in base units, with the rule that excludes it if any."""
    found: list[Number] = []
    for m in _DIGITS.finditer(text):
        raw = m.group(1)
        value = Decimal(raw.replace(",", ""))
        end = m.end()
        tail = text[end:end + 40]
        if scale := rules.scale_after.match(tail):
            value *= rules.scales[(scale.group(1) or scale.group(2)).lower()]
            end += scale.end()
        before = text[max(0, m.start() - 120):m.start()]
        unit, unit_rule, length, kind = _unit(rules, before, text[end:end + 40])
        start = m.start()
        if length == 0 and unit_rule.endswith("-prefix"):
            start -= len(_PREFIX_UNIT.search(before).group(0))  # type: ignore[union-attr]  # the rule matched one
        if unit_rule == "count" and rules.shared_unit_after.match(text[end:end + 80]):
            unit, unit_rule = "PERCENT", "list-shared-unit"  # "12.3, 11.8 and 21.6 percent"
        elif unit_rule == "count" and scale and rules.currency_elided_after.match(text[end:end + 20]):
            unit, unit_rule = _elided_currency(found, text, m.start())
        elif (unit_rule == "count" and scale and scale.group(2) in rules.bare_amount_scales
              and not rules.bare_amount_not_after.match(text[end:end + 10])):
            unit, unit_rule = "CCY_CNY", "zh-bare-amount"  # (round 11) 突破600亿: an amount in yuan, not a count
        elif (unit_rule == "count" and scale and (scale.group(1) or "").lower() in rules.bare_amount_scales_en
              and rules.bare_amount_after_en.match(text[end:end + 10])):
            unit, unit_rule = _last_currency(found), "bare-amount"  # (round 11) "was 14.68 billion, accounting for"
        number = Number(start, end + length, m.start(), m.end(), value, unit, unit_rule, kind or "level")
        number.excluded = _excluded(rules, text, m.start(), m.end(), raw, Decimal(raw.replace(",", "")))
        if number.excluded is None and unit == "NUM" and number.kind == "level" and counts_named_items(
                text, m.start(), end + length, value, rules):
            number.excluded = "list-items"
        found.append(number)
    found += _word_numbers(text, rules)
    found.sort(key=lambda n: n.start)
    _range_low_ends(found, text)
    return found


_RANGE_DASH = re.compile(r"\s?[-–—~～]\s?")


def _range_low_ends(numbers: list[Number], text: str) -> None:
    """(round 11, R5) The low end of a range ("projects costing 5-10 billion yuan each") is what its high end is: the
    high end carries the scale, the unit and the words that exclude it, so the low end takes its exclusion."""
    for low, high in zip(numbers, numbers[1:]):
        if (low.excluded is None and high.excluded is not None and not low.word
                and _RANGE_DASH.fullmatch(text, low.digits_end, high.digits_start)):
            low.excluded = high.excluded


def counts_named_items(text: str, start: int, end: int, value: Decimal, rules: Rules) -> bool:
    """Whether a count is the number of a list's items that the text names one by one: before it, separated by
    、 ("甲、乙2个项目"), or after it and its noun ("4 indexes, A, B, C, D"). Only a count equal to the items named
    (two or more): "甲、乙等24个项目" names two of 24, and 24 is a figure."""
    if value != value.to_integral_value() or value < 2:
        return False
    starts = [m.end() for m in rules.items_before_start.finditer(text, max(0, start - 200), start)]
    piece = text[starts[-1] if starts else max(0, start - 200):start]
    items = [i for i in piece.split(rules.items_before_separator)]
    if len(items) >= 2 and all(i.strip() for i in items) and _count(items, rules) == value:
        return True
    if (after := rules.items_after.match(text[end:end + 300])) is None:
        return False
    items = after.group("items").split(rules.items_after_separator)
    return len(items) >= 2 and all(i.strip() for i in items) and _count(items, rules) == value


def _count(items: list[str], rules: Rules) -> int:
    """How many items a list holds: its pieces, the last two joined by "and"/和 counted as two."""
    return len(items) + (1 if rules.items_last_joined.search(items[-1]) else 0)


def _elided_currency(found: list[Number], text: str, start: int) -> tuple[str, str]:
    """The currency of the previous amount of the same sentence, for "... and 4.1 trillion of exports"."""
    previous = next((n for n in reversed(found) if n.unit.startswith("CCY_") and n.value >= 1000), None)
    if previous is not None and not re.search(r"[.。!?！？\n]", text[previous.end:start]):
        return previous.unit, "list-elided-currency"
    return "NUM", "count"


def _last_currency(found: list[Number]) -> str:
    """The currency of the text's last amount before a number, else yuan (the zones' texts state yuan)."""
    return next((n.unit for n in reversed(found) if n.unit.startswith("CCY_")), "CCY_CNY")


def _word_numbers(text: str, rules: Rules) -> list[Number]:
    """Numbers written as words ("seven zones") and ratios written as verbs ("tripled")."""
    found = []
    words = "|".join(sorted(rules.word_numbers, key=len, reverse=True))
    for m in re.finditer(rf"\b({words})(?:-({words}))?\s+(?:percent|per\s+cent)\b", text, re.I):
        value = Decimal(rules.word_numbers[m.group(1).lower()] + (rules.word_numbers[m.group(2).lower()] if m.group(2) else 0))
        number = Number(m.start(), m.end(), m.start(), m.end(), value, "PERCENT", "word-percent", word=True)  # "Eighty-four percent"
        number.excluded = _excluded(rules, text, m.start(), m.end(), m.group(0), value, word=True)
        found.append(number)
    for m in re.finditer(rf"\b({words})\b(?!-)", text, re.I):
        after = text[m.end():m.end() + 60]
        part = re.match(r"\s+of\s+(?:which|them|whom)\b", after, re.I)  # (round 9) "three of which": a part counted
        if not re.match(r"\s+[A-Za-z]", after) or (re.match(
                r"\s+(?:of|or|and|to|more|times|percent|thirds?|quarters?|fifths?|tenths?|halves|half)\b", after, re.I)
                and not part):
            continue
        value = Decimal(rules.word_numbers[m.group(1).lower()])
        number = Number(m.start(), m.end(), m.start(), m.end(), value, "NUM", "word-number", word=True)
        number.excluded = _excluded(rules, text, m.start(), m.end(), m.group(1), value, word=True)
        if number.excluded is None and counts_named_items(text, m.start(), m.end(), value, rules):
            number.excluded = "list-items"
        found.append(number)
    fractions = "|".join(sorted(rules.fractions, key=len, reverse=True))
    for m in re.finditer(rf"(?<!first )(?<!second )(?<![A-Za-z])({fractions})(?:(?=\s+(?:of|the)\b)|(?<=[\u4e00-\u9fff]))", text, re.I):
        number = Number(m.start(), m.end(), m.start(), m.end(), rules.fractions[m.group(1).lower()], "PERCENT",
                        "word-fraction", word=True)
        found.append(number)  # "nearly half of the city's total", "less than half the national level", "四分之一", "七成"
    for m in rules.scale_word.finditer(text):  # 突破千亿元: a scale word with no digit, after a verb of passing
        if not rules.scale_word_before.search(text, max(0, m.start() - 4), m.start()):
            continue
        digit = rules.scale_word_digits.get(m.group("digit") or "", 1)
        value = Decimal(digit) * rules.scales[m.group("scale")]
        number = Number(m.start(), m.end(), m.start(), m.end(), value, rules.scale_word_units[m.group("unit")],
                        "zh-scale-word", word=True)
        number.excluded = _excluded(rules, text, m.start(), m.end(), m.group(0), value, word=True)
        found.append(number)
    for m in rules.scale_word_count.finditer(text):  # 突破万家: a count with a scale word and no digit, after a verb of passing
        if not rules.scale_word_before.search(text, max(0, m.start() - 4), m.start()):
            continue
        value = Decimal(rules.scale_word_count_scales[m.group("scale")])
        number = Number(m.start(), m.end(), m.start(), m.end(), value, "NUM", "zh-scale-word-count", word=True)
        number.excluded = _excluded(rules, text, m.start(), m.end(), m.group(0), value, word=True)
        found.append(number)
    for m in re.finditer(rf"\b({words})\s+times(?=\s+(?:the|that|those|as|higher|more|larger|greater|bigger)\b)", text, re.I):
        value = Decimal(rules.word_numbers[m.group(1).lower()])  # "three times the national average": a ratio, as "3 times"
        found.append(Number(m.start(), m.end(), m.start(), m.end(), value, "NUM", "word-ratio", "ratio", word=True))
    verbs = "|".join(rules.multiplier_verbs)
    for m in re.finditer(rf"\b({verbs})\b", text, re.I):
        value = Decimal(rules.multiplier_verbs[m.group(1).lower()])
        found.append(Number(m.start(), m.end(), m.start(), m.end(), value, "NUM", "multiplier-verb", "ratio", word=True))
    return found
