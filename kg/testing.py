"""Real servers on loopback, started and stopped by PID: the Oxigraph server of the PyPI
package "oxigraph", and `kg serve` in its own process. Used by the tests and benchmarks/."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from collections.abc import Iterator


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_responds(url: str, process: subprocess.Popen | None = None, timeout: float = 60.0) -> None:
    """Poll `url` until it answers with any HTTP status; fail if the process exits or time runs out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server exited with code {process.returncode} before answering {url}")
        try:
            urllib.request.urlopen(url, timeout=2).close()
            return
        except urllib.error.HTTPError:
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def stop(process: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    """Stop a server by its PID, and wait for it."""
    if process.poll() is None:
        os.kill(process.pid, sig)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, signal.SIGKILL)
            process.wait()


def oxigraph_binary() -> str:
    path = Path(sys.executable).with_name("oxigraph")
    if not path.exists():
        raise RuntimeError(f"{path} not found: install the test extra (pip install -e '.[test]')")
    return str(path)


@dataclass
class Server:
    """A running server: its base URL, its process, and where its log goes."""

    url: str
    process: subprocess.Popen
    log: Path | None = None

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log else ""


@contextmanager
def oxigraph_server(location: Path, port: int | None = None, union_default_graph: bool = False) -> Iterator[Server]:
    """`oxigraph serve` over `location` on a free loopback port; the query endpoint is url + /query.
    With `union_default_graph`, a query's default graph is the union of the named graphs, as in kg."""
    port = port or free_port()
    process = subprocess.Popen(
        [oxigraph_binary(), "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
         *(["--union-default-graph"] if union_default_graph else [])],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        wait_until_responds(server.url + "/query?query=ASK%7B%7D", process)
        yield server
    finally:
        stop(process)


@contextmanager
def kg_server(root: Path, *args: str, log: Path, dist: Path | None = None, port: int | None = None) -> Iterator[Server]:
    """`kg serve` with these options in a subprocess on a free loopback port; its stderr goes to `log`."""
    port = port or free_port()
    command = [sys.executable, "-m", "kg.cli", "--root", str(root), "serve", "--port", str(port), *args]
    if dist is not None:
        command += ["--dist", str(dist)]
    with open(log, "ab") as sink:
        process = subprocess.Popen(command, stdout=sink, stderr=sink)
    server = Server(f"http://127.0.0.1:{port}", process, log)
    try:
        wait_until_responds(server.url + "/health", process)
        yield server
    finally:
        stop(process)


def online(host: str = "query.wikidata.org", port: int = 443, timeout: float = 3.0) -> bool:
    """Whether `host` can be reached: tests marked `network` are skipped when it cannot."""
    try:
        socket.create_connection((host, port), timeout=timeout).close()
        return True
    except OSError:
        return False


class ConnectionCounter:
    """TCP listeners on one free port of every loopback address this machine has, counting the
    connections made to them: the proof that a server did not call out (SERVICE, LOAD, FROM)."""

    def __init__(self) -> None:
        self.connections = 0
        first = socket.create_server(("127.0.0.1", 0))
        self.port: int = first.getsockname()[1]
        self.sockets = [first]
        self.hosts = ["127.0.0.1", "localhost", "2130706433", "0x7f.0.0.1"]  # names of 127.0.0.1
        for family, host, name in ((socket.AF_INET, "127.0.0.2", "127.0.0.2"), (socket.AF_INET6, "::1", "[::1]")):
            try:
                self.sockets.append(socket.create_server((host, self.port), family=family))
                self.hosts.append(name)
            except OSError:  # that address is not on this machine: nothing can connect there either
                pass
        for listening in self.sockets:
            threading.Thread(target=self._accept, args=(listening,), daemon=True).start()

    def _accept(self, listening: socket.socket) -> None:
        while True:
            try:
                conn, _ = listening.accept()
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        for listening in self.sockets:
            listening.close()

    def __enter__(self) -> ConnectionCounter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
