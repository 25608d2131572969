"""Settings from the environment and an optional `.env`, checked once at start-up.

Every process reads the same settings; a missing or malformed one stops start-up with a
single line that names it (`SettingsError`), and secrets stay `SecretStr` so they never
reach a log line or a repr.
"""

from __future__ import annotations

import tomllib
from functools import cached_property
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from pydantic import (
    AnyHttpUrl,
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from shopspot.hubspot.paths import DEFAULT_VERSION as DEFAULT_HUBSPOT_VERSION
from shopspot.hubspot.paths import check_version
from shopspot.redisurl import names_sentinels, parse_sentinel_url
from shopspot.targets import DEFAULT_TARGET, SyncTarget

DEFAULT_API_VERSION = "2026-04"


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


def _secrets_from(value: Any) -> Any:
    """Comma-separated secrets let an old and a new secret overlap during a rotation."""
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    return value


def normalise_shop_domain(domain: str) -> str:
    domain = domain.strip().lower()
    if not domain or "/" in domain or " " in domain or "." not in domain:
        raise ValueError("must be a shop domain such as example.myshopify.com")
    return domain


class Store(BaseModel):
    """One connected Shopify store."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    domain: str
    webhook_secrets: tuple[SecretStr, ...] = Field(min_length=1)
    access_token: SecretStr | None = None
    api_version: str = DEFAULT_API_VERSION
    admin_base_url: str

    @field_validator("domain")
    @classmethod
    def _domain(cls, value: str) -> str:
        return normalise_shop_domain(value)

    @field_validator("webhook_secrets", mode="before")
    @classmethod
    def _secrets(cls, value: Any) -> Any:
        return _secrets_from(value)

    @field_validator("admin_base_url")
    @classmethod
    def _base_url(cls, value: str) -> str:
        AnyHttpUrl(value)
        return value.rstrip("/")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", frozen=True)

    # May carry Redis's password: never in a repr.
    redis_url: str = Field(repr=False)
    # The name the Sentinels know the master by (`sentinel monitor <name> ...`); read only
    # when REDIS_URL names Sentinels.
    redis_sentinel_master: str = "mymaster"

    hubspot_access_token: SecretStr | None = None
    hubspot_base_url: str = "https://api.hubapi.com"
    # HubSpot's date-based API version (SPEC H1), or v3 for its numbered legacy paths.
    hubspot_api_version: str = DEFAULT_HUBSPOT_VERSION
    # Orders and checkouts as deals, as HubSpot Orders and Carts, or both (SPEC T1).
    hubspot_sync_target: SyncTarget = DEFAULT_TARGET
    hubspot_rate_limit_per_10s: int = Field(100, gt=0)
    hubspot_rate_window_seconds: float = Field(10.0, gt=0)
    hubspot_daily_limit: int = Field(250_000, gt=0)

    shopify_shop_domain: str | None = None
    shopify_webhook_secret: Annotated[tuple[SecretStr, ...], NoDecode] = ()
    shopify_access_token: SecretStr | None = None
    shopify_api_version: str = DEFAULT_API_VERSION
    shopify_admin_base_url: str | None = None
    shopspot_stores_file: Path | None = None

    # Share of HubSpot's limits Shopspot allows itself: HubSpot counts arrivals and we count
    # departures, and other apps may use the same account.
    hubspot_rate_headroom: float = Field(0.9, gt=0, le=1)

    checkout_abandon_after_seconds: int = Field(86_400, gt=0)
    sweep_interval_seconds: float = Field(300.0, gt=0)
    reconcile_interval_seconds: float = Field(900.0, gt=0)
    # Beat's `shopspot verify --repair` of the last VERIFY_DAYS days, daily by default.
    verify_interval_seconds: float = Field(86_400.0, gt=0)
    verify_days: int = Field(2, gt=0, le=3660)
    # Objects the import reads, writes and checkpoints at a time: what a resumed import
    # may write a second time (harmlessly: every write is keyed).
    import_chunk_size: int = Field(2000, gt=0)
    public_url: str | None = None
    # C5: the native integration never takes the phone from the default address.
    phone_from_address: bool = False
    # How long a flush may hold a batch before another worker takes it over.
    pending_lease_seconds: float = Field(15.0, gt=0)
    # How long a lone event waits for others to share its batch.
    flush_delay_seconds: float = Field(0.2, ge=0)
    # The share of the HubSpot budget that flushes of less than a full batch may spend:
    # beyond it, what arrives waits to fill fuller batches (shopspot.sync.pace).
    thin_flush_budget_share: float = Field(0.5, gt=0, le=1)
    # How long an object's story (`shopspot trace`) is kept after its last step. Stories are
    # for the questions of the weeks after a sale; a year bounds what Redis holds on to.
    trace_days: int = Field(14, ge=1, le=365)

    webhook_max_bytes: int = Field(2 * 1024 * 1024, gt=0)
    webhook_dedupe_seconds: int = Field(7 * 86_400, ge=7 * 86_400)

    # "user:password" for Flower's basic auth: without it, anyone who reaches Flower's port
    # sees the tasks (and can revoke them).
    flower_basic_auth: SecretStr | None = None

    log_format: str = Field("text", pattern="^(text|json)$")
    log_level: str = Field("INFO", pattern="^(DEBUG|INFO|WARNING|ERROR)$")

    # Delivery guarantees of the worker (see worker/config.py for why they relate).
    task_time_limit_seconds: float = Field(120.0, gt=0)
    task_max_retries: int = Field(12, ge=0)
    task_retry_backoff_max_seconds: float = Field(300.0, gt=0)
    broker_visibility_timeout_seconds: float = Field(900.0, gt=0)
    broker_unacked_restore_interval_seconds: float = Field(5.0, gt=0)

    @field_validator("redis_url")
    @classmethod
    def _redis_url(cls, value: str) -> str:
        if names_sentinels(value):
            parse_sentinel_url(value)
        elif urlsplit(value).scheme not in {"redis", "rediss", "unix"}:
            raise ValueError("must be a redis://, rediss://, unix:// or sentinel:// URL")
        return value

    @field_validator("redis_sentinel_master")
    @classmethod
    def _sentinel_master(cls, value: str, info: ValidationInfo) -> str:
        if not names_sentinels(info.data.get("redis_url", "")):
            return value
        if not value:
            raise ValueError("required when REDIS_URL names Sentinels")
        if not value.isprintable() or " " in value:
            raise ValueError("must be the master's name as the Sentinels know it, without spaces")
        return value

    @field_validator("hubspot_api_version")
    @classmethod
    def _hubspot_api_version(cls, value: str) -> str:
        return check_version(value)

    @field_validator("hubspot_base_url", "shopify_admin_base_url", "public_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        AnyHttpUrl(value)
        return value.rstrip("/")

    @field_validator("shopify_shop_domain")
    @classmethod
    def _shop_domain(cls, value: str | None) -> str | None:
        return None if value is None else normalise_shop_domain(value)

    @field_validator("shopify_webhook_secret", mode="before")
    @classmethod
    def _webhook_secrets(cls, value: Any) -> Any:
        return _secrets_from(value)

    @model_validator(mode="after")
    def _delivery_bounds(self) -> Settings:
        # A message held past the visibility timeout is delivered a second time, so the
        # longest run plus the longest retry delay must fit inside it.
        if (
            self.broker_visibility_timeout_seconds
            <= self.task_time_limit_seconds + self.task_retry_backoff_max_seconds
        ):
            raise ValueError(
                "BROKER_VISIBILITY_TIMEOUT_SECONDS must exceed "
                "TASK_TIME_LIMIT_SECONDS + TASK_RETRY_BACKOFF_MAX_SECONDS"
            )
        return self

    @cached_property
    def stores(self) -> dict[str, Store]:
        """Every configured store by its myshopify domain (single-store settings and file)."""
        stores: dict[str, Store] = {}
        if self.shopify_shop_domain:
            if not self.shopify_webhook_secret:
                raise SettingsError("SHOPIFY_WEBHOOK_SECRET: required with SHOPIFY_SHOP_DOMAIN")
            stores[self.shopify_shop_domain] = Store(
                domain=self.shopify_shop_domain,
                webhook_secrets=self.shopify_webhook_secret,
                access_token=self.shopify_access_token,
                api_version=self.shopify_api_version,
                admin_base_url=self.shopify_admin_base_url or f"https://{self.shopify_shop_domain}",
            )
        if self.shopspot_stores_file is not None:
            for store in _stores_from_file(self.shopspot_stores_file):
                if store.domain in stores:
                    raise SettingsError(f"SHOPSPOT_STORES_FILE: {store.domain} is configured twice")
                stores[store.domain] = store
        return stores

    def require_stores(self) -> dict[str, Store]:
        if not self.stores:
            raise SettingsError(
                "SHOPIFY_SHOP_DOMAIN or SHOPSPOT_STORES_FILE: no Shopify store is configured"
            )
        return self.stores

    def require_hubspot_token(self) -> SecretStr:
        if self.hubspot_access_token is None:
            raise SettingsError("HUBSPOT_ACCESS_TOKEN: required")
        return self.hubspot_access_token


def _stores_from_file(path: Path) -> list[Store]:
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise SettingsError(f"SHOPSPOT_STORES_FILE: cannot read {path}: {exc.strerror}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"SHOPSPOT_STORES_FILE: {path} is not valid TOML: {exc}") from exc
    shops = document.get("shops")
    if not isinstance(shops, dict) or not shops:
        raise SettingsError(f'SHOPSPOT_STORES_FILE: {path} has no [shops."<domain>"] table')
    stores = []
    for domain, table in shops.items():
        if not isinstance(table, dict):
            raise SettingsError(f'SHOPSPOT_STORES_FILE: [shops."{domain}"] must be a table')
        try:
            stores.append(
                Store(
                    domain=domain,
                    webhook_secrets=table.get("webhook_secret", ()),
                    access_token=table.get("access_token"),
                    api_version=table.get("api_version", DEFAULT_API_VERSION),
                    admin_base_url=table.get("admin_base_url") or f"https://{domain}",
                )
            )
        except ValidationError as exc:
            error = exc.errors()[0]
            field = ".".join(str(part) for part in error["loc"][:1]) or "shop"
            field = "webhook_secret" if field == "webhook_secrets" else field
            raise SettingsError(
                f'SHOPSPOT_STORES_FILE: [shops."{domain}"] {field}: {error["msg"]}'
            ) from None
    return stores


def load_settings(**overrides: Any) -> Settings:
    """Read and check the settings; a problem becomes one `SettingsError` line."""
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:
        error = exc.errors()[0]
        name = str(error["loc"][0]).upper() if error["loc"] else "settings"
        # pydantic puts the offending input in its message for some errors; the message
        # alone never carries the value, which may be a secret.
        raise SettingsError(f"{name}: {error['msg']}") from None
    return settings
