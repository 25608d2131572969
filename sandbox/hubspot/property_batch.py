"""The properties API's batch endpoints: create and read many property definitions at once.

HubSpot creates a batch of properties "using the same rules as when creating an individual
property", each input on its own: the valid ones are made, the others are answered with a
207 that names each failed property. HubSpot documents no batch size for these endpoints.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from . import batchio
from .clock import now_ms
from .errors import ApiError, bad_request, not_found
from .objects import body_object
from .objecttypes import ObjectType
from .portal import Portal

Result = tuple[int, dict[str, Any]]


def batch_create(portal: Portal, otype: ObjectType, body: Any) -> Result:
    started = now_ms()
    inputs = batchio.read_inputs(body, None)
    named = Counter(item.get("name") for item in inputs)
    results, errors = [], []
    for item in inputs:
        name = item.get("name")
        context = {"name": [name]} if isinstance(name, str) else {}
        try:
            if isinstance(name, str) and named[name] > 1:
                raise bad_request(
                    f"Property {name} is given more than once in the batch; each name once"
                )
            results.append(portal.properties.create(otype, item).to_json())
        except ApiError as exc:
            errors.append(exc.as_batch_error(context))
    return batchio.response(portal, results, errors, started, 201)


def batch_read(portal: Portal, otype: ObjectType, body: Any) -> Result:
    started = now_ms()
    data = body_object(body)
    archived = data.get("archived", False)
    if not isinstance(archived, bool):
        raise bad_request("archived must be a boolean")
    names = [batchio.input_id(item, "name") for item in batchio.read_inputs(data, None)]
    results, missing = [], []
    for name in dict.fromkeys(names):
        try:
            results.append(portal.properties.get(otype, name, archived).to_json())
        except ApiError:
            missing.append(name)
    errors = []
    if missing:
        error = not_found(f"Unable to find some properties for object type {otype.type_id}")
        errors.append(error.as_batch_error({"name": missing}))
    return batchio.response(portal, results, errors, started, 200)
