"""Every routed page runs under AppTest, and the Resumen shows exactly what core.metrics computes."""

import base64
import json
import re
from datetime import date
from pathlib import Path

import numpy as np
import pytest
import streamlit as st
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from core import db, formatting, views
from core.access import accounts
from core.db import PROJECT_ROOT
from core.models import Commitment, ProgressReport, StrategicLine
from tests.conftest import log_in_as

APP_SOURCE = (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")
ROUTED_PAGES = re.findall(r'st\.Page\("(pages/[^"]+)"', APP_SOURCE)
ROLE_OF_PAGE = {page: role for role, page in re.findall(r'\((\w+), st\.Page\("(pages/[^"]+)"', APP_SOURCE)}


def plotly_values(encoded: object) -> list[float]:
    """Plotly sends numeric arrays as base64 typed arrays ({"dtype", "bdata"})."""
    if isinstance(encoded, dict):
        return np.frombuffer(base64.b64decode(encoded["bdata"]), dtype=encoded["dtype"]).tolist()
    return list(encoded)  # type: ignore[call-overload]


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("page", ROUTED_PAGES)
def test_every_page_runs_without_exception(demo_app: AppTest, demo_database_url: str, page: str) -> None:
    role = {"COORDINATOR": accounts.COORDINATOR, "ADMIN": accounts.ADMIN}.get(ROLE_OF_PAGE[page])
    if role:
        log_in_as(demo_app, demo_database_url, role)
    demo_app.run()
    demo_app.switch_page(page).run()
    assert not demo_app.exception
    # Every page has a heading: a title, or (Modo asamblea) the slide's own <h1>.
    assert (demo_app.title and demo_app.title[0].value) or any("<h1" in h.proto.body for h in demo_app.get("html"))


def test_demo_notice_is_shown(demo_app: AppTest) -> None:
    demo_app.run()
    assert any("Datos de demostración" in w.value for w in demo_app.warning)


def test_resumen_figures_match_core_metrics(demo_app: AppTest, demo_database_url: str) -> None:
    on = date(2026, 3, 15)
    demo_app.query_params["corte"] = on.isoformat()
    demo_app.run()
    with Session(db.make_engine(demo_database_url)) as session:
        view = views.plan_view(session=session, on=on)
    plan, lines = view.plan, view.lines
    shown = metric_values(demo_app)
    assert shown["Avance físico"] == formatting.percent(plan.physical_progress)
    assert shown["Avance esperado"] == formatting.percent(plan.expected_progress)
    assert shown["Eficacia"] == formatting.percent(plan.efficacy)
    assert shown["Avance financiero"] == formatting.percent(plan.financial_progress)
    assert shown["Sin reporte"] == formatting.number(plan["n_sin reporte"])
    assert shown["Cobertura"] == formatting.percent(plan.coverage * 100)
    assert shown["Comprometido"] == formatting.millions(plan.budget_cop)
    assert shown["Ejecutado"] == formatting.millions(plan.budget_executed_cop)
    for label, column in [("Cumplidos", "n_cumplido"), ("Al día", "n_al día"), ("Con retraso", "n_con retraso"),
                          ("Críticos", "n_crítico"), ("Cancelados", "cancelled")]:  # fmt: skip
        assert shown[label] == formatting.number(plan[column])
    assert shown["Vencidos"] == formatting.number(plan.overdue)
    assert "15 de marzo de 2026" in demo_app.caption[0].value
    lines_table = demo_app.table[0].value
    assert list(lines_table["Línea estratégica"]) == list(lines.name)
    assert list(lines_table["Avance físico"]) == [formatting.percent(v) for v in lines.physical_progress]
    assert list(lines_table["Avance financiero"]) == [formatting.percent(v) for v in lines.financial_progress]
    bars = json.loads(demo_app.get("plotly_chart")[0].proto.spec)["data"][0]
    assert plotly_values(bars["x"]) == pytest.approx(list(lines.physical_progress.iloc[::-1].fillna(0)))


def test_cut_off_date_changes_the_figures(demo_app: AppTest) -> None:
    demo_app.run()
    today_progress = metric_values(demo_app)["Avance físico"]
    demo_app.date_input(key="corte").set_value(date(2025, 9, 15)).run()
    assert metric_values(demo_app)["Avance físico"] != today_progress


def test_demo_notice_disappears_with_real_data(demo_app: AppTest, demo_database_url: str) -> None:
    with db.transaction(db.make_engine(demo_database_url)) as session:
        db.set_setting(session=session, key=db.DATASET_KEY, value="real")
        db.bump_data_version(session=session)
    demo_app.run()
    assert not any("Datos de demostración" in w.value for w in demo_app.warning)


def test_unreachable_database_shows_a_spanish_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://user:secret@127.0.0.1:1/plan")
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert "No se puede abrir la base de datos" in at.error[0].value
    assert "secret" not in at.error[0].value


def test_resumen_of_a_plan_without_commitments_shows_blanks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.transaction(engine) as session:
        session.add(StrategicLine(code="L1", name="Línea sin compromisos"))
        db.set_setting(session=session, key=db.DATASET_KEY, value="real")
    monkeypatch.setenv("DATABASE_URL", url)
    st.cache_data.clear()
    st.cache_resource.clear()
    at = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    assert metric_values(at)["Avance físico"] == "—"
    assert metric_values(at)["Cumplidos"] == "0"
    assert not any("Datos de demostración" in w.value for w in at.warning)


def test_resumen_ultimo_reporte_is_the_newest_report_of_any_kind(demo_app: AppTest, demo_database_url: str) -> None:
    on = date(2026, 3, 14)  # no demo report falls on this day
    engine = db.make_engine(demo_database_url)
    with db.transaction(engine) as session:  # a report that states only money, newer than every other one
        commitment = session.exec(select(Commitment).where(Commitment.cancelled == False)).first()  # noqa: E712
        assert commitment is not None
        session.add(ProgressReport(commitment_id=commitment.id, cut_off_date=on, budget_executed_cop=1_000))
    demo_app.query_params["corte"] = on.isoformat()
    demo_app.run()
    newest = demo_app.table[1].value["Fecha de corte"].iloc[0]  # «Últimos reportes», newest first
    assert newest == formatting.day(on)
    assert f"último reporte: {newest}" in demo_app.caption[0].value


def test_how_it_is_computed_puts_the_percent_first_and_states_the_one_rule(demo_app: AppTest) -> None:
    demo_app.run()
    text = " ".join(m.value for m in demo_app.expander[-1].markdown)
    assert "su porcentaje; si ese reporte no trae\n  porcentaje, valor logrado ÷ meta" in text
    assert "Una sola regla para toda cifra" in text
    assert "cualquier tipo (avance, dinero o una nota)" in text
