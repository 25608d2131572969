"""The HubSpot-defined properties and groups a fresh portal has for each object type.

Read-only ones (`readOnlyValue`) refuse writes the way HubSpot does; calculated ones are kept
current by the sandbox itself.
"""

from __future__ import annotations

from typing import Any

from .objecttypes import CARTS, CONTACTS, DEALS, LINE_ITEMS, ORDERS, PRODUCTS, ObjectType
from .properties import Option, PropertyDef, PropertyGroup

LIFECYCLE_STAGES = (
    "subscriber",
    "lead",
    "marketingqualifiedlead",
    "salesqualifiedlead",
    "opportunity",
    "customer",
    "evangelist",
    "other",
)
# Original Source: HubSpot's tracking sets it from a contact's first visit; a contact an app
# creates without one starts as OFFLINE.
ANALYTICS_SOURCES = (
    "ORGANIC_SEARCH",
    "PAID_SEARCH",
    "EMAIL_MARKETING",
    "SOCIAL_MEDIA",
    "REFERRALS",
    "OTHER_CAMPAIGNS",
    "DIRECT_TRAFFIC",
    "OFFLINE",
    "PAID_SOCIAL",
    "AI_REFERRALS",
)
_LEAD_STATUSES = (
    "NEW",
    "OPEN",
    "IN_PROGRESS",
    "OPEN_DEAL",
    "UNQUALIFIED",
    "ATTEMPTED_TO_CONTACT",
    "CONNECTED",
    "BAD_TIMING",
)


def _options(*values: str) -> tuple[Option, ...]:
    return tuple(Option(label=v, value=v, display_order=i) for i, v in enumerate(values))


_ADDRESS_PARTS = ("name", "street", "city", "state", "postal_code", "country", "phone")

_BOOL_OPTIONS = (
    Option(label="Yes", value="true", display_order=0),
    Option(label="No", value="false", display_order=1),
)


def _prop(name: str, label: str, kind: str, group: str, **extra: Any) -> PropertyDef:
    field_type = {
        "string": "text",
        "textarea": "textarea",
        "number": "number",
        "datetime": "date",
        "date": "date",
        "enumeration": "select",
        "bool": "booleancheckbox",
        "phone": "phonenumber",
    }[kind]
    type_ = {"textarea": "string", "phone": "string"}.get(kind, kind)
    if kind == "bool":
        extra.setdefault("options", _BOOL_OPTIONS)
    if extra.get("calculated"):
        extra["read_only_value"] = True
    return PropertyDef(
        name=name,
        label=label,
        type=type_,
        field_type=field_type,
        group_name=group,
        hubspot_defined=True,
        read_only_definition=True,
        **extra,
    )


def _system(otype: ObjectType, group: str) -> list[PropertyDef]:
    return [
        _prop("hs_object_id", "Record ID", "number", group, calculated=True),
        _prop(otype.createdate_property, "Create Date", "datetime", group),
        _prop(
            otype.lastmod_property, "Last Modified Date", "datetime", group, read_only_value=True
        ),
    ]


def _commerce(group: str, currency_options: tuple[Option, ...]) -> list[PropertyDef]:
    """What orders and carts both record: the store, the currency and the money."""
    return [
        _prop("hs_source_store", "Source Store", "string", group),
        _prop("hs_currency_code", "Currency Code", "enumeration", group, options=currency_options),
        _prop("hs_total_price", "Total Price", "number", group),
        _prop("hs_tax", "Tax", "number", group),
        _prop("hs_shipping_cost", "Shipping Cost", "number", group),
    ]


def _address(prefix: str, label: str, group: str) -> list[PropertyDef]:
    """An order's shipping or billing address, one text property per part."""
    return [
        _prop(f"{prefix}_{part}", f"{label} {part.replace('_', ' ')}", "string", group)
        for part in _ADDRESS_PARTS
    ]


def standard_groups() -> dict[str, list[PropertyGroup]]:
    return {
        CONTACTS.name: [
            PropertyGroup("contactinformation", "Contact information", 0),
            PropertyGroup("emailinformation", "Email information", 1),
            PropertyGroup("analyticsinformation", "Web analytics history", 2),
        ],
        DEALS.name: [PropertyGroup("dealinformation", "Deal information", 0)],
        PRODUCTS.name: [PropertyGroup("productinformation", "Product information", 0)],
        LINE_ITEMS.name: [PropertyGroup("lineiteminformation", "Line item information", 0)],
        ORDERS.name: [PropertyGroup("orderinformation", "Order information", 0)],
        CARTS.name: [PropertyGroup("cartinformation", "Cart information", 0)],
    }


def standard_properties(currencies: tuple[str, ...]) -> dict[str, list[PropertyDef]]:
    currency_options = _options(*currencies)
    owner = {"external_options": True}
    contact = "contactinformation"
    deal = "dealinformation"
    product = "productinformation"
    item = "lineiteminformation"
    order = "orderinformation"
    cart = "cartinformation"
    return {
        CONTACTS.name: [
            *_system(CONTACTS, contact),
            _prop("email", "Email", "string", contact),
            _prop("firstname", "First Name", "string", contact),
            _prop("lastname", "Last Name", "string", contact),
            _prop("phone", "Phone Number", "phone", contact),
            _prop("mobilephone", "Mobile Phone Number", "phone", contact),
            _prop("address", "Street Address", "string", contact),
            _prop("city", "City", "string", contact),
            _prop("state", "State/Region", "string", contact),
            _prop("zip", "Postal Code", "string", contact),
            _prop("country", "Country/Region", "string", contact),
            _prop("company", "Company Name", "string", contact),
            _prop("website", "Website URL", "string", contact),
            _prop("jobtitle", "Job Title", "string", contact),
            _prop(
                "lifecyclestage",
                "Lifecycle Stage",
                "enumeration",
                contact,
                options=_options(*LIFECYCLE_STAGES),
            ),
            _prop(
                "hs_analytics_source",
                "Original Source",
                "enumeration",
                "analyticsinformation",
                calculated=True,
                options=_options(*ANALYTICS_SOURCES),
            ),
            _prop(
                "hs_lead_status",
                "Lead Status",
                "enumeration",
                contact,
                options=_options(*_LEAD_STATUSES),
            ),
            _prop("hubspot_owner_id", "Contact owner", "enumeration", contact, **owner),
            _prop(
                "hs_marketable_status",
                "Marketing contact status",
                "bool",
                "emailinformation",
                read_only_value=True,
            ),
            _prop("hs_email_domain", "Email Domain", "string", "emailinformation", calculated=True),
        ],
        DEALS.name: [
            *_system(DEALS, deal),
            _prop("dealname", "Deal Name", "string", deal),
            _prop("amount", "Amount", "number", deal),
            _prop("closedate", "Close Date", "datetime", deal),
            _prop("pipeline", "Pipeline", "enumeration", deal, external_options=True),
            _prop("dealstage", "Deal Stage", "enumeration", deal, external_options=True),
            _prop("deal_currency_code", "Currency", "enumeration", deal, options=currency_options),
            _prop("description", "Deal Description", "textarea", deal),
            _prop("hubspot_owner_id", "Deal owner", "enumeration", deal, **owner),
            _prop(
                "dealtype",
                "Deal Type",
                "enumeration",
                deal,
                options=_options("newbusiness", "existingbusiness"),
            ),
            _prop(
                "hs_priority",
                "Priority",
                "enumeration",
                deal,
                options=_options("low", "medium", "high"),
            ),
            _prop("closed_lost_reason", "Closed Lost Reason", "textarea", deal),
            _prop("closed_won_reason", "Closed Won Reason", "textarea", deal),
            _prop("hs_is_closed", "Is Deal Closed?", "bool", deal, calculated=True),
            _prop("hs_is_closed_won", "Is Closed Won", "bool", deal, calculated=True),
            _prop(
                "hs_deal_stage_probability",
                "Deal Stage Probability",
                "number",
                deal,
                calculated=True,
            ),
        ],
        PRODUCTS.name: [
            *_system(PRODUCTS, product),
            _prop("name", "Name", "string", product),
            _prop("description", "Description", "textarea", product),
            _prop("price", "Unit price", "number", product),
            _prop("hs_sku", "SKU", "string", product),
            _prop("hs_cost_of_goods_sold", "Unit cost", "number", product),
            _prop("hs_url", "URL", "string", product),
            _prop("hs_images", "Image URL", "string", product),
            _prop(
                "hs_product_type",
                "Product Type",
                "enumeration",
                product,
                options=_options("inventory", "non_inventory", "service"),
            ),
            _prop("hs_recurring_billing_period", "Term", "string", product),
            _prop("tax", "Tax", "number", product),
        ],
        LINE_ITEMS.name: [
            *_system(LINE_ITEMS, item),
            _prop("name", "Name", "string", item),
            _prop("description", "Description", "textarea", item),
            _prop("quantity", "Quantity", "number", item),
            _prop("price", "Unit price", "number", item),
            _prop("amount", "Net price", "number", item, calculated=True),
            _prop("discount", "Unit discount", "number", item),
            _prop("hs_discount_percentage", "Discount Percentage", "number", item),
            _prop("tax", "Tax", "number", item),
            _prop("hs_sku", "SKU", "string", item),
            _prop("hs_product_id", "Product ID", "number", item),
            _prop(
                "hs_line_item_currency_code",
                "Currency",
                "enumeration",
                item,
                options=currency_options,
            ),
            _prop("hs_tax_rate_group_id", "Tax rate group", "string", item),
            _prop("hs_recurring_billing_period", "Term", "string", item),
            _prop("hs_cost_of_goods_sold", "Unit cost", "number", item),
            _prop("hs_url", "URL", "string", item),
            _prop("hs_images", "Image URL", "string", item),
            _prop("hs_position_on_quote", "Position on quote", "number", item),
        ],
        # The orders and carts guides' property tables; statuses are free text there (the
        # guides write "Packing", "pending", "fulfilled"), so no options are enforced.
        ORDERS.name: [
            *_system(ORDERS, order),
            *_commerce(order, currency_options),
            _prop("hs_order_name", "Name", "string", order),
            _prop("hs_fulfillment_status", "Fulfillment Status", "string", order),
            _prop("hs_shipping_status_url", "Shipping Status URL", "string", order),
            _prop("hs_shipping_tracking_number", "Shipping Tracking Number", "string", order),
            *_address("hs_shipping_address", "Shipping", order),
            *_address("hs_billing_address", "Billing", order),
            _prop("hs_pipeline", "Pipeline", "enumeration", order, external_options=True),
            _prop("hs_pipeline_stage", "Stage", "enumeration", order, external_options=True),
            _prop("hs_external_order_id", "Order ID", "string", order),
            _prop("hs_subtotal_price", "Subtotal", "number", order),
            _prop("hs_order_discount", "Order Discount", "number", order),
        ],
        CARTS.name: [
            *_system(CARTS, cart),
            *_commerce(cart, currency_options),
            _prop("hs_cart_name", "Name", "string", cart),
            _prop("hs_external_cart_id", "Cart ID", "string", cart),
            _prop("hs_external_status", "Status", "string", cart),
            _prop("hs_cart_url", "Cart Url", "string", cart),
            _prop("hs_cart_discount", "Cart Discount", "number", cart),
            _prop("hs_tags", "Tags", "string", cart),
        ],
    }
