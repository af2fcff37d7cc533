"""Serialise the graph to the RDF formats, and describe the result with VoID and DCAT."""

from __future__ import annotations

import json
import os
import weakref
from io import BytesIO
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.namespace import DCAT, DCTERMS, RDF, VOID, XSD
from rdflib.plugins.serializers.jsonld import from_rdf as jsonld_from_rdf
from rdflib.plugins.serializers.trig import TrigSerializer

from .canonical import bind_generated_prefixes, ordered_graph, relabel_blank_nodes

from .errors import KgError, ValidationFailed
from .files import output_target, write_atomically
from .namespaces import ID, bind_prefixes
from .project import Project
from .rdfio import union_of

if TYPE_CHECKING:
    from .build import Build
    from .validate import Report


@dataclass(frozen=True)
class Format:
    """One export format: its rdflib name, file name in dist/, media type, and whether it keeps named graphs."""

    name: str
    rdflib: str
    filename: str
    media_type: str
    quads: bool


FORMATS: dict[str, Format] = {
    f.name: f
    for f in [
        Format("turtle", "turtle", "hitz.ttl", "text/turtle", False),
        Format("json-ld", "json-ld", "hitz.jsonld", "application/ld+json", False),
        Format("nt", "nt", "hitz.nt", "application/n-triples", False),
        Format("nquads", "nquads", "hitz.nq", "application/n-quads", True),
        Format("trig", "trig", "hitz.trig", "application/trig", True),
        Format("xml", "xml", "hitz.rdf", "application/rdf+xml", False),
    ]
}
DIST_FILES = {f.filename: f.name for f in FORMATS.values()}
PUBLISHED = "https://w3id.org/hitz/dist/"
DATASET = ID["dataset/hitz"]


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise KgError(f"unknown format {name!r}: choose one of {', '.join(FORMATS)}") from None


def serialize(dataset: Dataset, format_name: str, project: Project) -> bytes:
    """The whole graph (ontology and data) in one format; named graphs kept where the format can.

    Every format is written in a stable order (blank nodes labelled by the build, see
    kg.canonical), so the same graph gives the same bytes whatever the hash seed."""
    fmt = get_format(format_name)
    if fmt.name == "trig":
        return _trig(dataset)
    if fmt.quads:
        return _sorted_lines(dataset.serialize(format=fmt.rdflib))
    graph = union_of(dataset)
    if fmt.name == "json-ld":
        context = json.loads(project.context_path.read_text(encoding="utf-8"))["@context"]
        return _json_ld(_ordered(graph), context)
    if fmt.name == "xml":
        ordered = _ordered(graph)
        bind_generated_prefixes(ordered, ordered.predicates(unique=True), strict=True)
        return ordered.serialize(format="xml", encoding="utf-8")
    if fmt.name == "nt":
        return _sorted_lines(graph.serialize(format="nt"))
    bind_generated_prefixes(graph, graph.predicates(unique=True))
    return graph.serialize(format=fmt.rdflib).encode("utf-8")  # Turtle sorts subjects and objects itself


_ordered_copies: weakref.WeakKeyDictionary[Graph, Graph] = weakref.WeakKeyDictionary()


def _ordered(union: Graph) -> Graph:
    """The ordered copy of a union (kg.canonical.ordered_graph), made once while that union lives:
    JSON-LD and RDF/XML of one build share it. A union is not changed once made (kg.rdfio)."""
    copy = _ordered_copies.get(union)
    if copy is None:
        copy = _ordered_copies[union] = ordered_graph(union, like=union)
    return copy


def _trig(dataset: Dataset) -> bytes:
    """TriG with its named graphs in order of their names (rdflib keeps them in a set)."""
    bind_generated_prefixes(dataset, (p for graph in dataset.graphs() for p in graph.predicates(unique=True)))
    serializer = TrigSerializer(dataset)
    serializer.contexts.sort(key=lambda graph: (graph.identifier == DATASET_DEFAULT_GRAPH_ID, str(graph.identifier)))
    out = BytesIO()
    serializer.serialize(out, encoding="utf-8")
    return out.getvalue()


def _json_ld(graph: Graph, context: dict) -> bytes:
    """JSON-LD compacted with `context`, its nodes in order of their @id (rdflib lists them in
    the order of a set of subjects; the order of a node's values follows the ordered store)."""
    document = jsonld_from_rdf(graph, context_data=context)
    nodes = document.get("@graph") if isinstance(document, dict) else None
    if isinstance(nodes, list):
        nodes.sort(key=lambda node: str(node.get("@id", "")))
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")


def conforming(project: Project, unchanged: str) -> Build:
    """Assemble and validate the project; raise ValidationFailed (with the report's lines) unless the
    graph conforms, its message ending with what was therefore left `unchanged`."""
    from .build import check  # kg.build publishes through this module

    result = check(project)
    require_conformance(result.report, unchanged)
    return result


def require_conformance(report: Report, unchanged: str) -> Report:
    """The report, if the graph conforms; else ValidationFailed with its lines, the message ending
    with what was therefore left `unchanged` (the one wording of the build and of export)."""
    if not report.conforms:
        raise ValidationFailed(
            f"the graph does not conform to the shapes ({len(report.violations)} results); {unchanged}",
            report.lines(),
        )
    return report


def export(project: Project, format_name: str, output: Path | None = None) -> bytes:
    """The whole graph of a conforming project in one format; written to `output` (whole or not at
    all) when given. The output is checked before the work, and nothing is written if the graph does not conform."""
    get_format(format_name)
    if output is not None:
        output_target(output)  # a FIFO, device or missing folder is refused before the work
    data = serialize(conforming(project, "nothing exported").dataset, format_name, project)
    if output is not None:
        write_atomically(output, data)
    return data


def _sorted_lines(data: str) -> bytes:
    """Line-based formats in a stable order, so that two builds compare equal."""
    lines = sorted(line for line in data.splitlines() if line.strip())
    return ("\n".join(lines) + "\n").encode("utf-8")


def void_description(dataset: Dataset, files: dict[str, bytes], modified: date | None = None) -> Graph:
    """A VoID and DCAT description of the built dataset: counts, classes, named graphs, distributions;
    `modified` is the build's day (default: build_date())."""
    void = Graph()
    bind_prefixes(void)
    union = union_of(dataset)
    ds = DATASET
    void.add((ds, RDF.type, VOID.Dataset))
    void.add((ds, RDF.type, DCAT.Dataset))
    void.add((ds, DCTERMS.title, Literal("hitz-kg: China's national high-tech industrial development zones", lang="en")))
    void.add((ds, DCTERMS.description, Literal(
        "Every fact of a China Daily article on China's national high-tech zones, as RDF: "
        "Data Cube observations in base units with their periods and units, organisations, "
        "officials, achievements and policies, each pointing at the exact words it came from.", lang="en")))
    void.add((ds, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    void.add((ds, DCTERMS.source, ID["article/hitz-2022"]))
    void.add((ds, DCTERMS.modified, Literal((modified or build_date()).isoformat(), datatype=XSD.date)))
    void.add((ds, VOID.vocabulary, URIRef("https://w3id.org/hitz/ontology#")))
    void.add((ds, VOID.uriSpace, Literal(str(ID))))
    void.add((ds, VOID.triples, Literal(len(union), datatype=XSD.integer)))
    void.add((ds, VOID.entities, Literal(len(set(union.subjects(RDF.type))), datatype=XSD.integer)))
    void.add((ds, VOID.distinctSubjects, Literal(len(set(union.subjects())), datatype=XSD.integer)))
    void.add((ds, VOID.properties, Literal(len(set(union.predicates())), datatype=XSD.integer)))
    classes = Counter(o for _, o in union.subject_objects(RDF.type))
    void.add((ds, VOID.classes, Literal(len(classes), datatype=XSD.integer)))
    for cls, count in sorted(classes.items()):
        part = BNode()
        void.add((ds, VOID.classPartition, part))
        void.add((part, VOID["class"], cls))
        void.add((part, VOID.entities, Literal(count, datatype=XSD.integer)))
    for graph in sorted(dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(graph) == 0 or not isinstance(graph.identifier, URIRef) or "/graph/" not in str(graph.identifier):
            continue
        void.add((ds, VOID.subset, graph.identifier))
        void.add((graph.identifier, RDF.type, VOID.Dataset))
        void.add((graph.identifier, VOID.triples, Literal(len(graph), datatype=XSD.integer)))
    for fmt in FORMATS.values():
        if fmt.filename not in files:
            continue
        dist = ID[f"distribution/{fmt.name}"]
        url = URIRef(PUBLISHED + fmt.filename)
        void.add((ds, DCAT.distribution, dist))
        void.add((ds, VOID.dataDump, url))
        void.add((dist, RDF.type, DCAT.Distribution))
        void.add((dist, DCTERMS.title, Literal(fmt.filename)))
        void.add((dist, DCAT.downloadURL, url))
        void.add((dist, DCAT.mediaType, URIRef("https://www.iana.org/assignments/media-types/" + fmt.media_type)))
        void.add((dist, DCAT.byteSize, Literal(len(files[fmt.filename]), datatype=XSD.nonNegativeInteger)))
        void.add((dist, DCTERMS.license, URIRef("https://creativecommons.org/licenses/by/4.0/")))
    for linkset in union.subjects(RDF.type, VOID.Linkset):
        void.add((ds, VOID.subset, linkset))
        for triple in union.triples((linkset, None, None)):
            void.add(triple)
    relabel_blank_nodes(void)  # the class partitions: the same labels, so the same order, in every build
    return void


def build_date() -> date:
    """Today, or the day of $SOURCE_DATE_EPOCH (seconds since 1970, UTC) when it is set, so that
    a rebuild of the same sources can give the same bytes (reproducible-builds.org)."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch is None:
        return date.today()
    try:
        return datetime.fromtimestamp(int(epoch), timezone.utc).date()
    except (ValueError, OverflowError, OSError):
        raise KgError(f"SOURCE_DATE_EPOCH={epoch!r}: not a whole number of seconds since 1970") from None
