"""The linked-data site of `kg serve`, over plain HTTP: /id/ IRIs answer 303 to /doc/
documents that negotiate every RDF format and HTML, with suffixes, Vary, Link, ETag/304,
404 and 406; the pages escape what the graph says and run no inline script; the w3id rules
send every kind of IRI to a route the server answers."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from kg.testing import Server
from kg.web.w3id import htaccess, resolve
from conftest import ROOT, ServerStarter

ID = Namespace("https://w3id.org/hitz/id/")
HITZ = Namespace("https://w3id.org/hitz/ontology#")
SCHEMA = Namespace("http://schema.org/")
CHANGSHA_ZONE = ID["zone/changsha"]
RDF_TYPES = {"text/turtle": "turtle", "application/ld+json": "json-ld", "application/n-triples": "nt",
             "application/rdf+xml": "xml"}
SUFFIXES = {"ttl": "text/turtle", "jsonld": "application/ld+json", "nt": "application/n-triples",
            "rdf": "application/rdf+xml", "html": "text/html"}
PAGES = ["/", "/dashboard", "/doc/ontology", "/query", "/search?q=changsha", "/doc/zone/changsha",
         "/doc/indicator/gdp", "/doc/article/hitz-2022", "/doc/obs/zones-2012", "/index/zones",
         "/resource?iri=http%3A%2F%2Freference.data.gov.uk%2Fid%2Fyear%2F2021"]


@pytest.fixture(scope="module")
def site(serve: ServerStarter) -> Iterator[Server]:
    with serve("--workers", "2") as running:
        yield running


def get(site, path: str, **headers) -> httpx.Response:
    return httpx.get(site.url + path, headers=headers, follow_redirects=False, timeout=30)


def parse(response: httpx.Response, fmt: str) -> Graph:
    return Graph().parse(data=response.text, format=fmt)


# -- dereferencing ------------------------------------------------------------------------

def test_an_id_iri_answers_see_other_to_its_document(site):
    response = get(site, "/id/zone/changsha", Accept="text/turtle")
    assert response.status_code == 303
    assert response.headers["location"] == "/doc/zone/changsha"


@pytest.mark.parametrize("media_type", RDF_TYPES)
def test_the_document_negotiates_each_rdf_format(site, media_type):
    """Like `curl -sL -H 'Accept: ...' /id/zone/changsha`: the zone's own triples, the labels of
    what it points to, and what points at it."""
    response = httpx.get(site.url + "/id/zone/changsha", headers={"Accept": media_type}, follow_redirects=True)
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    assert "Accept" in response.headers["vary"]
    assert response.headers["content-location"].startswith("/doc/zone/changsha.")
    graph = parse(response, RDF_TYPES[media_type])
    assert (CHANGSHA_ZONE, RDF.type, HITZ.NationalHighTechZone) in graph
    assert (CHANGSHA_ZONE, SCHEMA.containedInPlace, ID["place/changsha"]) in graph
    assert (ID["place/changsha"], SKOS.prefLabel, Literal("Changsha", lang="en")) in graph  # a neighbour's label
    assert (ID["policy/changsha-talent-investment"], HITZ.policyMaker, CHANGSHA_ZONE) in graph  # incoming


def test_json_ld_is_compacted_with_the_project_context(site):
    data = json.loads(get(site, "/doc/zone/changsha", Accept="application/ld+json").text)
    context = json.loads((ROOT / "ontology" / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    assert data["@context"] == context
    assert "containedInPlace" in json.dumps(data)  # a term of the context, not the full IRI


@pytest.mark.parametrize("suffix, media_type", SUFFIXES.items())
def test_suffixes_choose_the_format(site, suffix, media_type):
    response = get(site, f"/doc/zone/changsha.{suffix}", Accept="image/png")  # the suffix wins over Accept
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{media_type}; charset=utf-8"
    if suffix != "html":
        assert (CHANGSHA_ZONE, RDF.type, HITZ.NationalHighTechZone) in parse(response, RDF_TYPES[media_type])
    else:
        assert "Changsha national high-tech zone" in response.text


def test_a_browser_gets_html_and_link_headers_name_every_format(site):
    response = get(site, "/doc/zone/changsha", Accept="text/html,application/xhtml+xml,*/*;q=0.8")
    assert response.headers["content-type"] == "text/html; charset=utf-8"
    links = response.headers["link"]
    for suffix, media_type in SUFFIXES.items():
        assert f'</doc/zone/changsha.{suffix}>; rel="alternate"; type="{media_type}"' in links


def test_etag_and_not_modified(site):
    first = get(site, "/doc/zone/changsha", Accept="text/turtle")
    tag = first.headers["etag"]
    again = get(site, "/doc/zone/changsha", Accept="text/turtle", **{"If-None-Match": tag})
    assert again.status_code == 304 and again.content == b"" and again.headers["etag"] == tag
    other = get(site, "/doc/zone/changsha", Accept="application/n-triples", **{"If-None-Match": tag})
    assert other.status_code == 200 and other.headers["etag"] != tag


def test_unknown_iris_get_a_helpful_404(site):
    page = get(site, "/id/zone/atlantis", Accept="text/html")
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "https://w3id.org/hitz/id/zone/atlantis" in page.text and "/search?q=atlantis" in page.text
    assert get(site, "/doc/zone/atlantis.ttl").status_code == 404
    plain = get(site, "/doc/zone/atlantis", Accept="text/turtle")
    assert plain.status_code == 404 and plain.headers["content-type"].startswith("text/plain")


def test_a_type_not_served_gets_406(site):
    response = get(site, "/doc/zone/changsha", Accept="image/png")
    assert response.status_code == 406
    assert "text/turtle" in response.text and "application/ld+json" in response.text


def test_the_ontology_dereferences_with_its_documentation(site):
    redirect = get(site, "/ontology", Accept="text/turtle")
    assert redirect.status_code == 303 and redirect.headers["location"] == "/doc/ontology"
    graph = parse(get(site, "/doc/ontology", Accept="text/turtle"), "turtle")
    assert (HITZ.NationalHighTechZone, RDF.type, OWL.Class) in graph
    page = get(site, "/doc/ontology").text
    assert 'id="NationalHighTechZone"' in page and 'id="indicator"' in page
    assert "Subclass of" in page and "Domain" in page and "Range" in page
    assert "shape:" in page  # the SHACL shapes that constrain the class
    assert "http://purl.org/linked-data/cube#" in page  # the vocabularies reused


# -- pages ------------------------------------------------------------------------------------

class Links(HTMLParser):
    """Every script, link target and inline handler of a page."""

    def __init__(self):
        super().__init__()
        self.scripts, self.urls, self.handlers, self.inline_styles = [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script":
            self.scripts.append(attrs.get("src"))
        for name in ("href", "src", "action"):
            if attrs.get(name) is not None:
                self.urls.append((tag, attrs, attrs[name]))
        self.handlers += [name for name in attrs if name.startswith("on")]
        if "style" in attrs:
            self.inline_styles.append(tag)


@pytest.mark.parametrize("path", PAGES)
def test_pages_load_only_their_own_assets_and_run_no_inline_script(site, path):
    response = get(site, path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp and "default-src 'self'" in csp
    parser = Links()
    parser.feed(response.text)
    assert all(src and src.startswith("/static/") for src in parser.scripts), parser.scripts
    assert parser.handlers == [] and parser.inline_styles == []
    for tag, _attrs, url in parser.urls:
        if url.startswith(("/", "#")):
            continue
        # links out are plain anchors to http(s), never assets, never script URLs
        assert tag == "a" and url.startswith(("http://", "https://")), (tag, url)


def test_search_finds_labels(site):
    page = get(site, "/search?q=Changsha").text
    assert 'href="/doc/zone/changsha"' in page and 'href="/doc/place/changsha"' in page


def test_the_chart_has_one_mark_per_observation(site, select):
    # every source's counts of zones: 54 (2008), 169 and 173 (2022), 178 twice (2023), the derived 2012s
    rows = select("SELECT ?o ?derived WHERE { ?o <https://w3id.org/hitz/ontology#indicator> "
                  "<https://w3id.org/hitz/id/indicator/zone-count> "
                  "BIND(EXISTS { ?o a <https://w3id.org/hitz/ontology#DerivedObservation> } AS ?derived) }")
    page = get(site, "/doc/indicator/zone-count").text
    svg = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" class="chart"'):]
    svg = svg[:svg.index("</svg>")]
    assert len(rows) >= 6
    assert len(re.findall(r'<g class="mark mark-', svg)) == len(rows)
    derived = [r for r in rows if r["derived"] in (True, "true")]
    assert len(derived) == 2  # 2012: 173 - 84 and 23 - 20
    assert len(re.findall(r'class="mark mark-derived"', svg)) == len(derived)
    assert len(re.findall(r'<tr class="row-', page)) == len(rows)  # the same numbers as a table


def test_every_index_page_lists_members(site):
    indexes = json.loads((ROOT / "kg" / "web" / "indexes.json").read_text(encoding="utf-8"))
    for name in indexes:
        page = get(site, f"/index/{name}")
        assert page.status_code == 200, name
        assert '<ul class="members"><li>' in page.text, name
    assert get(site, "/index/nothing").status_code == 404


def test_downloads(site):
    response = get(site, "/dist/hitz.ttl")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/turtle")
    assert len(parse(response, "turtle")) > 1000
    assert get(site, "/dist/..%2Fpyproject.toml").status_code == 404
    assert get(site, "/dist/nothing.ttl").status_code == 404


def test_the_sparql_endpoint_is_still_the_servers(site):
    response = get(site, "/sparql?query=ASK%7B%7D", Accept="application/sparql-results+json")
    assert response.status_code == 200 and response.json()["boolean"] is True
    assert get(site, "/health").json()["status"] == "ok"


# -- w3id ---------------------------------------------------------------------------------------

def test_the_w3id_rules_lead_to_routes_the_server_answers(site, select):
    """Every kind of IRI of the graph, the ontology, its version and the dumps, through the rules."""
    rules = htaccess(site.url + "/")
    kinds: dict[str, str] = {}
    for row in select(f"SELECT DISTINCT ?s WHERE {{ ?s ?p ?o FILTER STRSTARTS(STR(?s), '{ID}') }} ORDER BY ?s"):
        kinds.setdefault(str(row["s"])[len(str(ID)):].split("/")[0], str(row["s"]))
    assert {"zone", "obs", "indicator", "article", "span", "org", "person"} <= set(kinds)
    paths = ["", "ontology", "ontology/0.1.0", "dist/hitz.ttl", "dist/hitz.nq", "id/zone/changsha.ttl"]
    paths += ["id/" + iri[len(str(ID)):] for iri in kinds.values()]
    for path in paths:
        status, target = resolve(rules, path)
        assert target.startswith(site.url + "/")
        response = httpx.get(target, headers={"Accept": "text/turtle"}, timeout=30)
        assert response.status_code == 200, (path, target, response.status_code)
        assert status in (302, 303)
        if path.startswith(("id/", "ontology")):
            assert status == 303
            parse(response, "turtle")
    assert resolve(rules, "elsewhere/x") is None


# -- escaping -----------------------------------------------------------------------------------

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def evil_site(serve: ServerStarter, built_dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """A server of the graph plus a few hostile statements: a label with markup, script IRIs."""
    dist = tmp_path_factory.mktemp("evil") / "dist"
    shutil.copytree(built_dist, dist)
    graph = "<https://w3id.org/hitz/id/graph/facts>"
    zone, evil = "<https://w3id.org/hitz/id/zone/changsha>", "<https://w3id.org/hitz/id/zone/evil>"
    quads = [
        f'{evil} <{RDFS.label}> "{EVIL}"@en {graph} .',
        f'{evil} <{RDF.type}> <{HITZ.NationalHighTechZone}> {graph} .',
        f'{evil} <{OWL.sameAs}> <javascript:alert(2)> {graph} .',
        f'{evil} <{SCHEMA.url}> <javascript:alert(3)> {graph} .',
        f'{evil} <{RDFS.comment}> "\\" onmouseover=\\"alert(4)" {graph} .',
        f'{evil} <{SCHEMA.containedInPlace}> {zone} {graph} .',
        f'<https://w3id.org/hitz/id/obs/evil> <{HITZ.indicator}> <https://w3id.org/hitz/id/indicator/evil> {graph} .',
        f'<https://w3id.org/hitz/id/obs/evil> <http://purl.org/linked-data/sdmx/2009/measure#obsValue> "1"^^<http://www.w3.org/2001/XMLSchema#integer> {graph} .',
        f'<https://w3id.org/hitz/id/indicator/evil> <{SKOS.prefLabel}> "{EVIL}"@en {graph} .',
    ]
    with open(dist / "hitz.nq", "a", encoding="utf-8") as sink:
        sink.write("\n".join(quads) + "\n")
    with serve("--workers", "1", dist=dist) as running:
        yield running


@pytest.mark.parametrize("path", ["/doc/zone/evil", "/doc/zone/changsha", "/search?q=script", "/index/zones",
                                  "/doc/indicator/evil", "/resource?iri=javascript%3Aalert(2)",
                                  "/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E", "/dashboard"])
def test_what_the_graph_or_the_url_says_is_escaped(evil_site, path):
    response = get(evil_site, path)
    assert response.status_code in (200, 404)
    page = response.text
    assert "<script>alert" not in page
    assert not re.search(r"""(href|src|action)\s*=\s*["']?\s*javascript:""", page, re.I)
    parser = Links()
    parser.feed(page)
    assert parser.handlers == [] and all(src and src.startswith("/static/") for src in parser.scripts)
    if path in ("/doc/zone/evil", "/search?q=script", "/doc/indicator/evil"):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


# -- the parts, without a server ------------------------------------------------------------------

def test_the_sentence_around_a_quote(article):
    from kg.web.text import sentence_around

    start = article.index("CNY15.3 trillion in 2021")
    found = sentence_around(article, start, start + len("CNY15.3 trillion in 2021"))
    assert found.before.startswith("The gross domestic product (GDP)")  # not cut at "CNY5.4"
    assert found.words == "CNY15.3 trillion in 2021" and found.after == "."
    chinese = "高新区去年生产总值达15.3万亿元。长沙高新区将投资10亿元。"
    at = chinese.index("10亿元")
    assert sentence_around(chinese, at, at + 4).before == "长沙高新区将投资"


def test_overlapping_quotes_are_cut_into_pieces():
    from kg.web.text import segments

    pieces = segments("abcdef", [("outer", 1, 4), ("inner", 2, 3)])
    assert [(p.text, p.spans) for p in pieces] == [
        ("a", ()), ("b", ("outer",)), ("c", ("inner", "outer")), ("d", ("outer",)), ("ef", ())]


def test_figures_read_as_the_article_writes_them():
    from kg.web.charts import HITZ, UNIT, Point, format_value

    assert format_value(15_300_000_000_000, UNIT + "CCY_CNY") == "CNY15.3 trillion"
    assert format_value(13.4, UNIT + "PERCENT") == "13.4%"
    assert format_value(5_630_000, UNIT + "NUM") == "5.63 million"
    assert format_value(173, UNIT + "NUM") == "173"
    bound = Point("o", "/doc/obs/o", "a", "a", "p", "2021", "2021", 5_630_000, UNIT + "NUM", HITZ + "MoreThan", False)
    assert bound.kind == "more" and bound.shown == "> 5.63 million"


def test_chart_text_is_escaped():
    from kg.web.charts import Point, svg_chart

    svg = svg_chart([Point("o", "/x?a=1&b=2", "a", EVIL, "p", EVIL, "2021", 1, None, None, False)], EVIL)
    assert "<script>" not in svg and "&lt;script&gt;" in svg and 'href="/x?a=1&amp;b=2"' in svg
