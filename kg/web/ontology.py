"""The ontology documentation page: classes, properties, definitions, domains and ranges, the
vocabularies reused, and the SHACL shapes that constrain each class."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS

from ..namespaces import PREFIXES, SH
from .negotiation import Paths

QB = "http://purl.org/linked-data/cube#"
PROPERTY_TYPES = (OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property,
                  URIRef(QB + "DimensionProperty"), URIRef(QB + "MeasureProperty"), URIRef(QB + "AttributeProperty"))
NS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}


def short(iri, paths: Paths) -> str:
    return paths.short(str(iri), NS)


def _text(graph: Graph, term, *predicates) -> str | None:
    for predicate in predicates:
        values = list(graph.objects(term, predicate))
        english = [v for v in values if getattr(v, "language", None) in ("en", None)]
        if english or values:
            return str((english or values)[0])
    return None


def _link(iri, paths: Paths, ontology: str) -> dict:
    iri = str(iri)
    anchor = iri[len(ontology) + 1:] if iri.startswith(ontology + "#") else None
    return dict(text=short(iri, paths), href="#" + anchor if anchor else paths.href(iri), iri=iri)


def _path_text(graph: Graph, path, paths: Paths) -> str:
    if isinstance(path, BNode):
        if (path, RDF.first, None) in graph:
            return " / ".join(_path_text(graph, p, paths) for p in Collection(graph, path))
        inverse = graph.value(path, SH.inversePath)
        if inverse is not None:
            return "^" + _path_text(graph, inverse, paths)
        for key, mark in ((SH.zeroOrMorePath, "*"), (SH.oneOrMorePath, "+"), (SH.zeroOrOnePath, "?")):
            inner = graph.value(path, key)
            if inner is not None:
                return _path_text(graph, inner, paths) + mark
        return "(path)"
    return short(path, paths)


def _qname(graph: Graph, term) -> str:
    """A shape's name with the shape files' own prefixes (shape:Zone), else its IRI."""
    if isinstance(term, BNode):
        return "(unnamed shape)"
    try:
        return graph.namespace_manager.normalizeUri(term)
    except Exception:
        return str(term)


_SHAPES: dict[tuple, dict[str, list[dict]]] = {}


def shapes_by_class(shapes_dir: Path, paths: Paths) -> dict[str, list[dict]]:
    """For each target class, its node shapes and their property constraints in words (kept
    until a shape file changes)."""
    files = sorted(shapes_dir.glob("*.ttl"))
    key = (paths.base, *((str(f), f.stat().st_mtime_ns) for f in files))
    if key not in _SHAPES:
        _SHAPES.clear()
        _SHAPES[key] = _read_shapes(files, paths)
    return _SHAPES[key]


def _read_shapes(files: list[Path], paths: Paths) -> dict[str, list[dict]]:
    graph = Graph()
    for path in files:
        graph.parse(path, format="turtle")
    found: dict[str, list[dict]] = {}
    for shape, cls in graph.subject_objects(SH.targetClass):
        constraints = []
        for prop in graph.objects(shape, SH.property):
            words = []
            for key, name in ((SH.minCount, "at least"), (SH.maxCount, "at most")):
                value = graph.value(prop, key)
                if value is not None:
                    words.append(f"{name} {value}")
            for key, name in ((SH.datatype, "datatype"), (SH["class"], "class"), (SH.nodeKind, "node kind"),
                              (SH.hasValue, "value"), (SH.pattern, "pattern")):
                value = graph.value(prop, key)
                if value is not None:
                    words.append(f"{name} {short(value, paths) if isinstance(value, URIRef) else value}")
            sh_path = graph.value(prop, SH.path)
            constraints.append(dict(path=_path_text(graph, sh_path, paths) if sh_path is not None else "",
                                    words=", ".join(words), message=_text(graph, prop, SH.message)))
        sparql = len(list(graph.objects(shape, SH.sparql)))
        found.setdefault(str(cls), []).append(dict(
            name=_qname(graph, shape), message=_text(graph, shape, SH.message, RDFS.comment),
            constraints=sorted(constraints, key=lambda c: c["path"]), sparql=sparql))
    return found


def ontology_page(graph: Graph, shapes_dir: Path, paths: Paths) -> dict:
    """The values of ontology.html."""
    ontology = paths.ontology
    subject = URIRef(ontology)
    shapes = shapes_by_class(shapes_dir, paths)
    in_ontology = lambda t: str(t).startswith(ontology + "#")  # noqa: E731

    def term(t) -> dict:
        return dict(
            iri=str(t), anchor=str(t)[len(ontology) + 1:], name=short(t, paths),
            label=_text(graph, t, RDFS.label, SKOS.prefLabel),
            zh=next((str(v) for v in graph.objects(t, RDFS.label) if getattr(v, "language", None) == "zh"), None),
            definition=_text(graph, t, SKOS.definition, RDFS.comment),
            supers=[_link(s, paths, ontology) for s in graph.objects(t, RDFS.subClassOf) if isinstance(s, URIRef)],
            subs=[_link(s, paths, ontology) for s in graph.subjects(RDFS.subClassOf, t) if isinstance(s, URIRef)],
            domains=[_link(d, paths, ontology) for d in graph.objects(t, RDFS.domain) if isinstance(d, URIRef)],
            ranges=[_link(r, paths, ontology) for r in graph.objects(t, RDFS.range) if isinstance(r, URIRef)],
            kinds=[short(k, paths) for k in graph.objects(t, RDF.type)],
            shapes=shapes.get(str(t), []),
            used_as_domain=[_link(p, paths, ontology) for p in graph.subjects(RDFS.domain, t)],
        )

    classes = sorted({c for c in graph.subjects(RDF.type, OWL.Class) if in_ontology(c)}, key=str)
    properties = sorted({p for kind in PROPERTY_TYPES for p in graph.subjects(RDF.type, kind) if in_ontology(p)},
                        key=str)
    individuals = sorted({s for s in graph.subjects() if in_ontology(s) and s not in classes
                          and s not in properties}, key=str)
    used: Counter = Counter()
    for triple in graph:
        for t in triple:
            if isinstance(t, URIRef) and not str(t).startswith(ontology):
                for prefix, namespace in NS.items():
                    if str(t).startswith(namespace) and prefix not in ("id", "zone", "place", "agent", "person",
                                                                       "post", "indicator", "obs", "span"):
                        used[(prefix, namespace)] += 1
                        break
    return dict(
        title=_text(graph, subject, DCTERMS.title, RDFS.label) or "Ontology",
        description=_text(graph, subject, DCTERMS.description, RDFS.comment),
        iri=ontology, version=_text(graph, subject, OWL.versionInfo),
        version_iri=str(graph.value(subject, OWL.versionIRI) or ""),
        license=str(graph.value(subject, DCTERMS.license) or ""),
        classes=[term(c) for c in classes], properties=[term(p) for p in properties],
        individuals=[term(i) for i in individuals],
        vocabularies=sorted(((p, n, c) for (p, n), c in used.items()), key=lambda v: -v[2]),
        other_shapes=sorted(((short(cls, paths), v) for cls, v in shapes.items() if not cls.startswith(ontology)),
                            key=lambda x: x[0]),
    )
