"""The chaos harness of `make chaos`, small: a few hundred store changes with HubSpot's faults
on, webhooks duplicated, reordered and dropped, a worker SIGKILLed and Redis restarted; then
HubSpot holds every record the store says it should, once and as it should.

Commands ride out the faults (W8): the harness would run a failed one again, as an operator
would, and report it, and this test allows none.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.chaos import Chaos, run

pytestmark = pytest.mark.integration

SMALL = Chaos(
    events=300,
    rate=30.0,
    store={"products": 8, "customers": 30, "orders": 60, "checkouts": 6},
    worker_kills=1,
    redis_restarts=1,
    abandon_after_seconds=15,
    settle_seconds=120,
)


def test_hubspot_holds_exactly_the_store_after_faults_kills_and_a_restart(tmp_path: Path) -> None:
    outcome = run(SMALL, tmp_path)

    report = outcome.render()
    assert outcome.figures["disruptions"].count("killed") == 1, report
    assert outcome.figures["disruptions"].count("restarted Redis") == 1, report
    assert outcome.figures["HubSpot injected 429s"] > 0, report
    assert outcome.figures["webhooks duplicated"] > 0, report
    assert outcome.tallies and all(t.expected for t in outcome.tallies), report
    for tally in outcome.tallies:
        assert (tally.lost, tally.duplicated, tally.wrong, tally.unexpected) == ([], [], [], []), (
            report
        )
    assert outcome.problems == [], report
    assert outcome.failed_commands == [], report
