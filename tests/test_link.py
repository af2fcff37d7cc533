"""Link discovery and checking against a real Oxigraph server loaded with a Wikidata-shaped fixture.

The fixture (tests/fixtures/wikidata.ttl) holds the true items and decoys with
similar labels; nothing here reaches the internet except the test marked
`network`, which is skipped offline.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from kg.cli import cli
from kg.errors import StoreError
from kg.link import USER_AGENT, Endpoint
from kg.namespaces import HITZ

from kg.testing import free_port, oxigraph_server
from shapecases import only_shapes
from conftest import literal

FIXTURE = Path(__file__).parent / "fixtures" / "wikidata.ttl"
WD = "http://www.wikidata.org/entity/"
LINKS = """@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://w3id.org/hitz/id/place/china> owl:sameAs <http://www.wikidata.org/entity/Q148> .
<https://w3id.org/hitz/id/place/hunan> owl:sameAs <http://www.wikidata.org/entity/Q45761> .
"""


@pytest.fixture(scope="module")
def wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The query URL of a local Oxigraph server holding the Wikidata-shaped fixture."""
    with oxigraph_server(tmp_path_factory.mktemp("wikidata")) as server:
        base = server.url
        request = urllib.request.Request(base + "/store?default", data=FIXTURE.read_bytes(),
                                         headers={"Content-Type": "text/turtle"}, method="PUT")
        urllib.request.urlopen(request, timeout=10)
        yield base + "/query"


@pytest.fixture
def linked_copy(project_copy):
    """A project copy whose China and Hunan are linked, as place containment needs."""
    links = project_copy.root / "data" / "links"
    links.mkdir(parents=True, exist_ok=True)
    (links / "test-places.ttl").write_text(LINKS, encoding="utf-8")
    return project_copy


def kg(project, *args):
    return CliRunner().invoke(cli, ["--root", str(project.root), *args], catch_exceptions=False)


def rows_of(output: str, entity: str) -> list[str]:
    """The table lines of one entity: its first line and the candidate lines after it."""
    lines = output.splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith(entity + " "))
    block = [lines[start]]
    for line in lines[start + 1:]:
        if not line.startswith(" "):
            break
        block.append(line)
    return block


def test_discover_ranks_the_true_city_first_and_the_decoys_below(linked_copy, wikidata):
    result = kg(linked_copy, "link", "discover", "--endpoint", wikidata, "--delay", "0",
                "--type", "schema:City", "--fuzzy")
    assert result.exit_code == 0, result.output
    block = rows_of(result.output, "place/changsha")
    assert "1. wd:Q900000001" in block[0] and "1.000" in block[0]
    decoys = {"wd:Q900000002", "wd:Q900000003", "wd:Q900000009"}  # county, ship, railway station
    assert {c for line in block[1:] for c in decoys if c in line} == decoys
    assert all(float(line.split()[-4]) < 0.9 for line in block[1:])


def test_discover_refuses_a_ministry_of_another_country(linked_copy, wikidata):
    result = kg(linked_copy, "link", "discover", "--endpoint", wikidata, "--delay", "0", "--type", "hitz:Ministry")
    assert result.exit_code == 0, result.output
    block = rows_of(result.output, "org/most")
    assert "1. wd:Q900000004" in block[0]
    assert "wd:Q900000010" in block[1] and "no" in block[1].split()[-1]  # not in China


def test_accept_writes_a_linkset_of_the_best_candidates_only(linked_copy, wikidata, tmp_path: Path):
    out = tmp_path / "discovered.ttl"
    result = kg(linked_copy, "link", "discover", "--endpoint", wikidata, "--delay", "0",
                "--accept", "0.9", "-o", str(out))
    assert result.exit_code == 0, result.output
    links = Graph().parse(out)
    found = {str(s).rsplit("/id/", 1)[1]: str(o)[len(WD):] for s, o in links.subject_objects(OWL.sameAs)}
    # Xi Jinping is already linked (data/links/wikidata.ttl), so he is not rediscovered
    assert found == {"place/changsha": "Q900000001", "org/most": "Q900000004", "org/china-daily": "Q900000006"}
    # a field is a concept, not an individual: its link is skos:closeMatch
    concepts = {str(s).rsplit("/id/", 1)[1]: str(o)[len(WD):] for s, o in links.subject_objects(SKOS.closeMatch)}
    assert concepts == {"field/beidou": "Q900000008"}
    scores = [float(literal(s)) for s in links.objects(None, HITZ.score)]
    assert len(scores) == 4 and min(scores) >= 0.9


def test_check_flags_a_wrong_link_and_a_dangling_one(linked_copy, wikidata):
    extra = linked_copy.root / "data" / "links" / "test-wrong.ttl"
    extra.write_text("""@prefix owl: <http://www.w3.org/2002/07/owl#> .
<https://w3id.org/hitz/id/place/changsha> owl:sameAs <http://www.wikidata.org/entity/Q900000002> .
<https://w3id.org/hitz/id/org/china-daily> owl:sameAs <http://www.wikidata.org/entity/Q900000999> .
<https://w3id.org/hitz/id/person/xi-jinping> owl:sameAs <http://www.wikidata.org/entity/Q900000003> .
""", encoding="utf-8")
    result = kg(linked_copy, "link", "check", "--endpoint", wikidata, "--delay", "0")
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()

    def line(target: str) -> str:
        return next(text for text in lines if target in text)

    for verified in ("wd:Q148", "wd:Q45761", "wd:Q15031", "wd:Q211382", "wd:Q87719492", "wd:Q39099"):
        assert line(verified).startswith("ok"), line(verified)
    # Changsha County: a label close to ours (长沙县 ~ 长沙) but a county, not a city
    assert line("wd:Q900000002").startswith("suspicious") and "county of China" in line("wd:Q900000002")
    # a ship called Changsha for Xi Jinping: neither label nor type fits
    assert line("wd:Q900000003").startswith("broken") and "'Changsha'" in line("wd:Q900000003")
    assert line("wd:Q900000999").startswith("broken") and "does not exist" in line("wd:Q900000999")


def test_check_passes_when_every_link_fits(linked_copy, wikidata):
    result = kg(linked_copy, "link", "check", "--endpoint", wikidata, "--delay", "0")
    assert result.exit_code == 0, result.output
    assert "0 broken" in result.output


def test_an_unreachable_endpoint_is_one_line(linked_copy):
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = kg(linked_copy, "link", "check", "--endpoint", url, "--delay", "0", "--timeout", "2")
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert "cannot be reached" in result.output


class Overloaded(http.server.BaseHTTPRequestHandler):
    """Answers 429 twice, then an empty SPARQL result; remembers each request's User-Agent."""

    calls: list[str] = []

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        Overloaded.calls.append(self.headers.get("User-Agent", ""))
        if len(Overloaded.calls) <= 2:
            self.send_response(429)
            self.send_header("Retry-After", "0")
            self.end_headers()
            return
        body = json.dumps({"head": {"vars": ["x"]}, "results": {"bindings": []}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def test_429_is_retried_with_back_off_and_a_user_agent():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Overloaded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Overloaded.calls = []
    pauses: list[float] = []
    try:
        endpoint = Endpoint(f"http://127.0.0.1:{server.server_port}/sparql", delay=0, sleep=pauses.append)
        assert endpoint.select("SELECT ?x WHERE {}") == []
    finally:
        server.shutdown()
    assert len(Overloaded.calls) == 3
    assert set(Overloaded.calls) == {USER_AGENT}
    assert pauses == [0.0, 0.0]  # Retry-After: 0 is honoured


def test_gives_up_after_the_retries_with_a_clear_message():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Overloaded)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Overloaded.calls = []
    try:
        endpoint = Endpoint(f"http://127.0.0.1:{server.server_port}/sparql", delay=0, retries=1, sleep=lambda s: None)
        with pytest.raises(StoreError, match="HTTP 429"):
            endpoint.select("SELECT ?x WHERE {}")
    finally:
        server.shutdown()


@pytest.mark.network
def test_the_published_links_hold_on_the_real_wikidata(project):
    result = CliRunner().invoke(cli, ["link", "check"], catch_exceptions=False)
    assert result.exit_code == 0, result.output


WIKIDATA_LINKS = "data/links/wikidata.ttl"


@pytest.mark.parametrize("old, new, message", [
    # a Wikidata page address is not an entity identifier
    ("wd:Q148", "<https://www.wikidata.org/wiki/Q148>", "is not an identifier of the link set's target dataset"),
    # two Wikidata items for one place: at most one can be right
    ("<https://w3id.org/hitz/id/place/china> owl:sameAs wd:Q148 .",
     "<https://w3id.org/hitz/id/place/china> owl:sameAs wd:Q148 .\n"
     "<https://w3id.org/hitz/id/place/china> owl:sameAs wd:Q45761 .\n"
     "<https://w3id.org/hitz/id/link/wikidata/china-2> a hitz:LinkVerification ; "
     "dcterms:isPartOf <https://w3id.org/hitz/id/linkset/wikidata> ; rdf:subject <https://w3id.org/hitz/id/place/china> ; "
     "rdf:predicate owl:sameAs ; rdf:object wd:Q45761 ; prov:wasDerivedFrom <https://example.org/> .",
     "more than one item of the same dataset"),
    # a link nobody verified
    ("<https://w3id.org/hitz/id/place/hunan> owl:sameAs wd:Q45761 .",
     "<https://w3id.org/hitz/id/place/hunan> owl:sameAs wd:Q45761 .\n"
     "<https://w3id.org/hitz/id/org/most> owl:sameAs wd:Q123 .",
     "has no verification record"),
])
def test_the_shapes_refuse_bad_links(project_copy, old, new, message):
    from kg.build import check

    path = project_copy.root / WIKIDATA_LINKS
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")
    only_shapes(project_copy, "links.ttl")
    report = check(project_copy).report
    assert not report.conforms
    assert any(message in v.message for v in report.violations), report.lines()


def test_every_link_set_is_its_own_named_graph_with_its_count(built):
    from rdflib.namespace import VOID

    for name, count in (("wikidata", 6), ("geonames", 3)):
        graph = built.dataset.graph(URIRef(f"https://w3id.org/hitz/id/graph/links/{name}"))
        linkset = URIRef(f"https://w3id.org/hitz/id/linkset/{name}")
        assert (linkset, RDF.type, VOID.Linkset) in graph
        assert int(graph.value(linkset, VOID.triples)) == count


class CountingEndpoint(Endpoint):
    """A real endpoint that counts the requests it sends."""

    requests = 0

    def select(self, query: str):
        self.requests += 1
        return super().select(query)


def test_discovery_asks_in_batches_with_the_same_ranking(linked_copy, wikidata):
    from kg.build import assemble
    from kg.link import discover
    from kg.rdfio import union_of

    graph = union_of(assemble(linked_copy))
    one_by_one, batched = CountingEndpoint(wikidata, delay=0), CountingEndpoint(wikidata, delay=0)
    singles = discover(graph, one_by_one, batch=1)
    together = discover(graph, batched, batch=50)
    # one request for the candidates and one to describe them, per batch (none to describe nothing)
    assert batched.requests == 2 and one_by_one.requests >= len(singles) > 2

    def rank(ranked):
        return {e.iri: [(c.item, c.score) for c in cands] for e, cands in ranked}

    assert rank(together) == rank(singles)
