"""`shopspot sandbox shopify` (and `python -m sandbox.shopify`) serves a store and says where,
in one line."""

from __future__ import annotations

import subprocess
import sys

import httpx
import pytest

from tests.sandbox.shopify_fixtures import REPO_ROOT

READY = "shopify simulator listening on http://127.0.0.1:"
COMMANDS = {
    "shopspot sandbox shopify": [sys.executable, "-m", "cli", "sandbox", "shopify"],
    "python -m sandbox.shopify": [sys.executable, "-m", "sandbox.shopify"],
}


@pytest.mark.parametrize("form", COMMANDS)
def test_the_command_serves_and_announces_its_port(form: str) -> None:
    command = [*COMMANDS[form], "--port", "0", "--token", "T"]
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


@pytest.mark.parametrize("form", COMMANDS)
def test_invalid_settings_are_refused(form: str) -> None:
    result = subprocess.run(
        [*COMMANDS[form], "--orders", "-1"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode != 0 and "orders must not be negative" in result.stderr
