"""Historial de cargas: every applied file, with undo."""

import streamlit as st

from core import formatting, views
from core.excel.writing import Sheet
from core.tables import Column, Kind
from core.uploads.batches import STATUS_LABELS, may_undo
from core.uploads.history import undo_batch
from ui.access import COORDINATOR, current_role, current_user_name, require_role
from ui.state import NOT_WRITTEN, read, write
from ui.tables import download_xlsx, show_grid

require_role(COORDINATOR)

COLUMNS = [
    Column("id", "Número", Kind.INTEGER),
    Column("created_at", "Fecha", Kind.DATE),
    Column("file_name", "Archivo"),
    Column("kind", "Tipo"),
    Column("created_by", "Cargada por"),
    Column("rows_total", "Filas con datos", Kind.INTEGER),
    Column("rows_applied", "Aplicadas", Kind.INTEGER),
    Column("rows_rejected", "Retenidas", Kind.INTEGER),
    Column("status_label", "Estado"),
]

st.title("Historial de cargas")
if done := st.session_state.pop("last_undo", None):
    st.success(done)
history = read(views.batch_history)
if history.empty:
    st.info("Todavía no se ha cargado ningún archivo. Las cargas se hacen en «Cargar avances».")
    st.stop()
history = history.assign(status_label=history.status.map(STATUS_LABELS).fillna(history.status))
show_grid(history, COLUMNS, key="grid_batches", height=min(460, 40 + 35 * len(history)))
download_xlsx([Sheet("Cargas", history, COLUMNS)], file_name="historial_cargas", key="download_batches")

st.subheader("Deshacer una carga")
role, user = current_role(), current_user_name()
applied = history.loc[history.status == "applied"]
applied = applied.loc[[may_undo(role=role, user=user, created_by=by) for by in applied.created_by]]
if applied.empty:
    st.caption("No hay cargas aplicadas que usted pueda deshacer (la coordinación deshace las suyas; la "
               "administración, cualquiera).")  # fmt: skip
    st.stop()
labels = {
    int(row["id"]): f"N.º {row['id']} · {row['file_name']} · {formatting.day(row['created_at'])} · "
    f"{formatting.number(row['rows_applied'])} filas"
    for row in applied.to_dict("records")
}
batch_id = st.selectbox("Carga", list(labels), format_func=labels.__getitem__, key="undo_batch")
st.caption(
    "Deshacer borra lo que la carga creó (reportes de avance, filas del libro del plan, asistencia) y devuelve a "
    "su valor anterior lo que cambió. Queda registrado en la bitácora."
)
confirmed = st.checkbox(f"Sí, quiero deshacer la carga número {batch_id}", key="undo_confirm")
if st.button("Deshacer", type="primary", disabled=not confirmed, key="undo_button"):
    result = write(undo_batch, batch_id=batch_id, role=role, failure="")
    if result is not NOT_WRITTEN:
        st.session_state["last_undo"] = (
            f"Carga número {result.batch_id} deshecha: {formatting.number(result.deleted)} reportes borrados y "
            f"{formatting.number(result.restored)} restaurados a su valor anterior."
        )
        st.rerun()
