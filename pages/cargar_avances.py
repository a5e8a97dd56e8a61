"""Cargar avances: template, upload, every problem at once, suggestions to confirm, preview, apply, error workbook."""

import streamlit as st

from core import views
from ui.access import COORDINATOR, require_role
from ui.state import read
from ui.tables import XLSX_MIME
from ui.upload import run_upload, show_last_apply
from ui.upload_contracts import PROGRESS, progress_template_bytes, reference_day

require_role(COORDINATOR)

st.title("Cargar avances")
show_last_apply(PROGRESS)
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
run_upload(PROGRESS)
