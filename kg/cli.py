"""The `kg` command: a thin layer over the library. Every command is a library call.

Exit codes: 0 success, 1 the data does not conform or a check failed,
2 a file, query, option or service could not be used.
"""

from __future__ import annotations

import logging
import os
import sys
from functools import wraps
from pathlib import Path

import click

from . import __version__
from .errors import ConfigurationError, KgError
from .project import Project


def option_of(parameter: str) -> str:
    """The command-line option of a library parameter (a ConfigurationError names parameters)."""
    return "--" + parameter.replace("_", "-")


def reports_errors(func):
    """Turn a KgError into one line on stderr and its exit code: never a traceback."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            from .store import mask_credentials

            message = exc.render(option_of) if isinstance(exc, ConfigurationError) else str(exc)
            click.echo(f"error: {mask_credentials(message)}", err=True)
            for line in getattr(exc, "lines", []):
                click.echo(mask_credentials(line), err=True)
            sys.exit(exc.exit_code)
        except (OSError, ValueError, RuntimeError, UnicodeError) as exc:  # one line, never a traceback
            if os.environ.get("KG_DEBUG"):
                raise
            from .store import mask_credentials

            text = " ".join(str(exc).split()) or type(exc).__name__
            click.echo(f"error: {mask_credentials(text)} (KG_DEBUG=1 shows the traceback)", err=True)
            sys.exit(2)

    return wrapper


def format_option(choices: tuple[str, ...], default: str):
    """The one --format option that every printing command shares."""
    return click.option(
        "--format", "-f", "fmt", type=click.Choice(choices), default=default, show_default=True,
        help="Output format.",
    )


class KgGroup(click.Group):
    """A click group whose usage errors are one line ("error: ..."), exit 2, never a usage dump."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            rv = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except click.UsageError as exc:
            command = exc.ctx.command_path if exc.ctx else "kg"
            click.echo(f"error: {exc.format_message()} (see '{command} --help')", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            click.echo(f"error: {exc.format_message()}", err=True)
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("aborted", err=True)
            sys.exit(1)
        if not standalone_mode:
            return rv
        sys.exit(rv if isinstance(rv, int) else 0)


def project_of(ctx: click.Context) -> Project:
    return ctx.obj


@click.group(cls=KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option(
    "--root", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Project folder holding ontology/, shapes/, data/, queries/ (default: this checkout).",
)
@click.pass_context
def cli(ctx: click.Context, root: Path | None) -> None:
    """A knowledge graph of China's national high-tech industrial development zones."""
    ctx.obj = Project(root) if root else Project.default()


@cli.command()
@click.option("--dist", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Output folder (default: dist/ in the project).")
@click.pass_context
@reports_errors
def build(ctx: click.Context, dist: Path | None) -> None:
    """Parse, check spans, derive, validate, and only then write dist/.

    Example:

        kg build
    """
    from .build import build as run_build

    project = project_of(ctx)
    result = run_build(project, dist)
    target = dist or project.dist_dir
    click.echo(f"built {len(result.union())} triples into {target}/")
    for graph in sorted(result.dataset.graphs(), key=lambda g: str(g.identifier)):
        if len(graph):
            click.echo(f"  {graph.identifier}  {len(graph)} triples")


@cli.command()
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
@format_option(("text", "turtle"), "text")
@click.option("--engine", type=click.Choice(("sparql", "pyshacl")), default="sparql", show_default=True,
              help="sparql: one whole-graph query per constraint in Oxigraph; pyshacl: the reference.")
@click.option("--graph", "whole", is_flag=True,
              help="The files are whole graphs (dist/hitz.nq, `kg generate` output): check them as they are.")
@click.pass_context
@reports_errors
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str, engine: str, whole: bool) -> None:
    """Validate the graph (or the given data files, with the project's ontology) against the shapes.

    Exit 0 conforms, 1 does not conform, 2 a file could not be read.

    Example:

        kg validate
        kg validate my-facts.ttl --format turtle
        kg validate --graph big.nq
    """
    from .build import check
    from .validate import load_shapes, validate_files

    project = project_of(ctx)
    if whole:
        if not files:
            raise KgError("--graph needs the graph files to check")
        report = validate_files(list(files), load_shapes(project.shape_files()), engine)
    else:
        report = check(project, list(files) if files else None, engine).report
    if fmt == "turtle":
        click.echo(report.graph.serialize(format="turtle"))
    else:
        for line in report.lines():
            click.echo(line)
        click.echo("conforms" if report.conforms else f"does not conform: {len(report.violations)} results")
    sys.exit(0 if report.conforms else 1)


@cli.command()
@click.option("--triples", type=click.IntRange(min=1), required=True, help="About how many triples to write.")
@click.option("--violations", type=click.IntRange(min=0), default=0, show_default=True,
              help="How many observations to break in each way (missing unit, percentage over 100, ...).")
@click.option("--seed", type=int, default=0, show_default=True, help="The same seed writes the same file.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), required=True,
              help="File to write: .nq (N-Quads) or .ttl (Turtle).")
@click.pass_context
@reports_errors
def generate(ctx: click.Context, triples: int, violations: int, seed: int, output: Path) -> None:
    """Write synthetic data in the project's model: the article's graph plus a generated yearbook.

    Example:

        kg generate --triples 1000000 --violations 3 -o big.nq
    """
    from .generate import generate as run_generate, write
    from .progress import bar

    if output.suffix.lower() not in (".nq", ".ttl"):
        raise KgError(f"{output}: write .nq (N-Quads) or .ttl (Turtle)")
    with bar(triples // 16, "obs", "generating") as progress:
        lines, info = run_generate(triples, violations, seed, project_of(ctx), progress.update)
    write(output, lines)
    click.echo(f"wrote {info.triples} triples ({info.observations} observations, {info.zones} zones) to {output}")
    for kind, broken in info.broken.items():
        if broken:
            click.echo(f"  {kind}: {len(broken)} ({', '.join(broken[:3])}{', ...' if len(broken) > 3 else ''})")


def source_options(func):
    """Where a querying command asks: a store, a SPARQL endpoint, or (default) the local graph."""
    func = click.option("--store", "store_url", default=None, metavar="URL",
                        help="Store to ask: memory: (dist/), oxigraph:PATH, or a store's http(s):// query "
                             "endpoint. Default: the embedded store if `kg load` loaded the current build, "
                             "else dist/.")(func)
    func = click.option("--endpoint", default=None, metavar="URL",
                        help="Any SPARQL endpoint, asked through SPARQLWrapper as is.")(func)
    func = click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
                        help="Seconds to wait for a store or endpoint.")(func)
    return func


@cli.command()
@click.argument("query")
@format_option(("table", "json", "csv", "tsv", "xml", "turtle"), "table")
@source_options
@click.pass_context
@reports_errors
def query(ctx: click.Context, query: str, fmt: str, store_url: str | None, endpoint: str | None,
          timeout: float) -> None:
    """Run a SPARQL query (text, or a .rq file) on the graph, a store or an endpoint.

    SELECT and ASK print as table, json, csv, tsv or xml; CONSTRUCT and DESCRIBE
    as Turtle (or json for JSON-LD, xml for RDF/XML).

    Example:

        kg query queries/01-zones-2012-2022.rq
        kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format csv
        kg query queries/03-gdp-2012-2021.rq --endpoint http://127.0.0.1:8000/sparql
    """
    from .errors import QueryError
    from .query import read_query, render
    from .sparql_text import MAX_DEPTH, nesting_depth
    from .store import raced_writer, store_for_queries

    project = project_of(ctx)
    text = read_query(query)
    source = query if text is not query else "query"
    if nesting_depth(text) > MAX_DEPTH:  # Oxigraph's parser would overflow its stack and crash
        raise QueryError(f"{source}: the query nests {{ ( [ more than {MAX_DEPTH} deep: refused")
    for attempt in range(4):
        target = store_for_queries(project.root, project.dist_dir, store=store_url, endpoint=endpoint,
                                   timeout=timeout)
        result = target.query(text, source=source)
        try:
            printed = render(result, fmt)  # results are read lazily: a SERVICE call can fail here
            break
        except (OSError, RuntimeError, ValueError) as exc:
            if raced_writer(exc) and attempt < 3:
                continue  # `kg load` replaced the store meanwhile: ask the new one
            reason = str(exc).split(" with payload:")[0].strip().splitlines()
            raise QueryError(f"{source}: the query failed: {reason[0] if reason else type(exc).__name__}") from None
    click.echo(printed.rstrip("\n"))


@cli.command()
@source_options
@click.option("--network", is_flag=True, help="Also run the questions that ask Wikidata over the network.")
@click.pass_context
@reports_errors
def questions(ctx: click.Context, store_url: str | None, endpoint: str | None, timeout: float, network: bool) -> None:
    """Print every competency question of queries/ with its answer.

    Questions marked `# Needs: network` (they ask Wikidata through SERVICE)
    are skipped unless --network is given.

    Example:

        kg questions
        kg questions --network
        kg questions --store http://127.0.0.1:7878/query
    """
    from .query import questions as catalog, render
    from .store import store_for_queries

    project = project_of(ctx)
    store = store_for_queries(project.root, project.dist_dir, store=store_url, endpoint=endpoint, timeout=timeout)
    for q in catalog(project.queries_dir):
        click.echo(f"== {q.name}: {q.question}")
        if q.needs_network and not network:
            click.echo("(asks another endpoint over the network: skipped; run `kg questions --network`)")
        else:
            click.echo(render(store.query(q.sparql, source=str(q.path)), "table"))
        click.echo()


@cli.command()
@click.option("--store", "store_url", default=None, metavar="URL",
              help="Store to load: oxigraph:PATH, memory: or a store's http(s):// query endpoint.  "
                   "[default: oxigraph:.kg/store]")
@click.option("--update", default=None, metavar="URL", help="Update endpoint of a remote store (default: derived).")
@click.option("--graph-store", default=None, metavar="URL",
              help="Graph Store Protocol endpoint of a remote store (default: derived).")
@click.option("--timeout", type=click.FloatRange(min=1), default=120.0, show_default=True,
              help="Seconds to wait for each request to a remote store.")
@click.option("--dist", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built graph to load (default: dist/ in the project).")
@click.pass_context
@reports_errors
def load(ctx: click.Context, store_url: str | None, update: str | None, graph_store: str | None,
         timeout: float, dist: Path | None) -> None:
    """Load the built graph (dist/) into a store, replacing this project's named graphs.

    Readers see the old graph or the new one, never half: locally one transaction;
    remotely every graph goes to a staging graph, then one update moves them in.

    Example:

        kg load
        kg load --store http://127.0.0.1:7878/query
        kg load --store http://localhost:3030/hitz/sparql
    """
    from .store import DEFAULT_STORE, open_store

    project = project_of(ctx)
    store = open_store(store_url, root=project.root, update=update, graph_store=graph_store, timeout=timeout)
    from .progress import bar

    nquads = (dist or project.dist_dir) / "hitz.nq"
    big = nquads.is_file() and nquads.stat().st_size > 10_000_000
    try:
        with bar(None if big else 0, "triples", "loading") as progress:  # shown on a terminal only
            step = None if progress.disable else lambda _, n: progress.update(n)
            counts = store.replace(dist or project.dist_dir, step)
    finally:
        store.close()
    ours = {g: n for g, n in counts.items() if g.startswith("https://w3id.org/hitz/")}
    click.echo(f"loaded {sum(ours.values())} triples into {store_url or DEFAULT_STORE}")
    for graph, n in ours.items():
        click.echo(f"  {graph}  {n} triples")


def serve_options(func):
    """One option per declared server setting (kg.serve_settings.SETTINGS), defaults shown."""
    from .serve_settings import SETTINGS

    for setting in reversed(SETTINGS):
        shown = True if setting.default_text == str(setting.default) else setting.default_text
        kwargs = dict(default=setting.default, help=setting.help, show_default=shown, envvar=setting.envvar)
        if setting.flag:
            kwargs["is_flag"] = True
        elif setting.multiple:
            kwargs.update(multiple=True, metavar="URL")
        else:
            kwargs["type"] = setting.type
        func = click.option(setting.option, setting.key, **kwargs)(func)
    return func


@cli.command()
@serve_options
@click.option("--dist", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The built graph: its void.ttl describes the service; memory: serves it (default: dist/).")
@click.pass_context
@reports_errors
def serve(ctx: click.Context, dist: Path | None, **settings) -> None:
    """Serve the graph over the SPARQL 1.1 Protocol at /sparql (and /health).

    Safe by default: loopback only, read-only, a time and a row limit per
    query, no SERVICE calls, no CORS. Serves the embedded store that `kg load`
    filled, or any store URL.

    Example:

        kg serve
        kg serve --store http://127.0.0.1:7878/query --port 8001
    """
    from .serve import Config, serve as run

    run(Config(**settings), project_of(ctx).root, dist)


@cli.command()
@format_option(("turtle", "json-ld", "nt", "nquads", "trig", "xml"), "turtle")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (replaced only when the export succeeded) instead of stdout.")
@click.pass_context
@reports_errors
def export(ctx: click.Context, fmt: str, output: Path | None) -> None:
    """Export the whole graph (ontology and data) in one RDF format.

    Example:

        kg export --format json-ld -o hitz.jsonld
        kg export --format trig
    """
    from .export import export as run_export

    data = run_export(project_of(ctx), fmt, output)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


@cli.command()
@click.option("--all", "show_all", is_flag=True, help="List every number, not only those not accounted for.")
@click.pass_context
@reports_errors
def coverage(ctx: click.Context, show_all: bool) -> None:
    """List every number of the article and the facts whose span contains it.

    Exits 1 if any number is not accounted for. Numbers inside names (C919,
    Covid-19) are reported as names.

    Example:

        kg coverage --all
    """
    from .coverage import project_coverage
    from .query import table

    found = project_coverage(project_of(ctx))
    rows = [[source, str(n.start), n.text, n.kind,
             ", ".join(f.rsplit("/id/", 1)[-1] for f in n.facts) or "NOT ACCOUNTED FOR"]
            for source, n in found.numbers if show_all or not n.accounted]
    if rows:
        click.echo(table(["source", "offset", "number", "kind", "facts"], rows))
    click.echo(found.summary())
    sys.exit(0 if found.complete else 1)


@cli.command()
@click.pass_context
@reports_errors
def conflicts(ctx: click.Context) -> None:
    """Compare every figure two sources state for one indicator and area: agree, conflict or not comparable.

    Exits 1 if any pair conflicts, so a build can be gated on it.

    Example:

        kg conflicts
    """
    from .conflicts import compare, render

    found = compare(project_of(ctx))
    click.echo(render(found))
    sys.exit(1 if any(c.verdict == "conflict" for c in found) else 0)


@cli.command()
@click.option("--write", is_flag=True, help="Add the offsets of quotes that have none to the span files.")
@click.pass_context
@reports_errors
def spans(ctx: click.Context, write: bool) -> None:
    """Check every quote of every source against its text; with --write, add missing offsets.

    A quote must occur exactly once in the article, and its oa:start/oa:end
    (Unicode code points) must select it. Exit 1 on a mismatch.

    Example:

        kg spans --write
    """
    from .query import table
    from .spans import check_project_spans

    def added(path: Path, count: int) -> None:
        click.echo(f"{path}: added the offsets of {count} quote(s)", err=True)

    rows = []
    for q in check_project_spans(project_of(ctx), write, added):
        quote = q.exact if len(q.exact) <= 60 else q.exact[:57] + "..."
        rows.append([q.source, str(q.span).rsplit("/", 1)[-1], str(q.start), str(q.end), quote])
    click.echo(table(["source", "span", "start", "end", "quote"], rows))


@cli.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--published", help="The text's publication date, YYYY-MM-DD: periods are resolved against it.")
@click.option("--lang", type=click.Choice(("en", "zh")), default=None, help="The text's language (default: guessed).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the draft graph (Turtle) to this file.")
@format_option(("table", "turtle"), "turtle")
@click.option("--evaluate", is_flag=True, help="Measure the extractor against every curated source of the graph.")
@click.option("--unseen", is_flag=True,
              help="With --evaluate: measure it on the news texts annotated in tests/extract/unseen/ instead.")
@click.option("--texts", type=click.Path(path_type=Path), default=None,
              help="With --unseen: the folder holding those texts, which are not in the repository "
                   "(default: $HITZ_UNSEEN_TEXTS).")
@click.option("--group", "groups", multiple=True, metavar="NAME",
              help="With --unseen: only the texts of this group (tuned, held-out, fresh, blind2, blind3, blind4, "
                   "blind5, blind6, blind7, blind8, blind9, blind10, blind11, blind12, blind13, blind14, blind15, blind16, blind17, "
                     "blind18, blind19, blind20, blind21, blind23, blind24; repeat for "
                   "more), so the folder needs to hold only theirs.")
@click.option("--periods", type=click.Choice(("rules", "model")), default="model", show_default=True,
              help="Who chooses each figure's period: the learned chooser over the rules' candidates, where the rules "
                   "fell back on a carried period or the day of publication (kg/extract/period-model.json), or the "
                   "rules alone (tests/extract/unseen/MODEL.md measures both).")
@click.option("--filter", "filter_mode", type=click.Choice(("drop", "mark", "off")), default=None,
              help="The learned figure filter (tests/extract/unseen/FILTER.md): drop the drafts it doubts (listed at "
                   "the end), mark them (a lower confidence and a rule saying so), or off. Default: the shipped mode, drop (below p=0.2).")
@click.pass_context
@reports_errors
def extract(ctx: click.Context, file: Path | None, published: str | None, lang: str | None, output: Path | None,
            fmt: str, evaluate: bool, unseen: bool, texts: Path | None, groups: tuple[str, ...], periods: str,
            filter_mode: str | None) -> None:
    """Draft the figures of a text as observations for a person to confirm, or measure the drafts.

    The draft (hitz:DraftObservation) is refused by `kg build` until a person moves
    what they confirm into a source's facts. --evaluate exits 1 below the targets.

    Example:

        kg extract news.txt --published 2023-12-12 --format table
        kg extract --evaluate
        kg extract --evaluate --unseen --texts ~/unseen-texts
        kg extract --evaluate --unseen --group blind3 --texts ~/blind3-texts
        kg extract --evaluate --unseen --periods model   # the learned period chooser
    """
    from .extract.cli import run_evaluation, run_extract

    project = project_of(ctx)
    if unseen and not evaluate:
        raise click.UsageError("--unseen goes with --evaluate")
    if texts is not None and not unseen:
        raise click.UsageError("--texts goes with --evaluate --unseen")
    if groups and not unseen:
        raise click.UsageError("--group goes with --evaluate --unseen")
    if evaluate:
        lines, ok = run_evaluation(project, unseen, texts, lambda line: click.echo(f"warning: {line}", err=True),
                                   groups, filter_mode, periods)
        click.echo("\n".join(lines))
        sys.exit(0 if ok else 1)
    if file is None or published is None:
        raise click.UsageError("give FILE and --published YYYY-MM-DD (or --evaluate)")
    click.echo(run_extract(project, file, published, lang, output, fmt, filter_mode, periods), nl=False)


@cli.group()
def link() -> None:
    """Find and check links to Wikidata (or any Wikidata-shaped SPARQL endpoint)."""


def endpoint_options(func):
    """The options every link command shares: where to ask, how politely, how long to wait."""
    from .link import WIKIDATA_ENDPOINT

    func = click.option("--endpoint", default=WIKIDATA_ENDPOINT, show_default=True,
                        help="SPARQL endpoint to ask (Wikidata-shaped: rdfs:label, wdt:P31, wdt:P279, wdt:P131).")(func)
    func = click.option("--delay", type=click.FloatRange(min=0), default=1.0, show_default=True,
                        help="Seconds between requests (polite rate limit).")(func)
    func = click.option("--timeout", type=click.FloatRange(min=1), default=30.0, show_default=True,
                        help="Seconds to wait for each answer.")(func)
    return func


def _linked_graph(project: Project):
    from .build import assemble
    from .rdfio import union_of

    return union_of(assemble(project))


@link.command()
@endpoint_options
@click.option("--type", "type_", default=None, help="Only entities of this class (e.g. schema:City or a full IRI).")
@click.option("--accept", type=click.FloatRange(0, 1), default=None,
              help="Write the best candidate of each entity scoring at least this into a link set.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Link set file for --accept (default: data/links/wikidata-discovered.ttl).")
@click.option("--fuzzy", is_flag=True, help="Match labels that contain ours, not only equal ones (slow on large endpoints).")
@click.option("--batch", type=click.IntRange(1, 50), default=10, show_default=True,
              help="Entities asked about in one request.")
@click.pass_context
@reports_errors
def discover(ctx, endpoint, delay, timeout, type_, accept, output, fuzzy, batch) -> None:
    """Rank candidates for each entity that has no Wikidata link yet.

    Candidates come by English and Chinese label; the score weighs label
    similarity, type compatibility (wdt:P31/wdt:P279*) and place containment.

    Example:

        kg link discover --type schema:City
        kg link discover --endpoint http://127.0.0.1:7878/query --accept 0.9
    """
    from .link import Endpoint, discover as find, write_accepted
    from .query import table

    project = project_of(ctx)
    type_filter = _resolve_class(type_) if type_ else None
    ranked = find(_linked_graph(project), Endpoint(endpoint, timeout=timeout, delay=delay),
                  type_filter=type_filter, fuzzy=fuzzy, batch=batch)
    rows = []
    for entity, cands in ranked:
        if not cands:
            rows.append([entity.name, "", "(no candidate)", "", "", "", ""])
        for rank, c in enumerate(cands[:5], 1):
            rows.append([entity.name if rank == 1 else "", f"{rank}. wd:{c.qid}", c.label, f"{c.score:.3f}",
                         f"{c.label_score:.2f}", _yes_no(c.type_ok), _yes_no(c.contained)])
    click.echo(table(["entity", "candidate", "label", "score", "label~", "type", "place"], rows))
    if accept is not None:
        target = output or project.data_dir / "links" / "wikidata-discovered.ttl"
        chosen = write_accepted(ranked, endpoint, accept, target)
        click.echo(f"accepted {len(chosen)} link(s) at score >= {accept}: wrote {target}")


@link.command("check")
@endpoint_options
@click.pass_context
@reports_errors
def check_links(ctx, endpoint, delay, timeout) -> None:
    """Check every Wikidata link: the item exists, its label and type fit. Exit 1 on a broken link.

    Example:

        kg link check
        kg link check --endpoint http://127.0.0.1:7878/query
    """
    from .link import Endpoint, check
    from .query import table

    results = check(_linked_graph(project_of(ctx)), Endpoint(endpoint, timeout=timeout, delay=delay))
    rows = [[r.status, str(r.entity).rsplit("/id/", 1)[-1], "wd:" + str(r.item).rsplit("/", 1)[-1], r.reason]
            for r in results]
    click.echo(table(["status", "entity", "target", "why"], rows))
    counts = {s: sum(r.status == s for r in results) for s in ("ok", "suspicious", "broken")}
    click.echo(", ".join(f"{n} {s}" for s, n in counts.items()))
    sys.exit(1 if counts["broken"] else 0)


def _yes_no(value) -> str:
    return "" if value is None else ("yes" if value else "no")


@cli.command()
@click.option("--server-url", required=True, help="Where the site is served, e.g. https://hitz.example.org/.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (replaced only when complete) instead of stdout.")
@reports_errors
def w3id(server_url: str, output: Path | None) -> None:
    """Print the w3id.org redirect rules (.htaccess) for the base IRI (HITZ_BASE_IRI).

    Example:

        kg w3id --server-url https://hitz.example.org/ -o hitz.htaccess
    """
    from .files import write_atomically
    from .web.w3id import htaccess

    text = htaccess(server_url)
    if output is None:
        click.echo(text, nl=False)
    else:
        write_atomically(output, text.encode("utf-8"))
        click.echo(f"wrote {output}", err=True)


def _resolve_class(name: str):
    from rdflib import URIRef

    from .errors import KgError
    from .namespaces import PREFIXES

    if name.startswith(("http://", "https://")):
        return URIRef(name)
    prefix, _, local = name.partition(":")
    if prefix in PREFIXES and local:
        return PREFIXES[prefix][local]
    raise KgError(f"--type {name!r}: give a full IRI or a prefixed name with one of {', '.join(sorted(PREFIXES))}")


def main() -> None:
    # rdflib logs an ill-typed literal ("abc"^^xsd:decimal) as a warning with a traceback;
    # the checks that read it report it in one line of their own
    logging.getLogger("rdflib.term").setLevel(logging.ERROR)
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
