"""Rondas de reporte: ask every actor for its progress at one cut-off, follow who answered, remind, close."""

from datetime import date, timedelta

import streamlit as st

from core import formatting, views
from core.models import SECTORS
from core.rounds import consent, members, service
from core.tables import Column, Kind
from ui.access import COORDINATOR, current_user_name, require_role
from ui.components import md
from ui.rounds import completion_cards, configured_smtp, how_rounds_computed
from ui.state import NOT_WRITTEN, read, write
from ui.tables import XLSX_MIME, show_table
from ui.upload_contracts import reference_day

MEMBER_COLUMNS = [
    Column("actor_name", "Actor"),
    Column("sector", "Sector"),
    Column("status", "Estado"),
    Column("commitments", "Pedidos", Kind.INTEGER),
    Column("answered", "Respondidos", Kind.INTEGER),
    Column("on_time", "A tiempo", Kind.INTEGER),
    Column("owed", "Le falta"),
    Column("last_answer", "Última respuesta", Kind.DATE),
    Column("reminded_on", "Recordado el", Kind.DATE),
    Column("reminders", "Recordatorios", Kind.INTEGER),
]
CANDIDATE_COLUMNS = [
    Column("actor_name", "Actor"),
    Column("sector", "Sector"),
    Column("commitments", "Compromisos abiertos", Kind.INTEGER),
]

require_role(COORDINATOR)

st.title("Rondas de reporte")
if done := st.session_state.pop("last_round_action", None):
    st.success(done)
st.caption(
    "Pida a cada actor el avance de sus compromisos a una fecha de corte, vea quién respondió y recuérdeselo a quien "
    "falte. El tablero no envía nada por su cuenta: los enlaces se abren en su propio equipo."
)

# Answers are dated when they are recorded, so a round runs on the real calendar (even over the demo's own date).
today = max(reference_day(), formatting.colombia_today())
follow_tab, open_tab, consent_tab = st.tabs(["Seguimiento", "Abrir una ronda", "Autorizaciones de contacto"])
catalog = read(views.participation_catalog)

with open_tab:
    last_month_end = reference_day().replace(day=1) - timedelta(days=1)
    left, right = st.columns(2)
    cut_off = left.date_input("Fecha de corte", value=last_month_end, format="DD/MM/YYYY", key="round_cut_off")
    deadline = right.date_input(
        "Plazo para responder", value=today + timedelta(days=10), format="DD/MM/YYYY", key="round_deadline"
    )
    cut_off = cut_off if isinstance(cut_off, date) else last_month_end
    deadline = deadline if isinstance(deadline, date) else today
    name = st.text_input(
        "Nombre de la ronda",
        value=f"Corte de {formatting.MONTHS[cut_off.month - 1]} de {cut_off.year}",
        max_chars=service.MAX_NAME,
        key="round_name",
    )
    lines, sectors = st.columns(2)
    line_codes = lines.multiselect(
        "Solo estas líneas (opcional)",
        list(catalog.lines),
        format_func=lambda code: f"{code} · {catalog.lines[code]}",
        key="round_lines",
        placeholder="Todas",
    )
    chosen_sectors = sectors.multiselect(
        "Solo estos sectores (opcional)", SECTORS, key="round_sectors", placeholder="Todos"
    )
    candidates = read(
        views.round_candidates, cut_off=cut_off, line_codes=tuple(line_codes), sectors=tuple(chosen_sectors)
    )
    st.markdown(
        f"Con estos filtros se le pediría el reporte a **{formatting.number(len(candidates))} actores** "
        f"({formatting.number(int(candidates.commitments.sum()) if len(candidates) else 0)} compromisos por actor "
        "sumados)."
    )
    names = dict(zip(candidates.actor_code, candidates.actor_name, strict=True))
    only = st.multiselect(
        "Solo estos actores (opcional)",
        list(names),
        format_func=names.__getitem__,
        key="round_actors",
        placeholder="Todos los de la lista",
    )
    with st.expander("Actores que se incluirían"):
        show_table(candidates, CANDIDATE_COLUMNS)
    if st.button("Abrir la ronda", type="primary", key="open_round"):
        opened = write(
            service.open_round,
            name=name,
            cut_off=cut_off,
            deadline=deadline,
            line_codes=tuple(line_codes),
            sectors=tuple(chosen_sectors),
            actor_codes=tuple(only) if only else None,
            failure="No se abrió la ronda.",
        )
        if opened is not NOT_WRITTEN:
            st.session_state["last_round_action"] = f"Se abrió la ronda número {opened}: «{name.strip()}»."
            st.session_state["round_choice"] = opened
            st.rerun()

with follow_tab:
    rounds = read(views.round_list)
    if not rounds:
        st.info("Todavía no hay rondas de reporte. Abra la primera en la pestaña «Abrir una ronda».")
    else:
        labels = {
            info.round_id: f"{info.name} · corte al {formatting.day(info.cut_off)} · "
            + (f"cerrada el {formatting.day(info.closed_on)}" if info.closed_on else "abierta")
            for info in rounds
        }
        if st.session_state.get("round_choice") not in labels:
            st.session_state["round_choice"] = rounds[0].round_id
        round_id = st.selectbox("Ronda", list(labels), format_func=labels.__getitem__, key="round_choice")
        info = next(r for r in rounds if r.round_id == round_id)
        view = read(views.round_view, round_id=round_id, on=info.cut_off, today=today)
        st.caption(
            f"Corte al {formatting.day(info.cut_off)} · plazo hasta el {formatting.day(info.deadline)} · abierta por "
            f"{md(info.opened_by)} el {formatting.day(info.opened_at)}"
            + (f" · cerrada el {formatting.day(info.closed_on)} por {md(info.closed_by)}" if info.closed_on else "")
        )
        completion_cards(view.completion)
        counts = view.members.status.value_counts()
        st.markdown(
            " · ".join(
                f"**{formatting.number(int(counts.get(status, 0)))}** {status}" for status in members.MEMBER_STATUSES
            )
        )
        show_table(view.members, MEMBER_COLUMNS)
        owing = view.members.loc[view.members.status != members.COMPLETE]
        if len(owing):
            st.markdown(
                "**Todavía deben:** "
                + md(
                    ", ".join(
                        f"{name} ({owed})" for name, owed in zip(owing.actor_name, owing.owed, strict=True) if owed
                    )
                )
            )
        else:
            st.success("Todos los actores de la ronda respondieron.")

        st.subheader("Pedirle el reporte a un actor")
        actors = dict(zip(view.members.actor_code, view.members.actor_name, strict=True))
        actor_code = st.selectbox("Actor", list(actors), format_func=actors.__getitem__, key="round_actor")
        signature = st.text_input("Firma del mensaje", value=current_user_name(), max_chars=120, key="round_signature")
        if actor_code:
            st.download_button(
                f"Plantilla de {actors[actor_code]} (.xlsx)",
                data=lambda: read(views.round_template, round_id=round_id, actor_code=actor_code),
                file_name=f"plantilla_avance_{actor_code}_{info.cut_off.isoformat()}.xlsx",
                mime=XLSX_MIME,
                on_click="ignore",
                key="round_template",
            )
            request = read(views.round_request, round_id=round_id, actor_code=actor_code, coordinator=signature)
            st.caption("Mensaje para copiar (botón de copiar arriba a la derecha del recuadro):")
            st.code(request.text, language=None, wrap_lines=True)
            if request.authorized:
                links = st.columns(3)
                if request.whatsapp:
                    links[0].link_button("Abrir en WhatsApp", request.whatsapp)
                else:
                    links[0].caption("El teléfono registrado no es un celular: no hay enlace de WhatsApp.")
                if request.mailto:
                    links[1].link_button("Abrir en el correo", request.mailto)
                smtp = configured_smtp()
                if (
                    smtp is not None
                    and request.email
                    and not info.closed_on
                    and links[2].button("Enviar por correo", key="round_send")
                ):
                    sent = write(
                        service.email_request,
                        round_id=round_id,
                        actor_code=actor_code,
                        settings=smtp,
                        subject=request.subject,
                        body=request.text,
                        today=today,
                        failure="No se envió el correo.",
                    )
                    if sent is not NOT_WRITTEN:
                        st.session_state["last_round_action"] = f"Correo enviado a {sent}; quedó como recordado."
                        st.rerun()
            else:
                st.info(
                    "Este actor no tiene una autorización vigente para usar los datos de su contacto (Ley 1581 de "
                    "2012): copie el mensaje y envíelo por el medio que el actor haya aceptado. La autorización se "
                    "registra en la pestaña «Autorizaciones de contacto»."
                )
            if not info.closed_on:
                reminded_on = st.date_input("Recordado el", value=today, format="DD/MM/YYYY", key="round_reminded_on")
                if st.button("Marcar recordado", key="round_remind"):
                    reminded = write(
                        service.mark_reminded,
                        round_id=round_id,
                        actor_code=actor_code,
                        on=reminded_on if isinstance(reminded_on, date) else today,
                        today=today,
                        failure="No se marcó el recordatorio.",
                    )
                    if reminded is not NOT_WRITTEN:
                        st.session_state["last_round_action"] = f"{actors[actor_code]} quedó como recordado."
                        st.rerun()

        if not info.closed_on:
            st.subheader("Cerrar la ronda")
            st.caption(
                "Al cerrarla sale del Resumen y no se marcan más recordatorios. Los reportes con su fecha de corte se "
                "siguen cargando; la revisión de la carga avisa que la ronda está cerrada."
            )
            sure = st.checkbox("Sí, quiero cerrar esta ronda", key="round_close_sure")
            if st.button("Cerrar la ronda", disabled=not sure, key="round_close"):
                closed = write(service.close_round, round_id=round_id, failure="No se cerró la ronda.")
                if closed is not NOT_WRITTEN:
                    st.session_state["last_round_action"] = f"Se cerró la ronda «{info.name}»."
                    st.rerun()
    how_rounds_computed()

with consent_tab:
    st.caption(
        "Ley 1581 de 2012: los datos del contacto de un actor se usan para los mensajes solo si ese contacto lo "
        "autorizó. Cada autorización o retiro queda guardado, con su fecha, su constancia y quién lo registró; vale el "
        "más reciente."
    )
    with st.form("consent_form"):
        actor_code = st.selectbox(
            "Actor", list(catalog.actors), format_func=catalog.actors.__getitem__, key="consent_actor"
        )
        granted = st.radio(
            "Decisión",
            [True, False],
            format_func=lambda g: "Autoriza" if g else "Retira la autorización",
            horizontal=True,
            key="consent_granted",
        )
        decided_on = st.date_input("Fecha", value=today, format="DD/MM/YYYY", key="consent_date")
        evidence = st.text_input(
            "Constancia",
            max_chars=consent.MAX_EVIDENCE,
            placeholder="p. ej. formato firmado en la asamblea del 12/11/2026",
            key="consent_evidence",
        )
        if st.form_submit_button("Guardar", type="primary"):
            saved = write(
                consent.record_consent,
                actor_code=actor_code,
                granted=bool(granted),
                decided_on=decided_on if isinstance(decided_on, date) else today,
                evidence=evidence,
                today=today,
                failure="No se guardó la autorización.",
            )
            if saved is not NOT_WRITTEN:
                st.session_state["last_round_action"] = f"Se guardó la decisión de {catalog.actors[actor_code]}."
                st.rerun()
    decisions = read(views.consent_list)
    decisions = decisions.assign(
        actor_name=decisions.actor_code.map(catalog.actors),
        state=decisions.granted.map({True: "autoriza", False: "retiró la autorización"}),
    )
    show_table(
        decisions,
        [
            Column("actor_name", "Actor"),
            Column("state", "Decisión vigente"),
            Column("decided_on", "Fecha", Kind.DATE),
            Column("evidence", "Constancia"),
            Column("recorded_by", "Registró"),
        ],
    )
