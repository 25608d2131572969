"""The simulator's HTTP face: Shopify's Admin GraphQL endpoint, the REST abandoned checkouts
list, bulk result files, and the simulator's own control endpoints under /_simulator (no auth;
not Shopify's)."""

from __future__ import annotations

import dataclasses
import json
import math
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response
from werkzeug.wsgi import wrap_file

from .changes import NothingToChange
from .config import SimulatorConfig, WebhookKnobs
from .expected import expected
from .simulation import Simulation

MAX_CHANGES_PER_CALL = 10_000
_KNOB_NAMES = {f.name for f in dataclasses.fields(WebhookKnobs)} - {"concurrency"}


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return Response(text, status=status, headers=headers, content_type="application/json")


class SimulatorApp:
    """A WSGI application over one `Simulation` (started on creation; `close()` stops it)."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.sim = Simulation(config)
        self.sim.start()
        self._routes = Map(
            [
                Rule("/admin/api/<version>/graphql.json", endpoint="graphql", methods=["POST"]),
                Rule("/admin/api/<version>/checkouts.json", endpoint="checkouts", methods=["GET"]),
                Rule("/bulk-results/<int:operation_id>.jsonl", endpoint="bulk_file"),
                Rule("/_simulator/expected", endpoint="expected", methods=["GET"]),
                Rule("/_simulator/changes", endpoint="changes", methods=["POST"]),
                Rule("/_simulator/stats", endpoint="stats", methods=["GET"]),
                Rule("/_simulator/config", endpoint="config", methods=["GET", "POST"]),
            ]
        )
        self._handlers: dict[str, Callable[..., Response]] = {
            "graphql": self.graphql,
            "checkouts": self.checkouts,
            "bulk_file": self.bulk_file,
            "expected": self.expected,
            "changes": self.changes,
            "stats": self.stats,
            "config": self.config,
        }

    def close(self) -> None:
        self.sim.close()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        request = Request(environ)
        try:
            endpoint, values = self._routes.bind_to_environ(environ).match()
            response = self._handlers[str(endpoint)](request, **values)
        except NotFound:
            response = _json({"errors": "Not Found"}, 404)
        except MethodNotAllowed:
            response = _json({"errors": "Method Not Allowed"}, 405)
        except HTTPException as exc:
            response = _json({"errors": exc.description}, exc.code or 500)
        return response(environ, start_response)

    # -- Shopify ----------------------------------------------------------------------------

    def graphql(self, request: Request, version: str) -> Response:
        answer = self.sim.graphql.handle(
            version,
            request.headers.get("X-Shopify-Access-Token"),
            request.get_data(),
            request.headers.get("Content-Type", "application/json"),
            request.host_url,
        )
        headers = {**answer.headers, "X-Request-Id": str(uuid.uuid4())}
        return _json(answer.body, answer.status, headers)

    def checkouts(self, request: Request, version: str) -> Response:
        answer = self.sim.rest.checkouts(
            version,
            request.headers.get("X-Shopify-Access-Token"),
            request.args,
            request.base_url,
        )
        headers = {**answer.headers, "X-Request-Id": str(uuid.uuid4())}
        return _json(answer.body, answer.status, headers)

    def bulk_file(self, request: Request, operation_id: int) -> Response:
        path = self.sim.bulk.result_file(operation_id, request.args.get("Signature", ""))
        if path is None:
            return Response("Access denied.", status=403, content_type="text/plain")
        return Response(
            wrap_file(request.environ, path.open("rb")),
            content_type="application/jsonl",
            direct_passthrough=True,
        )

    # -- control ----------------------------------------------------------------------------

    def expected(self, request: Request) -> Response:
        try:
            abandon_after = float(request.args.get("abandon_after_seconds", "86400"))
        except ValueError:
            return _json({"errors": "abandon_after_seconds must be a number"}, 400)
        if not math.isfinite(abandon_after) or abandon_after < 0:
            return _json({"errors": "abandon_after_seconds must be a non-negative number"}, 400)
        records = request.args.get("records", "false").lower() in ("1", "true")
        store, now = self.sim.store, self.sim.clock.now()
        return _json(expected(store, now, abandon_after, records=records))

    def changes(self, request: Request) -> Response:
        body = request.get_json(silent=True) or {}
        raw = request.args.get("count", body.get("count", 1) if isinstance(body, dict) else 1)
        try:
            count = int(raw)
        except (TypeError, ValueError):
            return _json({"errors": "count must be an integer"}, 400)
        if not 1 <= count <= MAX_CHANGES_PER_CALL:
            return _json({"errors": f"count must be between 1 and {MAX_CHANGES_PER_CALL}"}, 400)
        # One kind of change instead of a random mix: a test asks for the flow it needs.
        kind = request.args.get("kind", body.get("kind") if isinstance(body, dict) else None)
        if kind is not None and kind not in self.sim.changes.kinds:
            kinds = ", ".join(self.sim.changes.kinds)
            return _json({"errors": f"kind must be one of {kinds}"}, 400)
        try:
            return _json({"changes": self.sim.changes.make(count, kind)})
        except NothingToChange:
            return _json({"errors": f"the store has nothing a {kind} change could act on"}, 409)

    def stats(self, request: Request) -> Response:
        current = self.sim.bulk.current()
        return _json(
            {
                **self.sim.stats.snapshot(),
                "webhooks_pending": self.sim.dispatcher.pending(),
                "subscriptions": len(self.sim.subscriptions.all()),
                "bulk_status": current.status if current else None,
                "store_version": self.sim.store.version,
            }
        )

    def config(self, request: Request) -> Response:
        if request.method == "POST":
            body = request.get_json(silent=True)
            if not isinstance(body, dict):
                return _json({"errors": "a JSON object is required"}, 400)
            problem = self._configure(body)
            if problem:
                return _json({"errors": problem}, 400)
        return _json(self._settings())

    def _settings(self) -> dict[str, Any]:
        knobs = dataclasses.asdict(self.sim.dispatcher.knobs)
        return {
            **knobs,
            "live_rate": self.sim.live.rate,
            "bulk_min_seconds": self.sim.bulk.min_seconds,
            "bulk_fail_next": self.sim.bulk.fail_next,
        }

    def _configure(self, body: dict[str, Any]) -> str | None:
        unknown = set(body) - _KNOB_NAMES - {"live_rate", "bulk_min_seconds", "bulk_fail_next"}
        if unknown:
            return f"unknown settings: {', '.join(sorted(unknown))}"
        knobs = {name: body[name] for name in _KNOB_NAMES & set(body)}
        if "retry_delays" in knobs:
            knobs["retry_delays"] = tuple(knobs["retry_delays"])
        try:
            dataclasses.replace(self.sim.dispatcher.knobs, **knobs)
            live_rate = float(body.get("live_rate", self.sim.live.rate))
            min_seconds = float(body.get("bulk_min_seconds", self.sim.bulk.min_seconds))
        except (TypeError, ValueError) as exc:
            return str(exc)
        if not math.isfinite(live_rate) or live_rate < 0 or min_seconds < 0:
            return "live_rate and bulk_min_seconds must be non-negative numbers"
        if knobs:
            self.sim.dispatcher.set_knobs(**knobs)
        self.sim.live.set_rate(live_rate)
        self.sim.bulk.min_seconds = min_seconds
        if "bulk_fail_next" in body:
            self.sim.bulk.fail_next = bool(body["bulk_fail_next"])
        return None
