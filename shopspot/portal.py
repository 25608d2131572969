"""The HubSpot portal's set-up (S1): created once by `shopspot setup`, remembered in Redis.

Workers read it to know the pipelines' and stages' ids; a worker that finds none (or none of
the order pipeline its sync target needs) runs the HubSpot part of set-up itself, which is
idempotent, so a forgotten `setup` never stalls sync.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import Any, cast

import redis

from shopspot.hubspot.client import HubSpotClient
from shopspot.hubspot.errors import NotFound
from shopspot.hubspot.schema import (
    Pipeline,
    SetupReport,
    account,
    ensure_pipeline,
    ensure_properties,
)
from shopspot.mapping.datamodel import (
    COMMERCE_TYPES,
    ECOMMERCE_PIPELINE,
    ORDER_PIPELINE,
    PROPERTIES,
    PROPERTY_GROUP,
)
from shopspot.targets import SyncTarget, writes_commerce


def _fingerprint() -> str:
    made = {
        "group": PROPERTY_GROUP.as_hubspot(),
        "properties": {
            object_type: [definition.as_hubspot(PROPERTY_GROUP.name) for definition in found]
            for object_type, found in PROPERTIES.items()
        },
        "pipelines": [pipeline.as_hubspot() for pipeline in (ECOMMERCE_PIPELINE, ORDER_PIPELINE)],
    }
    return hashlib.sha256(json.dumps(made, sort_keys=True).encode()).hexdigest()[:16]


# What set-up makes, as one short hash. A portal set up by a Shopspot with another data model
# lacks what this one writes (a new property): it is set up again before any write, instead of
# every write being refused.
MODEL = _fingerprint()

# Per HubSpot app token: another token may mean another portal, which needs its own set-up.
KEY_PREFIX = "shopspot:portal:"


@dataclass(frozen=True)
class PortalSetup:
    portal_id: int
    pipeline: Pipeline
    with_hs_images: bool
    # deal_currency_code only takes the currencies enabled in the portal.
    currencies: frozenset[str]
    # The "Ecommerce Orders" pipeline; None until set-up runs for a commerce target.
    order_pipeline: Pipeline | None = None
    model: str = MODEL  # the data model it was made for
    ui_domain: str = "app.hubspot.com"  # where the portal's record pages are

    def serves(self, target: SyncTarget) -> bool:
        """Whether this set-up has what `target` writes into."""
        current = self.model == MODEL
        return current and (self.order_pipeline is not None or not writes_commerce(target))


def set_up_hubspot(client: HubSpotClient, report: SetupReport, target: SyncTarget) -> PortalSetup:
    """The deal pipeline always (the deals target is the default, and `both` needs it); the
    orders' and carts' properties and the order pipeline for the commerce targets (SPEC T1)."""
    commerce = writes_commerce(target)
    listed = {
        object_type: ensure_properties(client, object_type, definitions, PROPERTY_GROUP, report)
        for object_type, definitions in PROPERTIES.items()
        if commerce or object_type not in COMMERCE_TYPES
    }
    pipeline = ensure_pipeline(client, ECOMMERCE_PIPELINE, report)
    details = account(client)
    return PortalSetup(
        portal_id=details.portal_id,
        ui_domain=details.ui_domain,
        pipeline=pipeline,
        with_hs_images="hs_images" in listed["products"],
        currencies=_currencies(listed["deals"]),
        order_pipeline=ensure_pipeline(client, ORDER_PIPELINE, report) if commerce else None,
    )


def _currencies(deal_properties: dict[str, dict[str, Any]]) -> frozenset[str]:
    """The values deal_currency_code takes: the currencies enabled in the portal."""
    currency = deal_properties.get("deal_currency_code")
    if currency is None:
        raise NotFound(
            404, "OBJECT_NOT_FOUND", "the portal has no deals property deal_currency_code"
        )
    return frozenset(option["value"] for option in currency["options"])


def save(client: redis.Redis, account: str, setup: PortalSetup) -> None:
    client.set(
        KEY_PREFIX + account,
        json.dumps(
            {
                "portal_id": setup.portal_id,
                "pipeline_id": setup.pipeline.id,
                "stage_ids": setup.pipeline.stage_ids,
                "with_hs_images": setup.with_hs_images,
                "currencies": sorted(setup.currencies),
                "order_pipeline": vars(setup.order_pipeline) if setup.order_pipeline else None,
                "model": setup.model,
                "ui_domain": setup.ui_domain,
            }
        ),
    )


def load(client: redis.Redis, account: str) -> PortalSetup | None:
    raw = cast(bytes | None, client.get(KEY_PREFIX + account))
    if raw is None:
        return None
    data = json.loads(raw)
    orders = data.get("order_pipeline")  # absent from a set-up saved before SPEC T1
    return PortalSetup(
        portal_id=int(data["portal_id"]),
        pipeline=Pipeline(id=data["pipeline_id"], stage_ids=dict(data["stage_ids"])),
        with_hs_images=bool(data["with_hs_images"]),
        currencies=frozenset(data["currencies"]),
        order_pipeline=Pipeline(id=orders["id"], stage_ids=dict(orders["stage_ids"]))
        if orders
        else None,
        model=data.get("model", ""),  # absent from a set-up saved before the fingerprint
        ui_domain=data.get("ui_domain", PortalSetup.ui_domain),
    )
