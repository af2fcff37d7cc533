"""Progress bars for long work: a rate on a terminal, nothing when the output is not one."""

from __future__ import annotations

import os
import sys
from typing import Any


class Quiet:
    """What `bar` gives when nothing is to be shown: takes the same calls, draws nothing (tqdm is not even imported)."""

    disable = True

    def update(self, n: float = 1) -> None:
        pass

    def close(self) -> None:
        pass

    def __enter__(self) -> Quiet:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


def bar(total: int | None, unit: str, desc: str, minimum: int = 100_000) -> Any:
    """A tqdm bar on stderr, shown only on a terminal and only for work of at least `minimum` units
    (else a `Quiet` one)."""
    if not sys.stderr.isatty() or (total is not None and total < minimum):
        return Quiet()
    from tqdm import tqdm

    return tqdm(total=total, unit=unit, desc=desc, unit_scale=True, file=sys.stderr, leave=False,
                **_unsized_terminal())


def _unsized_terminal() -> dict[str, int]:
    """A size for a terminal that reports none (0×0, as a fresh pseudo-terminal does): tqdm
    would take it for a screen too small and draw nothing."""
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (OSError, ValueError):
        return {}
    return {} if size.columns and size.lines else {"ncols": 80, "nrows": 24}
