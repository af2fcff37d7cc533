"""The site in a real browser: Debian's Chromium driven by Playwright, headless, against
`kg serve` on a loopback port. Each test saves a screenshot under its temporary folder, and
no page may ask anything of another origin (the browser's request log says so)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.testing import Server
from conftest import ServerStarter

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage",
        "--disable-default-apps", "--disable-extensions"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed: "
                                                                "`make test` installs it")


@pytest.fixture(scope="module")
def site(serve: ServerStarter) -> Iterator[Server]:
    with serve("--workers", "2") as running:
        yield running


@pytest.fixture(scope="module")
def browser_context(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), headless=True, args=ARGS,
            viewport={"width": 1280, "height": 900}, service_workers="block")
        yield context
        context.close()


@pytest.fixture
def problems() -> list[str]:
    """Console errors and script errors of the test's tab (a test that expects one removes it)."""
    return []


@pytest.fixture
def page(browser_context, site, tmp_path, problems):
    """A fresh tab whose every request is logged; afterwards no request may have left the server,
    and the page's screenshot is in the test's temporary folder."""
    tab = browser_context.new_page()
    requests: list[str] = []
    tab.on("request", lambda request: requests.append(request.url))
    tab.on("console", lambda message: message.type == "error" and problems.append(message.text))
    tab.on("pageerror", lambda error: problems.append(str(error)))
    yield tab
    tab.screenshot(path=str(tmp_path / "page.png"), full_page=True)
    print(f"screenshot: {tmp_path / 'page.png'}")
    tab.close()
    outside = [url for url in requests if not url.startswith((site.url + "/", "data:", "blob:" + site.url))]
    assert requests and outside == [], outside
    assert problems == [], problems  # no CSP violation, no script error


def test_home_shows_its_figures(page, site, select):
    page.goto(site.url + "/")
    [row] = select("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")
    assert page.locator("#triples").inner_text().replace(",", "") == str(row["n"])
    assert page.locator("table.counts").first.locator("tr").count() > 10
    assert page.get_by_role("link", name="hitz.ttl").get_attribute("href") == "/dist/hitz.ttl"


def test_search_finds_changsha(page, site):
    page.goto(site.url + "/")
    page.get_by_role("searchbox").fill("Changsha")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\?q=Changsha"))
    page.get_by_role("link", name="Changsha national high-tech zone").click()
    page.wait_for_url(site.url + "/doc/zone/changsha")


def test_the_changsha_zone_page(page, site):
    page.goto(site.url + "/doc/zone/changsha")
    assert page.locator("h1").inner_text().startswith("Changsha national high-tech zone")
    places = page.locator("p.places").inner_text()
    assert "Changsha" in places and "Hunan" in places and "China" in places
    highlighted = page.locator("blockquote.sentence mark.words").all_inner_texts()
    assert "will invest CNY1 billion over the next three years to attract talent" in highlighted
    sentence = page.locator("blockquote.sentence", has_text="will invest CNY1 billion").first.inner_text()
    assert sentence.startswith("For instance, the national high-tech zone in Changsha, Hunan province")


def test_an_indicator_chart_has_one_mark_per_observation(page, site, select):
    page.goto(site.url + "/doc/indicator/zone-count")
    rows = select("SELECT ?o WHERE { ?o <https://w3id.org/hitz/ontology#indicator> "
                  "<https://w3id.org/hitz/id/indicator/zone-count> }")
    assert page.locator("svg.chart g.mark").count() == len(rows)
    assert page.locator("table.figures tbody tr").count() == len(rows)
    assert page.locator("svg.chart g.mark-derived").count() == 2
    assert page.locator("ul.legend li.legend-derived").count() == 1


def test_a_bound_is_drawn_as_a_bound(page, site):
    page.goto(site.url + "/doc/indicator/presidential-visits")  # "paid over 20 visits"
    bound = page.locator("svg.chart g.mark-more")
    assert bound.count() == 1
    assert bound.locator("path").count() == 1  # the arrow pointing up: the value lies above
    assert bound.locator("circle").count() == 0  # not the dot of an exact figure
    assert "> 20" in bound.locator("text.value").text_content()
    assert page.locator("ul.legend li.legend-more").inner_text().startswith("more than")


def test_the_article_highlights_every_span(page, site, select, article):
    page.goto(site.url + "/doc/article/hitz-2022")
    spans = select("PREFIX oa: <http://www.w3.org/ns/oa#> PREFIX dcterms: <http://purl.org/dc/terms/> "
                   "SELECT ?span ?exact WHERE { ?span oa:exact ?exact ; dcterms:isPartOf "
                   "<https://w3id.org/hitz/id/article/hitz-2022> }")
    assert len(spans) >= 50
    pieces = page.evaluate("""() => Array.from(document.querySelectorAll('a.span')).map(
        a => [a.dataset.spans.split(' '), a.textContent])""")
    listed = page.locator("ol.spans li").evaluate_all("items => items.map(li => li.id)")
    assert len(listed) == len(spans)
    for span_id in listed:
        text = "".join(piece for ids, piece in pieces if span_id in ids)
        exact = page.locator(f"li#{span_id}").inner_text().split("”")[0].lstrip("“")
        # the highlighted pieces of a span spell its quote (line breaks aside)
        assert text.replace("\n", "") == exact.replace("\n", ""), span_id
    assert page.locator(".article-text").inner_text().replace("\n", "") == article.replace("\n", "")


def test_the_query_page_runs_a_catalog_question(page, site):
    page.goto(site.url + "/query")
    page.locator(".CodeMirror").wait_for()  # the editor, from /static/vendor/codemirror/
    page.get_by_role("button", name=re.compile("How many national high-tech zones were there in 2012")).click()
    table = page.locator("#results table")
    table.wait_for()
    text = table.inner_text()
    assert "2012" in text and "89" in text and "2022" in text and "173" in text
    assert page.locator("#status").inner_text().endswith("rows")
    with page.expect_download() as download:
        page.locator("#download-csv").click()
    assert download.value.suggested_filename == "results.csv"
    assert Path(download.value.path()).read_text(encoding="utf-8").splitlines()[0] == "year,zones,derived"


def set_query(page, text: str) -> None:
    """Type into the page's SPARQL editor (CodeMirror, served from the package)."""
    page.locator(".CodeMirror").wait_for()
    page.evaluate("text => document.querySelector('.CodeMirror').CodeMirror.setValue(text)", text)


def test_query_results_link_to_the_pages_of_this_site(page, site):
    page.goto(site.url + "/query")
    set_query(page, "SELECT ?zone WHERE { ?zone a <https://w3id.org/hitz/ontology#NationalHighTechZone> }")
    page.get_by_role("button", name="Run").click()
    link = page.locator("#results a", has_text="https://w3id.org/hitz/id/zone/changsha")
    assert link.get_attribute("href") == "/doc/zone/changsha"
    link.click()
    page.wait_for_url(site.url + "/doc/zone/changsha")


def test_the_query_page_shows_errors_with_their_position(page, site, problems):
    page.goto(site.url + "/query")
    set_query(page, "SELECT ?x\nWHERE { ?x ?y }")
    page.get_by_role("button", name="Run").click()
    error = page.locator("#error")
    error.wait_for()
    assert re.search(r"line:? ?\d|col:? ?\d|position", error.inner_text()), error.inner_text()
    assert page.locator("#status").inner_text() == "error 400"
    assert page.locator(".CodeMirror .error-line").count() == 1  # the line of the error, marked
    problems[:] = [p for p in problems if "status of 400" not in p]  # the browser logs the answer's status


def test_the_ontology_page(page, site):
    page.goto(site.url + "/ontology#NationalHighTechZone")
    assert page.url.startswith(site.url + "/doc/ontology")
    term = page.locator("section#NationalHighTechZone")
    assert "Subclass of" in term.inner_text() and "Shape" in term.inner_text()


def test_the_dashboard_shows_the_headline_charts(page, site):
    page.goto(site.url + "/dashboard")
    titles = page.locator("section.chart-block h3").all_inner_texts()
    for name in ("gross domestic product", "number of zones"):
        assert any(name in t for t in titles), titles
    assert page.locator("svg.chart").count() == len(titles) >= 5
