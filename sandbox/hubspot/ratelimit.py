"""HubSpot's rate limits: a rolling burst window per token, a daily count per account, and
search's own per-second limit."""

from __future__ import annotations

import math
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from .config import SandboxConfig

TEN_SECONDLY = "TEN_SECONDLY_ROLLING"
DAILY = "DAILY"
SECONDLY = "SECONDLY"
MESSAGES = {
    TEN_SECONDLY: "You have reached your ten_secondly_rolling limit.",
    DAILY: "You have reached your daily limit.",
    SECONDLY: "You have reached your secondly limit.",
}
SEARCH_WINDOW_SECONDS = 1.0


@dataclass(frozen=True)
class Verdict:
    """Whether one request may proceed, and what HubSpot would tell the client about it."""

    allowed: bool
    policy: str = ""
    retry_after_seconds: int = 0
    headers: dict[str, str] = field(default_factory=dict)


class RateLimiter:
    """Counts admitted requests. A refused one is counted only when `count_rejected` is on,
    and never more than once."""

    def __init__(
        self,
        monotonic: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._monotonic = monotonic
        self._wall = wall
        self._lock = threading.Lock()
        self._windows: dict[str, deque[float]] = {}
        self._search: dict[str, deque[float]] = {}
        self._day: date | None = None
        self._daily_used = 0

    def reset(self) -> None:
        with self._lock:
            self._windows.clear()
            self._search.clear()
            self._daily_used = 0

    def admit(self, token: str, config: SandboxConfig) -> Verdict:
        """A non-search API call: daily budget, then the rolling window."""
        with self._lock:
            now = self._monotonic()
            window = self._trimmed(self._windows, token, now, config.window_seconds)
            self._roll_day(config)
            if self._daily_used >= config.daily_limit:
                self._refused(config, window, now)
                until = self._seconds_to_midnight(config)
                return Verdict(False, DAILY, until, self._headers(config, window))
            if len(window) >= config.rate_limit:
                wait = window[0] + config.window_seconds - now
                self._refused(config, window, now)
                return Verdict(
                    False, TEN_SECONDLY, max(1, math.ceil(wait)), self._headers(config, window)
                )
            window.append(now)
            self._daily_used += 1
            return Verdict(True, headers=self._headers(config, window))

    def admit_search(self, token: str, config: SandboxConfig) -> Verdict:
        """A search call: its own per-second limit, no rate headers, still a daily call."""
        with self._lock:
            now = self._monotonic()
            window = self._trimmed(self._search, token, now, SEARCH_WINDOW_SECONDS)
            self._roll_day(config)
            if self._daily_used >= config.daily_limit:
                self._refused(config, window, now)
                return Verdict(False, DAILY, self._seconds_to_midnight(config))
            if len(window) >= config.search_per_second:
                wait = window[0] + SEARCH_WINDOW_SECONDS - now
                self._refused(config, window, now)
                return Verdict(False, SECONDLY, max(1, math.ceil(wait)))
            window.append(now)
            self._daily_used += 1
            return Verdict(True)

    def exhausted_headers(self, token: str, config: SandboxConfig) -> dict[str, str]:
        """Headers for an injected 429: the window shown as used up."""
        with self._lock:
            window = self._trimmed(self._windows, token, self._monotonic(), config.window_seconds)
            headers = self._headers(config, window)
            headers["X-HubSpot-RateLimit-Remaining"] = "0"
            return headers

    def snapshot(self, token: str, config: SandboxConfig) -> dict[str, int]:
        with self._lock:
            now = self._monotonic()
            window = self._trimmed(self._windows, token, now, config.window_seconds)
            search = self._trimmed(self._search, token, now, SEARCH_WINDOW_SECONDS)
            self._roll_day(config)
            return {
                "window_used": len(window),
                "search_window_used": len(search),
                "daily_used": self._daily_used,
            }

    def _refused(self, config: SandboxConfig, window: deque[float], now: float) -> None:
        if config.count_rejected:
            window.append(now)
            self._daily_used += 1

    def _trimmed(
        self, windows: dict[str, deque[float]], token: str, now: float, seconds: float
    ) -> deque[float]:
        window = windows.setdefault(token, deque())
        horizon = now - seconds
        while window and window[0] <= horizon:
            window.popleft()
        return window

    def _roll_day(self, config: SandboxConfig) -> None:
        """The daily count restarts at midnight in the account's time zone."""
        today = datetime.fromtimestamp(self._wall(), ZoneInfo(config.time_zone)).date()
        if today != self._day:
            self._day = today
            self._daily_used = 0

    def _seconds_to_midnight(self, config: SandboxConfig) -> int:
        zone = ZoneInfo(config.time_zone)
        now = datetime.fromtimestamp(self._wall(), zone)
        midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), zone)
        return max(1, math.ceil((midnight - now).total_seconds()))

    def _headers(self, config: SandboxConfig, window: deque[float]) -> dict[str, str]:
        return {
            "X-HubSpot-RateLimit-Max": str(config.rate_limit),
            "X-HubSpot-RateLimit-Remaining": str(max(0, config.rate_limit - len(window))),
            "X-HubSpot-RateLimit-Interval-Milliseconds": str(round(config.window_seconds * 1000)),
            "X-HubSpot-RateLimit-Daily": str(config.daily_limit),
            "X-HubSpot-RateLimit-Daily-Remaining": str(
                max(0, config.daily_limit - self._daily_used)
            ),
        }
