"""Registrar participación: an event with its attendance, an actor's motivation rating, attendance from Excel."""

from datetime import date

import streamlit as st

from core import formatting, views
from core.excel.reading import FileRejected
from core.models import EVENT_KINDS
from core.participation import records
from core.participation.motivation import RATING_LEVELS
from core.uploads import attendance
from core.uploads.progress import PROBLEM_COLUMNS
from ui.access import COORDINATOR, require_role
from ui.components import md
from ui.imports import (
    attendance_template_bytes,
    attendance_uploader_key,
    preview_attendance_upload,
    reference_day,
    reset_attendance_upload,
)
from ui.state import NOT_WRITTEN, read, write
from ui.tables import XLSX_MIME, show_grid

NONE_LABEL = "— Ninguno —"

require_role(COORDINATOR)

st.title("Registrar participación")
if done := st.session_state.pop("last_participation", None):
    st.success(done)
st.caption(
    "Lo que se registra aquí alimenta el índice de motivación y la curva motivacional al instante. "
    "Cada registro queda en la bitácora."
)

catalog = read(views.participation_catalog)
actors, barrios, lines = catalog.actors, catalog.barrios, catalog.lines


def optional(label: str, options: dict[str, str], key: str) -> str | None:
    return st.selectbox(
        label, [None, *options], format_func=lambda code: NONE_LABEL if code is None else options[code], key=key
    )


event_tab, rating_tab, excel_tab = st.tabs(
    ["Evento y asistencia", "Calificación de motivación", "Asistencia desde Excel"]
)

with event_tab, st.form("event_form", clear_on_submit=False):
    left, right = st.columns(2)
    held_on = left.date_input("Fecha del evento", value=reference_day(), format="DD/MM/YYYY", key="event_date")
    kind = right.selectbox("Tipo de evento", EVENT_KINDS, key="event_kind")
    title = st.text_input("Título", max_chars=200, key="event_title", placeholder="p. ej. Mesa temática de ambiente")
    place, line, convener = st.columns(3)
    with place:
        barrio_code = optional("Barrio", barrios, "event_barrio")
    with line:
        line_code = optional("Línea estratégica", lines, "event_line")
    with convener:
        convener_code = optional("Convoca", actors, "event_convener")
    invited = st.multiselect(
        "Invitados", list(actors), format_func=actors.__getitem__, key="event_invited", placeholder="Elija actores"
    )
    attended = st.multiselect(
        "Asistieron",
        list(actors),
        format_func=actors.__getitem__,
        key="event_attended",
        placeholder="Elija actores",
        help="Quien asistió sin invitación queda registrado, pero no cuenta en el índice de participación. "
        "Los delegados por actor se registran con la planilla de Excel.",
    )
    if st.form_submit_button("Guardar el evento", type="primary"):
        marks = [(code, code in invited, code in attended, None) for code in actors if code in {*invited, *attended}]
        recorded_event = write(
            records.record_event,
            held_on=held_on if isinstance(held_on, date) else reference_day(),
            kind=kind,
            title=title,
            barrio_code=barrio_code,
            line_code=line_code,
            convener_code=convener_code,
            attendance=marks,
        )
        if recorded_event is not NOT_WRITTEN:
            st.session_state["last_participation"] = (
                f"Evento número {recorded_event} guardado con {formatting.number(len(marks))} actores en la asistencia."
            )
            st.rerun()

with rating_tab, st.form("rating_form"):
    actor_code = st.selectbox(
        "Actor", list(actors), format_func=actors.__getitem__, key="rating_actor", placeholder="No hay actores todavía"
    )
    rated_on = st.date_input("Fecha", value=reference_day(), format="DD/MM/YYYY", key="rating_date")
    score = st.radio(
        "Motivación que percibe la coordinación",
        list(RATING_LEVELS),
        format_func=lambda level: f"{level} · {RATING_LEVELS[level]}",
        index=2,
        key="rating_score",
    )
    note = st.text_area("Nota", max_chars=1000, key="rating_note", placeholder="Qué se observó")
    if st.form_submit_button("Guardar la calificación", type="primary"):
        recorded = write(
            records.record_rating,
            actor_code=actor_code,
            rated_on=rated_on if isinstance(rated_on, date) else reference_day(),
            score=int(score),
            note=note,
        )
        if recorded is not NOT_WRITTEN:
            verb = "reemplazó la de ese día" if recorded.updated else "quedó guardada"
            st.session_state["last_participation"] = f"La calificación de {md(actors[actor_code])} {verb}."
            st.rerun()

with excel_tab:
    events = catalog.events
    if not events:
        st.info("Todavía no hay eventos: regístrelos en la pestaña «Evento y asistencia».")
        st.stop()
    event_id = st.selectbox("Evento", list(events), format_func=events.__getitem__, key="excel_event")
    st.download_button(
        "Descargar la planilla de asistencia (.xlsx)",
        data=lambda: attendance_template_bytes(event_id),
        file_name=f"asistencia_evento_{event_id}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
    )
    upload = st.file_uploader(
        "Planilla de asistencia llena (.xlsx o .csv)",
        key=attendance_uploader_key(),  # no type=: see Cargar avances
    )
    if upload is None:
        st.stop()
    try:
        preview = preview_attendance_upload(upload.getvalue(), upload.name, event_id)
    except FileRejected as exc:
        st.error(f"No se pudo usar el archivo «{md(upload.name)}». {md(exc)}")
        st.stop()
    for notice in preview.notices:
        st.info(md(notice))
    cards = st.columns(4)
    cards[0].metric("Nuevos", formatting.number(preview.count(attendance.NEW)), border=True)
    cards[1].metric("Actualizados", formatting.number(preview.count(attendance.CHANGED)), border=True)
    cards[2].metric("Sin cambio", formatting.number(preview.count(attendance.UNCHANGED)), border=True)
    cards[3].metric("Retenidas", formatting.number(len(preview.held_rows)), border=True)
    if preview.problems:
        show_grid(preview.problem_table(), PROBLEM_COLUMNS, key="grid_attendance_problems")
    if not preview.has_changes:
        st.info("La planilla no cambia nada de la asistencia registrada.")
        st.stop()
    if st.button("Aplicar la asistencia", type="primary", key="apply_attendance"):
        # a stale review, or the same attendance recorded by someone else meanwhile: shown by write
        result = write(attendance.apply_attendance, preview=preview, failure="")
        if result is NOT_WRITTEN:
            st.stop()
        reset_attendance_upload()
        st.session_state["last_participation"] = (
            f"Asistencia aplicada (carga número {result.batch_id}): {formatting.number(result.inserted)} nuevos y "
            f"{formatting.number(result.updated)} actualizados."
        )
        st.rerun()
