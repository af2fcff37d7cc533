"""The read side of the SPARQL 1.1 Graph Store HTTP Protocol for `kg serve`: GET and HEAD of
one graph at /store?graph=IRI (indirect), /store?default, or /store/PATH (direct: the graph
named by the request's own URL). Writes (PUT, POST, DELETE) are refused with 405: data is
loaded by `kg load`, or changed by SPARQL Update behind --allow-update and its token.

A graph is read by a CONSTRUCT through the same query path as /sparql (worker processes,
time and row limits), so the endpoint's safety defaults hold here too.
"""

from __future__ import annotations

import json
import re
import urllib.parse
from collections.abc import Awaitable, Callable

from .endpoint import Answer, Refused, negotiate

READ_METHODS = ("GET", "HEAD")
_IRI = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*:[^\x00-\x20<>\"{}|^`\\]*")


def graph_of(method: str, url: str, query_string: bytes) -> str | None:
    """The graph a request names: its IRI, or None for the default graph; Refused otherwise."""
    if method not in READ_METHODS:
        raise Refused(405, "the Graph Store Protocol is read-only here (GET, HEAD): load data with "
                           "`kg load`, or change it by SPARQL Update at /sparql (--allow-update)")
    try:
        params = urllib.parse.parse_qs(query_string.decode("utf-8"), keep_blank_values=True,
                                       errors="strict")
    except UnicodeDecodeError:
        raise Refused(400, "the query string is not valid UTF-8") from None
    graphs, default = params.get("graph", []), "default" in params
    if len(graphs) + default > 1:
        raise Refused(400, "name one graph: graph=IRI or default, once")
    path = urllib.parse.urlsplit(url).path.rstrip("/")
    if graphs or default:
        if path != "/store":
            raise Refused(400, "graph= and default are for /store itself, not /store/PATH")
        if default:
            return None
        if not _IRI.fullmatch(graphs[0]):
            raise Refused(400, f"graph {graphs[0]!r} is not an absolute IRI")
        return graphs[0]
    if path == "/store":
        raise Refused(400, "name a graph: /store?graph=IRI, /store?default, or /store/PATH")
    direct = url.split("?", 1)[0]
    if not _IRI.fullmatch(direct):
        raise Refused(400, f"{direct!r} is not an IRI that can name a graph")
    return direct


def graph_query(graph: str | None) -> str:
    """The CONSTRUCT that reads one graph (None: the service's default graph, which is the
    union of the store's graphs, as at /sparql)."""
    if graph is None:
        return "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    return f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def exists_query(graph: str) -> str:
    return f"ASK {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


def media_type(accept: str | None) -> str:
    """The RDF media type to answer in, or Refused(406)."""
    return negotiate(accept, "graph")


def not_found(graph: str) -> Answer:
    return Answer(404, "text/plain", f"no graph <{graph}> in this store\n".encode())


Ask = Callable[[str, str | None, list[str] | None, list[str] | None], Awaitable[Answer]]


async def read_graph(ask: Ask, method: str, url: str, query_string: bytes, accept: str | None) -> Answer:
    """Answer one Graph Store Protocol request by asking `ask` (the endpoint's query path)."""
    try:
        graph = graph_of(method, url, query_string)
        media = media_type(accept)
    except Refused as exc:
        headers = {"Allow": ", ".join(READ_METHODS)} if exc.status == 405 else {}
        return Answer(exc.status, "text/plain", (exc.message + "\n").encode(), headers)
    if graph is not None:
        found = await ask(exists_query(graph), "application/sparql-results+json", None, None)
        if found.status != 200:
            return found
        if not json.loads(found.body)["boolean"]:
            return not_found(graph)
    answer = await ask(graph_query(graph), media, None, None)
    if method == "HEAD":
        answer.headers["Content-Length"] = str(len(answer.body))
        answer.body = b""
    return answer
