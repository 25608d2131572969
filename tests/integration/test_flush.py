"""Flushes of the pending buffers into the HubSpot sandbox over HTTP, with a real Redis: the
record HubSpot refuses split out of its batch, and failed flushes counted until HubSpot
answers again."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

import pytest
from celery import Celery
from click.testing import CliRunner

from cli.main import main
from shopspot.events import WebhookEvent
from shopspot.pending import PendingBuffer
from shopspot.runtime import Runtime
from shopspot.settings import load_settings
from shopspot.sync import flush
from shopspot.sync.flush import FLUSH_STEP
from shopspot.sync.items import item_for
from shopspot.sync.stalls import Stall
from shopspot.topics import Buffer, parse_payload
from tests.support.env import SETTING_NAMES, SHOP, service_env
from tests.support.hubspot import HubSpotView, hubspot_sandbox
from tests.support.processes import start_worker, wait_for
from tests.support.shopify import customer
from worker.routing import FLUSH_QUEUES, FLUSH_TASK

pytestmark = pytest.mark.integration


def environment(redis_url: str, view: HubSpotView, **extra: str) -> dict[str, str]:
    """The settings of a Shopspot process writing to `view`."""
    env = service_env(redis_url, HUBSPOT_BASE_URL=view.url, **extra)
    return {name: value for name, value in env.items() if name in SETTING_NAMES}


def runtime(env: dict[str, str]) -> Runtime:
    return Runtime(load_settings(_env_file=None, **{k.lower(): v for k, v in env.items()}))


def offer_customers(rt: Runtime, emails: Sequence[str]) -> None:
    for n, email in enumerate(emails):
        payload = customer(customer_id=7_000_000_000_000_001 + n, email=email)
        event = WebhookEvent(shop=SHOP, topic="customers/create", event_id=f"event-{n}",
                             received_at=time.time(), payload=payload)  # fmt: skip
        target = item_for(event, parse_payload(event.topic, payload), rt.memory)
        assert target is not None
        name, item = target
        assert rt.buffers[name].offer(item) == "queued"


def test_a_record_hubspot_refuses_is_split_out_of_its_batch_and_dead_lettered_alone(
    redis_url: str,
) -> None:
    emails = [f"buyer{n}@example.com" for n in range(8)]
    emails[5] = "buyer5@example"  # HubSpot refuses an address without a top-level domain
    with hubspot_sandbox() as view:
        rt = runtime(environment(redis_url, view))
        offer_customers(rt, emails)
        result = rt.flusher.flush(rt.buffers[Buffer.CONTACTS])
        stored = view.records("contacts", ["email"])

    assert (result.synced, result.dead_lettered, result.waiting) == (7, 1, 0)
    assert sorted(r["properties"]["email"] for r in stored) == sorted(emails[:5] + emails[6:])
    (letter,) = rt.dead_letters.list()
    assert letter.task == FLUSH_STEP
    assert letter.event.payload["email"] == "buyer5@example"
    assert letter.reason == "HubSpot 400 VALIDATION_ERROR: email INVALID_EMAIL"
    assert rt.buffers[Buffer.CONTACTS].in_flight() == 0


def test_failed_flushes_are_counted_shown_and_cleared_once_hubspot_answers(
    redis_url: str, tmp_path: Path
) -> None:
    no_stall = Stall(failures=0, since=0.0, reason="")
    with hubspot_sandbox() as view:
        # Time enough for the HubSpot client's own retries inside one flush.
        env = environment(
            redis_url, view, TASK_TIME_LIMIT_SECONDS="12", BROKER_VISIBILITY_TIMEOUT_SECONDS="20"
        )
        rt = runtime(env)
        rt.portal()
        worker = start_worker(service_env(redis_url, **env), tmp_path)
        try:
            view.configure(fault_503_probability=1.0)
            offer_customers(rt, ["ada@example.com"])
            producer = Celery(broker=redis_url)
            producer.send_task(
                FLUSH_TASK, args=[Buffer.CONTACTS], queue=FLUSH_QUEUES[Buffer.CONTACTS]
            )
            producer.close()
            wait_for(lambda: (rt.stalls.get(Buffer.CONTACTS) or no_stall).failures >= 2,
                     timeout=60, message="a second failed flush")  # fmt: skip
            stall = rt.stalls.get(Buffer.CONTACTS)
            status = CliRunner().invoke(main, ["status"], env=env).output
            view.configure(fault_503_probability=0.0)
            wait_for(lambda: rt.stalls.get(Buffer.CONTACTS) is None, timeout=30, message="a flush")
        finally:
            worker.stop()
        stored = view.records("contacts", ["email"])

    assert stall is not None
    assert stall.reason == "HubSpot unavailable: 503 UNKNOWN"
    (line,) = [line for line in status.splitlines() if "waiting for HubSpot" in line]
    assert line.startswith("stalled:         contacts: oldest write waiting for HubSpot: ")
    assert line.endswith(" s, because HubSpot unavailable: 503 UNKNOWN")
    assert [r["properties"]["email"] for r in stored] == ["ada@example.com"]
    assert rt.dead_letters.list() == []


def test_a_commands_drain_rides_out_hubspot_being_away(redis_url: str) -> None:
    emails = [f"buyer{n}@example.com" for n in range(5)]
    with hubspot_sandbox() as view:
        rt = runtime(environment(redis_url, view))
        rt.context  # the portal is set up before HubSpot goes away  # noqa: B018
        offer_customers(rt, emails)
        # Longer than the HubSpot client's own retries: the drain waits, as the worker would.
        view.configure(fault_503_probability=1.0)
        back = threading.Timer(8.0, lambda: view.configure(fault_503_probability=0.0))
        back.start()
        result = rt.flusher.drain(rt.buffers[Buffer.CONTACTS])
        back.join()
        stored = view.records("contacts", ["email"])

    assert result.synced == len(emails) and result.dead_lettered == 0
    assert sorted(r["properties"]["email"] for r in stored) == sorted(emails)


@contextmanager
def draining_customers(
    redis_url: str, emails: Sequence[str]
) -> Iterator[tuple[HubSpotView, PendingBuffer, flush.Draining]]:
    """The customers offered to a buffer that a background drain flushes."""
    with hubspot_sandbox() as view:
        rt = runtime(environment(redis_url, view))
        rt.context  # noqa: B018
        buffer = rt.buffers[Buffer.CONTACTS]
        with flush.Draining(rt.flusher) as draining:
            draining.include([buffer])
            offer_customers(rt, emails)
            yield view, buffer, draining


def test_a_background_drain_writes_full_batches_and_holds_a_part_batch_for_more(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An import offers its next chunk while one is written: a part batch waits for it."""
    full = flush.BATCH_SIZES.get(Buffer.CONTACTS, flush.BATCH_SIZE)
    emails = [f"buyer{n}@example.com" for n in range(full + 50)]
    monkeypatch.setattr(flush, "PART_BATCH_WAIT", 3600.0)
    with draining_customers(redis_url, emails) as (view, buffer, draining):
        wait_for(lambda: (buffer.waiting(), buffer.in_flight()) == (50, 0), timeout=30,
                 message="the full batch written")  # fmt: skip
        time.sleep(0.5)
        held = buffer.waiting(), buffer.in_flight(), len(view.records("contacts", ["email"]))
        result = draining.finish()
        stored = view.records("contacts", ["email"])

    assert held == (50, 0, full)
    assert result.synced == full + 50 and result.dead_lettered == 0
    assert buffer.waiting() == 0 and buffer.in_flight() == 0
    assert sorted(r["properties"]["email"] for r in stored) == sorted(emails)


def test_a_background_drain_writes_a_part_batch_nothing_more_joins(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(flush, "PART_BATCH_WAIT", 0.2)
    emails = [f"buyer{n}@example.com" for n in range(30)]
    with draining_customers(redis_url, emails) as (view, buffer, draining):
        wait_for(lambda: (buffer.waiting(), buffer.in_flight()) == (0, 0), timeout=30,
                 message="the part batch written, the drain not told to finish")  # fmt: skip
        written = len(view.records("contacts", ["email"]))
        draining.finish()

    assert written == len(emails)
