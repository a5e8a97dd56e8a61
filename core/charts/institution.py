"""Charts of the plan's institutionalization: the milestone ladder, the timeline, PP to the plan per year.

Pure ``DataFrame -> Figure`` functions over ``core.adoption.institution``'s frames; offline (no geo, no web fonts).
"""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from core import formatting
from core.charts.progress import styled
from core.models import MILESTONE_STATUSES

# Okabe–Ito, readable with colour blindness; the status is always written beside the colour.
MILESTONE_COLORS: dict[str, str] = {
    "por gestionar": "#999999",
    "en trámite": "#E69F00",
    "logrado": "#0072B2",
    "vencido": "#D55E00",
    "anulado": "#CCCCCC",
}
PP_COLORS = {"ceiling": "#CCCCCC", "on_plan": "#0072B2", "executed": "#56B4E9", "off_plan": "#E69F00"}


def milestone_ladder(ladder: pd.DataFrame) -> go.Figure:
    """One horizontal bar per group (first group on top), stacked by status: counts, never a score."""
    frame = ladder.iloc[::-1]
    fig = go.Figure()
    for status in MILESTONE_STATUSES:
        fig.add_bar(
            x=frame[status],
            y=[escape(str(group)).capitalize() for group in frame.group],
            orientation="h",
            name=status.capitalize(),
            marker_color=MILESTONE_COLORS[status],
            text=[formatting.number(n) if n else "" for n in frame[status]],
            textposition="inside",
            hovertemplate="%{y}: %{x} hitos " + status + "<extra></extra>",
        )
    fig.update_layout(barmode="stack")
    fig.update_xaxes(title_text="Hitos", dtick=1, rangemode="tozero")
    return styled(fig, height=120 + 48 * len(frame))


def milestone_timeline(timeline: pd.DataFrame) -> go.Figure:
    """Each dated milestone on its date and group; hollow markers are target dates, filled ones acts."""
    fig = go.Figure()
    for status in MILESTONE_STATUSES:
        mine = timeline.loc[timeline.standing == status]
        if mine.empty:
            continue
        fig.add_scatter(
            x=[pd.Timestamp(day) for day in mine.date],
            y=[str(group).capitalize() for group in mine.group],
            mode="markers",
            name=status.capitalize(),
            marker={
                "color": MILESTONE_COLORS[status],
                "size": 18,
                "symbol": ["circle-open" if planned else "circle" for planned in mine.planned],
                "line": {"width": 3, "color": MILESTONE_COLORS[status]},
            },
            customdata=[
                (escape(str(title)), formatting.day(day), "prevista" if planned else "del acto")
                for title, day, planned in zip(mine.title, mine.date, mine.planned, strict=True)
            ],
            hovertemplate="%{customdata[0]}<br>Fecha %{customdata[2]}: %{customdata[1]}<extra></extra>",
        )
    fig.update_xaxes(tickformat="%b %Y")
    return styled(fig, height=420)


def pp_by_year(years: pd.DataFrame) -> go.Figure:
    """Per year: the ceiling, what was assigned on plan lines and executed from it, and off-plan apart.
    A year without a ceiling says «sin tope» instead of a bar at zero."""
    labels = [str(year) for year in years.year]
    fig = go.Figure()
    series = (
        ("ceiling_cop", "Tope de PP", PP_COLORS["ceiling"]),
        ("assigned_on_plan_cop", "Asignado a líneas del plan", PP_COLORS["on_plan"]),
        ("executed_on_plan_cop", "Ejecutado de lo asignado al plan", PP_COLORS["executed"]),
        ("assigned_off_plan_cop", "Asignado fuera del plan", PP_COLORS["off_plan"]),
    )
    for column, name, color in series:
        values = years[column]
        fig.add_bar(
            x=labels,
            y=[None if pd.isna(v) else v / 1_000_000 for v in values],
            name=name,
            marker_color=color,
            text=[formatting.millions(v) if not pd.isna(v) else "" for v in values],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{x} · " + name + ": %{text} millones<extra></extra>",
        )
    for label, ceiling in zip(labels, years.ceiling_cop, strict=True):
        if pd.isna(ceiling):
            fig.add_annotation(x=label, y=0, text="sin tope", showarrow=False, yshift=16, font={"color": "#555555"})
    fig.update_layout(barmode="group")
    fig.update_yaxes(title_text="Millones de pesos", tickformat=",.0f", rangemode="tozero")
    return styled(fig, height=440)
