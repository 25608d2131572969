"""How gunicorn serves the receiver: `shopspot web`'s defaults and gunicorn's options.

Kept apart from the server so that the command line reads the defaults without importing
gunicorn, and so that the benchmark serves its bare Flask app exactly as the receiver is.
"""

from __future__ import annotations

from typing import Any

DEFAULT_WORKERS = 2
DEFAULT_THREADS = 4


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, log_level: str
) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "gthread",
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "loglevel": log_level.lower(),
    }
