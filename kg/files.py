"""Writing files so that nothing is ever half-written."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import KgError


def output_target(path: Path) -> tuple[Path, os.stat_result | None]:
    """Where a write to `path` goes (a symlink is followed) and what is there now; refuses
    (KgError) a FIFO, device, folder or /proc file, and a missing folder. Call it before the work."""
    path = Path(path)
    target = Path(os.path.realpath(path)) if path.is_symlink() else path
    try:
        existing = target.stat()
    except FileNotFoundError:
        existing = None
    except OSError as exc:
        raise KgError(f"{path}: cannot write there ({exc.strerror or exc})") from None
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        raise KgError(f"{path}: not a regular file (a folder, FIFO or device): refused")
    if target.resolve().is_relative_to("/proc"):
        raise KgError(f"{path}: a file of the kernel's /proc: refused")
    if not target.parent.is_dir():
        raise KgError(f"{path}: the folder {target.parent} does not exist")
    return target, existing


def write_atomically(path: Path, data: bytes) -> None:
    """Write `data` to a temporary file beside `path`, then rename it over `path`: whole or not at
    all. A symlink is followed (its target is replaced), anything but a regular file is refused, and
    the file's mode honours the umask (or keeps the mode of the file it replaces)."""
    target, existing = output_target(path)
    folder = target.parent
    if existing is not None:
        mode = stat.S_IMODE(existing.st_mode)
    else:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=folder)
    except OSError as exc:
        raise KgError(f"{path}: cannot write in {folder} ({exc.strerror or exc})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            os.fchmod(out.fileno(), mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise KgError(f"{path}: could not write ({exc.strerror or exc})") from None
