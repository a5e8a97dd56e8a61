"""The upload and history pages under AppTest: preview, apply, figures change at once, undo."""

from collections.abc import Iterator

import pytest
import streamlit as st
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import db, metrics
from core.db import PROJECT_ROOT
from core.demo import DEMO_TODAY
from tests.sheets import HEADER, xlsx
from tests.test_pages import metric_values

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def app(demo_database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60)
    st.cache_data.clear()
    st.cache_resource.clear()


def upload(app: AppTest, data: bytes, name: str = "avance.xlsx") -> AppTest:
    app.run()
    app.switch_page("pages/cargar_avances.py").run()
    app.file_uploader[0].set_value((name, data, XLSX_MIME)).run()
    assert not app.exception
    return app


def test_preview_apply_and_undo(app: AppTest, demo_database_url: str) -> None:
    app.run()
    before = int(metric_values(app)["Cumplidos"])
    data = xlsx([HEADER, ["C-0001", "14/11/2026", 100, None, None, "listo"], ["C-0002", "14/11/2026", 100],
                 ["C-9999", "14/11/2026", 5]])  # fmt: skip
    upload(app, data)
    shown = metric_values(app)
    assert (shown["Reportes nuevos"], shown["Filas retenidas por errores"]) == ("2", "1")
    assert "C-9999" in app.dataframe[0].value.iloc[:, 2].tolist()  # the problems table names the bad code
    app.button(key="apply_upload").click().run()
    assert not app.exception
    assert any("aplicada" in s.value for s in app.success)
    app.switch_page("pages/resumen.py").run()
    after = int(metric_values(app)["Cumplidos"])  # every page sees the new data version at once
    assert after > before
    with Session(db.make_engine(demo_database_url)) as session:
        snapshot = metrics.load_snapshot(session=session, on=DEMO_TODAY)
    assert after == metrics.plan_totals(metrics.assess_commitments(snapshot), snapshot).n_cumplido
    app.switch_page("pages/historial_cargas.py").run()
    assert app.dataframe[0].value.iloc[0, 2] == "avance.xlsx"
    app.checkbox(key="undo_confirm").check().run()
    app.button(key="undo_button").click().run()
    assert any("deshecha" in s.value for s in app.success)
    app.switch_page("pages/resumen.py").run()
    assert int(metric_values(app)["Cumplidos"]) == before


def test_a_bad_file_gets_a_spanish_message(app: AppTest) -> None:
    upload(app, b"esto no es una hoja", "avance.xlsx")
    assert "no se pudo usar" in app.error[0].value.lower()
    assert "no lo es" in app.error[0].value


def test_suggestions_are_confirmed_before_they_count(app: AppTest) -> None:
    upload(app, xlsx([HEADER, ["C-00001", "14/11/2026", 50]]))  # one zero too many
    assert metric_values(app)["Filas retenidas por errores"] == "1"
    app.selectbox(key="suggestion_2").set_value("C-0001")
    app.button[0].click()  # the form's "Revisar de nuevo"
    app.run()
    assert metric_values(app)["Reportes nuevos"] == "1"
    assert metric_values(app)["Filas retenidas por errores"] == "0"
