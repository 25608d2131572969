"""A Shopify store simulator: a deterministic store served over the Admin GraphQL API (with
cost throttling and bulk operations) and the REST abandoned checkouts list, webhooks out in
Shopify's shape, and a live mode."""

from .app import SimulatorApp
from .config import SimulatorConfig, ThrottleSettings, WebhookKnobs
from .server import SimulatorServer, create_app, create_server, serve

__all__ = [
    "SimulatorApp",
    "SimulatorConfig",
    "SimulatorServer",
    "ThrottleSettings",
    "WebhookKnobs",
    "create_app",
    "create_server",
    "serve",
]
