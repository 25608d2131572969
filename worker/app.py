"""The Celery app. Settings are read when Celery first needs its configuration, not at
import, so importing tasks or the receiver never fails on a missing setting."""

from __future__ import annotations

from typing import Any

from celery import Celery

from shopspot.settings import load_settings
from worker.config import celery_config

TASK_MODULES = [
    "tasks.sync",
    "tasks.privacy",
    "tasks.flush",
    "tasks.sweep",
    "tasks.reconcile",
    "tasks.verify",
]

app = Celery("shopspot", include=TASK_MODULES, task_cls="worker.requests:ResilientTask")


def _configuration() -> dict[str, Any]:
    return celery_config(load_settings())


# Celery evaluates lazy defaults once, when its configuration is first read.
app.add_defaults(_configuration)
