"""Idempotent set-up of what Shopspot writes into: property groups, properties, the pipeline.

Each helper finds what exists first and creates only what is missing, so running set-up
again changes nothing and says so.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from typing import Any

from shopspot.hubspot.client import HubSpotClient
from shopspot.hubspot.errors import Conflict
from shopspot.mapping.datamodel import PipelineDefinition, PropertyDefinition, PropertyGroup


@dataclass
class SetupReport:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    # What set-up cannot do through an API and the merchant must do by hand.
    manual: list[str] = field(default_factory=list)

    def note(self, what: str, created: bool) -> None:
        (self.created if created else self.existing).append(what)

    def to_do(self, what: str) -> None:
        self.manual.append(what)


@dataclass(frozen=True)
class Pipeline:
    id: str
    stage_ids: dict[str, str]  # stage label → HubSpot stage id


def ensure_group(
    client: HubSpotClient, object_type: str, group: PropertyGroup, report: SetupReport
) -> None:
    groups = client.request("GET", f"/crm/v3/properties/{object_type}/groups")["results"]
    exists = any(existing["name"] == group.name for existing in groups)
    if not exists:
        _create(client, f"/crm/v3/properties/{object_type}/groups", group.as_hubspot())
    report.note(f"{object_type} property group {group.name}", created=not exists)


def ensure_properties(
    client: HubSpotClient,
    object_type: str,
    definitions: tuple[PropertyDefinition, ...],
    group_name: str,
    report: SetupReport,
) -> None:
    existing = {
        prop["name"]
        for prop in client.request("GET", f"/crm/v3/properties/{object_type}")["results"]
    }
    for definition in definitions:
        missing = definition.name not in existing
        if missing:
            _create(client, f"/crm/v3/properties/{object_type}", definition.as_hubspot(group_name))
        report.note(f"{object_type} property {definition.name}", created=missing)


def property_names(client: HubSpotClient, object_type: str) -> set[str]:
    answer = client.request("GET", f"/crm/v3/properties/{object_type}")
    return {prop["name"] for prop in answer["results"]}


def ensure_pipeline(
    client: HubSpotClient, definition: PipelineDefinition, report: SetupReport
) -> Pipeline:
    """The deal pipeline with `definition`'s label, created or completed as needed."""
    pipelines = client.request("GET", "/crm/v3/pipelines/deals")["results"]
    found = next((p for p in pipelines if p["label"] == definition.label), None)
    if found is None:
        try:
            # Labels are unique: a try repeated after a lost answer is refused with a 409.
            found = client.request(
                "POST", "/crm/v3/pipelines/deals", json=definition.as_hubspot(), idempotent=True
            )
        except Conflict:
            # Created by that lost answer's try, or by another set-up meanwhile.
            return ensure_pipeline(client, definition, report)
        report.note(f"deal pipeline {definition.label}", created=True)
        return _pipeline(found)
    report.note(f"deal pipeline {definition.label}", created=False)
    labels = {stage["label"] for stage in found["stages"]}
    for order, stage in enumerate(definition.stages):
        if stage.label.value in labels:
            report.note(f"deal stage {stage.label.value}", created=False)
            continue
        created = client.request(
            "POST",
            f"/crm/v3/pipelines/deals/{found['id']}/stages",
            json={
                "label": stage.label.value,
                "displayOrder": order,
                "metadata": {"probability": str(stage.probability)},
            },
        )
        found["stages"].append(created)
        report.note(f"deal stage {stage.label.value}", created=True)
    return _pipeline(found)


def portal_id(client: HubSpotClient) -> int:
    return int(client.request("GET", "/account-info/v3/details")["portalId"])


def _pipeline(answer: dict[str, Any]) -> Pipeline:
    return Pipeline(
        id=str(answer["id"]),
        stage_ids={stage["label"]: str(stage["id"]) for stage in answer["stages"]},
    )


def _create(client: HubSpotClient, path: str, body: dict[str, object]) -> None:
    # Names are unique, so a try repeated after HubSpot applied one whose answer was lost is
    # refused with a 409, as is one another set-up run beat us to: what we wanted exists.
    with contextlib.suppress(Conflict):
        client.request("POST", path, json=body, idempotent=True)
