"""A loopback HTTP listener that answers like a SPARQL endpoint and counts the connections it
accepts: the endpoint a server under test may call (SERVICE), or one it must never reach."""

from __future__ import annotations

import http.server
import json
import threading

REMOTE_ANSWER = {"head": {"vars": ["a"]}, "results": {"bindings": [{"a": {"type": "literal", "value": "remote"}}]}}


class Listener:
    """An HTTP server on a free loopback port that counts the connections it accepts."""

    def __init__(self) -> None:
        listener = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("content-length") or 0)
                self.rfile.read(length)
                body = json.dumps(REMOTE_ANSWER).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            do_GET = do_POST = _answer

            def log_message(self, *args):
                pass

        class Server(http.server.ThreadingHTTPServer):
            def process_request(self, request, client_address):
                listener.connections += 1
                super().process_request(request, client_address)

        self.connections = 0
        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> Listener:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
