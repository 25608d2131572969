"""What `shopspot setup` calls: webhook subscriptions, the storefront theme files that now
carry tracking code, and script tags, which Shopify no longer lets apps create."""

from __future__ import annotations

import base64
from collections.abc import Iterator
from typing import Any

import pytest

from tests.sandbox.shopify_fixtures import Running, running_simulator, small_config

CREATE = """
mutation($topic: WebhookSubscriptionTopic!, $url: URL!) {
  webhookSubscriptionCreate(topic: $topic, webhookSubscription: {callbackUrl: $url, format: JSON}) {
    webhookSubscription { id topic format apiVersion { handle }
      endpoint { __typename ... on WebhookHttpEndpoint { callbackUrl } } }
    userErrors { field message }
  }
}
"""
LIST = """
query($topics: [WebhookSubscriptionTopic!]) {
  webhookSubscriptions(first: 50, topics: $topics) { nodes { id topic callbackUrl } }
}
"""
MAIN_THEME = "{ themes(roles: [MAIN], first: 5) { nodes { id name role } } }"
READ = """
query($id: ID!, $names: [String!]) {
  theme(id: $id) {
    files(filenames: $names) {
      nodes { filename checksumMd5 body { ... on OnlineStoreThemeFileBodyText { content } } }
      userErrors { filename code }
    }
  }
}
"""
UPSERT = """
mutation($id: ID!, $files: [OnlineStoreThemeFilesUpsertFileInput!]!) {
  themeFilesUpsert(themeId: $id, files: $files) {
    upsertedThemeFiles { filename }
    userErrors { field filename code message }
  }
}
"""


@pytest.fixture
def running() -> Iterator[Running]:
    with running_simulator(small_config()) as simulator:
        yield simulator


def _create(running: Running, topic: str, url: str, version: str = "2025-01") -> dict[str, Any]:
    result: dict[str, Any] = running.data(CREATE, {"topic": topic, "url": url}, version=version)[
        "webhookSubscriptionCreate"
    ]
    return result


def test_create_list_and_delete_subscriptions(running: Running) -> None:
    created = _create(running, "ORDERS_CREATE", "https://hooks.example.com/shopify", "2024-10")
    assert created["userErrors"] == []
    subscription = created["webhookSubscription"]
    assert subscription["topic"] == "ORDERS_CREATE" and subscription["format"] == "JSON"
    assert subscription["apiVersion"]["handle"] == "2024-10"
    assert subscription["endpoint"] == {
        "__typename": "WebhookHttpEndpoint",
        "callbackUrl": "https://hooks.example.com/shopify",
    }
    _create(running, "ORDERS_PAID", "https://hooks.example.com/shopify")
    listed = running.data(LIST)["webhookSubscriptions"]["nodes"]
    assert [node["topic"] for node in listed] == ["ORDERS_CREATE", "ORDERS_PAID"]
    only = running.data(LIST, {"topics": ["ORDERS_PAID"]})["webhookSubscriptions"]["nodes"]
    assert [node["topic"] for node in only] == ["ORDERS_PAID"]
    deleted = running.data(
        "mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { deletedWebhookSubscriptionId "
        "userErrors { field message } } }",
        {"id": subscription["id"]},
    )["webhookSubscriptionDelete"]
    assert deleted == {"deletedWebhookSubscriptionId": subscription["id"], "userErrors": []}
    assert len(running.data(LIST)["webhookSubscriptions"]["nodes"]) == 1
    delete = (
        "mutation($id: ID!) { webhookSubscriptionDelete(id: $id) { userErrors { field message } } }"
    )
    again = running.data(delete, {"id": subscription["id"]})["webhookSubscriptionDelete"]
    assert again["userErrors"] == [
        {"field": ["id"], "message": "Webhook subscription does not exist"}
    ]


def test_the_same_address_and_topic_twice_is_a_user_error(running: Running) -> None:
    _create(running, "CUSTOMERS_UPDATE", "https://hooks.example.com/a")
    duplicate = _create(running, "CUSTOMERS_UPDATE", "https://hooks.example.com/a")
    assert duplicate["webhookSubscription"] is None
    assert duplicate["userErrors"] == [
        {
            "field": ["webhookSubscription", "callbackUrl"],
            "message": "Address for this topic has already been taken",
        }
    ]
    other_topic = _create(running, "CUSTOMERS_CREATE", "https://hooks.example.com/a")
    assert other_topic["userErrors"] == []


def test_an_invalid_address_is_a_user_error(running: Running) -> None:
    result = _create(running, "ORDERS_PAID", "ftp://hooks.example.com/x")
    assert result["userErrors"][0]["message"] == "Address is invalid"
    xml = running.data(
        "mutation { webhookSubscriptionCreate(topic: ORDERS_PAID, webhookSubscription: "
        '{callbackUrl: "https://hooks.example.com/x", format: XML}) { userErrors { field } } }'
    )["webhookSubscriptionCreate"]
    assert xml["userErrors"] == [{"field": ["webhookSubscription", "format"]}]


def test_a_subscription_can_move_to_another_address(running: Running) -> None:
    created = _create(running, "ORDERS_PAID", "https://old.example.com/hooks")
    update = (
        "mutation($id: ID!, $url: URL!) { webhookSubscriptionUpdate(id: $id, "
        "webhookSubscription: {callbackUrl: $url}) { webhookSubscription { callbackUrl } "
        "userErrors { message } } }"
    )
    moved = running.data(
        update, {"id": created["webhookSubscription"]["id"], "url": "https://new.example.com/h"}
    )["webhookSubscriptionUpdate"]
    assert moved == {
        "webhookSubscription": {"callbackUrl": "https://new.example.com/h"},
        "userErrors": [],
    }


def _main_theme(running: Running) -> dict[str, Any]:
    themes = running.data(MAIN_THEME)["themes"]["nodes"]
    assert len(themes) == 1
    theme: dict[str, Any] = themes[0]
    return theme


def test_the_store_starts_with_a_main_theme_whose_layout_has_a_head(running: Running) -> None:
    theme = _main_theme(running)
    assert theme["role"] == "MAIN" and theme["id"].startswith("gid://shopify/OnlineStoreTheme/")
    files = running.data(READ, {"id": theme["id"], "names": ["layout/theme.liquid", "nope.liquid"]})
    result = files["theme"]["files"]
    assert [node["filename"] for node in result["nodes"]] == ["layout/theme.liquid"]
    assert "</head>" in result["nodes"][0]["body"]["content"]
    assert result["userErrors"] == [{"filename": "nope.liquid", "code": "NOT_FOUND"}]
    everything = running.data(READ, {"id": theme["id"], "names": ["layout/*"]})
    assert len(everything["theme"]["files"]["nodes"]) == 1


def test_tracking_code_goes_into_the_theme(running: Running) -> None:
    theme = _main_theme(running)
    read = running.data(READ, {"id": theme["id"], "names": ["layout/theme.liquid"]})
    original = read["theme"]["files"]["nodes"][0]
    script = '<script src="https://js.hs-scripts.com/123.js" async defer></script>'
    content = original["body"]["content"].replace("</head>", f"  {script}\n  </head>")
    files = [
        {"filename": "layout/theme.liquid", "body": {"type": "TEXT", "value": content}},
        {
            "filename": "snippets/tracking.liquid",
            "body": {"type": "BASE64", "value": base64.b64encode(script.encode()).decode()},
        },
    ]
    result = running.data(UPSERT, {"id": theme["id"], "files": files})["themeFilesUpsert"]
    assert result["userErrors"] == []
    assert {f["filename"] for f in result["upsertedThemeFiles"]} == {
        "layout/theme.liquid",
        "snippets/tracking.liquid",
    }
    after = running.data(READ, {"id": theme["id"], "names": ["layout/theme.liquid"]})
    node = after["theme"]["files"]["nodes"][0]
    assert script in node["body"]["content"] and node["checksumMd5"] != original["checksumMd5"]


def test_a_layout_without_content_for_header_is_refused(running: Running) -> None:
    theme = _main_theme(running)
    files = [
        {"filename": "layout/theme.liquid", "body": {"type": "TEXT", "value": "<html></html>"}}
    ]
    result = running.data(UPSERT, {"id": theme["id"], "files": files})["themeFilesUpsert"]
    assert result["userErrors"][0]["code"] == "FILE_VALIDATION_ERROR"
    assert result["userErrors"][0]["filename"] == "layout/theme.liquid"
    read = running.data(READ, {"id": theme["id"], "names": ["layout/theme.liquid"]})
    assert "</head>" in read["theme"]["files"]["nodes"][0]["body"]["content"]


def test_upsert_into_a_missing_theme(running: Running) -> None:
    files = [{"filename": "snippets/a.liquid", "body": {"type": "TEXT", "value": "x"}}]
    result = running.data(UPSERT, {"id": "gid://shopify/OnlineStoreTheme/1", "files": files})[
        "themeFilesUpsert"
    ]
    assert result["userErrors"][0]["code"] == "NOT_FOUND"


def test_script_tags_can_no_longer_be_created(running: Running) -> None:
    result = running.data(
        'mutation { scriptTagCreate(input: {src: "https://js.hs-scripts.com/1.js", '
        "displayScope: ONLINE_STORE}) { scriptTag { id } userErrors { field message } } }"
    )["scriptTagCreate"]
    assert result["scriptTag"] is None
    assert "no longer be created" in result["userErrors"][0]["message"]
