"""Pure ``DataFrame -> plotly Figure`` functions, in Spanish and es-CO number formats.

Every figure is drawn with plotly.js as bundled by Streamlit: no geo traces, no map tiles, no web fonts.
"""

from __future__ import annotations

import math
from datetime import date
from html import escape

import pandas as pd
import plotly.graph_objects as go
from plotly.colors import sample_colorscale

from core import formatting
from core.metrics.rule import FRESHNESS_ORDER, STATUS_COLORS
from core.plan.barrios import BarrioShape

FONT_SIZE = 16
FRESHNESS_COLORS = {
    "al día": STATUS_COLORS["al día"],
    "desactualizado": STATUS_COLORS["con retraso"],
    "sin seguimiento": STATUS_COLORS["crítico"],
    "sin reporte": STATUS_COLORS["sin reporte"],
}


def styled(fig: go.Figure, *, height: int) -> go.Figure:
    """Shared look: es-CO separators, readable fonts, legend on top, no plotly logo fonts from the web."""
    fig.update_layout(
        separators=",.",
        height=height,
        margin={"l": 10, "r": 30, "t": 60, "b": 10},
        font={"size": FONT_SIZE, "family": "sans-serif", "color": "#111111"},
        legend={"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
        plot_bgcolor="#FFFFFF",
        paper_bgcolor="#FFFFFF",
        hoverlabel={"font_size": FONT_SIZE},
    )
    fig.update_xaxes(automargin=True)
    fig.update_yaxes(automargin=True)
    return fig


def progress_vs_expected(breakdown: pd.DataFrame, *, label_column: str = "name") -> go.Figure:
    """Horizontal bars of physical progress coloured by semáforo, with a mark at the expected progress.

    Takes any breakdown frame (lines, actors, barrios share one shape); a ``color`` column adds a swatch so each
    line keeps its colour on every page. Names are escaped: plotly reads labels as (limited) HTML.
    """
    frame = breakdown.iloc[::-1]  # first row on top
    labels = [
        f'<span style="color:{color}">■</span> {escape(name)}' if isinstance(color, str) and color else escape(name)
        for name, color in zip(frame[label_column].astype(str), frame.get("color", [None] * len(frame)), strict=True)
    ]
    statuses = frame.status.fillna("sin reporte")
    texts = [formatting.percent(value) for value in frame.physical_progress]
    fig = go.Figure()
    fig.add_bar(
        x=frame.physical_progress.fillna(0),
        y=labels,
        orientation="h",
        name="Avance físico",
        showlegend=False,  # its colour is the semáforo, explained beside the chart
        marker_color=[STATUS_COLORS.get(status, STATUS_COLORS["sin reporte"]) for status in statuses],
        text=texts,
        textposition="outside",
        cliponaxis=False,
        customdata=list(zip(texts, [formatting.percent(v) for v in frame.expected_progress], statuses, strict=True)),
        hovertemplate="<b>%{y}</b><br>Avance físico: %{customdata[0]}<br>"
        "Avance esperado: %{customdata[1]}<br>Estado: %{customdata[2]}<extra></extra>",
    )
    fig.add_scatter(
        x=frame.expected_progress,
        y=labels,
        mode="markers",
        name="Avance esperado",
        marker={"symbol": "line-ns", "size": 30, "line": {"width": 4, "color": "#111111"}},
        hovertemplate="Avance esperado: %{x:.1f} %<extra></extra>",
    )
    fig.update_xaxes(range=[0, 118], ticksuffix=" %", title_text="Avance (%)", gridcolor="#DDDDDD")
    return styled(fig, height=max(260, 70 * len(frame) + 80))


def count_bars(counts: pd.Series, *, colors: dict[str, str], title: str) -> go.Figure:
    """One bar per category (in the order given), coloured by category."""
    fig = go.Figure(
        go.Bar(
            x=list(counts.index),
            y=counts.to_numpy(),
            marker_color=[colors.get(str(key), "#8A8F98") for key in counts.index],
            text=[formatting.number(value) for value in counts],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x}: %{y:,.0f}<extra></extra>",
        )
    )
    fig.update_layout(title_text=title, showlegend=False)
    fig.update_yaxes(title_text="Compromisos", gridcolor="#DDDDDD", rangemode="tozero", title_standoff=12)
    return styled(fig, height=340)


def freshness_counts(assessed: pd.DataFrame) -> pd.Series:
    """Active commitments per freshness band (days since the last report)."""
    active = assessed.loc[assessed.active]
    return active.freshness.value_counts().reindex(list(FRESHNESS_ORDER), fill_value=0)


SHORT_MONTHS = ("ene", "feb", "mar", "abr", "may", "jun", "jul", "ago", "sep", "oct", "nov", "dic")
# Sequential light-to-mid blue: no red/green pair, and black labels stay readable on the darkest fill.
PROGRESS_SCALE: list[tuple[float, str]] = [(0.0, "#F2F7FC"), (0.5, "#9CC3E6"), (1.0, "#3F7FBF")]


def month_label(day: date) -> str:
    """'nov 2026': plotly's own date ticks would be English."""
    return f"{SHORT_MONTHS[day.month - 1]} {day.year}"


def progress_history(history: pd.DataFrame, *, color: str = STATUS_COLORS["cumplido"]) -> go.Figure:
    """Expected and achieved progress at each month's end (``core.progress_history``), on Spanish month ticks."""
    days = [pd.Timestamp(day).date() for day in history.on]
    coverage = [formatting.percent(value * 100, 0) for value in history.coverage]
    fig = go.Figure()
    fig.add_scatter(
        x=days,
        y=history.expected_progress,
        name="Avance esperado",
        mode="lines+markers",
        line={"color": "#111111", "dash": "dash", "width": 3},
        customdata=[
            [formatting.day(day), formatting.percent(v)] for day, v in zip(days, history.expected_progress, strict=True)
        ],
        hovertemplate="%{customdata[0]}<br>Avance esperado: %{customdata[1]}<extra></extra>",
    )
    fig.add_scatter(
        x=days,
        y=history.physical_progress,
        name="Avance físico",
        mode="lines+markers",
        line={"color": color, "width": 4},
        customdata=[
            [formatting.day(day), formatting.percent(v), share]
            for day, v, share in zip(days, history.physical_progress, coverage, strict=True)
        ],
        hovertemplate="%{customdata[0]}<br>Avance físico: %{customdata[1]}<br>"
        "Cobertura: %{customdata[2]}<extra></extra>",
    )
    step = max(1, -(-len(days) // 6))  # at most 6 ticks: labels stay level and never overlap
    ticks = days[::-1][::step][::-1]
    fig.update_xaxes(tickvals=ticks, ticktext=[month_label(day) for day in ticks], tickangle=0, gridcolor="#DDDDDD")
    fig.update_yaxes(range=[0, 105], ticksuffix=" %", title_text="Avance (%)", gridcolor="#DDDDDD")
    return styled(fig, height=380)


def _scale_color(value: float, low: float, high: float, scale: list[tuple[float, str]]) -> str:
    position = 0.5 if high <= low else (value - low) / (high - low)
    return str(sample_colorscale([list(step) for step in scale], [min(max(position, 0.0), 1.0)])[0])


def _label_point(ring: tuple[tuple[float, float], ...]) -> tuple[float, float]:
    """Area centroid of a ring (shoelace), where the barrio's name is written."""
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if abs(area) < 1e-15:
        return sum(x for x, _ in ring) / len(ring), sum(y for _, y in ring) / len(ring)
    return cx / (3 * area), cy / (3 * area)


def _wrapped(name: str) -> str:
    """Two lines for long names, so neighbouring labels do not overlap."""
    words = name.split()
    if len(name) <= 10 or len(words) < 2:
        return escape(name)
    half = len(words) // 2
    return escape(" ".join(words[:half])) + "<br>" + escape(" ".join(words[half:]))


def barrio_map(
    shapes: tuple[BarrioShape, ...],
    values: pd.Series,
    hover: pd.Series,
    *,
    title: str,
    value_format: str = "%",
    value_range: tuple[float, float] | None = None,
    selected: str | None = None,
) -> go.Figure:
    """The barrios as filled polygons on lon/lat axes (no geo trace, no tiles: it draws offline).

    ``values`` and ``hover`` are indexed by barrio code; a barrio without a value is drawn grey ("sin dato").
    One marker per barrio carries its code as ``customdata``, so clicking a name selects the barrio.
    """
    present = values.dropna().astype(float)
    low, high = value_range or ((present.min(), present.max()) if len(present) else (0.0, 1.0))
    fig = go.Figure()
    label_x, label_y, codes, names, hovers = [], [], [], [], []
    for shape in shapes:
        value = present.get(shape.code)
        fill = "#E3E5E8" if value is None else _scale_color(float(value), low, high, PROGRESS_SCALE)
        for ring in shape.rings:
            xs, ys = zip(*ring, strict=True)
            fig.add_scatter(
                x=xs,
                y=ys,
                mode="lines",
                fill="toself",
                fillcolor=fill,
                line={"color": "#333333", "width": 3 if shape.code == selected else 1},
                hoverinfo="skip",
                showlegend=False,
                name=shape.name,
            )
        x, y = _label_point(max(shape.rings, key=len))
        label_x.append(x)
        label_y.append(y)
        codes.append(shape.code)
        names.append(_wrapped(shape.name))
        hovers.append(str(hover.get(shape.code, "")))
    fig.add_scatter(
        x=label_x,
        y=label_y,
        mode="markers+text",
        text=names,
        textposition="middle center",
        textfont={"size": 14, "color": "#111111", "shadow": "0 0 3px #FFFFFF", "weight": 600},
        marker={"size": 30, "color": "rgba(0,0,0,0)"},  # invisible, but a click target
        customdata=codes,
        hovertext=hovers,
        hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
        name="Barrios",
    )
    suffix = " %" if value_format == "%" else ""
    fig.add_scatter(  # carries the colour bar only
        x=[None],
        y=[None],
        mode="markers",
        showlegend=False,
        hoverinfo="skip",
        marker={
            "colorscale": PROGRESS_SCALE,
            "cmin": low,
            "cmax": high,
            "color": [low],
            "showscale": True,
            "colorbar": {
                "title": {"text": title, "side": "right"},
                "ticksuffix": suffix,
                "thickness": 18,
                "separatethousands": True,  # plotly groups only numbers of five digits or more otherwise
            },
        },
    )
    mid_latitude = sum(label_y) / len(label_y) if label_y else 6.26
    fig.update_xaxes(visible=False)
    # Equal ground distances: a degree of longitude is cos(latitude) as long as a degree of latitude.
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / math.cos(math.radians(mid_latitude)))
    fig.update_layout(dragmode=False, clickmode="event+select")
    styled(fig, height=620)
    fig.update_layout(margin={"l": 0, "r": 0, "t": 10, "b": 0})
    return fig


def percent_heatmap(
    z: object, *, x: list[str], y: list[str], text: list[list[str]], title: str, hover: str
) -> go.Figure:
    """A 0–100 % heatmap in the progress blues, its text written in each cell; blank cells stay empty."""
    return go.Figure(
        go.Heatmap(
            z=z,
            x=x,
            y=y,
            text=text,
            texttemplate="%{text}",
            textfont={"size": 14},
            colorscale=PROGRESS_SCALE,
            zmin=0,
            zmax=100,
            xgap=2,
            ygap=2,
            colorbar={"title": {"text": title, "side": "right"}, "ticksuffix": " %"},
            hovertemplate=hover + "<extra></extra>",
            hoverongaps=False,
        )
    )


def line_heatmap(matrix: pd.DataFrame, *, row_order: list[str], column_order: list[str]) -> go.Figure:
    """Physical progress per group (rows: barrios, actors or sectors) and strategic line (columns); an empty cell
    has no commitment there.

    ``matrix``: long frame with ``name`` (the group), ``line_code``, ``physical_progress``, ``commitments``.
    """
    progress = matrix.pivot_table(index="name", columns="line_code", values="physical_progress", aggfunc="first")
    counts = matrix.pivot_table(index="name", columns="line_code", values="commitments", aggfunc="first")
    progress = progress.reindex(index=row_order, columns=column_order)
    counts = counts.reindex(index=row_order, columns=column_order).fillna(0).astype(int)
    text = [
        [
            "" if count == 0 else f"{formatting.percent(value, 0)}<br>({count})"
            for value, count in zip(progress_row, count_row, strict=True)
        ]
        for progress_row, count_row in zip(progress.to_numpy(), counts.to_numpy(), strict=True)
    ]
    fig = percent_heatmap(
        progress.where(counts > 0).to_numpy(),
        x=column_order,
        y=[escape(name) for name in row_order],
        text=text,
        title="Avance físico",
        hover="%{y} · %{x}<br>%{text}",
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    return styled(fig, height=max(360, 42 * len(row_order) + 120))


PROJECTION_FONT_SIZE = 24


def for_projection(fig: go.Figure, *, height: int) -> go.Figure:
    """A chart readable from the back of a hall: every text at least 24 px, no legend clutter, fixed height."""
    fig.update_layout(
        height=height,
        font={"size": PROJECTION_FONT_SIZE},
        hoverlabel={"font_size": PROJECTION_FONT_SIZE},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        showlegend=False,
    )
    fig.update_traces(textfont_size=PROJECTION_FONT_SIZE - 4, selector={"mode": "markers+text"})  # map names
    fig.update_annotations(font_size=PROJECTION_FONT_SIZE)
    fig.update_coloraxes(colorbar_tickfont_size=PROJECTION_FONT_SIZE)
    return fig
