"""Unit tests of the label similarity that ranks link candidates (kg.link.label_similarity and
normalize): English and Chinese labels, case, accents, width, punctuation, names with words added."""

from __future__ import annotations

import pytest
from rdflib import Literal

from kg.link import label_similarity, normalize


@pytest.mark.parametrize("text, normalized", [
    ("Zhongguancun Science Park", "zhongguancun science park"),
    ("São Paulo", "sao paulo"),  # accents fold
    ("Xí Jìnpíng", "xi jinping"),  # pinyin tone marks too
    ("ＣＨＩＮＡ", "china"),  # full-width letters are the ASCII ones
    ("Ｃ９１９", "c919"),
    ("Changsha, Hunan", "changsha hunan"),  # punctuation is a word break
    ("  Hunan_Province  ", "hunan province"),
    ("长沙高新区", "长沙高新区"),  # Chinese characters stay as they are
    ("“中关村”科技园", "中关村 科技园"),  # Chinese quotation marks are punctuation
    ("", ""),
])
def test_normalize(text: str, normalized: str):
    assert normalize(text) == normalized


def labels(*texts: str) -> list[Literal]:
    return [Literal(t) for t in texts]


@pytest.mark.parametrize("ours, theirs, similarity", [
    (labels("China"), [("China", "en")], 1.0),
    (labels("china"), [("CHINA ", "en")], 1.0),  # case and spaces do not count
    (labels("Xi Jinping"), [("Xí Jìnpíng", "en")], 1.0),
    (labels("中国"), [("中国", "zh")], 1.0),
    (labels("中国"), [("China", "en")], 0.0),  # no transliteration: a Chinese label meets a Chinese one
    (labels("China", "中国"), [("中华人民共和国", "zh"), ("China", "en")], 1.0),  # the best pair counts
    (labels("Changsha", "长沙"), [("长沙市", "zh")], 0.8),  # 2 * 2 matching characters / 5
    (labels("湖南"), [("湖南省", "zh")], 0.8),  # Chinese words are not space-separated: no bonus
    (labels("长沙高新区"), [("长沙高新技术产业开发区", "zh")], 0.625),  # 2 * 5 / 16
    (labels("北京"), [("南京", "zh")], 0.5),  # Beijing and Nanjing share one character of two
    (labels("Beijing"), [("Nanjing", "en")], 4 / 7),  # "jing" twice: 2 * 4 / 14
    # one name is the other with words added: at least 0.9
    (labels("Renminbi"), [("Yuan Renminbi", "en")], 0.9),
    (labels("Hunan"), [("Hunan Province", "en")], 0.9),
    (labels("Ministry of Science and Technology"),
     [("Ministry of Science and Technology of the People's Republic of China", "en")], 0.9),
    (labels("C-919"), [("C919", "en")], 8 / 9),  # "c 919" against "c919"
    # nothing to compare
    (labels(""), [("x", "en")], 0.0),
    (labels("!!"), [("!!", "en")], 0.0),  # only punctuation: no name at all
    (labels("China"), [], 0.0),
    ([], [("China", "en")], 0.0),
])
def test_label_similarity(ours: list[Literal], theirs: list[tuple[str, str]], similarity: float):
    assert label_similarity(ours, theirs) == pytest.approx(similarity, abs=1e-12)


def test_label_similarity_reads_their_labels_for_each_of_ours():
    theirs = ((text, "zh") for text in ["湖南省", "长沙"])  # a generator: read once
    assert label_similarity(labels("Hunan", "长沙"), theirs) == 1.0
