"""HubSpot's answers as typed exceptions, each declaring whether a retry can help.

Messages carry categories, codes and property names, never HubSpot's free-text message:
it can quote the values that were sent (an email address, a name).
"""

from __future__ import annotations

import json
import re
from typing import Any

from shopspot.errors import PermanentError, RetryAfter, TransientError

_EXISTING_ID = re.compile(r"Existing ID: (\d+)")
_MISSING_PROPERTY = re.compile(r'Property "([\w.-]+)" does not exist')


class HubSpotError(Exception):
    status: int = 0
    category: str = ""


class RateLimited(RetryAfter, HubSpotError):
    """429: HubSpot's budget is spent; `wait_seconds` is how long it asked us to wait."""

    status = 429

    def __init__(self, policy: str, wait_seconds: float) -> None:
        super().__init__(
            f"HubSpot rate limit {policy}: retry in {wait_seconds:.1f} s", wait_seconds
        )
        self.policy = policy


class Unavailable(TransientError, HubSpotError):
    """5xx, 423, 477, a timeout or a dropped connection: worth retrying later."""

    def __init__(self, status: int, detail: str) -> None:
        super().__init__(f"HubSpot unavailable: {detail}")
        self.status = status


class Rejected(PermanentError, HubSpotError):
    """A 4xx that the same request would get again."""

    def __init__(self, status: int, category: str, detail: str = "") -> None:
        super().__init__(f"HubSpot {status} {category}" + (f": {detail}" if detail else ""))
        self.status = status
        self.category = category


class AuthFailed(Rejected):
    """401 or 403: the token is wrong, expired, or lacks a scope."""


class NotFound(Rejected):
    pass


class Conflict(Rejected):
    """409: the record exists already (`existing_id` when HubSpot names it)."""

    def __init__(self, category: str, existing_id: str | None) -> None:
        super().__init__(409, category, f"existing id {existing_id}" if existing_id else "")
        self.existing_id = existing_id


# The codes of a portal's own validation rules, which HubSpot applies to API writes from the
# 2026-09 API version on (changelog "CRM API write validation enforcement"): what the merchant
# reads in a dead letter, to know it is the portal's rule, not Shopspot's data, that refused.
_PORTAL_RULES = {
    "MISSING_REQUIRED_PROPERTY": "the portal requires it on every new record",
    "MISSING_CONDITIONAL_REQUIRED_PROPERTY": "a conditional rule of the portal requires it",
}


class ValidationFailed(Rejected):
    """400: `problems` maps each property HubSpot refused to its error code."""

    def __init__(self, category: str, problems: dict[str, str]) -> None:
        detail = ", ".join(_problem(name, code) for name, code in sorted(problems.items()))
        super().__init__(400, category, detail)
        self.problems = problems


def _problem(name: str, code: str) -> str:
    rule = _PORTAL_RULES.get(code)
    return f"{name} {code}" + (f" ({rule})" if rule else "")


def error_for(status: int, body: Any) -> HubSpotError:
    """The exception for a non-2xx answer other than 429."""
    body = body if isinstance(body, dict) else {}
    category = str(body.get("category") or body.get("errorType") or "UNKNOWN")
    message = str(body.get("message") or "")
    if status >= 500 or status in (423, 477):
        return Unavailable(status, f"{status} {category}")
    if status in (401, 403):
        return AuthFailed(status, category)
    if status == 404:
        return NotFound(status, category)
    if status == 409:
        match = _EXISTING_ID.search(message)
        return Conflict(category, match.group(1) if match else None)
    if status == 400:
        return ValidationFailed(category, property_problems(body))
    return Rejected(status, category)


def property_problems(body: dict[str, Any]) -> dict[str, str]:
    """Property name → error code, from `errors[]` or from the JSON inside the message."""
    problems: dict[str, str] = {}
    for error in body.get("errors") or []:
        if not isinstance(error, dict):
            continue
        names = (error.get("context") or {}).get("propertyName") or []
        for name in names if isinstance(names, list) else [names]:
            problems[str(name)] = str(error.get("code") or "INVALID")
    message = str(body.get("message") or "")
    for name in _MISSING_PROPERTY.findall(message):
        problems.setdefault(name, "PROPERTY_DOESNT_EXIST")
    start = message.find("[")
    if start >= 0:
        try:
            details = json.loads(message[start:])
        except ValueError:
            details = []
        for detail in details if isinstance(details, list) else []:
            if isinstance(detail, dict) and detail.get("name"):
                problems[str(detail["name"])] = str(detail.get("error") or "INVALID")
    return problems
