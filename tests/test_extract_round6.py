"""`kg extract`: the rules of the sixth tuning (tests/extract/unseen/AFTER6.md): places in a ranking are not
figures, English units written with hyphens, a list of numbers sharing one 个百分点, an amount written with a
scale word and no digit (突破千亿元), thresholds before the class they define, areas, fractions with a slash and
quoted names. Every sentence here is ours, written to show one principle each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kg.extract import extract

Y = "http://reference.data.gov.uk/id/year/"
D = "http://reference.data.gov.uk/id/day/"


def figures(text: str, lang: str = "en") -> list[tuple[Decimal, str, str | None]]:
    return [(f.value, f.unit, f.qualifier) for f in extract(text, date.fromisoformat("2031-03-01"), lang)]


def test_places_in_a_ranking_are_not_figures_zh():
    text = ("2030年,示范园在全省80家开发区中排名第3位,较上年第7位上升4个位次,三年累计提升9个位次,"
            "综合排名由第12升至第8,首次进入全国前10名。园区营业收入增长6%。")
    assert figures(text, "zh") == [(Decimal(80), "NUM", None), (Decimal(6), "PERCENT", None)]


def test_a_rank_change_by_a_verb_counts_places_but_people_are_counted():
    text = "2030年,示范园排名上升5位。园区引进院士3位,新增博士120名。"
    assert figures(text, "zh") == [(Decimal(3), "NUM", None), (Decimal(120), "NUM", None)]


def test_places_in_a_ranking_are_not_figures_en():
    text = ("In 2030, the park ranked No. 4 among 150 parks, rising 3 places from a year earlier, "
            "and stayed in the top 20 for innovation. Its revenue grew 11 percent.")
    assert figures(text) == [(Decimal(150), "NUM", None), (Decimal(11), "PERCENT", None)]


def test_hyphenated_percent_and_percentage_point_are_percent():
    text = ("In 2030, the park's exports reached 40-billion-yuan, a 7.5-percent increase year-on-year, "
            "and its share of the city's exports rose, a 1.5-percentage-point gain.")
    drafted = extract(text, date(2031, 3, 1), "en")
    assert [(f.value, f.unit, f.kind) for f in drafted] == [
        (Decimal("40e9"), "CCY_CNY", "level"), (Decimal("7.5"), "PERCENT", "growth"), (Decimal("1.5"), "PERCENT", "change")]
    assert {f.period for f in drafted} == {Y + "2030"}


def test_a_list_of_changes_shares_one_percentage_point():
    text = "2030年,示范园增速比全省、全市分别高出3.2、2.4个百分点。"
    assert figures(text, "zh") == [(Decimal("3.2"), "PERCENT", None), (Decimal("2.4"), "PERCENT", None)]


def test_a_scale_word_with_no_digit_after_a_verb_of_passing_is_an_amount():
    text = "2030年,示范园新材料产业收入突破千亿元,达到1030亿元。园区出口超百亿美元。"
    assert figures(text, "zh") == [
        (Decimal("1e11"), "CCY_CNY", "MoreThan"), (Decimal("1.03e11"), "CCY_CNY", None),
        (Decimal("1e10"), "CCY_USD", "MoreThan")]


def test_a_scale_word_naming_a_class_is_no_amount():
    text = "2030年,示范园打造千亿级产业集群,新增收入过百亿元的企业2家,新增过10亿元企业5家,引进超亿元项目12个。"
    assert figures(text, "zh") == [(Decimal(2), "NUM", None), (Decimal(5), "NUM", None), (Decimal(12), "NUM", None)]


def test_areas_fractions_and_quoted_names_are_not_figures():
    assert figures("The 35-square-kilometre park grew its output by nearly 1/4 in 2030, to 9 billion yuan.") == [
        (Decimal("9e9"), "CCY_CNY", None)]
    assert figures("2030年,示范园规划面积42平方公里,15家企业入选“领航200”榜单。", "zh") == [(Decimal(15), "NUM", None)]


def test_the_field_a_ranking_is_taken_among_is_a_stock():
    text = ("2030年,示范园营业收入增长6%,在全省80家开发区中排名第3位。\n"
            "In 2030, the park's revenue grew 9 percent; it ranked 4th among 150 parks.")
    drafted = extract(text, date(2031, 3, 1), "zh")
    assert [(f.value, f.period) for f in drafted] == [
        (Decimal(6), Y + "2030"), (Decimal(80), D + "2031-03-01"), (Decimal(9), Y + "2030"), (Decimal(150), D + "2031-03-01")]


def test_an_amount_each_item_of_a_class_has_is_no_figure():
    text = ("In 2030, the park signed 14 projects, each with over 200 million yuan in investment, "
            "and 6 labs worth 30 million yuan each. Its revenue reached 5 billion yuan.")
    assert figures(text) == [(Decimal(14), "NUM", None), (Decimal(6), "NUM", None), (Decimal("5e9"), "CCY_CNY", None)]


def test_the_number_of_items_a_list_just_named_is_no_figure():
    text = "2030年的评价包含营收、专利、人才等9个指标。园区引进华光、星河等6家企业。"
    assert figures(text, "zh") == [(Decimal(6), "NUM", None)]  # 等6家企业 counts enterprises: a figure
