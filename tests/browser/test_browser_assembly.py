"""Modo asamblea on a 1280×720 projector and the printable reports, in Debian's Chromium with the network blocked."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page

from tests.browser.test_browser import (  # noqa: F401 - module fixtures reused: one app server and one browser per module
    IDLE,
    AppServer,
    OfflinePage,
    app_server,
    browser,
)

pytestmark = pytest.mark.browser

PROJECTOR = {"width": 1280, "height": 720}
BODY_TEXT = ".slide p, .slide li, .slide .figure .label, .slide-footer span"
KEY_FIGURES = ".slide .figure .value"
SLIDES = 30

MEASURE = """([bodySelector, figureSelector]) => {
  const main = document.querySelector('[data-testid="stMain"]');
  const sizes = (selector) => [...document.querySelectorAll(selector)]
      .filter((e) => e.offsetParent !== null && e.textContent.trim())
      .map((e) => [parseFloat(getComputedStyle(e).fontSize), getComputedStyle(e).color, e.textContent.trim()]);
  return {scroll: main.scrollHeight, height: main.clientHeight, pageScroll: document.documentElement.scrollHeight,
          body: sizes(bodySelector), figures: sizes(figureSelector),
          number: document.querySelector('.slide-number').textContent};
}"""


def luminance(css_color: str) -> float:
    channels = [int(value) / 255 for value in re.findall(r"\d+", css_color)[:3]]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_on_white(css_color: str) -> float:
    return 1.05 / (luminance(css_color) + 0.05)


@pytest.fixture
def projector(browser: Browser, app_server: AppServer) -> Iterator[OfflinePage]:  # noqa: F811
    page = OfflinePage(browser, app_server.url)
    page.page.set_viewport_size(PROJECTOR)
    yield page
    page.context.close()


def measure(page: Page) -> dict[str, object]:
    result: dict[str, object] = page.evaluate(MEASURE, [BODY_TEXT, KEY_FIGURES])
    return result


def wait_for_slide(page: Page, number: int) -> None:
    page.wait_for_function(
        f"() => document.querySelector('.slide-number')?.textContent === '{number} / {SLIDES}'", timeout=30_000
    )
    page.wait_for_selector(IDLE)
    charts = page.locator("[data-testid='stPlotlyChart'] .js-plotly-plot")
    if charts.count():
        charts.first.wait_for()


def open_from_menu(projector: OfflinePage, app_server: AppServer, title: str) -> Page:  # noqa: F811
    """Through the sidebar menu, as a presenter does (a deep link makes Streamlit's health probe log two 404s)."""
    page = projector.open(app_server.url)
    page.get_by_role("link", name=title).click()
    page.wait_for_selector(IDLE)
    return page


def test_every_slide_fits_the_projector_with_large_type(projector: OfflinePage, app_server: AppServer) -> None:  # noqa: F811
    page = open_from_menu(projector, app_server, "Modo asamblea")
    page.locator("section.slide").wait_for()
    # The page collapses the sidebar as it starts, and Streamlit slides it out with an animation: measure once the
    # slide has moved left (a sidebar that never collapses fails here, after the timeout).
    page.wait_for_function(
        "(() => { const box = document.querySelector('section.slide').getBoundingClientRect();"
        " return box.x < 60 && box.width > 1150; })()",
        timeout=10_000,
    )
    slide = page.locator("section.slide").bounding_box()
    assert slide is not None and slide["x"] < 60 and slide["width"] > 1150  # sidebar collapsed: the slide is full width
    page.get_by_role("button", name="Pausar").click()
    page.get_by_role("button", name="Reanudar").wait_for()
    seen = []
    for number in range(1, SLIDES + 1):
        if number > 1:
            page.get_by_role("button", name="Siguiente").click()
        wait_for_slide(page, number)
        figures = measure(page)
        seen.append(figures["number"])
        assert figures["scroll"] <= figures["height"], f"la diapositiva {number} necesita desplazarse"
        assert figures["pageScroll"] <= PROJECTOR["height"]
        body, key_figures = figures["body"], figures["figures"]
        assert body, f"la diapositiva {number} no tiene texto"
        assert all(size >= 28 for size, _, _ in body), (number, [b for b in body if b[0] < 28])
        assert all(size >= 56 for size, _, _ in key_figures), (number, key_figures)
        assert all(contrast_on_white(color) >= 4.5 for _, color, _ in body + key_figures), number
    assert seen == [f"{n} / {SLIDES}" for n in range(1, SLIDES + 1)]
    assert projector.foreign_requests == []
    assert projector.console_errors == []


def test_jump_to_a_barrio_in_the_browser(projector: OfflinePage, app_server: AppServer) -> None:  # noqa: F811
    page = open_from_menu(projector, app_server, "Modo asamblea")
    page.get_by_role("button", name="Pausar").click()
    page.locator("[data-testid='stSelectbox']").click()
    page.keyboard.type("Santa Luc")  # the list is long: type to narrow it, as a presenter would
    page.get_by_role("option", name="Barrio Santa Lucía").click()
    page.locator("h1.slide-title", has_text="Barrio Santa Lucía").wait_for()
    assert projector.foreign_requests == []


def test_printed_barrio_report_is_one_offline_a4_page(
    projector: OfflinePage,
    app_server: AppServer,  # noqa: F811
    browser: Browser,  # noqa: F811
    tmp_path: Path,
) -> None:
    page = open_from_menu(projector, app_server, "Informes y boletín")
    page.get_by_text("Ferrini").first.wait_for()
    with page.expect_download() as download:
        page.get_by_role("button", name="Descargar página para imprimir (.html)").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.name.startswith("informe_barrio_1201_")

    offline = browser.new_context()  # nothing but the file itself may load
    requests: list[str] = []
    report = offline.new_page()
    report.route("**/*", lambda route: (requests.append(route.request.url), route.continue_()))
    report.goto(saved.as_uri())
    assert report.locator("h1").inner_text() == "Barrio Ferrini"
    assert requests == [saved.as_uri()]
    pdf = report.pdf(format="A4")
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1
    offline.close()
    assert projector.foreign_requests == []


def test_slides_advance_by_themselves(projector: OfflinePage, app_server: AppServer) -> None:  # noqa: F811
    page = open_from_menu(projector, app_server, "Modo asamblea")
    page.get_by_role("button", name="Ajustes").click()
    seconds = page.get_by_label("Segundos por diapositiva")
    seconds.fill("5")
    seconds.press("Enter")
    page.keyboard.press("Escape")
    wait_for_slide(page, 2)  # nobody clicked: the timer moved it
    started = time.monotonic()
    wait_for_slide(page, 3)
    assert time.monotonic() - started < 12  # the 5 seconds chosen, not the default 20
    assert projector.foreign_requests == []
