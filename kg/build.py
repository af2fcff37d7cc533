"""Build the knowledge graph: parse, point into the article, derive, validate, then publish dist/.

Nothing is written unless every step passed, and dist/ is swapped in whole, so a
failed build leaves the previous one as it was.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from decimal import Context, Decimal

from rdflib import Dataset, Graph, Literal
from rdflib.graph import ReadOnlyGraphAggregate
from rdflib.namespace import XSD

from .canonical import relabel_blank_nodes
from .derive import run_derivations
from .errors import KgError, ParseError
from .extract.draft import refuse_drafts
from .export import DIST_FILES, build_date, require_conformance, serialize, void_description
from .namespaces import bind_prefixes
from .periods import describe_periods
from .link import count_links
from .project import DERIVED_GRAPH, FACTS_GRAPH, LINKS_GRAPH_PREFIX, Project
from .parallel import run_split
from .progress import bar
from .rdfio import parse_into, shared_union, union_of
from .spans import add_article_text, resolve_spans
from .validate import Report, load_shapes, validate

REPORT = "validation report"
BIG_SOURCES = 10_000_000  # bytes of RDF from which reading the sources shows a progress bar on a terminal
# written by the forked child: about as long as validating and writing Turtle here
IN_CHILD = {"hitz.jsonld", "hitz.nt", "hitz.nq", "hitz.trig", "hitz.rdf"}


@dataclass
class Build:
    """A built graph: the dataset of named graphs and its validation report."""

    dataset: Dataset
    report: Report
    merged: Graph | None = None  # the union, when the build already made it

    def union(self) -> Graph:
        """All named graphs merged into one graph."""
        return self.merged if self.merged is not None else union_of(self.dataset)


def read_text(path: Path, missing: str) -> str:
    """A source's stored text, or ParseError "PATH: `missing`" when the file is not there."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ParseError(f"{path}: {missing}") from None


def assemble(project: Project, extra_files: list[Path] | None = None, *, derive: bool = True) -> Dataset:
    """Parse every source into its named graph, resolve spans, derive, and describe periods."""
    dataset = Dataset()
    bind_prefixes(dataset)
    sources = project.rdf_files()
    if extra_files is not None:  # validate given data files with the project's ontology
        sources = [(p, g) for p, g in sources if p.parent == project.ontology_dir]
        sources += [(Path(p), FACTS_GRAPH) for p in extra_files]
    big = sum(path.stat().st_size for path, _ in sources if path.is_file()) > BIG_SOURCES
    with bar(None if big else 0, "triples", "reading") as progress:  # on a terminal, for big sources only
        for path, graph_name in sources:
            graph = dataset.graph(graph_name)
            before = len(graph)
            parse_into(graph, path)
            refuse_drafts(graph, path)
            progress.update(len(graph) - before)
    for graph in dataset.graphs():
        if str(graph.identifier).startswith(LINKS_GRAPH_PREFIX):
            count_links(graph)

    text = read_text(project.article_path, "the source article is missing")
    if extra_files is None:
        for source in project.sources():
            graph = dataset.graph(source.graph)
            source_text = (text if source.text_path == project.article_path
                           else read_text(source.text_path, f"the text of source {source.id} is missing"))
            add_article_text(graph, source.article, source_text)
            resolve_spans(graph, source_text, source.article)
    else:
        for graph in list(dataset.graphs()):
            resolve_spans(graph, text)
    if derive and extra_files is None:
        run_derivations(dataset, project.derivations_dir, dataset.graph(DERIVED_GRAPH))
    # every period of every source, read through a view of all graphs (a merged copy costs a quarter second)
    describe_periods(ReadOnlyGraphAggregate(list(dataset.graphs())), dataset.graph(FACTS_GRAPH))
    canonicalize_decimals(dataset)
    relabel_blank_nodes(dataset)  # the same labels in every build, so every file has the same bytes
    return dataset


def canonicalize_decimals(dataset: Dataset) -> None:
    """Write every xsd:decimal in its canonical form ("15300000000000.0"), so each format reads back the same."""
    for s, p, o, g in list(dataset.quads((None, None, None, None))):
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            canonical = canonical_decimal(o)
            if str(canonical) != str(o):
                dataset.remove((s, p, o, g))  # type: ignore[arg-type]  # rdflib accepts a graph's name
                dataset.add((s, p, canonical, g))  # type: ignore[arg-type]


def canonical_decimal(literal: Literal) -> Literal:
    """The canonical form of an xsd:decimal ("1.50" is "1.5", "-0" is "0.0"), every digit kept; ParseError
    for a form xsd:decimal does not have ("1E3", "NaN", "abc"), which would otherwise pass as a number."""
    text = str(literal).strip()
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text):
        raise ParseError(f"{text!r}^^xsd:decimal is not a decimal (digits, a sign and a point; no exponent)")
    value = Decimal(text)
    value = Decimal(0) if value.is_zero() else value.normalize(Context(prec=len(value.as_tuple().digits)))
    text = format(value, "f")
    if "." not in text:
        text += ".0"
    return Literal(text, datatype=XSD.decimal)


def check(project: Project, extra_files: list[Path] | None = None, engine: str = "sparql") -> Build:
    """Assemble and validate (engine "sparql", or "pyshacl" the reference), without writing anything."""
    dataset = assemble(project, extra_files)
    report = validate(union_of(dataset), load_shapes(project.shape_files()), engine)
    return Build(dataset, report)


def build(project: Project, dist: Path | None = None) -> Build:
    """Build, validate and, only if everything passed, replace `dist` (default: the project's dist/).

    While this process validates and writes Turtle, a forked child (kg.parallel) writes the
    other formats; they are used only if the graph conforms.
    """
    modified = build_date()  # a malformed $SOURCE_DATE_EPOCH is refused before the work
    dataset = assemble(project)
    with shared_union(dataset):  # finished: its union is built once for validation and every format
        union = union_of(dataset)

        def conforming_report() -> Report:
            report = validate(union, load_shapes(project.shape_files()))
            return require_conformance(report, "dist/ was not changed")

        formats = {name: partial(serialize, dataset, fmt, project) for name, fmt in DIST_FILES.items()}
        tasks: dict[str, Callable[[], Any]] = {REPORT: conforming_report, **formats}
        done = run_split(tasks, in_child=IN_CHILD)
        files = {name: done[name] for name in DIST_FILES}
        files["void.ttl"] = void_description(dataset, files, modified).serialize(format="turtle").encode("utf-8")
    publish(files, dist or project.dist_dir)
    return Build(dataset, done[REPORT], union)


def publish(files: dict[str, bytes], dist: Path) -> None:
    """Write all files to a new folder beside `dist`, then swap it in for the old one."""
    dist = dist.resolve()
    dist.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dist.name}-new-", dir=dist.parent))
    try:
        staging.chmod(0o755)
        for name, data in files.items():
            (staging / name).write_bytes(data)
        if dist.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{dist.name}-old-", dir=dist.parent))
            os.rmdir(old)
            os.rename(dist, old)
            try:
                os.rename(staging, dist)
            except OSError:
                os.rename(old, dist)
                raise
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.rename(staging, dist)
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise KgError(f"{dist}: could not write the build ({exc.strerror or exc})") from None
