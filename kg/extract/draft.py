"""The draft graph of `kg extract` (observations marked hitz:DraftObservation), its table for
people, and the build's refusal of drafts put among the facts."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS, XSD

from ..errors import KgError
from ..namespaces import HITZ, ID, OA, QB, SCHEMA, SDMX_ATTRIBUTE, SDMX_DIMENSION, SDMX_MEASURE, UNIT, bind_prefixes
from ..spans import resolve_spans
from .figures import Figure

REF = "http://reference.data.gov.uk/id/"


class DraftInFacts(KgError):
    """A draft of `kg extract` was put among the sources of the build."""

    exit_code = 1


def slug(text: str) -> str:
    """A lower-case ASCII slug for IRIs."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "text"


def _value(figure: Figure) -> Literal:
    if figure.unit == "NUM" and figure.kind in ("level", "change") and figure.value == figure.value.to_integral():
        return Literal(int(figure.value), datatype=XSD.integer)
    text = format(figure.value.normalize(), "f")
    return Literal(text if "." in text else text + ".0", datatype=XSD.decimal)


def draft_graph(figures: list[Figure], text: str, name: str, published: date, lang: str) -> Graph:
    """The figures as a draft graph in the project's model; every span is checked against the text."""
    graph = Graph()
    bind_prefixes(graph)
    stem = slug(name)
    source = ID[f"article/draft-{stem}"]
    graph.add((source, RDF.type, SCHEMA.NewsArticle))
    graph.add((source, RDFS.label, Literal(f"{name} (draft of kg extract)", lang="en")))
    graph.add((source, SCHEMA.datePublished, Literal(published.isoformat(), datatype=XSD.date)))
    graph.add((source, SCHEMA.inLanguage, Literal(lang)))
    for i, figure in enumerate(figures, 1):
        obs, span = ID[f"obs/draft-{stem}-{i:02d}"], ID[f"span/draft-{stem}-{i:02d}"]
        graph.add((obs, RDF.type, QB.Observation))
        graph.add((obs, RDF.type, HITZ.DraftObservation))
        graph.add((obs, QB.dataSet, ID["dataset/zone-statistics"]))
        graph.add((obs, SDMX_MEASURE.obsValue, _value(figure)))
        graph.add((obs, SDMX_ATTRIBUTE.unitMeasure, UNIT[figure.unit]))
        if figure.period:
            graph.add((obs, SDMX_DIMENSION.refPeriod, URIRef(figure.period)))
        if figure.qualifier:
            graph.add((obs, HITZ.valueQualifier, HITZ[figure.qualifier]))
        if figure.indicator is not None:
            graph.add((obs, HITZ.indicator, figure.indicator.iri))
        else:
            proposed = ID[f"indicator/draft-{slug(figure.proposed_indicator or 'figure')}"]
            graph.add((obs, HITZ.indicator, proposed))
            graph.add((proposed, RDF.type, HITZ.ProposedIndicator))
            graph.add((proposed, SKOS.prefLabel, Literal(figure.proposed_indicator or "figure", lang=lang)))
        graph.add((obs, HITZ.extractionConfidence, Literal(f"{figure.confidence:.2f}", datatype=XSD.decimal)))
        graph.add((obs, HITZ.extractionRule, Literal("; ".join(figure.rules))))
        graph.add((obs, PROV.wasDerivedFrom, span))
        graph.add((span, RDF.type, HITZ.TextSpan))
        graph.add((span, OA.exact, Literal(figure.exact)))
        graph.add((span, OA.start, Literal(figure.start, datatype=XSD.integer)))
        graph.add((span, OA.end, Literal(figure.end, datatype=XSD.integer)))
        graph.add((span, DCTERMS.isPartOf, source))
    resolve_spans(graph, text)  # checks every offset: text[start:end] == exact
    return graph


def _short(iri: str | None) -> str:
    if not iri:
        return ""
    return iri.replace(REF + "gregorian-interval/", "").replace("T00:00:00", "").replace(REF + "year/", "").replace(REF + "day/", "")


def figures_table(figures: list[Figure]) -> list[str]:
    """The figures as lines of a table for a person to read."""
    rows = [("start", "words", "value", "unit", "qualifier", "period", "indicator", "conf", "rules")]
    for f in figures:
        indicator = str(f.indicator.iri).rsplit("/", 1)[-1] if f.indicator else f"new: {f.proposed_indicator}"
        rows.append((str(f.start), f.exact, format(f.value.normalize(), "f"), f.unit, f.qualifier or "",
                     _short(f.period), indicator, f"{f.confidence:.2f}", "; ".join(f.rules)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]) - 1)]
    return ["  ".join(c.ljust(w) for c, w in zip(r, widths)) + "  " + r[-1] for r in rows]


def refuse_drafts(graph: Graph, path: Path) -> None:
    """Refuse a source file that holds draft observations of `kg extract` (a person confirms them first)."""
    drafts = sorted(graph.subjects(RDF.type, HITZ.DraftObservation), key=str)
    if drafts:
        raise DraftInFacts(
            f"{path}: holds {len(drafts)} draft observation(s) of `kg extract` (hitz:DraftObservation, "
            f"e.g. <{drafts[0]}>); confirm each figure, remove the draft marks, then build"
        )
