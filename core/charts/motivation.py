"""Charts of the Motivación y participación page: the curva motivacional and the attendance figures.

Pure ``DataFrame -> plotly Figure`` functions, Spanish labels, es-CO numbers (``charts.styled``), drawn offline.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from html import escape

import pandas as pd
import plotly.graph_objects as go

from core import formatting
from core.charts.progress import month_label, percent_heatmap, styled
from core.models import EVENT_KINDS
from core.participation.motivation import BANDS, PLAN_KEY, band

# Okabe–Ito hues, one per sector: told apart with the common colour-vision deficiencies (legends say the name too).
SECTOR_COLORS: dict[str, str] = {
    "público": "#0072B2",
    "comunitario": "#E69F00",
    "ONG/corporación": "#009E73",
    "privado": "#CC79A7",
    "académico": "#56B4E9",
    "cooperación": "#D55E00",
}
OTHER_COLOR = "#8A8F98"
# Light tints behind the curve; each band is also named in words on the chart.
BAND_FILLS = {"alta": "#E4F2EA", "media": "#FBF1D9", "baja": "#F9E1D6"}
BAND_LABELS = {"alta": "alta (≥ 70)", "media": "media (40–69)", "baja": "baja (< 40)"}
KIND_COLORS = dict(zip(EVENT_KINDS, ("#0072B2", "#009E73", "#E69F00", "#CC79A7", "#D55E00"), strict=True))
ACTOR_PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#111111", "#8C564B")


def _month_ticks(fig: go.Figure, days: Sequence[date]) -> None:
    """Spanish month ticks (plotly's would be English), at most about six so labels stay level."""
    days = sorted(set(days))
    step = max(1, -(-len(days) // 6))
    ticks = days[::-1][::step][::-1]
    fig.update_xaxes(tickvals=ticks, ticktext=[month_label(day) for day in ticks], tickangle=0, gridcolor="#DDDDDD")


def motivation_curve(curve: pd.DataFrame) -> go.Figure:
    """One line per group of ``motivation.curve`` (plan, sectors or actors) over the bands alta/media/baja."""
    fig = go.Figure()
    for name, low, high in BANDS:
        fig.add_shape(
            type="rect",
            xref="paper",
            x0=0,
            x1=1,
            yref="y",
            y0=low,
            y1=high,
            fillcolor=BAND_FILLS[name],
            line={"width": 0},
            layer="below",
        )
        fig.add_annotation(
            xref="paper",
            x=1,
            xanchor="right",
            yref="y",
            y=(low + high) / 2,
            text=BAND_LABELS[name],
            showarrow=False,
            font={"size": 14, "color": "#555555"},
        )
    days: list[date] = []
    for position, (key, rows) in enumerate(curve.groupby("key", sort=False)):
        rows = rows.sort_values("month_end")
        x = [pd.Timestamp(day).date() for day in rows.month_end]
        days.extend(x)
        name = str(rows["name"].iloc[0])
        if key == PLAN_KEY:
            color = "#111111"
        elif key in SECTOR_COLORS:
            color = SECTOR_COLORS[str(key)]
        else:
            color = ACTOR_PALETTE[position % len(ACTOR_PALETTE)]
        fig.add_scatter(
            x=x,
            y=rows["index"],
            name=escape(name),
            mode="lines+markers",
            connectgaps=False,
            line={"color": color, "width": 4 if key == PLAN_KEY else 3},
            customdata=[
                [formatting.day(day), formatting.number(value, 1), band(value), formatting.number(actors)]
                for day, value, actors in zip(x, rows["index"], rows.actors, strict=True)
            ],
            hovertemplate=f"<b>{escape(name)}</b><br>%{{customdata[0]}}<br>Índice: %{{customdata[1]}} "
            "(%{customdata[2]})<br>Actores con dato: %{customdata[3]}<extra></extra>",
        )
    if days:
        _month_ticks(fig, days)
    fig.update_yaxes(range=[0, 100], title_text="Índice de motivación (0–100)", gridcolor="#DDDDDD")
    return styled(fig, height=420)


def attendance_heatmap(matrix: pd.DataFrame, *, months: Sequence[date] | None = None) -> go.Figure:
    """Actors (rows) × months (columns): share of invitations kept, with "asistió/invitado" in each cell.

    ``matrix`` is ``attendance.attendance_matrix``; a blank cell means the actor was not invited that month.
    ``months`` adds the columns of months without any event.
    """
    actors = matrix.drop_duplicates("actor_code").assign(
        label=lambda f: f.short_name.where(f.short_name.fillna("") != "", f.actor_name)
    )
    repeated = actors.label.duplicated(keep=False)
    actors["label"] = actors.label.where(~repeated, actors.label + " (" + actors.actor_code + ")")
    actors = actors.sort_values("label", key=lambda s: s.str.casefold())
    rows, columns = list(actors.actor_code), sorted(set(matrix.month_end) | set(months or ()))

    def grid(values: str) -> pd.DataFrame:
        table = matrix.pivot_table(index="actor_code", columns="month_end", values=values, aggfunc="first")
        return table.reindex(index=rows, columns=columns)

    attended, invited = grid("attended"), grid("invited")
    text = [
        ["" if pd.isna(i) else f"{int(a)}/{int(i)}" for a, i in zip(a_row, i_row, strict=True)]
        for a_row, i_row in zip(attended.to_numpy(), invited.to_numpy(), strict=True)
    ]
    fig = percent_heatmap(
        grid("rate").to_numpy(dtype=float),
        x=[month_label(pd.Timestamp(day).date()) for day in columns],
        y=[escape(label) for label in actors.label],
        text=text,
        title="Asistencia",
        hover="%{y} · %{x}<br>Asistió a %{text} eventos (%{z:.0f} %)",
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top", type="category")
    return styled(fig, height=max(360, 28 * len(rows) + 140))


def rate_bars(breakdown: pd.DataFrame, *, title: str) -> go.Figure:
    """Share of invitations kept per group of ``participation_by_sector``/``participation_by_barrio``; groups
    without invitations are listed with "sin invitaciones" instead of a bar."""
    frame = breakdown.iloc[::-1]
    texts = [
        "sin invitaciones" if invited == 0 else f"{formatting.percent(rate)} ({attended} de {invited})"
        for rate, attended, invited in zip(frame.rate, frame.attended, frame.invited, strict=True)
    ]
    fig = go.Figure(
        go.Bar(
            x=frame.rate.fillna(0),
            y=[escape(str(name)) for name in frame.name],
            orientation="h",
            marker_color=[SECTOR_COLORS.get(str(key), "#3F7FBF") for key in frame.key],
            text=texts,
            textposition="outside",
            cliponaxis=False,
            hovertemplate="<b>%{y}</b><br>%{text}<extra></extra>",
        )
    )
    fig.update_layout(title_text=title, showlegend=False)
    fig.update_xaxes(range=[0, 125], ticksuffix=" %", title_text="Invitaciones atendidas", gridcolor="#DDDDDD")
    return styled(fig, height=max(260, 44 * len(frame) + 120))


def organizations_timeline(events: pd.DataFrame) -> go.Figure:
    """Distinct organizations present at each event over time (``attendance.organizations_per_event``), one colour
    per kind of event."""
    fig = go.Figure()
    for kind, rows in events.groupby("kind", sort=False):
        days = [pd.Timestamp(day).date() for day in rows.held_on]
        fig.add_scatter(
            x=days,
            y=rows.organizations,
            name=str(kind),
            mode="markers",
            marker={"size": 12, "color": KIND_COLORS.get(str(kind), OTHER_COLOR)},
            customdata=[
                [escape(str(title)), formatting.day(day), formatting.number(invited)]
                for title, day, invited in zip(rows.title, days, rows.invited, strict=True)
            ],
            hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}<br>Organizaciones presentes: %{y}<br>"
            "Invitadas: %{customdata[2]}<extra></extra>",
        )
    if len(events):
        _month_ticks(fig, [pd.Timestamp(day).date() for day in events.held_on])
    fig.update_yaxes(title_text="Organizaciones presentes", rangemode="tozero", gridcolor="#DDDDDD")
    return styled(fig, height=380)
