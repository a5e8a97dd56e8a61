"""Articulación: pacts and alliances, who works on which line, the coordination gaps, and the actors' network."""

import streamlit as st

from core import formatting, views
from core.charts import progress
from core.excel.writing import Sheet
from core.participation import coordination
from core.tables import Column, Kind
from ui.components import md, no_match_notice, plot, semaforo_legend
from ui.filters import cut_off_date
from ui.state import read
from ui.tables import about_export, download_xlsx, show_grid, show_table

PACT_COLUMNS = [
    Column("key", "Código"),
    Column("name", "Pacto o alianza"),
    Column("kind", "Tipo"),
    Column("signed_date", "Firmado", Kind.DATE),
    Column("lines", "Líneas"),
    Column("member_count", "Miembros", Kind.INTEGER),
    Column("sectors", "Sectores"),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("status", "Semáforo"),
]
LINKED_COLUMNS = [
    Column("code", "Código"),
    Column("description", "Compromiso"),
    Column("actors", "Actores"),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("status", "Semáforo"),
    Column("due_date", "Entrega", Kind.DATE),
]
MEMBER_COLUMNS = [Column("actor_name", "Actor"), Column("sector", "Sector"), Column("role", "Rol")]
MATRIX_COLUMNS = [
    Column("name", "Actor o sector"),
    Column("line_code", "Línea"),
    Column("commitments", "Compromisos activos", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
]
ABSENT_COLUMNS = [
    Column("actor_name", "Actor"),
    Column("sector", "Sector"),
    Column("commitments", "Compromisos activos", Kind.INTEGER),
    Column("situation", "Situación"),
    Column("reason", "Detalle"),
]
GAP_MONTHS = {3: "3 meses", 6: "6 meses", 12: "12 meses"}

st.title("Articulación")
on = cut_off_date()
view = read(views.plan_view, on=on)
st.caption(
    "Pactos y alianzas, trabajo conjunto entre sectores y en el territorio, y los vacíos de articulación · corte al "
    f"{formatting.long_day(on)}"
)
if view.assessed.empty:
    no_match_notice(filtered=False)  # this page has no filters
    st.stop()
pact_data = read(views.pacts)
drawn = read(views.articulation, on=on)

st.subheader("Pactos y alianzas")
pact_rows = drawn.pacts
if pact_rows.empty:
    st.info("Todavía no hay pactos ni alianzas registrados.")
else:
    plot(progress.progress_vs_expected(pact_rows))
    semaforo_legend(view.thresholds)
    show_grid(pact_rows, PACT_COLUMNS, key="grid_pacts")
    names = dict(zip(pact_rows.key, pact_rows.name, strict=True))
    pact_code = st.selectbox(
        "Ver los miembros de", list(names), format_func=names.__getitem__, key="pacto", bind="query-params"
    )
    if pact_code:
        show_table(coordination.pact_members(pact_data, pact_code), MEMBER_COLUMNS)
        linked = coordination.pact_commitments(pact_data, view.assessed, view.snapshot, pact_code)
        st.markdown(f"**Compromisos del pacto** ({formatting.number(len(linked))})")
        show_grid(linked, LINKED_COLUMNS, key="grid_pact_commitments")

st.subheader("Quién trabaja en cada línea")
by = st.segmented_control(
    "Filas",
    ["sector", "actor"],
    format_func=lambda v: "Sectores" if v == "sector" else "Actores",
    default="sector",
    key="matriz",
    bind="query-params",
)
matrix = read(views.line_matrix, on=on, by="actor" if by == "actor" else "sector")
# Short names need not be unique: two actors called alike must not merge into one row.
repeated = matrix.drop_duplicates("key").name.duplicated(keep=False)
twins = set(matrix.drop_duplicates("key").loc[repeated, "name"])
matrix = matrix.assign(name=matrix.name.where(~matrix.name.isin(twins), matrix.name + " (" + matrix.key + ")"))
rows = list(dict.fromkeys(matrix.sort_values(["sector", "name"]).name))
plot(progress.line_heatmap(matrix, row_order=rows, column_order=list(view.snapshot.lines.code)))
st.caption(
    "Cada celda: compromisos activos y su avance físico promedio. Vacía: ese actor o sector no trabaja en la línea."
)

st.subheader("Vacíos de articulación")
months = st.segmented_control(
    "Ausencia a eventos en los últimos", list(GAP_MONTHS), format_func=GAP_MONTHS.__getitem__, default=3, key="meses"
)
gaps = read(views.coordination_gaps, on=on, months=int(months or 3))
lines_col, barrios_col = st.columns(2)
with lines_col:
    st.markdown("**Líneas sin entidad pública**")
    if gaps.lines_without_public_sector.empty:
        st.caption("Todas las líneas con compromisos tienen al menos una Secretaría o entidad pública.")
    for line in gaps.lines_without_public_sector.itertuples():
        st.warning(md(f"{line.line_code} · {line.line_name}"))
with barrios_col:
    st.markdown("**Barrios sin actores activos**")
    if gaps.barrios_without_active_actor.empty:
        st.caption("Todos los barrios tienen al menos un compromiso activo.")
    for barrio in gaps.barrios_without_active_actor.itertuples():
        st.warning(md(barrio.barrio_name))
st.markdown("**Actores con compromisos que no han ido a los eventos**")
if gaps.absent_actors.empty:
    st.caption("Todos los actores con compromisos asistieron a algún evento en el periodo.")
else:
    show_grid(gaps.absent_actors, ABSENT_COLUMNS, key="grid_absent")

st.subheader("Red de actores")
network = drawn.network
plot(drawn.network_figure)
st.caption(
    f"{formatting.number(len(network.nodes))} actores con compromisos activos, unidos cuando comparten un proyecto "
    "o un pacto (más grueso si comparten más). Tamaño: número de compromisos; color: sector."
)

download_xlsx(
    [
        Sheet("Pactos", pact_rows, PACT_COLUMNS),
        Sheet("Actores por línea", matrix, MATRIX_COLUMNS),
        Sheet("Ausentes", gaps.absent_actors, ABSENT_COLUMNS),
    ],
    file_name=f"articulacion_{on.isoformat()}",
    key="download_articulacion",
    about=about_export(on, "Todo el plan"),
)
