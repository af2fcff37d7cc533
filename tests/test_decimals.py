"""Unit tests of the build's xsd:decimal canonicalisation (kg.build.canonical_decimal): one lexical
form per value, so every export format reads back the same; every digit kept; no exponent accepted."""

from __future__ import annotations

import pytest
from rdflib import Dataset, Literal, URIRef
from rdflib.namespace import XSD

from kg.build import canonical_decimal, canonicalize_decimals
from kg.errors import ParseError


@pytest.mark.parametrize("written, canonical", [
    ("1.50", "1.5"),  # trailing zeros go
    ("1.5", "1.5"),
    ("-1.20", "-1.2"),
    ("+3.10", "3.1"),  # no plus sign
    ("007.0", "7.0"),  # nor leading zeros
    ("100", "100.0"),  # an integral value keeps its zeros and gains ".0"
    ("15300000000000", "15300000000000.0"),  # CNY15.3 trillion in yuan
    ("0.0015", "0.0015"),
    (".5", "0.5"),
    ("5.", "5.0"),
    ("0", "0.0"),
    ("0.000", "0.0"),
    ("-0", "0.0"),  # zero has no sign
    ("-0.00", "0.0"),
    (" 2.50 ", "2.5"),  # xsd:decimal collapses whitespace
    ("12345678901234567890.123456789", "12345678901234567890.123456789"),  # 29 digits: none rounded away
    ("0.000000000000000000000000000001", "0.000000000000000000000000000001"),
    # rdflib reads an exponent as the value it stands for (a Turtle file's "1E3"^^xsd:decimal is "1000")
    ("1E3", "1000.0"),
    ("1e-3", "0.001"),
])
def test_canonical_decimal(written: str, canonical: str):
    result = canonical_decimal(Literal(written, datatype=XSD.decimal))
    assert result == Literal(canonical, datatype=XSD.decimal)
    assert str(result) == canonical


@pytest.mark.parametrize("written", ["1E3", "1e-3", "NaN", "INF", "-INF", "abc", "", "1,5", "1.5.0", "--1"])
def test_a_form_xsd_decimal_does_not_have_is_one_parse_error(written: str):
    literal = Literal(written, datatype=XSD.decimal, normalize=False)  # as written, not as rdflib reads it
    with pytest.raises(ParseError) as error:
        canonical_decimal(literal)
    assert str(error.value) == f"{written.strip()!r}^^xsd:decimal is not a decimal (digits, a sign and a point; no exponent)"


def test_canonicalize_decimals_rewrites_only_decimals_in_their_graph():
    dataset = Dataset()
    graph = dataset.graph(URIRef("https://w3id.org/hitz/id/graph/facts"))
    s, p = URIRef("x:obs"), URIRef("x:value")
    graph.add((s, p, Literal("1.50", datatype=XSD.decimal)))
    graph.add((s, p, Literal("007", datatype=XSD.integer)))
    graph.add((s, p, Literal("1.50")))
    canonicalize_decimals(dataset)
    assert set(graph.objects(s, p)) == {Literal("1.5", datatype=XSD.decimal), Literal("007", datatype=XSD.integer),
                                        Literal("1.50")}
    assert {q[3] for q in dataset.quads()} == {graph.identifier}  # still in its named graph


def test_the_cli_reports_an_ill_typed_decimal_in_one_line(tmp_path):
    """rdflib logs the bad literal with a traceback; the command prints only its own line."""
    import subprocess
    import sys

    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n'
                   '<http://example.org/a> <http://example.org/p> "abc"^^xsd:decimal .\n')
    done = subprocess.run([sys.executable, "-m", "kg.cli", "validate", str(bad)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["error: 'abc'^^xsd:decimal is not a decimal "
                                        "(digits, a sign and a point; no exponent)"]
    assert "Traceback" not in done.stdout + done.stderr
