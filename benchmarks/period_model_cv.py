"""Leave-one-group-out cross validation of the learned period chooser (kg/extract/period_model.py) against the rules.

For each blind group (blind3 ... blind15) and the curated sources: train the ranker on every OTHER annotated text (the curated sources and the
unseen texts of the other groups), then measure period recall / precision on that group's texts with the rules' period
and with the model's choice (at each margin: the model overrides the rules only where it is surer by more than the
margin; "on fallbacks": only where the rules' reason is one of train_periods.OVERRIDES, the periods they carried or
defaulted to), with value+unit (which the chooser does not change). The pooled row over blind8-blind15 is the figure that
matters (those 8 sets were run blind last). Prints tables; nothing is asserted.

    HITZ_UNSEEN_TEXTS=/path/to/unseen-texts .venv/bin/python -m benchmarks.period_model_cv [--c 0.3] [--margins 0,0.2]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kg.errors import KgError
from kg.extract.period_model import choose
from kg.extract.rules import load_rules
from kg.extract.train_periods import C, OVERRIDES, Example, annotated_sources, collect, curated_count, fit, model_of

HELD = tuple(f"blind{n}" for n in range(3, 16))
ALSO_HELD = ("curated",)  # the curated sources of the graph (`kg extract --evaluate`), held out as one more group
POOLED = {  # the 8 sets measured blind last; those no period rule was written from; those never tuned on at all
    "pooled blind8-15": tuple(f"blind{n}" for n in range(8, 16)),
    "pooled blind12-15": ("blind12", "blind13", "blind14", "blind15"),
    "pooled blind14-15": ("blind14", "blind15"),
    "pooled blind3-15": HELD,
}


def scores(examples: list[Example], curated: int, periods: list[str | None]) -> tuple[float, float, float, float]:
    """(value+unit R, P, period R, P) of drafted figures with the given periods against `curated` gold figures."""
    paired = sum(e.gold is not None for e in examples)
    right = sum(e.gold is not None and p == e.gold for e, p in zip(examples, periods))
    drafted = len(examples)
    return (paired / curated if curated else 0.0, paired / drafted if drafted else 0.0,
            right / curated if curated else 0.0, right / drafted if drafted else 0.0)


Variant = tuple[bool, float, bool]  # (the ranker sees the rules' choice, margin, overrides only the rules' fallbacks)


def cross_validate(examples: list[Example], counts: dict[str, int], c: float, variants: Sequence[Variant],
                   held: Sequence[str] = HELD) -> list[list[str]]:
    """The table's rows: per held group and pooled, value+unit, the rules' period, then each variant of the model's."""
    chosen: dict[Variant, dict[int, str | None]] = {v: {} for v in variants}
    for group in held:
        train = [e for e in examples if e.group != group]
        for rule_features in sorted({r for r, _, _ in variants}):
            data = fit(train, c, rule_features=rule_features)
            for v in [v for v in variants if v[0] == rule_features]:
                model = model_of({**data, "margin": v[1], "overrides": OVERRIDES if v[2] else []})
                for k, e in enumerate(examples):
                    if e.group == group:
                        chosen[v][k] = choose(model, e.candidates, e.rule_period, e.reason)[0]
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
        f"model{' +rule features' if r else ''}{' on fallbacks' if o else ''}, margin {m:g}" for r, m, o in variants]
    return ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)] + ["| " + " | ".join(r) + " |" for r in rows]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.period_model_cv", description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, default=None, help="the unseen texts' folder (default: $HITZ_UNSEEN_TEXTS)")
    parser.add_argument("--c", type=float, default=C, help="inverse L2 strength of the ranker")
    parser.add_argument("--margins", default="0,0.25,0.5", help="margins over the rules' choice, comma-separated")
    args = parser.parse_args(argv)
    margins = [float(m) for m in args.margins.split(",")]
    variants = ([(False, m, False) for m in margins] + [(False, m, True) for m in margins[:2]]
                + [(True, m, False) for m in margins[:1]])
    try:
        sources, indicators = annotated_sources(args.texts)
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    examples = collect(sources, indicators, load_rules())
    print(f"{len(sources)} texts, {len(examples)} drafted figures, C={args.c}")
    rows = cross_validate(examples, curated_count(sources), args.c, variants, HELD + ALSO_HELD)
    print("\n".join(table(rows, variants)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
