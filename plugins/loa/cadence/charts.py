"""Static SVG charts (no JavaScript): weekly posts with the target band, followers over time."""

from __future__ import annotations

import hashlib
import html

from markupsafe import Markup

from loa.cadence.stats import UnitWeeks

WIDTH, HEIGHT, PAD = 360, 160, 26
# Text size in the drawing's units: a chart is never narrower than 18rem (288 px, see
# loa.css .stats-grid), so 15 units stay at least 12 px on screen.
FONT = 15
COLOURS = {"below": "#b3261e", "within": "#1e6b3a", "above": "#0a4f8f"}


def chart_id(*parts: str) -> str:
    """A stable, attribute-safe id from any text (a platform name, an account from the ledger).

    Letters, digits and dashes only, and the same in every process — never
    ``hash()``, which Python salts per process (``PYTHONHASHSEED``).
    """
    readable = "-".join(
        "".join(c if c.isascii() and c.isalnum() else "-" for c in part.lower()).strip("-")[:24]
        for part in parts[:2]
    )
    digest = hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{readable or 'bieu-do'}-{digest}"


def _id(value: str) -> str:
    """An id attribute's value, escaped (ids are made safe by ``chart_id``; this is the last guard)."""
    return html.escape(value, quote=True)


def weekly_chart(row: UnitWeeks, chart_id: str, weeks: int = 14) -> Markup:
    """Bars of the last ``weeks`` weeks of one unit, over a shaded band from its minimum to its maximum."""
    chart_id = _id(chart_id)
    data = row.weeks[-weeks:]
    top = max([row.high + 1, *(n for _, n, _ in data)])
    plot_h = HEIGHT - 2 * PAD
    step = (WIDTH - 2 * PAD) / max(1, len(data))

    def y(value: float) -> float:
        return HEIGHT - PAD - value / top * plot_h

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-labelledby="{chart_id}-t" class="chart">',
        f'<title id="{chart_id}-t">Số bài mỗi tuần của {html.escape(row.name)}, {len(data)} tuần gần nhất; mục tiêu {row.low}–{row.high} bài/tuần</title>',
        f'<rect x="{PAD}" y="{y(row.high):.1f}" width="{WIDTH - 2 * PAD}" height="{y(row.low) - y(row.high):.1f}" fill="#dff0e3"/>',
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{HEIGHT - PAD}" y2="{HEIGHT - PAD}" stroke="#555"/>',
        f'<text x="2" y="{y(row.low) + 4:.1f}" font-size="{FONT}" fill="#333">{row.low}</text>',
        f'<text x="2" y="{y(row.high) + 4:.1f}" font-size="{FONT}" fill="#333">{row.high}</text>',
    ]
    for index, (monday, count, state) in enumerate(data):
        x = PAD + index * step + step * 0.15
        parts.append(
            f'<rect x="{x:.1f}" y="{y(count):.1f}" width="{step * 0.7:.1f}" height="{HEIGHT - PAD - y(count):.1f}" fill="{COLOURS[state]}"/>'
        )
        if index % max(1, -(-len(data) // 5)) == 0:  # at most five dates, each readable
            parts.append(
                f'<text x="{x:.1f}" y="{HEIGHT - 4}" font-size="{FONT}" fill="#333">{monday:%d/%m}</text>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))


def line_chart(points: list[tuple], chart_id: str, title: str) -> Markup:
    """A line of follower counts over time."""
    if not points:
        return Markup("")
    chart_id = _id(chart_id)
    values = [int(v) for _, v in points]
    low, high = min(values), max(values)
    span = max(1, high - low)
    step = (WIDTH - 2 * PAD) / max(1, len(points) - 1)
    coords = " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - (v - low) / span * (HEIGHT - 2 * PAD):.1f}"
        for i, (_, v) in enumerate(points)
    )
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" aria-labelledby="{chart_id}-t" class="chart">'
        f'<title id="{chart_id}-t">{html.escape(title)}</title>'
        f'<line x1="{PAD}" x2="{WIDTH - PAD}" y1="{HEIGHT - PAD}" y2="{HEIGHT - PAD}" stroke="#555"/>'
        f'<polyline points="{coords}" fill="none" stroke="#0a4f8f" stroke-width="2"/>'
        f'<text x="{PAD}" y="14" font-size="{FONT}" fill="#333">{high}</text><text x="{PAD}" y="{HEIGHT - PAD - 4}" font-size="{FONT}" fill="#333">{low}</text>'
        f'<text x="{PAD}" y="{HEIGHT - 4}" font-size="{FONT}" fill="#333">{points[0][0]:%d/%m/%Y}</text>'
        f'<text x="{WIDTH - PAD}" text-anchor="end" y="{HEIGHT - 4}" font-size="{FONT}" fill="#333">{points[-1][0]:%d/%m/%Y}</text>'
        "</svg>"
    )
