"""How far two annotations of the same texts agree: the ceiling against which `kg extract --evaluate` is read.

Each folder holds gold files (ID.toml, the format of tests/extract/unseen/README.md); the texts (ID.txt) are in
TEXTS, outside the repository. Figures are read with kg.extract.unseen's reader and matched as the evaluation
matches them (overlapping words, largest overlap first, one to one). For each field (value+unit, period,
qualifier, indicator) the table gives the share of the figures both found on which the two agree, Cohen's kappa
(the categorical fields), and the agreement scored as `--evaluate` scores the extractor (A read as drafts
against B as gold: R = agreeing / B's figures, P = agreeing / A's figures, a pair counting only with equal
value and unit), then the figures only one of them found.

    .venv/bin/python benchmarks/extract_agreement.py DIR_A tests/extract/unseen --texts ~/blind4-texts --group blind4
    .venv/bin/python benchmarks/extract_agreement.py DIR_A DIR_B --texts DIR --list    # and every disagreement

The texts compared are those of DIR_A (of --group only, if given); each must be annotated in DIR_B too.
Prints tables; nothing is asserted.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from kg.errors import KgError
from kg.extract.evaluate import Curated, Source
from kg.extract.unseen import GROUPS, gold_group, load_text

ROOT = Path(__file__).resolve().parent.parent
FIELDS = ("value+unit", "period", "qualifier", "indicator")
CATEGORICAL = ("period", "qualifier", "indicator")  # kappa: a value+unit is nearly unique to its figure


def label(figure: Curated, name: str) -> str:
    """What an annotator read in one field of a figure, as a comparable label ("none"/"new" for no code)."""
    if name == "value+unit":
        return f"{figure.value.normalize():f} {figure.unit}"
    if name == "period":
        return str(figure.period).rsplit("/id/", 1)[-1]
    if name == "qualifier":
        return figure.qualifier or "none"
    return str(figure.indicator).rsplit("/", 1)[-1] if figure.indicator else "new"


@dataclass
class Agreement:
    """Two annotations of the same texts compared: the figures both found (pairs) and those only one found."""

    pairs: list[tuple[str, Curated, Curated]] = field(default_factory=list)
    only_a: list[tuple[str, Curated]] = field(default_factory=list)
    only_b: list[tuple[str, Curated]] = field(default_factory=list)

    def agreeing(self, name: str) -> int:
        """How many figures both found have the same reading of field `name`."""
        return sum(label(a, name) == label(b, name) for _, a, b in self.pairs)

    def scored(self, name: str) -> int:
        """Agreeing figures as the evaluation counts them: field `name` equal and value and unit equal."""
        return sum(label(a, name) == label(b, name) and label(a, "value+unit") == label(b, "value+unit")
                   for _, a, b in self.pairs)

    def kappa(self, name: str) -> float | None:
        """Cohen's kappa of field `name` over the figures both found (None where chance agreement is 1)."""
        return cohen_kappa([(label(a, name), label(b, name)) for _, a, b in self.pairs])


def cohen_kappa(labels: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa of two raters' labels of the same items: (p_o - p_e) / (1 - p_e); None if undefined."""
    n = len(labels)
    if not n:
        return None
    observed = sum(x == y for x, y in labels) / n
    first, second = Counter(x for x, _ in labels), Counter(y for _, y in labels)
    expected = sum(first[c] * second[c] for c in first) / (n * n)
    return None if expected == 1 else (observed - expected) / (1 - expected)


def pair(a: list[Curated], b: list[Curated]) -> list[tuple[Curated, Curated]]:
    """Match two annotators' figures of one text: overlapping words, largest overlap first, one to one."""
    candidates = [(min(x.end, y.end) - max(x.start, y.start), i, j)
                  for i, x in enumerate(a) for j, y in enumerate(b)]
    pairs, used_a, used_b = [], set(), set()
    for _, i, j in sorted((c for c in candidates if c[0] > 0), key=lambda c: (-c[0], c[1], c[2])):
        if i not in used_a and j not in used_b:
            pairs.append((a[i], b[j]))
            used_a.add(i)
            used_b.add(j)
    return sorted(pairs, key=lambda p: p[0].start)


def compare(a: dict[str, Source], b: dict[str, Source]) -> Agreement:
    """Compare the annotations `a` and `b` of the same texts (by ID)."""
    result = Agreement()
    for text_id in sorted(a):
        pairs = pair(a[text_id].curated, b[text_id].curated)
        matched_a, matched_b = {id(x) for x, _ in pairs}, {id(y) for _, y in pairs}
        result.pairs += [(text_id, x, y) for x, y in pairs]
        result.only_a += [(text_id, x) for x in a[text_id].curated if id(x) not in matched_a]
        result.only_b += [(text_id, y) for y in b[text_id].curated if id(y) not in matched_b]
    return result


def read_folder(folder: Path, texts: Path, indicators: set[str], ids: Sequence[str] | None = None,
                groups: Sequence[str] = ()) -> dict[str, Source]:
    """The annotations of `folder` (those of `ids`, else those of `groups`, else all), each read with its text."""
    if not folder.is_dir():
        raise KgError(f"{folder}: no such folder (of gold files ID.toml)")
    if ids is None:
        golds = sorted(g for g in folder.glob("*.toml") if not groups or gold_group(g) in groups)
        if not golds:
            raise KgError(f"{folder}: no gold files (ID.toml){' of the group ' + ' or '.join(groups) if groups else ''}")
    else:
        golds = [folder / f"{text_id}.toml" for text_id in ids]
        missing = [g.name for g in golds if not g.is_file()]
        if missing:
            raise KgError(f"{folder}: no annotation of {', '.join(missing)} (annotated in the first folder)")
    read = {}
    for gold in golds:
        unseen = load_text(gold, texts / f"{gold.stem}.txt", indicators)
        if unseen.differs:
            print(f"warning: {unseen.differs}", file=sys.stderr)
        read[gold.stem] = unseen.source
    return read


def table(result: Agreement, name_a: str, name_b: str) -> list[str]:
    """The agreement table: a row per field, then the figures only one annotator found."""
    both = len(result.pairs)
    n_a, n_b = both + len(result.only_a), both + len(result.only_b)
    rows = [("field", "agree (of both found)", "kappa", f"R/P ({name_a} scored against {name_b})")]
    for name in FIELDS:
        agree, scored = result.agreeing(name), result.scored(name)
        kappa = result.kappa(name) if name in CATEGORICAL else None
        rows.append((name, f"{agree}/{both} = {agree / both:.0%}" if both else "0/0",
                     "-" if kappa is None else f"{kappa:.2f}",
                     f"{scored / n_b:.0%} / {scored / n_a:.0%}" if n_a and n_b else "-"))
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(r, widths)) + " |" for r in rows]
    lines.insert(1, "| " + " | ".join("-" * w for w in widths) + " |")
    lines += ["", f"figures: {name_a} {n_a}, {name_b} {n_b}; found by both {both}, only by {name_a} "
                  f"{len(result.only_a)}, only by {name_b} {len(result.only_b)}"]
    return lines


def disagreements(result: Agreement, name_a: str, name_b: str) -> list[str]:
    """Every figure only one annotator found, and every field two readings of one figure differ on."""
    lines = []
    for text_id, a, b in result.pairs:
        for name in FIELDS:
            if label(a, name) != label(b, name):
                lines.append(f"{text_id}: {a.exact!r} {name}: {name_a} {label(a, name)} | {name_b} {label(b, name)}")
    lines += [f"{text_id}: {x.exact!r} only {name_a}" for text_id, x in result.only_a]
    lines += [f"{text_id}: {y.exact!r} only {name_b}" for text_id, y in result.only_b]
    return lines


def main(argv: Sequence[str] | None = None) -> int:
    """Print the agreement of two folders of annotations; 2 with one line on a user error."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("first", type=Path, help="a folder of annotations (ID.toml): the texts compared")
    parser.add_argument("second", type=Path, help="another annotation of the same texts (may hold more)")
    parser.add_argument("--texts", type=Path, required=True, help="the folder holding the texts (ID.txt)")
    parser.add_argument("--group", action="append", default=[], choices=GROUPS,
                        help="only the first folder's texts of this group")
    parser.add_argument("--list", action="store_true", help="also list every disagreement")
    args = parser.parse_args(argv)
    try:
        from kg.extract.cli import project_indicators
        from kg.project import Project

        if not args.texts.is_dir():
            raise KgError(f"{args.texts}: no such folder (the texts, ID.txt)")
        indicators = {str(i.iri).rsplit("/", 1)[-1] for i in project_indicators(Project(ROOT))}
        a = read_folder(args.first, args.texts, indicators, groups=args.group)
        b = read_folder(args.second, args.texts, indicators, ids=sorted(a))
    except KgError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    result = compare(a, b)
    name_a, name_b = "A", "B"
    print(f"A = {args.first}, B = {args.second}: {len(a)} texts")
    print("\n".join(table(result, name_a, name_b)))
    if args.list:
        print("\n".join(["", "disagreements:"] + disagreements(result, name_a, name_b)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
