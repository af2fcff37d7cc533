"""The words behind a fact: the sentence around a span, and an article cut into segments at
every span boundary so that each quote can be highlighted, overlapping ones too."""

from __future__ import annotations

import re
from dataclasses import dataclass

# a sentence ends at . ! ? (and a closing quote) followed by space, at a Chinese full stop,
# or at a line break; "CNY15.3" has no space after its point, so it does not end one
_BOUNDARY = re.compile(r"(?<=[.!?][\"”’)])\s+|(?<=[.!?])\s+|(?<=[。！？])|\n+")

@dataclass(frozen=True)
class Sentence:
    before: str
    words: str
    after: str


def sentence_around(text: str, start: int, end: int) -> Sentence:
    """The sentence(s) holding text[start:end], split into before / the words / after."""
    begin, finish = 0, len(text)
    for match in _BOUNDARY.finditer(text):
        if match.end() <= start:
            begin = match.end()
        elif match.start() >= end:
            finish = match.start()
            break
    return Sentence(text[begin:start], text[start:end], text[end:finish])


@dataclass(frozen=True)
class Segment:
    text: str
    spans: tuple[str, ...]  # the spans covering it, shortest first


def segments(text: str, spans: list[tuple[str, int, int]]) -> list[Segment]:
    """The text cut at every span boundary; each piece names the spans that cover it."""
    cuts = {0, len(text)}
    for _, start, end in spans:
        if 0 <= start <= end <= len(text):
            cuts.update((start, end))
    points = sorted(cuts)
    out = []
    for a, b in zip(points, points[1:]):
        covering = sorted((s for s in spans if s[1] <= a and b <= s[2]), key=lambda s: (s[2] - s[1], s[0]))
        out.append(Segment(text[a:b], tuple(s[0] for s in covering)))
    return out


def paragraphs(pieces: list[Segment]) -> list[list[Segment]]:
    """Segments grouped by paragraph (a blank or single line break ends one)."""
    result: list[list[Segment]] = [[]]
    for piece in pieces:
        parts = re.split(r"\n+", piece.text)
        for i, part in enumerate(parts):
            if i:
                result.append([])
            if part:
                result[-1].append(Segment(part, piece.spans))
    return [p for p in result if p]
