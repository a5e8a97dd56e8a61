"""The crosswalk as a chart: actors × lines coloured by alignment level (``core.adoption.alignment.level_matrix``)."""

from __future__ import annotations

from html import escape

import pandas as pd
import plotly.graph_objects as go

from core.adoption.alignment import IN_EXECUTION, LEVEL_LABELS
from core.charts.progress import styled

UNVERIFIED_Z = -1  # a cell with proposed rows only: drawn grey, never as a level
# Grey for unverified, then light to dark for 0 ausente … 4 en ejecución (one colour per whole step).
LEVEL_SCALE = [
    (0.0, "#D9D9D9"), (0.2, "#D9D9D9"),
    (0.2, "#F7FBFF"), (0.36, "#F7FBFF"),
    (0.36, "#C6DBEF"), (0.52, "#C6DBEF"),
    (0.52, "#6BAED6"), (0.68, "#6BAED6"),
    (0.68, "#2171B5"), (0.84, "#2171B5"),
    (0.84, "#08306B"), (1.0, "#08306B"),
]  # fmt: skip


def level_heatmap(matrix: pd.DataFrame, *, line_order: list[str]) -> go.Figure:
    """One row per actor, one column per line: the level shown, written in the cell ("sin verificar" in grey)."""
    matrix = matrix.assign(z=matrix.shown_level.astype(float).where(~matrix.unverified, UNVERIFIED_Z))
    names = list(dict.fromkeys(matrix.actor_name))
    z = matrix.pivot_table(index="actor_name", columns="line_code", values="z", aggfunc="first", dropna=False)
    labels = matrix.pivot_table(index="actor_name", columns="line_code", values="label", aggfunc="first")
    z, labels = z.reindex(index=names, columns=line_order), labels.reindex(index=names, columns=line_order)
    text = [
        [escape(str(v)).replace(" · ", "<br>") if isinstance(v, str) else "" for v in row] for row in labels.to_numpy()
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z.to_numpy(),
            x=line_order,
            y=[escape(name) for name in names],
            text=text,
            texttemplate="%{text}",
            textfont={"size": 12},
            colorscale=LEVEL_SCALE,
            zmin=UNVERIFIED_Z - 0.5,
            zmax=IN_EXECUTION + 0.5,
            xgap=2,
            ygap=2,
            colorbar={
                "title": {"text": "Nivel", "side": "right"},
                "tickvals": [UNVERIFIED_Z, *LEVEL_LABELS],
                "ticktext": ["sin verificar", *(f"{level} {label}" for level, label in LEVEL_LABELS.items())],
            },
            hovertemplate="%{y} · %{x}<br>%{text}<extra></extra>",
            hoverongaps=False,
        )
    )
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(side="top")
    return styled(fig, height=max(360, 40 * len(names) + 120))
