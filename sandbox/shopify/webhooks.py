"""Outbound webhooks: signed like Shopify's, retried like Shopify's, and as unreliable as the
knobs say (duplicates, reordering, delay, drops).

Payloads are rendered when the change happens (Shopify delivers the payload of the moment it
was triggered, even on a retry hours later) and queued; worker threads send what is due.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import heapq
import hmac
import itertools
import json
import logging
import random
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import httpx

from .clock import Clock, header_time
from .config import SimulatorConfig, WebhookKnobs
from .stats import Stats
from .subscriptions import Subscriptions

log = logging.getLogger(__name__)
Render = Callable[[str], dict[str, Any] | None]
"""Renders a topic's payload at an API version (None: the topic does not exist there)."""
STATIC_EXCLUDED_TOPICS = frozenset({"bulk_operations/finish"})


def shopify_json(payload: dict[str, Any]) -> bytes:
    """Compact JSON as Shopify's Rails stack writes it: raw UTF-8, but `<`, `>` and `&`
    escaped as \\u003c, \\u003e and \\u0026. A receiver must sign the bytes it got."""
    text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return text.encode("utf-8")


def signature(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


@dataclass
class Delivery:
    url: str
    topic: str
    api_version: str
    body: bytes
    event_id: str
    webhook_id: str
    triggered_at: float
    subscription_id: int | None
    attempt: int = 0


@dataclass(frozen=True)
class Target:
    url: str
    api_version: str
    subscription_id: int | None
    include_fields: tuple[str, ...]


class Dispatcher:
    def __init__(
        self, config: SimulatorConfig, clock: Clock, stats: Stats, subscriptions: Subscriptions
    ) -> None:
        self.knobs = config.knobs
        self._config = config
        self._clock = clock
        self._stats = stats
        self._subscriptions = subscriptions
        self._rng = random.Random(config.seed * 7919 + 1)
        self._cond = threading.Condition()
        self._queue: list[tuple[float, int, Delivery]] = []
        self._held: list[Delivery] = []
        self._held_since = 0.0
        self._in_flight = 0
        self._sequence = itertools.count()
        self._stopping = False
        self._workers: list[threading.Thread] = []

    # -- configuration ----------------------------------------------------------------------

    def set_knobs(self, **changes: Any) -> WebhookKnobs:
        with self._cond:
            self.knobs = dataclasses.replace(self.knobs, **changes)
            self._cond.notify_all()
            return self.knobs

    def start(self) -> None:
        for number in range(self.knobs.concurrency):
            worker = threading.Thread(
                target=self._work, name=f"shopify-webhooks-{number}", daemon=True
            )
            worker.start()
            self._workers.append(worker)

    def close(self) -> None:
        with self._cond:
            self._stopping = True
            self._cond.notify_all()
        for worker in self._workers:
            worker.join(timeout=5)

    def pending(self) -> int:
        with self._cond:
            return len(self._queue) + len(self._held) + self._in_flight

    # -- emitting ---------------------------------------------------------------------------

    def targets(self, topic: str) -> list[Target]:
        targets = [
            Target(sub.callback_url, sub.api_version, sub.id, sub.include_fields)
            for sub in self._subscriptions.for_topic(topic)
        ]
        static = self._config.webhooks_to
        # A subscription to the same address wins: one delivery per address, at its version.
        wanted = topic not in STATIC_EXCLUDED_TOPICS
        if static and wanted and all(target.url != static for target in targets):
            targets.append(Target(static, self._config.api_version, None, ()))
        return targets

    def emit(self, event_id: str, topic: str, render: Render) -> int:
        """Queues the topic for every target; answers how many deliveries were queued."""
        queued = 0
        now = self._clock.now()
        for target in self.targets(topic):
            payload = render(target.api_version)
            if payload is None:
                continue
            if target.include_fields:
                payload = {k: v for k, v in payload.items() if k in target.include_fields}
            body = shopify_json(payload)
            self._stats.add("webhooks_emitted")
            with self._cond:
                knobs = self.knobs
                if self._rng.random() < knobs.drop_probability:
                    self._stats.add("webhooks_dropped")
                    continue
                copies = 2 if self._rng.random() < knobs.duplicate_probability else 1
                if copies == 2:
                    self._stats.add("webhooks_duplicated")
                for _ in range(copies):
                    delivery = Delivery(
                        url=target.url,
                        topic=topic,
                        api_version=target.api_version,
                        body=body,
                        event_id=event_id,
                        webhook_id=str(uuid.uuid4()),
                        triggered_at=now,
                        subscription_id=target.subscription_id,
                    )
                    self._hold_or_queue(delivery, knobs)
                    queued += 1
                self._cond.notify_all()
        return queued

    def _hold_or_queue(self, delivery: Delivery, knobs: WebhookKnobs) -> None:
        if knobs.reorder_window > 1:
            if not self._held:
                self._held_since = time.monotonic()
            self._held.append(delivery)
            if len(self._held) >= knobs.reorder_window:
                self._release_held()
            return
        self._push(delivery, time.monotonic() + knobs.delay_seconds)

    def _release_held(self) -> None:
        held, self._held = self._held, []
        self._rng.shuffle(held)
        due = time.monotonic() + self.knobs.delay_seconds
        # Equal due times leave the heap's sequence number in charge: the shuffled order.
        for delivery in held:
            self._push(delivery, due)

    def _push(self, delivery: Delivery, due: float) -> None:
        heapq.heappush(self._queue, (due, next(self._sequence), delivery))

    # -- sending ----------------------------------------------------------------------------

    def _next(self) -> Delivery | None:
        with self._cond:
            while not self._stopping:
                now = time.monotonic()
                knobs = self.knobs
                hold_ends = self._held_since + knobs.reorder_hold_seconds
                if self._held and (now >= hold_ends or knobs.reorder_window <= 1):
                    self._release_held()
                if self._queue and self._queue[0][0] <= now:
                    self._in_flight += 1
                    return heapq.heappop(self._queue)[2]
                waits = [0.5]
                if self._queue:
                    waits.append(self._queue[0][0] - now)
                if self._held:
                    waits.append(hold_ends - now)
                self._cond.wait(timeout=max(min(waits), 0.001))
            return None

    def _work(self) -> None:
        with httpx.Client() as client:
            while True:
                delivery = self._next()
                if delivery is None:
                    return
                ok = self._send(client, delivery)
                with self._cond:
                    self._in_flight -= 1
                    if not ok:
                        self._failed(delivery)
                    self._cond.notify_all()

    def _send(self, client: httpx.Client, delivery: Delivery) -> bool:
        delivery.attempt += 1
        self._stats.add("webhook_attempts")
        headers = {
            "Content-Type": "application/json",
            "User-Agent": "Shopify-Captain-Hook",
            "X-Shopify-Topic": delivery.topic,
            "X-Shopify-Hmac-Sha256": signature(delivery.body, self._config.webhook_secret),
            "X-Shopify-Shop-Domain": self._config.shop_domain,
            "X-Shopify-API-Version": delivery.api_version,
            "X-Shopify-Webhook-Id": delivery.webhook_id,
            "X-Shopify-Event-Id": delivery.event_id,
            "X-Shopify-Triggered-At": header_time(delivery.triggered_at),
        }
        timeout = self.knobs.timeout_seconds
        try:
            response = client.post(
                delivery.url,
                content=delivery.body,
                headers=headers,
                timeout=httpx.Timeout(timeout, connect=min(1.0, timeout)),
            )
        except httpx.HTTPError as exc:
            log.info(
                "webhook %s to %s failed: %s", delivery.topic, delivery.url, type(exc).__name__
            )
            self._stats.add("webhook_failed_attempts")
            return False
        if 200 <= response.status_code < 300:
            self._stats.add("webhooks_sent")
            return True
        log.info("webhook %s to %s answered %s", delivery.topic, delivery.url, response.status_code)
        self._stats.add("webhook_failed_attempts")
        return False

    def _failed(self, delivery: Delivery) -> None:
        delays = self.knobs.retry_delays
        if delivery.attempt <= len(delays):
            self._stats.add("webhooks_retried")
            self._push(delivery, time.monotonic() + delays[delivery.attempt - 1])
            return
        self._stats.add("webhooks_failed")
        # Shopify deletes an Admin-API subscription whose deliveries keep failing.
        removable = self.knobs.remove_failing_subscriptions
        sub_id = delivery.subscription_id
        if removable and sub_id is not None and self._subscriptions.delete(sub_id):
            self._stats.add("subscriptions_removed")
