"""Serve a WSGI app (the Luminous simulator) over real HTTP on loopback only.

Werkzeug's development server would do, except that it sends ``Connection:
close`` on every response, so a client can never reuse a connection. The
simulator must let the app's HTTP client keep connections alive (and see them
dropped), so this is a small HTTP/1.1 server on ``http.server`` instead.
"""

from __future__ import annotations

import contextlib
import io
import ipaddress
import json
import logging
import socket
import socketserver
import sys
import threading
from collections.abc import Callable, Iterable
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

logger = logging.getLogger(__name__)

# The WSGI environ key under which the server offers a callable that makes it
# close the connection without sending any response.
DROP_CONNECTION_KEY = "luminous_simulator.drop_connection"

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def check_loopback(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address:
    """Return the address if it is a loopback IP literal, else raise ValueError."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        raise ValueError(
            f"{host!r} is not an IP address; bind to a loopback address such as "
            "127.0.0.1."
        ) from None
    if not address.is_loopback:
        raise ValueError(f"{host} is not a loopback address; use 127.0.0.1.")
    return address


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # An idle keep-alive connection is closed after this many seconds.
    timeout = 30
    # Head and body go out in one write when the handler flushes. Unbuffered, they
    # were two small segments, and Nagle's algorithm held the second back until
    # the client's delayed ACK (about 40 ms) on every kept-alive request.
    wbufsize = -1
    disable_nagle_algorithm = True
    server: _Server

    def setup(self) -> None:
        super().setup()
        self.server.track(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.untrack(self.connection)

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("%s " + format, self.address_string(), *args)

    def send_error(
        self, code: int, message: str | None = None, explain: str | None = None
    ) -> None:
        # http.server answers its own errors (a garbled request line, an unknown
        # method) with an HTML page; the API answers every error as {"message"}.
        try:
            phrase = HTTPStatus(code).phrase
        except ValueError:
            phrase = "Error"
        self.log_error("code %d, message %s", code, message)
        body = json.dumps({"message": message or phrase}).encode()
        self.send_response(code, phrase)
        self.send_header("Connection", "close")
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _run(self) -> None:
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            self.send_error(HTTPStatus.LENGTH_REQUIRED)
            self.close_connection = True
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        dropped = False

        def drop() -> None:
            nonlocal dropped
            dropped = True

        status, headers, payload = _call(self.server.app, self._environ(body, drop))
        if dropped:
            self.close_connection = True
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            return
        code, _, reason = status.partition(" ")
        self.send_response(int(code), reason)
        for name, value in headers:
            self.send_header(name, value)
        # A 204 or 304 has no body (RFC 9110); anything written would be read as
        # the start of the next response on this connection.
        has_body = int(code) not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED)
        if has_body and "content-length" not in {name.lower() for name, _ in headers}:
            self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if has_body:
            self.wfile.write(payload)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _run

    def _environ(self, body: bytes, drop: Callable[[], None]) -> dict[str, Any]:
        url = urlsplit(self.path)
        environ: dict[str, Any] = {
            "REQUEST_METHOD": self.command,
            "SCRIPT_NAME": "",
            "PATH_INFO": unquote(url.path),
            "QUERY_STRING": url.query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""),
            "CONTENT_LENGTH": str(len(body)),
            "SERVER_NAME": self.server.host,
            "SERVER_PORT": str(self.server.server_port),
            "SERVER_PROTOCOL": self.request_version,
            "REMOTE_ADDR": self.client_address[0],
            "REMOTE_PORT": str(self.client_address[1]),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
            DROP_CONNECTION_KEY: drop,
        }
        for name, value in self.headers.items():
            key = name.upper().replace("-", "_")
            if key not in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                environ[f"HTTP_{key}"] = value
        return environ


def _call(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, list, bytes]:
    started: list[Any] = []
    written: list[bytes] = []

    def start_response(
        status: str, headers: list, exc_info: Any = None
    ) -> Callable[[bytes], None]:
        started[:] = [status, headers]
        return written.append

    try:
        result = app(environ, start_response)
        try:
            chunks = list(result)
            payload = b"".join(written) + b"".join(chunks)
        finally:
            if hasattr(result, "close"):
                result.close()
    except Exception:
        logger.exception("The simulated API failed on %s", environ["PATH_INFO"])
        body = b'{"message": "Server Error"}'
        return "500 Internal Server Error", [("Content-Type", "application/json")], body
    return started[0], started[1], payload


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, port: int, app: WsgiApp) -> None:
        address = check_loopback(host)
        self.address_family = (
            socket.AF_INET6 if address.version == 6 else socket.AF_INET
        )
        self.host = host
        self.app = app
        self._connections: set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__((host, port), _Handler)

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host up with socket.getfqdn(), a
        # reverse DNS query that may leave the machine.
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.host
        self.server_port = self.server_address[1]

    def track(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.add(connection)

    def untrack(self, connection: socket.socket) -> None:
        with self._connections_lock:
            self._connections.discard(connection)

    def close_connections(self) -> None:
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)


class SimulatorServer:
    """A threaded loopback HTTP/1.1 server running ``app`` in a daemon thread.

    Starts on construction; use as a context manager or call ``close()``.
    """

    def __init__(self, app: WsgiApp, host: str = "127.0.0.1", port: int = 0) -> None:
        self._server = _Server(host, port, app)
        self.host = host
        self.port: int = self._server.server_port
        netloc = f"[{host}]" if ":" in host else host
        self.url = f"http://{netloc}:{self.port}"
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"luminous-simulator-{self.port}",
            daemon=True,
        )
        self._thread.start()

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        # Keep-alive connections would otherwise outlive the server.
        self._server.close_connections()
        self._thread.join()

    def __enter__(self) -> SimulatorServer:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def serve(app: WsgiApp, host: str = "127.0.0.1", port: int = 0) -> SimulatorServer:
    """Start serving ``app`` on a loopback address; ``port=0`` picks a free port."""
    return SimulatorServer(app, host, port)
