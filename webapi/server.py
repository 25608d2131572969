"""Serve the receiver with gunicorn (`shopspot web`)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Flask
from gunicorn.app.base import BaseApplication

from shopspot.settings import Settings
from webapi.app import create_app
from webapi.serving import gunicorn_options


class Gunicorn(BaseApplication):  # type: ignore[misc]
    """Gunicorn serving the app that `load` makes in each worker."""

    def __init__(self, load: Callable[[], Flask], options: dict[str, Any]) -> None:
        self._load = load
        self._options = options
        super().__init__()

    def load_config(self) -> None:
        for key, value in self._options.items():
            self.cfg.set(key, value)

    def load(self) -> Flask:
        return self._load()


def serve(settings: Settings, *, host: str, port: int, workers: int, threads: int) -> None:
    # Fail on bad settings here, once, rather than in every forked worker.
    settings.require_stores()
    options = gunicorn_options(
        host=host, port=port, workers=workers, threads=threads, log_level=settings.log_level
    )
    Gunicorn(lambda: create_app(settings), options).run()
