"""Where the project's files are, and which named graph each source file goes into."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF

from .namespaces import GRAPH, SCHEMA

ONTOLOGY_GRAPH = GRAPH["ontology"]
FACTS_GRAPH = GRAPH["facts"]
DERIVED_GRAPH = GRAPH["derived"]
PROVENANCE_GRAPH = GRAPH["provenance"]
LINKS_GRAPH_PREFIX = str(GRAPH) + "links/"
SOURCE_GRAPH_PREFIX = str(GRAPH) + "source/"
FIRST_SOURCE_ID = "hitz-2022"


def _first(triples: list, subject: URIRef, predicate: URIRef) -> str:
    """The first object of (subject, predicate) among `triples`, as text ("" if none)."""
    return next((str(o) for s, p, o in triples if s == subject and p == predicate), "")


@dataclass(frozen=True)
class Source:
    """One dated text the graph states facts from: its folder, text, article IRI and named graph.

    `published` is the schema:datePublished as written ("2023-12-12", or "2022" for a year);
    `graph` holds its stated facts and spans (for the first article, its facts are in
    graph/facts and its spans in graph/provenance, `graphs` lists both).
    """

    id: str
    folder: Path
    text_path: Path
    article: URIRef
    published: str
    language: str
    graph: URIRef
    graphs: tuple[URIRef, ...]
    ttl_files: tuple[Path, ...]

    def text(self) -> str:
        return self.text_path.read_text(encoding="utf-8")


def default_root() -> Path:
    """The project root: $HITZ_ROOT, else the checkout this package lives in."""
    env = os.environ.get("HITZ_ROOT")
    return Path(env) if env else Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    """The source folders of one copy of the project (the checkout, or a test's copy)."""

    root: Path

    @classmethod
    def default(cls) -> Project:
        return cls(default_root())

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def article_path(self) -> Path:
        return self.data_dir / "article.txt"

    @property
    def derivations_dir(self) -> Path:
        return self.data_dir / "derivations"

    @property
    def context_path(self) -> Path:
        return self.ontology_dir / "context.jsonld"

    @property
    def dist_dir(self) -> Path:
        return self.root / "dist"

    @property
    def sources_dir(self) -> Path:
        return self.data_dir / "sources"

    def sources(self) -> list[Source]:
        """Every source text: the first article, then each folder of data/sources/ (by name).

        A source folder holds `text.txt` (the text as stored; offsets count its code points)
        and Turtle files (its schema:NewsArticle, data set and stated facts with their spans),
        loaded into the named graph .../graph/source/{folder name}.
        """
        from .errors import ParseError
        from .rdfio import read_triples

        first_files = tuple(sorted((self.data_dir / "facts").glob("*.ttl")) + sorted((self.data_dir / "provenance").glob("*.ttl")))
        found = []
        for sid, folder, text_path, files, graph, graphs in (
            [(FIRST_SOURCE_ID, self.data_dir, self.article_path, first_files, PROVENANCE_GRAPH, (FACTS_GRAPH, PROVENANCE_GRAPH))]
            + [(f.name, f, f / "text.txt", tuple(sorted(f.glob("*.ttl"))), URIRef(SOURCE_GRAPH_PREFIX + f.name), (URIRef(SOURCE_GRAPH_PREFIX + f.name),))
               for f in sorted(self.sources_dir.glob("*")) if f.is_dir()]
        ):
            meta = [t for path in files for t in read_triples(path)[0]]  # parsed once: kg.build reads them again
            articles = sorted({s for s, p, o in meta if p == RDF.type and o in (SCHEMA.NewsArticle, SCHEMA.Report)})
            if len(articles) != 1:
                raise ParseError(f"{folder}: a source needs exactly one schema:NewsArticle or schema:Report, found {len(articles)}")
            article = articles[0]
            found.append(Source(sid, folder, text_path, article, _first(meta, article, SCHEMA.datePublished),
                                _first(meta, article, SCHEMA.inLanguage), graph, graphs, files))
        return found

    def rdf_files(self) -> list[tuple[Path, URIRef]]:
        """Every Turtle source with the named graph it is loaded into, in a stable order."""
        groups = [
            (self.ontology_dir, lambda p: ONTOLOGY_GRAPH),
            (self.data_dir / "facts", lambda p: FACTS_GRAPH),
            (self.data_dir / "provenance", lambda p: PROVENANCE_GRAPH),
            (self.data_dir / "links", lambda p: URIRef(LINKS_GRAPH_PREFIX + p.stem)),
        ]
        found = []
        for folder, graph_of in groups:
            for path in sorted(folder.glob("*.ttl")):
                found.append((path, graph_of(path)))
        for folder in sorted(self.sources_dir.glob("*")):
            if folder.is_dir():
                found += [(path, URIRef(SOURCE_GRAPH_PREFIX + folder.name)) for path in sorted(folder.glob("*.ttl"))]
        return found

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes_dir.glob("*.ttl"))
