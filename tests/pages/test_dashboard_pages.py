"""The Líneas, Actores and Barrios pages under AppTest: figures equal core.metrics, filters change them, links
reproduce them."""

import json
from dataclasses import replace
from datetime import date

import pandas as pd
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import db, formatting, views
from core.access import accounts
from core.demo.plan import DEMO_TODAY
from core.metrics.filters import NO_FILTER, PlanFilter
from tests.conftest import log_in_as
from tests.pages.test_pages import metric_values


def core_view(url: str, on: date, plan_filter: PlanFilter = NO_FILTER) -> views.PlanView:
    with Session(db.make_engine(url)) as session:
        return views.plan_view(session=session, on=on, plan_filter=plan_filter)


def core_table(url: str, on: date, name: str, plan_filter: PlanFilter = NO_FILTER) -> pd.DataFrame:
    with Session(db.make_engine(url)) as session:
        return views.view_table(session=session, on=on, name=name, plan_filter=plan_filter)


def assert_cards_show(at: AppTest, row: pd.Series) -> None:
    shown = metric_values(at)
    assert shown["Avance físico"] == formatting.percent(row.physical_progress)
    assert shown["Avance esperado"] == formatting.percent(row.expected_progress)
    assert shown["Eficacia"] == formatting.percent(row.efficacy)
    assert shown["Vencidos"] == formatting.number(row.overdue)


def open_page(at: AppTest, page: str) -> AppTest:
    at.run()
    return at.switch_page(page).run()


def test_choosing_a_line_shows_that_line(demo_app: AppTest, demo_database_url: str) -> None:
    at = open_page(demo_app, "pages/lineas.py")
    plan_progress = metric_values(at)["Avance físico"]
    at.selectbox(key="linea").set_value("L4").run()
    assert not at.exception
    line = core_view(demo_database_url, DEMO_TODAY).lines.set_index("key").loc["L4"]
    assert_cards_show(at, line)
    assert metric_values(at)["Avance físico"] != plan_progress
    assert "Entorno y Medio Ambiente Comunal" in at.caption[0].value
    projects = core_table(demo_database_url, DEMO_TODAY, "projects", PlanFilter(line_code="L4"))
    assert len(at.dataframe[1].value) == len(projects)


def test_sector_filter_warns_about_lines_without_public_commitments(demo_app: AppTest) -> None:
    at = open_page(demo_app, "pages/lineas.py")
    assert not any("no tiene ningún compromiso de una Secretaría" in w.value for w in at.warning)
    at.selectbox(key="sector").set_value("académico").run()  # in the demo, L4's academic work has no public partner
    warnings = [w.value for w in at.warning if "no tiene ningún compromiso de una Secretaría" in w.value]
    assert len(warnings) == 1 and "L4" in warnings[0]


def test_actor_ranking_and_detail(demo_app: AppTest, demo_database_url: str) -> None:
    at = open_page(demo_app, "pages/actores.py")
    actors = core_table(demo_database_url, DEMO_TODAY, "actors")
    ranked = actors.loc[actors.commitments + actors.cancelled > 0]
    assert len(at.dataframe[0].value) == len(ranked)
    assert not at.expander or all("Datos de contacto" not in e.label for e in at.expander)
    code = ranked.sort_values("commitments").key.iloc[-1]
    at.selectbox(key="actor").set_value(code).run()
    assert not at.exception
    assert_cards_show(at, ranked.set_index("key").loc[code])
    assert [e for e in at.expander if "Datos de contacto" in e.label] == []  # the public never sees them
    log_in_as(at, demo_database_url, accounts.COORDINATOR).run()
    private = [e for e in at.expander if "Datos de contacto" in e.label]
    assert private and "privados" in private[0].label


def test_actor_ranking_keeps_only_the_chosen_sector(demo_app: AppTest) -> None:
    at = open_page(demo_app, "pages/actores.py")
    at.selectbox(key="sector").set_value("académico").run()
    sectors = set(at.dataframe[0].value.iloc[:, 1])
    assert sectors == {"académico"}


def test_barrios_map_and_detail(demo_app: AppTest, demo_database_url: str) -> None:
    at = open_page(demo_app, "pages/barrios.py")
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    polygons = {trace["name"] for trace in figure["data"] if trace.get("fill") == "toself"}
    assert len(polygons) == 13
    assert any("población" in c.value for c in at.caption)
    assert len(at.dataframe[0].value) == 14  # 13 barrios and the whole comuna
    at.selectbox(key="barrio").set_value("1204").run()
    assert not at.exception
    barrio = core_table(demo_database_url, DEMO_TODAY, "barrios").set_index("key").loc["1204"]
    assert any(h.value == "Detalle: La América" for h in at.subheader)
    assert_cards_show(at, barrio)


def test_map_colour_measure_changes_the_colour_bar(demo_app: AppTest) -> None:
    at = open_page(demo_app, "pages/barrios.py")
    at.segmented_control(key="mapa").set_value("Número de compromisos").run()
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    bar = next(trace for trace in figure["data"] if trace.get("marker", {}).get("showscale"))
    assert bar["marker"]["colorbar"]["title"]["text"] == "Compromisos"


def test_a_link_reproduces_the_view(demo_app: AppTest, demo_database_url: str) -> None:
    on = date(2026, 3, 31)
    demo_app.query_params.update(
        {"corte": on.isoformat(), "linea": "L4 · Entorno y Medio Ambiente Comunal", "sector": "público"}
    )
    demo_app.run()
    assert not demo_app.exception
    assert (demo_app.selectbox(key="linea").value, demo_app.selectbox(key="sector").value) == ("L4", "público")
    assert demo_app.date_input(key="corte").value == on
    chosen = PlanFilter(line_code="L4", sector="público")
    plan = core_view(demo_database_url, on, chosen).plan
    assert_cards_show(demo_app, plan)
    assert "Filtrado por línea L4" in demo_app.caption[0].value
    assert core_view(demo_database_url, on, replace(chosen, sector=None)).plan.commitments != plan.commitments
