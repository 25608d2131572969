"""`python -m sandbox.shopify --port N --token T --seed 1 ...`: serve a simulated shop."""

from __future__ import annotations

import argparse
import contextlib
import sys
from datetime import datetime

from .config import SimulatorConfig, ThrottleSettings, WebhookKnobs
from .server import serve
from .versions import SUPPORTED_VERSIONS


def _parser(prog: str) -> argparse.ArgumentParser:
    defaults, knobs, throttle = SimulatorConfig(), WebhookKnobs(), ThrottleSettings()
    parser = argparse.ArgumentParser(prog=prog, description="Serve a simulated Shopify store.")
    add = parser.add_argument
    add("--host", default="127.0.0.1")
    add("--port", type=int, default=0, help="0 picks a free port")
    add("--token", default=defaults.access_token, help="the X-Shopify-Access-Token to require")
    add("--seed", type=int, default=defaults.seed)
    add("--products", type=int, default=defaults.products)
    add("--customers", type=int, default=defaults.customers)
    add("--orders", type=int, default=defaults.orders)
    add("--checkouts", type=int, default=defaults.checkouts)
    add("--now", default=None, help="the store's ISO-8601 'now' at start (default: real time)")
    add("--api-version", default=defaults.api_version, choices=SUPPORTED_VERSIONS)
    add("--shop-domain", default=defaults.shop_domain)
    add("--webhooks-to", default=None, help="also POST every webhook to this URL")
    add("--webhook-secret", default=defaults.webhook_secret, help="the HMAC key of deliveries")
    add("--live-rate", type=float, default=0.0, help="random store changes per second")
    add("--duplicate", type=float, default=0.0, help="probability of a duplicate delivery")
    add("--reorder-window", type=int, default=0, help="deliveries shuffled together")
    add("--delay", type=float, default=0.0, help="seconds added before each delivery")
    add("--drop", type=float, default=0.0, help="probability a delivery is never sent")
    add(
        "--retry-delays",
        default=",".join(str(delay) for delay in knobs.retry_delays),
        help="comma-separated seconds between retries of a failed delivery",
    )
    add("--max-available", type=float, default=throttle.maximum_available)
    add("--restore-rate", type=float, default=throttle.restore_rate)
    add("--rest-bucket-size", type=int, default=throttle.rest_bucket_size)
    add("--rest-leak-rate", type=float, default=throttle.rest_leak_rate)
    add("--bulk-min-seconds", type=float, default=0.0)
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m sandbox.shopify") -> None:
    args = _parser(prog).parse_args(argv)
    try:
        config = SimulatorConfig(
            seed=args.seed,
            products=args.products,
            customers=args.customers,
            orders=args.orders,
            checkouts=args.checkouts,
            api_version=args.api_version,
            shop_domain=args.shop_domain,
            access_token=args.token,
            webhooks_to=args.webhooks_to,
            webhook_secret=args.webhook_secret,
            knobs=WebhookKnobs(
                duplicate_probability=args.duplicate,
                reorder_window=args.reorder_window,
                delay_seconds=args.delay,
                drop_probability=args.drop,
                retry_delays=tuple(float(d) for d in args.retry_delays.split(",") if d.strip()),
            ),
            throttle=ThrottleSettings(
                maximum_available=args.max_available,
                restore_rate=args.restore_rate,
                rest_bucket_size=args.rest_bucket_size,
                rest_leak_rate=args.rest_leak_rate,
            ),
            now=datetime.fromisoformat(args.now) if args.now else None,
            live_rate=args.live_rate,
            bulk_min_seconds=args.bulk_min_seconds,
        )
    except ValueError as exc:
        sys.exit(f"invalid setting: {exc}")

    def ready(port: int) -> None:
        print(f"shopify simulator listening on http://{args.host}:{port}", flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        serve(config, host=args.host, port=args.port, ready=ready)


if __name__ == "__main__":
    main()
