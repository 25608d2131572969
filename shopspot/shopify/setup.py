"""The Shopify half of `shopspot setup` (S1, S4): webhook subscriptions and HubSpot's tracking
code, each created only where it is missing, so a second run changes nothing.

Reconciliation (W6) calls `ensure_webhook_subscriptions` again: Shopify deletes an Admin-API
subscription whose deliveries kept failing, and nothing else would bring it back.

The three mandatory privacy topics (customers/data_request, customers/redact, shop/redact)
cannot be subscribed through the Admin API: Shopify takes their address only from the app's
configuration (Partner Dashboard, or `compliance_topics` in `shopify.app.toml`), so set-up
lists them among what the merchant must do by hand.

Both writes ride out a reply lost to a 5xx or a dropped connection: Shopify refuses a second
subscription of a topic to one address, so a subscription is sent again and that refusal
counts as subscribed; the theme files are written whole, so writing them again is the same.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from shopspot.hubspot.schema import SetupReport
from shopspot.retry import Repeat
from shopspot.settings import Store
from shopspot.shopify.admin import AdminError, ShopifyAdmin

# Shopify's WebhookSubscriptionTopic for every topic in shopspot/topics.py, all present in the
# 2025-01 schema, except the privacy topics, which that enum does not have (see above).
WEBHOOK_TOPICS: tuple[str, ...] = (
    "CUSTOMERS_CREATE",
    "CUSTOMERS_UPDATE",
    "CUSTOMERS_DELETE",
    "CUSTOMERS_ENABLE",
    "CUSTOMERS_DISABLE",
    "CUSTOMER_TAGS_ADDED",
    "CUSTOMER_TAGS_REMOVED",
    "CUSTOMERS_EMAIL_MARKETING_CONSENT_UPDATE",
    "CUSTOMERS_PURCHASING_SUMMARY",
    "PRODUCTS_CREATE",
    "PRODUCTS_UPDATE",
    "PRODUCTS_DELETE",
    "ORDERS_CREATE",
    "ORDERS_UPDATED",
    "ORDERS_PAID",
    "ORDERS_CANCELLED",
    "ORDERS_FULFILLED",
    "ORDERS_PARTIALLY_FULFILLED",
    "ORDERS_DELETE",
    "CHECKOUTS_CREATE",
    "CHECKOUTS_UPDATE",
    "CHECKOUTS_DELETE",
    "APP_UNINSTALLED",
)
COMPLIANCE_TOPICS: tuple[str, ...] = ("customers/data_request", "customers/redact", "shop/redact")
# Shopify's userError for a second subscription of a topic to the same address.
_TAKEN = "has already been taken"
WEBHOOK_PATH = "/webhooks/shopify"
PAGE_SIZE = 100

TRACKING_SNIPPET = "snippets/hubspot-tracking.liquid"
THEME_LAYOUT = "layout/theme.liquid"
RENDER_TAG = "{% render 'hubspot-tracking' %}"
# A tag the merchant wrote by hand (include, other quotes, whitespace control) counts too, so
# that the snippet is never rendered twice.
_RENDERED = re.compile(r"""\{%-?\s*(?:render|include)\s+['"]hubspot-tracking['"]""")
_HEAD_END = re.compile(r"</head\s*>", re.IGNORECASE)

WEBHOOK_SUBSCRIPTIONS_QUERY = """
query ShopspotWebhookSubscriptions($first: Int!, $after: String) {
  webhookSubscriptions(first: $first, after: $after) {
    nodes {
      topic
      endpoint {
        __typename
        ... on WebhookHttpEndpoint { callbackUrl }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}
"""

WEBHOOK_SUBSCRIPTION_CREATE_MUTATION = """
mutation ShopspotWebhookSubscriptionCreate($topic: WebhookSubscriptionTopic!, $callbackUrl: URL!) {
  webhookSubscriptionCreate(
    topic: $topic
    webhookSubscription: {callbackUrl: $callbackUrl, format: JSON}
  ) {
    webhookSubscription { id }
    userErrors { field message }
  }
}
"""

MAIN_THEME_QUERY = """
query ShopspotMainTheme {
  themes(roles: [MAIN], first: 1) {
    nodes { id name }
  }
}
"""

THEME_FILES_QUERY = """
query ShopspotThemeFiles($id: ID!, $filenames: [String!]!) {
  theme(id: $id) {
    files(filenames: $filenames, first: 10) {
      nodes {
        filename
        body {
          ... on OnlineStoreThemeFileBodyText { content }
        }
      }
    }
  }
}
"""

THEME_FILES_UPSERT_MUTATION = """
mutation ShopspotThemeFilesUpsert($id: ID!, $files: [OnlineStoreThemeFilesUpsertFileInput!]!) {
  themeFilesUpsert(themeId: $id, files: $files) {
    upsertedThemeFiles { filename }
    userErrors { field filename code message }
  }
}
"""


def webhook_address(public_url: str) -> str:
    return public_url.rstrip("/") + WEBHOOK_PATH


def tracking_script(portal_id: int) -> str:
    """HubSpot's tracking code for the portal, as HubSpot hands it out."""
    return (
        '<script type="text/javascript" id="hs-script-loader" async defer '
        f'src="//js.hs-scripts.com/{portal_id}.js"></script>'
    )


def set_up_store(
    store: Store,
    public_url: str | None,
    portal_id: int,
    report: SetupReport,
    *,
    admin: ShopifyAdmin | None = None,
) -> None:
    """Webhooks to `<public_url>/webhooks/shopify` and the tracking code for one store.

    Without a public URL there is no address to subscribe, but the tracking code needs none.
    """
    if admin is None:
        with ShopifyAdmin(store) as own:
            set_up_store(store, public_url, portal_id, report, admin=own)
        return
    if public_url is None:
        report.to_do(
            f"{store.domain}: webhooks not registered because PUBLIC_URL is unset; "
            "set it to the receiver's public address and run setup again"
        )
        address = f"<PUBLIC_URL>{WEBHOOK_PATH}"
    else:
        address = webhook_address(public_url)
        ensure_webhook_subscriptions(admin, address, report)
    report.to_do(
        f"{store.domain}: the privacy webhooks {', '.join(COMPLIANCE_TOPICS)} cannot be "
        f"subscribed through the Admin API; set {address} for them in the app's configuration "
        "(Partner Dashboard, or compliance_topics in shopify.app.toml)"
    )
    install_tracking_code(admin, portal_id, report)


def ensure_webhook_subscriptions(
    admin: ShopifyAdmin, callback_url: str, report: SetupReport
) -> None:
    """Subscribes `callback_url` (JSON) to every topic in WEBHOOK_TOPICS it lacks.

    Subscriptions to other addresses belong to someone else and are left alone.
    """
    shop = admin.store.domain
    present = {topic for topic, url in _subscriptions(admin) if url == callback_url}
    for topic in WEBHOOK_TOPICS:
        missing = topic not in present
        if missing:
            _subscribe(admin, topic, callback_url)
        report.note(f"{shop} webhook {topic}", created=missing)


def install_tracking_code(admin: ShopifyAdmin, portal_id: int, report: SetupReport) -> None:
    """Puts HubSpot's tracking code on every storefront page through the published theme (S4).

    Script tags can no longer be created since 2026-10-01, so the script goes into a theme
    snippet rendered from the layout's <head>. A store where that cannot be done gets a note
    of what the merchant must do by hand instead of a failed set-up.
    """
    shop = admin.store.domain
    script = tracking_script(portal_id)
    try:
        themes = admin.graphql(MAIN_THEME_QUERY)["themes"] or {}
        theme = next(iter(themes.get("nodes") or []), None)
        if theme is None:
            report.to_do(_by_hand(shop, "the store has no published theme", script))
            return
        _install(admin, theme, script, report)
    except AdminError as exc:
        # A missing read_themes/write_themes scope; other refusals are real failures.
        if "ACCESS_DENIED" not in str(exc):
            raise
        report.to_do(_by_hand(shop, "the app lacks the read_themes/write_themes scopes", script))


def _install(admin: ShopifyAdmin, theme: dict[str, Any], script: str, report: SetupReport) -> None:
    shop = admin.store.domain
    files = _text_files(admin, str(theme["id"]), [TRACKING_SNIPPET, THEME_LAYOUT])
    layout = files.get(THEME_LAYOUT)
    new_layout = _with_render_tag(layout) if layout is not None else None
    if new_layout is None:
        why = f"theme {theme['name']} has no {THEME_LAYOUT} with a </head> to add it to"
        report.to_do(_by_hand(shop, why, script))
        return
    writes: dict[str, str] = {}
    snippet = f"{script}\n"
    if files.get(TRACKING_SNIPPET) != snippet:
        writes[TRACKING_SNIPPET] = snippet
    if new_layout != layout:
        writes[THEME_LAYOUT] = new_layout
    if writes:
        # The snippet and the tag that renders it are written in one call, so a storefront
        # never renders a snippet that is not there yet.
        files_input = [
            {"filename": name, "body": {"type": "TEXT", "value": text}}
            for name, text in writes.items()
        ]
        answer = admin.graphql(
            THEME_FILES_UPSERT_MUTATION,
            {"id": theme["id"], "files": files_input},
            repeat=Repeat.SAFE,
        )
        _check(answer["themeFilesUpsert"], f"{shop}: writing theme {theme['name']}")
    report.note(
        f"{shop} tracking code in {TRACKING_SNIPPET} of theme {theme['name']}",
        created=TRACKING_SNIPPET in writes,
    )
    report.note(
        f"{shop} tracking code rendered from {THEME_LAYOUT} of theme {theme['name']}",
        created=THEME_LAYOUT in writes,
    )


def _with_render_tag(layout: str) -> str | None:
    """The layout with the render tag just before </head>; None when it has no </head>."""
    if _RENDERED.search(layout):
        return layout
    head_end = _HEAD_END.search(layout)
    if head_end is None:
        return None
    start = head_end.start()
    line_start = layout.rfind("\n", 0, start) + 1
    before = layout[line_start:start]
    indent = before if before.isspace() else ""
    return f"{layout[:start]}{RENDER_TAG}\n{indent}{layout[start:]}"


def _subscribe(admin: ShopifyAdmin, topic: str, callback_url: str) -> None:
    answer = admin.graphql(
        WEBHOOK_SUBSCRIPTION_CREATE_MUTATION,
        {"topic": topic, "callbackUrl": callback_url},
        repeat=Repeat.REFUSED_TWICE,
    )
    payload = answer["webhookSubscriptionCreate"] or {}
    errors = payload.get("userErrors") or []
    # What a repeat earns when the try whose reply was lost subscribed it (or another run did).
    if errors and all(_TAKEN in str(error.get("message")) for error in errors):
        return
    _check(payload, f"{admin.store.domain}: subscribing {topic}")


def _subscriptions(admin: ShopifyAdmin) -> Iterator[tuple[str, str | None]]:
    """(topic, HTTP address) of every subscription of the app, page by page."""
    after: str | None = None
    while True:
        answer = admin.graphql(WEBHOOK_SUBSCRIPTIONS_QUERY, {"first": PAGE_SIZE, "after": after})
        page = answer["webhookSubscriptions"]
        for node in page["nodes"]:
            yield node["topic"], (node.get("endpoint") or {}).get("callbackUrl")
        if not page["pageInfo"]["hasNextPage"]:
            return
        after = page["pageInfo"]["endCursor"]


def _text_files(admin: ShopifyAdmin, theme_id: str, filenames: list[str]) -> dict[str, str]:
    """The text of those of the files that exist."""
    answer = admin.graphql(THEME_FILES_QUERY, {"id": theme_id, "filenames": filenames})
    files = (answer["theme"] or {}).get("files") or {}
    return {
        node["filename"]: node["body"]["content"]
        for node in files.get("nodes") or []
        if "content" in (node.get("body") or {})
    }


def _check(payload: dict[str, Any] | None, what: str) -> None:
    errors = (payload or {}).get("userErrors") or []
    if errors:
        messages = "; ".join(str(error.get("message", ""))[:200] for error in errors[:3])
        raise AdminError(f"{what}: {messages}")


def _by_hand(shop: str, why: str, script: str) -> str:
    return (
        f"{shop}: tracking code not installed ({why}); add {script} just before </head> in "
        f"{THEME_LAYOUT} (Online Store > Themes > Edit code), or as a custom pixel "
        "(Settings > Customer events)"
    )
