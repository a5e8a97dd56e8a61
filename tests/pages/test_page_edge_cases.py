"""Pages on data the demo does not have: gaps, hostile names, an empty plan, odd settings."""

from pathlib import Path

import pytest
import streamlit as st
from sqlalchemy import delete, update
from streamlit.testing.v1 import AppTest

from core import db
from core.access.accounts import COORDINATOR, PUBLIC
from core.db import PROJECT_ROOT
from core.models import Actor, CommitmentBarrio, ProjectBarrio, StrategicLine
from core.participation import records
from core.participation.motivation import MotivationWeights
from tests.conftest import log_in_as


def open_page(url: str, page: str, monkeypatch: pytest.MonkeyPatch, role: str = PUBLIC, **params: str) -> AppTest:
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    if role != PUBLIC:
        log_in_as(at, url, role)
    at.run()
    at.switch_page(page).run()
    for key, value in params.items():
        at.selectbox(key=key).set_value(value).run()
    assert not at.exception, at.exception
    return at


def test_a_barrio_without_active_actors_is_named(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with db.transaction(db.make_engine(demo_database_url)) as session:
        for link in (CommitmentBarrio, ProjectBarrio):
            session.execute(delete(link).where(link.barrio_id == 1))  # type: ignore[arg-type]
    at = open_page(demo_database_url, "pages/articulacion.py", monkeypatch)
    assert "Ferrini" in [w.value for w in at.warning]


def test_names_from_the_data_are_never_markdown(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    hostile = "JAC ![p](http://example.invalid/t.png) [clic](http://example.invalid) **negrita**"
    with db.transaction(db.make_engine(demo_database_url)) as session:
        session.execute(update(Actor).where(Actor.code == "A-001").values(name=hostile))  # type: ignore[arg-type]
    at = open_page(demo_database_url, "pages/actores.py", monkeypatch, actor="A-001")
    header = next(m.value for m in at.markdown if "JAC" in m.value and m.value.startswith("####"))
    assert "\\!\\[p\\]\\(http\\:" in header and "\\*\\*negrita\\*\\*" in header


def plan_with_one_line(tmp_path: Path) -> str:
    """A real (not demo) plan with one strategic line and nothing else: no actors, no commitments."""
    url = f"sqlite:///{tmp_path / 'vacia.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.transaction(engine) as session:
        session.add(StrategicLine(code="L1", name="Línea sola"))
        db.set_setting(session=session, key=db.DATASET_KEY, value="real")
    engine.dispose()
    return url


def test_motivation_page_on_a_plan_without_actors(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = plan_with_one_line(tmp_path)
    for page in ("pages/motivacion.py", "pages/articulacion.py", "pages/registrar_participacion.py"):
        at = open_page(url, page, monkeypatch, role=COORDINATOR)
        if page == "pages/motivacion.py":  # no actor to explain, but the page goes on to «Participación»
            assert "Participación" in [h.value for h in at.subheader]


def test_weights_above_one_do_not_break_the_page(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with db.transaction(db.make_engine(demo_database_url)) as session:
        records.set_motivation_weights(session=session, weights=MotivationWeights(40, 30, 30), user="prueba")
    at = open_page(demo_database_url, "pages/motivacion.py", monkeypatch, role=COORDINATOR)
    assert at.number_input(key="w_part").value == 40


def test_sector_filter_keeps_other_sectors_out_of_the_barrio_detail(
    demo_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    at = open_page(demo_database_url, "pages/barrios.py", monkeypatch, sector="público", barrio="1204")
    actors_grid = at.dataframe[-1].value
    assert set(actors_grid.iloc[:, 1]) == {"público"}


def test_an_empty_plan_says_so_instead_of_blaming_the_filters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = plan_with_one_line(tmp_path)
    for page in ("pages/lineas.py", "pages/actores.py", "pages/barrios.py", "pages/articulacion.py"):
        notices = [i.value for i in open_page(url, page, monkeypatch).info]
        assert any(n.startswith("Todavía no hay compromisos activos") for n in notices), (page, notices)
        assert not any("filtros" in n for n in notices), page
