"""The ways Celery on Redis loses work, each shown not to lose Shopspot's events."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import redis
from celery import Celery

from shopspot.deadletters import DeadLetterStore
from shopspot.localredis import LocalRedis
from tests.support.env import SHOP, service_env
from tests.support.processes import Process, start_worker, wait_for

pytestmark = pytest.mark.integration


def send(redis_url: str, task: str, payload: dict[str, Any]) -> None:
    producer = Celery(broker=redis_url)
    event = {"shop": SHOP, "topic": "customers/update", "event_id": f"probe-{time.time()}",
             "received_at": time.time(), "payload": payload}  # fmt: skip
    producer.send_task(task, kwargs={"event": event}, queue="customers")
    producer.close()


def lines(directory: Path, name: str) -> int:
    path = directory / name
    return len(path.read_text().splitlines()) if path.exists() else 0


@pytest.fixture
def workers(tmp_path: Path) -> Iterator[list[Process]]:
    started: list[Process] = []
    yield started
    for process in started:
        process.stop()


def test_a_task_held_by_a_killed_worker_is_processed_by_another(
    redis_url: str, tmp_path: Path, workers: list[Process]
) -> None:
    env = service_env(redis_url, PROBE_DIR=str(tmp_path))
    first = start_worker(env, tmp_path, name="first")
    workers.append(first)
    send(redis_url, "tests.probe.hold", {"seconds": 2})
    wait_for(lambda: lines(tmp_path, "hold-started") == 1, message="the task to start")

    first.kill()
    workers.append(start_worker(env, tmp_path, name="second"))

    # The visibility timeout is 6 s in these tests; the restore sweep runs every second.
    wait_for(lambda: lines(tmp_path, "hold-done") == 1, timeout=20, message="the redelivery")
    assert lines(tmp_path, "hold-started") == 2


def test_a_task_that_raises_unexpectedly_ends_in_the_dead_letter_store(
    redis_url: str, tmp_path: Path, workers: list[Process]
) -> None:
    workers.append(start_worker(service_env(redis_url, PROBE_DIR=str(tmp_path)), tmp_path))
    send(redis_url, "tests.probe.explode", {"secret": "ada@example.com"})

    store = DeadLetterStore(redis.Redis.from_url(redis_url))
    wait_for(store.count, message="a dead letter")
    (letter,) = store.list()
    assert letter.task == "tests.probe.explode"
    assert letter.error_type == "RuntimeError"
    assert letter.reason.startswith("unexpected RuntimeError at probe_tasks.py:")
    assert "ada@example.com" not in letter.reason


def test_a_transient_failure_is_retried_with_its_count_and_then_succeeds(
    redis_url: str, tmp_path: Path, workers: list[Process]
) -> None:
    workers.append(start_worker(service_env(redis_url, PROBE_DIR=str(tmp_path)), tmp_path))
    send(redis_url, "tests.probe.transient_once", {})

    wait_for(lambda: lines(tmp_path, "transient-once-done") == 1, message="the retried task")
    assert lines(tmp_path, "transient-once-attempts") == 2
    assert DeadLetterStore(redis.Redis.from_url(redis_url)).count() == 0


def test_a_retry_waiting_while_redis_restarts_is_not_lost(
    own_redis: LocalRedis, tmp_path: Path, workers: list[Process]
) -> None:
    workers.append(start_worker(service_env(own_redis.url, PROBE_DIR=str(tmp_path)), tmp_path))
    send(own_redis.url, "tests.probe.retry_once", {"seconds": 3})
    wait_for(lambda: lines(tmp_path, "retry-once-attempts") == 1, message="the first attempt")

    own_redis.stop(kill=True)
    time.sleep(1.5)
    own_redis.start()

    wait_for(lambda: lines(tmp_path, "retry-once-done") == 1, timeout=30, message="the retry")
    assert lines(tmp_path, "retry-once-attempts") == 2
