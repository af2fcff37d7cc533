"""The learned period chooser: scores each drafted figure's candidate periods (period_candidates.py) by the weights of
period-model.json (a logistic ranker trained by train_periods.py) in plain Python, and takes the best candidate over
the rules' choice where it is surer by the file's margin."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from datetime import date
from pathlib import Path

from ..errors import KgError
from .figures import Figure, period_reason
from .period_candidates import Candidate, candidates
from .rules import Rules

MODEL = Path(__file__).parent / "period-model.json"
MODES = ("rules", "model")


@dataclass(frozen=True)
class PeriodModel:
    """A ranker's weights by feature name, the margin over the rules' choice it needs to override it, the rules'
    reasons it may override (none named: any), and whether it keeps the rules' periods of a text whose date is known
    only to its year (where the day of publication is that year: outside what it was trained on)."""

    weights: dict[str, float]
    intercept: float
    margin: float
    meta: dict
    overrides: frozenset[str] = frozenset()
    precise_dates_only: bool = False


def load_model(path: Path = MODEL) -> PeriodModel:
    """The period model of a JSON file written by `python -m kg.extract.train_periods`."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return PeriodModel(dict(zip(data["features"], data["weights"], strict=True)), float(data["intercept"]),
                           float(data["margin"]), {k: v for k, v in data.items() if k not in ("features", "weights")},
                           frozenset(data["overrides"]), bool(data.get("precise_dates_only", False)))
    except FileNotFoundError:
        raise KgError(f"{path}: no period model (train one: python -m kg.extract.train_periods)") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise KgError(f"{path}: not a period model ({exc})") from None


@lru_cache(maxsize=1)
def shipped_model() -> PeriodModel:
    """The shipped period-model.json, read once per process (extract() asks for it on every text)."""
    return load_model()


def probabilities(model: PeriodModel, found: list[Candidate]) -> list[float]:
    """The model's probability of each candidate being the figure's period (a softmax over its candidates)."""
    scores = [model.intercept + sum(model.weights.get(name, 0.0) * value for name, value in c.features.items())
              for c in found]
    top = max(scores, default=0.0)
    exp = [math.exp(s - top) for s in scores]
    return [e / sum(exp) for e in exp]


def choose(model: PeriodModel, found: list[Candidate], rule_period: str | None,
           reason: str = "", precise: bool = True) -> tuple[str | None, float, float]:
    """The period to take (the model's best where it beats the rules' choice by the margin, the rules' `reason` is
    one the model may override and the date is `precise` or need not be, else the rules'), the model's probability of
    it, and that of the rules' choice."""
    if not found:
        return rule_period, 0.0, 0.0
    probs = probabilities(model, found)
    best = max(range(len(found)), key=lambda k: (probs[k], "rule" in found[k].sources, found[k].period))
    rule_p = next((p for c, p in zip(found, probs) if c.period == rule_period), 0.0)
    if found[best].period != rule_period and (probs[best] - rule_p <= model.margin
                                              or model.overrides and reason not in model.overrides
                                              or model.precise_dates_only and not precise):
        return rule_period, rule_p, rule_p
    return found[best].period, probs[best], rule_p


def apply_model(figures: list[Figure], text: str, published: date, precise: bool, rules: Rules,
                model: PeriodModel | None = None) -> list[Figure]:
    """Re-choose each figure's period with the model; its rules say so: `period=model 0.87 (over rule: inherited)`
    where it changed the rules' period, else the rules' reason stays (`period=inherited`, read by the figure filter)
    and `period-model=0.91 (as rule)` follows it."""
    model = model or shipped_model()
    every = candidates(text, published, precise, figures, rules)
    for figure, found in zip(figures, every):
        period, p, _ = choose(model, found, figure.period, period_reason(figure), precise)
        reason = next((r.split("=", 1)[1] for r in figure.rules if r.startswith("period=")), "none")
        changed = period != figure.period
        said = []
        for r in figure.rules:
            if not r.startswith("period="):
                said.append(r)
            elif changed:
                said.append(f"period=model {p:.2f} (over rule: {reason})")
            else:
                said += [r, f"period-model={p:.2f} (as rule)"]
        figure.rules = said
        if changed:
            figure.period = period
            figure.confidence = round(max(0.05, min(1.0, figure.confidence - 0.1 + 0.2 * (p - 0.5))), 2)
    return figures
