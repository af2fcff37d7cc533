"""Readers of the W3C SPARQL 1.1 test manifests in ../shared/w3c (Protocol, Service
Description, Graph Store HTTP Protocol): each test as plain requests and expected responses."""

from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import RDF, RDFS, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.term import Node

W3C = Path(__file__).resolve().parent.parent.parent / "shared" / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None
    statuses: tuple[str, ...] = ()  # status classes ("2", "3", "4") or exact codes ("201")
    result_format: str | None = None  # "boolean", "tabular", "RDF"
    boolean: bool | None = None
    expected_body: str | None = None  # Turtle the answer must be isomorphic to (Graph Store tests)


@dataclass
class W3CTest:
    suite: str
    name: str
    title: str
    requests: list[Request]
    graphs: dict[str, Path] = field(default_factory=dict)  # graph IRI -> N-Triples file to load first


def _manifest(folder: Path) -> tuple[Graph, list[Node]]:
    graph = Graph().parse(folder / "manifest.ttl", format="turtle")
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    entries = _members(graph, graph.value(manifest, MF.entries))
    if not entries:
        raise ValueError(f"{folder / 'manifest.ttl'}: the manifest lists no tests (mf:entries)")
    return graph, entries


def _members(graph: Graph, head: Node | None) -> list[Node]:
    """The members of the RDF list that starts at `head`; none where there is no list."""
    return list(Collection(graph, head)) if head is not None else []


def _local(iri) -> str:
    return str(iri).rsplit("#", 1)[-1]


def protocol_tests(folder: Path = W3C / "sparql11-protocol") -> list[W3CTest]:
    """The SPARQL 1.1 Protocol tests: ht:Request lists with mf:expectedStatus/Format/Boolean."""
    g, entries = _manifest(folder)
    tests = []
    for test in entries:
        graphs = {str(g.value(d, RDFS.label)): Path(urllib.parse.urlsplit(str(g.value(d, UT.graph))).path)
                  for d in g.objects(test, UT.graphData)}
        requests = []
        for r in _members(g, g.value(g.value(test, MF.action), HT.requests)):
            headers = {}
            for h in _members(g, g.value(r, HT.headers)):
                headers[str(g.value(h, HT.fieldName))] = str(g.value(h, HT.fieldValue))
            body = None
            if (b := g.value(r, HT.body)) is not None:
                encoding = str(g.value(b, CNT.characterEncoding) or "UTF-8")
                body = str(g.value(b, CNT.chars)).encode(encoding.lower())
            response = g.value(r, HT.resp)
            statuses = tuple(sorted(_local(s).removeprefix("StatusCode")[0]
                                    for s in g.objects(response, MF.expectedStatus)))
            expected = g.value(response, MF.expectedBoolean)
            fmt = g.value(response, MF.expectedFormat)
            requests.append(Request(str(g.value(r, HT.methodName)), str(g.value(r, HT.absolutePath)), headers,
                                    body, statuses, str(fmt) if fmt is not None else None,
                                    bool(expected.toPython()) if isinstance(expected, Literal) else None))
        tests.append(W3CTest("sparql11-protocol", _local(test), str(g.value(test, MF.name)), requests, graphs))
    return tests


def service_description_tests(folder: Path = W3C / "sparql11-service-description") -> list[W3CTest]:
    """The Service Description tests: names only; what each checks is in the runner."""
    g, entries = _manifest(folder)
    return [W3CTest("sparql11-service-description", _local(t), str(g.value(t, MF.name)),
                    [Request("GET", "/sparql/", {"Accept": "text/turtle"})]) for t in entries]


_EXCHANGE = re.compile(r"#### Request\s*\n(?P<request>.*?)#### Response\s*\n(?P<response>.*)", re.DOTALL)


def _http_text(text: str) -> tuple[str, dict[str, str], str]:
    """First line, headers and body of an HTTP message written out in a manifest comment."""
    lines = [line[4:] if line.startswith("    ") else line.strip() for line in text.strip("\n").splitlines()]
    first, headers, i = lines[0].strip(), {}, 1
    while i < len(lines) and lines[i].strip() and re.match(r"^[A-Za-z-]+:\s", lines[i]):
        name, value = lines[i].split(":", 1)
        headers[name.strip()] = value.strip()
        i += 1
    return first, headers, "\n".join(lines[i:]).strip()


def graph_store_tests(folder: Path = W3C / "sparql11-graph-store") -> list[W3CTest]:
    """The Graph Store HTTP Protocol tests, read from their Markdown comments ($GRAPHSTORE$,
    $HOST$ and $NEWPATH$ are left for the runner to fill in)."""
    g, entries = _manifest(folder)
    tests = []
    for test in entries:
        text = next((str(c) for c in g.objects(test, RDFS.comment) if "#### Request" in str(c)), "")
        exchange = _EXCHANGE.search(text)
        if exchange is None:
            raise ValueError(f"{folder / 'manifest.ttl'}: {_local(test)} has no request and response in its comment")
        request_line, headers, body = _http_text(exchange["request"])
        status_line, response_headers, expected = _http_text(exchange["response"])
        method, path = request_line.split()[:2]
        headers.pop("Host", None)
        if "boundary=" in headers.get("Content-Type", ""):  # multipart bodies need CRLF line ends
            body = body.replace("\n", "\r\n")
        requests = [Request(method, path, headers, body.encode() if body else None,
                            (status_line.split()[0],), response_headers.get("Content-Type"),
                            None, expected or None)]
        tests.append(W3CTest("sparql11-graph-store", _local(test), str(g.value(test, MF.name)), requests))
    return tests
