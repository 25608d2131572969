"""How `shopspot backfill` shows its progress: a bar per kind of object with counts, rate
and time left, redrawn in place on a terminal and as plain lines in a log."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from shopspot.backfill.bulk import Operation
from shopspot.backfill.runner import ImportResult, KindResult, Progress

WIDTH = 28


class TerminalProgress(Progress):
    """The kinds written side by side share one line: a bar for one, counts for several."""

    def __init__(self, stream: TextIO = sys.stderr, every_seconds: float = 2.0) -> None:
        self._stream = stream
        self._live = stream.isatty()
        self._every = every_seconds
        self._last = 0.0
        self._started: dict[str, float] = {}
        self._running: dict[str, KindResult] = {}
        self._lock = threading.Lock()  # told by each kind's thread

    def waiting(self, shop: str, kind: str, operation: Operation) -> None:
        state = f"{operation.status.lower()}, {operation.objects} objects so far"
        self._line(f"{shop} {kind:<10} Shopify is preparing the export ({state})", final=False)

    def started(self, shop: str, kind: str, total: int, resumed_from: int) -> None:
        with self._lock:
            self._started[kind] = time.monotonic()
        resumed = ", resuming where the last run stopped" if resumed_from else ""
        self._line(f"{shop} {kind:<10} {total} to import{resumed}", final=True)

    def advanced(self, shop: str, result: KindResult) -> None:
        with self._lock:
            self._running[result.kind] = result
            running = list(self._running.values())
        if len(running) == 1:
            text = bar(running[0], self._started.get(running[0].kind))
        else:
            text = "  ".join(counts(r, self._started.get(r.kind)) for r in running)
        self._line(f"{shop} {text}", final=False)

    def finished(self, shop: str, result: KindResult) -> None:
        with self._lock:
            self._running.pop(result.kind, None)
        self._line(f"{shop} {bar(result, self._started.get(result.kind))}", final=True)

    def _line(self, text: str, *, final: bool) -> None:
        with self._lock:
            now = time.monotonic()
            if self._live:
                self._stream.write("\r\x1b[2K" + text + ("\n" if final else ""))
                self._stream.flush()
            elif final or now - self._last >= self._every:
                self._stream.write(text + "\n")
                self._stream.flush()
                self._last = now


def _pace(result: KindResult, started: float | None) -> tuple[int, float, str]:
    """The kind's total, objects per second and time left."""
    total = max(result.total, result.read, 1)
    elapsed = time.monotonic() - started if started else 0.0
    done_now = result.read - result.resumed_count
    rate = done_now / elapsed if elapsed > 0 else 0.0
    left = (total - result.read) / rate if rate > 0 else None
    eta = "done" if result.done else (f"{left:,.0f} s left" if left is not None else "-")
    return total, rate, eta


def bar(result: KindResult, started: float | None) -> str:
    total, rate, eta = _pace(result, started)
    filled = int(WIDTH * min(result.read, total) / total)
    return (
        f"{result.kind:<10} [{'#' * filled}{'.' * (WIDTH - filled)}] "
        f"{result.read:>8,}/{total:,}  {rate:,.0f}/s  {eta}"
    )


def counts(result: KindResult, started: float | None) -> str:
    total, _, eta = _pace(result, started)
    return f"{result.kind} {result.read:,}/{total:,} ({eta})"


def summary(results: list[ImportResult]) -> str:
    lines = [
        f"{'shop':<32} {'kind':<10} {'read':>9} {'written':>9} {'unchanged':>9} {'seconds':>8}"
    ]
    for shop in results:
        for kind in shop.kinds:
            lines.append(
                f"{shop.shop:<32} {kind.kind:<10} {kind.read:>9,} {kind.queued:>9,} "
                f"{kind.unchanged:>9,} {kind.seconds:>8.1f}"
            )
        lines.append(
            f"{shop.shop:<32} HubSpot calls {shop.hubspot_calls:,}, "
            f"dead letters {shop.dead_letters}"
        )
    return "\n".join(lines)
