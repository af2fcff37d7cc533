"""The whole-graph SPARQL engine finds what pySHACL finds, on the article and on generated data with seeded violations."""

from __future__ import annotations

import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Graph
from rdflib.namespace import RDF, RDFS, SH

from kg.cli import cli
from kg.generate import VIOLATION_KINDS, generate
from kg import same_values
from kg.shacl_sparql import WHOLE_GRAPH_SELECT, Compiler, inline_after
from kg.validate import load_shapes, validate_files

FIXTURES = Path(__file__).resolve().parent / "fixtures"


def findings(report) -> list[tuple]:
    return sorted((v.shape, v.focus, v.path, v.value, v.message, v.severity) for v in report.violations)


def results(report) -> set[tuple]:
    """(focus, path, constraint component, severity, value, message texts) of each result of the SHACL report graph.

    The texts without their language: pySHACL drops @en from a message it fills in, this engine keeps it.
    """
    g = report.graph
    return {(g.value(r, SH.focusNode), g.value(r, SH.resultPath), g.value(r, SH.sourceConstraintComponent),
             g.value(r, SH.resultSeverity), g.value(r, SH.value), tuple(sorted(str(m) for m in g.objects(r, SH.resultMessage))))
            for r in g.subjects(RDF.type, SH.ValidationResult)}


def whole_graph_queries(shapes: Graph) -> list:
    """The SPARQL constraints that the engine runs with a query of its own (shapes/sparql/*.rq)."""
    return sorted(shapes.subjects(WHOLE_GRAPH_SELECT, None), key=lambda c: str(shapes.value(c, RDFS.label)))


@pytest.fixture(scope="module")
def broken(project, tmp_path_factory) -> tuple[Path, object]:
    """One generated zone (about 3,000 triples beside the article's) with one violation of each kind."""
    lines, info = generate(3000, 1, seed=3, project=project)
    path = tmp_path_factory.mktemp("engine") / "broken.nq"
    path.write_text("".join(lines), encoding="utf-8")
    return path, info


def test_same_findings_as_pyshacl_on_seeded_violations(project, broken):
    """Every result the same: (focus, path, constraint component, severity, value, message), and each shape's lines."""
    path, info = broken
    shapes = load_shapes(project.shape_files())
    ours = validate_files([path], shapes, "sparql")
    reference = validate_files([path], shapes, "pyshacl")
    assert not ours.conforms
    assert findings(ours) == findings(reference)
    assert results(ours) == results(reference)
    components = {r[2] for r in results(ours)}
    assert {SH.SPARQLConstraintComponent, SH.MinCountConstraintComponent, SH.ClassConstraintComponent} <= components
    named = {v.focus for v in ours.violations} | {v.value for v in ours.violations}
    for kind in VIOLATION_KINDS:
        assert set(info.broken[kind]) <= named, kind


def test_validate_names_focus_node_and_shape_on_the_command_line(broken):
    path, info = broken
    result = CliRunner().invoke(cli, ["validate", "--graph", str(path)], catch_exceptions=False)
    assert result.exit_code == 1
    assert "shape:Percentage (percentage):" in result.output
    assert info.broken["percentage-over-100"][0] in result.output
    assert "does not conform" in result.output


def test_the_reference_engine_is_kept_and_agrees_on_the_article(project):
    from kg.build import check

    result = CliRunner().invoke(cli, ["validate", "--engine", "pyshacl"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("conforms")
    assert findings(check(project).report) == []


def test_graph_without_files_is_one_line():
    result = CliRunner().invoke(cli, ["validate", "--graph"], catch_exceptions=False)
    assert result.exit_code != 0 and result.output.startswith("error:")


def test_every_whole_graph_query_replaces_one_constraint(project):
    shapes = load_shapes(project.shape_files())
    files = sorted((project.shapes_dir / "sparql").glob("*.rq"))
    assert files and len(whole_graph_queries(shapes)) == len(files)
    for constraint in whole_graph_queries(shapes):
        assert (None, SH.sparql, constraint) in shapes and shapes.value(constraint, SH.select) is not None


def _rows(store: ox.Store, prefixes: dict, text: str) -> list[tuple]:
    """The rows of the query, sorted, each as many times as it comes (SHACL reports each row)."""
    head = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in prefixes.items())
    text = re.sub(r"\$this\b", "?this", text)
    solutions = store.query(head + text, use_default_graph_as_union=True)
    assert isinstance(solutions, ox.QuerySolutions)
    names = [v.value for v in solutions.variables]
    return sorted(tuple(str(row[v]) for v in names) for row in solutions)


@pytest.mark.parametrize("name", sorted(p.stem for p in (Path(__file__).resolve().parent.parent / "shapes" / "sparql").glob("*.rq")))
def test_whole_graph_query_gives_the_rows_of_the_shape(project, broken, name):
    """On the seeded data and on the query's own corner cases (tests/fixtures/NAME.ttl), both queries give the same rows."""
    shapes = load_shapes(project.shape_files())
    constraint = next(c for c in whole_graph_queries(shapes)
                      if re.search(r"^#\s*replaces:\s*" + re.escape(str(shapes.value(c, RDFS.label))) + r"\s*$",
                                   (project.shapes_dir / "sparql" / f"{name}.rq").read_text(encoding="utf-8"), re.M))
    prefixes = Compiler(shapes, ox.Store())._declared(constraint)
    seeded = ox.Store()
    seeded.bulk_load(path=str(broken[0]), format=ox.RdfFormat.N_QUADS)
    corners = ox.Store()
    corners.bulk_load(path=str(FIXTURES / f"{name}.ttl"), format=ox.RdfFormat.TURTLE)
    seeded_least = {"ic-12-no-duplicate-observations": 1, "ic-13-required-attributes": 1}.get(name, 0)  # seeded kinds
    for store, least in ((seeded, seeded_least), (corners, 16)):
        ours = _engine_rows(store, shapes, constraint)
        assert ours == _rows(store, prefixes, str(shapes.value(constraint, SH.select)))
        assert len(ours) >= least


def _engine_rows(store: ox.Store, shapes: Graph, constraint) -> list[tuple]:
    """The rows the engine finds for a constraint it runs with its own query: the query's, or a same-values check's."""
    text = str(shapes.value(constraint, WHOLE_GRAPH_SELECT))
    check = same_values.parts(text)
    if check is None:
        return _rows(store, Compiler(shapes, ox.Store())._declared(constraint), text)
    compiler = Compiler(shapes, store)
    compiler.prefixes.update(compiler._declared(constraint))
    target = compiler.target_pattern(shapes.value(None, SH.sparql, constraint))
    return sorted(tuple(str(t) for t in row) for row in same_values.pairs(check, target, compiler.query, inline_after))


REFUSED = [
    "SELECT $this WHERE { $this ?p ?o MINUS { $this a ?c } }",
    "SELECT $this WHERE { VALUES ?x { 1 } $this ?p ?x }",
    "SELECT $this WHERE { SERVICE <http://example.org/sparql> { $this ?p ?o } }",
    "SELECT $this WHERE { { SELECT * WHERE { $this ?p ?o } } }",
    "SELECT $this WHERE { { SELECT ?o WHERE { $this ?p ?o } } }",
    "SELECT $this WHERE { $this ?p ?o BIND (?o AS ?this) }",
    "SELECT $this WHERE { $this ex:allowedValues ?o }",
]


def test_sparql_constraints_are_refused_as_pyshacl_refuses_them(project):
    """kg's copy of pySHACL's checks (the fast path does not import pySHACL) gives its verdict on every constraint text."""
    from pyshacl.errors import ValidationFailure
    from pyshacl.helper.sparql_query_helper import SPARQLQueryHelper

    from kg.shacl_sparql import InvalidQuery, refuse_invalid

    texts = list(REFUSED)
    w3c = Path(__file__).resolve().parent.parent.parent / "shared" / "w3c" / "shacl"
    for path in [*project.shape_files(), *sorted(w3c.rglob("*.ttl"))]:
        graph = Graph().parse(path, format="turtle")
        texts += [str(t) for t in graph.objects(None, SH.select)]
    assert len(texts) > 30
    refused = 0
    for text in texts:
        try:
            SPARQLQueryHelper.check_invalid_sparql(SPARQLQueryHelper, text)
            theirs = None
        except ValidationFailure as exc:
            theirs = str(exc.args[0]).splitlines()[0]
        try:
            refuse_invalid(text)
            ours = None
        except InvalidQuery as exc:
            ours = str(exc).splitlines()[0]
        assert ours == theirs, text
        refused += ours is not None
    assert refused >= len(REFUSED) - 1


def test_string_values_are_the_terms_pyshacl_reports():
    """A result whose value is a string literal names the same rdflib term in both engines: "x", not "x"^^xsd:string
    (Oxigraph types every plain literal; kg.rdfio's converters read it back as rdflib's parser does)."""
    from kg.rdfio import parse_into
    from kg.validate import validate

    graph = parse_into(Graph(), FIXTURES / "engine" / "string-values.ttl")
    ours, reference = validate(graph, graph, "sparql"), validate(graph, graph, "pyshacl")
    assert results(ours) == results(reference)
    assert findings(ours) == findings(reference)
    values = {v for *_, v, _ in results(ours)}
    assert {'"abcd"', '"blue"', '"seven"', '"bad name"', '"ABCD"'} <= {v.n3() for v in values if v is not None}
    assert len(results(ours)) >= 8


def test_targets_read_once_and_counts_asked_together_agree_with_pyshacl():
    """SPARQL targets given as VALUES (or left as a pattern for a blank node), instances of subclasses looked up
    (a cycle and a blank-node subclass in the hierarchy), and counts, hasValue and qualified counts asked in one
    query per shape: every result is pySHACL's."""
    from kg.rdfio import parse_into
    from kg.shacl_sparql import run
    from kg.validate import validate

    graph = parse_into(Graph(), FIXTURES / "engine" / "targets-and-counts.ttl")
    ours, reference = validate(graph, graph, "sparql"), validate(graph, graph, "pyshacl")
    assert results(ours) == results(reference)
    assert findings(ours) == findings(reference)
    assert {SH.MinCountConstraintComponent, SH.MaxCountConstraintComponent, SH.ClassConstraintComponent,
            SH.HasValueConstraintComponent, SH.QualifiedMinCountConstraintComponent,
            SH.QualifiedMaxCountConstraintComponent, SH.DatatypeConstraintComponent} <= {r[2] for r in results(ours)}
    from kg.shacl_sparql import store_of

    assert run(graph, store_of(graph))[1] == []  # every shape compiled, none left to pySHACL


def _same_values_stores(project) -> list[tuple[str, ox.Store]]:
    """The corners of both fixtures, and a data set of many duplicates (groups of 1 to 12 copies, some with two values)."""
    stores = []
    for path in (FIXTURES / "ic-12-no-duplicate-observations.ttl", FIXTURES / "engine" / "same-values.ttl"):
        store = ox.Store()
        store.bulk_load(path=str(path), format=ox.RdfFormat.TURTLE)
        stores.append((path.stem, store))
    lines = ["@prefix qb: <http://purl.org/linked-data/cube#> . @prefix ex: <http://example.org/many/> .",
             "ex:area a qb:DimensionProperty . ex:year a qb:DimensionProperty . ex:kind a qb:DimensionProperty .",
             "ex:data a qb:DataSet ; qb:structure [ qb:component [ qb:dimension ex:area ] , [ qb:dimension ex:year ] ,"
             " [ qb:dimension ex:kind ] ] ."]
    n = 0
    for area in range(6):
        for year in range(4):
            for kind in range(3):
                for copy in range((area * 7 + year * 3 + kind) % 13):  # 0 to 12 copies of each
                    extra = f", {2000 + (year + 1) % 4}" if copy == 1 and kind == 0 else ""
                    lines.append(f"ex:o{n} qb:dataSet ex:data ; ex:area ex:a{area} ; ex:year {2000 + year}{extra} ;"
                                 f" ex:kind ex:k{kind} .")
                    n += 1
    store = ox.Store()
    store.load("\n".join(lines), format=ox.RdfFormat.TURTLE)
    stores.append(("many duplicates", store))
    return stores


def test_duplicates_in_slices_are_the_rows_of_the_shape_query(project):
    """IC-12 in slices (kg/same_values.py) gives the shape's own rows, whether a slice is one value or all of them."""
    shapes = load_shapes(project.shape_files())
    constraint = next(c for c in whole_graph_queries(shapes) if str(shapes.value(c, RDFS.label)).startswith("IC-12"))
    check = same_values.parts(str(shapes.value(constraint, WHOLE_GRAPH_SELECT)))
    assert check is not None
    prefixes = Compiler(shapes, ox.Store())._declared(constraint)
    for name, store in _same_values_stores(project):
        reference = _rows(store, prefixes, str(shapes.value(constraint, SH.select)))
        assert len(reference) >= (1000 if name == "many duplicates" else 8), name
        compiler = Compiler(shapes, store)
        compiler.prefixes.update(prefixes)
        target = compiler.target_pattern(shapes.value(None, SH.sparql, constraint))
        for size in (1, 7, same_values.SLICE):
            ours = same_values.pairs(check, target, compiler.query, inline_after, slice_size=size)
            assert sorted(tuple(str(t) for t in row) for row in ours) == reference, (name, size)


def test_duplicates_in_slices_agree_with_pyshacl(project, tmp_path):
    """The whole report of both engines on the corners of the check in slices (blank nodes, values of several dimensions)."""
    shapes = load_shapes(project.shape_files())
    path = FIXTURES / "engine" / "same-values.ttl"
    ours = validate_files([path], shapes, "sparql")
    reference = validate_files([path], shapes, "pyshacl")
    def named(report) -> list[tuple]:  # blank nodes as [] (each engine labels them its own way)
        return sorted(tuple(re.sub(r"\bn?[0-9a-f]{24,}\w*", "[]", str(x)) for x in row) for row in findings(report))

    assert named(ours) == named(reference)
    duplicates = [v for v in ours.violations if "IC-12" in v.message]
    assert len(duplicates) >= 8


def test_a_check_in_slices_without_its_parts_is_one_error(project, tmp_path):
    """A `# checked as: same values` file that lacks a part is refused when the shapes load, naming the file."""
    from kg.errors import KgError

    (tmp_path / "sparql").mkdir()
    shapes_file = tmp_path / "datacube.ttl"
    shapes_file.write_text((project.shapes_dir / "datacube.ttl").read_text(encoding="utf-8"), encoding="utf-8")
    whole = (project.shapes_dir / "sparql" / "ic-12-no-duplicate-observations.rq").read_text(encoding="utf-8")
    broken = whole[:whole.index("# part: members")]
    (tmp_path / "sparql" / "ic-12.rq").write_text(broken, encoding="utf-8")
    with pytest.raises(KgError, match=r"ic-12\.rq: a same-values check without the part\(s\) members"):
        load_shapes([project.shapes_dir / "prefixes.ttl", shapes_file])
    (tmp_path / "sparql" / "ic-12.rq").write_text(whole, encoding="utf-8")
    assert whole_graph_queries(load_shapes([project.shapes_dir / "prefixes.ttl", shapes_file]))
