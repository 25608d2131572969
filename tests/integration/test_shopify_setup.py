"""The Shopify half of set-up (S1, S4, W6) against the store simulator over real HTTP: webhook
subscriptions at the receiver's address, HubSpot's tracking code in the published theme, both
idempotent, and `shopspot setup` saying what it did and what is left to do by hand."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pydantic import SecretStr

from cli.main import main
from shopspot.hubspot.schema import SetupReport
from shopspot.retry import SHOPIFY_REQUESTS
from shopspot.settings import Store
from shopspot.shopify import setup as shopify_setup
from shopspot.shopify.admin import AdminError, ShopifyAdmin
from shopspot.shopify.setup import (
    RENDER_TAG,
    THEME_LAYOUT,
    TRACKING_SNIPPET,
    WEBHOOK_TOPICS,
    ensure_webhook_subscriptions,
    install_tracking_code,
    set_up_store,
    tracking_script,
)
from tests.sandbox.shopify_fixtures import TOKEN, Running, all_nodes, running_simulator
from tests.sandbox.shopify_fixtures import small_config as simulator_config
from tests.support.env import HUBSPOT_TOKEN
from tests.support.hubspot import hubspot_sandbox
from tests.support.wire import Wire

pytestmark = pytest.mark.integration

CALLBACK = "https://shopspot.example.com/webhooks/shopify"
OTHER = "https://someone-else.example.com/hooks"
PORTAL = 4242

CREATE = """
mutation($topic: WebhookSubscriptionTopic!, $url: URL!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {callbackUrl: $url, format: JSON}) {
    webhookSubscription { id }
    userErrors { message }
  }
}
"""
DELETE = """
mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { userErrors { message } } }
"""
SUBSCRIPTION = "id topic format endpoint { ... on WebhookHttpEndpoint { callbackUrl } }"
THEME = "{ themes(roles: [MAIN], first: 1) { nodes { id } } }"
FILES = """
query($id: ID!) {
  theme(id: $id) {
    files(filenames: ["snippets/hubspot-tracking.liquid", "layout/theme.liquid"]) {
      nodes { filename updatedAt body { ... on OnlineStoreThemeFileBodyText { content } } }
    }
  }
}
"""


@pytest.fixture
def simulator() -> Iterator[Running]:
    empty = {"products": 0, "customers": 0, "orders": 0, "checkouts": 0}
    with running_simulator(simulator_config(**empty)) as running:
        yield running


@pytest.fixture
def wire() -> Wire:
    return Wire()


@pytest.fixture
def admin(simulator: Running, wire: Wire) -> Iterator[ShopifyAdmin]:
    retries = replace(SHOPIFY_REQUESTS, attempts=2)
    with ShopifyAdmin(_store(simulator), transport=wire, retries=retries) as client:
        yield client


def _store(simulator: Running) -> Store:
    return Store(
        domain=simulator.app.sim.config.shop_domain,
        webhook_secrets=(SecretStr("secret"),),
        access_token=SecretStr(TOKEN),
        admin_base_url=simulator.url,
    )


def _subscriptions(simulator: Running) -> list[dict[str, Any]]:
    nodes: list[dict[str, Any]] = all_nodes(simulator, "webhookSubscriptions", SUBSCRIPTION)
    return nodes


def _at(simulator: Running, url: str) -> dict[str, str]:
    """Topic → subscription id of the subscriptions to `url`."""
    return {
        node["topic"]: node["id"]
        for node in _subscriptions(simulator)
        if node["endpoint"]["callbackUrl"] == url
    }


def _theme_files(simulator: Running) -> dict[str, dict[str, Any]]:
    theme_id = simulator.data(THEME)["themes"]["nodes"][0]["id"]
    nodes = simulator.data(FILES, {"id": theme_id})["theme"]["files"]["nodes"]
    return {node["filename"]: node for node in nodes}


def _main_theme(simulator: Running) -> Any:
    (theme,) = [t for t in simulator.app.sim.themes.all() if t.role == "MAIN"]
    return theme


def _access_denied(document: str) -> dict[str, Any] | None:
    if "themes(" not in document:
        return None
    error = {
        "message": "Access denied for themes field. Required access: `read_themes` access scope.",
        "extensions": {"code": "ACCESS_DENIED"},
    }
    return {"errors": [error], "data": None}


# -- webhook subscriptions --------------------------------------------------------------------


def test_every_topic_is_subscribed_once_at_the_callback(
    simulator: Running, admin: ShopifyAdmin
) -> None:
    shop = admin.store.domain
    first, second = SetupReport(), SetupReport()

    ensure_webhook_subscriptions(admin, CALLBACK, first)
    subscribed = _subscriptions(simulator)
    ensure_webhook_subscriptions(admin, CALLBACK, second)

    assert sorted(node["topic"] for node in subscribed) == sorted(WEBHOOK_TOPICS)
    assert {node["endpoint"]["callbackUrl"] for node in subscribed} == {CALLBACK}
    assert {node["format"] for node in subscribed} == {"JSON"}
    assert first.created == [f"{shop} webhook {topic}" for topic in WEBHOOK_TOPICS]
    assert first.existing == []
    assert second.created == []
    assert second.existing == first.created
    assert _subscriptions(simulator) == subscribed


def test_other_addresses_are_untouched_and_every_page_is_read(
    simulator: Running, admin: ShopifyAdmin, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Pages smaller than the subscriptions that exist: a run that read one page only would
    # try to subscribe again what it did not see, and Shopify would refuse.
    monkeypatch.setattr(shopify_setup, "PAGE_SIZE", 4)
    for topic in WEBHOOK_TOPICS[:9]:
        simulator.data(CREATE, {"topic": topic, "url": OTHER})
    theirs = _at(simulator, OTHER)

    ensure_webhook_subscriptions(admin, CALLBACK, SetupReport())
    again = SetupReport()
    ensure_webhook_subscriptions(admin, CALLBACK, again)

    assert again.created == []
    assert len(again.existing) == len(WEBHOOK_TOPICS)
    assert _at(simulator, OTHER) == theirs
    assert sorted(_at(simulator, CALLBACK)) == sorted(WEBHOOK_TOPICS)


def test_w6_a_subscription_shopify_removed_is_created_again(
    simulator: Running, admin: ShopifyAdmin
) -> None:
    ensure_webhook_subscriptions(admin, CALLBACK, SetupReport())
    before = _at(simulator, CALLBACK)
    simulator.data(DELETE, {"id": before["ORDERS_UPDATED"]})
    assert "ORDERS_UPDATED" not in _at(simulator, CALLBACK)

    report = SetupReport()
    ensure_webhook_subscriptions(admin, CALLBACK, report)

    after = _at(simulator, CALLBACK)
    assert report.created == [f"{admin.store.domain} webhook ORDERS_UPDATED"]
    assert sorted(after) == sorted(WEBHOOK_TOPICS)
    assert after["ORDERS_UPDATED"] != before["ORDERS_UPDATED"]
    assert {t: i for t, i in after.items() if t != "ORDERS_UPDATED"} == {
        t: i for t, i in before.items() if t != "ORDERS_UPDATED"
    }


def test_a_refused_subscription_raises_with_shopify_message(admin: ShopifyAdmin) -> None:
    with pytest.raises(AdminError, match="Address is invalid"):
        ensure_webhook_subscriptions(admin, "ftp://shopspot.example.com/hooks", SetupReport())


# -- tracking code ----------------------------------------------------------------------------


def test_s4_tracking_code_goes_into_the_main_theme_once(
    simulator: Running, admin: ShopifyAdmin, wire: Wire
) -> None:
    first, second = SetupReport(), SetupReport()

    install_tracking_code(admin, PORTAL, first)
    installed = _theme_files(simulator)
    sent_by_first = len(wire.documents)
    install_tracking_code(admin, PORTAL, second)

    snippet = installed[TRACKING_SNIPPET]["body"]["content"]
    assert snippet.strip() == tracking_script(PORTAL)
    assert f'src="//js.hs-scripts.com/{PORTAL}.js"' in snippet
    layout = installed[THEME_LAYOUT]["body"]["content"]
    assert layout.count("hubspot-tracking") == 1
    head, _, _ = layout.partition("</head>")
    assert head.rstrip().endswith(RENDER_TAG)
    assert "{{ content_for_header }}" in head
    assert len(first.created) == 2 and first.manual == []
    assert second.created == [] and second.manual == []
    assert second.existing == first.created
    assert not any("themeFilesUpsert" in doc for doc in wire.documents[sent_by_first:])
    assert _theme_files(simulator) == installed


def test_a_render_tag_the_merchant_already_added_is_kept(
    simulator: Running, admin: ShopifyAdmin
) -> None:
    theme = _main_theme(simulator)
    layout = theme.files[THEME_LAYOUT]
    by_hand = '{%- render "hubspot-tracking" -%}\n  </head>'
    layout.data = layout.data.decode().replace("</head>", by_hand).encode()
    report = SetupReport()

    install_tracking_code(admin, PORTAL, report)

    files = _theme_files(simulator)
    assert files[THEME_LAYOUT]["body"]["content"].count("hubspot-tracking") == 1
    assert TRACKING_SNIPPET in files
    assert [line for line in report.existing if THEME_LAYOUT in line]


def test_s4_script_tags_are_never_used(simulator: Running, admin: ShopifyAdmin, wire: Wire) -> None:
    set_up_store(admin.store, "https://shopspot.example.com", PORTAL, SetupReport(), admin=admin)

    assert wire.documents
    assert not any(re.search("scripttag", doc, re.IGNORECASE) for doc in wire.documents)
    source = Path(shopify_setup.__file__).read_text()
    assert "scriptTagCreate" not in source


def test_without_theme_access_the_merchant_is_told_what_to_add(
    simulator: Running, wire: Wire, admin: ShopifyAdmin
) -> None:
    wire.refuse = _access_denied
    report = SetupReport()

    install_tracking_code(admin, PORTAL, report)

    assert report.created == report.existing == []
    (line,) = report.manual
    assert "write_themes" in line and tracking_script(PORTAL) in line
    assert "Edit code" in line and "custom pixel" in line
    assert TRACKING_SNIPPET not in _theme_files(simulator)


def test_without_a_published_theme_the_merchant_is_told_what_to_add(
    simulator: Running, admin: ShopifyAdmin
) -> None:
    theme = _main_theme(simulator)
    theme.role = "UNPUBLISHED"
    report = SetupReport()

    install_tracking_code(admin, PORTAL, report)

    (line,) = report.manual
    assert "no published theme" in line and tracking_script(PORTAL) in line
    assert TRACKING_SNIPPET not in theme.files


def test_a_theme_write_shopify_refuses_raises_its_message(
    simulator: Running, admin: ShopifyAdmin
) -> None:
    # Shopify refuses a layout without {{ content_for_layout }}: our edit cannot fix that.
    layout = _main_theme(simulator).files[THEME_LAYOUT]
    layout.data = b"<html><head>{{ content_for_header }}</head><body></body></html>"

    with pytest.raises(AdminError, match="content_for_layout"):
        install_tracking_code(admin, PORTAL, SetupReport())


# -- replies lost on the way back (W8) --------------------------------------------------------


def test_writes_whose_replies_are_lost_are_made_once(
    simulator: Running, admin: ShopifyAdmin, wire: Wire
) -> None:
    # Every subscription and the theme write reach Shopify, and their replies are lost.
    wire.lose = lambda document: document.lstrip().startswith("mutation")
    report = SetupReport()

    set_up_store(admin.store, "https://shopspot.example.com", PORTAL, report, admin=admin)

    assert len(wire.lost) == len(WEBHOOK_TOPICS) + 1
    assert sorted(node["topic"] for node in _subscriptions(simulator)) == sorted(WEBHOOK_TOPICS)
    files = _theme_files(simulator)
    assert files[THEME_LAYOUT]["body"]["content"].count("hubspot-tracking") == 1
    assert files[TRACKING_SNIPPET]["body"]["content"].strip() == tracking_script(PORTAL)
    assert len(report.created) == len(WEBHOOK_TOPICS) + 2


# -- shopspot setup ---------------------------------------------------------------------------


def _setup(env: dict[str, str]) -> list[str]:
    result = CliRunner().invoke(main, ["setup"], env=env)
    assert result.exit_code == 0, result.output
    return result.output.splitlines()


@pytest.fixture
def env(redis_url: str, simulator: Running) -> Iterator[dict[str, str]]:
    with hubspot_sandbox() as hubspot:
        yield {
            "REDIS_URL": redis_url,
            "HUBSPOT_ACCESS_TOKEN": HUBSPOT_TOKEN,
            "HUBSPOT_BASE_URL": hubspot.url,
            "SHOPIFY_SHOP_DOMAIN": simulator.app.sim.config.shop_domain,
            "SHOPIFY_WEBHOOK_SECRET": "secret",
            "SHOPIFY_ACCESS_TOKEN": TOKEN,
            "SHOPIFY_ADMIN_BASE_URL": simulator.url,
            "PUBLIC_URL": "https://shopspot.example.com/",
        }


def test_s1_setup_command_registers_webhooks_and_tracking_code_once(
    simulator: Running, env: dict[str, str]
) -> None:
    shop = env["SHOPIFY_SHOP_DOMAIN"]

    first = _setup(env)
    second = _setup(env)

    portal = re.search(r"^HubSpot portal (\d+):", "\n".join(first), re.MULTILINE)
    assert portal is not None
    for topic in WEBHOOK_TOPICS:
        assert f"created   {shop} webhook {topic}" in first
        assert f"existing  {shop} webhook {topic}" in second
    tracking = f"{shop} tracking code in {TRACKING_SNIPPET} of theme Dawn"
    assert f"created   {tracking}" in first
    assert f"existing  {tracking}" in second
    (privacy,) = [line for line in second if line.startswith("to do ")]
    assert "customers/redact" in privacy and "compliance_topics" in privacy
    assert CALLBACK in privacy
    assert first[-1] == (
        f"Shopify (1 store): {len(WEBHOOK_TOPICS) + 2} created, 0 already there, 1 to do by hand"
    )
    assert second[-1] == (
        f"Shopify (1 store): 0 created, {len(WEBHOOK_TOPICS) + 2} already there, 1 to do by hand"
    )
    assert sorted(_at(simulator, CALLBACK)) == sorted(WEBHOOK_TOPICS)
    snippet = _theme_files(simulator)[TRACKING_SNIPPET]["body"]["content"]
    assert snippet.strip() == tracking_script(int(portal.group(1)))


def test_setup_command_says_what_it_could_not_do(
    simulator: Running, env: dict[str, str], tmp_path: Path
) -> None:
    shop = env["SHOPIFY_SHOP_DOMAIN"]
    stores = tmp_path / "stores.toml"
    stores.write_text('[shops."no-token.myshopify.com"]\nwebhook_secret = "other"\n')
    env = {**env, "SHOPSPOT_STORES_FILE": str(stores)}
    del env["PUBLIC_URL"]

    output = _setup(env)

    to_do = [line for line in output if line.startswith("to do ")]
    (unset,) = [line for line in to_do if "PUBLIC_URL is unset" in line]
    assert unset.startswith(f"to do     {shop}: webhooks not registered")
    (no_token,) = [line for line in to_do if "no-token.myshopify.com" in line]
    assert "no Shopify access token" in no_token
    assert _subscriptions(simulator) == []
    assert f"created   {shop} tracking code in {TRACKING_SNIPPET} of theme Dawn" in output
    assert output[-1].startswith("Shopify (2 stores): 2 created, 0 already there, ")


def test_setup_command_fails_for_a_store_shopify_refuses(
    simulator: Running, env: dict[str, str]
) -> None:
    env = {**env, "SHOPIFY_ACCESS_TOKEN": "shpat_revoked"}

    result = CliRunner().invoke(main, ["setup"], env=env)

    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert any(line.startswith("HubSpot portal ") for line in lines)
    shop = env["SHOPIFY_SHOP_DOMAIN"]
    assert f"failed    {shop}: Shopify refused the access token (401)" in lines
    assert "shpat_revoked" not in result.output
    assert _subscriptions(simulator) == []
