"""Celery configuration for at-least-once delivery on Redis.

Celery on Redis loses work in a few well-known ways (an exception escaping a task is acked
and gone; `retry()` during a Redis outage is dropped by the default publish policy; a killed
worker's messages wait for the visibility timeout and kombu's restore sweep). The settings
here close what configuration can close; `tasks.base.SyncTask` closes the rest.
"""

from __future__ import annotations

from typing import Any

from kombu.entity import Queue

from shopspot.redisurl import names_sentinels
from shopspot.settings import Settings
from shopspot.topics import Kind
from worker.routing import (
    ALL_QUEUES,
    RECONCILE_TASK,
    SWEEP_QUEUE,
    SWEEP_TASK,
    TICK_TASK,
    VERIFY_TASK,
    queue_name,
    task_name,
)

# Beat's safety net for flushes that died or whose message was lost.
TICK_SECONDS = 30.0

# `retry()` republishes through the broker: this policy outlasts a Redis restart of about
# 45 s instead of dropping the retry after ~2 s.
TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 30,
    "interval_start": 0.5,
    "interval_step": 0.5,
    "interval_max": 2,
}


# A task's JSON body goes into kombu's envelope as it is rather than base64-encoded: a
# webhook's message is a tenth smaller for Redis to take, keep and hand out (kombu reads each
# message by the encoding it names, so messages queued base64-encoded are read as before).
BODY_ENCODING = "utf-8"


def celery_config(settings: Settings) -> dict[str, Any]:
    visibility_timeout = settings.broker_visibility_timeout_seconds
    transport_options: dict[str, Any] = {
        "visibility_timeout": visibility_timeout,
        # kombu scans for orphaned messages every interval x throttle seconds (10 x 10 by
        # default); a throttle of 1 brings a killed worker's tasks back after about the
        # visibility timeout instead of up to 100 s later.
        "unacked_restore_interval": settings.broker_unacked_restore_interval_seconds,
        "unacked_restore_throttle": 1,
        "socket_timeout": 10,
        "socket_connect_timeout": 2,
        "socket_keepalive": True,
        "health_check_interval": 25,
        "retry_on_timeout": True,
        "body_encoding": BODY_ENCODING,
    }
    if names_sentinels(settings.redis_url):
        # kombu's sentinel:// transport asks the Sentinels for this master on every
        # (re)connection, so the worker and the receiver follow a fail-over.
        transport_options["master_name"] = settings.redis_sentinel_master
    return {
        "broker_url": settings.redis_url,
        "broker_transport_options": transport_options,
        "visibility_timeout": visibility_timeout,
        "broker_connection_retry_on_startup": True,
        "broker_connection_max_retries": None,
        "result_backend": None,
        "task_ignore_result": True,
        "task_serializer": "json",
        "result_serializer": "json",
        "accept_content": ["json"],
        "task_acks_late": True,
        "task_reject_on_worker_lost": True,
        # A pool process that dies mid-task becomes a counted retry, so a payload that kills
        # its worker every time ends in the dead-letter store instead of looping forever.
        "task_retry_on_worker_lost": True,
        "task_default_retry_delay": 5,
        "worker_prefetch_multiplier": 1,
        "worker_eta_task_limit": 1000,
        "worker_cancel_long_running_tasks_on_connection_loss": True,
        "worker_soft_shutdown_timeout": settings.task_time_limit_seconds,
        "worker_enable_soft_shutdown_on_idle": True,
        "task_time_limit": settings.task_time_limit_seconds,
        "task_soft_time_limit": settings.task_time_limit_seconds * 0.9,
        "task_publish_retry": True,
        "task_publish_retry_policy": TASK_PUBLISH_RETRY_POLICY,
        "worker_send_task_events": True,
        "task_send_sent_event": True,
        "task_queues": [Queue(name) for name in ALL_QUEUES],
        "task_default_queue": SWEEP_QUEUE,
        "task_routes": {
            **{task_name(kind): {"queue": queue_name(kind)} for kind in Kind},
            SWEEP_TASK: {"queue": SWEEP_QUEUE},
            TICK_TASK: {"queue": SWEEP_QUEUE},
            RECONCILE_TASK: {"queue": SWEEP_QUEUE},
            VERIFY_TASK: {"queue": SWEEP_QUEUE},
        },
        "beat_schedule": {
            # `expires`: ticks that piled up while no worker ran are dropped, not run at once.
            "abandoned-checkout-sweep": {
                "task": SWEEP_TASK,
                "schedule": settings.sweep_interval_seconds,
                "options": {"expires": settings.sweep_interval_seconds},
            },
            "reconciliation": {
                "task": RECONCILE_TASK,
                "schedule": settings.reconcile_interval_seconds,
                "options": {"expires": settings.reconcile_interval_seconds},
            },
            "verification": {
                "task": VERIFY_TASK,
                "schedule": settings.verify_interval_seconds,
                "options": {"expires": settings.verify_interval_seconds},
            },
            "flush-safety-tick": {
                "task": TICK_TASK,
                "schedule": TICK_SECONDS,
                "options": {"expires": TICK_SECONDS},
            },
        },
        "worker_consumer": "worker.consumer:ResilientConsumer",
        "worker_hijack_root_logger": False,
        "enable_utc": True,
        "timezone": "UTC",
    }
