"""Which object an event is about, and the step it takes in that object's story.

The receiver asks before any validation, so only values shaped like ids, tokens and times
are read from the payload, and only those reach a trace.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from pydantic import TypeAdapter, ValidationError

from shopspot.events import WebhookEvent, id_or_token
from shopspot.mapping.values import ms
from shopspot.shopify.fields import ShopifyId
from shopspot.topics import Kind, kind_of
from shopspot.trace.store import Entry, Note, Step, Subject, Traced

# Where each kind of payload names its object, first found first: a checkout by its token
# (checkouts/delete has none), a customer topic by the customer it is about.
_NAMES: Mapping[Kind, tuple[Traced, tuple[str, ...]]] = {
    Kind.ORDERS: (Traced.ORDER, ("id",)),
    Kind.PRODUCTS: (Traced.PRODUCT, ("id",)),
    Kind.CUSTOMERS: (Traced.CUSTOMER, ("customer_id", "customerId", "id")),
    Kind.CHECKOUTS: (Traced.CHECKOUT, ("token", "id")),
}
# Ids as numbers, digits or GIDs (customer.tags_* and customers/purchasing_summary send GIDs).
_SHOPIFY_ID: TypeAdapter[int] = TypeAdapter(ShopifyId)


def subject_of(shop: str, topic: str, payload: Mapping[str, Any]) -> Subject | None:
    """The object a payload of the topic is about; None for the privacy topics and for a
    payload that names none."""
    kind = kind_of(topic)
    if kind is None or kind not in _NAMES:
        return None
    traced, names = _NAMES[kind]
    for name in names:
        ident = ident_of(traced, payload.get(name))
        if ident is not None:
            return Subject(shop, traced, ident)
    return None


def ident_of(kind: Traced, value: Any) -> str | None:
    """How a trace names an object: a checkout by its token (or id) as given, anything else
    by its id as digits (given as a number, digits or a GID); None for anything else."""
    if kind is Traced.CHECKOUT:
        return id_or_token(value)
    try:
        return str(_SHOPIFY_ID.validate_python(value))
    except ValidationError:
        return None


def version_of(payload: Mapping[str, Any]) -> int | None:
    """The payload's `updated_at` in epoch ms, if it has one that reads as a moment."""
    value = payload.get("updated_at")
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return ms(moment) if moment.tzinfo is not None else None


def about(
    event: WebhookEvent,
    step: Step,
    outcome: str,
    *,
    at: float | None = None,
    version: int | None = None,
    **details: Any,
) -> Note | None:
    """The step `event` takes in its object's story (None: it names no object). The version
    is the payload's unless the caller knows better (the one its item was queued with)."""
    subject = subject_of(event.shop, event.topic, event.payload)
    if subject is None:
        return None
    entry = Entry(
        at=round(time.time() if at is None else at, 3),
        step=step,
        outcome=outcome,
        topic=event.topic,
        event_id=event.event_id or event.webhook_id,
        version=version_of(event.payload) if version is None else version,
        **details,
    )
    return Note(subject, entry)
