"""Where the project's files are, and which named graph each source file goes into."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from rdflib import URIRef

from .namespaces import GRAPH

ONTOLOGY_GRAPH = GRAPH["ontology"]
FACTS_GRAPH = GRAPH["facts"]
DERIVED_GRAPH = GRAPH["derived"]
PROVENANCE_GRAPH = GRAPH["provenance"]
LINKS_GRAPH_PREFIX = str(GRAPH) + "links/"


def default_root() -> Path:
    """The project root: $HITZ_ROOT, else the checkout this package lives in."""
    env = os.environ.get("HITZ_ROOT")
    return Path(env) if env else Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Project:
    """The source folders of one copy of the project (the checkout, or a test's copy)."""

    root: Path

    @classmethod
    def default(cls) -> "Project":
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

    def sources(self) -> list[tuple[Path, URIRef]]:
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
        return found

    def shape_files(self) -> list[Path]:
        return sorted(self.shapes_dir.glob("*.ttl"))
