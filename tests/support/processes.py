"""Start Shopspot's real processes (receiver, worker) for integration tests."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TypeVar

import httpx

from shopspot.localredis import free_port

ROOT = Path(__file__).resolve().parents[2]
SHOPSPOT = [sys.executable, "-c", "from cli.main import main; main()"]

T = TypeVar("T")


def wait_for(probe: Callable[[], T | None], timeout: float = 20.0, message: str = "condition") -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout} s waiting for {message}")
        time.sleep(0.05)


class Process:
    """A child process in its own process group, with its output in a log file."""

    def __init__(self, name: str, argv: list[str], env: Mapping[str, str], logdir: Path) -> None:
        self.name = name
        self.log_path = logdir / f"{name}.log"
        self._log = self.log_path.open("ab")
        self.popen = subprocess.Popen(
            argv,
            env=dict(env),
            cwd=logdir,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")

    def kill(self) -> None:
        """SIGKILL the whole group: the main process and every pool child at once."""
        if self.popen.poll() is None:
            os.killpg(self.popen.pid, signal.SIGKILL)
            self.popen.wait(timeout=10)

    def stop(self) -> None:
        if self.popen.poll() is None:
            # Only the main process gets SIGTERM, as Docker and systemd (KillMode=mixed) do.
            self.popen.send_signal(signal.SIGTERM)
            try:
                self.popen.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def start_receiver(env: Mapping[str, str], logdir: Path) -> tuple[Process, str]:
    port = free_port()
    argv = [*SHOPSPOT, "web", "--host", "127.0.0.1", "--port", str(port), "--workers", "1"]
    process = Process(f"web-{port}", argv, env, logdir)
    url = f"http://127.0.0.1:{port}"

    def healthy() -> bool:
        try:
            return httpx.get(f"{url}/healthz", timeout=0.5).status_code == 200
        except httpx.HTTPError:
            return False

    return _started(process, healthy, "the receiver to answer /healthz"), url


def start_worker(
    env: Mapping[str, str], logdir: Path, name: str = "worker", concurrency: int = 1
) -> Process:
    argv = [
        *SHOPSPOT, "worker", "--concurrency", str(concurrency), "--",
        "--include", "tests.support.probe_tasks",
        "--hostname", f"{name}@%h",
        "--without-mingle", "--without-gossip",
    ]  # fmt: skip
    process = Process(name, argv, env, logdir)
    return _started(process, lambda: " ready." in process.log(), f"{name} to be ready")


def start_beat(env: Mapping[str, str], logdir: Path) -> Process:
    argv = [*SHOPSPOT, "beat", "--schedule", str(logdir / "celerybeat-schedule")]
    process = Process("beat", argv, env, logdir)
    return _started(process, lambda: "beat: Starting..." in process.log(), "beat to start")


def _started(process: Process, ready: Callable[[], bool], what: str) -> Process:
    def probe() -> bool:
        if process.popen.poll() is not None:
            raise AssertionError(f"{process.name} exited:\n{process.log()}")
        return ready()

    wait_for(probe, timeout=30, message=what)
    return process


def run_command(env: Mapping[str, str], logdir: Path, *args: str, timeout: float) -> str:
    """Run a `shopspot` command to its end; its output, also kept in `<logdir>/shopspot.log`,
    is returned. A failure raises with the output."""
    done = subprocess.run(
        [*SHOPSPOT, *args], env=dict(env), cwd=logdir, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    with (logdir / "shopspot.log").open("a") as log:
        log.write(f"$ shopspot {' '.join(args)}\n{done.stdout}{done.stderr}")
    if done.returncode != 0:
        raise AssertionError(f"shopspot {' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout
