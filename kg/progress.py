"""Progress bars for long work: a rate on a terminal, nothing when the output is not one."""

from __future__ import annotations

import os
import sys

from tqdm import tqdm


def bar(total: int | None, unit: str, desc: str, minimum: int = 100_000) -> tqdm:
    """A tqdm bar on stderr, shown only on a terminal and only for work of at least `minimum` units."""
    quiet = not sys.stderr.isatty() or (total is not None and total < minimum)
    return tqdm(total=total, unit=unit, desc=desc, unit_scale=True, disable=quiet, file=sys.stderr, leave=False,
                **({} if quiet else _unsized_terminal()))


def _unsized_terminal() -> dict[str, int]:
    """A size for a terminal that reports none (0×0, as a fresh pseudo-terminal does): tqdm
    would take it for a screen too small and draw nothing."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        return {}
    return {} if size.columns and size.lines else {"ncols": 80, "nrows": 24}
