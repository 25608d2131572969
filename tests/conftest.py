"""Shared fixtures: a real Redis for the session, clean settings, signed deliveries; tests on
Shopify's reference files are left out when those are not beside the checkout."""

from __future__ import annotations

import itertools
import os
import signal
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

from shopspot.localredis import LocalRedis
from tests.support.env import SETTING_NAMES
from tests.support.reference import leave_out_absent

# Read before any test can touch the environment: a REDIS_URL given to the test run names
# a server whose databases 1-15 the suite may flush; without one the suite starts its own.
EXTERNAL_REDIS_URL = os.environ.get("REDIS_URL")


def pytest_configure(config: pytest.Config) -> None:
    # A suite started as a background job inherits SIGINT ignored, and so would every
    # process it starts, which the tests that press Ctrl-C need to be stopped by. Caught
    # here, it is back to its default in each process the suite starts.
    signal.signal(signal.SIGINT, signal.default_int_handler)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    leave_out_absent(config, items)


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No test sees the developer's own settings."""
    for name in SETTING_NAMES & set(os.environ):
        monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    if EXTERNAL_REDIS_URL:
        yield EXTERNAL_REDIS_URL
        return
    with LocalRedis(tmp_path_factory.mktemp("redis")) as server:
        yield server.url


_databases = itertools.cycle(range(1, 16))


@pytest.fixture
def redis_url(redis_server: str) -> str:
    """A flushed database of the session's Redis, for one test and its processes."""
    import redis

    parts = urlsplit(redis_server)
    url = urlunsplit(parts._replace(path=f"/{next(_databases)}"))
    client = redis.Redis.from_url(url)
    client.flushdb()
    client.close()
    return url


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[LocalRedis]:
    """A Redis of the test's own, for tests that stop and restart it."""
    server = LocalRedis(tmp_path / "redis")
    server.start()
    yield server
    server.stop(kill=True)
