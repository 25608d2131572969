"""Errors in the shape Shopify's GraphQL server (graphql-ruby) gives them.

graphql-core finds the same problems graphql-ruby does; this rewrites its messages into
graphql-ruby's words and adds the `extensions.code` clients match on (`undefinedField`,
`argumentNotAccepted`, ...), plus the `path` to the offending node.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLError,
    GraphQLSyntaxError,
    Node,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableDefinitionNode,
    print_ast,
)

ErrorDict = dict[str, Any]

_REWRITES: list[tuple[re.Pattern[str], Callable[[re.Match[str]], tuple[str, dict[str, Any]]]]] = [
    (
        re.compile(r"Cannot query field '([^']+)' on type '([^']+)'"),
        lambda m: (
            f"Field '{m[1]}' doesn't exist on type '{m[2]}'",
            {"code": "undefinedField", "typeName": m[2], "fieldName": m[1]},
        ),
    ),
    (
        re.compile(r"Unknown argument '([^']+)' on field '[^.']+\.([^']+)'"),
        lambda m: (
            f"Field '{m[2]}' doesn't accept argument '{m[1]}'",
            {
                "code": "argumentNotAccepted",
                "name": m[2],
                "typeName": "Field",
                "argumentName": m[1],
            },
        ),
    ),
    (
        re.compile(r"Field '([^']+)' argument '([^']+)' of type '[^']+' is required"),
        lambda m: (
            f"Field '{m[1]}' is missing required arguments: {m[2]}",
            {
                "code": "missingRequiredArguments",
                "className": "Field",
                "name": m[1],
                "arguments": m[2],
            },
        ),
    ),
    (
        re.compile(r"Field '([^']+)' of type '([^']+)' must have a selection of subfields"),
        lambda m: (
            f"Field must have selections (field '{m[1]}' returns {m[2]} but has no selections. "
            f"Did you mean '{m[1]} {{ ... }}'?)",
            {"code": "selectionMismatch", "nodeName": f"field '{m[1]}'", "typeName": m[2]},
        ),
    ),
    (
        re.compile(r"Field '([^']+)' must not have a selection since type '([^']+)'"),
        lambda m: (
            f"Selections can't be made on scalars (field '{m[1]}' returns {m[2]} but has "
            "selections)",
            {"code": "selectionMismatch", "nodeName": f"field '{m[1]}'", "typeName": m[2]},
        ),
    ),
    (
        re.compile(r"Unknown type '([^']+)'"),
        lambda m: (
            f"No such type {m[1]}, so it can't be a fragment condition",
            {"code": "undefinedType", "typeName": m[1]},
        ),
    ),
    (
        re.compile(r"Variable '\$([^']+)' is not defined"),
        lambda m: (
            f"Variable ${m[1]} is used by anonymous query but not declared",
            {"code": "variableNotDefined", "variableName": m[1]},
        ),
    ),
    (
        re.compile(r"Variable '\$([^']+)' is never used"),
        lambda m: (
            f"Variable ${m[1]} is declared by anonymous query but not used",
            {"code": "variableNotUsed", "variableName": m[1]},
        ),
    ),
    (
        re.compile(r"cannot represent|Expected value of type"),
        lambda m: (m.string, {"code": "argumentLiteralsIncompatible"}),
    ),
]


def syntax_error(error: GraphQLSyntaxError) -> ErrorDict:
    location = error.locations[0] if error.locations else None
    line, column = (location.line, location.column) if location else (1, 1)
    description = error.message.removeprefix("Syntax Error: ").rstrip(".")
    return {
        "message": f"Parse error: {description} at [{line}, {column}]",
        "locations": [{"line": line, "column": column}],
    }


def validation_error(error: GraphQLError, document: DocumentNode) -> ErrorDict:
    message = error.message.rstrip(".")
    extensions: dict[str, Any] = {}
    for pattern, rewrite in _REWRITES:
        match = pattern.search(message)
        if match:
            message, extensions = rewrite(match)
            break
    shaped: ErrorDict = {"message": message}
    if error.locations:
        shaped["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    path = _path_to(document, error.nodes[0]) if error.nodes else None
    if path:
        shaped["path"] = path
    if extensions:
        shaped["extensions"] = extensions
    return shaped


def _path_to(document: DocumentNode, target: Node) -> list[str] | None:
    """graphql-ruby's path: the operation ("query Name") then the field names down to the node."""
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            name = definition.name.value if definition.name else None
            head = definition.operation.value + (f" {name}" if name else "")
        elif isinstance(definition, FragmentDefinitionNode):
            head = f"fragment {definition.name.value}"
        else:
            continue
        if definition is target:
            return [head]
        found = _search(definition.selection_set, target)
        if found is not None:
            return [head, *found]
    return None


def _search(selection_set: SelectionSetNode | None, target: Node) -> list[str] | None:
    if selection_set is None:
        return None
    for selection in selection_set.selections:
        if selection is target:
            return [selection.name.value] if isinstance(selection, FieldNode) else []
        if isinstance(selection, FieldNode):
            if any(
                argument is target or argument.value is target for argument in selection.arguments
            ):
                return [selection.name.value]
            below = _search(selection.selection_set, target)
            if below is not None:
                return [selection.name.value, *below]
        else:
            below = _search(getattr(selection, "selection_set", None), target)
            if below is not None:
                return below
    return None


def variable_error(error: GraphQLError, variables: dict[str, Any]) -> ErrorDict:
    """graphql-ruby's words for a variable value that does not fit its declared type."""
    definition = error.nodes[0] if error.nodes else None
    if not isinstance(definition, VariableDefinitionNode):
        return {"message": error.message}
    name = definition.variable.name.value
    declared = print_ast(definition.type)
    shaped: ErrorDict = {
        "message": f"Variable ${name} of type {declared} was provided invalid value",
        "extensions": {
            "value": variables.get(name),
            "problems": [{"path": [], "explanation": error.message.split("; ", 1)[-1]}],
        },
    }
    if error.locations:
        shaped["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return shaped


def coded(message: str, code: str, **extensions: Any) -> ErrorDict:
    return {"message": message, "extensions": {"code": code, **extensions}}
