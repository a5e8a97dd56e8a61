"""The single gate: who is logged in, with which role, and what that role may open or see.

Login state lives in ``st.session_state[STATE_KEY]`` (user, role, last activity). ``app.py`` calls
``start_run`` once per run (idle expiry, disabled accounts drop out, role re-read from the database) and builds the
menu with ``pages_for``; every restricted page calls ``require_role`` at its top again, because a hidden page is
not a protected page. Personal data (Ley 1581 de 2012) goes only through ``personal_data_section``.

With ``[auth]`` in ``.streamlit/secrets.toml``, ``st.login`` (OIDC) is offered too; the e-mail maps to a role
through ``[roles]`` there (or a local account with that e-mail). Local accounts keep working offline.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import streamlit as st
from sqlmodel import Session
from streamlit.navigation.page import StreamlitPage

from core import accounts, db, formatting
from core.accounts import ADMIN, COORDINATOR, PUBLIC, has_role
from ui.components import md
from ui.state import actor_contact, engine

__all__ = ["ADMIN", "COORDINATOR", "LOGGED_OUT", "PUBLIC"]

PRIVATE_LABEL = "🔒 Datos de contacto (privados – Ley 1581 de 2012)"
STATE_KEY = "login"
NOTICE_KEY = "login_notice"
LOGGED_OUT = "sin sesión"  # pseudo-role of pages only for visitors without a session (the login page)
ROLE_NEEDED = {
    COORDINATOR: "la coordinación del plan (rol coordinador o admin)",
    ADMIN: "la administración del tablero (rol admin)",
}


def _sso_configured() -> bool:
    try:
        return st.secrets.load_if_toml_exists() and "auth" in st.secrets
    except Exception:  # a malformed secrets file must not lock everyone out of the local login
        return False


def _sso_email() -> str | None:
    if not _sso_configured() or not st.user.is_logged_in:
        return None
    email = st.user.get("email")
    return str(email) if email else None


def start_run() -> None:
    """From app.py, before the menu is built: expire an idle login, drop a disabled account, refresh the role."""
    _checked_state()


def _checked_state() -> dict[str, Any] | None:
    """The login state after the checks of ``start_run``. Every role check goes through it, because a page can
    run without app.py: Streamlit runs ``pages/*.py`` directly in its legacy pages-folder mode (see README)."""
    state = st.session_state.get(STATE_KEY)
    if not state:
        return None
    with Session(engine()) as session:
        account = accounts.active_account(session=session, username=state["user"])
        minutes = accounts.session_minutes(session=session)
    if time.time() - state["seen"] > minutes * 60:
        log_out(f"Su sesión se cerró después de {formatting.number(minutes)} minutos sin actividad. Ingrese de nuevo.")
        return None
    if account is None:
        log_out("Su cuenta fue desactivada; la sesión se cerró.")
        return None
    state = {"user": account.username, "role": account.role, "seen": time.time()}
    st.session_state[STATE_KEY] = state
    return state


def log_in(username: str, password: str) -> str | None:
    """Open a session; returns the Spanish reason when refused. Every refusal is counted toward throttling."""
    try:
        with db.transaction(engine()) as session:
            account = accounts.verify_login(session=session, username=username, password=password)
    except accounts.LoginThrottled as exc:
        return str(exc)
    if account is None:
        return "Usuario o clave incorrectos."
    st.session_state[STATE_KEY] = {"user": account.username, "role": account.role, "seen": time.time()}
    return None


def log_out(notice: str | None = None) -> None:
    st.session_state.pop(STATE_KEY, None)
    if notice:
        st.session_state[NOTICE_KEY] = notice


def pop_notice() -> str | None:
    notice = st.session_state.pop(NOTICE_KEY, None)
    return str(notice) if notice else None


def current_role() -> str:
    state = _checked_state()
    if state:
        return str(state["role"])
    email = _sso_email()
    if email is None:
        return PUBLIC
    roles: Mapping[str, Any] = st.secrets.get("roles", {})
    with Session(engine()) as session:
        return accounts.role_for_email(email, roles, session=session)


def current_user_name() -> str:
    """Who is writing, for the audit trail and the upload history: the account's username (or SSO e-mail)."""
    state = _checked_state()
    if state:
        return str(state["user"])
    return _sso_email() or PUBLIC


def is_logged_in() -> bool:
    return bool(st.session_state.get(STATE_KEY)) or _sso_email() is not None


def may_open(needed: str, role: str) -> bool:
    if needed == LOGGED_OUT:
        return role == PUBLIC and not is_logged_in()
    return has_role(role, needed)


def pages_for(sections: Mapping[str, Sequence[tuple[str, StreamlitPage]]]) -> dict[str, list[StreamlitPage]]:
    """The menu of the current role: each section keeps only the pages whose role it reaches."""
    role = current_role()
    menu = {title: [page for needed, page in pages if may_open(needed, role)] for title, pages in sections.items()}
    return {title: pages for title, pages in menu.items() if pages}


def require_role(role: str) -> None:
    """Stop the page unless the current user has at least ``role`` (pages reached by URL or a stale menu)."""
    if has_role(current_role(), role):
        return
    st.error(
        f"Esta página es solo para {ROLE_NEEDED.get(role, role)}. "
        + ("Su cuenta no tiene ese rol." if is_logged_in() else "Ingrese con su cuenta en la página «Ingresar».")
    )
    st.stop()


def may_see_personal_data() -> bool:
    """Coordinators and admins; never the public (Ley 1581 de 2012)."""
    return has_role(current_role(), COORDINATOR)


def account_sidebar() -> None:
    """Who is logged in and the logout button, at the foot of the menu; why a session ended, once."""
    if notice := pop_notice():
        st.sidebar.info(notice)
    if not is_logged_in():
        return
    role = current_role()
    st.sidebar.caption(f"Sesión: {md(current_user_name())} · {accounts.ROLE_LABELS.get(role, role)}")
    if st.sidebar.button("Salir", key="logout"):
        if STATE_KEY in st.session_state:
            log_out("Sesión cerrada.")
            st.rerun()
        st.logout()


def offer_sso() -> None:
    """The single-sign-on button on the login page, only when ``[auth]`` is configured."""
    if _sso_configured():
        st.button("Ingresar con la cuenta institucional", on_click=st.login, key="sso_login")


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
