"""Where each HubSpot endpoint Shopspot calls lives, for the API version it speaks (SPEC H1).

HubSpot versions its APIs by date: `/crm/objects/2026-09/...`, a new version each March and
September, each supported for 18 months. The numbered paths (`/crm/v3/...`, `/crm/v4/...`,
`/account-info/v3/...`) lose support in 2027; `v3` selects them until then. Every endpoint
Shopspot uses has a date-based form in HubSpot's API reference (the README lists them), so
one version string decides every path.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# The newest version HubSpot lists as generally available for every endpoint Shopspot uses.
DEFAULT_VERSION = "2026-09"
LEGACY = "v3"
# The first generally available date version; the earlier ones were betas.
FIRST_VERSION = "2026-03"
_DATE_VERSION = re.compile(r"\d{4}-(03|09)")

BatchAction = Literal["read", "create", "update", "upsert", "archive"]
PropertyBatchAction = Literal["read", "create"]


def check_version(version: str) -> str:
    """`version` if Shopspot can speak it, else ValueError saying what it takes."""
    if version == LEGACY or (
        _DATE_VERSION.fullmatch(version) is not None and version >= FIRST_VERSION
    ):
        return version
    raise ValueError(
        f"must be a date version YYYY-MM with month 03 or 09, from {FIRST_VERSION} on "
        f"(e.g. {DEFAULT_VERSION}), or {LEGACY} for HubSpot's numbered legacy paths"
    )


@dataclass(frozen=True)
class Paths:
    """The path of every endpoint Shopspot calls, in one API version."""

    version: str = DEFAULT_VERSION

    def __post_init__(self) -> None:
        check_version(self.version)

    def objects(self, object_type: str) -> str:
        """Records of a type: list (GET), and the root of the batch and search endpoints."""
        return f"{self._root('crm/objects', 'crm/v3/objects')}/{object_type}"

    def batch(self, object_type: str, action: BatchAction) -> str:
        return f"{self.objects(object_type)}/batch/{action}"

    def search(self, object_type: str) -> str:
        return f"{self.objects(object_type)}/search"

    def properties(self, object_type: str) -> str:
        """All properties of a type, with their options (GET)."""
        return f"{self._root('crm/properties', 'crm/v3/properties')}/{object_type}"

    def property_batch(self, object_type: str, action: PropertyBatchAction) -> str:
        """Many property definitions of a type at once."""
        return f"{self.properties(object_type)}/batch/{action}"

    def property_groups(self, object_type: str) -> str:
        return f"{self.properties(object_type)}/groups"

    def pipelines(self, object_type: str) -> str:
        return f"{self._root('crm/pipelines', 'crm/v3/pipelines')}/{object_type}"

    def pipeline(self, object_type: str, pipeline_id: str) -> str:
        return f"{self.pipelines(object_type)}/{pipeline_id}"

    def pipeline_stages(self, object_type: str, pipeline_id: str) -> str:
        return f"{self.pipeline(object_type, pipeline_id)}/stages"

    def association_batch_create(self, from_type: str, to_type: str) -> str:
        """Typed associations between pairs of records, many at a time."""
        root = self._root("crm/associations", "crm/v4/associations")
        return f"{root}/{from_type}/{to_type}/batch/create"

    def account_details(self) -> str:
        return f"{self._root('account-info', 'account-info/v3')}/details"

    def _root(self, dated: str, legacy: str) -> str:
        """`/crm/objects/2026-09`, or the numbered root the legacy version names instead."""
        return f"/{legacy}" if self.version == LEGACY else f"/{dated}/{self.version}"
