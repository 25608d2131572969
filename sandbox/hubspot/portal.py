"""One HubSpot account's state: schema, pipelines, records and associations, under one lock."""

from __future__ import annotations

import random
import threading
from collections import Counter
from typing import Any, TypeVar

from .associations import AssociationStore
from .config import SandboxConfig
from .objecttypes import ALL_TYPES
from .pipelines import PipelineKind, PipelineStore
from .properties import PropertyRegistry
from .records import RecordStore
from .rules import ValidationRules
from .standard_properties import standard_groups, standard_properties

T = TypeVar("T")


class Portal:
    """Every read and write of CRM state happens while holding `lock`."""

    def __init__(self, config: SandboxConfig) -> None:
        self.lock = threading.RLock()
        self.config = config
        self.portal_id = config.portal_id
        self._rng = random.Random(config.seed)
        self.properties = self._fresh_properties()
        self.pipelines = PipelineStore()
        self.records = RecordStore()
        self.associations = AssociationStore()
        self.rules = ValidationRules()
        self.counters: Counter[str] = Counter()

    def reset(self, keep_schema: bool) -> None:
        """Forget all records and links; without `keep_schema` also custom properties,
        groups, pipelines and validation rules, as if the portal were new."""
        self.records = RecordStore()
        self.associations = AssociationStore()
        self.counters = Counter()
        if not keep_schema:
            self.properties = self._fresh_properties()
            self.pipelines = PipelineStore()
            self.rules = ValidationRules()

    def reseed(self, seed: int | None) -> None:
        self._rng = random.Random(seed)

    def in_batch_order(self, results: list[T]) -> list[T]:
        """Batch results in the order HubSpot promises: none."""
        if self.config.shuffle_batch_results and len(results) > 1:
            results = list(results)
            self._rng.shuffle(results)
        return results

    def records_in_stages(self, kind: PipelineKind, stage_ids: set[str]) -> list[str]:
        return [
            r.id
            for r in self.records.all(kind.otype)
            if not r.archived and r.properties.get(kind.stage_property) in stage_ids
        ]

    def object_counts(self) -> dict[str, Any]:
        counts: dict[str, Any] = {}
        for otype in ALL_TYPES:
            active, archived = self.records.count(otype)
            counts[otype.name] = {"active": active, "archived": archived}
        return counts

    def _fresh_properties(self) -> PropertyRegistry:
        return PropertyRegistry(standard_groups(), standard_properties(self.config.currencies))
