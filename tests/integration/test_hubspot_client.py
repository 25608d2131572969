"""Shopspot's HubSpot client against the sandbox: the shared budget, 429 storms, 5xx bursts,
and set-up riding them out (W8)."""

from __future__ import annotations

import subprocess
import sys

import pytest
import redis

from shopspot import portal
from shopspot.hubspot import crm
from shopspot.hubspot.client import ClientPolicy, HubSpotClient
from shopspot.hubspot.errors import Unavailable, ValidationFailed
from shopspot.hubspot.paths import Paths
from shopspot.hubspot.schema import SetupReport, ensure_pipeline
from shopspot.mapping.datamodel import (
    ECOMMERCE_PIPELINE,
    ORDER_PIPELINE,
    PROPERTIES,
    PROPERTY_GROUP,
)
from shopspot.ratelimit import RateLimiter
from shopspot.targets import SyncTarget
from tests.support.env import HUBSPOT_TOKEN, ROOT
from tests.support.hubspot import HubSpotView, hubspot_sandbox

pytestmark = pytest.mark.integration


def client(view: HubSpotView, redis_url: str, **policy: float) -> HubSpotClient:
    limiter = RateLimiter(redis.Redis.from_url(redis_url), account="test-account")
    defaults = {"max_wait_seconds": 60.0, "attempts": 30}
    return HubSpotClient(view.url, HUBSPOT_TOKEN, limiter, ClientPolicy(**{**defaults, **policy}))


def run_two_processes(view: HubSpotView, redis_url: str, rate_limit: int) -> None:
    argv = [sys.executable, "-m", "tests.support.client_load", view.url, redis_url, "10"]
    processes = [subprocess.Popen([*argv, str(rate_limit), "2"], cwd=ROOT) for _ in range(2)]
    assert [process.wait(timeout=60) for process in processes] == [0, 0]


def test_w4_two_processes_sharing_the_limiter_earn_no_429(redis_url: str) -> None:
    with hubspot_sandbox(rate_limit=10, window_seconds=2.0) as view:
        run_two_processes(view, redis_url, rate_limit=10)
        stats = view.stats()

    assert stats["by_endpoint"][f"GET {Paths().objects('contacts')}"] == 20
    assert stats["rate_limited"] == {}


def test_without_a_shared_limit_the_same_load_earns_429s(redis_url: str) -> None:
    # Each process believes it has the whole budget: together they overrun it.
    with hubspot_sandbox(rate_limit=10, window_seconds=2.0) as view:
        run_two_processes(view, redis_url, rate_limit=1000)
        stats = view.stats()

    assert sum(stats["rate_limited"].values()) > 0


def products(n: int) -> list[dict[str, str]]:
    return [
        {"shopify_product_key": f"shop:{i}:{i}", "name": f"Product {i}", "price": "9.50"}
        for i in range(n)
    ]


def prepare(hubspot: HubSpotClient) -> None:
    hubspot.request(
        "POST",
        hubspot.paths.properties("products"),
        json={"name": "shopify_product_key", "label": "Key", "type": "string",
              "fieldType": "text", "groupName": "productinformation", "hasUniqueValue": True},
    )  # fmt: skip


@pytest.mark.parametrize(
    "faults",
    [
        {"fault_429_probability": 0.5},
        {"fault_500_probability": 0.2, "fault_502_probability": 0.2, "fault_503_probability": 0.2},
        {"fault_after_write_probability": 0.4},
    ],
    ids=["429 storm", "5xx burst", "written then 502"],
)
def test_faults_are_ridden_out_with_no_lost_or_doubled_write(
    redis_url: str, faults: dict[str, float]
) -> None:
    with hubspot_sandbox(rate_limit=1000, window_seconds=1.0, seed=3) as view:
        hubspot = client(view, redis_url, window_seconds=1.0, rate_limit=1000)
        prepare(hubspot)
        view.configure(**faults)
        crm.batch_upsert(hubspot, "products", "shopify_product_key", products(250))
        view.configure(**dict.fromkeys(faults, 0.0))
        stored = view.records("products", ["shopify_product_key"])

    keys = sorted(record["properties"]["shopify_product_key"] for record in stored)
    assert keys == sorted(p["shopify_product_key"] for p in products(250))


def test_a_write_that_is_not_safe_to_repeat_is_not_repeated(redis_url: str) -> None:
    with hubspot_sandbox(fault_after_write_probability=1.0) as view:
        hubspot = client(view, redis_url)
        with pytest.raises(Unavailable):
            hubspot.request(
                "POST", hubspot.paths.objects("contacts"), json={"properties": {"email": "a@b.co"}}
            )
        view.configure(fault_after_write_probability=0.0)

        assert len(view.records("contacts", ["email"])) == 1


def test_validation_errors_are_not_retried_and_name_the_property(redis_url: str) -> None:
    with hubspot_sandbox() as view:
        hubspot = client(view, redis_url)
        with pytest.raises(ValidationFailed) as raised:
            hubspot.request(
                "POST", hubspot.paths.objects("contacts"), json={"properties": {"colour": "red"}}
            )
        requests = view.stats()["by_endpoint"][f"POST {hubspot.paths.objects('contacts')}"]

    assert raised.value.problems == {"colour": "PROPERTY_DOESNT_EXIST"}
    assert requests == 1


STAGE_LABELS = [stage.label.value for stage in ECOMMERCE_PIPELINE.stages]


def set_up_twice(view: HubSpotView, hubspot: HubSpotClient) -> tuple[SetupReport, SetupReport]:
    """Set-up under the faults `view` is configured with, then again with none."""
    first, second = SetupReport(), SetupReport()
    portal.set_up_hubspot(hubspot, first, "both")
    view.configure(**dict.fromkeys(FAULTS, 0.0))
    portal.set_up_hubspot(hubspot, second, "both")
    return first, second


FAULTS = (
    "fault_429_probability",
    "fault_500_probability",
    "fault_502_probability",
    "fault_503_probability",
    "fault_after_write_probability",
)


def assert_made_once(view: HubSpotView, first: SetupReport, second: SetupReport) -> None:
    assert second.created == []
    assert set(first.created) <= set(second.existing)
    pipelines = view.api.get("/crm/v3/pipelines/deals").json()["results"]
    assert [p["label"] for p in pipelines].count(ECOMMERCE_PIPELINE.label) == 1
    assert sorted(view.pipeline_stages().values()) == sorted(STAGE_LABELS)
    (orders,) = view.api.get("/crm/v3/pipelines/orders").json()["results"]
    assert orders["label"] == ORDER_PIPELINE.label
    assert [(s["label"], s["metadata"]["state"]) for s in orders["stages"]] == [
        ("Checkout Completed", "OPEN"),
        ("Processed", "OPEN"),
        ("Shipped", "CLOSED"),
        ("Cancelled", "CLOSED"),
    ]


@pytest.mark.parametrize(
    ("target", "commerce"), [("deals", False), ("commerce", True), ("both", True)]
)
def test_setup_makes_what_the_sync_target_writes_into(
    redis_url: str, target: SyncTarget, commerce: bool
) -> None:
    with hubspot_sandbox() as view:
        report = SetupReport()
        found = portal.set_up_hubspot(client(view, redis_url), report, target)
        order_pipelines = view.api.get("/crm/v3/pipelines/orders").json()["results"]
        carts = {p["name"]: p for p in view.api.get("/crm/v3/properties/carts").json()["results"]}

    assert f"deal pipeline {ECOMMERCE_PIPELINE.label}" in report.created
    assert (f"order pipeline {ORDER_PIPELINE.label}" in report.created) is commerce
    assert bool(order_pipelines) is commerce
    assert found.serves(target) and found.serves("deals")
    assert (found.order_pipeline is not None) is commerce
    assert (f"carts property group {PROPERTY_GROUP.name}" in report.created) is commerce
    for object_type in ("orders", "carts"):
        made = {f"{object_type} property {p.name}" for p in PROPERTIES[object_type]}
        assert (made <= set(report.created)) is commerce
    if commerce:
        assert carts["shopify_cart_key"]["hasUniqueValue"] is True
        assert carts["shopify_abandoned_at"]["groupName"] == "shopify"


def test_w8_setup_whose_every_create_loses_its_reply_creates_everything_once(
    redis_url: str,
) -> None:
    # Every write is applied, then answered 502: each create is sent again and refused.
    with hubspot_sandbox(fault_after_write_probability=1.0) as view:
        first, second = set_up_twice(view, client(view, redis_url))
        assert_made_once(view, first, second)
        lost = view.stats()["injected_faults"]

    assert f"deal pipeline {ECOMMERCE_PIPELINE.label}" in first.created
    # Per object type its group and one batch of properties; then the two pipelines.
    assert lost == {"after_write_502": 2 * len(PROPERTIES) + 2}


def test_w8_setup_rides_out_5xx_and_429s(redis_url: str) -> None:
    faults = {
        "fault_429_probability": 0.03,
        "fault_500_probability": 0.04,
        "fault_502_probability": 0.04,
        "fault_503_probability": 0.04,
        "fault_after_write_probability": 0.15,
    }
    # A seed whose draws, over set-up's few calls, include every kind of fault.
    with hubspot_sandbox(window_seconds=1.0, seed=2, **faults) as view:
        first, second = set_up_twice(view, client(view, redis_url, window_seconds=1.0))
        assert_made_once(view, first, second)
        injected = view.stats()["injected_faults"]

    assert set(injected) == {"429", "500", "502", "503", "after_write_502"}


def test_w8_a_missing_stage_whose_reply_is_lost_is_added_once(redis_url: str) -> None:
    with hubspot_sandbox() as view:
        hubspot = client(view, redis_url)
        body = ECOMMERCE_PIPELINE.as_hubspot()
        hubspot.request(
            "POST", hubspot.paths.pipelines("deals"), json={**body, "stages": body["stages"][:2]}
        )  # type: ignore[index]
        view.configure(fault_after_write_probability=1.0)
        report = SetupReport()
        pipeline = ensure_pipeline(hubspot, ECOMMERCE_PIPELINE, report)
        view.configure(fault_after_write_probability=0.0)
        stages = view.pipeline_stages()

    assert sorted(stages.values()) == sorted(STAGE_LABELS)
    assert pipeline.stage_ids == {label: stage_id for stage_id, label in stages.items()}
    assert report.created == [f"deal stage {label}" for label in STAGE_LABELS[2:]]


def test_a_search_goes_on_past_hubspots_10000_results_within_its_own_limit(
    redis_url: str,
) -> None:
    """HubSpot pages through a query's first 10,000 results only; every match still comes,
    once each, in id order, and the pages keep under search's 5 requests a second (a 429
    would pause every process)."""
    with hubspot_sandbox(rate_limit=1000, window_seconds=1.0, search_per_second=5) as view:
        hubspot = client(view, redis_url, window_seconds=1.0, rate_limit=1000)
        prepare(hubspot)
        matching = crm.batch_upsert(hubspot, "products", "shopify_product_key", products(10_250))
        other = [{"shopify_product_key": "other:1:1", "name": "Other", "price": "1.00"}]
        crm.batch_upsert(hubspot, "products", "shopify_product_key", other)
        price = [{"propertyName": "price", "operator": "EQ", "value": "9.50"}]
        found = [r["id"] for r in crm.search_records(hubspot, "products", price, ["price"])]
        stats = view.stats()

    assert found == sorted({r["id"] for r in matching}, key=int)
    assert stats["rate_limited"] == {}


def test_create_or_read_leaves_a_record_that_exists_as_it_is(redis_url: str) -> None:
    with hubspot_sandbox(rate_limit=1000, window_seconds=1.0) as view:
        hubspot = client(view, redis_url, window_seconds=1.0, rate_limit=1000)
        prepare(hubspot)
        (first,) = crm.batch_upsert(hubspot, "products", "shopify_product_key", products(1))
        stubs = [{**p, "name": "From a line"} for p in products(3)]
        ids = crm.create_or_read(hubspot, "products", "shopify_product_key", stubs)
        held = view.records("products", ["shopify_product_key", "name"])
        with pytest.raises(ValidationFailed):
            crm.create_or_read(
                hubspot, "products", "shopify_product_key",
                [{"shopify_product_key": "shop:9:9", "no_such_property": "x"}],
            )  # fmt: skip

    names = {r["properties"]["shopify_product_key"]: r["properties"]["name"] for r in held}
    assert names == {"shop:0:0": "Product 0", "shop:1:1": "From a line", "shop:2:2": "From a line"}
    assert ids == {r["properties"]["shopify_product_key"]: r["id"] for r in held}
    assert ids["shop:0:0"] == first["id"]


def test_a_create_batch_refused_whole_still_writes_every_record_once(redis_url: str) -> None:
    """HubSpot answers traced inputs one by one, but does not promise to: a batch create it
    refuses whole, because one of its records has its key already, is written all the same."""
    with hubspot_sandbox(rate_limit=1000, window_seconds=1.0, per_input_errors=False) as view:
        hubspot = client(view, redis_url, window_seconds=1.0, rate_limit=1000)
        prepare(hubspot)
        crm.batch_upsert(hubspot, "products", "shopify_product_key", products(1))
        renamed = [{**p, "name": f"New {n}"} for n, p in enumerate(products(3))]
        written = crm.create_or_upsert(
            hubspot, "products", "shopify_product_key", renamed, known=(), links={}
        )
        stubs = [{**p, "name": "From a line"} for p in products(5)]
        ids = crm.create_or_read(hubspot, "products", "shopify_product_key", stubs)
        held = view.records("products", ["shopify_product_key", "name"])
        statuses = view.stats()["by_status"]

    names = {r["properties"]["shopify_product_key"]: r["properties"]["name"] for r in held}
    assert names == {
        "shop:0:0": "New 0", "shop:1:1": "New 1", "shop:2:2": "New 2",
        "shop:3:3": "From a line", "shop:4:4": "From a line",
    }  # fmt: skip
    by_key = {r["properties"]["shopify_product_key"]: r["id"] for r in held}
    assert ids == by_key
    assert written.ids == {key: by_key[key] for key in ("shop:0:0", "shop:1:1", "shop:2:2")}
    # Nothing was created with its associations: the caller makes them.
    assert written.linked == frozenset()
    assert statuses["400"] == 2  # both creates refused whole, for the key already taken
