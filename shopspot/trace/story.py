"""`shopspot trace`: one object's story as a timeline, and where it stands now.

Where it stands is asked of what holds it, not guessed from the story: the buffers (its
write waits or is being written), the deliveries whose task has not run yet, the dead
letters, and Shopspot's memory of the HubSpot records it wrote (and of the deal's stage).
"""

from __future__ import annotations

import time
from collections import defaultdict
from typing import Any

from shopspot import portal
from shopspot.mapping.values import timestamp_ms
from shopspot.portal import PortalSetup
from shopspot.runtime import Runtime
from shopspot.topics import Buffer
from shopspot.trace.records import hubspot_records, record_url
from shopspot.trace.store import Entry, Record, Step, Subject

# What the task made of a delivery that leaves nothing to do, and what leaves it to do again.
_SETTLED_BY_TASK = frozenset({"queued", "stale", "duplicate", "unchanged", "dead_letter"})
# Where a story ends until the next delivery: in HubSpot, or in the dead-letter store.
_FINAL = frozenset({"written", "dead_letter"})
# How the other steps read in the timeline.
_PHRASES = {
    ("receiver", "accepted"): "{topic}, event {event}, {version}: accepted",
    ("receiver", "duplicate"): (
        "{topic}, event {event}: duplicate, answered without queueing it again"
    ),
    ("task", "queued"): "{version} queued for the next flush of {buffer}",
    ("task", "stale"): "{version} not queued: older than one already queued or written (stale)",
    ("task", "duplicate"): "{version} not queued: already queued or written (duplicate)",
    ("task", "unchanged"): "{topic}: nothing to write to HubSpot",
}


def collect(rt: Runtime, subject: Subject) -> dict[str, Any]:
    entries = rt.traces.entries(subject)
    # Without HubSpot's token the portal is unknown: records are named, not linked.
    setup = portal.load(rt.redis, rt.account) if rt.settings.hubspot_access_token else None
    return {
        "shop": subject.shop,
        "kind": subject.kind.value,
        "id": subject.ident,
        "kept_days": rt.settings.trace_days,
        "timeline": [_step(entry, setup) for entry in entries],
        "now": _now(rt, subject, entries, setup),
    }


def _step(entry: Entry, setup: PortalSetup | None) -> dict[str, Any]:
    step = entry.model_dump(mode="json", exclude_none=True)
    step["time"] = _when(entry.at)
    if entry.records is not None:
        step["records"] = [_record(record, setup) for record in entry.records]
    return step


def _record(record: Record, setup: PortalSetup | None) -> dict[str, Any]:
    url = None if setup is None else record_url(setup.ui_domain, setup.portal_id, record)
    return {"type": record.type, "id": record.id, "url": url}


def _now(
    rt: Runtime, subject: Subject, entries: list[Entry], setup: PortalSetup | None
) -> dict[str, Any]:
    items: dict[str, list[str]] = defaultdict(list)
    for entry in entries:
        if entry.buffer and entry.item and entry.item not in items[entry.buffer]:
            items[entry.buffer].append(entry.item)
    held = {name: rt.buffers[Buffer(name)].whereabouts(keys) for name, keys in items.items()}
    places = {place for found in held.values() for where in found.values() for place in where}
    # A write held up by failing flushes: how long and why, as `shopspot status` tells it.
    stalls = {name: rt.stalls.get(name) for name, found in held.items() if found}
    final = next((e for e in reversed(entries) if e.outcome in _FINAL), None)
    deal = next((e.deal for e in reversed(entries) if e.deal), None)
    (records,) = hubspot_records(rt.memory, [(subject, deal)])
    letters = [
        {"id": e.letter, "reason": e.reason, "held": rt.dead_letters.get(e.letter) is not None}
        for e in entries
        if e.letter
    ]
    return {
        "state": _state(places, _unqueued(entries), final, entries),
        "records": [_record(record, setup) for record in records],
        "deal_stage": rt.memory.deals([deal])[deal].stage if deal else None,
        "dead_letters": letters,
        "stalled": [{"buffer": name, **vars(stall)} for name, stall in stalls.items() if stall],
    }


def _unqueued(entries: list[Entry]) -> set[str]:
    """The deliveries accepted whose task has not run yet, or will run again (a retry)."""
    last_by_task = {e.event_id: e.outcome for e in entries if e.step is Step.TASK and e.event_id}
    return {
        e.event_id
        for e in entries
        if e.step is Step.RECEIVER
        and e.outcome == "accepted"
        and e.event_id
        and last_by_task.get(e.event_id) not in _SETTLED_BY_TASK
    }


def _state(places: set[str], unqueued: set[str], final: Entry | None, entries: list[Entry]) -> str:
    if "in_flight" in places:
        return "in flight"
    if "waiting" in places:
        return "waiting"
    if unqueued:
        return "received"
    if final is not None:
        return "written" if final.outcome == "written" else "dead-lettered"
    return "unchanged" if entries else "untraced"


def render(story: dict[str, Any]) -> str:
    lines = [
        f"{story['kind']} {story['id']} of {story['shop']} "
        f"(UTC; steps are kept {story['kept_days']} days)",
    ]
    lines += [f"{step['time']}  {step['step']:<8}  {_describe(step)}" for step in story["timeline"]]
    now = story["now"]
    where = ", ".join(_name(record) for record in now["records"]) or "no HubSpot record"
    stage = f" in stage {now['deal_stage']}" if now["deal_stage"] else ""
    notes = [f"dead letter {letter['id']}" for letter in now["dead_letters"] if letter["held"]]
    notes += [
        f"flushes of {stall['buffer']} failed {stall['failures']} times in a row since "
        f"{_when(stall['since'])}: {stall['reason']}"
        for stall in now["stalled"]
    ]
    lines.append(f"{'':<19}  {'now':<8}  {now['state']}: {where}{stage}")
    lines += [f"{'':<31}{note}" for note in notes]
    return "\n".join(lines)


def _describe(step: dict[str, Any]) -> str:
    version = f"version {timestamp_ms(step['version'])}" if "version" in step else "no version"
    reason = step.get("reason", "")
    match step["outcome"]:
        case "retry":
            since = (
                f" {step['retries']} times since {_when(step['since'])}" if "since" in step else ""
            )
            return f"failed{since}, to be tried again: {reason}"
        case "dead_letter":
            return f"dead-lettered as {step['letter']}: {reason}"
        case "written":
            named = [_name(record) for record in step["records"]]
            more = [f"{step['more_records']} more"] if "more_records" in step else []
            return f"{version} written to HubSpot: {', '.join(named + more) or 'no record left'}"
    phrase = _PHRASES.get((step["step"], step["outcome"]), "{outcome}")
    return phrase.format(
        topic=step.get("topic", "-"),
        event=step.get("event_id", "-"),
        version=version,
        buffer=step.get("buffer", "-"),
        outcome=step["outcome"],
    )


def _name(record: dict[str, Any]) -> str:
    return " ".join(filter(None, (record["type"], record["id"], record["url"])))


def _when(moment: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(moment))
