"""Limits the operating system enforces on the processes and threads that run queries:
no network (a new, empty Linux network namespace) and a cap on memory."""

from __future__ import annotations

import ctypes
import os
import resource
import threading
from concurrent.futures import ThreadPoolExecutor

CLONE_NEWNET = 0x40000000
CLONE_NEWUSER = 0x10000000


def drop_network() -> str | None:
    """Move the calling thread (and what it starts later) into a new network namespace that has
    no interface but a loopback that is down: nothing it runs can open a connection. None on
    success, else why not (no Linux, or unshare not permitted here)."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        unshare = libc.unshare
    except (OSError, AttributeError) as exc:
        return f"unshare is not available: {exc}"
    flags = CLONE_NEWNET if os.geteuid() == 0 else CLONE_NEWUSER | CLONE_NEWNET
    if unshare(flags) != 0:
        return f"unshare(CLONE_NEWNET) failed: {os.strerror(ctypes.get_errno())}"
    return None


def memory_in_use() -> int:
    """Bytes of address space this process holds now (VmSize)."""
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmSize:"):
                return int(line.split()[1]) * 1024
    return 0


def cap_memory(extra_bytes: int) -> None:
    """Let this process grow by at most `extra_bytes` of address space from now on
    (RLIMIT_AS): past it an allocation fails (MemoryError, or Oxigraph aborts)."""
    limit = memory_in_use() + extra_bytes
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def offline_executor(offline: bool, stack_size: int, warn) -> ThreadPoolExecutor:
    """One thread, with a big stack, that runs jobs one at a time; when `offline`, in a
    network namespace of its own (a namespace is per thread on Linux). `warn(reason)` is
    called once if the network could not be dropped."""

    def start() -> None:
        if offline:
            reason = drop_network()
            if reason:
                warn(reason)

    executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-update", initializer=start)
    lock = getattr(offline_executor, "_lock", None) or threading.Lock()
    offline_executor._lock = lock  # type: ignore[attr-defined]
    with lock:
        previous = threading.stack_size(stack_size)
        try:
            executor.submit(lambda: None).result()  # its one thread now exists, with this stack
        finally:
            threading.stack_size(previous)
    return executor
