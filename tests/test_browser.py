"""Real Chromium (Debian's package, driven by Playwright) against `streamlit run app.py`, with the network cut.

Every page must render without an exception or console error, and the browser may talk only to the app itself.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

import pytest
from playwright.sync_api import Browser, Page, Request, Route, WebSocket, expect, sync_playwright
from sqlmodel import Session

from core import db, formatting, metrics
from core.db import PROJECT_ROOT

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",  # containers often give /dev/shm only 64 MB
]
STREAMLIT_FLAGS = [
    "--server.headless=true",
    "--server.address=127.0.0.1",
    "--browser.gatherUsageStats=false",
    "--global.developmentMode=false",
]
PAGE_TITLES = re.findall(r'st\.Page\([^)]*\btitle="([^"]+)"', (PROJECT_ROOT / "app.py").read_text(encoding="utf-8"))
IDLE = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass(frozen=True)
class AppServer:
    url: str
    database_url: str


@pytest.fixture(scope="module")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    from core.demo import ensure_database

    database_url = f"sqlite:///{tmp_path_factory.mktemp('browser') / 'plan.db'}"
    ensure_database(db.make_engine(database_url))
    port = free_port()
    log_path = tmp_path_factory.mktemp("browser-log") / "streamlit.log"
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port), *STREAMLIT_FLAGS],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, server, log_path)
        yield AppServer(base, database_url)
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def wait_until_healthy(base: str, server: subprocess.Popen[bytes], log_path: Path) -> None:
    deadline = time.monotonic() + 90  # a slow CI machine imports streamlit, pandas and plotly first
    while True:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit did not start:\n{log_path.read_text()}") from None
            time.sleep(0.3)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Falta Chromium en {CHROMIUM}: instale el paquete de Debian (apt-get install chromium).")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        yield browser
        browser.close()


class OfflinePage:
    """A page whose requests to any host but the app are blocked and remembered, with its console errors."""

    def __init__(self, browser: Browser, app_url: str) -> None:
        self.app_host = urlparse(app_url).netloc
        self.context = browser.new_context(viewport={"width": 1366, "height": 900}, locale="es-CO")
        self.context.set_default_timeout(60_000)
        self.page: Page = self.context.new_page()
        self.foreign_requests: list[str] = []
        self.console_errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))
        self.page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        # page.route does not see WebSockets: check their hosts apart (Streamlit's own must be the app's).
        self.page.on("websocket", self._check_websocket)

    def _check_websocket(self, socket: WebSocket) -> None:
        if urlparse(socket.url).netloc != self.app_host:
            self.foreign_requests.append(socket.url)

    def _route(self, route: Route, request: Request) -> None:
        parsed = urlparse(request.url)
        if parsed.scheme in ("data", "blob") or parsed.netloc == self.app_host:
            route.continue_()
        else:
            self.foreign_requests.append(request.url)
            route.abort()

    def open(self, url: str) -> Page:
        self.page.goto(url)
        self.settle()
        return self.page

    def settle(self) -> None:
        """Script finished, charts drawn (plotly.js loads lazily), no request pending."""
        self.page.wait_for_selector("h1")
        self.page.wait_for_selector(IDLE)
        charts = self.page.locator("[data-testid='stPlotlyChart']")
        for index in range(charts.count()):
            charts.nth(index).locator(".js-plotly-plot").wait_for()
        self.page.wait_for_load_state("networkidle")


@pytest.fixture
def offline(browser: Browser, app_server: AppServer) -> Iterator[OfflinePage]:
    page = OfflinePage(browser, app_server.url)
    yield page
    page.context.close()


def assert_healthy(offline: OfflinePage, page: Page) -> None:
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.get_by_text("Datos de demostración").count() >= 1
    assert offline.console_errors == [], offline.console_errors
    assert offline.foreign_requests == [], offline.foreign_requests


def test_every_page_renders_offline_without_errors(offline: OfflinePage, app_server: AppServer) -> None:
    """Opens the app at its root, then every page from the menu, as a coordinator would."""
    page = offline.open(app_server.url)
    assert_healthy(offline, page)
    assert page.locator("h1").first.inner_text() == PAGE_TITLES[0]
    for title in PAGE_TITLES[1:]:
        page.locator("[data-testid='stSidebarNav'] a").filter(has_text=title).click()
        page.wait_for_selector(f"h1:has-text('{title}')")
        offline.settle()
        assert_healthy(offline, page)


def test_resumen_shows_core_metrics_in_spanish(offline: OfflinePage, app_server: AppServer) -> None:
    on = date(2026, 6, 15)
    page = offline.open(f"{app_server.url}/?corte={on.isoformat()}")
    with Session(db.make_engine(app_server.database_url)) as session:
        snapshot = metrics.load_snapshot(session=session, on=on)
        plan = metrics.plan_totals(metrics.assess_commitments(snapshot), snapshot)
    card = page.locator("[data-testid='stMetric']").filter(has_text="Avance físico").first
    assert formatting.percent(plan.physical_progress) in card.inner_text()
    assert page.get_by_text("corte al 15 de junio de 2026").count() == 1
    expect(page.locator(".js-plotly-plot")).to_have_count(2, timeout=30_000)  # plotly.js loads lazily
    assert_healthy(offline, page)
