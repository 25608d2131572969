"""PII-free descriptions of payloads that fail validation."""

from pydantic import ValidationError


def describe_validation_error(exc: ValidationError) -> str:
    """Name the failing fields and error types, never the values (which may be personal data).

    Example: ``Order: 2 invalid fields: id (exact_int); line_items.0.quantity (missing)``.
    """
    errors = exc.errors(include_url=False, include_context=False, include_input=False)
    fields = "; ".join(
        f"{'.'.join(str(part) for part in error['loc']) or '<payload>'} ({error['type']})"
        for error in errors
    )
    noun = "field" if len(errors) == 1 else "fields"
    return f"{exc.title}: {len(errors)} invalid {noun}: {fields}"
