"""Chaos: HubSpot ends up exactly as the store says, whatever Shopify and HubSpot throw at it.

On loopback: a Redis with AOF, the HubSpot sandbox injecting faults (429s, 5xx, writes applied
and then answered with a 502), the Shopify store simulator in live mode (webhooks duplicated,
reordered and dropped), Shopspot's receiver, two workers and beat. `shopspot setup` and the
import run with the faults on; then the store changes `--events` times while workers are
SIGKILLed (each replaced by a new one) and Redis is restarted. Once the changes stop and
Shopspot has settled, reconciliation and the sweep run, and HubSpot is compared with what the
simulator says it should hold, record by record. The exit status is 1 on any record lost,
duplicated, wrong or unexpected, and on anything else that went wrong (a dead letter, a
command that failed, work that never finished).

A 429 costs every Shopspot process a whole rate window, so HubSpot's 10 s window is scaled
down to 0.5 s (about the same calls per second) to let a run end in minutes. The delivery
bounds are shortened alike, so that a killed worker's tasks come back within a minute.

    python -m bench.chaos --events 10000 [--record]
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

from bench.__main__ import record
from bench.servers import hubspot_sandbox, shopify_simulator
from shopspot.deadletters import DeadLetterStore
from shopspot.localredis import LocalRedis
from tests.support.compare import Tally, compare
from tests.support.env import HUBSPOT_TOKEN, service_env
from tests.support.hubspot import HubSpotView
from tests.support.idle import busy, settle
from tests.support.processes import (
    Process,
    run_command,
    start_beat,
    start_receiver,
    start_worker,
    wait_for,
)

SHOP = "chaos-shop.myshopify.com"
SHOPIFY_TOKEN = "shpat_chaos"
SECRET = "chaos-webhook-secret"
# About HubSpot Professional's 190 calls per 10 s, on a 0.5 s window.
RATE_LIMIT, WINDOW_SECONDS = 10, 0.5
HUBSPOT_FAULTS = {
    "fault_429_probability": 0.2,
    "fault_500_probability": 0.02,
    "fault_502_probability": 0.01,
    "fault_503_probability": 0.01,
    # Of the writes HubSpot applied: the answer is lost on the way back.
    "fault_after_write_probability": 0.02,
}
DELIVERY_BOUNDS = {
    "TASK_TIME_LIMIT_SECONDS": "30",
    "TASK_RETRY_BACKOFF_MAX_SECONDS": "10",
    "TASK_MAX_RETRIES": "12",
    "BROKER_VISIBILITY_TIMEOUT_SECONDS": "45",
    "BROKER_UNACKED_RESTORE_INTERVAL_SECONDS": "1",
}
# Shopify retries a failed delivery 8 times over 4 hours, doubling the wait; the same shape in
# minutes outlasts the Redis restart, during which the receiver answers 503.
RETRY_DELAYS = tuple(2.0**n for n in range(8))
WORKER_CONCURRENCY = 2
REDIS_DOWN_SECONDS = 2.0
COMMAND_SECONDS = 600.0
COMMAND_TRIES = 3


@dataclass(frozen=True)
class Chaos:
    events: int = 10_000
    """Store changes made while Shopspot runs (each one webhook topic or several)."""
    rate: float = 25.0
    """Store changes per second."""
    store: dict[str, int] = field(
        default_factory=lambda: {"products": 30, "customers": 200, "orders": 400, "checkouts": 40}
    )
    worker_kills: int = 2
    redis_restarts: int = 1
    duplicate: float = 0.1
    reorder_window: int = 8
    drop: float = 0.02
    abandon_after_seconds: int = 60
    seed: int = 1
    settle_seconds: float = 900.0
    """The longest Shopspot may take to finish its work once the changes stop."""


@dataclass
class Outcome:
    chaos: Chaos
    tallies: list[Tally] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    failed_commands: list[str] = field(default_factory=list)
    """Commands that failed (W8 says none may) and were run again."""
    figures: dict[str, Any] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        clean = not self.problems and not self.failed_commands
        return clean and all(tally.ok for tally in self.tallies)

    def render(self, examples: int = 5) -> str:
        lines = [f"{name:<34} {value}" for name, value in self.figures.items()]
        lines += ["", f"{'':<12}" + "".join(f"{h:>12}" for h in _HEADINGS)]
        for tally in self.tallies:
            row = "".join(f"{n:>12}" for n in tally.summary().values())
            lines.append(f"{tally.kind:<12}{row}")
        for tally in self.tallies:
            for heading in _HEADINGS[2:]:
                found: list[str] = getattr(tally, heading)
                if found:
                    lines.append(f"{heading} {tally.kind} (of {len(found)}):")
                    lines += [f"  {example}" for example in found[:examples]]
        lines += [f"failed and run again: {failed}" for failed in self.failed_commands]
        lines += [f"problem: {problem}" for problem in self.problems]
        lines.append("result: " + ("PASS" if self.ok else "FAIL"))
        return "\n".join(lines)


_HEADINGS = ("expected", "held", "lost", "duplicated", "wrong", "unexpected")


def run(chaos: Chaos, logs: Path) -> Outcome:
    """One chaos run; every process's log is kept in `logs`."""
    outcome = Outcome(chaos, figures={"store at start": _sizes(chaos.store)})
    started = time.monotonic()
    with contextlib.ExitStack() as stack:
        with _step(outcome, "start", fatal=True):
            stand_ins = _StandIns.start(chaos, logs, stack)
            shopspot = _Shopspot.start(stand_ins, logs, stack)
        # Without these nothing that follows means anything: a failure here ends the run.
        with _step(outcome, "set up and import", fatal=True):
            shopspot.command(outcome, "setup")
            shopspot.command(outcome, "backfill")
        with _step(outcome, "change the store"):
            _live(chaos, stand_ins, shopspot, outcome)
        stopped_at = time.time()
        with _step(outcome, "settle"):
            wait_for(lambda: stand_ins.shopify_stats()["webhooks_pending"] == 0,
                     timeout=sum(RETRY_DELAYS) + 60,
                     message="the simulator's webhooks to be delivered")  # fmt: skip
            shopspot.settle(chaos.settle_seconds)
        with _step(outcome, "reconcile and sweep"):
            # Every open checkout is then old enough to be abandoned: the sweep's verdict and
            # the simulator's cannot straddle the delay.
            time.sleep(max(0.0, stopped_at + chaos.abandon_after_seconds + 1 - time.time()))
            outcome.figures["reconcile"] = shopspot.command(outcome, "reconcile").strip()
            shopspot.settle(chaos.settle_seconds)
            outcome.figures["sweep"] = shopspot.command(outcome, "sweep").strip()
            shopspot.settle(chaos.settle_seconds)
        shopspot.stop()
        outcome.figures.update(stand_ins.figures())
        letters = shopspot.dead_letters()
        outcome.figures["dead letters"] = sum(letters.values())
        outcome.problems += [f"{n} dead letters: {reason}" for reason, n in letters.items()]
        with _step(outcome, "compare"):
            expected = stand_ins.expected(chaos.abandon_after_seconds)
            outcome.tallies = compare(expected, stand_ins.quiet_hubspot())
    outcome.figures["seconds in all"] = round(time.monotonic() - started)
    return outcome


@contextlib.contextmanager
def _step(outcome: Outcome, name: str, *, fatal: bool = False) -> Iterator[None]:
    """A timed step. One that fails is a problem of the run, which goes on to compare what it
    can, unless the failure is `fatal`."""
    started = time.monotonic()
    try:
        yield
    except (
        AssertionError,
        RuntimeError,
        OSError,
        httpx.HTTPError,
        subprocess.SubprocessError,
    ) as exc:
        first_line = next(iter(str(exc).splitlines()), type(exc).__name__)
        outcome.problems.append(f"{name}: {first_line}")
        if fatal:
            raise
    finally:
        outcome.figures[f"seconds to {name}"] = round(time.monotonic() - started)


class _StandIns:
    """Redis, the HubSpot sandbox and the Shopify simulator, each a process of its own."""

    def __init__(self, chaos: Chaos, redis_server: LocalRedis, hubspot: str, shopify: str) -> None:
        self.chaos = chaos
        self.redis_server = redis_server
        self.hubspot = HubSpotView(hubspot)
        self.shopify_url = shopify
        self.shopify = httpx.Client(base_url=shopify, timeout=60)

    @classmethod
    def start(cls, chaos: Chaos, logs: Path, stack: contextlib.ExitStack) -> _StandIns:
        redis_server = LocalRedis(logs / "redis")
        redis_server.start()
        stack.callback(redis_server.stop)
        faults = [
            f"--{name.removesuffix('_probability').replace('_', '-')}" for name in HUBSPOT_FAULTS
        ]
        hubspot, hubspot_port = hubspot_sandbox(
            ["--token", HUBSPOT_TOKEN, "--rate-limit", str(RATE_LIMIT), "--window-seconds",
             str(WINDOW_SECONDS), "--seed", str(chaos.seed),
             *[arg for flag, p in zip(faults, HUBSPOT_FAULTS.values(), strict=True)
               for arg in (flag, str(p))]]
        )  # fmt: skip
        stack.callback(_stop, hubspot)
        sizes = [arg for kind, n in chaos.store.items() for arg in (f"--{kind}", str(n))]
        shopify, shopify_port = shopify_simulator(
            ["--token", SHOPIFY_TOKEN, "--shop-domain", SHOP, "--webhook-secret", SECRET,
             "--seed", str(chaos.seed), *sizes, "--duplicate", str(chaos.duplicate),
             "--reorder-window", str(chaos.reorder_window), "--drop", str(chaos.drop),
             "--retry-delays", ",".join(map(str, RETRY_DELAYS))]
        )  # fmt: skip
        stack.callback(_stop, shopify)
        return cls(
            chaos,
            redis_server,
            f"http://127.0.0.1:{hubspot_port}",
            f"http://127.0.0.1:{shopify_port}",
        )

    def restart_redis(self) -> None:
        """As `docker compose restart redis` does: SIGTERM (the AOF is written), then up."""
        self.redis_server.stop()
        time.sleep(REDIS_DOWN_SECONDS)
        self.redis_server.start()

    def shopify_stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.shopify.get("/_simulator/stats").json()
        return stats

    def expected(self, abandon_after_seconds: float) -> dict[str, Any]:
        params = {"abandon_after_seconds": str(abandon_after_seconds), "records": "true"}
        answer: dict[str, Any] = self.shopify.get("/_simulator/expected", params=params).json()
        return answer

    def quiet_hubspot(self) -> HubSpotView:
        """The sandbox with its faults and limits out of the way of the comparison's reads."""
        self.hubspot.configure(**dict.fromkeys(HUBSPOT_FAULTS, 0.0), rate_limit=1_000_000)
        return self.hubspot

    def figures(self) -> dict[str, Any]:
        shopify, hubspot = self.shopify_stats(), self.hubspot.stats()
        injected = hubspot["injected_faults"]
        return {
            "store changes": shopify["changes"],
            "webhooks sent": shopify["webhooks_sent"],
            "webhooks duplicated": shopify["webhooks_duplicated"],
            "webhooks dropped": shopify["webhooks_dropped"],
            "webhooks retried": shopify["webhooks_retried"],
            "webhooks given up": shopify["webhooks_failed"],
            "HubSpot requests": hubspot["requests"],
            "HubSpot injected 429s": injected.get("429", 0),
            "HubSpot injected 5xx": sum(n for fault, n in injected.items() if fault != "429"),
            "of them after the write": injected.get("after_write_502", 0),
            "HubSpot real 429s": sum(hubspot["rate_limited"].values()),
        }


class _Shopspot:
    """Shopspot's processes: the receiver, workers (replaced when killed) and beat."""

    def __init__(self, env: dict[str, str], logs: Path, receiver: Process, beat: Process) -> None:
        self.env = env
        self.logs = logs
        self.receiver = receiver
        self.beat = beat
        self.workers: list[Process] = []
        self.redis = redis.Redis.from_url(env["REDIS_URL"])
        self._names = iter(range(1, 1000))

    @classmethod
    def start(cls, stand_ins: _StandIns, logs: Path, stack: contextlib.ExitStack) -> _Shopspot:
        chaos = stand_ins.chaos
        env = service_env(
            stand_ins.redis_server.url,
            HUBSPOT_BASE_URL=stand_ins.hubspot.url,
            HUBSPOT_RATE_LIMIT_PER_10S=str(RATE_LIMIT),
            HUBSPOT_RATE_WINDOW_SECONDS=str(WINDOW_SECONDS),
            SHOPIFY_SHOP_DOMAIN=SHOP,
            SHOPIFY_WEBHOOK_SECRET=SECRET,
            SHOPIFY_ACCESS_TOKEN=SHOPIFY_TOKEN,
            SHOPIFY_ADMIN_BASE_URL=stand_ins.shopify_url,
            SHOPIFY_API_VERSION="2025-01",
            CHECKOUT_ABANDON_AFTER_SECONDS=str(chaos.abandon_after_seconds),
            SWEEP_INTERVAL_SECONDS="10",
            **DELIVERY_BOUNDS,
        )
        receiver, url = start_receiver(env, logs)
        stack.callback(receiver.stop)
        env["PUBLIC_URL"] = url
        beat = start_beat(env, logs)
        shopspot = cls(env, logs, receiver, beat)
        stack.callback(shopspot.stop)
        shopspot.workers = [shopspot.new_worker(), shopspot.new_worker()]
        return shopspot

    def new_worker(self) -> Process:
        name = f"worker{next(self._names)}"
        return start_worker(self.env, self.logs, name, concurrency=WORKER_CONCURRENCY)

    def kill_worker(self, index: int) -> str:
        """SIGKILL a worker and every process of it, as the OOM killer or a lost node does."""
        victim = self.workers[index % len(self.workers)]
        victim.kill()
        self.workers[index % len(self.workers)] = self.new_worker()
        return victim.name

    def check(self) -> None:
        for process in [self.receiver, self.beat, *self.workers]:
            if process.popen.poll() is not None:
                raise RuntimeError(f"{process.name} stopped unexpectedly; see {process.log_path}")

    def command(self, outcome: Outcome, *args: str) -> str:
        """Run a command; one that fails is run again, as an operator would, and noted."""
        for _ in range(COMMAND_TRIES - 1):
            try:
                return run_command(self.env, self.logs, *args, timeout=COMMAND_SECONDS)
            except AssertionError as exc:
                last = [line for line in str(exc).splitlines() if line.strip()][-1]
                outcome.failed_commands.append(f"shopspot {' '.join(args)}: {last}")
        return run_command(self.env, self.logs, *args, timeout=COMMAND_SECONDS)

    def settle(self, timeout: float) -> None:
        try:
            # A worker that stopped by itself never finishes the work: say so at once.
            settle(self.redis, timeout, running=self.check)
        except AssertionError:
            raise AssertionError(
                f"Shopspot did not finish in {timeout:.0f} s: {busy(self.redis)}"
            ) from None

    def dead_letters(self) -> Counter[str]:
        return Counter(letter.reason for letter in DeadLetterStore(self.redis).list())

    def stop(self) -> None:
        for process in [self.beat, *self.workers, self.receiver]:
            process.stop()


def _live(chaos: Chaos, stand_ins: _StandIns, shopspot: _Shopspot, outcome: Outcome) -> None:
    """The store changes at `rate` while the disruptions happen, evenly spread over the run."""

    def kill(n: int) -> Callable[[], str]:
        return lambda: f"killed {shopspot.kill_worker(n)}"

    def restart() -> str:
        stand_ins.restart_redis()
        return "restarted Redis"

    disruptions: list[Callable[[], str]] = []
    for n in range(max(chaos.worker_kills, chaos.redis_restarts)):
        if n < chaos.worker_kills:
            disruptions.append(kill(n))
        if n < chaos.redis_restarts:
            disruptions.append(restart)
    marks = [chaos.events * (n + 1) // (len(disruptions) + 1) for n in range(len(disruptions))]
    done: list[str] = []
    stand_ins.shopify.post("/_simulator/config", json={"live_rate": chaos.rate})
    deadline = time.monotonic() + 3 * chaos.events / chaos.rate + 120
    try:
        while (changes := stand_ins.shopify_stats()["changes"]) < chaos.events:
            while disruptions and changes >= marks[len(done)]:
                done.append(f"{disruptions.pop(0)()} after {changes} changes")
            shopspot.check()
            if time.monotonic() > deadline:
                raise RuntimeError(f"only {changes} of {chaos.events} changes were made in time")
            time.sleep(0.2)
    finally:
        stand_ins.shopify.post("/_simulator/config", json={"live_rate": 0})
        outcome.figures["disruptions"] = "; ".join(done) or "none"


def _stop(process: subprocess.Popen[str]) -> None:
    process.terminate()
    process.wait(timeout=30)


def _sizes(store: dict[str, int]) -> str:
    return ", ".join(f"{n:,} {kind}" for kind, n in store.items())


def main(argv: list[str] | None = None) -> int:
    defaults = Chaos()
    parser = argparse.ArgumentParser(
        prog="python -m bench.chaos", description=__doc__.split("\n")[0]
    )
    add = parser.add_argument
    add("--events", type=int, default=defaults.events, help="store changes to make")
    add("--rate", type=float, default=defaults.rate, help="store changes per second")
    add("--worker-kills", type=int, default=defaults.worker_kills)
    add("--redis-restarts", type=int, default=defaults.redis_restarts)
    add("--seed", type=int, default=defaults.seed)
    add("--logs", type=Path, default=None, help="keep every process's log here")
    add("--record", action="store_true", help="write the figures into docs/BENCHMARKS.md")
    args = parser.parse_args(argv)
    chaos = Chaos(
        events=args.events,
        rate=args.rate,
        worker_kills=args.worker_kills,
        redis_restarts=args.redis_restarts,
        seed=args.seed,
    )
    logs = args.logs or Path(tempfile.mkdtemp(prefix="shopspot-chaos-"))
    logs.mkdir(parents=True, exist_ok=True)
    print(f"logs of every process: {logs}", flush=True)
    outcome = run(chaos, logs)
    print(outcome.render())
    if args.record:
        figures = {**asdict(chaos), **outcome.figures}
        figures.update({t.kind: t.summary() for t in outcome.tallies})
        figures["failed and run again"] = outcome.failed_commands
        figures["problems"] = outcome.problems
        figures["result"] = "PASS" if outcome.ok else "FAIL"
        command = f"make chaos  (or: python -m bench.chaos {' '.join(sys.argv[1:])})"
        record("chaos", __doc__ or "", figures, command)
    return 0 if outcome.ok else 1


if __name__ == "__main__":
    sys.exit(main())
