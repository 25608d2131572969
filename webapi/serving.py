"""How gunicorn serves the receiver: `shopspot web`'s defaults and gunicorn's options.

Kept apart from the server so that the command line reads the defaults without importing
gunicorn, and so that the benchmark serves its bare Flask app exactly as the receiver is.
"""

from __future__ import annotations

from typing import Any

# Chosen by measurement on 2 cores (`python -m bench receiver` compares other settings). A
# request is CPU-bound Python, so processes beat threads sharing one interpreter lock, but
# each also waits for Redis: four single-threaded (sync) workers served about 7% more signed
# webhooks a second than three, with a lower p99, and five fewer again. Gthread workers also
# keep a kept-alive connection on the worker that accepted it: we saw one of two take all 32
# connections and leave a core idle; sync workers take one request at a time from the shared
# socket. They read a request whole before the next, so put a proxy that buffers requests in
# front (nginx does by default), as TLS needs one anyway.
DEFAULT_WORKERS = 4
DEFAULT_THREADS = 1


def gunicorn_options(
    *, host: str, port: int, workers: int, threads: int, log_level: str
) -> dict[str, Any]:
    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "threads": threads,
        "worker_class": "sync" if threads == 1 else "gthread",
        "timeout": 30,
        "graceful_timeout": 10,
        "accesslog": None,
        "loglevel": log_level.lower(),
    }
