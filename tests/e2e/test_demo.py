"""`shopspot demo`: the whole job on local stand-ins, ended with Ctrl-C, leaving nothing behind."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import httpx
import psutil
import pytest

from tests.support.env import ROOT
from tests.support.processes import SHOPSPOT

pytestmark = pytest.mark.integration


def demo_processes() -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter():
        try:
            if process.environ().get("SHOPIFY_SHOP_DOMAIN") == "demo-shop.myshopify.com":
                found.append(process)
        except (psutil.AccessDenied, psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found


def test_the_demo_syncs_a_store_and_ends_cleanly_on_ctrl_c(tmp_path: object) -> None:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    demo = subprocess.Popen(
        [*SHOPSPOT, "demo"], cwd=ROOT, env=env, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )  # fmt: skip
    assert demo.stdout is not None
    lines: list[str] = []
    for line in demo.stdout:
        lines.append(line)
        if "HubSpot stats:" in line:
            break
    flower = next(line for line in lines[::-1] if "Flower:" in line).split()[1]
    time.sleep(8)
    assert httpx.get(flower, auth=("demo", "demo"), timeout=5).status_code == 200
    # Ctrl-C reaches the whole foreground process group, as a terminal sends it.
    os.killpg(demo.pid, signal.SIGINT)
    rest, _ = demo.communicate(timeout=180)
    output = "".join(lines) + rest

    assert demo.returncode == 0, output
    summary = output.split("== summary", 1)[1]
    rows = {
        line.split()[0]: line.split()[1:]
        for line in summary.splitlines()
        if line.split()[:1] in (["products"], ["deals"], ["contacts"])
    }
    assert rows["products"][0] == rows["products"][1], summary
    assert rows["deals"][0] == rows["deals"][1], summary
    assert "dead letters           0" in summary
    assert "tasks failed           0" in summary
    assert "(429s: 0)" in summary
    assert demo_processes() == []


def test_the_demo_shows_the_objects_of_its_sync_target() -> None:
    env = {key: value for key, value in os.environ.items() if key != "REDIS_URL"}
    done = subprocess.run(
        [*SHOPSPOT, "demo", "--target", "both", "--duration", "4"], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip

    assert done.returncode == 0, done.stdout + done.stderr
    summary = done.stdout.split("== summary", 1)[1]
    rows = {line.split()[0]: line.split()[1:] for line in summary.splitlines() if line.strip()}
    assert rows["deals"][0] == rows["deals"][1], summary
    assert rows["orders"][0] == rows["orders"][1], summary
    for stage in ("Processed", "Shipped", "Cancelled", "pending", "abandoned"):
        # The last row of each name: an order stage, or a cart status.
        assert rows[stage][0] == rows[stage][-1], summary
    assert int(rows["carts"][0]) > 0
    assert "dead letters           0" in summary
    assert demo_processes() == []
