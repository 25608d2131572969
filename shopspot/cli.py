"""The `shopspot` command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

import click

from shopspot import logs
from shopspot.settings import Settings, SettingsError, load_settings

F = TypeVar("F", bound=Callable[..., Any])


def _settings() -> Settings:
    settings = load_settings()
    logs.configure(settings.log_format, settings.log_level)
    return settings


def _clear_errors(command: F) -> F:
    """A bad setting ends the command with one line naming it, not a traceback."""

    @wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except SettingsError as exc:
            click.echo(f"shopspot: bad setting {exc}", err=True)
            sys.exit(2)

    return wrapper  # type: ignore[return-value]


@click.group()
def main() -> None:
    """Shopify to HubSpot sync."""


@main.command()
@click.option("--host", default="0.0.0.0", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=4, show_default=True, type=int)
@_clear_errors
def web(host: str, port: int, workers: int, threads: int) -> None:
    """Serve the webhook receiver with gunicorn."""
    from webapi.server import serve

    serve(_settings(), host=host, port=port, workers=workers, threads=threads)


@main.command(context_settings={"ignore_unknown_options": True})
@click.option("--queues", "-Q", default=None, help="Comma-separated queues (default: all).")
@click.option("--concurrency", "-c", default=None, type=int)
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@_clear_errors
def worker(queues: str | None, concurrency: int | None, celery_args: tuple[str, ...]) -> None:
    """Run a Celery worker; arguments after `--` go to Celery."""
    from worker.app import app
    from worker.routing import ALL_QUEUES

    settings = _settings()
    settings.require_hubspot_token()
    argv = ["worker", "--queues", queues or ",".join(ALL_QUEUES), "--task-events"]
    argv += ["--loglevel", settings.log_level]
    if concurrency:
        argv += ["--concurrency", str(concurrency)]
    app.worker_main([*argv, *celery_args])


@main.command()
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@_clear_errors
def beat(celery_args: tuple[str, ...]) -> None:
    """Run Celery beat (exactly one per deployment)."""
    from worker.app import app

    settings = _settings()
    app.start(["beat", "--loglevel", settings.log_level, *celery_args])


@main.command()
def demo() -> None:
    """Show Shopspot's whole job against local stand-ins."""
    click.echo(
        "shopspot demo: the one-command demo arrives with the store simulator "
        "(coming in a later issue). `make test` exercises the receiver and worker today."
    )


@main.group()
def sandbox() -> None:
    """Local stand-ins for HubSpot and Shopify (tests, benchmarks, the demo)."""


@sandbox.command("hubspot", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sandbox_hubspot(args: tuple[str, ...]) -> None:
    """Serve the HubSpot CRM sandbox (`shopspot sandbox hubspot --help`)."""
    from sandbox.hubspot.__main__ import main as serve

    serve(list(args))


@main.command()
@_clear_errors
def setup() -> None:
    """Create (idempotently) what Shopspot writes into in HubSpot, and say what was there."""
    from shopspot import portal
    from shopspot.hubspot.schema import SetupReport
    from shopspot.runtime import Runtime

    runtime = Runtime(_settings())
    report = SetupReport()
    found = portal.set_up_hubspot(runtime.hubspot, report)
    portal.save(runtime.redis, found)
    for what in report.created:
        click.echo(f"created   {what}")
    for what in report.existing:
        click.echo(f"existing  {what}")
    click.echo(
        f"HubSpot portal {found.portal_id}: {len(report.created)} created, "
        f"{len(report.existing)} already there"
    )


@main.command()
@_clear_errors
def sweep() -> None:
    """Move checkouts older than the abandon delay to Checkout Abandoned, now (D8)."""
    from shopspot.runtime import Runtime
    from shopspot.sync.items import DEALS
    from shopspot.sync.sweep import queue_due_checkouts

    runtime = Runtime(_settings())
    queued = queue_due_checkouts(runtime)
    result = runtime.flusher.drain(runtime.buffers[DEALS])
    click.echo(
        f"{queued} checkouts due; {result.synced} deal writes, {result.dead_lettered} failed"
    )
