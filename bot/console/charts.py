"""Charts drawn on the server as inline SVG: no script, no library, nothing from a CDN.

Sized in a viewBox about a phone's width, so the text stays readable when the chart is
scaled to the screen; each bar carries its exact figure (a ``<title>`` for a pointer, the
number beside it for the eye), and the page has the same figures in a table beside.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

from markupsafe import Markup, escape

WIDTH: Final = 320
FONT: Final = 13


@dataclass(frozen=True, slots=True)
class Series:
    key: str
    label: str
    color: str


@dataclass(frozen=True, slots=True)
class Group:
    label: str
    values: dict[str, int]


def _svg(height: float, title: str, body: list[str]) -> Markup:
    return Markup(
        f'<svg class="chart" viewBox="0 0 {WIDTH} {height:.0f}" role="img" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="system-ui, sans-serif" font-size="{FONT}">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>")


def horizontal_bars(title: str, groups: Sequence[Group], series: Sequence[Series]) -> Markup:
    """A group a line (an agency): its name on top, then one bar a series with its figure."""
    top = max((v for g in groups for v in g.values.values()), default=0) or 1
    bar, gap, label = 12, 3, FONT + 6
    room = WIDTH - 48  # the longest bar leaves room for its figure
    body, y = [], 4.0
    for group in groups:
        body.append(f'<text x="0" y="{y + FONT:.1f}" font-weight="600" fill="#1b1f24">'
                    f"{escape(group.label)}</text>")
        y += label
        for s in series:
            value = group.values.get(s.key, 0)
            # a zero keeps a sliver of its colour: which figure it is stays readable
            width = max(room * value / top, 3.0)
            body.append(
                f'<rect x="0" y="{y:.1f}" width="{width:.1f}" height="{bar}" rx="2" '
                f'fill="{s.color}"><title>{escape(s.label)}: {value}</title></rect>'
                f'<text x="{width + 4:.1f}" y="{y + bar - 1.5:.1f}" '
                f'fill="#3d4650">{value}</text>')
            y += bar + gap
        y += 10
    return _svg(y, title, body)


def vertical_bars(title: str, groups: Sequence[Group], series: Sequence[Series]) -> Markup:
    """A group a column (a month): side by side bars, one a series, the label below."""
    height, base, left = 210.0, 180.0, 30.0
    top = max((v for g in groups for v in g.values.values()), default=0) or 1
    step = (WIDTH - left) / max(len(groups), 1)
    bar = min(14.0, (step - 8) / max(len(series), 1))
    body = [f'<line x1="{left}" y1="{base}" x2="{WIDTH}" y2="{base}" stroke="#c4ccd4"/>',
            f'<text x="{left - 4}" y="{FONT + 2}" text-anchor="end" fill="#5b6570">{top}</text>',
            f'<line x1="{left}" y1="8" x2="{WIDTH}" y2="8" stroke="#eef2f6"/>',
            f'<text x="{left - 4}" y="{base}" text-anchor="end" fill="#5b6570">0</text>']
    for n, group in enumerate(groups):
        x0 = left + n * step + (step - bar * len(series)) / 2
        for k, s in enumerate(series):
            value = group.values.get(s.key, 0)
            h = (base - 8) * value / top
            body.append(
                f'<rect x="{x0 + k * bar:.1f}" y="{base - h:.1f}" width="{bar - 1:.1f}" '
                f'height="{h:.1f}" fill="{s.color}"><title>{escape(group.label)} · '
                f"{escape(s.label)}: {value}</title></rect>")
        body.append(f'<text x="{left + n * step + step / 2:.1f}" y="{base + FONT + 6}" '
                    f'text-anchor="middle" fill="#3d4650">{escape(group.label)}</text>')
    return _svg(height, title, body)
