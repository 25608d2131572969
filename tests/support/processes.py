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
        if process.popen.poll() is not None:
            raise AssertionError(f"receiver exited:\n{process.log()}")
        try:
            return httpx.get(f"{url}/healthz", timeout=0.5).status_code == 200
        except httpx.HTTPError:
            return False

    wait_for(healthy, timeout=20, message="the receiver to answer /healthz")
    return process, url


def start_worker(env: Mapping[str, str], logdir: Path, name: str = "worker") -> Process:
    argv = [
        *SHOPSPOT, "worker", "--concurrency", "1", "--",
        "--include", "tests.support.probe_tasks",
        "--hostname", f"{name}@%h",
        "--without-mingle", "--without-gossip",
    ]  # fmt: skip
    process = Process(name, argv, env, logdir)

    def ready() -> bool:
        if process.popen.poll() is not None:
            raise AssertionError(f"worker exited:\n{process.log()}")
        return " ready." in process.log()

    wait_for(ready, timeout=30, message=f"{name} to be ready")
    return process
