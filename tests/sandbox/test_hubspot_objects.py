"""v3 object endpoints: shapes, reads, writes, value validation and object rules."""

from __future__ import annotations

import re

import httpx
import pytest

from .conftest import Crm

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def test_create_returns_201_with_hubspot_shape(crm: Crm) -> None:
    body = crm.create("contacts", email="Ann@Example.com", firstname="Ann")
    props = body["properties"]
    assert isinstance(body["id"], str) and body["id"].isdigit()
    assert props["email"] == "ann@example.com"
    assert props["hs_object_id"] == body["id"]
    assert ISO_MS.match(props["createdate"]) and ISO_MS.match(props["lastmodifieddate"])
    assert ISO_MS.match(body["createdAt"]) and body["updatedAt"] == props["lastmodifieddate"]
    assert body["archived"] is False


def test_values_come_back_as_strings_and_unset_ones_as_null(crm: Crm, hs: httpx.Client) -> None:
    deal = crm.deal(amount=42.5)
    read = hs.get(f"/crm/v3/objects/deals/{deal['id']}").json()
    assert read["properties"]["amount"] == "42.5"
    assert read["properties"]["closedate"] is None
    assert read["properties"]["hs_lastmodifieddate"] == read["updatedAt"]
    assert "lastmodifieddate" not in read["properties"]


@pytest.mark.parametrize("alias", ["contacts", "contact", "0-1"])
def test_object_type_aliases(hs: httpx.Client, crm: Crm, alias: str) -> None:
    contact = crm.create("contacts", firstname="Ann")
    assert hs.get(f"/crm/v3/objects/{alias}/{contact['id']}").status_code == 200


def test_unknown_object_type_is_refused(hs: httpx.Client) -> None:
    response = hs.get("/crm/v3/objects/widgets")
    assert response.status_code == 400
    assert response.json()["message"] == "Unable to infer object type from: widgets"


def test_read_with_properties_and_by_id_property(crm: Crm, hs: httpx.Client) -> None:
    crm.create("contacts", email="ann@example.com", city="Ghent", firstname="Ann")
    response = hs.get(
        "/crm/v3/objects/contacts/ANN@example.com",
        params={"idProperty": "email", "properties": "city,nosuchprop"},
    )
    assert response.status_code == 200
    props = response.json()["properties"]
    assert props["city"] == "Ghent"
    assert "firstname" not in props and "nosuchprop" not in props
    assert {"hs_object_id", "createdate", "lastmodifieddate"} <= set(props)


def test_id_property_must_be_unique(crm: Crm, hs: httpx.Client) -> None:
    deal = crm.deal("Unique?")
    response = hs.get(f"/crm/v3/objects/deals/{deal['id']}", params={"idProperty": "dealname"})
    assert response.status_code == 400
    assert "non-unique 0-3 property dealname" in response.json()["message"]


def test_update_and_clear_with_empty_string(crm: Crm, hs: httpx.Client) -> None:
    contact = crm.create("contacts", email="ann@example.com", city="Ghent")
    response = hs.patch(
        f"/crm/v3/objects/contacts/{contact['id']}", json={"properties": {"city": ""}}
    )
    assert response.status_code == 200
    assert response.json()["properties"]["city"] is None
    read = hs.get(f"/crm/v3/objects/contacts/{contact['id']}", params={"properties": "city"})
    assert read.json()["properties"]["city"] is None


def test_update_by_id_property(crm: Crm, hs: httpx.Client) -> None:
    crm.create("contacts", email="ann@example.com")
    response = hs.patch(
        "/crm/v3/objects/contacts/ann@example.com",
        params={"idProperty": "email"},
        json={"properties": {"lastname": "Lee"}},
    )
    assert response.status_code == 200
    assert response.json()["properties"]["lastname"] == "Lee"


def test_write_response_lists_only_written_and_system_properties(
    crm: Crm, hs: httpx.Client
) -> None:
    contact = crm.create("contacts", email="ann@example.com", firstname="Ann")
    response = hs.patch(
        f"/crm/v3/objects/contacts/{contact['id']}", json={"properties": {"city": "Ghent"}}
    )
    props = response.json()["properties"]
    assert set(props) == {"city", "hs_object_id", "createdate", "lastmodifieddate"}


def test_archive_then_404_and_repeat_delete_is_204(crm: Crm, hs: httpx.Client) -> None:
    contact = crm.create("contacts", firstname="Ann")
    path = f"/crm/v3/objects/contacts/{contact['id']}"
    assert hs.delete(path).status_code == 204
    assert hs.get(path).status_code == 404
    assert hs.patch(path, json={"properties": {"firstname": "B"}}).status_code == 404
    assert hs.delete(path).status_code == 204
    archived = hs.get(path, params={"archived": "true"})
    assert archived.status_code == 200 and archived.json()["archived"] is True
    assert ISO_MS.match(archived.json()["archivedAt"])


def test_unknown_id_is_404_everywhere(hs: httpx.Client) -> None:
    path = "/crm/v3/objects/deals/99999"
    assert hs.get(path).status_code == 404
    assert hs.patch(path, json={"properties": {"dealname": "x"}}).status_code == 404
    assert hs.delete(path).status_code == 404
    assert hs.get(path).json()["category"] == "OBJECT_NOT_FOUND"


def test_list_pages_with_opaque_cursor_and_skips_archived(crm: Crm, hs: httpx.Client) -> None:
    ids = [crm.create("products", name=f"P{i}")["id"] for i in range(5)]
    hs.delete(f"/crm/v3/objects/products/{ids[1]}")
    first = hs.get("/crm/v3/objects/products", params={"limit": 2}).json()
    assert [r["id"] for r in first["results"]] == [ids[0], ids[2]]
    cursor = first["paging"]["next"]["after"]
    assert cursor not in ids
    second = hs.get("/crm/v3/objects/products", params={"limit": 2, "after": cursor}).json()
    assert [r["id"] for r in second["results"]] == [ids[3], ids[4]]
    assert "paging" not in second


def test_list_limit_above_100_is_refused(hs: httpx.Client) -> None:
    assert hs.get("/crm/v3/objects/contacts", params={"limit": 101}).status_code == 400


def test_unknown_property_is_property_doesnt_exist(crm: Crm, hs: httpx.Client) -> None:
    response = hs.post(
        "/crm/v3/objects/contacts", json={"properties": {"email": "a@b.co", "colour": "red"}}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["category"] == "VALIDATION_ERROR"
    issue = crm.issues(response)[0]
    assert issue["error"] == "PROPERTY_DOESNT_EXIST" and issue["name"] == "colour"
    assert body["errors"][0]["code"] == "PROPERTY_DOESNT_EXIST"
    assert hs.get("/crm/v3/objects/contacts").json()["results"] == []


_BASE = {
    "deals": {"dealname": "x", "dealstage": "closedwon"},
    "contacts": {"lastname": "A"},
    "line_items": {"name": "x"},
}


@pytest.mark.parametrize(
    ("object_type", "name", "value", "error"),
    [
        ("deals", "amount", "12,50", "INVALID_INTEGER"),
        ("deals", "amount", "1.4e-14", "INVALID_INTEGER"),
        ("deals", "amount", " 5", "LEADING_TRAILING_WHITESPACE"),
        ("deals", "closedate", "2024-13-01T00:00:00Z", "INVALID_DATE"),
        ("deals", "closedate", "2024-03-01T10:00:00", "INVALID_DATE"),
        ("deals", "deal_currency_code", "XYZ", "INVALID_OPTION"),
        ("contacts", "email", "not-an-email", "INVALID_EMAIL"),
        ("contacts", "lifecyclestage", "Lead", "INVALID_OPTION"),
        ("contacts", "hs_object_id", "5", "READ_ONLY_VALUE"),
        ("contacts", "lastmodifieddate", "2024-01-01T00:00:00Z", "READ_ONLY_VALUE"),
        ("line_items", "amount", "3", "READ_ONLY_VALUE"),
        ("contacts", "firstname", None, "INVALID_PROPERTY_VALUE"),
    ],
)
def test_values_are_validated_by_type(
    crm: Crm, hs: httpx.Client, object_type: str, name: str, value: object, error: str
) -> None:
    properties = {**_BASE[object_type], name: value}
    response = hs.post(f"/crm/v3/objects/{object_type}", json={"properties": properties})
    assert response.status_code == 400, response.text
    assert {(i["name"], i["error"]) for i in crm.issues(response)} == {(name, error)}


def test_valid_values_are_stored_canonically(crm: Crm, hs: httpx.Client) -> None:
    deal = crm.deal(closedate=1_700_000_000_000, amount="10.50")
    assert deal["properties"]["closedate"] == "2023-11-14T22:13:20.000Z"
    assert deal["properties"]["amount"] == "10.50"
    offset = crm.deal("#2", closedate="2024-03-27T14:04:11-04:00")
    assert offset["properties"]["closedate"] == "2024-03-27T18:04:11.000Z"


def test_bool_and_date_properties(crm: Crm, hs: httpx.Client) -> None:
    for spec in (
        {"name": "vip", "type": "bool", "fieldType": "booleancheckbox",
         "options": [{"label": "Yes", "value": "true"}, {"label": "No", "value": "false"}]},
        {"name": "first_order", "type": "date", "fieldType": "date"},
    ):  # fmt: skip
        created = hs.post(
            "/crm/v3/properties/contacts",
            json={"label": spec["name"], "groupName": "contactinformation", **spec},
        )
        assert created.status_code == 201, created.text
    ok = crm.create("contacts", firstname="A", vip=True, first_order="2024-02-29")
    assert ok["properties"]["vip"] == "true" and ok["properties"]["first_order"] == "2024-02-29"
    at_midnight = crm.create("contacts", firstname="B", first_order=1_709_164_800_000)
    assert at_midnight["properties"]["first_order"] == "2024-02-29"
    bad = hs.post(
        "/crm/v3/objects/contacts",
        json={"properties": {"firstname": "C", "vip": "yes", "first_order": "1709164800001"}},
    )
    assert {(i["name"], i["error"]) for i in crm.issues(bad)} == {
        ("vip", "INVALID_OPTION"),
        ("first_order", "INVALID_DATE"),
    }


def test_contact_needs_email_or_name(hs: httpx.Client) -> None:
    response = hs.post("/crm/v3/objects/contacts", json={"properties": {"city": "Ghent"}})
    assert response.status_code == 400


def test_contact_email_is_unique_case_insensitively(crm: Crm, hs: httpx.Client) -> None:
    first = crm.create("contacts", email="ann@example.com")
    response = hs.post(
        "/crm/v3/objects/contacts", json={"properties": {"email": "ANN@example.COM"}}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["category"] == "CONFLICT"
    assert body["message"] == f"Contact already exists. Existing ID: {first['id']}"
    other = crm.create("contacts", email="bob@example.com")
    clash = hs.patch(
        f"/crm/v3/objects/contacts/{other['id']}", json={"properties": {"email": "Ann@example.com"}}
    )
    assert clash.status_code == 409


def test_archived_contact_releases_its_email(crm: Crm, hs: httpx.Client) -> None:
    first = crm.create("contacts", email="ann@example.com")
    hs.delete(f"/crm/v3/objects/contacts/{first['id']}")
    second = crm.create("contacts", email="ann@example.com")
    assert second["id"] != first["id"]


def test_unique_property_refuses_a_second_record(crm: Crm, hs: httpx.Client) -> None:
    crm.unique_property("products", "shopify_product_key", "productinformation")
    crm.create("products", name="A", shopify_product_key="shop-1")
    response = hs.post(
        "/crm/v3/objects/products",
        json={"properties": {"name": "B", "shopify_product_key": "shop-1"}},
    )
    assert response.status_code == 400
    assert "already has that value" in crm.issues(response)[0]["message"]
    assert len(hs.get("/crm/v3/objects/products").json()["results"]) == 1


def test_lifecycle_stage_only_moves_forward(crm: Crm, hs: httpx.Client) -> None:
    contact = crm.create("contacts", firstname="A", lifecyclestage="customer")
    path = f"/crm/v3/objects/contacts/{contact['id']}"
    back = hs.patch(path, json={"properties": {"lifecyclestage": "lead"}})
    assert back.status_code == 400
    assert hs.patch(path, json={"properties": {"lifecyclestage": ""}}).status_code == 200
    assert hs.patch(path, json={"properties": {"lifecyclestage": "lead"}}).status_code == 200


def test_deal_stage_must_belong_to_its_pipeline(crm: Crm, hs: httpx.Client) -> None:
    response = hs.post(
        "/crm/v3/objects/deals", json={"properties": {"dealname": "x", "dealstage": "registered"}}
    )
    assert response.status_code == 400
    issue = crm.issues(response)[0]
    assert issue["error"] == "INVALID_OPTION" and issue["name"] == "dealstage"
    assert issue["message"].startswith(
        "registered is not a valid pipeline stage ID. Valid options are: pipelineId=default : ["
    )
    missing_pipeline = hs.post(
        "/crm/v3/objects/deals",
        json={"properties": {"dealname": "x", "pipeline": "nope", "dealstage": "closedwon"}},
    )
    assert crm.issues(missing_pipeline)[0]["name"] == "pipeline"
    no_stage = hs.post("/crm/v3/objects/deals", json={"properties": {"dealname": "x"}})
    assert crm.issues(no_stage)[0]["name"] == "dealstage"


def test_deal_defaults_to_default_pipeline_and_derives_closed(crm: Crm) -> None:
    deal = crm.create("deals", dealname="x", dealstage="closedwon")
    props = deal["properties"]
    assert props["pipeline"] == "default"
    assert props["hs_is_closed"] == "true" and props["hs_is_closed_won"] == "true"


def test_moving_pipeline_requires_a_stage_of_the_new_pipeline(crm: Crm, hs: httpx.Client) -> None:
    stage_input = {"label": "Checkout Pending", "displayOrder": 0, "metadata": {"probability": 0.2}}
    pipeline = hs.post(
        "/crm/v3/pipelines/deals",
        json={"label": "Ecommerce Pipeline", "displayOrder": 1, "stages": [stage_input]},
    ).json()
    deal = crm.deal()
    path = f"/crm/v3/objects/deals/{deal['id']}"
    assert hs.patch(path, json={"properties": {"pipeline": pipeline["id"]}}).status_code == 400
    stage = pipeline["stages"][0]["id"]
    moved = hs.patch(path, json={"properties": {"pipeline": pipeline["id"], "dealstage": stage}})
    assert moved.status_code == 200
    assert moved.json()["properties"]["hs_deal_stage_probability"] == "0.2"


def test_line_item_amount_product_and_price_rules(crm: Crm, hs: httpx.Client) -> None:
    product = crm.create("products", name="Shirt", price="19.99")
    item = crm.create(
        "line_items", name="Shirt", quantity="3", price="19.99", hs_product_id=product["id"]
    )
    assert item["properties"]["amount"] == "59.97"
    assert "description" not in item["properties"]
    path = f"/crm/v3/objects/line_items/{item['id']}"
    updated = hs.patch(path, json={"properties": {"quantity": "1"}})
    assert updated.json()["properties"]["amount"] == "19.99"
    missing = hs.post(
        "/crm/v3/objects/line_items", json={"properties": {"name": "x", "hs_product_id": "123"}}
    )
    assert crm.issues(missing)[0]["name"] == "hs_product_id"
    negative = hs.post(
        "/crm/v3/objects/line_items", json={"properties": {"name": "x", "price": "-1"}}
    )
    assert crm.issues(negative)[0]["name"] == "price"


def test_line_item_does_not_copy_product_values(crm: Crm) -> None:
    product = crm.create("products", name="Shirt", price="19.99", hs_sku="SKU-1")
    item = crm.create("line_items", hs_product_id=product["id"], quantity="1")
    assert "name" not in item["properties"] and "price" not in item["properties"]


def test_invalid_json_body_is_400(hs: httpx.Client) -> None:
    response = hs.post(
        "/crm/v3/objects/contacts",
        content=b'{"properties": ',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 400
    assert response.json()["message"].startswith("Invalid input JSON")
