"""Who may see what. Personal data (Ley 1581 de 2012) goes only through ``personal_data_section``.

Login and roles do not exist yet: until they do, contact data sits in a closed, clearly private section that the
user opens on purpose, and this module is the single place the access-control work will gate (público: never).
"""

from __future__ import annotations

import streamlit as st

from core import formatting
from ui.state import actor_contact

PRIVATE_LABEL = "🔒 Datos de contacto (privados – Ley 1581 de 2012)"


def may_see_personal_data() -> bool:
    """True for coordinators and admins. Without login there is no role to check; see the module note."""
    return True


def personal_data_section(actor_code: str) -> None:
    if not may_see_personal_data():
        return
    with st.expander(PRIVATE_LABEL, expanded=False):
        st.caption(
            "Solo para la coordinación del plan. No proyecte esta sección en asambleas ni comparta estos datos "
            "fuera de la gestión del plan."
        )
        contact = actor_contact(actor_code)
        for label, key in (("Persona de contacto", "contact_person"), ("Teléfono", "contact_phone"),
                           ("Correo", "contact_email")):  # fmt: skip
            value = contact.get(key)
            st.text(f"{label}: {value if value else formatting.BLANK}")  # st.text: never read as markdown


def current_user_name() -> str:
    """Who is writing, for the audit trail and the upload history. Without login: the coordination as a whole."""
    return "coordinación"
