"""Train the figure filter: every draft of the extractor on the curated sources and on the annotated unseen texts,
labelled by whether the evaluation's matching pairs it with a gold figure (value and unit), fitted by a logistic
regression (scikit-learn, the optional extra `train`) and written as plain weights to figure-filter.json.

    python -m kg.extract.figure_filter_train --texts /work/unseen-texts-all --as-run [--C auto] [--threshold 0.2]

With --as-run (from a git checkout) the drafts of blind3-blind15 as their blind runs drafted them are added
(benchmarks/figure_filter_asrun.py): the false figures of texts no rule was tuned on, which today's rules, tuned on
those groups since, no longer draft. blind16-blind21 were drafted blind by today's rules (no rule changed since), so
their drafts of today are their drafts as run and are counted once. With --C auto the regularization is chosen by leave-one-group-out over the blind
groups (held-out log-likelihood), as benchmarks/figure_filter_cv.py --C auto does inside each of its folds.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import KgError
from ..files import write_atomically
from ..project import Project
from .evaluate import SourceResult, evaluate_sources
from .figure_filter import FEATURES, MODEL_PATH, MODES, features
from .figures import Figure
from .rules import load_rules

CURATED = "curated"  # the group of the curated sources of the graph
C_GRID = (0.1, 0.3, 1.0, 3.0)
INNER_FOLDS = 4  # the blind groups of a training fold, dealt round-robin into this many inner folds
THRESHOLDS = (0.1, 0.2, 0.3, 0.4, 0.5)
# a gold figure dropped costs recall and precision, a false one dropped gains precision only: the chosen threshold
# is the one that maximizes false drafts dropped minus GOLD_COST gold ones dropped, over held-out groups
GOLD_COST = 3.0


@dataclass
class Row:
    """One drafted figure as a training example: its group and source, features, and whether it is a gold figure."""

    group: str
    source: str
    figure: Figure
    features: list[float]
    label: int


@dataclass
class Drafts:
    """Every evaluated source (with its group) and the rows of its drafts."""

    results: list[tuple[str, SourceResult]]
    rows: list[Row]
    gold_sha256: str


def rows_of(result: SourceResult, group: str) -> list[Row]:
    """The drafts of one evaluated source as rows, labelled 1 where the evaluation pairs the draft with a gold figure."""
    matched = {id(f) for _, f in result.pairs}
    source = result.source
    return [Row(group, source.iri, f, [features(f, source.text, source.lang, result.drafted)[n] for n in FEATURES],
                int(id(f) in matched)) for f in result.drafted]


def collect(project: Project, texts: Path | None) -> Drafts:
    """The drafts of the curated sources and (when `texts` is given) of every annotated unseen text, labelled."""
    from .cli import project_indicators
    from .evaluate import curated_sources, project_graph
    from .unseen import load_unseen, unseen_dir

    rules = load_rules()
    indicators = project_indicators(project)
    sources = [(CURATED, s) for s in sorted(curated_sources(project_graph(project)), key=lambda s: s.iri)]
    digest = hashlib.sha256()
    for _, s in sources:
        for c in sorted(s.curated, key=lambda c: (c.start, c.end, c.obs)):
            digest.update(f"{s.iri} {c.start} {c.end} {c.value} {c.unit}\n".encode())
    if texts is not None:
        for gold in sorted(unseen_dir(project.root).glob("*.toml")):
            digest.update(gold.name.encode() + b"\n" + gold.read_bytes())
        read = load_unseen(unseen_dir(project.root), texts, {str(i.iri).rsplit("/", 1)[-1] for i in indicators})
        sources += [(text.group, text.source) for text in read]
    results = evaluate_sources([s for _, s in sources], indicators, rules)
    grouped = [(group, r) for (group, _), r in zip(sources, results)]
    return Drafts(grouped, [row for group, r in grouped for row in rows_of(r, group)], digest.hexdigest())


def fit(rows: list[Row], c: float = 1.0) -> tuple[list[float], float]:
    """A logistic regression on standardized features (deterministic: lbfgs, no sampling), returned as weights and
    an intercept on the raw features."""
    try:
        import numpy as np
        from sklearn.linear_model import LogisticRegression
    except ModuleNotFoundError:
        raise KgError("training the figure filter needs scikit-learn: pip install -e '.[train]'") from None
    x = np.array([r.features for r in rows], dtype=float)
    y = np.array([r.label for r in rows], dtype=int)
    if len(set(y.tolist())) < 2:
        raise KgError("training the figure filter needs drafts both kept and dropped by the gold")
    mean, scale = x.mean(axis=0), x.std(axis=0)
    scale[scale == 0] = 1.0
    model = LogisticRegression(C=c, max_iter=5000, solver="lbfgs")
    model.fit((x - mean) / scale, y)
    coef = model.coef_[0] / scale
    intercept = float(model.intercept_[0] - (model.coef_[0] * mean / scale).sum())
    return [round(float(w), 6) for w in coef], round(intercept, 6)


def logistic(train: list[Row], test: list[Row], c: float) -> list[float]:
    """The probabilities of `test`'s drafts being figures, from a logistic model fitted on `train` only."""
    import math

    weights, intercept = fit(train, c)
    return [1 / (1 + math.exp(-max(-60.0, min(60.0, intercept + sum(w * x for w, x in zip(weights, r.features))))))
            for r in test]


def nested_choice(train: list[Row], thresholds: Sequence[float]) -> tuple[float, float]:
    """C and the drop threshold chosen on `train` alone: its blind groups dealt into INNER_FOLDS folds, each held out in
    turn (the curated sources and the other groups train), C by the held-out log-likelihood, the threshold by false
    drafts dropped minus GOLD_COST gold ones dropped at that C (0.0, dropping nothing, when no threshold gains)."""
    import math

    groups = sorted({r.group for r in train if r.group.startswith("blind")}, key=lambda g: (len(g), g))
    fold_of = {g: i % INNER_FOLDS for i, g in enumerate(groups)}
    best: tuple[float, float, float] | None = None
    for c in C_GRID:
        loglik, labelled = 0.0, []
        for fold in range(INNER_FOLDS):
            held = [r for r in train if fold_of.get(r.group) == fold]
            rest = [r for r in train if fold_of.get(r.group) != fold]
            for r, q in zip(held, logistic(rest, held, c)):
                q = min(max(q, 1e-9), 1 - 1e-9)
                loglik += math.log(q if r.label else 1 - q)
                labelled.append((r.label, q))
        net = {t: sum(1 for y, q in labelled if q < t and y == 0) - GOLD_COST * sum(1 for y, q in labelled
                                                                                  if q < t and y == 1)
               for t in thresholds}
        t = max(sorted(net), key=lambda k: (net[k], -k))
        if best is None or loglik > best[0]:
            best = (loglik, c, t if net[t] > 0 else 0.0)
    assert best is not None
    return best[1], best[2]


def model_json(rows: list[Row], gold_sha256: str, threshold: float, mode: str, c: float = 1.0, trained_on: str = "") -> str:
    """The weights file: feature names, weights, intercept, threshold, mode, training size and the gold's hash."""
    weights, intercept = fit(rows, c)
    data = {
        "about": "figure filter of kg extract: logistic weights on the features of kg/extract/figure_filter.py; "
                 "trained by python -m kg.extract.figure_filter_train",
        "weights": dict(zip(FEATURES, weights)),
        "intercept": intercept,
        "threshold": threshold,
        "mode": mode,
        "C": c,
        "trained_on": trained_on,
        "training_drafts": len(rows),
        "training_false": sum(1 for r in rows if r.label == 0),
        "training_sources": len({r.source for r in rows}),
        "gold_sha256": gold_sha256,
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Train the figure filter of kg extract and write its weights.")
    parser.add_argument("--texts", type=Path, default=None,
                        help="the folder of the unseen texts (default: $HITZ_UNSEEN_TEXTS; without it, the curated "
                             "sources only)")
    parser.add_argument("--threshold", type=float, default=0.2, help="drop a draft whose probability is below this")
    parser.add_argument("--mode", choices=MODES, default="drop", help="what kg extract does by default")
    parser.add_argument("--C", dest="c", default="1.0",
                        help="the inverse regularization strength, or auto: chosen by leave-one-group-out")
    parser.add_argument("--as-run", action="store_true",
                        help="add the drafts of blind3-blind15 as their blind runs drafted them (needs the git history)")
    parser.add_argument("-o", "--output", type=Path, default=MODEL_PATH)
    args = parser.parse_args(argv)
    try:
        from .unseen import texts_dir

        project = Project.default()
        texts = texts_dir(args.texts) if args.texts is not None or _env_set() else None
        drafts = collect(project, texts)
        if args.as_run:
            if texts is None:
                raise KgError("--as-run needs the unseen texts (--texts DIR or $HITZ_UNSEEN_TEXTS)")
            drafts.rows += as_run_rows(project, drafts, texts)
        trained_on = ("the drafts of the curated sources" + (" and of every annotated unseen text" if texts else "")
                      + (", and blind3-blind15's drafts as their blind runs drafted them (blind16-blind21's are today's)"
                         if args.as_run else ""))
        if args.c == "auto":
            c, suggested = nested_choice(drafts.rows, THRESHOLDS)
            print(f"C={c} by leave-one-group-out (the threshold that would choose: {suggested:.2f})")
        else:
            c = float(args.c)
        write_atomically(args.output, model_json(drafts.rows, drafts.gold_sha256, args.threshold, args.mode,
                                                 c, trained_on).encode("utf-8"))
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"wrote {args.output}: {len(drafts.rows)} drafts ({sum(r.label == 0 for r in drafts.rows)} false) of "
          f"{len({r.source for r in drafts.rows})} sources")
    return 0


def as_run_rows(project: Project, drafts: Drafts, texts: Path) -> list[Row]:
    """The rows of blind3-blind15's drafts as their blind runs drafted them, labelled by today's gold."""
    from benchmarks.figure_filter_asrun import AS_RUN, as_run_drafts

    from .cli import project_indicators
    from .evaluate import _pair

    sources = {r.source.iri: r.source for _, r in drafts.results}
    indicators = project_indicators(project)
    rows = []
    for group in AS_RUN:
        for iri, figures in as_run_drafts(group, texts, indicators).items():
            rows += rows_of(SourceResult(sources[iri], figures, _pair(sources[iri].curated, figures)), group)
    return rows


def _env_set() -> bool:
    import os

    from .unseen import TEXTS_ENV

    return bool(os.environ.get(TEXTS_ENV))


if __name__ == "__main__":
    sys.exit(main())
