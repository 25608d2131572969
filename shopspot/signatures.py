"""Shopify's webhook signature: base64 HMAC-SHA256 of the raw body with the shop's secret."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable

from pydantic import SecretStr


def sign(body: bytes, secret: str) -> str:
    digest = hmac.new(secret.encode("utf-8"), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def is_valid(body: bytes, signature: str | None, secrets: Iterable[SecretStr]) -> bool:
    """True when any of the shop's secrets signed `body` (several during a rotation)."""
    if not signature:
        return False
    given = signature.strip().encode("ascii", "replace")
    # Every secret is tried even after a match, so timing tells nothing about which one.
    matches = [
        hmac.compare_digest(sign(body, secret.get_secret_value()).encode("ascii"), given)
        for secret in secrets
    ]
    return any(matches)
