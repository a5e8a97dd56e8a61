"""Fresh, migrated databases per test: SQLite always, PostgreSQL too when TEST_DATABASE_URL is set."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import Engine, text
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import db
from core.access import accounts, login_sessions

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])


def fresh_database_url(backend: str, tmp_path: Path) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / 'plan.db'}"
    url = os.environ["TEST_DATABASE_URL"]
    # Every test wipes this database: refuse anything that does not say it is for tests.
    assert "test" in (db.resolve_url(url).database or ""), "TEST_DATABASE_URL must name a test database"
    engine = db.make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()
    return url


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return fresh_database_url(request.param, tmp_path)


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with Session(engine) as session:
        yield session


@pytest.fixture(params=BACKENDS)
def demo_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh database loaded with the demo plan, for page and CLI tests."""
    from core.demo.plan import ensure_database

    url = fresh_database_url(request.param, tmp_path)
    engine = db.make_engine(url)
    ensure_database(engine)
    engine.dispose()
    return url


@pytest.fixture
def demo_app(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    """The app under AppTest on a fresh demo database; Streamlit's process-wide caches cleared around it."""
    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(str(db.PROJECT_ROOT / "app.py"), default_timeout=60)
    st.cache_data.clear()
    st.cache_resource.clear()


TEST_PASSWORD = "clave-de-pruebas-2026"


def create_account(database_url: str, role: str, username: str | None = None) -> str:
    """An active account with ``TEST_PASSWORD`` (created once per database); returns its username."""
    username = username or f"prueba-{role}"
    engine = db.make_engine(database_url)
    with db.transaction(engine) as session:
        if accounts.active_account(session=session, username=username) is None:
            accounts.create_user(session=session, username=username, password=TEST_PASSWORD, role=role, by="pruebas")
    engine.dispose()
    return username


def log_in_as(at: AppTest, database_url: str, role: str, username: str | None = None) -> AppTest:
    """Open a session in ``at`` the way the login page leaves it (an account that exists, a live login row)."""
    from ui.access import STATE_KEY

    username = create_account(database_url, role, username)
    engine = db.make_engine(database_url)
    with db.transaction(engine) as session:
        token = login_sessions.open_session(session=session, username=username)
    engine.dispose()
    at.session_state[STATE_KEY] = {"user": username, "role": role, "token": login_sessions.token_hash(token)}
    return at


@pytest.fixture
def coordinator_app(demo_app: AppTest, demo_database_url: str) -> AppTest:
    """``demo_app`` with a coordinator logged in."""
    return log_in_as(demo_app, demo_database_url, accounts.COORDINATOR)


@pytest.fixture
def admin_app(demo_app: AppTest, demo_database_url: str) -> AppTest:
    """``demo_app`` with an admin logged in."""
    return log_in_as(demo_app, demo_database_url, accounts.ADMIN)


@pytest.fixture
def small_plan(engine: Engine) -> Engine:
    """L1 > G2 > P3 with commitment C5 (actor A4): enough to upload progress and edit records against."""
    from tests.plan_builder import PlanBuilder

    with db.transaction(engine) as session:
        build = PlanBuilder(session)
        project = build.project(build.program(build.line()))
        build.commitment(project, actors=(build.actor(),))
    return engine


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A real-browser test that fails is run once more (pytest-rerunfailures, reported as R, never silent).

    On this 2-core machine, with the suite's PostgreSQL and a Streamlit server beside Chromium, one browser test in
    two or three full runs timed out waiting for a page to settle, a different one each time, and passed alone; a
    second failure of the same test still fails the run. One cause was found and fixed: ``choose`` lost what it typed
    when the focus went back to a tab clicked just before (2 of 12 admin runs). Without the rerun, one whole browser
    run of two still failed: the admin test's «Sin reporte» card stayed at 84 through 30 s of polling where the
    write made 85 (not seen in 23 runs of that flow alone nor in 3 runs of its file); that failure now reports the
    database's own count and what a reload shows, to tell a stale cache from a page not redrawn. Until it is
    explained, the rerun stays.
    """
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.flaky(reruns=1, reruns_delay=2))
