"""What each page shows, read from the graph: the values its template renders, and the RDF
documents of /doc/... in every format."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from markupsafe import Markup

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, VOID

from ..namespaces import ID, PREFIXES
from ..project import Project
from . import charts, text
from .graph import RDF_TYPE, GraphReader, Labels, Term, fill, query_text
from .negotiation import DocFormat, Paths, external

NS = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
NS.update({"wd": "http://www.wikidata.org/entity/", "dbr": "http://dbpedia.org/resource/",
           "geonames": "https://sws.geonames.org/", "ref": "http://reference.data.gov.uk/id/",
           "foaf": "http://xmlns.com/foaf/0.1/"})
HITZ = NS["hitz"]
PROV = NS["prov"]
EXTERNAL_LINKS = {str(OWL.sameAs), str(SKOS.exactMatch), str(SKOS.closeMatch)}
DERIVED = HITZ + "DerivedObservation"
ARTICLE_TYPES = {"http://schema.org/NewsArticle", "http://schema.org/Report"}
INDEXES = json.loads((Path(__file__).with_name("indexes.json")).read_text(encoding="utf-8"))
LONG_LITERAL = 400


@dataclass
class Item:
    """An RDF term as a page shows it: its text, where it links, and what kind it is."""

    text: str
    href: str | None = None
    iri: str | None = None
    out: str | None = None  # a link out of the site (http/https only)
    lang: str | None = None
    datatype: str | None = None
    zh: str | None = None


@dataclass
class Fact:
    stated: list[Item]
    sentence: text.Sentence
    article: Item
    who: Item | None
    span: str


@dataclass
class Chart:
    title: str
    indicator: Item
    svg: Markup
    rows: list
    legend: list
    unit: str


@dataclass
class Context:
    """Everything the pages need: the graph reader, the IRI mapping, the project files."""

    reader: GraphReader
    paths: Paths
    project: Project
    dist: Path
    _void: tuple[float, Graph] | None = field(default=None, repr=False)

    # -- terms -------------------------------------------------------------------------
    def item(self, term: Term | str, labels: Labels) -> Item:
        if isinstance(term, str):
            term = Term("uri", term)
        if term.kind == "uri":
            label = labels.get(term.value) or self.paths.short(term.value, NS)
            return Item(label, self.paths.href(term.value), term.value,
                        term.value if external(term.value) and not self.paths.doc_of(term.value) else None,
                        zh=labels.chinese(term.value))
        if term.kind == "bnode":
            return Item("(blank node)")
        value = term.value
        if len(value) > LONG_LITERAL:
            value = value[:LONG_LITERAL] + " …"
        datatype = self.paths.short(term.datatype, NS) if term.datatype and not term.lang else None
        if datatype == "xsd:string":
            datatype = None
        return Item(value, lang=term.lang, datatype=datatype)

    async def exists(self, iri: str) -> bool:
        try:
            return await self.reader.ask(fill("exists", IRI=iri))
        except ValueError:
            return False

    # -- /doc/ documents ---------------------------------------------------------------
    def context_json(self) -> dict:
        return json.loads(self.project.context_path.read_text(encoding="utf-8"))["@context"]

    def serialize(self, graph: Graph, fmt: DocFormat) -> bytes:
        if fmt.rdflib == "json-ld":
            return graph.serialize(format="json-ld", context=self.context_json(), indent=2).encode("utf-8")
        return graph.serialize(format=fmt.rdflib or "turtle").encode("utf-8")

    async def document(self, iri: str, fmt: DocFormat, templates) -> tuple[bytes, str]:
        if fmt.rdflib is None:
            values = await self.entity(iri)
            return templates.get_template("entity.html").render(**values).encode("utf-8"), fmt.media_type
        graph = await self.reader.construct(fill("describe", IRI=iri))
        return self.serialize(graph, fmt), fmt.media_type

    async def ontology_document(self, fmt: DocFormat, templates) -> tuple[bytes, str]:
        graph = await self.reader.construct(query_text("ontology"))
        if fmt.rdflib is not None:
            return self.serialize(graph, fmt), fmt.media_type
        from .ontology import ontology_page

        values = ontology_page(graph, self.project.shapes_dir, self.paths)
        return templates.get_template("ontology.html").render(**values).encode("utf-8"), fmt.media_type

    # -- entity pages ------------------------------------------------------------------
    async def entity(self, iri: str) -> dict:
        labels = await self.reader.labels()
        outgoing = await self.reader.select(fill("outgoing", IRI=iri))
        incoming = await self.reader.select(fill("incoming", IRI=iri))
        types = [row["o"].value for row in outgoing if row["p"].value == RDF_TYPE and row["o"].is_iri]
        properties: dict[str, list[Item]] = {}
        links_out = []
        for row in outgoing:
            if row["p"].value == RDF_TYPE:
                continue
            properties.setdefault(row["p"].value, []).append(self.item(row["o"], labels))
            if row["p"].value in EXTERNAL_LINKS and row["o"].is_iri and external(row["o"].value):
                links_out.append((self.item(row["p"].value, labels), row["o"].value))
        incoming_items = [(self.item(row["s"], labels), self.item(row["p"].value, labels)) for row in incoming
                          if row["s"].is_iri]
        values: dict[str, Any] = dict(
            iri=iri, title=labels.get(iri) or self.paths.short(iri, NS), zh=labels.chinese(iri),
            doc=self.paths.doc_of(iri), types=[self.item(t, labels) for t in types],
            properties=[(self.item(p, labels), items) for p, items in properties.items()],
            incoming=incoming_items, links_out=links_out, outside=external(iri) and not self.paths.doc_of(iri),
            facts=await self.facts(iri, labels), places=await self.places(iri, labels),
            figure=self.figure(iri, outgoing, labels),
        )
        if DERIVED in types:
            values["derivation"] = await self.derivation(iri, outgoing, labels)
        chart = await self.chart(iri, labels)
        if chart:
            values["chart"] = chart
        if ARTICLE_TYPES & set(types):
            values["article"] = await self.article(iri, labels)
        return values

    def figure(self, iri: str, outgoing: list[dict], labels: Labels) -> dict | None:
        """An observation's figure in words: value, bound, period and area."""
        first: dict = {}
        for row in outgoing:
            first.setdefault(row["p"].value, row["o"])
        value = first.get(NS["sdmx-measure"] + "obsValue")
        if value is None:
            return None
        unit = first.get(NS["sdmx-attribute"] + "unitMeasure")
        qualifier = first.get(HITZ + "valueQualifier")
        point = charts.Point(iri, "", "", "", "", "", "", float(value.python()), unit.value if unit else None,
                             qualifier.value if qualifier else None, False)
        period = first.get(NS["sdmx-dimension"] + "refPeriod")
        area = first.get(NS["sdmx-dimension"] + "refArea")
        indicator = first.get(HITZ + "indicator")
        return dict(shown=point.shown, exact=value.value, unit=charts.unit_name(point.unit),
                    period=self.item(period, labels) if period else None,
                    area=self.item(area, labels) if area else None,
                    indicator=self.item(indicator, labels) if indicator else None)

    async def facts(self, iri: str, labels: Labels) -> list[Fact]:
        """Each quote behind the thing or its neighbours, with its sentence and the facts it states."""
        found: dict[str, Fact] = {}
        for row in await self.reader.select(fill("facts", IRI=iri)):
            span = row["span"].value
            if span in found:
                if row["fact"].value not in {i.iri for i in found[span].stated}:
                    found[span].stated.append(self.item(row["fact"], labels))
                continue
            article = row["article"].value
            body = await self.reader.article_text(article)
            start, end = int(row["start"].value), int(row["end"].value)
            if body is None or body[start:end] != row["exact"].value:
                sentence = text.Sentence("", row["exact"].value, "")
            else:
                sentence = text.sentence_around(body, start, end)
            found[span] = Fact([self.item(row["fact"], labels)], sentence, self.item(article, labels),
                               self.item(row["who"], labels) if "who" in row else None, span)
        facts = list(found.values())
        own = [f for f in facts if any(i.iri == iri for i in f.stated)]
        return own + [f for f in facts if f not in own]

    async def places(self, iri: str, labels: Labels) -> list[Item]:
        """Where the thing is, from the nearest place outwards."""
        steps = {row["a"].value: row["b"].value for row in await self.reader.select(fill("places", IRI=iri))}
        chain: list[Item] = []
        here = iri
        while here in steps and len(chain) < 10:
            here = steps[here]
            chain.append(self.item(here, labels))
        return chain

    async def derivation(self, iri: str, outgoing: list[dict], labels: Labels) -> dict:
        rule = next((row["o"].value for row in outgoing if row["p"].value == str(RDFS.comment)), None)
        sources = []
        for row in await self.reader.select(fill("derivation", IRI=iri)):
            point = charts.Point("", "", "", "", "", "", "", float(row["value"].python()),
                                 row["unit"].value if "unit" in row else None,
                                 row["qualifier"].value if "qualifier" in row else None, False)
            sources.append((self.item(row["source"], labels), point.shown))
        return dict(rule=rule, sources=sources)

    async def points(self, indicator: str, labels: Labels) -> list[charts.Point]:
        points = []
        for row in await self.reader.select(fill("observations", IRI=indicator)):
            try:
                value = float(row["value"].python())
            except (TypeError, ValueError):
                continue
            area = row["area"].value if "area" in row else ""
            period = row["period"].value if "period" in row else ""
            points.append(charts.Point(
                row["obs"].value, self.paths.href(row["obs"].value), area,
                labels.get(area) or self.paths.short(area, NS), period,
                labels.get(period) or self.paths.short(period, NS).rsplit("/", 1)[-1],
                row["begin"].value if "begin" in row else period, value,
                row["unit"].value if "unit" in row else None,
                row["qualifier"].value if "qualifier" in row else None,
                bool(row["derived"].python()) if "derived" in row else False))
        return points

    async def chart(self, indicator: str, labels: Labels) -> Chart | None:
        points = await self.points(indicator, labels)
        if not points:
            return None
        title = labels.get(indicator) or self.paths.short(indicator, NS)
        rows = sorted(points, key=lambda p: (p.begin, p.period, p.area_label))
        unit = next((p.unit for p in points if p.unit), None)
        legend = [(kind, label, Markup(charts.legend_svg(kind))) for kind, label in charts.legend_kinds(points)]
        return Chart(title, self.item(indicator, labels), Markup(charts.svg_chart(points, title)), rows, legend,
                     charts.unit_name(unit))

    async def article(self, iri: str, labels: Labels) -> dict:
        """The whole article with every span highlighted and linked to the facts stated in it."""
        body = await self.reader.article_text(iri) or ""
        spans: dict[str, dict] = {}
        for row in await self.reader.select(fill("article-spans", IRI=iri)):
            span = spans.setdefault(row["span"].value, dict(
                iri=row["span"].value, start=int(row["start"].value), end=int(row["end"].value),
                exact=row["exact"].value, facts=[]))
            if "fact" in row:
                span["facts"].append(self.item(row["fact"], labels))
        for span in spans.values():
            span["id"] = "span-" + re.sub(r"[^A-Za-z0-9_-]", "-", span["iri"].rsplit("/", 1)[-1])
            span["href"] = span["facts"][0].href if span["facts"] else self.paths.href(span["iri"])
        pieces = text.segments(body, [(s["iri"], s["start"], s["end"]) for s in spans.values()])
        paragraphs = [[(piece.text, [spans[s] for s in piece.spans]) for piece in para]
                      for para in text.paragraphs(pieces)]
        ordered = sorted(spans.values(), key=lambda s: (s["start"], s["end"]))
        return dict(paragraphs=paragraphs, spans=ordered, length=len(body))

    # -- the other pages ---------------------------------------------------------------
    def void(self) -> Graph:
        path = self.dist / "void.ttl"
        stamp = path.stat().st_mtime if path.is_file() else 0.0
        if self._void is None or self._void[0] != stamp:
            graph = Graph()
            if path.is_file():
                graph.parse(path, format="turtle")
            self._void = (stamp, graph)
        return self._void[1]

    async def home(self) -> dict:
        labels = await self.reader.labels()
        void = self.void()
        dataset = URIRef(ID["dataset/hitz"])
        triples = void.value(dataset, VOID.triples)
        classes = []
        for part in void.objects(dataset, VOID.classPartition):
            cls, n = void.value(part, VOID["class"]), void.value(part, VOID.entities)
            if cls is not None and n is not None:
                classes.append((self.item(str(cls), labels), int(str(n))))
        classes.sort(key=lambda c: (-c[1], c[0].text))
        linksets = []
        for linkset in void.subjects(RDF.type, VOID.Linkset):
            target = void.value(linkset, VOID.objectsTarget)
            linksets.append((self.item(str(linkset), labels), self.paths.short(str(target), NS) if target else "",
                             int(str(void.value(linkset, VOID.triples) or 0))))
        downloads = []
        for dist in void.subjects(RDF.type, URIRef("http://www.w3.org/ns/dcat#Distribution")):
            title = str(void.value(dist, DCTERMS.title) or "")
            size = void.value(dist, URIRef("http://www.w3.org/ns/dcat#byteSize"))
            media = str(void.value(dist, URIRef("http://www.w3.org/ns/dcat#mediaType")) or "").split("media-types/")[-1]
            if title and (self.dist / title).is_file():
                downloads.append((title, "/dist/" + title, media, int(str(size or 0))))
        downloads.sort()
        if (self.dist / "void.ttl").is_file():
            downloads.append(("void.ttl", "/dist/void.ttl", "text/turtle", (self.dist / "void.ttl").stat().st_size))
        articles = [self.item(row["article"], labels) for row in await self.reader.select(query_text("articles"))]
        return dict(title="hitz-kg", triples=int(str(triples)) if triples is not None else None, classes=classes,
                    linksets=sorted(linksets, key=lambda linkset: linkset[0].text), downloads=downloads, articles=articles,
                    indexes=[(name, spec["title"]) for name, spec in INDEXES.items()])

    async def index(self, name: str) -> dict | None:
        spec = INDEXES.get(name)
        if spec is None:
            return None
        labels = await self.reader.labels()
        members: dict[str, Item] = {}
        for row in await self.reader.select(fill("members", CLASSES=spec["classes"])):
            members.setdefault(row["s"].value, self.item(row["s"], labels))
        items = sorted(members.values(), key=lambda i: i.text.lower())
        return dict(title=spec["title"], items=items, classes=[self.item(c, labels) for c in spec["classes"]],
                    indexes=[(n, s["title"]) for n, s in INDEXES.items()], current=name)

    async def search(self, query: str) -> list[Item]:
        """Resources whose label contains every word of the query (case-insensitive)."""
        words = query.lower().split()
        if not words:
            return []
        labels = await self.reader.labels()
        hits: dict[str, tuple[int, Item]] = {}
        for iri, label in labels.all_texts():
            low = label.lower()
            if all(w in low for w in words):
                rank = 0 if low == query.lower() else 1 if low.startswith(words[0]) else 2
                if iri not in hits or rank < hits[iri][0]:
                    hits[iri] = (rank, self.item(iri, labels))
        return [item for _, item in sorted(hits.values(), key=lambda h: (h[0], len(h[1].text), h[1].text))][:100]

    async def dashboard(self) -> list[Chart]:
        labels = await self.reader.labels()
        found = []
        for row in await self.reader.select(query_text("indicators")):
            if int(row["periods"].value) >= 2:
                chart = await self.chart(row["indicator"].value, labels)
                if chart:
                    found.append(chart)
        return found

    def examples(self) -> list[dict]:
        """The question catalog (queries/*.rq) as one-click examples; federated ones left out."""
        found = []
        for path in sorted(self.project.queries_dir.glob("*.rq")):
            body = path.read_text(encoding="utf-8")
            if "# Needs: network" in body:
                continue
            match = re.search(r"^# Question:\s*(.+)$", body, re.M)
            found.append(dict(name=path.stem, question=match.group(1).strip() if match else path.stem, query=body))
        return found


