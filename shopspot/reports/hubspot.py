"""What the reports read from HubSpot: the shop's deals in the Ecommerce Pipeline, with their
contacts; and what every reader shares. Pages of 100 through the shared rate budget; no
search, so no search limits."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from shopspot.hubspot import crm
from shopspot.hubspot.client import HubSpotClient
from shopspot.hubspot.schema import Pipeline
from shopspot.mapping.datamodel import Stage
from shopspot.mapping.values import shop_domain
from shopspot.reports.figures import Contact, Deal

DEAL_PROPERTIES = (
    "pipeline",
    "dealstage",
    "amount",
    "closedate",
    "shopify_abandoned_at",
    "shopify_shop_domain",
)
CONTACT_PROPERTIES = ("shopify_first_order_date", "hs_analytics_source")
# The pipeline's stages in the SPEC's order: how the snapshot lists them.
STAGES = tuple(stage.value for stage in Stage)


def shop_deals(
    client: HubSpotClient, pipeline: Pipeline, shop: str
) -> tuple[list[Deal], dict[str, Contact]]:
    labels = stage_labels(pipeline)
    domain = shop_domain(shop)
    deals = []
    for record in crm.all_records(client, "deals", DEAL_PROPERTIES, associations=("contacts",)):
        props = record["properties"]
        if props.get("pipeline") != pipeline.id or props.get("shopify_shop_domain") != domain:
            continue
        deals.append(
            Deal(
                stage=labels.get(str(props.get("dealstage")), ""),
                amount=amount(props.get("amount")),
                closed=moment(props.get("closedate")),
                abandoned=moment(props.get("shopify_abandoned_at")),
                contact=next(iter(linked(record, "contacts")), None),
            )
        )
    return deals, deal_contacts(client, deals)


def stage_labels(pipeline: Pipeline) -> dict[str, str]:
    """Stage id -> label."""
    return {stage_id: label for label, stage_id in pipeline.stage_ids.items()}


def linked(record: Mapping[str, Any], to_type: str) -> list[str]:
    """The ids of the `to_type` records a listed record is associated with."""
    found = ((record.get("associations") or {}).get(to_type) or {}).get("results", [])
    return [str(link["id"]) for link in found]


def deal_contacts(client: HubSpotClient, deals: Iterable[Deal]) -> dict[str, Contact]:
    """The contacts of these deals, by HubSpot id (those HubSpot no longer has left out)."""
    ids = sorted({deal.contact for deal in deals if deal.contact})
    found = crm.batch_read(client, "contacts", ids, properties=CONTACT_PROPERTIES)
    return {
        str(record["id"]): Contact(
            first_order=moment(record["properties"].get("shopify_first_order_date")),
            source=record["properties"].get("hs_analytics_source") or None,
        )
        for record in found
    }


def amount(value: str | None) -> Decimal:
    try:
        return Decimal(value) if value else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def moment(value: str | None) -> datetime | None:
    """HubSpot's datetimes: ISO-8601, or epoch milliseconds from older writers."""
    if not value:
        return None
    if value.isdigit():
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
