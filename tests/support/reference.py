"""Shopify's own reference files: its 2026-04 sample webhook payloads and its published Admin
GraphQL schema, read from `../shared/reference/` beside the checkout when that folder is there.

Tests run on Shopspot's own payloads and on the simulator's schema always, and additionally on
these. A fresh clone has no such folder: the tests on a missing reference are then left out of
the run, and the first of them is reported as one skip that says why (see `leave_out_absent`),
so the skips stay few and each names its cause.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests.support.env import ROOT

READS = pytest.mark.shopify_reference
FOLDER = Path("..") / "shared" / "reference"


@dataclass(frozen=True)
class Reference:
    absent: str
    """The skip reason's sentence when the file or folder is missing."""
    relative: Path
    """Where it is, relative to the checkout."""

    @property
    def path(self) -> Path:
        return (ROOT / self.relative).resolve()

    def present(self) -> bool:
        return self.path.exists()

    @property
    def mark(self) -> pytest.MarkDecorator:
        """Marks a test, or one parametrization of it, as reading this reference."""
        return READS(self)

    def param(self, *values: object, id: str) -> pytest.ParameterSet:
        return pytest.param(*values, id=id, marks=self.mark)


SAMPLES = Reference(
    "Shopify's sample payloads are not beside the repository",
    FOLDER / "shopify-payloads",
)
ADMIN_SCHEMA = Reference(
    "Shopify's published Admin schema is not beside the repository",
    FOLDER / "shopify-admin-schema" / "admin_schema_2025-01.json.gz",
)


def file_name(topic: str) -> str:
    """Shopify names a sample after its topic (`orders/create` in `orders-create.json`);
    Shopspot's own payload fixtures are named the same way."""
    return f"{topic.replace('/', '-', 1)}.json"


def topic_of(path: Path) -> str:
    """``orders-paid.json`` -> ``orders/paid``; ``x__variant.json`` names a variant of x."""
    return path.stem.split("__")[0].replace("-", "/", 1)


def read_payload(path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def sample(topic: str) -> dict[str, Any]:
    """Shopify's sample payload of a topic."""
    return read_payload(SAMPLES.path / file_name(topic))


def sample_topics() -> list[str]:
    """The topics Shopify's samples are about; none when they are absent."""
    return sorted(topic_of(path) for path in SAMPLES.path.glob("*.json"))


def leave_out_absent(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leaves out the tests on each missing reference but the first, which skips and counts
    them: one skip per missing reference, however many tests and parametrizations read it."""
    missing: dict[Reference, list[pytest.Item]] = {}
    for item in items:
        for mark in item.iter_markers(READS.name):
            reference: Reference = mark.args[0]
            if not reference.present():
                missing.setdefault(reference, []).append(item)
                break
    left_out = []
    for reference, reading in missing.items():
        count = "1 test" if len(reading) == 1 else f"{len(reading)} tests"
        reason = f"{reference.absent} ({reference.relative}); {count} left out of the run"
        reading[0].add_marker(pytest.mark.skip(reason=reason))
        left_out += reading[1:]
    if left_out:
        dropped = set(left_out)
        items[:] = [item for item in items if item not in dropped]
        config.hook.pytest_deselected(items=left_out)
