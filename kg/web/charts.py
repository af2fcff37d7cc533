"""Charts drawn on the server as static SVG: one mark per observation over its periods, bounds
("more than", "less than"), approximations and derived figures each drawn their own way,
with a legend. No script runs in the browser; the same numbers go in a table beside."""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

UNIT = "http://qudt.org/vocab/unit/"
HITZ = "https://w3id.org/hitz/ontology#"
COLOURS = ("#1f5fa8", "#c2571a", "#2e7d32", "#7b3fa0", "#a0392e", "#00838f")
KINDS = {  # kind -> legend text
    "exact": "stated figure",
    "more": "more than (a lower bound: the value lies above)",
    "less": "less than (an upper bound: the value lies below)",
    "about": "about (an approximate figure)",
    "derived": "derived figure (computed from stated ones)",
}
SYMBOL = {"exact": "", "more": "> ", "less": "< ", "about": "≈ ", "derived": ""}


@dataclass(frozen=True)
class Point:
    """One observation as the chart and its table show it."""

    obs: str
    href: str
    area: str
    area_label: str
    period: str
    period_label: str
    begin: str
    value: float
    unit: str | None
    qualifier: str | None
    derived: bool

    @property
    def kind(self) -> str:
        if self.qualifier == HITZ + "MoreThan":
            return "more"
        if self.qualifier == HITZ + "LessThan":
            return "less"
        if self.qualifier == HITZ + "About":
            return "about"
        return "derived" if self.derived else "exact"

    @property
    def shown(self) -> str:
        """The value as a reader writes it, with its bound: "> 5.63 million"."""
        return SYMBOL[self.kind] + format_value(self.value, self.unit)


def format_value(value: float, unit: str | None) -> str:
    """A figure in words a reader knows: CNY15.3 trillion, 13.4%, 5.63 million, 173."""
    def short(v: float) -> str:
        for size, word in ((1e12, "trillion"), (1e9, "billion"), (1e6, "million")):
            if abs(v) >= size:
                return f"{v / size:.4g} {word}"
        return f"{v:,.10g}"

    if unit == UNIT + "CCY_CNY":
        return "CNY" + short(value)
    if unit == UNIT + "PERCENT":
        return f"{value:g}%"
    return short(value)


def unit_name(unit: str | None) -> str:
    return {UNIT + "CCY_CNY": "yuan (CNY)", UNIT + "PERCENT": "percent", UNIT + "NUM": "number"}.get(
        unit or "", (unit or "").rsplit("/", 1)[-1])


def _nice_step(span: float, ticks: int = 5) -> float:
    raw = span / ticks
    magnitude = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def svg_chart(points: list[Point], title: str, width: int = 640, height: int = 320) -> str:
    """An SVG chart: x the periods in time order, y the value; one mark per point."""
    left, right, top, bottom = 90, 20, 30, 50
    periods: list[tuple[str, str]] = []
    for p in sorted(points, key=lambda p: (p.begin, p.period)):
        if (p.period, p.period_label) not in periods:
            periods.append((p.period, p.period_label))
    areas: list[str] = []
    for p in points:
        if p.area not in areas:
            areas.append(p.area)
    values = [p.value for p in points] or [0.0]
    low, high = min(0.0, min(values)), max(0.0, max(values))
    step = _nice_step((high - low) or 1.0)
    low, high = math.floor(low / step) * step, math.ceil(high * 1.12 / step) * step or step
    plot_w, plot_h = width - left - right, height - top - bottom
    x_step = plot_w / max(1, len(periods))

    def y(v: float) -> float:
        return top + plot_h - (v - low) / (high - low) * plot_h

    def x(p: Point) -> float:
        i = periods.index((p.period, p.period_label))
        k = areas.index(p.area)
        spread = (k - (len(areas) - 1) / 2) * min(18, x_step / (len(areas) + 1))
        return left + (i + 0.5) * x_step + spread

    unit = next((p.unit for p in points if p.unit), None)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}">',
           f'<title>{escape(title)}</title>']
    tick = low
    while tick <= high + step / 2:
        ty = y(tick)
        out.append(f'<line class="grid" x1="{left}" x2="{width - right}" y1="{ty:.1f}" y2="{ty:.1f}" '
                   'stroke="#ddd" stroke-width="1"/>')
        out.append(f'<text class="tick" x="{left - 6}" y="{ty + 4:.1f}" text-anchor="end" font-size="11" '
                   f'fill="#444">{escape(format_value(tick, unit))}</text>')
        tick += step
    out.append(f'<line class="axis" x1="{left}" x2="{left}" y1="{top}" y2="{top + plot_h}" stroke="#333"/>')
    out.append(f'<line class="axis" x1="{left}" x2="{width - right}" y1="{top + plot_h}" y2="{top + plot_h}" '
               'stroke="#333"/>')
    for i, (_, label) in enumerate(periods):
        px = left + (i + 0.5) * x_step
        out.append(f'<text class="period" x="{px:.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
                   f'font-size="12" fill="#222">{escape(label)}</text>')
    for area in areas:  # a thin line joins the points of one area in time order
        own = sorted((p for p in points if p.area == area), key=lambda p: (p.begin, p.period))
        if len(own) > 1:
            colour = COLOURS[areas.index(area) % len(COLOURS)]
            coords = " ".join(f"{x(p):.1f},{y(p.value):.1f}" for p in own)
            out.append(f'<polyline class="series" points="{coords}" fill="none" stroke="{colour}" '
                       'stroke-width="1.5" stroke-opacity="0.5"/>')
    for p in points:
        out.append(_mark(p, x(p), y(p.value), COLOURS[areas.index(p.area) % len(COLOURS)]))
    out.append("</svg>")
    return "\n".join(out)


def _mark(p: Point, px: float, py: float, colour: str) -> str:
    kind = p.kind
    parts = [f'<a href="{escape(p.href)}" class="mark-link">',
             f'<g class="mark mark-{kind}" data-obs="{escape(p.obs)}" data-kind="{kind}">',
             f'<title>{escape(p.period_label)}, {escape(p.area_label)}: {escape(p.shown)} '
             f'({escape(KINDS[kind])})</title>']
    if kind == "more":
        parts.append(f'<line x1="{px:.1f}" y1="{py:.1f}" x2="{px:.1f}" y2="{py - 22:.1f}" stroke="{colour}" '
                     'stroke-width="2"/>')
        parts.append(f'<path d="M{px - 6:.1f},{py - 18:.1f} L{px:.1f},{py - 28:.1f} L{px + 6:.1f},{py - 18:.1f} Z" '
                     f'fill="{colour}"/>')
        parts.append(f'<rect x="{px - 7:.1f}" y="{py - 1.5:.1f}" width="14" height="3" fill="{colour}"/>')
    elif kind == "less":
        parts.append(f'<line x1="{px:.1f}" y1="{py:.1f}" x2="{px:.1f}" y2="{py + 22:.1f}" stroke="{colour}" '
                     'stroke-width="2"/>')
        parts.append(f'<path d="M{px - 6:.1f},{py + 18:.1f} L{px:.1f},{py + 28:.1f} L{px + 6:.1f},{py + 18:.1f} Z" '
                     f'fill="{colour}"/>')
        parts.append(f'<rect x="{px - 7:.1f}" y="{py - 1.5:.1f}" width="14" height="3" fill="{colour}"/>')
    elif kind == "about":
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="11" fill="none" stroke="{colour}" '
                     'stroke-width="1.5" stroke-dasharray="3 3"/>')
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}"/>')
    elif kind == "derived":
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="6" fill="#fff" stroke="{colour}" '
                     'stroke-width="2" stroke-dasharray="2 2"/>')
    else:
        parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="6" fill="{colour}"/>')
    label_y = py - 34 if kind == "more" else py - 12
    parts.append(f'<text class="value" x="{px + 9:.1f}" y="{label_y:.1f}" font-size="11" fill="#111">'
                 f'{escape(p.shown)}</text>')
    parts.append("</g></a>")
    return "".join(parts)


def legend_kinds(points: list[Point]) -> list[tuple[str, str]]:
    """The kinds of mark a chart uses, with their legend text, in a fixed order."""
    used = {p.kind for p in points}
    return [(k, text) for k, text in KINDS.items() if k in used]


def legend_svg(kind: str) -> str:
    """A small SVG sample of one kind of mark, for the legend."""
    p = Point("", "#", "", "", "", "", "", 0, None, {"more": HITZ + "MoreThan", "less": HITZ + "LessThan",
                                                      "about": HITZ + "About"}.get(kind), kind == "derived")
    mark = _mark(p, 16, 16 if kind != "more" else 30, COLOURS[0])
    mark = mark.replace('<a href="#" class="mark-link">', "").replace("</a>", "")
    mark = mark.split('<text class="value"')[0] + "</g>"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="legend-mark" width="32" height="44" '
            f'viewBox="0 0 32 {44 if kind in ("more", "less") else 32}" aria-hidden="true">{mark}</svg>')
