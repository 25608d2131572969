"""Serve the receiver with gunicorn (`shopspot web`)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from shopspot.settings import Settings
from webapi.app import create_app


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self._settings = settings
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return create_app(self._settings)


def serve(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    # Fail on bad settings here, once, rather than in every forked worker.
    settings.require_stores()
    _Gunicorn(
        settings,
        {
            "bind": f"{host}:{port}",
            "workers": workers,
            "threads": threads,
            "worker_class": "gthread",
            "timeout": 30,
            "graceful_timeout": 10,
            "accesslog": None,
            "loglevel": settings.log_level.lower(),
        },
    ).run()
