"""HubSpot's CRM API: the client with the shared rate budget, typed errors, batch helpers."""

from shopspot.hubspot.client import ClientPolicy, HubSpotClient
from shopspot.hubspot.errors import (
    AuthFailed,
    Conflict,
    HubSpotError,
    NotFound,
    RateLimited,
    Rejected,
    Unavailable,
    ValidationFailed,
)

__all__ = [
    "AuthFailed",
    "ClientPolicy",
    "Conflict",
    "HubSpotClient",
    "HubSpotError",
    "NotFound",
    "RateLimited",
    "Rejected",
    "Unavailable",
    "ValidationFailed",
]
