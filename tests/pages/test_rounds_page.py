"""Rondas de reporte under AppTest: open a round on the demo, see its members, remind one, record a consent (and
with it the links), close; Resumen shows only the open round's completion, and the public never opens the page."""

from __future__ import annotations

import pytest
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from core import db
from core.models import Actor, ReportingRound, RoundMember
from tests.pages.test_pages import metric_values


def open_demo_round(at: AppTest) -> None:
    at.run()
    at.switch_page("pages/rondas.py").run()
    assert not at.exception
    at.button(key="open_round").click().run()
    assert not at.exception
    assert any("Se abrió la ronda número 1" in s.value for s in at.success)


def test_a_round_is_opened_followed_reminded_and_closed(coordinator_app: AppTest, demo_database_url: str) -> None:
    at = coordinator_app
    open_demo_round(at)
    engine = db.make_engine(demo_database_url)
    with Session(engine) as session:
        (rnd,) = session.exec(select(ReportingRound)).all()
        asked = len(session.exec(select(RoundMember)).all())
    assert rnd.cut_off_date.isoformat() == "2026-10-31" and asked > 10  # the demo's month end before 15/11/2026
    shown = metric_values(at)
    assert shown["Respondido (compromisos)"].endswith("%")
    table = at.table[0].value
    assert len(table) == asked and set(table["Estado"]) <= {"pendiente", "parcial", "completo", "tarde"}
    # No consent recorded yet: the message to copy, no link.
    assert at.code and "Buenos días, equipo de" in at.code[0].value
    assert not at.get("link_button")
    assert any("no tiene una autorización vigente" in i.value for i in at.info)
    at.button(key="round_remind").click().run()
    assert any("quedó como recordado" in s.value for s in at.success)
    with Session(engine) as session:
        assert sum(m.reminders for m in session.exec(select(RoundMember)).all()) == 1
    at.checkbox(key="round_close_sure").check().run()
    at.button(key="round_close").click().run()
    assert any("Se cerró la ronda" in s.value for s in at.success)
    with Session(engine) as session:
        assert session.exec(select(ReportingRound)).one().closed_at is not None


def test_a_recorded_consent_builds_the_whatsapp_and_mail_links(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    at = coordinator_app
    open_demo_round(at)
    actor_code = at.selectbox(key="round_actor").value
    engine = db.make_engine(demo_database_url)
    with db.transaction(engine) as session:
        actor = session.exec(select(Actor).where(Actor.code == actor_code)).one()
        actor.contact_person, actor.contact_phone, actor.contact_email = "Ana", "300 123 4567", "ana@example.org"
        session.add(actor)
    at.selectbox(key="consent_actor").set_value(actor_code)
    at.text_input(key="consent_evidence").input("Formato firmado")
    next(button for button in at.button if button.label == "Guardar").click().run()
    assert not at.exception
    assert any("Se guardó la decisión" in s.value for s in at.success)
    links = {button.proto.label: button.proto.url for button in at.get("link_button")}
    assert links["Abrir en WhatsApp"].startswith("https://wa.me/573001234567?text=Buenos%20d%C3%ADas%2C%20Ana")
    assert links["Abrir en el correo"].startswith("mailto:ana@example.org?subject=")


def test_a_refused_round_says_why_and_writes_nothing(coordinator_app: AppTest, demo_database_url: str) -> None:
    at = coordinator_app
    at.run()
    at.switch_page("pages/rondas.py").run()
    at.text_input(key="round_name").input("   ")
    at.button(key="open_round").click().run()
    assert any("No se abrió la ronda" in e.value and "Escriba un nombre" in e.value for e in at.error)
    with Session(db.make_engine(demo_database_url)) as session:
        assert session.exec(select(ReportingRound)).all() == []


def test_resumen_shows_the_open_round_completion_and_no_names(coordinator_app: AppTest, demo_database_url: str) -> None:
    open_demo_round(coordinator_app)
    public = AppTest.from_file(str(db.PROJECT_ROOT / "app.py"), default_timeout=60)
    public.run()
    assert not public.exception
    shown = metric_values(public)
    assert "Respondido (compromisos)" in shown and "Respondido (peso en el plan)" in shown
    assert any("Ronda de reporte abierta" in h.value for h in public.subheader)
    assert not public.code  # no message, no contact
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        public.switch_page("pages/rondas.py")  # not in the public's menu at all
