"""Pairs of members of a group that share a value for every dimension (Data Cube IC-12), read in slices.

The parts of the check are SPARQL queries in one .rq file (`# part: NAME` before each);
this module reads a bounded slice of the members at a time and groups them by their values,
so memory stays with the largest slice and time with the number of members.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox

HEADER = re.compile(r"^#\s*checked as:\s*same values\s*$", re.M)
PART = re.compile(r"^#\s*part:\s*(\w+).*$", re.M)
PARTS = ("dimensions", "size", "codes", "members")
SLICE = 20_000  # members read at once, about

Query = Callable[[str, dict | None], Iterable]


@dataclass
class Check:
    """The queries of a same-values check, with $this as ?this and no PREFIX lines (the engine adds them)."""

    dimensions: str
    size: str
    codes: str
    members: str


def parts(body: str) -> Check | None:
    """The parts of a .rq file headed `# checked as: same values` (its comments kept), or None for any other."""
    if not HEADER.search(body):
        return None
    found: dict[str, str] = {}
    marks = list(PART.finditer(body))
    for mark, after in zip(marks, marks[1:] + [None]):
        text = body[mark.end():after.start() if after else len(body)]
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        found[mark.group(1)] = re.sub(r"\$this\b", "?this", code).strip()
    missing = [p for p in PARTS if not found.get(p)]
    if missing:
        raise ValueError(f"a same-values check without the part(s) {', '.join(missing)}")
    return Check(**{p: found[p] for p in PARTS})


def pairs(check: Check, target: str, query: Query, inline: Callable[[str, str], str], slice_size: int = SLICE) -> set[tuple]:
    """Every (?this, ?value, ?other): two members of the focus node ?this (of `target`) with a value in common
    for each of its dimensions, as the pySHACL query of IC-12 finds them (both orders, ?value != ?other).
    The members are read in slices of about `slice_size`."""
    dimensions: dict = defaultdict(set)
    for row in query(inline(target, check.dimensions), None):
        dimensions[row["this"]].add(row["dimension"])
    codes: dict = {}
    found: set[tuple] = set()
    for focus, dims in dimensions.items():
        ordered = sorted(dims, key=str)
        if any(isinstance(d, ox.BlankNode) for d in ordered):
            continue  # a blank node is no predicate: no member has a value for it, so none shares one
        for dim in ordered:
            if dim not in codes:
                codes[dim] = sorted({row["code"] for row in query(check.codes, {ox.Variable("dimension"): dim})},
                                    key=str)
        size = int(next(iter(query(check.size, {ox.Variable("this"): focus})))["size"].value)
        if size < 2:
            continue
        by = max(ordered, key=lambda d: len(codes[d]))  # the most values: the smallest slices
        for batch in _batches(codes[by], size, slice_size):
            text, bound = _members(check.members, by, batch, ordered)
            found.update((focus, a, b) for a, b in _same(query(text, {ox.Variable("this"): focus, **bound})))
    return found


def _batches(codes: list, size: int, slice_size: int) -> list[list]:
    """The codes in batches of about `slice_size` members each (if the members are spread evenly); a blank node alone."""
    named = [c for c in codes if not isinstance(c, ox.BlankNode)]
    per = max(1, len(codes) * slice_size // max(size, 1))
    out = [named[i:i + per] for i in range(0, len(named), per)]
    return out + [[c] for c in codes if isinstance(c, ox.BlankNode)]


def _members(text: str, by, batch: list, dimensions: list) -> tuple[str, dict]:
    """The members query for one batch of codes of the dimension `by`: ?sliceDimension named, the codes as VALUES
    (or a blank node as a substitution: VALUES cannot name one), and a column ?_cN of values for each dimension."""
    if len(batch) == 1 and isinstance(batch[0], ox.BlankNode):
        codes, bound = "", {ox.Variable("sliceCode"): batch[0]}
    else:
        codes, bound = "VALUES ?sliceCode { " + " ".join(str(c) for c in batch) + " } ", {}
    text = re.sub(r"\?sliceDimension\b", str(by), text)
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\s*\{", text, re.I | re.S)
    if not m:
        raise ValueError("a members query without SELECT ... WHERE {")
    columns = " ".join(f"?_c{i}" for i in range(len(dimensions)))
    optional = " ".join(f"OPTIONAL {{ ?value {d} ?_c{i} }}" for i, d in enumerate(dimensions))
    close = text.rindex("}")
    return (text[:m.end(1)] + f" {columns} " + text[m.end(1):m.end()] + " " + codes + text[m.end():close]
            + " " + optional + " " + text[close:]), bound


def _same(rows: Iterable) -> Iterable[tuple]:
    """Ordered pairs of distinct members (the 3rd column) that share a value for every dimension (the columns after it)."""
    members: dict = {}
    for row in rows:
        values = tuple(row)
        members.setdefault(values[2], set()).add(values[3:])
    groups: dict = defaultdict(list)
    many = {}
    for member, seen in members.items():
        if len(seen) == 1:
            key = next(iter(seen))
            if None not in key:
                groups[key].append(member)
            continue
        each = [{v[i] for v in seen} - {None} for i in range(len(next(iter(seen))))]
        if all(each):
            many[member] = each
    for group in groups.values():
        for a in group:
            for b in group:
                if a != b:
                    yield a, b
    if not many:
        return
    index: dict = defaultdict(lambda: defaultdict(set))  # dimension -> value -> members
    for member, seen in members.items():
        for key in seen:
            for i, v in enumerate(key):
                if v is not None:
                    index[i][v].add(member)
    for a, each in many.items():
        common: set = set.intersection(*(set().union(*(index[i][v] for v in vs)) for i, vs in enumerate(each)))
        for b in common - {a}:
            yield a, b
            yield b, a
