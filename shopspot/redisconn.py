"""One way to open Redis for Shopspot's own state (the broker has its own connections), and
one way to erase many of its keys at once."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import redis
from redis.sentinel import Sentinel

from shopspot.redisurl import names_sentinels, parse_sentinel_url

if TYPE_CHECKING:
    from shopspot.settings import Settings

# A shop's state can run to many thousands of keys: one DEL per batch keeps each command small.
_DELETE_BATCH = 500
_GLOB_SPECIALS = frozenset("\\*?[]^")


def connect(settings: Settings, *, timeout: float = 5.0) -> redis.Redis:
    # Bounded timeouts turn an unreachable Redis into an error within `timeout` seconds,
    # which the receiver answers with 503 while Shopify is still waiting.
    options = {
        "socket_timeout": timeout,
        "socket_connect_timeout": timeout,
        "health_check_interval": 30,
    }
    if not names_sentinels(settings.redis_url):
        return redis.Redis.from_url(settings.redis_url, **options)
    found = parse_sentinel_url(settings.redis_url)
    # Every new connection asks the Sentinels where the master is, so after a fail-over
    # the client writes to the promoted replica; the Sentinels get the same timeouts.
    # (redis-py's sentinel module has no type hints.)
    sentinels = Sentinel(  # type: ignore[no-untyped-call]
        found.sentinels,
        db=found.db,
        username=found.username,
        password=found.password,
        **options,
    )
    master: redis.Redis = sentinels.master_for(  # type: ignore[no-untyped-call]
        settings.redis_sentinel_master
    )
    return master


def glob_escape(text: str) -> str:
    """`text` matched literally inside a SCAN glob: a shop name with `*` or `[` in it must not
    reach other shops' keys."""
    return "".join(f"\\{char}" if char in _GLOB_SPECIALS else char for char in text)


def delete_matching(client: redis.Redis, pattern: str, names: Iterable[str] = ()) -> int:
    """Delete `names` and every key matching the glob `pattern`; returns how many existed."""
    doomed = [*names, *client.scan_iter(match=pattern, count=1000)]
    return sum(
        int(client.delete(*doomed[start : start + _DELETE_BATCH]))
        for start in range(0, len(doomed), _DELETE_BATCH)
    )
