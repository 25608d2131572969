"""v3 batch endpoints: limits, all-or-nothing vs 207, upserts and their `new` flag."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import httpx

from .conftest import Crm

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _post(
    hs: httpx.Client, object_type: str, op: str, inputs: list[dict[str, Any]]
) -> httpx.Response:
    return hs.post(f"/crm/v3/objects/{object_type}/batch/{op}", json={"inputs": inputs})


def _count(hs: httpx.Client, object_type: str) -> int:
    return len(hs.get(f"/crm/v3/objects/{object_type}", params={"limit": 100}).json()["results"])


def test_batch_create_shape(hs: httpx.Client) -> None:
    response = _post(
        hs, "products", "create", [{"properties": {"name": f"P{i}"}} for i in range(3)]
    )
    assert response.status_code == 201
    body = response.json()
    assert body["status"] == "COMPLETE"
    assert ISO_MS.match(body["startedAt"]) and ISO_MS.match(body["completedAt"])
    assert sorted(r["properties"]["name"] for r in body["results"]) == ["P0", "P1", "P2"]
    assert "errors" not in body and "numErrors" not in body


def test_more_than_100_inputs_is_validation_error(hs: httpx.Client) -> None:
    inputs = [{"properties": {"name": f"P{i}"}} for i in range(101)]
    for op in ("create", "upsert", "update", "read", "archive"):
        response = _post(hs, "products", op, inputs)
        assert response.status_code == 400, op
        assert response.json()["category"] == "VALIDATION_ERROR"
    assert _count(hs, "products") == 0


def test_one_bad_input_fails_the_whole_batch_without_trace_ids(hs: httpx.Client) -> None:
    inputs = [{"properties": {"name": "ok"}}, {"properties": {"name": "bad", "colour": "red"}}]
    response = _post(hs, "products", "create", inputs)
    assert response.status_code == 400
    assert _count(hs, "products") == 0


def test_trace_ids_give_207_with_per_input_errors(hs: httpx.Client) -> None:
    inputs = [
        {"objectWriteTraceId": "a", "properties": {"name": "ok"}},
        {"objectWriteTraceId": "b", "properties": {"name": "bad", "colour": "red"}},
    ]
    response = _post(hs, "products", "create", inputs)
    assert response.status_code == 207
    body = response.json()
    assert body["numErrors"] == 1
    error = body["errors"][0]
    assert error["context"] == {"objectWriteTraceId": ["b"]}
    assert error["category"] == "VALIDATION_ERROR"
    assert "PROPERTY_DOESNT_EXIST" in error["message"]
    assert [r["objectWriteTraceId"] for r in body["results"]] == ["a"]
    assert _count(hs, "products") == 1


def test_without_per_input_errors_traced_inputs_fail_the_whole_batch(
    hs: httpx.Client, hs_configure: Callable[..., dict[str, Any]]
) -> None:
    hs_configure(per_input_errors=False)
    inputs = [
        {"objectWriteTraceId": "a", "properties": {"name": "ok"}},
        {"objectWriteTraceId": "b", "properties": {"name": "bad", "colour": "red"}},
    ]
    response = _post(hs, "products", "create", inputs)
    assert response.status_code == 400
    assert _count(hs, "products") == 0


def test_batch_create_duplicate_contact_is_409_and_writes_nothing(
    crm: Crm, hs: httpx.Client
) -> None:
    existing = crm.create("contacts", email="ann@example.com")
    inputs = [
        {"properties": {"email": "new@example.com"}},
        {"properties": {"email": "Ann@Example.com"}},
    ]
    response = _post(hs, "contacts", "create", inputs)
    assert response.status_code == 409
    assert response.json()["message"] == f"Contact already exists. Existing ID: {existing['id']}"
    assert _count(hs, "contacts") == 1


def test_batch_create_refuses_one_unique_value_twice(hs: httpx.Client) -> None:
    inputs = [
        {"properties": {"email": "ann@example.com"}},
        {"properties": {"email": "ANN@example.com"}},
    ]
    response = _post(hs, "contacts", "create", inputs)
    assert response.status_code == 400
    assert "within the batch inputs" in response.json()["message"]
    assert _count(hs, "contacts") == 0


def test_batch_read_reports_missing_ids_with_207(crm: Crm, hs: httpx.Client) -> None:
    kept = crm.create("contacts", email="ann@example.com", city="Ghent")
    gone = crm.create("contacts", email="bob@example.com")
    hs.delete(f"/crm/v3/objects/contacts/{gone['id']}")
    response = hs.post(
        "/crm/v3/objects/contacts/batch/read",
        json={"properties": ["city"], "inputs": [{"id": kept["id"]}, {"id": gone["id"]}]},
    )
    assert response.status_code == 207
    body = response.json()
    assert [r["properties"]["city"] for r in body["results"]] == ["Ghent"]
    assert body["errors"][0]["category"] == "OBJECT_NOT_FOUND"
    assert body["errors"][0]["context"] == {"ids": [gone["id"]]}


def test_batch_read_by_email(crm: Crm, hs: httpx.Client) -> None:
    crm.create("contacts", email="ann@example.com")
    response = hs.post(
        "/crm/v3/objects/contacts/batch/read",
        json={
            "idProperty": "email",
            "properties": ["email"],
            "inputs": [{"id": "ANN@example.com"}],
        },
    )
    assert response.status_code == 200
    assert response.json()["results"][0]["properties"]["email"] == "ann@example.com"


def test_batch_update_unknown_id_fails_whole_batch(crm: Crm, hs: httpx.Client) -> None:
    product = crm.create("products", name="A")
    inputs = [
        {"id": product["id"], "properties": {"name": "B"}},
        {"id": "123", "properties": {"name": "C"}},
    ]
    response = _post(hs, "products", "update", inputs)
    assert response.status_code == 400
    read = hs.get(f"/crm/v3/objects/products/{product['id']}").json()
    assert read["properties"]["name"] == "A"


def test_batch_update_refuses_duplicate_ids(crm: Crm, hs: httpx.Client) -> None:
    product = crm.create("products", name="A")
    inputs = [{"id": product["id"], "properties": {"name": n}} for n in ("B", "C")]
    response = _post(hs, "products", "update", inputs)
    assert response.status_code == 400
    assert "Duplicate IDs" in response.json()["message"]


def test_contacts_batch_update_must_use_record_ids(crm: Crm, hs: httpx.Client) -> None:
    crm.create("contacts", email="ann@example.com")
    inputs = [{"id": "ann@example.com", "idProperty": "email", "properties": {"city": "X"}}]
    assert _post(hs, "contacts", "update", inputs).status_code == 400


def test_upsert_contacts_by_email_sets_new_flag(crm: Crm, hs: httpx.Client) -> None:
    existing = crm.create("contacts", email="ann@example.com")
    inputs = [
        {"idProperty": "email", "id": "ANN@example.com", "properties": {"lastname": "Lee"}},
        {"idProperty": "email", "id": "bob@example.com", "properties": {"firstname": "Bob"}},
    ]
    response = _post(hs, "contacts", "upsert", inputs)
    assert response.status_code == 200
    by_new = {r["new"]: r for r in response.json()["results"]}
    assert by_new[False]["id"] == existing["id"]
    assert by_new[True]["properties"]["email"] == "bob@example.com"
    assert _count(hs, "contacts") == 2


def test_upsert_by_email_never_reports_partial_results(hs: httpx.Client) -> None:
    inputs = [
        {"idProperty": "email", "id": "ok@example.com", "objectWriteTraceId": "1",
         "properties": {"firstname": "Ok"}},
        {"idProperty": "email", "id": "bad@example.com", "objectWriteTraceId": "2",
         "properties": {"colour": "red"}},
    ]  # fmt: skip
    response = _post(hs, "contacts", "upsert", inputs)
    assert response.status_code == 400
    assert _count(hs, "contacts") == 0


def test_upsert_by_non_unique_property_is_refused(hs: httpx.Client) -> None:
    inputs = [{"idProperty": "dealname", "id": "#1", "properties": {"amount": "1"}}]
    response = _post(hs, "deals", "upsert", inputs)
    assert response.status_code == 400
    assert response.json()["message"] == (
        "Unable to perform update/upsert by non-unique 0-3 property dealname"
    )


def test_upsert_by_unique_property_is_idempotent(crm: Crm, hs: httpx.Client) -> None:
    crm.unique_property("products", "shopify_product_key", "productinformation")
    inputs = [
        {"idProperty": "shopify_product_key", "id": "shop-1", "properties": {"name": "A"}},
        {"idProperty": "shopify_product_key", "id": "shop-2", "properties": {"name": "B"}},
    ]
    first = _post(hs, "products", "upsert", inputs).json()["results"]
    second = _post(hs, "products", "upsert", inputs).json()["results"]
    assert {r["new"] for r in first} == {True} and {r["new"] for r in second} == {False}
    assert {r["id"] for r in first} == {r["id"] for r in second}
    assert _count(hs, "products") == 2


def test_upsert_refuses_duplicate_ids_in_one_batch(hs: httpx.Client) -> None:
    inputs = [
        {"idProperty": "email", "id": "ann@example.com", "properties": {"firstname": "A"}},
        {"idProperty": "email", "id": "Ann@Example.com", "properties": {"firstname": "B"}},
    ]
    assert _post(hs, "contacts", "upsert", inputs).status_code == 400
    assert _count(hs, "contacts") == 0


def test_batch_archive_is_204_and_ignores_unknown_ids(crm: Crm, hs: httpx.Client) -> None:
    product = crm.create("products", name="A")
    response = _post(hs, "products", "archive", [{"id": product["id"]}, {"id": "42"}])
    assert response.status_code == 204
    assert _count(hs, "products") == 0


def test_batch_results_are_not_promised_in_input_order(hs: httpx.Client) -> None:
    inputs = [{"properties": {"name": f"P{i:02d}"}} for i in range(40)]
    results = _post(hs, "products", "create", inputs).json()["results"]
    names = [r["properties"]["name"] for r in results]
    assert sorted(names) == [f"P{i:02d}" for i in range(40)]
    assert names != sorted(names)
