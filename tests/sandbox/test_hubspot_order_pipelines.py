"""Order pipelines: stages with an OPEN or CLOSED state, at most 30 of them, and an order's
stage always one of its pipeline's."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from .conftest import Crm

PIPELINES = "/crm/v3/pipelines/orders"
ORDERS = "/crm/v3/objects/orders"


def _stage(label: str, state: Any, order: int = 0) -> dict[str, Any]:
    return {"label": label, "displayOrder": order, "metadata": {"state": state}}


def _ecommerce_orders(label: str = "Ecommerce Orders") -> dict[str, Any]:
    return {
        "label": label,
        "displayOrder": 0,
        "stages": [
            _stage("Checkout Completed", "OPEN", 0),
            _stage("Processed", "OPEN", 1),
            _stage("Shipped", "CLOSED", 2),
            _stage("Cancelled", "CLOSED", 3),
        ],
    }


@pytest.fixture
def pipeline(hs: httpx.Client) -> dict[str, Any]:
    response = hs.post(PIPELINES, json=_ecommerce_orders())
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def _stage_id(pipeline: dict[str, Any], label: str) -> str:
    return str(next(s["id"] for s in pipeline["stages"] if s["label"] == label))


def _issue(crm: Crm, response: httpx.Response) -> tuple[str, str]:
    assert response.status_code == 400, response.text
    (issue,) = crm.issues(response)
    return issue["name"], issue["error"]


def test_a_fresh_portal_has_no_order_pipeline(hs: httpx.Client) -> None:
    assert hs.get(PIPELINES).json() == {"results": []}
    assert hs.get("/crm/v3/pipelines/order").json() == {"results": []}


def test_create_and_read_an_order_pipeline(hs: httpx.Client, pipeline: dict[str, Any]) -> None:
    assert pipeline["id"].isdigit()
    stages = {s["label"]: s for s in pipeline["stages"]}
    assert list(stages) == ["Checkout Completed", "Processed", "Shipped", "Cancelled"]
    assert stages["Processed"]["metadata"] == {"state": "OPEN"}
    assert stages["Shipped"]["metadata"] == {"state": "CLOSED"}
    assert all(s["id"].isdigit() for s in stages.values())
    assert hs.get(f"{PIPELINES}/{pipeline['id']}").json() == pipeline
    assert hs.get(PIPELINES).json()["results"] == [pipeline]
    listed = hs.get(f"{PIPELINES}/{pipeline['id']}/stages").json()["results"]
    assert [s["label"] for s in listed] == list(stages)
    assert hs.post(PIPELINES, json=_ecommerce_orders()).status_code == 409


def test_order_and_deal_pipelines_are_apart(hs: httpx.Client, pipeline: dict[str, Any]) -> None:
    deal_pipelines = hs.get("/crm/v3/pipelines/deals").json()["results"]
    assert [p["id"] for p in deal_pipelines] == ["default"]
    assert hs.get(f"/crm/v3/pipelines/deals/{pipeline['id']}").status_code == 404
    assert hs.get(f"{PIPELINES}/default").status_code == 404
    same_label = hs.post("/crm/v3/pipelines/deals", json={
        "label": "Ecommerce Orders",
        "displayOrder": 1,
        "stages": [{"label": "Open", "displayOrder": 0, "metadata": {"probability": "0.5"}}],
    })  # fmt: skip
    assert same_label.status_code == 201


@pytest.mark.parametrize(
    "stage",
    [
        {"label": "No metadata", "displayOrder": 0},
        {"label": "Empty", "displayOrder": 0, "metadata": {}},
        {"label": "Deal-like", "displayOrder": 0, "metadata": {"probability": "0.5"}},
        {"label": "Ticket-like", "displayOrder": 0, "metadata": {"ticketState": "OPEN"}},
        _stage("Lower case", "open"),
        _stage("Unknown", "DONE"),
        _stage("Not text", True),
    ],
)
def test_order_stages_need_an_open_or_closed_state(hs: httpx.Client, stage: dict[str, Any]) -> None:
    response = hs.post(PIPELINES, json={"label": "P", "displayOrder": 0, "stages": [stage]})
    assert response.status_code == 400, response.text
    assert response.json()["category"] == "VALIDATION_ERROR"
    assert hs.get(PIPELINES).json()["results"] == []


def test_stage_crud_keeps_the_state_rule(hs: httpx.Client, pipeline: dict[str, Any]) -> None:
    stages = f"{PIPELINES}/{pipeline['id']}/stages"
    assert hs.post(stages, json=_stage("Refunded", None, 4)).status_code == 400
    created = hs.post(stages, json=_stage("Refunded", "CLOSED", 4))
    assert created.status_code == 201
    stage = f"{stages}/{created.json()['id']}"
    assert hs.patch(stage, json={"metadata": {"state": "MAYBE"}}).status_code == 400
    reopened = hs.patch(stage, json={"metadata": {"state": "OPEN"}})
    assert reopened.json()["metadata"] == {"state": "OPEN"}
    assert hs.put(stage, json={"label": "Refunded", "displayOrder": 4}).status_code == 400
    replaced = hs.put(stage, json=_stage("Returned", "CLOSED", 4))
    assert (replaced.json()["label"], replaced.json()["metadata"]) == (
        "Returned",
        {"state": "CLOSED"},
    )
    assert hs.get(stage).json()["label"] == "Returned"


def test_at_most_30_stages(hs: httpx.Client) -> None:
    thirty = [_stage(f"Stage {i}", "OPEN", i) for i in range(30)]
    too_many = hs.post(
        PIPELINES,
        json={"label": "Long", "displayOrder": 0, "stages": [*thirty, _stage("X", "OPEN", 30)]},
    )
    assert too_many.status_code == 400
    assert "at most 30 stages" in too_many.json()["message"]
    created = hs.post(PIPELINES, json={"label": "Long", "displayOrder": 0, "stages": thirty})
    assert created.status_code == 201
    more = hs.post(f"{PIPELINES}/{created.json()['id']}/stages", json=_stage("X", "OPEN", 30))
    assert more.status_code == 400
    replaced = hs.put(
        f"{PIPELINES}/{created.json()['id']}",
        json={"label": "Long", "displayOrder": 0, "stages": [*thirty, _stage("X", "OPEN", 30)]},
    )
    assert replaced.status_code == 400


def test_an_order_sits_in_a_stage_of_its_pipeline(
    crm: Crm, hs: httpx.Client, pipeline: dict[str, Any]
) -> None:
    processed = _stage_id(pipeline, "Processed")
    order = crm.create("orders", hs_pipeline=pipeline["id"], hs_pipeline_stage=processed)
    assert order["properties"]["hs_pipeline_stage"] == processed
    shipped = _stage_id(pipeline, "Shipped")
    moved = hs.patch(f"{ORDERS}/{order['id']}", json={"properties": {"hs_pipeline_stage": shipped}})
    assert moved.status_code == 200
    assert moved.json()["properties"]["hs_pipeline_stage"] == shipped


def test_orders_may_stay_outside_every_pipeline(crm: Crm, hs: httpx.Client) -> None:
    order = crm.create("orders", hs_order_name="#1001")
    read = hs.get(f"{ORDERS}/{order['id']}", params={"properties": "hs_pipeline"}).json()
    assert read["properties"]["hs_pipeline"] is None


@pytest.mark.parametrize(
    ("properties", "refused"),
    [
        ({"hs_pipeline_stage": "{stage}"}, "hs_pipeline"),
        ({"hs_pipeline": "{pipeline}"}, "hs_pipeline_stage"),
        ({"hs_pipeline": "123", "hs_pipeline_stage": "{stage}"}, "hs_pipeline"),
        ({"hs_pipeline": "default", "hs_pipeline_stage": "closedwon"}, "hs_pipeline"),
        ({"hs_pipeline": "{pipeline}", "hs_pipeline_stage": "closedwon"}, "hs_pipeline_stage"),
        ({"hs_pipeline": "{pipeline}", "hs_pipeline_stage": "{other}"}, "hs_pipeline_stage"),
    ],
)
def test_a_stage_outside_the_pipeline_is_refused(
    crm: Crm,
    hs: httpx.Client,
    pipeline: dict[str, Any],
    properties: dict[str, str],
    refused: str,
) -> None:
    other = hs.post(PIPELINES, json=_ecommerce_orders("Wholesale")).json()
    values = {
        "pipeline": pipeline["id"],
        "stage": _stage_id(pipeline, "Processed"),
        "other": _stage_id(other, "Processed"),
    }
    filled = {name: value.format(**values) for name, value in properties.items()}
    response = hs.post(ORDERS, json={"properties": filled})
    assert _issue(crm, response) == (refused, "INVALID_OPTION")
    assert hs.get(ORDERS).json()["results"] == []


def test_an_update_cannot_leave_the_pipeline(
    crm: Crm, hs: httpx.Client, pipeline: dict[str, Any]
) -> None:
    other = hs.post(PIPELINES, json=_ecommerce_orders("Wholesale")).json()
    processed = _stage_id(pipeline, "Processed")
    order = crm.create("orders", hs_pipeline=pipeline["id"], hs_pipeline_stage=processed)
    path = f"{ORDERS}/{order['id']}"
    assert _issue(crm, hs.patch(path, json={"properties": {"hs_pipeline": other["id"]}})) == (
        "hs_pipeline_stage",
        "INVALID_OPTION",
    )
    cleared = hs.patch(path, json={"properties": {"hs_pipeline_stage": ""}})
    assert _issue(crm, cleared) == ("hs_pipeline_stage", "INVALID_OPTION")
    both = {"hs_pipeline": other["id"], "hs_pipeline_stage": _stage_id(other, "Shipped")}
    assert hs.patch(path, json={"properties": both}).status_code == 200
    batch = hs.post(
        f"{ORDERS}/batch/update",
        json={"inputs": [{"id": order["id"], "properties": {"hs_pipeline_stage": processed}}]},
    )
    assert _issue(crm, batch) == ("hs_pipeline_stage", "INVALID_OPTION")


def test_a_stage_in_use_is_kept_when_references_are_validated(
    crm: Crm, hs: httpx.Client, pipeline: dict[str, Any]
) -> None:
    shipped = _stage_id(pipeline, "Shipped")
    crm.create("orders", hs_pipeline=pipeline["id"], hs_pipeline_stage=shipped)
    path = f"{PIPELINES}/{pipeline['id']}/stages/{shipped}"
    refused = hs.delete(path, params={"validateReferencesBeforeDelete": "true"})
    assert refused.status_code == 400
    assert refused.json()["subCategory"] == "PipelineError.STAGE_ID_IN_USE"
    cancelled = _stage_id(pipeline, "Cancelled")
    unused = f"{PIPELINES}/{pipeline['id']}/stages/{cancelled}"
    assert hs.delete(unused, params={"validateReferencesBeforeDelete": "true"}).status_code == 204


def test_carts_have_no_pipelines(hs: httpx.Client) -> None:
    assert hs.get("/crm/v3/pipelines/carts").status_code == 400
    assert hs.post("/crm/v3/pipelines/carts", json=_ecommerce_orders()).status_code == 400
