"""Libro del plan: the whole plan as one workbook (one sheet per table), to export, edit and import back."""

import streamlit as st

from ui.access import COORDINATOR, require_role
from ui.tables import XLSX_MIME
from ui.upload import run_upload, show_last_apply
from ui.upload_contracts import PLAN_WORKBOOK, plan_workbook_bytes

require_role(COORDINATOR)

st.title("Libro del plan")
show_last_apply(PLAN_WORKBOOK)
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
run_upload(PLAN_WORKBOOK, options=allow_deletions)
