"""Content negotiation of /doc/... documents: the formats, their suffixes and media types,
the choice by Accept, ETags, and the IRI <-> local path mapping under the base IRI."""

from __future__ import annotations

import hashlib
import os
import urllib.parse
from dataclasses import dataclass

from ..endpoint import parse_accept

DEFAULT_BASE = "https://w3id.org/hitz/"
BASE_ENV = "HITZ_BASE_IRI"


@dataclass(frozen=True)
class DocFormat:
    suffix: str
    media_type: str
    name: str
    rdflib: str | None  # None: the HTML page


FORMATS = (
    DocFormat("html", "text/html", "HTML", None),
    DocFormat("ttl", "text/turtle", "Turtle", "turtle"),
    DocFormat("jsonld", "application/ld+json", "JSON-LD", "json-ld"),
    DocFormat("nt", "application/n-triples", "N-Triples", "nt"),
    DocFormat("rdf", "application/rdf+xml", "RDF/XML", "xml"),
)
BY_SUFFIX = {f.suffix: f for f in FORMATS}
BY_TYPE = {f.media_type: f for f in FORMATS}
ALIASES = {"application/xhtml+xml": "text/html", "application/json": "application/ld+json",
           "application/x-turtle": "text/turtle", "application/turtle": "text/turtle",
           "text/plain": "application/n-triples", "application/xml": "application/rdf+xml",
           "text/xml": "application/rdf+xml"}


def base_iri() -> str:
    """The base the graph's IRIs start with (HITZ_BASE_IRI, default https://w3id.org/hitz/)."""
    base = os.environ.get(BASE_ENV, DEFAULT_BASE)
    return base if base.endswith("/") else base + "/"


def choose(accept: str | None) -> DocFormat | None:
    """The format to answer in for this Accept header, or None (then 406)."""
    for media, _ in parse_accept(accept):
        media = ALIASES.get(media, media)
        if media in BY_TYPE:
            return BY_TYPE[media]
        if media in ("*/*", "*"):
            return FORMATS[0]
        if media.endswith("/*"):
            for f in FORMATS:
                if f.media_type.startswith(media[:-1]):
                    return f
    return None


def split_suffix(path: str) -> tuple[str, DocFormat | None]:
    """`zone/changsha.ttl` -> (`zone/changsha`, Turtle); no known suffix -> (path, None)."""
    stem, dot, suffix = path.rpartition(".")
    if dot and suffix in BY_SUFFIX and "/" not in suffix:
        return stem, BY_SUFFIX[suffix]
    return path, None


def etag(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def not_modified(if_none_match: str | None, tag: str) -> bool:
    """Whether an If-None-Match header matches this (strong) ETag; weak ones compare too."""
    if not if_none_match:
        return False
    candidates = [c.strip() for c in if_none_match.split(",")]
    return "*" in candidates or any(c.removeprefix("W/") == tag for c in candidates)


class Paths:
    """Where each IRI of the graph lives on this server, and back."""

    def __init__(self, base: str | None = None):
        self.base = base or base_iri()
        self.ontology = self.base + "ontology"

    def iri_of_doc(self, path: str) -> str:
        """The IRI a /doc/PATH document describes."""
        return self.ontology if path == "ontology" else self.base + "id/" + path

    def doc_of(self, iri: str) -> str | None:
        """The local /doc/ path of an IRI under the base (keeping an ontology #fragment)."""
        if iri == self.ontology or iri.startswith(self.ontology + "#"):
            return "/doc/ontology" + iri[len(self.ontology):]
        if iri.startswith(self.base + "id/"):
            rest = iri[len(self.base) + 3:]
            return "/doc/" + urllib.parse.quote(rest, safe="/:@-._~!$&'()*+,;=")
        if iri.startswith(self.base + "dist/"):
            return "/dist/" + urllib.parse.quote(iri[len(self.base) + 5:])
        return None

    def href(self, iri: str) -> str:
        """The link to follow for any IRI: its local page, or this site's page about a foreign IRI."""
        return self.doc_of(iri) or "/resource?" + urllib.parse.urlencode({"iri": iri})

    def short(self, iri: str, prefixes: dict[str, str]) -> str:
        for prefix, namespace in prefixes.items():
            if iri.startswith(namespace) and len(iri) > len(namespace):
                return f"{prefix}:{iri[len(namespace):]}"
        return iri


def link_header(doc_path: str) -> str:
    """Link: the same document in every other format."""
    return ", ".join(f'<{doc_path}.{f.suffix}>; rel="alternate"; type="{f.media_type}"' for f in FORMATS)


def external(iri: str) -> bool:
    """Whether an IRI may be a link out of the site (http or https only: never javascript: etc.)."""
    return urllib.parse.urlsplit(iri).scheme in ("http", "https")
