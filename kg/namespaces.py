"""The namespaces the graph uses, in one place, with the prefixes shown to users."""

from __future__ import annotations

from rdflib import Namespace
from rdflib.namespace import DefinedNamespace
from rdflib.namespace import DCAT, DCTERMS, OWL, PROV, RDF, RDFS, SKOS, TIME, VOID, XSD

HITZ = Namespace("https://w3id.org/hitz/ontology#")
ID = Namespace("https://w3id.org/hitz/id/")
GRAPH = Namespace("https://w3id.org/hitz/id/graph/")
QB = Namespace("http://purl.org/linked-data/cube#")
ORG = Namespace("http://www.w3.org/ns/org#")
SCHEMA = Namespace("http://schema.org/")
OA = Namespace("http://www.w3.org/ns/oa#")
SDMX_DIMENSION = Namespace("http://purl.org/linked-data/sdmx/2009/dimension#")
SDMX_MEASURE = Namespace("http://purl.org/linked-data/sdmx/2009/measure#")
SDMX_ATTRIBUTE = Namespace("http://purl.org/linked-data/sdmx/2009/attribute#")
UNIT = Namespace("http://qudt.org/vocab/unit/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = Namespace("http://www.w3.org/ns/shacl#")
WD = Namespace("http://www.wikidata.org/entity/")
WDT = Namespace("http://www.wikidata.org/prop/direct/")

PREFIXES: dict[str, Namespace | type[DefinedNamespace]] = {
    "hitz": HITZ,
    "qb": QB,
    "org": ORG,
    "schema": SCHEMA,
    "oa": OA,
    "prov": PROV,
    "skos": SKOS,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "time": TIME,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "sdmx-dimension": SDMX_DIMENSION,
    "sdmx-measure": SDMX_MEASURE,
    "sdmx-attribute": SDMX_ATTRIBUTE,
    "unit": UNIT,
    "sd": SD,
    "zone": Namespace(ID["zone/"]),
    "place": Namespace(ID["place/"]),
    "agent": Namespace(ID["org/"]),
    "person": Namespace(ID["person/"]),
    "post": Namespace(ID["post/"]),
    "indicator": Namespace(ID["indicator/"]),
    "obs": Namespace(ID["obs/"]),
    "span": Namespace(ID["span/"]),
    "achievement": Namespace(ID["achievement/"]),
    "field": Namespace(ID["field/"]),
    "policy": Namespace(ID["policy/"]),
    "claim": Namespace(ID["claim/"]),
    "article": Namespace(ID["article/"]),
    "ds": Namespace(ID["dataset/"]),
    "membership": Namespace(ID["membership/"]),
    "event": Namespace(ID["event/"]),
    "day": Namespace("http://reference.data.gov.uk/id/day/"),
    "year": Namespace("http://reference.data.gov.uk/id/year/"),
}


def bind_prefixes(graph) -> None:
    """Bind the project's prefixes on an rdflib graph or dataset, replacing defaults."""
    for prefix, namespace in PREFIXES.items():
        graph.bind(prefix, namespace, override=True, replace=True)
