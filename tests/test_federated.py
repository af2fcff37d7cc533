"""The federated questions (`# Needs: network`): run offline against a local Wikidata-shaped server.

Each query's SERVICE <https://query.wikidata.org/sparql> is pointed at a real
Oxigraph server loaded with tests/fixtures/wikidata.ttl, whose populations and
coordinates are placeholders, not facts. The real endpoint is used only by the
test marked `network`, skipped offline.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from kg.query import load_question, questions, solutions
from kg.testing import oxigraph_server
from conftest import ROOT

QUERIES = ROOT / "queries"
FIXTURE = Path(__file__).parent / "fixtures" / "wikidata.ttl"
WIKIDATA = "https://query.wikidata.org/sparql"
WD = "http://www.wikidata.org/entity/"


@pytest.fixture(scope="module")
def local_wikidata(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with oxigraph_server(tmp_path_factory.mktemp("wikidata")) as server:
        request = urllib.request.Request(server.url + "/store?default", data=FIXTURE.read_bytes(),
                                         headers={"Content-Type": "text/turtle"}, method="PUT")
        urllib.request.urlopen(request, timeout=10)
        yield server.url + "/query"


@pytest.fixture(scope="module")
def federated(store, local_wikidata):
    """Run a federated question on the built graph, its SERVICE pointed at the local server."""

    def run(name: str) -> list[dict]:
        sparql = load_question(QUERIES / f"{name}.rq").sparql
        assert WIKIDATA in sparql
        return solutions(store.query(sparql.replace(WIKIDATA, local_wikidata)))

    return run


def test_the_federated_questions_are_marked_as_needing_the_network():
    marked = {q.name for q in questions(QUERIES) if q.needs_network}
    asking = {q.name for q in questions(QUERIES) if "SERVICE" in q.sparql}
    assert marked == asking and len(marked) >= 3


def test_29_wikidata_population_of_places(federated):
    # the fixture's placeholders: China 1000; Hunan 100 and 90, of which the query keeps the largest
    assert federated("29-wikidata-population-of-places") == [
        {"name": "China", "item": WD + "Q148", "population": Decimal(1000)},
        {"name": "Hunan", "item": WD + "Q45761", "population": Decimal(100)},
    ]


def test_30_wikidata_coordinates_of_places(federated):
    assert federated("30-wikidata-coordinates-of-places") == [
        {"name": "China", "item": WD + "Q148", "coordinates": "Point(100 35)"},
        {"name": "Hunan", "item": WD + "Q45761", "coordinates": "Point(111 27)"},
    ]


def test_31_wikidata_what_linked_entities_are(federated):
    rows = {r["item"][len(WD):]: (r["entity"].rsplit("/", 1)[-1], r["wikidataLabel"], r["kinds"])
            for r in federated("31-wikidata-what-linked-entities-are")}
    assert rows["Q148"] == ("china", "People's Republic of China", "sovereign state")
    assert rows["Q15031"] == ("xi-jinping", "Xi Jinping", "human")
    assert rows["Q39099"] == ("CCY_CNY", "renminbi", "currency")
    assert set(rows) == {"Q148", "Q45761", "Q15031", "Q211382", "Q87719492", "Q39099"}


@pytest.mark.parametrize("name, links", [
    ("29-wikidata-population-of-places", "PREFIX schema: <http://schema.org/> SELECT ?item WHERE { ?p a schema:Place ; owl:sameAs ?item }"),
    ("30-wikidata-coordinates-of-places", "PREFIX schema: <http://schema.org/> SELECT ?item WHERE { ?p a schema:Place ; owl:sameAs ?item }"),
    ("31-wikidata-what-linked-entities-are", "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?item WHERE { ?e owl:sameAs|skos:exactMatch ?item }"),
])
def test_the_items_listed_in_service_are_the_graphs_links(select, name, links):
    """The items inside SERVICE stay in step with the link sets: no link left out, none made up."""
    import re

    sparql = load_question(QUERIES / f"{name}.rq").sparql
    listed = set(re.search(r"VALUES \?item \{([^}]*)\}", sparql).group(1).split())
    rows = select("PREFIX owl: <http://www.w3.org/2002/07/owl#> " + links)
    linked = {"wd:" + r["item"][len(WD):] for r in rows if r["item"].startswith(WD)}
    assert listed == linked


@pytest.mark.network
def test_29_on_the_real_wikidata(store):
    rows = solutions(store.query(load_question(QUERIES / "29-wikidata-population-of-places.rq").sparql))
    assert {r["name"] for r in rows} == {"China", "Hunan"}
    assert all(r["population"] > 10**7 for r in rows)
