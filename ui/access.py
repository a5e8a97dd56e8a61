"""The single gate: who is logged in, with which role, and what that role may open or see.

A login is a row of ``login_session`` (``core.login_sessions``): the browser holds its token in an HttpOnly cookie
(``ui.session_cookie``), so a reload or a new tab opens with the login; ``st.session_state[STATE_KEY]`` only
remembers which row this tab uses (user, role, token hash). Every role check re-reads that row and the account from
the database (idle expiry for all tabs at once, "Salir" in another tab, a new password, a disabled account, the role
as it is now), so any app process answers the same. ``app.py`` calls ``start_run`` once per run and builds the menu
with ``navigation_pages``; every restricted page calls ``require_role`` at its top again, because a hidden page is
not a protected page. Personal data (Ley 1581 de 2012) goes only through ``personal_data_section``.

With ``[auth]`` in ``.streamlit/secrets.toml``, ``st.login`` (OIDC) is offered too; the e-mail maps to a role
through ``[roles]`` there (or a local account with that e-mail). Local accounts keep working offline.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any
from urllib.parse import unquote, urlparse

import streamlit as st
from sqlmodel import Session
from streamlit.navigation.page import StreamlitPage

from core import db, formatting, views
from core.access import accounts, login_sessions
from core.access.accounts import ADMIN, COORDINATOR, PUBLIC, has_role
from core.db import DatabaseBusy
from ui import session_cookie
from ui.components import md
from ui.database import engine

__all__ = ["ADMIN", "COORDINATOR", "LOGGED_OUT", "PUBLIC"]

PRIVATE_LABEL = "🔒 Datos de contacto (privados – Ley 1581 de 2012)"
STATE_KEY = "login"
NOTICE_KEY = "login_notice"
COOKIE_REQUEST_KEY = "login_cookie_request"  # ("POST", token) or ("DELETE", None), sent on the next run
DEAD_COOKIE_KEY = "login_dead_cookie"  # this tab's cookie as read at connection, once it is known to open nothing
UNAVAILABLE_KEY = "unavailable_paths"  # addresses this tab asked for that its role cannot open
AFTER_LOGIN_KEY = "after_login_path"  # the address whose «Ingresar» led to the login page
URL_PATH = re.compile(r"[^/]{1,200}")  # one path segment, decoded as Streamlit's frontend names the page
DEFAULT_PAGE_ALIAS = "resumen"  # the default page's own name: its address is the root, "/resumen" leads there
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
    """From app.py, before the menu is built: restore a login from the cookie, expire an idle one, drop a disabled
    account, refresh the role."""
    _checked_state()


def _ended_notice(refused: str | None, minutes: int) -> str:
    if refused == login_sessions.IDLE:
        return f"Su sesión se cerró después de {formatting.number(minutes)} minutos sin actividad. Ingrese de nuevo."
    if refused == login_sessions.DISABLED:
        return "Su cuenta fue desactivada; la sesión se cerró."
    return (
        "Su sesión se cerró (se usó «Salir» en otra pestaña, cambió la clave o pasaron "
        f"{formatting.number(login_sessions.MAX_LIFETIME.total_seconds() / 3600)} horas). Ingrese de nuevo."
    )


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(login_sessions.COOKIE_NAME)
    except Exception:  # no browser behind this run (AppTest, a health check)
        return None
    if (
        not isinstance(token, str)
        or not token
        or login_sessions.token_hash(token) == st.session_state.get(DEAD_COOKIE_KEY)
    ):
        return None
    return token


def _write(action: Callable[[Session], None]) -> None:
    """A small write of the login bookkeeping (last use, a refused login's row); if the database is busy it waits
    for the next run: nothing depends on it at once."""
    try:
        with db.transaction(engine()) as session:
            action(session)
    except DatabaseBusy:
        pass


def _checked_state() -> dict[str, Any] | None:
    """The login state after the checks of ``start_run``. Every role check goes through it, so a page that is
    left open (or run without app.py) is judged by the login as the database holds it now."""
    state = st.session_state.get(STATE_KEY)
    from_cookie = None if state else _cookie_token()
    hashed = state["token"] if state else login_sessions.token_hash(from_cookie) if from_cookie else None
    if hashed is None:
        return None
    with Session(engine()) as session:
        check = login_sessions.check(session=session, hashed=hashed)
        minutes = accounts.session_minutes(session=session)
    if check.account is None:
        _write(lambda session: login_sessions.end_session(session=session, hashed=hashed))
        if from_cookie:  # a login this tab never used: clear the stale cookie, say why only if it timed out
            st.session_state[DEAD_COOKIE_KEY] = hashed
            st.session_state[COOKIE_REQUEST_KEY] = ("DELETE", None)
            if check.refused == login_sessions.IDLE:
                st.session_state[NOTICE_KEY] = _ended_notice(check.refused, minutes)
        else:
            log_out(_ended_notice(check.refused, minutes))
        return None
    if check.touch_due:
        _write(lambda session: login_sessions.touch(session=session, hashed=hashed))
    state = {"user": check.account.username, "role": check.account.role, "token": hashed}
    st.session_state[STATE_KEY] = state
    return state


def _open_login(session: Session, username: str) -> dict[str, Any]:
    token = login_sessions.open_session(session=session, username=username)
    st.session_state[COOKIE_REQUEST_KEY] = ("POST", token)
    st.session_state.pop(DEAD_COOKIE_KEY, None)
    return {"token": login_sessions.token_hash(token)}


def log_in(username: str, password: str) -> str | None:
    """Open a session; returns the Spanish reason when refused. Every refusal is counted toward throttling."""
    try:
        with db.transaction(engine()) as session:
            account = accounts.verify_login(session=session, username=username, password=password)
            login = _open_login(session, account.username) if account is not None else None
    except accounts.LoginThrottled as exc:
        return str(exc)
    if account is None or login is None:
        return "Usuario o clave incorrectos."
    st.session_state[STATE_KEY] = {"user": account.username, "role": account.role, **login}
    return None


def renew_login() -> None:
    """A fresh login for this tab after its own password changed (which ended all the account's logins)."""
    state = st.session_state.get(STATE_KEY)
    if not state:
        return
    with db.transaction(engine()) as session:
        st.session_state[STATE_KEY] = {**state, **_open_login(session, state["user"])}


def log_out(notice: str | None = None) -> None:
    """This tab forgets its login (the caller ends it in the database when it still opens)."""
    state = st.session_state.pop(STATE_KEY, None)
    if state:
        st.session_state[DEAD_COOKIE_KEY] = state["token"]  # the cookie read at connection may still carry it
        st.session_state[COOKIE_REQUEST_KEY] = ("DELETE", None)
    if notice:
        st.session_state[NOTICE_KEY] = notice


def end_login(notice: str) -> None:
    """«Salir»: the login ends in the database, so every tab and process sharing its cookie is out too. A busy
    database raises ``DatabaseBusy`` and the tab stays logged in: it never looks logged out while the cookie
    still opens."""
    state = st.session_state.get(STATE_KEY)
    if state:
        with db.transaction(engine()) as session:
            login_sessions.end_session(session=session, hashed=state["token"])
    log_out(notice)


def send_cookie_request() -> None:
    """Set or clear the login cookie in the browser (see ui.session_cookie), once, after a login or logout."""
    request = st.session_state.pop(COOKIE_REQUEST_KEY, None)
    if request:
        method, token = request
        st.sidebar.html(session_cookie.request_script(method, token), unsafe_allow_javascript=True)


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
    return _checked_state() is not None or _sso_email() is not None


def may_open(needed: str, role: str) -> bool:
    if needed == LOGGED_OUT:
        return role == PUBLIC and not is_logged_in()
    return has_role(role, needed)


def pages_for(sections: Mapping[str, Sequence[tuple[str, StreamlitPage]]]) -> dict[str, list[StreamlitPage]]:
    """The menu of the current role: each section keeps only the pages whose role it reaches."""
    role = current_role()
    menu = {title: [page for needed, page in pages if may_open(needed, role)] for title, pages in sections.items()}
    return {title: pages for title, pages in menu.items() if pages}


def _requested_path() -> str | None:
    """The page name in the address this tab opened (``st.context.url`` holds it before ``st.navigation``)."""
    try:
        url = st.context.url
    except Exception:  # no browser behind this run
        return None
    if not isinstance(url, str) or not url:
        return None
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    path = unquote(urlparse(url).path).strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :].strip("/")
    return path if URL_PATH.fullmatch(path) else None


def navigation_pages(sections: Mapping[str, Sequence[tuple[str, StreamlitPage]]]) -> dict[str, list[StreamlitPage]]:
    """``pages_for`` plus hidden pages for the addresses the role cannot open, so that Streamlit never answers
    with its English "Page not found" dialog: "/resumen" leads to the default page at the root, and any other
    address this tab asked for (a restricted page, a page's file name, a typo) says in Spanish that it needs a
    login or does not exist. Only the address the visitor typed is added, so no restricted page is ever named."""
    menu = pages_for(sections)
    reachable = {page.url_path for pages in menu.values() for page in pages}
    unavailable: set[str] = st.session_state.setdefault(UNAVAILABLE_KEY, set())
    if (requested := _requested_path()) and requested not in reachable and requested != DEFAULT_PAGE_ALIAS:
        unavailable.add(requested)
    hidden = [st.Page(_to_default_page, title="Resumen del plan", url_path=DEFAULT_PAGE_ALIAS, visibility="hidden")]
    hidden += [_unavailable(path) for path in sorted(unavailable - reachable)]
    first = next(iter(menu))
    return {**menu, first: [*menu[first], *hidden]}


def _to_default_page() -> None:
    st.switch_page("pages/resumen.py", query_params=st.query_params.to_dict())


def _unavailable(path: str) -> StreamlitPage:
    def page() -> None:
        _unavailable_page(path)

    return st.Page(page, title="Página no disponible", url_path=path, visibility="hidden")


def _unavailable_page(path: str) -> None:
    st.title("Página no disponible")
    if is_logged_in():
        st.warning("Esta dirección no existe o su cuenta no tiene acceso a ella. Use el menú de la izquierda.")
        return
    st.warning(
        "Esta dirección no existe o es de una página solo para la coordinación del plan: para abrirla, ingrese "
        "con su cuenta. Los tableros de seguimiento están abiertos a todos en el menú de la izquierda."
    )
    if st.button("Ingresar", type="primary", key="unavailable_login"):
        st.session_state[AFTER_LOGIN_KEY] = path
        st.switch_page("pages/ingresar.py")


def page_after_login() -> StreamlitPage | str:
    """Where a login leads: back to the address that asked for it, else the Resumen. Streamlit knows a page by
    its address, so switching to that address's placeholder opens the real page once the new role reaches it."""
    path = st.session_state.pop(AFTER_LOGIN_KEY, None)
    return _unavailable(str(path)) if path else "pages/resumen.py"


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
    send_cookie_request()
    if notice := pop_notice():
        st.sidebar.info(notice)
    if not is_logged_in():
        return
    role = current_role()
    st.sidebar.caption(f"Sesión: {md(current_user_name())} · {accounts.ROLE_LABELS.get(role, role)}")
    if st.sidebar.button("Salir", key="logout"):
        if STATE_KEY in st.session_state:
            try:
                end_login("Sesión cerrada.")
            except DatabaseBusy as busy:
                st.sidebar.error(str(busy))
                return
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
        with Session(engine()) as session:  # personal data: read fresh, never kept
            contact = views.actor_contact(session=session, actor_code=actor_code)
        for label, key in (("Persona de contacto", "contact_person"), ("Teléfono", "contact_phone"),
                           ("Correo", "contact_email")):  # fmt: skip
            value = contact.get(key)
            st.text(f"{label}: {value if value else formatting.BLANK}")  # st.text: never read as markdown
