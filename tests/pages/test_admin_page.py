"""Administrar el plan under AppTest: create, refuse, archive, merge and bulk stages, seen on the dashboards."""

from datetime import date

import pytest
from sqlalchemy import func
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from core import db
from core.models import Actor, AuditEntry, Commitment
from core.plan import edit
from tests.pages.test_pages import metric_values
from tests.test_db import another_writer_holding_the_lock

PAGE = "pages/administrar_plan.py"
NEW = "admin_Compromisos___nuevo__"


def open_page(at: AppTest, catalog: str = "Compromisos") -> AppTest:
    at.run()
    at.switch_page(PAGE).run()
    at.selectbox(key="admin_catalog").set_value(catalog).run()
    assert not at.exception
    return at


def without_report(at: AppTest) -> int:
    at.switch_page("pages/resumen.py").run()
    assert not at.exception
    return int(metric_values(at)["Sin reporte"].replace(".", ""))


def count_rows(url: str, model: type) -> int:
    with Session(db.make_engine(url)) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def fill_commitment(at: AppTest, code: str, weight: float) -> None:
    project = at.selectbox(key=f"{NEW}_project_id").options[1]  # the first project (0 is «Ninguno»)
    at.text_input(key=f"{NEW}_code").input(code)
    at.selectbox(key=f"{NEW}_project_id").set_value(project.split(" · ")[0])
    at.text_area(key=f"{NEW}_description").input("Tres talleres de gestión del riesgo en Santa Lucía")
    at.date_input(key=f"{NEW}_due_date").set_value(date(2030, 12, 31))
    at.number_input(key=f"{NEW}_weight").set_value(weight)


def test_a_commitment_created_in_the_page_is_counted_on_the_summary(coordinator_app: AppTest) -> None:
    before = without_report(coordinator_app)
    open_page(coordinator_app)
    fill_commitment(coordinator_app, "C-ASAMBLEA-1", 1.0)
    coordinator_app.button[0].click().run()  # the form's submit button
    assert not coordinator_app.exception
    assert any("C\\-ASAMBLEA\\-1" in s.value for s in coordinator_app.success)
    assert without_report(coordinator_app) == before + 1


def test_a_refused_form_shows_the_spanish_error_and_writes_nothing(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    commitments, entries = count_rows(demo_database_url, Commitment), count_rows(demo_database_url, AuditEntry)
    open_page(coordinator_app)
    fill_commitment(coordinator_app, "C-MAL", -2.0)
    coordinator_app.button[0].click().run()
    errors = [e.value for e in coordinator_app.error]
    assert "No se guardó nada: corrija lo señalado." in errors
    assert "No puede ser negativo\\." in errors
    assert (count_rows(demo_database_url, Commitment), count_rows(demo_database_url, AuditEntry)) == (
        commitments,
        entries,
    )


def test_archiving_an_actor_in_the_page_hides_it_from_the_actor_choices(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    open_page(coordinator_app, "Actores")
    code = coordinator_app.selectbox(key="admin_archive_record_Actores").value
    coordinator_app.button(key="admin_archive").click().run()
    assert not coordinator_app.exception
    with Session(db.make_engine(demo_database_url)) as session:
        assert session.exec(select(Actor.archived_on).where(Actor.code == code)).one() is not None
    coordinator_app.switch_page("pages/registrar_participacion.py").run()
    assert code not in coordinator_app.selectbox(key="rating_actor").options


def test_merging_two_actors_in_the_page_and_undoing_it(coordinator_app: AppTest, demo_database_url: str) -> None:
    open_page(coordinator_app, "Actores")
    drop = coordinator_app.selectbox(key="merge_drop").value
    assert coordinator_app.button(key="merge_apply").disabled  # not before confirming
    keep = coordinator_app.selectbox(key="merge_keep").value
    coordinator_app.checkbox(key=f"merge_sure_{keep}_{drop}").check().run()
    coordinator_app.button(key="merge_apply").click().run()
    assert not coordinator_app.exception
    assert any("se fusionó" in s.value for s in coordinator_app.success)
    coordinator_app.button(key="merge_undo_apply").click().run()
    assert any("Se deshizo" in s.value for s in coordinator_app.success)
    with Session(db.make_engine(demo_database_url)) as session:
        assert session.exec(select(Actor.archived_on).where(Actor.code == drop)).one() is None


def test_a_merge_whose_pair_changed_since_it_was_confirmed_is_not_applied(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    open_page(coordinator_app, "Actores")
    drop = coordinator_app.selectbox(key="merge_drop").value
    keep = coordinator_app.selectbox(key="merge_keep").value
    coordinator_app.checkbox(key=f"merge_sure_{keep}_{drop}").check()
    coordinator_app.run()
    with db.transaction(db.make_engine(demo_database_url)) as session:  # another coordinator archives it meanwhile
        edit.archive_record(session=session, user="otra", catalog="Actores", code=drop, on=date(2026, 11, 20))
    archived = count_archived(demo_database_url)
    coordinator_app.button(key="merge_apply").click().run()
    assert not coordinator_app.exception
    now_keep, now_drop = (coordinator_app.selectbox(key=k).value for k in ("merge_keep", "merge_drop"))
    assert now_drop != drop  # the archived one left the list and another took its place…
    assert not coordinator_app.checkbox(key=f"merge_sure_{now_keep}_{now_drop}").value  # …unconfirmed
    assert not coordinator_app.success
    assert count_archived(demo_database_url) == archived  # the pair now on screen was not merged unconfirmed


def count_archived(url: str) -> int:
    with Session(db.make_engine(url)) as session:
        return len(session.exec(select(Actor.code).where(Actor.archived_on.is_not(None))).all())  # type: ignore[union-attr]


def test_the_grid_says_yes_or_no_and_the_lists_ask_in_spanish(coordinator_app: AppTest) -> None:
    open_page(coordinator_app)
    grid = coordinator_app.dataframe[0].value
    yes_no = [column for column in grid if set(grid[column].dropna()) <= {"Sí", "No"}]
    assert len(yes_no) == 1  # «Cancelado», once shown as true/false
    placeholders = {m.label: m.proto.placeholder for m in coordinator_app.multiselect}
    assert placeholders == {  # an empty barrios list means the project's barrios, not "none"
        "Actores responsables": "Elija uno o varios",
        "Barrios (en blanco: los del proyecto)": "Los del proyecto",
    }


def test_a_save_that_waits_too_long_for_another_writer_says_try_again(
    coordinator_app: AppTest, demo_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)  # before the app opens its engine; 30 s otherwise
    commitments = count_rows(demo_database_url, Commitment)
    open_page(coordinator_app)
    fill_commitment(coordinator_app, "C-OCUPADA", 1.0)
    with another_writer_holding_the_lock(demo_database_url):
        coordinator_app.button[0].click().run()
    assert not coordinator_app.exception
    assert any("intente de nuevo" in e.value for e in coordinator_app.error)
    assert count_rows(demo_database_url, Commitment) == commitments
    assert coordinator_app.text_input(key=f"{NEW}_code").value == "C-OCUPADA"  # the form kept what was typed
    coordinator_app.button[0].click().run()  # the other writer is done: the same click now saves
    assert not coordinator_app.exception
    assert count_rows(demo_database_url, Commitment) == commitments + 1
