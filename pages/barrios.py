"""Barrios: the offline map of the 13 barrios, barrio × line, and what is happening in one barrio."""

from dataclasses import replace
from html import escape

import pandas as pd
import streamlit as st

from core import formatting, views
from core.charts import progress
from core.excel.writing import Sheet
from core.metrics.breakdowns import WHOLE_COMUNA_KEY
from core.metrics.detail import barrio_density
from core.plan.barrios import ATTRIBUTION, barrio_shapes
from core.tables import Column, Kind
from ui.components import headline_cards, how_computed, md, no_match_notice, plot, semaforo_legend
from ui.filters import BARRIO_PARAM, cut_off_date, describe, plan_filter
from ui.state import read
from ui.tables import about_export, download_xlsx, show_grid

MAP_KEY = "barrio_map"
# label -> (breakdown column, colour-bar title, value format, fixed range)
MAP_MEASURES: dict[str, tuple[str, str, str, tuple[float, float] | None]] = {
    "Avance físico": ("physical_progress", "Avance físico", "%", (0.0, 100.0)),
    "Eficacia": ("efficacy", "Eficacia", "%", None),
    "Número de compromisos": ("commitments", "Compromisos", "n", None),
    "Presupuesto comprometido": ("budget_millions", "Millones de $", "n", None),
}
BARRIO_COLUMNS = [
    Column("key", "Código"),
    Column("name", "Barrio"),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("efficacy", "Eficacia", Kind.PERCENT),
    Column("status", "Semáforo"),
    Column("n_sin reporte", "Sin reporte", Kind.INTEGER),
    Column("budget_cop", "Comprometido", Kind.MONEY),
    Column("area_ha", "Área (ha)", Kind.INTEGER),
    Column("commitments_per_km2", "Compromisos por km²", Kind.DECIMAL),
    Column("budget_per_km2", "Comprometido por km²", Kind.MONEY),
]
MATRIX_COLUMNS = [
    Column("name", "Barrio"),
    Column("line_code", "Línea"),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
    Column("status", "Semáforo"),
]
PROJECT_COLUMNS = [
    Column("project_code", "Código"),
    Column("project_name", "Proyecto"),
    Column("line_code", "Línea"),
    Column("stage", "Etapa"),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("status", "Semáforo"),
    Column("lead_actor", "Actor líder"),
]
COMMITMENT_COLUMNS = [
    Column("code", "Código"),
    Column("description", "Compromiso"),
    Column("actors", "Actores"),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("status", "Semáforo"),
    Column("status_note", "Nota"),
    Column("due_date", "Entrega", Kind.DATE),
]
ACTOR_COLUMNS = [
    Column("name", "Actor"),
    Column("sector", "Sector"),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("status", "Semáforo"),
]


def select_clicked_barrio() -> None:
    """A click on a barrio's name on the map selects it in the sidebar filter (and so in the link)."""
    points = st.session_state[MAP_KEY].selection.points
    if points and points[0].get("customdata"):
        st.session_state[BARRIO_PARAM] = points[0]["customdata"]


def hover_text(row: pd.Series) -> str:
    return (
        f"<b>{escape(str(row['name']))}</b><br>Avance físico: {formatting.percent(row.physical_progress)}"
        f"<br>Eficacia: {formatting.percent(row.efficacy)}<br>Compromisos: {formatting.number(row.commitments)}"
        f" ({formatting.number(row['n_sin reporte'])} sin reporte)"
        f"<br>Comprometido: {formatting.money(row.budget_cop)}"
        f"<br>Compromisos por km²: {formatting.number(row.commitments_per_km2, 1)}"
    )


st.title("Barrios")
on = cut_off_date()
chosen = plan_filter(on)
overview_filter = replace(chosen, barrio_code=None)
overview = read(views.plan_view, on=on, plan_filter=overview_filter)  # the map and the matrix show every barrio
filter_text = describe(overview_filter, on)
st.caption(f"Qué pasa en cada barrio · corte al {formatting.long_day(on)} · {md(filter_text)}")
if overview.assessed.empty:
    no_match_notice(filtered=not overview_filter.is_empty)
    st.stop()

barrios = barrio_density(
    read(views.view_table, on=on, name="barrios", plan_filter=overview_filter), overview.snapshot.barrios
)
barrios = barrios.assign(budget_millions=barrios.budget_cop / 1_000_000, area_ha=barrios.area_km2 * 100)
located = barrios.loc[barrios.key != WHOLE_COMUNA_KEY]
whole = barrios.loc[barrios.key == WHOLE_COMUNA_KEY].iloc[0]

measure = st.segmented_control(
    "Colorear el mapa por", list(MAP_MEASURES), default="Avance físico", key="mapa", bind="query-params"
)
column, title, value_format, value_range = MAP_MEASURES[measure or "Avance físico"]
by_code = located.set_index("key")
figure = progress.barrio_map(
    barrio_shapes(),
    by_code[column],
    by_code.apply(hover_text, axis=1),
    title=title,
    value_format=value_format,
    value_range=value_range,
    selected=chosen.barrio_code,
)
plot(figure, key=MAP_KEY, on_select=select_clicked_barrio)
st.caption(
    "Haga clic en el nombre de un barrio (o elíjalo en la barra lateral) para ver su detalle. Gris: sin dato. "
    f"{ATTRIBUTION}"
)
st.info(
    f"**Toda la comuna**: además, {formatting.number(whole.commitments)} compromisos no tienen un barrio propio "
    f"(avance físico {formatting.percent(whole.physical_progress)}, comprometido "
    f"{formatting.money(whole.budget_cop)}). Se muestran aparte y no se reparten entre los barrios."
)

st.subheader("Barrios")
if located.population.isna().all():
    st.caption(
        "No hay datos de población de los barrios en la base de datos, así que no se muestran cifras por "
        "habitante; las cifras por km² usan el área oficial de cada barrio."
    )
    barrio_columns = BARRIO_COLUMNS
else:
    barrio_columns = [*BARRIO_COLUMNS, Column("budget_per_inhabitant", "Comprometido por habitante", Kind.PESOS)]
show_grid(barrios, barrio_columns, key="grid_barrios", height=560)

st.subheader("Barrio × línea estratégica")
matrix = read(views.view_table, on=on, name="barrio_line", plan_filter=overview_filter)
matrix = matrix.loc[matrix.commitments > 0]
plot(progress.line_heatmap(matrix, row_order=list(barrios.name), column_order=list(overview.snapshot.lines.code)))
st.caption(
    "Cada celda: avance físico de los compromisos de esa línea en ese barrio y, entre paréntesis, cuántos son. "
    "Celda vacía: la línea no tiene compromisos allí."
)

sheets = [Sheet("Barrios", barrios, barrio_columns), Sheet("Barrio por línea", matrix, MATRIX_COLUMNS)]
if chosen.barrio_code is not None:
    detail = read(views.plan_view, on=on, plan_filter=chosen)
    row = barrios.loc[barrios.key == chosen.barrio_code].iloc[0]
    st.subheader(f"Detalle: {md(row['name'])}")
    if chosen.barrio_code == WHOLE_COMUNA_KEY:
        st.caption("Compromisos sin barrio propio: son de toda la comuna.")
    headline_cards(row)
    projects = read(views.view_table, on=on, name="projects", plan_filter=chosen)
    commitments = read(views.view_table, on=on, name="commitments", plan_filter=chosen)
    actors = read(views.view_table, on=on, name="actors", plan_filter=chosen)
    actors = actors.loc[actors.commitments > 0].sort_values("commitments", ascending=False)
    if chosen.sector is not None:  # co-responsible actors of other sectors share those commitments: not listed
        actors = actors.loc[actors.sector == chosen.sector]
    st.markdown("**Proyectos con compromisos en el barrio**")
    show_grid(projects, PROJECT_COLUMNS, key="grid_barrio_projects")
    st.markdown("**Compromisos ubicados en el barrio**")
    show_grid(commitments, COMMITMENT_COLUMNS, key="grid_barrio_commitments", height=360)
    st.markdown("**Actores que trabajan en el barrio**")
    show_grid(actors, ACTOR_COLUMNS, key="grid_barrio_actors")
    semaforo_legend(overview.thresholds)
    sheets += [
        Sheet("Proyectos del barrio", projects, PROJECT_COLUMNS),
        Sheet("Compromisos del barrio", commitments, COMMITMENT_COLUMNS),
        Sheet("Actores del barrio", actors, ACTOR_COLUMNS),
    ]

download_xlsx(
    sheets, file_name=f"barrios_{on.isoformat()}", key="download_barrios", about=about_export(on, filter_text)
)
how_computed(overview.thresholds)
