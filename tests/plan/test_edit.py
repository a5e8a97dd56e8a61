"""Editing the plan in the app: the rules shared with the workbook, archive, delete, audit and data version."""

import io
import json
from datetime import date
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, select

from core import db
from core.metrics import detail, snapshots
from core.models import (
    Actor,
    Attendance,
    AuditEntry,
    Commitment,
    CommitmentActor,
    Event,
    MotivationRating,
    Pact,
    PactMember,
    Project,
)
from core.plan import edit, merge, rules
from core.plan.edit import PlanEditRefused
from core.uploads.plan_workbook import export_plan
from tests.plan_builder import PlanBuilder

ON = date(2026, 6, 30)
USER = "coordinadora"


@pytest.fixture
def plan(engine: Engine) -> Engine:
    """L1 > G2 > P3 (2026) with C5 (reported, actor A4) and P6 (perfil) with nothing; actor A7 with no history."""
    with db.transaction(engine) as session:
        build = PlanBuilder(session)
        program = build.program(build.line())
        project = build.project(program)
        actor = build.actor()
        build.report(build.commitment(project, actors=(actor,)), date(2026, 3, 31), pct=40)
        build.project(program, stage="perfil")
        build.actor(sector="comunitario")
    return engine


def count(session: Session, model: type[SQLModel]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def refusal(engine: Engine, **arguments: Any) -> dict[str, str]:
    function = arguments.pop("function", edit.save_record)
    with pytest.raises(PlanEditRefused) as refused, db.transaction(engine) as session:
        function(session=session, user=USER, **arguments)
    return refused.value.errors


def commitment_values(**changes: Any) -> dict[str, Any]:
    values = {
        "code": "C-NEW",
        "project_id": "P3",
        "description": "Cuatro jornadas de limpieza de quebradas",
        "target": 4,
        "due_date": date(2026, 11, 30),
        "weight": 1,
        "budget_cop": 2_000_000,
        "actors": ["A4"],
    }
    return values | changes


def version(engine: Engine) -> int:
    with Session(engine) as session:
        return db.data_version(session=session)


def test_a_new_commitment_is_counted_audited_and_bumps_the_version(plan: Engine) -> None:
    before = version(plan)
    with db.transaction(plan) as session:
        saved = edit.save_record(session=session, user=USER, catalog="Compromisos", values=commitment_values())
    with Session(plan) as session:
        snapshot = snapshots.load_snapshot(session=session, on=ON)
        entry = session.exec(select(AuditEntry).where(AuditEntry.row_id == "C-NEW")).one()
        shares = session.exec(select(CommitmentActor.share).where(CommitmentActor.commitment_id == 2)).all()
    assert saved == "C-NEW"
    assert sorted(snapshot.commitments.code) == ["C-NEW", "C5"]
    assert (entry.user_name, entry.action, entry.before) == (USER, "crear registro", None)
    assert json.loads(entry.after or "{}")["actors"] == ["A4"]
    assert shares == [1.0]
    assert before + 1 == version(plan)


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"code": " c5 "}, "code", "Ya existe un compromiso con el código «C5»."),
        ({"description": "  "}, "description", "«Descripción» es obligatorio."),
        ({"weight": -1}, "weight", "No puede ser negativo."),
        ({"budget_cop": -5}, "budget_cop", "No puede ser negativo."),
        ({"project_id": "P99"}, "project_id", "No existe un proyecto con el código «P99»."),
        (
            {"due_date": date(2025, 12, 1)},
            "due_date",
            "La fecha de entrega (01/12/2025) es anterior al inicio del proyecto P3 (01/01/2026).",
        ),
        ({"actors": ["A4", "NADIE"]}, "actors", "No existen o están archivados: NADIE."),
    ],
)
def test_a_bad_commitment_is_refused_beside_its_field(plan: Engine, changes: dict, field: str, message: str) -> None:
    before = version(plan)
    assert {field: message} == refusal(plan, catalog="Compromisos", values=commitment_values(**changes))
    with Session(plan) as session:
        assert count(session, Commitment) == 1
        assert count(session, AuditEntry) == 0
    assert before == version(plan)


def test_a_pact_keeps_its_members_roles_when_its_list_changes(plan: Engine) -> None:
    values = {"code": "PA1", "name": "Pacto por las quebradas", "members": ["A4"], "lines": ["L1"]}
    with db.transaction(plan) as session:
        edit.save_record(session=session, user=USER, catalog="Pactos", values=values)
        member = session.exec(select(PactMember)).one()
        member.role = "coordinador"
        session.add(member)
    with db.transaction(plan) as session:
        edit.save_record(session=session, user=USER, catalog="Pactos", code="PA1", values={"members": ["A4", "A7"]})
        saved = edit.get_record(session=session, catalog="Pactos", code="PA1")
        roles = session.exec(select(PactMember.role).order_by(PactMember.actor_id)).all()
    assert (saved["members"], saved["lines"]) == (["A4", "A7"], ["L1"])
    assert roles == ["coordinador", "firmante"]


def test_co_committing_actors_share_a_commitment_equally(plan: Engine) -> None:
    with db.transaction(plan) as session:
        edit.save_record(
            session=session, user=USER, catalog="Compromisos", code="C5", values={"actors": ["A4", "A7"], "barrios": []}
        )
        shares = session.exec(select(CommitmentActor.share)).all()
    assert shares == [0.5, 0.5]


def test_every_problem_is_reported_at_once(plan: Engine) -> None:
    errors = refusal(plan, catalog="Compromisos", values=commitment_values(code="", weight=-2, project_id="X"))
    assert sorted(errors) == ["code", "project_id", "weight"]


def test_project_dates_must_be_coherent(plan: Engine) -> None:
    values = {"start_date": date(2026, 5, 1), "end_date": date(2026, 4, 1)}
    errors = refusal(plan, catalog="Proyectos", code="P6", values=values)
    assert errors == {"end_date": "La fecha de fin (01/04/2026) es anterior a la de inicio (01/05/2026)."}


def test_a_project_may_not_start_after_its_commitments_are_due(plan: Engine) -> None:
    values = {"start_date": date(2027, 1, 15), "end_date": date(2027, 12, 31)}
    errors = refusal(plan, catalog="Proyectos", code="P3", values=values)
    assert errors == {
        "start_date": "La fecha de inicio (15/01/2027) es posterior a la entrega del compromiso C5 (31/12/2026); "
        "cambie primero esas entregas o elija un inicio anterior."
    }
    with db.transaction(plan) as session:  # a start before every delivery is fine
        edit.save_record(session=session, user=USER, catalog="Proyectos", code="P3",
                              values={"start_date": date(2026, 12, 31)})  # fmt: skip
    with Session(plan) as session:
        assert session.exec(select(Project.start_date).where(Project.code == "P3")).one() == date(2026, 12, 31)


def test_the_start_rule_names_the_first_three_commitments_due_and_counts_the_rest() -> None:
    due = {f"C{i}": date(2026, i, 1) for i in range(1, 6)} | {"C9": date(2027, 6, 1)}
    problem = rules.start_after_due_problem(date(2026, 12, 1), due)
    assert problem == (
        "la fecha de inicio (01/12/2026) es posterior a la entrega de 5 compromisos: C1 (01/01/2026), "
        "C2 (01/02/2026), C3 (01/03/2026) y 2 más; cambie primero esas entregas o elija un inicio anterior"
    )
    assert rules.start_after_due_problem(date(2026, 1, 1), due) is None
    assert rules.start_after_due_problem(None, due) is None


@pytest.mark.parametrize(
    ("current", "new", "allowed"),
    [
        ("perfil", "formulado", True),
        ("perfil", "en ejecución", True),
        ("en ejecución", "formulado", False),
        ("en ejecución", "suspendido", True),
        ("suspendido", "financiado", True),
        ("suspendido", "terminado", False),
        ("terminado", "en ejecución", False),
        ("cancelado", "perfil", False),
        ("formulado", "cancelado", True),
    ],
)
def test_stage_moves(current: str, new: str, allowed: bool) -> None:
    assert allowed == (rules.stage_move_problem(current, new) is None)


def test_a_disallowed_stage_move_is_refused_in_spanish(plan: Engine) -> None:
    errors = refusal(plan, catalog="Proyectos", code="P3", values={"stage": "perfil"})
    assert errors == {"stage": "No se permite pasar de «en ejecución» a «perfil»: las etapas no vuelven atrás."}


def test_an_edit_keeps_the_fields_it_does_not_send_and_audits_before_and_after(plan: Engine) -> None:
    with db.transaction(plan) as session:
        edit.save_record(session=session, user=USER, catalog="Proyectos", code="P6", values={"stage": "formulado"})
    with Session(plan) as session:
        project = session.exec(select(Project).where(Project.code == "P6")).one()
        entry = session.exec(select(AuditEntry)).one()
    assert (project.stage, project.name) == ("formulado", "Proyecto 6")
    assert (json.loads(entry.before or "")["stage"], json.loads(entry.after or "")["stage"]) == ("perfil", "formulado")


def test_actor_names_are_unique(plan: Engine) -> None:
    values = {"code": "A-NEW", "name": "actor 4", "sector": "privado"}
    assert refusal(plan, catalog="Actores", values=values) == {"name": "Ya existe un actor con el nombre «Actor 4»."}


def test_an_unknown_sector_is_refused(plan: Engine) -> None:
    errors = refusal(plan, catalog="Actores", values={"code": "A-NEW", "name": "Nuevo", "sector": "gremial"})
    assert list(errors) == ["sector"]


def test_archive_hides_from_metrics_but_keeps_the_export(plan: Engine) -> None:
    with db.transaction(plan) as session:
        edit.archive_record(session=session, user=USER, catalog="Compromisos", code="C5", on=ON)
    with Session(plan) as session:
        snapshot = snapshots.load_snapshot(session=session, on=ON)
        latest = detail.latest_reports(session=session, on=ON)
        book = openpyxl.load_workbook(io.BytesIO(export_plan(session=session)))
    rows = list(book["Compromisos"].values)
    archived_at = rows[0].index("Archivado el")
    assert (list(snapshot.commitments.code), list(latest.commitment_code)) == ([], [])
    assert [(row[0], row[archived_at].date()) for row in rows[1:]] == [("C5", ON)]


def test_an_archived_actor_leaves_the_dashboards_and_can_be_restored(plan: Engine) -> None:
    with db.transaction(plan) as session:
        edit.archive_record(session=session, user=USER, catalog="Actores", code="A7", on=ON)
    with Session(plan) as session:
        assert list(snapshots.load_snapshot(session=session, on=ON).actors.name) == ["Actor 4"]
    with db.transaction(plan) as session:
        edit.restore_record(session=session, user=USER, catalog="Actores", code="A7")
    with Session(plan) as session:
        assert list(snapshots.load_snapshot(session=session, on=ON).actors.name) == ["Actor 4", "Actor 7"]
        assert list(session.exec(select(AuditEntry.action).order_by(AuditEntry.id))) == ["archivar", "restaurar"]


def test_archiving_a_project_hides_its_commitments(plan: Engine) -> None:
    with db.transaction(plan) as session:
        edit.archive_record(session=session, user=USER, catalog="Proyectos", code="P3", on=ON)
    with Session(plan) as session:
        assert snapshots.load_snapshot(session=session, on=ON).commitments.empty


def test_an_archived_parent_cannot_take_new_records(plan: Engine) -> None:
    with db.transaction(plan) as session:
        edit.archive_record(session=session, user=USER, catalog="Proyectos", code="P3", on=ON)
    errors = refusal(plan, catalog="Compromisos", values=commitment_values())
    assert errors == {"project_id": "«P3» está archivado: restáurelo o elija otro."}


def test_a_record_without_history_may_be_deleted(plan: Engine) -> None:
    with db.transaction(plan) as session:
        edit.delete_record(session=session, user=USER, catalog="Proyectos", code="P6")
    with Session(plan) as session:
        assert list(session.exec(select(Project.code))) == ["P3"]
        entry = session.exec(select(AuditEntry)).one()
    assert (entry.action, entry.row_id, entry.after) == ("borrar registro", "P6", None)


@pytest.mark.parametrize(
    ("catalog", "code", "reason"),
    [
        ("Proyectos", "P3", "(1 compromisos)"),
        ("Compromisos", "C5", "(1 reportes de avance)"),
        ("Actores", "A4", "(1 compromisos)"),
        ("Líneas", "L1", "(1 programas)"),
    ],
)
def test_a_record_with_history_is_not_deleted(plan: Engine, catalog: str, code: str, reason: str) -> None:
    errors = refusal(plan, function=edit.delete_record, catalog=catalog, code=code)
    assert f"«{code}» tiene historia {reason}: no se puede borrar. Archívelo en su lugar." == errors[""]


def test_barrios_are_edited_never_created(plan: Engine) -> None:
    with db.transaction(plan) as session:
        PlanBuilder(session).barrio("1201")
    with db.transaction(plan) as session:
        edit.save_record(session=session, user=USER, catalog="Barrios", code="1201", values={"population": 9_876})
        frame = edit.list_records(session=session, catalog="Barrios")
    assert list(frame.population) == [9_876]
    errors = refusal(plan, catalog="Barrios", values={"code": "1299", "name": "Otro"})
    assert errors[""] == "Los barrios de la comuna son fijos: se editan, no se crean."


def test_bulk_stage_edit_checks_every_row_before_writing(plan: Engine) -> None:
    changes = {"P3": {"stage": "perfil"}, "P6": {"stage": "formulado"}}
    errors = refusal(plan, function=edit.update_many, catalog="Proyectos", changes=changes)
    assert list(errors) == ["P3 · Etapa"]
    with Session(plan) as session:
        assert list(session.exec(select(Project.stage).order_by(Project.code))) == ["en ejecución", "perfil"]
    with db.transaction(plan) as session:
        saved = edit.update_many(
            session=session, user=USER, catalog="Proyectos", changes={"P3": {"stage": "terminado"}, "P6": {}}
        )
    with Session(plan) as session:
        assert list(session.exec(select(Project.stage).order_by(Project.code))) == ["terminado", "perfil"]
        assert count(session, AuditEntry) == 1  # an unchanged row writes no audit entry
    assert saved == 1


# ---------------------------------------------------------------------------------------------- merge


@pytest.fixture
def twins(plan: Engine) -> Engine:
    """A8 «JAC Santa Lucía» and A9, its misspelling, each with commitments, events, ratings and pacts."""
    with db.transaction(plan) as session:
        keep = Actor(code="A8", name="JAC Santa Lucía", sector="comunitario")
        drop = Actor(code="A9", name="JAC Sta. Lucia", sector="comunitario")
        project = session.exec(select(Project).where(Project.code == "P6")).one()
        session.add_all([keep, drop, Pact(code="PA1", name="Pacto 1"), Pact(code="PA2", name="Pacto 2")])
        session.flush()
        shared = Commitment(code="C-SHARED", project_id=project.id, description="Compartido")
        own = Commitment(code="C-OWN", project_id=project.id, description="Solo de A9")
        events = [Event(held_on=date(2026, 5, day), kind="asamblea", title=f"Asamblea {day}") for day in (1, 2)]
        session.add_all([shared, own, *events])
        session.flush()
        pacts = list(session.exec(select(Pact).order_by(Pact.code)))
        project.lead_actor_id = drop.id
        events[0].convened_by_actor_id = drop.id
        session.add_all(
            [
                project,
                events[0],
                CommitmentActor(commitment_id=shared.id, actor_id=keep.id, share=0.5),
                CommitmentActor(commitment_id=shared.id, actor_id=drop.id, share=0.5),
                CommitmentActor(commitment_id=own.id, actor_id=drop.id, share=1),
                Attendance(event_id=events[0].id, actor_id=drop.id, invited=True, attended=True),
                Attendance(event_id=events[1].id, actor_id=keep.id, invited=True, attended=False),
                Attendance(event_id=events[1].id, actor_id=drop.id, invited=True, attended=True, delegates=2),
                MotivationRating(actor_id=drop.id, rated_on=date(2026, 5, 3), score=4),
                PactMember(pact_id=pacts[0].id, actor_id=keep.id),
                PactMember(pact_id=pacts[0].id, actor_id=drop.id, role="testigo"),
                PactMember(pact_id=pacts[1].id, actor_id=drop.id),
            ]
        )
    return plan


def dependents(engine: Engine) -> dict[str, list[tuple]]:
    with Session(engine) as session:
        return {
            name: sorted(tuple(row) for row in session.connection().exec_driver_sql(f"SELECT * FROM {name}"))
            for name in ("commitment_actor", "attendance", "motivation_rating", "pact_member", "project", "event")
        }


def actor_codes(engine: Engine, model: type[SQLModel]) -> list[str]:
    with Session(engine) as session:
        table = model.__table__  # type: ignore[attr-defined]
        statement = select(Actor.code).join(table, table.c.actor_id == Actor.id).order_by(Actor.code)
        return list(session.exec(statement))


def test_a_merge_preview_counts_what_moves_and_writes_nothing(twins: Engine) -> None:
    with Session(twins) as session:
        preview = merge.preview_merge(session=session, catalog="Actores", keep="A8", drop="A9")
    assert preview.moves == [
        ("Compromisos", 1, 1),
        ("Asistencias a eventos", 1, 1),
        ("Calificaciones de motivación", 1, 0),
        ("Pactos", 1, 1),
        ("Proyectos que lidera", 1, 0),
        ("Eventos que convocó", 1, 0),
        ("Cuentas de usuario", 0, 0),
        ("Instrumentos de planeación", 0, 0),
        ("Proyectos de presupuesto participativo", 0, 0),
        ("Rondas de reporte", 0, 0),
        ("Compromisos pedidos en rondas de reporte", 0, 0),
        ("Autorizaciones de contacto", 0, 0),
    ]
    assert actor_codes(twins, MotivationRating) == ["A9"]


def test_a_merge_moves_every_dependent_row_and_archives_the_other(twins: Engine) -> None:
    before = version(twins)
    with db.transaction(twins) as session:
        merge.merge_records(session=session, user=USER, catalog="Actores", keep="A8", drop="A9", on=ON)
    with Session(twins) as session:
        dropped = session.exec(select(Actor).where(Actor.code == "A9")).one()
        shares = session.exec(select(CommitmentActor.share).where(CommitmentActor.actor_id == dropped.id - 1)).all()
        marks = session.exec(select(Attendance.attended, Attendance.delegates).order_by(Attendance.event_id)).all()
        lead = session.exec(select(Project.lead_actor_id).where(Project.code == "P6")).one()
    for model in (CommitmentActor, Attendance, MotivationRating, PactMember):
        assert set(actor_codes(twins, model)) <= {"A4", "A8"}
    assert dropped.archived_on == ON
    assert sorted(shares) == [1.0, 1.0]  # 0.5 + 0.5 on the shared commitment; its own commitment whole
    assert marks == [(True, None), (True, 2)]
    assert lead == dropped.id - 1
    assert version(twins) == before + 1


def test_undoing_a_merge_restores_every_row(twins: Engine) -> None:
    original = dependents(twins)
    with db.transaction(twins) as session:
        entry = merge.merge_records(session=session, user=USER, catalog="Actores", keep="A8", drop="A9", on=ON)
    assert dependents(twins) != original
    with db.transaction(twins) as session:
        merge.undo_merge(session=session, user=USER, entry_id=entry)
    with Session(twins) as session:
        assert session.exec(select(Actor.archived_on).where(Actor.code == "A9")).one() is None
        history = merge.merge_history(session=session)
    assert dependents(twins) == original
    assert list(history.undone) == [True]
    assert refusal(twins, function=merge.undo_merge, entry_id=entry) == {"": "Esta fusión ya se había deshecho."}


def test_a_merge_whose_combined_row_was_edited_since_is_not_undone(twins: Engine) -> None:
    with db.transaction(twins) as session:
        entry = merge.merge_records(session=session, user=USER, catalog="Actores", keep="A8", drop="A9", on=ON)
    with db.transaction(twins) as session:  # the shared commitment's combined share (1.0) is corrected later
        kept = session.exec(select(Actor.id).where(Actor.code == "A8")).one()
        shared = session.exec(select(Commitment.id).where(Commitment.code == "C-SHARED")).one()
        row = session.exec(
            select(CommitmentActor).where(CommitmentActor.actor_id == kept, CommitmentActor.commitment_id == shared)
        ).one()
        row.share = 0.8
        session.add(row)
    edited = dependents(twins)
    errors = refusal(twins, function=merge.undo_merge, entry_id=entry)
    assert errors == {"": "Desde la fusión cambiaron filas que ella movió; no se puede deshacer automáticamente."}
    assert dependents(twins) == edited  # the later edit stands; nothing half-undone


def test_merging_projects_moves_their_commitments(plan: Engine) -> None:
    with db.transaction(plan) as session:
        merge.merge_records(session=session, user=USER, catalog="Proyectos", keep="P6", drop="P3", on=ON)
    with Session(plan) as session:
        snapshot = snapshots.load_snapshot(session=session, on=ON)
    assert list(zip(snapshot.commitments.code, snapshot.commitments.project_code, strict=True)) == [("C5", "P6")]


@pytest.mark.parametrize(
    ("keep", "drop", "message"),
    [
        ("A4", "A4", "Elija dos registros distintos: uno se conserva y el otro se archiva."),
        ("A4", "A99", "No existe un actor con el código «A99»."),
    ],
)
def test_a_merge_needs_two_existing_records(plan: Engine, keep: str, drop: str, message: str) -> None:
    errors = refusal(plan, function=merge.merge_records, catalog="Actores", keep=keep, drop=drop, on=ON)
    assert errors == {"": message}


def test_a_record_may_keep_an_archived_parent_it_already_had(plan: Engine) -> None:
    with db.transaction(plan) as session:
        edit.archive_record(session=session, user=USER, catalog="Proyectos", code="P3", on=ON)
        values = edit.get_record(session=session, catalog="Compromisos", code="C5") | {"weight": 2}
        edit.save_record(session=session, user=USER, catalog="Compromisos", code="C5", values=values)
        assert edit.get_record(session=session, catalog="Compromisos", code="C5")["weight"] == 2


def test_an_archived_actor_stays_on_the_commitments_it_already_had(plan: Engine) -> None:
    with db.transaction(plan) as session:
        edit.archive_record(session=session, user=USER, catalog="Actores", code="A4", on=ON)
        edit.save_record(session=session, user=USER, catalog="Compromisos", code="C5", values={"actors": ["A4"]})
    errors = refusal(plan, catalog="Compromisos", values=commitment_values())
    assert errors == {"actors": "No existen o están archivados: A4."}


def test_saving_an_unchanged_record_writes_nothing(plan: Engine) -> None:
    before = version(plan)
    with db.transaction(plan) as session:
        values = edit.get_record(session=session, catalog="Compromisos", code="C5")
        edit.save_record(session=session, user=USER, catalog="Compromisos", code="C5", values=values)
    with Session(plan) as session:
        assert count(session, AuditEntry) == 0
    assert version(plan) == before


def test_a_progress_upload_for_an_archived_commitment_says_so(plan: Engine) -> None:
    from core.uploads.progress import validate_progress
    from tests.sheets import HEADER, xlsx

    with db.transaction(plan) as session:
        edit.archive_record(session=session, user=USER, catalog="Proyectos", code="P3", on=ON)
    with Session(plan) as session:
        preview = validate_progress(
            session=session, data=xlsx([HEADER, ["C5", "30/06/2026", 60]]), file_name="a.xlsx", today=ON
        )
    assert [(p.severity, p.message) for p in preview.problems] == [
        ("aviso", "el compromiso (o su proyecto) está archivado: el reporte se guarda, pero no aparece en los tableros")
    ]
