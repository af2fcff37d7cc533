"""The `kg` command: a thin layer over the library. Every command is a library call.

Exit codes: 0 success, 1 the data does not conform or a check failed,
2 a file, query, option or service could not be used.
"""

from __future__ import annotations

import sys
from functools import wraps
from pathlib import Path

import click

from . import __version__
from .errors import KgError
from .project import Project


def reports_errors(func):
    """Turn a KgError into one line on stderr and its exit code: never a traceback."""

    @wraps(func)
    def wrapper(*args, **kwargs):
        try:
            return func(*args, **kwargs)
        except KgError as exc:
            click.echo(f"error: {exc}", err=True)
            for line in getattr(exc, "lines", []):
                click.echo(line, err=True)
            sys.exit(exc.exit_code)

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
@click.pass_context
@reports_errors
def validate(ctx: click.Context, files: tuple[Path, ...], fmt: str) -> None:
    """Validate the graph (or the given data files, with the project's ontology) against the shapes.

    Exit 0 conforms, 1 does not conform, 2 a file could not be read.

    Example:

        kg validate
        kg validate my-facts.ttl --format turtle
    """
    from .build import check

    result = check(project_of(ctx), list(files) if files else None)
    report = result.report
    if fmt == "turtle":
        click.echo(report.graph.serialize(format="turtle"))
    else:
        for line in report.lines():
            click.echo(line)
        click.echo("conforms" if report.conforms else f"does not conform: {len(report.violations)} results")
    sys.exit(0 if report.conforms else 1)


@cli.command()
@click.argument("query")
@format_option(("table", "json", "csv", "tsv", "xml", "turtle"), "table")
@click.pass_context
@reports_errors
def query(ctx: click.Context, query: str, fmt: str) -> None:
    """Run a SPARQL query (text, or a .rq file) on the built graph.

    SELECT and ASK print as table, json, csv, tsv or xml; CONSTRUCT and DESCRIBE
    as Turtle (or json for JSON-LD, xml for RDF/XML).

    Example:

        kg query queries/01-zones-2012-2022.rq
        kg query 'SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }' --format csv
    """
    from .query import execute, open_built, read_query, render

    project = project_of(ctx)
    text = read_query(query)
    result = execute(open_built(project.dist_dir), text, source=query if text is not query else "query")
    click.echo(render(result, fmt).rstrip("\n"))


@cli.command()
@click.pass_context
@reports_errors
def questions(ctx: click.Context) -> None:
    """Print every competency question of queries/ with its answer.

    Example:

        kg questions
    """
    from .query import execute, open_built, questions as catalog, render

    project = project_of(ctx)
    store = open_built(project.dist_dir)
    for q in catalog(project.queries_dir):
        click.echo(f"== {q.name}: {q.question}")
        click.echo(render(execute(store, q.sparql, source=str(q.path)), "table"))
        click.echo()


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
    from .build import check
    from .errors import ValidationFailed
    from .export import serialize
    from .files import write_atomically

    project = project_of(ctx)
    result = check(project)
    if not result.report.conforms:
        raise ValidationFailed("the graph does not conform to the shapes; nothing exported", result.report.lines())
    data = serialize(result.dataset, fmt, project)
    if output is None:
        sys.stdout.buffer.write(data)
    else:
        write_atomically(output, data)
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
    from .build import assemble, read_article
    from .coverage import coverage as measure
    from .query import table
    from .rdfio import union_of

    project = project_of(ctx)
    numbers = measure(union_of(assemble(project)), read_article(project))
    shown = numbers if show_all else [n for n in numbers if not n.accounted]
    rows = [[str(n.start), n.text, n.kind, ", ".join(f.rsplit("/id/", 1)[-1] for f in n.facts) or "NOT ACCOUNTED FOR"]
            for n in shown]
    if rows:
        click.echo(table(["offset", "number", "kind", "facts"], rows))
    done = sum(n.accounted for n in numbers)
    names = sum(n.kind == "name" for n in numbers)
    click.echo(f"{done} of {len(numbers)} numbers accounted for ({100 * done / max(len(numbers), 1):.1f} %); "
               f"{names} inside names")
    sys.exit(0 if done == len(numbers) else 1)


def main() -> None:
    cli(prog_name="kg")


if __name__ == "__main__":
    main()
