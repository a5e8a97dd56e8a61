"""Filter widgets shared by every page, kept in the URL query string so a link reproduces the view."""

from __future__ import annotations

from datetime import date

import streamlit as st

from core import formatting
from ui.state import dataset_info

CUT_OFF_PARAM = "corte"


def cut_off_date() -> date:
    """The 'fecha de corte' selector (sidebar), or ``?corte=aaaa-mm-dd`` from the link.

    Default: today; while the demo is loaded, the demo's own date, so its figures do not age with the calendar.
    """
    fallback = dataset_info().demo_as_of or date.today()
    raw = st.query_params.get(CUT_OFF_PARAM)
    try:
        initial = date.fromisoformat(raw) if raw else fallback
    except ValueError:
        # The raw value is not echoed: a link is user input and this text is markdown.
        st.sidebar.warning(f"La fecha de corte del enlace no es válida; se usa el {formatting.day(fallback)}.")
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
