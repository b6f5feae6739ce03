"""A test service's HTTP server on 127.0.0.1, shared by the Sheets and Pub/Sub fakes.

Each fake keeps its own state and request handling; `Served` gives it
`start`, `url` and `stop` around a threaded server that hands it requests.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, ClassVar, Self


class LoopbackServer:
    """Serve `handler` requests on a free port of 127.0.0.1 until `stop`."""

    def __init__(self, handler: type[BaseHTTPRequestHandler], service: Any) -> None:
        # The handler class learns its service as a class attribute, as BaseHTTPRequestHandler
        # gets no constructor arguments of ours.
        bound = type(handler.__name__, (handler,), {"service": service})
        self._server: ThreadingHTTPServer | None = ThreadingHTTPServer(("127.0.0.1", 0), bound)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, args=(0.01,), daemon=True).start()

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


def send_json(handler: BaseHTTPRequestHandler, status: int, data: bytes) -> None:
    """Answer the request `handler` holds with `status` and the JSON `data`."""
    try:
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json; charset=UTF-8")
        handler.send_header("Content-Length", str(len(data)))
        handler.end_headers()
        handler.wfile.write(data)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the client gave up (a timeout test): nothing to tell it


class Served:
    """A fake served on loopback: `start()` it, send requests to `url`, `stop()` it."""

    handler: ClassVar[type[BaseHTTPRequestHandler]]  # set by each fake
    _server: LoopbackServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None, "start() the fake first"
        return self._server.url

    def start(self) -> Self:
        self._server = LoopbackServer(self.handler, self)
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None
