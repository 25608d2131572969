"""Properties, property groups and deal pipelines."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Crm

PROPS = "/crm/v3/properties"
PIPELINES = "/crm/v3/pipelines/deals"


def _property(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "shopify_tags",
        "label": "Shopify tags",
        "type": "string",
        "fieldType": "text",
        "groupName": "shopify",
        **overrides,
    }


def _group(hs: httpx.Client, object_type: str = "deals") -> None:
    response = hs.post(
        f"{PROPS}/{object_type}/groups", json={"name": "shopify", "label": "Shopify"}
    )
    assert response.status_code == 201, response.text


def _stage(label: str, probability: Any, order: int = 0) -> dict[str, Any]:
    return {"label": label, "displayOrder": order, "metadata": {"probability": probability}}


def _ecommerce() -> dict[str, Any]:
    return {
        "label": "Ecommerce Pipeline",
        "displayOrder": 1,
        "stages": [
            _stage("Checkout Abandoned", "0.1", 0),
            _stage("Checkout Pending", 0.2, 1),
            _stage("Processed", "1.0", 2),
            _stage("Cancelled", 0, 3),
        ],
    }


def test_groups_create_list_read_and_duplicates(hs: httpx.Client) -> None:
    _group(hs)
    assert hs.get(f"{PROPS}/deals/groups/shopify").json() == {
        "name": "shopify",
        "label": "Shopify",
        "displayOrder": -1,
        "archived": False,
    }
    names = {g["name"] for g in hs.get(f"{PROPS}/deals/groups").json()["results"]}
    assert {"dealinformation", "shopify"} <= names
    again = hs.post(f"{PROPS}/deals/groups", json={"name": "shopify", "label": "Shopify"})
    assert again.status_code == 409
    assert hs.get(f"{PROPS}/deals/groups/nope").status_code == 404


def test_property_lifecycle(hs: httpx.Client) -> None:
    _group(hs)
    created = hs.post(f"{PROPS}/deals", json=_property())
    assert created.status_code == 201
    body = created.json()
    assert body["hubspotDefined"] is False and body["hasUniqueValue"] is False
    assert body["modificationMetadata"]["archivable"] is True
    duplicate = hs.post(f"{PROPS}/deals", json=_property())
    assert duplicate.status_code == 409
    assert duplicate.json()["category"] == "OBJECT_ALREADY_EXISTS"
    patched = hs.patch(f"{PROPS}/deals/shopify_tags", json={"label": "Tags"})
    assert patched.json()["label"] == "Tags"
    assert hs.get(f"{PROPS}/deals/shopify_tags").json()["label"] == "Tags"
    assert hs.delete(f"{PROPS}/deals/shopify_tags").status_code == 204
    assert hs.get(f"{PROPS}/deals/shopify_tags").status_code == 404
    assert hs.get(f"{PROPS}/deals/shopify_tags", params={"archived": "true"}).status_code == 200
    write = hs.post(
        "/crm/v3/objects/deals",
        json={"properties": {"dealname": "x", "dealstage": "closedwon", "shopify_tags": "a"}},
    )
    assert write.status_code == 400


def test_standard_properties_are_listed_and_protected(hs: httpx.Client) -> None:
    listed = {p["name"]: p for p in hs.get(f"{PROPS}/line_items").json()["results"]}
    assert {"name", "quantity", "price", "amount", "hs_sku", "hs_product_id"} <= set(listed)
    assert listed["amount"]["calculated"] is True
    assert listed["amount"]["modificationMetadata"]["readOnlyValue"] is True
    assert hs.delete(f"{PROPS}/line_items/price").status_code == 400
    contacts = {p["name"] for p in hs.get(f"{PROPS}/contacts").json()["results"]}
    assert {"email", "firstname", "phone", "zip", "country", "lifecyclestage"} <= contacts


@pytest.mark.parametrize(
    "overrides",
    [
        {"groupName": "nope"},
        {"type": "number", "fieldType": "text"},
        {"type": "bool", "fieldType": "booleancheckbox"},
        {"type": "bool", "fieldType": "booleancheckbox", "options": [{"label": "Y", "value": "y"}]},
        {"type": "enumeration", "fieldType": "select"},
        {"type": "string", "fieldType": "text", "options": [{"label": "A", "value": "a"}]},
        {"type": "date", "fieldType": "date", "hasUniqueValue": True},
        {"name": "Bad Name"},
        {"name": "hs_mine"},
        {"label": ""},
    ],
)
def test_property_definitions_are_validated(hs: httpx.Client, overrides: dict[str, Any]) -> None:
    _group(hs)
    response = hs.post(f"{PROPS}/deals", json=_property(**overrides))
    assert response.status_code == 400, response.text


def test_has_unique_value_cannot_change(hs: httpx.Client) -> None:
    _group(hs)
    hs.post(f"{PROPS}/deals", json=_property(hasUniqueValue=True))
    response = hs.patch(f"{PROPS}/deals/shopify_tags", json={"hasUniqueValue": False})
    assert response.status_code == 400
    assert hs.get(f"{PROPS}/deals/shopify_tags").json()["hasUniqueValue"] is True


def test_enumeration_options_are_enforced(crm: Crm, hs: httpx.Client) -> None:
    _group(hs, "contacts")
    options = [{"label": "Import", "value": "initial_import"}, {"label": "Live", "value": "live"}]
    hs.post(
        f"{PROPS}/contacts",
        json=_property(
            name="shopify_sync_origin", type="enumeration", fieldType="select", options=options
        ),
    )
    assert crm.create("contacts", firstname="A", shopify_sync_origin="live")
    bad = hs.post(
        "/crm/v3/objects/contacts",
        json={"properties": {"firstname": "B", "shopify_sync_origin": "other"}},
    )
    issue = crm.issues(bad)[0]
    assert issue["error"] == "INVALID_OPTION"
    assert issue["message"] == "other was not one of the allowed options: [initial_import, live]"


def test_default_pipeline(hs: httpx.Client) -> None:
    pipelines = hs.get(PIPELINES).json()["results"]
    default = next(p for p in pipelines if p["id"] == "default")
    stages = {s["id"]: s["metadata"] for s in default["stages"]}
    assert list(stages) == [
        "appointmentscheduled",
        "qualifiedtobuy",
        "presentationscheduled",
        "decisionmakerboughtin",
        "contractsent",
        "closedwon",
        "closedlost",
    ]
    assert stages["closedwon"] == {"isClosed": "true", "probability": "1.0"}
    assert stages["contractsent"] == {"isClosed": "false", "probability": "0.9"}


def test_pipeline_create_assigns_numeric_ids_and_derives_closed(hs: httpx.Client) -> None:
    response = hs.post(PIPELINES, json={**_ecommerce(), "pipelineId": "mine"})
    assert response.status_code == 201
    pipeline = response.json()
    assert pipeline["id"].isdigit()
    stages = {s["label"]: s for s in pipeline["stages"]}
    assert all(s["id"].isdigit() for s in stages.values())
    assert stages["Checkout Pending"]["metadata"] == {"isClosed": "false", "probability": "0.2"}
    assert stages["Processed"]["metadata"]["isClosed"] == "true"
    assert stages["Cancelled"]["metadata"] == {"isClosed": "true", "probability": "0.0"}
    assert hs.get(f"{PIPELINES}/{pipeline['id']}").json()["label"] == "Ecommerce Pipeline"
    assert hs.post(PIPELINES, json=_ecommerce()).status_code == 409


@pytest.mark.parametrize(
    "stages",
    [
        [{"label": "No metadata", "displayOrder": 0}],
        [_stage("Too likely", "1.5")],
        [_stage("Negative", -0.1)],
        [_stage("Odd step", "0.25")],
        [_stage("Same", "0.1"), _stage("same", "0.2", 1)],
        [],
    ],
)
def test_pipeline_stage_rules(hs: httpx.Client, stages: list[dict[str, Any]]) -> None:
    response = hs.post(PIPELINES, json={"label": "P", "displayOrder": 2, "stages": stages})
    assert response.status_code == 400, response.text


def test_stage_crud(hs: httpx.Client) -> None:
    pipeline = hs.post(PIPELINES, json=_ecommerce()).json()
    stages_path = f"{PIPELINES}/{pipeline['id']}/stages"
    created = hs.post(stages_path, json=_stage("Shipped", "1.0", 4))
    assert created.status_code == 201
    stage_id = created.json()["id"]
    assert hs.post(stages_path, json=_stage("shipped", "1.0", 5)).status_code == 400
    patched = hs.patch(f"{stages_path}/{stage_id}", json={"metadata": {"probability": "0.5"}})
    assert patched.json()["metadata"] == {"isClosed": "false", "probability": "0.5"}
    listed = hs.get(stages_path).json()["results"]
    assert [s["label"] for s in listed][-1] == "Shipped"
    assert hs.delete(f"{stages_path}/{stage_id}").status_code == 204
    assert hs.get(f"{stages_path}/{stage_id}").status_code == 404


def test_stage_in_use_is_kept_when_references_are_validated(crm: Crm, hs: httpx.Client) -> None:
    pipeline = hs.post(PIPELINES, json=_ecommerce()).json()
    stage = pipeline["stages"][0]["id"]
    crm.create("deals", dealname="x", pipeline=pipeline["id"], dealstage=stage)
    path = f"{PIPELINES}/{pipeline['id']}/stages/{stage}"
    refused = hs.delete(path, params={"validateReferencesBeforeDelete": "true"})
    assert refused.status_code == 400
    assert refused.json()["subCategory"] == "PipelineError.STAGE_ID_IN_USE"
    assert hs.get(path).status_code == 200


def test_contacts_have_no_pipelines(hs: httpx.Client) -> None:
    assert hs.get("/crm/v3/pipelines/contacts").status_code == 400
