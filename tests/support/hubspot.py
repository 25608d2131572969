"""A HubSpot sandbox served over real HTTP from the test process, and ways to read it
through HubSpot's own API paths, as a merchant's report would."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from sandbox.hubspot import SandboxConfig, create_server
from tests.support.env import HUBSPOT_TOKEN


class HubSpotView:
    def __init__(self, url: str) -> None:
        self.url = url
        self.api = httpx.Client(
            base_url=url, headers={"Authorization": f"Bearer {HUBSPOT_TOKEN}"}, timeout=10
        )
        self.control = httpx.Client(base_url=url, timeout=10)

    def records(self, object_type: str, properties: list[str]) -> list[dict[str, Any]]:
        """Every active record, with the named properties (HubSpot's list endpoint)."""
        found: list[dict[str, Any]] = []
        after: str | None = None
        while True:
            params = {"limit": "100", "properties": ",".join(properties)}
            if after:
                params["after"] = after
            answer = self.api.get(f"/crm/v3/objects/{object_type}", params=params).json()
            found += answer["results"]
            after = ((answer.get("paging") or {}).get("next") or {}).get("after")
            if not after:
                return found

    def associations(self, from_type: str, to_type: str, ids: list[str]) -> dict[str, list[str]]:
        """The active records of `to_type` each record is associated with, read in batches
        of 1,000 (HubSpot's v4 batch read); records with none are left out."""
        found: dict[str, list[str]] = {}
        for start in range(0, len(ids), 1000):
            inputs = [{"id": record_id} for record_id in ids[start : start + 1000]]
            answer = self.api.post(
                f"/crm/v4/associations/{from_type}/{to_type}/batch/read", json={"inputs": inputs}
            )
            answer.raise_for_status()
            for result in answer.json()["results"]:
                found[str(result["from"]["id"])] = [str(to["toObjectId"]) for to in result["to"]]
        return found

    def associated(self, from_type: str, record_id: str, to_type: str) -> list[str]:
        answer = self.api.get(
            f"/crm/v4/objects/{from_type}/{record_id}/associations/{to_type}"
        ).json()
        return [str(result["toObjectId"]) for result in answer["results"]]

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = self.control.get("/_sandbox/stats").json()
        return stats

    def configure(self, **settings: Any) -> None:
        self.control.post("/_sandbox/config", json=settings).raise_for_status()

    def visited_from(self, contact_id: str, source: str) -> None:
        """What HubSpot's tracking records when a contact first came from `source`."""
        visit = {"id": contact_id, "source": source}
        self.control.post("/_sandbox/analytics-source", json=visit).raise_for_status()

    def pipeline_stages(self) -> dict[str, str]:
        """Stage id → label of the Ecommerce Pipeline."""
        for pipeline in self.api.get("/crm/v3/pipelines/deals").json()["results"]:
            if pipeline["label"] == "Ecommerce Pipeline":
                return {stage["id"]: stage["label"] for stage in pipeline["stages"]}
        return {}


@contextmanager
def hubspot_sandbox(**settings: Any) -> Iterator[HubSpotView]:
    config = SandboxConfig(token=HUBSPOT_TOKEN, **settings)
    server = create_server(config)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HubSpotView(f"http://127.0.0.1:{server.server_port}")
    finally:
        server.shutdown()
        server.server_close()
