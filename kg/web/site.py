"""The web site's routes, as one ASGI middleware around the SPARQL server: it answers its own
paths (/, /id/..., /doc/..., /ontology, /index/..., /search, /dashboard, /query, /resource,
/dist/..., /static/...) and hands every other request (/sparql, /health) to the server."""

from __future__ import annotations

import urllib.parse
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.exceptions import HTTPException
from starlette.middleware.exceptions import ExceptionMiddleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route, Router
from starlette.staticfiles import StaticFiles

from ..project import Project
from . import pages
from .graph import GraphReader, GraphUnavailable
from .negotiation import FORMATS, Paths, choose, etag, link_header, not_modified, split_suffix

HERE = Path(__file__).parent
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
       "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
SECURITY_HEADERS = {"Content-Security-Policy": CSP, "X-Content-Type-Options": "nosniff",
                    "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
OWN_PREFIXES = ("/id/", "/doc/", "/index/", "/static/", "/dist/")
OWN_PATHS = ("/", "/ontology", "/search", "/dashboard", "/query", "/resource")
DIST_TYPES = {".ttl": "text/turtle", ".jsonld": "application/ld+json", ".nt": "application/n-triples",
              ".nq": "application/n-quads", ".trig": "application/trig", ".rdf": "application/rdf+xml"}


class Site:
    """ASGI middleware: the site's own paths, then the wrapped app for everything else."""

    def __init__(self, app, service, root: Path, dist: Path, base: str | None = None):
        self.app = app
        self.paths = Paths(base)
        self.reader = GraphReader(service)
        self.root = root
        self.dist = dist
        self.project = Project(root)
        self.templates = Environment(loader=FileSystemLoader(HERE / "templates"),
                                     autoescape=select_autoescape(default=True, default_for_string=True))
        self.templates.globals["formats"] = FORMATS
        self.templates.globals["base"] = self.paths.base
        self.context = pages.Context(self.reader, self.paths, self.project, dist)
        self.router = Router(routes=[
            Route("/", self.home),
            Route("/id/{path:path}", self.identify),
            Route("/doc/{path:path}", self.document),
            Route("/ontology", self.ontology),
            Route("/index/{name}", self.index),
            Route("/search", self.search),
            Route("/dashboard", self.dashboard),
            Route("/query", self.query_page),
            Route("/resource", self.resource),
            Route("/dist/{name}", self.download),
            Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
        ])
        self.handler = ExceptionMiddleware(self.router, handlers={HTTPException: self.http_error})  # type: ignore[dict-item]

    async def __call__(self, scope, receive, send):
        path = scope.get("path", "") if scope["type"] == "http" else ""
        if path and (path in OWN_PATHS or path.startswith(OWN_PREFIXES)):
            async def with_headers(message):
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers", []))
                    names = {name.lower() for name, _ in headers}
                    for name, value in SECURITY_HEADERS.items():
                        if name.lower().encode() not in names:
                            headers.append((name.lower().encode(), value.encode()))
                    message = {**message, "headers": headers}
                await send(message)
            return await self.handler(scope, receive, with_headers)
        return await self.app(scope, receive, send)

    async def http_error(self, request: Request, exc: HTTPException) -> Response:
        """A path of the site that no route or file takes: the 404 page (or the plain status)."""
        if exc.status_code == 404:
            return self.not_found(request)
        return PlainTextResponse(f"{exc.detail}\n", status_code=exc.status_code, headers=exc.headers)

    # -- rendering ---------------------------------------------------------------------
    def page(self, template: str, status: int = 200, headers: dict | None = None, **values) -> Response:
        body = self.templates.get_template(template).render(**values).encode("utf-8")
        return HTMLResponse(body, status_code=status, headers=headers)

    def unavailable(self, exc: GraphUnavailable) -> Response:
        return self.page("error.html", exc.status, title="The graph did not answer", message=str(exc))

    def not_found(self, request: Request, iri: str | None = None) -> Response:
        wants_html = (choose(request.headers.get("accept")) or FORMATS[0]).suffix == "html"
        if not wants_html:
            return PlainTextResponse(f"not found: {iri or request.url.path} is not described by this dataset; "
                                     "see / or /sparql\n", status_code=404)
        words = [w for w in (iri or request.url.path).rstrip("/").rsplit("/", 1)[-1].replace("-", " ").split() if w]
        return self.page("notfound.html", 404, title="Not found", iri=iri or request.url.path,
                         suggestion=" ".join(words))

    # -- linked data -------------------------------------------------------------------
    async def identify(self, request: Request) -> Response:
        """GET /id/PATH: 303 See Other to the document that describes the thing."""
        path = request.path_params["path"]
        stem, _ = split_suffix(path)
        try:
            if not await self.context.exists(self.paths.iri_of_doc(stem)):
                return self.not_found(request, self.paths.iri_of_doc(stem))
        except GraphUnavailable as exc:
            return self.unavailable(exc)
        return RedirectResponse("/doc/" + urllib.parse.quote(path, safe="/:@-._~!$&'()*+,;="), status_code=303)

    async def ontology(self, request: Request) -> Response:
        return RedirectResponse("/doc/ontology", status_code=303)

    async def document(self, request: Request) -> Response:
        """GET /doc/PATH[.suffix]: the description in the format of the suffix or of Accept."""
        path = request.path_params["path"]
        stem, fmt = split_suffix(path)
        negotiated = fmt is None
        headers = {"Link": link_header("/doc/" + urllib.parse.quote(stem, safe="/:@-._~!$&'()*+,;=")),
                   "Cache-Control": "no-cache"}
        if fmt is None:  # negotiated
            headers["Vary"] = "Accept"
            fmt = choose(request.headers.get("accept"))
            if fmt is None:
                offered = ", ".join(f.media_type for f in FORMATS)
                return PlainTextResponse(f"not acceptable: {request.headers.get('accept')!r}; this document is "
                                         f"offered as {offered} (or add a suffix: "
                                         f"{', '.join('.' + f.suffix for f in FORMATS)})\n",
                                         status_code=406, headers=headers)
        iri = self.paths.iri_of_doc(stem)
        try:
            if stem == "ontology":
                body, media = await self.context.ontology_document(fmt, self.templates)
            else:
                if not await self.context.exists(iri):
                    return self.not_found(request, iri)
                body, media = await self.context.document(iri, fmt, self.templates)
        except GraphUnavailable as exc:
            return self.unavailable(exc)
        tag = etag(body)
        headers["ETag"] = tag
        if negotiated:
            headers["Content-Location"] = f"/doc/{stem}.{fmt.suffix}"
        if not_modified(request.headers.get("if-none-match"), tag):
            return Response(status_code=304, headers=headers)
        return Response(body, headers=headers, media_type=media + "; charset=utf-8")

    # -- pages -------------------------------------------------------------------------
    async def home(self, request: Request) -> Response:
        try:
            values = await self.context.home()
        except GraphUnavailable as exc:
            return self.unavailable(exc)
        return self.page("home.html", **values)

    async def index(self, request: Request) -> Response:
        name = request.path_params["name"]
        try:
            values = await self.context.index(name)
        except GraphUnavailable as exc:
            return self.unavailable(exc)
        if values is None:
            return self.not_found(request)
        return self.page("index.html", **values)

    async def search(self, request: Request) -> Response:
        text = request.query_params.get("q", "")[:200]
        try:
            results = await self.context.search(text)
        except GraphUnavailable as exc:
            return self.unavailable(exc)
        return self.page("search.html", title=f"Search: {text}" if text else "Search", q=text, results=results)

    async def dashboard(self, request: Request) -> Response:
        try:
            charts = await self.context.dashboard()
        except GraphUnavailable as exc:
            return self.unavailable(exc)
        return self.page("dashboard.html", title="Dashboard", charts=charts)

    async def query_page(self, request: Request) -> Response:
        return self.page("query.html", title="Query", examples=self.context.examples(),
                         query=request.query_params.get("query", "")[:20000])

    async def resource(self, request: Request) -> Response:
        """A page about an IRI outside the base that the graph describes or mentions."""
        iri = request.query_params.get("iri", "")
        local = self.paths.doc_of(iri)
        if local:
            return RedirectResponse(local, status_code=303)
        try:
            if not iri or not await self.context.exists(iri):
                return self.not_found(request, iri or None)
            values = await self.context.entity(iri)
        except (GraphUnavailable, ValueError) as exc:
            if isinstance(exc, ValueError):
                return self.not_found(request, iri)
            return self.unavailable(exc)
        return self.page("entity.html", **values)

    async def download(self, request: Request) -> Response:
        name = request.path_params["name"]
        path = self.dist / name
        suffix = Path(name).suffix
        if "/" in name or name.startswith(".") or suffix not in DIST_TYPES and name != "void.ttl" \
                or not path.is_file():
            return self.not_found(request)
        media = DIST_TYPES.get(suffix, "text/turtle")
        return FileResponse(path, media_type=media + "; charset=utf-8", filename=name)


