"""The reports for people: tables for a terminal, and one self-contained HTML page with an SVG
chart per report (no script, nothing fetched, readable on a phone)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from html import escape
from typing import Any

TITLES = {
    "order_snapshot": "Order snapshot",
    "new_sales_processed": "New sales processed",
    "new_vs_existing": "New vs. existing business",
    "lifetime_value_by_source": "Lifetime order value by source",
    "average_order_value_by_source": "Average order value by source",
    "sales_vs_goal": "Sales processed vs. goal",
    "net_new_customers": "Net new customers vs. last month",
    "abandoned_cart_recovery": "Abandoned cart recovery",
}


def _money(value: float | None) -> str:
    return "-" if value is None else f"{value:,.2f}"


def _share(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.1f} %"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))

    return [line(header), line(["-" * w for w in widths]), *(line(row) for row in rows)]


def text(report: Mapping[str, Any]) -> str:
    r = report
    sales, goal = r["new_sales_processed"], r["sales_vs_goal"]
    new, recovery = r["net_new_customers"], r["abandoned_cart_recovery"]
    busiest = sorted(sales["by_day"].items(), key=lambda kv: -kv[1])[:5]
    blocks: dict[str, list[str]] = {
        "order_snapshot": _table(
            ("stage", "deals", "amount"),
            [(s, str(v["count"]), _money(v["amount"])) for s, v in r["order_snapshot"].items()],
        ),
        "new_sales_processed": [
            f"{sales['count']} sold, {_money(sales['amount'])}; busiest days: "
            + ", ".join(f"{day} {_money(amount)}" for day, amount in busiest if amount)
        ],
        "new_vs_existing": _table(
            ("customers", "deals", "amount"),
            [(k, str(v["count"]), _money(v["amount"])) for k, v in r["new_vs_existing"].items()],
        ),
        "lifetime_value_by_source": _table(
            ("source", "amount"),
            [(k, _money(v)) for k, v in r["lifetime_value_by_source"].items()],
        ),
        "average_order_value_by_source": _table(
            ("source", "average"),
            [(k, _money(v)) for k, v in r["average_order_value_by_source"].items()],
        ),
        "sales_vs_goal": [
            f"{_money(goal['amount'])} of {_money(goal['goal'])} ({_share(goal['share'])})"
            if goal["goal"] is not None
            else f"{_money(goal['amount'])} processed; no goal given (--goal)"
        ],
        "net_new_customers": [
            f"{new['month']} new this month, {new['previous_month']} the month before "
            f"({new['change']:+d})"
        ],
        "abandoned_cart_recovery": [
            f"{recovery['abandoned']} abandoned, {recovery['recovered']} recovered "
            f"({_share(recovery['rate'])}), {_money(recovery['recovered_amount'])} recovered"
        ],
    }
    lines = [f"{r['shop']} — {r['month']}", ""]
    for name, title in TITLES.items():
        lines += [title, *blocks[name], ""]
    return "\n".join(lines).rstrip() + "\n"


# --- HTML -----------------------------------------------------------------------------------

_STYLE = """
body{font-family:system-ui,sans-serif;margin:0;padding:1rem;background:#f6f7f9;color:#1d2939}
h1{font-size:1.3rem;margin:0 0 1rem}
main{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(min(100%,26rem),1fr))}
section{background:#fff;border-radius:.5rem;padding:1rem;box-shadow:0 1px 2px #0002}
h2{font-size:1rem;margin:0 0 .5rem}p{margin:.25rem 0 .75rem}
svg{width:100%;height:auto;display:block}text{font-size:12px;fill:#344054}
.bar{fill:#ff7a59}.line{fill:none;stroke:#ff7a59;stroke-width:2}.track{fill:#eaecf0}
"""
_WIDTH = 400
_LABELS = 140  # room for the longest stage label, "Checkout Abandoned"


def _bars(items: Sequence[tuple[str, float]], unit: str = "") -> str:
    """Horizontal bars, one row per item, labelled with its value."""
    top = max((value for _, value in items), default=0) or 1
    row = 26
    parts = []
    for n, (label, value) in enumerate(items):
        y = n * row
        width = max(0.0, value) / top * (_WIDTH - _LABELS - 60)
        shown = f"{value:,.0f}" if unit == "count" else _money(value)
        parts.append(
            f'<text x="0" y="{y + 17}">{escape(label)}</text>'
            f'<rect class="bar" x="{_LABELS}" y="{y + 5}" width="{width:.1f}" height="16" rx="2"/>'
            f'<text x="{_LABELS + 5 + width:.1f}" y="{y + 17}">{escape(shown)}</text>'
        )
    height = max(row, row * len(items))
    return f'<svg viewBox="0 0 {_WIDTH} {height}" role="img">{"".join(parts)}</svg>'


def _line(points: Sequence[tuple[str, float]]) -> str:
    """Amount per day as one line, the first and last day named under it."""
    top = max((value for _, value in points), default=0) or 1
    height, left, bottom = 160, 50, 20
    step = (_WIDTH - left - 10) / max(1, len(points) - 1)
    coords = " ".join(
        f"{left + n * step:.1f},{(height - bottom) - value / top * (height - bottom - 10):.1f}"
        for n, (_, value) in enumerate(points)
    )
    first, last = (points[0][0], points[-1][0]) if points else ("", "")
    return (
        f'<svg viewBox="0 0 {_WIDTH} {height}" role="img">'
        f'<polyline class="line" points="{coords}"/>'
        f'<text x="0" y="14">{escape(_money(top))}</text>'
        f'<text x="{left}" y="{height - 4}">{escape(first)}</text>'
        f'<text x="{_WIDTH - 80}" y="{height - 4}">{escape(last)}</text></svg>'
    )


def _gauge(share: float | None) -> str:
    """A half dial filled to the share of the goal reached (full at 100 % and beyond)."""
    filled = min(1.0, max(0.0, share or 0.0))
    cx, cy, radius = _WIDTH / 2, 130, 110

    def point(fraction: float) -> str:
        angle = math.pi * (1 - fraction)
        return f"{cx + radius * math.cos(angle):.1f},{cy - radius * math.sin(angle):.1f}"

    track = f'<path class="track" d="M{point(0)} A{radius},{radius} 0 0 1 {point(1)} Z"/>'
    arc = (
        f'<path class="bar" d="M{cx},{cy} L{point(0)} A{radius},{radius} 0 0 1 {point(filled)} Z"/>'
        if filled
        else ""
    )
    label = escape(_share(share) if share is not None else "no goal")
    return (
        f'<svg viewBox="0 0 {_WIDTH} 150" role="img">{track}{arc}'
        f'<text x="{cx - 25}" y="{cy + 16}">{label}</text></svg>'
    )


def html(report: Mapping[str, Any]) -> str:
    r = report
    sales, goal = r["new_sales_processed"], r["sales_vs_goal"]
    new, recovery = r["net_new_customers"], r["abandoned_cart_recovery"]
    snapshot = r["order_snapshot"]
    charts = {
        "order_snapshot": (
            f"{sum(v['count'] for v in snapshot.values())} deals in the pipeline",
            _bars([(stage, v["amount"]) for stage, v in snapshot.items()]),
        ),
        "new_sales_processed": (
            f"{sales['count']} sold, {_money(sales['amount'])}",
            _line(list(sales["by_day"].items())),
        ),
        "new_vs_existing": (
            "amount by customer",
            _bars([(k, v["amount"]) for k, v in r["new_vs_existing"].items()]),
        ),
        "lifetime_value_by_source": (
            "all sold deals",
            _bars(list(r["lifetime_value_by_source"].items())),
        ),
        "average_order_value_by_source": (
            "per sold deal",
            _bars(list(r["average_order_value_by_source"].items())),
        ),
        "sales_vs_goal": (
            f"{_money(goal['amount'])} of {_money(goal['goal'])}"
            if goal["goal"] is not None
            else f"{_money(goal['amount'])} processed; no goal given (--goal)",
            _gauge(goal["share"]),
        ),
        "net_new_customers": (
            f"{new['change']:+d} against last month",
            _bars([("last month", new["previous_month"]), ("this month", new["month"])], "count"),
        ),
        "abandoned_cart_recovery": (
            f"{_share(recovery['rate'])} recovered, {_money(recovery['recovered_amount'])}",
            _bars(
                [("abandoned", recovery["abandoned"]), ("recovered", recovery["recovered"])],
                "count",
            ),
        ),
    }
    sections = "".join(
        f'<section id="{name}"><h2>{escape(TITLES[name])}</h2>'
        f"<p>{escape(summary)}</p>{svg}</section>"
        for name, (summary, svg) in charts.items()
    )
    title = escape(f"{r['shop']} — {r['month']}")
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        f"<title>{title}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{title}</h1><main>{sections}</main></body></html>\n"
    )
