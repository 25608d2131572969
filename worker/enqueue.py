"""The message that hands an event to its task, as Celery's worker reads it off Redis.

The receiver does not publish through Celery: it pushes this message in the same Redis call
that marks the delivery as accepted (`shopspot.deliveries`). So the message is what Celery's
own publish would have put there: task protocol 2, headers and properties from Celery's
`as_task_v2`, the body serialised as kombu serialises JSON, in kombu's Redis transport
envelope (a JSON object on the queue's list, the body encoded as the workers' transport
options say, see `worker/config.py`).

It is built at thousands a second, so nothing is serialised twice: each kind's envelope is
asked of Celery and written once, with holes for what differs between messages (the ids,
the arguments' description and the body), and the payload goes in as the JSON text it
arrived in.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass

import orjson
from celery import Celery
from kombu.entity import PERSISTENT_DELIVERY_MODE
from kombu.serialization import dumps
from kombu.utils.json import dumps as json_dumps
from kombu.utils.uuid import uuid

from shopspot.events import WebhookEvent
from shopspot.topics import Kind
from worker.config import BODY_ENCODING
from worker.routing import queue_name, task_name

# What kombu's JSON serialiser says of what it writes.
_CONTENT_TYPE, _CONTENT_ENCODING, _ = dumps(None, serializer="json")
# Stand-ins for what differs between messages while an envelope is written once: no value
# Celery or kombu put in an envelope holds a NUL.
_HOLES = {name: f"\0{name}\0" for name in ("body", "task_id", "kwargsrepr", "delivery_tag")}


@dataclass(frozen=True)
class TaskMessage:
    queue: str  # the Redis list the worker pops; priority 0 (Shopspot sets none) has no suffix
    body: str  # kombu's envelope, as JSON


@dataclass(frozen=True)
class _Template:
    queue: str
    envelope: str  # the envelope's JSON as a `str.format` pattern with a field for each hole
    body_start: str  # the task body's JSON before the event, and after it
    body_end: str
    base64: bool  # the body is base64-encoded, or is a JSON string as it is


class TaskMessages:
    """Builds the messages of one Celery app's sync tasks.

    Celery names the sending process in each message's `origin`: make one in the process
    that sends (the receiver makes one in each of its workers)."""

    def __init__(self, app: Celery, body_encoding: str | None = BODY_ENCODING) -> None:
        """`body_encoding` as kombu's transport option names it: the workers' by default."""
        self._templates = {kind: _template(app, kind, body_encoding) for kind in Kind}

    def message(
        self, kind: Kind, event: WebhookEvent, *, payload_json: str | None = None
    ) -> TaskMessage:
        """The message that runs `event` through its kind's task. `payload_json` is the
        payload as the JSON text it was parsed from, when the caller has it; otherwise it
        is serialised."""
        template = self._templates[kind]
        if payload_json is None:
            payload_json = json_dumps(event.payload)
        # The event's other fields are required, so its JSON object is never empty.
        event_json = event.model_dump_json(exclude={"payload"})[:-1]
        body = f'{template.body_start}{event_json}, "payload": {payload_json}}}{template.body_end}'
        if template.base64:
            # Base64 needs no escaping in JSON.
            encoded = f'"{base64.b64encode(body.encode(_CONTENT_ENCODING)).decode("ascii")}"'
        else:
            encoded = orjson.dumps(body).decode(_CONTENT_ENCODING)
        # The task's arguments are described by ids only: Flower and logs show this, not the
        # payload. Uuids need no escaping in JSON.
        envelope = template.envelope.format(
            body=encoded,
            task_id=f'"{uuid()}"',
            kwargsrepr=json_dumps(repr({"event": event.describe()})),
            delivery_tag=f'"{uuid()}"',
        )
        return TaskMessage(template.queue, envelope)


def _template(app: Celery, kind: Kind, encoding: str | None) -> _Template:
    queue = queue_name(kind)
    # As kombu's virtual channel reads it: no encoding, or UTF-8, leaves the body as it is.
    as_is = not encoding or encoding.lower() == "utf-8"
    if not as_is and encoding != "base64":
        raise ValueError(f"unsupported body encoding {encoding!r}")
    message = app.amqp.as_task_v2(
        _HOLES["task_id"],
        task_name(kind),
        args=(),
        kwargs={},
        argsrepr="()",
        kwargsrepr=_HOLES["kwargsrepr"],
    )
    envelope = json_dumps(
        {
            "body": _HOLES["body"],
            "content-encoding": _CONTENT_ENCODING,
            "content-type": _CONTENT_TYPE,
            "headers": message.headers,
            "properties": {
                **message.properties,
                "delivery_mode": PERSISTENT_DELIVERY_MODE,
                "delivery_info": {"exchange": "", "routing_key": queue},
                "priority": 0,
                "body_encoding": encoding,
                "delivery_tag": _HOLES["delivery_tag"],
            },
        }
    )
    pattern = envelope.replace("{", "{{").replace("}", "}}")
    for name, hole in _HOLES.items():
        pattern = pattern.replace(json_dumps(hole), f"{{{name}}}")
    args, _, embed = message.body
    return _Template(
        queue=queue,
        envelope=pattern,
        body_start=f'[{json_dumps(args)}, {{"event": ',
        body_end=f"}}, {json_dumps(embed)}]",
        base64=not as_is,
    )
