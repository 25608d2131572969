"""`shopspot status`: what is queued, done, failed and due, per store and kind of object."""

from __future__ import annotations

import time
from collections import Counter
from typing import Any

from shopspot.runtime import Runtime
from shopspot.topics import Kind, kind_of


def collect(rt: Runtime) -> dict[str, Any]:
    letters = rt.dead_letters.list()
    dead: Counter[tuple[str, str]] = Counter(
        (letter.event.shop, str(kind_of(letter.event.topic) or "")) for letter in letters
    )
    shops = sorted(set(rt.settings.stores) | {shop for shop, _ in dead})
    activity = {(a.shop, a.kind): a for a in rt.activity.all()}
    queues = {kind.value: int(rt.redis.llen(kind.value)) for kind in Kind}
    stores = []
    for shop in shops:
        kinds = []
        for kind in Kind:
            seen = activity.get((shop, kind.value))
            kinds.append(
                {
                    "kind": kind.value,
                    "handled": seen.succeeded if seen else 0,
                    "failed": seen.failed if seen else 0,
                    "last_success_at": seen.last_success_at if seen else None,
                    "last_error": seen.last_error if seen else None,
                    "last_error_at": seen.last_error_at if seen else None,
                    "dead_letters": dead[(shop, kind.value)],
                }
            )
        stores.append({"shop": shop, "kinds": kinds})
    last = rt.due.last_swept()
    interval = rt.settings.sweep_interval_seconds
    identity = rt.memory.identity_events()
    return {
        "stores": stores,
        "queues": queues,
        "pending_writes": {
            name: {"waiting": buffer.waiting(), "in_flight": buffer.in_flight()}
            for name, buffer in rt.buffers.items()
        },
        "stalled_writes": {
            name: {"failures": stall.failures, "since": stall.since, "reason": stall.reason}
            for name in rt.buffers
            if (stall := rt.stalls.get(name)) is not None
        },
        "dead_letters": len(letters),
        # C7: writes not made because their contact was deleted in HubSpot: not failures.
        "skipped_deleted_in_hubspot": rt.memory.skipped(),
        # C10: customers whose email changed, and what became of their contact (ids only).
        "email_changes": {
            "followed": sum(e.outcome == "email_changed" for e in identity),
            "taken": sum(e.outcome == "email_taken" for e in identity),
            "recent": [vars(event) for event in identity[:10]],
        },
        "hubspot_calls_today": rt.hubspot_calls_today(),
        "hubspot_daily_limit": rt.settings.hubspot_daily_limit,
        "checkouts_pending": rt.due.pending(),
        "next_checkout_due_at": rt.due.next_due(),
        "last_sweep_at": last,
        # `shopspot verify`'s last result per shop: what differed, what was written again.
        "verified": rt.verify_log.last(),
        "next_sweep_at": (last + interval) if last else None,
        "generated_at": time.time(),
    }


def render(status: dict[str, Any]) -> str:
    lines = []
    for store in status["stores"]:
        lines.append(f"{store['shop']}")
        header = ("kind", "handled", "failed", "dead", "last success")
        lines.append("  {:<10} {:>8} {:>7} {:>5}  {:<20} last error".format(*header))
        for kind in store["kinds"]:
            lines.append(
                f"  {kind['kind']:<10} {kind['handled']:>8} {kind['failed']:>7} "
                f"{kind['dead_letters']:>5}  {_when(kind['last_success_at']):<20} "
                f"{kind['last_error'] or '-'}"
            )
        lines.append("")
    now = status["generated_at"]
    queues = ", ".join(f"{name} {depth}" for name, depth in status["queues"].items())
    writes = ", ".join(
        f"{name} {value['waiting']} waiting/{value['in_flight']} in flight"
        for name, value in status["pending_writes"].items()
    )
    lines += [
        f"queues:          {queues}",
        f"pending writes:  {writes}",
        *(
            f"stalled:         {name}: oldest write waiting for HubSpot: "
            f"{now - stall['since']:.0f} s, because {stall['reason']}"
            for name, stall in status["stalled_writes"].items()
        ),
        f"dead letters:    {status['dead_letters']}",
        f"skipped:         {sum(status['skipped_deleted_in_hubspot'].values())} writes to "
        "contacts deleted in HubSpot",
        f"email changes:   {status['email_changes']['followed']} followed by their contact, "
        f"{status['email_changes']['taken']} to an email another contact had",
        f"HubSpot today:   {status['hubspot_calls_today']} of {status['hubspot_daily_limit']}",
        f"checkouts:       {status['checkouts_pending']} pending, next due "
        f"{_when(status['next_checkout_due_at'])}",
        f"sweep:           last {_when(status['last_sweep_at'])}, "
        f"next {_when(status['next_sweep_at'])}",
    ]
    lines += [
        f"verified:        {shop} at {_when(last['at'])}: {last['differences']} differences, "
        f"{last['repaired']} written again"
        for shop, last in sorted(status["verified"].items())
    ]
    return "\n".join(lines)


def _when(moment: float | None) -> str:
    return "-" if moment is None else time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(moment))
