"""The message that hands an event to its task, as Celery's worker reads it off Redis.

The receiver does not publish through Celery: it pushes this message in the same Redis call
that marks the delivery as accepted (`shopspot.deliveries`). So the message is what Celery's
own publish would have put there: task protocol 2, headers and properties from Celery's
`as_task_v2`, the body serialised as kombu serialises JSON, in kombu's Redis transport
envelope (a JSON object on the queue's list, the body base64-encoded).

It is built at thousands a second, so the large parts are never serialised twice: the
payload goes in as the JSON text it arrived in, and the encoded body is put into the
envelope's JSON as it is (base64 needs no escaping in JSON).
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

from celery import Celery
from kombu.entity import PERSISTENT_DELIVERY_MODE
from kombu.serialization import dumps
from kombu.utils.json import dumps as json_dumps
from kombu.utils.uuid import uuid

from shopspot.events import WebhookEvent
from shopspot.topics import Kind
from worker.routing import queue_name, task_name

_BODY_ENCODING = "base64"
# What kombu's JSON serialiser says of what it writes.
_CONTENT_TYPE, _CONTENT_ENCODING, _ = dumps(None, serializer="json")


@dataclass(frozen=True)
class TaskMessage:
    queue: str  # the Redis list the worker pops; priority 0 (Shopspot sets none) has no suffix
    body: str  # kombu's envelope, as JSON


def task_message(
    app: Celery, kind: Kind, event: WebhookEvent, *, payload_json: str | None = None
) -> TaskMessage:
    """The message that runs `event` through its kind's task. `payload_json` is the payload
    as the JSON text it was parsed from, when the caller has it; otherwise it is serialised."""
    task_id = uuid()
    queue = queue_name(kind)
    # The task's arguments are described by ids only: Flower and logs show this, not the payload.
    described = {"event": event.describe()}
    message = app.amqp.as_task_v2(
        task_id, task_name(kind), args=(), kwargs={}, argsrepr="()", kwargsrepr=repr(described)
    )
    args, _, embed = message.body
    if payload_json is None:
        payload_json = json_dumps(event.payload)
    # The event's other fields are required, so its JSON object is never empty.
    event_json = event.model_dump_json(exclude={"payload"})[:-1] + f', "payload": {payload_json}}}'
    body = f'[{json_dumps(args)}, {{"event": {event_json}}}, {json_dumps(embed)}]'
    envelope = json_dumps(
        {
            "content-encoding": _CONTENT_ENCODING,
            "content-type": _CONTENT_TYPE,
            "headers": message.headers,
            "properties": {
                **message.properties,
                "delivery_mode": PERSISTENT_DELIVERY_MODE,
                "delivery_info": {"exchange": "", "routing_key": queue},
                "priority": 0,
                "body_encoding": _BODY_ENCODING,
                "delivery_tag": uuid(),
            },
        }
    )
    encoded = base64.b64encode(body.encode(_CONTENT_ENCODING)).decode("ascii")
    return TaskMessage(queue, f'{{"body": "{encoded}", {envelope[1:]}')
