"""A coordinator records a crosswalk row (the plantilla de articulación, through the file input) and the public
Planes de los actores page and the assembly slide change with it, in Debian's Chromium with the network blocked."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import Browser, Page
from sqlmodel import Session

from core import db
from core.uploads.alignment import alignment_template
from tests.browser.test_browser import (  # noqa: F401 - module fixtures reused: one app server and one browser per module
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

COMFAMA = "A-037"  # its plan's row on L6 (AR-028) is only proposed in the demo
L6 = "L6 · Desarrollo Económico y Empleo"


def sectors_on_l6(public: OfflinePage, app_server: AppServer) -> str:  # noqa: F811
    page = public.open(app_server.url)
    page = go_to(public, "Planes de los actores")
    choose(page, "Línea", L6)
    public.settle()
    card = page.locator("[data-testid='stMetric']").filter(has_text="Sectores que la programan")
    return card.locator("[data-testid='stMetricValue']").inner_text()


def crosswalk_slide(public: OfflinePage) -> str:
    page = go_to(public, "Modo asamblea")
    page.get_by_role("button", name="Pausar").click()
    page.locator("[data-testid='stSelectbox']").first.click()
    page.keyboard.type("planeación de otros")
    page.get_by_role("option", name="El plan en la planeación de otros").click()
    slide = page.locator("section.slide", has_text="El plan en la planeación de otros")
    slide.wait_for()
    return slide.inner_text()


def filled_template(app_server: AppServer, folder: Path) -> Path:  # noqa: F811
    engine = db.make_engine(app_server.database_url)
    with Session(engine) as session:
        book = openpyxl.load_workbook(BytesIO(alignment_template(session=session, actor_code=COMFAMA)))
    engine.dispose()
    sheet = book["Articulación"]
    headers = [cell.value for cell in sheet[4]]
    assert sheet.cell(row=5, column=headers.index("Código fila") + 1).value == "AR-028"
    for header, value in (
        ("Estado", "verificado"),
        ("Verificado por", "Mesa de empleo"),
        ("Verificado el", "20/10/2026"),
    ):
        sheet.cell(row=5, column=headers.index(header) + 1, value=value)
    path = folder / "articulacion_comfama.xlsx"
    book.save(path)
    return path


def test_a_recorded_crosswalk_row_changes_the_public_page_and_the_slide(
    browser: Browser,  # noqa: F811
    app_server: AppServer,  # noqa: F811
    tmp_path: Path,
) -> None:
    public = OfflinePage(browser, app_server.url)
    assert sectors_on_l6(public, app_server) == "1"
    assert "L6 · Desarrollo Económico y Empleo\n1 actor · 1 públicas · 150 millones" in crosswalk_slide(public)

    coordinator = OfflinePage(browser, app_server.url)
    page: Page = log_in(coordinator, app_server, "prueba-coordinador")
    page = go_to(coordinator, "Planes de los actores")
    choose(page, "Actor de la plantilla", "Caja de Compensación Familiar Comfama")
    coordinator.settle()
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        str(filled_template(app_server, tmp_path))
    )
    page.get_by_role("button", name="Aplicar la articulación").click()
    page.get_by_text("Articulación aplicada").wait_for()
    coordinator.settle()
    assert_healthy(coordinator, page)

    assert sectors_on_l6(public, app_server) == "2"  # the public page, read again: público and privado
    assert "L6 · Desarrollo Económico y Empleo\n2 actores · 1 públicas · 290 millones" in crosswalk_slide(public)
    assert public.foreign_requests == [] and coordinator.foreign_requests == []
    assert public.console_errors == [], public.console_errors
    public.context.close()
    coordinator.context.close()
