"""Every error the receiver gives is JSON: {"error": "...", "detail": "..."}."""

from __future__ import annotations

import json

from flask import Flask, Response
from werkzeug.exceptions import HTTPException


def json_body(**fields: str) -> bytes:
    """An answer's JSON, written as Flask's `jsonify` writes it."""
    return json.dumps(fields, separators=(",", ":"), sort_keys=True).encode() + b"\n"


def error_json(error: str, detail: str) -> bytes:
    return json_body(error=error, detail=detail)


def http_error_json(exc: HTTPException) -> bytes:
    """The error's JSON, named as werkzeug names it (`request_entity_too_large`)."""
    return error_json((exc.name or "error").lower().replace(" ", "_"), exc.description or "")


def error_response(status: int, error: str, detail: str) -> tuple[Response, int]:
    return Response(error_json(error, detail), mimetype="application/json"), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[Response, int]:
        return Response(http_error_json(exc), mimetype="application/json"), exc.code or 500
