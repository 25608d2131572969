"""What a load generator reports, and the Python stand-in for wrk where wrk cannot be had.

The stand-in holds the same number of kept-alive connections from several processes, but it
spends far more of the machine than wrk does: its figures are labelled and not comparable.
"""

from __future__ import annotations

import http.client
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

PROCESSES = 4


@dataclass(frozen=True)
class Result:
    requests_per_second: float
    p50_ms: float
    p99_ms: float
    non_2xx: int
    socket_errors: int
    queued: int  # 200 answers saying "queued"


# url, body file, signature, a label unique to the run, seconds, and how long each
# connection waits after an answer before its next request, in ms (0: at once).
Load = Callable[[str, Path, str, str, float, float], Result]


@dataclass
class _Tally:
    latencies: list[float]
    non_2xx: int = 0
    socket_errors: int = 0
    queued: int = 0


def _connection_loop(
    url: str,
    body: bytes,
    headers: dict[str, str],
    label: str,
    until: float,
    pause: float,
    tally: _Tally,
) -> None:
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.netloc, timeout=10)
    number = 0
    while time.monotonic() < until:
        number += 1
        started = time.perf_counter()
        try:
            connection.request(
                "POST", parts.path, body, {**headers, "X-Shopify-Event-Id": f"{label}-{number}"}
            )
            response = connection.getresponse()
            answer = response.read()
        except (OSError, http.client.HTTPException):
            tally.socket_errors += 1
            connection.close()
            continue
        tally.latencies.append(time.perf_counter() - started)
        if response.status >= 300:
            tally.non_2xx += 1
        elif b'"queued"' in answer:
            tally.queued += 1
        time.sleep(pause)


def _process(
    url: str,
    body_path: str,
    headers: dict[str, str],
    label: str,
    connections: int,
    until: float,
    pause: float,
) -> _Tally:
    body = Path(body_path).read_bytes()
    tallies = [_Tally([]) for _ in range(connections)]
    threads = [
        threading.Thread(
            target=_connection_loop,
            args=(url, body, headers, f"{label}-{n}", until, pause, tally),
        )
        for n, tally in enumerate(tallies)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return _Tally(
        [latency for tally in tallies for latency in tally.latencies],
        sum(tally.non_2xx for tally in tallies),
        sum(tally.socket_errors for tally in tallies),
        sum(tally.queued for tally in tallies),
    )


def python_load(shop: str, connections: int) -> Load:
    def load(
        url: str,
        body_path: Path,
        signature: str,
        label: str,
        seconds: float,
        pause_ms: float,
    ) -> Result:
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": "orders/create",
            "X-Shopify-Shop-Domain": shop,
            "X-Shopify-Hmac-Sha256": signature,
            "X-Shopify-API-Version": "2026-04",
        }
        until = time.monotonic() + seconds
        with ProcessPoolExecutor(PROCESSES) as pool:
            futures = [
                pool.submit(
                    _process,
                    url,
                    str(body_path),
                    headers,
                    f"{label}-{n}",
                    connections // PROCESSES,
                    until,
                    pause_ms / 1000,
                )
                for n in range(PROCESSES)
            ]
            tallies = [future.result() for future in futures]
        latencies = sorted(latency for tally in tallies for latency in tally.latencies)
        percentiles = statistics.quantiles(latencies, n=100)
        return Result(
            requests_per_second=len(latencies) / seconds,
            p50_ms=percentiles[49] * 1000,
            p99_ms=percentiles[98] * 1000,
            non_2xx=sum(tally.non_2xx for tally in tallies),
            socket_errors=sum(tally.socket_errors for tally in tallies),
            queued=sum(tally.queued for tally in tallies),
        )

    return load
