"""Field types shared by the Shopify payload models: exact ids, Decimal money, normalised tags.

Ids: a Python ``int`` in 0 .. 2**63-1. Accepted inputs are JSON integers, strings of ASCII
digits (GraphQL serialises ``UnsignedInt64`` and ``legacyResourceId`` as strings) and Shopify
GIDs (``gid://shopify/<Type>/<n>``, as in ``customers/purchasing_summary``). Floats and bools are
rejected: a float id has already lost digits above 2**53, and ``True`` is not an id.

Money: ``decimal.Decimal`` from a decimal string (Shopify's REST form, ``"404.95"``) or an int;
floats, bools, NaN and infinities are rejected.
"""

import re
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, Field
from pydantic_core import PydanticCustomError

MAX_ID = 2**63 - 1

_GID = re.compile(r"gid://shopify/[A-Za-z]+/([0-9]+)")


def _exact_int(value: Any) -> Any:
    # Messages name the rule only: they end up in dead letters and must never echo the input.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        gid = _GID.fullmatch(value)
        digits = gid.group(1) if gid else value
        if digits.isascii() and digits.isdigit():
            return int(digits)
    raise PydanticCustomError(
        "exact_int", "must be an integer, a string of digits or a Shopify GID"
    )


def _exact_decimal(value: Any) -> Any:
    if isinstance(value, bool | float):
        raise PydanticCustomError("exact_decimal", "money must be a decimal string, not a float")
    return value


def _split_tags(value: Any) -> Any:
    # REST sends "tag1, tag2"; GraphQL and the customer.tags_* topics send a list.
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else value
    if not isinstance(items, list | tuple) or not all(isinstance(t, str) for t in items):
        raise PydanticCustomError("tags", "tags must be a comma-separated string or strings")
    return tuple(tag.strip() for tag in items if tag.strip())


ShopifyId = Annotated[int, BeforeValidator(_exact_int), Field(ge=0, le=MAX_ID)]
Count = Annotated[int, BeforeValidator(_exact_int), Field(ge=0)]
Money = Annotated[Decimal, BeforeValidator(_exact_decimal), Field(allow_inf_nan=False)]
Tags = Annotated[tuple[str, ...], BeforeValidator(_split_tags)]
