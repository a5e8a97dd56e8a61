"""A reporting round in real Chromium, offline: a coordinator opens a round, downloads one actor's template, fills it,
uploads it through «Cargar avances» and sees that actor turn «completo».

Run under the shared lock: ``flock /tmp/browser.lock python -m pytest -m browser …``.
"""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

from tests.browser.test_browser import (  # noqa: F401  (module fixtures: one server, one browser for this file)
    STATIC_TABLE,
    AppServer,
    OfflinePage,
    app_server,
    assert_healthy,
    browser,
    go_to,
    log_in,
    offline,
    open_tab,
)

pytestmark = pytest.mark.browser


def member_row(offline: OfflinePage, actor: str) -> str:
    table = offline.page.locator(STATIC_TABLE).first
    return table.locator("tr").filter(has_text=actor).first.inner_text()


def test_an_actor_turns_complete_when_its_round_template_comes_back_filled(
    offline: OfflinePage, app_server: AppServer, tmp_path: Path
) -> None:
    page = log_in(offline, app_server, "prueba-coordinador")
    page = go_to(offline, "Rondas de reporte")
    open_tab(page, "Abrir una ronda")
    page.get_by_role("button", name="Abrir la ronda").click()
    page.get_by_text("Se abrió la ronda número 1").wait_for()
    offline.settle()
    template_button = page.locator("[data-testid='stDownloadButton'] button").filter(has_text="Plantilla de")
    actor = re.sub(r"^Plantilla de (.+) \(\.xlsx\)$", r"\1", template_button.inner_text().strip())
    assert "pendiente" in member_row(offline, actor)
    with page.expect_download() as download_info:
        template_button.click()
    template = tmp_path / download_info.value.suggested_filename
    download_info.value.save_as(template)

    book = openpyxl.load_workbook(template)
    sheet = book["Avances"]
    headers = [cell.value for cell in sheet[1]]
    progress = headers.index("Avance físico (%)") + 1
    filled = 0
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row=row, column=1).value:
            assert sheet.cell(row=row, column=headers.index("Fecha de corte") + 1).value is not None
            sheet.cell(row=row, column=progress, value=100)
            filled += 1
    assert filled > 0
    answered = tmp_path / "respuesta.xlsx"
    book.save(answered)

    page = go_to(offline, "Cargar avances")
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(str(answered))
    apply = page.get_by_role("button", name=re.compile(r"^Aplicar"))
    apply.wait_for()
    offline.settle()
    apply.click()
    page.get_by_text("Carga número").wait_for()
    offline.settle()

    page = go_to(offline, "Rondas de reporte")
    expect(page.locator(STATIC_TABLE).first.locator("tr").filter(has_text=actor).first).to_contain_text("completo")
    assert_healthy(offline, page)
