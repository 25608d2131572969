"""Every error the receiver gives is JSON: {"error": "...", "detail": "..."}."""

from __future__ import annotations

from flask import Flask, Response, jsonify
from werkzeug.exceptions import HTTPException


def error_response(status: int, error: str, detail: str) -> tuple[Response, int]:
    return jsonify(error=error, detail=detail), status


def register(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> tuple[Response, int]:
        status = exc.code or 500
        name = (exc.name or "error").lower().replace(" ", "_")
        return error_response(status, name, exc.description or "")
