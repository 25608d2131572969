"""HubSpot's error bodies, raised as exceptions so any layer can refuse a request."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from typing import Any

VALIDATION_ERROR = "VALIDATION_ERROR"
OBJECT_NOT_FOUND = "OBJECT_NOT_FOUND"
CONFLICT = "CONFLICT"
OBJECT_ALREADY_EXISTS = "OBJECT_ALREADY_EXISTS"


def correlation_id() -> str:
    return str(uuid.uuid4())


class ApiError(Exception):
    """A refusal with HubSpot's `Error` body: status, message, correlationId, category, …"""

    def __init__(self, status: int, message: str, category: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.category = category
        self.extra = extra
        self.body: dict[str, Any] = {
            "status": "error",
            "message": message,
            "correlationId": correlation_id(),
            "category": category,
            **extra,
        }

    def as_batch_error(self, context: dict[str, list[str]]) -> dict[str, Any]:
        """The `StandardError` element a 207 batch response lists for one failed input."""
        element: dict[str, Any] = {
            "status": "error",
            "category": self.category,
            "message": self.message,
            "context": context,
            "errors": self.extra.get("errors", []),
            "links": {},
        }
        if "subCategory" in self.extra:
            element["subCategory"] = self.extra["subCategory"]
        return element


def bad_request(message: str, **extra: Any) -> ApiError:
    return ApiError(400, message, VALIDATION_ERROR, **extra)


def not_found(message: str = "resource not found") -> ApiError:
    return ApiError(404, message, OBJECT_NOT_FOUND)


def conflict(message: str) -> ApiError:
    return ApiError(409, message, CONFLICT)


def already_exists(message: str) -> ApiError:
    return ApiError(409, message, OBJECT_ALREADY_EXISTS)


def batch_too_large(limit: int) -> ApiError:
    return bad_request(
        f"The maximum number of inputs supported in a batch request is {limit}. "
        "Please reduce the number of items and try again"
    )


@dataclass(frozen=True)
class PropertyIssue:
    """One entry of HubSpot's "Property values were not valid: [...]" list."""

    name: str
    error: str
    message: str
    value: str | None = None


def invalid_properties(issues: list[PropertyIssue], portal_id: int) -> ApiError:
    """400 VALIDATION_ERROR whose message embeds the issues as JSON, as HubSpot's does."""
    entries = []
    for issue in issues:
        entry: dict[str, Any] = {
            "isValid": False,
            "message": issue.message,
            "error": issue.error,
            "name": issue.name,
            "localizedErrorMessage": issue.message,
        }
        if issue.value is not None:
            entry["propertyValue"] = issue.value
        entry["portalId"] = portal_id
        entries.append(entry)
    message = "Property values were not valid: " + json.dumps(entries, separators=(",", ":"))
    details = [
        {"message": i.message, "code": i.error, "context": {"propertyName": [i.name]}}
        for i in issues
    ]
    return bad_request(message, errors=details)
