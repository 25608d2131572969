"""Task names and queues: one queue per kind of object, plus one for the sweep."""

from __future__ import annotations

from shopspot.topics import Buffer, Kind

SWEEP_QUEUE = "sweep"
SWEEP_TASK = "shopspot.sweep"
FLUSH_TASK = "shopspot.flush"
TICK_TASK = "shopspot.tick"
RECONCILE_TASK = "shopspot.reconcile"
VERIFY_TASK = "shopspot.verify"

# Each buffer is flushed on the queue of the objects it mostly holds.
FLUSH_QUEUES = {
    Buffer.CONTACTS: Kind.CUSTOMERS.value,
    Buffer.PRODUCTS: Kind.PRODUCTS.value,
    Buffer.DEALS: Kind.ORDERS.value,
}


def task_name(kind: Kind) -> str:
    return f"shopspot.sync.{kind.value}"


def queue_name(kind: Kind) -> str:
    return kind.value


ALL_QUEUES: tuple[str, ...] = (*(queue_name(kind) for kind in Kind), SWEEP_QUEUE)
