"""What `kg extract` does, as library calls the thin CLI uses."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date
from pathlib import Path

from rdflib import Graph

from ..errors import KgError
from ..files import write_atomically
from ..project import Project
from ..rdfio import parse_into
from .draft import draft_graph, figures_table
from .figure_filter import Filtered, Model, apply_filter, load_model
from .figures import Figure, extract
from .indicators import Indicator, code_list
from .rules import load_rules

# The issue's targets: (recall, precision) at or above which --evaluate exits 0.
TARGETS = {"value+unit": (0.95, 0.90), "period": (0.85, 0.85), "qualifier": (0.85, 0.85)}


def project_indicators(project: Project) -> list[Indicator]:
    """The indicator code list of the project's data files (labels in every language)."""
    graph = Graph()
    for path, _ in project.rdf_files():
        if project.data_dir in path.parents and "links" not in path.parts:
            parse_into(graph, path)
    return code_list(graph, load_rules())


def guess_language(text: str) -> str:
    """zh when a fifth of the letters are Chinese characters, else en."""
    cjk = len(re.findall(r"[\u4e00-\u9fff]", text))
    letters = len(re.findall(r"[A-Za-z\u4e00-\u9fff]", text))
    return "zh" if letters and cjk / letters > 0.2 else "en"


def run_extract(project: Project, file: Path, published: str, lang: str | None, output: Path | None,
                fmt: str, filter_mode: str | None = None, periods: str = "model") -> str:
    """Draft the figures of `file`; write the Turtle to `output` if given; return what to print. Periods are
    chosen by `periods` (the model of period_model.py over the rules' candidates, or the rules alone). The figure filter
    (figure_filter.py) runs in `filter_mode` (drop, mark, off; default: the shipped model's): what it drops is
    listed at the end of the table and as comments at the end of the Turtle, never lost silently."""
    try:
        day = date.fromisoformat(published)
    except ValueError:
        raise KgError(f"--published {published!r}: expected a date YYYY-MM-DD") from None
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise KgError(f"{file}: no such file") from None
    except UnicodeDecodeError as exc:
        raise KgError(f"{file}: not UTF-8 text (byte {exc.start})") from None
    except IsADirectoryError:
        raise KgError(f"{file}: is a folder, not a text file") from None
    lang = lang or guess_language(text)
    filtered = apply_filter(extract(text, day, lang, project_indicators(project), periods=periods), text, lang, filter_model(),
                            filter_mode)
    figures = filtered.kept
    graph = draft_graph(figures, text, file.stem, day, lang)
    turtle = graph.serialize(format="turtle") + "".join(
        f"# dropped by the figure filter (p={p:.2f}): {f.exact!r} [{f.start}:{f.end}] "
        f"{format(f.value.normalize(), 'f')} {f.unit} ({'; '.join(f.rules)})\n" for f, p in filtered.dropped)
    if output is not None:
        write_atomically(output, turtle.encode("utf-8"))
    dropped = f", {len(filtered.dropped)} dropped by the figure filter" if filtered.dropped else ""
    if fmt == "table":
        return ("\n".join(figures_table(figures) + dropped_lines(filtered))
                + f"\n{len(figures)} figures drafted from {file}{dropped}\n")
    return f"wrote {len(figures)} draft figures to {output}{dropped}\n" if output is not None else turtle


def filter_model() -> Model:
    """The shipped figure filter; a weights file that does not fit the code is an error, not a traceback."""
    try:
        return load_model()
    except (OSError, ValueError, KeyError) as exc:
        raise KgError(f"the figure filter's weights cannot be used: {exc}") from None


def dropped_lines(filtered: Filtered) -> list[str]:
    """The drafts the filter dropped, for the person confirming: one line each, with the probability it gave."""
    if not filtered.dropped:
        return []
    return ["", "dropped by the figure filter (kg extract --filter mark keeps them, marked):"] + [
        f"{f.start}  {f.exact}  {format(f.value.normalize(), 'f')}  {f.unit}  dropped by the filter (p={p:.2f})  "
        f"{'; '.join(f.rules)}" for f, p in filtered.dropped]


def run_evaluation(project: Project, unseen: bool = False, texts: Path | None = None,
                   warn: Callable[[str], None] | None = None, groups: Collection[str] = (),
                   filter_mode: str | None = None, periods: str = "model") -> tuple[list[str], bool]:
    """The evaluation report of every curated source (or of the unseen texts, those of `groups` if given, read
    from `texts` or $HITZ_UNSEEN_TEXTS), and whether the targets are met; `warn` gets each text that is not the
    annotated copy. The drafts go through the figure filter in `filter_mode` (default: the shipped model's)."""
    from .evaluate import Post, Source, evaluate, evaluate_sources, project_graph, report, scores

    model = filter_model()
    post: Post | None = None
    if (filter_mode or model.mode) != "off":
        def post(figures: list[Figure], source: Source) -> list[Figure]:
            return apply_filter(figures, source.text, source.lang, model, filter_mode).kept

    if unseen:
        from .unseen import GROUPS, load_unseen, texts_dir, unseen_dir

        indicators = project_indicators(project)
        read = load_unseen(unseen_dir(project.root), texts_dir(texts), {str(i.iri).rsplit("/", 1)[-1] for i in indicators},
                           groups)
        for text in read:
            if text.differs and warn is not None:
                warn(text.differs)
        results = evaluate_sources([text.source for text in read], indicators, load_rules(), periods, post)
        group_of = {text.source.iri: text.group for text in read}
        by_group = {f"{group} texts": [r for r in results if group_of[r.source.iri] == group] for group in GROUPS}
        lines = report(results, {name: rows for name, rows in by_group.items() if rows})
    else:
        results = evaluate(project_graph(project), periods, post)
        if not results:
            raise KgError("the graph has no curated source with text and stated figures to evaluate against")
        lines = report(results)
    overall = scores(results)
    ok = all(overall[a][0] >= r and overall[a][1] >= p for a, (r, p) in TARGETS.items())
    targets = ", ".join(f"{a} R>={r:.0%} P>={p:.0%}" for a, (r, p) in TARGETS.items())
    note = []
    if (filter_mode or model.mode) == "drop":
        note = ["(with the figure filter dropping drafts: on the texts it was trained on, those of the groups measured "
                "before it, this is not a measure of it; tests/extract/unseen/FILTER.md gives its cross-validated figures)"]
    return lines + note + [f"targets ({targets}): {'met' if ok else 'NOT met'}"], ok
