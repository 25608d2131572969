"""`python -m sandbox.hubspot --port N --token T ...`: serve a sandbox portal."""

from __future__ import annotations

import argparse
import contextlib
import sys

from .config import SandboxConfig
from .server import serve


def _parser(prog: str) -> argparse.ArgumentParser:
    defaults = SandboxConfig()
    parser = argparse.ArgumentParser(
        prog=prog, description="Serve a local HubSpot CRM API sandbox."
    )
    add = parser.add_argument
    add("--host", default="127.0.0.1")
    add("--port", type=int, default=0, help="0 picks a free port")
    add("--token", default=defaults.token, help="the Bearer token clients must send")
    add("--portal-id", type=int, default=defaults.portal_id)
    add("--rate-limit", type=int, default=defaults.rate_limit, help="requests per window")
    add("--window-seconds", type=float, default=defaults.window_seconds)
    add("--daily-limit", type=int, default=defaults.daily_limit)
    add("--search-per-second", type=int, default=defaults.search_per_second)
    add("--fault-429", type=float, default=0.0, help="probability of an injected 429")
    add("--fault-500", type=float, default=0.0, help="probability of an injected 500")
    add("--fault-502", type=float, default=0.0, help="probability of an injected 502")
    add("--fault-503", type=float, default=0.0, help="probability of an injected 503")
    add(
        "--fault-after-write",
        type=float,
        default=0.0,
        help="probability that an applied write is answered with 502",
    )
    add("--latency-ms", type=float, default=0.0, help="delay added to every API request")
    add("--retry-after", action="store_true", help="send Retry-After on 429 responses")
    add("--count-rejected", action="store_true", help="429s use up the rate budget too")
    add("--ordered-batches", action="store_true", help="keep batch results in input order")
    add("--time-zone", default=defaults.time_zone)
    add("--currency", default=defaults.company_currency, help="the company currency")
    add("--extra-currencies", default="", help="comma-separated additional currencies")
    add("--seed", type=int, default=None, help="seed for faults and batch order")
    return parser


def main(argv: list[str] | None = None, prog: str = "python -m sandbox.hubspot") -> None:
    args = _parser(prog).parse_args(argv)
    try:
        config = SandboxConfig(
            token=args.token,
            portal_id=args.portal_id,
            rate_limit=args.rate_limit,
            window_seconds=args.window_seconds,
            daily_limit=args.daily_limit,
            search_per_second=args.search_per_second,
            fault_429_probability=args.fault_429,
            fault_500_probability=args.fault_500,
            fault_502_probability=args.fault_502,
            fault_503_probability=args.fault_503,
            fault_after_write_probability=args.fault_after_write,
            latency_ms=args.latency_ms,
            retry_after=args.retry_after,
            count_rejected=args.count_rejected,
            shuffle_batch_results=not args.ordered_batches,
            time_zone=args.time_zone,
            company_currency=args.currency,
            additional_currencies=tuple(c for c in args.extra_currencies.split(",") if c),
            seed=args.seed,
        )
    except ValueError as exc:
        sys.exit(f"invalid setting: {exc}")

    def ready(port: int) -> None:
        print(f"hubspot sandbox listening on http://{args.host}:{port}", flush=True)

    with contextlib.suppress(KeyboardInterrupt):
        serve(config, host=args.host, port=args.port, ready=ready)


if __name__ == "__main__":
    main()
