"""Libro del plan: the whole plan as one workbook (one sheet per table), to export, edit and import back."""

import streamlit as st

from core import formatting
from core.excel.reading import FileRejected
from core.tables import Column, Kind
from core.uploads import plan_workbook
from ui.access import COORDINATOR, require_role
from ui.components import md
from ui.imports import plan_uploader_key, plan_workbook_bytes, preview_plan_upload, reset_plan_upload
from ui.state import NOT_WRITTEN, write
from ui.tables import XLSX_MIME, show_grid

require_role(COORDINATOR)

PROBLEM_COLUMNS = [
    Column("Fila", "Fila", Kind.INTEGER),
    Column("Columna", "Hoja · columna"),
    Column("Valor", "Valor"),
    Column("Problema", "Problema"),
    Column("Gravedad", "Gravedad"),
]
CHANGE_COLUMNS = [
    Column("Hoja", "Hoja"),
    Column("Filas en el archivo", "Filas en el archivo", Kind.INTEGER),
    Column("Nuevas", "Nuevas", Kind.INTEGER),
    Column("Actualizadas", "Actualizadas", Kind.INTEGER),
    Column("Sin cambio", "Sin cambio", Kind.INTEGER),
    Column("Borradas", "Borradas", Kind.INTEGER),
]

st.title("Libro del plan")
if done := st.session_state.pop("last_plan_apply", None):
    st.success(done)
st.caption(
    "Todo el plan en un solo archivo de Excel, una hoja por tabla (líneas, programas, proyectos, actores, "
    "compromisos, reportes, pactos, eventos, asistencia, motivación), con códigos en lugar de números internos. "
    "Sirve para reemplazar la demostración por el plan real o para corregir muchas cosas a la vez."
)

st.subheader("1. Descargar el libro")
st.download_button(
    "Descargar el libro del plan (.xlsx)",
    data=plan_workbook_bytes,
    file_name="libro_del_plan.xlsx",
    mime=XLSX_MIME,
    on_click="ignore",
)
st.caption("Incluye los datos de contacto de los actores: no lo comparta fuera de la coordinación (Ley 1581 de 2012).")

st.subheader("2. Cargar un libro")
allow_deletions = st.checkbox(
    "Borrar lo que esté en el tablero y no en el libro",
    help="Sin marcar, el libro solo crea y actualiza por código. Marcado, también borra las filas que faltan en "
    "las hojas incluidas (si nada más las usa).",
    key="plan_allow_deletions",
)
# No ``type=``: Streamlit would refuse an old .xls in English; core.spreadsheet says in Spanish how to save it.
upload = st.file_uploader("Libro del plan (.xlsx)", key=plan_uploader_key())
if upload is None:
    st.stop()
try:
    preview = preview_plan_upload(upload.getvalue(), upload.name, allow_deletions=allow_deletions)
except FileRejected as exc:
    st.error(f"No se pudo usar el archivo «{md(upload.name)}». {md(exc)}")
    st.stop()

for notice in preview.notices:
    st.info(md(notice))
cards = st.columns(4)
for column, (label, what) in zip(
    cards,
    [("Nuevas", "created"), ("Actualizadas", "updated"), ("Sin cambio", "unchanged"), ("Borradas", "deleted")],
    strict=True,
):
    column.metric(label, formatting.number(preview.total(what)), border=True)
show_grid(preview.change_table(), CHANGE_COLUMNS, key="grid_plan_changes")
if preview.problems:
    errors = sum(1 for p in preview.problems if p.severity == "error")
    st.subheader("Observaciones")
    st.markdown(
        f"**{formatting.number(errors)} errores** y **{formatting.number(len(preview.problems) - errors)} avisos**. "
        + ("Con errores no se carga nada: corríjalos en el archivo y vuelva a subirlo." if errors else "")
    )
    problems = preview.problem_table()
    show_grid(problems, PROBLEM_COLUMNS, key="grid_plan_problems", height=min(420, 40 + 35 * len(problems)))
if preview.already_applied and preview.has_changes:
    st.warning(
        f"Este mismo libro ya se cargó el {preview.already_applied[1]} (carga número {preview.already_applied[0]}). "
        "Si lo aplica otra vez, los eventos sin número se crearán de nuevo."
    )
if preview.already_applied and not preview.has_changes:
    st.success(
        f"Este mismo libro ya se cargó el {preview.already_applied[1]} (carga número "
        f"{preview.already_applied[0]}); no trae cambios."
    )
if preview.has_errors or not preview.has_changes:
    st.stop()

deletions_confirmed = True
if preview.deletion_warning:  # a second confirmation, typed, for deleting a large share of any table
    deleted = formatting.number(preview.total("deleted"))
    st.warning(md(f"{preview.deletion_warning} Revise que sea lo que quiere antes de aplicarlo."))
    typed = st.text_input(f"Para confirmar, escriba «BORRAR {deleted}»", key="plan_confirm_deletions")
    deletions_confirmed = " ".join(typed.upper().replace(".", "").split()) == f"BORRAR {deleted.replace('.', '')}"

apply_column, cancel_column = st.columns([2, 1])
if apply_column.button("Aplicar el libro", type="primary", key="apply_plan", disabled=not deletions_confirmed):
    with st.spinner("Guardando en una sola operación…"):
        result = write(
            plan_workbook.apply_plan_workbook, preview=preview, deletions_confirmed=deletions_confirmed, failure=""
        )
    # the workbook's own refusals, a stale review, a row the database refused: shown by write
    if result is not NOT_WRITTEN:
        reset_plan_upload()
        st.session_state["last_plan_apply"] = (
            f"Libro aplicado (carga número {result.batch_id}): {formatting.number(result.created)} filas nuevas, "
            f"{formatting.number(result.updated)} actualizadas, {formatting.number(result.deleted)} borradas. "
            "Puede deshacerlo en «Historial de cargas»."
        )
        st.rerun()
if cancel_column.button("Cancelar", key="cancel_plan"):
    reset_plan_upload()
    st.rerun()
