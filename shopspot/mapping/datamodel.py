"""The HubSpot data model Shopspot writes, as plain data: the ``shopify`` property group, the
custom property definitions per object type, the standard properties written, the deals'
"Ecommerce Pipeline" and the orders' "Ecommerce Orders" pipeline with their stages. Merchants
build reports and workflows on these names.

Type choices: Shopify ids are ``string`` properties (a HubSpot number is a double and would round
ids above 2**53); money, counts and weights are ``number``; timestamps are ``datetime``;
flags are ``bool`` with the options true/false HubSpot requires; Shopify's open-ended status
values stay ``string`` so an unknown value is never rejected as an invalid option.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

ObjectType = Literal["contacts", "deals", "products", "line_items", "orders", "carts"]
# HubSpot's commerce objects: set up and written only for the commerce targets (SPEC T1).
COMMERCE_TYPES: frozenset[ObjectType] = frozenset({"orders", "carts"})
PropertyType = Literal["string", "number", "datetime", "bool", "enumeration"]
FieldType = Literal["text", "textarea", "number", "date", "booleancheckbox", "select"]


@dataclass(frozen=True)
class PropertyGroup:
    name: str
    label: str

    def as_hubspot(self) -> dict[str, object]:
        """Body of a property group create (``Paths.property_groups``)."""
        return {"name": self.name, "label": self.label}


@dataclass(frozen=True)
class PropertyOption:
    label: str
    value: str


@dataclass(frozen=True)
class PropertyDefinition:
    name: str
    label: str
    type: PropertyType
    field_type: FieldType
    has_unique_value: bool = False
    options: tuple[PropertyOption, ...] = ()

    def as_hubspot(self, group_name: str) -> dict[str, object]:
        """Body of a property create (``Paths.properties``)."""
        body: dict[str, object] = {
            "name": self.name,
            "label": self.label,
            "type": self.type,
            "fieldType": self.field_type,
            "groupName": group_name,
            "hasUniqueValue": self.has_unique_value,
        }
        if self.options:
            body["options"] = [
                {"label": option.label, "value": option.value, "displayOrder": order}
                for order, option in enumerate(self.options)
            ]
        return body


PROPERTY_GROUP = PropertyGroup(name="shopify", label="Shopify")


def _text(name: str, label: str, *, unique: bool = False) -> PropertyDefinition:
    return PropertyDefinition(name, label, "string", "text", has_unique_value=unique)


def _textarea(name: str, label: str) -> PropertyDefinition:
    return PropertyDefinition(name, label, "string", "textarea")


def _number(name: str, label: str) -> PropertyDefinition:
    return PropertyDefinition(name, label, "number", "number")


def _datetime(name: str, label: str) -> PropertyDefinition:
    return PropertyDefinition(name, label, "datetime", "date")


def _checkbox(name: str, label: str) -> PropertyDefinition:
    options = (PropertyOption("Yes", "true"), PropertyOption("No", "false"))
    return PropertyDefinition(name, label, "bool", "booleancheckbox", options=options)


def _select(name: str, label: str, options: tuple[PropertyOption, ...]) -> PropertyDefinition:
    return PropertyDefinition(name, label, "enumeration", "select", options=options)


_SHOP_DOMAIN = _text("shopify_shop_domain", "Shopify shop domain")
_CREATED_AT = _datetime("shopify_created_at", "Shopify created at")
_TAGS = _textarea("shopify_tags", "Shopify tags")
_CUSTOMER_ID = _text("shopify_customer_id", "Shopify customer ID")
_NOTE = _textarea("shopify_note", "Shopify note")
_ABANDONED_AT = _datetime("shopify_abandoned_at", "Shopify abandoned at")
# The deal's fields that an order keeps too; the others have an hs_ equivalent on orders.
_SALE_FIELDS = (
    _checkbox("shopify_buyer_accepts_marketing", "Shopify buyer accepts marketing"),
    _CUSTOMER_ID,
    _text("shopify_cancel_reason", "Shopify cancel reason"),
    _text("shopify_cart_token", "Shopify cart token"),
    _datetime("shopify_cancelled_at", "Shopify cancelled at"),
    _CREATED_AT,
    _text("shopify_financial_status", "Shopify financial status"),
    _text("shopify_landing_site", "Shopify landing site"),
    _NOTE,
    _number("shopify_order_number", "Shopify order number"),
    _text("shopify_processing_method", "Shopify processing method"),
    _text("shopify_referring_site", "Shopify referring site"),
    _text("shopify_source_name", "Shopify source name"),
    _checkbox("shopify_taxes_included", "Shopify taxes included"),
    _text("shopify_token", "Shopify token"),
    _number("shopify_total_line_items_price", "Shopify total line items price"),
    _number("shopify_total_price", "Shopify total price"),
    _number("shopify_total_weight", "Shopify total weight"),
)

PROPERTIES: Mapping[ObjectType, tuple[PropertyDefinition, ...]] = MappingProxyType(
    {
        "products": (
            _text("shopify_product_key", "Shopify product key", unique=True),
            _text("shopify_product_id", "Shopify product ID"),
            _text("shopify_variant_id", "Shopify variant ID"),
            _text("shopify_variant_title", "Shopify variant title"),
            _text("shopify_handle", "Shopify handle"),
            _CREATED_AT,
            _text("shopify_product_type", "Shopify product type"),
            _datetime("shopify_published_at", "Shopify published at"),
            _text("shopify_published_scope", "Shopify published scope"),
            _TAGS,
            _text("shopify_vendor", "Shopify vendor"),
            _textarea("shopify_images", "Shopify images"),
            _SHOP_DOMAIN,
        ),
        "contacts": (
            _CUSTOMER_ID,
            _checkbox("shopify_accepts_marketing", "Shopify accepts marketing"),
            _CREATED_AT,
            _NOTE,
            _number("shopify_orders_count", "Shopify orders count"),
            _TAGS,
            _checkbox("shopify_tax_exempt", "Shopify tax exempt"),
            _checkbox("shopify_verified_email", "Shopify verified email"),
            _select(
                "shopify_sync_origin",
                "Shopify sync origin",
                (
                    PropertyOption("Initial import", "initial_import"),
                    PropertyOption("Live sync", "live"),
                ),
            ),
            _datetime("shopify_first_order_date", "Shopify first order date"),
            _datetime("shopify_last_order_date", "Shopify last order date"),
            _number("shopify_total_spent", "Shopify total spent"),
            _SHOP_DOMAIN,
        ),
        "deals": (
            _text("shopify_deal_key", "Shopify deal key", unique=True),
            _checkbox("ecomm_synced", "EComm Synced"),
            _text("shopify_abandoned_checkout_url", "Shopify abandoned checkout URL"),
            *_SALE_FIELDS,
            _text("shopify_currency", "Shopify currency"),
            _text("shopify_fulfillment_status", "Shopify fulfillment status"),
            _text("shopify_name", "Shopify name"),
            _number("shopify_subtotal_price", "Shopify subtotal price"),
            # When the sweep moved the deal to Checkout Abandoned (D8): report 8 of R1 counts by it.
            _ABANDONED_AT,
            _number("shopify_total_discounts", "Shopify total discounts"),
            _number("shopify_total_tax", "Shopify total tax"),
            _SHOP_DOMAIN,
        ),
        "line_items": (
            _text("shopify_line_item_key", "Shopify line item key", unique=True),
            _SHOP_DOMAIN,
        ),
        "orders": (
            _text("shopify_order_key", "Shopify order key", unique=True),
            *_SALE_FIELDS,
            # The deal's close date: HubSpot documents no order property for when it was
            # processed, and the reports count sales by it (R1).
            _datetime("shopify_processed_at", "Shopify processed at"),
            _SHOP_DOMAIN,
        ),
        "carts": (
            _text("shopify_cart_key", "Shopify cart key", unique=True),
            # When the sweep marked the cart abandoned, as on the deal (D8).
            _ABANDONED_AT,
            _SHOP_DOMAIN,
        ),
    }
)

# HubSpot-defined properties the mapping writes; ``hs_images`` is not in every portal.
STANDARD_PROPERTIES: Mapping[ObjectType, frozenset[str]] = MappingProxyType(
    {
        "products": frozenset({"name", "description", "price", "hs_sku", "hs_images"}),
        "contacts": frozenset(
            {
                "email",
                "firstname",
                "lastname",
                "phone",
                "address",
                "city",
                "state",
                "zip",
                "country",
            }
        ),
        "deals": frozenset(
            {"dealname", "amount", "closedate", "pipeline", "dealstage", "deal_currency_code"}
        ),
        "line_items": frozenset(
            {"name", "description", "quantity", "price", "hs_sku", "hs_product_id"}
        ),
        "orders": frozenset(
            {
                "hs_order_name",
                "hs_external_order_id",
                "hs_currency_code",
                "hs_total_price",
                "hs_subtotal_price",
                "hs_order_discount",
                "hs_tax",
                "hs_shipping_cost",
                "hs_fulfillment_status",
                "hs_source_store",
                "hs_pipeline",
                "hs_pipeline_stage",
            }
        ),
        "carts": frozenset(
            {
                "hs_cart_name",
                "hs_external_cart_id",
                "hs_cart_url",
                "hs_total_price",
                "hs_currency_code",
                "hs_cart_discount",
                "hs_tax",
                "hs_source_store",
                "hs_external_status",
            }
        ),
    }
)


class Stage(StrEnum):
    """The deal stages of the Ecommerce Pipeline, by label (HubSpot assigns the ids)."""

    CHECKOUT_ABANDONED = "Checkout Abandoned"
    CHECKOUT_PENDING = "Checkout Pending"
    CHECKOUT_COMPLETED = "Checkout Completed"
    PROCESSED = "Processed"
    SHIPPED = "Shipped"
    CANCELLED = "Cancelled"


@dataclass(frozen=True)
class StageDefinition:
    """A deal stage: HubSpot requires its probability."""

    label: Stage
    probability: Decimal

    @property
    def closed(self) -> bool:
        # HubSpot closes a deal stage at probability 1.0 (won) or 0.0 (lost).
        return self.probability in (Decimal(0), Decimal(1))

    def metadata(self) -> dict[str, str]:
        return {"probability": str(self.probability)}


@dataclass(frozen=True)
class OrderStageDefinition:
    """An order stage: HubSpot requires its state, OPEN or CLOSED, instead of a probability."""

    label: Stage
    closed: bool

    def metadata(self) -> dict[str, str]:
        return {"state": "CLOSED" if self.closed else "OPEN"}


@dataclass(frozen=True)
class PipelineDefinition:
    object_type: Literal["deals", "orders"]
    label: str
    display_order: int
    stages: tuple[StageDefinition | OrderStageDefinition, ...]

    @property
    def noun(self) -> str:
        """What set-up calls its records: "deal" or "order"."""
        return self.object_type.removesuffix("s")

    def as_hubspot(self) -> dict[str, object]:
        """Body of a pipeline create (``Paths.pipelines``)."""
        return {
            "label": self.label,
            "displayOrder": self.display_order,
            "stages": [
                {"label": stage.label.value, "displayOrder": order, "metadata": stage.metadata()}
                for order, stage in enumerate(self.stages)
            ],
        }


# display_order 1 places it after HubSpot's default Sales pipeline (0).
ECOMMERCE_PIPELINE = PipelineDefinition(
    object_type="deals",
    label="Ecommerce Pipeline",
    display_order=1,
    stages=(
        StageDefinition(Stage.CHECKOUT_ABANDONED, Decimal("0.1")),
        StageDefinition(Stage.CHECKOUT_PENDING, Decimal("0.2")),
        StageDefinition(Stage.CHECKOUT_COMPLETED, Decimal("0.6")),
        StageDefinition(Stage.PROCESSED, Decimal("1.0")),
        StageDefinition(Stage.SHIPPED, Decimal("1.0")),
        StageDefinition(Stage.CANCELLED, Decimal("0.0")),
    ),
)

# The order stages of the Ecommerce Pipeline; a checkout is a cart, not an order (SPEC T1).
ORDER_PIPELINE = PipelineDefinition(
    object_type="orders",
    label="Ecommerce Orders",
    display_order=0,
    stages=(
        OrderStageDefinition(Stage.CHECKOUT_COMPLETED, closed=False),
        OrderStageDefinition(Stage.PROCESSED, closed=False),
        OrderStageDefinition(Stage.SHIPPED, closed=True),
        OrderStageDefinition(Stage.CANCELLED, closed=True),
    ),
)
