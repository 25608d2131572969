"""What every batch endpoint shares: reading `inputs` and shaping `BatchResponse…` bodies."""

from __future__ import annotations

from typing import Any

from .clock import iso_ms, now_ms
from .errors import bad_request, batch_too_large
from .portal import Portal


def read_inputs(body: Any, limit: int | None) -> list[dict[str, Any]]:
    """The inputs of a batch request of at most `limit` inputs (None: no limit)."""
    if not isinstance(body, dict) or not isinstance(body.get("inputs"), list):
        raise bad_request("Request body must be a JSON object with an inputs list")
    inputs: list[dict[str, Any]] = body["inputs"]
    if limit is not None and len(inputs) > limit:
        raise batch_too_large(limit)
    for item in inputs:
        if not isinstance(item, dict):
            raise bad_request("Each batch input must be a JSON object")
    return inputs


def input_id(item: dict[str, Any], key: str = "id") -> str:
    value = item.get(key)
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        raise bad_request(f"Each batch input needs a non-empty {key}")
    return value


def nested_id(item: dict[str, Any], key: str) -> str:
    side = item.get(key)
    if not isinstance(side, dict):
        raise bad_request(f"Each batch input needs {key}: {{id}}")
    return input_id(side)


def response(
    portal: Portal,
    results: list[dict[str, Any]],
    errors: list[dict[str, Any]],
    started_ms: int,
    ok_status: int,
) -> tuple[int, dict[str, Any]]:
    """200/201 when every input succeeded, else 207 with `numErrors` and `errors`."""
    body: dict[str, Any] = {"status": "COMPLETE", "results": portal.in_batch_order(results)}
    if errors:
        body["numErrors"] = len(errors)
        body["errors"] = errors
    body["startedAt"] = iso_ms(started_ms)
    body["completedAt"] = iso_ms(now_ms())
    return (207 if errors else ok_status), body
