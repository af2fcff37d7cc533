"""`kg extract`: the rules of the eighth tuning (tests/extract/unseen/AFTER8.md), written as principles: what the
reporting-period context may carry (no amount's digits, no year before the first zone or after publication, no
bracketed label alone), "the same period" names the period compared with, and the kinds of number that are no
figures. Every sentence here is ours, written to show one principle each."""

from __future__ import annotations

from datetime import date

from kg.extract import extract
from extracting import worded_periods as periods, worded_values as figures


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


# ---- numbers that are no figures (value+unit precision) ------------------------------

def test_ranks_and_top_lists_are_no_figures():
    text = "Model Park ranked No 12 among the parks, up from No 15 a year before. Its revenue rose 9 percent."
    assert [w for w, *_ in figures(text)] == ["9 percent"]
    zh = "示范园3家企业进入全国500强,可持续发展能力由24位上升到第6位,营业收入增长9%。"
    assert [w for w, *_ in figures(zh, lang="zh")] == ["3家", "9%"]


def test_the_two_digit_end_of_a_span_of_years_is_a_year():
    text = "During the plan period (2026-30), Model Park attracted 4,000 researchers."
    assert [w for w, *_ in figures(text)] == ["4,000"]


def test_the_number_of_a_lists_items_named_one_by_one_is_no_figure():
    zh = "示范园新引进甲公司、乙公司2个项目和丙、丁等24个项目。"
    assert [w for w, *_ in figures(zh, lang="zh")] == ["24个"]
    text = "The index has 4 parts, talent, capital, technology and services. The park scored 81 points."
    assert [w for w, *_ in figures(text)] == ["81"]


def test_an_amount_after_letters_is_no_name_and_a_conversion_may_have_a_space():
    zh = "2030年,示范园实现GDP307.3亿元,同比增长3.1%。"
    assert figures(zh, "2031-02-01", "zh")[0] == ("307.3亿元", "3.073E+10", "CCY_CNY")
    text = "Model Park's revenue reached 52 billion yuan ($ 8.1 billion) in 2030."
    assert [w for w, *_ in figures(text)] == ["52 billion yuan"]


def test_thresholds_storeys_and_lengths_of_time_are_no_figures():
    text = ("Output of large firms (those with annual operating revenues of roughly $3 million or more) rose 8 percent. "
            "Startups valued at more than $1 billion came to 12.")
    assert [w for w, *_ in figures(text)] == ["8 percent", "12"]
    zh = "经过20多年的发展,示范园建成两栋8层厂房,营业收入增长9%。"
    assert [w for w, *_ in figures(zh, lang="zh")] == ["9%"]


def test_counts_written_with_a_scale_word_and_ratios_in_words_are_figures():
    zh = "2030年,示范园企业总数突破万家,高新技术企业突破千家。"
    assert figures(zh, "2031-02-01", "zh") == [("突破万家", "10000", "NUM"), ("突破千家", "1000", "NUM")]
    text = "In 2030 labour productivity in the park was three times the national average."
    assert figures(text, "2031-02-01") == [("three times", "3", "NUM")]


def test_a_headline_that_leaves_the_unit_out_takes_the_bodys():
    zh = "示范园2030年总收入1.2万亿\n\n2030年,示范园实现营业总收入1.2万亿元。"
    assert [u for _, _, u in figures(zh, "2031-02-01", "zh")] == ["CCY_CNY", "CCY_CNY"]


def test_a_change_in_percentage_points_is_no_change_in_a_count(indicators):
    text = "In 2030 the zone's GDP grew 9 percent, 4.8 percentage points higher than the city average."
    found = extract(text, date(2031, 2, 1), "en", indicators)
    assert [(text[f.start:f.end], f.indicator) for f in found][1] == ("4.8 percentage points", None)


def test_a_count_that_you_introduces_before_a_verb_of_events_is_a_flow():
    text = "2030年,示范园营业收入增长9%。园区有120个项目获得立项,还有30家上市企业。"
    assert periods(text, "2031-03-01", "zh")[1:] == [("120个", "year/2030"), ("30家", "day/2031-03-01")]


def test_a_multiple_of_a_stock_is_of_the_stocks_day():
    text = "2030年,示范园营业收入增长9%,每万名从业人员拥有发明专利90件,相当于全国平均水平的8倍。"
    assert periods(text, "2031-03-01", "zh")[1:] == [("90", "day/2031-03-01"), ("8倍", "day/2031-03-01")]


def test_the_field_of_a_top_n_is_counted_now():
    text = "In 2030 Model Park's revenue rose 9 percent. It ranked within the top 10 of 170 national high-tech zones."
    assert periods(text, "2031-01-19")[-1] == ("170", "day/2031-01-19")


def test_the_previous_year_is_the_year_before_the_one_the_sentence_names():
    zh = "2030年,示范园工业增加值增长12%,对经济增长的贡献率由前一年的30%提升至45%。"
    assert periods(zh, "2031-03-01", "zh") == [("12%", "year/2030"), ("30%", "year/2029"), ("45%", "year/2030")]
    text = "In 2030 the park's output rose 8 percent, a 2-percentage-point increase compared to the previous year."
    assert periods(text, "2031-03-01") == [("8 percent", "year/2030"), ("2-percentage-point", "year/2030")]


def test_an_english_amount_is_named_by_its_own_words_where_a_clause_has_several(indicators):
    text = ("The zone's revenue in 2030 reached 500 billion yuan, exports totaled 80 billion yuan and gross industrial "
            "output value reached 400 billion yuan.")
    found = extract(text, date(2031, 2, 1), "en", indicators)
    assert str(found[0].indicator.iri).rsplit("/", 1)[-1] == "revenue"
    assert str(found[-1].indicator.iri).rsplit("/", 1)[-1] == "gross-industrial-output"


def test_the_leading_companies_are_a_part(indicators):
    text = "In 2030 the zone's leading companies reported 29 billion yuan in total industrial output value."
    assert extract(text, date(2031, 2, 1), "en", indicators)[0].indicator is None


def test_the_second_half_and_the_halfs_abbreviations_are_periods():
    assert periods("2030年下半年,示范园营业收入增长9%。", "2031-03-01", "zh") == [
        ("9%", "gregorian-interval/2030-07-01T00:00:00/P6M")]
    assert periods("The zone posted 2030 H1 revenue of 8 billion yuan.", "2031-03-01") == [
        ("8 billion yuan", "gregorian-interval/2030-01-01T00:00:00/P6M")]


def test_the_month_and_day_of_a_date_in_digits_are_no_figures():
    assert [w for w, *_ in figures("On 2030-12-12 the park said its revenue rose 9 percent.")] == ["9 percent"]
