"""Why something failed, in words fit for logs and the dead-letter store: no payload values."""

from __future__ import annotations

import traceback
from pathlib import Path

from pydantic import ValidationError

from shopspot.errors import PermanentError, TransientError
from shopspot.shopify import describe_validation_error


def describe(exc: BaseException) -> str:
    if isinstance(exc, ValidationError):
        return f"invalid payload: {describe_validation_error(exc)}"
    if isinstance(exc, PermanentError | TransientError):
        return str(exc) or type(exc).__name__
    # Messages of unexpected exceptions can quote payload data, so only the type and the
    # place it was raised are kept: enough to find the bug, nothing about the customer.
    frames = traceback.extract_tb(exc.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    return f"unexpected {type(exc).__name__}{where}"
