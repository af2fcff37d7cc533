"""benchmarks/extract_agreement.py on two annotations of a text of our own (tests/extract/agreement/): the
figures are matched by overlapping words, each field's agreement and kappa are those counted by hand, and a
text one folder does not annotate is a one-line error."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import extract_agreement
from benchmarks.extract_agreement import cohen_kappa, compare, label, read_folder

HERE = Path(__file__).parent / "extract" / "agreement"
INDICATORS = {"zone-count", "revenue", "revenue-growth"}


@pytest.fixture(scope="module")
def result() -> extract_agreement.Agreement:
    first = read_folder(HERE / "first", HERE / "texts", INDICATORS, groups=["blind4"])
    second = read_folder(HERE / "second", HERE / "texts", INDICATORS, ids=sorted(first))
    return compare(first, second)


def test_figures_are_matched_by_overlapping_words(result):
    assert [(a.exact, b.exact) for _, a, b in result.pairs] == [
        ("12 test zones", "12"), ("5 billion yuan", "5 billion yuan"), ("8 percent", "8 percent"),
        ("300", "about 300 people")]
    assert [x.exact for _, x in result.only_a] == ["40 percent"]
    assert [y.exact for _, y in result.only_b] == ["9 billion yuan"]


def test_each_field_agrees_as_counted_by_hand(result):
    assert {name: result.agreeing(name) for name in extract_agreement.FIELDS} == {
        "value+unit": 4, "period": 3, "qualifier": 3, "indicator": 4}
    # 3 of 4 periods agree, but B reads every one as 2020 (as A does 3 of 4): no agreement beyond chance
    assert result.kappa("period") == pytest.approx(0.0)
    assert result.kappa("indicator") == pytest.approx(1.0)
    assert label(result.pairs[0][1], "period") == "day/2021-01-01"


def test_cohen_kappa_of_a_textbook_case():
    # p_o = 3/4; A says x 3 times, B twice: p_e = (3*2 + 1*2) / 16 = 1/2, kappa = (3/4 - 1/2) / (1 - 1/2)
    assert cohen_kappa([("x", "x"), ("x", "x"), ("y", "y"), ("x", "y")]) == pytest.approx(0.5)
    assert cohen_kappa([("x", "x"), ("x", "x")]) is None  # one category only: chance agreement is 1
    assert cohen_kappa([]) is None


def test_the_table_scores_as_the_evaluation_and_lists_disagreements(capsys):
    assert extract_agreement.main([str(HERE / "first"), str(HERE / "second"), "--texts", str(HERE / "texts"),
                                   "--list"]) == 0
    out = capsys.readouterr().out
    assert "| period     | 3/4 = 75%" in out
    assert "60% / 60%" in out  # period: 3 agreeing of B's 5 figures and of A's 5
    assert "found by both 4, only by A 1, only by B 1" in out
    assert "own: '12 test zones' period: A day/2021-01-01 | B year/2020" in out


def test_a_text_the_second_folder_does_not_annotate_is_a_one_line_error(tmp_path: Path, capsys):
    assert extract_agreement.main([str(HERE / "first"), str(tmp_path), "--texts", str(HERE / "texts")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and "no annotation of own.toml" in err and err.count("\n") == 1
