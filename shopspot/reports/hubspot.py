"""What the reports read from HubSpot: the shop's deals in the Ecommerce Pipeline, with their
contacts. Pages of 100 through the shared rate budget; no search, so no search limits."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

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
    labels = {stage_id: label for label, stage_id in pipeline.stage_ids.items()}
    domain = shop_domain(shop)
    deals = []
    for record in crm.all_records(client, "deals", DEAL_PROPERTIES, associations=("contacts",)):
        props = record["properties"]
        if props.get("pipeline") != pipeline.id or props.get("shopify_shop_domain") != domain:
            continue
        linked = ((record.get("associations") or {}).get("contacts") or {}).get("results", [])
        deals.append(
            Deal(
                stage=labels.get(str(props.get("dealstage")), ""),
                amount=_amount(props.get("amount")),
                closed=_moment(props.get("closedate")),
                abandoned=_moment(props.get("shopify_abandoned_at")),
                contact=str(linked[0]["id"]) if linked else None,
            )
        )
    return deals, _contacts(client, {deal.contact for deal in deals if deal.contact})


def _contacts(client: HubSpotClient, ids: Iterable[str]) -> dict[str, Contact]:
    found = crm.batch_read(client, "contacts", sorted(ids), properties=CONTACT_PROPERTIES)
    return {
        str(record["id"]): Contact(
            first_order=_moment(record["properties"].get("shopify_first_order_date")),
            source=record["properties"].get("hs_analytics_source") or None,
        )
        for record in found
    }


def _amount(value: str | None) -> Decimal:
    try:
        return Decimal(value) if value else Decimal(0)
    except InvalidOperation:
        return Decimal(0)


def _moment(value: str | None) -> datetime | None:
    """HubSpot's datetimes: ISO-8601, or epoch milliseconds from older writers."""
    if not value:
        return None
    if value.isdigit():
        return datetime.fromtimestamp(int(value) / 1000, tz=UTC)
    return datetime.fromisoformat(value.replace("Z", "+00:00"))
