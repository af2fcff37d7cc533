"""Every error hitz-kg raises on purpose, under one base (HitzError); the CLI prints each as one line.

Exit codes (stable, documented in the README): 1 the data does not conform or a
check failed, 2 a file, query, option or service could not be read or used.
"""

from __future__ import annotations

import re

TYPE_CHECKING = False  # as typing.TYPE_CHECKING, without importing typing for an annotation
if TYPE_CHECKING:
    from collections.abc import Callable


class HitzError(Exception):
    """A user-facing error: one readable line (``str(exc)``) and the exit code the CLI ends with."""

    exit_code = 2


KgError = HitzError  # its earlier name, still used across the code and its tests


class ParseError(HitzError):
    """A data, shapes or query file that does not parse (FILE:LINE: message)."""


class QueryError(HitzError):
    """A SPARQL query that is malformed or cannot run."""


class NotBuiltError(HitzError):
    """The built graph is needed but `kg build` has not been run."""


class SpanError(HitzError):
    """A text span whose quote or offsets do not match the article."""

    exit_code = 1


class ValidationFailed(HitzError):
    """The graph violates the SHACL shapes; carries the readable report."""

    exit_code = 1

    def __init__(self, message: str, lines: list[str] | None = None):
        super().__init__(message)
        self.lines = lines or []


class ConfigurationError(HitzError):
    """Parameters that cannot be used as given (missing, contradictory, out of range).

    `parameters` names them as the library does (``store``, ``update_token``). The message
    is a template in which ``{name}`` stands for each parameter: ``str(exc)`` writes the
    parameter's name, ``exc.render(name)`` lets a caller write it its own way (the CLI
    writes ``--update-token``).
    """

    def __init__(self, template: str, *parameters: str):
        self.template = template
        self.parameters = parameters
        super().__init__(self.render())

    def render(self, name: Callable[[str], str] = str) -> str:
        """The message with each parameter written as `name(parameter)`."""
        return re.sub(r"\{(\w+)\}", lambda m: name(m[1]) if m[1] in self.parameters else m[0], self.template)


class StoreError(HitzError):
    """A store or endpoint that cannot be reached or refuses the request."""


class StoreInUse(StoreError):
    """The embedded store is open read-write in another process (usually `kg serve`)."""


class NotLoadedError(StoreError):
    """The store holds no graph of this project yet."""


class EndpointError(StoreError):
    """A SPARQL endpoint that failed or refused a request (kg.sparql_client); `status` is its
    HTTP status when it answered, `retry_after` the seconds it asked to wait (429, 503)."""

    def __init__(self, message: str, status: int | None = None, retry_after: float | None = None):
        super().__init__(message)
        self.status = status
        self.retry_after = retry_after


class Refused(QueryError):
    """A query or request that will not run: an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


class Busy(HitzError):
    """Every query worker of the endpoint is busy: the client is asked to try again (503)."""

    def __init__(self, message: str = "every query worker is busy: try again shortly"):
        super().__init__(message)
