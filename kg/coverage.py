"""Which numbers of the article does the graph account for? Each must sit inside a fact's span."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, PROV

from .namespaces import OA

if TYPE_CHECKING:
    from .project import Project

_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_WORDS = re.compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|hundred|dozen"
    r"|twice|double|doubled|triple|tripled|quadrupled|sixth)\b",
    re.IGNORECASE,
)
CURRENCY_PREFIXES = ("CNY", "RMB", "USD", "US$", "$", "¥")


@dataclass
class Number:
    """One number of the article: where it is, whether it is a figure or part of a name, and its facts."""

    start: int
    end: int
    text: str
    kind: str  # "figure" or "name"
    facts: list[str]

    @property
    def accounted(self) -> bool:
        return bool(self.facts)


def find_numbers(text: str) -> list[tuple[int, int, str, str]]:
    """Every number of the text as (start, end, token, kind); digits glued to a name are a name."""
    found = []
    for m in _DIGITS.finditer(text):
        start, end = m.span()
        before = re.search(r"([A-Za-z$¥]+-?)$", text[max(0, start - 8):start])
        after = text[end:end + 1]
        if not after.isascii():  # 12.33万亿元, 2023年: a Chinese unit or counter word, not part of a name
            after = ""
        prefix = before.group(1) if before else ""
        is_name = (prefix and prefix not in CURRENCY_PREFIXES) or (after.isalpha())
        token_start = start - len(prefix) if is_name else start
        token_end = end
        if after.isalpha():
            letters = re.match(r"[^\W\d_]+", text[end:])  # any script's letters
            token_end = end + (len(letters.group(0)) if letters else 0)
        found.append((token_start, token_end, text[token_start:token_end], "name" if is_name else "figure"))
    for m in _WORDS.finditer(text):
        found.append((m.start(), m.end(), m.group(0), "figure"))
    return sorted(found)


def coverage(graph: Graph, text: str, source: URIRef | None = None) -> list[Number]:
    """Each number of a source's text with the facts whose spans (of that source) contain it."""
    spans = []
    for span in set(graph.subjects(OA.exact)):
        if source is not None and graph.value(span, DCTERMS.isPartOf) != source:
            continue
        first, last = graph.value(span, OA.start), graph.value(span, OA.end)
        if first is None or last is None:
            continue
        facts = sorted(str(f) for f in graph.subjects(PROV.wasDerivedFrom, span))
        spans.append((int(str(first)), int(str(last)), facts))
    numbers = []
    for start, end, token, kind in find_numbers(text):
        facts = sorted({f for s, e, fs in spans if s <= start and end <= e for f in fs})
        numbers.append(Number(start, end, token, kind, facts))
    return numbers


@dataclass
class Coverage:
    """Every number of every source of a project, each with the source it is in (by id)."""

    numbers: list[tuple[str, Number]]
    sources: int

    @property
    def accounted(self) -> int:
        return sum(n.accounted for _, n in self.numbers)

    @property
    def names(self) -> int:
        return sum(n.kind == "name" for _, n in self.numbers)

    @property
    def complete(self) -> bool:
        """Whether every number is accounted for."""
        return self.accounted == len(self.numbers)

    def summary(self) -> str:
        """One line: how many numbers are accounted for, in how many sources, how many inside names."""
        done, total = self.accounted, len(self.numbers)
        return (f"{done} of {total} numbers accounted for ({100 * done / max(total, 1):.1f} %) "
                f"in {self.sources} sources; {self.names} inside names")


def project_coverage(project: Project) -> Coverage:
    """The numbers of every source of the project, with the facts of the assembled graph that account for them."""
    from .build import assemble
    from .rdfio import union_of

    graph = union_of(assemble(project))
    sources = project.sources()
    numbers = [(source.id, n) for source in sources for n in coverage(graph, source.text(), source.article)]
    return Coverage(numbers, len(sources))
