"""`python -m sandbox.shopify` serves a store and says where, in one line."""

from __future__ import annotations

import subprocess
import sys

import httpx

from tests.sandbox.shopify_fixtures import REPO_ROOT

READY = "shopify simulator listening on http://127.0.0.1:"


def test_the_module_serves_and_announces_its_port() -> None:
    command = [sys.executable, "-m", "sandbox.shopify", "--port", "0", "--token", "T"]
    sizes = ["--seed", "1", "--products", "5", "--customers", "20", "--orders", "30"]
    process = subprocess.Popen(
        [*command, *sizes, "--checkouts", "5", "--live-rate", "0"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline().strip()
        assert line.startswith(READY)
        url = f"http://127.0.0.1:{int(line.removeprefix(READY))}"
        response = httpx.post(
            f"{url}/admin/api/2025-01/graphql.json",
            json={"query": "{ ordersCount { count } }"},
            headers={"X-Shopify-Access-Token": "T"},
        )
        assert response.json()["data"]["ordersCount"]["count"] == 30
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_invalid_settings_are_refused() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "sandbox.shopify", "--orders", "-1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0 and "orders must not be negative" in result.stderr
