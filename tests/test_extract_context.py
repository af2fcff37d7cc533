"""`kg extract`: the reporting period a text states once and carries (kg/extract/context.py), the
figures of a part that get no code-list indicator, and the value rules the blind2 texts taught.
Every sentence here is ours, built like the news sentences that showed the kind missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal


from extracting import named
from kg.extract import extract
from kg.extract.context import context_period, present_tense, time_context
from kg.extract.periods import find_time_expressions
from kg.extract.rules import load_rules

Y = "http://reference.data.gov.uk/id/year/"
I = "http://reference.data.gov.uk/id/gregorian-interval/"  # noqa: E741 (I for interval, beside Y and D)
D = "http://reference.data.gov.uk/id/day/"
H1_2017 = I + "2017-01-01T00:00:00/P6M"


def periods(text: str, published: str, lang: str = "en") -> list[tuple[Decimal, str | None]]:
    return [(f.value, f.period) for f in extract(text, date.fromisoformat(published), lang)]


def test_a_period_stated_once_in_the_lead_carries_to_the_paragraphs_after_it():
    text = ("Valley zone posts strong growth\n\n"
            "The valley zone in Hubei grew fast during the first half of 2017.\n\n"
            "Sales of its firms reached 120.5 billion yuan, up 11.2 percent year-on-year.\n\n"
            "Industrial investment was 8.3 billion yuan.\n")
    assert periods(text, "2017-07-25") == [
        (Decimal("120500000000"), H1_2017), (Decimal("11.2"), H1_2017), (Decimal("8300000000"), H1_2017)]
    rules = [r for f in extract(text, date(2017, 7, 25)) for r in f.rules if r.startswith("period=")]
    assert rules == ["period=context:first-half", "period=inherited", "period=context:first-half"]  # year-on-year


def test_the_present_tense_keeps_the_day_of_publication():
    text = ("In the first three quarters, the zones earned 9.1 trillion yuan.\n\n"
            "The zones are home to 65 percent of the key labs. They have gathered 70 percent of the "
            "innovation centers. Their firms filed 8,000 patents.")
    assert periods(text, "2023-12-12") == [
        (Decimal("9100000000000"), I + "2023-01-01T00:00:00/P9M"),
        (Decimal(65), D + "2023-12-12"),  # present simple
        (Decimal(70), D + "2023-12-12"),  # present perfect: up to now
        (Decimal(8000), I + "2023-01-01T00:00:00/P9M"),  # past tense: the reporting period
    ]


def test_a_new_period_replaces_the_last_and_spans_of_trend_or_target_do_not_set_one():
    text = ("In 2020, exports rose to 3.2 billion yuan. Imports fell to 1.1 billion yuan.\n\n"
            "In the first quarter of 2021, sales hit 2.4 billion yuan.\n\nProfits were 0.6 billion yuan.\n\n"
            "Over the next three years, the city will invest 5 billion yuan. Its firms made 1,200 robots.")
    assert periods(text, "2021-05-01") == [
        (Decimal("3200000000"), Y + "2020"), (Decimal("1100000000"), Y + "2020"),
        (Decimal("2400000000"), I + "2021-01-01T00:00:00/P3M"), (Decimal("600000000"), I + "2021-01-01T00:00:00/P3M"),
        (Decimal("5000000000"), I + "2022-01-01T00:00:00/P3Y"),
        (Decimal(1200), I + "2021-01-01T00:00:00/P3M"),  # "over the next three years" is no reporting period
    ]


def test_summary_bullets_before_the_body_take_the_first_period_of_the_body():
    text = ("●营业收入2400.5亿元:国家高新区1500.2亿元,省级高新区900.3亿元\n"
            "●新增企业35家\n"
            "今年上半年,全市高新区实现营业收入2400.5亿元,同比增长12.3%。\n")
    h1 = I + "2022-01-01T00:00:00/P6M"
    assert periods(text, "2022-08-20", "zh") == [
        (Decimal("240050000000"), h1), (Decimal("150020000000"), h1), (Decimal("90030000000"), h1),
        (Decimal(35), h1), (Decimal("240050000000"), h1), (Decimal("12.3"), h1)]


def test_during_the_period_after_a_stock_of_a_day_takes_the_reporting_span():
    text = ("In the first quarter this year, revenue of the park hit 10.5 billion yuan. By March, the park had about "
            "5,000 researchers. R&D spending grew 20 percent to 1.2 billion yuan during the period.")
    q1 = I + "2018-01-01T00:00:00/P3M"
    assert periods(text, "2018-05-13") == [
        (Decimal("10500000000"), q1), (Decimal(5000), D + "2018-03-31"), (Decimal(20), q1), (Decimal("1200000000"), q1)]


def test_a_change_since_the_end_of_a_year_runs_from_the_next_january():
    text = "截至9月,园区企业总数为3500户,较2023年末净增420户。"
    got = [(f.value, f.kind, f.period) for f in extract(text, date(2024, 10, 20), "zh")]
    assert got == [(Decimal(3500), "level", D + "2024-09-30"), (Decimal(420), "change", I + "2024-01-01T00:00:00/P9M")]


def test_the_context_and_the_tense_alone():
    rules = load_rules()
    text = "Zone report\nBullet 12 yuan\nIn 2021 the zone grew.\nIt earned 5 yuan.\nSince 2012 it has grown.\n"
    context = time_context(text, find_time_expressions(text, date(2022, 1, 1), rules), rules)
    assert context.body_start == text.index("In 2021")  # the lines before the first sentence end are the summary
    assert [t.rule for t in context.reporting] == ["year"]  # "since 2012" states no reporting period
    assert context_period(context, text.index("Bullet"), "document")[1] == "summary"
    assert context_period(context, text.index("It earned"), "document")[0].period == Y + "2021"
    assert context_period(context, text.index("It earned"), "paragraph") == (None, "")
    for clause, present in (("The zones are home to 9 labs", True), ("They have gathered 9 labs", True),
                            ("They had 9 labs", False), ("Sales reached 9 yuan", False), ("9 labs in total", False),
                            ("The zone covers 9 square km", True), ("It earned 5 yuan, that is, 9 percent", False),
                            ("The zone will add 9 labs", True), ("园区将新增9家企业", True),
                            ("国家高新区拥有9家实验室", False)):
        at = clause.index("9")
        assert present_tense(clause, (0, len(clause)), at, at + 1, rules) is present, clause


def test_news_wire_abbreviations_conversions_in_brackets_and_word_fractions():
    text = ("Revenue is expected to exceed ¥48 trln (about $7.6 trln) in 2021. Profits came to ¥4.2 trln. "
            "The zones made about a half of the province's added value and a eighth of its investment in 2021.")
    got = [(f.value, f.unit, f.qualifier) for f in extract(text, date(2022, 2, 25))]
    assert got == [
        (Decimal("48000000000000"), "CCY_CNY", "MoreThan"),  # "trln" is a scale; "(about $7.6 trln)" a conversion
        (Decimal("4200000000000"), "CCY_CNY", None),
        (Decimal(50), "PERCENT", "About"),  # "about a half"
        (Decimal("12.5"), "PERCENT", None),  # "a eighth"
    ]




def test_a_chinese_amount_is_named_by_its_own_piece_not_its_whole_clause(indicators):
    text = "1-2月,园区企业实现总收入800.5亿元,同比增长10.2%,实现技术收入120.4亿元,同比增长5.1%。"
    assert named(text, "2015-04-03", "zh", indicators) == [
        (Decimal("80050000000"), "revenue"), (Decimal("10.2"), "revenue-growth"),
        (Decimal("12040000000"), None), (Decimal("5.1"), None)]  # technical income is not the revenue


def test_figures_of_a_part_get_no_code_list_indicator(indicators):
    zh = ("●营业收入1400.6亿元:国家高新区800.2亿元,省级高新区600.4亿元\n"
          "●高新技术产业营业收入700.8亿元:国家高新区400.5亿元\n"
          "上半年,高新技术产业营业收入700.8亿元,占高新区营业收入比重达50.0%,同比增长23.9%。\n")
    assert named(zh, "2021-08-31", "zh", indicators) == [
        (Decimal("140060000000"), "revenue"), (Decimal("80020000000"), "revenue"),  # a colon's breakdown keeps its head
        (Decimal("60040000000"), "revenue"),
        (Decimal("70080000000"), None), (Decimal("40050000000"), None),  # one industry's revenue
        (Decimal("70080000000"), None), (Decimal("50.0"), None), (Decimal("23.9"), None)]
    en = ("In the first quarter, the gross industrial output of the zone reached 30.2 billion yuan. The industrial "
          "output value above designated size reached 16.5 billion yuan. Companies above the designated size in the "
          "zone realized revenues of 56.2 billion yuan, net profit of 2.4 billion yuan.")
    assert named(en, "2023-04-25", "en", indicators) == [
        (Decimal("30200000000"), "gross-industrial-output"), (Decimal("16500000000"), None),
        (Decimal("56200000000"), None), (Decimal("2400000000"), None)]


def test_what_a_count_counts_and_words_that_name_another_measure(indicators):
    en = ("In 2021, a total of 9,200 new businesses entered the zones. They also paid 11.8% of the tax revenue, "
          "that is, 1.9 trillion yuan. Industries in electronics and new materials saw fast growth, with total revenue "
          "exceeding 918 billion yuan. The industrial added value was 167.8 billion yuan, up 12.8 percent.")
    assert named(en, "2022-03-01", "en", indicators) == [
        (Decimal(9200), None),  # the noun counted ends at its verb: not "businesses entered the zones"
        (Decimal("11.8"), None), (Decimal("1900000000000"), None),  # tax revenue is not the zones' revenue
        (Decimal("918000000000"), None),  # a sentence whose subject is some industries
        (Decimal("167800000000"), None), (Decimal("12.8"), None)]  # industrial added value is a part of GDP
    zh = "截至目前,国家高新区总数达173家。截至9月,高新区市场主体存量为36581户。国家高新区新增研发机构10个。"
    assert named(zh, "2024-10-20", "zh", indicators) == [
        (Decimal(173), "zone-count"),  # 总数达: the zones are what is counted
        (Decimal(36581), None),  # 高新区 modifies 市场主体, what is counted
        (Decimal(10), None)]


def test_a_year_of_history_in_a_sentence_of_no_figure_states_no_reporting_period():
    text = ("Park posts growth\n\nThe park in Beijing posted fast growth, its office said.\n\n"
            "Established in 1988, the park was the country's first.\n\nIts firms filed 8,000 patents.\n\n"
            "In 2018, they earned 5.1 trillion yuan.\n\nThey filed 9,000 trademarks.\n")
    assert periods(text, "2019-05-01") == [
        (Decimal(8000), D + "2019-05-01"), (Decimal("5100000000000"), Y + "2018"), (Decimal(9000), Y + "2018")]


def test_a_growth_from_last_year_is_not_of_last_year():
    text = "In the first half, the zone earned 5.2 billion yuan, up 9.1 percent from last year."
    h1 = I + "2019-01-01T00:00:00/P6M"
    assert periods(text, "2019-08-01") == [(Decimal("5200000000"), h1), (Decimal("9.1"), h1)]


def test_a_threshold_written_after_its_amount_and_zones_named_again_by_their_number_are_not_figures():
    en = ("Firms with an annual income of 20 million yuan (about 3 million U.S. dollars) and above earned 1.2 "
          "trillion yuan in 2020.")
    assert [f.value for f in extract(en, date(2021, 3, 1))] == [Decimal("1200000000000")]
    zh = "截至11月,国家高新区总数达178家。178家国家高新区前三季度发展总体向好。"
    assert [f.value for f in extract(zh, date(2023, 12, 12), "zh")] == [Decimal(178)]


def test_a_summary_figure_the_body_states_again_takes_the_period_it_has_there():
    text = "●出口额300.5亿元\n上半年,园区营业收入2400.5亿元。1-5月,园区出口额300.5亿元。\n"
    got = [(f.value, f.period, [r for r in f.rules if r.startswith("period=")]) for f in extract(text, date(2022, 8, 1), "zh")]
    assert got[0] == (Decimal("30050000000"), I + "2022-01-01T00:00:00/P5M", ["period=as-in-body"])


def test_a_growth_whose_own_words_name_its_subject_is_read_from_them(indicators):
    text = "In 2021, the net profit of the zones rose by 14.0 percent, the paid taxes increased by 17.4%."
    assert named(text, "2022-03-01", "en", indicators) == [(Decimal("14.0"), "profit-growth"), (Decimal("17.4"), None)]


def test_a_year_on_year_growth_written_before_its_noun(indicators):
    text = "Firms in the park recorded a 34 percent year-on-year growth in total revenue in the first five months of 2021."
    got = [(f.value, f.kind, str(f.indicator.iri).rsplit("/", 1)[-1] if f.indicator else None)
           for f in extract(text, date(2021, 7, 3), "en", indicators)]
    assert got == [(Decimal(34), "growth", "revenue-growth")]


def test_last_month_is_the_calendar_month_before_publication():
    text = "In 2023, the zones earned 9.5 trillion yuan. They hired 30,000 graduates last month. 上月,园区新增企业120家。"
    assert periods(text, "2024-01-10") == [
        (Decimal("9500000000000"), Y + "2023"), (Decimal(30000), I + "2023-12-01T00:00:00/P1M"),
        (Decimal(120), I + "2023-12-01T00:00:00/P1M")]


def test_a_label_fits_only_where_its_head_noun_is_there(indicators):
    text = ("In 2022, the zones had 617,000 research and development personnel, with a total R&D expenditure of "
            "184 billion yuan. Their total research and development budget reached 190 billion yuan.")
    assert [(v, i) for v, i in named(text, "2023-08-07", "en", indicators) if v > 10**9] == [
        (Decimal("184000000000"), None),  # spending is not the budget, though "research and development" is there
        (Decimal("190000000000"), "rd-budget")]


def test_a_share_of_a_province_is_no_share_of_china(indicators):
    text = ("In 2015, the zones' GDP accounted for 48.1 percent of the province's total. In 2016, the zones' GDP "
            "accounted for 12.3 percent of China's GDP.")
    assert [i for _, i in named(text, "2017-01-01", "en", indicators)] == [None, "share-of-national-gdp"]


def test_a_text_of_lines_that_end_no_sentence_is_all_body():
    text = "Zone figures, first half of 2021\nRevenue 520.3 billion yuan\nExports 80.1 billion yuan\n"
    h1 = I + "2021-01-01T00:00:00/P6M"
    assert periods(text, "2021-08-01") == [(Decimal("520300000000"), h1), (Decimal("80100000000"), h1)]


def test_a_target_year_states_no_reporting_period():
    text = ("The park had 25,000 firms by the end of 2022.\n\nThe park aims to reach 10 trillion yuan in revenue "
            "by 2025.\n\nIts exports were 300 billion yuan.\n")
    assert periods(text, "2023-03-01") == [
        (Decimal(25000), Y + "2022"), (Decimal("10000000000000"), Y + "2025"), (Decimal("300000000000"), Y + "2022")]
