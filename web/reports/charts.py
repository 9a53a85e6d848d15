"""Charts drawn on the server as inline SVG: no script, no stylesheet or font from elsewhere.

Colours come from classes styled in ``reports.css`` (the page's Content-Security-Policy allows
no inline style); geometry is in presentation attributes. Every chart carries a title and a
description for screen readers, and the same numbers are in the tables beside it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Bar:
    """One organisation's row: admitted, the projection by the year's end, the target."""

    label: str
    admitted: int
    target: Decimal | None
    projection: Fraction | None  # None: a closed year
    status: str


@dataclass(frozen=True)
class Series:
    """One line of the yearly chart."""

    name: str
    css: str
    values: Sequence[int]


def _nice_max(value: float) -> int:
    """A round upper bound for an axis (at least 1)."""
    if value <= 5:
        return max(1, math.ceil(value))
    step = 10 ** math.floor(math.log10(value))
    for m in (1, 2, 5, 10):
        if value <= m * step:
            return m * step
    return math.ceil(value)


def _ticks(top: int) -> list[int]:
    step = max(1, _nice_max(top / 5)) if top > 5 else 1
    return list(range(0, top + 1, step))


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bars(items: Sequence[Bar], title: str, desc: str, legend: dict[str, str]) -> Markup:
    """Horizontal bars, one per organisation: admitted (coloured by verdict), the projection by
    the year's end (dashed), the target (a black mark).

    `legend` names ``projection``, ``target`` and each verdict (``met``, ``on_track``,
    ``at_risk``, ``missed``) in the reader's language.
    """
    label_w, plot_w, row_h, top_pad = 290, 620, 28, 40
    width = label_w + plot_w + 70
    height = top_pad + row_h * len(items) + 26
    top = _nice_max(
        max(
            [1.0]
            + [float(b.admitted) for b in items]
            + [float(b.target) for b in items if b.target is not None]
            + [float(b.projection) for b in items if b.projection is not None]
        )
    )

    def x(v: float) -> float:
        return label_w + plot_w * v / top

    out = [
        f'<svg class="chart bars" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="bars-title bars-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="bars-title">{escape(title)}</title>',
        f'<desc id="bars-desc">{escape(desc)}</desc>',
    ]
    # The legend along the top: the verdicts' colours, the projection, the target.
    lx = 8
    for key in ("met", "on_track", "at_risk", "missed"):
        out.append(f'<rect class="admitted {key}" x="{lx}" y="10" width="14" height="12"/>')
        out.append(f'<text class="legend" x="{lx + 19}" y="20">{escape(legend[key])}</text>')
        lx += 34 + 7 * len(legend[key])
    out.append(f'<rect class="projection" x="{lx}" y="10" width="14" height="12"/>')
    out.append(f'<text class="legend" x="{lx + 19}" y="20">{escape(legend["projection"])}</text>')
    lx += 34 + 7 * len(legend["projection"])
    out.append(f'<line class="target" x1="{lx + 6}" y1="8" x2="{lx + 6}" y2="24"/>')
    out.append(f'<text class="legend" x="{lx + 14}" y="20">{escape(legend["target"])}</text>')
    # Grid and axis.
    axis_y = top_pad + row_h * len(items)
    for tick in _ticks(top):
        out.append(
            f'<line class="grid" x1="{x(tick):.1f}" y1="{top_pad - 4}" x2="{x(tick):.1f}" '
            f'y2="{axis_y}"/>'
        )
        out.append(
            f'<text class="tick" x="{x(tick):.1f}" y="{axis_y + 16}" text-anchor="middle">'
            f"{tick}</text>"
        )
    for i, b in enumerate(items):
        y = top_pad + i * row_h
        label = b.label if len(b.label) <= 40 else b.label[:39] + "…"
        out.append(
            f'<text class="label {escape(b.status)}" x="{label_w - 8}" y="{y + 18}" '
            f'text-anchor="end"><title>{escape(b.label)}</title>{escape(label)}</text>'
        )
        if b.projection is not None and b.projection > b.admitted:
            out.append(
                f'<rect class="projection" x="{label_w}" y="{y + 6}" '
                f'width="{x(float(b.projection)) - label_w:.1f}" height="{row_h - 12}"/>'
            )
        if b.admitted:
            out.append(
                f'<rect class="admitted {escape(b.status)}" x="{label_w}" y="{y + 6}" '
                f'width="{x(b.admitted) - label_w:.1f}" height="{row_h - 12}"/>'
            )
        if b.target is not None:
            tx = x(float(b.target))
            out.append(
                f'<line class="target" x1="{tx:.1f}" y1="{y + 2}" x2="{tx:.1f}" '
                f'y2="{y + row_h - 2}"/>'
            )
        end = max(float(b.admitted), float(b.projection or 0), float(b.target or 0))
        text = str(b.admitted)
        if b.projection is not None and b.projection > b.admitted:
            text += f" → {_num(float(b.projection))}"
        out.append(
            f'<text class="value {escape(b.status)}" x="{x(end) + 7:.1f}" y="{y + 18}">'
            f"{escape(text)}</text>"
        )
    out.append("</svg>")
    return Markup("".join(out))


def lines(years: Sequence[int], series: Sequence[Series], title: str, desc: str) -> Markup:
    """A line per series over the years, the first (the total) labelled with its values."""
    left, top_pad, plot_h, step = 40, 44, 190, 110
    width = left + 40 + step * max(1, len(years) - 1) + 30
    height = top_pad + plot_h + 34
    top = _nice_max(max([1.0] + [float(v) for s in series for v in s.values]))

    def x(i: int) -> float:
        return left + 30 + step * i

    def y(v: float) -> float:
        return top_pad + plot_h - plot_h * v / top

    out = [
        f'<svg class="chart lines" viewBox="0 0 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-labelledby="lines-title lines-desc" '
        'xmlns="http://www.w3.org/2000/svg">',
        f'<title id="lines-title">{escape(title)}</title>',
        f'<desc id="lines-desc">{escape(desc)}</desc>',
    ]
    lx = left
    for s in series:
        out.append(
            f'<line class="series {escape(s.css)}" x1="{lx}" y1="15" x2="{lx + 22}" y2="15"/>'
        )
        out.append(
            f'<text class="legend {escape(s.css)}" x="{lx + 28}" y="19">{escape(s.name)}</text>'
        )
        lx += 50 + 7 * len(s.name)
    for tick in _ticks(top):
        out.append(
            f'<line class="grid" x1="{left}" y1="{y(tick):.1f}" x2="{x(len(years) - 1) + 20}" '
            f'y2="{y(tick):.1f}"/>'
        )
        out.append(
            f'<text class="tick" x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{tick}</text>"
        )
    for i, year in enumerate(years):
        out.append(
            f'<text class="tick" x="{x(i):.1f}" y="{top_pad + plot_h + 22}" '
            f'text-anchor="middle">{year}</text>'
        )
    for n, s in enumerate(series):
        points = " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(s.values))
        out.append(f'<polyline class="series {escape(s.css)}" points="{points}"/>')
        for i, v in enumerate(s.values):
            out.append(
                f'<circle class="dot {escape(s.css)}" cx="{x(i):.1f}" cy="{y(v):.1f}" r="4">'
                f"<title>{escape(s.name)} {years[i]}: {v}</title></circle>"
            )
            if n == 0:
                out.append(
                    f'<text class="value" x="{x(i):.1f}" y="{y(v) - 10:.1f}" '
                    f'text-anchor="middle">{v}</text>'
                )
    out.append("</svg>")
    return Markup("".join(out))
