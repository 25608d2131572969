"""The HubSpot part of `shopspot setup` (S1): a handful of calls against a fresh portal and
fewer against one set up; a portal half set up, or a batch refused in part, completed on the
next run; and W8: a create HubSpot applied but whose answer was lost is retried, and the
retry finds what the first try made."""

from __future__ import annotations

import dataclasses
import json
import threading
from collections.abc import Callable
from typing import Any

import pytest
import redis

from shopspot import portal
from shopspot.errors import PermanentError
from shopspot.hubspot.client import ClientPolicy, HubSpotClient
from shopspot.hubspot.errors import Rejected
from shopspot.hubspot.schema import SetupReport, ensure_pipeline, ensure_properties
from shopspot.mapping.datamodel import (
    COMMERCE_TYPES,
    ECOMMERCE_PIPELINE,
    PROPERTIES,
    PROPERTY_GROUP,
    ObjectType,
)
from shopspot.ratelimit import RateLimiter
from shopspot.targets import SyncTarget
from shopspot.trace.records import record_url
from shopspot.trace.store import Record
from tests.integration.test_flush import environment, runtime
from tests.support.env import HUBSPOT_TOKEN
from tests.support.hubspot import HubSpotView, hubspot_sandbox

pytestmark = pytest.mark.integration


def client(view: HubSpotView, redis_url: str, account: str = "setup") -> HubSpotClient:
    limiter = RateLimiter(redis.Redis.from_url(redis_url), account=account)
    return HubSpotClient(view.url, HUBSPOT_TOKEN, limiter, ClientPolicy(rate_limit=10_000))


def calls_of(view: HubSpotView, action: Callable[[], object]) -> int:
    """How many calls HubSpot received while `action` ran."""
    before = int(view.stats()["requests"])
    action()
    return int(view.stats()["requests"]) - before


def properties(view: HubSpotView, object_type: str) -> dict[str, dict[str, Any]]:
    listed = view.api.get(f"/crm/v3/properties/{object_type}").json()["results"]
    return {prop["name"]: prop for prop in listed}


def assert_data_model_in_place(view: HubSpotView, object_types: list[ObjectType]) -> None:
    for object_type in object_types:
        listed = properties(view, object_type)
        for definition in PROPERTIES[object_type]:
            made = listed[definition.name]
            assert made["groupName"] == PROPERTY_GROUP.name
            assert (made["type"], made["fieldType"]) == (definition.type, definition.field_type)
            assert made["hasUniqueValue"] is definition.has_unique_value


def set_up_types(target: SyncTarget) -> list[ObjectType]:
    return [t for t in PROPERTIES if target != "deals" or t not in COMMERCE_TYPES]


@pytest.mark.parametrize(("target", "fresh", "again"), [("deals", 15, 6), ("both", 23, 9)])
def test_setup_takes_a_handful_of_calls_and_fewer_once_done(
    redis_url: str, target: SyncTarget, fresh: int, again: int
) -> None:
    with hubspot_sandbox() as view:
        hubspot = client(view, redis_url)
        first, second = SetupReport(), SetupReport()
        first_calls = calls_of(view, lambda: portal.set_up_hubspot(hubspot, first, target))
        second_calls = calls_of(view, lambda: portal.set_up_hubspot(hubspot, second, target))
        assert_data_model_in_place(view, set_up_types(target))

    # Within the bounds set-up keeps to: ≤ 15 calls for a fresh portal (deals), ≤ 10 again.
    assert (first_calls, second_calls) == (fresh, again)
    assert second.created == [] and set(first.created) <= set(second.existing)


def test_a_half_set_up_portal_is_completed_and_what_was_there_is_kept(redis_url: str) -> None:
    deals = PROPERTIES["deals"]
    with hubspot_sandbox() as view:
        for object_type in ("deals", "contacts"):
            group = PROPERTY_GROUP.as_hubspot()
            view.api.post(f"/crm/v3/properties/{object_type}/groups", json=group)
        half = [d.as_hubspot(PROPERTY_GROUP.name) for d in deals[::2]]
        view.api.post("/crm/v3/properties/deals/batch/create", json={"inputs": half})
        before = {d.name: properties(view, "deals")[d.name]["createdAt"] for d in deals[::2]}
        report = SetupReport()
        hubspot = client(view, redis_url)
        calls = calls_of(view, lambda: portal.set_up_hubspot(hubspot, report, "deals"))
        assert_data_model_in_place(view, set_up_types("deals"))
        after = properties(view, "deals")

    assert {name: after[name]["createdAt"] for name in before} == before
    assert {f"deals property {d.name}" for d in deals[::2]} <= set(report.existing)
    assert {f"deals property {d.name}" for d in deals[1::2]} <= set(report.created)
    # Deals shows its group through its properties; the empty group on contacts is refused
    # as a duplicate when set-up makes it, and counted as found.
    assert "deals property group shopify" in report.existing
    assert "contacts property group shopify" in report.existing
    assert "products property group shopify" in report.created
    assert calls == 14  # a fresh portal's 15, less the deals group


def test_a_batch_refused_in_part_is_completed_by_the_next_run(redis_url: str) -> None:
    # Ten unique-value properties already on deals: HubSpot allows no more, so the batch
    # makes every deal property but the key, and set-up says which and why.
    fillers = [f"merchant_key_{n}" for n in range(10)]
    with hubspot_sandbox() as view:
        hubspot = client(view, redis_url)
        view.api.post("/crm/v3/properties/deals/groups", json={"name": "merchant", "label": "M"})
        filler = {"type": "string", "fieldType": "text", "groupName": "merchant"}
        inputs = [
            {**filler, "name": name, "label": name, "hasUniqueValue": True} for name in fillers
        ]
        view.api.post("/crm/v3/properties/deals/batch/create", json={"inputs": inputs})

        with pytest.raises(Rejected) as refused:
            portal.set_up_hubspot(hubspot, SetupReport(), "deals")
        made_first = set(properties(view, "deals"))
        view.api.delete(f"/crm/v3/properties/deals/{fillers[0]}")
        report = SetupReport()
        portal.set_up_hubspot(hubspot, report, "deals")
        assert_data_model_in_place(view, set_up_types("deals"))

    assert "shopify_deal_key VALIDATION_ERROR" in str(refused.value)
    assert {d.name for d in PROPERTIES["deals"][1:]} <= made_first
    assert "shopify_deal_key" not in made_first
    made_again = [what for what in report.created if what.startswith("deals ")]
    assert made_again == ["deals property shopify_deal_key"]


def test_two_setups_racing_on_a_fresh_portal_make_everything_once(redis_url: str) -> None:
    with hubspot_sandbox(latency_ms=5) as view:
        reports = [SetupReport(), SetupReport()]
        failures: list[BaseException] = []

        def run(report: SetupReport, account: str) -> None:
            try:
                portal.set_up_hubspot(client(view, redis_url, account), report, "both")
            except BaseException as exc:  # reported by the assertion below
                failures.append(exc)

        threads = [
            threading.Thread(target=run, args=(report, f"racer-{n}"))
            for n, report in enumerate(reports)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert_data_model_in_place(view, set_up_types("both"))
        groups = view.api.get("/crm/v3/properties/deals/groups").json()["results"]
        pipelines = view.api.get("/crm/v3/pipelines/deals").json()["results"]

    assert failures == []
    assert [g["name"] for g in groups].count(PROPERTY_GROUP.name) == 1
    assert [p["label"] for p in pipelines].count(ECOMMERCE_PIPELINE.label) == 1
    model = {f"{t} property {d.name}" for t in set_up_types("both") for d in PROPERTIES[t]}
    for report in reports:
        assert model <= set(report.created) | set(report.existing)


def test_w8_setup_rides_out_creates_answered_with_a_502_after_they_were_applied(
    redis_url: str,
) -> None:
    definitions = PROPERTIES["deals"][:2]
    with hubspot_sandbox(fault_after_write_probability=1.0) as view:
        hubspot = client(view, redis_url)
        report = SetupReport()

        ensure_properties(hubspot, "deals", definitions, PROPERTY_GROUP, report)
        pipeline = ensure_pipeline(hubspot, ECOMMERCE_PIPELINE, report)

        view.configure(fault_after_write_probability=0.0)
        pipelines = view.api.get("/crm/v3/pipelines/deals").json()["results"]
        listed = properties(view, "deals")
        lost_answers = view.stats()["injected_faults"]["after_write_502"]

    ours = [p["id"] for p in pipelines if p["label"] == ECOMMERCE_PIPELINE.label]
    assert ours == [pipeline.id]
    assert set(pipeline.stage_ids) == {stage.label.value for stage in ECOMMERCE_PIPELINE.stages}
    assert {d.name for d in definitions} <= set(listed)
    assert lost_answers == 3  # the group, the batch of properties and the pipeline
    assert report.created == [
        *(f"deals property {d.name}" for d in definitions),
        f"deal pipeline {ECOMMERCE_PIPELINE.label}",
    ]


def test_a_portal_set_up_for_an_older_data_model_is_set_up_again_before_a_write(
    redis_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A worker that finds a set-up saved by a Shopspot with an older data model (here: one
    without the deals' newest property, saved before set-ups carried their model) runs set-up
    again, so its writes of the new property are not refused."""
    *older, newest = PROPERTIES["deals"]
    with hubspot_sandbox() as view:
        rt = runtime(environment(redis_url, view))
        with monkeypatch.context() as patched:
            patched.setattr(portal, "PROPERTIES", {**PROPERTIES, "deals": tuple(older)})
            first = portal.set_up_hubspot(rt.hubspot, SetupReport(), "deals")
        saved = dataclasses.asdict(first)
        assert newest.name not in properties(view, "deals")
        rt.redis.set(
            portal.KEY_PREFIX + rt.account,
            json.dumps(
                {
                    "portal_id": first.portal_id,
                    "pipeline_id": first.pipeline.id,
                    "stage_ids": first.pipeline.stage_ids,
                    "with_hs_images": first.with_hs_images,
                    "currencies": sorted(first.currencies),
                }
            ),
        )

        again = rt.portal()
        listed = properties(view, "deals")

    assert portal.load(rt.redis, rt.account) == again
    assert dataclasses.asdict(again) == {**saved, "model": portal.MODEL}
    assert newest.name in listed


def test_a_property_someone_else_made_unfit_for_shopspot_stops_setup_with_its_name(
    redis_url: str,
) -> None:
    """An upsert key made by hand without unique values, or a property of another type,
    would refuse every write: set-up says which and why instead of leaving it to the writes."""
    with hubspot_sandbox() as view:
        view.api.post("/crm/v3/properties/deals/groups", json={"name": "merchant", "label": "M"})
        made = {"groupName": "merchant", "type": "string", "fieldType": "text"}
        inputs = [
            {**made, "name": "shopify_deal_key", "label": "Key", "hasUniqueValue": False},
            {**made, "name": "shopify_order_number", "label": "Number"},
        ]
        view.api.post("/crm/v3/properties/deals/batch/create", json={"inputs": inputs})
        with pytest.raises(PermanentError) as refused:
            portal.set_up_hubspot(client(view, redis_url), SetupReport(), "deals")

    assert str(refused.value) == (
        "HubSpot's deals properties shopify_deal_key does not require unique values, which an "
        "upsert key needs; shopify_order_number is of type string, not number: Shopspot cannot "
        "write them; archive or rename them in HubSpot and run set-up again"
    )


def test_setup_keeps_where_an_eu_portal_shows_its_records(redis_url: str) -> None:
    """Links to records (`shopspot trace`) point at the portal's own domain."""
    with hubspot_sandbox(ui_domain="app-eu1.hubspot.com", portal_id=246810) as view:
        rt = runtime(environment(redis_url, view))
        found = rt.portal()

    assert (found.ui_domain, found.portal_id) == ("app-eu1.hubspot.com", 246810)
    assert portal.load(rt.redis, rt.account) == found
    deal = Record(type="deal", id="42")
    assert record_url(found.ui_domain, found.portal_id, deal) == (
        "https://app-eu1.hubspot.com/contacts/246810/record/0-3/42"
    )
