"""Find and check links to Wikidata (or any Wikidata-shaped SPARQL endpoint).

`discover` asks the endpoint for items whose English or Chinese label is one of
an entity's labels, and scores each candidate by label similarity, type
compatibility (the labels of its wdt:P31/wdt:P279* classes) and, for places,
containment (wdt:P131 or wdt:P17, transitively, reaches the item that our
entity's place, schema:containedInPlace or schema:areaServed, is linked to).
`check` confirms that every existing link's target exists, is labelled like our
entity and has a compatible type.
"""

from __future__ import annotations

import json
import re
import time
import unicodedata
from datetime import date
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path
from typing import cast
from collections.abc import Callable, Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, VOID, XSD

from . import sparql_client
from .errors import EndpointError
from .namespaces import HITZ, SCHEMA, bind_prefixes

WIKIDATA_ENDPOINT = "https://query.wikidata.org/sparql"
WIKIDATA_ENTITY = "http://www.wikidata.org/entity/"
USER_AGENT = sparql_client.USER_AGENT  # the one User-Agent of every request hitz-kg makes
LINK_PREDICATES = (OWL.sameAs, SKOS.exactMatch, SKOS.closeMatch)

# What a compatible Wikidata class is called, by our class: matched against the
# English labels of the candidate's wdt:P31/wdt:P279* classes.
TYPE_WORDS: dict[URIRef, tuple[str, ...]] = {
    SCHEMA.Country: ("country", "sovereign state"),
    SCHEMA.AdministrativeArea: ("province", "administrative"),
    SCHEMA.City: ("city",),
    SCHEMA.Person: ("human",),
    HITZ.Ministry: ("ministry",),
    SCHEMA.NewsMediaOrganization: ("newspaper", "news"),
    HITZ.NationalHighTechZone: ("zone", "industrial park", "development"),
    HITZ.Field: (),  # a field can be a technology, a system, a product: no type test
}
LINKABLE = tuple(TYPE_WORDS)


@dataclass
class Entity:
    """One of our entities that can be linked: its labels, classes, and the linked item of its parent place."""

    iri: URIRef
    labels: list[Literal]
    classes: list[URIRef]
    parent_items: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.iri).rsplit("/id/", 1)[-1]

    @property
    def link_predicate(self) -> URIRef:
        """owl:sameAs for an individual; skos:closeMatch for a concept (a field), which is no individual."""
        return SKOS.closeMatch if HITZ.Field in self.classes else OWL.sameAs

    def type_words(self) -> tuple[str, ...] | None:
        """Words a compatible class label contains; None when no type test applies."""
        words = tuple(w for c in self.classes for w in TYPE_WORDS.get(c, ()))
        return words or None


@dataclass
class Candidate:
    """An item of the endpoint, with the facts used to score it."""

    item: str
    labels: list[tuple[str, str]]  # (text, language)
    class_labels: list[str]
    ancestors: list[str]
    aliases: list[tuple[str, str]] = field(default_factory=list)
    label_score: float = 0.0
    type_ok: bool | None = None
    contained: bool | None = None
    score: float = 0.0

    @property
    def qid(self) -> str:
        return self.item.rsplit("/", 1)[-1]

    @property
    def label(self) -> str:
        for text, lang in self.labels:
            if lang == "en":
                return text
        return self.labels[0][0] if self.labels else ""


class Endpoint:
    """A SPARQL endpoint asked through kg.sparql_client (POST, its User-Agent and timeout), politely:
    `delay` seconds between requests, and retries with back-off when it is overloaded."""

    def __init__(self, url: str, *, timeout: float = 30.0, delay: float = 1.0, retries: int = 4,
                 sleep: Callable[[float], None] = time.sleep):
        self.url = url
        self.timeout = timeout
        self.delay = delay
        self.retries = retries
        self.sleep = sleep
        self._last = 0.0

    def select(self, query: str) -> list[dict[str, dict]]:
        """Run a SELECT (kg.sparql_client) and return its bindings, retrying with back-off on 429 and 503."""
        wait = max(self.delay, 1.0)
        for attempt in range(self.retries + 1):
            pause = self._last + self.delay - time.monotonic()
            if pause > 0:
                self.sleep(pause)
            self._last = time.monotonic()
            try:
                return sparql_client.select(self.url, query, timeout=self.timeout, source="the query")
            except EndpointError as exc:
                if exc.status not in (429, 503):
                    raise
                if attempt == self.retries:
                    raise EndpointError(f"{exc} (still, after {self.retries} retries)", exc.status) from None
                self.sleep(wait if exc.retry_after is None else exc.retry_after)
                wait *= 2
        raise AssertionError("unreachable: the last attempt returns or raises")


def normalize(text: str) -> str:
    """Fold case, accents and punctuation so that labels compare as people read them."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def label_similarity(ours: Iterable[Literal], theirs: Iterable[tuple[str, str]]) -> float:
    """The best similarity between any of our labels and any of theirs (1.0 is the same name)."""
    best = 0.0
    theirs = list(theirs)  # read once per label of ours, even when given as a generator
    for mine in ours:
        for text, _lang in theirs:
            a, b = normalize(str(mine)), normalize(text)
            if not a or not b:
                continue
            similarity = 1.0 if a == b else SequenceMatcher(None, a, b).ratio()
            shorter, longer = sorted((set(a.split()), set(b.split())), key=len)
            if shorter <= longer:  # one name is the other with words added: "Renminbi", "Yuan Renminbi"
                similarity = max(similarity, 0.9)
            best = max(best, similarity)
    return best


def linkable_entities(graph: Graph, type_filter: URIRef | None = None) -> list[Entity]:
    """Entities of the graph that can have a Wikidata counterpart, with their labels and classes."""
    entities = []
    for cls in LINKABLE:
        for iri in graph.subjects(RDF.type, cls):
            if not isinstance(iri, URIRef) or "/id/" not in str(iri):
                continue
            classes = cast("list[URIRef]", [c for c in graph.objects(iri, RDF.type) if c in TYPE_WORDS])
            if type_filter is not None and type_filter not in set(graph.objects(iri, RDF.type)):
                continue
            labels = [lit for p in (SKOS.prefLabel, SKOS.altLabel) for lit in graph.objects(iri, p)
                      if isinstance(lit, Literal) and lit.language in ("en", "zh")]
            parents = [str(o) for where in (SCHEMA.containedInPlace, SCHEMA.areaServed)
                       for parent in graph.objects(iri, where)
                       for p in LINK_PREDICATES for o in graph.objects(parent, p) if str(o).startswith(WIKIDATA_ENTITY)]
            entities.append(Entity(iri, labels, classes, parents))
    unique = {e.iri: e for e in entities}
    return sorted(unique.values(), key=lambda e: str(e.iri))


def wikidata_links(graph: Graph) -> list[tuple[URIRef, URIRef, URIRef]]:
    """(entity, predicate, item) for every link of ours into Wikidata."""
    return cast("list[tuple[URIRef, URIRef, URIRef]]", sorted(
        (s, p, o) for p in LINK_PREDICATES for s, o in graph.subject_objects(p) if str(o).startswith(WIKIDATA_ENTITY)))


def _literal(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def candidates(endpoint: Endpoint, entities: list[Entity], *, fuzzy: bool = False,
               per_entity: int = 20) -> dict[URIRef, list[Candidate]]:
    """For a batch of entities, in two requests: the items whose en/zh label (or alias) is one of
    an entity's labels (with `fuzzy`, contains it), each described for scoring."""
    labels = [lit for e in entities for lit in e.labels]
    if not labels:
        return {e.iri: [] for e in entities}
    if fuzzy:
        tests = " || ".join(f"CONTAINS(LCASE(STR(?l)), {_literal(str(lit).casefold())})" for lit in labels)
        match = f"?item rdfs:label|skos:altLabel ?l . FILTER ({tests})"
    else:
        values = " ".join(sorted({f"{_literal(str(lit))}@{lit.language}" for lit in labels}))
        match = f"VALUES ?l {{ {values} }} ?item rdfs:label|skos:altLabel ?l ."
    found = endpoint.select(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        SELECT DISTINCT ?item ?l WHERE {{ {match} FILTER (STRSTARTS(STR(?item), "{WIKIDATA_ENTITY}")) }}
        LIMIT {per_entity * len(entities)}""")
    items_of: dict[URIRef, list[str]] = {e.iri: [] for e in entities}
    for row in found:
        item, label = row["item"]["value"], row["l"]["value"].casefold()
        for entity in entities:
            mine = [str(lit).casefold() for lit in entity.labels]
            if (label in mine or (fuzzy and any(m in label for m in mine))) and item not in items_of[entity.iri]:
                items_of[entity.iri].append(item)
    described = {c.item: c for c in describe(endpoint, sorted({i for items in items_of.values() for i in items}))}
    return {iri: [_copy(described[i]) for i in items if i in described] for iri, items in items_of.items()}


def _copy(candidate: Candidate) -> Candidate:
    """A fresh candidate for each entity, since scoring writes into it."""
    return Candidate(candidate.item, candidate.labels, candidate.class_labels, candidate.ancestors, candidate.aliases)


def describe(endpoint: Endpoint, items: list[str]) -> list[Candidate]:
    """Labels, class labels (wdt:P31/wdt:P279*) and the places an item is in (wdt:P131, wdt:P17), of each item that exists."""
    if not items:
        return []
    values = " ".join(f"<{i}>" for i in items)
    rows = endpoint.select(f"""
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX wdt: <http://www.wikidata.org/prop/direct/>
        SELECT ?item ?label ?alias ?classLabel ?ancestor WHERE {{
          VALUES ?item {{ {values} }}
          {{ ?item rdfs:label ?label FILTER (lang(?label) IN ("en", "zh")) }}
          UNION {{ ?item skos:altLabel ?alias FILTER (lang(?alias) IN ("en", "zh")) }}
          UNION {{ ?item wdt:P31/wdt:P279* ?class . ?class rdfs:label ?classLabel FILTER (lang(?classLabel) = "en") }}
          UNION {{ ?item (wdt:P131|wdt:P17)+ ?ancestor }}
        }}""")
    by_item: dict[str, Candidate] = {}
    for row in rows:
        item = row["item"]["value"]
        cand = by_item.setdefault(item, Candidate(item, [], [], []))
        if "label" in row:
            cand.labels.append((row["label"]["value"], row["label"].get("xml:lang", "")))
        if "alias" in row:
            cand.aliases.append((row["alias"]["value"], row["alias"].get("xml:lang", "")))
        if "classLabel" in row:
            cand.class_labels.append(row["classLabel"]["value"])
        if "ancestor" in row:
            cand.ancestors.append(row["ancestor"]["value"])
    return [by_item[i] for i in items if i in by_item]


def score(entity: Entity, cand: Candidate) -> Candidate:
    """Weigh label similarity (0.6), type compatibility (0.25) and containment (0.15); unknown parts drop out."""
    cand.label_score = label_similarity(entity.labels, cand.labels + cand.aliases)
    words = entity.type_words()
    cand.type_ok = None if words is None else any(w in normalize(c) for c in cand.class_labels for w in words)
    cand.contained = None if not entity.parent_items else any(p in cand.ancestors for p in entity.parent_items)
    parts = [(0.6, cand.label_score)]
    if cand.type_ok is not None:
        parts.append((0.25, 1.0 if cand.type_ok else 0.0))
    if cand.contained is not None:
        parts.append((0.15, 1.0 if cand.contained else 0.0))
    cand.score = round(sum(w * v for w, v in parts) / sum(w for w, _ in parts), 3)
    return cand


def discover(graph: Graph, endpoint: Endpoint, *, type_filter: URIRef | None = None,
             fuzzy: bool = False, batch: int = 10) -> list[tuple[Entity, list[Candidate]]]:
    """For each linkable entity without a Wikidata link, its candidates ranked best first.

    Entities are asked for `batch` at a time: two requests per batch, not per entity.
    """
    linked = {s for s, _, _ in wikidata_links(graph)}
    todo = [e for e in linkable_entities(graph, type_filter) if e.iri not in linked]
    ranked = []
    for first in range(0, len(todo), max(batch, 1)):
        group = todo[first:first + max(batch, 1)]
        found = candidates(endpoint, group, fuzzy=fuzzy)
        for entity in group:
            scored = [score(entity, c) for c in found[entity.iri]]
            ranked.append((entity, sorted(scored, key=lambda c: (-c.score, c.item))))
    return ranked


def accepted(ranked: list[tuple[Entity, list[Candidate]]], threshold: float) -> list[tuple[Entity, Candidate]]:
    """The best candidate of each entity of `discover`'s ranking, where it scores at least `threshold`."""
    return [(entity, cands[0]) for entity, cands in ranked if cands and cands[0].score >= threshold]


def write_accepted(ranked: list[tuple[Entity, list[Candidate]]], endpoint_url: str, threshold: float,
                   target: Path) -> list[tuple[Entity, Candidate]]:
    """Write the accepted candidates as a VoID link set to `target` (replaced whole); returns them."""
    from .files import write_atomically

    chosen = accepted(ranked, threshold)
    write_atomically(target, linkset_turtle(chosen, endpoint_url, threshold).encode("utf-8"))
    return chosen


@dataclass
class LinkCheck:
    """The outcome of checking one link: ok, suspicious or broken, and why."""

    entity: URIRef
    predicate: URIRef
    item: URIRef
    status: str
    reason: str


def check(graph: Graph, endpoint: Endpoint, *, min_label: float = 0.8) -> list[LinkCheck]:
    """Check every Wikidata link: the item exists, its label matches ours, its type is compatible.

    broken: the item does not exist, or neither its label nor its type fit;
    suspicious: one of them does not fit; ok: both fit.
    """
    links = wikidata_links(graph)
    entities = {e.iri: e for e in linkable_entities(graph)}
    described = {c.item: c for c in describe(endpoint, sorted({str(o) for _, _, o in links}))}
    results = []
    for subject, predicate, item in links:
        entity = entities.get(subject) or Entity(subject, [lit for p in (SKOS.prefLabel, RDFS.label)
                                                           for lit in graph.objects(subject, p) if isinstance(lit, Literal)], [])
        cand = described.get(str(item))
        if cand is None or not cand.labels:
            results.append(LinkCheck(subject, predicate, item, "broken", "the item does not exist (no label) at the endpoint"))
            continue
        score(entity, cand)
        label_fits = cand.label_score >= min_label
        type_fits = cand.type_ok is not False
        problems = []
        if not label_fits:
            problems.append(f"its label {cand.label!r} does not match ours (similarity {cand.label_score:.2f})")
        if not type_fits:
            problems.append(f"its classes ({', '.join(sorted(set(cand.class_labels))[:4]) or 'none'}) do not fit our type")
        status = "ok" if not problems else ("broken" if len(problems) == 2 else "suspicious")
        results.append(LinkCheck(subject, predicate, item, status, "; ".join(problems) or f"{cand.label!r}, type fits"))
    return results


def count_links(graph: Graph) -> int:
    """Add void:triples to each void:Linkset of a link-set graph: its links, by its link predicates."""
    total = 0
    for linkset in list(graph.subjects(RDF.type, VOID.Linkset)):
        predicates = set(graph.objects(linkset, VOID.linkPredicate))
        count = sum(1 for p in predicates for _ in graph.triples((None, p, None)))
        graph.set((linkset, VOID.triples, Literal(count, datatype=XSD.integer)))
        total += count
    return total


def linkset_turtle(accepted: list[tuple[Entity, Candidate]], endpoint_url: str, threshold: float) -> str:
    """A VoID link set of accepted candidates, each link with its score, as Turtle."""
    g = Graph()
    bind_prefixes(g)

    linkset = URIRef("https://w3id.org/hitz/id/linkset/wikidata-discovered")
    g.add((linkset, RDF.type, VOID.Linkset))
    g.add((linkset, VOID.subjectsTarget, URIRef("https://w3id.org/hitz/id/dataset/hitz")))
    g.add((linkset, VOID.objectsTarget, URIRef("https://w3id.org/hitz/id/dataset/wikidata")))
    for predicate in sorted({entity.link_predicate for entity, _ in accepted} or {OWL.sameAs}):
        g.add((linkset, VOID.linkPredicate, predicate))
    g.add((linkset, DCTERMS.created, Literal(date.today().isoformat(), datatype=XSD.date)))
    g.add((linkset, DCTERMS.description, Literal(
        f"Discovered by `kg link discover` at {endpoint_url}: candidates by English and Chinese label, "
        f"scored by label similarity, type and place containment; accepted at score >= {threshold}.", lang="en")))
    for entity, cand in accepted:
        item = URIRef(cand.item)
        g.add((entity.iri, entity.link_predicate, item))
        record = URIRef(f"https://w3id.org/hitz/id/link/wikidata-discovered/{entity.name.replace('/', '-')}")
        g.add((record, RDF.type, HITZ.LinkVerification))
        g.add((record, DCTERMS.isPartOf, linkset))
        g.add((record, RDF.subject, entity.iri))
        g.add((record, RDF.predicate, entity.link_predicate))
        g.add((record, RDF.object, item))
        g.add((record, HITZ.score, Literal(str(cand.score), datatype=XSD.decimal)))
        g.add((record, PROV.wasDerivedFrom, URIRef(endpoint_url)))
        g.add((record, RDFS.comment, Literal(
            f"Label {cand.label!r} (similarity {cand.label_score:.2f}), type fits: {cand.type_ok}, "
            f"contained in the linked parent place: {cand.contained}.", lang="en")))
    return g.serialize(format="turtle")
