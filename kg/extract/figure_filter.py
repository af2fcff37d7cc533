"""A learned keep/drop filter for drafted figures: features read from the text around each draft, and a logistic
model (weights in figure-filter.json, trained by `python -m kg.extract.figure_filter_train`) giving the probability
that a draft is a figure a person would keep. Inference is plain Python; scikit-learn is needed only to train."""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .figures import Figure, period_reason

MODEL_PATH = Path(__file__).parent / "figure-filter.json"
MODES = ("drop", "mark", "off")

# the reading rules of numbers.py (`number=` reason) common enough to weigh; any other is number=other
NUMBER_RULES = ("count", "count-zh", "word-number", "word-fraction", "percent", "percentage-point", "currency-cny",
                "currency-cny-prefix", "currency-usd", "currency-usd-prefix", "ratio-times", "zh-bare-amount",
                "zh-scale-word")
UNITS = ("NUM", "PERCENT", "CCY_CNY", "CCY_USD")
KINDS = ("level", "growth", "change", "ratio")
# how the period was found (the first word of the `period=` reason); any other is period=other
PERIOD_RULES = ("before", "after", "later", "adjacent", "base-adjacent", "sentence", "context", "summary", "inherited",
                "default-published-date", "stock", "share-of", "as-in-body", "target")

_SCALE_WORD = re.compile(r"万亿|亿|万|千|百|trillion|billion|million|thousand|hundred", re.I)
# measure words of counted things (辆 vehicles, 台 machines, 株 plants, 艘 ships ...), as opposed to units of measure
# (吨, 平米, 公里, 亩 ...): a count of things is a figure the graph holds as NUM, a quantity in a unit it does not hold
COUNTED = ("家|个|名|项|人|件|所|座|处|位|款|批|条|只|支|台|套|户|次|种|篇|部|张|辆|架|艘|株|头|匹|棵|颗|枚|栋|幢|间|"
           "本|册|份|例|根")
_MEASURE_AFTER = re.compile(rf"^\s?(?:多|余)?(?:{COUNTED})")
_EN_NOUN_AFTER = re.compile(
    r"^[\s-]*(?:[A-Za-z-]+\s+){0,3}?(?:enterprises?|compan(?:y|ies)|firms?|patents?|projects?|people|persons?|"
    r"talents?|experts?|employees?|workers?|professionals?|institutions?|institutes?|universities|colleges|zones?|"
    r"parks?|platforms?|centers?|centres?|incubators?|startups?|laborator(?:y|ies)|labs?|businesses|applications?|"
    r"researchers?|students?|members?|units?)\b", re.I)
_YEARS_AFTER = re.compile(r"^[\s-]*(?:years?|months?|days?|年|个月|天|周年)", re.I)
_THRESHOLD_EN = re.compile(r"\b(?:with|whose|having|of)\b[^,.;:]{0,60}\b(?:over|more than|above|exceeding|at least|"
                           r"of more than|of over)\s*$", re.I)
_THRESHOLD_ZH_AFTER = re.compile(r"^\s?(?:及以上|以上)?的")
_LEVEL_AFTER_ZH = re.compile(r"^\s?(?:及以上|以上)")
_RANK_BEFORE = re.compile(r"(?:No\.\s?|第|[Tt]op\s|前)$")
_CJK_AFTER = re.compile(r"^[\u4e00-\u9fff]")
_NOT_UNIT_CJK = re.compile(rf"^(?:的|以上|及以上|左右|多|余|亿|万|千|百|元|美元|倍|年|月|日|{COUNTED})")
_RANGE_AFTER = re.compile(r"^\s?(?:-|–|~|～|至|到|to\b)\s?\d")
_LIST_NEIGHBOUR = re.compile(r"^[、]\s?\d")
_EACH_AFTER = re.compile(r"^[^,.;，。；]{0,12}\beach\b|^[^,.;，。；]{0,6}(?:每个|每家|每项)", re.I)
_NAME_BEFORE = re.compile(r"(?:\b[A-Z][a-z]+\s+){1,2}$")
_FRACTION_BEFORE = re.compile(r"分之\s?$|\+\s?$")
_LARGE_SCALE = re.compile(r"亿|billion|trillion", re.I)
_COUNT_BEFORE = re.compile(r"(?:\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten)\b)[\s,]*(?:of which\s)?[^\d,.;]{0,40}$",
                           re.I)
# round 2 (FILTER.md): kinds of numbers that are no figure of the zone, read from the words around them
_RANK_ZH_BEFORE = re.compile(r"(?:排名|排行|位列|位居|名列|列第|居第|排第|排在|第)[^，。；,;\d]{0,6}$")
_RANK_ZH_AFTER = re.compile(r"^\s?(?:名|位)(?:[，。；、,;）)]|$|上升|提升|前移|下降)")
_RANK_EN = re.compile(r"\b(?:rank(?:ed|s|ing)?|No\.|placed?|position)\b[^,.;]{0,25}$", re.I)
_ORDINAL_AFTER = re.compile(r"^(?:st|nd|rd|th)\b|^\s?(?:place|position)\b", re.I)
_AGE = re.compile(r"^\s?(?:周岁|岁)|^[\s-]*(?:years?[\s-]old|-year-old)", re.I)
_AGE_BEFORE = re.compile(r"\b(?:aged?|age of|younger than|older than)\s*$|年龄|年满$", re.I)
_AGE_WORDS = re.compile(r"\b(?:young|youth|age[sd]?|old)\b|青年|年轻|岁", re.I)
_COUNTED_BEFORE_BOUND = re.compile(
    r"(?:enterprises?|compan(?:y|ies)|firms?|businesses|projects?|企业|公司|项目|户)[^,.;，。；]{0,30}"
    r"(?:over|above|more than|exceeding|surpass(?:ed|ing)?|at least|超过|超|达到|在|逾|过)\s*$", re.I)
_OTHER_ZONE = re.compile(r"经济技术开发区|经济开发区|经开区|保税区|综保区|自贸区|自由贸易试验区|工业园区?|"
                         r"economic(?: and technological)? development zones?|\bETDZ|bonded (?:zone|area)s?|"
                         r"free trade zones?|(?<!high-tech )industrial parks?", re.I)
# a zone named without its kind (园区, "the zone") is taken as the text's own high-tech zone
_HIGH_TECH_ZONE = re.compile(r"高新区|高新技术产业开发区|高新技术产业园区?|自主创新示范区|自创区|中关村|光谷|园区|"
                             r"high-tech (?:industrial )?(?:development )?zones?|hi-tech|science (?:and technology )?"
                             r"parks?|Zhongguancun|Optics Valley|\bzones?\b", re.I)
_REGION = re.compile(r"全省|全市|全国|全区|[省市]内|\b(?:province|provincial|nationwide|national|the city|"
                     r"municipal|the country|China's)\b", re.I)
_LIST_NOUN_AFTER = re.compile(r"^[\s-]*(?:[A-Za-z-]+\s+){0,2}?(?:major|key|main|leading|pillar|strategic|emerging|"
                              r"categories|aspects|areas|sectors|industries|fields|types|kinds|measures|tasks|goals|"
                              r"priorities|ways)\b|^\s?(?:大|个方面|项任务|类|方面|条措施)", re.I)
_SENTENCE_END = re.compile(r"[.!?](?=\s)|[。！？；;]|\n")


def _number_rule(figure: Figure) -> str:
    return next((r[len("number="):] for r in figure.rules if r.startswith("number=")), "")


def _nearest_zone_before(text: str, start: int) -> str:
    """Which kind of zone is named last before `start` in its paragraph: "high-tech", "other" (an economic
    development zone, a bonded zone, an industrial park ...) or "" when none is named."""
    paragraph_start = text.rfind("\n", 0, start) + 1
    window = text[max(paragraph_start, start - 120):start]
    ours = [m.end() for m in _HIGH_TECH_ZONE.finditer(window)]
    other = [m.end() for m in _OTHER_ZONE.finditer(window)]
    if not ours and not other:
        return ""
    # "economic development zone" ends where its "zone" does: a tie is the other kind
    return "other" if max(other, default=-1) >= max(ours, default=-1) else "high-tech"


def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence (or list piece) around text[start:end]: from the last end mark before it to the next after it."""
    ends = [m.end() for m in _SENTENCE_END.finditer(text, max(0, start - 400), start)]
    after = _SENTENCE_END.search(text, end)
    return (ends[-1] if ends else max(0, start - 400)), (after.end() if after else len(text))


def _inside_brackets(text: str, sentence_start: int, start: int) -> bool:
    before = text[sentence_start:start]
    opened = sum(before.count(c) for c in "(（[【")
    closed = sum(before.count(c) for c in ")）]】")
    quotes = sum(before.count(c) for c in "“「『") - sum(before.count(c) for c in "”」』") + before.count('"') % 2
    return opened > closed or quotes > 0


def features(figure: Figure, text: str, lang: str, figures: list[Figure]) -> dict[str, float]:
    """The features of one drafted figure, read from its words, the rules that drafted it and the text around it
    (its sentence, the words right before and after, where it stands in the text); `figures` are all the drafts."""
    number_rule, period_rule = _number_rule(figure), period_reason(figure)
    value = figure.value
    integer = value == value.to_integral()
    lead = next((i for i, ch in enumerate(figure.exact) if ch.isdigit()), 0)  # where its digits start
    before = text[max(0, figure.start + lead - 80):figure.start + lead]
    after = text[figure.end:figure.end + 40]
    sentence = _sentence(text, figure.start, figure.end)
    others = [f for f in figures if f is not figure and sentence[0] <= f.start < sentence[1]]
    title_end = text.find("\n")
    title_end = len(text) if title_end < 0 else title_end
    paragraph_end = text.find("\n", title_end + 1)
    paragraph_end = len(text) if paragraph_end < 0 else paragraph_end
    earlier_same = any(f.value == value and f.unit == figure.unit and f.start < figure.start for f in figures)
    nxt = after.lstrip()[:1]
    f: dict[str, float] = {}
    for name in NUMBER_RULES:
        f[f"number={name}"] = float(number_rule == name)
    f["number=other"] = float(number_rule not in NUMBER_RULES)
    for unit in UNITS:
        f[f"unit={unit}"] = float(figure.unit == unit)
    for kind in KINDS:
        f[f"kind={kind}"] = float(figure.kind == kind)
    for name in PERIOD_RULES:
        f[f"period={name}"] = float(period_rule == name)
    f["period=other"] = float(period_rule not in PERIOD_RULES)
    f["qualifier"] = float(figure.qualifier is not None)
    f["qualifier-bound"] = float(figure.qualifier in ("MoreThan", "AtLeast"))
    f["indicator-matched"] = float(figure.indicator is not None)
    f["indicator-score"] = float(figure.indicator_score)
    f["indicator-subset"] = float("indicator=subset" in figure.rules)
    f["proposed-label-empty"] = float(figure.indicator is None and not (figure.proposed_indicator or "").strip())
    f["confidence"] = float(figure.confidence)
    f["integer"] = float(integer)
    f["integer-below-10"] = float(integer and value < 10)
    f["decimal-without-unit"] = float(not integer and figure.unit == "NUM" and figure.kind == "level")
    f["magnitude"] = math.log10(float(abs(value)) + 1.0) / 12.0
    f["year-like"] = float(integer and 1900 <= value <= 2100 and figure.unit == "NUM")
    f["scale-word-without-currency"] = float(figure.unit == "NUM" and _SCALE_WORD.search(figure.exact) is not None)
    f["word-number"] = float(not re.search(r"\d", figure.exact))
    f["measure-word-after"] = float(_MEASURE_AFTER.match(after) is not None or _MEASURE_AFTER.search(figure.exact[-1:])
                                    is not None)
    f["noun-after"] = float(_EN_NOUN_AFTER.match(after) is not None)
    f["duration-after"] = float(_YEARS_AFTER.match(after) is not None)
    f["letter-after"] = float(nxt.isascii() and nxt.isalpha())
    f["punctuation-after"] = float(nxt != "" and not nxt.isalnum())
    f["threshold-en"] = float(_THRESHOLD_EN.search(before) is not None)
    f["de-after"] = float(_THRESHOLD_ZH_AFTER.match(after) is not None)
    f["and-above-after"] = float(_LEVEL_AFTER_ZH.match(after) is not None)
    f["rank-before"] = float(_RANK_BEFORE.search(before) is not None)
    f["in-brackets"] = float(_inside_brackets(text, sentence[0], figure.start))
    f["in-title"] = float(figure.start < title_end)
    f["first-paragraph"] = float(title_end <= figure.start < paragraph_end)
    f["position"] = figure.start / max(1, len(text))
    f["lang-zh"] = float(lang == "zh")
    f["sentence-figures"] = min(len(others), 8) / 8.0
    f["sentence-alone"] = float(not others)
    f["sentence-has-amount"] = float(any(o.unit.startswith("CCY_") for o in others))
    f["sentence-has-matched"] = float(any(o.indicator is not None for o in others))
    f["repeated"] = float(earlier_same)
    f["cjk-word-after"] = float(_CJK_AFTER.match(after) is not None and _NOT_UNIT_CJK.match(after) is None)
    f["range-after"] = float(_RANGE_AFTER.match(after) is not None)
    f["list-of-numbers"] = float(_LIST_NEIGHBOUR.match(after) is not None or re.search(r"\d、\s?$", before) is not None)
    f["each-after"] = float(_EACH_AFTER.match(after) is not None)
    f["name-before"] = float(_NAME_BEFORE.search(before[-30:]) is not None and not re.search(r"[.!?]\s*\S*\s*$", before))
    f["fraction-before"] = float(_FRACTION_BEFORE.search(before) is not None)
    f["large-scale-without-currency"] = float(figure.unit == "NUM" and _LARGE_SCALE.search(figure.exact) is not None)
    f["count-before-bound"] = float(figure.qualifier in ("MoreThan", "AtLeast") and figure.unit.startswith("CCY_")
                                    and _COUNT_BEFORE.search(before[-50:]) is not None)
    # round 2: ranks, ages, thresholds after a counted noun, figures of another zone or region, counts of a list
    clause = re.split(r"[,;，；:：、]", before)[-1]
    f["rank"] = float(figure.unit == "NUM" and (
        _RANK_ZH_BEFORE.search(clause) is not None or _RANK_ZH_AFTER.match(after) is not None
        or _RANK_EN.search(before[-40:]) is not None or _ORDINAL_AFTER.match(after) is not None))
    f["age"] = float(figure.unit == "NUM" and (_AGE.match(after) is not None or _AGE_BEFORE.search(before[-20:])
                                               is not None))
    f["small-bound-with-age-words"] = float(
        figure.unit == "NUM" and figure.qualifier == "LessThan" and value < 120
        and _AGE_WORDS.search(text[sentence[0]:sentence[1]]) is not None)
    f["small-upper-bound"] = float(figure.unit == "NUM" and figure.qualifier == "LessThan" and integer and value <= 100
                                   and f["measure-word-after"] == 0.0)
    f["counted-noun-before-bound"] = float(figure.qualifier in ("MoreThan", "AtLeast") and figure.unit != "PERCENT"
                                           and _COUNTED_BEFORE_BOUND.search(before[-45:]) is not None)
    digits = re.sub(r"\D", "", format(abs(value.normalize()), "f").replace(".", ""))
    f["round-bound"] = float(figure.qualifier in ("MoreThan", "AtLeast") and len(digits.rstrip("0")) <= 1)
    zone = _nearest_zone_before(text, figure.start)
    f["other-zone-before"] = float(zone == "other")
    f["no-zone-before"] = float(zone == "")
    f["region-in-clause"] = float(_REGION.search(clause[-40:]) is not None)
    f["list-noun-after"] = float(_LIST_NOUN_AFTER.match(after) is not None)
    f["word-number-sentence-start"] = float(f["word-number"] == 1.0 and re.search(r"(?:^|[.!?:]\s+|\n)$", before)
                                            is not None)
    f["colon-later-in-sentence"] = float(re.search(r"[:：]", text[figure.end:sentence[1]]) is not None)
    f["bare-digits"] = float(figure.unit == "NUM" and re.fullmatch(r"[\d,]+", figure.exact.strip()) is not None
                             and f["measure-word-after"] == 0.0 and f["noun-after"] == 0.0)
    return f


# the feature names, in the order of the weights file
FEATURES: tuple[str, ...] = tuple(features(Figure(0, 1, "1", Decimal(1), "NUM", "level", None, None, None, 0.0, None, 0.5),
                                           "1", "en", []))


@dataclass
class Model:
    """The trained filter: a weight per feature (on the raw features), an intercept, the drop threshold and mode."""

    weights: dict[str, float]
    intercept: float
    threshold: float
    mode: str
    meta: dict[str, Any] = field(default_factory=dict)

    def probability(self, feats: dict[str, float]) -> float:
        """The probability that a draft with these features is a figure a person keeps."""
        z = self.intercept + sum(self.weights.get(name, 0.0) * value for name, value in feats.items())
        return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, z))))


class ModelError(ValueError):
    """The weights file is not the filter this code computes features for."""


def load_model(path: Path = MODEL_PATH) -> Model:
    """The shipped filter weights, checked: every feature of the code is weighed and no other."""
    data = json.loads(path.read_text(encoding="utf-8"))
    names = list(data["weights"])
    if tuple(names) != FEATURES:
        raise ModelError(f"{path}: its features differ from the code's ({sorted(set(names) ^ set(FEATURES))}); "
                         f"retrain with python -m kg.extract.figure_filter_train")
    if data["mode"] not in MODES or not 0.0 <= float(data["threshold"]) <= 1.0:
        raise ModelError(f"{path}: mode {data['mode']!r} or threshold {data['threshold']!r} is not valid")
    return Model({name: float(w) for name, w in data["weights"].items()}, float(data["intercept"]),
                 float(data["threshold"]), str(data["mode"]), {k: v for k, v in data.items() if k != "weights"})


@dataclass
class Filtered:
    """The drafts a filter keeps, and those it drops, each with its probability."""

    kept: list[Figure]
    dropped: list[tuple[Figure, float]]


def apply_filter(figures: list[Figure], text: str, lang: str, model: Model, mode: str | None = None,
                 threshold: float | None = None) -> Filtered:
    """Weigh every draft: in mode drop, those below the threshold are dropped (kept aside, for a person to see);
    in mode mark, they are kept with their confidence lowered to the probability and a rule saying so; off: all kept."""
    mode = mode or model.mode
    threshold = model.threshold if threshold is None else threshold
    if mode == "off":
        return Filtered(list(figures), [])
    kept, dropped = [], []
    for figure in figures:
        p = model.probability(features(figure, text, lang, figures))
        if p >= threshold:
            kept.append(figure)
        elif mode == "drop":
            dropped.append((figure, p))
        else:
            figure.confidence = round(max(0.05, min(figure.confidence, p)), 2)
            figure.rules = figure.rules + [f"filter=doubt p={p:.2f}"]
            kept.append(figure)
    return Filtered(kept, dropped)
