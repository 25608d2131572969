"""Tasks that only the tests send, to put a worker into the situations that lose work.

They run on the real base task and the real worker configuration; what they do is
recorded in files under PROBE_DIR, so the record survives Redis restarts and worker kills.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from shopspot.errors import TransientError
from shopspot.events import WebhookEvent
from shopspot.topics import Kind
from tasks.base import SyncTask
from worker.app import app


def _record(name: str) -> int:
    """Append a line to PROBE_DIR/<name>; returns how many lines it has now."""
    path = Path(os.environ["PROBE_DIR"]) / name
    with path.open("a") as file:
        file.write("x\n")
    return len(path.read_text().splitlines())


@app.task(name="tests.probe.hold", base=SyncTask, kind=Kind.CUSTOMERS)
def hold(event: WebhookEvent) -> str:
    _record("hold-started")
    time.sleep(float(event.payload["seconds"]))
    _record("hold-done")
    return "held"


@app.task(name="tests.probe.explode", base=SyncTask, kind=Kind.CUSTOMERS)
def explode(event: WebhookEvent) -> str:
    raise RuntimeError(f"a bug that quotes data: {event.payload['secret']}")


@app.task(name="tests.probe.retry_once", base=SyncTask, kind=Kind.CUSTOMERS, bind=True)
def retry_once(task: SyncTask, event: WebhookEvent) -> str:
    if _record("retry-once-attempts") == 1:
        # The retry the base task makes of a transient failure, with a countdown that
        # outlasts what the test does to Redis meanwhile.
        raise task.retry(countdown=float(event.payload["seconds"]), max_retries=None)
    _record("retry-once-done")
    return "done"


@app.task(name="tests.probe.transient_once", base=SyncTask, kind=Kind.CUSTOMERS)
def transient_once(event: WebhookEvent) -> str:
    if _record("transient-once-attempts") == 1:
        raise TransientError("the first try meets a hiccup")
    _record("transient-once-done")
    return "done"
