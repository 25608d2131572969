"""Where orders and checkouts go in HubSpot (SPEC T1): `HUBSPOT_SYNC_TARGET`.

`deals`: deals in the Ecommerce Pipeline (the legacy app's model, and the default);
`commerce`: HubSpot Orders and Carts (today's app's model); `both`: each order and checkout
written both ways, every HubSpot order associated with its deal, for moving a running store
from one model to the other.
"""

from __future__ import annotations

from typing import Literal

SyncTarget = Literal["deals", "commerce", "both"]
DEFAULT_TARGET: SyncTarget = "deals"


def writes_deals(target: SyncTarget) -> bool:
    return target != "commerce"


def writes_commerce(target: SyncTarget) -> bool:
    return target != "deals"
