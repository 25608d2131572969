"""How Shopify values are written as HubSpot property values (every value travels as a string).

* money: a plain decimal string, never exponent notation (``"404.95"``);
* timestamps: every Shopify timestamp maps to a HubSpot ``datetime`` property, which takes
  ISO-8601 or epoch milliseconds; written in UTC with milliseconds, the form HubSpot returns
  (``"2022-01-01T00:00:00.000Z"``). A ``date`` property would need midnight UTC
  (``"YYYY-MM-DD"``) and would shift orders near midnight to the wrong day, so none is used;
* checkboxes: ``"true"`` / ``"false"``;
* empty values (None, ``""``, whitespace, empty lists) are dropped, never written: HubSpot
  clears a property given ``""``, and an empty Shopify value must not blank a HubSpot one (C3);
* a value longer than HubSpot takes (65,536 characters) is cut to fit: HubSpot refuses the
  whole record otherwise, and a shortened note beats an order that never arrives.
"""

import functools
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from html.parser import HTMLParser


def shop_domain(shop: str) -> str:
    """The shop's myshopify domain as it appears in keys and ``shopify_shop_domain``."""
    domain = shop.strip().lower()
    if not domain or ":" in domain or any(c.isspace() for c in domain):
        raise ValueError("shop must be a myshopify domain such as example.myshopify.com")
    return domain


def key(*parts: str | int) -> str:
    """An upsert key: ``<shop>:<id>[:<id>...]``."""
    return ":".join(str(part) for part in parts)


def money(value: Decimal | None) -> str | None:
    return None if value is None else format(value, "f")


def timestamp(value: datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def ms(moment: datetime | None) -> int | None:
    """A moment in epoch milliseconds: how versions and order dates are kept."""
    return None if moment is None else int(moment.timestamp() * 1000)


def timestamp_ms(epoch_ms: int) -> str:
    return str(timestamp(datetime.fromtimestamp(epoch_ms / 1000, tz=UTC)))


def checkbox(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def integer(value: int | None) -> str | None:
    """Counts, weights and Shopify ids; ids go into string properties (see datamodel)."""
    return None if value is None else str(value)


def tag_list(tags: Sequence[str]) -> str:
    """Tags in Shopify's own REST form, ``"tag1, tag2"``."""
    return ", ".join(tags)


# HubSpot's limit on a string property's length; counted here in UTF-16 code units, the
# stricter reading when a value holds characters outside the Basic Multilingual Plane.
MAX_STRING_LENGTH = 65_536


def compact(properties: Mapping[str, str | None]) -> dict[str, str]:
    """Drop every empty value (C3); cut each long one to HubSpot's limit."""
    return {name: _fitted(value) for name, value in properties.items() if value and value.strip()}


def _fitted(value: str) -> str:
    if len(value) * 2 <= MAX_STRING_LENGTH:
        return value  # short enough whatever it holds: skip the encoding
    units = value.encode("utf-16-le")
    if len(units) <= 2 * MAX_STRING_LENGTH:
        return value
    # A surrogate pair cut in half is dropped whole rather than left broken.
    return units[: 2 * MAX_STRING_LENGTH].decode("utf-16-le", errors="ignore")


class _TextExtractor(HTMLParser):
    _BREAKS = frozenset({"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})
    _HIDDEN = frozenset({"script", "style"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth += 1
        elif tag in self._BREAKS:
            self.chunks.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._HIDDEN:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in self._BREAKS:
            self.chunks.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.chunks.append(data)


# Every line item of a product carries its description: a store's few hundred products are
# converted once each rather than once per order line.
@functools.lru_cache(maxsize=1024)
def html_to_text(html: str | None) -> str | None:
    """Visible text of an HTML fragment: tags dropped, entities decoded, one line per block,
    runs of spaces collapsed."""
    if html is None:
        return None
    extractor = _TextExtractor()
    extractor.feed(html)
    extractor.close()
    lines = (" ".join(line.split()) for line in "".join(extractor.chunks).splitlines())
    return "\n".join(line for line in lines if line)
