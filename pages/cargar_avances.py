"""Cargar avances: template, upload, every problem at once, suggestions to confirm, preview, apply, error workbook."""

import streamlit as st

from core import formatting, views
from core.excel.reading import FileRejected
from core.excel.writing import Sheet
from core.tables import Column, Kind
from core.uploads.progress import ERROR, NEW, PROBLEM_COLUMNS, UNCHANGED, UPDATED, apply_progress
from ui.access import COORDINATOR, require_role
from ui.components import md
from ui.imports import (
    confirm_rows,
    error_workbook_bytes,
    preview_upload,
    progress_template_bytes,
    reference_day,
    reset_upload,
    uploader_key,
)
from ui.state import NOT_WRITTEN, read, write
from ui.tables import XLSX_MIME, download_xlsx, show_grid

require_role(COORDINATOR)

CHANGE_COLUMNS = [
    Column("row", "Fila", Kind.INTEGER),
    Column("kind_label", "Cambio"),
    Column("commitment_code", "Compromiso"),
    Column("description", "Descripción"),
    Column("cut_off_date", "Fecha de corte", Kind.DATE),
    Column("previous_progress", "Avance anterior", Kind.PERCENT),
    Column("new_progress", "Avance nuevo", Kind.PERCENT),
    Column("budget_executed_cop", "Ejecutado", Kind.PESOS),
]
KIND_LABELS = {NEW: "nuevo reporte", UPDATED: "actualiza el reporte", UNCHANGED: "sin cambio"}

st.title("Cargar avances")
if done := st.session_state.pop("last_apply", None):
    st.success(done)
st.caption(
    "Suba la plantilla de avance llena (.xlsx o .csv). Nada se guarda hasta que usted revise y confirme; "
    "después puede deshacer la carga desde «Historial de cargas»."
)

with st.expander("1. Descargar la plantilla", expanded=False):
    snapshot = read(views.assessed_plan, on=reference_day()).snapshot
    actors = dict(zip(snapshot.actors.code, snapshot.actors.name, strict=True))
    lines = dict(zip(snapshot.lines.code, snapshot.lines.name, strict=True))
    left, right = st.columns(2)
    actor_code = left.selectbox(
        "Solo los compromisos de un actor",
        [None, *sorted(actors, key=actors.__getitem__)],
        format_func=lambda code: "Todos los actores" if code is None else actors[code],
    )
    line_code = right.selectbox(
        "Solo una línea",
        [None, *lines],
        format_func=lambda code: "Todas" if code is None else f"{code} · {lines[code]}",
    )
    st.download_button(
        "Descargar plantilla .xlsx",
        data=lambda: progress_template_bytes(actor_code, line_code),
        file_name="_".join(["plantilla_avance", *filter(None, [actor_code, line_code])]) + ".xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
    )
    st.caption("Trae los compromisos abiertos con su último avance; las columnas amarillas son las que se llenan.")

st.subheader("2. Subir el archivo")
# No ``type=``: Streamlit would refuse an old .xls in English; core.spreadsheet says in Spanish how to save it.
upload = st.file_uploader("Plantilla de avance llena (.xlsx o .csv)", key=uploader_key())
if upload is None:
    st.stop()

data = upload.getvalue()
try:
    preview = preview_upload(data, upload.name)
except FileRejected as exc:
    st.error(f"No se pudo usar el archivo «{md(upload.name)}». {md(exc)}")
    st.stop()

held = preview.held_rows
new, updated, unchanged = preview.count(NEW), preview.count(UPDATED), preview.count(UNCHANGED)
cards = st.columns(5)
cards[0].metric("Filas", formatting.number(preview.rows_total), border=True, help="Filas con datos de avance.")
cards[1].metric("Nuevos", formatting.number(new), border=True, help="Reportes de avance que se agregan.")
cards[2].metric("Actualizados", formatting.number(updated), border=True, help="Reportes que cambian de valor.")
cards[3].metric("Sin cambio", formatting.number(unchanged), border=True, help="Ya estaban así en el plan.")
cards[4].metric("Retenidas", formatting.number(len(held)), border=True, help="Filas con errores: no se cargan.")
for notice in preview.notices:
    st.info(md(notice))
if preview.already_applied and not preview.has_changes:
    batch_id, when = preview.already_applied
    st.success(f"Este mismo archivo ya se cargó el {when} (carga número {batch_id}); no trae cambios.")

if preview.problems:
    st.subheader("3. Observaciones")
    errors = sum(1 for p in preview.problems if p.severity == ERROR)
    st.markdown(
        f"**{formatting.number(errors)} errores** (la fila no se carga) y "
        f"**{formatting.number(len(preview.problems) - errors)} avisos** (la fila se carga igual)."
    )
    problems = preview.problem_table()
    show_grid(problems, PROBLEM_COLUMNS, key="grid_problems", height=min(400, 40 + 35 * len(problems)))
    st.download_button(
        "Descargar el archivo con las celdas marcadas",
        data=error_workbook_bytes,
        file_name=f"observaciones_{upload.name.rsplit('.', 1)[0]}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
        help="Sus filas, con cada celda con problema en rojo (error) o amarillo (aviso) y el mensaje en un comentario.",
    )

if preview.suggestions:
    st.subheader("Compromisos por confirmar")
    st.caption("Estas filas no coinciden exactamente con un compromiso. Elija el correcto y pulse «Revisar de nuevo».")
    problems_by_row = {p.row: p.value for p in preview.problems if p.row in preview.suggestions and p.value}
    with st.form("confirm_suggestions"):
        chosen: dict[int, str] = {}
        for row, options in preview.suggestions.items():
            labels = dict(options)
            typed = problems_by_row.get(row, "")
            choice = st.selectbox(
                f"Fila {row}" + (f": «{md(typed)}»" if typed else ""),  # a typed cell is text, not markdown
                [None, *labels],
                format_func=lambda code, labels=labels: "— No cargar esta fila —" if code is None else labels[code],
                key=f"suggestion_{row}",
            )
            if choice:
                chosen[row] = choice
        if st.form_submit_button("Revisar de nuevo"):
            confirm_rows(chosen)
            st.rerun()

st.subheader("4. Revisar y aplicar")
changes = preview.changes.assign(kind_label=preview.changes.kind.map(KIND_LABELS))
to_apply = changes.loc[changes.kind != UNCHANGED]
if to_apply.empty:
    st.info("No hay nada que cambiar en el plan con este archivo.")
    st.stop()
show_grid(to_apply, CHANGE_COLUMNS, key="grid_changes", height=min(420, 40 + 35 * len(to_apply)))
download_xlsx(
    [Sheet("Cambios", to_apply, CHANGE_COLUMNS), Sheet("Observaciones", preview.problem_table(), PROBLEM_COLUMNS)],
    file_name="revision_carga",
    key="download_review",
)
apply_column, cancel_column = st.columns([2, 1])
rows_word = "fila válida" if len(to_apply) == 1 else "filas válidas"
if apply_column.button(f"Aplicar {formatting.number(len(to_apply))} {rows_word}", type="primary", key="apply_upload"):
    with st.spinner("Guardando en una sola operación…"):
        result = write(apply_progress, preview=preview, failure="")
    if result is NOT_WRITTEN:
        st.stop()
    reset_upload()
    st.session_state["last_apply"] = (
        f"Carga número {result.batch_id} aplicada: {formatting.number(result.inserted)} reportes nuevos y "
        f"{formatting.number(result.updated)} actualizados; {formatting.number(result.held)} filas retenidas. "
        "Todas las páginas ya muestran las cifras nuevas; puede deshacerla en «Historial de cargas»."
    )
    st.rerun()
if cancel_column.button("Cancelar", key="cancel_upload"):
    reset_upload()
    st.rerun()
