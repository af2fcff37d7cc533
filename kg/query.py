"""Run SPARQL queries on the built graph and print their results in the usual formats."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from .errors import QueryError

RESULT_FORMATS = ("table", "json", "csv", "tsv", "xml", "turtle")
_SOLUTION_FORMATS = {
    "json": ox.QueryResultsFormat.JSON,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
    "xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "table": ox.RdfFormat.TURTLE,
    "json": ox.RdfFormat.JSON_LD,
    "xml": ox.RdfFormat.RDF_XML,
    "csv": ox.RdfFormat.N_TRIPLES,
    "tsv": ox.RdfFormat.N_TRIPLES,
}


@dataclass(frozen=True)
class Question:
    """A competency question: its file, the question in words, and the SPARQL."""

    path: Path
    question: str
    sparql: str

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def needs_network(self) -> bool:
        """A question that asks another endpoint (SERVICE) says so with a `# Needs: network` line."""
        return bool(re.search(r"^#\s*Needs:\s*network", self.sparql, re.MULTILINE | re.IGNORECASE))


def load_question(path: Path) -> Question:
    text = path.read_text(encoding="utf-8")
    match = re.search(r"^#\s*Question:\s*(.+)$", text, re.MULTILINE)
    return Question(path, match.group(1).strip() if match else path.stem, text)


def questions(queries_dir: Path) -> list[Question]:
    """The question catalog: every .rq file of queries/, by name."""
    return [load_question(p) for p in sorted(queries_dir.glob("*.rq"))]


def read_query(query_or_path: str) -> str:
    """A query given as text, or as the path of a .rq file."""
    path = Path(query_or_path)
    short = len(query_or_path) < 256 and "\n" not in query_or_path
    if short and path.is_dir():
        raise QueryError(f"{query_or_path}: is a folder; give a query or a .rq file")
    if query_or_path.endswith((".rq", ".sparql")) or (short and path.is_file()):
        try:
            return path.read_text(encoding="utf-8")
        except OSError as exc:
            raise QueryError(f"{query_or_path}: {exc.strerror or exc}") from None
        except UnicodeDecodeError as exc:
            raise QueryError(f"{query_or_path}: not UTF-8 text (byte {exc.start})") from None
    return query_or_path


def render(result, fmt: str = "table") -> str:
    """Format a SELECT, ASK, CONSTRUCT or DESCRIBE result as text."""
    if fmt not in RESULT_FORMATS:
        raise QueryError(f"unknown format {fmt!r}: choose one of {', '.join(RESULT_FORMATS)}")
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return "true" if bool(result) else "false"
        if fmt == "turtle":
            raise QueryError("an ASK query has no graph to print as Turtle; choose table, json, csv, tsv or xml")
        return (result.serialize(format=_SOLUTION_FORMATS[fmt]) or b"").decode("utf-8")
    if isinstance(result, ox.QuerySolutions):
        if fmt == "table":
            variables = [v.value for v in result.variables]
            rows = [[term_text(solution[v]) for v in variables] for solution in result]
            return table(variables, rows)
        if fmt == "turtle":
            raise QueryError("a SELECT query has no graph to print as Turtle; choose table, json, csv, tsv or xml")
        return (result.serialize(format=_SOLUTION_FORMATS[fmt]) or b"").decode("utf-8")
    return result.serialize(format=_GRAPH_FORMATS[fmt]).decode("utf-8")


def solutions(result) -> list[dict[str, object]]:
    """A SELECT result as a list of {variable: Python value} rows, for tests and scripts."""
    variables = [v.value for v in result.variables]
    return [{v: python_value(solution[v]) for v in variables} for solution in result]


def python_value(term):
    """A result term as a plain Python value: numbers as int or Decimal, IRIs and strings as str."""
    from decimal import Decimal

    if term is None:
        return None
    if isinstance(term, ox.Literal):
        dt = term.datatype.value if term.datatype else ""
        if dt.endswith("#integer") or dt.endswith("#int") or dt.endswith("#long"):
            return int(term.value)
        if dt.endswith("#decimal") or dt.endswith("#double") or dt.endswith("#float"):
            return Decimal(term.value)
        if dt.endswith("#boolean"):
            return term.value == "true"
        return term.value
    return term.value


PREFIXES_FOR_DISPLAY = {
    "https://w3id.org/hitz/ontology#": "hitz:",
    "https://w3id.org/hitz/id/": "id:",
    "http://qudt.org/vocab/unit/": "unit:",
    "http://reference.data.gov.uk/id/": "ref:",
    "http://www.wikidata.org/entity/": "wd:",
}


def term_text(term) -> str:
    """A short, readable form of a result term for the table format."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for base, prefix in PREFIXES_FOR_DISPLAY.items():
            if term.value.startswith(base):
                return prefix + term.value[len(base):]
        return term.value
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    return term.value


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain text table with a header rule; long cells are kept whole."""
    widths = [len(h) for h in headers]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max(widths[i], len(cell))

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()

    out = [line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)
