"""Checking one written value against its property's type, and storing it in canonical form."""

from __future__ import annotations

import re

from .clock import iso_ms, parse_date, parse_datetime_ms, time_of_day
from .errors import PropertyIssue
from .properties import PropertyDef

# Plain decimals only: HubSpot rejects exponent forms such as "1.4e-14".
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
# HubSpot's own check is not published; this one refuses what it is known to refuse.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
MAX_STRING_LENGTH = 65_536


def raw_text(raw: object) -> str | None:
    """A JSON property value as the text HubSpot stores; None if it has no text form."""
    if isinstance(raw, str):
        return raw
    if isinstance(raw, bool):
        return "true" if raw else "false"
    if isinstance(raw, int):
        return str(raw)
    if isinstance(raw, float):
        return repr(raw)
    return None


def normalize(prop: PropertyDef, text: str) -> str | PropertyIssue:
    """The stored form of a non-empty `text`, or the issue that refuses it."""
    if prop.type in ("string", "phone_number"):
        if len(text) > MAX_STRING_LENGTH:
            return PropertyIssue(
                prop.name,
                "INVALID_STRING_LENGTH",
                f"Value of {prop.name} is longer than {MAX_STRING_LENGTH} characters.",
            )
        return text
    if text != text.strip() or text.strip("\u200b\u200c\u200d\ufeff") != text:
        return PropertyIssue(
            prop.name,
            "LEADING_TRAILING_WHITESPACE",
            f'"{text}" includes leading or trailing whitespace.',
            text,
        )
    if prop.type == "number":
        if _NUMBER.match(text):
            return text
        return PropertyIssue(prop.name, "INVALID_INTEGER", f"{text} was not a valid number.", text)
    if prop.type == "datetime":
        ms = parse_datetime_ms(text)
        if ms is None:
            return PropertyIssue(
                prop.name,
                "INVALID_DATE",
                f"{text} was not a valid date-time: send ISO-8601 with an offset or epoch ms.",
                text,
            )
        return iso_ms(ms)
    if prop.type == "date":
        day = parse_date(text)
        if day is not None:
            return day
        if text.lstrip("-").isdigit():
            message = f"{text} is at {time_of_day(int(text))} UTC, not midnight!"
        else:
            message = f"{text} was not a valid date: send YYYY-MM-DD or midnight-UTC epoch ms."
        return PropertyIssue(prop.name, "INVALID_DATE", message, text)
    if prop.type in ("enumeration", "bool"):
        return _enumeration(prop, text)
    return text


def _enumeration(prop: PropertyDef, text: str) -> str | PropertyIssue:
    if prop.external_options:
        # Options that live elsewhere (pipelines, owners) are checked by the object rules.
        return text
    chosen = text.split(";") if prop.field_type == "checkbox" else [text]
    for value in chosen:
        if value not in prop.option_set:
            allowed = ", ".join(prop.option_values)
            return PropertyIssue(
                prop.name,
                "INVALID_OPTION",
                f"{value} was not one of the allowed options: [{allowed}]",
                text,
            )
    return text


def check_email(text: str) -> str | PropertyIssue:
    """Contacts' `email`: validated, then stored lower-cased as HubSpot does."""
    if not _EMAIL.match(text):
        return PropertyIssue("email", "INVALID_EMAIL", f"Email address {text} is invalid", text)
    return text.lower()
