"""HubSpot's two families of paths, served by the same routes.

Every API is reachable at its numbered root (`/crm/v3/objects`, `/crm/v4/associations`, …)
and at its date-based one (`/crm/objects/2026-09`, `/crm/associations/2026-03`, …): one
handler answers both, so they share their rules, strictness and rate limits. Date versions
come each March and September from 2026-03 (the first generally available one); another
date is a path HubSpot does not serve.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from werkzeug.routing import BaseConverter, ValidationError

from .web import Route

FIRST_VERSION = "2026-03"
VERSION_PARAM = "<version:version>"


class VersionConverter(BaseConverter):
    """A date version in a path: `YYYY-03` or `YYYY-09`, from the first one on."""

    regex = r"\d{4}-(?:03|09)"

    def to_python(self, value: str) -> Any:
        if value < FIRST_VERSION:
            raise ValidationError()
        return value


@dataclass(frozen=True)
class Api:
    """One HubSpot API: its numbered root, and its date-based root with `<version>` in it."""

    legacy: str
    dated: str

    def routes(self, routes: Iterable[Route]) -> tuple[Route, ...]:
        """`routes` (their rules relative to the root) under both roots."""
        dated = self.dated.replace("<version>", VERSION_PARAM)
        return tuple(
            dataclasses.replace(route, rule=root + route.rule)
            for route in routes
            for root in (self.legacy, dated)
        )
