"""Access control in real Chromium: what the public can reach (menu and URL), what a coordinator gets, logins.

Run under the shared lock: ``flock /tmp/browser-tests.lock python -m pytest -m browser …``.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import update
from sqlmodel import Session

from core import db
from core.access import accounts, login_sessions
from core.models import LoginSession, utcnow
from tests.browser.test_browser import (  # noqa: F401  (module fixtures: one server, one browser for this file)
    EXPECT_TIMEOUT,
    IDLE,
    AppServer,
    OfflinePage,
    app_server,
    browser,
    go_to,
    log_in,
    offline,
    running_server,
    submit_login,
)
from tests.conftest import TEST_PASSWORD, create_account

pytestmark = pytest.mark.browser

COORDINATION_PAGES = ["Cargar avances", "Registrar participación", "Libro del plan", "Historial de cargas"]
ADMIN_PAGES = ["Usuarios", "Auditoría", "Copias de seguridad"]
# Both the st.Page paths and the file names Streamlit's legacy pages/ folder mode would answer to.
RESTRICTED_URLS = ["cargar-avances", "cargar_avances", "participacion", "registrar_participacion", "libro-plan",
                   "historial-cargas", "usuarios", "auditoria", "copias", "mi-cuenta"]  # fmt: skip
PRIVATE = "Datos de contacto (privados"


def menu(page: Page) -> list[str]:
    return [text.strip() for text in page.locator("[data-testid='stSidebarNav'] a").all_inner_texts()]


def open_actor(offline: OfflinePage) -> Page:
    """The Actores page with the first actor's detail open."""
    page = go_to(offline, "Actores")
    combobox = page.locator(".st-key-actor").get_by_role("combobox")
    combobox.scroll_into_view_if_needed()
    combobox.click()
    page.get_by_role("option").nth(1).click()  # the first option is "— Elija un actor —"
    page.wait_for_url("**actor=*")
    offline.settle()
    expect(page.get_by_role("heading", level=4).first).to_be_visible(timeout=EXPECT_TIMEOUT)
    return page


def test_public_menu_has_no_coordination_or_admin_pages(offline: OfflinePage, app_server: AppServer) -> None:
    page = offline.open(app_server.url)
    shown = menu(page)
    assert "Ingresar" in shown and "Resumen del plan" in shown
    assert [title for title in COORDINATION_PAGES + ADMIN_PAGES + ["Mi cuenta"] if title in shown] == []
    assert page.locator("[data-testid='stFileUploader']").count() == 0


@pytest.mark.parametrize("path", RESTRICTED_URLS)
def test_public_cannot_open_a_restricted_page_by_url(offline: OfflinePage, app_server: AppServer, path: str) -> None:
    page = offline.page
    page.goto(f"{app_server.url}/{path}")
    page.wait_for_selector("h1")
    page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']")
    headings = page.locator("h1").all_inner_texts()
    assert [h for h in headings if h.strip() in COORDINATION_PAGES + ADMIN_PAGES + ["Mi cuenta"]] == []
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    assert page.get_by_role("button", name="Deshacer").count() == 0
    assert page.get_by_text(PRIVATE).count() == 0


def test_public_sees_no_personal_data(offline: OfflinePage, app_server: AppServer) -> None:
    offline.open(app_server.url)
    page = open_actor(offline)
    assert page.get_by_text(PRIVATE).count() == 0


def test_coordinator_reaches_the_coordination_pages_but_not_the_admin_ones(
    offline: OfflinePage, app_server: AppServer
) -> None:
    page = log_in(offline, app_server, "prueba-coordinador")
    shown = menu(page)
    assert [title for title in shown if title in COORDINATION_PAGES] == COORDINATION_PAGES
    assert [title for title in [*ADMIN_PAGES, "Ingresar"] if title in shown] == []
    page = go_to(offline, "Cargar avances")
    expect(page.locator("[data-testid='stFileUploader']")).to_have_count(1, timeout=EXPECT_TIMEOUT)
    page = open_actor(offline)
    expect(page.get_by_text(PRIVATE)).to_have_count(1, timeout=EXPECT_TIMEOUT)
    page.get_by_role("button", name="Salir").click()
    page.wait_for_selector("text=Sesión cerrada.")
    offline.settle()
    assert [title for title in COORDINATION_PAGES if title in menu(page)] == []


def test_admin_gets_the_admin_pages(offline: OfflinePage, app_server: AppServer) -> None:
    page = log_in(offline, app_server, "prueba-admin")
    assert [title for title in menu(page) if title in ADMIN_PAGES] == ADMIN_PAGES
    page = go_to(offline, "Copias de seguridad")
    expect(page.get_by_role("button", name="Descargar una copia de seguridad (.db)")).to_have_count(1)


def test_wrong_password_is_refused_then_throttled(offline: OfflinePage, app_server: AppServer) -> None:
    create_account(app_server.database_url, accounts.COORDINATOR, "insistente")
    offline.open(app_server.url)
    page = go_to(offline, "Ingresar")
    submit_login(page, "insistente", "no-es-la-clave")
    expect(page.get_by_text("Usuario o clave incorrectos.")).to_have_count(1, timeout=EXPECT_TIMEOUT)
    for _ in range(accounts.MAX_FAILURES - 1):
        submit_login(page, "insistente", "no-es-la-clave")
        offline.settle()
    submit_login(page, "insistente", TEST_PASSWORD)  # even the right password waits now
    expect(page.get_by_text("Demasiados intentos fallidos")).to_have_count(1, timeout=EXPECT_TIMEOUT)
    assert "Cargar avances" not in menu(page)


LEGACY_MENU = ["app", "cargar avances", "usuarios", "auditoria", "copias"]  # pages/ file names, as v1 named them


def test_a_deep_link_right_after_a_start_never_lists_restricted_pages(app_server: AppServer, browser: Browser,
                                                                      tmp_path: Path) -> None:  # fmt: skip
    """The first visits of a new process arrive at restricted addresses (no one opened "/" before them)."""
    with running_server(app_server.database_url, tmp_path) as fresh:
        for path in ["cargar_avances", "usuarios", "cargar-avances"]:
            offline = OfflinePage(browser, fresh.url)
            try:
                page = offline.open(f"{fresh.url}/{path}")
                shown = menu(page)
                assert "Resumen del plan" in shown, (path, shown)
                hidden = COORDINATION_PAGES + ADMIN_PAGES + ["Mi cuenta"]
                assert [title for title in shown if title in hidden or title.lower() in LEGACY_MENU] == [], path
            finally:
                offline.context.close()


@pytest.mark.parametrize("path", ["cargar-avances", "usuarios", "cargar_avances", "no-existe", "no%20existe"])
def test_an_address_the_visitor_cannot_open_answers_in_spanish(offline: OfflinePage, app_server: AppServer,
                                                               path: str) -> None:  # fmt: skip
    page = offline.open(f"{app_server.url}/{path}")
    expect(page.locator("h1").first).to_have_text("Página no disponible")
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("ingrese con su cuenta").count() == 1
    page.locator("[data-testid='stMain']").get_by_role("button", name="Ingresar").click()
    page.wait_for_selector("[data-testid='stForm']")
    offline.settle()
    assert page.locator("h1").first.inner_text() == "Ingresar"
    assert offline.foreign_requests == []  # (a deep link makes Streamlit's own health probe log two 404s)


def test_ingresar_from_an_unavailable_address_leads_back_to_it(offline: OfflinePage, app_server: AppServer) -> None:
    page = offline.open(f"{app_server.url}/cargar-avances")
    page.locator("[data-testid='stMain']").get_by_role("button", name="Ingresar").click()
    page.wait_for_selector("[data-testid='stForm']")
    submit_login(page, "prueba-coordinador", TEST_PASSWORD)
    page.wait_for_selector("h1:has-text('Cargar avances')")
    expect(page.locator("[data-testid='stFileUploader']")).to_have_count(1, timeout=EXPECT_TIMEOUT)


def test_the_resumen_address_opens_the_resumen_and_the_app_stays_usable(offline: OfflinePage,
                                                                        app_server: AppServer) -> None:  # fmt: skip
    page = offline.open(f"{app_server.url}/resumen?corte=2026-06-15")
    page.wait_for_selector("h1:has-text('Resumen del plan')")
    offline.settle()
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_text("corte al 15 de junio de 2026").count() == 1  # the address's filters are kept
    go_to(offline, "Actores")
    assert page.locator("h1").first.inner_text() == "Actores"


def login_cookie(page: Page) -> dict[str, Any]:
    cookies = [c for c in page.context.cookies() if c["name"] == login_sessions.COOKIE_NAME]
    assert len(cookies) == 1, page.context.cookies()
    return dict(cookies[0])


def wait_for_login_cookie(page: Page) -> dict[str, Any]:
    for _ in range(50):  # the page asks the server for the cookie right after the login
        if any(c["name"] == login_sessions.COOKIE_NAME for c in page.context.cookies()):
            break
        page.wait_for_timeout(100)
    return login_cookie(page)


def test_a_login_survives_a_reload_and_a_new_tab(offline: OfflinePage, app_server: AppServer) -> None:
    page = log_in(offline, app_server, "prueba-coordinador")
    cookie = wait_for_login_cookie(page)
    assert (cookie["httpOnly"], cookie["sameSite"], cookie["secure"], cookie["path"]) == (True, "Strict", False, "/")
    with Session(db.make_engine(app_server.database_url)) as session:
        assert login_sessions.check_token(session=session, token=cookie["value"]).account is not None
        assert session.get(LoginSession, cookie["value"]) is None  # only its hash is stored
    page.reload()
    offline.settle()
    assert "Cargar avances" in menu(page)
    second = offline.context.new_page()
    second.goto(f"{app_server.url}/cargar-avances")
    second.wait_for_selector("h1:has-text('Cargar avances')")
    assert "Ingresar" not in menu(second)


def test_salir_in_one_tab_ends_the_login_in_the_other(offline: OfflinePage, app_server: AppServer) -> None:
    page = log_in(offline, app_server, "prueba-coordinador")
    cookie = wait_for_login_cookie(page)
    second = offline.context.new_page()
    second.goto(app_server.url)
    second.wait_for_selector(IDLE)
    expect(second.locator("[data-testid='stSidebarNav'] a").filter(has_text="Cargar avances")).to_have_count(1)
    page.get_by_role("button", name="Salir").click()
    page.wait_for_selector("text=Sesión cerrada.")
    second.get_by_role("link", name="Actores", exact=True).click()  # its next interaction
    expect(second.get_by_text("se usó «Salir» en otra pestaña")).to_have_count(1, timeout=EXPECT_TIMEOUT)
    second.wait_for_selector(IDLE)
    assert [title for title in COORDINATION_PAGES if title in menu(second)] == []
    with Session(db.make_engine(app_server.database_url)) as session:
        assert login_sessions.check_token(session=session, token=cookie["value"]).account is None
    for _ in range(50):  # the logout also asks the server to clear the cookie
        if not any(c["name"] == login_sessions.COOKIE_NAME for c in page.context.cookies()):
            break
        page.wait_for_timeout(100)
    assert [c for c in page.context.cookies() if c["name"] == login_sessions.COOKIE_NAME] == []


def test_the_old_cookie_opens_nothing_after_logout(
    offline: OfflinePage, app_server: AppServer, browser: Browser
) -> None:
    page = log_in(offline, app_server, "prueba-coordinador")
    cookie = wait_for_login_cookie(page)
    page.get_by_role("button", name="Salir").click()
    page.wait_for_selector("text=Sesión cerrada.")
    replay = OfflinePage(browser, app_server.url)
    try:
        replay.context.add_cookies([{k: cookie[k] for k in ("name", "value", "domain", "path")}])
        shown = menu(replay.open(f"{app_server.url}/cargar-avances"))
        assert "Ingresar" in shown and [title for title in COORDINATION_PAGES if title in shown] == []
        assert replay.page.locator("[data-testid='stFileUploader']").count() == 0
    finally:
        replay.context.close()


def test_the_idle_expiry_applies_to_a_kept_login(offline: OfflinePage, app_server: AppServer) -> None:
    page = log_in(offline, app_server, "prueba-coordinador")
    wait_for_login_cookie(page)
    with db.transaction(db.make_engine(app_server.database_url)) as session:
        session.connection().execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=31)))
    page.reload()
    offline.settle()
    expect(page.get_by_text("30 minutos sin actividad")).to_have_count(1, timeout=EXPECT_TIMEOUT)
    assert [title for title in COORDINATION_PAGES if title in menu(page)] == []


def test_a_login_is_shared_by_every_app_process(offline: OfflinePage, app_server: AppServer, tmp_path: Path) -> None:
    """Two servers on one database, as behind a load balancer: a login made on one opens the other."""
    wait_for_login_cookie(log_in(offline, app_server, "prueba-coordinador"))
    with running_server(app_server.database_url, tmp_path) as other:
        tab = offline.context.new_page()  # cookies ignore the port: this browser sends it to both servers
        tab.goto(f"{other.url}/cargar-avances")
        tab.wait_for_selector("h1:has-text('Cargar avances')")
