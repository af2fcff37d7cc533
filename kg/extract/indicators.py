"""Match a figure to a concept of the indicator code list by the words of its labels (English or Chinese)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import RDF, SKOS

from ..namespaces import HITZ
from .rules import Rules

_STOP = {
    "a", "an", "the", "of", "in", "to", "and", "for", "by", "with", "on", "at", "from", "as", "is", "are",
    "was", "were", "has", "have", "had", "that", "which", "it", "its", "this", "these", "those",
    # what the kind of a figure already says
    "them", "they", "there", "also", "only", "less", "more", "than", "over", "about", "nearly", "up", "thousand", "million", "billion", "trillion", "number", "share", "change", "growth", "factor", "percentage", "total",
}
_CJK = re.compile(r"[\u4e00-\u9fff]")
_KIND_OF_TYPE = {"AbsoluteChange": "change", "Ratio": "ratio", "PercentChange": "growth"}


@dataclass(frozen=True)
class Indicator:
    iri: URIRef
    label: str
    kind: str             # level, change, ratio, growth
    unit: str | None      # for levels: CCY_CNY, PERCENT or NUM (None: any)
    labels: tuple[frozenset[str], ...]  # the words of each label
    cjk_labels: tuple[str, ...] = ()
    heads: tuple[str | None, ...] = ()  # the head noun of each label, where it is a content word


def tokens(text: str, rules: Rules) -> list[str]:
    """Content words, lower-cased and made singular, with synonyms (English and Chinese) replaced."""
    text = text.lower().replace("’", "'")
    for phrase in sorted(rules.synonyms, key=len, reverse=True):
        if phrase in text:
            bounded = re.escape(phrase) if _CJK.search(phrase) else rf"(?<![\w'&-]){re.escape(phrase)}(?![\w&-])"
            text = re.sub(bounded, f" {rules.synonyms[phrase]} ", text)
    words = []
    for word in re.findall(r"[a-z0-9][a-z0-9'&-]*[a-z0-9]|[a-z]", text):
        word = rules.synonyms.get(word, word)
        for part in word.split():
            part = part.removesuffix("'s")
            if part.endswith("ies") and len(part) > 4:
                part = part[:-3] + "y"
            elif part.endswith("s") and not part.endswith("ss") and len(part) > 3:
                part = part[:-1]
            if part not in _STOP:
                words.append(part)
    return words


def code_list(graph: Graph, rules: Rules) -> list[Indicator]:
    """The indicators of the graph, with the words of all their labels in every language."""
    found = []
    for iri in sorted(set(graph.subjects(RDF.type, HITZ.Indicator)), key=str):
        labels = [str(label) for p in (SKOS.prefLabel, SKOS.altLabel) for label in graph.objects(iri, p)]
        if not labels:
            continue
        comparison = graph.value(iri, HITZ.comparisonType)
        kind = _KIND_OF_TYPE.get(str(comparison).rsplit("#", 1)[-1], "level") if comparison else "level"
        if comparison is None and any("growth rate" in label.lower() for label in labels):
            kind = "growth"  # a rate of growth whose base the code list does not name
        definition = " ".join(str(d) for d in graph.objects(iri, SKOS.definition)).lower()
        unit = None
        if kind == "level":
            unit = "CCY_CNY" if "yuan" in definition else "PERCENT" if "percent" in definition else "NUM"
        elif kind == "change" and definition.startswith("number"):
            unit = "NUM"  # (round 8) an absolute change has the unit of what changes: a count's, never percentage points
        english = str(graph.value(iri, SKOS.prefLabel) or labels[0])
        plain = [re.sub(r"\(.*?\)", "", label) for label in labels]
        pairs = [(frozenset(tokens(label, rules)), _head(label, rules)) for label in plain]
        pairs = [(w, h) for w, h in pairs if w]
        words = tuple(w for w, _ in pairs)
        cjk = tuple(label for label in labels if _CJK.search(label))
        found.append(Indicator(URIRef(str(iri)), english, kind, unit, words, cjk, tuple(h for _, h in pairs)))
    return found


def _head(label: str, rules: Rules) -> str | None:
    """The head noun of an English label: its last content word before a preposition ("research and
    development budget": budget; "zones with an annual revenue ...": zone); None for a Chinese label
    or one whose head says only the kind of figure ("number of zones", "share of ...")."""
    if _CJK.search(label):
        return None
    words = tokens(re.split(r"\b(?:of|with|in|for|per|by|from)\b", label, maxsplit=1)[0], rules)
    return words[-1] if words else None


def weights(sentences: list[str], rules: Rules) -> dict[str, float]:
    """How telling each word is in this text: words of every sentence ("zones") count little."""
    seen: dict[str, int] = {}
    for sentence in sentences:
        for word in set(tokens(sentence, rules)):
            seen[word] = seen.get(word, 0) + 1
    n = len(sentences)
    return {word: math.log((n + 1) / (count + 0.5)) + 0.1 for word, count in seen.items()}


def match(indicators: list[Indicator], kind: str, unit: str, clause: str, before: str, after: str,
          rules: Rules, weight: dict[str, float]) -> tuple[Indicator | None, float]:
    """The indicator of a figure, among those of its kind and unit: the one whose label words come
    right after the figure (or just before it), else the one whose words best cover its clause."""
    clause_words = set(tokens(clause, rules))
    other_area = rules.other_area.search(clause) is not None
    after_words, before_words = tokens(after, rules)[:4], tokens(before, rules)[::-1][:3]
    piece = _masked(re.split(r"[,，、;；]", before)[-1], rules)  # 园区生产总值(GDP)达到: the words of the figure's own piece
    # "2.3 trillion yuan of profits", "45,000 new enterprises", "新注册企业3.2万家":
    # the words that name an amount or a count are right after it (right before it, in Chinese)
    named = _named_after(after) if unit.startswith("CCY_") and kind == "level" else None
    if unit == "NUM" and kind == "level":
        counted = re.sub(r"^\s+of\s+(?:these|those|the|them)\b", " ", after)  # "6,954 of these enterprises"
        noun = proposed_label(counted) if re.match(r"\s+(?!(?:last|this|next|past|previous)\b)[A-Za-z]", counted, re.I) else ""
        if (verb := rules.tense.search(noun)) and verb.start() > 0:
            noun = noun[:verb.start()]  # "9,220 new businesses entered the zone": the noun ends at its verb
        if noun != "figure" and noun.strip():
            named = set(tokens(noun, rules))
        elif re.search(r"[\u4e00-\u9fff]\s*$", before) and before_words:
            # 国家高新区总数达173家: the word right before a Chinese count (but for 总数达, 为, ...) names what
            # is counted; 高新区市场主体存量为36581户 counts 市场主体, of which 高新区 is only a modifier
            words = [w for w in before_words if not w.isdigit()][:1]  # 从2020年的169家增加到了178家: not the numbers between
            named = set(words) if rules.zh_count_gap.fullmatch(_after_last_word(re.split(r"[,，、;；]", before)[-1], rules)) else set()
    best, best_key = None, (0.0, 0.0, 0.0)
    for indicator in indicators:
        if indicator.kind != kind or (indicator.unit and indicator.unit != unit.replace("CCY_USD", "CCY_CNY")):
            continue
        if any(label in piece for label in indicator.cjk_labels):
            key = (9.0, 9.0, 1.0)
        else:
            keys = [_label_key(words, clause_words, after_words, before_words, kind, weight, rules.area_words, other_area)
                    for words, head in zip(indicator.labels, indicator.heads or (None,) * len(indicator.labels))
                    if (named is None or words & named) and (kind != "level" or head is None or head in clause_words)]
            key = max((k for k in keys if k is not None), default=None)  # type: ignore[assignment]  # None: next line
            if key is None:
                continue
        if key > best_key:
            best, best_key = indicator, key
    return best, (best_key[2] if best else 0.0)


def _after_last_word(piece: str, rules: Rules) -> str:
    """The words of a Chinese piece after the last word that has a synonym (the gap before the number)."""
    ends = [m.end() for phrase in rules.synonyms if _CJK.search(phrase) for m in re.finditer(re.escape(phrase), piece)]
    return piece[max(ends):] if ends else piece


def _masked(piece: str, rules: Rules) -> str:
    """The piece without the Chinese synonyms that hold a shorter label (工业生产总值 is not 生产总值)."""
    for phrase in sorted((p for p in rules.synonyms if _CJK.search(p)), key=len, reverse=True):
        piece = piece.replace(phrase, " " + rules.synonyms[phrase] + " ")
    return piece


def _named_after(after: str) -> set[str] | None:
    """The words of "of NOUN" / "in NOUN" right after an amount, if it is followed by such words."""
    m = re.match(r"\s*(?:\([^)]*\)\s*)?(?:of|in)\s+(?!(?:the|this|that|last|next|first|past)\b)"
                 r"([A-Za-z][A-Za-z' -]*?)(?=,|;|\.|\band\b|\bwith\b|$)", after, re.I)
    return set(_plain_words(m.group(1))) if m else None


def _plain_words(text: str) -> list[str]:
    return [w.removesuffix("s") if len(w) > 3 and not w.endswith("ss") else w for w in re.findall(r"[a-z][a-z'-]*", text.lower())]


def _label_key(words: frozenset[str], clause_words: set[str], after_words: list[str], before_words: list[str],
               kind: str, weight: dict[str, float], area_words: frozenset[str] = frozenset(),
               other_area: bool = False) -> tuple[float, float, float] | None:
    """How well one label fits: (words right after/before the figure, words in its clause, share of the label)."""
    coverage = len(words & clause_words) / len(words)
    if other_area and any(w in words and w not in clause_words for w in area_words):
        return None  # "48.1 percent of the province's total" is no share of China's
    if coverage <= 0.6 or any(any(c.isdigit() for c in w) and w not in clause_words for w in words):
        return None
    near = sum(weight.get(w, 1.0) / (1 + j) for j, w in enumerate(after_words) if w in words)
    if kind != "level":
        near += 0.5 * sum(weight.get(w, 1.0) / (1 + j) for j, w in enumerate(before_words) if w in words)
    return (round(near, 3), round(sum(weight.get(w, 1.0) for w in words & clause_words), 3), coverage)


def proposed_label(after: str, before: str = "") -> str:
    """A name for a new indicator: the words after the figure up to a verb or a preposition, else
    the last words before it."""
    m = re.match(r"\s*((?:[A-Za-z][\w'’-]*\s?){1,6})", after)
    words = []
    for word in (m.group(1).split() if m else []):
        if word.lower() in {"in", "to", "of", "by", "for", "from", "are", "is", "were", "was", "have", "has",
                             "had", "that", "which", "and", "with", "as", "at", "since", "compared", "over"}:
            break
        words.append(word)
    if not words:
        m = re.search(r"((?:[A-Za-z][\w'’-]*\s+){1,5})(?:had|has|have|is|are|was|were|hit|reached|totaled|totalled|of|at)?\s*(?:\w+\s+)?$",
                      before)
        words = m.group(1).split() if m else []
        while words and words[-1].lower() in {"had", "has", "have", "is", "are", "was", "were", "reached", "hit",
                                               "totaled", "of", "at", "to", "the"}:
            words.pop()
    return " ".join(words[-6:]) or "figure"
