"""The settings and environment of Shopspot processes that tests start."""

from __future__ import annotations

import os
from pathlib import Path

from shopspot.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
SHOP = "test-shop.myshopify.com"
SECRET = "test-webhook-secret"
HUBSPOT_TOKEN = "test-hubspot-token"

SETTING_NAMES = {name.upper() for name in Settings.model_fields}


def service_env(redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a Shopspot process started by a test."""
    env = {key: value for key, value in os.environ.items() if key not in SETTING_NAMES}
    env.update(
        PYTHONPATH=str(ROOT),
        REDIS_URL=redis_url,
        SHOPIFY_SHOP_DOMAIN=SHOP,
        SHOPIFY_WEBHOOK_SECRET=SECRET,
        HUBSPOT_ACCESS_TOKEN=HUBSPOT_TOKEN,
        # Short delivery bounds so that recovery from a killed worker takes seconds.
        BROKER_VISIBILITY_TIMEOUT_SECONDS="6",
        BROKER_UNACKED_RESTORE_INTERVAL_SECONDS="1",
        TASK_TIME_LIMIT_SECONDS="4",
        TASK_RETRY_BACKOFF_MAX_SECONDS="1",
        TASK_MAX_RETRIES="2",
    )
    env.update(extra)
    return env
