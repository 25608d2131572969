"""The Flask app factory of the webhook receiver."""

from __future__ import annotations

from flask import Flask

from shopspot.deliveries import DeliveryLedger
from shopspot.redisconn import connect
from shopspot.settings import Settings, load_settings
from shopspot.trace.store import TraceStore
from webapi import errors, health
from webapi.context import ReceiverContext
from webapi.webhooks import WebhookRoute
from worker.app import app as celery_app
from worker.enqueue import TaskMessages

# The receiver answers while Shopify waits (5 s): Redis gets one second to respond.
REDIS_TIMEOUT_SECONDS = 1.0


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or load_settings()
    stores = settings.require_stores()
    client = connect(settings, timeout=REDIS_TIMEOUT_SECONDS)

    app = Flask("shopspot.webapi")
    context = ReceiverContext(
        settings=settings,
        stores=stores,
        redis=client,
        ledger=DeliveryLedger.from_settings(client, settings),
        messages=TaskMessages(celery_app),
        traces=TraceStore(client, settings.trace_days),
    )
    app.extensions["shopspot"] = context
    errors.register(app)
    app.register_blueprint(health.bp)
    # Flask's own middleware slot: the app stays what is served, tested and extended.
    app.wsgi_app = WebhookRoute(context, app.wsgi_app)  # type: ignore[method-assign]
    return app
