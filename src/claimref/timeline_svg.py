"""The chronology drawn as SVG: one row per claim, statements and dated answers of the seeds by year.

Pure drawing, no Sphinx: :func:`draw` takes rows of marks and returns the SVG markup. It
is accessible as an image (``role="img"`` with a ``<title>`` and a ``<desc>``, and nothing
focusable inside: the links are in the text beside it); each mark carries its own ``<title>``
(a tooltip), and the colours follow the theme's variables so it reads in light and dark mode.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

#: Layout, in SVG user units.
LABEL_WIDTH = 260
PLOT_WIDTH = 460
ROW_HEIGHT = 18
AXIS_HEIGHT = 34
LEGEND_HEIGHT = 22
MARK = 4.5

STYLE = """
.tl-label { font: 11px sans-serif; fill: var(--color-foreground-primary, #1a1a1a); }
.tl-axis { font: 10px sans-serif; fill: var(--color-foreground-secondary, #555); }
.tl-grid { stroke: var(--color-background-border, #ccc); stroke-width: 1; }
.tl-row { stroke: var(--color-background-border, #ddd); stroke-width: 0.5; stroke-dasharray: 2 3; }
.tl-statement { fill: var(--color-brand-primary, #1f5fbf); }
.tl-seed { fill: none; stroke: var(--color-foreground-primary, #1a1a1a); stroke-width: 1.5; }
"""


@dataclass(frozen=True)
class Mark:
    date: str  # ISO date: YYYY, YYYY-MM or YYYY-MM-DD
    kind: str  # "statement" or "seed"
    label: str  # the tooltip: date and who, or date and which seed


@dataclass(frozen=True)
class Row:
    label: str
    marks: tuple[Mark, ...] = field(default_factory=tuple)


def year_position(date: str) -> float:
    """``2014-04-01`` -> 2014.25: the year plus the fraction of it passed (mid-month, mid-year if unknown)."""
    parts = [int(p) for p in date.split("-")]
    if len(parts) == 1:
        return parts[0] + 0.5
    year, month = parts[0], parts[1]
    day = parts[2] if len(parts) == 3 else 15
    start = datetime.date(year, 1, 1)
    days = 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365
    return year + (datetime.date(year, month, day) - start).days / days


#: The left end of every timeline, unless a mark is older: the year of the German unification talks.
FIRST_YEAR = 1990


def span(rows: list[Row], until: int) -> tuple[int, int]:
    """Whole years from 1990 (or a multiple of five before the first mark), through *until* (or the last mark)."""
    years = [int(m.date[:4]) for row in rows for m in row.marks] or [until]
    first = min(FIRST_YEAR, min(years) - min(years) % 5)
    return first, max(max(years), until) + 1


def _shorten(text: str, limit: int = 44) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def _mark(mark: Mark, x: float, y: float) -> str:
    tip = f"<title>{escape(mark.label)}</title>"
    if mark.kind == "seed":
        r = MARK + 0.5
        points = f"{x:.1f},{y - r:.1f} {x + r:.1f},{y:.1f} {x:.1f},{y + r:.1f} {x - r:.1f},{y:.1f}"
        return f'<polygon class="tl-seed" points="{points}">{tip}</polygon>'
    return f'<circle class="tl-statement" cx="{x:.1f}" cy="{y:.1f}" r="{MARK}">{tip}</circle>'


def draw(ident: str, title: str, description: str, rows: list[Row], years: tuple[int, int]) -> str:
    """The SVG of *rows* over *years* (first, last + 1); *ident* makes its element ids unique on a page."""
    first, end = years
    height = LEGEND_HEIGHT + AXIS_HEIGHT + ROW_HEIGHT * len(rows) + 6
    width = LABEL_WIDTH + PLOT_WIDTH + 20

    def x_of(value: float) -> float:
        return LABEL_WIDTH + (value - first) / (end - first) * PLOT_WIDTH

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="claimref-timeline-svg" viewBox="0 0 {width} {height}"'
        f' width="100%" role="img" aria-labelledby="{ident}-title {ident}-desc" data-pagefind-ignore="all">',
        f'<title id="{ident}-title">{escape(title)}</title>',
        f'<desc id="{ident}-desc">{escape(description)}</desc>',
        f"<style>{STYLE}</style>",
    ]
    # Legend.
    out.append(_mark(Mark("", "statement", "A statement of the claim"), LABEL_WIDTH + 6, 11))
    out.append(f'<text class="tl-axis" x="{LABEL_WIDTH + 16}" y="15">statement of the claim</text>')
    out.append(_mark(Mark("", "seed", "A dated answer of a seed document"), LABEL_WIDTH + 160, 11))
    out.append(f'<text class="tl-axis" x="{LABEL_WIDTH + 170}" y="15">answer of a seed document</text>')
    top = LEGEND_HEIGHT + AXIS_HEIGHT
    bottom = top + ROW_HEIGHT * len(rows)
    step = 5 if end - first > 12 else 1
    for year in range(first, end + 1):
        if (year - first) % step:
            continue
        x = x_of(year)
        out.append(f'<line class="tl-grid" x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{bottom}"/>')
        out.append(f'<text class="tl-axis" x="{x:.1f}" y="{top - 10}" text-anchor="middle">{year}</text>')
    for index, row in enumerate(rows):
        y = top + ROW_HEIGHT * index + ROW_HEIGHT / 2
        label = f'<text class="tl-label" x="{LABEL_WIDTH - 8}" y="{y + 4:.1f}" text-anchor="end">'
        out.append(label + f"{escape(_shorten(row.label))}<title>{escape(row.label)}</title></text>")
        out.append(f'<line class="tl-row" x1="{LABEL_WIDTH}" y1="{y:.1f}" x2="{x_of(end):.1f}" y2="{y:.1f}"/>')
        # Seeds first, so a statement in the same month stays visible on top.
        for mark in sorted(row.marks, key=lambda m: (m.kind != "seed", m.date)):
            out.append(_mark(mark, x_of(year_position(mark.date)), y))
    out.append("</svg>")
    return "\n".join(out)
