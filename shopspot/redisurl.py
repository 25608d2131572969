"""What `REDIS_URL` names: one Redis server, or the Sentinels that know which server is master.

The Sentinel form is kombu's, so that the broker and Shopspot's own state read one setting:
`sentinel://[:password@]host:port[/db];sentinel://host2:port2;...`. As in kombu, the
database and the password are read from the first part and are the master's; the
Sentinels themselves are asked without a password.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import SplitResult, unquote, urlsplit

SENTINEL_SCHEME = "sentinel"
# Sentinel's own default port, which kombu assumes too when a part names none.
SENTINEL_PORT = 26379


@dataclass(frozen=True)
class SentinelURL:
    sentinels: tuple[tuple[str, int], ...]
    db: int
    username: str | None
    password: str | None


def names_sentinels(url: str) -> bool:
    return urlsplit(url).scheme == SENTINEL_SCHEME


def parse_sentinel_url(url: str) -> SentinelURL:
    """The Sentinels and the master's database; a ValueError says what is wrong without
    repeating the URL, which may carry a password."""
    parts = [urlsplit(part) for part in url.split(";")]
    sentinels = tuple(_address(part) for part in parts)
    first = parts[0]
    database = first.path.strip("/") or "0"
    if not database.isdigit():
        raise ValueError("the database must be a number, as in sentinel://host:26379/0")
    return SentinelURL(
        sentinels=sentinels,
        db=int(database),
        username=unquote(first.username) if first.username else None,
        password=unquote(first.password) if first.password else None,
    )


def _address(part: SplitResult) -> tuple[str, int]:
    if part.scheme != SENTINEL_SCHEME or not part.hostname:
        raise ValueError("every ;-separated part must be sentinel://host:port")
    try:
        port = part.port
    except ValueError:
        raise ValueError("a sentinel:// part has an invalid port number") from None
    return part.hostname, port or SENTINEL_PORT
