"""News texts the extractor was not written against, with their figures annotated by hand
(tests/extract/unseen/ID.txt and ID.toml): read as sources for `kg extract --evaluate --unseen`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from ..errors import KgError
from ..namespaces import ID
from .evaluate import Curated, Source
from .periods import REF

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

GROUPS = ("tuned", "held-out", "fresh")  # tuned on; held back from tuning; collected after tuning
QUALIFIERS = {"MoreThan", "AtLeast", "Nearly", "LessThan", "About"}
UNITS = {"CCY_CNY", "CCY_USD", "PERCENT", "NUM"}


def unseen_dir(root: Path) -> Path:
    """Where the unseen texts of a project copy are kept."""
    return root / "tests" / "extract" / "unseen"


def _offset(text: str, exact: str, nth: int, where: str) -> int:
    """The code point where the nth occurrence of `exact` starts; an error names the gold file."""
    found, at = [], text.find(exact)
    while at >= 0:
        found.append(at)
        at = text.find(exact, at + 1)
    if not found:
        raise KgError(f"{where}: {exact!r} is not in the text")
    if nth == 0 and len(found) > 1:
        raise KgError(f"{where}: {exact!r} occurs {len(found)} times in the text; say which with nth = N")
    if nth > len(found):
        raise KgError(f"{where}: {exact!r} occurs {len(found)} times, not {nth}")
    return found[max(nth, 1) - 1]


def load_text(gold: Path, indicators: set[str]) -> tuple[Source, str]:
    """One unseen text and its gold figures, and its group (tuned on, held out, or fresh)."""
    text_path = gold.with_suffix(".txt")
    try:
        text = text_path.read_text(encoding="utf-8")
        data = tomllib.loads(gold.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise KgError(f"{exc.filename}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise KgError(f"{gold}: {exc}") from None
    meta = data.get("source", {})
    if not isinstance(meta.get("published"), date):
        raise KgError(f"{gold}: [source] needs published = YYYY-MM-DD")
    group = meta.get("group", "tuned")
    if group not in GROUPS:
        raise KgError(f"{gold}: group {group!r} is not one of {', '.join(GROUPS)}")
    curated = []
    for i, figure in enumerate(data.get("figure", []), 1):
        where = f"{gold}: figure {i}"
        try:
            value = Decimal(str(figure["value"]))
            exact, unit, period, indicator = figure["exact"], figure["unit"], figure["period"], figure["indicator"]
        except KeyError as exc:
            raise KgError(f"{where}: needs {exc.args[0]}") from None
        except InvalidOperation:
            raise KgError(f"{where}: value {figure['value']!r} is not a number") from None
        qualifier = figure.get("qualifier")
        if unit not in UNITS or (qualifier is not None and qualifier not in QUALIFIERS):
            raise KgError(f"{where}: unit {unit!r} or qualifier {qualifier!r} is not one of the model's")
        if indicator != "new" and indicator not in indicators:
            raise KgError(f"{where}: indicator {indicator!r} is not in the code list (or write \"new\")")
        start = _offset(text, exact, int(figure.get("nth", 0)), where)
        curated.append(Curated(f"{gold.stem}#{i}", start, start + len(exact), exact, value, unit, REF + period,
                               qualifier, None if indicator == "new" else str(ID[f"indicator/{indicator}"])))
    precise = meta.get("published_precision", "day") != "year"  # "year": only the year of publication is known
    source = Source(f"unseen/{gold.stem}", text, meta["published"], precise, str(meta.get("language", "en")), curated)
    return source, group


def load_unseen(folder: Path, indicators: set[str]) -> list[tuple[Source, str]]:
    """Every unseen text of `folder` (one ID.toml beside each ID.txt), by name."""
    golds = sorted(folder.glob("*.toml"))
    if not golds:
        raise KgError(f"{folder}: no unseen texts (ID.txt with ID.toml) to evaluate against")
    return [load_text(gold, indicators) for gold in golds]
