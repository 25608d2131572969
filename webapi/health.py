"""Liveness and readiness for orchestrators and load balancers."""

from __future__ import annotations

import redis
from flask import Blueprint, Response, current_app, jsonify

from webapi.context import receiver_context
from webapi.errors import error_response

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz() -> Response:
    return jsonify(status="ok")


@bp.get("/readyz")
def readyz() -> Response | tuple[Response, int]:
    try:
        receiver_context(current_app).redis.ping()
    except redis.RedisError as exc:
        return error_response(503, "redis_unavailable", type(exc).__name__)
    return jsonify(status="ready")
