"""POST /webhooks/shopify: verify, deduplicate, enqueue, answer, all within milliseconds.

No HubSpot work happens here. The order of the checks matters: nothing about an unsigned
request is trusted or logged beyond its shop header. A delivery is marked as accepted and its
event queued in one Redis call, which also records the step in its object's trace (never a
reason to answer otherwise). Accepted deliveries are logged at DEBUG only: a line for each was
a measurable share of a request; refusals and duplicates are logged.

The route is a WSGI app of its own in front of the Flask app, which answers every other
request. It is the one request Shopify sends thousands of a minute, and Flask's request and
response objects, routing and context cost as much as the route's own work (measured with
`python -m bench receiver`); what this route needs of a request is its body and five headers.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

import redis
from werkzeug.exceptions import MethodNotAllowed, RequestEntityTooLarge

from shopspot import signatures
from shopspot.deliveries import Acceptance
from shopspot.events import WebhookEvent
from shopspot.settings import normalise_shop_domain
from shopspot.topics import kind_of
from shopspot.trace.notes import about
from shopspot.trace.store import Step
from webapi.context import ReceiverContext
from webapi.errors import error_json, http_error_json, json_body
from webapi.jsonbody import parse
from webapi.nesting import deeper_than

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

log = logging.getLogger("shopspot.webapi")

PATH = "/webhooks/shopify"

# Shopify's payloads nest a handful of levels; the serialisers between here and the dead-letter
# store give up at a few hundred, which would make a body that can never be accepted look like
# a queue outage (503) and have Shopify deliver it again for hours.
MAX_DEPTH = 64
_TOO_DEEP = f"the body nests deeper than {MAX_DEPTH} levels"

# The answers Shopify gets most, written once.
_QUEUED = b'{"status":"queued"}\n'
_DUPLICATE = b'{"status":"duplicate"}\n'

_STATUS_LINES = {
    200: "200 OK",
    400: "400 Bad Request",
    401: "401 Unauthorized",
    405: "405 Method Not Allowed",
    411: "411 Length Required",
    413: "413 Request Entity Too Large",
    503: "503 Service Unavailable",
}


class Answer(Exception):
    """What the route answers a request it will not accept: status, JSON body, extra headers."""

    def __init__(self, status: int, body: bytes, headers: tuple[tuple[str, str], ...] = ()):
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers


def _refuse(
    status: int,
    error: str,
    detail: str,
    fields: dict[str, Any],
    headers: tuple[tuple[str, str], ...] = (),
) -> Answer:
    log.warning("refused: %s", error, extra={"fields": {**fields, "outcome": error}})
    return Answer(status, error_json(error, detail), headers)


class WebhookRoute:
    """Answers POST /webhooks/shopify and hands every other request to `app`."""

    def __init__(self, context: ReceiverContext, app: WSGIApplication) -> None:
        self._context = context
        self._app = app

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("PATH_INFO") != PATH:
            return self._app(environ, start_response)
        try:
            answer = Answer(200, self._receive(environ))
        except Answer as refusal:
            answer = refusal
        status, body = answer.status, answer.body
        start_response(
            _STATUS_LINES[status],
            [
                ("Content-Type", "application/json"),
                ("Content-Length", str(len(body))),
                *answer.headers,
            ],
        )
        return [body]

    def _receive(self, environ: WSGIEnvironment) -> bytes:
        if environ.get("REQUEST_METHOD") != "POST":
            raise Answer(405, http_error_json(MethodNotAllowed()), (("Allow", "POST"),))
        context = self._context
        body = self._body(environ)
        shop_header = environ.get("HTTP_X_SHOPIFY_SHOP_DOMAIN", "")
        try:
            shop = normalise_shop_domain(shop_header)
        except ValueError:
            shop = ""
        store = context.stores.get(shop)
        fields: dict[str, Any] = {"shop": shop or "-"}
        if store is None:
            raise _refuse(
                401, "unknown_shop", "X-Shopify-Shop-Domain is not a configured shop", fields
            )
        if not signatures.is_valid(
            body, environ.get("HTTP_X_SHOPIFY_HMAC_SHA256"), store.webhook_secrets
        ):
            raise _refuse(401, "invalid_signature", "X-Shopify-Hmac-Sha256 does not match", fields)

        topic = environ.get("HTTP_X_SHOPIFY_TOPIC", "").strip().lower()
        event_id = environ.get("HTTP_X_SHOPIFY_EVENT_ID") or None
        webhook_id = environ.get("HTTP_X_SHOPIFY_WEBHOOK_ID") or None
        fields.update(topic=topic or "-", event_id=event_id or webhook_id or "-")
        if not topic:
            raise _refuse(400, "missing_topic", "X-Shopify-Topic is required", fields)
        if not (event_id or webhook_id):
            raise _refuse(
                400,
                "missing_delivery_id",
                "X-Shopify-Event-Id or X-Shopify-Webhook-Id is required",
                fields,
            )
        try:
            text = body.decode("utf-8")
            payload = parse(text)
        except RecursionError:
            raise _refuse(400, "too_deeply_nested", _TOO_DEEP, fields) from None
        except ValueError:
            # Not UTF-8 (the only encoding Shopify sends), not JSON, NaN or Infinity (which JSON
            # does not have), or an integer too long to read.
            raise _refuse(400, "invalid_json", "the body is not JSON", fields) from None
        if not isinstance(payload, dict):
            raise _refuse(400, "invalid_json", "the body is not a JSON object", fields)
        if deeper_than(body, MAX_DEPTH):
            raise _refuse(400, "too_deeply_nested", _TOO_DEEP, fields)

        kind = kind_of(topic)
        if kind is None:
            log.info("ignored topic", extra={"fields": {**fields, "outcome": "ignored"}})
            return json_body(status="ignored", detail=f"Shopspot does not handle {topic}")

        event = WebhookEvent(
            shop=shop,
            topic=topic,
            event_id=event_id,
            webhook_id=webhook_id,
            api_version=environ.get("HTTP_X_SHOPIFY_API_VERSION"),
            triggered_at=environ.get("HTTP_X_SHOPIFY_TRIGGERED_AT"),
            received_at=time.time(),
            payload=payload,
        )
        fields = event.describe()
        message = context.messages.message(kind, event, payload_json=text)
        trace = context.traces.recording(
            [about(event, Step.RECEIVER, "accepted", at=event.received_at)]
        )
        try:
            acceptance = context.ledger.accept(
                event.delivery_key, message.queue, message.body, trace
            )
        except redis.RedisError as exc:
            raise _refuse(
                503, "redis_unavailable", type(exc).__name__, fields, (("Retry-After", "5"),)
            ) from None
        if acceptance is Acceptance.DUPLICATE:
            log.info("duplicate delivery", extra={"fields": {**fields, "outcome": "duplicate"}})
            return _DUPLICATE
        log.debug("queued", extra={"fields": {**fields, "outcome": "queued"}})
        return _QUEUED

    def _body(self, environ: WSGIEnvironment) -> bytes:
        """The request's body; an answer when it is longer than the receiver takes."""
        limit = self._context.settings.webhook_max_bytes
        stream = environ["wsgi.input"]
        length = environ.get("CONTENT_LENGTH")
        if length:
            try:
                size = int(length)
            except ValueError:
                raise Answer(
                    400, error_json("bad_request", "Content-Length is not a number")
                ) from None
            if size > limit:
                raise Answer(413, http_error_json(RequestEntityTooLarge()))
            body: bytes = stream.read(size)
            return body
        if not environ.get("wsgi.input_terminated"):
            raise Answer(411, error_json("length_required", "Content-Length is required"))
        # A chunked body, which the server ends: one byte past the limit tells it is too long.
        body = stream.read(limit + 1)
        if len(body) > limit:
            raise Answer(413, http_error_json(RequestEntityTooLarge()))
        return body
