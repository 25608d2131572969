"""A simulated Shopify store and a HubSpot sandbox side by side, with Shopspot's commands
pointed at both: what the import and reconciliation tests run against."""

from __future__ import annotations

from typing import Any

import redis
from click.testing import CliRunner

from cli.main import main
from shopspot.deadletters import DeadLetterStore
from tests.sandbox.shopify_fixtures import TOKEN, Running
from tests.support.env import SETTING_NAMES, service_env
from tests.support.hubspot import HubSpotView
from tests.support.idle import settle


class Simulated:
    def __init__(self, simulator: Running, hubspot: HubSpotView, env: dict[str, str]) -> None:
        self.simulator = simulator
        self.hubspot = hubspot
        self.env = env
        self.redis = redis.Redis.from_url(env["REDIS_URL"])

    def env_for_processes(self) -> dict[str, str]:
        """The environment of Shopspot processes (receiver, worker) a test starts."""
        return service_env(self.env["REDIS_URL"], **self.env)

    def settle(self) -> None:
        settle(self.redis)

    def dead_letters(self) -> list[str]:
        return [letter.reason for letter in DeadLetterStore(self.redis).list()]

    def cli(self, *args: str) -> str:
        result = CliRunner().invoke(main, list(args), env=self.env)
        assert result.exit_code == 0, result.output
        return result.stdout

    def expected(self) -> dict[str, Any]:
        """What the simulator says HubSpot should hold (stages with no deal left out)."""
        answer: dict[str, Any] = self.simulator.client.get("/_simulator/expected").json()
        answer["deals_by_stage"] = {s: n for s, n in answer["deals_by_stage"].items() if n}
        return answer

    def held(self) -> dict[str, Any]:
        """What HubSpot holds, counted as the simulator counts it."""
        stages = self.hubspot.pipeline_stages()
        deals = self.hubspot.records("deals", ["dealstage", "shopify_deal_key", "amount"])
        by_stage: dict[str, int] = {}
        for deal in deals:
            label = stages[deal["properties"]["dealstage"]]
            by_stage[label] = by_stage.get(label, 0) + 1
        return {
            "contacts": len(self.hubspot.records("contacts", ["email"])),
            "products": len(self.hubspot.records("products", ["shopify_product_key"])),
            "deals": len(deals),
            "deals_by_stage": by_stage,
        }


def environment(redis_url: str, simulator: Running, hubspot: HubSpotView) -> dict[str, str]:
    env = service_env(
        redis_url,
        HUBSPOT_BASE_URL=hubspot.url,
        HUBSPOT_RATE_LIMIT_PER_10S="100000",
        SHOPIFY_SHOP_DOMAIN="shopspot-simulator.myshopify.com",
        SHOPIFY_ACCESS_TOKEN=TOKEN,
        SHOPIFY_WEBHOOK_SECRET=simulator.app.sim.config.webhook_secret,
        SHOPIFY_ADMIN_BASE_URL=simulator.url,
        SHOPIFY_API_VERSION="2025-01",
    )
    return {name: value for name, value in env.items() if name in SETTING_NAMES}
