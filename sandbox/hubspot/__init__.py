"""A local HubSpot CRM API sandbox, at least as strict as HubSpot, for tests and demos."""

from .app import SandboxApp
from .config import SandboxConfig
from .server import create_app, create_server, serve

__all__ = ["SandboxApp", "SandboxConfig", "create_app", "create_server", "serve"]
