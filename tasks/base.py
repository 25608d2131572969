"""The one base task: every failure becomes a retry or a dead letter, never nothing.

On Redis an exception that escapes a task is acked and its message is gone, so no exception
may escape `SyncTask.__call__`: a transient error is retried with the backoff of the retry
policy (and dead-lettered once the policy gives up), and anything else is dead-lettered at
once with its reason, since running it again would fail the same way until someone fixes the
cause and replays it. These tasks only parse and queue into Redis (the flush task writes to
HubSpot), so no rate limit of a remote API can reach them.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

import redis
from celery.exceptions import Reject, Retry, SoftTimeLimitExceeded
from pydantic import ValidationError

from shopspot import retry
from shopspot.events import WebhookEvent
from shopspot.reasons import describe
from shopspot.retry import TRANSIENT_ERRORS
from shopspot.runtime import Runtime
from shopspot.settings import load_settings
from shopspot.shopify import describe_validation_error
from shopspot.trace.notes import about
from shopspot.trace.store import Step
from worker.requests import ResilientTask

log = logging.getLogger("shopspot.tasks")

# A task that outlives its soft time limit was held up (a slow Redis, a starved worker).
RETRYABLE = (*TRANSIENT_ERRORS, SoftTimeLimitExceeded)


@cache
def runtime() -> Runtime:
    """This worker process's runtime (fork-safe: Redis and HTTP pools open lazily)."""
    return Runtime(load_settings(), transient=RETRYABLE)


class SyncTask(ResilientTask):
    """Base of every task that handles a webhook event: `run(event)` does the work."""

    acks_late = True
    reject_on_worker_lost = True
    # Bounds only the retries Celery makes itself when a pool process dies mid-task; the
    # retries made here pass max_retries=None and count failures in their own argument.
    max_retries = 3
    # Celery checks a message's arguments against `run(event)`, but a task is called as
    # `__call__(event, failures)`: without this, every retry with its count was refused (and
    # its event dropped) before it was even sent.
    typing = False
    kind: str = ""

    def __call__(self, event: dict[str, Any], failures: int = 0) -> str | None:
        try:
            parsed = WebhookEvent.model_validate(event)
        except ValidationError as exc:
            # Not even an envelope: nothing to retry and nothing to replay it as.
            log.error("malformed task message: %s", describe_validation_error(exc))
            return None
        fields = {**parsed.describe(), "task_id": self.request.id}
        try:
            outcome = self.run(parsed)
        except (Retry, Reject):
            raise
        except RETRYABLE as exc:
            settings = runtime().settings
            policy = retry.tasks(settings.task_max_retries, settings.task_retry_backoff_max_seconds)
            if policy.gives_up(failures + 1):
                self._dead_letter(parsed, exc, failures + 1, fields, gave_up=True)
                return "dead_lettered"
            countdown = policy.backoff(failures + 1)
            runtime().traces.record([about(parsed, Step.TASK, "retry", reason=describe(exc))])
            log.warning(
                "retrying after %s",
                type(exc).__name__,
                extra={"fields": {**fields, "outcome": "retry"}},
            )
            raise self.retry(
                countdown=countdown,
                max_retries=None,
                kwargs={"event": event, "failures": failures + 1},
            ) from exc
        except Exception as exc:
            self._dead_letter(parsed, exc, failures + 1, fields, gave_up=False)
            return "dead_lettered"
        runtime().activity.succeeded(parsed.shop, self.kind, parsed.event_id or parsed.webhook_id)
        log.info("handled", extra={"fields": {**fields, "outcome": outcome or "ok"}})
        return outcome

    def run(self, event: WebhookEvent) -> str | None:
        raise NotImplementedError

    def on_failure(
        self,
        exc: BaseException,
        task_id: str,
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
        einfo: Any,
    ) -> None:
        # Only what `__call__` cannot catch gets here: a pool process killed too often, a
        # hard time limit. The message is acked after this, so it must become a dead letter.
        raw = kwargs.get("event", args[0] if args else None)
        try:
            event = WebhookEvent.model_validate(raw)
        except ValidationError:
            log.error("lost a malformed task message after %s", type(exc).__name__)
            return
        fields = {**event.describe(), "task_id": task_id}
        self._dead_letter(event, exc, int(kwargs.get("failures", 0)) + 1, fields, gave_up=True)

    def _dead_letter(
        self,
        event: WebhookEvent,
        exc: BaseException,
        attempts: int,
        fields: dict[str, Any],
        *,
        gave_up: bool,
    ) -> None:
        reason = describe(exc)
        if gave_up:
            reason = f"gave up after {attempts} attempts: {reason}"
        try:
            letter = runtime().dead_letters.put(
                task=self.name,
                event=event,
                reason=reason,
                error_type=type(exc).__name__,
                attempts=attempts,
            )
            runtime().activity.failed(event.shop, self.kind, reason)
        except redis.RedisError as store_error:
            # Without a dead letter the event must stay a message: requeue it (or, with
            # Redis unreachable, leave it unacked for the visibility timeout to restore).
            raise Reject(store_error, requeue=True) from store_error
        runtime().traces.record(
            [about(event, Step.TASK, "dead_letter", letter=letter.id, reason=reason)]
        )
        log.error(
            "dead-lettered: %s", reason, extra={"fields": {**fields, "outcome": "dead_letter"}}
        )
