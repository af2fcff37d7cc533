"""Leave-one-group-out cross validation of the figure filter of `kg extract` (kg/extract/figure_filter.py).

For each blind group (blind3 ... blind21) the filter is trained on the drafts of every OTHER text (the other groups
and the curated sources of the graph) and measured on that group's texts, with and without the filter, at a few drop
thresholds: value+unit and period recall/precision as `kg extract --evaluate` counts them (the evaluation's own
matching, re-run on the drafts kept). Then pooled over blind8-15, blind16-18, blind8-18, blind19-21, blind16-21
and blind8-21.

    HITZ_UNSEEN_TEXTS=/work/unseen-texts-all .venv/bin/python -m benchmarks.figure_filter_cv [--write FILTER.md]
    ... --model gb      # gradient boosting (scikit-learn) instead of the logistic regression, for comparison
    ... --C auto        # nested: C and a threshold chosen inside each training fold (leave-one-group-out over
                        # its own groups), never on the group measured; the row "nested" uses that threshold

Needs scikit-learn (pip install -e '.[train]'). Prints tables; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from kg.errors import KgError
from kg.extract.evaluate import SourceResult, _correct, _pair
from kg.extract.cli import project_indicators
from kg.extract.indicators import Indicator
from kg.extract.figure_filter_train import Drafts, Row, collect, logistic, nested_choice, rows_of
from kg.extract.unseen import texts_dir
from kg.project import Project

HELD = [f"blind{i}" for i in range(3, 22)]
POOLS = {"blind8-15": [f"blind{i}" for i in range(8, 16)], "blind16-18": ["blind16", "blind17", "blind18"],
         "blind8-18": [f"blind{i}" for i in range(8, 19)], "blind19-21": ["blind19", "blind20", "blind21"],
         "blind16-21": [f"blind{i}" for i in range(16, 22)], "blind8-21": [f"blind{i}" for i in range(8, 22)]}
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5)
Counts = tuple[int, int, int, int]  # gold figures, drafts kept, value+unit right, period right


def counts(result: SourceResult, keep: set[int] | None) -> Counts:
    """A source's counts with only the drafts in `keep` (all when None), paired by the evaluation's matching."""
    kept = [f for f in result.drafted if keep is None or id(f) in keep]
    pairs = _pair(result.source.curated, kept)
    return (len(result.source.curated), len(kept), len(pairs), sum(_correct(c, f, "period") for c, f in pairs))


def add(a: Counts, b: Counts) -> Counts:
    return (a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3])


def cells(c: Counts) -> list[str]:
    gold, drafted, vu, period = c
    pct = lambda n, d: f"{100 * n / d:5.1f}" if d else "  -  "  # noqa: E731
    return [str(drafted), f"{pct(vu, gold)} / {pct(vu, drafted)}", f"{pct(period, gold)} / {pct(period, drafted)}"]


def probabilities(train: list[Row], test: list[Row], model: str, c: float) -> list[float]:
    """The held-out drafts' probabilities of being figures, from a model trained on `train` only."""
    if model == "gb":
        import numpy as np
        from sklearn.ensemble import GradientBoostingClassifier

        gb = GradientBoostingClassifier(random_state=0, n_estimators=150, max_depth=3, learning_rate=0.05)
        gb.fit(np.array([r.features for r in train]), np.array([r.label for r in train]))
        return [float(p) for p in gb.predict_proba(np.array([r.features for r in test]))[:, 1]]
    return logistic(train, test, c)


def as_run(drafts: Drafts, texts: Path, indicators: list[Indicator]) -> dict[str, tuple[list[SourceResult], list[Row]]]:
    """Each blind group's drafts as its blind run drafted them, labelled by today's gold with the evaluation's matching."""
    from benchmarks.figure_filter_asrun import AS_RUN, as_run_drafts

    sources = {r.source.iri: r.source for _, r in drafts.results}
    out = {}
    for group in AS_RUN:
        results = []
        for iri, figures in as_run_drafts(group, texts, indicators).items():
            results.append(SourceResult(sources[iri], figures, _pair(sources[iri].curated, figures)))
        out[group] = (results, [row for r in results for row in rows_of(r, group)])
    return out


def run(project: Project, texts: Path, model: str, c: float | None, thresholds: Sequence[float],
        as_run_test: bool = False, as_run_train: bool = False, list_at: float | None = None) -> list[str]:
    """The CV table as lines of markdown."""
    drafts = collect(project, texts)
    ran = as_run(drafts, texts, project_indicators(project)) if as_run_test or as_run_train else {}
    by_source: dict[str, list[Row]] = {}
    for row in drafts.rows:
        by_source.setdefault(row.source, []).append(row)
    head = ["group", "filter", "drafted", "value+unit R / P", "period R / P"]
    table = [head, ["---"] * len(head)]
    pooled: dict[tuple[str, str], Counts] = {}
    dropped_true: dict[tuple[str, str], int] = {}
    chosen: list[str] = []
    listing: list[str] = []
    listed = "nested" if c is None else f"p<{list_at:.2f} dropped" if list_at is not None else ""
    for group in HELD:
        test_results = [r for g, r in drafts.results if g == group]
        if not test_results:
            continue
        train = [row for row in drafts.rows if row.group != group]
        test = [row for row in drafts.rows if row.group == group]
        if as_run_train:  # the other groups' drafts as run too: more false figures of the kinds a new text has
            train += [row for g, (_, rows) in ran.items() if g != group for row in rows]
        if as_run_test and group in ran:
            test_results, test = ran[group]
        settings: list[tuple[str, float | None]] = [("off", None)] + [(f"p<{t:.2f} dropped", t) for t in thresholds]
        fold_c = c
        if c is None:  # nested: C and threshold chosen on the training fold's own groups
            fold_c, fold_t = nested_choice(train, thresholds)
            settings.append(("nested", fold_t))
            chosen.append(f"{group}: C={fold_c}, threshold {fold_t:.2f}")
        p = {id(row.figure): q for row, q in zip(test, probabilities(train, test, model, fold_c or 1.0))}
        for name, t in settings:
            total: Counts = (0, 0, 0, 0)
            for result in test_results:
                keep = None if t is None else {id(f) for f in result.drafted if p[id(f)] >= t}
                total = add(total, counts(result, keep))
            table.append([group, name] + cells(total))
            if name == listed:  # what this setting drops, each with its label: nothing dropped unseen
                listing += [f"- {group} {'gold' if row.label else 'false'} p={p[id(row.figure)]:.2f} "
                            f"{row.source.rsplit('/', 1)[-1]} {row.figure.exact!r}"
                            for row in test if t is not None and p[id(row.figure)] < t]
            for pool, members in POOLS.items():
                if group in members:
                    pooled[pool, name] = add(pooled.get((pool, name), (0, 0, 0, 0)), total)
                    dropped_true[pool, name] = dropped_true.get((pool, name), 0) + sum(
                        1 for row in test if t is not None and row.label == 1 and p[id(row.figure)] < t)
    for (pool, name), total in pooled.items():
        table.append([f"**{pool} pooled**", name] + cells(total))
    lines = ["| " + " | ".join(row) + " |" for row in table]
    lines.append("")
    for (pool, name), total in pooled.items():
        off = pooled.get((pool, "off"))
        if off is not None and name != "off":
            lines.append(f"- {pool}, {name}: {off[1] - total[1]} drafts dropped, of them {dropped_true[pool, name]} "
                         f"gold figures (value+unit)")
    lines.append("")
    if chosen:
        lines.append("Chosen inside each training fold (nested): " + "; ".join(chosen) + ".")
        lines.append("")
    if listing:
        lines += [f"The drafts dropped ({listed}), by group:", ""] + listing + [""]
    measured = "as each blind group was run (the extractor of its blind run)" if as_run_test else "today's"
    lines.append(f"Drafts measured: {measured}; "
                 f"trained on today's drafts of the other texts{' and the other groups as run' if as_run_train else ''}.")
    lines.append(f"Training drafts in all: {len(drafts.rows)} ({sum(r.label == 0 for r in drafts.rows)} false) of "
                 f"{len(by_source)} sources; model {model}{'' if model == 'gb' else ', C=' + str(c or 'nested')}; gold sha256 "
                 f"{drafts.gold_sha256[:16]}.")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, default=None, help="the unseen texts (default: $HITZ_UNSEEN_TEXTS)")
    parser.add_argument("--model", choices=("lr", "gb"), default="lr")
    parser.add_argument("--C", dest="c", default="1.0", help="the inverse regularization strength, or auto (nested)")
    parser.add_argument("--thresholds", type=float, nargs="+", default=list(THRESHOLDS))
    parser.add_argument("--as-run", action="store_true",
                        help="measure each blind group on its drafts as its blind run drafted them (figure_filter_asrun)")
    parser.add_argument("--train-as-run", action="store_true",
                        help="train also on the other groups' drafts as run")
    parser.add_argument("--list", dest="list_at", type=float, default=None,
                        help="list the drafts dropped at this threshold (with --C auto: those the nested row drops)")
    parser.add_argument("--write", type=Path, default=None, help="also write the table to this markdown file")
    args = parser.parse_args(argv)
    try:
        c = None if args.c == "auto" else float(args.c)
        lines = run(Project.default(), texts_dir(args.texts), args.model, c, args.thresholds, args.as_run,
                    args.train_as_run, args.list_at)
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print("\n".join(lines))
    if args.write is not None:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
