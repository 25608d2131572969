"""Keeping a lease in Redis alive while its holder lives (W9): the lease itself can then be
short, so that what a holder that died held comes back within seconds, however long a
live holder takes."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import redis

log = logging.getLogger("shopspot.sync")


@contextmanager
def renewed(renew: Callable[[], object], lease_seconds: float, what: str) -> Iterator[None]:
    """Call `renew` every third of the lease until the block ends."""
    stop = threading.Event()

    def beat() -> None:
        while not stop.wait(lease_seconds / 3):
            try:
                renew()
            except redis.RedisError as exc:
                log.warning("lease of %s not renewed: %s", what, type(exc).__name__)

    heartbeat = threading.Thread(target=beat, name=f"lease-{what}", daemon=True)
    heartbeat.start()
    try:
        yield
    finally:
        stop.set()
        heartbeat.join()
