"""What the writers need: the HubSpot client, Shopspot's memory, and the portal's set-up."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from shopspot.hubspot.client import HubSpotClient
from shopspot.hubspot.schema import Pipeline
from shopspot.mapping.contacts import SyncOrigin
from shopspot.sync.due import CheckoutsDue
from shopspot.sync.memory import Memory
from shopspot.targets import DEFAULT_TARGET, SyncTarget


@dataclass(frozen=True)
class SyncContext:
    client: HubSpotClient
    memory: Memory
    due: CheckoutsDue
    pipeline: Pipeline
    origin: SyncOrigin
    abandon_after_seconds: int = 86_400
    phone_from_address: bool = False
    # Not every portal has the product property hs_images; set-up finds out.
    with_hs_images: bool = True
    # Currencies the portal has enabled; a deal in another keeps `shopify_currency` only.
    currencies: frozenset[str] = frozenset()
    # Where orders and checkouts go (SPEC T1); the order pipeline is set up for commerce.
    target: SyncTarget = DEFAULT_TARGET
    order_pipeline: Pipeline | None = None
    # Time is a parameter: the sweep and "24 hours" rules take it from here.
    clock: Callable[[], float] = field(default=time.time)
