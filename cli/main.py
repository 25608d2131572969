"""The `shopspot` command."""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation
from functools import partial, wraps
from typing import TYPE_CHECKING, Any, TypeVar

import click

from shopspot import logs
from shopspot.deadletters import DeadLetter, DeadLetterStore
from shopspot.settings import (
    Settings,
    SettingsError,
    Store,
    load_settings,
    normalise_shop_domain,
)
from shopspot.targets import SyncTarget
from shopspot.trace.store import Subject, Traced
from webapi.serving import DEFAULT_THREADS, DEFAULT_WORKERS

if TYPE_CHECKING:
    from shopspot.hubspot.schema import SetupReport

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
@click.option("--workers", default=DEFAULT_WORKERS, show_default=True, type=int)
@click.option("--threads", default=DEFAULT_THREADS, show_default=True, type=int)
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


@main.command(context_settings={"ignore_unknown_options": True})
@click.argument("celery_args", nargs=-1, type=click.UNPROCESSED)
@_clear_errors
def beat(celery_args: tuple[str, ...]) -> None:
    """Run Celery beat (exactly one per deployment)."""
    from worker.app import app

    settings = _settings()
    app.start(["beat", "--loglevel", settings.log_level, *celery_args])


@main.command()
@click.option(
    "--duration", type=float, default=None, help="Seconds of live webhooks (default: until Ctrl-C)."
)
@click.option(
    "--target",
    type=click.Choice(["deals", "commerce", "both"]),
    default="deals",
    help="Where orders and checkouts go (HUBSPOT_SYNC_TARGET).",
)
def demo(duration: float | None, target: SyncTarget) -> None:
    """Shopspot's whole job against local stand-ins of Shopify and HubSpot."""
    from cli.demo import DemoConfig, run

    logs.configure("text", "WARNING")
    run(DemoConfig(duration=duration, target=target))


@main.group()
def sandbox() -> None:
    """Local stand-ins for HubSpot and Shopify (tests, benchmarks, the demo)."""


@sandbox.command("hubspot", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sandbox_hubspot(args: tuple[str, ...]) -> None:
    """Serve the HubSpot CRM sandbox (`shopspot sandbox hubspot --help`)."""
    from sandbox.hubspot.__main__ import main as serve

    serve(list(args), prog="shopspot sandbox hubspot")


@sandbox.command("shopify", context_settings={"ignore_unknown_options": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def sandbox_shopify(args: tuple[str, ...]) -> None:
    """Serve the Shopify store simulator (`shopspot sandbox shopify --help`)."""
    from sandbox.shopify.__main__ import main as serve

    serve(list(args), prog="shopspot sandbox shopify")


@main.command()
@_clear_errors
def setup() -> None:
    """Create (idempotently) what Shopspot writes into in HubSpot, each store's webhooks and
    tracking code in Shopify, and say what was there and what is left to do by hand."""
    from shopspot import portal
    from shopspot.errors import PermanentError, TransientError
    from shopspot.hubspot.schema import SetupReport
    from shopspot.retry import persevere
    from shopspot.runtime import Runtime
    from shopspot.shopify.setup import set_up_store

    runtime = Runtime(_settings())
    report = SetupReport()
    # Each step finds what an earlier try made: after a hiccup the whole set-up runs again.
    target = runtime.settings.hubspot_sync_target
    found = persevere(lambda: portal.set_up_hubspot(runtime.hubspot, report, target))
    portal.save(runtime.redis, runtime.account, found)
    _echo_report(report)
    click.echo(
        f"HubSpot portal {found.portal_id}: {len(report.created)} created, "
        f"{len(report.existing)} already there"
    )
    stores = runtime.settings.stores
    if not stores:
        return
    shopify = SetupReport()
    failed: list[str] = []
    for store in stores.values():
        if store.access_token is None:
            shopify.to_do(
                f"{store.domain}: no Shopify access token, so its webhooks and tracking code "
                "were not set up"
            )
            continue
        try:
            url, portal_id = runtime.settings.public_url, found.portal_id
            persevere(partial(set_up_store, store, url, portal_id, shopify))
        except (PermanentError, TransientError) as exc:
            # One store's refusal must not hide what was done for the others.
            click.echo(f"failed    {store.domain}: {exc}", err=True)
            failed.append(store.domain)
    _echo_report(shopify)
    click.echo(
        f"Shopify ({len(stores)} store{'s' if len(stores) != 1 else ''}): "
        f"{len(shopify.created)} created, {len(shopify.existing)} already there, "
        f"{len(shopify.manual)} to do by hand"
    )
    if failed:
        raise click.ClickException(f"Shopify set-up failed for {', '.join(failed)}")


def _echo_report(report: SetupReport) -> None:
    for label, lines in (("created", report.created), ("existing", report.existing),
                         ("to do", report.manual)):  # fmt: skip
        for what in lines:
            click.echo(f"{label:<9} {what}")


@main.command()
@_clear_errors
def sweep() -> None:
    """Move checkouts older than the abandon delay to Checkout Abandoned, now (D8)."""
    from shopspot.runtime import Runtime
    from shopspot.sync.sweep import queue_due_checkouts
    from shopspot.topics import Buffer

    runtime = Runtime(_settings())
    deals = runtime.buffers[Buffer.DEALS]
    queued = queue_due_checkouts(runtime.redis, runtime.due, deals, runtime.context.clock())
    result = runtime.flusher.drain(deals)
    click.echo(
        f"{queued} checkouts due; {result.synced} deal writes, {result.dead_lettered} failed"
    )


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_clear_errors
def status(as_json: bool) -> None:
    """Queues, last success and error, dead letters, HubSpot budget and the sweep."""
    from shopspot.runtime import Runtime
    from shopspot.status import collect, render

    report = collect(Runtime(_settings()))
    click.echo(json.dumps(report, indent=2) if as_json else render(report))


@main.command()
@click.option("--shop", default=None, help="The store (needed when several are configured).")
@click.option("--month", default=None, metavar="YYYY-MM", help="Default: this month (UTC).")
@click.option("--goal", default=None, metavar="AMOUNT", help="The month's sales goal.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@click.option("--html", "html_path", default=None, metavar="FILE", help="Write an HTML page.")
@_clear_errors
def report(
    shop: str | None, month: str | None, goal: str | None, as_json: bool, html_path: str | None
) -> None:
    """The eight e-commerce reports of a store, from HubSpot's data (R1)."""
    from shopspot.errors import PermanentError
    from shopspot.reports import render
    from shopspot.reports.build import build
    from shopspot.reports.figures import Month
    from shopspot.runtime import Runtime

    settings = _settings()
    chosen = _store(settings, shop).domain
    try:
        period = Month.parse(month) if month else None
    except ValueError:
        raise click.BadParameter("YYYY-MM, for example 2026-11", param_hint="--month") from None
    target = _goal(goal)
    try:
        figures = build(Runtime(settings), chosen, period, target)
    except PermanentError as exc:
        click.echo(f"shopspot: {exc}", err=True)
        sys.exit(1)
    if html_path:
        with open(html_path, "w", encoding="utf-8") as page:
            page.write(render.html(figures))
    click.echo(json.dumps(figures, indent=2) if as_json else render.text(figures), nl=as_json)


def _store(settings: Settings, shop: str | None) -> Store:
    """The store a command is about: `--shop`, or the only one configured."""
    stores = settings.stores
    if shop is None and len(stores) != 1:
        names = ", ".join(sorted(stores)) or "no store"
        raise click.UsageError(f"--shop is needed: one of {names}")
    try:
        chosen = normalise_shop_domain(shop) if shop else next(iter(stores))
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--shop") from None
    if chosen not in stores:
        raise click.BadParameter(f"not a configured store: {chosen}", param_hint="--shop")
    return stores[chosen]


@main.command()
@click.option("--shop", default=None, help="The store (needed when several are configured).")
@click.option("--days", default=7, show_default=True, type=click.IntRange(1, 3660))
@click.option("--repair", is_flag=True, help="Write again what differs, as Shopify has it.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object.")
@_clear_errors
def verify(shop: str | None, days: int, repair: bool, as_json: bool) -> None:
    """Does HubSpot match the store? Orders, customers and products, day by day."""
    from shopspot.backfill.verify import verify_store
    from shopspot.errors import PermanentError
    from shopspot.runtime import Runtime

    settings = _settings()
    store = _store(settings, shop)
    try:
        result = verify_store(Runtime(settings), store, days, repair=repair)
    except PermanentError as exc:
        click.echo(f"shopspot: {exc}", err=True)
        sys.exit(1)
    if as_json:
        click.echo(json.dumps(result.as_json(), indent=2))
        return
    click.echo(f"{store.domain} since {result.since:%Y-%m-%d}")
    click.echo("day         orders  in HubSpot  revenue      in HubSpot   customers  in HubSpot")
    for day in result.days:
        if day.orders or day.customers:
            click.echo(
                f"{day.day}  {day.orders:>6}  {day.orders_in_hubspot:>10}  {day.revenue:>11}  "
                f"{day.revenue_in_hubspot:>11}  {day.customers:>9}  {day.customers_in_hubspot:>10}"
            )
    click.echo(f"variants: {result.variants}, in HubSpot {result.variants_in_hubspot}")
    for difference in result.differences:
        click.echo(
            f"  {difference.kind} {difference.id}: {difference.problem}"
            + (f" (store {difference.shopify}, HubSpot {difference.hubspot})"
               if difference.problem != "missing" else "")
        )  # fmt: skip
    repaired = f"; {result.repaired} written again" if repair else ""
    click.echo(f"{len(result.differences)} differences{repaired}")


def _goal(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        amount = Decimal(text)
    except InvalidOperation:
        amount = Decimal(0)
    if not amount.is_finite() or amount <= 0:
        raise click.BadParameter("a positive amount, for example 25000", param_hint="--goal")
    return amount


@main.command()
@click.argument("kind", type=click.Choice([kind.value for kind in Traced]))
@click.argument("ident", metavar="ID")
@click.option("--shop", help="The store (needed when several are configured).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_clear_errors
def trace(kind: str, ident: str, shop: str | None, as_json: bool) -> None:
    """The story of one order, checkout (by its token), customer or product: each delivery,
    what was queued, each flush, and where it stands now."""
    from shopspot.runtime import Runtime
    from shopspot.trace.notes import ident_of
    from shopspot.trace.story import collect, render

    runtime = Runtime(_settings())
    found = ident_of(Traced(kind), ident.strip())
    if found is None:
        raise click.BadParameter(f"not the id of a Shopify {kind}", param_hint="ID")
    subject = Subject(_store(runtime.settings, shop).domain, Traced(kind), found)
    story = collect(runtime, subject)
    if not story["timeline"]:
        raise click.ClickException(
            f"no trace of {kind} {subject.ident} of {subject.shop} in the last "
            f"{runtime.settings.trace_days} days"
        )
    click.echo(json.dumps(story, indent=2) if as_json else render(story))


@main.group()
def dlq() -> None:
    """Dead letters: events that could not be synced, with the reason."""


@dlq.command("list")
@click.option("--json", "as_json", is_flag=True)
@_clear_errors
def dlq_list(as_json: bool) -> None:
    """Every dead letter, oldest first."""
    letters = _dead_letters().list()
    if as_json:
        click.echo(json.dumps([_letter_summary(letter) for letter in letters], indent=2))
        return
    if not letters:
        click.echo("no dead letters")
    for letter in letters:
        s = _letter_summary(letter)
        click.echo(f"{s['id']}  {s['failed_at']}  {s['shop']}  {s['topic']}  {s['reason']}")


@dlq.command("show")
@click.argument("letter_id")
@_clear_errors
def dlq_show(letter_id: str) -> None:
    """One dead letter with its event's headers and payload."""
    letter = _dead_letters().get(letter_id)
    if letter is None:
        raise click.ClickException(f"no dead letter {letter_id}")
    click.echo(json.dumps(letter.model_dump(mode="json"), indent=2))


@dlq.command("replay")
@click.argument("letter_id", required=False)
@click.option("--all", "replay_all", is_flag=True, help="Replay every dead letter.")
@_clear_errors
def dlq_replay(letter_id: str | None, replay_all: bool) -> None:
    """Send dead letters to their task again; each is dropped once it is queued."""
    from shopspot.redisconn import connect
    from shopspot.topics import kind_of
    from worker.app import app
    from worker.enqueue import TaskMessages

    client = connect(_settings())
    store = DeadLetterStore(client)
    if replay_all == bool(letter_id):
        raise click.UsageError("give one dead letter id, or --all")
    letters = store.list() if replay_all else [store.get(str(letter_id))]
    messages = TaskMessages(app)
    replayed = 0
    for letter in letters:
        if letter is None:
            raise click.ClickException(f"no dead letter {letter_id}")
        kind = kind_of(letter.event.topic)
        if kind is None:
            raise click.ClickException(f"{letter.id}: Shopspot no longer handles its topic")
        # Straight onto the queue: the delivery was accepted long ago, its mark must not
        # turn the replay into a duplicate.
        message = messages.message(kind, letter.event)
        client.lpush(message.queue, message.body)
        store.drop(letter.id)
        replayed += 1
    click.echo(f"replayed {replayed} dead letter{'s' if replayed != 1 else ''}")


@dlq.command("drop")
@click.argument("letter_id")
@_clear_errors
def dlq_drop(letter_id: str) -> None:
    """Forget a dead letter for good."""
    if not _dead_letters().drop(letter_id):
        raise click.ClickException(f"no dead letter {letter_id}")
    click.echo(f"dropped {letter_id}")


def _dead_letters() -> DeadLetterStore:
    from shopspot.redisconn import connect

    return DeadLetterStore(connect(_settings()))


def _letter_summary(letter: DeadLetter) -> dict[str, Any]:
    return {
        "id": letter.id,
        "failed_at": time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(letter.failed_at)),
        "shop": letter.event.shop,
        "topic": letter.event.topic,
        "event_id": letter.event.event_id or letter.event.webhook_id,
        "reason": letter.reason,
        "attempts": letter.attempts,
    }


@main.command(context_settings={"ignore_unknown_options": True})
@click.option("--port", default=5555, show_default=True, type=int)
@click.argument("flower_args", nargs=-1, type=click.UNPROCESSED)
@_clear_errors
def flower(port: int, flower_args: tuple[str, ...]) -> None:
    """Run Flower on the worker's events (basic auth from FLOWER_BASIC_AUTH)."""
    from worker.app import app

    settings = _settings()
    argv = ["flower", f"--port={port}"]
    if settings.flower_basic_auth is not None:
        argv.append(f"--basic-auth={settings.flower_basic_auth.get_secret_value()}")
    app.start([*argv, *flower_args])


@main.command()
@click.option("--shop", "shops", multiple=True, help="Only this store (repeatable).")
@click.option(
    "--since",
    type=click.DateTime(formats=["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S"]),
    help="Only objects updated since (UTC).",
)
@click.option("--json", "as_json", is_flag=True, help="A JSON summary, no progress bars.")
@_clear_errors
def backfill(shops: tuple[str, ...], since: datetime | None, as_json: bool) -> None:
    """Import what is already in the stores (S2); resumes where an interrupted run stopped."""
    from shopspot.backfill.display import TerminalProgress, summary
    from shopspot.backfill.runner import Importer, Progress
    from shopspot.runtime import Runtime

    settings = _settings()
    stores = settings.require_stores()
    unknown = [shop for shop in shops if shop.lower() not in stores]
    if unknown:
        raise click.UsageError(f"not a configured store: {', '.join(unknown)}")
    chosen = [stores[shop.lower()] for shop in shops] or list(stores.values())
    runtime = Runtime(settings, origin="initial_import")
    progress = Progress() if as_json else TerminalProgress()
    when = since.replace(tzinfo=UTC) if since else None
    results = [Importer(runtime, store, progress, since=when).run() for store in chosen]
    if as_json:
        click.echo(json.dumps([asdict(result) for result in results], indent=2))
    else:
        click.echo(summary(results))


@main.command()
@_clear_errors
def reconcile() -> None:
    """Sync what changed in Shopify since the last run, now (W6), and re-create missing
    webhook subscriptions."""
    from shopspot.backfill.reconcile import reconcile_store
    from shopspot.runtime import Runtime

    runtime = Runtime(_settings())
    for store in runtime.settings.require_stores().values():
        if store.access_token is None:
            click.echo(f"{store.domain}: no Shopify access token, skipped")
            continue
        result = reconcile_store(runtime, store)
        click.echo(
            f"{store.domain}: {result.changed} changed since "
            f"{result.since:%Y-%m-%d %H:%M:%S} UTC, {result.written} written, "
            f"{result.products_deleted} deleted products archived, "
            f"{len(result.subscriptions_created)} webhook subscriptions re-created"
        )
