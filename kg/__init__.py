"""hitz-kg: a knowledge graph of China's national high-tech industrial development zones.

The library behind the `kg` command::

    import kg

    project = kg.Project.default()          # this checkout (or $HITZ_ROOT)
    result = kg.build(project, dist)        # parse, check spans, derive, validate, write dist/
    with kg.built_store(dist) as store:     # or kg.open_store("oxigraph:.kg/store"), "http://..."
        rows = kg.solutions(store.query("SELECT ..."))
    report = kg.check(project).report       # validate without writing: a kg.Report

Every error raised on purpose is a :class:`kg.HitzError`. The names below load their
modules on first use, so ``import kg`` stays quick.
"""

from __future__ import annotations

import sys
from importlib import import_module
from types import ModuleType

from .errors import (Busy, ConfigurationError, EndpointError, HitzError, KgError, NotBuiltError, NotLoadedError,
                     ParseError, QueryError, Refused, SpanError, StoreError, StoreInUse, ValidationFailed)

__version__ = "0.1.0"
TYPE_CHECKING = False  # as typing.TYPE_CHECKING (mypy reads it so), without importing typing

# name -> the module of kg that defines it, imported when the name is first used
_LAZY: dict[str, str] = {
    "Project": "project", "Source": "project",
    "Build": "build", "build": "build", "check": "build",
    "Report": "validate", "Violation": "validate",
    "Store": "store", "open_store": "store", "built_store": "store",
    "Question": "query", "questions": "query", "read_query": "query", "render": "query", "solutions": "query",
}

__all__ = [
    "__version__",
    # the project, building and checking it
    "Project", "Source", "Build", "build", "check", "Report", "Violation",
    # stores and queries
    "Store", "open_store", "built_store", "Question", "questions", "read_query", "render", "solutions",
    # errors
    "HitzError", "KgError", "ConfigurationError", "ParseError", "QueryError", "NotBuiltError", "SpanError",
    "ValidationFailed", "StoreError", "StoreInUse", "NotLoadedError", "EndpointError", "Refused", "Busy",
]

if TYPE_CHECKING:
    from typing import Any

    from .build import Build, build, check
    from .project import Project, Source
    from .query import Question, questions, read_query, render, solutions
    from .store import Store, built_store, open_store
    from .validate import Report, Violation


def __getattr__(name: str) -> Any:
    """Import the module of a public name on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(ModuleType):
    """The kg package: `kg.build` stays the function when the module kg.build is imported
    (the import system would set the attribute to the module; it stays in sys.modules)."""

    def __setattr__(self, name: str, value: object) -> None:
        if isinstance(value, ModuleType) and _LAZY.get(name) == name:
            return
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
