"""Motivación y participación, Articulación and Registrar participación under AppTest."""

import json

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import db, views
from core.charts.network import NODE_TRACE
from core.demo.plan import DEMO_TODAY
from core.participation import motivation
from tests.pages.test_pages import metric_values, plotly_values


def plan_curve_last(at: AppTest) -> float:
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    lines = [trace for trace in figure["data"] if trace.get("mode", "").startswith("lines")]
    return plotly_values(lines[-1]["y"])[-1]


def test_motivation_cards_equal_the_core_index(demo_app: AppTest, demo_database_url: str) -> None:
    demo_app.run()
    demo_app.switch_page("pages/motivacion.py").run()
    assert not demo_app.exception
    with Session(db.make_engine(demo_database_url)) as session:
        index = motivation.motivation_index(session=session, months=[DEMO_TODAY])
    shown = metric_values(demo_app)
    for label, band in [("Alta (≥ 70)", "alta"), ("Media (40–69)", "media"), ("Baja (< 40)", "baja")]:
        assert shown[label] == str(int((index.band == band).sum()))
    assert int(shown["Alertas"]) > 0  # the demo has actors cooling off


def test_articulation_network_has_one_node_per_active_actor(demo_app: AppTest, demo_database_url: str) -> None:
    demo_app.run()
    demo_app.switch_page("pages/articulacion.py").run()
    assert not demo_app.exception
    with Session(db.make_engine(demo_database_url)) as session:
        network = views.articulation(session=session, on=DEMO_TODAY).network
    figure = json.loads(demo_app.get("plotly_chart")[-1].proto.spec)
    nodes = sum(len(plotly_values(t["x"])) for t in figure["data"] if t.get("meta") == NODE_TRACE)
    assert nodes == len(network.nodes) > 30


def test_recording_an_event_moves_the_curve_at_once(coordinator_app: AppTest, demo_database_url: str) -> None:
    coordinator_app.run()
    coordinator_app.switch_page("pages/motivacion.py").run()
    before = plan_curve_last(coordinator_app)
    coordinator_app.switch_page("pages/registrar_participacion.py").run()
    with Session(db.make_engine(demo_database_url)) as session:
        everyone = [code for (code,) in session.connection().exec_driver_sql("SELECT code FROM actor")]
    coordinator_app.text_input(key="event_title").input("Asamblea extraordinaria")
    coordinator_app.multiselect(key="event_invited").set_value(everyone)
    coordinator_app.button[0].click()  # the form's submit button
    coordinator_app.run()
    assert not coordinator_app.exception
    assert any("guardado" in s.value for s in coordinator_app.success)
    coordinator_app.switch_page("pages/motivacion.py").run()
    assert plan_curve_last(coordinator_app) < before  # every actor invited, none came: participation falls


def test_a_rating_is_recorded_and_bad_input_refused(coordinator_app: AppTest) -> None:
    coordinator_app.run()
    coordinator_app.switch_page("pages/registrar_participacion.py").run()
    coordinator_app.radio(key="rating_score").set_value(5)
    coordinator_app.text_area(key="rating_note").input("Lideró la mesa")
    coordinator_app.button[1].click()
    coordinator_app.run()
    assert any("calificación" in s.value for s in coordinator_app.success)
    coordinator_app.text_input(key="event_title").input("   ")
    coordinator_app.button[0].click()
    coordinator_app.run()
    assert any("No se guardó nada" in e.value for e in coordinator_app.error)


def test_articulation_shows_the_actors_absent_from_events(demo_app: AppTest, demo_database_url: str) -> None:
    demo_app.run()
    demo_app.switch_page("pages/articulacion.py").run()
    with Session(db.make_engine(demo_database_url)) as session:
        gaps = views.coordination_gaps(session=session, on=DEMO_TODAY, months=3)
    assert len(gaps.absent_actors) > 0  # the demo has actors cooling off
    absent = demo_app.dataframe[-1].value
    assert sorted(absent.iloc[:, 0]) == sorted(gaps.absent_actors.actor_name)
