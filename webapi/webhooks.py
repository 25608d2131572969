"""POST /webhooks/shopify: verify, deduplicate, enqueue, answer, all within milliseconds.

No HubSpot work happens here. The order of the checks matters: nothing about an unsigned
request is trusted or logged beyond its shop header. A delivery is marked as accepted and its
event queued in one Redis call, which also records the step in its object's trace (never a
reason to answer otherwise). Accepted deliveries are logged at DEBUG only: a line for each was
a measurable share of a request; refusals and duplicates are logged.
"""

from __future__ import annotations

import logging
import time
from typing import Any

import redis
from flask import Blueprint, Response, current_app, jsonify, request

from shopspot import signatures
from shopspot.deliveries import Acceptance
from shopspot.events import WebhookEvent
from shopspot.settings import normalise_shop_domain
from shopspot.topics import kind_of
from shopspot.trace.notes import about
from shopspot.trace.store import Step
from webapi.context import receiver_context
from webapi.errors import error_response
from webapi.jsonbody import parse
from webapi.nesting import deeper_than

log = logging.getLogger("shopspot.webapi")

bp = Blueprint("webhooks", __name__)

Answer = Response | tuple[Response, int]

# Shopify's payloads nest a handful of levels; the serialisers between here and the dead-letter
# store give up at a few hundred, which would make a body that can never be accepted look like
# a queue outage (503) and have Shopify deliver it again for hours.
MAX_DEPTH = 64
_TOO_DEEP = f"the body nests deeper than {MAX_DEPTH} levels"


def _refuse(status: int, error: str, detail: str, fields: dict[str, Any]) -> tuple[Response, int]:
    log.warning("refused: %s", error, extra={"fields": {**fields, "outcome": error}})
    return error_response(status, error, detail)


def _unavailable(error: str, detail: str, fields: dict[str, Any]) -> tuple[Response, int]:
    body, status = _refuse(503, error, detail, fields)
    body.headers["Retry-After"] = "5"
    return body, status


# The answers Shopify gets most, as `jsonify` would write them, without writing them each time.
_QUEUED = b'{"status":"queued"}\n'
_DUPLICATE = b'{"status":"duplicate"}\n'


def _answer(body: bytes) -> Response:
    return Response(body, mimetype="application/json")


@bp.post("/webhooks/shopify")
def receive() -> Answer:
    context = receiver_context(current_app)
    body = request.get_data(cache=False)
    shop_header = request.headers.get("X-Shopify-Shop-Domain", "")
    try:
        shop = normalise_shop_domain(shop_header)
    except ValueError:
        shop = ""
    store = context.stores.get(shop)
    fields: dict[str, Any] = {"shop": shop or "-"}
    if store is None:
        return _refuse(
            401, "unknown_shop", "X-Shopify-Shop-Domain is not a configured shop", fields
        )
    if not signatures.is_valid(
        body, request.headers.get("X-Shopify-Hmac-Sha256"), store.webhook_secrets
    ):
        return _refuse(401, "invalid_signature", "X-Shopify-Hmac-Sha256 does not match", fields)

    topic = request.headers.get("X-Shopify-Topic", "").strip().lower()
    event_id = request.headers.get("X-Shopify-Event-Id") or None
    webhook_id = request.headers.get("X-Shopify-Webhook-Id") or None
    fields.update(topic=topic or "-", event_id=event_id or webhook_id or "-")
    if not topic:
        return _refuse(400, "missing_topic", "X-Shopify-Topic is required", fields)
    if not (event_id or webhook_id):
        return _refuse(
            400,
            "missing_delivery_id",
            "X-Shopify-Event-Id or X-Shopify-Webhook-Id is required",
            fields,
        )
    try:
        text = body.decode("utf-8")
        payload = parse(text)
    except RecursionError:
        return _refuse(400, "too_deeply_nested", _TOO_DEEP, fields)
    except ValueError:
        # Not UTF-8 (the only encoding Shopify sends), not JSON, NaN or Infinity (which JSON
        # does not have), or an integer too long to read.
        return _refuse(400, "invalid_json", "the body is not JSON", fields)
    if not isinstance(payload, dict):
        return _refuse(400, "invalid_json", "the body is not a JSON object", fields)
    if deeper_than(body, MAX_DEPTH):
        return _refuse(400, "too_deeply_nested", _TOO_DEEP, fields)

    kind = kind_of(topic)
    if kind is None:
        log.info("ignored topic", extra={"fields": {**fields, "outcome": "ignored"}})
        return jsonify(status="ignored", detail=f"Shopspot does not handle {topic}")

    event = WebhookEvent(
        shop=shop,
        topic=topic,
        event_id=event_id,
        webhook_id=webhook_id,
        api_version=request.headers.get("X-Shopify-API-Version"),
        triggered_at=request.headers.get("X-Shopify-Triggered-At"),
        received_at=time.time(),
        payload=payload,
    )
    fields = event.describe()
    message = context.messages.message(kind, event, payload_json=text)
    trace = context.traces.recording(
        [about(event, Step.RECEIVER, "accepted", at=event.received_at)]
    )
    try:
        acceptance = context.ledger.accept(event.delivery_key, message.queue, message.body, trace)
    except redis.RedisError as exc:
        return _unavailable("redis_unavailable", type(exc).__name__, fields)
    if acceptance is Acceptance.DUPLICATE:
        log.info("duplicate delivery", extra={"fields": {**fields, "outcome": "duplicate"}})
        return _answer(_DUPLICATE)
    log.debug("queued", extra={"fields": {**fields, "outcome": "queued"}})
    return _answer(_QUEUED)
