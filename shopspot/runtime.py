"""The long-lived parts of a Shopspot process, built once from the settings.

Workers and the commands that sync without a worker (`sweep`, `backfill`) share them:
Redis state, the HubSpot client with the account's shared budget, and the sync context.
"""

from __future__ import annotations

import hashlib
import logging
from functools import cached_property

from shopspot import portal, retry
from shopspot.activity import ActivityLog
from shopspot.backfill.verifylog import VerifyLog
from shopspot.deadletters import DeadLetterStore
from shopspot.deliveries import DeliveryLedger
from shopspot.hubspot.client import ClientPolicy, HubSpotClient
from shopspot.hubspot.paths import Paths
from shopspot.hubspot.schema import SetupReport
from shopspot.mapping.contacts import SyncOrigin
from shopspot.pending import PendingBuffer
from shopspot.privacy import PrivacyOffice
from shopspot.ratelimit import RateLimiter
from shopspot.redisconn import connect
from shopspot.settings import Settings
from shopspot.sync.context import SyncContext
from shopspot.sync.due import CheckoutsDue
from shopspot.sync.flush import Flusher
from shopspot.sync.memory import Memory
from shopspot.sync.pace import FlushPace
from shopspot.sync.stalls import Stalls
from shopspot.topics import Buffer
from shopspot.trace.store import TraceStore

log = logging.getLogger("shopspot")


class Runtime:
    def __init__(
        self,
        settings: Settings,
        origin: SyncOrigin = "live",
        transient: tuple[type[BaseException], ...] = retry.TRANSIENT_ERRORS,
    ) -> None:
        self.settings = settings
        self.origin: SyncOrigin = origin
        # Failures after which a flush retries its batch later (a worker adds its time limit).
        self.transient = transient
        self.redis = connect(settings)
        self.dead_letters = DeadLetterStore(self.redis)
        self.activity = ActivityLog(self.redis)
        self.memory = Memory(self.redis)
        self.due = CheckoutsDue(self.redis)
        self.verify_log = VerifyLog(self.redis)
        self.stalls = Stalls(self.redis)
        self.traces = TraceStore(self.redis, settings.trace_days)
        self.buffers = {
            name: PendingBuffer(self.redis, name, settings.pending_lease_seconds) for name in Buffer
        }

    @cached_property
    def account(self) -> str:
        """Who Shopspot writes for in HubSpot: a digest of the app token, never the token."""
        token = self.settings.require_hubspot_token().get_secret_value()
        return hashlib.sha256(token.encode()).hexdigest()[:16]

    @cached_property
    def limiter(self) -> RateLimiter:
        # One budget per HubSpot app token: HubSpot's burst limit is per app.
        return RateLimiter(self.redis, self.account)

    @cached_property
    def hubspot(self) -> HubSpotClient:
        token = self.settings.require_hubspot_token().get_secret_value()
        return HubSpotClient(
            self.settings.hubspot_base_url,
            token,
            self.limiter,
            ClientPolicy(
                rate_limit=self.settings.hubspot_rate_limit_per_10s,
                window_seconds=self.settings.hubspot_rate_window_seconds,
                daily_limit=self.settings.hubspot_daily_limit,
                headroom=self.settings.hubspot_rate_headroom,
            ),
            paths=Paths(self.settings.hubspot_api_version),
        )

    def hubspot_calls_today(self) -> int:
        calls = self.hubspot.policy.budget()
        return self.limiter.used_today(calls)

    def portal(self) -> portal.PortalSetup:
        found = portal.load(self.redis, self.account)
        target = self.settings.hubspot_sync_target
        if found is None or not found.serves(target):
            log.warning("HubSpot set-up not found; running it now (shopspot setup does this)")
            report = SetupReport()
            found = retry.persevere(lambda: portal.set_up_hubspot(self.hubspot, report, target))
            portal.save(self.redis, self.account, found)
        return found

    @cached_property
    def context(self) -> SyncContext:
        setup = self.portal()
        return SyncContext(
            client=self.hubspot,
            memory=self.memory,
            due=self.due,
            pipeline=setup.pipeline,
            origin=self.origin,
            abandon_after_seconds=self.settings.checkout_abandon_after_seconds,
            phone_from_address=self.settings.phone_from_address,
            with_hs_images=setup.with_hs_images,
            currencies=setup.currencies,
            target=self.settings.hubspot_sync_target,
            order_pipeline=setup.order_pipeline,
        )

    @cached_property
    def privacy(self) -> PrivacyOffice:
        return PrivacyOffice(
            self.redis,
            memory=self.memory,
            verify_log=self.verify_log,
            ledger=DeliveryLedger.from_settings(self.redis, self.settings),
            activity=self.activity,
            dead_letters=self.dead_letters,
            buffers=self.buffers,
            traces=self.traces,
        )

    @cached_property
    def flusher(self) -> Flusher:
        return Flusher(
            self.context,
            self.dead_letters,
            self.activity,
            self.traces,
            self.redis,
            FlushPace(
                self.redis,
                self.limiter,
                self.hubspot.policy.budget(),
                self.settings.thin_flush_budget_share,
            ),
            self.transient,
        )
