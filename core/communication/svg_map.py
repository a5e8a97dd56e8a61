"""The barrios as an inline SVG drawing, for files that must open offline without plotly.js (printable reports).

Inline SVG inside HTML5 needs no namespace declaration, so the report carries no external reference at all.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from html import escape

from core.plan.barrios import BarrioShape

WIDTH = 320
NO_DATA_FILL = "#E3E5E8"
HIGHLIGHT_FILL = "#0B5394"


def barrio_svg(
    shapes: tuple[BarrioShape, ...],
    *,
    fills: Mapping[str, str] | None = None,
    highlight: str | None = None,
    width: int = WIDTH,
) -> str:
    """An ``<svg>`` of the barrios, north up and with equal ground distances; ``fills`` colours barrios by code,
    ``highlight`` draws one barrio dark and thick (where this report is about). Each barrio has its name as a
    ``<title>`` (a tooltip on screen, read by screen readers)."""
    points = [point for shape in shapes for ring in shape.rings for point in ring]
    if not points:
        return ""
    min_x, max_x = min(x for x, _ in points), max(x for x, _ in points)
    min_y, max_y = min(y for _, y in points), max(y for _, y in points)
    x_scale = math.cos(math.radians((min_y + max_y) / 2))  # a degree of longitude is shorter than one of latitude
    span_x, span_y = (max_x - min_x) * x_scale, max_y - min_y
    scale = width / span_x
    height = round(span_y * scale)
    paths = []
    for shape in shapes:
        rings = " ".join(
            "M" + " L".join(f"{(x - min_x) * x_scale * scale:.1f},{(max_y - y) * scale:.1f}" for x, y in ring) + " Z"
            for ring in shape.rings
        )
        chosen = shape.code == highlight
        fill = HIGHLIGHT_FILL if chosen else (fills or {}).get(shape.code, NO_DATA_FILL)
        stroke = 'stroke="#111111" stroke-width="2.5"' if chosen else 'stroke="#444444" stroke-width="0.8"'
        paths.append(f'<path d="{rings}" fill="{escape(fill)}" {stroke}><title>{escape(shape.name)}</title></path>')
    return (
        f'<svg viewBox="0 0 {width} {height}" width="{width}" height="{height}" role="img" '
        f'aria-label="Mapa de los barrios de la Comuna 12">{"".join(paths)}</svg>'
    )
