"""Reproducible builds: the same sources give the same bytes in every dist/ file, whatever the hash seed."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, XSD

from conftest import ROOT, copy_project
from kg.canonical import ordered_graph, relabel_blank_nodes
from kg.export import DATASET

EPOCH = "1700000000"  # 2023-11-14 UTC


def build_in_subprocess(dist: Path, seed: str, epoch: str = EPOCH, root: Path = ROOT) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": epoch}
    return subprocess.run([sys.executable, "-m", "kg.cli", "--root", str(root), "build", "--dist", str(dist)],
                          capture_output=True, text=True, cwd=ROOT, env=env, timeout=300)


def digests(dist: Path) -> dict[str, str]:
    return {path.name: hashlib.sha256(path.read_bytes()).hexdigest() for path in sorted(dist.iterdir())}


def test_two_builds_under_different_hash_seeds_have_the_same_bytes(tmp_path: Path) -> None:
    """Set order differs between the two seeds (rdflib's writers followed it); every file must not."""
    first, second = tmp_path / "seed-1", tmp_path / "seed-2"
    for dist, seed in ((first, "1"), (second, "2")):
        done = build_in_subprocess(dist, seed)
        assert done.returncode == 0, done.stderr
    assert sorted(digests(first)) == ["hitz.jsonld", "hitz.nq", "hitz.nt", "hitz.rdf", "hitz.trig", "hitz.ttl",
                                      "void.ttl"]
    assert digests(first) == digests(second)
    void = Graph().parse(first / "void.ttl")
    assert void.value(DATASET, DCTERMS.modified) == Literal("2023-11-14", datatype=XSD.date)


# blank nodes (which parsers label at random) and predicates in namespaces with no prefix (for
# which rdflib's writers make up ns1, ns2, ... in the order of a set)
EXTRA_FACTS = """
<https://w3id.org/hitz/id/zone/changsha> <http://example.org/aa/p1> "a" ; <http://example.org/bb/p2> "b" ;
    <http://example.org/cc/p3> [ <http://example.org/dd/p4> "c" ] , [ <http://example.org/dd/p4> "d" ] .
"""


def test_blank_nodes_and_new_namespaces_in_the_data_keep_the_bytes_stable(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / "data" / "facts" / "zz-extra.ttl").write_text(EXTRA_FACTS, encoding="utf-8")
    first, second = tmp_path / "seed-3", tmp_path / "seed-4"
    for dist, seed in ((first, "3"), (second, "4")):
        done = build_in_subprocess(dist, seed, root=project)
        assert done.returncode == 0, done.stderr
    assert digests(first) == digests(second)
    turtle = (first / "hitz.ttl").read_text(encoding="utf-8")
    assert "@prefix ns1: <http://example.org/aa/> ." in turtle and "@prefix ns4: <http://example.org/dd/> ." in turtle
    assert "_:c14n0" in (first / "hitz.nt").read_text(encoding="utf-8")


def test_a_malformed_source_date_epoch_is_one_line(tmp_path: Path) -> None:
    done = build_in_subprocess(tmp_path / "dist", "0", epoch="yesterday")
    assert done.returncode == 2
    assert done.stderr.strip() == "error: SOURCE_DATE_EPOCH='yesterday': not a whole number of seconds since 1970"
    assert not (tmp_path / "dist").exists()


TURTLE = """
@prefix ex: <http://example.org/> .
ex:a ex:knows [ ex:name "one" ; ex:knows [ ex:name "two" ] ] , [ ex:name "three" ] .
ex:b ex:list ( "x" "y" ) .
"""


def test_blank_nodes_get_the_same_labels_however_they_were_read() -> None:
    first, second = Graph().parse(data=TURTLE, format="turtle"), Graph().parse(data=TURTLE, format="turtle")
    assert {b for b in first.all_nodes() if isinstance(b, BNode)}.isdisjoint(second.all_nodes())  # random labels
    relabel_blank_nodes(first)
    relabel_blank_nodes(second)
    assert set(first) == set(second)
    assert isomorphic(first, Graph().parse(data=TURTLE, format="turtle"))
    labels = {str(b) for b in first.all_nodes() if isinstance(b, BNode)}
    assert labels == {f"c14n{i}" for i in range(len(labels))} and len(labels) == 5


def test_blank_nodes_shared_by_named_graphs_stay_shared() -> None:
    def dataset() -> Dataset:
        ds = Dataset()
        node = BNode()
        ds.graph(URIRef("http://example.org/g1")).add((URIRef("http://example.org/a"), DCTERMS.creator, node))
        ds.graph(URIRef("http://example.org/g2")).add((node, DCTERMS.title, Literal("shared", lang="en")))
        return ds

    first, second = dataset(), dataset()
    relabel_blank_nodes(first)
    relabel_blank_nodes(second)
    quads = set(first.quads((None, None, None, None)))
    assert quads == set(second.quads((None, None, None, None))) and len(quads) == 2
    (creator,) = first.graph(URIRef("http://example.org/g1")).objects()
    assert (creator, DCTERMS.title, Literal("shared", lang="en")) in first.graph(URIRef("http://example.org/g2"))


def test_an_ordered_graph_yields_its_triples_in_ntriples_order() -> None:
    graph = Graph().parse(data=TURTLE, format="turtle")
    relabel_blank_nodes(graph)
    ordered = ordered_graph(graph, like=graph)
    assert set(ordered) == set(graph)
    listed = list(ordered)
    assert listed == sorted(listed, key=lambda t: (t[0].n3(), t[1].n3(), t[2].n3()))
