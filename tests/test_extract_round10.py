"""`kg extract`: the rules of the tenth tuning (tests/extract/unseen/AFTER10.md): time expressions read systematically.
A table of our own time expressions (tests/extract/time_expressions.toml), English and Chinese, each with the period it
names against a publication date, is read by the period reader row by row; then a few sentences of our own show how
the new periods date figures."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from extracting import REF, worded_periods
from kg.extract.periods import TimeExpression, find_time_expressions, resolve_decade, resolve_previous_year
from kg.extract.rules import load_rules

TABLE = tomllib.loads((Path(__file__).parent / "extract" / "time_expressions.toml").read_text(encoding="utf-8"))
RULES = load_rules()


def _rows() -> list[dict]:
    return [dict(row, published=row.get("published", TABLE["default_published"])) for row in TABLE["row"]]


def read(text: str, published: date) -> list[TimeExpression]:
    """The time expressions of one sentence, those resolved against the sentence (a decade, "the previous year") too."""
    found = find_time_expressions(text, published, RULES)
    found = [resolve_decade(t, found, published) if t.period == "decade" else t for t in found]
    return [resolve_previous_year(t, found, published.year) if t.period == "previous-year" else t for t in found]


@pytest.mark.parametrize("row", _rows(), ids=lambda row: row["text"][:40])
def test_time_expression(row: dict) -> None:
    text, words = row["text"], row["words"]
    start = text.index(words)
    end = start + len(words)
    overlapping = [t for t in read(text, date.fromisoformat(row["published"])) if t.start < end and start < t.end]
    got = [t.period.removeprefix(REF) for t in overlapping]
    assert got == ([row["period"]] if row["period"] else []), (words, [text[t.start:t.end] for t in overlapping])


def periods(text: str, published: str = "2031-07-15", lang: str = "en") -> list[tuple[str, str]]:
    return worded_periods(text, published, lang)


def test_a_month_named_alone_dates_the_figures_of_its_sentence():
    text = "In June, revenue of the park reached 4 billion yuan, up 11 percent year on year."
    assert periods(text) == [("4 billion yuan", "gregorian-interval/2031-06-01T00:00:00/P1M"),
                             ("11 percent", "gregorian-interval/2031-06-01T00:00:00/P1M")]


def test_a_months_range_with_a_wave_dash_dates_its_figures():
    text = "今年1～5月,示范园实现营业收入800亿元,同比增长6.5%。"
    assert periods(text, lang="zh") == [("800亿元", "gregorian-interval/2031-01-01T00:00:00/P5M"),
                                        ("6.5%", "gregorian-interval/2031-01-01T00:00:00/P5M")]


def test_first_months_without_the_counter_dates_its_figures():
    text = "今年前5月,示范园实现营业收入800亿元。"
    assert periods(text, lang="zh") == [("800亿元", "gregorian-interval/2031-01-01T00:00:00/P5M")]


def test_a_growth_over_n_years_is_of_those_years():
    text = "示范园营业收入10年增长2.5倍。"
    assert periods(text, lang="zh") == [("2.5倍", "gregorian-interval/2021-01-01T00:00:00/P10Y")]


def test_the_past_decade_is_the_ten_years_before_publication():
    text = "Over the past decade, the park's revenue grew 4.5 times."
    assert periods(text) == [("4.5 times", "gregorian-interval/2021-01-01T00:00:00/P10Y")]


def test_figures_published_in_a_month_are_of_that_month():
    text = "According to figures published by the city in March 2030, 700 firms were registered in the park."
    assert periods(text) == [("700", "gregorian-interval/2030-03-01T00:00:00/P1M")]


def test_a_change_between_two_dated_figures_is_over_the_years_between():
    # C3: the starting point's year dates only its figure; the change that follows both is of the years from one to the other
    text = "示范园产值从2030年的5万亿元增至2039年的15万亿元,增长2倍;比重从2030年的8%提高到2039年的12%,提高了4个百分点。"
    assert periods(text, "2040-03-01", "zh") == [
        ("5万亿元", "year/2030"), ("15万亿元", "year/2039"), ("2倍", "gregorian-interval/2030-01-01T00:00:00/P10Y"),
        ("8%", "year/2030"), ("12%", "year/2039"), ("4个百分点", "gregorian-interval/2030-01-01T00:00:00/P10Y")]


def test_the_origin_year_named_again_is_not_carried_and_an_undated_start_is_of_it():
    # "since its establishment in 2001": the zone's first year is history, not a reporting period for later sentences, and
    # a starting point with no date of its own ("from 40 to 900") is the start of the span the text reviews
    text = ("The park has grown fast in the three decades since its establishment in 2001. "
            "Its area expanded from 5 square kilometers in 2001 to 80 square kilometers now. "
            "Its revenue has surged from less than 200 million yuan to over 90 billion yuan. "
            "The number of firms went from 40 to over 900 in 30 years.")
    assert periods(text, "2031-07-15") == [
        ("less than 200 million yuan", "year/2001"), ("over 90 billion yuan", "day/2031-07-15"),
        ("40", "year/2001"), ("over 900", "day/2031-07-15")]


def test_new_right_after_a_count_makes_it_a_flow_of_the_period():
    # C5: "There are 14 new ..." counts what was added in the year the sentence reports, not what exists today
    text = "In 2030, the park did well: there are 14 new unicorn firms, with a total of 40."
    assert periods(text) == [("14", "year/2030"), ("40", "year/2030")]


def test_a_subheading_before_any_period_takes_the_first_one_stated_after_it():
    text = ("示范园推进创新发展。\n\n工业增加值占全区生产总值60.5%\n\n"
            "记者获悉,示范园2030年实现工业增加值900亿元。")
    assert periods(text, "2031-02-16", "zh") == [("60.5%", "year/2030"), ("900亿元", "year/2030")]


def test_a_count_of_those_that_grew_is_a_flow_of_the_period():
    # C5: 有...的企业增幅超过 counts the enterprises that grew in the half year reported, not what exists today
    text = "2031年上半年,示范园规上工业增加值增长20%,有近一半的企业增幅超过30%。"
    assert periods(text, "2031-08-16", "zh")[:2] == [("20%", "gregorian-interval/2031-01-01T00:00:00/P6M"),
                                                     ("近一半", "gregorian-interval/2031-01-01T00:00:00/P6M")]


def test_an_appositive_home_to_is_a_stock_of_today():
    text = "The park, home to more than 9,000 people, earned 5 billion yuan in 2030."
    assert periods(text) == [("more than 9,000", "day/2031-07-15"), ("5 billion yuan", "year/2030")]
