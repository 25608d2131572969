"""W8: a command rides out HubSpot being away for longer than one call's own retries, and a
set-up run again after a hiccup still says what it created."""

from __future__ import annotations

import threading

import pytest
from click.testing import CliRunner

from cli.main import main
from tests.support.env import SETTING_NAMES, service_env
from tests.support.hubspot import hubspot_sandbox

pytestmark = pytest.mark.integration


def test_setup_outlasts_a_hubspot_outage_and_creates_everything_once(redis_url: str) -> None:
    with hubspot_sandbox() as view:
        env = service_env(redis_url, HUBSPOT_BASE_URL=view.url)
        env = {name: value for name, value in env.items() if name in SETTING_NAMES}
        view.configure(fault_503_probability=1.0)
        back = threading.Timer(8.0, lambda: view.configure(fault_503_probability=0.0))
        back.start()
        first = CliRunner().invoke(main, ["setup"], env=env)
        back.join()
        second = CliRunner().invoke(main, ["setup"], env=env)
        pipelines = view.api.get("/crm/v3/pipelines/deals").json()["results"]

    assert first.exit_code == 0, first.output
    assert " 0 already there" in first.output  # every create counted once, as created
    assert second.exit_code == 0 and ": 0 created" in second.output
    assert [p["label"] for p in pipelines].count("Ecommerce Pipeline") == 1
