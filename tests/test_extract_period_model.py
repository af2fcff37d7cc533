"""The learned period chooser (kg/extract/period_candidates.py, period_model.py, train_periods.py): the candidate periods
of a figure and their features on sentences of our own, the shipped model file, the decisions it makes on small texts
of our own, the margin over the rules' choice, and a deterministic training run on a fixture of our own."""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import KgError
from kg.extract import extract
from kg.extract.evaluate import Curated, Source
from kg.extract.period_candidates import Candidate, candidates, known_feature, period_kind
from kg.extract.period_model import MODEL, PeriodModel, choose, load_model, probabilities
from kg.extract.rules import load_rules
from kg.extract.train_periods import OVERRIDES, collect, fit, model_of, rule_feature, trainable

REF = "http://reference.data.gov.uk/id/"
HALF = REF + "gregorian-interval/2023-01-01T00:00:00/P6M"
TEXT = ("In the first half of 2023, the zone's revenue reached 500 billion yuan, up 8 percent year on year. "
        "Exports totaled 90 billion yuan.\n"
        "The zone's high-tech enterprises paid 30 billion yuan in taxes. The zone now has 1,200 high-tech enterprises.")


def _candidates_of(text: str, published: str, words: str) -> dict[str, Candidate]:
    day = date.fromisoformat(published)
    figures = extract(text, day)
    every = candidates(text, day, True, figures, load_rules())
    return {c.period: c for f, found in zip(figures, every) if text[f.start:f.end] == words for c in found}


def test_a_figure_has_the_periods_of_its_sentence_publication_and_context_as_candidates():
    first = _candidates_of(TEXT, "2023-07-20", "500 billion yuan")
    assert {"clause-before", "nearest-before", "rule", "title"} <= first[HALF].sources
    assert "published-day" in first[REF + "day/2023-07-20"].sources
    assert "published-year" in first[REF + "year/2023"].sources and "year-before" in first[REF + "year/2022"].sources
    # a later paragraph states no time: the reporting interval comes from the context, the last interval, the previous figure
    taxes = _candidates_of(TEXT, "2023-07-20", "30 billion yuan")
    assert {"context-document", "last-interval", "previous-figure", "frequent"} <= taxes[HALF].sources
    assert "clause-before" not in taxes[HALF].sources and "log-distance" not in taxes[HALF].features
    assert first[HALF].features["adjacent"] == 0.0 and first[HALF].features["log-distance"] > 0


def test_features_cross_each_candidates_kind_with_what_the_figure_is():
    stock = _candidates_of(TEXT, "2023-07-20", "1,200")
    day = stock[REF + "day/2023-07-20"].features
    assert day["is=day"] == 1.0 and day["day&cue-before=holding"] == 1.0 and day["day&cue-before=as_of"] == 1.0
    assert day["day&text-months"] == 1.0 and day["day&unit=NUM"] == 1.0 and day["day&tense=present"] == 1.0
    assert stock[HALF].features["months&cue-before=holding"] == 1.0 and "is=day" not in stock[HALF].features
    zh = "今年1至6月，园区实现营业收入5000亿元，同比增长8%。"
    assert _candidates_of(zh, "2023-07-20", "5000亿元")[HALF].features["months&lang=zh"] == 1.0
    assert [period_kind(REF + p) for p in ("day/2023-07-20", "year/2022", "gregorian-interval/2023-01-01T00:00:00/P6M",
                                           "gregorian-interval/2016-01-01T00:00:00/P5Y")] == ["day", "year", "months", "years"]


def test_every_feature_the_code_makes_is_known_and_nothing_else():
    made = {name for words in ("500 billion yuan", "8 percent", "30 billion yuan", "1,200")
            for c in _candidates_of(TEXT, "2023-07-20", words).values() for name in c.features}
    assert made and all(known_feature(name) for name in made), sorted(n for n in made if not known_feature(n))
    assert not known_feature("day&weekday=monday") and not known_feature("src=gold")


def test_the_shipped_model_is_well_formed_and_its_features_are_the_codes():
    data = json.loads(MODEL.read_text(encoding="utf-8"))
    names, weights = data["features"], data["weights"]
    assert len(names) == len(weights) > 50 and names == sorted(set(names))
    assert all(isinstance(w, float) and math.isfinite(w) and w != 0.0 for w in weights)
    assert all(known_feature(name) for name in names), [n for n in names if not known_feature(n)]
    assert data["rule_features"] is False and not any(rule_feature(n) for n in names)
    # trained on the figures it may decide (the rules fell back), of every annotated text (round 3: 159 and the curated)
    assert data["figures"] >= 850 and data["texts"] >= 164 and len(data["training_sha256"]) == 64
    assert data["on_fallbacks"] is True and data["precise_dates_only"] is True
    assert 0.0 <= data["margin"] < 1.0 and math.isfinite(data["intercept"]) and data["overrides"] == sorted(OVERRIDES)
    assert load_model().weights == dict(zip(names, weights))


def test_a_file_that_is_no_model_is_an_error_of_one_line(tmp_path: Path):
    bad = tmp_path / "model.json"
    bad.write_text('{"features": ["bias"]}', encoding="utf-8")
    with pytest.raises(KgError, match=r"model.json: not a period model"):
        load_model(bad)
    with pytest.raises(KgError, match=r"no period model"):
        load_model(tmp_path / "none.json")


@pytest.mark.parametrize("text, published, lang, expected", [
    (TEXT, "2023-07-20", "en", [("500 billion yuan", HALF), ("8 percent", HALF), ("90 billion yuan", HALF),
                                ("30 billion yuan", HALF), ("1,200", REF + "day/2023-07-20")]),
    ("今年1至6月，园区实现营业收入5000亿元，同比增长8%。\n园区出口额900亿元。", "2023-07-20", "zh",
     [("5000亿元", HALF), ("8%", HALF), ("900亿元", HALF)]),
    ("In 2022, the zone's GDP reached 300 billion yuan. By the end of 2022, there were 4,000 high-tech enterprises in "
     "the zone.", "2023-03-01", "en", [("300 billion yuan", REF + "year/2022"), ("4,000", REF + "year/2022")]),
    ("Last year the park's output value hit 80 billion yuan. It employs 200,000 people.", "2023-03-01", "en",
     [("80 billion yuan", REF + "year/2022"), ("200,000", REF + "day/2023-03-01")]),
])
def test_the_model_chooses_the_periods_these_texts_of_our_own_state(text, published, lang, expected):
    figures = extract(text, date.fromisoformat(published), lang, periods="model")
    assert [(text[f.start:f.end], f.period) for f in figures] == expected
    # each figure says what the model did: changed the rules' period, or kept it (the rules' reason stays for the filter)
    assert all(any(r.startswith("period=model ") and "(over rule: " in r or r.startswith("period-model=")
                   and r.endswith("(as rule)") for r in f.rules) for f in figures)


def test_the_model_takes_a_texts_reporting_period_where_the_rules_fell_back_on_the_day_of_publication():
    text = ("Investment in the Harbor Science Park\nThe park published its statistics for the first half of the year on "
            "July 10. From January to June, 80 enterprises settled in the park, up 30% year on year.\nThere are 15 "
            "manufacturing projects worth 20 billion yuan, up 40% year on year. There are 6 software projects worth 3 "
            "billion yuan, making up 15%.")
    half = REF + "gregorian-interval/2019-01-01T00:00:00/P6M"
    rules = {text[f.start:f.end]: f.period for f in extract(text, date(2019, 7, 20))}
    model = {text[f.start:f.end]: (f.period, f.rules) for f in extract(text, date(2019, 7, 20), periods="model")}
    assert rules["3 billion yuan"] == REF + "day/2019-07-20" and model["3 billion yuan"][0] == half
    assert any(r.startswith("period=model ") and r.endswith("(over rule: default-published-date)")
               for r in model["3 billion yuan"][1])
    assert model["6"][0] == half and model["80"][0] == half and model["20 billion yuan"][0] == half
    # "There are 15 ...": the rules read a stock at publication in its own words, which round 2 does not override
    assert model["15"][0] == rules["15"] == REF + "day/2019-07-20" and "period=stock:inherited" in model["15"][1]
    text = ("The Lakeside zone in 2018\nLast year the zone's revenue reached 60 billion yuan.\nIts exports are 9 billion "
            "yuan, and it has 300 high-tech firms.")
    assert [(text[f.start:f.end], f.period) for f in extract(text, date(2019, 5, 20), periods="model")] == [
        ("60 billion yuan", REF + "year/2018"), ("9 billion yuan", REF + "year/2018"), ("300", REF + "day/2019-05-20")]


def test_the_model_overrides_the_rules_only_when_surer_by_the_margin():
    day, year = Candidate(REF + "day/2023-07-20", {"rule"}, {"is=day": 1.0}), Candidate(REF + "year/2022", {"title"},
                                                                                           {"is=year": 1.0})
    model = PeriodModel({"is=year": 1.0}, 0.0, 0.0, {})
    p_year = probabilities(model, [day, year])[1]
    assert p_year == pytest.approx(math.e / (1 + math.e))
    assert choose(model, [day, year], day.period) == (year.period, p_year, pytest.approx(1 - p_year))
    surer = PeriodModel(model.weights, 0.0, 0.5, {})  # 0.73 - 0.27 = 0.46: not enough to override
    assert choose(surer, [day, year], day.period)[0] == day.period
    assert choose(model, [], day.period) == (day.period, 0.0, 0.0)
    fallbacks = PeriodModel(model.weights, 0.0, 0.0, {}, frozenset({"default-published-date"}))
    assert choose(fallbacks, [day, year], day.period, "default-published-date")[0] == year.period
    assert choose(fallbacks, [day, year], day.period, "before") == (day.period, pytest.approx(1 - p_year),
                                                                     pytest.approx(1 - p_year))


def _source(name: str, text: str, published: str, gold: list[tuple[str, str, str, str]]) -> tuple[str, Source]:
    curated = []
    for words, value, unit, period in gold:
        start = text.index(words)
        curated.append(Curated(f"{name}-{start}", start, start + len(words), words, Decimal(value), unit, REF + period,
                               None, None))
    return "fixture", Source(name, text, date.fromisoformat(published), True, "en", curated)


FIXTURE = [
    _source("a", "In the first three quarters, the park's revenue reached 40 billion yuan. It has 300 firms.\n"
                 "Its exports were 5 billion yuan.", "2021-10-20",
            [("40 billion yuan", "40000000000", "CCY_CNY", "gregorian-interval/2021-01-01T00:00:00/P9M"),
             ("300", "300", "NUM", "day/2021-10-20"),
             ("5 billion yuan", "5000000000", "CCY_CNY", "gregorian-interval/2021-01-01T00:00:00/P9M")]),
    _source("b", "Last year, the zone's output was 70 billion yuan. The zone now has 1,500 companies.", "2020-03-02",
            [("70 billion yuan", "70000000000", "CCY_CNY", "year/2019"), ("1,500", "1500", "NUM", "day/2020-03-02")]),
]


def test_training_on_a_fixture_is_deterministic_and_learns_its_periods():
    pytest.importorskip("sklearn", reason="scikit-learn (the `train` extra) trains the model")
    examples = collect(FIXTURE, [], load_rules())
    assert [e.gold is not None for e in examples] == [True] * 5 and len(trainable(examples)) == 5
    first, second = fit(examples, c=1.0, margin=0.0, on_fallbacks=False), fit(examples, c=1.0, margin=0.0,
                                                                             on_fallbacks=False)
    assert json.dumps(first) == json.dumps(second) and first["figures"] == 5
    model = model_of(first)
    assert [choose(model, e.candidates, e.rule_period)[0] for e in examples] == [e.gold for e in examples]


def test_cli_says_the_model_chose_each_period(tmp_path: Path):
    text = tmp_path / "news.txt"
    text.write_text(TEXT + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(text), "--published", "2023-07-20", "--format", "table"])
    assert result.exit_code == 0, result.output  # the model is the default (round 2, MODEL.md)
    assert result.output.count("period-model=") + result.output.count("period=model ") == 5
    assert "period=before:first-half" in result.output and "(as rule)" in result.output
    rules = CliRunner().invoke(cli, ["extract", str(text), "--published", "2023-07-20", "--format", "table",
                                     "--periods", "rules"])
    assert "period=model" not in rules.output and "period-model" not in rules.output
    assert "period=before:first-half" in rules.output


def test_round_two_learns_only_from_the_figures_it_may_decide():
    pytest.importorskip("sklearn", reason="scikit-learn (the `train` extra) trains the model")
    examples = collect(FIXTURE, [], load_rules())
    decided = [e for e in trainable(examples) if e.reason in OVERRIDES]
    assert 0 < len(decided) < len(trainable(examples))  # "In the first three quarters" is read by the rules: not decided
    assert fit(examples, c=1.0)["figures"] == len(decided)
    assert fit(examples, c=1.0, on_fallbacks=False)["figures"] == len(trainable(examples))


def test_a_count_of_the_zones_and_the_texts_reporting_period_are_features():
    text = ("Zones in the first half\nIn the first half of 2023, the 178 national high-tech zones earned 20 trillion "
            "yuan. Their exports were 2 trillion yuan.")
    count = _candidates_of(text, "2023-08-01", "178")
    assert count[REF + "day/2023-08-01"].features["day&count-of-zones"] == 1.0  # C1: the zones are counted now
    assert count[HALF].features["months&doc-period=months"] == 1.0
    assert count[HALF].features["months&title-period=months"] == 1.0
    assert count[HALF].features["months&text-kind-share"] == 1.0  # every time word of the text is of months
    exports = _candidates_of(text, "2023-08-01", "2 trillion yuan")
    assert "day&count-of-zones" not in exports[REF + "day/2023-08-01"].features


def test_the_model_keeps_the_rules_period_of_a_stock_or_of_a_text_dated_only_by_its_year():
    day, year = Candidate(REF + "day/2023-07-20", {"rule"}, {"is=day": 1.0}), Candidate(REF + "year/2022", {"title"},
                                                                                           {"is=year": 1.0})
    model = PeriodModel({"is=year": 3.0}, 0.0, 0.25, {}, frozenset(OVERRIDES), True)
    assert "stock" not in OVERRIDES  # round 2: the rules read the figure's own words as a stock at publication
    assert choose(model, [day, year], day.period, "default-published-date")[0] == year.period
    assert choose(model, [day, year], day.period, "stock")[0] == day.period
    assert choose(model, [day, year], day.period, "default-published-date", precise=False)[0] == day.period
    shipped = load_model()
    assert shipped.precise_dates_only and shipped.overrides == frozenset(OVERRIDES)
