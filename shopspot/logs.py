"""Log lines: one per event, as text or JSON (`LOG_FORMAT`), never with customer PII.

Callers put structured context in `extra={"fields": {...}}`; only ids, topics and outcomes
belong there, never payload values.
"""

from __future__ import annotations

import json
import logging
import sys
from typing import Any

_STANDARD = ("shop", "topic", "event_id", "object_id", "task_id", "outcome")


class _TextFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        fields = getattr(record, "fields", None)
        if fields:
            line += " " + " ".join(f"{key}={value}" for key, value in _ordered(fields))
        return line


class _JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        entry.update(_ordered(getattr(record, "fields", None) or {}))
        if record.exc_info:
            entry["exc"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str)


def _ordered(fields: dict[str, Any]) -> list[tuple[str, Any]]:
    known = [(key, fields[key]) for key in _STANDARD if key in fields]
    return known + [(key, value) for key, value in fields.items() if key not in _STANDARD]


def configure(log_format: str = "text", level: str = "INFO") -> None:
    handler = logging.StreamHandler(sys.stderr)
    if log_format == "json":
        handler.setFormatter(_JsonFormatter())
    else:
        handler.setFormatter(_TextFormatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    # One line per HTTP call drowns the one line per event; failures still show.
    logging.getLogger("httpx").setLevel(max(logging.WARNING, root.level))
