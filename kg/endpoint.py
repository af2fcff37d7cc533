"""What a SPARQL 1.1 Protocol endpoint decides about one request, apart from HTTP itself:
which result format the client accepts, whether the query may run (it parses; its
SERVICE clauses are allowed), and the answer's bytes within the row limit.

Used by `kg serve`, both in its query worker processes and for remote stores.
"""

from __future__ import annotations

import re
import sys
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import lru_cache
from json.encoder import encode_basestring as _json_string

import pyoxigraph as ox

from .errors import QueryError, Refused, StoreError
from .sparql_text import normalise

SELECT, ASK, GRAPH = "select", "ask", "graph"

# media type -> format, for each kind of result; the first is the default
RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
RESULT_ALIASES = {"application/json": "application/sparql-results+json",
                  "application/xml": "application/sparql-results+xml",
                  "text/xml": "application/sparql-results+xml"}
_JSON = "application/sparql-results+json"
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
GRAPH_ALIASES = {"application/turtle": "text/turtle", "application/x-turtle": "text/turtle",
                 "application/x-json+ld": "application/ld+json", "application/json": "application/ld+json",
                 "text/plain": "application/n-triples", "application/xml": "application/rdf+xml",
                 "text/xml": "application/rdf+xml"}


DEEP_STACK = 512 * 1024 * 1024  # bytes of stack (reserved, not used) for rdflib's recursive parser
DEEP_RECURSION = 60000
_stack_lock = threading.Lock()


def with_deep_stack(function, *args):
    """Call `function(*args)` in a thread with a big stack and a high recursion limit: rdflib's
    parser recurses per nesting level, and queries nested MAX_DEPTH deep must parse."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as exc:  # handed back to the caller's thread
            outcome["error"] = exc

    if sys.getrecursionlimit() < DEEP_RECURSION:
        sys.setrecursionlimit(DEEP_RECURSION)
    with _stack_lock:
        previous = threading.stack_size(DEEP_STACK)
        try:
            thread = threading.Thread(target=run, name="kg-deep", daemon=True)
            thread.start()
        finally:
            threading.stack_size(previous)
    thread.join()
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


@dataclass
class Answer:
    status: int
    media_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def parse_accept(header: str | None) -> list[tuple[str, float]]:
    """The media ranges of an Accept header, best first (q-values honoured, order kept on ties)."""
    return [(m, q) for m, q in _accept_ranges(header) if q > 0]


def _accept_ranges(header: str | None) -> list[tuple[str, float]]:
    """Every media range of an Accept header with its q-value (0 for one the client refuses), best first."""
    ranges = []
    for i, item in enumerate((header or "*/*").split(",")):
        parts = [p.strip() for p in item.split(";")]
        if not parts[0]:
            continue
        q = 1.0
        for param in parts[1:]:
            if param.lower().startswith("q="):
                try:
                    q = float(param[2:])
                except ValueError:
                    q = 0.0
        ranges.append((parts[0].lower(), q, i))
    ranges.sort(key=lambda r: (-r[1], r[2]))
    return [(m, q) for m, q, _ in ranges]


@lru_cache(maxsize=256)  # clients send few distinct Accept headers, and this is per query
def negotiate(accept: str | None, kind: str) -> str:
    """The media type to answer a `kind` result in, or Refused(406)."""
    offered, aliases = (GRAPH_TYPES, GRAPH_ALIASES) if kind == GRAPH else (RESULT_TYPES, RESULT_ALIASES)
    refused = {aliases.get(m, m) for m, q in _accept_ranges(accept) if q <= 0}  # "text/csv;q=0": never text/csv
    acceptable = [m for m in offered if m not in refused]
    for media, _ in parse_accept(accept):
        if media in offered:
            return media
        if media in aliases:
            return aliases[media]
        if media in ("*/*", "*") and acceptable:
            return acceptable[0]
        if media.endswith("/*"):
            for candidate in acceptable:
                if candidate.startswith(media[:-1]):
                    return candidate
    raise Refused(406, f"cannot answer a {'CONSTRUCT/DESCRIBE' if kind == GRAPH else 'SELECT/ASK'} query "
                       f"in {accept!r}; this endpoint offers {', '.join(offered)}")


def _service_iris(algebra) -> list:
    from rdflib.plugins.sparql.algebra import traverse
    from rdflib.plugins.sparql.parserutils import CompValue

    found = []

    def visit(node):
        if isinstance(node, CompValue) and node.name == "ServiceGraphPattern":
            found.append(node.get("term"))

    traverse(algebra, visitPre=visit)
    return found


def _check_services(terms, allowed: frozenset[str]) -> None:
    from rdflib import URIRef

    for term in terms:
        if not isinstance(term, URIRef):
            raise Refused(403, "SERVICE with a variable endpoint is refused: name an allowed endpoint")
        if str(term) not in allowed:
            raise Refused(403, f"SERVICE <{term}> is refused: this endpoint calls only the endpoints its "
                               "operator allowed (kg serve --allow-service URL)")


def _malformed(exc: Exception) -> Refused:
    if isinstance(exc, RecursionError):
        return Refused(400, "the query is nested too deeply to parse")
    text = " ".join(str(exc).split()[:60])  # pyparsing may add a grammar dump: one line is enough
    return Refused(400, f"malformed SPARQL: {text.split(' Expected ')[0] if len(text) > 300 else text}")


INLINE_CHECK_CHARS = 1024  # a text this short is normalised on the event loop (about 0.1 ms a 100 characters)
_CHECKED_SIZE = 512  # texts remembered by checked_text: at most 16 MB of text (4 bytes a character)
_CHECKED_MAX_CHARS = 4096  # longer texts are checked every time rather than kept
_checked: OrderedDict[tuple[str, frozenset[str]], str] = OrderedDict()
_checked_lock = threading.Lock()


def known_text(sparql: str, allowed_services: frozenset[str] = frozenset()) -> str | None:
    """The normalised text of a query already checked with this allow-list, or None."""
    key = (sparql, allowed_services)
    with _checked_lock:
        text = _checked.get(key)
        if text is not None:
            _checked.move_to_end(key)
        return text


def checked_text(sparql: str, allowed_services: frozenset[str] = frozenset()) -> str:
    """kg.sparql_text.normalise, remembered per (text, allow-list): the result depends on
    nothing else, and clients repeat their queries. Refusals are not remembered."""
    text = known_text(sparql, allowed_services)
    if text is not None:
        return text
    text = normalise(sparql, allowed_services)
    if len(sparql) <= _CHECKED_MAX_CHARS:
        with _checked_lock:
            _checked[(sparql, allowed_services)] = text
            while len(_checked) > _CHECKED_SIZE:
                _checked.popitem(last=False)
    return text


@lru_cache(maxsize=512)  # parsing is the slow part of a small query; clients repeat theirs
def inspect_query(sparql: str, allowed_services: frozenset[str] = frozenset()) -> str:
    """Parse a query (rdflib's SPARQL parser) and return its kind; refuse SERVICE clauses
    whose endpoint is not allowed, wherever they are (subqueries, EXISTS, OPTIONAL...)."""
    from .sparql_text import rdflib_query

    try:
        query = rdflib_query(sparql)
    except Exception as exc:  # pyparsing or rdflib: either way the query cannot be read
        raise _malformed(exc) from None
    _check_services(_service_iris(query.algebra), allowed_services)
    name = query.algebra.name
    if name == "SelectQuery":
        return SELECT
    if name == "AskQuery":
        return ASK
    return GRAPH


def inspect_update(sparql: str, allowed_services: frozenset[str] = frozenset()) -> None:
    """Parse an update; refuse LOAD (the server would fetch a URL) and disallowed SERVICE."""
    from rdflib.plugins.sparql.algebra import translateUpdate
    from rdflib.plugins.sparql.parser import parseUpdate

    try:
        update = translateUpdate(parseUpdate(sparql))
    except Exception as exc:
        raise _malformed(exc) from None
    for operation in getattr(update, "algebra", []):  # an empty update (no operation) reads as a bare []
        if operation.name == "Load":
            raise Refused(403, "LOAD is refused: this endpoint does not fetch URLs; load data with `kg load`")
        _check_services(_service_iris(operation), allowed_services)


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def _term_json(term) -> str:
    """One RDF term as SPARQL 1.1 JSON results write it, compact, byte for byte as Oxigraph's own
    serializer does (so that an answer reads the same whoever wrote it)."""
    kind = type(term)  # the usual kinds first, by exact type: a small answer's time is mostly here
    if kind is ox.NamedNode or isinstance(term, ox.NamedNode):
        return '{"type":"uri","value":' + _json_string(term.value) + "}"
    if kind is ox.Literal or isinstance(term, ox.Literal):
        value = '{"type":"literal","value":' + _json_string(term.value)
        if term.language:
            value += ',"xml:lang":' + _json_string(term.language)
            if term.direction is not None:
                value += ',"its:dir":' + _json_string(term.direction.value)
            return value + "}"
        datatype = term.datatype.value
        return value + ("}" if datatype == _XSD_STRING else ',"datatype":' + _json_string(datatype) + "}")
    if isinstance(term, ox.BlankNode):
        return '{"type":"bnode","value":' + _json_string(term.value) + "}"
    if isinstance(term, ox.Triple):
        return ('{"type":"triple","value":{"subject":' + _term_json(term.subject) + ',"predicate":'
                + _term_json(term.predicate) + ',"object":' + _term_json(term.object) + "}}")
    raise TypeError(f"unexpected term {term!r}")


def serialize_result(result, media_type: str, max_rows: int, stop_after: int | None = None) -> Answer:
    """The answer's bytes in `media_type`, cut at `max_rows` rows or triples (then the header
    `Hitz-Truncated` says so). Rows are read lazily, so a cut also stops the work; TooLong
    as soon as a row past `stop_after` (when given, and below `max_rows`) is read."""
    headers: dict[str, str] = {}
    if isinstance(result, ox.QueryBoolean):
        if media_type not in RESULT_TYPES:
            raise Refused(406, f"cannot answer an ASK query in {media_type}")
        return Answer(200, media_type, result.serialize(format=RESULT_TYPES[media_type]) or b"")
    if isinstance(result, ox.QuerySolutions):
        if media_type not in RESULT_TYPES:
            raise Refused(406, f"cannot answer a SELECT query in {media_type}")
        variables = [v.value for v in result.variables]
        keys = [_json_string(v) + ":" for v in variables]
        rows: list[str] = []
        for solution in result:
            if stop_after is not None and len(rows) == stop_after and stop_after < max_rows:
                raise TooLong()
            if len(rows) == max_rows:
                headers["Hitz-Truncated"] = f"max-rows={max_rows}"
                break
            rows.append("{" + ",".join([key + _term_json(term) for key, term in zip(keys, solution)
                                        if term is not None]) + "}")
        data = ('{"head":{"vars":[' + ",".join(_json_string(v) for v in variables) + ']},"results":{"bindings":['
                + ",".join(rows) + "]}}").encode("utf-8")
        if media_type != "application/sparql-results+json":
            data = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON).serialize(
                format=RESULT_TYPES[media_type]) or b""
        return Answer(200, media_type, data, headers)
    if media_type not in GRAPH_TYPES:
        raise Refused(406, f"cannot answer a CONSTRUCT/DESCRIBE query in {media_type}")
    triples: list[ox.Triple] = []
    for triple in result:
        if len(triples) == max_rows:
            headers["Hitz-Truncated"] = f"max-rows={max_rows}"
            break
        triples.append(triple)
    return Answer(200, media_type, ox.serialize(triples, format=GRAPH_TYPES[media_type]) or b"", headers)


# --- queries cheap enough to answer without a worker ------------------------------------------

INLINE_ROWS = 256  # most rows a query answered in the server process may have; a longer one goes to a worker


class TooLong(Exception):
    """The answer has more rows than a query answered in the server process may have."""


def _term_end(found: list, i: int) -> int | None:
    """The index after the RDF term at found[i] (an IRI, prefixed name, variable, literal or
    `a`), or None when found[i] is not one."""
    token = found[i]
    if token.kind in ("iri", "pname", "var", "number"):
        return i + 1
    if token.kind == "word":
        return i + 1 if token.text in ("a", "true", "false") else None
    if token.kind != "string":
        return None
    if i + 1 < len(found) and found[i + 1].kind == "langtag":
        return i + 2
    if i + 2 < len(found) and found[i + 1].text == "^^" and found[i + 2].kind in ("iri", "pname"):
        return i + 3
    return i + 1


@dataclass(frozen=True)
class Bounded:
    """A query of one triple pattern (bounded_shape): its text up to the pattern's closing
    brace, its LIMIT, whether it is an ASK, and how many variables each of its rows binds."""

    head: str
    limit: int | None
    ask: bool
    bound: int
    relative: bool  # an IRI of the text is relative: it needs the base IRI


@lru_cache(maxsize=1024)
def bounded_shape(sparql: str) -> Bounded | None:
    """Whether a normalised query is one triple pattern, asked by SELECT (without DISTINCT,
    ORDER BY, OFFSET or FROM) or ASK, with no variable twice in the pattern. Such a query is
    answered by one index scan that stops at its first INLINE_ROWS + 1 solutions: its time and
    memory are bounded whatever the store holds, so it needs no worker to be cancelled."""
    from .sparql_text import tokens

    try:
        found = tokens(sparql)
    except Refused:
        return None
    words = [t.text.upper() if t.kind == "word" else None for t in found]
    i = 0
    while i < len(found) and words[i] in ("PREFIX", "BASE"):  # PREFIX p: <iri> / BASE <iri>
        i += 3 if words[i] == "PREFIX" else 2
        if i > len(found) or found[i - 1].kind != "iri":
            return None
    projected: set[str] | None = None  # None: every variable (SELECT *), and ASK
    if i < len(found) and words[i] == "SELECT":
        i += 1
        if i < len(found) and found[i].text == "*":
            i += 1
        else:
            start = i
            while i < len(found) and found[i].kind == "var":
                i += 1
            if i == start:
                return None
            projected = {t.text[1:] for t in found[start:i]}
    elif i < len(found) and words[i] == "ASK":
        i += 1
    else:
        return None
    ask = words[i - 1] == "ASK"
    if i < len(found) and words[i] == "WHERE":
        i += 1
    if i >= len(found) or found[i].text != "{":
        return None
    i += 1
    pattern = []
    for _ in range(3):
        end = _term_end(found, i) if i < len(found) else None
        if end is None:
            return None
        pattern.append(found[i])
        i = end
    if i < len(found) and found[i].text == ".":
        i += 1
    if i >= len(found) or found[i].text != "}":
        return None
    close = found[i]
    i += 1
    limit = None
    if i + 1 < len(found) and words[i] == "LIMIT" and found[i + 1].kind == "number" and found[i + 1].text.isdigit():
        limit = int(found[i + 1].text)
        i += 2
    variables = [t.text[1:] for t in pattern if t.kind == "var"]
    if i != len(found) or len(variables) != len(set(variables)) or pattern[1].kind == "string":
        return None
    bound = len(variables) if projected is None else len(projected & set(variables))
    relative = any(t.kind == "iri" and not _ABSOLUTE.match(t.text, 1) for t in found)
    return Bounded(sparql[:close.start + 1], limit, ask, bound, relative)


_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:")  # an IRI's scheme


# Every binding in a JSON results document is at least this long ("name":{"type":"uri","value":""}
# with the shortest name), so an answer shorter than n rows of such bindings has fewer than n rows.
_SHORTEST_BINDING = len('"v":{"type":"uri","value":""}')


def _small_answer(store, sparql: str, most: int, default_graphs: list[str] | None, named_graphs: list[str] | None,
                  base_iri: str | None) -> Answer | None:
    """A bounded SELECT's JSON answer, written by Oxigraph's own serializer from a scan cut at
    `most` + 1 rows (the text is the checked one, its LIMIT lowered); None when it may have
    more than `most` rows (then the answer is read row by row, and cut or handed on)."""
    shape = bounded_shape(sparql)
    if shape is None or shape.ask or not shape.bound:
        return None
    cap = most + 1
    limit = cap if shape.limit is None else min(shape.limit, cap)
    result = store.query(f"{shape.head} LIMIT {limit}", default_graphs=default_graphs, named_graphs=named_graphs,
                         base_iri=base_iri if shape.relative else None)  # parsing a base IRI has its cost
    if not isinstance(result, ox.QuerySolutions):  # not an embedded store's answer
        return None
    data = result.serialize(format=ox.QueryResultsFormat.JSON) or b""
    if limit < cap or len(data) < cap * shape.bound * _SHORTEST_BINDING:  # fewer than `cap` rows
        return Answer(200, _JSON, data)
    return None


def answer_inline(store, sparql: str, *, accept: str | None, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, allowed_services: frozenset[str] = frozenset(),
                  max_rows: int = 10000, base_iri: str | None = None) -> Answer | None:
    """answer_query for a query of bounded_shape, in the calling process: None when its answer
    would have more than INLINE_ROWS rows (then it is for a worker, which the row limit binds)."""
    try:
        return answer_query(store, sparql, accept=accept, default_graphs=default_graphs, named_graphs=named_graphs,
                            allowed_services=allowed_services, max_rows=max_rows, base_iri=base_iri,
                            inline_rows=INLINE_ROWS)
    except TooLong:
        return None


def answer_query(store, sparql: str, *, accept: str | None, default_graphs: list[str] | None = None,
                 named_graphs: list[str] | None = None, allowed_services: frozenset[str] = frozenset(),
                 max_rows: int = 10000, base_iri: str | None = None, inline_rows: int | None = None) -> Answer:
    """Check, run and serialise one query on `store` (a kg.store LocalStore or RemoteStore);
    relative IRIs resolve against `base_iri` (the endpoint's URL, as the Protocol allows);
    TooLong when `inline_rows` is given and the answer has more rows than that.
    What runs is the normalised text (kg.sparql_text), the same that rdflib checks.
    Every refusal is an Answer with its status and a one-line text/plain reason."""
    try:
        sparql = checked_text(sparql, allowed_services)
        kind = inspect_query(sparql, allowed_services)
        media_type = negotiate(accept, kind)
        if inline_rows is not None and media_type == _JSON:
            small = _small_answer(store, sparql, min(inline_rows, max_rows), default_graphs, named_graphs, base_iri)
            if small is not None:
                return small
        result = store.query(sparql, default_graphs=default_graphs, named_graphs=named_graphs, base_iri=base_iri)
        return serialize_result(result, media_type, max_rows, inline_rows)
    except Refused as exc:
        return Answer(exc.status, "text/plain", (exc.message + "\n").encode("utf-8"))
    except QueryError as exc:
        message = str(exc).removeprefix("query: ")
        return Answer(400, "text/plain", (message + "\n").encode("utf-8"))
    except StoreError as exc:
        return Answer(502, "text/plain", (f"the store failed: {exc}\n").encode())
