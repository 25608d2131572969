"""The HubSpot data model: SPEC property names verbatim, valid types, the pipeline, and every
property the mapping writes is one that exists."""

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shopspot.mapping.contacts import buyer_contact_properties, contact_properties
from shopspot.mapping.datamodel import (
    ECOMMERCE_PIPELINE,
    ORDER_PIPELINE,
    PROPERTIES,
    PROPERTY_GROUP,
    STANDARD_PROPERTIES,
    ObjectType,
    Stage,
)
from shopspot.mapping.deals import deal_properties
from shopspot.mapping.line_items import line_item_properties
from shopspot.mapping.products import product_properties
from shopspot.shopify import Checkout, Customer, Order, Product

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "payloads"
SHOP = "kiln-and-co.myshopify.com"


def fixture(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return data


SPEC_CUSTOM_PROPERTIES: dict[ObjectType, set[str]] = {
    "products": {
        "shopify_handle",
        "shopify_created_at",
        "shopify_product_type",
        "shopify_published_at",
        "shopify_published_scope",
        "shopify_tags",
        "shopify_vendor",
        "shopify_images",
        "shopify_product_id",
        "shopify_variant_id",
        "shopify_variant_title",
        "shopify_product_key",
        "shopify_shop_domain",
    },
    "contacts": {
        "shopify_accepts_marketing",
        "shopify_created_at",
        "shopify_note",
        "shopify_orders_count",
        "shopify_tags",
        "shopify_tax_exempt",
        "shopify_verified_email",
        "shopify_customer_id",
        "shopify_sync_origin",
        "shopify_first_order_date",
        "shopify_last_order_date",
        "shopify_total_spent",
        "shopify_shop_domain",
    },
    "deals": {
        "shopify_abandoned_checkout_url",
        "shopify_buyer_accepts_marketing",
        "shopify_customer_id",
        "shopify_cancel_reason",
        "shopify_cart_token",
        "shopify_cancelled_at",
        "shopify_created_at",
        "shopify_currency",
        "shopify_financial_status",
        "shopify_fulfillment_status",
        "shopify_landing_site",
        "shopify_name",
        "shopify_note",
        "shopify_order_number",
        "shopify_processing_method",
        "shopify_referring_site",
        "shopify_source_name",
        "shopify_subtotal_price",
        "shopify_taxes_included",
        "shopify_token",
        "shopify_abandoned_at",
        "shopify_total_discounts",
        "shopify_total_line_items_price",
        "shopify_total_price",
        "shopify_total_tax",
        "shopify_total_weight",
        "ecomm_synced",
        "shopify_deal_key",
        "shopify_shop_domain",
    },
    "line_items": {"shopify_line_item_key", "shopify_shop_domain"},
}
# SPEC T1: an order keeps the deal's fields that have no hs_ equivalent on orders.
SPEC_CUSTOM_PROPERTIES["orders"] = SPEC_CUSTOM_PROPERTIES["deals"] - {
    "shopify_deal_key",
    "ecomm_synced",
    "shopify_abandoned_checkout_url",  # a cart's hs_cart_url
    "shopify_abandoned_at",  # a cart's
    "shopify_currency",  # hs_currency_code
    "shopify_fulfillment_status",  # hs_fulfillment_status
    "shopify_name",  # hs_order_name
    "shopify_subtotal_price",  # hs_subtotal_price
    "shopify_total_discounts",  # hs_order_discount
    "shopify_total_tax",  # hs_tax
} | {"shopify_order_key", "shopify_processed_at"}  # the deal's closedate, for the reports (R1)
SPEC_CUSTOM_PROPERTIES["carts"] = {
    "shopify_cart_key",
    "shopify_abandoned_at",
    "shopify_shop_domain",
}

# Valid type/fieldType pairs (HubSpot properties guide).
VALID_PAIRS = {
    ("string", "text"),
    ("string", "textarea"),
    ("string", "html"),
    ("string", "file"),
    ("number", "number"),
    ("number", "calculation_equation"),
    ("date", "date"),
    ("datetime", "date"),
    ("enumeration", "select"),
    ("enumeration", "radio"),
    ("enumeration", "checkbox"),
    ("bool", "booleancheckbox"),
    ("phone_number", "phonenumber"),
}


def definitions() -> list[tuple[ObjectType, Any]]:
    return [(obj, prop) for obj, props in PROPERTIES.items() for prop in props]


def test_custom_properties_are_exactly_the_spec_names() -> None:
    assert {obj: {p.name for p in props} for obj, props in PROPERTIES.items()} == (
        SPEC_CUSTOM_PROPERTIES
    )


def test_no_property_is_defined_twice_per_object() -> None:
    for props in PROPERTIES.values():
        names = [p.name for p in props]
        assert len(names) == len(set(names))


def test_the_property_group_is_shopify() -> None:
    assert PROPERTY_GROUP.name == "shopify"
    assert PROPERTIES["deals"][0].as_hubspot(PROPERTY_GROUP.name)["groupName"] == "shopify"


@pytest.mark.parametrize(("obj", "prop"), definitions(), ids=lambda v: getattr(v, "name", v))
def test_type_and_field_type_are_a_valid_pair(obj: ObjectType, prop: Any) -> None:
    assert (prop.type, prop.field_type) in VALID_PAIRS


def test_bool_properties_have_true_and_false_options() -> None:
    bools = [prop for _, prop in definitions() if prop.type == "bool"]

    assert {p.name for p in bools} == {
        "shopify_accepts_marketing",
        "shopify_tax_exempt",
        "shopify_verified_email",
        "shopify_buyer_accepts_marketing",
        "shopify_taxes_included",
        "ecomm_synced",
    }
    for prop in bools:
        body = prop.as_hubspot("shopify")
        assert [o["value"] for o in body["options"]] == ["true", "false"]


def test_exactly_the_five_upsert_keys_are_unique() -> None:
    unique = {(obj, p.name) for obj, p in definitions() if p.has_unique_value}

    assert unique == {
        ("products", "shopify_product_key"),
        ("deals", "shopify_deal_key"),
        ("line_items", "shopify_line_item_key"),
        ("orders", "shopify_order_key"),
        ("carts", "shopify_cart_key"),
    }


def test_ids_are_strings_so_hubspot_cannot_round_them() -> None:
    for _, prop in definitions():
        if prop.name.endswith(("_id", "_key")):
            assert prop.type == "string", prop.name


def test_the_marker_is_labelled_ecomm_synced() -> None:
    marker = next(p for p in PROPERTIES["deals"] if p.name == "ecomm_synced")

    assert marker.label == "EComm Synced"
    assert marker.as_hubspot("shopify") == {
        "name": "ecomm_synced",
        "label": "EComm Synced",
        "type": "bool",
        "fieldType": "booleancheckbox",
        "groupName": "shopify",
        "hasUniqueValue": False,
        "options": [
            {"label": "Yes", "value": "true", "displayOrder": 0},
            {"label": "No", "value": "false", "displayOrder": 1},
        ],
    }


def test_sync_origin_offers_the_two_origins() -> None:
    origin = next(p for p in PROPERTIES["contacts"] if p.name == "shopify_sync_origin")

    assert [o.value for o in origin.options] == ["initial_import", "live"]


def test_the_pipeline_has_six_stages_in_order_with_their_probabilities() -> None:
    assert ECOMMERCE_PIPELINE.label == "Ecommerce Pipeline"
    assert [(s.label.value, s.probability, s.closed) for s in ECOMMERCE_PIPELINE.stages] == [
        ("Checkout Abandoned", Decimal("0.1"), False),
        ("Checkout Pending", Decimal("0.2"), False),
        ("Checkout Completed", Decimal("0.6"), False),
        ("Processed", Decimal("1.0"), True),
        ("Shipped", Decimal("1.0"), True),
        ("Cancelled", Decimal("0.0"), True),
    ]
    assert {s.label for s in ECOMMERCE_PIPELINE.stages} == set(Stage)


def test_the_order_pipeline_has_the_four_order_stages_open_then_closed() -> None:
    body: Any = ORDER_PIPELINE.as_hubspot()

    assert (ORDER_PIPELINE.object_type, ORDER_PIPELINE.noun) == ("orders", "order")
    assert body["label"] == "Ecommerce Orders"
    assert [(s["label"], s["displayOrder"], s["metadata"]) for s in body["stages"]] == [
        ("Checkout Completed", 0, {"state": "OPEN"}),
        ("Processed", 1, {"state": "OPEN"}),
        ("Shipped", 2, {"state": "CLOSED"}),
        ("Cancelled", 3, {"state": "CLOSED"}),
    ]


def test_the_pipeline_request_body() -> None:
    body: Any = ECOMMERCE_PIPELINE.as_hubspot()

    assert body["label"] == "Ecommerce Pipeline"
    assert body["stages"][0] == {
        "label": "Checkout Abandoned",
        "displayOrder": 0,
        "metadata": {"probability": "0.1"},
    }
    assert [s["metadata"]["probability"] for s in body["stages"]] == [
        "0.1",
        "0.2",
        "0.6",
        "1.0",
        "1.0",
        "0.0",
    ]


def test_every_property_the_mapping_writes_exists() -> None:
    stage_ids = {stage.value: f"id-{n}" for n, stage in enumerate(Stage)}
    order = Order.model_validate(fixture("2024-01/orders-paid.json"))
    checkout = Checkout.model_validate(fixture("2024-01/checkouts-create.json"))
    written: dict[ObjectType, set[str]] = {
        "products": set(),
        "contacts": set(),
        "deals": set(),
        "line_items": set(),
    }
    for name in ("2024-01/products-create.json", "2024-10/products-update.json"):
        for props in product_properties(SHOP, Product.model_validate(fixture(name))):
            written["products"] |= props.keys()
    customer = Customer.model_validate(fixture("2024-01/customers-create.json"))
    written["contacts"] |= contact_properties(SHOP, customer).keys()
    written["contacts"] |= buyer_contact_properties(SHOP, order).keys()
    for sale in (order, checkout):
        written["deals"] |= deal_properties(
            SHOP, sale, pipeline_id="p", stage_ids=stage_ids, current_stage=None
        ).keys()
        for props in line_item_properties(
            SHOP, sale, hs_product_ids={}, product_bodies={8802917364518273001: "<p>x</p>"}
        ):
            written["line_items"] |= props.keys()

    for obj, names in written.items():
        defined = {p.name for p in PROPERTIES[obj]} | STANDARD_PROPERTIES[obj]
        assert names <= defined, f"{obj}: {sorted(names - defined)} are not defined"
        assert names, obj
