from __future__ import annotations

import json

import pytest

from shopspot.errors import PermanentError, TransientError
from shopspot.hubspot.errors import (
    AuthFailed,
    Conflict,
    NotFound,
    Rejected,
    Unavailable,
    ValidationFailed,
    error_for,
)


def test_a_duplicate_contact_is_a_conflict_with_the_existing_id() -> None:
    error = error_for(
        409,
        {
            "status": "error",
            "message": "Contact already exists. Existing ID: 37765128953",
            "category": "CONFLICT",
        },
    )

    assert isinstance(error, Conflict)
    assert error.existing_id == "37765128953"
    assert isinstance(error, PermanentError)


def test_validation_errors_name_the_properties_and_codes_but_not_the_values() -> None:
    inner = [
        {
            "isValid": False,
            "message": 'Property "colour" does not exist',
            "error": "PROPERTY_DOESNT_EXIST",
            "name": "colour",
        },
        {
            "isValid": False,
            "message": "ann@example was not a valid email",
            "error": "INVALID_EMAIL",
            "name": "email",
        },
    ]
    error = error_for(
        400,
        {
            "status": "error",
            "message": f"Property values were not valid: {json.dumps(inner)}",
            "category": "VALIDATION_ERROR",
        },
    )

    assert isinstance(error, ValidationFailed)
    assert error.problems == {"colour": "PROPERTY_DOESNT_EXIST", "email": "INVALID_EMAIL"}
    assert "ann@example" not in str(error)
    assert "colour PROPERTY_DOESNT_EXIST" in str(error)


def test_a_refusal_by_the_portals_own_rules_names_the_property_and_the_rule() -> None:
    # The bodies of HubSpot's changelog "CRM API write validation enforcement" (2026-09).
    required = {
        "code": "MISSING_REQUIRED_PROPERTY",
        "message": "A value for firstname must be provided",
        "context": {"propertyName": ["firstname"]},
    }
    conditional = {
        "code": "MISSING_CONDITIONAL_REQUIRED_PROPERTY",
        "message": "state is required because of a conditional property rule based on [country]",
        "context": {"propertyName": ["state"]},
    }
    error = error_for(
        400,
        {
            "status": "error",
            "category": "VALIDATION_ERROR",
            "message": "The property values provided are invalid",
            "errors": [required, conditional],
        },
    )

    assert isinstance(error, ValidationFailed)
    assert error.problems == {
        "firstname": "MISSING_REQUIRED_PROPERTY",
        "state": "MISSING_CONDITIONAL_REQUIRED_PROPERTY",
    }
    assert str(error) == (
        "HubSpot 400 VALIDATION_ERROR: "
        "firstname MISSING_REQUIRED_PROPERTY (the portal requires it on every new record), "
        "state MISSING_CONDITIONAL_REQUIRED_PROPERTY (a conditional rule of the portal requires it)"
    )


@pytest.mark.parametrize(
    ("status", "kind", "transient"),
    [
        (401, AuthFailed, False),
        (403, AuthFailed, False),
        (404, NotFound, False),
        (414, Rejected, False),
        (423, Unavailable, True),
        (477, Unavailable, True),
        (500, Unavailable, True),
        (502, Unavailable, True),
        (503, Unavailable, True),
        (524, Unavailable, True),
    ],
)
def test_each_status_class_maps_to_its_error(status: int, kind: type, transient: bool) -> None:
    error = error_for(status, {"category": "SOMETHING", "message": "secret@example.com"})

    assert isinstance(error, kind)
    assert isinstance(error, TransientError) is transient
    assert "secret@example.com" not in str(error)
