"""Original Source (`hs_analytics_source`): HubSpot sets it, never an API write; a contact an
app creates starts as OFFLINE, and the sandbox's control API plays HubSpot's tracking."""

from __future__ import annotations

import httpx

from tests.sandbox.conftest import Crm


def test_a_created_contact_starts_offline_and_tracking_sets_its_source(
    crm: Crm, hs: httpx.Client, hs_admin: httpx.Client
) -> None:
    contact = crm.create("contacts", email="ada@example.com")
    path = f"/crm/v3/objects/contacts/{contact['id']}"

    assert (
        hs.get(path, params={"properties": "hs_analytics_source"}).json()["properties"][
            "hs_analytics_source"
        ]
        == "OFFLINE"
    )
    visit = {"id": contact["id"], "source": "ORGANIC_SEARCH"}
    assert hs_admin.post("/_sandbox/analytics-source", json=visit).status_code == 200
    shown = hs.get(path, params={"properties": "hs_analytics_source"}).json()["properties"]
    assert shown["hs_analytics_source"] == "ORGANIC_SEARCH"


def test_original_source_refuses_api_writes_and_unknown_sources(
    crm: Crm, hs: httpx.Client, hs_admin: httpx.Client
) -> None:
    contact = crm.create("contacts", email="ada@example.com")

    write = {"properties": {"hs_analytics_source": "PAID_SEARCH"}}
    refused = hs.patch(f"/crm/v3/objects/contacts/{contact['id']}", json=write)
    assert refused.status_code == 400 and "READ_ONLY_VALUE" in refused.text
    bad = {"id": contact["id"], "source": "CARRIER_PIGEON"}
    assert hs_admin.post("/_sandbox/analytics-source", json=bad).status_code == 400
