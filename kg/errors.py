"""Named errors for things a user can get wrong; the CLI prints each as one line.

Exit codes (stable, documented in the README): 1 the data does not conform or a
check failed, 2 a file, query or option could not be read or used.
"""

from __future__ import annotations


class KgError(Exception):
    """A user-facing error: one readable line and an exit code."""

    exit_code = 2


class ParseError(KgError):
    """A data, shapes or query file that does not parse (FILE:LINE: message)."""


class QueryError(KgError):
    """A SPARQL query that is malformed or cannot run."""


class NotBuiltError(KgError):
    """The built graph is needed but `kg build` has not been run."""


class SpanError(KgError):
    """A text span whose quote or offsets do not match the article."""

    exit_code = 1


class ValidationFailed(KgError):
    """The graph violates the SHACL shapes; carries the readable report."""

    exit_code = 1

    def __init__(self, message: str, lines: list[str] | None = None):
        super().__init__(message)
        self.lines = lines or []


class StoreError(KgError):
    """A store or endpoint that cannot be reached or refuses the request."""


class Refused(QueryError):
    """A query or request that will not run: an HTTP status and a one-line reason."""

    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message
