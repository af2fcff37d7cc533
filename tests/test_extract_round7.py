"""`kg extract`: the rules of the seventh tuning (tests/extract/unseen/AFTER7.md): a range of quarters is one
interval, a comparison base (是X年的N倍, 比X年, "than in X") is no reporting period, 五年来 / "over the past five
years" are spans of years, a growth target with no time words is of the current year, and "currently" does not
pass its day to the figures after it. Every sentence here is ours, written to show one principle each."""

from __future__ import annotations

from extracting import worded_periods as periods


def test_a_range_of_quarters_is_one_interval_and_carries_en():
    for words in ("Q1-3", "Q1-Q3", "Q1 - Q3"):
        text = f"Model Park grows in {words}\n\nModel Park's revenue reached 12 billion yuan. Its exports rose 4 percent."
        assert periods(text) == [("12 billion yuan", "gregorian-interval/2031-01-01T00:00:00/P9M"),
                                 ("4 percent", "gregorian-interval/2031-01-01T00:00:00/P9M")], words


def test_a_range_of_quarters_zh_and_its_last_number_is_no_figure():
    text = "示范园1-3季度营业收入120亿元,增长8%。园区出口增长4%。"
    assert periods(text, lang="zh") == [("120亿元", "gregorian-interval/2031-01-01T00:00:00/P9M"),
                                        ("8%", "gregorian-interval/2031-01-01T00:00:00/P9M"),
                                        ("4%", "gregorian-interval/2031-01-01T00:00:00/P9M")]
    assert [p for p in periods("Model Park in Q2-4\n\nIts revenue rose 5 percent.")] == [
        ("5 percent", "gregorian-interval/2031-04-01T00:00:00/P9M")]


def test_the_base_of_a_multiple_dates_neither_the_multiple_nor_what_follows():
    text = "2030年示范园营业收入900亿元,是2026年的1.8倍;出口占全市的30%。园区就业人数占全市12%。"
    got = periods(text, lang="zh")
    assert [p for _, p in got] == ["year/2030"] * 4, got


def test_a_year_with_its_own_figure_still_dates_that_figure_only():
    text = "2030年示范园企业从2026年的300家增加到450家。园区营业收入增长7%。"
    assert periods(text, lang="zh") == [("300家", "year/2026"), ("450家", "year/2030"), ("7%", "year/2030")]


def test_past_years_in_chinese_are_a_span_before_publication():
    for words in ("五年来", "5年来", "近五年来"):
        text = f"2030年示范园营业收入增长9%。{words}累计引进项目210个。"
        assert periods(text, "2031-03-01", "zh")[-1] == ("210个", "gregorian-interval/2026-01-01T00:00:00/P5Y"), words


def test_a_headline_colon_ends_a_figures_time_words():
    text = "示范园总数达90家:十年来园区贡献显著\n\n十年来,园区营业收入增长3倍。"
    assert periods(text, lang="zh")[0] == ("90家", "day/2031-10-20")


def test_a_growth_target_with_no_time_words_is_of_the_current_year():
    text = "2030年示范园营业收入增长9%。园区计划营业收入增长12%,出口增长8%。"
    assert periods(text, "2031-01-15", "zh") == [("9%", "year/2030"), ("12%", "year/2031"), ("8%", "year/2031")]
    text = "In 2030 the park's revenue grew 9 percent. The park aims to see revenue growth of 12 percent."
    assert periods(text, "2031-01-15") == [("9 percent", "year/2030"), ("12 percent", "year/2031")]


def test_currently_does_not_pass_its_day_to_later_growth():
    text = ("Model Park grew in the first three quarters of this year.\n\nIts investment currently stands at 4 billion "
            "yuan. Exports grew 6 percent year-on-year.")
    got = periods(text)
    assert got[0] == ("4 billion yuan", "day/2031-10-20")
    assert got[-1] == ("6 percent", "gregorian-interval/2031-01-01T00:00:00/P9M"), got


def test_the_parts_of_a_ratio_and_a_range_of_places_are_no_figures():
    text = "2030年,示范园二三产业比由80.5:19.5调整到70.2∶29.8,综合排名前进1~2位,营业收入增长6%。"
    assert [words for words, _ in periods(text, lang="zh")] == ["6%"]
    assert [words for words, _ in periods("2030年,示范园综合排名前进3位,新增博士20名。", lang="zh")] == ["20名"]
