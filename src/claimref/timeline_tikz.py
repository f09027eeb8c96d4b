"""The timeline drawn for the PDF: the same rows and marks as the SVG, as a TikZ picture.

LaTeX cannot include SVG, and no converter is needed: the picture is drawn by TeX itself
from the same data (:class:`~claimref.timeline_svg.Row`), so the print and the web agree.
"""

from __future__ import annotations

from sphinx.util.texescape import escape

from .timeline_svg import Row, year_position

#: Layout, in centimetres: the plot and one row (the labels, to the left, take about 5.5 cm more).
PLOT_CM = 9.4
ROW_CM = 0.42
#: A seed's mark: a diamond drawn from its bottom corner.
DIAMOND = "-- ++(0.09,0.09) -- ++(-0.09,0.09) -- ++(-0.09,-0.09) -- cycle;"


def _shorten(text: str, limit: int = 46) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def draw(rows: list[Row], years: tuple[int, int]) -> str:
    """The TikZ picture of *rows* over *years* (first, last + 1), as LaTeX source."""
    first, end = years

    def x_of(value: float) -> str:
        return f"{(value - first) / (end - first) * PLOT_CM:.2f}"

    bottom = -ROW_CM * len(rows)
    out = [
        r"\par\noindent\begin{tikzpicture}[font=\scriptsize]",
        # Legend, above the axis.
        r"\fill (0.1,0.75) circle (0.07);\node[anchor=west] at (0.2,0.75) {statement of the claim};",
        r"\draw[thick] (3.6,0.66) -- (3.69,0.75) -- (3.6,0.84) -- (3.51,0.75) -- cycle;"
        r"\node[anchor=west] at (3.75,0.75) {answer of a seed document};",
    ]
    step = 5 if end - first > 12 else 1
    for year in range(first, end + 1):
        if (year - first) % step == 0:
            x = x_of(year)
            out.append(rf"\draw[gray!40] ({x},0.1) -- ({x},{bottom:.2f});\node at ({x},0.3) {{{year}}};")
    for index, row in enumerate(rows):
        y = -ROW_CM * index - ROW_CM / 2
        out.append(rf"\node[anchor=east] at (-0.15,{y:.2f}) {{{escape(_shorten(row.label))}}};")
        out.append(rf"\draw[gray!30,dashed] (0,{y:.2f}) -- ({PLOT_CM},{y:.2f});")
        for mark in sorted(row.marks, key=lambda m: (m.kind != "seed", m.date)):
            x = x_of(year_position(mark.date))
            if mark.kind == "seed":
                out.append(rf"\draw[thick] ({x},{y - 0.09:.2f}) {DIAMOND}")
            else:
                out.append(rf"\fill ({x},{y:.2f}) circle (0.07);")
    out.append(r"\end{tikzpicture}\par")
    return "\n".join(out) + "\n"
