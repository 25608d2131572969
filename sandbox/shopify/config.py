"""What a simulated store is made of and how it behaves: sizes, versions, webhooks, throttle."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime

from .versions import SUPPORTED_VERSIONS

# Shopify retries a failed delivery 8 times over 4 hours with exponential backoff; the
# simulator keeps the shape (8 retries, doubling) on a scale tests can wait for.
DEFAULT_RETRY_DELAYS = (0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 6.4, 12.8)


@dataclass(frozen=True)
class WebhookKnobs:
    """How outbound webhooks misbehave, like Shopify's at-least-once, unordered delivery."""

    duplicate_probability: float = 0.0
    """Chance that a delivery is sent twice: same X-Shopify-Event-Id, a new X-Shopify-Webhook-Id."""
    reorder_window: int = 0
    """Deliveries are held until this many are waiting, then sent shuffled (0 or 1: in order)."""
    reorder_hold_seconds: float = 0.5
    """A partly filled reorder window is released after this long."""
    delay_seconds: float = 0.0
    """Added to every delivery before its first attempt."""
    drop_probability: float = 0.0
    """Chance that a delivery is never sent (the store changes all the same)."""
    retry_delays: tuple[float, ...] = DEFAULT_RETRY_DELAYS
    """Seconds before each retry of a delivery the receiver did not answer with 2xx."""
    timeout_seconds: float = 5.0
    """Shopify gives a receiver 5 s to answer."""
    remove_failing_subscriptions: bool = True
    """Delete an Admin-API subscription whose delivery exhausted its retries, as Shopify does."""
    concurrency: int = 4
    """Deliveries in flight at once."""

    def __post_init__(self) -> None:
        for name in ("duplicate_probability", "drop_probability"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if self.reorder_window < 0:
            raise ValueError("reorder_window must not be negative")
        if self.delay_seconds < 0 or self.reorder_hold_seconds < 0:
            raise ValueError("delays must not be negative")
        if any(delay < 0 for delay in self.retry_delays):
            raise ValueError("retry_delays must not be negative")
        if self.timeout_seconds <= 0:
            raise ValueError("timeout_seconds must be positive")
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")


@dataclass(frozen=True)
class ThrottleSettings:
    """The leaky buckets of each access token: GraphQL cost points and REST requests."""

    maximum_available: float = 1000.0
    restore_rate: float = 50.0
    max_query_cost: int = 1000
    rest_bucket_size: int = 40
    """REST requests a token may make in one burst (Shopify's standard plan)."""
    rest_leak_rate: float = 2.0
    """REST requests per second the bucket drains (standard plan: 2; Shopify Plus: 20)."""

    def __post_init__(self) -> None:
        if self.maximum_available <= 0 or self.restore_rate < 0 or self.max_query_cost <= 0:
            raise ValueError("throttle settings must be positive")
        # A bucket that never drains could not say when to retry.
        if self.rest_bucket_size < 1 or not 0 < self.rest_leak_rate < math.inf:
            raise ValueError("rest_bucket_size and rest_leak_rate must be positive")


@dataclass(frozen=True)
class SimulatorConfig:
    seed: int = 1
    products: int = 50
    customers: int = 200
    orders: int = 500
    checkouts: int = 50
    api_version: str = "2026-04"
    """The API version of payloads sent to `webhooks_to` (subscriptions use their own)."""
    shop_domain: str = "shopspot-simulator.myshopify.com"
    shop_name: str = "Shopspot Simulator"
    currency: str = "USD"
    utc_offset_minutes: int = -300
    """The shop's fixed UTC offset, used in REST timestamps (`-05:00`)."""
    access_token: str = "shpat_simulator"
    webhooks_to: str | None = None
    """Every store change is also POSTed here, besides the Admin-API subscriptions."""
    webhook_secret: str = "simulator-webhook-secret"
    """The app's client secret: the HMAC key of every delivery."""
    knobs: WebhookKnobs = field(default_factory=WebhookKnobs)
    throttle: ThrottleSettings = field(default_factory=ThrottleSettings)
    now: datetime | None = None
    """The store's "now" at start (timezone-aware); the clock runs on from it. None: real time."""
    live_rate: float = 0.0
    """Random store changes per second made in the background (0: none)."""
    bulk_min_seconds: float = 0.0
    """A bulk operation stays RUNNING at least this long, so pollers can observe it."""

    def __post_init__(self) -> None:
        for name in ("products", "customers", "orders", "checkouts"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.api_version not in SUPPORTED_VERSIONS:
            raise ValueError(f"api_version must be one of {', '.join(SUPPORTED_VERSIONS)}")
        if self.now is not None and self.now.tzinfo is None:
            raise ValueError("now must be timezone-aware")
        if not self.access_token:
            raise ValueError("access_token must not be empty")
        if not math.isfinite(self.live_rate) or self.live_rate < 0:
            raise ValueError("live_rate must be a non-negative number")
        if self.bulk_min_seconds < 0:
            raise ValueError("bulk_min_seconds must not be negative")
        if not -720 <= self.utc_offset_minutes <= 840:
            raise ValueError("utc_offset_minutes is out of range")
