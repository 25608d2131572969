"""The CRM object types the sandbox serves, and every name HubSpot accepts for them."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import bad_request


@dataclass(frozen=True)
class ObjectType:
    name: str
    singular: str
    type_id: str
    label: str
    # Orders and carts name their create date `hs_createdate`; the older objects `createdate`.
    createdate_property: str
    lastmod_property: str
    default_properties: tuple[str, ...]
    text_search_properties: tuple[str, ...]
    # Key of this type inside a v3 record's `associations` map (multi-word types keep a space).
    associations_key: str

    @property
    def system_properties(self) -> tuple[str, str, str]:
        return ("hs_object_id", self.createdate_property, self.lastmod_property)


CONTACTS = ObjectType(
    name="contacts",
    singular="contact",
    type_id="0-1",
    label="CONTACT",
    createdate_property="createdate",
    lastmod_property="lastmodifieddate",
    default_properties=(
        "firstname",
        "lastname",
        "email",
        "lastmodifieddate",
        "hs_object_id",
        "createdate",
    ),
    text_search_properties=("firstname", "lastname", "email", "phone", "company"),
    associations_key="contacts",
)
DEALS = ObjectType(
    name="deals",
    singular="deal",
    type_id="0-3",
    label="DEAL",
    createdate_property="createdate",
    lastmod_property="hs_lastmodifieddate",
    default_properties=(
        "dealname",
        "amount",
        "closedate",
        "pipeline",
        "dealstage",
        "createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
    text_search_properties=("dealname",),
    associations_key="deals",
)
PRODUCTS = ObjectType(
    name="products",
    singular="product",
    type_id="0-7",
    label="PRODUCT",
    createdate_property="createdate",
    lastmod_property="hs_lastmodifieddate",
    default_properties=(
        "name",
        "description",
        "price",
        "createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
    text_search_properties=("name", "description", "hs_sku"),
    associations_key="products",
)
LINE_ITEMS = ObjectType(
    name="line_items",
    singular="line_item",
    type_id="0-8",
    label="LINE_ITEM",
    createdate_property="createdate",
    lastmod_property="hs_lastmodifieddate",
    default_properties=(
        "quantity",
        "amount",
        "price",
        "createdate",
        "hs_lastmodifieddate",
        "hs_object_id",
    ),
    text_search_properties=("name", "description", "hs_sku"),
    associations_key="line items",
)


def _commerce_type(name: str, type_id: str, text_search: tuple[str, ...]) -> ObjectType:
    """Orders and carts, the objects HubSpot's own Shopify app writes: newer, so every
    system property has the `hs_` prefix."""
    singular = name.removesuffix("s")
    return ObjectType(
        name=name,
        singular=singular,
        type_id=type_id,
        label=singular.upper(),
        createdate_property="hs_createdate",
        lastmod_property="hs_lastmodifieddate",
        default_properties=("hs_createdate", "hs_lastmodifieddate", "hs_object_id"),
        text_search_properties=text_search,
        associations_key=name,
    )


ORDERS = _commerce_type("orders", "0-123", ("hs_order_name", "hs_external_order_id"))
CARTS = _commerce_type("carts", "0-142", ("hs_cart_name", "hs_external_cart_id"))

ALL_TYPES: tuple[ObjectType, ...] = (CONTACTS, DEALS, PRODUCTS, LINE_ITEMS, ORDERS, CARTS)

_BY_ALIAS: dict[str, ObjectType] = {}
for _t in ALL_TYPES:
    for _alias in (_t.name, _t.singular, _t.type_id):
        _BY_ALIAS[_alias] = _t


def find_type(alias: str) -> ObjectType | None:
    return _BY_ALIAS.get(alias.lower())


def resolve_type(alias: str) -> ObjectType:
    found = find_type(alias)
    if found is None:
        raise bad_request(f"Unable to infer object type from: {alias}")
    return found
