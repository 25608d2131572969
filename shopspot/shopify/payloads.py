"""Which model parses which webhook topic, and PII-free descriptions of payloads that fail."""

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from pydantic import ValidationError

from shopspot.shopify.models import (
    AppUninstalled,
    Checkout,
    CheckoutDeleted,
    Customer,
    CustomerDataRequest,
    CustomerRedact,
    CustomerTagsAdded,
    CustomerTagsRemoved,
    DeletedObject,
    EmailConsentUpdate,
    Order,
    Product,
    PurchasingSummary,
    ShopifyModel,
    ShopRedact,
)

TOPIC_MODELS: Mapping[str, type[ShopifyModel]] = MappingProxyType(
    {
        "customers/create": Customer,
        "customers/update": Customer,
        "customers/enable": Customer,
        "customers/disable": Customer,
        "customers/delete": DeletedObject,
        "customer.tags_added": CustomerTagsAdded,
        "customer.tags_removed": CustomerTagsRemoved,
        "customers_email_marketing_consent/update": EmailConsentUpdate,
        "customers/purchasing_summary": PurchasingSummary,
        "products/create": Product,
        "products/update": Product,
        "products/delete": DeletedObject,
        "orders/create": Order,
        "orders/updated": Order,
        "orders/paid": Order,
        "orders/cancelled": Order,
        "orders/fulfilled": Order,
        "orders/partially_fulfilled": Order,
        "orders/delete": DeletedObject,
        "checkouts/create": Checkout,
        "checkouts/update": Checkout,
        "checkouts/delete": CheckoutDeleted,
        "customers/data_request": CustomerDataRequest,
        "customers/redact": CustomerRedact,
        "shop/redact": ShopRedact,
        "app/uninstalled": AppUninstalled,
    }
)


class UnsupportedTopicError(ValueError):
    """The topic has no model: Shopspot does not subscribe to it."""


def parse_payload(topic: str, payload: Mapping[str, Any]) -> ShopifyModel:
    """Validate a webhook body (already JSON-decoded) as the model of its topic (matched like
    ``shopspot.topics.kind_of``: case and surrounding space ignored).

    Raises ``UnsupportedTopicError`` for a topic without a model and pydantic's
    ``ValidationError`` for a body that does not fit it; describe the latter with
    ``describe_validation_error``, never with ``str()`` of the payload.
    """
    model = TOPIC_MODELS.get(topic.strip().lower())
    if model is None:
        raise UnsupportedTopicError(f"no model for webhook topic {topic!r}")
    return model.model_validate(dict(payload))


def describe_validation_error(exc: ValidationError) -> str:
    """Name the failing fields and error types, never the values (which may be personal data).

    Example: ``Order: 2 invalid fields: id (exact_int); line_items.0.quantity (missing)``.
    """
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    fields = "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '<payload>'} ({error['type']})"
        for error in errors
    )
    noun = "field" if len(errors) == 1 else "fields"
    return f"{exc.title}: {len(errors)} invalid {noun}: {fields}"
