"""The drafts of a blind group as its one blind run drafted them: the extractor of the commit that recorded the run
(before any later round of rules was tuned on the group), run in a subprocess on a `git archive` of that commit.
Today's rules were tuned on blind8-blind13 after their runs, so their drafts today hold fewer false figures than a text
nobody tuned on; the filter is measured on the drafts as run as well (benchmarks/figure_filter_cv.py --as-run)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

from kg.extract.figures import Figure
from kg.extract.indicators import Indicator

ROOT = Path(__file__).resolve().parent.parent
# the commit that recorded each group's blind run "after" its round of rules (BLIND3.md ... BLIND15.md); for
# blind3-7 the drafts it gives were checked against the counts the runs printed (101, 100, 113, 106, 107 drafts).
# blind16-21 are not here: today's rules drafted them blind (no rule changed since blind16's run), so today's
# drafts are their drafts as run.
AS_RUN = {
    "blind3": "510326f98a28b732500064adb2bdc0b2176aa848", "blind4": "0a2c94ecd9e0720e8b45cd8778bda2aabcd62499",
    "blind5": "b7bceecb465576988bd16d231cb11ab73325cd22", "blind6": "82dc109b6d40c79d34286d6bb8fbc002e63f896d",
    "blind7": "14912ee6f01f19521ae314b6fbde46d87141da13",
    "blind8": "12cb53e2901dae78b4e63412c9ac8dfac21cfe5b", "blind9": "12cb53e2901dae78b4e63412c9ac8dfac21cfe5b",
    "blind10": "f2042a1a6ce53f6f2ec49e32a9e040d64c20263e", "blind11": "f2042a1a6ce53f6f2ec49e32a9e040d64c20263e",
    "blind12": "b6f252889d60c4cdd57e62c0f63d103c56bb1593", "blind13": "b6f252889d60c4cdd57e62c0f63d103c56bb1593",
    "blind14": "c6d22fd2fc1be9c7f966b4c3b1ab545edff3e321", "blind15": "c6d22fd2fc1be9c7f966b4c3b1ab545edff3e321",
}


def _dump(group: str, texts: str) -> None:
    """(run with the old commit's kg first on the path) print the group's drafts as JSON."""
    from kg.extract.cli import project_indicators
    from kg.extract.evaluate import evaluate_sources
    from kg.extract.rules import load_rules
    from kg.extract.unseen import load_unseen, unseen_dir
    from kg.project import Project

    project = Project.default()
    indicators = project_indicators(project)
    read = load_unseen(unseen_dir(project.root), Path(texts), {str(i.iri).rsplit("/", 1)[-1] for i in indicators},
                       [group])
    results = evaluate_sources([t.source for t in read], indicators, load_rules())
    out = {r.source.iri: [{"start": f.start, "end": f.end, "exact": f.exact, "value": str(f.value), "unit": f.unit,
                           "kind": f.kind, "qualifier": f.qualifier, "period": f.period,
                           "indicator": str(f.indicator.iri) if f.indicator else None,
                           "score": f.indicator_score, "proposed": f.proposed_indicator,
                           "confidence": f.confidence, "rules": f.rules} for f in r.drafted] for r in results}
    print(json.dumps({"kg": str(Path(sys.modules["kg"].__file__ or "").parent), "drafts": out}))


def as_run_drafts(group: str, texts: Path, indicators: list[Indicator]) -> dict[str, list[Figure]]:
    """The drafts of `group`'s texts by the extractor of its blind run, per source IRI."""
    commit = AS_RUN[group]
    with tempfile.TemporaryDirectory(prefix="figure-filter-asrun-") as tmp:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", tmp], input=archive, check=True)
        env = dict(os.environ, PYTHONPATH=tmp, HITZ_ROOT=tmp)
        code = f"import sys; sys.path.insert(0, {tmp!r}); sys.path.insert(1, {str(ROOT / 'benchmarks')!r}); " \
               f"import figure_filter_asrun as a; a._dump({group!r}, {str(texts)!r})"
        done = subprocess.run([sys.executable, "-c", code], cwd=tmp, env=env, check=True, capture_output=True,
                              text=True)
    data = json.loads(done.stdout)
    if not data["kg"].startswith(tmp):
        raise RuntimeError(f"the as-run extractor of {commit} was not the one imported ({data['kg']})")
    by_iri = {str(i.iri): i for i in indicators}
    return {iri: [Figure(d["start"], d["end"], d["exact"], Decimal(d["value"]), d["unit"], d["kind"], d["qualifier"],
                         d["period"], by_iri.get(d["indicator"]) if d["indicator"] else None, d["score"], d["proposed"],
                         d["confidence"], d["rules"]) for d in figures]
            for iri, figures in data["drafts"].items()}
