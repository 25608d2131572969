"""Routes of the associations API (v4 in the numbered paths): one record's links, and links
between pairs of records in batches."""

from __future__ import annotations

from . import linking
from .errors import bad_request
from .objects import last_param
from .portal import Portal
from .versions import Api
from .web import ApiRequest, ApiResponse, Route, created, no_content, object_type, ok

_RECORD = "/<from_type>/<from_id>/associations"
_PAIR = "/<from_type>/<to_type>"


def _put_default(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    from_type, to_type = object_type(params, "from_type"), object_type(params, "to_type")
    body = linking.put_default(portal, from_type, params["from_id"], to_type, params["to_id"])
    return ok(body)


def _put_labelled(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    from_type, to_type = object_type(params, "from_type"), object_type(params, "to_type")
    body = linking.put_labelled(
        portal, from_type, params["from_id"], to_type, params["to_id"], req.json()
    )
    return created(body)


def _list(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    from_type, to_type = object_type(params, "from_type"), object_type(params, "to_type")
    raw_limit = last_param(req.args, "limit") or str(linking.LIST_LIMIT)
    if not raw_limit.isdigit() or not 1 <= int(raw_limit) <= linking.LIST_LIMIT:
        raise bad_request(f"limit must be an integer from 1 to {linking.LIST_LIMIT}")
    after = last_param(req.args, "after")
    body = linking.list_links(portal, from_type, params["from_id"], to_type, after, int(raw_limit))
    return ok(body)


def _delete(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    from_type, to_type = object_type(params, "from_type"), object_type(params, "to_type")
    linking.delete_pair(portal, from_type, params["from_id"], to_type, params["to_id"])
    return no_content()


def _batch_default(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    from_type, to_type = object_type(params, "from_type"), object_type(params, "to_type")
    return ApiResponse(*linking.batch_associate_default(portal, from_type, to_type, req.json()))


def _batch_create(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    from_type, to_type = object_type(params, "from_type"), object_type(params, "to_type")
    return ApiResponse(*linking.batch_create(portal, from_type, to_type, req.json()))


def _batch_read(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    from_type, to_type = object_type(params, "from_type"), object_type(params, "to_type")
    return ApiResponse(*linking.batch_read(portal, from_type, to_type, req.json()))


def _batch_archive(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    from_type, to_type = object_type(params, "from_type"), object_type(params, "to_type")
    linking.batch_archive(portal, from_type, to_type, req.json())
    return no_content()


def _labels(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    from_type, to_type = object_type(params, "from_type"), object_type(params, "to_type")
    return ok(linking.labels(from_type, to_type))


ROUTES = Api("/crm/v4/objects", "/crm/objects/<version>").routes(
    (
        Route(f"{_RECORD}/default/<to_type>/<to_id>", ("PUT",), _put_default, writes=True),
        Route(f"{_RECORD}/<to_type>/<to_id>", ("PUT",), _put_labelled, writes=True),
        Route(f"{_RECORD}/<to_type>/<to_id>", ("DELETE",), _delete, writes=True),
        Route(f"{_RECORD}/<to_type>", ("GET",), _list),
    )
) + Api("/crm/v4/associations", "/crm/associations/<version>").routes(
    (
        Route(f"{_PAIR}/batch/associate/default", ("POST",), _batch_default, writes=True),
        Route(f"{_PAIR}/batch/create", ("POST",), _batch_create, writes=True),
        Route(f"{_PAIR}/batch/read", ("POST",), _batch_read),
        Route(f"{_PAIR}/batch/archive", ("POST",), _batch_archive, writes=True),
        Route(f"{_PAIR}/labels", ("GET",), _labels),
    )
)
