"""Idempotent set-up of what Shopspot writes into: property groups, properties, the pipeline.

Each helper finds what exists first and creates only what is missing, so running set-up
again changes nothing and says so; an object type's properties are read in one call and the
missing ones made in one batch, so set-up costs a handful of calls. A create whose reply is
lost (a 5xx, a dropped connection) is sent again: HubSpot refuses to make a second group or
property of one name, pipeline of one label, or stage of one label in a pipeline, so the
repeat cannot duplicate it, and the refusal it may earn means the first try made it: it is
counted as found (SPEC W8).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shopspot.errors import PermanentError
from shopspot.hubspot.client import HubSpotClient
from shopspot.hubspot.errors import Conflict, Rejected
from shopspot.mapping.datamodel import PipelineDefinition, PropertyDefinition, PropertyGroup
from shopspot.retry import Repeat

Found = Callable[[], dict[str, Any] | None]
# The category of HubSpot's refusal to make a second property of one name.
_ALREADY_EXISTS = "OBJECT_ALREADY_EXISTS"


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


def ensure_properties(
    client: HubSpotClient,
    object_type: str,
    definitions: tuple[PropertyDefinition, ...],
    group: PropertyGroup,
    report: SetupReport,
) -> dict[str, dict[str, Any]]:
    """Every property of `object_type` by name, once `definitions` are among them: one read,
    and when some are missing, one batch create into `group` (made first if need be)."""
    listed = {
        prop["name"]: prop
        for prop in client.request("GET", client.paths.properties(object_type))["results"]
    }
    missing = [definition for definition in definitions if definition.name not in listed]
    # A property listed in the group proves the group exists; an empty group lists nothing.
    grouped = any(prop["groupName"] == group.name for prop in listed.values())
    if missing and not grouped:
        made = _create_group(client, object_type, group)
        report.note(f"{object_type} property group {group.name}", created=made)
    elif grouped:
        report.note(f"{object_type} property group {group.name}", created=False)
    if missing:
        listed |= _create_properties(client, object_type, missing, group.name)
    unfit = [
        f"{definition.name} {problem}"
        for definition in definitions
        if (problem := _unfit(definition, listed[definition.name]))
    ]
    if unfit:
        raise PermanentError(
            f"HubSpot's {object_type} properties {'; '.join(unfit)}: Shopspot cannot write "
            "them; archive or rename them in HubSpot and run set-up again"
        )
    for definition in definitions:
        report.note(f"{object_type} property {definition.name}", created=definition in missing)
    return listed


def _unfit(definition: PropertyDefinition, found: dict[str, Any]) -> str | None:
    """Why a property of the name Shopspot needs, made by someone else, would refuse its
    writes: another type, or an upsert key whose values are not unique."""
    if found.get("type") != definition.type:
        return f"is of type {found.get('type')}, not {definition.type}"
    if definition.has_unique_value and not found.get("hasUniqueValue"):
        return "does not require unique values, which an upsert key needs"
    return None


def _create_group(client: HubSpotClient, object_type: str, group: PropertyGroup) -> bool:
    """Whether this call made `group`: HubSpot refuses a second group of one name, so a
    refusal means an earlier try, or another set-up, made it."""
    path = client.paths.property_groups(object_type)
    try:
        client.request("POST", path, json=group.as_hubspot(), repeat=Repeat.REFUSED_TWICE)
    except Conflict:
        return False
    return True


def _create_properties(
    client: HubSpotClient,
    object_type: str,
    definitions: list[PropertyDefinition],
    group_name: str,
) -> dict[str, dict[str, Any]]:
    """`definitions` as HubSpot now has them, by name. HubSpot creates each input of the batch
    on its own and refuses a name that exists, so a batch sent again makes only what an
    earlier try did not; the names it refuses as existing are read back (SPEC W8)."""
    inputs = [definition.as_hubspot(group_name) for definition in definitions]
    answer = client.request(
        "POST",
        client.paths.property_batch(object_type, "create"),
        json={"inputs": inputs},
        repeat=Repeat.REFUSED_TWICE,
    )
    made = {prop["name"]: prop for prop in answer["results"]}
    refused = _refused(answer)
    existing = [name for name, category in refused.items() if category == _ALREADY_EXISTS]
    if existing:
        read = client.request(
            "POST",
            client.paths.property_batch(object_type, "read"),
            json={"inputs": [{"name": name} for name in existing]},
            repeat=Repeat.SAFE,
        )
        made |= {prop["name"]: prop for prop in read["results"]}
    problems = {
        name: refused.get(name, "NOT_CREATED")
        for name in (definition.name for definition in definitions)
        if name not in made
    }
    if problems:
        detail = ", ".join(f"{name} {category}" for name, category in sorted(problems.items()))
        raise Rejected(207, "BATCH_ERRORS", f"{object_type} properties not made: {detail}")
    return made


def _refused(answer: dict[str, Any]) -> dict[str, str]:
    """Property name → category of each input a properties batch refused."""
    refused: dict[str, str] = {}
    for error in answer.get("errors") or []:
        for name in (error.get("context") or {}).get("name") or []:
            refused[str(name)] = str(error.get("category") or "UNKNOWN")
    return refused


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


@dataclass(frozen=True)
class Account:
    portal_id: int
    ui_domain: str  # where the portal's pages are: app.hubspot.com, app-eu1.hubspot.com, ...


def account(client: HubSpotClient) -> Account:
    details = client.request("GET", client.paths.account_details())
    return Account(int(details["portalId"]), str(details["uiDomain"]))


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


def _labelled(client: HubSpotClient, path: str, key: str, label: str) -> Found:
    """Finds the one labelled `label` among those `path` lists under `key`."""

    def find() -> dict[str, Any] | None:
        listed = client.request("GET", path)[key]
        return next((one for one in listed if one["label"] == label), None)

    return find
