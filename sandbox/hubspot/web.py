"""The small request/response vocabulary the route modules speak."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .errors import bad_request
from .objecttypes import ObjectType, resolve_type
from .portal import Portal


@dataclass(frozen=True)
class ApiRequest:
    args: dict[str, list[str]]
    body: bytes
    # The request's URL without its query, for the links an answer carries.
    url: str
    # The date version of the path, None for HubSpot's numbered (legacy) paths.
    version: str | None

    def json(self) -> Any:
        if not self.body:
            raise bad_request("A JSON request body is required")
        try:
            return json.loads(self.body)
        except json.JSONDecodeError as exc:
            raise bad_request(
                f"Invalid input JSON on line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc
        except UnicodeDecodeError as exc:
            raise bad_request("Invalid input JSON: the body is not UTF-8") from exc


@dataclass
class ApiResponse:
    status: int
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    # False when a write route changed nothing (a batch whose every input failed): a lost
    # answer is injected only after a write that was applied.
    wrote: bool = True


Handler = Callable[[Portal, ApiRequest, dict[str, str]], ApiResponse]


@dataclass(frozen=True)
class Route:
    rule: str
    methods: tuple[str, ...]
    handler: Handler
    search: bool = False
    writes: bool = False


def object_type(params: dict[str, str], key: str = "object_type") -> ObjectType:
    return resolve_type(params[key])


def ok(body: Any) -> ApiResponse:
    return ApiResponse(200, body)


def created(body: Any) -> ApiResponse:
    return ApiResponse(201, body)


def no_content() -> ApiResponse:
    return ApiResponse(204)
