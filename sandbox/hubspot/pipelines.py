"""Deal pipelines and their stages, starting from HubSpot's default sales pipeline."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .clock import iso_ms, now_ms
from .errors import already_exists, bad_request, not_found

MAX_STAGES = 100
DEFAULT_PIPELINE_ID = "default"
_FIRST_ID = 11_348_542
_DEFAULT_STAGES = (
    ("appointmentscheduled", "Appointment Scheduled", "0.2"),
    ("qualifiedtobuy", "Qualified To Buy", "0.4"),
    ("presentationscheduled", "Presentation Scheduled", "0.6"),
    ("decisionmakerboughtin", "Decision Maker Bought-In", "0.8"),
    ("contractsent", "Contract Sent", "0.9"),
    ("closedwon", "Closed Won", "1.0"),
    ("closedlost", "Closed Lost", "0.0"),
)

# Finds the deals that sit in any of the given stage ids.
StageUsage = Callable[[set[str]], list[str]]


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    display_order: int
    probability: str
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)

    @property
    def is_closed(self) -> bool:
        return self.probability in ("0.0", "1.0")

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "displayOrder": self.display_order,
            "metadata": {
                "isClosed": "true" if self.is_closed else "false",
                "probability": self.probability,
            },
            "createdAt": iso_ms(self.created_ms),
            "updatedAt": iso_ms(self.updated_ms),
            "archived": False,
            "writePermissions": "CRM_PERMISSIONS_ENFORCEMENT",
        }


@dataclass
class Pipeline:
    id: str
    label: str
    display_order: int
    stages: dict[str, Stage]
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)

    def ordered_stages(self) -> list[Stage]:
        return sorted(self.stages.values(), key=lambda s: (s.display_order, s.label))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "displayOrder": self.display_order,
            "stages": [s.to_json() for s in self.ordered_stages()],
            "createdAt": iso_ms(self.created_ms),
            "updatedAt": iso_ms(self.updated_ms),
            "archived": False,
        }


@dataclass(frozen=True)
class _StageInput:
    label: str
    display_order: int
    probability: str
    stage_id: str | None


class PipelineStore:
    """Deal pipelines. Ids of created pipelines and stages are assigned here, never chosen by
    the caller (HubSpot's own behaviour is not documented; clients must use returned ids)."""

    def __init__(self) -> None:
        self._next_id = _FIRST_ID
        stages = {
            sid: Stage(sid, label, order, prob)
            for order, (sid, label, prob) in enumerate(_DEFAULT_STAGES)
        }
        self._pipelines: dict[str, Pipeline] = {
            DEFAULT_PIPELINE_ID: Pipeline(DEFAULT_PIPELINE_ID, "Sales Pipeline", 0, stages)
        }

    def find(self, pipeline_id: str) -> Pipeline | None:
        return self._pipelines.get(pipeline_id)

    def ids(self) -> list[str]:
        return [p.id for p in self.list()]

    def list(self) -> list[Pipeline]:
        return sorted(self._pipelines.values(), key=lambda p: (p.display_order, p.label))

    def get(self, pipeline_id: str) -> Pipeline:
        found = self._pipelines.get(pipeline_id)
        if found is None:
            raise not_found(f"Unable to find pipeline with id {pipeline_id}")
        return found

    def create(self, body: Any) -> Pipeline:
        data = _object(body)
        label = _label(data)
        self._check_label_free(label, None)
        inputs = _stage_inputs(data)
        pipeline = Pipeline(self._new_id(), label, _display_order(data), {})
        for item in inputs:
            stage = Stage(self._new_id(), item.label, item.display_order, item.probability)
            pipeline.stages[stage.id] = stage
        self._pipelines[pipeline.id] = pipeline
        return pipeline

    def replace(self, pipeline_id: str, body: Any) -> Pipeline:
        pipeline = self.get(pipeline_id)
        data = _object(body)
        label = _label(data)
        self._check_label_free(label, pipeline_id)
        inputs = _stage_inputs(data)
        stages: dict[str, Stage] = {}
        for item in inputs:
            kept = pipeline.stages.get(item.stage_id or "")
            if kept is not None:
                stage = dataclasses.replace(
                    kept,
                    label=item.label,
                    display_order=item.display_order,
                    probability=item.probability,
                    updated_ms=now_ms(),
                )
            else:
                stage = Stage(self._new_id(), item.label, item.display_order, item.probability)
            stages[stage.id] = stage
        pipeline.label = label
        pipeline.display_order = _display_order(data)
        pipeline.stages = stages
        pipeline.updated_ms = now_ms()
        return pipeline

    def update(self, pipeline_id: str, body: Any) -> Pipeline:
        pipeline = self.get(pipeline_id)
        data = _object(body)
        if "label" in data:
            label = _label(data)
            self._check_label_free(label, pipeline_id)
            pipeline.label = label
        if "displayOrder" in data:
            pipeline.display_order = _display_order(data)
        pipeline.updated_ms = now_ms()
        return pipeline

    def delete(self, pipeline_id: str, validate: bool, usage: StageUsage) -> None:
        pipeline = self.get(pipeline_id)
        if len(self._pipelines) == 1:
            raise bad_request("The only pipeline of an object type cannot be deleted")
        if validate:
            _refuse_if_used(set(pipeline.stages), usage)
        del self._pipelines[pipeline_id]

    def stage(self, pipeline_id: str, stage_id: str) -> Stage:
        found = self.get(pipeline_id).stages.get(stage_id)
        if found is None:
            raise not_found(f"Unable to find stage {stage_id} in pipeline {pipeline_id}")
        return found

    def create_stage(self, pipeline_id: str, body: Any) -> Stage:
        pipeline = self.get(pipeline_id)
        item = _stage_input(body)
        if len(pipeline.stages) >= MAX_STAGES:
            raise bad_request(f"A deal pipeline can have at most {MAX_STAGES} stages")
        _check_stage_labels([*(s.label for s in pipeline.stages.values()), item.label])
        stage = Stage(self._new_id(), item.label, item.display_order, item.probability)
        pipeline.stages[stage.id] = stage
        pipeline.updated_ms = now_ms()
        return stage

    def replace_stage(self, pipeline_id: str, stage_id: str, body: Any) -> Stage:
        current = self.stage(pipeline_id, stage_id)
        item = _stage_input(body)
        return self._store_stage(
            pipeline_id, current, item.label, item.display_order, item.probability
        )

    def update_stage(self, pipeline_id: str, stage_id: str, body: Any) -> Stage:
        current = self.stage(pipeline_id, stage_id)
        data = _object(body)
        label = _label(data) if "label" in data else current.label
        order = _display_order(data) if "displayOrder" in data else current.display_order
        probability = current.probability
        if "metadata" in data:
            probability = _probability(data["metadata"])
        return self._store_stage(pipeline_id, current, label, order, probability)

    def delete_stage(
        self, pipeline_id: str, stage_id: str, validate: bool, usage: StageUsage
    ) -> None:
        pipeline = self.get(pipeline_id)
        self.stage(pipeline_id, stage_id)
        if len(pipeline.stages) == 1:
            raise bad_request("A pipeline needs at least one stage")
        if validate:
            _refuse_if_used({stage_id}, usage)
        del pipeline.stages[stage_id]
        pipeline.updated_ms = now_ms()

    def _store_stage(
        self, pipeline_id: str, current: Stage, label: str, order: int, probability: str
    ) -> Stage:
        pipeline = self.get(pipeline_id)
        others = [s.label for s in pipeline.stages.values() if s.id != current.id]
        _check_stage_labels([*others, label])
        stage = dataclasses.replace(
            current,
            label=label,
            display_order=order,
            probability=probability,
            updated_ms=now_ms(),
        )
        pipeline.stages[stage.id] = stage
        pipeline.updated_ms = now_ms()
        return stage

    def _check_label_free(self, label: str, own_id: str | None) -> None:
        for pipeline in self._pipelines.values():
            if pipeline.id != own_id and pipeline.label.casefold() == label.casefold():
                raise already_exists(f"A pipeline with label '{label}' already exists.")

    def _new_id(self) -> str:
        self._next_id += 1
        return str(self._next_id)


def _refuse_if_used(stage_ids: set[str], usage: StageUsage) -> None:
    users = usage(stage_ids)
    if users:
        raise bad_request(
            f"Stage IDs: {sorted(stage_ids)} are being referenced by object IDs: {users}",
            context={"stageIds": [str(sorted(stage_ids))], "objectIds": [str(users)]},
            subCategory="PipelineError.STAGE_ID_IN_USE",
        )


def _object(body: Any) -> dict[str, Any]:
    if not isinstance(body, dict):
        raise bad_request("Request body must be a JSON object")
    return body


def _label(data: dict[str, Any]) -> str:
    label = data.get("label")
    if not isinstance(label, str) or not label.strip():
        raise bad_request("label is required and must be a non-empty string")
    return label


def _display_order(data: dict[str, Any]) -> int:
    order = data.get("displayOrder")
    if not isinstance(order, int) or isinstance(order, bool):
        raise bad_request("displayOrder is required and must be an integer")
    return order


def _probability(metadata: Any) -> str:
    """Deal stages need `probability` 0.0-1.0 in steps of 0.1; it is echoed as e.g. "0.2"."""
    if not isinstance(metadata, dict) or "probability" not in metadata:
        raise bad_request("Deal stages require metadata.probability, a number from 0.0 to 1.0")
    raw = metadata["probability"]
    if isinstance(raw, bool) or not isinstance(raw, str | int | float):
        raise bad_request("metadata.probability must be a number from 0.0 to 1.0")
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise bad_request(f"metadata.probability {raw!r} is not a number") from exc
    if not (value.is_finite() and 0 <= value <= 1):
        raise bad_request(f"metadata.probability {raw!r} must be between 0.0 and 1.0")
    if (value * 10) % 1 != 0:
        raise bad_request(f"metadata.probability {raw!r} must be a multiple of 0.1")
    return f"{value:.1f}"


def _stage_input(body: Any) -> _StageInput:
    data = _object(body)
    stage_id = data.get("stageId")
    return _StageInput(
        label=_label(data),
        display_order=_display_order(data),
        probability=_probability(data.get("metadata")),
        stage_id=stage_id if isinstance(stage_id, str) else None,
    )


def _stage_inputs(data: dict[str, Any]) -> list[_StageInput]:
    raw = data.get("stages")
    if not isinstance(raw, list) or not raw:
        raise bad_request("stages is required and must be a non-empty list")
    if len(raw) > MAX_STAGES:
        raise bad_request(f"A deal pipeline can have at most {MAX_STAGES} stages")
    inputs = [_stage_input(item) for item in raw]
    _check_stage_labels([i.label for i in inputs])
    return inputs


def _check_stage_labels(labels: list[str]) -> None:
    seen: set[str] = set()
    for label in labels:
        key = label.casefold()
        if key in seen:
            raise bad_request(f"Stage labels must be unique within a pipeline: {label!r}")
        seen.add(key)
