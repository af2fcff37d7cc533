"""Progress bars for long work: a rate on a terminal, nothing when the output is not one."""

from __future__ import annotations

import sys

from tqdm import tqdm


def bar(total: int | None, unit: str, desc: str, minimum: int = 100_000) -> tqdm:
    """A tqdm bar on stderr, shown only on a terminal and only for work of at least `minimum` units."""
    quiet = not sys.stderr.isatty() or (total is not None and total < minimum)
    return tqdm(total=total, unit=unit, desc=desc, unit_scale=True, disable=quiet, file=sys.stderr, leave=False)
