"""Idempotent set-up of what Shopspot writes into: property groups, properties, the pipeline.

Each helper finds what exists first and creates only what is missing, so running set-up
again changes nothing and says so. A create whose reply is lost (a 5xx, a dropped
connection) is sent again: HubSpot refuses to make a second group or property of one name,
pipeline of one label, or stage of one label in a pipeline, so the repeat cannot duplicate
it, and the refusal it may earn means the first try made it: it is looked up and counted as
found (SPEC W8).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shopspot.hubspot.client import HubSpotClient
from shopspot.hubspot.errors import NotFound, Rejected
from shopspot.mapping.datamodel import PipelineDefinition, PropertyDefinition, PropertyGroup
from shopspot.retry import Repeat

Found = Callable[[], dict[str, Any] | None]


@dataclass
class SetupReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    # What set-up cannot do through an API and the merchant must do by hand.
    manual: list[str] = field(default_factory=list)

    def note(self, what: str, created: bool) -> None:
        # A set-up run again after a hiccup finds what its first try made: it stays "created".
        if what not in self.created and what not in self.existing:
            (self.created if created else self.existing).append(what)

    def to_do(self, what: str) -> None:
        if what not in self.manual:
            self.manual.append(what)


@dataclass(frozen=True)
class Pipeline:
    id: str
    stage_ids: dict[str, str]  # stage label → HubSpot stage id


def ensure_group(
    client: HubSpotClient, object_type: str, group: PropertyGroup, report: SetupReport
) -> None:
    paths = client.paths
    groups = client.request("GET", paths.property_groups(object_type))["results"]
    exists = any(existing["name"] == group.name for existing in groups)
    if not exists:
        found = _found(client, paths.property_group(object_type, group.name))
        _create(client, paths.property_groups(object_type), group.as_hubspot(), found)
    report.note(f"{object_type} property group {group.name}", created=not exists)


def ensure_properties(
    client: HubSpotClient,
    object_type: str,
    definitions: tuple[PropertyDefinition, ...],
    group_name: str,
    report: SetupReport,
) -> None:
    paths = client.paths
    existing = property_names(client, object_type)
    for definition in definitions:
        missing = definition.name not in existing
        if missing:
            body = definition.as_hubspot(group_name)
            found = _found(client, paths.property_named(object_type, definition.name))
            _create(client, paths.properties(object_type), body, found)
        report.note(f"{object_type} property {definition.name}", created=missing)


def property_names(client: HubSpotClient, object_type: str) -> set[str]:
    answer = client.request("GET", client.paths.properties(object_type))
    return {prop["name"] for prop in answer["results"]}


def ensure_pipeline(
    client: HubSpotClient, definition: PipelineDefinition, report: SetupReport
) -> Pipeline:
    """The deal or order pipeline with `definition`'s label, created or completed as needed."""
    object_type, noun = definition.object_type, definition.noun
    pipelines = client.paths.pipelines(object_type)
    labelled = _labelled(client, pipelines, "results", definition.label)
    found = labelled()
    if found is None:
        found = _create(client, pipelines, definition.as_hubspot(), labelled)
        report.note(f"{noun} pipeline {definition.label}", created=True)
        return _pipeline(found)
    report.note(f"{noun} pipeline {definition.label}", created=False)
    path = client.paths.pipeline(object_type, found["id"])
    stages = client.paths.pipeline_stages(object_type, found["id"])
    labels = {stage["label"] for stage in found["stages"]}
    for order, stage in enumerate(definition.stages):
        label = stage.label.value
        if label in labels:
            report.note(f"{noun} stage {label}", created=False)
            continue
        body = {"label": label, "displayOrder": order, "metadata": stage.metadata()}
        stage_labelled = _labelled(client, path, "stages", label)
        found["stages"].append(_create(client, stages, body, stage_labelled))
        report.note(f"{noun} stage {label}", created=True)
    return _pipeline(found)


def portal_id(client: HubSpotClient) -> int:
    return int(client.request("GET", client.paths.account_details())["portalId"])


def _pipeline(answer: dict[str, Any]) -> Pipeline:
    return Pipeline(
        id=str(answer["id"]),
        stage_ids={stage["label"]: str(stage["id"]) for stage in answer["stages"]},
    )


def _create(client: HubSpotClient, path: str, body: dict[str, Any], found: Found) -> Any:
    """HubSpot's answer to the create, or what `found` finds when HubSpot refuses it: made by
    an earlier try whose reply was lost, or by another set-up run meanwhile."""
    try:
        return client.request("POST", path, json=body, repeat=Repeat.REFUSED_TWICE)
    except Rejected:
        existing = found()
        if existing is None:
            raise
        return existing


def _found(client: HubSpotClient, path: str) -> Found:
    """Reads the one thing at `path`, if it exists."""

    def read() -> dict[str, Any] | None:
        try:
            answer: dict[str, Any] = client.request("GET", path)
        except NotFound:
            return None
        return answer

    return read


def _labelled(client: HubSpotClient, path: str, key: str, label: str) -> Found:
    """Finds the one labelled `label` among those `path` lists under `key`."""

    def find() -> dict[str, Any] | None:
        listed = client.request("GET", path)[key]
        return next((one for one in listed if one["label"] == label), None)

    return find
