"""Run a few independent, CPU-bound steps in two processes where the system can fork.

rdflib's serialisers are pure Python, so one process writes one format at a time; on a
machine with two or more cores a forked child (which shares the finished graph without
copying or pickling it) writes half of them. Where forking is unsafe or unavailable, or
the child fails, everything runs here, in order, as it would without this module.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import threading
import time
from typing import TypeVar
from collections.abc import Callable

T = TypeVar("T")
CHILD_TIMEOUT = 120.0  # seconds; past it the child is ended and its share done here


def can_fork() -> bool:
    """Whether a child may be forked now: POSIX, two cores or more, and no other Python thread
    (a thread holding a lock at the fork could leave the child waiting for it)."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


def run_split(tasks: dict[str, Callable[[], T]], in_child: set[str]) -> dict[str, T]:
    """Every task's result by name: those named in `in_child` in a forked child, the others
    here meanwhile; results come back in the order of `tasks`."""
    if not in_child or not can_fork():
        return {name: task() for name, task in tasks.items()}
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: its share, sent back pickled, then gone without running exit handlers
        status = 1
        try:
            os.close(read_end)
            data = pickle.dumps({name: tasks[name]() for name in tasks if name in in_child})
            with os.fdopen(write_end, "wb") as out:
                out.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    try:
        here = {name: task() for name, task in tasks.items() if name not in in_child}
        there = _receive(read_end, pid)
    except BaseException:
        _end(pid)
        raise
    finally:
        os.close(read_end)
    if there is None:  # the child failed or took too long: do its share here (an error is raised as usual)
        there = {name: tasks[name]() for name in tasks if name in in_child}
    return {name: here[name] if name in here else there[name] for name in tasks}


def _receive(fd: int, pid: int) -> dict | None:
    """The child's results, or None if it failed or ran past CHILD_TIMEOUT."""
    chunks = []
    deadline = time.monotonic() + CHILD_TIMEOUT
    while True:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            _end(pid)
            return None
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    _, status = os.waitpid(pid, 0)
    if status != 0:
        return None
    try:
        return pickle.loads(b"".join(chunks))
    except (pickle.UnpicklingError, EOFError):
        return None


def _end(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
