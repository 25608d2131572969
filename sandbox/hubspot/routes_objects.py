"""Routes of the objects API: CRUD, list, batch and search."""

from __future__ import annotations

from . import batch, objects, search
from .portal import Portal
from .versions import Api
from .web import ApiRequest, ApiResponse, Route, created, no_content, object_type, ok

_BASE = "/<object_type>"


def _list(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok(objects.list_page(portal, object_type(params), req.args, req.url))


def _create(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    rules = portal.rules.enforced(req.version)
    return created(objects.create(portal, object_type(params), req.json(), rules))


def _read(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok(objects.read(portal, object_type(params), params["object_id"], req.args))


def _update(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    otype = object_type(params)
    rules = portal.rules.enforced(req.version)
    return ok(objects.update(portal, otype, params["object_id"], req.args, req.json(), rules))


def _archive(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    objects.archive(portal, object_type(params), params["object_id"])
    return no_content()


def _search(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok(search.search(portal, object_type(params), req.json()))


def _batch_create(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    rules = portal.rules.enforced(req.version)
    return ApiResponse(*batch.batch_create(portal, object_type(params), req.json(), rules))


def _batch_read(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ApiResponse(*batch.batch_read(portal, object_type(params), req.json(), req.args))


def _batch_update(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    rules = portal.rules.enforced(req.version)
    return ApiResponse(*batch.batch_update(portal, object_type(params), req.json(), rules))


def _batch_upsert(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    rules = portal.rules.enforced(req.version)
    return ApiResponse(*batch.batch_upsert(portal, object_type(params), req.json(), rules))


def _batch_archive(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    batch.batch_archive(portal, object_type(params), req.json())
    return no_content()


ROUTES = Api("/crm/v3/objects", "/crm/objects/<version>").routes(
    (
        Route(_BASE, ("GET",), _list),
        Route(_BASE, ("POST",), _create, writes=True),
        Route(f"{_BASE}/search", ("POST",), _search, search=True),
        Route(f"{_BASE}/batch/create", ("POST",), _batch_create, writes=True),
        Route(f"{_BASE}/batch/read", ("POST",), _batch_read),
        Route(f"{_BASE}/batch/update", ("POST",), _batch_update, writes=True),
        Route(f"{_BASE}/batch/upsert", ("POST",), _batch_upsert, writes=True),
        Route(f"{_BASE}/batch/archive", ("POST",), _batch_archive, writes=True),
        Route(f"{_BASE}/<object_id>", ("GET",), _read),
        Route(f"{_BASE}/<object_id>", ("PATCH",), _update, writes=True),
        Route(f"{_BASE}/<object_id>", ("DELETE",), _archive, writes=True),
    )
)
