"""One simulated shop: its store, clock, API state and background workers, wired together."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path

from .bulk import BulkOperation, BulkOperations
from .changes import Changes, LiveMode
from .clock import Clock, TimeFormat
from .config import SimulatorConfig
from .generate import generate
from .graphql_api import GraphQLApi
from .ids import gid
from .listings import IndexCache
from .rest import RestApi
from .stats import Stats
from .subscriptions import Subscriptions
from .themes import Themes
from .webhooks import Dispatcher


class Simulation:
    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.clock = Clock(config.now)
        self.store, self.factory = generate(config, self.clock.start)
        self.stats = Stats()
        self.subscriptions = Subscriptions()
        self.themes = Themes(self.store.ids.take("OnlineStoreTheme", 1), self.clock.start)
        self.indexes = IndexCache()
        self.dispatcher = Dispatcher(config, self.clock, self.stats, self.subscriptions)
        self._files = tempfile.TemporaryDirectory(prefix="shopify-simulator-")
        self.graphql = GraphQLApi(self)
        self.rest = RestApi(self)
        self.bulk = BulkOperations(
            Path(self._files.name),
            runner=self.graphql,
            now=self.clock.seconds,
            min_seconds=config.bulk_min_seconds,
            finished=self._bulk_finished,
        )
        self.changes = Changes(self)
        self.live = LiveMode(self.changes, config.live_rate)
        self._started = False

    def start(self) -> None:
        if not self._started:
            self._started = True
            self.dispatcher.start()
            self.live.start()

    def close(self) -> None:
        if self._started:
            self.live.stop()
            self.dispatcher.close()
        self.bulk.wait(timeout=5)
        self._files.cleanup()

    def _bulk_finished(self, operation: BulkOperation) -> None:
        time = TimeFormat(self.store.shop.utc_offset_minutes)
        payload = {
            "admin_graphql_api_id": gid("BulkOperation", operation.id),
            "completed_at": time.rest(operation.completed_at),
            "created_at": time.rest(operation.created_at),
            "error_code": operation.error_code.lower() if operation.error_code else None,
            "status": operation.status.lower(),
            "type": "query",
        }
        self.dispatcher.emit(str(uuid.uuid4()), "bulk_operations/finish", lambda _: payload)
