"""A bare Flask route that only reads the body, served by gunicorn exactly as `shopspot web`
serves the receiver: the benchmark's yardstick for what the receiver itself costs.

`python -m bench.bare_receiver --port PORT` (the defaults of `shopspot web` otherwise).
"""

from __future__ import annotations

import argparse

from flask import Flask, Response, jsonify, request

from webapi.server import Gunicorn
from webapi.serving import DEFAULT_THREADS, DEFAULT_WORKERS, gunicorn_options


def bare_app() -> Flask:
    app = Flask("bench.bare_receiver")

    @app.post("/webhooks/shopify")
    def receive() -> Response:
        request.get_data(cache=False)
        return jsonify(status="ok")

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    return app


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--workers", type=int, default=DEFAULT_WORKERS)
    parser.add_argument("--threads", type=int, default=DEFAULT_THREADS)
    args = parser.parse_args()
    options = gunicorn_options(
        host="127.0.0.1",
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        log_level="INFO",
    )
    Gunicorn(bare_app, options).run()


if __name__ == "__main__":
    main()
