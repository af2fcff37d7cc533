"""Train the period chooser (period_model.py): run the rules on every annotated text (the curated sources and the
unseen texts' gold, tests/extract/unseen/), take each matched figure's candidate periods, and fit a logistic ranker
(scikit-learn, the `train` extra) whose weights go to period-model.json for plain-Python inference.

    python -m kg.extract.train_periods --texts /path/to/unseen-texts [-o kg/extract/period-model.json]
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
from .evaluate import Source, _pair
from .figures import extract, period_reason
from .indicators import Indicator
from .period_candidates import Candidate, candidates
from .period_model import MODEL, PeriodModel
from .rules import Rules, load_rules

C = 0.3  # the inverse strength of the L2 penalty (cross-validated: benchmarks/period_model_cv.py)
MARGIN = 0.25  # how much surer than the rules' choice the model must be to override it (cross-validated)
# The rules' reasons the model may override: where the rules fell back on a period carried from elsewhere or on the
# day of publication (a document-level decision), not where they read the figure's own time words, nor (round 2) where
# they read the figure's own words as a stock at publication ("stock": 6 gained, 12 lost in the CV) (cross-validated)
OVERRIDES = ("context", "default-published-date", "inherited", "summary")
# The features that tell which candidate the rules chose, and why: left out by default, as the rules were written from
# most of the annotated texts, so on them they are right far more often than on a new text (in-sample), and a ranker
# that sees them learns to trust them (benchmarks/period_model_cv.py measures both).
RULE_PREFIXES = ("src=rule", "rule&")  # and every feature crossed with the rules' reason ("...&reason=inherited")


@dataclass
class Example:
    """One drafted figure of an annotated text: its candidates, the rules' period and the gold's (None: no gold figure)."""

    group: str
    source: str
    candidates: list[Candidate]
    rule_period: str | None
    gold: str | None
    reason: str = ""  # the rules' reason for their period (its first word: "context", "before", ...)
    precise: bool = True  # whether the text's date is known to the day


def collect(sources: Sequence[tuple[str, Source]], indicators: list[Indicator], rules: Rules) -> list[Example]:
    """The examples of every (group, source): each drafted figure, paired with its gold figure by words, value, unit."""
    examples = []
    for group, source in sources:
        drafted = extract(source.text, source.published, source.lang, indicators, rules, source.precise, "rules")
        gold = {id(f): c.period for c, f in _pair(source.curated, drafted)}
        every = candidates(source.text, source.published, source.precise, drafted, rules)
        for figure, found in zip(drafted, every):
            examples.append(Example(group, source.iri, found, figure.period, gold.get(id(figure)), period_reason(figure),
                                    source.precise))
    return examples


def curated_count(sources: Sequence[tuple[str, Source]]) -> dict[str, int]:
    """How many gold figures each source has (the denominator of recall)."""
    return {source.iri: len(source.curated) for _, source in sources}


def gold_hash(examples: list[Example]) -> str:
    """A SHA-256 of the training set: each drafted figure's source, rules' period, gold period and candidates."""
    digest = hashlib.sha256()
    for e in examples:
        digest.update(json.dumps([e.source, e.rule_period, e.gold, [c.period for c in e.candidates]]).encode())
    return digest.hexdigest()


def trainable(examples: list[Example]) -> list[Example]:
    """The examples a ranker learns from: a gold figure whose period is among its candidates, with another to beat."""
    return [e for e in examples if e.gold is not None and len(e.candidates) > 1
            and any(c.period == e.gold for c in e.candidates)]


def rule_feature(name: str) -> bool:
    """Whether a feature tells which candidate the rules chose or why (RULE_PREFIXES, the rules' reason)."""
    return name.startswith(RULE_PREFIXES) or "reason=" in name


def fit(examples: list[Example], c: float = C, margin: float = MARGIN, rule_features: bool = False,
        overrides: Sequence[str] = OVERRIDES, on_fallbacks: bool = True) -> dict:
    """A logistic ranker over the candidates of `examples` (1: the gold's period), as the JSON of period-model.json;
    without the rules' choice among its features unless `rule_features`. With `on_fallbacks` (round 2) it learns only
    from the figures it will decide: those whose rules' reason is one of `overrides` (all, if none is named)."""
    from scipy.sparse import csr_matrix
    from sklearn.linear_model import LogisticRegression

    rows = [e for e in trainable(examples) if not (on_fallbacks and overrides) or e.reason in overrides]
    names = sorted({name for e in rows for cand in e.candidates for name in cand.features
                    if rule_features or not rule_feature(name)})
    index = {name: i for i, name in enumerate(names)}
    data, cols, indptr, y = [], [], [0], []
    for e in rows:
        for cand in e.candidates:
            for name, value in sorted(cand.features.items()):
                if name not in index:
                    continue
                data.append(value)
                cols.append(index[name])
            indptr.append(len(data))
            y.append(int(cand.period == e.gold))
    X = csr_matrix((data, cols, indptr), shape=(len(y), len(names)))
    ranker = LogisticRegression(C=c, solver="liblinear", max_iter=1000, random_state=0).fit(X, y)
    weights = [round(float(w), 6) for w in ranker.coef_[0]]
    kept = [(n, w) for n, w in zip(names, weights) if w != 0.0]
    return {"model": "logistic ranker over candidate periods (kg/extract/period_candidates.py)",
            "trained_by": "python -m kg.extract.train_periods", "C": c, "margin": margin,
            "rule_features": rule_features, "overrides": sorted(overrides), "on_fallbacks": on_fallbacks,
            "precise_dates_only": True,
            "figures": len(rows), "candidates": len(y), "training_sha256": gold_hash(examples),
            "intercept": round(float(ranker.intercept_[0]), 6),
            "features": [n for n, _ in kept], "weights": [w for _, w in kept]}


def model_of(data: dict) -> PeriodModel:
    """The PeriodModel of fit()'s JSON, without writing it."""
    return PeriodModel(dict(zip(data["features"], data["weights"])), data["intercept"], data["margin"], {},
                       frozenset(data["overrides"]), data.get("precise_dates_only", False))


def annotated_sources(texts: Path | None, project_root: Path | None = None) -> tuple[list[tuple[str, Source]], list[Indicator]]:
    """Every annotated text: the curated sources of the project's graph ("curated") and the unseen texts of every
    group of unseen.GROUPS (read from `texts` or $HITZ_UNSEEN_TEXTS), with the code list."""
    from ..project import Project
    from .cli import project_indicators
    from .evaluate import curated_sources, project_graph
    from .unseen import GROUPS, load_unseen, texts_dir, unseen_dir

    project = Project(project_root) if project_root else Project.default()
    indicators = project_indicators(project)
    sources = [("curated", s) for s in curated_sources(project_graph(project))]
    read = load_unseen(unseen_dir(project.root), texts_dir(texts), {str(i.iri).rsplit("/", 1)[-1] for i in indicators},
                       GROUPS)
    return sources + [(t.group, t.source) for t in read], indicators


def main(argv: list[str] | None = None) -> int:
    """Train on every annotated text and write the model file (only when the whole run succeeded)."""
    parser = argparse.ArgumentParser(prog="python -m kg.extract.train_periods", description=__doc__.split("\n\n")[0])
    parser.add_argument("--texts", type=Path, default=None, help="the unseen texts' folder (default: $HITZ_UNSEEN_TEXTS)")
    parser.add_argument("-o", "--output", type=Path, default=MODEL, help=f"the model file (default: {MODEL.name})")
    parser.add_argument("--c", type=float, default=C, help="inverse L2 strength")
    parser.add_argument("--margin", type=float, default=MARGIN, help="how much surer than the rules to override them")
    parser.add_argument("--rule-features", action="store_true", help="let the ranker see which candidate the rules chose")
    parser.add_argument("--override-any", action="store_true", help="let the model override any reason of the rules")
    parser.add_argument("--train-on-all", action="store_true",
                        help="learn from every figure, not only those whose rules' reason the model may override")
    args = parser.parse_args(argv)
    try:
        sources, indicators = annotated_sources(args.texts)
        examples = collect(sources, indicators, load_rules())
        data = fit(examples, args.c, args.margin, args.rule_features, () if args.override_any else OVERRIDES,
                   not args.train_on_all)
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except ModuleNotFoundError as exc:
        print(f"error: training needs {exc.name} (the `train` extra: pip install -e '.[train]')", file=sys.stderr)
        return 2
    data["texts"] = len(sources)
    write_atomically(args.output, (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode("utf-8"))
    print(f"wrote {args.output}: {len(data['features'])} features, trained on {data['figures']} figures of "
          f"{len(sources)} texts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
