"""The linked-data web site of `kg serve`: dereferenceable IRIs with content negotiation,
entity, article, indicator and ontology pages, server-drawn SVG charts and a query page.

`Site` wraps the SPARQL server's ASGI app (see kg.serve.create_app) and reads every fact
through the same service (worker pool, time and row limits) that answers /sparql.
"""

from .site import Site

__all__ = ["Site"]
