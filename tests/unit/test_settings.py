from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cli.main import main
from shopspot.redisurl import parse_sentinel_url
from shopspot.settings import Settings, SettingsError, load_settings
from worker.config import celery_config

REDIS = "redis://127.0.0.1:6390/0"
SENTINELS = "sentinel://:pw-very-secret@10.0.0.1:26380/2;sentinel://10.0.0.2"


def settings(**values: Any) -> Settings:
    return load_settings(_env_file=None, **values)


def test_defaults_follow_hubspot_and_shopify() -> None:
    loaded = settings(redis_url=REDIS)

    assert loaded.hubspot_base_url == "https://api.hubapi.com"
    assert loaded.hubspot_rate_limit_per_10s == 100
    assert loaded.hubspot_rate_window_seconds == 10
    assert loaded.hubspot_daily_limit == 250_000
    assert loaded.checkout_abandon_after_seconds == 86_400
    assert loaded.sweep_interval_seconds == 300
    assert loaded.webhook_max_bytes == 2 * 1024 * 1024
    assert loaded.webhook_dedupe_seconds >= 7 * 86_400
    assert loaded.hubspot_sync_target == "deals"


@pytest.mark.parametrize("target", ["deals", "commerce", "both"])
def test_the_sync_target_is_one_of_three(target: str) -> None:
    assert settings(redis_url=REDIS, hubspot_sync_target=target).hubspot_sync_target == target


def test_an_unknown_sync_target_stops_the_cli_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("REDIS_URL", REDIS)
    monkeypatch.setenv("HUBSPOT_SYNC_TARGET", "orders")
    result = CliRunner().invoke(main, ["web"])

    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "shopspot: bad setting HUBSPOT_SYNC_TARGET: Input should be 'deals', 'commerce' or 'both'"
    ]


def test_a_missing_setting_is_one_line_naming_it() -> None:
    with pytest.raises(SettingsError) as raised:
        settings()

    assert str(raised.value).startswith("REDIS_URL: ")
    assert "\n" not in str(raised.value)


def test_a_malformed_setting_names_itself_without_its_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("REDIS_URL", REDIS)
    monkeypatch.setenv("HUBSPOT_RATE_LIMIT_PER_10S", "a-hundred")
    with pytest.raises(SettingsError) as raised:
        settings()

    assert str(raised.value).startswith("HUBSPOT_RATE_LIMIT_PER_10S: ")
    assert "a-hundred" not in str(raised.value)


def test_a_visibility_timeout_shorter_than_a_task_and_its_retry_is_refused() -> None:
    with pytest.raises(SettingsError, match="BROKER_VISIBILITY_TIMEOUT_SECONDS"):
        settings(redis_url=REDIS, broker_visibility_timeout_seconds=100)


@pytest.mark.parametrize("days", [0, 366])
def test_trace_days_outside_a_day_to_a_year_are_refused(days: int) -> None:
    assert settings(redis_url=REDIS).trace_days == 14
    with pytest.raises(SettingsError, match=r"^TRACE_DAYS: "):
        settings(redis_url=REDIS, trace_days=days)


def test_redis_url_may_name_sentinels_and_the_master_they_know() -> None:
    loaded = settings(redis_url=SENTINELS, redis_sentinel_master="shop-state")

    found = parse_sentinel_url(loaded.redis_url)
    assert found.sentinels == (("10.0.0.1", 26380), ("10.0.0.2", 26379))
    assert (found.db, found.password) == (2, "pw-very-secret")
    options = celery_config(loaded)["broker_transport_options"]
    assert options["master_name"] == "shop-state"
    assert settings(redis_url=SENTINELS).redis_sentinel_master == "mymaster"
    assert "master_name" not in celery_config(settings(redis_url=REDIS))["broker_transport_options"]


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sentinel://:pw-very-secret@h1:26379;redis://h2:6379", "sentinel://host:port"),
        ("sentinel://:pw-very-secret@h1:26379;", "sentinel://host:port"),
        ("sentinel://:pw-very-secret@h1:port", "invalid port"),
        ("sentinel://:pw-very-secret@h1:26379/zero", "database must be a number"),
        ("http://:pw-very-secret@h1:6379", "sentinel:// URL"),
    ],
)
def test_a_malformed_redis_url_is_one_line_without_the_password(url: str, message: str) -> None:
    with pytest.raises(SettingsError) as raised:
        settings(redis_url=url)

    assert str(raised.value).startswith("REDIS_URL: ")
    assert message in str(raised.value)
    assert "very-secret" not in str(raised.value)
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(("master", "message"), [("", "required"), ("my master", "without spaces")])
def test_a_missing_or_malformed_sentinel_master_is_one_line_naming_it(
    master: str, message: str
) -> None:
    with pytest.raises(SettingsError) as raised:
        settings(redis_url=SENTINELS, redis_sentinel_master=master)

    assert str(raised.value).startswith("REDIS_SENTINEL_MASTER: ")
    assert message in str(raised.value)
    # Without Sentinels the master's name is never read.
    assert settings(redis_url=REDIS, redis_sentinel_master=master).redis_url == REDIS


def test_one_store_from_the_environment_with_rotating_secrets(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SHOPIFY_SHOP_DOMAIN", "Example.myshopify.com")
    monkeypatch.setenv("SHOPIFY_WEBHOOK_SECRET", "new-secret, old-secret")
    monkeypatch.setenv("SHOPIFY_ACCESS_TOKEN", "shpat_token")
    stores = settings(redis_url=REDIS).require_stores()

    store = stores["example.myshopify.com"]
    assert [s.get_secret_value() for s in store.webhook_secrets] == ["new-secret", "old-secret"]
    assert store.admin_base_url == "https://example.myshopify.com"
    assert store.api_version == "2026-04"


def test_several_stores_from_a_toml_file(tmp_path: Path) -> None:
    path = tmp_path / "stores.toml"
    path.write_text(
        '[shops."a.myshopify.com"]\nwebhook_secret = "sa"\naccess_token = "ta"\n'
        '[shops."b.myshopify.com"]\nwebhook_secret = "sb1,sb2"\napi_version = "2025-01"\n'
        'admin_base_url = "http://127.0.0.1:9000"\n'
    )
    stores = settings(redis_url=REDIS, shopspot_stores_file=path).require_stores()

    assert sorted(stores) == ["a.myshopify.com", "b.myshopify.com"]
    assert stores["b.myshopify.com"].admin_base_url == "http://127.0.0.1:9000"
    assert len(stores["b.myshopify.com"].webhook_secrets) == 2
    assert stores["b.myshopify.com"].access_token is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not toml [", "is not valid TOML"),
        ("[other]\n", 'has no [shops."<domain>"] table'),
        ('[shops."a.myshopify.com"]\naccess_token = "t"\n', "webhook_secret"),
        ('[shops."a.myshopify.com"]\nwebhook_secret = "s"\nadmin_base_url = "nope"\n',
         "admin_base_url"),
    ],
)  # fmt: skip
def test_a_bad_stores_file_is_one_line_naming_the_problem(
    tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "stores.toml"
    path.write_text(text)
    with pytest.raises(SettingsError, match="SHOPSPOT_STORES_FILE") as raised:
        settings(redis_url=REDIS, shopspot_stores_file=path).require_stores()

    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_no_store_configured_is_a_clear_error() -> None:
    with pytest.raises(SettingsError, match="no Shopify store"):
        settings(redis_url=REDIS).require_stores()


def test_secrets_never_appear_in_reprs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SHOPIFY_SHOP_DOMAIN", "a.myshopify.com")
    monkeypatch.setenv("SHOPIFY_WEBHOOK_SECRET", "whsec-very-secret")
    loaded = settings(
        redis_url="redis://:very-secret@localhost:6379/0",
        hubspot_access_token="pat-na1-very-secret",
        shopify_access_token="shpat-very-secret",
    )

    text = repr(loaded) + str(loaded) + repr(loaded.stores)
    assert "very-secret" not in text


def test_the_cli_stops_on_a_bad_setting_with_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # away from any .env
    result = CliRunner().invoke(main, ["web"])

    assert result.exit_code == 2
    assert result.output.strip().splitlines() == ["shopspot: bad setting REDIS_URL: Field required"]
