"""Serving the sandbox over HTTP with a threaded server."""

from __future__ import annotations

from collections.abc import Callable

from .app import SandboxApp
from .config import SandboxConfig
from .httpserver import HttpServer


def create_app(config: SandboxConfig) -> SandboxApp:
    return SandboxApp(config)


def create_server(config: SandboxConfig, host: str = "127.0.0.1", port: int = 0) -> HttpServer:
    """A listening (not yet serving) threaded server; `server_port` is the bound port."""
    return HttpServer(create_app(config), host, port)


def serve(
    config: SandboxConfig,
    host: str = "127.0.0.1",
    port: int = 0,
    ready: Callable[[int], None] | None = None,
) -> None:
    """Serve until the process ends, calling `ready(port)` once the socket is listening."""
    server = create_server(config, host, port)
    try:
        if ready is not None:
            ready(server.server_port)
        server.serve_forever()
    finally:
        server.server_close()
