"""Check a graph against the SHACL shapes and say what is wrong in lines a person can read."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from .errors import KgError
from .namespaces import SH, bind_prefixes
from .rdfio import parse_into


@dataclass
class Violation:
    """One SHACL result: what, where, and the shape's message."""

    shape: str
    focus: str
    path: str
    value: str
    message: str
    severity: str


@dataclass
class Report:
    """The outcome of a validation: whether it conforms, each result, and the SHACL report graph."""

    conforms: bool
    violations: list[Violation] = field(default_factory=list)
    graph: Graph = field(default_factory=Graph)

    def lines(self) -> list[str]:
        """The results grouped by shape, one line each."""
        by_shape: dict[str, list[Violation]] = defaultdict(list)
        for v in self.violations:
            by_shape[v.shape].append(v)
        out = []
        for shape in sorted(by_shape):
            out.append(f"{shape}:")
            for v in sorted(by_shape[shape], key=lambda v: (v.focus, v.path, v.value, v.message)):
                where = v.focus + (f" {v.path}" if v.path else "") + (f" = {v.value}" if v.value else "")
                out.append(f"  {v.severity}: {where}: {v.message}")
        return out


def load_shapes(files: list[Path]) -> Graph:
    """Parse the SHACL shapes files into one graph, with the whole-graph queries of `sparql/` beside them."""
    from .shacl_sparql import attach_whole_graph_queries

    shapes = Graph()
    for path in files:
        parse_into(shapes, path)
    for folder in sorted({path.parent / "sparql" for path in files}):
        try:
            attach_whole_graph_queries(shapes, folder)
        except ValueError as exc:
            raise KgError(str(exc)) from None
    return shapes


ENGINES = ("sparql", "pyshacl")


def validate(data: Graph, shapes: Graph, engine: str = "sparql") -> Report:
    """Validate `data` (ontology included, so class hierarchies are seen) against `shapes`.

    engine "sparql" checks each constraint with one whole-graph query in Oxigraph
    (kg.shacl_sparql); "pyshacl" is the reference, pySHACL over the rdflib graph.
    """
    if engine == "pyshacl":
        return _pyshacl(data, shapes)
    from .shacl_sparql import store_of

    return validate_store(store_of(data), shapes)


def validate_store(store, shapes: Graph, progress=None) -> Report:
    """Validate the triples of an Oxigraph store (all its graphs, as one) with whole-graph SPARQL.

    Shapes the compiler does not know are checked by pySHACL over the same store.
    """
    from .rdfio import from_oxigraph
    from .shacl_sparql import InvalidQuery, run, without_targets

    try:
        results, fallback = run(shapes, store, progress)
    except (SyntaxError, InvalidQuery) as exc:
        raise KgError(f"shapes: {_first_line(exc)}") from None
    report = _report_graph(results)
    if fallback:  # pySHACL over rdflib, the reference, for the shapes the compiler left
        union = Graph()
        for q in store:
            union.add((from_oxigraph(q.subject), from_oxigraph(q.predicate), from_oxigraph(q.object)))
        rest = _pyshacl(union, without_targets(shapes, fallback))
        for triple in rest.graph:
            report.add(triple)
    return _read(report, shapes)


def _report_graph(results) -> Graph:
    from rdflib import BNode as _B

    report = Graph()
    top = _B()
    report.add((top, RDF.type, SH.ValidationReport))
    for r in results:
        node = _B()
        report.add((top, SH.result, node))
        report.add((node, RDF.type, SH.ValidationResult))
        report.add((node, SH.focusNode, r.focus))
        report.add((node, SH.sourceShape, r.shape))
        report.add((node, SH.sourceConstraintComponent, r.component))
        report.add((node, SH.resultSeverity, r.severity))
        if r.path is not None:
            report.add((node, SH.resultPath, r.path))
        if r.value is not None:
            report.add((node, SH.value, r.value))
        if r.source_constraint is not None:
            report.add((node, SH.sourceConstraint, r.source_constraint))
        for m in r.messages:
            report.add((node, SH.resultMessage, m))
    blocking = any(r.severity == SH.Violation for r in results)
    report.add((top, SH.conforms, Literal(not blocking)))
    return report


def _pyshacl(data, shapes: Graph) -> Report:
    import pyshacl  # the reference engine only: its import alone takes longer than the fast path

    try:
        conforms, report_graph, text = pyshacl.validate(
            data, shacl_graph=shapes, inference="none", advanced=True, allow_warnings=True
        )
    except Exception as exc:  # pyshacl raises its own errors for a malformed shape
        raise KgError(f"shapes: {_first_line(exc)}") from None
    if not isinstance(report_graph, Graph):  # a ValidationFailure: the shapes themselves are wrong
        raise KgError(f"shapes: {_first_line(text or report_graph)}")
    return _read(report_graph, shapes)


def _read(report_graph: Graph, shapes: Graph) -> Report:
    """The Report of a SHACL report graph, its results named by shape."""
    bind_prefixes(report_graph)
    names = Graph()
    bind_prefixes(names)
    names.bind("shape", "https://w3id.org/hitz/shapes#")
    names.bind("linkshape", "https://w3id.org/hitz/shapes/links#")
    violations = []
    for result in report_graph.subjects(RDF.type, SH.ValidationResult):
        def one(prop, result=result):
            return report_graph.value(result, prop)

        severity = one(SH.resultSeverity)
        violations.append(
            Violation(
                shape=_shape_name(one(SH.sourceShape), shapes, names),
                focus=_term(one(SH.focusNode), names),
                path=_term(one(SH.resultPath), names),
                value=_term(one(SH.value), names),
                message=" ".join(sorted(str(m) for m in report_graph.objects(result, SH.resultMessage))) or "(no message)",
                severity=str(severity).rsplit("#", 1)[-1] if severity else "Violation",
            )
        )
    blocking = [v for v in violations if v.severity == "Violation"]
    return Report(conforms=not blocking, violations=violations, graph=report_graph)


def _first_line(value) -> str:
    lines = [line.strip() for line in str(value).splitlines() if line.strip()]
    return lines[0] if lines else type(value).__name__


def _term(term, names: Graph) -> str:
    if term is None:
        return ""
    if isinstance(term, URIRef):
        try:
            return names.namespace_manager.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    if isinstance(term, Literal):
        return term.n3(names.namespace_manager)
    if isinstance(term, BNode):
        return "[]"
    return str(term)


def _shape_name(shape, shapes: Graph, names: Graph) -> str:
    if shape is None:
        return "(unknown shape)"
    label = shapes.value(shape, RDFS.label) or shapes.value(shape, SH.name)
    if isinstance(shape, URIRef):
        return _term(shape, names) + (f" ({label})" if label else "")
    parent = shapes.value(None, SH.property, shape) or shapes.value(None, SH.sparql, shape)
    if parent is not None:
        return _shape_name(parent, shapes, names)
    return str(label) if label else "(anonymous shape)"


def validate_files(files: list[Path], shapes: Graph, engine: str = "sparql") -> Report:
    """Validate whole graphs as they are (e.g. dist/hitz.nq or `kg generate` output), all files as one graph."""
    import pyoxigraph as ox

    from .progress import bar
    from .rdfio import _FORMATS, check_syntax, syntax_error

    if engine == "pyshacl":
        from rdflib import Dataset

        from .rdfio import union_of

        dataset = Dataset()
        for path in files:
            check_syntax(path)
            dataset.parse(str(path), format=_FORMATS[path.suffix.lower()][0])
        return _pyshacl(union_of(dataset), shapes)
    store = ox.Store()
    size = sum(p.stat().st_size for p in files if p.is_file())
    with bar(size, "B", "loading", minimum=50_000_000) as progress:
        for path in files:
            if path.suffix.lower() not in _FORMATS or not path.is_file():
                check_syntax(path)
            try:  # load, not bulk_load: in memory it takes 2/3 of the memory and lays the triples out in
                # file order, so the queries after it run faster (benchmarks/results/validate-growth2-*)
                store.load(path=str(path), format=_FORMATS[path.suffix.lower()][1])
            except (SyntaxError, ValueError, OSError) as exc:
                raise syntax_error(path, exc) from None
            progress.update(path.stat().st_size)
    with bar(None if len(store) >= 100_000 else 0, "queries", "validating") as progress:
        return validate_store(store, shapes, progress.update)
