"""`kg extract`: the rules of the fourth tuning (tests/extract/unseen/AFTER4.md): a starting point's year dates only
its own figure (convention C3), numbers written in words, numbers about something else than the zones, time words
with Chinese numerals, and figures of a part named by a sentence's opening or of a rate. Every sentence here is ours,
built like the news sentences that showed the kind missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


from extracting import named, read
from kg.extract import extract

Y = "http://reference.data.gov.uk/id/year/"
I = "http://reference.data.gov.uk/id/gregorian-interval/"  # noqa: E741 (I for interval, beside Y and D)
D = "http://reference.data.gov.uk/id/day/"






def test_a_starting_point_dates_only_its_own_figure():
    zh = "近年来,园区数量从2019年的50家增加到了64家,覆盖了12个城市。园区聚集了30%的重点实验室。"
    assert [(v, p) for v, _, _, p in read(zh, "2024-05-10", "zh")] == [
        (Decimal(50), Y + "2019"), (Decimal(64), D + "2024-05-10"), (Decimal(12), D + "2024-05-10"),
        (Decimal(30), D + "2024-05-10")]  # 2019 is no reporting period for the sentences after it
    en = ("The park's exports rose to 3.1 billion dollars, up from 2.4 billion dollars in 2018.\n\n"
          "The park hosts 420 companies.\n")
    assert [(v, p) for v, _, _, p in read(en, "2021-03-01")][1:] == [
        (Decimal("2400000000"), Y + "2018"), (Decimal(420), D + "2021-03-01")]
    en = "The number of zones grew from 169 in 2020 to 178, covering 31 provinces. The share rose from 5% to 7% in 2020."
    assert [(v, p) for v, _, _, p in read(en, "2025-11-06")] == [
        (Decimal(169), Y + "2020"), (Decimal(178), D + "2025-11-06"), (Decimal(31), D + "2025-11-06"),
        (Decimal(5), Y + "2020"), (Decimal(7), Y + "2020")]  # "from 5% to 7% in 2020": 2020 is the period of both


def test_an_ongoing_span_sets_no_reporting_period_but_an_ended_plan_does():
    zh = "今年以来,园区发展良好。园区企业达到1200家。"
    assert read(zh, "2025-11-06", "zh") == [(Decimal(1200), "NUM", None, D + "2025-11-06")]
    zh = "在“十二五期间”园区主要指标保持了20%以上的增幅。"
    assert read(zh, "2017-03-01", "zh") == [(Decimal(20), "PERCENT", "MoreThan", I + "2011-01-01T00:00:00/P5Y")]
    zh = "“十四五”期间,园区企业达到1300家。"  # the plan has not ended: its figures are of now
    assert read(zh, "2024-03-01", "zh") == [(Decimal(1300), "NUM", None, D + "2024-03-01")]


def test_chinese_numerals_and_quarter_ranges_in_time_words():
    zh = "今年1至3季度,园区实现收入500亿元。前七个月,园区专利申请增长12.5%。"
    assert read(zh, "2014-10-22", "zh") == [
        (Decimal("50000000000"), "CCY_CNY", None, I + "2014-01-01T00:00:00/P9M"),  # the 1 of 1至3季度 is no figure
        (Decimal("12.5"), "PERCENT", None, I + "2014-01-01T00:00:00/P7M")]


def test_numbers_written_in_words():
    zh = "2023年,园区汇聚了半数以上全市的高新技术企业,以及超过六成的发明专利和七成的小巨人企业。"
    assert read(zh, "2024-01-10", "zh") == [
        (Decimal(50), "PERCENT", "MoreThan", D + "2024-01-10"), (Decimal(60), "PERCENT", "MoreThan", D + "2024-01-10"),
        (Decimal(70), "PERCENT", None, D + "2024-01-10")]  # shares gathered (汇聚) are stocks: of publication (C5, round 5)
    en = ("The Park Posts 3-Billion-Yuan Exports\n"
          "Sixty-two percent of the firms in the park made profits in 2020. Its land use was less than half "
          "the national level in 2020. Nearly fifteen percent of them were new.\n")
    assert read(en, "2021-02-01") == [
        (Decimal("3000000000"), "CCY_CNY", None, Y + "2020"),  # a headline's amount, hyphenated
        (Decimal(62), "PERCENT", None, Y + "2020"), (Decimal(50), "PERCENT", "LessThan", Y + "2020"),
        (Decimal(15), "PERCENT", "Nearly", Y + "2020")]


def test_numbers_about_something_else_are_not_figures():
    en = ("In 2019, each worker of the park produced more than the average worker ($9,800) and grew "
          "faster than the average 3.5 percent increase in the province. The park used 0.4 tons of coal for every "
          "10,000 yuan of output.")
    assert read(en, "2020-06-01") == []  # a compared-with value, a rate's base, a unit outside the model
    en = "In 2019, the park's income rose 12 percent, faster than the national average of 6.1 percent."
    assert [v for v, *_ in read(en, "2020-06-01")] == [Decimal(12)]
    zh = "园区形成了“121”产业格局,10个1类新药获批。"
    assert [v for v, *_ in read(zh, "2020-06-01", "zh")] == [Decimal(10)]  # a quoted name, a drug's class
    zh = "10月20 日,园区公布了数据。"
    assert read(zh, "2020-10-22", "zh") == []  # a date written with a space


def test_a_sentence_opening_with_a_group_of_enterprises_restricts_all_its_figures(indicators):
    en = ("In 2015, total revenue of the park's listed companies rose 20 percent to 1.2 trillion yuan, and "
          "their net profit 9 percent to 80 billion yuan. Headquarters enterprises in the park earned revenue of "
          "600 billion yuan in 2015. In 2015, the park's total revenue was 2.1 trillion yuan.")
    assert named(en, "2016-08-11", "en", indicators) == [
        (Decimal(20), None), (Decimal("1200000000000"), None), (Decimal(9), None), (Decimal("80000000000"), None),
        (Decimal("600000000000"), None), (Decimal("2100000000000"), "revenue")]
    zh = "1到7月,园区规模以上企业实现总收入2100亿元,同比增长16.0%;利润总额160亿元,同比增长6.4%。"
    assert [name for _, name in named(zh, "2016-09-03", "zh", indicators)] == [None, None, None, None]
    zh = "截至目前,国家高新区产业体系不断完善,园区总数达173家。"  # an industry in an opening is only its setting
    assert named(zh, "2022-09-15", "zh", indicators) == [(Decimal(173), "zone-count")]


def test_a_figure_per_capita_is_a_rate_not_a_total(indicators):
    en = ("In 2009, the zones' GDP per capita was 280,000 yuan. Their profit was 120,000 yuan per capita. "
          "In 2009, the zones' GDP was 7.8 trillion yuan.")
    assert named(en, "2011-01-03", "en", indicators) == [
        (Decimal(280000), None), (Decimal(120000), None), (Decimal("7800000000000"), "gdp")]


def test_a_chinese_count_from_a_to_b_counts_the_noun_before_it_twice(indicators):
    zh = "园区总数从2019年的50家增加到了64家。"
    assert named(zh, "2024-05-10", "zh", indicators) == [(Decimal(50), "zone-count"), (Decimal(64), "zone-count")]


def test_a_chinese_growth_named_after_its_rate(indicators):
    zh = "今年前三季度,园区企业总收入5000亿元,继续保持25%以上的增幅。"
    figures = extract(zh, date(2014, 10, 22), "zh", indicators)
    assert [(f.value, f.kind, f.qualifier, str(f.indicator.iri).rsplit("/", 1)[-1] if f.indicator else None)
            for f in figures] == [(Decimal("500000000000"), "level", None, "revenue"),
                                  (Decimal(25), "growth", "MoreThan", "revenue-growth")]


def test_a_year_that_names_a_report_dates_no_figure():
    en = ("Park Firms Post 3-Billion-Yuan Profits\n"
          "The association published the 2016 park competitiveness report on August 3.\n"
          "According to the report, which collected the 2015 annual data, the firms' profits rose 12 percent.\n")
    assert [p for *_, p in read(en, "2016-08-11")] == [Y + "2015", Y + "2015"]  # the headline takes 2015, not 2016


def test_chinese_shares_of_laboratories_and_government_revenue(indicators):
    zh = "园区聚集了60%的国家制造业创新中心、70%的全国重点实验室。"
    assert [name for _, name in named(zh, "2025-11-06", "zh", indicators)] == [
        "share-of-national-manufacturing-innovation-centers", "share-of-key-national-laboratories"]
    en = "In 2018, the public budget revenue of the zone was 1.2 billion yuan, an increase of 20.5 percent."
    assert [name for _, name in named(en, "2018-12-17", "en", indicators)] == [None, None]


def test_a_number_that_starts_a_line_after_a_word_is_no_name():
    text = "Park figures of 2020\nIn 2020 the park exported goods worth\n62 percent more than in 2019.\n"
    assert [(v, u) for v, u, *_ in read(text, "2021-02-01")] == [(Decimal(62), "PERCENT")]  # not "…worth\n" + a name
