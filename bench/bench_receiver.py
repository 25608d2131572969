"""The receiver's throughput: `shopspot web` beside a bare Flask route under the same gunicorn.

`shopspot web` with its default settings, and a bare Flask route that only reads the body
served by gunicorn with the same settings (`bench/bare_receiver.py`), each loaded in turn in
one run by wrk (2 threads, 32 connections, 10 s, after a 2 s warm-up) with Shopspot's own
orders/create payload (about 11 KB), correctly signed, every request a new event id. Redis
runs as in production (AOF, fsync every second), and its queue flows as production's does:
a consumer takes the messages off as they come, as the workers would, and counts them.
Reported for both: requests per second, p50 and p99 latency, answers that were not 2xx; for
the receiver, the 200 "queued" answers wrk read and the messages queued (taken off by the
consumer, or still on the queue: a request wrk left in flight when its time was up may be
queued without its answer being read, so the two may differ by up to the 32 connections,
never more). The receiver is loaded once more with nothing consuming its queue, for what a
backlog that Redis must hold costs. Both are loaded paced too (each connection waits after
an answer, so that together they offer at most 1,000 requests a second): with every
connection always waiting, a run's mean latency is the connections over the throughput, so
only a rate both can take tells the time a request takes. Then `shopspot web` under other
worker settings, the same way, for the choice of its defaults (`webapi/serving.py`). wrk is
installed with apt-get when missing; where that is impossible a Python load generator
stands in, and the figures say so. Last, the in-process figures (`bench/receiver_cost.py`):
what one request costs each app called directly, and Redis's CPU for each accepted
delivery. Run `python -m bench receiver` (or `make bench` for all).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import redis

from bench import receiver_cost
from bench.load import Load, Result, python_load
from shopspot.localredis import LocalRedis, free_port
from shopspot.settings import Settings
from shopspot.signatures import sign
from shopspot.topics import Kind
from tests.support.topic_payloads import own_payload
from webapi.serving import DEFAULT_THREADS, DEFAULT_WORKERS
from worker.routing import queue_name

ROOT = Path(__file__).resolve().parent.parent
SHOP = "bench-shop.myshopify.com"
SECRET = "bench-webhook-secret"
THREADS, CONNECTIONS, SECONDS, WARM_UP_SECONDS = 2, 32, 10, 2
# (workers, threads) of `shopspot web` compared with its defaults.
OTHER_SETTINGS = ((2, 4), (3, 1), (5, 1), (4, 2))
# With every connection always waiting for an answer, the mean latency is the connections
# over the throughput (Little's law): a saturated run's p99 says more about the throughput
# than about the time a request takes. Paced runs tell that time at a rate both servers can
# take: each connection waits after an answer, so that together they offer at most this.
PACED_RATE = 1000
PAUSE_MS = CONNECTIONS * 1000 / PACED_RATE

# Each wrk thread numbers its requests; the run's label and the thread keep event ids unique.
WRK_SCRIPT = """
local threads = {}
local counter = 0

function setup(thread)
  table.insert(threads, thread)
  thread:set("tid", #threads)
end

function init(args)
  local file = assert(io.open(args[1], "rb"))
  wrk.body = file:read("*a")
  file:close()
  wrk.method = "POST"
  wrk.headers["Content-Type"] = "application/json"
  wrk.headers["X-Shopify-Topic"] = "orders/create"
  wrk.headers["X-Shopify-Shop-Domain"] = args[2]
  wrk.headers["X-Shopify-Hmac-Sha256"] = args[3]
  wrk.headers["X-Shopify-API-Version"] = "2026-04"
  label = args[4]
  queued = 0
  -- wrk waits before each request only if the script has a delay function once set up.
  local pause = tonumber(args[5])
  if pause > 0 then
    delay = function() return pause end
  end
end

function request()
  counter = counter + 1
  wrk.headers["X-Shopify-Event-Id"] = label .. "-" .. tid .. "-" .. counter
  return wrk.format()
end

function response(status, headers, body)
  if status == 200 and string.find(body, '"queued"', 1, true) then
    queued = queued + 1
  end
end

function done(summary, latency, requests)
  local total_queued = 0
  for _, thread in ipairs(threads) do
    total_queued = total_queued + thread:get("queued")
  end
  local errors = summary.errors
  io.write(string.format('RESULT {"requests": %d, "seconds": %f, "non_2xx": %d, ' ..
    '"socket_errors": %d, "p50_ms": %f, "p99_ms": %f, "queued": %d}\\n',
    summary.requests, summary.duration / 1e6, errors.status,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, total_queued))
end
"""


def _wrk() -> str | None:
    found = shutil.which("wrk")
    if found:
        return found
    sudo = [] if os.geteuid() == 0 else ["sudo", "-n"]
    install = [*sudo, "apt-get", "install", "-y", "wrk"]
    update = [*sudo, "apt-get", "update"]
    # A fresh machine's package lists may be empty: they are updated if the install fails.
    for commands in ([install], [update, install]):
        try:
            for command in commands:
                subprocess.run(command, check=True, capture_output=True, timeout=300)
        except (OSError, subprocess.SubprocessError):
            continue
        return shutil.which("wrk")
    return None


def _wrk_load(wrk: str, folder: Path) -> Load:
    script = folder / "signed.lua"
    script.write_text(WRK_SCRIPT)

    def load(
        url: str,
        body_path: Path,
        signature: str,
        label: str,
        seconds: float,
        pause_ms: float,
    ) -> Result:
        argv = [
            wrk, f"-t{THREADS}", f"-c{CONNECTIONS}", f"-d{seconds}s", "--timeout", "10s",
            "-s", str(script), url, "--", str(body_path), SHOP, signature, label,
            str(round(pause_ms)),
        ]  # fmt: skip
        output = subprocess.run(argv, check=True, capture_output=True, text=True).stdout
        line = next(line for line in output.splitlines() if line.startswith("RESULT "))
        found = json.loads(line.removeprefix("RESULT "))
        return Result(
            requests_per_second=found["requests"] / found["seconds"],
            p50_ms=found["p50_ms"],
            p99_ms=found["p99_ms"],
            non_2xx=found["non_2xx"],
            socket_errors=found["socket_errors"],
            queued=found["queued"],
        )

    return load


def _environment(redis_url: str) -> dict[str, str]:
    settings = {name.upper() for name in Settings.model_fields}
    env = {key: value for key, value in os.environ.items() if key not in settings}
    env.update(
        PYTHONPATH=str(ROOT),
        REDIS_URL=redis_url,
        SHOPIFY_SHOP_DOMAIN=SHOP,
        SHOPIFY_WEBHOOK_SECRET=SECRET,
        HUBSPOT_ACCESS_TOKEN="bench-hubspot-token",
    )
    return env


@contextmanager
def _serving(argv: list[str], env: dict[str, str], log: Path) -> Iterator[str]:
    port = free_port()
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*argv, "--port", str(port)], cwd=ROOT, env=env, stdout=output, stderr=output
        )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=0.5).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{argv} did not start:\n{log.read_text()}")
            time.sleep(0.1)
        yield f"{url}/webhooks/shopify"
    finally:
        process.terminate()
        process.wait(timeout=30)


def _settled(client: redis.Redis) -> int:
    """The orders queue's length once the requests wrk left in flight have been answered."""
    length = -1
    while (now := int(client.llen(queue_name(Kind.ORDERS)))) != length:
        length = now
        time.sleep(0.5)
    return length


class _Consumer:
    """Takes the orders queue's messages off as Shopspot's workers would, counting them.

    Without it the queue of a run (20,000 messages) holds 400 MB that production never
    holds, and Redis rewrites its append-only file of that dataset several times a run,
    each time forking a process that large: the pauses were the receiver's p99."""

    INTERVAL_SECONDS = 0.1
    # The list is deleted whole: nothing travels back to this process.
    _TAKE = "local n = redis.call('LLEN', KEYS[1]) redis.call('DEL', KEYS[1]) return n"

    def __init__(self, client: redis.Redis) -> None:
        self._take = client.register_script(self._TAKE)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self.taken = 0

    def _run(self) -> None:
        while not self._stop.wait(self.INTERVAL_SECONDS):
            self.taken += int(self._take(keys=[queue_name(Kind.ORDERS)]))

    def __enter__(self) -> _Consumer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _measure(
    load: Load,
    url: str,
    body_path: Path,
    signature: str,
    label: str,
    client: redis.Redis,
    *,
    consumed: bool = True,
    pause_ms: float = 0.0,
) -> tuple[Result, int]:
    """The run's result and the messages it queued (taken off by the consumer or left)."""
    load(url, body_path, signature, f"{label}-warm-up", WARM_UP_SECONDS, pause_ms)
    # What the warm-up queued is not what the run is checked against.
    _settled(client)
    client.flushdb()
    if not consumed:
        result = load(url, body_path, signature, label, SECONDS, pause_ms)
        return result, _settled(client)
    with _Consumer(client) as consumer:
        result = load(url, body_path, signature, label, SECONDS, pause_ms)
    return result, consumer.taken + _settled(client)


def _figures(prefix: str, result: Result) -> dict[str, Any]:
    return {
        f"{prefix}_requests_per_second": round(result.requests_per_second),
        f"{prefix}_p50_ms": round(result.p50_ms, 1),
        f"{prefix}_p99_ms": round(result.p99_ms, 1),
        f"{prefix}_non_2xx": result.non_2xx,
        f"{prefix}_socket_errors": result.socket_errors,
    }


def _summary(result: Result) -> str:
    return (
        f"{round(result.requests_per_second)}/s, p50 {round(result.p50_ms, 1)} ms, "
        f"p99 {round(result.p99_ms, 1)} ms"
    )


def run() -> dict[str, Any]:
    body = json.dumps(own_payload("orders/create")).encode()
    signature = sign(body, SECRET)
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        body_path = folder / "orders-create.json"
        body_path.write_bytes(body)
        wrk = _wrk()
        load = _wrk_load(wrk, folder) if wrk else python_load(SHOP, CONNECTIONS)
        generator = "wrk" if wrk else "Python processes (wrk unavailable; not comparable to wrk)"
        with LocalRedis(folder / "redis", appendfsync="everysec") as server:
            env = _environment(server.url)
            client = redis.Redis.from_url(server.url)
            bare_argv = [sys.executable, "-m", "bench.bare_receiver"]
            with _serving(bare_argv, env, folder / "bare.log") as url:
                bare, _ = _measure(load, url, body_path, signature, "bare", client)
                bare_paced, _ = _measure(
                    load, url, body_path, signature, "bare-paced", client, pause_ms=PAUSE_MS
                )
            web_argv = [sys.executable, "-m", "cli", "web", "--host", "127.0.0.1"]
            with _serving(web_argv, env, folder / "web.log") as url:
                web, on_queue = _measure(load, url, body_path, signature, "web", client)
                piled, _ = _measure(
                    load, url, body_path, signature, "web-piled", client, consumed=False
                )
                web_paced, _ = _measure(
                    load, url, body_path, signature, "web-paced", client, pause_ms=PAUSE_MS
                )
            others = {}
            for workers, threads in OTHER_SETTINGS:
                setting = ["--workers", str(workers), "--threads", str(threads)]
                with _serving([*web_argv, *setting], env, folder / "web.log") as url:
                    label = f"web-{workers}x{threads}"
                    others[workers, threads], _ = _measure(
                        load, url, body_path, signature, label, client
                    )
    return {
        "load_generator": f"{generator}: {THREADS} threads, {CONNECTIONS} connections, {SECONDS} s",
        "payload_bytes": len(body),
        **_figures("bare_flask", bare),
        **_figures("shopspot_web", web),
        "ratio_shopspot_web_to_bare_flask": round(
            web.requests_per_second / bare.requests_per_second, 2
        ),
        "shopspot_web_queued_answers": web.queued,
        "shopspot_web_messages_queued": on_queue,
        "shopspot_web_with_nothing_consuming_the_queue": _summary(piled),
        "paced_load": (
            f"at most {PACED_RATE}/s: each connection waits {PAUSE_MS:g} ms after an answer"
        ),
        "bare_flask_paced": _summary(bare_paced),
        "shopspot_web_paced": _summary(web_paced),
        "shopspot_web_defaults": f"{DEFAULT_WORKERS} workers x {DEFAULT_THREADS} thread",
        **{
            f"shopspot_web_{workers}_workers_x_{threads}_threads": _summary(result)
            for (workers, threads), result in others.items()
        },
        **receiver_cost.measure(body, SHOP, SECRET),
    }


if __name__ == "__main__":
    print(json.dumps(run(), indent=2))
