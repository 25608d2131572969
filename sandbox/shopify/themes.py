"""The online store's themes and their files: where a custom app puts storefront code now that
script tags can no longer be created (since 2026-10-01)."""

from __future__ import annotations

import base64
import fnmatch
import hashlib
import threading
from dataclasses import dataclass, field

THEME_LIQUID = """<!doctype html>
<html lang="{{ request.locale.iso_code }}">
  <head>
    <meta charset="utf-8">
    <title>{{ page_title }}</title>
    {{ content_for_header }}
    {{ 'base.css' | asset_url | stylesheet_tag }}
  </head>
  <body>
    <main id="MainContent" role="main">
      {{ content_for_layout }}
    </main>
  </body>
</html>
"""
INITIAL_FILES = {
    "layout/theme.liquid": THEME_LIQUID,
    "templates/index.json": '{"sections": {}, "order": []}\n',
    "config/settings_data.json": '{"current": "Default"}\n',
    "assets/base.css": "body { margin: 0; }\n",
    "snippets/price.liquid": "{{ price | money }}\n",
}
FOLDERS = (
    "assets/",
    "blocks/",
    "config/",
    "layout/",
    "locales/",
    "sections/",
    "snippets/",
    "templates/",
)
# Shopify refuses a layout that lacks the objects every storefront page needs.
REQUIRED_IN_LAYOUT = ("{{ content_for_header }}", "{{ content_for_layout }}")


@dataclass
class ThemeFile:
    filename: str
    data: bytes
    created_at: int
    updated_at: int

    @property
    def text(self) -> str | None:
        try:
            return self.data.decode("utf-8")
        except UnicodeDecodeError:
            return None

    @property
    def checksum(self) -> str:
        return hashlib.md5(self.data, usedforsecurity=False).hexdigest()

    @property
    def content_type(self) -> str:
        if self.filename.endswith(".liquid"):
            return "text/x-liquid"
        if self.filename.endswith(".json"):
            return "application/json"
        if self.filename.endswith(".css"):
            return "text/css"
        if self.filename.endswith(".js"):
            return "application/javascript"
        return "application/octet-stream"


@dataclass
class Theme:
    id: int
    name: str
    role: str
    created_at: int
    updated_at: int
    files: dict[str, ThemeFile] = field(default_factory=dict)


class Themes:
    def __init__(self, main_theme_id: int, now: int) -> None:
        self.lock = threading.Lock()
        created = now - 400 * 86400
        main = Theme(main_theme_id, "Dawn", "MAIN", created, created)
        for filename, text in INITIAL_FILES.items():
            main.files[filename] = ThemeFile(filename, text.encode(), created, created)
        self.by_id = {main.id: main}

    def all(self) -> list[Theme]:
        with self.lock:
            return sorted(self.by_id.values(), key=lambda theme: theme.id)

    def get(self, theme_id: int) -> Theme | None:
        with self.lock:
            return self.by_id.get(theme_id)

    def read(self, theme: Theme, patterns: list[str] | None) -> tuple[list[ThemeFile], list[str]]:
        """The files matching the patterns (`*` wildcards allowed), and names not found."""
        with self.lock:
            names = sorted(theme.files)
            if patterns is None:
                return [theme.files[name] for name in names], []
            found: dict[str, ThemeFile] = {}
            missing = []
            for pattern in patterns:
                hits = [name for name in names if fnmatch.fnmatchcase(name, pattern)]
                if not hits and "*" not in pattern:
                    missing.append(pattern)
                found.update((name, theme.files[name]) for name in hits)
            return [found[name] for name in sorted(found)], missing

    def upsert(
        self, theme: Theme, files: list[dict[str, object]], now: int
    ) -> tuple[list[str], list[dict[str, object]]]:
        """Writes all files or none; answers the names written and Shopify-style user errors."""
        errors: list[dict[str, object]] = []
        decoded: dict[str, bytes] = {}
        for index, entry in enumerate(files):
            filename = str(entry["filename"])
            body = entry["body"]
            assert isinstance(body, dict)
            where = ["files", str(index)]
            if filename in decoded:
                errors.append(
                    _error(where, filename, "DUPLICATE_FILE_INPUT", "Duplicate file input")
                )
                continue
            if not filename.startswith(FOLDERS) or filename.endswith("/"):
                errors.append(
                    _error(where, filename, "FILE_VALIDATION_ERROR", "Filename is invalid")
                )
                continue
            data = _decode(body)
            if data is None:
                errors.append(
                    _error(
                        where, filename, "ERROR", f"Body of type {body['type']} is not supported"
                    )
                )
                continue
            if filename == "layout/theme.liquid":
                text = data.decode("utf-8", "replace")
                missing = [tag for tag in REQUIRED_IN_LAYOUT if tag not in text]
                if missing:
                    message = f"Missing {missing[0].replace(' ', '')} in the layout"
                    errors.append(_error(where, filename, "FILE_VALIDATION_ERROR", message))
                    continue
            decoded[filename] = data
        if errors:
            return [], errors
        with self.lock:
            for filename, data in decoded.items():
                existing = theme.files.get(filename)
                created = existing.created_at if existing else now
                theme.files[filename] = ThemeFile(filename, data, created, now)
            theme.updated_at = now
        return list(decoded), []


def _decode(body: dict[object, object]) -> bytes | None:
    value = str(body["value"])
    if body["type"] == "TEXT":
        return value.encode("utf-8")
    if body["type"] == "BASE64":
        try:
            return base64.b64decode(value, validate=True)
        except ValueError:
            return None
    return None  # URL bodies would make the simulator fetch from the network


def _error(where: list[str], filename: str, code: str, message: str) -> dict[str, object]:
    return {"field": where, "filename": filename, "code": code, "message": message}
