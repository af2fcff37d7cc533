"""The one client hitz-kg asks other SPARQL endpoints with (a remote store, Wikidata).

Queries go through SPARQLWrapper, updates and Graph Store Protocol uploads through urllib;
both send one User-Agent, wait by one timeout policy (whole seconds, at least one), take
``user:password@`` in a URL as HTTP Basic credentials, and fail with an
:class:`~kg.errors.EndpointError` whose message names the URL with its credentials masked.
"""

from __future__ import annotations

import base64
import json
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from email.message import Message

from . import __version__
from .errors import EndpointError

USER_AGENT = f"hitz-kg/{__version__} (https://w3id.org/hitz)"
DEFAULT_TIMEOUT = 30.0
LONG_QUERY = 1500  # characters beyond which a query is sent by POST rather than in the URL

_USERINFO = re.compile(r"(?<=://)[^/\s?#<>\"']*@")


def mask_credentials(text: str) -> str:
    """The text with the user:password@ of every URL in it replaced by ***@ (for messages and logs)."""
    return _USERINFO.sub("***@", text)


def split_credentials(url: str) -> tuple[str, dict[str, str]]:
    """A URL without user:password@, and the Basic Authorization header they stood for."""
    parts = urllib.parse.urlsplit(url)
    if not parts.username:
        return url, {}
    netloc = (parts.hostname or "") + (f":{parts.port}" if parts.port else "")
    token = base64.b64encode(
        f"{urllib.parse.unquote(parts.username)}:{urllib.parse.unquote(parts.password or '')}".encode()).decode()
    return urllib.parse.urlunsplit(parts._replace(netloc=netloc)), {"Authorization": f"Basic {token}"}


def timeout_seconds(timeout: float) -> int:
    """The timeout policy: whole seconds (what SPARQLWrapper takes), never less than one."""
    return max(1, round(timeout))


def reason(exc: BaseException) -> str:
    """A short reason for a failed HTTP exchange."""
    if isinstance(exc, urllib.error.HTTPError):
        try:
            body = exc.read().decode("utf-8", "replace").strip().splitlines()
        except Exception:
            body = []
        return f"HTTP {exc.code} {exc.reason}" + (f": {body[0][:200]}" if body else "")
    if isinstance(exc, urllib.error.URLError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    if isinstance(exc, (socket.timeout, TimeoutError)):
        return "no answer in time"
    if isinstance(exc, ConnectionRefusedError):
        return "cannot be reached: connection refused (is it running?)"
    if isinstance(exc, (socket.gaierror, ConnectionError)):
        return f"cannot be reached ({exc})"
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def wrapper_reason(exc: BaseException) -> str:
    """SPARQLWrapper's error in one line: its kind and what the endpoint answered."""
    text = str(exc).strip()
    kind = text.split(":", 1)[0]
    answer = text.split("Response:", 1)[1].strip() if "Response:" in text else ""
    if answer.startswith(("b'", 'b"')):
        answer = answer[2:-1].encode("latin-1", "replace").decode("unicode_escape", "replace")
    answer = " ".join(answer.split())
    return f"{kind}: {answer[:300]}" if answer else kind


# the HTTP status behind each of SPARQLWrapper's own exceptions (others come as urllib's HTTPError)
_WRAPPER_STATUS = {"QueryBadFormed": 400, "Unauthorized": 401, "EndPointNotFound": 404,
                   "URITooLong": 414, "EndPointInternalError": 500}


def _retry_after(headers: Message | None) -> float | None:
    value = headers.get("Retry-After") if headers is not None else None
    return float(value) if value and value.strip().isdigit() else None


@dataclass(frozen=True)
class Response:
    """What an endpoint answered: the body as it came, its media type, and whether a graph
    (CONSTRUCT, DESCRIBE) rather than solutions (SELECT, ASK) was asked for."""

    body: bytes
    media_type: str
    graph_result: bool


def request(endpoint: str, sparql: str, *, graph_result: bool | None = None, accept: str | None = None,
            default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
            timeout: float = DEFAULT_TIMEOUT, post: bool = False, source: str = "query") -> Response:
    """Send one query by the SPARQL 1.1 Protocol: GET, or a URL-encoded POST when `post` is set
    or the query is long; `graph_result` (default: read from the query) picks the Accept header."""
    from SPARQLWrapper import JSON, N3, POST, SPARQLWrapper
    from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

    url, headers = split_credentials(endpoint)
    shown = mask_credentials(endpoint)
    client = SPARQLWrapper(url, agent=USER_AGENT)
    for name, value in headers.items():
        client.addCustomHttpHeader(name, value)
    client.setTimeout(timeout_seconds(timeout))
    client.setOnlyConneg(True)
    client.setQuery(sparql)
    for graph in default_graphs or []:
        client.addDefaultGraph(graph)
    for graph in named_graphs or []:
        client.addNamedGraph(graph)
    if graph_result is None:
        graph_result = client.queryType in ("CONSTRUCT", "DESCRIBE")
    client.setReturnFormat(N3 if graph_result else JSON)
    if accept is None and graph_result:  # N-Triples first: the simplest to read back, every store speaks it
        accept = "application/n-triples, text/turtle;q=0.9"
    if accept:
        client.addCustomHttpHeader("Accept", accept)
    if post or len(sparql) > LONG_QUERY:
        client.setMethod(POST)
    try:
        response = client.query().response
        body = response.read()
        media_type = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
    except SPARQLWrapperException as exc:
        status = _WRAPPER_STATUS.get(type(exc).__name__)
        raise EndpointError(f"{shown}: {source} refused: {mask_credentials(wrapper_reason(exc))}",
                            status) from None
    except urllib.error.HTTPError as exc:
        raise EndpointError(f"{shown}: {source} failed: {mask_credentials(reason(exc))}", exc.code,
                            _retry_after(exc.headers)) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise EndpointError(f"{shown}: {source} failed: {mask_credentials(reason(exc))}") from None
    return Response(body, media_type, graph_result)


def select(endpoint: str, sparql: str, *, timeout: float = DEFAULT_TIMEOUT, post: bool = True,
           source: str = "query") -> list[dict[str, dict]]:
    """The bindings of a SELECT (SPARQL 1.1 Query Results JSON), each {variable: {type, value, ...}}."""
    answer = request(endpoint, sparql, graph_result=False, timeout=timeout, post=post, source=source)
    try:
        return json.loads(answer.body)["results"]["bindings"]
    except (ValueError, KeyError, TypeError) as exc:
        raise EndpointError(f"{mask_credentials(endpoint)}: {source}: unreadable answer "
                            f"({answer.media_type or 'no media type'}): {str(exc).splitlines()[0]}") from None


def send(method: str, url: str, body: bytes, headers: dict[str, str], *, timeout: float = DEFAULT_TIMEOUT,
         what: str = "the request") -> None:
    """Send an update or a Graph Store Protocol request (credentials in `url` become Basic auth)."""
    target, auth = split_credentials(url)
    http_request = urllib.request.Request(target, data=body, method=method,
                                          headers={**auth, **headers, "User-Agent": USER_AGENT})
    try:
        with urllib.request.urlopen(http_request, timeout=timeout_seconds(timeout)) as response:
            response.read()
    except urllib.error.HTTPError as exc:
        raise EndpointError(f"{mask_credentials(url)}: {what} failed: {mask_credentials(reason(exc))}",
                            exc.code, _retry_after(exc.headers)) from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise EndpointError(f"{mask_credentials(url)}: {what} failed: {mask_credentials(reason(exc))}") from None
