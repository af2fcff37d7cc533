"""SHACL as whole-graph SPARQL inside Oxigraph: one query per constraint, not one per focus node.

Each targeted shape is compiled: its targets into one sub-select of ?this, each
constraint into a query that returns every (focus node, value) that breaks it.
A shape that uses what the compiler does not know (sh:closed, custom constraint
components, pre-bound $shapesGraph, blank nodes named in a shape, recursion) is
left to pySHACL, run over the same Oxigraph store, so every shape is checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path
from typing import cast

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, SH, XSD

from . import same_values
from .rdfio import from_oxigraph, to_oxigraph

TARGETS = (SH.targetClass, SH.targetNode, SH.targetSubjectsOf, SH.targetObjectsOf, SH.target)
CASTABLE = {XSD.integer, XSD.decimal, XSD.double, XSD.float, XSD.boolean, XSD.dateTime}  # Oxigraph casts these
VALUE_KEYS = {SH["class"], SH.datatype, SH.nodeKind, SH["in"], SH.pattern, SH.flags, SH.minInclusive,
              SH.maxInclusive, SH.minExclusive, SH.maxExclusive, SH.minLength, SH.maxLength, SH.languageIn,
              SH.node, SH["or"], SH["and"], SH["not"], SH.xone, SH.hasValue}
KNOWN = VALUE_KEYS | {SH.path, SH.property, SH.minCount, SH.maxCount, SH.uniqueLang, SH.equals, SH.disjoint,
                      SH.lessThan, SH.lessThanOrEquals, SH.qualifiedValueShape, SH.qualifiedMinCount,
                      SH.qualifiedMaxCount, SH.sparql, SH.message, SH.severity, SH.deactivated, SH.name,
                      SH.description, SH.order, SH.group, SH.defaultValue, SH.targetClass, SH.targetNode,
                      SH.targetSubjectsOf, SH.targetObjectsOf, SH.target, RDF.type, RDFS.label, RDFS.comment,
                      SH.qualifiedValueShapesDisjoint}


# An engine-only annotation: the whole-graph query that stands for a SPARQL constraint's sh:select
WHOLE_GRAPH_SELECT = URIRef("https://w3id.org/hitz/shapes#wholeGraphSelect")


def attach_whole_graph_queries(shapes: Graph, folder: Path) -> None:
    """Annotate each SPARQL constraint named by a `# replaces: LABEL` header in `folder`/*.rq with that query.

    The query must give the same rows as the constraint's sh:select; this engine
    runs it instead (pySHACL ignores the annotation and runs the sh:select).
    A file whose label names no loaded constraint is skipped (a subset of the shapes).
    """
    for path in sorted(folder.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        m = re.search(r"^#\s*replaces:\s*(.+?)\s*$", text, re.M)
        if not m:
            raise ValueError(f"{path}: no '# replaces: LABEL' header")
        found = [c for c in shapes.subjects(RDFS.label, None)
                 if str(shapes.value(c, RDFS.label)) == m.group(1) and (None, SH.sparql, c) in shapes]
        if len(found) > 1:
            raise ValueError(f"{path}: {len(found)} SPARQL constraints are labelled {m.group(1)!r}")
        try:
            same_values.parts(text)
        except ValueError as exc:
            raise ValueError(f"{path}: {exc}") from None
        for constraint in found:
            shapes.set((constraint, WHOLE_GRAPH_SELECT, Literal(text)))


class Unsupported(Exception):
    """A construct the compiler leaves to pySHACL."""


@dataclass
class Result:
    """One validation result, in rdflib terms."""

    focus: object
    shape: object
    component: URIRef
    path: object = None
    value: object = None
    messages: list = field(default_factory=list)
    severity: URIRef = SH.Violation
    source_constraint: object = None


def store_of(graph: Graph) -> ox.Store:
    """An in-memory Oxigraph store holding the triples of an rdflib graph."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)
    return store


class Compiler:
    """Turns the shapes of a shapes graph into SPARQL over one Oxigraph store."""

    def __init__(self, shapes: Graph, store: ox.Store):
        self.shapes = shapes
        self.store = store
        self.vars = count()
        self.prefixes: dict[str, str] = {}
        self.functions = self._functions()
        self._subclasses: dict = {}
        kinds = set(shapes.transitive_subjects(RDFS.subClassOf, SH.ConstraintComponent))
        self.custom_params = {p for kind in kinds for c in shapes.subjects(RDF.type, kind)
                              for param in shapes.objects(c, SH.parameter) for p in shapes.objects(param, SH.path)}

    # -- running ----------------------------------------------------------
    def query(self, text: str, substitutions: dict | None = None):
        head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items())
        return self.store.query(head + text, use_default_graph_as_union=True, substitutions=substitutions,
                                custom_functions=self.functions or None)

    def _functions(self) -> dict:
        functions = {}
        for fn in set(self.shapes.subjects(RDF.type, SH.SPARQLFunction)):
            if not isinstance(fn, URIRef):
                continue
            params = sorted(self.shapes.objects(fn, SH.parameter),
                            key=lambda p: int(str(self.shapes.value(p, SH.order) or 0)))
            names = [str(self.shapes.value(p, SH.path)).rsplit("/", 1)[-1].rsplit("#", 1)[-1] for p in params]
            ask = self.shapes.value(fn, SH.ask)
            select = self.shapes.value(fn, SH.select)
            text = self._with_prefixes(fn, str(ask or select))

            def call(*args, text=text, names=names, is_ask=ask is not None):
                subs = {}
                for name, arg in zip(names, args):  # in the text, so inner groups see them (pre-binding)
                    if isinstance(arg, ox.BlankNode):
                        subs[ox.Variable(name)] = arg
                    elif arg is not None:
                        text = re.sub(r"[?$]" + re.escape(name) + r"\b", lambda _, a=str(arg): a, text)
                result = self.store.query(text, use_default_graph_as_union=True, substitutions=subs or None,
                                          custom_functions=self.functions)
                if is_ask:
                    return ox.Literal("true" if bool(result) else "false", datatype=ox.NamedNode(str(XSD.boolean)))
                for row in result:
                    return row[0]
                return None

            functions[ox.NamedNode(str(fn))] = call
        return functions

    def _with_prefixes(self, node, text: str) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self._declared(node).items()) + text

    def _declared(self, node) -> dict[str, str]:
        out = {}
        sources, seen = list(self.shapes.objects(node, SH.prefixes)), set()
        while sources:  # a prefix source and every ontology it owl:imports
            source = sources.pop()
            if source in seen:
                continue
            seen.add(source)
            sources.extend(self.shapes.objects(source, OWL.imports))
            for decl in self.shapes.objects(source, SH.declare):
                prefix, ns = self.shapes.value(decl, SH.prefix), self.shapes.value(decl, SH.namespace)
                if prefix is not None and ns is not None:
                    out[str(prefix)] = str(ns)
        return out

    # -- shapes -----------------------------------------------------------
    def targeted(self) -> list:
        """Every shape with a target (explicit, or implicit as a class), not deactivated."""
        g = self.shapes
        found: set = set()
        for p in TARGETS:
            found.update(g.subjects(p, None))
        for kind in (SH.NodeShape, SH.PropertyShape):
            for s in g.subjects(RDF.type, kind):
                if (s, RDF.type, RDFS.Class) in g or (s, RDF.type, OWL.Class) in g:
                    found.add(s)
        return sorted(s for s in found if not self._deactivated(s))

    def _deactivated(self, shape) -> bool:
        return str(self.shapes.value(shape, SH.deactivated)).lower() == "true"

    def target_pattern(self, shape) -> str:
        """A sub-select of the shape's focus nodes, ?this: class targets as lookups of the classes' instances,
        a SPARQL target evaluated once here and given as VALUES (each constraint's query would evaluate it again)."""
        g = self.shapes
        parts = []
        for c in g.objects(shape, SH.targetClass):
            parts.append(self.instance_of("?this", c))
        if (shape, RDF.type, RDFS.Class) in g or (shape, RDF.type, OWL.Class) in g:
            parts.append(self.instance_of("?this", shape))
        nodes = list(g.objects(shape, SH.targetNode))
        if nodes:
            parts.append("VALUES ?this { " + " ".join(self.term(n) for n in nodes) + " }")
        for p in g.objects(shape, SH.targetSubjectsOf):
            parts.append(f"?this {self.term(p)} [] .")
        for p in g.objects(shape, SH.targetObjectsOf):
            parts.append(f"[] {self.term(p)} ?this .")
        for t in g.objects(shape, SH.target):
            select = g.value(t, SH.select)
            if select is None or (t, RDF.type, SH.SPARQLTarget) not in g:
                raise Unsupported("a target other than a SPARQL target")
            self.prefixes.update(self._declared(t))
            parts.append("{ " + self._rewrite(str(select)) + " }")
        self.prefixes.setdefault("rdfs", str(RDFS))
        union = " UNION ".join("{ " + p + " }" for p in parts)
        sub = "{ SELECT DISTINCT ?this WHERE { " + union + " } }"
        if g.value(shape, SH.target) is None:
            return sub
        foci = [row[0] for row in self.query("SELECT ?this WHERE " + sub)]
        if any(isinstance(focus, ox.BlankNode) for focus in foci):  # VALUES cannot name a blank node
            return sub
        return "{ VALUES ?this { " + " ".join(sorted(str(focus) for focus in foci)) + " } }"

    def instance_of(self, x: str, cls) -> str:
        """A pattern that holds when `x` is an instance of `cls` or of a subclass (SHACL's rdf:type/rdfs:subClassOf*).

        The subclasses are read from the store once per class and the pattern looks up
        their instances; the property path would walk the hierarchy from every typed node.
        """
        classes = self.subclasses(cls)
        if classes is None:
            return f"{x} a/rdfs:subClassOf* {self.term(cls)} ."
        v = self.var()
        return f"VALUES {v} {{ {' '.join(classes)} }} {x} a {v} ."

    def subclasses(self, cls) -> list[str] | None:
        """`cls` and every class under it (rdfs:subClassOf*), or None when one of them is a blank node."""
        if cls not in self._subclasses:
            rows = cast(ox.QuerySolutions, self.store.query(
                f"SELECT DISTINCT ?c WHERE {{ ?c <{RDFS.subClassOf}>* {self.term(cls)} }}", use_default_graph_as_union=True))
            found = [row[0] for row in rows]
            self._subclasses[cls] = None if any(isinstance(c, ox.BlankNode) for c in found) \
                else sorted(str(c) for c in found)
        return self._subclasses[cls]

    def _rewrite(self, select: str) -> str:
        if re.search(r"\$(shapesGraph|currentShape)\b", select):
            raise Unsupported("pre-bound $shapesGraph or $currentShape")
        select = re.sub(r"^\s*(PREFIX|BASE)\b[^\n]*\n", "", select, flags=re.I | re.M)
        return re.sub(r"\$this\b", "?this", select)

    def _own_query(self, text: str) -> str:
        """A query of this engine's own (a .rq file): its prefixes taken, its comments dropped, $this as ?this."""
        for prefix, ns in re.findall(r"^\s*PREFIX\s+([\w-]*):\s*<([^>]*)>", text, re.I | re.M):
            self.prefixes[prefix] = ns
        body = "\n".join(line for line in text.splitlines()
                         if not re.match(r"\s*(#|PREFIX\b)", line, re.I))
        return re.sub(r"\$this\b", "?this", body)

    def term(self, t) -> str:
        if isinstance(t, BNode):
            raise Unsupported("a blank node named in a shape")
        return t.n3()

    def path(self, p) -> str:
        g = self.shapes
        if isinstance(p, URIRef):
            return self.term(p)
        if (p, RDF.first, None) in g:
            return "(" + "/".join(self.path(x) for x in Collection(g, p)) + ")"
        for key, fmt in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "{}*"), (SH.oneOrMorePath, "{}+"),
                         (SH.zeroOrOnePath, "{}?")):
            inner = g.value(p, key)
            if inner is not None:
                return "(" + fmt.format(self.path(inner)) + ")"
        alt = g.value(p, SH.alternativePath)
        if alt is not None:
            return "(" + "|".join(self.path(x) for x in Collection(g, alt)) + ")"
        raise Unsupported("an unknown path")

    def var(self) -> str:
        return f"?_v{next(self.vars)}"

    # -- value expressions: true when value `x` conforms to the value constraints of `node`
    def value_checks(self, node, x: str, depth: int = 0) -> list[tuple[URIRef, str]]:
        """(constraint component, SPARQL boolean that holds when `x` meets it) for each value constraint."""
        g = self.shapes
        if depth > 8:
            raise Unsupported("shapes nested too deep (recursion)")
        out = []
        for c in g.objects(node, SH["class"]):
            out.append((SH.ClassConstraintComponent, f"EXISTS {{ {self.instance_of(x, c)} }}"))
        for d in g.objects(node, SH.datatype):
            if d == RDF.langString:
                test = f"(isLiteral({x}) && lang({x}) != \"\")"
            else:
                test = f"(isLiteral({x}) && datatype({x}) = {self.term(d)} && lang({x}) = \"\")"
                if d in CASTABLE:
                    test = f"({test} && isLiteral({self.term(d)}(str({x}))))"
            out.append((SH.DatatypeConstraintComponent, test))
        for k in g.objects(node, SH.nodeKind):
            kinds = {SH.IRI: "isIRI({x})", SH.BlankNode: "isBlank({x})", SH.Literal: "isLiteral({x})",
                     SH.BlankNodeOrIRI: "(isBlank({x}) || isIRI({x}))",
                     SH.BlankNodeOrLiteral: "(isBlank({x}) || isLiteral({x}))",
                     SH.IRIOrLiteral: "(isIRI({x}) || isLiteral({x}))"}
            out.append((SH.NodeKindConstraintComponent, kinds[k].format(x=x)))  # type: ignore[index]
        for lst in g.objects(node, SH["in"]):
            members = [self.term(m) for m in Collection(g, lst)]
            out.append((SH.InConstraintComponent, "(" + (" || ".join(f"sameTerm({x}, {m})" for m in members) or "false") + ")"))
        for pattern in g.objects(node, SH.pattern):
            flags = g.value(node, SH.flags)
            args = f"{Literal(str(pattern)).n3()}" + (f", {Literal(str(flags)).n3()}" if flags else "")
            out.append((SH.PatternConstraintComponent, f"(!isBlank({x}) && regex(str({x}), {args}))"))
        for key, op, comp in ((SH.minInclusive, ">=", SH.MinInclusiveConstraintComponent),
                              (SH.maxInclusive, "<=", SH.MaxInclusiveConstraintComponent),
                              (SH.minExclusive, ">", SH.MinExclusiveConstraintComponent),
                              (SH.maxExclusive, "<", SH.MaxExclusiveConstraintComponent)):
            for bound in g.objects(node, key):
                out.append((comp, f"({x} {op} {self.term(bound)})"))
        for key, op, comp in ((SH.minLength, ">=", SH.MinLengthConstraintComponent),
                              (SH.maxLength, "<=", SH.MaxLengthConstraintComponent)):
            for n in g.objects(node, key):
                out.append((comp, f"(!isBlank({x}) && strlen(str({x})) {op} {int(str(n))})"))
        for lst in g.objects(node, SH.languageIn):
            tags = [str(t) for t in Collection(g, lst)]
            out.append((SH.LanguageInConstraintComponent,
                        "(isLiteral(" + x + ") && (" + (" || ".join(f"langMatches(lang({x}), \"{t}\")" for t in tags) or "false") + "))"))
        for shape in g.objects(node, SH.node):
            out.append((SH.NodeConstraintComponent, self.conforms(shape, x, depth + 1)))
        for shape in g.objects(node, SH["not"]):
            out.append((SH.NotConstraintComponent, f"!{self.conforms(shape, x, depth + 1)}"))
        for key, comp, join in ((SH["or"], SH.OrConstraintComponent, " || "),
                                (SH["and"], SH.AndConstraintComponent, " && ")):
            for lst in g.objects(node, key):
                parts = [self.conforms(s, x, depth + 1) for s in Collection(g, lst)]
                out.append((comp, "(" + (join.join(parts) or ("false" if join == " || " else "true")) + ")"))
        for lst in g.objects(node, SH.xone):
            parts = [f"IF({self.conforms(s, x, depth + 1)}, 1, 0)" for s in Collection(g, lst)]
            out.append((SH.XoneConstraintComponent, "((" + (" + ".join(parts) or "0") + ") = 1)"))
        return [(c, f"COALESCE({e}, false)") for c, e in out]

    def conforms(self, shape, x: str, depth: int) -> str:
        """A SPARQL boolean: `x` conforms to `shape` (its value constraints and its property shapes)."""
        g = self.shapes
        self.check_known(shape)
        if self._deactivated(shape):
            return "true"
        parts = []
        own_path = g.value(shape, SH.path)
        if own_path is not None:  # a property shape used as a value shape
            parts.append(self.property_conforms(shape, x, depth))
        else:
            if g.value(shape, SH.hasValue) is not None:
                parts.extend(f"sameTerm({x}, {self.term(v)})" for v in g.objects(shape, SH.hasValue))
            parts.extend(e for _, e in self.value_checks(shape, x, depth))
        for prop in g.objects(shape, SH.property):
            self.check_known(prop)
            parts.append(self.property_conforms(prop, x, depth))
        return "(" + (" && ".join(parts) or "true") + ")"

    def property_conforms(self, prop, x: str, depth: int) -> str:
        g = self.shapes
        if self._deactivated(prop):
            return "true"
        path = self.path(g.value(prop, SH.path))
        for key in (SH.uniqueLang, SH.equals, SH.disjoint, SH.lessThan, SH.lessThanOrEquals, SH.qualifiedValueShape,
                    SH.sparql, SH.property):
            if g.value(prop, key) is not None:
                raise Unsupported(f"{key} inside a nested shape")
        parts = []
        v = self.var()
        for _, e in self.value_checks(prop, v, depth):
            parts.append(f"NOT EXISTS {{ {x} {path} {v} FILTER(!{e}) }}")
        for hv in g.objects(prop, SH.hasValue):
            parts.append(f"EXISTS {{ {x} {path} {self.term(hv)} }}")
        for n in g.objects(prop, SH.minCount):
            n = int(n)  # type: ignore[call-overload]
            if n > 0:
                vs = [self.var() for _ in range(n)]
                distinct = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:])
                parts.append("EXISTS { " + " ".join(f"{x} {path} {a} ." for a in vs)
                             + (f" FILTER({distinct})" if distinct else "") + " }")
        for n in g.objects(prop, SH.maxCount):
            vs = [self.var() for _ in range(int(str(n)) + 1)]
            distinct = " && ".join(f"!sameTerm({a}, {b})" for i, a in enumerate(vs) for b in vs[i + 1:])
            parts.append("NOT EXISTS { " + " ".join(f"{x} {path} {a} ." for a in vs)
                         + (f" FILTER({distinct})" if distinct else "") + " }")
        return "(" + (" && ".join(parts) or "true") + ")"

    def check_known(self, shape) -> None:
        for p in set(self.shapes.predicates(shape, None)):
            if p in self.custom_params or (str(p).startswith(str(SH)) and p not in KNOWN):
                raise Unsupported(f"{p} is not compiled")
        if (shape, RDF.type, SH.SPARQLConstraint) in self.shapes:
            raise Unsupported("a shape that is a SPARQL constraint")

    # -- whole-graph queries, one per constraint ---------------------------
    def compile(self, shape) -> list[tuple[str, dict]]:
        """(query, how to read its rows) for each constraint of a targeted shape."""
        g = self.shapes
        self.check_known(shape)
        target = self.target_pattern(shape)
        queries = []
        own_path = g.value(shape, SH.path)
        if own_path is not None:
            queries += self.property_queries(shape, shape, target)
        else:
            for comp, e in self.value_checks(shape, "?this"):
                queries.append((f"SELECT ?this (?this AS ?value) WHERE {{ {target} FILTER(!{e}) }}",
                                dict(shape=shape, component=comp, node=shape)))
            for hv in g.objects(shape, SH.hasValue):
                queries.append((f"SELECT ?this WHERE {{ {target} FILTER(!sameTerm(?this, {self.term(hv)})) }}",
                                dict(shape=shape, component=SH.HasValueConstraintComponent, node=shape)))
            for key in (SH.minCount, SH.maxCount, SH.uniqueLang, SH.qualifiedValueShape):
                if g.value(shape, key) is not None:
                    raise Unsupported(f"{key} on a node shape")
            for key, _comp in ((SH.equals, SH.EqualsConstraintComponent), (SH.disjoint, SH.DisjointConstraintComponent)):
                for _q in g.objects(shape, key):
                    raise Unsupported(f"{key} on a node shape")
            queries += self.sparql_queries(shape, shape, target, None)
        for prop in g.objects(shape, SH.property):
            self.check_known(prop)
            if self._deactivated(prop):
                continue
            if g.value(prop, SH.property) is not None:
                raise Unsupported("a property shape with property shapes")
            queries += self.property_queries(shape, prop, target)
        return self.joined_tests(target, queries)

    def property_queries(self, top, prop, target: str) -> list[tuple[str, dict]]:
        g = self.shapes
        path_node = g.value(prop, SH.path)
        path = self.path(path_node)
        read = dict(shape=prop, path=path_node, node=prop)
        out = []
        for comp, e in self.value_checks(prop, "?value"):
            out.append((f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value FILTER(!{e}) }}",
                        dict(read, component=comp)))
        for n in g.objects(prop, SH.minCount):
            out.append((self.fewer_than(target, path, int(str(n))), dict(read, component=SH.MinCountConstraintComponent)))
        for n in g.objects(prop, SH.maxCount):
            out.append((self.more_than(target, path, int(str(n))), dict(read, component=SH.MaxCountConstraintComponent)))
        for hv in g.objects(prop, SH.hasValue):
            out.append((f"{FOCUS_TEST}NOT EXISTS {{ ?this {path} {self.term(hv)} }}",
                        dict(read, component=SH.HasValueConstraintComponent)))
        if str(g.value(prop, SH.uniqueLang)).lower() == "true":
            out.append((f"SELECT DISTINCT ?this WHERE {{ {target} ?this {path} ?a, ?b "
                        f"FILTER(!sameTerm(?a, ?b) && lang(?a) != \"\" && lang(?a) = lang(?b)) }}",
                        dict(read, component=SH.UniqueLangConstraintComponent)))
        for q in g.objects(prop, SH.equals):
            q = self.term(q)  # type: ignore[assignment]
            # the target in each branch, so that each branch starts from the focus nodes, not from every ?this with q
            out.append((f"SELECT DISTINCT ?this ?value WHERE {{ {{ {target} ?this {path} ?value FILTER NOT EXISTS "
                        f"{{ ?this {q} ?value }} }} UNION {{ {target} ?this {q} ?value FILTER NOT EXISTS {{ ?this {path} ?value }} }} }}",
                        dict(read, component=SH.EqualsConstraintComponent)))
        for q in g.objects(prop, SH.disjoint):
            out.append((f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value . ?this {self.term(q)} ?value }}",
                        dict(read, component=SH.DisjointConstraintComponent)))
        for key, op, comp in ((SH.lessThan, "<", SH.LessThanConstraintComponent),
                              (SH.lessThanOrEquals, "<=", SH.LessThanOrEqualsConstraintComponent)):
            for q in g.objects(prop, key):
                out.append((f"SELECT DISTINCT ?this ?value WHERE {{ {target} ?this {path} ?value . ?this {self.term(q)} ?other "
                            f"FILTER(!COALESCE(?value {op} ?other, false)) }}", dict(read, component=comp)))
        qshape = g.value(prop, SH.qualifiedValueShape)
        if qshape is not None:
            if str(g.value(prop, SH.qualifiedValueShapesDisjoint)).lower() == "true":
                raise Unsupported("sh:qualifiedValueShapesDisjoint")
            e = self.conforms(qshape, "?value", 1)
            for n in g.objects(prop, SH.qualifiedMinCount):
                out.append((self.fewer_than(target, path, int(str(n)), e),
                            dict(read, component=SH.QualifiedMinCountConstraintComponent)))
            for n in g.objects(prop, SH.qualifiedMaxCount):
                out.append((self.more_than(target, path, int(str(n)), e),
                            dict(read, component=SH.QualifiedMaxCountConstraintComponent)))
        out += self.sparql_queries(top, prop, target, path)
        return out

    def fewer_than(self, target: str, path: str, n: int, condition: str = "true") -> str:
        """The focus nodes with fewer than `n` distinct values on `path` that meet `condition` (on ?value);
        for n = 1 a test of ?this (FOCUS_TEST), which `compile` joins with the shape's other tests in one query."""
        if n == 1:  # a lookup per focus node, not a group per focus node
            return f"{FOCUS_TEST}NOT EXISTS {{ ?this {path} ?value FILTER({condition}) }}"
        return (f"SELECT ?this WHERE {{ {target} OPTIONAL {{ ?this {path} ?value FILTER({condition}) }} }} "
                f"GROUP BY ?this HAVING (COUNT(DISTINCT ?value) < {n})")

    def more_than(self, target: str, path: str, n: int, condition: str = "true") -> str:
        """The focus nodes with more than `n` distinct values on `path` that meet `condition` (on ?value);
        for n <= 1 a test of ?this (FOCUS_TEST), as in `fewer_than`."""
        if n <= 1:  # a lookup per focus node: are there n + 1 distinct values
            values = [self.var() for _ in range(n + 1)]
            each = " ".join(f"?this {path} {v} FILTER({_VALUE.sub(v, condition)})" for v in values)
            distinct = f" FILTER(!sameTerm({values[0]}, {values[1]}))" if n == 1 else ""
            return f"{FOCUS_TEST}EXISTS {{ {each}{distinct} }}"
        return (f"SELECT ?this WHERE {{ {target} ?this {path} ?value FILTER({condition}) }} GROUP BY ?this "
                f"HAVING (COUNT(DISTINCT ?value) > {n})")

    @staticmethod
    def joined_tests(target: str, queries: list[tuple[str, dict]]) -> list[tuple[str, dict]]:
        """The queries, with every test of ?this alone (FOCUS_TEST) asked in one query over the focus nodes:
        the shape's targets are then joined once for all of them, not once for each."""
        tests = [(text[len(FOCUS_TEST):], read) for text, read in queries if text.startswith(FOCUS_TEST)]
        rest = [(text, read) for text, read in queries if not text.startswith(FOCUS_TEST)]
        if not tests:
            return rest
        binds = " ".join(f"BIND(({test}) AS ?_t{i})" for i, (test, _) in enumerate(tests))
        flags = " || ".join(f"?_t{i}" for i in range(len(tests)))
        return [(f"SELECT ?this {' '.join(f'?_t{i}' for i in range(len(tests)))} WHERE {{ {target} {binds} "
                 f"FILTER({flags}) }}", dict(tests=[read for _, read in tests]))] + rest

    def sparql_queries(self, top, shape, target: str, path: str | None) -> list[tuple[str, dict]]:
        g = self.shapes
        out = []
        for constraint in g.objects(shape, SH.sparql):
            if self._deactivated(constraint):
                continue
            select = g.value(constraint, SH.select)
            if select is None:
                raise Unsupported("a SPARQL constraint without sh:select")
            whole = g.value(constraint, WHOLE_GRAPH_SELECT)
            if whole is not None and path is None:  # the same rows, without a query per focus node
                refuse_invalid(str(select))
                self.prefixes.update(self._declared(constraint))
                text = self._own_query(str(whole))
                check = same_values.parts(str(whole))
                if check is not None:  # a check in slices (kg/same_values.py), not one query
                    out.append(("", dict(shape=shape, component=SH.SPARQLConstraintComponent, node=constraint,
                                         path=None, sparql=True, constraint=constraint, same_values=check,
                                         target=target)))
                    continue
                out.append((inline_after(target, text),
                            dict(shape=shape, component=SH.SPARQLConstraintComponent, node=constraint,
                                 path=None, sparql=True, constraint=constraint)))
                continue
            text = self._rewrite(str(select))
            if path is not None:
                text = re.sub(r"\$PATH\b", path, text)
            elif "$PATH" in text:
                raise Unsupported("$PATH in a node shape")
            self.prefixes.update(self._declared(constraint))
            refuse_invalid(str(select))
            if needs_prebinding(text):  # $this in a FILTER or BIND of an inner group: bind it per focus node
                out.append((text, dict(shape=shape, component=SH.SPARQLConstraintComponent, node=constraint,
                                       path=g.value(shape, SH.path), sparql=True, constraint=constraint,
                                       focus_query=f"SELECT ?this WHERE {{ {target} }}")))
                continue
            text = inline_after(target, text)
            out.append((text,
                        dict(shape=shape, component=SH.SPARQLConstraintComponent, node=constraint,
                             path=g.value(shape, SH.path), sparql=True, constraint=constraint)))
        return out


_VALUE = re.compile(r"[?]value\b")
FOCUS_TEST = "#focus-test "  # heads a SPARQL boolean on ?this alone that Compiler.joined_tests gathers


class InvalidQuery(Exception):
    """A SPARQL constraint that SHACL forbids (MINUS, VALUES, SERVICE, a nested SELECT without $this)."""


# pySHACL's own tests of a SPARQL constraint (pyshacl.helper.sparql_query_helper, 0.40), with its words,
# so that the fast path need not import pySHACL; tests/test_validate_engine.py checks they agree.
_MINUS = re.compile(r"^(?:[^#]*|M)(?!#)#?[^\?\$\#]M?INUS[\s\{]", re.M | re.I)
_VALUES = re.compile(r"^(?!\s*#).*?(?<![\w\-\:])VALUES\b(?:\s*(?:\(|[\?\$]\w+|\{|\w|\s))", re.M | re.I)
_SERVICE = re.compile(r"^(?:[^#]*|S)(?!#)#?[^\?\$\#]S?ERVICE[\s\<]", re.M | re.I)
_NESTED_SELECT = re.compile(r"SELECT[\s\(\)\$\?\a-z]*\{[^\}]*SELECT\s+((?:(?:[\?\$]\w+\s+)|(?:\*\s+))+)", re.M | re.I)
_AS_VAR = re.compile(r"[^\w]+AS[\s]+[\$\?](\w+)", re.M | re.I)


def refuse_invalid(select: str) -> None:
    """Refuse what pySHACL refuses in a SPARQL constraint (MINUS, VALUES, SERVICE, a nested SELECT without $this), with its words."""
    if _MINUS.search(select):
        raise InvalidQuery("A SPARQL Constraint must not contain a MINUS clause.")
    if _VALUES.search(select):
        raise InvalidQuery("A SPARQL Constraint must not contain a VALUES clause.")
    if _SERVICE.search(select):
        raise InvalidQuery("A SPARQL Constraint must not contain a federated query (SERVICE).")
    nested = _NESTED_SELECT.search(select)
    if nested:
        names = [v.lstrip("$?").rstrip() for v in nested.group(1).split()]
        if not names:
            raise InvalidQuery("Ill-formed nested SELECT statement found.")
        if names == ["*"]:
            raise InvalidQuery("Using 'SELECT *' in a nested SELECT query does not select potentially pre-bound variables.")
        if "this" not in names:
            raise InvalidQuery("All potentially pre-bound variables must be selected from a nested SELECT query.")
    rebound = _AS_VAR.search(select)
    if rebound and rebound.group(1) in ("this", "shapesGraph", "currentShape"):
        raise InvalidQuery(f"Cannot use AS to re-bind potentially pre-bound variables such as {rebound.group(1)}")


def inline_after(target: str, select: str) -> str:
    """The constraint's query with the target's focus nodes joined first in its own WHERE group.

    Putting the target inside the group (not beside the query) lets the group's
    FILTERs and BINDs see ?this bound, as SHACL's pre-binding of $this does.
    """
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\s*\{", select, re.I | re.S)
    if not m:
        m2 = re.search(r"\bSELECT\b(.*?)\{", select, re.I | re.S)
        if not m2:
            raise Unsupported("a SPARQL constraint this compiler cannot read")
        m = m2
    projection = m.group(1)
    stripped = re.sub(r"^\s*(DISTINCT|REDUCED)\b", "", projection, flags=re.I).strip()
    if stripped != "*" and not re.search(r"\?this\b", projection):
        projection = " ?this " + projection if not re.match(r"\s*(DISTINCT|REDUCED)\b", projection, re.I) else \
            re.sub(r"^(\s*(DISTINCT|REDUCED))", r"\1 ?this", projection, flags=re.I)
    open_at = m.end() - 1
    close_at = _matching(select, open_at)
    body = select[open_at + 1:close_at]
    head = select[:m.start(1)] + projection + " WHERE {"
    return head + " " + target + " " + body + select[close_at:]


def prebound(select: str, focus) -> tuple[str, dict | None]:
    """The query with $this replaced by the focus node in the text (SHACL's pre-binding), or substituted if a blank node."""
    if isinstance(focus, ox.BlankNode) or len(re.findall(r"\bSELECT\b", select, re.I)) > 1:
        return select, {ox.Variable("this"): focus}
    term = str(focus)
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\b", select, re.I | re.S)
    head = select[:m.start(1)] + re.sub(r"[?$]this\b", f"({term} AS ?this)", m.group(1)) if m else ""
    rest = select[m.end(1):] if m else select
    rest = re.sub(r"\bbound\s*\(\s*[?$]this\s*\)", "(true)", rest, flags=re.I)
    return head + re.sub(r"[?$]this\b", lambda _: term, rest), None


def needs_prebinding(select: str) -> bool:
    """Whether $this is used in a FILTER or BIND inside an inner group, where a join would leave it unbound."""
    m = re.search(r"\bWHERE\s*\{", select, re.I)
    if not m:
        return True
    depth, spans = 0, []
    for i, c in enumerate(_code(select)):
        if c == "{":
            depth += 1
            spans.append(i)
        elif c == "}":
            start = spans.pop()
            if depth >= 3 or (depth == 2 and start > m.end()):
                group = select[start:i]
                if re.search(r"\b(FILTER|BIND)\b", group, re.I) and re.search(r"[?$]this\b", group) \
                        and not re.search(r"\bSELECT\b", group, re.I):
                    return True
                if re.search(r"\bSELECT\b", group, re.I) and re.search(r"\bFILTER\s*\(\s*[?$]this\b", group, re.I):
                    return True
            depth -= 1
    return False


def _code(text: str) -> str:
    """The text with every string literal and comment blanked, so braces in them do not count."""
    out, i, quote = [], 0, None
    while i < len(text):
        c = text[i]
        if quote:
            if text.startswith(quote, i):
                out.append(" " * len(quote))
                i += len(quote)
                quote = None
                continue
            out.append(" " if c != "\n" else c)
            if c == "\\" and i + 1 < len(text):
                out.append(" ")
                i += 1
        elif text.startswith('"""', i) or text.startswith("'''", i):
            quote = text[i:i + 3]
            out.append("   ")
            i += 3
            continue
        elif c in "\"'":
            quote = c
            out.append(" ")
        elif c == "#" and (i == 0 or text[i - 1] in " \t\n"):
            nl = text.find("\n", i)
            nl = len(text) if nl < 0 else nl
            out.append(" " * (nl - i))
            i = nl
            continue
        else:
            out.append(c)
        i += 1
    return "".join(out)


def _matching(text: str, start: int) -> int:
    depth, i, quote = 0, start, None
    while i < len(text):
        c = text[i]
        if quote:
            if text.startswith(quote, i):
                i += len(quote) - 1
                quote = None
            elif c == "\\":
                i += 1
        elif text.startswith('"""', i) or text.startswith("'''", i):
            quote = text[i:i + 3]
            i += 2
        elif c in "\"'":
            quote = c
        elif c == "#":
            nl = text.find("\n", i)
            i = len(text) if nl < 0 else nl
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    raise Unsupported("unbalanced braces in a SPARQL constraint")


TRUE = ox.Literal("true", datatype=ox.NamedNode(str(XSD.boolean)))


def run(shapes: Graph, store: ox.Store, progress=None) -> tuple[list[Result], list]:
    """Every result of the compiled shapes, and the shapes left to pySHACL."""
    compiler = Compiler(shapes, store)
    results: list[Result] = []
    fallback = []
    plans = []
    for shape in compiler.targeted():
        try:
            plans.append((shape, compiler.compile(shape)))
        except Unsupported:
            fallback.append(shape)
    for _shape, queries in plans:
        for text, read in queries:
            if "focus_query" in read:
                for focus in [row["this"] for row in compiler.query(read["focus_query"])]:
                    solutions = compiler.query(*prebound(text, focus))
                    names = [v.value for v in solutions.variables]
                    for row in solutions:
                        results.append(_result(shapes, row, read, names, focus))
            elif "same_values" in read:
                found = same_values.pairs(read["same_values"], read["target"], compiler.query, inline_after)
                for this, value, other in found:
                    row = {"this": this, "value": value, "other": other}
                    results.append(_result(shapes, row, read, ["this", "value", "other"]))
            elif "tests" in read:
                for row in compiler.query(text):
                    for i, test in enumerate(read["tests"]):
                        if row[f"_t{i}"] == TRUE:
                            results.append(_result(shapes, row, test, ["this"]))
            else:
                solutions = compiler.query(text)
                names = [v.value for v in solutions.variables]
                for row in solutions:
                    results.append(_result(shapes, row, read, names))
            if progress:
                progress(1)
    return results, fallback


def _result(shapes: Graph, row, read: dict, names: list[str], focus=None) -> Result:
    g = shapes

    def get(name):
        try:
            term = row[name]
        except (KeyError, IndexError):
            return None
        return None if term is None else from_oxigraph(term)

    focus = from_oxigraph(focus) if focus is not None else get("this")
    value = get("value")
    path = read.get("path")
    node = read["node"]
    severity = g.value(read["shape"], SH.severity) or SH.Violation
    messages = list(g.objects(node, SH.message)) or list(g.objects(read["shape"], SH.message))
    if read.get("sparql"):
        if value is None and path is None:
            value = focus
        bound_path = get("path")
        if bound_path is not None:
            path = bound_path
        given = get("message")
        if given is not None:
            messages = [given]
        bound = {"this": focus, "path": path, "value": value}
        for n in names:
            if get(n) is not None:
                bound[n] = get(n)
        messages = [Literal(_substitute(str(m), bound), lang=getattr(m, "language", None)) for m in messages]
    return Result(focus=focus, shape=read["shape"], component=read["component"], path=path, value=value,
                  messages=messages, severity=severity, source_constraint=read.get("constraint"))


def _substitute(message: str, bound: dict) -> str:
    for var, val in bound.items():
        if val is not None:
            message = re.sub(r"\{[?$]" + re.escape(var) + r"\}", str(val).replace("\\", "\\\\"), message)
    return message


def without_targets(shapes: Graph, keep: list) -> Graph:
    """A copy of the shapes in which only the shapes of `keep` have targets (what pySHACL checks)."""
    copy = Graph()
    keep = set(keep)  # type: ignore[assignment]
    for s, p, o in shapes:
        if s not in keep and (p in TARGETS or (p == RDF.type and o in (RDFS.Class, OWL.Class)
                                                 and ((s, RDF.type, SH.NodeShape) in shapes
                                                      or (s, RDF.type, SH.PropertyShape) in shapes))):
            continue
        copy.add((s, p, o))
    for prefix, ns in shapes.namespaces():
        copy.bind(prefix, ns, override=True)
    return copy
