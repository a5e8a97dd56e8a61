"""One batch life cycle for every contract: open, close, stale check, undo guards, mark undone."""

from __future__ import annotations

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, select

from core import db
from core.access.accounts import ADMIN, COORDINATOR, PUBLIC
from core.models import Attendance, AuditEntry, ImportBatch
from core.participation.records import ParticipationRefused, record_event, record_rating
from core.refusals import Refused
from core.uploads import batches
from core.uploads.attendance import apply_attendance, attendance_template, validate_attendance
from core.uploads.batches import BatchKind, BatchStatus, StalePreview, UndoRefused
from core.uploads.history import batch_history
from tests.plan_builder import PlanBuilder
from tests.sheets import save


def count(session: Session, model: type[SQLModel]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


def opened(session: Session, kind: BatchKind = BatchKind.PROGRESS, sha256: str = "a" * 64) -> int:
    return batches.open_batch(
        session=session,
        kind=kind,
        file_name="avances.xlsx",
        sha256=sha256,
        user="coordinadora",
        rows_total=3,
        rows_applied=2,
        rows_rejected=1,
    )


def test_the_stored_values_are_what_the_database_holds_and_the_labels_are_spanish() -> None:
    assert [kind.value for kind in BatchKind] == [
        "avance", "asistencia", "libro del plan", "presupuesto participativo", "articulación",
    ]  # fmt: skip
    assert [status.value for status in BatchStatus] == ["applied", "undone"]
    assert ImportBatch().status == BatchStatus.APPLIED
    assert batches.STATUS_LABELS == {"applied": "aplicada", "undone": "deshecha"}
    assert [kind.action for kind in BatchKind] == [
        "cargar avances",
        "cargar asistencia",
        "cargar libro del plan",
        "cargar plantilla de PP",
        "cargar articulación",
    ]


def test_open_then_close_writes_the_batch_its_audit_entry_and_a_new_data_version(engine: Engine) -> None:
    with db.transaction(engine) as session:
        version = db.data_version(session=session)
        batch_id = opened(session)
        batches.close_batch(session=session, batch_id=batch_id, kind=BatchKind.PROGRESS, user="coordinadora",
                            after={"nuevos": 2})  # fmt: skip
    with Session(engine) as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch is not None
        assert (batch.kind, batch.status, batch.created_by) == ("avance", "applied", "coordinadora")
        assert (batch.rows_total, batch.rows_applied, batch.rows_rejected) == (3, 2, 1)
        entry = session.exec(select(AuditEntry)).one()
        assert (entry.action, entry.row_id, entry.import_batch_id, entry.after) == (
            "cargar avances",
            str(batch_id),
            batch_id,
            '{"nuevos": 2}',
        )
        assert db.data_version(session=session) == version + 1


def test_a_preview_of_an_older_data_version_is_stale(engine: Engine) -> None:
    with db.transaction(engine) as session:
        version = db.data_version(session=session)
        batches.refuse_stale(session=session, data_version=version)
        db.bump_data_version(session=session)
        with pytest.raises(StalePreview, match="no se escribió nada"):
            batches.refuse_stale(session=session, data_version=version)


def test_applied_before_finds_the_same_file_of_the_same_kind_while_it_is_applied(engine: Engine) -> None:
    with db.transaction(engine) as session:
        batch_id = opened(session)
    with Session(engine) as session:
        found = batches.applied_before(session=session, sha256="a" * 64, kind=BatchKind.PROGRESS)
        assert found is not None and found[0] == batch_id
        assert batches.applied_before(session=session, sha256="a" * 64, kind=BatchKind.ATTENDANCE) is None
        assert batches.applied_before(session=session, sha256="b" * 64, kind=BatchKind.PROGRESS) is None
    with db.transaction(engine) as session:
        batch = batches.batch_to_undo(session=session, batch_id=batch_id, kind=BatchKind.PROGRESS)
        batches.mark_undone(session=session, batch=batch, user="coordinadora", counts={"reportes_borrados": 2})
    with Session(engine) as session:
        assert batches.applied_before(session=session, sha256="a" * 64, kind=BatchKind.PROGRESS) is None


def test_mark_undone_sets_the_status_audits_and_bumps_the_version(engine: Engine) -> None:
    with db.transaction(engine) as session:
        batch_id = opened(session)
        version = db.data_version(session=session)
        batch = batches.batch_to_undo(session=session, batch_id=batch_id, kind=BatchKind.PROGRESS)
        batches.mark_undone(session=session, batch=batch, user="jefa", counts={"reportes_borrados": 2})
    with Session(engine) as session:
        assert session.get(ImportBatch, batch_id).status == "undone"  # type: ignore[union-attr]
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "deshacer carga")).one()
        assert (entry.user_name, entry.row_id) == ("jefa", str(batch_id))
        assert (entry.before, entry.after) == ('{"estado": "applied"}', '{"estado": "undone", "reportes_borrados": 2}')
        assert db.data_version(session=session) == version + 1
        assert batch_history(session=session).status.tolist() == ["undone"]


@pytest.mark.parametrize(
    ("batch_id", "kind", "message"),
    [
        (99, BatchKind.PROGRESS, "No existe la carga número 99."),
        (1, BatchKind.PLAN_WORKBOOK, "La carga número 1 no es el libro del plan."),
        (2, BatchKind.PROGRESS, "La carga número 2 ya se había deshecho."),
    ],
)
def test_the_undo_guards_say_why_not(engine: Engine, batch_id: int, kind: BatchKind, message: str) -> None:
    with db.transaction(engine) as session:
        assert (opened(session), opened(session)) == (1, 2)
        done = batches.batch_to_undo(session=session, batch_id=2, kind=BatchKind.PROGRESS)
        batches.mark_undone(session=session, batch=done, user="coordinadora", counts={})
    with Session(engine) as session, pytest.raises(UndoRefused) as refused:
        batches.batch_to_undo(session=session, batch_id=batch_id, kind=kind)
    assert refused.value.messages == (message,)


def test_a_later_batch_still_applied_must_be_undone_first(engine: Engine) -> None:
    with db.transaction(engine) as session:
        first = opened(session)
        plan = opened(session, BatchKind.PLAN_WORKBOOK)
        later = opened(session, BatchKind.ATTENDANCE)
    with Session(engine) as session:
        with pytest.raises(UndoRefused, match=f"^Después se cargó el libro del plan número {plan}. Deshaga primero"):
            batches.refuse_if_built_on(session=session, batch_id=first, by=BatchKind.PLAN_WORKBOOK)
        with pytest.raises(UndoRefused, match=f"se aplicó la número {later}. Deshaga primero la número {later}."):
            batches.refuse_if_built_on(session=session, batch_id=first)
        batches.refuse_if_built_on(session=session, batch_id=later)  # nothing after the last one
        batches.refuse_if_built_on(session=session, batch_id=plan, by=BatchKind.PLAN_WORKBOOK)


@pytest.mark.parametrize(
    ("role", "user", "allowed"),
    [(ADMIN, "jefa", True), (COORDINATOR, "coordinadora", True), (COORDINATOR, "otra", False), (PUBLIC, "", False)],
)
def test_who_may_undo(role: str, user: str, allowed: bool) -> None:
    assert batches.may_undo(role=role, user=user, created_by="coordinadora") is allowed


def test_a_conflict_the_database_refuses_becomes_a_spanish_refusal() -> None:
    from sqlalchemy.exc import IntegrityError

    with pytest.raises(Refused, match=r"^Ya existe\.$"), batches.conflicts_refused(Refused("Ya existe.")):
        raise IntegrityError("INSERT", {}, Exception("UNIQUE constraint failed"))


# ---------------------------------------------------------------------------------------------- attendance


@pytest.fixture
def event(engine: Engine) -> tuple[int, str]:
    """An event with nobody recorded yet, and the code of one actor."""
    with db.transaction(engine) as session:
        builder = PlanBuilder(session)
        builder.barrio("1201")
        builder.line(code="L1")
        actor = builder.actor().code
    with db.transaction(engine) as session:
        event_id = record_event(session=session, held_on=date(2026, 6, 10), kind="Mesa temática", title="Mesa",
                                barrio_code="1201", line_code="L1", convener_code=None, attendance=[],
                                user="coordinadora")  # fmt: skip
    return event_id, actor


def attended_sheet(engine: Engine, event_id: int, actor: str) -> bytes:
    with Session(engine) as session:
        workbook = load_workbook(io.BytesIO(attendance_template(session=session, event_id=event_id)))
    sheet = workbook.active
    assert sheet is not None
    for row in sheet.iter_rows():
        if row[0].value == actor:
            row[3].value, row[4].value, row[5].value = "Sí", "Sí", 2
    return save(workbook)


def test_an_attendance_preview_is_refused_once_the_plan_changed(engine: Engine, event: tuple[int, str]) -> None:
    event_id, actor = event
    data = attended_sheet(engine, event_id, actor)
    with Session(engine) as session:
        preview = validate_attendance(session=session, data=data, file_name="asistencia.xlsx", event_id=event_id)
    with db.transaction(engine) as session:
        record_rating(session=session, actor_code=actor, rated_on=date(2026, 6, 11), score=4, note="", user="jefa")
    with pytest.raises(StalePreview, match="cambió"), db.transaction(engine) as session:
        apply_attendance(session=session, preview=preview, user="coordinadora")
    with Session(engine) as session:
        assert (count(session, Attendance), count(session, ImportBatch)) == (0, 0)


def test_an_attendance_recorded_meanwhile_is_refused_in_spanish_and_nothing_is_written(
    engine: Engine, event: tuple[int, str]
) -> None:
    event_id, actor = event
    data = attended_sheet(engine, event_id, actor)
    with Session(engine) as session:
        preview = validate_attendance(session=session, data=data, file_name="asistencia.xlsx", event_id=event_id)
        entries = count(session, AuditEntry)
    assert preview.changes.kind.tolist() == ["nuevo"]
    with db.transaction(engine) as session:  # another writer, between the check of the version and the insert
        actor_id = int(preview.changes.actor_id.iloc[0])
        session.add(Attendance(event_id=event_id, actor_id=actor_id, invited=True, attended=False))
    with pytest.raises(Refused, match="Otra persona registró asistencia") as refused, db.transaction(engine) as session:
        apply_attendance(session=session, preview=preview, user="coordinadora")
    assert isinstance(refused.value, ParticipationRefused)
    with Session(engine) as session:
        assert (count(session, ImportBatch), count(session, AuditEntry)) == (0, entries)
        marks = session.exec(select(Attendance.actor_id, Attendance.attended, Attendance.delegates)).all()
        assert [tuple(mark) for mark in marks] == [(actor_id, False, None)]
