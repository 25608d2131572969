"""Sandbox settings: fixed at start, and (most of them) adjustable while it runs."""

from __future__ import annotations

import dataclasses
import math
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

FAULT_FIELDS = (
    "fault_429_probability",
    "fault_500_probability",
    "fault_502_probability",
    "fault_503_probability",
)

# These shape the portal's schema (currency options, ids), so they only take effect at start.
_START_ONLY = frozenset({"portal_id", "company_currency", "additional_currencies"})


@dataclass(frozen=True)
class SandboxConfig:
    """Everything the sandbox can be told; defaults are a fresh Free/Starter portal."""

    token: str = "sandbox-token"
    portal_id: int = 8765432
    rate_limit: int = 100
    window_seconds: float = 10.0
    daily_limit: int = 250_000
    search_per_second: int = 5
    fault_429_probability: float = 0.0
    fault_500_probability: float = 0.0
    fault_502_probability: float = 0.0
    fault_503_probability: float = 0.0
    fault_after_write_probability: float = 0.0
    latency_ms: float = 0.0
    retry_after: bool = False
    # HubSpot does not say whether refused calls use up the window; by default they do not,
    # so a client that waits out the interval always gets its budget back.
    count_rejected: bool = False
    # HubSpot does not promise batch results in input order; shuffling keeps clients honest.
    shuffle_batch_results: bool = True
    # HubSpot answers traced batch inputs one by one (207), but does not promise to: off, the
    # first bad input refuses every batch whole, as it does a batch of untraced inputs.
    per_input_errors: bool = True
    time_zone: str = "US/Eastern"
    # Where the portal's pages are: app.hubspot.com, or app-eu1.hubspot.com for EU portals.
    ui_domain: str = "app.hubspot.com"
    company_currency: str = "USD"
    additional_currencies: tuple[str, ...] = ()
    seed: int | None = None

    def __post_init__(self) -> None:
        self._check()

    def _check(self) -> None:
        if not self.token:
            raise ValueError("token must not be empty")
        if self.portal_id < 1:
            raise ValueError("portal_id must be a positive integer")
        for name in ("rate_limit", "daily_limit", "search_per_second"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1")
        if not (self.window_seconds > 0 and math.isfinite(self.window_seconds)):
            raise ValueError("window_seconds must be a positive number")
        if not (self.latency_ms >= 0 and math.isfinite(self.latency_ms)):
            raise ValueError("latency_ms must be a non-negative number")
        for name in (*FAULT_FIELDS, "fault_after_write_probability"):
            value = getattr(self, name)
            if not 0.0 <= value <= 1.0:
                raise ValueError(f"{name} must be between 0 and 1")
        if sum(getattr(self, name) for name in FAULT_FIELDS) > 1.0:
            raise ValueError("the 429/500/502/503 probabilities must add up to at most 1")
        try:
            ZoneInfo(self.time_zone)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time_zone {self.time_zone!r}") from exc
        for code in (self.company_currency, *self.additional_currencies):
            if len(code) != 3 or not code.isalpha() or not code.isupper():
                raise ValueError(f"currency {code!r} is not an ISO 4217 code")

    @property
    def currencies(self) -> tuple[str, ...]:
        extra = [c for c in self.additional_currencies if c != self.company_currency]
        return (self.company_currency, *extra)

    def public(self) -> dict[str, Any]:
        """The settings as JSON, without the token."""
        shown = dataclasses.asdict(self)
        del shown["token"]
        shown["additional_currencies"] = list(self.additional_currencies)
        return shown

    def updated(self, changes: dict[str, Any]) -> SandboxConfig:
        """A copy with run-time `changes` applied; ValueError names the first bad one."""
        known = {f.name: f for f in dataclasses.fields(self)}
        coerced: dict[str, Any] = {}
        for name, value in changes.items():
            if name not in known:
                raise ValueError(f"unknown setting {name!r}")
            if name in _START_ONLY:
                raise ValueError(f"{name} can only be set at start")
            coerced[name] = _coerce(name, getattr(self, name), value)
        return dataclasses.replace(self, **coerced)


def _coerce(name: str, current: Any, value: Any) -> Any:
    """Check a JSON value against the type of the setting it replaces."""
    if name == "seed":
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        raise ValueError("seed must be an integer or null")
    if isinstance(current, bool):
        if isinstance(value, bool):
            return value
        raise ValueError(f"{name} must be true or false")
    if isinstance(current, int):
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        raise ValueError(f"{name} must be an integer")
    if isinstance(current, float):
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        raise ValueError(f"{name} must be a number")
    if isinstance(current, str):
        if isinstance(value, str):
            return value
        raise ValueError(f"{name} must be a string")
    raise ValueError(f"{name} cannot be changed")
