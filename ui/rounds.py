"""What the rounds page and Resumen share: a round's completion as cards, its «¿Cómo se calcula?», the SMTP section."""

from __future__ import annotations

import streamlit as st

from core import formatting
from core.rounds.mail import SmtpSettings, smtp_settings
from core.rounds.members import Completion
from ui.components import kpi


def completion_cards(completion: Completion) -> None:
    """Completion by commitments and by plan weight, side by side."""
    by_count, by_weight = st.columns(2, gap="small")
    kpi(
        by_count,
        "Respondido (compromisos)",
        formatting.percent(completion.by_commitments),
        f"{formatting.number(completion.answered)} de {formatting.number(completion.commitments)} compromisos",
        help="Compromisos pedidos en la ronda que ya tienen un reporte con la fecha de corte de la ronda.",
    )
    kpi(
        by_weight,
        "Respondido (peso en el plan)",
        formatting.percent(completion.by_weight),
        "del peso de lo pedido",
        help="La misma cuenta, cada compromiso con su peso en el plan (el de todas las cifras del tablero).",
    )


def how_rounds_computed() -> None:
    with st.expander("¿Cómo se calcula?"):
        st.markdown(
            """
- **A quién se le pide**: al abrir la ronda, a cada actor con compromisos **abiertos** a la fecha de corte (activos,
  de un proyecto ya iniciado y no cumplidos según los reportes anteriores al corte), de las líneas y sectores
  elegidos. Esa lista queda guardada:
  un cambio posterior del plan no cambia lo que se pidió; un compromiso cancelado o archivado después ya no se debe.
- **Respondido**: existe un reporte de avance del compromiso **con la fecha de corte de la ronda**, venga de una
  carga de Excel o de una edición. Se respondió el día (en Colombia) en que ese reporte se registró por primera vez;
  **a tiempo** si ese día es el plazo o antes.
- **Estado de cada actor**: *completo* si respondió todo a tiempo; *tarde* si respondió todo pero algo después del
  plazo, o si el plazo pasó y aún le falta algo; antes del plazo, *parcial* si respondió una parte y *pendiente* si
  no ha respondido nada.
- **Avance de la ronda**: compromisos respondidos ÷ compromisos pedidos (un compromiso de dos actores cuenta una vez);
  y lo mismo con el **peso de cada compromiso en el plan**, el mismo peso de todas las cifras del tablero.
- **Cerrar** la ronda la saca del Resumen; los reportes de su fecha de corte se siguen cargando, con un aviso.
- **Índice de motivación**: cada ronda con plazo en los tres meses del índice cuenta en «reporte y entrega» como un
  compromiso más: 1 si el actor respondió todo a tiempo, la parte respondida a tiempo si respondió una parte, 0 si no
  respondió.
- **Datos de contacto** (Ley 1581 de 2012): los enlaces de WhatsApp y correo solo se arman si el contacto del actor
  tiene una autorización registrada y vigente; si no, el mensaje se ofrece para copiar, sin contacto. El tablero no
  envía nada por su cuenta: los enlaces se abren en el equipo de quien coordina.
"""
        )


def configured_smtp() -> SmtpSettings | None:
    """The ``[smtp]`` section of the secrets, if there is one (e-mail is optional and never required)."""
    try:
        if not st.secrets.load_if_toml_exists() or "smtp" not in st.secrets:
            return None
        return smtp_settings(dict(st.secrets["smtp"]))
    except Exception:  # a malformed secrets file must not break the page: e-mail is simply not offered
        return None
