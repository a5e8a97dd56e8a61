"""Pure ``DataFrame -> plotly Figure`` functions, in Spanish and es-CO number formats.

Every figure is drawn with plotly.js as bundled by Streamlit: no geo traces, no map tiles, no web fonts.
"""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from core import formatting
from core.metrics import FRESHNESS_ORDER, STATUS_COLORS

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
