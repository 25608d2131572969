"""A hand-drawn SVG of per-object costs against store size: one panel per cost, each with
its own linear y-axis, sharing a logarithmic x-axis, so the plot needs no plotting library."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

PANEL_WIDTH = 420
HEIGHT = 340
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 78, 22, 46, 62
FONT = "font-family='Helvetica, Arial, sans-serif'"


@dataclass(frozen=True)
class Panel:
    title: str
    y_label: str
    points: Sequence[tuple[float, float]]  # (store size, cost)
    colour: str


def plot(panels: Sequence[Panel], x_label: str) -> str:
    """The SVG document: `panels` side by side, each over the same log-scaled x range."""
    sizes = [math.log10(x) for panel in panels for x, _ in panel.points]
    # Half a decade either side keeps the end points off the frame.
    low, high = min(sizes) - 0.5, max(sizes) + 0.5
    width = PANEL_WIDTH * len(panels)
    parts = [
        f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{HEIGHT}' "
        f"viewBox='0 0 {width} {HEIGHT}' {FONT} font-size='12'>",
        f"<rect width='{width}' height='{HEIGHT}' fill='white'/>",
    ]
    for index, panel in enumerate(panels):
        parts += _panel(panel, index * PANEL_WIDTH, low, high, x_label)
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _panel(panel: Panel, left: float, low: float, high: float, x_label: str) -> list[str]:
    """One cost's axes, grid and curve; `low` and `high` bound the x-axis in log10 units."""
    x0, x1 = left + MARGIN_LEFT, left + PANEL_WIDTH - MARGIN_RIGHT
    y0, y1 = HEIGHT - MARGIN_BOTTOM, MARGIN_TOP
    top = nice_ceiling(max(cost for _, cost in panel.points) * 1.15)

    def x_at(size: float) -> float:
        return x0 + (x1 - x0) * (math.log10(size) - low) / (high - low)

    def y_at(cost: float) -> float:
        return y0 - (y0 - y1) * cost / top

    centre = (x0 + x1) / 2
    out = [
        f"<text x='{centre:.1f}' y='24' text-anchor='middle' font-size='14' "
        f"font-weight='bold'>{escape(panel.title)}</text>",
    ]
    for step in range(5):
        value = top * step / 4
        y = y_at(value)
        out.append(f"<line x1='{x0}' y1='{y:.1f}' x2='{x1}' y2='{y:.1f}' stroke='#e5e5e5'/>")
        out.append(f"<text x='{x0 - 6}' y='{y + 4:.1f}' text-anchor='end'>{_number(value)}</text>")
    for power in range(math.ceil(low), math.floor(high) + 1):
        x = x_at(10.0**power)
        out.append(f"<line x1='{x:.1f}' y1='{y0}' x2='{x:.1f}' y2='{y1}' stroke='#e5e5e5'/>")
        out.append(f"<text x='{x:.1f}' y='{y0 + 18}' text-anchor='middle'>{10**power:,}</text>")
    out += [
        f"<line x1='{x0}' y1='{y0}' x2='{x1}' y2='{y0}' stroke='#333'/>",
        f"<line x1='{x0}' y1='{y0}' x2='{x0}' y2='{y1}' stroke='#333'/>",
        f"<text x='{centre:.1f}' y='{HEIGHT - 16}' text-anchor='middle'>{escape(x_label)}</text>",
        f"<text transform='translate({left + 18},{(y0 + y1) / 2:.1f}) rotate(-90)' "
        f"text-anchor='middle'>{escape(panel.y_label)}</text>",
    ]
    coordinates = [(x_at(size), y_at(cost)) for size, cost in panel.points]
    line = " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates)
    out.append(f"<polyline points='{line}' fill='none' stroke='{panel.colour}' stroke-width='2'/>")
    for (x, y), (_, cost) in zip(coordinates, panel.points, strict=True):
        out.append(f"<circle cx='{x:.1f}' cy='{y:.1f}' r='4' fill='{panel.colour}'/>")
        out.append(f"<text x='{x:.1f}' y='{y - 9:.1f}' text-anchor='middle'>{_number(cost)}</text>")
    return out


def nice_ceiling(value: float) -> float:
    """The smallest 1, 2 or 5 times a power of ten at or above `value` (> 0)."""
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in (1, 2, 5, 10) if step * power >= value)


def _number(value: float) -> str:
    return f"{value:.3g}"
