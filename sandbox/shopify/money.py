"""Money held as integer cents of the shop currency, written out as Shopify does."""

from __future__ import annotations

# Fixed rates against USD so presentment amounts are reproducible.
RATES = {"USD": 1.0, "EUR": 0.92, "GBP": 0.79, "CAD": 1.36, "AUD": 1.52}
PRESENTMENT_CURRENCIES = tuple(RATES)


def amount(cents: int) -> str:
    """REST money and the GraphQL `Money` scalar: two decimals, as a string."""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(cents), 100)
    return f"{sign}{whole}.{part:02d}"


def decimal(cents: int) -> str:
    """GraphQL `Decimal` (MoneyV2.amount): Shopify drops trailing zeros but keeps one decimal."""
    text = amount(cents)
    return text[:-1] if text.endswith("0") else text


def convert(cents: int, shop_currency: str, currency: str) -> int:
    if currency == shop_currency:
        return cents
    return round(cents * RATES[currency] / RATES[shop_currency])
