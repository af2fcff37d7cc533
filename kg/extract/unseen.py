"""News texts the extractor was not written against: their figures, annotated by hand, are kept in
tests/extract/unseen/ID.toml; the texts themselves (ID.txt) are third-party articles, kept in a folder
outside the repository (--texts DIR or $HITZ_UNSEEN_TEXTS) and read as sources for
`kg extract --evaluate --unseen`."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from ..errors import KgError
from ..namespaces import ID
from .evaluate import Curated, Source
from .periods import REF

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    import tomli as tomllib  # type: ignore[no-redef]

# tuned on; held back; collected after tuning; after tuning on those; collected for one measure after the period
# rules; collected for one measure after the round-4 rules (conventions C1-C3)
# (blind5: by C1-C5, for one run after the round-5 rules; blind6: by C1-C5, before the round-6 rules, for one run after them;
# blind7: likewise, before the round-7 rules, for one run after them; blind8 (pages of 2008-2018) and
# blind9 (pages of 2019-2025): likewise, for one run after the round-8 rules; blind10 (pages of 2008-2018) and
# blind11 (pages of 2019-2025): likewise, by C1-C6, before the round-9 rules, for one run after them;
# blind12 (2008-2018) and blind13 (2019-2025): likewise, before the round-10 rules, for one run after them;
# blind14 (2008-2018) and blind15 (2019-2025): likewise, before the round-11 rules, for one run after them;
# blind16 (2008-2015): likewise, by C1-C6, collected for one blind run;
# blind17 (pages of 2021-2025): likewise, by C1-C6, for one blind run;
# blind18 (pages of 2016-2020): likewise, by C1-C6, for one blind run;
# blind19 (pages of 2008-2013): likewise, by C1-C6, for one blind run;
# blind20 (pages of 2014-2019): likewise, by C1-C6, for one blind run;
# blind21 (pages of 2020-2025): likewise, by C1-C6, for one blind run;
# blind23 (pages of 2015-2020): likewise, by C1-C6, for one blind run;
# blind24 (pages of 2021-2025): likewise, by C1-C6, for one blind run)
GROUPS = (
    "tuned", "held-out", "fresh", "blind2", "blind3", "blind4", "blind5", "blind6", "blind7", "blind8", "blind9", "blind10",
    "blind11", "blind12", "blind13", "blind14", "blind15", "blind16", "blind17", "blind18",
    "blind19", "blind20", "blind21", "blind23", "blind24",
)
QUALIFIERS = {"MoreThan", "AtLeast", "Nearly", "LessThan", "About"}
UNITS = {"CCY_CNY", "CCY_USD", "PERCENT", "NUM"}
TEXTS_ENV = "HITZ_UNSEEN_TEXTS"  # the folder holding the texts, when --texts is not given
HOWTO = "tests/extract/unseen/README.md"


@dataclass
class Unseen:
    """One unseen text read with its gold figures: its group, and a warning when it is not the annotated copy."""

    source: Source
    group: str
    differs: str | None = None


def unseen_dir(root: Path) -> Path:
    """Where the gold figures (ID.toml) of the unseen texts are kept in a project copy."""
    return root / "tests" / "extract" / "unseen"


def texts_dir(given: Path | None = None) -> Path:
    """The folder holding the texts themselves: `given`, else $HITZ_UNSEEN_TEXTS (never the repository)."""
    if given is None:
        if not os.environ.get(TEXTS_ENV):
            raise KgError(f"the unseen texts are not in the repository: give --texts DIR or set {TEXTS_ENV} "
                          f"to the folder holding them ({HOWTO} says how to get them)")
        given = Path(os.environ[TEXTS_ENV])
    if not given.is_dir():
        raise KgError(f"{given}: no such folder (the unseen texts; {HOWTO} says how to get them)")
    return given


def sha256(data: bytes) -> str:
    """The hex SHA-256 of a text's bytes, as each gold file records it of the copy it annotates."""
    return hashlib.sha256(data).hexdigest()


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


def read_gold(gold: Path) -> dict[str, Any]:
    """A gold file's tables, checked for what every reader needs: the date, the URL and the text's SHA-256."""
    try:
        data = tomllib.loads(gold.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise KgError(f"{gold}: no such file") from None
    except tomllib.TOMLDecodeError as exc:
        raise KgError(f"{gold}: {exc}") from None
    meta = data.get("source", {})
    if not isinstance(meta.get("published"), date):
        raise KgError(f"{gold}: [source] needs published = YYYY-MM-DD")
    for key in ("url", "sha256"):
        if not isinstance(meta.get(key), str):
            raise KgError(f"{gold}: [source] needs {key} = \"...\" (the text's address and the SHA-256 of the copy annotated)")
    return data


def load_text(gold: Path, text_path: Path, indicators: set[str]) -> Unseen:
    """One unseen text (read from `text_path`) with the gold figures of `gold`, its group, and whether it differs."""
    data = read_gold(gold)
    meta = data["source"]
    try:
        raw = text_path.read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise KgError(f"{text_path}: no such file (get it from {meta['url']}; {HOWTO})") from None
    except UnicodeDecodeError as exc:
        raise KgError(f"{text_path}: not UTF-8 text (byte {exc.start})") from None
    differs = None
    if sha256(raw) != meta["sha256"]:
        differs = (f"text {text_path.name} differs from the annotated copy (sha256 {sha256(raw)}, annotated "
                   f"{meta['sha256']}); offsets and words may not match")
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
        try:
            start = _offset(text, exact, int(figure.get("nth", 0)), where)
        except KgError as exc:
            raise KgError(f"{exc}{f' ({text_path} differs from the annotated copy)' if differs else ''}") from None
        curated.append(Curated(f"{gold.stem}#{i}", start, start + len(exact), exact, value, unit, REF + period,
                               qualifier, None if indicator == "new" else str(ID[f"indicator/{indicator}"])))
    precise = meta.get("published_precision", "day") != "year"  # "year": only the year of publication is known
    source = Source(f"unseen/{gold.stem}", text, meta["published"], precise, str(meta.get("language", "en")), curated)
    return Unseen(source, group, differs)


def gold_group(gold: Path) -> str:
    """The group a gold file puts its text in (`tuned` when it says none)."""
    return str(read_gold(gold)["source"].get("group", "tuned"))


def load_unseen(gold_folder: Path, texts: Path, indicators: set[str], groups: Collection[str] = ()) -> list[Unseen]:
    """Every unseen text (or those of `groups` only): the gold figures of `gold_folder` (ID.toml), each with its
    text `texts`/ID.txt, by name. A missing text is an error naming every missing file and where to get it."""
    unknown = sorted(set(groups) - set(GROUPS))
    if unknown:
        raise KgError(f"unknown group {', '.join(map(repr, unknown))}: the groups are {', '.join(GROUPS)}")
    golds = sorted(gold for gold in gold_folder.glob("*.toml") if not groups or gold_group(gold) in groups)
    if not golds:
        which = f" of the group {' or '.join(sorted(groups))}" if groups else ""
        raise KgError(f"{gold_folder}: no gold files (ID.toml) of unseen texts{which} to evaluate against")
    missing = [f"{gold.stem}.txt (from {read_gold(gold)['source']['url']})" for gold in golds
               if not (texts / f"{gold.stem}.txt").is_file()]
    if missing:
        raise KgError(f"{texts}: {len(missing)} of the {len(golds)} unseen texts missing: {'; '.join(missing)}; "
                      f"{HOWTO} says how to cut them")
    return [load_text(gold, texts / f"{gold.stem}.txt", indicators) for gold in golds]
