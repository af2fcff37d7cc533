"""The settings of `kg serve`, declared once: each makes a command-line option, its help and a
row of the README's table. Kept apart from kg.serve so that the CLI reads them without importing
the server."""

from __future__ import annotations

from dataclasses import dataclass

from .store import DEFAULT_STORE

UPDATE_TOKEN_ENV = "HITZ_UPDATE_TOKEN"


@dataclass(frozen=True)
class Setting:
    """One server setting: it makes the `kg serve` option, its help and the README table."""

    name: str
    default: object
    help: str
    type: type = str
    multiple: bool = False
    envvar: str | None = None
    shown: str | None = None  # how the default reads, when its value says too little

    @property
    def default_text(self) -> str:
        if self.shown:
            return self.shown
        return {None: "none", (): "none", False: "off"}.get(self.default, str(self.default))  # type: ignore[call-overload]

    @property
    def option(self) -> str:
        return "--" + self.name

    @property
    def key(self) -> str:
        return self.name.replace("-", "_")

    @property
    def flag(self) -> bool:
        return self.type is bool


SETTINGS: tuple[Setting, ...] = (
    Setting("host", "127.0.0.1", "Interface to listen on; 127.0.0.1 answers this machine only."),
    Setting("port", 8000, "TCP port to listen on.", int),
    Setting("store", DEFAULT_STORE, "Store to serve: memory: (the built dist/), oxigraph:PATH, "
                                    "or a remote SPARQL 1.1 query endpoint http(s)://..."),
    Setting("update", None, "Update endpoint of a remote store.", shown="derived from --store"),
    Setting("cors", False, "Answer cross-origin requests from any web page (Access-Control-Allow-Origin: *).", bool),
    Setting("allow-update", False, "Accept SPARQL Update; needs --update-token, which requests must carry "
                                   "as 'Authorization: Bearer TOKEN'. Off: updates get 403.", bool),
    Setting("update-token", None, f"Bearer token for SPARQL Update (or the {UPDATE_TOKEN_ENV} environment "
                                  "variable).", envvar=UPDATE_TOKEN_ENV),
    Setting("query-timeout", 10.0, "Seconds a query may run; then it is cancelled and the client gets 503.", float),
    Setting("max-rows", 10000, "Most rows (or triples) in one answer; a cut answer has the header "
                               "Hitz-Truncated.", int),
    Setting("allow-service", (), "A SERVICE endpoint queries may call (repeatable). None by default: "
                                 "SERVICE is refused with 403.", multiple=True),
    Setting("max-request-bytes", 65536, "Largest query or request body; larger ones get 413.", int),
    Setting("workers", 2, "Query worker processes for a local store, in each front process (a slow query "
                          "holds one).", int),
    Setting("processes", 2, "HTTP front processes sharing the port, for a store on disk (oxigraph:PATH); "
                            "memory: and remote stores use one.", int),
    Setting("max-memory", 1024, "Megabytes of memory one query worker may add; a query that needs more "
                                "gets 503.", int),
    Setting("max-connections", 200, "Most connections at once; more get 503.", int),
    Setting("request-timeout", 10.0, "Seconds a client may take to send its request headers, or each "
                                     "part of its body; then the connection is closed (408).", float),
)
DEFAULTS = {s.key: s.default for s in SETTINGS}
