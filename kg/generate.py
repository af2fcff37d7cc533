"""Synthetic data in the project's own model, for benchmarks and scale tests.

`generate` writes the article's built graph (ontology, facts, provenance, links)
plus a synthetic yearbook: provinces, cities and zones, observations of the
project's indicators over years in a data set of their own, each pointing at
its words in a generated article, and ratios that add up. The output is a
whole graph: `kg validate --graph FILE` checks it as it is. The same size and
seed give the same bytes. With `violations=K`, K observations are broken in
each way of VIOLATION_KINDS.
"""

from __future__ import annotations

import random
from decimal import Decimal
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from .files import write_atomically
from .project import Project

ID = "https://w3id.org/hitz/id/"
HITZ = "https://w3id.org/hitz/ontology#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "http://schema.org/"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
DCT = "http://purl.org/dc/terms/"
QB = "http://purl.org/linked-data/cube#"
DIM = "http://purl.org/linked-data/sdmx/2009/dimension#"
MEASURE = "http://purl.org/linked-data/sdmx/2009/measure#"
ATTR = "http://purl.org/linked-data/sdmx/2009/attribute#"
UNIT = "http://qudt.org/vocab/unit/"
YEAR = "http://reference.data.gov.uk/id/year/"
SYNTHETIC_GRAPH = "https://w3id.org/hitz/graph/synthetic"

# (indicator, unit, smallest value, largest value): the indicators of the article that a zone reports each year
INDICATORS = [
    ("gdp", "CCY_CNY", 10**9, 10**12),
    ("revenue", "CCY_CNY", 10**9, 10**12),
    ("gross-industrial-output", "CCY_CNY", 10**9, 10**12),
    ("rd-budget", "CCY_CNY", 10**7, 10**10),
    ("high-tech-companies", "NUM", 10, 10**4),
    ("researchers", "NUM", 100, 10**5),
    ("research-institutions", "NUM", 1, 500),
    ("foreign-researchers", "NUM", 0, 5000),
    ("share-of-national-exports", "PERCENT", 0, 5),
    ("share-of-national-gdp", "PERCENT", 0, 2),
]
FIRST_YEAR, LAST_YEAR = 2003, 2022
TRIPLES_PER_OBSERVATION = 16  # 11 of the observation, 5 of its span

VIOLATION_KINDS = {
    "missing-unit": "an observation without sdmx-attribute:unitMeasure",
    "percentage-over-100": "a share (unit:PERCENT) of 150",
    "duplicate-observation": "a second observation with the same area, period and indicator",
    "dangling-area": "an observation whose sdmx-dimension:refArea is not a place of the graph",
    "ratio-does-not-add-up": "a ratio of later over earlier that is 1 more than the figures give",
}


@dataclass
class Generated:
    """What was written: counts of triples, observations, zones, and the broken observations by kind."""

    triples: int = 0
    observations: int = 0
    zones: int = 0
    broken: dict[str, list[str]] = field(default_factory=dict)


def iri(local: str) -> str:
    return f"<{ID}{local}>"


def lit(text: str, datatype: str | None = None, lang: str | None = None) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "\\r")
    if lang:
        return f'"{escaped}"@{lang}'
    return f'"{escaped}"^^<{datatype}>' if datatype else f'"{escaped}"'


def integer(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def decimal(text: str) -> str:
    """An xsd:decimal in the form Oxigraph gives it back ("1.5", "150"), so both engines name the same value."""
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f'"{text}"^^<{XSD}decimal>'


class Writer:
    """Collects statements as N-Quads lines of one graph and the generated article's text."""

    def __init__(self, graph: str):
        self.graph = f"<{graph}>"
        self.lines: list[str] = []
        self.text: list[str] = []
        self.offset = 0

    def add(self, s: str, p: str, o: str) -> None:
        self.lines.append(f"{s} <{p}> {o} {self.graph} .\n")

    def quote(self, sentence: str) -> tuple[int, int]:
        """Append a sentence to the article; its code-point offsets."""
        start = self.offset
        self.text.append(sentence + " ")
        self.offset += len(sentence) + 1
        return start, start + len(sentence)


# Characters of one generated article's text: past it, the next zones go into a new part. Oxigraph's
# N-Quads reader refuses a line over 16 MiB, and at 10^7 triples one text would be 40 MB.
ARTICLE_CHARS = 8_000_000


def generate(triples: int, violations: int = 0, seed: int = 0, project: Project | None = None,
             progress: Callable[[int], None] | None = None,
             article_chars: int = ARTICLE_CHARS) -> tuple[list[str], Generated]:
    """The N-Quads lines of a graph of about `triples` triples, and what is in it. The zones' text is
    one article, or several parts (each a schema:NewsArticle) of at most about `article_chars`."""
    project = project or Project.default()
    rng = random.Random(seed)
    base = base_lines(project)
    out = Writer(SYNTHETIC_GRAPH)
    info = Generated(broken={kind: [] for kind in VIOLATION_KINDS})
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    per_zone = len(INDICATORS) * len(years) * TRIPLES_PER_OBSERVATION + 60
    zones = max(1, round((triples - len(base)) / per_zone))
    info.zones = zones
    article = iri(f"article/synthetic-{seed}")
    dataset = iri(f"dataset/synthetic-{seed}")
    add_dataset(out, dataset, article)
    provinces = max(1, zones // 5)
    for p in range(provinces):
        add_place(out, f"province-{p}", f"Province {p}", "AdministrativeArea", "<https://w3id.org/hitz/id/place/china>", article)
    broken_every: dict[str, set[int]] = {kind: set() for kind in VIOLATION_KINDS}
    total_obs = zones * len(INDICATORS) * len(years)
    if violations:
        kinds = [k for k in VIOLATION_KINDS if k != "ratio-does-not-add-up"]
        picks = rng.sample(range(total_obs), min(total_obs, violations * len(kinds)))
        for i, n in enumerate(picks):
            broken_every[kinds[i % len(kinds)]].add(n)
    ratio_broken = set(rng.sample(range(zones), min(zones, violations))) if violations else set()
    n = 0
    for z in range(zones):
        zone = f"synthetic-{z}"
        city = f"city-{z}"
        add_place(out, city, f"City {z}", "City", f"<{ID}place/province-{z % provinces}>", article)
        add_zone(out, zone, f"City {z}", city, article)
        for name, unit, low, high in INDICATORS:
            values = {}
            for year in years:
                value = rng.randint(low, high) if unit != "PERCENT" else None
                if unit == "PERCENT":
                    text_value = f"{rng.randint(0, high * 100) / 100:.2f}"
                else:
                    text_value = str(value)
                kind = next((k for k, s in broken_every.items() if n in s), None)
                obs = add_observation(out, dataset, article, zone, name, unit, year, text_value, kind, rng)
                if kind:
                    info.broken[kind].append(obs)
                values[year] = (obs, value)
                n += 1
                info.observations += 1
            if name == "researchers":
                info.observations += 1
                if add_ratio(out, dataset, article, zone, values, z in ratio_broken):
                    info.broken["ratio-does-not-add-up"].append(f"obs:{zone}-researchers-ratio")
        if progress:
            progress(len(INDICATORS) * len(years))
        if out.offset > article_chars and z < zones - 1:  # the next zones' words go into a new part
            add_article(out, article, "".join(out.text).rstrip())
            article = iri(f"article/synthetic-{seed}-part-{z + 1}")
            out.text, out.offset = [], 0
    add_article(out, article, "".join(out.text).rstrip())
    lines = base + out.lines
    info.triples = len(lines)
    return lines, info


def base_lines(project: Project) -> list[str]:
    """The article's built graph (sorted N-Quads lines): the ontology, facts, provenance and links."""
    from .build import assemble

    dataset = assemble(project)
    data = dataset.serialize(format="nquads")
    return sorted(line + "\n" for line in data.splitlines() if line.strip())


def add_dataset(out: Writer, dataset: str, article: str) -> None:
    out.add(dataset, RDF_TYPE, f"<{QB}DataSet>")
    out.add(dataset, f"{QB}structure", iri("dsd/zone-statistics"))
    out.add(dataset, f"{RDFS}label", lit("Synthetic yearbook of the high-tech zones", lang="en"))
    out.add(dataset, f"{DCT}source", article)
    out.add(dataset, f"{DCT}publisher", iri("org/china-daily"))


def add_article(out: Writer, article: str, text: str) -> None:
    out.add(article, RDF_TYPE, f"<{SCHEMA}NewsArticle>")
    out.add(article, RDF_TYPE, f"<{PROV}Entity>")
    out.add(article, f"{RDFS}label", lit("Synthetic yearbook text", lang="en"))
    out.add(article, f"{SCHEMA}publisher", iri("org/china-daily"))
    out.add(article, f"{SCHEMA}datePublished", lit("2022", f"{XSD}gYear"))
    out.add(article, f"{SCHEMA}inLanguage", lit("en"))
    out.add(article, f"{SCHEMA}about", iri("place/china"))
    out.add(article, f"{PROV}wasAttributedTo", iri("org/china-daily"))
    out.add(article, f"{SCHEMA}text", lit(text))


def add_span(out: Writer, name: str, sentence: str, article: str) -> str:
    span = iri(f"span/{name}")
    start, end = out.quote(sentence)
    out.add(span, RDF_TYPE, f"<{HITZ}TextSpan>")
    out.add(span, f"{OA}exact", lit(sentence))
    out.add(span, f"{OA}start", integer(start))
    out.add(span, f"{OA}end", integer(end))
    out.add(span, f"{DCT}isPartOf", article)
    return span


def add_place(out: Writer, local: str, label: str, kind: str, parent: str, article: str) -> None:
    place = iri(f"place/{local}")
    span = add_span(out, local, f"{label} is a place of China.", article)
    out.add(place, RDF_TYPE, f"<{SCHEMA}{kind}>")
    out.add(place, RDF_TYPE, f"<{SCHEMA}Place>")
    out.add(place, f"{SKOS}prefLabel", lit(label, lang="en"))
    out.add(place, f"{RDFS}label", lit(label, lang="en"))
    out.add(place, f"{SCHEMA}containedInPlace", parent)
    out.add(place, f"{PROV}wasDerivedFrom", span)


def add_zone(out: Writer, local: str, city_label: str, city: str, article: str) -> None:
    zone = iri(f"zone/{local}")
    label = f"national high-tech zone in {city_label}"
    span = add_span(out, f"zone-{local}", f"There is a {label}.", article)
    out.add(zone, RDF_TYPE, f"<{HITZ}NationalHighTechZone>")
    out.add(zone, RDF_TYPE, f"<{SCHEMA}Place>")
    out.add(zone, f"{SKOS}prefLabel", lit(f"{city_label} national high-tech zone", lang="en"))
    out.add(zone, f"{RDFS}label", lit(label, lang="en"))
    out.add(zone, f"{SCHEMA}containedInPlace", iri(f"place/{city}"))
    out.add(zone, f"{PROV}wasDerivedFrom", span)


def add_observation(out: Writer, dataset: str, article: str, zone: str, indicator: str, unit: str,
                    year: int, value: str, broken: str | None, rng: random.Random) -> str:
    local = f"{zone}-{indicator}-{year}"
    obs = iri(f"obs/{local}")
    qualified = rng.random() < 0.1
    if broken == "percentage-over-100":
        unit, value = "PERCENT", "150"
    number = decimal(value) if unit != "NUM" else integer(int(value))
    words = f"{'About ' if qualified else ''}{value} was the {indicator} of zone {zone} in {year}."
    span = add_span(out, local, words, article)
    area = iri(f"zone/{zone}") if broken != "dangling-area" else iri(f"zone/{zone}-nowhere")
    for o in [obs] + ([iri(f"obs/{local}-again")] if broken == "duplicate-observation" else []):
        out.add(o, RDF_TYPE, f"<{QB}Observation>")
        out.add(o, f"{QB}dataSet", dataset)
        out.add(o, f"{DIM}refArea", area)
        out.add(o, f"{DIM}refPeriod", f"<{YEAR}{year}>")
        out.add(o, f"{HITZ}indicator", iri(f"indicator/{indicator}"))
        out.add(o, f"{MEASURE}obsValue", number)
        if broken != "missing-unit":
            out.add(o, f"{ATTR}unitMeasure", f"<{UNIT}{unit}>")
        if qualified:
            out.add(o, f"{HITZ}valueQualifier", f"<{HITZ}About>")
        out.add(o, f"{PROV}wasDerivedFrom", span)
        out.add(o, f"{PROV}wasAttributedTo", iri("org/most"))
    return f"obs:{local}"


def stated_ratio(value: float) -> str:
    """A ratio as an article states it: three places, or three significant figures below 0.1
    (0.00364 written 0.004 would be 10% off, and RatioAddsUp would rightly report it)."""
    return f"{value:.3f}" if value >= 0.1 else format(Decimal(f"{value:.3g}"), "f")


def add_ratio(out: Writer, dataset: str, article: str, zone: str, values: dict, broken: bool) -> bool:
    """The ratio of the last year's researchers to the first year's, stated to three places (one more if broken)."""
    (earlier_obs, earlier), (later_obs, later) = values[FIRST_YEAR], values[LAST_YEAR]
    if not earlier:
        return False
    ratio = stated_ratio(later / earlier + (1 if broken else 0))
    local = f"{zone}-researchers-ratio"
    obs = iri(f"obs/{local}")
    span = add_span(out, local, f"Zone {zone} had {ratio} times as many researchers in {LAST_YEAR} as in {FIRST_YEAR}.", article)
    out.add(obs, RDF_TYPE, f"<{QB}Observation>")
    out.add(obs, f"{QB}dataSet", dataset)
    out.add(obs, f"{DIM}refArea", iri(f"zone/{zone}"))
    out.add(obs, f"{DIM}refPeriod", f"<http://reference.data.gov.uk/id/gregorian-interval/{FIRST_YEAR}-01-01T00:00:00/P{LAST_YEAR - FIRST_YEAR + 1}Y>")
    out.add(obs, f"{HITZ}indicator", iri("indicator/researchers-ratio"))
    out.add(obs, f"{MEASURE}obsValue", decimal(ratio))
    out.add(obs, f"{ATTR}unitMeasure", f"<{UNIT}NUM>")
    out.add(obs, f"{HITZ}comparisonOf", iri("obs/" + later_obs[4:]))
    out.add(obs, f"{HITZ}comparedWith", iri("obs/" + earlier_obs[4:]))
    out.add(obs, f"{PROV}wasDerivedFrom", span)
    out.add(obs, f"{PROV}wasAttributedTo", iri("org/most"))
    return broken


def write(path: Path, lines: list[str]) -> None:
    """Write the lines as N-Quads (.nq), N-Triples (.nt) or Turtle (.ttl), replacing `path` only when done."""
    suffix = path.suffix.lower()
    if suffix == ".nq":
        data = "".join(lines)
    elif suffix in (".ttl", ".nt"):  # N-Triples is Turtle too: drop the graph name
        data = "".join(_triple(line) for line in lines)
    else:
        from .errors import KgError

        raise KgError(f"{path}: write .nq (N-Quads) or .ttl (Turtle)")
    write_atomically(path, data.encode("utf-8"))


def _triple(line: str) -> str:
    body = line.rstrip()[:-1].rstrip()  # drop " ."
    if body.endswith(">"):
        cut = body.rfind(" <")
        if cut > 0 and not body[cut:].startswith(' <"'):
            rest = body[:cut]
            if rest.count(" ") >= 2:
                return rest + " .\n"
    return body + " .\n"


def iter_chunks(lines: list[str], size: int = 100_000) -> Iterator[list[str]]:
    for i in range(0, len(lines), size):
        yield lines[i:i + size]
