"""W8 for the HubSpot part of `shopspot setup` (S1): a create HubSpot applied but whose answer
was lost is retried, and the retry finds what the first try made."""

from __future__ import annotations

import pytest
import redis

from shopspot.hubspot.client import ClientPolicy, HubSpotClient
from shopspot.hubspot.schema import SetupReport, ensure_group, ensure_pipeline, ensure_properties
from shopspot.mapping.datamodel import ECOMMERCE_PIPELINE, PROPERTIES, PROPERTY_GROUP
from shopspot.ratelimit import RateLimiter
from tests.support.env import HUBSPOT_TOKEN
from tests.support.hubspot import hubspot_sandbox

pytestmark = pytest.mark.integration


def test_w8_setup_rides_out_creates_answered_with_a_502_after_they_were_applied(
    redis_url: str,
) -> None:
    definitions = PROPERTIES["deals"][:2]
    with hubspot_sandbox(fault_after_write_probability=1.0) as view:
        limiter = RateLimiter(redis.Redis.from_url(redis_url), account="setup")
        client = HubSpotClient(view.url, HUBSPOT_TOKEN, limiter, ClientPolicy(rate_limit=10_000))
        report = SetupReport()

        ensure_group(client, "deals", PROPERTY_GROUP, report)
        ensure_properties(client, "deals", definitions, PROPERTY_GROUP.name, report)
        pipeline = ensure_pipeline(client, ECOMMERCE_PIPELINE, report)

        view.configure(fault_after_write_probability=0.0)
        pipelines = view.api.get("/crm/v3/pipelines/deals").json()["results"]
        properties = view.api.get("/crm/v3/properties/deals").json()["results"]
        lost_answers = view.stats()["injected_faults"]["after_write_502"]

    ours = [p["id"] for p in pipelines if p["label"] == ECOMMERCE_PIPELINE.label]
    assert ours == [pipeline.id]
    assert set(pipeline.stage_ids) == {stage.label.value for stage in ECOMMERCE_PIPELINE.stages}
    assert {d.name for d in definitions} <= {p["name"] for p in properties}
    assert lost_answers == 4  # the group, both properties and the pipeline
