"""What the site reads from the graph: the fixed SPARQL files of kg/web/queries/, asked of the
store the server serves, with every IRI put in them checked first."""

from __future__ import annotations

import asyncio
import re
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph

from ..errors import QueryError, StoreError
from ..namespaces import bind_prefixes

QUERIES = Path(__file__).with_name("queries")
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PREF_LABEL = "http://www.w3.org/2004/02/skos/core#prefLabel"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
ALT_LABEL = "http://www.w3.org/2004/02/skos/core#altLabel"
_PLAIN_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")
FIGURE_NAME = "figure-name"  # a name the site makes for an observation: "GDP, 2021: CNY15.3 trillion"
LABEL_TTL = 30.0  # seconds the label cache is kept (an update shows up after at most this)


class GraphUnavailable(Exception):
    """The store did not answer (time limit, busy workers, a remote store down)."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


@cache
def query_text(name: str) -> str:
    return (QUERIES / f"{name}.rq").read_text(encoding="utf-8")


def plain_iri(iri: str) -> bool:
    """Whether `iri` can be written between <> in SPARQL as it is (no escapes, no spaces)."""
    return bool(_PLAIN_IRI.fullmatch(iri))


def fill(name: str, **values: str) -> str:
    """A query of kg/web/queries with its $NAME placeholders replaced by IRIs (checked)."""
    text = query_text(name)
    for key, value in values.items():
        iris = value if isinstance(value, (list, tuple)) else [value]
        for iri in iris:
            if not plain_iri(iri):
                raise ValueError(f"not a plain IRI: {iri!r}")
        text = text.replace("$" + key, " ".join(f"<{iri}>" for iri in iris))
    return text


@dataclass
class Term:
    """One RDF term of a SELECT answer."""

    kind: str  # uri, literal, bnode
    value: str
    lang: str | None = None
    datatype: str | None = None

    @property
    def is_iri(self) -> bool:
        return self.kind == "uri"

    def python(self) -> Any:
        if self.kind == "literal" and self.datatype and self.datatype.endswith(
                ("#integer", "#decimal", "#double", "#float", "#int", "#long", "#nonNegativeInteger")):
            try:
                return int(self.value) if self.datatype.endswith(("integer", "int", "long")) else float(self.value)
            except ValueError:
                return self.value
        if self.kind == "literal" and self.datatype and self.datatype.endswith("#boolean"):
            return self.value in ("true", "1")
        return self.value


def _ox_term(term) -> Term:
    if isinstance(term, ox.NamedNode):
        return Term("uri", term.value)
    if isinstance(term, ox.BlankNode):
        return Term("bnode", term.value)
    return Term("literal", term.value, term.language, term.datatype.value if term.datatype else None)


@dataclass
class Labels:
    """Labels per IRI and language, from skos:prefLabel, then rdfs:label, then skos:altLabel."""

    by_iri: dict[str, dict[str, list[tuple[int, str]]]] = field(default_factory=dict)

    RANK = {PREF_LABEL: 0, RDFS_LABEL: 1, ALT_LABEL: 2, "figure-name": 3}

    def add(self, iri: str, predicate: str, text: str, lang: str | None) -> None:
        self.by_iri.setdefault(iri, {}).setdefault(lang or "", []).append((self.RANK[predicate], text))

    def get(self, iri: str, lang: str = "en") -> str | None:
        langs = self.by_iri.get(iri)
        if not langs:
            return None
        for key in (lang, "", *sorted(langs)):
            if key in langs:
                return min(langs[key])[1]
        return None

    def chinese(self, iri: str) -> str | None:
        langs = self.by_iri.get(iri, {})
        return min(langs["zh"])[1] if "zh" in langs else None

    def all_texts(self) -> list[tuple[str, str]]:
        return [(iri, text) for iri, langs in self.by_iri.items() for entries in langs.values()
                for _, text in entries]


def figure_name(row: dict[str, Term], labels: Labels) -> str:
    """An observation's name from its indicator, period and value: "GDP, 2021: CNY15.3 trillion"."""
    from .charts import Point

    def name(key: str) -> str:
        iri = row[key].value if key in row else ""
        return labels.get(iri) or iri.rstrip("/").rsplit("/", 1)[-1]

    try:
        value = float(row["value"].python())
    except (TypeError, ValueError):
        return row["value"].value
    point = Point(row["obs"].value, "", "", "", "", "", "", value, row["unit"].value if "unit" in row else None,
                  row["qualifier"].value if "qualifier" in row else None, False)
    return f"{name('indicator')}, {name('period')}: {point.shown}"


class GraphReader:
    """Asks the store the server serves (kg.store: memory, embedded Oxigraph or remote) the
    site's own fixed queries, in a thread so the server keeps answering meanwhile. Visitors'
    SPARQL never comes this way: it goes to /sparql, through the server's checks and workers."""

    def __init__(self, service):
        self.service = service
        self.executor = ThreadPoolExecutor(max_workers=4, thread_name_prefix="kg-web")
        self._labels: tuple[float, Labels] | None = None
        self._texts: dict[str, str] = {}

    async def _run(self, sparql: str, read):
        """Run a query and read its answer in the same thread (pyoxigraph's results stay in
        the thread that made them)."""
        loop = asyncio.get_running_loop()
        try:
            return await loop.run_in_executor(
                self.executor, lambda: read(self.service.store.query(sparql, source="page")))
        except StoreError as exc:
            raise GraphUnavailable(502, str(exc)) from None
        except QueryError as exc:  # a bug in a query of kg/web/queries
            raise GraphUnavailable(500, str(exc)) from None

    async def select(self, sparql: str) -> list[dict[str, Term]]:
        """The rows of a SELECT query, each a dict of variable name to Term."""
        def read(result) -> list[dict[str, Term]]:
            names = [v.value for v in result.variables]
            return [{n: _ox_term(row[n]) for n in names if row[n] is not None} for row in result]

        return await self._run(sparql, read)

    async def ask(self, sparql: str) -> bool:
        return await self._run(sparql, bool)

    async def construct(self, sparql: str) -> Graph:
        """The triples of a CONSTRUCT query as an rdflib Graph with the project's prefixes."""
        data = await self._run(sparql, lambda result: ox.serialize(list(result), format=ox.RdfFormat.N_TRIPLES))
        graph = Graph()
        bind_prefixes(graph)
        graph.parse(data=data.decode("utf-8"), format="nt")
        return graph

    async def labels(self) -> Labels:
        """Every label of the graph (kept for LABEL_TTL seconds)."""
        now = time.monotonic()
        if self._labels and now - self._labels[0] < LABEL_TTL:
            return self._labels[1]
        labels = Labels()
        for row in await self.select(query_text("labels")):
            labels.add(row["s"].value, row["p"].value, row["label"].value, row["label"].lang)
        for row in await self.select(query_text("figure-names")):
            labels.add(row["obs"].value, FIGURE_NAME, figure_name(row, labels), "en")
        self._labels = (now, labels)
        return labels

    async def article_text(self, article: str) -> str | None:
        if article not in self._texts:
            rows = await self.select(fill("article-text", IRI=article))
            if not rows:
                return None
            self._texts[article] = rows[0]["text"].value
        return self._texts[article]
