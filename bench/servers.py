"""Starting the stand-ins as processes of their own, so a benchmark measures them apart
from the process that drives them."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HUBSPOT_READY = "hubspot sandbox listening on http://127.0.0.1:"
SHOPIFY_READY = "shopify simulator listening on http://127.0.0.1:"


def serve(module: str, args: list[str], ready: str) -> tuple[subprocess.Popen[str], int]:
    """Run `python -m module args` and wait for its line `ready<port>`; returns the port."""
    process = subprocess.Popen(
        [sys.executable, "-m", module, *args], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    line = process.stdout.readline().strip() if process.stdout is not None else ""
    if not line.startswith(ready):
        process.kill()
        raise RuntimeError(f"{module} did not start: {line!r}")
    return process, int(line.removeprefix(ready))


def hubspot_sandbox(args: list[str]) -> tuple[subprocess.Popen[str], int]:
    return serve("sandbox.hubspot", ["--port", "0", *args], HUBSPOT_READY)


def shopify_simulator(args: list[str]) -> tuple[subprocess.Popen[str], int]:
    return serve("sandbox.shopify", ["--port", "0", *args], SHOPIFY_READY)
