"""Cases that break each SHACL constraint of shapes/ on purpose, and what each must then report.

A *constraint* is a node of the shapes that carries an sh:message: a property
shape, a SHACL-SPARQL constraint, or a node shape that checks its focus nodes
itself. Each of its parameters (sh:minCount, sh:class, ...) is one *component*
to break; a SPARQL constraint is one component, sh:SPARQLConstraintComponent.

Two kinds of case break them, each on a copy of the built (conforming) graph:

- generated: for a property or node constraint, one case per component, made
  from the shapes: take a focus node of the shape in the built graph and change
  its values so that this component fails (drop the values for sh:minCount, add
  one for sh:maxCount, a value of the wrong datatype for sh:datatype, ...);
- written: a SPARQL Update in tests/cases/*.ru, for SPARQL constraints and for
  what the generator cannot do (see tests/README.md).

A case is validated against only the constraint it concerns (its node shape's
targets and that one constraint), and passes when the report has a result with
the expected focus node, component and message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from collections.abc import Callable, Iterable

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Identifier, Node

from kg.namespaces import SH, bind_prefixes
from kg.validate import Report, validate
from conftest import literal

TEST = "urn:hitz-test:"
CASES_DIR = Path(__file__).resolve().parent / "cases"

# the parameters that are constraint components of their own (SHACL 4.x), by local name
PARAMETERS = (
    "class", "datatype", "nodeKind", "minCount", "maxCount", "minExclusive", "minInclusive", "maxExclusive",
    "maxInclusive", "minLength", "maxLength", "pattern", "languageIn", "uniqueLang", "equals", "disjoint",
    "lessThan", "lessThanOrEquals", "not", "and", "or", "xone", "node", "property", "qualifiedMinCount",
    "qualifiedMaxCount", "closed", "hasValue", "in",
)
TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
NUMERIC = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.int, XSD.long, XSD.nonNegativeInteger,
           XSD.positiveInteger, XSD.negativeInteger, XSD.nonPositiveInteger, XSD.short, XSD.byte}


def component(parameter: str) -> URIRef:
    """The constraint component of a parameter: "minCount" -> sh:MinCountConstraintComponent."""
    if parameter == "sparql":
        return SH.SPARQLConstraintComponent
    return SH[parameter[0].upper() + parameter[1:] + "ConstraintComponent"]


SPARQL_COMPONENT = SH.SPARQLConstraintComponent


# ---- the constraints of the shapes ---------------------------------------------


@dataclass
class Constraint:
    """One sh:message-bearing node of the shapes, with the node shapes it belongs to."""

    node: URIRef | BNode
    kind: str  # "property", "sparql" or "node"
    message: str
    parents: list[URIRef | BNode]
    file: str
    name: str
    components: list[URIRef] = field(default_factory=list)

    def template(self) -> re.Pattern:
        """The message as a pattern: each {?var} or {$this} stands for any text."""
        parts = re.split(r"\{[?$]\w+\}", self.message)
        return re.compile(".+?".join(re.escape(p) for p in parts), re.S)

    def matches(self, message: str) -> bool:
        return self.template().search(message) is not None


def _qname(graph: Graph, term) -> str:
    if isinstance(term, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(term)
        except Exception:
            return f"<{term}>"
    return str(term)


def _parameters(shapes: Graph, node) -> list[str]:
    found = [p for p in PARAMETERS if shapes.value(node, SH[p]) is not None]
    if "uniqueLang" in found and not shapes.value(node, SH.uniqueLang).toPython():
        found.remove("uniqueLang")
    return found


def _subjects(nodes: Iterable[Node]) -> list[URIRef | BNode]:
    """Distinct subjects in rdflib's order of terms (blank nodes first, then IRIs, each by text)."""
    found = {n for n in nodes if isinstance(n, (URIRef, BNode))}
    return sorted(found, key=lambda n: (isinstance(n, URIRef), str(n)))


def load_constraints(files: Iterable[Path]) -> tuple[Graph, list[Constraint]]:
    """Parse shape files and list their constraints, each named `shape/label` (or `shape/path`)."""
    shapes = Graph()
    bind_prefixes(shapes)
    shapes.bind("sh", SH)
    shapes.bind("shape", "https://w3id.org/hitz/shapes#")
    shapes.bind("linkshape", "https://w3id.org/hitz/shapes/links#")
    file_of: dict = {}
    for path in files:
        one = Graph().parse(path, format="turtle")
        for triple in one:
            shapes.add(triple)
            file_of.setdefault(triple[0], path.name)
    constraints = []
    for node in sorted(_subjects(shapes.subjects(SH.message, None)), key=lambda n: (file_of.get(n, ""), str(n))):
        message = next((str(m) for m in shapes.objects(node, SH.message) if getattr(m, "language", None) in (None, "en")), "")
        if (node, RDF.type, SH.SPARQLConstraint) in shapes or shapes.value(None, SH.sparql, node) is not None:
            kind, parents = "sparql", _subjects(shapes.subjects(SH.sparql, node))
        elif shapes.value(node, SH.path) is not None:
            kind, parents = "property", _subjects(shapes.subjects(SH.property, node))
        else:
            kind, parents = "node", [node]
        label = shapes.value(node, RDFS.label)
        if isinstance(node, URIRef):
            name = _qname(shapes, node)
        else:
            parent = _qname(shapes, parents[0]) if parents else "(no shape)"
            shape_path = shapes.value(node, SH.path)
            name = (f"{parent}/{label}" if label
                    else f"{parent}/{_qname(shapes, shape_path) if shape_path else message[:40].strip()}")
        constraint = Constraint(node, kind, message, parents, file_of.get(node, "?"), name)
        constraint.components = [component(p) for p in parameters(shapes, constraint)]
        constraints.append(constraint)
    return shapes, constraints


def parameters(shapes: Graph, constraint: Constraint) -> list[str]:
    """The parameters of a constraint that are components of their own ("sparql" for a SPARQL constraint)."""
    if constraint.kind == "sparql":
        return ["sparql"]
    return [p for p in _parameters(shapes, constraint.node) if constraint.kind == "property" or p != "property"]


def only_shapes(project, *names: str) -> None:
    """Keep only these shape files (and prefixes.ttl, which their SPARQL uses) in a throwaway project copy."""
    for path in project.shape_files():
        if path.name not in (*names, "prefixes.ttl"):
            path.unlink()


# ---- the shapes a case is validated against -------------------------------------


def _describe(shapes: Graph, node, into: Graph, seen: set) -> None:
    """Copy what the shapes say about `node`, following blank nodes and referenced shapes."""
    if node in seen:
        return
    seen.add(node)
    for s, p, o in shapes.triples((node, None, None)):
        into.add((s, p, o))
        if p in (RDF.type, SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode):
            continue
        if isinstance(o, BNode) or (isinstance(o, URIRef) and (o, None, None) in shapes):
            _describe(shapes, o, into, seen)


def shapes_for(shapes: Graph, constraint: Constraint, parent) -> Graph:
    """Only what a case needs: the node shape's targets and this one constraint (with its prefixes)."""
    into = Graph()
    seen: set = set()
    keep = {RDF.type, RDFS.label, SH.deactivated, SH.severity, *TARGETS}
    if constraint.kind == "node":
        keep |= {p for _, p, _ in shapes.triples((parent, None, None))} - {SH.property, SH.sparql}
    for s, p, o in shapes.triples((parent, None, None)):
        if p in keep:
            into.add((s, p, o))
            if p in (SH.target,) or (p not in TARGETS and p != RDF.type and isinstance(o, BNode)):
                _describe(shapes, o, into, seen)
    if constraint.kind == "property":
        into.add((parent, SH.property, constraint.node))
    elif constraint.kind == "sparql":
        into.add((parent, SH.sparql, constraint.node))
    if constraint.kind != "node":
        _describe(shapes, constraint.node, into, seen)
    for function in shapes.subjects(RDF.type, SH.SPARQLFunction):  # IC-20, IC-21 call these
        _describe(shapes, function, into, seen)
    return into


def probe_shapes(shapes: Graph, parent) -> Graph:
    """The node shape's targets with a property that no node has: every focus node is in the report."""
    into = Graph()
    seen: set = set()
    for s, p, o in shapes.triples((parent, None, None)):
        if p in TARGETS or p == RDF.type:
            into.add((s, p, o))
            if p == SH.target:
                _describe(shapes, o, into, seen)
    probe = BNode()
    into.add((parent, SH.property, probe))
    into.add((probe, SH.path, URIRef(TEST + "probe")))
    into.add((probe, SH.minCount, Literal(1)))
    return into


# ---- results ------------------------------------------------------------------


@dataclass
class Result:
    """One result of a SHACL report, by the terms of the standard report vocabulary."""

    focus: object
    component: object
    value: object
    message: str


def results(report: Report) -> list[Result]:
    graph = report.graph
    found = []
    for r in graph.subjects(RDF.type, SH.ValidationResult):
        found.append(Result(graph.value(r, SH.focusNode), graph.value(r, SH.sourceConstraintComponent),
                            graph.value(r, SH.value),
                            " ".join(sorted(str(m) for m in graph.objects(r, SH.resultMessage)))))
    return found


_focus_cache: dict = {}


def focus_nodes(data: Graph, shapes: Graph, parent) -> list:
    """The focus nodes of a node shape in `data`, as the validator finds them, named ones first."""
    key = (id(data), len(data), id(shapes), parent)
    if key not in _focus_cache:
        report = validate(data, probe_shapes(shapes, parent))
        nodes = {r.focus for r in results(report)}
        _focus_cache[key] = sorted(nodes, key=lambda n: (not isinstance(n, URIRef), str(n)))
    return _focus_cache[key]


# ---- generated cases -------------------------------------------------------------


@dataclass
class Case:
    """A way to break one component of one constraint: a change to the built graph, and the result expected."""

    id: str
    constraint: Constraint | None  # None: a line of the list names a constraint the shapes no longer have
    component: URIRef
    source: str  # where the case is written: generated.txt:LINE, or tests/cases/NAME.ru
    parameter: str | None = None  # generated cases: the parameter broken ...
    pinned: str | None = None  # ... and its value, as tests/cases/generated.txt states it
    focus: str | None = None  # written cases: the focus node, as a prefixed name or <IRI>
    value: str | None = None  # written cases: the sh:value expected, if any
    not_value: str | None = None  # written cases: a sh:value the constraint must not name for the focus
    update: str | None = None  # written cases: the SPARQL Update


def _path_steps(shapes: Graph, path) -> tuple[str, list]:
    """("predicate", [p]), ("sequence", [p1, p2, ...]), ("alternative", [p1, ...]) or ("other", [])."""
    if isinstance(path, URIRef):
        return "predicate", [path]
    if (path, RDF.first, None) in shapes:
        steps = list(Collection(shapes, path))
        return ("sequence", steps) if all(isinstance(s, URIRef) for s in steps) else ("other", [])
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        steps = list(Collection(shapes, alternatives))
        return ("alternative", steps) if all(isinstance(s, URIRef) for s in steps) else ("other", [])
    return "other", []


def path_values(data: Graph, shapes: Graph, node, path) -> list:
    kind, steps = _path_steps(shapes, path)
    if kind == "sequence":
        nodes = [node]
        for step in steps:
            nodes = [o for n in nodes for o in data.objects(n, step)]
        return nodes
    return [o for step in steps for o in data.objects(node, step)]


_counter = iter(range(1, 10**9))


def fresh(name: str = "thing") -> URIRef:
    return URIRef(f"{TEST}{name}-{next(_counter)}")


def _twin(data: Graph, value, k: int):
    """A value other than `value` that is of the same kind (same datatype or language, same types)."""
    if isinstance(value, Literal):
        if value.datatype in NUMERIC:
            return Literal(value.toPython() + k, datatype=value.datatype)
        return Literal(f"{value} ({k})", lang=value.language, datatype=value.datatype)
    twin = fresh("twin")
    for t in data.objects(value, RDF.type):
        data.add((twin, RDF.type, t))
    return twin


def _number(value: Literal, delta: int) -> Literal:
    return Literal(Decimal(str(value)) + delta, datatype=value.datatype if value.datatype in NUMERIC else XSD.decimal)


def _wrong_datatype(datatype, example) -> Literal:
    lexical = str(example) if isinstance(example, Literal) else "x"
    if datatype == XSD.string:
        return Literal(lexical, lang="en")
    if datatype == XSD.integer:
        return Literal(f"{lexical}.0" if re.fullmatch(r"-?\d+", lexical) else "1.5", datatype=XSD.decimal)
    if datatype == XSD.decimal:
        return Literal(lexical, datatype=XSD.double) if re.fullmatch(r"-?\d+(\.\d+)?", lexical) else Literal("1.5E0", datatype=XSD.double)
    return Literal(lexical)


Mutation = Callable[[Graph, Node, list[Node]], Node]  # (data, focus, its values) -> the focus to expect


def _mutation(shapes: Graph, constraint: Constraint, parameter: str) -> Mutation | None:
    """How to make one component of a constraint fail on a focus node, or None if the generator cannot."""
    node = constraint.node
    arg = shapes.value(node, SH[parameter])
    if arg is None:  # the constraint does not have this parameter
        return None
    if constraint.kind == "node":
        if parameter == "nodeKind" and arg in (SH.IRI, SH.BlankNodeOrIRI, SH.IRIOrLiteral):
            def rename(data, focus, values):  # the same node, now a blank node (or a literal)
                other = BNode() if arg == SH.IRI else Literal("a literal")
                for s, p, o in list(data.triples((focus, None, None))):
                    data.remove((s, p, o))
                    if not isinstance(other, Literal):
                        data.add((other, p, o))
                for s, p, o in list(data.triples((None, None, focus))):
                    data.remove((s, p, o))
                    data.add((s, p, other))
                return other
            return rename
        if parameter == "class":
            return lambda data, focus, values: (data.remove((focus, RDF.type, None)), focus)[1]
        if parameter == "not" and (excluded := shapes.value(arg, SH["class"])) is not None:
            return lambda data, focus, values: (data.add((focus, RDF.type, excluded)), focus)[1]
        return None

    kind, steps = _path_steps(shapes, shapes.value(node, SH.path))
    if kind == "other":
        return None

    def drop(data, focus):
        for step in steps if kind == "alternative" else steps[:1]:
            data.remove((focus, step, None))

    def replace(new: Callable[[Graph, Node, list[Node]], list[Node]]) -> Mutation | None:
        if kind != "predicate":
            return None

        def run(data, focus, values):
            replacement = new(data, focus, values)
            drop(data, focus)
            for v in replacement:
                data.add((focus, steps[0], v))
            return focus
        return run

    def add(data, focus, values, extra):
        for v in extra:
            data.add((focus, steps[0], v))
        return focus

    if parameter in ("minCount", "qualifiedMinCount", "hasValue"):
        if parameter != "hasValue" and int(literal(arg)) < 1:
            return None
        return lambda data, focus, values: (drop(data, focus), focus)[1]
    if parameter in ("maxCount", "qualifiedMaxCount"):
        if kind == "sequence":
            return None
        limit = int(literal(arg))
        return lambda data, focus, values: add(data, focus, values, [
            _twin(data, values[i % len(values)], i + 1) if values else fresh("extra")
            for i in range(limit + 1 - len(values) if parameter == "maxCount" else limit + 1)])
    if parameter == "datatype":
        return replace(lambda data, focus, values: [_wrong_datatype(arg, values[0] if values else None)])
    if parameter == "class":
        return replace(lambda data, focus, values: [fresh("not-a-" + re.split(r"[#/]", str(arg))[-1])])
    if parameter == "in":
        return replace(lambda data, focus, values: [fresh("not-in-the-list")])
    if parameter == "nodeKind":
        wrong_kind: dict[Node, Identifier] = {SH.IRI: Literal("a literal"), SH.BlankNodeOrIRI: Literal("a literal"),
                 SH.Literal: URIRef(TEST + "an-iri"), SH.BlankNode: URIRef(TEST + "an-iri"),
                 SH.IRIOrLiteral: BNode(), SH.BlankNodeOrLiteral: URIRef(TEST + "an-iri")}
        wrong = wrong_kind[arg]
        return replace(lambda data, focus, values: [wrong])
    if parameter == "pattern":
        flags = str(shapes.value(node, SH.flags) or "")
        pattern = re.compile(str(arg), re.I if "i" in flags else 0)
        candidates = [Literal("does not match"), URIRef(TEST + "does-not-match"), Literal("")]
        bad = next((c for c in candidates if not pattern.search(str(c))), None)
        return replace(lambda data, focus, values: [bad]) if bad is not None else None
    if parameter == "minLength":
        return replace(lambda data, focus, values: [
            Literal("", lang=getattr(values[0], "language", None), datatype=getattr(values[0], "datatype", None))
            if values and isinstance(values[0], Literal) else Literal("")]) if int(literal(arg)) >= 1 else None
    if parameter == "maxLength":
        longest = int(literal(arg))
        return replace(lambda data, focus, values: [Literal("x" * (longest + 1))])
    if parameter in ("minInclusive", "minExclusive", "maxInclusive", "maxExclusive"):
        limit_value = literal(arg)
        if limit_value.datatype not in NUMERIC:
            return None
        delta = {"minInclusive": -1, "minExclusive": 0, "maxInclusive": 1, "maxExclusive": 0}[parameter]
        return replace(lambda data, focus, values: [_number(limit_value, delta)])
    if parameter in ("lessThan", "lessThanOrEquals"):
        other = arg

        def not_less(data, focus, values):
            bound = next(iter(data.objects(focus, other)), None)
            if bound is None:
                bound = Literal(1)
                data.add((focus, other, bound))
            return [bound if parameter == "lessThan" else _number(bound, 1)]
        return replace(not_less)
    if parameter == "equals":
        return lambda data, focus, values: (data.add((focus, arg, fresh("unequal"))), focus)[1]
    if parameter == "disjoint":
        return lambda data, focus, values: (data.add((focus, arg, values[0] if values else fresh())), focus)[1]
    if parameter == "uniqueLang":
        def same_language(data, focus, values):
            language = next((v.language for v in values if isinstance(v, Literal) and v.language), "en")
            extra = [Literal("another label", lang=language)] + ([] if values else [Literal("a label", lang=language)])
            return add(data, focus, values, extra)
        return same_language if kind != "sequence" else None
    if parameter == "or":
        alternatives = list(Collection(shapes, arg))
        used = {p for a in alternatives for p in _parameters(shapes, a)}
        if used <= {"datatype"}:
            return replace(lambda data, focus, values: [Literal("a string, not a number", lang="en")])
        if used <= {"class"}:
            return replace(lambda data, focus, values: [fresh("in-no-class")])
        if used <= {"minInclusive", "maxInclusive", "minExclusive", "maxExclusive"}:
            def fails(number: Decimal) -> bool:
                for a in alternatives:
                    ok = True
                    for p in _parameters(shapes, a):
                        bound = Decimal(str(shapes.value(a, SH[p])))
                        ok &= {"minInclusive": number >= bound, "minExclusive": number > bound,
                               "maxInclusive": number <= bound, "maxExclusive": number < bound}[p]
                    if ok:
                        return False
                return True
            bounds = [Decimal(str(shapes.value(a, SH[p]))) for a in alternatives for p in _parameters(shapes, a)]
            numbers = [Decimal(0)] + [b + d for b in bounds for d in (-1, 1)]
            number = next((c for c in numbers if fails(c)), None)
            if number is None:
                return None
            return replace(lambda data, focus, values: [Literal(number, datatype=XSD.decimal)])
        return None
    cls = shapes.value(arg, SH["class"]) if parameter == "not" else None
    if cls is not None and len(_parameters(shapes, arg)) == 1:

        def conforming(data, focus, values):
            instances = sorted(data.query("SELECT DISTINCT ?x WHERE { ?x a/rdfs:subClassOf* ?c }",
                                          initNs={"rdfs": RDFS}, initBindings={"c": cls}), key=str)
            return add(data, focus, values, [instances[0][0]] if instances else [])
        return conforming if kind != "sequence" else None
    return None


def render(shapes: Graph, term) -> str:
    """A parameter's value in one line: a prefixed name, a literal, (a list) or [a blank node]."""
    if isinstance(term, URIRef):
        return _qname(shapes, term)
    if isinstance(term, Literal):
        if term.datatype in (XSD.integer, XSD.boolean) or (term.datatype == XSD.decimal and "." in str(term)):
            return str(term)
        return term.n3(shapes.namespace_manager)
    if (term, RDF.first, None) in shapes:
        return "(" + " ".join(render(shapes, t) for t in Collection(shapes, term)) + ")"
    pairs = sorted(f"{render(shapes, p)} {render(shapes, o)}" for p, o in shapes.predicate_objects(term))
    return "[" + " ; ".join(pairs) + "]"


def generated_line(shapes: Graph, constraint: Constraint, parameter: str) -> str:
    """The line of tests/cases/generated.txt for one component of one constraint."""
    return f"{constraint.name} | sh:{parameter} {render(shapes, shapes.value(constraint.node, SH[parameter]))}"


def can_generate(shapes: Graph, constraint: Constraint, parameter: str) -> bool:
    return constraint.kind != "sparql" and _mutation(shapes, constraint, parameter) is not None


GENERATED_LIST = CASES_DIR / "generated.txt"
LINE = re.compile(r"^(?P<name>.+?) \| sh:(?P<parameter>\w+) (?P<value>.+)$")


def generated_cases(constraints: list[Constraint], listing: Path = GENERATED_LIST) -> list[Case]:
    """The generated cases tests/cases/generated.txt asks for, one per line (constraint | parameter value)."""
    by_name = {c.name: c for c in constraints}
    cases = []
    for number, line in enumerate(listing.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        match = LINE.match(line)
        if not match:
            raise ValueError(f"{listing.name}:{number}: expected '<constraint> | sh:<parameter> <value>'")
        constraint = by_name.get(match["name"])
        cases.append(Case(f"{match['name']} sh:{match['parameter']}", constraint, component(match["parameter"]),
                          f"{listing.name}:{number}", parameter=match["parameter"], pinned=line))
    return cases


def run_generated(case: Case, data: Graph, shapes: Graph) -> tuple[Graph, object, Graph]:
    """Break the component on the first focus node that has values on the path; return (data, focus, shapes)."""
    where = f"tests/cases/{case.source}"
    assert case.constraint is not None, f"{where}: the shapes have no constraint named {case.id.rsplit(' ', 1)[0]}"
    parameter = case.parameter
    assert parameter is not None, f"{where}: a written case, not a generated one"
    has_it = shapes.value(case.constraint.node, SH[parameter]) is not None
    now = generated_line(shapes, case.constraint, parameter) if has_it else None
    assert now == case.pinned, (f"{where}: the shapes changed what this case checks; if on purpose, "
                                f"write the line as it is now:\n  was: {case.pinned}\n  now: {now}")
    mutate = _mutation(shapes, case.constraint, parameter)
    assert mutate is not None, f"{where}: the generator cannot break this; write a case in tests/cases/ instead"
    for parent in case.constraint.parents:
        focuses = focus_nodes(data, shapes, parent)
        if not focuses:
            continue
        path = shapes.value(case.constraint.node, SH.path)
        with_values = [f for f in focuses if path is None or path_values(data, shapes, f, path)]
        focus = (with_values or focuses)[0]
        values = path_values(data, shapes, focus, path) if path is not None else []
        broken = copy(data)
        expected = mutate(broken, focus, values)
        return broken, expected, shapes_for(shapes, case.constraint, parent)
    raise AssertionError(
        f"{case.constraint.name}: no node of the built graph is a focus node of "
        f"{', '.join(_qname(shapes, p) for p in case.constraint.parents)}, so no case can be generated; "
        f"write one in tests/cases/ (see tests/README.md)")


def copy(data: Graph) -> Graph:
    graph = Graph()
    bind_prefixes(graph)
    graph += data
    return graph


# ---- written cases ---------------------------------------------------------------


HEADER = re.compile(r"^#\s*(breaks|component|focus|value|not-value):\s*(.+?)\s*$")


def written_cases(constraints: list[Constraint], folder: Path = CASES_DIR) -> list[Case]:
    """The cases of tests/cases/*.ru, each matched to the one constraint whose message its `# breaks:` starts."""
    cases = []
    for path in sorted(folder.glob("*.ru")):
        text = path.read_text(encoding="utf-8")
        fields: dict[str, str] = {}
        for line in text.splitlines():
            match = HEADER.match(line)
            if match:
                fields[match.group(1)] = match.group(2)
        where = f"tests/cases/{path.name}"
        if "breaks" not in fields or "focus" not in fields:
            raise ValueError(f"{where}: needs a '# breaks: <start of a sh:message>' and a '# focus: <node>' line")
        found = [c for c in constraints if c.message.startswith(fields["breaks"])]
        if len(found) != 1:
            raise ValueError(f"{where}: '# breaks: {fields['breaks']}' starts {len(found)} constraint messages, not 1")
        [constraint] = found
        if constraint.kind == "sparql":
            comp = SPARQL_COMPONENT
        else:
            if "component" not in fields:
                raise ValueError(f"{where}: {constraint.name} is not a SPARQL constraint: say which parameter "
                                 "it breaks ('# component: sh:minCount')")
            comp = component(fields["component"].removeprefix("sh:"))
        cases.append(Case(path.stem, constraint, comp, where, focus=fields["focus"], value=fields.get("value"),
                          not_value=fields.get("not-value"), update=text))
    return cases


def resolve(data: Graph, name: str):
    """A prefixed name (obs:gdp-2021) or <IRI> as a term, with the project's prefixes."""
    if name.startswith("<") and name.endswith(">"):
        return URIRef(name[1:-1])
    return data.namespace_manager.expand_curie(name)


def run_written(case: Case, data: Graph, shapes: Graph) -> tuple[Graph, object, Graph]:
    assert case.constraint is not None and case.update is not None and case.focus is not None, case.source
    broken = copy(data)
    broken.update(case.update, initNs=dict(broken.namespaces()))
    parent = case.constraint.parents[0]
    return broken, resolve(broken, case.focus), shapes_for(shapes, case.constraint, parent)


# what this run covered, for the terminal summary (tests/conftest.py)
COVERAGE: dict = {}


def summary() -> str | None:
    """'SHACL constraints broken by a passing case: N/M (components: n/m)', if the cases ran."""
    if "constraints" not in COVERAGE:
        return None
    constraints: list[Constraint] = COVERAGE["constraints"]
    passed = COVERAGE.get("passed", set())
    whole = [c for c in constraints if c.components and all((c.node, comp) in passed for comp in c.components)]
    components = sum(len(c.components) for c in constraints)
    return (f"SHACL constraints broken by a passing case: {len(whole)}/{len(constraints)} "
            f"(constraint components: {len(passed)}/{components})")
