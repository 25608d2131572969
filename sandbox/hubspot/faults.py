"""Injected failures for reliability tests, drawn before any state changes."""

from __future__ import annotations

import random
import threading

from .config import SandboxConfig


class FaultInjector:
    def __init__(self, seed: int | None) -> None:
        self._rng = random.Random(seed)
        self._lock = threading.Lock()

    def reseed(self, seed: int | None) -> None:
        with self._lock:
            self._rng = random.Random(seed)

    def before(self, config: SandboxConfig) -> int | None:
        """The status to answer instead of serving (429, 500, 502, 503), or None."""
        with self._lock:
            draw = self._rng.random()
        threshold = 0.0
        for status, probability in (
            (429, config.fault_429_probability),
            (500, config.fault_500_probability),
            (502, config.fault_502_probability),
            (503, config.fault_503_probability),
        ):
            threshold += probability
            if draw < threshold:
                return status
        return None

    def after_write(self, config: SandboxConfig) -> bool:
        """Whether a write that was applied should still be answered with a 502."""
        if config.fault_after_write_probability <= 0:
            return False
        with self._lock:
            return self._rng.random() < config.fault_after_write_probability
