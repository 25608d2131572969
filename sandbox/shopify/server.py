"""Serving the simulator over HTTP with a threaded server."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import SimulatorApp
from .config import SimulatorConfig


class _QuietHandler(WSGIRequestHandler):
    """No access log: request lines would carry tokens in query strings and PII in paths."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass


class SimulatorServer:
    """A listening server (`port` is bound) for one simulator app; serve, then shut down."""

    def __init__(self, config: SimulatorConfig, host: str = "127.0.0.1", port: int = 0) -> None:
        self.app = SimulatorApp(config)
        self._server: BaseWSGIServer = make_server(
            host, port, self.app, threaded=True, request_handler=_QuietHandler
        )
        self.port: int = self._server.server_port
        self.url = f"http://{host}:{self.port}"

    def serve_forever(self) -> None:
        self._server.serve_forever(poll_interval=0.1)

    def shutdown(self) -> None:
        """Stops serving (from another thread) and stops the simulator's workers."""
        self._server.shutdown()
        self.close()

    def close(self) -> None:
        self._server.server_close()
        self.app.close()


def create_app(config: SimulatorConfig) -> SimulatorApp:
    return SimulatorApp(config)


def create_server(
    config: SimulatorConfig, host: str = "127.0.0.1", port: int = 0
) -> SimulatorServer:
    return SimulatorServer(config, host, port)


def serve(
    config: SimulatorConfig,
    host: str = "127.0.0.1",
    port: int = 0,
    ready: Callable[[int], None] | None = None,
) -> None:
    """Serve until the process ends, calling `ready(port)` once the socket is listening."""
    server = SimulatorServer(config, host, port)
    try:
        if ready is not None:
            ready(server.port)
        server.serve_forever()
    finally:
        server.close()
