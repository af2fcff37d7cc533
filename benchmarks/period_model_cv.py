"""Leave-one-group-out cross validation of the learned period chooser (kg/extract/period_model.py) against the rules.

For each group of unseen.GROUPS and the curated sources: train the ranker on every OTHER annotated text (the curated
sources and the unseen texts of the other groups), then measure period recall / precision on that group's texts with
the rules' period and with the model's choice in each variant (Variant: which of the rules' reasons it may override,
whether it learns only from those figures, whether it keeps the rules' periods of a text dated only by its year, its
margin over the rules' choice), with value+unit (which the chooser does not change). The pooled rows that matter:
blind12-18 (no period rule was written from them), blind16-18 and blind19-21 (each run once, blind), blind8-15 and
blind8-21. Prints tables; nothing is asserted.

    HITZ_UNSEEN_TEXTS=/path/to/unseen-texts .venv/bin/python -m benchmarks.period_model_cv [--c 0.3] [--margins 0,0.25]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from kg.errors import KgError
from kg.extract.period_model import choose
from kg.extract.rules import load_rules
from kg.extract.train_periods import C, MARGIN, OVERRIDES, Example, annotated_sources, collect, curated_count, fit, model_of

EARLY = ("tuned", "held-out", "fresh", "blind2")  # the first groups, tuned on by every round (held in REPORTED_UNSEEN)
HELD = EARLY + tuple(f"blind{n}" for n in range(3, 22))
ALSO_HELD = ("curated",)  # the curated sources of the graph (`kg extract --evaluate`), held out as one more group
POOLED = {  # sets measured blind after round 8; those no period rule was written from; the last three, run once
    "pooled blind8-15": tuple(f"blind{n}" for n in range(8, 16)),
    "pooled blind12-18": tuple(f"blind{n}" for n in range(12, 19)),
    "pooled blind16-18": ("blind16", "blind17", "blind18"),
    "pooled blind19-21": ("blind19", "blind20", "blind21"),
    "pooled blind16-21": tuple(f"blind{n}" for n in range(16, 22)),
    "pooled blind8-21": tuple(f"blind{n}" for n in range(8, 22)),
    "pooled early (tuned, held-out, fresh, blind2)": EARLY,
    "pooled blind3-18": tuple(f"blind{n}" for n in range(3, 19)),
}


def scores(examples: list[Example], curated: int, periods: list[str | None]) -> tuple[float, float, float, float]:
    """(value+unit R, P, period R, P) of drafted figures with the given periods against `curated` gold figures."""
    paired = sum(e.gold is not None for e in examples)
    right = sum(e.gold is not None and p == e.gold for e, p in zip(examples, periods))
    drafted = len(examples)
    return (paired / curated if curated else 0.0, paired / drafted if drafted else 0.0,
            right / curated if curated else 0.0, right / drafted if drafted else 0.0)


ROUND1 = ("context", "default-published-date", "inherited", "stock", "summary")  # the first round's fallbacks


@dataclass(frozen=True)
class Variant:
    """One way of choosing: which reasons of the rules the model may override (none: any), whether it learns only from
    those figures, keeps the rules' periods where the date is known only to its year, sees the rules' choice."""

    name: str
    margin: float
    overrides: tuple[str, ...] = ()
    on_fallbacks: bool = False
    precise_only: bool = False
    rule_features: bool = False


def variants(margins: Sequence[float]) -> list[Variant]:
    """The columns: any reason (trained on all); round 1 (its fallbacks, trained on all); round 2 at each margin
    (the fallbacks without "stock", trained on them, dates known to the day); round 2's steps one by one."""
    return ([Variant("any reason", MARGIN), Variant("round 1 (fallbacks +stock)", MARGIN, ROUND1),
             Variant("round 1 +precise dates only", MARGIN, ROUND1, precise_only=True),
             Variant("fallbacks -stock, trained on all, precise", MARGIN, OVERRIDES, precise_only=True)]
            + [Variant(f"round 2, margin {m:g}", m, OVERRIDES, True, True) for m in margins]
            + [Variant("round 2 +rule features", MARGIN, OVERRIDES, True, True, True)])


def cross_validate(examples: list[Example], counts: dict[str, int], c: float, variants: Sequence[Variant],
                   held: Sequence[str] = HELD) -> list[list[str]]:
    """The table's rows: per held group and pooled, value+unit, the rules' period, then each variant of the model's."""
    chosen: dict[Variant, dict[int, str | None]] = {v: {} for v in variants}
    for group in held:
        train = [e for e in examples if e.group != group]
        fitted: dict[tuple, dict] = {}
        for v in variants:
            key = (v.rule_features, v.overrides if v.on_fallbacks else (), v.on_fallbacks)
            if key not in fitted:
                fitted[key] = fit(train, c, rule_features=v.rule_features, overrides=key[1], on_fallbacks=v.on_fallbacks)
            model = model_of({**fitted[key], "margin": v.margin, "overrides": list(v.overrides),
                              "precise_dates_only": v.precise_only})
            for k, e in enumerate(examples):
                if e.group == group:
                    chosen[v][k] = choose(model, e.candidates, e.rule_period, e.reason, e.precise)[0]
    rows = []
    for name, groups in [(g, (g,)) for g in held] + [(n, g) for n, g in POOLED.items() if set(g) <= set(held)]:
        idx = [k for k, e in enumerate(examples) if e.group in groups]
        these = [examples[k] for k in idx]
        curated = sum(counts[s] for s in {e.source for e in these})
        vr, vp, rr, rp = scores(these, curated, [e.rule_period for e in these])
        cells = [name, str(curated), str(len(these)), f"{100 * vr:.1f} / {100 * vp:.1f}", f"{100 * rr:.1f} / {100 * rp:.1f}"]
        for v in variants:
            _, _, mr, mp = scores(these, curated, [chosen[v][k] for k in idx])
            cells.append(f"{100 * mr:.1f} / {100 * mp:.1f}")
        rows.append(cells)
    return rows


def table(rows: list[list[str]], variants: Sequence[Variant]) -> list[str]:
    """The rows as a markdown table."""
    head = ["held-out group", "gold", "drafted", "value+unit R / P", "period R / P: rules"] + [
        f"model: {v.name}" for v in variants]
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.period_model_cv", description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, default=None, help="the unseen texts' folder (default: $HITZ_UNSEEN_TEXTS)")
    parser.add_argument("--c", type=float, default=C, help="inverse L2 strength of the ranker")
    parser.add_argument("--margins", default="0,0.25,0.5", help="round 2's margins over the rules' choice, comma-separated")
    args = parser.parse_args(argv)
    columns = variants([float(m) for m in args.margins.split(",")])
    try:
        sources, indicators = annotated_sources(args.texts)
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    examples = collect(sources, indicators, load_rules())
    print(f"{len(sources)} texts, {len(examples)} drafted figures, C={args.c}")
    rows = cross_validate(examples, curated_count(sources), args.c, columns, HELD + ALSO_HELD)
    print("\n".join(table(rows, columns)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
