"""`kg extract`: the rules of the ninth tuning (tests/extract/unseen/AFTER9.md), written as principles: a look back to an
origin or an aside in brackets dates only its own figure, a future year is a plan's target, spans of years and of two
months, a change is of a period, counts of zones dated in their own phrase, bases of comparisons, and the numbers that
define a class or size a classification are no figures. Every sentence here is ours, written to show one principle each."""

from __future__ import annotations

from datetime import date

from kg.extract import extract
from extracting import worded_periods as periods, worded_values as figures

H1_2031 = "gregorian-interval/2031-01-01T00:00:00/P6M"


# ---- spans of years ---------------------------------------------------------------

def test_a_count_of_years_is_never_a_four_digit_year():
    # the root of a blind8 reading "gregorian-interval/0008-01-01/P2004Y": 2004年以来 is "since 2004", not 2004 years
    text = "示范园2004年以来累计引进人才5万名。"
    assert periods(text, "2031-03-01", "zh") == [("5万名", "gregorian-interval/2004-01-01T00:00:00/P28Y")]


def test_since_a_year_runs_to_the_year_its_sentence_reports():
    text = "2030年,示范园共培训技工3万名,2020年以来,共培训技工25万名。"
    assert periods(text, "2031-03-01", "zh") == [("3万名", "year/2030"),
                                                 ("25万名", "gregorian-interval/2020-01-01T00:00:00/P11Y")]


def test_a_span_of_years_is_one_period():
    zh = "2011年至2030年,示范园营业收入年平均增长25%。"
    assert periods(zh, "2031-03-01", "zh") == [("25%", "gregorian-interval/2011-01-01T00:00:00/P20Y")]
    en = "From 2011 to 2030, Model Park's revenue grew by 25 percent a year."
    assert periods(en, "2031-03-01") == [("25 percent", "gregorian-interval/2011-01-01T00:00:00/P20Y")]


# ---- what dates only its own figure -------------------------------------------------

def test_an_origin_dates_only_the_figure_it_is_stated_for():
    text = "示范园成立于1999年。\n\n建园之初,示范园只有12家企业,现在已集聚900家企业,人才达到3万人。"
    assert periods(text, "2031-09-30", "zh") == [("12家", "year/1999"), ("900家", "day/2031-09-30"),
                                                 ("3万人", "day/2031-09-30")]


def test_an_aside_in_brackets_dates_only_its_own_figure():
    text = "示范园高新技术企业增长了近30倍(2001年时15家),达到450家。\n\n新一代信息技术产业规模达到800亿元。"
    got = periods(text, "2031-09-30", "zh")
    assert got == [("近30倍", "day/2031-09-30"), ("15家", "year/2001"), ("450家", "day/2031-09-30"),
                   ("800亿元", "day/2031-09-30")]


def test_a_time_word_opening_the_next_piece_dates_that_piece():
    text = "示范园科技型企业近500家,近三年平均增长超15%。"
    assert periods(text, "2031-09-30", "zh") == [("近500家", "day/2031-09-30"),
                                                 ("超15%", "gregorian-interval/2028-01-01T00:00:00/P3Y")]


def test_a_possessive_year_dates_the_base_of_a_multiple_not_the_multiple():
    text = "Model Park grew fast in the first half of 2031.\n\n\"Output per worker in the park is 9 times last year's national average,\" he said."
    assert periods(text, "2031-09-01") == [("9 times", "day/2031-09-01")]


def test_the_same_period_of_a_named_year_is_the_period_compared_with_zh():
    text = "2031年上半年,示范园营业收入增长8%,与2030年同期相比,服务业占比提升0.5个百分点。"
    assert periods(text, "2031-08-01", "zh") == [("8%", H1_2031), ("0.5个百分点", H1_2031)]


# ---- targets, months, changes --------------------------------------------------------

def test_a_future_year_dates_the_targets_after_it():
    text = ("By 2035, Model Park's revenue will reach 1 trillion yuan. Its listed companies will reach 300.\n\n"
            "The park has 40 incubators.")
    assert periods(text, "2031-01-10") == [("1 trillion yuan", "year/2035"), ("300", "year/2035"),
                                           ("40", "day/2031-01-10")]


def test_two_months_in_a_row_are_one_span_and_a_detail_of_the_months_reported():
    text = ("From January to June, exports rose 5 percent year on year, and rose 8 percent in May and June. "
            "Imports rose 3 percent.")
    assert periods(text, "2031-07-20") == [("5 percent", H1_2031),
                                           ("8 percent", "gregorian-interval/2031-05-01T00:00:00/P2M"),
                                           ("3 percent", H1_2031)]


def test_a_change_is_of_a_period_whatever_its_tense():
    text = "In the first half of 2031, output rose 6 percent.\n\nThe share of firms with growth has increased by 3 percentage points."
    assert periods(text, "2031-08-01") == [("6 percent", H1_2031), ("3 percentage points", H1_2031)]


def test_set_up_is_no_rise():
    found = extract("It has also set up four offices for investment.", date(2031, 8, 1), "en")
    assert [(f.exact, f.kind) for f in found] == [("four", "level")]


# ---- counts of zones (C1) and of a ranking's members -----------------------------------

def test_a_count_of_zones_dated_in_its_own_phrase_takes_that_year():
    text = "据悉,2030年纳入统计的160家国家高新区实现营业收入50万亿元。"
    assert periods(text, "2031-07-01", "zh")[0] == ("160家", "year/2030")


def test_a_count_of_zones_written_as_a_sum():
    text = "The report said the 150+2 high-tech zones generated 40 trillion yuan in 2030."
    assert periods(text, "2031-07-01") == [("150", "day/2031-07-01"), ("40 trillion yuan", "year/2030")]


def test_the_time_words_after_a_subject_count_of_zones_are_the_verbs():
    text = ("Revenue rose in 60 hi-tech industry development zones over the first three quarters of the year, "
            "with some achieving 20 percent growth.")
    assert periods(text, "2031-12-01")[0] == ("60", "day/2031-12-01")


def test_the_members_of_a_ranking_counted_are_a_stock():
    text = "2030年,示范园营业收入增长10%。\n\n全国软件百强企业中12家诞生于示范园。"
    assert periods(text, "2031-03-01", "zh") == [("10%", "year/2030"), ("12家", "day/2031-03-01")]


# ---- numbers that are no figures, and a part counted -----------------------------------

def test_thresholds_that_define_classes_are_no_figures():
    text = ("By the end of 2030, there were 800 enterprises in the park, two of which had annual revenue over 5 billion "
            "yuan, 20 over 1 billion yuan, and 90 over 100 million yuan.")
    assert figures(text, "2031-03-01") == [("800", "800", "NUM"), ("two", "2", "NUM"), ("20", "20", "NUM"),
                                           ("90", "90", "NUM")]


def test_the_size_of_a_classification_is_no_figure():
    text = ("Output rose 6 percent. Seven of the 19 industry categories grew. Of the 12 service categories, 5 achieved "
            "growth, and 4 of the park's 30 quantitative indicators improved.")
    assert figures(text, "2031-03-01") == [("6 percent", "6", "PERCENT")]


def test_an_anniversary_counts_years_and_is_no_figure():
    text = "在示范园30周年座谈会上获悉,目前示范园已集聚企业900家。"
    assert figures(text, "2031-03-01", "zh") == [("900家", "900", "NUM")]
