"""Routes of the pipelines API, for deal and order pipelines and their stages."""

from __future__ import annotations

from functools import partial

from .objects import flag_param
from .pipelines import ObjectPipelines
from .portal import Portal
from .versions import Api
from .web import ApiRequest, ApiResponse, Route, created, no_content, object_type, ok

_BASE = "/<object_type>"
_ONE = f"{_BASE}/<pipeline_id>"
_STAGE = f"{_ONE}/stages/<stage_id>"


def _pipelines(portal: Portal, params: dict[str, str]) -> ObjectPipelines:
    return portal.pipelines.of(object_type(params))


def _list(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok({"results": [p.to_json() for p in _pipelines(portal, params).list()]})


def _create(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return created(_pipelines(portal, params).create(req.json()).to_json())


def _read(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok(_pipelines(portal, params).get(params["pipeline_id"]).to_json())


def _replace(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok(_pipelines(portal, params).replace(params["pipeline_id"], req.json()).to_json())


def _update(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok(_pipelines(portal, params).update(params["pipeline_id"], req.json()).to_json())


def _delete(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    pipelines = _pipelines(portal, params)
    validate = flag_param(req.args, "validateReferencesBeforeDelete")
    usage = partial(portal.records_in_stages, pipelines.kind)
    pipelines.delete(params["pipeline_id"], validate, usage)
    return no_content()


def _stages(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    stages = _pipelines(portal, params).get(params["pipeline_id"]).ordered_stages()
    return ok({"results": [s.to_json() for s in stages]})


def _create_stage(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    stage = _pipelines(portal, params).create_stage(params["pipeline_id"], req.json())
    return created(stage.to_json())


def _read_stage(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    return ok(_pipelines(portal, params).stage(params["pipeline_id"], params["stage_id"]).to_json())


def _replace_stage(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    pipelines = _pipelines(portal, params)
    stage = pipelines.replace_stage(params["pipeline_id"], params["stage_id"], req.json())
    return ok(stage.to_json())


def _update_stage(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    pipelines = _pipelines(portal, params)
    stage = pipelines.update_stage(params["pipeline_id"], params["stage_id"], req.json())
    return ok(stage.to_json())


def _delete_stage(portal: Portal, req: ApiRequest, params: dict[str, str]) -> ApiResponse:
    pipelines = _pipelines(portal, params)
    validate = flag_param(req.args, "validateReferencesBeforeDelete")
    usage = partial(portal.records_in_stages, pipelines.kind)
    pipelines.delete_stage(params["pipeline_id"], params["stage_id"], validate, usage)
    return no_content()


ROUTES = Api("/crm/v3/pipelines", "/crm/pipelines/<version>").routes(
    (
        Route(_BASE, ("GET",), _list),
        Route(_BASE, ("POST",), _create, writes=True),
        Route(_ONE, ("GET",), _read),
        Route(_ONE, ("PUT",), _replace, writes=True),
        Route(_ONE, ("PATCH",), _update, writes=True),
        Route(_ONE, ("DELETE",), _delete, writes=True),
        Route(f"{_ONE}/stages", ("GET",), _stages),
        Route(f"{_ONE}/stages", ("POST",), _create_stage, writes=True),
        Route(_STAGE, ("GET",), _read_stage),
        Route(_STAGE, ("PUT",), _replace_stage, writes=True),
        Route(_STAGE, ("PATCH",), _update_stage, writes=True),
        Route(_STAGE, ("DELETE",), _delete_stage, writes=True),
    )
)
