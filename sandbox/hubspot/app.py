"""The WSGI application: auth, rate limits and faults in front of the CRM routes (under
HubSpot's numbered and date-based paths alike), plus the sandbox's own `/_sandbox/`
endpoints (no auth, no limits, not HubSpot's)."""

from __future__ import annotations

import hmac
import json
import logging
import time
import uuid
from collections.abc import Iterable
from typing import Any
from urllib.parse import parse_qs

from werkzeug.exceptions import MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule

from . import (
    routes_account,
    routes_associations,
    routes_objects,
    routes_pipelines,
    routes_properties,
)
from .config import SandboxConfig
from .errors import ApiError, correlation_id
from .faults import FaultInjector
from .objecttypes import CONTACTS, find_type
from .portal import Portal
from .ratelimit import MESSAGES, SECONDLY, TEN_SECONDLY, RateLimiter, Verdict
from .standard_properties import ANALYTICS_SOURCES
from .stats import Stats
from .versions import VERSION_PARAM, VersionConverter
from .web import ApiRequest, ApiResponse, Route

log = logging.getLogger(__name__)

ROUTES: tuple[Route, ...] = (
    *routes_objects.ROUTES,
    *routes_properties.ROUTES,
    *routes_pipelines.ROUTES,
    *routes_associations.ROUTES,
    *routes_account.ROUTES,
)
_TYPE_PARAMS = ("object_type", "from_type", "to_type")
_UNAUTHORIZED = (
    "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
    "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview"
)
_GATEWAY_PAGES = {
    502: "502 Bad Gateway",
    503: "503 Service Temporarily Unavailable",
}
_REASONS = {
    200: "OK",
    201: "Created",
    204: "No Content",
    207: "Multi-Status",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    429: "Too Many Requests",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
}

StartResponse = Any


class SandboxApp:
    """A WSGI callable serving one sandbox portal."""

    def __init__(self, config: SandboxConfig) -> None:
        self._initial = config
        self.config = config
        self.portal = Portal(config)
        self.limiter = RateLimiter()
        self.faults = FaultInjector(config.seed)
        self.stats = Stats()
        rules = [
            Rule(route.rule, methods=list(route.methods), endpoint=index)
            for index, route in enumerate(ROUTES)
        ]
        urls = Map(
            rules,
            strict_slashes=False,
            merge_slashes=False,
            converters={"version": VersionConverter},
        )
        self._urls = urls.bind("sandbox")

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        method = environ["REQUEST_METHOD"]
        # PEP 3333 carries the path as latin-1 text; ids and emails in it are UTF-8.
        path = environ.get("PATH_INFO", "").encode("latin-1").decode("utf-8", "replace")
        body = _read_body(environ)
        if path.startswith("/_sandbox/"):
            response = self._sandbox(method, path, body)
        else:
            response = self._api(environ, method, path, body)
        return _send(response, start_response)

    def _api(self, environ: dict[str, Any], method: str, path: str, body: bytes) -> ApiResponse:
        config = self.config
        if config.latency_ms:
            time.sleep(config.latency_ms / 1000)
        if not _authorized(environ.get("HTTP_AUTHORIZATION", ""), config.token):
            self.stats.record(f"{method} (unauthenticated)", 401, False)
            return _error(401, _UNAUTHORIZED, "INVALID_AUTHENTICATION")
        matched = self._match(path, method)
        route, params = matched if isinstance(matched, tuple) else (None, {})
        label = _label(method, route, params)
        search = route is not None and route.search
        fault = self.faults.before(config)
        if fault == 429:
            self.stats.injected("429")
            response = self._injected_429(config, search)
            self.stats.record(label, 429, False)
            return response
        admit = self.limiter.admit_search if search else self.limiter.admit
        verdict = admit(config.token, config)
        if not verdict.allowed:
            self.stats.rate_limited(verdict.policy)
            response = _rate_limited(verdict, config.retry_after)
        elif fault is not None:
            self.stats.injected(str(fault))
            response = _server_error(fault)
        elif isinstance(matched, ApiResponse):
            response = matched
        else:
            route = matched[0]
            response = self._serve(environ, route, params, method, path, body)
            applied = route.writes and response.wrote and response.status < 300
            if applied and self.faults.after_write(config):
                self.stats.injected("after_write_502")
                response = _server_error(502)
        response.headers.update(verdict.headers)
        self.stats.record(label, response.status, route is not None and route.writes)
        return response

    def _serve(
        self,
        environ: dict[str, Any],
        route: Route,
        params: dict[str, str],
        method: str,
        path: str,
        body: bytes,
    ) -> ApiResponse:
        host = environ.get("HTTP_HOST") or environ.get("SERVER_NAME", "localhost")
        request = ApiRequest(
            args=parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True),
            body=body,
            url=f"{environ.get('wsgi.url_scheme', 'http')}://{host}{path}",
            version=params.get("version"),
        )
        try:
            with self.portal.lock:
                return route.handler(self.portal, request, params)
        except ApiError as exc:
            return ApiResponse(exc.status, exc.body)
        except Exception:
            log.exception("unhandled error serving %s %s", method, route.rule)
            return _error(500, "internal error", "INTERNAL_ERROR")

    def _match(self, path: str, method: str) -> tuple[Route, dict[str, str]] | ApiResponse:
        """The route and its parameters, or the 404/405 to answer instead."""
        try:
            index, params = self._urls.match(path, method)
        except MethodNotAllowed:
            return _error(405, f"Method {method} is not allowed here", "VALIDATION_ERROR")
        except NotFound:
            return _error(404, "resource not found", "OBJECT_NOT_FOUND")
        return ROUTES[index], dict(params)

    def _injected_429(self, config: SandboxConfig, search: bool) -> ApiResponse:
        """A 429 as if another app on the account had used the budget; it costs nothing."""
        policy = SECONDLY if search else TEN_SECONDLY
        wait = 1 if search else max(1, round(config.window_seconds))
        headers = {} if search else self.limiter.exhausted_headers(config.token, config)
        verdict = Verdict(False, policy, wait, headers)
        response = _rate_limited(verdict, config.retry_after)
        response.headers.update(headers)
        return response

    def _sandbox(self, method: str, path: str, body: bytes) -> ApiResponse:
        try:
            payload = json.loads(body) if body else {}
        except (json.JSONDecodeError, UnicodeDecodeError):
            return _plain_error(400, "the body must be JSON")
        if not isinstance(payload, dict):
            return _plain_error(400, "the body must be a JSON object")
        if (method, path) == ("GET", "/_sandbox/stats"):
            return ApiResponse(200, self._stats())
        if (method, path) == ("GET", "/_sandbox/config"):
            return ApiResponse(200, self.config.public())
        if (method, path) == ("POST", "/_sandbox/config"):
            return self._configure(payload)
        if (method, path) == ("POST", "/_sandbox/reset"):
            return self._reset(payload)
        if (method, path) == ("POST", "/_sandbox/analytics-source"):
            return self._analytics_source(payload)
        if path == "/_sandbox/rules" and method in ("GET", "POST", "DELETE"):
            return self._rules(method, payload)
        return _plain_error(404, f"no sandbox endpoint {method} {path}")

    def _configure(self, changes: dict[str, Any]) -> ApiResponse:
        try:
            updated = self.config.updated(changes)
        except ValueError as exc:
            return _plain_error(400, str(exc))
        self._apply_config(updated, reseed="seed" in changes)
        return ApiResponse(200, updated.public())

    def _analytics_source(self, visit: dict[str, Any]) -> ApiResponse:
        """What HubSpot's tracking records when a known contact first arrives from a source:
        {"id": contact id, "source": one of the Original Source values}."""
        source = visit.get("source")
        if source not in ANALYTICS_SOURCES:
            return _plain_error(400, f"source must be one of {', '.join(ANALYTICS_SOURCES)}")
        with self.portal.lock:
            record = self.portal.records.get(CONTACTS, str(visit.get("id")))
            if record is None or record.archived:
                return _plain_error(404, "no such contact")
            record.properties["hs_analytics_source"] = str(source)
        return ApiResponse(200, {"id": record.id, "source": source})

    def _reset(self, options: dict[str, Any]) -> ApiResponse:
        """Records and links always go; `keep_schema` keeps properties, groups and pipelines;
        run-time settings stay unless `reset_config` restores the ones given at start."""
        keep_schema = options.get("keep_schema", False)
        reset_config = options.get("reset_config", False)
        if not isinstance(keep_schema, bool) or not isinstance(reset_config, bool):
            return _plain_error(400, "keep_schema and reset_config must be true or false")
        if reset_config:
            self._apply_config(self._initial, reseed=False)
        with self.portal.lock:
            self.portal.reset(keep_schema)
        self.portal.reseed(self.config.seed)
        self.faults.reseed(self.config.seed)
        self.limiter.reset()
        self.stats.reset()
        return ApiResponse(200, {"reset": True, "config": self.config.public()})

    def _rules(self, method: str, payload: dict[str, Any]) -> ApiResponse:
        """The portal's validation rules: listed (GET), one added (POST), all removed (DELETE)."""
        with self.portal.lock:
            rules = self.portal.rules
            if method == "POST":
                try:
                    rules.add(payload)
                except ValueError as exc:
                    return _plain_error(400, str(exc))
            elif method == "DELETE":
                rules.clear()
            return ApiResponse(200, {"results": rules.to_json()})

    def _apply_config(self, config: SandboxConfig, reseed: bool) -> None:
        self.config = config
        self.portal.config = config
        if reseed:
            self.portal.reseed(config.seed)
            self.faults.reseed(config.seed)

    def _stats(self) -> dict[str, Any]:
        shown = self.stats.snapshot()
        with self.portal.lock:
            shown["objects"] = self.portal.object_counts()
            shown["associations"] = self.portal.associations.link_count()
            counters = dict(self.portal.counters)
        shown["writes"] = {
            "requests": shown.pop("successful_write_requests"),
            "records_created": counters.get("records_created", 0),
            "records_updated": counters.get("records_updated", 0),
            "records_archived": counters.get("records_archived", 0),
        }
        shown["rate_limit"] = self.limiter.snapshot(self.config.token, self.config)
        return shown


def _read_body(environ: dict[str, Any]) -> bytes:
    """Read the whole body up front, so a refused request never leaves bytes on a kept-alive
    connection."""
    stream = environ["wsgi.input"]
    length = environ.get("CONTENT_LENGTH")
    if length:
        return bytes(stream.read(int(length)))
    if environ.get("wsgi.input_terminated"):
        return bytes(stream.read())
    return b""


def _authorized(header: str, token: str) -> bool:
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given:
        return False
    return hmac.compare_digest(given.strip().encode(), token.encode())


def _label(method: str, route: Route | None, params: dict[str, str]) -> str:
    if route is None:
        return f"{method} (no such endpoint)"
    rule = route.rule.replace(VERSION_PARAM, params.get("version", ""))
    for key in _TYPE_PARAMS:
        if key in params:
            otype = find_type(params[key])
            if otype is not None:
                rule = rule.replace(f"<{key}>", otype.name)
    return f"{method} {rule}"


def _error(status: int, message: str, category: str) -> ApiResponse:
    return ApiResponse(
        status,
        {
            "status": "error",
            "message": message,
            "correlationId": correlation_id(),
            "category": category,
        },
    )


def _plain_error(status: int, message: str) -> ApiResponse:
    return ApiResponse(status, {"status": "error", "message": message})


def _rate_limited(verdict: Verdict, retry_after: bool) -> ApiResponse:
    response = ApiResponse(
        429,
        {
            "status": "error",
            "message": MESSAGES[verdict.policy],
            "errorType": "RATE_LIMIT",
            "correlationId": correlation_id(),
            "policyName": verdict.policy,
            "requestId": uuid.uuid4().hex,
        },
    )
    if retry_after:
        response.headers["Retry-After"] = str(verdict.retry_after_seconds)
    return response


def _server_error(status: int) -> ApiResponse:
    """500 as HubSpot's JSON error; 502/503 as the HTML page its edge proxy serves, so a
    client cannot assume every failure has a JSON body."""
    if status == 500:
        return _error(500, "internal error", "INTERNAL_ERROR")
    title = _GATEWAY_PAGES[status]
    page = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
    return ApiResponse(status, page.encode(), {"Content-Type": "text/html; charset=utf-8"})


def _send(response: ApiResponse, start_response: StartResponse) -> Iterable[bytes]:
    headers = response.headers
    if response.status == 204 or response.body is None:
        payload = b""
    elif isinstance(response.body, bytes):
        payload = response.body
    else:
        payload = json.dumps(response.body, separators=(",", ":")).encode()
        headers.setdefault("Content-Type", "application/json;charset=utf-8")
        if isinstance(response.body, dict) and "correlationId" in response.body:
            headers["X-HubSpot-Correlation-Id"] = str(response.body["correlationId"])
    headers["Content-Length"] = str(len(payload))
    status_line = f"{response.status} {_REASONS.get(response.status, 'Unknown')}"
    start_response(status_line, list(headers.items()))
    return [payload]
