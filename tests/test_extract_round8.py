"""`kg extract`: the rules of the eighth tuning (tests/extract/unseen/AFTER8.md), written as principles: what the
reporting-period context may carry (no amount's digits, no year before the first zone or after publication, no
bracketed label alone), "the same period" names the period compared with, and the kinds of number that are no
figures. Every sentence here is ours, written to show one principle each."""

from __future__ import annotations

from datetime import date

from kg.extract import extract

REF = "http://reference.data.gov.uk/id/"


def periods(text: str, published: str = "2031-10-20", lang: str = "en") -> list[tuple[str, str]]:
    return [(text[f.start:f.end], (f.period or "").removeprefix(REF)) for f in extract(text, date.fromisoformat(published), lang)]


def figures(text: str, published: str = "2031-10-20", lang: str = "en") -> list[tuple[str, str, str]]:
    return [(text[f.start:f.end], str(f.value), f.unit) for f in extract(text, date.fromisoformat(published), lang)]


# ---- what the context may carry ------------------------------------------------

def test_an_amount_with_a_scale_word_is_never_a_year_zh():
    text = "2030年,示范园经济平稳。全年实现工业总产值1911亿元,同比增长20%;增加值425亿元,增长9%。"
    assert [p for _, p in periods(text, "2031-02-01", "zh")] == ["year/2030"] * 4


def test_an_amount_with_a_scale_word_is_never_a_year_en():
    text = "In 2030 Model Park did well.\n\nIts output came to 1911 billion yuan. Exports rose 9 percent."
    assert periods(text, "2031-02-01") == [("1911 billion yuan", "year/2030"), ("9 percent", "year/2030")]


def test_a_year_before_the_first_zone_is_no_reporting_period():
    text = "In 1960 the town had 30 workshops.\n\nModel Park's revenue rose 12 percent."
    assert periods(text, "2031-02-01")[-1] != ("12 percent", "year/1960")


def test_a_year_in_brackets_is_a_label_not_a_reporting_period():
    text = ("In 2029 Model Park's output grew 10 percent.\n\nThe Model Park Index (2030) was released on Monday with "
            "12 sub-indexes. The index rose 40 percent.")
    assert periods(text, "2030-12-06")[-1] == ("40 percent", "year/2029")
    agreed = ("Model Park in 2030\n\nThe Model Park Index (2030) was released on Monday with 12 sub-indexes. "
              "The index rose 40 percent.")
    assert periods(agreed, "2031-01-06")[-1] == ("40 percent", "year/2030")  # a second statement agrees


# ---- comparisons -----------------------------------------------------------------

def test_the_same_period_of_a_named_year_is_the_period_compared_with():
    text = ("Model Park grew in the first quarter of 2031.\n\nIts sales were 28 billion yuan, increasing 25 percent on "
            "the same period in 2030.")
    q1 = "gregorian-interval/2031-01-01T00:00:00/P3M"
    assert periods(text, "2031-06-14") == [("28 billion yuan", q1), ("25 percent", q1)]


def test_words_run_together_keep_their_meaning():
    text = "In the first quarter of 2031, exports grew 12 percent yearonyear. The rate was 6.5 percentagepoints higher."
    assert figures(text, "2031-06-14") == [("12 percent", "12", "PERCENT"), ("6.5 percentagepoints", "6.5", "PERCENT")]


# ---- stocks ----------------------------------------------------------------------

def test_the_field_of_a_ranking_is_counted_now_even_after_a_comma():
    text = "2030年示范园营业收入增长9%。在全国150个国家级高新区中,示范园综合排名前移。"
    assert periods(text, "2031-03-01", "zh")[-1] == ("150个", "day/2031-03-01")


def test_a_span_shorter_than_a_year_states_a_period_without_a_figure():
    text = ("Model Park did well in 2030.\n\nIn the first 11 months of 2030, its key firms reported double-digit growth. "
            "The output of one firm increased by 55 percent.")
    assert periods(text, "2031-02-09")[-1] == ("55 percent", "gregorian-interval/2030-01-01T00:00:00/P11M")


def test_a_share_is_of_the_moment_or_period_of_its_whole():
    text = "2031年上半年,示范园营业收入增长8%,累计认定领军企业34家,占全市的25%。辖区15家企业入选名单,占全市入选总数的60%。"
    h1 = "gregorian-interval/2031-01-01T00:00:00/P6M"
    assert periods(text, "2031-08-27", "zh") == [("8%", h1), ("34家", "day/2031-08-27"), ("25%", "day/2031-08-27"),
                                                  ("15家", h1), ("60%", h1)]


def test_a_superlatives_range_is_no_period_of_the_figure():
    text = "Model Park in 2030\n\nModel Park's income growth reached 8 percent, the largest increase in the last five years."
    assert periods(text, "2031-05-21") == [("8 percent", "year/2030")]
    zh = "示范园2030年经济平稳。\n\n园区营业收入增长15%,增速为五年来最高。"
    assert periods(zh, "2031-05-21", "zh") == [("15%", "year/2030")]
