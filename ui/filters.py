"""Filter widgets shared by every page, kept in the URL query string so a link reproduces the view."""

from __future__ import annotations

from datetime import date

import streamlit as st

CUT_OFF_PARAM = "corte"


def cut_off_date(default: date | None = None) -> date:
    """The 'fecha de corte' selector (sidebar); default today, or ``?corte=aaaa-mm-dd`` from the link."""
    fallback = default or date.today()
    raw = st.query_params.get(CUT_OFF_PARAM)
    try:
        initial = date.fromisoformat(raw) if raw else fallback
    except ValueError:
        st.sidebar.warning(f"La fecha de corte del enlace ({raw}) no es válida; se usa la fecha de hoy.")
        initial = fallback
    chosen = st.sidebar.date_input(
        "Fecha de corte",
        value=initial,
        format="DD/MM/YYYY",
        help="Los indicadores se calculan con los reportes hasta esta fecha.",
        key="filter_cut_off",
    )
    on = chosen if isinstance(chosen, date) else initial
    if on != fallback or raw:
        st.query_params[CUT_OFF_PARAM] = on.isoformat()
    return on
