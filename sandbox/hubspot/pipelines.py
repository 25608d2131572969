"""Pipelines and their stages for the object types that have them: deals, starting from
HubSpot's default sales pipeline, and orders, which a fresh portal has none of."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from .clock import iso_ms, now_ms
from .errors import already_exists, bad_request, not_found
from .objecttypes import DEALS, ORDERS, ObjectType

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

# Finds the records that sit in any of the given stage ids.
StageUsage = Callable[[set[str]], list[str]]


@dataclass(frozen=True)
class Stage:
    id: str
    label: str
    display_order: int
    # As HubSpot shows it: a deal stage's probability and isClosed, an order stage's state.
    metadata: Mapping[str, str]
    created_ms: int = field(default_factory=now_ms)
    updated_ms: int = field(default_factory=now_ms)

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "label": self.label,
            "displayOrder": self.display_order,
            "metadata": dict(self.metadata),
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
class PipelineKind:
    """What sets one object type's pipelines apart: the record properties naming a record's
    pipeline and stage, the stage limit, and what a stage's metadata must say."""

    otype: ObjectType
    pipeline_property: str
    stage_property: str
    max_stages: int
    # A stage input's `metadata` as stored and shown; raises an ApiError if it is not valid.
    read_metadata: Callable[[Any], dict[str, str]]
    # The pipeline a record created without one is put in; None: it is in no pipeline.
    default_pipeline_id: str | None
    initial: Callable[[], list[Pipeline]]

    @property
    def inputs(self) -> frozenset[str]:
        return frozenset({self.pipeline_property, self.stage_property})


@dataclass(frozen=True)
class _StageInput:
    label: str
    display_order: int
    metadata: dict[str, str]
    stage_id: str | None


class PipelineStore:
    """Every pipeline of the portal. Ids of created pipelines and stages are assigned here,
    never chosen by the caller (HubSpot's own behaviour is not documented; clients must use
    returned ids)."""

    def __init__(self) -> None:
        self._next_id = _FIRST_ID
        self._by_type = {
            kind.otype.name: ObjectPipelines(kind, self._new_id) for kind in KINDS.values()
        }

    def of(self, otype: ObjectType) -> ObjectPipelines:
        found = self._by_type.get(otype.name)
        if found is None:
            raise bad_request(f"Object type {otype.name} has no pipelines")
        return found

    def _new_id(self) -> str:
        self._next_id += 1
        return str(self._next_id)


class ObjectPipelines:
    """One object type's pipelines."""

    def __init__(self, kind: PipelineKind, new_id: Callable[[], str]) -> None:
        self.kind = kind
        self._new_id = new_id
        self._pipelines = {p.id: p for p in kind.initial()}

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
        inputs = _stage_inputs(self.kind, data)
        pipeline = Pipeline(self._new_id(), label, _display_order(data), {})
        for item in inputs:
            stage = Stage(self._new_id(), item.label, item.display_order, item.metadata)
            pipeline.stages[stage.id] = stage
        self._pipelines[pipeline.id] = pipeline
        return pipeline

    def replace(self, pipeline_id: str, body: Any) -> Pipeline:
        pipeline = self.get(pipeline_id)
        data = _object(body)
        label = _label(data)
        self._check_label_free(label, pipeline_id)
        inputs = _stage_inputs(self.kind, data)
        stages: dict[str, Stage] = {}
        for item in inputs:
            kept = pipeline.stages.get(item.stage_id or "")
            if kept is not None:
                stage = dataclasses.replace(
                    kept,
                    label=item.label,
                    display_order=item.display_order,
                    metadata=item.metadata,
                    updated_ms=now_ms(),
                )
            else:
                stage = Stage(self._new_id(), item.label, item.display_order, item.metadata)
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
        item = _stage_input(self.kind, body)
        if len(pipeline.stages) >= self.kind.max_stages:
            raise _too_many_stages(self.kind)
        _check_stage_labels([*(s.label for s in pipeline.stages.values()), item.label])
        stage = Stage(self._new_id(), item.label, item.display_order, item.metadata)
        pipeline.stages[stage.id] = stage
        pipeline.updated_ms = now_ms()
        return stage

    def replace_stage(self, pipeline_id: str, stage_id: str, body: Any) -> Stage:
        current = self.stage(pipeline_id, stage_id)
        item = _stage_input(self.kind, body)
        return self._store_stage(
            pipeline_id, current, item.label, item.display_order, item.metadata
        )

    def update_stage(self, pipeline_id: str, stage_id: str, body: Any) -> Stage:
        current = self.stage(pipeline_id, stage_id)
        data = _object(body)
        label = _label(data) if "label" in data else current.label
        order = _display_order(data) if "displayOrder" in data else current.display_order
        metadata = current.metadata
        if "metadata" in data:
            metadata = self.kind.read_metadata(data["metadata"])
        return self._store_stage(pipeline_id, current, label, order, metadata)

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
        self,
        pipeline_id: str,
        current: Stage,
        label: str,
        order: int,
        metadata: Mapping[str, str],
    ) -> Stage:
        pipeline = self.get(pipeline_id)
        others = [s.label for s in pipeline.stages.values() if s.id != current.id]
        _check_stage_labels([*others, label])
        stage = dataclasses.replace(
            current,
            label=label,
            display_order=order,
            metadata=metadata,
            updated_ms=now_ms(),
        )
        pipeline.stages[stage.id] = stage
        pipeline.updated_ms = now_ms()
        return stage

    def _check_label_free(self, label: str, own_id: str | None) -> None:
        for pipeline in self._pipelines.values():
            if pipeline.id != own_id and pipeline.label.casefold() == label.casefold():
                raise already_exists(f"A pipeline with label '{label}' already exists.")


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


def _stage_input(kind: PipelineKind, body: Any) -> _StageInput:
    data = _object(body)
    stage_id = data.get("stageId")
    return _StageInput(
        label=_label(data),
        display_order=_display_order(data),
        metadata=kind.read_metadata(data.get("metadata")),
        stage_id=stage_id if isinstance(stage_id, str) else None,
    )


def _stage_inputs(kind: PipelineKind, data: dict[str, Any]) -> list[_StageInput]:
    raw = data.get("stages")
    if not isinstance(raw, list) or not raw:
        raise bad_request("stages is required and must be a non-empty list")
    if len(raw) > kind.max_stages:
        raise _too_many_stages(kind)
    inputs = [_stage_input(kind, item) for item in raw]
    _check_stage_labels([i.label for i in inputs])
    return inputs


def _too_many_stages(kind: PipelineKind) -> Exception:
    noun = kind.otype.singular
    return bad_request(f"A {noun} pipeline can have at most {kind.max_stages} stages")


def _check_stage_labels(labels: list[str]) -> None:
    seen: set[str] = set()
    for label in labels:
        key = label.casefold()
        if key in seen:
            raise bad_request(f"Stage labels must be unique within a pipeline: {label!r}")
        seen.add(key)


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


def _deal_metadata(metadata: Any) -> dict[str, str]:
    """HubSpot derives isClosed from the probability: 1.0 is won, 0.0 lost."""
    probability = _probability(metadata)
    closed = probability in ("0.0", "1.0")
    return {"isClosed": "true" if closed else "false", "probability": probability}


def _order_metadata(metadata: Any) -> dict[str, str]:
    """Order stages say with `state` whether an order in them is in progress or complete."""
    state = metadata.get("state") if isinstance(metadata, dict) else None
    if state not in ("OPEN", "CLOSED"):
        raise bad_request("Order stages require metadata.state, OPEN or CLOSED")
    return {"state": state}


def _sales_pipeline() -> list[Pipeline]:
    stages = {
        sid: Stage(sid, label, order, _deal_metadata({"probability": probability}))
        for order, (sid, label, probability) in enumerate(_DEFAULT_STAGES)
    }
    return [Pipeline("default", "Sales Pipeline", 0, stages)]


KINDS: dict[str, PipelineKind] = {
    DEALS.name: PipelineKind(
        otype=DEALS,
        pipeline_property="pipeline",
        stage_property="dealstage",
        max_stages=100,
        read_metadata=_deal_metadata,
        default_pipeline_id="default",
        initial=_sales_pipeline,
    ),
    ORDERS.name: PipelineKind(
        otype=ORDERS,
        pipeline_property="hs_pipeline",
        stage_property="hs_pipeline_stage",
        max_stages=30,
        read_metadata=_order_metadata,
        default_pipeline_id=None,
        initial=list,
    ),
}


def pipeline_kind(otype: ObjectType) -> PipelineKind | None:
    return KINDS.get(otype.name)
