"""A small threaded HTTP/1.1 server for a WSGI app: a thread per connection, keep-alive,
Content-Length and chunked request bodies, `Expect: 100-continue`.

Werkzeug's development server tops out around 1,500 requests/s on this app while the app
itself serves about 30,000; this one keeps the sandbox from becoming a benchmark's
bottleneck. It serves loopback tests and demos, not the internet.
"""

from __future__ import annotations

import io
import logging
import selectors
import socket
import sys
import threading
from collections.abc import Callable, Iterable
from typing import Any, BinaryIO, cast
from urllib.parse import unquote_to_bytes

log = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

MAX_LINE = 65_536
MAX_HEADERS = 100
MAX_BODY = 64 * 1024 * 1024
IDLE_TIMEOUT_SECONDS = 300.0
_POLL_SECONDS = 0.2


class BadRequest(Exception):
    def __init__(self, status: str, message: str) -> None:
        super().__init__(message)
        self.status = status


class HttpServer:
    def __init__(self, app: WsgiApp, host: str, port: int) -> None:
        self._app = app
        self._host = host
        self._socket = socket.create_server((host, port), backlog=1024)
        self.server_port: int = self._socket.getsockname()[1]
        self._stopping = threading.Event()
        # Set whenever no accept loop runs, so shutdown() never waits for one that won't.
        self._stopped = threading.Event()
        self._stopped.set()

    def serve_forever(self) -> None:
        """Accept connections until `shutdown()`; each gets its own daemon thread."""
        self._stopped.clear()
        try:
            with selectors.DefaultSelector() as selector:
                selector.register(self._socket, selectors.EVENT_READ)
                while not self._stopping.is_set():
                    if not selector.select(_POLL_SECONDS):
                        continue
                    try:
                        conn, peer = self._socket.accept()
                    except OSError:
                        continue
                    threading.Thread(
                        target=self._connection, args=(conn, peer), daemon=True
                    ).start()
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        """Stop accepting and wait for the accept loop to end (open connections finish)."""
        self._stopping.set()
        self._stopped.wait()

    def server_close(self) -> None:
        self._socket.close()

    def _connection(self, conn: socket.socket, peer: Any) -> None:
        conn.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.settimeout(IDLE_TIMEOUT_SECONDS)
        reader = cast(BinaryIO, conn.makefile("rb", buffering=65_536))
        try:
            while self._exchange(conn, reader, peer):
                pass
        except (OSError, ValueError):
            pass  # the client went away or timed out; nothing to answer
        finally:
            reader.close()
            conn.close()

    def _exchange(self, conn: socket.socket, reader: BinaryIO, peer: Any) -> bool:
        """Serve one request; False once the connection should close."""
        try:
            request = _read_request(conn, reader)
        except BadRequest as exc:
            _write(conn, exc.status, [("Content-Type", "text/plain")], str(exc).encode(), True)
            return False
        if request is None:
            return False
        method, target, version, headers, body = request
        keep_alive = _keep_alive(version, headers)
        environ = self._environ(method, target, version, headers, body, peer)
        status, response_headers, payload = _call(self._app, environ)
        if method == "HEAD":
            payload = b""
        if keep_alive and version == "HTTP/1.0":
            response_headers = [*response_headers, ("Connection", "keep-alive")]
        _write(conn, status, response_headers, payload, not keep_alive)
        return keep_alive

    def _environ(
        self,
        method: str,
        target: str,
        version: str,
        headers: dict[str, str],
        body: bytes,
        peer: Any,
    ) -> dict[str, Any]:
        path, _, query = target.partition("?")
        environ: dict[str, Any] = {
            "REQUEST_METHOD": method,
            "SCRIPT_NAME": "",
            # PEP 3333: percent-decoded bytes carried as latin-1 text.
            "PATH_INFO": unquote_to_bytes(path).decode("latin-1"),
            "QUERY_STRING": query,
            "SERVER_NAME": self._host,
            "SERVER_PORT": str(self.server_port),
            "SERVER_PROTOCOL": version,
            "REMOTE_ADDR": str(peer[0]) if isinstance(peer, tuple) else "",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": "http",
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": sys.stderr,
            "wsgi.multithread": True,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in headers.items():
            key = name.upper().replace("-", "_")
            if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
                if key == "CONTENT_TYPE":
                    environ[key] = value
                continue
            environ[f"HTTP_{key}"] = value
        return environ


_Request = tuple[str, str, str, dict[str, str], bytes]


def _read_request(conn: socket.socket, reader: BinaryIO) -> _Request | None:
    line = reader.readline(MAX_LINE + 1)
    while line in (b"\r\n", b"\n"):
        line = reader.readline(MAX_LINE + 1)
    if not line:
        return None
    if len(line) > MAX_LINE:
        raise BadRequest("414 URI Too Long", "request line too long")
    parts = line.decode("latin-1").split()
    if len(parts) != 3 or not parts[2].startswith("HTTP/1."):
        raise BadRequest("400 Bad Request", "malformed request line")
    method, target, version = parts
    headers = _read_headers(reader)
    if headers.get("expect", "").lower() == "100-continue":
        conn.sendall(b"HTTP/1.1 100 Continue\r\n\r\n")
    return method, target, version, headers, _read_body(reader, headers)


def _read_headers(reader: BinaryIO) -> dict[str, str]:
    headers: dict[str, str] = {}
    for _ in range(MAX_HEADERS + 1):
        line = reader.readline(MAX_LINE + 1)
        if len(line) > MAX_LINE:
            raise BadRequest("431 Request Header Fields Too Large", "header line too long")
        if line in (b"\r\n", b"\n", b""):
            return headers
        name, sep, value = line.decode("latin-1").partition(":")
        if not sep or not name.strip():
            raise BadRequest("400 Bad Request", "malformed header line")
        key = name.strip().lower()
        value = value.strip()
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    raise BadRequest("431 Request Header Fields Too Large", "too many headers")


def _read_body(reader: BinaryIO, headers: dict[str, str]) -> bytes:
    if "chunked" in headers.get("transfer-encoding", "").lower():
        return _read_chunked(reader)
    raw = headers.get("content-length")
    if raw is None:
        return b""
    if not raw.isdigit():
        raise BadRequest("400 Bad Request", "invalid Content-Length")
    length = int(raw)
    if length > MAX_BODY:
        raise BadRequest("413 Payload Too Large", "request body too large")
    body = reader.read(length)
    if len(body) != length:
        raise BadRequest("400 Bad Request", "request body shorter than Content-Length")
    return body


def _read_chunked(reader: BinaryIO) -> bytes:
    parts: list[bytes] = []
    total = 0
    while True:
        size_line = reader.readline(MAX_LINE + 1).split(b";", 1)[0].strip()
        try:
            size = int(size_line, 16)
        except ValueError as exc:
            raise BadRequest("400 Bad Request", "malformed chunk size") from exc
        if size == 0:
            _read_headers(reader)  # trailers
            return b"".join(parts)
        total += size
        if total > MAX_BODY:
            raise BadRequest("413 Payload Too Large", "request body too large")
        chunk = reader.read(size)
        if len(chunk) != size or reader.readline(3) not in (b"\r\n", b"\n"):
            raise BadRequest("400 Bad Request", "malformed chunk")
        parts.append(chunk)


def _keep_alive(version: str, headers: dict[str, str]) -> bool:
    tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
    if version == "HTTP/1.0":
        return "keep-alive" in tokens
    return "close" not in tokens


def _call(app: WsgiApp, environ: dict[str, Any]) -> tuple[str, list[tuple[str, str]], bytes]:
    started: list[tuple[str, list[tuple[str, str]]]] = []
    written: list[bytes] = []

    def start_response(
        status: str, headers: list[tuple[str, str]], exc_info: Any = None
    ) -> Callable[[bytes], None]:
        started[:] = [(status, headers)]
        return written.append

    try:
        result = app(environ, start_response)
        try:
            written.extend(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
    except Exception:
        log.exception("the WSGI app failed")
        return "500 Internal Server Error", [("Content-Type", "text/plain")], b"internal error"
    status, headers = started[0]
    return status, headers, b"".join(written)


def _write(
    conn: socket.socket,
    status: str,
    headers: list[tuple[str, str]],
    payload: bytes,
    closing: bool,
) -> None:
    lines = [f"HTTP/1.1 {status}"]
    lines.extend(f"{name}: {value}" for name, value in headers if name.lower() != "content-length")
    lines.append(f"Content-Length: {len(payload)}")
    if closing:
        lines.append("Connection: close")
    head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
    conn.sendall(head + payload)
