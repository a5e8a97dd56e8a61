"""Institucionalización in Debian's Chromium with the network blocked: a coordinator records an achieved milestone,
and the public page and the assembly slide «Hitos desde la última asamblea» show it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser

from tests.browser.test_browser import (  # noqa: F401 - module fixtures reused: one app server and one browser per module
    IDLE,
    STATIC_TABLE,
    AppServer,
    OfflinePage,
    app_server,
    assert_healthy,
    browser,
    choose,
    go_to,
    log_in,
)

pytestmark = pytest.mark.browser

TITLE = "Acuerdo de la JAL que adopta el plan, firmado en el navegador"


@pytest.fixture
def offline(browser: Browser, app_server: AppServer) -> Iterator[OfflinePage]:  # noqa: F811
    page = OfflinePage(browser, app_server.url)
    yield page
    page.context.close()


def test_a_recorded_milestone_reaches_the_public_page_and_the_slides(
    offline: OfflinePage,
    app_server: AppServer,  # noqa: F811
    browser: Browser,  # noqa: F811
) -> None:
    page = log_in(offline, app_server, "prueba-coordinador")
    page = go_to(offline, "Institucionalización")
    form = page.locator("[data-testid='stForm']")
    form.get_by_label("Código *").fill("H-NAVEGADOR")
    choose(page, "Tipo de hito *", "JAL-AVAL")
    form.get_by_label("Título *").fill(TITLE)
    choose(page, "Estado", "logrado")
    form.get_by_role("spinbutton", name="day, Fecha del acto").click()  # day, month, year: typed as one
    page.keyboard.type("14112026")
    form.get_by_label("Número del acto").fill("Acuerdo JAL 09 de 2026")
    form.get_by_role("button", name="Guardar").click()
    page.get_by_text("Se guardó «H-NAVEGADOR»").wait_for()
    offline.settle()
    assert_healthy(offline, page)

    public = OfflinePage(browser, app_server.url)  # another visitor, without a session
    try:
        shown = go_to(public, "Institucionalización") if public.open(app_server.url) else None
        assert shown is not None
        shown.locator(STATIC_TABLE).filter(has_text=TITLE).wait_for()
        assert shown.locator("[data-testid='stForm']").count() == 0  # no forms for the public
        assert_healthy(public, shown)
        slides = go_to(public, "Modo asamblea")
        slides.get_by_role("button", name="Pausar").click()
        slides.locator("[data-testid='stSelectbox']").click()
        slides.keyboard.type("Hitos desde")
        slides.get_by_role("option", name="Hitos desde la última asamblea").click()
        slide = slides.locator("section.slide-hitos")
        slide.wait_for()
        slides.wait_for_selector(IDLE)
        assert TITLE in slide.inner_text()
        assert "Acuerdo JAL 09 de 2026" in slide.inner_text()
        assert public.foreign_requests == [] and public.console_errors == []
    finally:
        public.context.close()
