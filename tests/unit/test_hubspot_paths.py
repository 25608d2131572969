"""Every HubSpot path Shopspot calls, in the date-based form HubSpot's API reference gives and
in the numbered (legacy) form, from one version string (SPEC H1)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from shopspot.hubspot.paths import DEFAULT_VERSION, Paths, check_version
from shopspot.settings import SettingsError, load_settings

Endpoint = Callable[[Paths], str]
ENDPOINTS: list[tuple[Endpoint, str, str]] = [
    (lambda p: p.objects("deals"), "/crm/objects/V/deals", "/crm/v3/objects/deals"),
    (
        lambda p: p.batch("contacts", "upsert"),
        "/crm/objects/V/contacts/batch/upsert",
        "/crm/v3/objects/contacts/batch/upsert",
    ),
    (
        lambda p: p.batch("products", "read"),
        "/crm/objects/V/products/batch/read",
        "/crm/v3/objects/products/batch/read",
    ),
    (lambda p: p.search("deals"), "/crm/objects/V/deals/search", "/crm/v3/objects/deals/search"),
    (lambda p: p.properties("deals"), "/crm/properties/V/deals", "/crm/v3/properties/deals"),
    (
        lambda p: p.property_batch("deals", "create"),
        "/crm/properties/V/deals/batch/create",
        "/crm/v3/properties/deals/batch/create",
    ),
    (
        lambda p: p.property_batch("products", "read"),
        "/crm/properties/V/products/batch/read",
        "/crm/v3/properties/products/batch/read",
    ),
    (
        lambda p: p.property_groups("contacts"),
        "/crm/properties/V/contacts/groups",
        "/crm/v3/properties/contacts/groups",
    ),
    (lambda p: p.pipelines("deals"), "/crm/pipelines/V/deals", "/crm/v3/pipelines/deals"),
    (lambda p: p.pipeline("deals", "7"), "/crm/pipelines/V/deals/7", "/crm/v3/pipelines/deals/7"),
    (
        lambda p: p.pipeline_stages("deals", "7"),
        "/crm/pipelines/V/deals/7/stages",
        "/crm/v3/pipelines/deals/7/stages",
    ),
    (
        lambda p: p.association_batch_create("deals", "line_items"),
        "/crm/associations/V/deals/line_items/batch/create",
        "/crm/v4/associations/deals/line_items/batch/create",
    ),
    (lambda p: p.account_details(), "/account-info/V/details", "/account-info/v3/details"),
]


@pytest.mark.parametrize(("endpoint", "dated", "legacy"), ENDPOINTS)
def test_each_endpoint_has_its_date_based_and_its_numbered_path(
    endpoint: Endpoint, dated: str, legacy: str
) -> None:
    assert endpoint(Paths()) == dated.replace("/V/", f"/{DEFAULT_VERSION}/")
    assert endpoint(Paths("2026-03")) == dated.replace("/V/", "/2026-03/")
    assert endpoint(Paths("v3")) == legacy


def test_the_default_is_the_newest_generally_available_version() -> None:
    assert DEFAULT_VERSION == "2026-09"
    loaded = load_settings(_env_file=None, redis_url="redis://127.0.0.1:6390/0")
    assert loaded.hubspot_api_version == DEFAULT_VERSION


@pytest.mark.parametrize("version", ["2026-03", "2026-09", "2027-03", "v3"])
def test_date_versions_and_the_legacy_v3_are_accepted(version: str) -> None:
    assert check_version(version) == version


@pytest.mark.parametrize(
    "version", ["2026-04", "2025-09", "2026-09-beta", "2027-03-beta", "v4", "latest", "", "26-09"]
)
def test_anything_else_stops_start_up_with_one_line_naming_the_setting(version: str) -> None:
    with pytest.raises(SettingsError) as raised:
        load_settings(
            _env_file=None, redis_url="redis://127.0.0.1:6390/0", hubspot_api_version=version
        )

    message = str(raised.value)
    assert message.startswith("HUBSPOT_API_VERSION: ")
    assert "YYYY-MM" in message and "v3" in message
    assert "\n" not in message
    with pytest.raises(ValueError):
        Paths(version)
