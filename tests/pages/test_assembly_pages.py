"""Modo asamblea and Informes y boletín under AppTest, on the demo plan."""

import re
from datetime import timedelta

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import db, formatting, views
from core.communication import assembly
from core.demo.plan import DEMO_TODAY
from core.metrics import breakdowns, rule, snapshots
from core.participation.attendance import load_participation
from core.participation.coordination import load_pacts

SLIDE = "asamblea_slide"


def slide_html(at: AppTest) -> str:
    return next(element.proto.body for element in at.get("html") if 'class="slide' in element.proto.body)


def slide_number(at: AppTest) -> tuple[int, int]:
    shown, total = re.search(r'class="slide-number">(\d+) / (\d+)<', slide_html(at)).groups()  # type: ignore[union-attr]
    return int(shown), int(total)


def open_assembly(at: AppTest) -> AppTest:
    at.run()
    at.switch_page("pages/asamblea.py").run()
    assert not at.exception
    return at


def test_slides_move_with_next_previous_and_wrap_around(demo_app: AppTest) -> None:
    at = open_assembly(demo_app)
    # the vision, summary, 6 lines, map, 13 barrios, curve, achievements, milestones, PP, gains, next due, others'
    # plans, the vision
    assert slide_number(at) == (1, 30)
    assert "Nuestra visión" in slide_html(at)
    next(button for button in at.button if button.label == "Siguiente").click().run()
    assert slide_number(at) == (2, 30)
    assert "El plan en cifras" in slide_html(at)
    next(button for button in at.button if button.label == "Anterior").click().run()
    next(button for button in at.button if button.label == "Anterior").click().run()
    assert slide_number(at) == (30, 30)
    assert "Nuestra visión" in slide_html(at)
    next(button for button in at.button if button.label == "Anterior").click().run()
    assert "El plan en la planeación de otros" in slide_html(at)


def test_jump_to_a_barrio_when_someone_asks(demo_app: AppTest) -> None:
    at = open_assembly(demo_app)
    jump = at.selectbox(key="asamblea_jump")
    barrio = next(option for option in jump.options if option == "Barrio La América")
    jump.select(barrio).run()
    assert not at.exception
    assert "Barrio La América" in slide_html(at)
    assert at.selectbox(key="asamblea_jump").value is None  # ready for the next question


def test_auto_advance_moves_only_while_playing(demo_app: AppTest) -> None:
    at = open_assembly(demo_app)
    at.session_state["asamblea_next_at"] = 0.0  # the slide's time is up
    at.run()
    assert slide_number(at)[0] == 2
    next(button for button in at.button if button.label == "Pausar").click().run()
    at.session_state["asamblea_next_at"] = 0.0
    at.run()
    assert slide_number(at)[0] == 2
    assert any(button.label == "Reanudar" for button in at.button)


def test_summary_and_period_slides_equal_the_metrics(demo_app: AppTest, demo_database_url: str) -> None:
    at = open_assembly(demo_app)
    at.session_state[SLIDE] = 1  # "El plan en cifras", after the vision
    at.session_state["asamblea_playing"] = False
    at.run()
    with Session(db.make_engine(demo_database_url)) as session:
        participation = load_participation(session=session)
        since = assembly.last_assembly(participation.events, before=DEMO_TODAY)
        assert since is not None
        before = snapshots.load_snapshot(session=session, on=since)
        after = snapshots.load_snapshot(session=session, on=DEMO_TODAY)
        pacts = load_pacts(session=session)
        thresholds = snapshots.load_thresholds(session=session)
    plan = breakdowns.plan_totals(rule.assess_commitments(after, thresholds), thresholds)
    summary = slide_html(at)
    assert formatting.percent(plan.physical_progress) in summary
    assert f"<strong>{plan.n_cumplido}</strong> cumplidos" in summary

    lines_before = breakdowns.by_line(rule.assess_commitments(before, thresholds), before, thresholds)
    lines_after = breakdowns.by_line(rule.assess_commitments(after, thresholds), after, thresholds)
    at.session_state[SLIDE] = 26  # "Avance por línea desde …" (0-based)
    at.session_state["asamblea_playing"] = False
    at.run()
    gains = slide_html(at)
    assert f"desde el {formatting.day(since)}" in gains
    for old, new in zip(lines_before.physical_progress, lines_after.physical_progress, strict=True):
        assert f"{formatting.percent(old)} → {formatting.percent(new)}" in gains

    changes = assembly.period_changes(before, after, participation=participation, pacts=pacts, thresholds=thresholds)
    at.session_state[SLIDE] = 23
    at.run()
    achievements = slide_html(at)
    assert f"Desde la asamblea del {formatting.day(since)}." in achievements
    figures = re.findall(r'class="value">([^<]+)<', achievements)
    assert figures == [
        str(len(changes.completed)),
        formatting.number(changes.new_reports),
        str(len(changes.new_pacts)),
        str(len(changes.joined_actors)),
    ]


def test_assembly_shows_no_personal_data(demo_app: AppTest, demo_database_url: str) -> None:
    at = open_assembly(demo_app)
    with Session(db.make_engine(demo_database_url)) as session:
        contacts = [
            value
            for row in session.connection().exec_driver_sql(
                "SELECT contact_person, contact_phone, contact_email FROM actor"
            )
            for value in row
            if value
        ]
    assert contacts  # the demo has contact data to leak
    for index in range(28):
        at.session_state[SLIDE] = index
        at.session_state["asamblea_playing"] = False
        at.run()
        shown = " ".join(element.proto.body for element in at.get("html")) + " ".join(m.value for m in at.markdown)
        assert not [value for value in contacts if value in shown]


def test_reports_page_summary_equals_the_core_pack(demo_app: AppTest, demo_database_url: str) -> None:
    demo_app.run()
    demo_app.switch_page("pages/informes.py").run()
    assert not demo_app.exception
    demo_app.selectbox(key="informe_barrio").select("1204").run()
    with Session(db.make_engine(demo_database_url)) as session:
        pack = views.pack_files(session=session, on=DEMO_TODAY, scope="barrio", key="1204")
        since = views.last_assembly(session=session, on=DEMO_TODAY)
    texts = [code.value for code in demo_app.code]
    assert len(texts) == 1  # only the open tab is built
    assert pack.summary == texts[0]
    assert texts[0].startswith("Barrio La América – ")
    demo_app.query_params["informe"] = "Boletín del plan"
    demo_app.run()
    assert demo_app.date_input(key="boletin_desde").value == since
    assert f"Desde el {formatting.day(since)}:" in demo_app.code[0].value
    assert since is not None and since < DEMO_TODAY - timedelta(days=1)
