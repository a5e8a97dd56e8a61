"""Access control in real Chromium: what the public can reach (menu and URL), what a coordinator gets, logins.

Run under the shared lock: ``flock /tmp/browser-tests.lock python -m pytest -m browser …``.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from core import accounts
from tests.conftest import TEST_PASSWORD, create_account
from tests.test_browser import (  # noqa: F401  (module fixtures: one server, one browser for this file)
    EXPECT_TIMEOUT,
    AppServer,
    OfflinePage,
    app_server,
    browser,
    go_to,
    log_in,
    offline,
    submit_login,
)

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
