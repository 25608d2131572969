"""Routes of the properties API: properties and property groups."""

from __future__ import annotations

from . import property_batch
from .objects import flag_param
from .portal import Portal
from .versions import Api
from .web import ApiRequest, ApiResponse, Route, created, no_content, object_type, ok

_BASE = "/<object_type>"


def _list(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    props = portal.properties.definitions(object_type(params), flag_param(req.args, "archived"))
    return ok({"results": [p.to_json() for p in props]})


def _create(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return created(portal.properties.create(object_type(params), req.json()).to_json())


def _read(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    archived = flag_param(req.args, "archived")
    return ok(portal.properties.get(object_type(params), params["name"], archived).to_json())


def _update(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    prop = portal.properties.update(object_type(params), params["name"], req.json())
    return ok(prop.to_json())


def _archive(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    portal.properties.archive(object_type(params), params["name"])
    return no_content()


def _batch_create(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    status, body = property_batch.batch_create(portal, object_type(params), req.json())
    return ApiResponse(status, body, wrote=bool(body["results"]))


def _batch_read(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ApiResponse(*property_batch.batch_read(portal, object_type(params), req.json()))


def _groups(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok({"results": [g.to_json() for g in portal.properties.groups(object_type(params))]})


def _create_group(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return created(portal.properties.create_group(object_type(params), req.json()).to_json())


def _read_group(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok(portal.properties.group(object_type(params), params["name"]).to_json())


ROUTES = Api("/crm/v3/properties", "/crm/properties/<version>").routes(
    (
        Route(_BASE, ("GET",), _list),
        Route(_BASE, ("POST",), _create, writes=True),
        Route(f"{_BASE}/batch/create", ("POST",), _batch_create, writes=True),
        Route(f"{_BASE}/batch/read", ("POST",), _batch_read),
        Route(f"{_BASE}/groups", ("GET",), _groups),
        Route(f"{_BASE}/groups", ("POST",), _create_group, writes=True),
        Route(f"{_BASE}/groups/<name>", ("GET",), _read_group),
        Route(f"{_BASE}/<name>", ("GET",), _read),
        Route(f"{_BASE}/<name>", ("PATCH",), _update, writes=True),
        Route(f"{_BASE}/<name>", ("DELETE",), _archive, writes=True),
    )
)
