"""`kg extract`: the rules of the fifth tuning (tests/extract/unseen/AFTER5.md): a stock is not dated by a text's
reporting period (convention C5), 今年以来 is the year to date (C4), and a running plan's period dates only its
targets. Every sentence here is ours, written to show one principle each."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from kg.extract import extract

Y = "http://reference.data.gov.uk/id/year/"
I = "http://reference.data.gov.uk/id/gregorian-interval/"  # noqa: E741 (I for interval, beside Y and D)
D = "http://reference.data.gov.uk/id/day/"


def periods(text: str, published: str, lang: str = "en") -> list[tuple[Decimal, str | None]]:
    return [(f.value, f.period) for f in extract(text, date.fromisoformat(published), lang)]


def test_a_stock_is_of_publication_a_flow_of_the_reporting_period_zh():
    text = ("今年前三季度,示范园实现营业收入1200亿元,同比增长9%。\n"
            "园区新增科技企业300家,累计拥有科技企业4500家;新增上市公司3家,累计达21家,其中创业板上市公司达6家。")
    span = I + "2030-01-01T00:00:00/P9M"
    assert periods(text, "2030-10-28", "zh") == [
        (Decimal(120000000000), span), (Decimal(9), span),
        (Decimal(300), span), (Decimal(4500), D + "2030-10-28"),  # 新增 is a flow; 累计拥有 a stock
        (Decimal(3), span), (Decimal(21), D + "2030-10-28"), (Decimal(6), D + "2030-10-28")]  # 其中: a part of 21


def test_a_share_gathered_is_a_stock_and_a_list_item_takes_the_verb_before_the_list():
    text = "2029年,示范园营业收入增长8%。示范园汇聚了全省四成的研发机构,以及超过五成的有效专利,为全省贡献了三成的工业产值。"
    assert periods(text, "2030-03-01", "zh") == [
        (Decimal(8), Y + "2029"), (Decimal(40), D + "2030-03-01"), (Decimal(50), D + "2030-03-01"),
        (Decimal(30), Y + "2029")]  # 贡献 (contributed output) is a flow


def test_an_english_stock_in_the_present_and_one_stated_in_the_past():
    text = ("In 2029, the park's revenue grew 7 percent to 80 billion yuan.\n\n"
            "The park is home to 1,200 technology firms and has 45 research institutes.\n\n"
            "There were 52,000 researchers in the park.")
    assert periods(text, "2030-02-10") == [
        (Decimal(7), Y + "2029"), (Decimal(80000000000), Y + "2029"),
        (Decimal(1200), D + "2030-02-10"), (Decimal(45), D + "2030-02-10"),
        (Decimal(52000), Y + "2029")]  # the past tense places the stock at the reported time


def test_a_stock_keeps_the_moment_it_is_stated_at_and_events_are_flows():
    text = "2029年,园区实现营业收入500亿元。截至2029年底,园区拥有企业9000家。全年共有120次企业获得表彰。"
    assert periods(text, "2030-04-01", "zh") == [
        (Decimal(50000000000), Y + "2029"), (Decimal(9000), Y + "2029"), (Decimal(120), Y + "2029")]
    # (截至2029年底 is read as the year 2029 by the older period rules, not yet as its last day: the stock rule
    # leaves a stock's own stated time alone; here it does not move 9000 to the day of publication)


def test_so_far_this_year_is_the_year_to_date():
    assert periods("今年以来,园区新签约项目45个。", "2030-08-15", "zh") == [(Decimal(45), I + "2030-01-01T00:00:00/P7M")]
    assert periods("So far this year, the park has signed 45 projects.", "2030-08-15") == [
        (Decimal(45), I + "2030-01-01T00:00:00/P7M")]
    # where the text states the interval its figures cover, 今年以来 ends with it
    text = "前三季度,园区营业收入增长6%。今年以来,园区新签约项目45个。"
    assert periods(text, "2030-10-20", "zh")[-1] == (Decimal(45), I + "2030-01-01T00:00:00/P9M")


def test_a_running_plans_period_dates_its_targets_not_a_review():
    target = "The park aims to keep an annual growth of 12 percent during the 15th Five-Year Plan period."
    assert periods(target, "2026-05-01") == [(Decimal(12), I + "2026-01-01T00:00:00/P5Y")]
    review = "“十五五”期间,园区总数从2025年的40家增加到了46家。"
    assert periods(review, "2029-05-01", "zh") == [(Decimal(40), Y + "2025"), (Decimal(46), D + "2029-05-01")]


def test_an_amount_with_a_scale_word_is_no_year_and_a_things_own_amount_no_threshold():
    assert [f.value for f in extract("示范园前三季度营收超2000亿元", date(2030, 10, 2), "zh")] == [Decimal(200000000000)]
    own = "The park, with its total output value exceeding 90 billion yuan, leads the province."
    assert [f.value for f in extract(own, date(2030, 1, 2))] == [Decimal(90000000000)]
    threshold = "There are 12 firms with annual output value exceeding 10 billion yuan."
    assert [f.value for f in extract(threshold, date(2030, 1, 2))] == [Decimal(12)]  # the threshold defines the firms
