"""Recording events, attendance and ratings: the writes, what they refuse, and the attendance sheet round trip."""

import io
from collections.abc import Sequence
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, func
from sqlmodel import Session, SQLModel, select

from core import db
from core.excel.headers import ColumnsUnmatched
from core.excel.reading import FileRejected
from core.models import Actor, Attendance, AuditEntry, Event, ImportBatch, MotivationRating
from core.participation import motivation
from core.participation.records import AttendanceMark, ParticipationRefused, record_event, record_rating
from core.uploads.attendance import (
    NEW,
    UNCHANGED,
    apply_attendance,
    attendance_template,
    undo_attendance_batch,
    validate_attendance,
)
from core.uploads.progress import ERROR, WARNING
from tests.plan_builder import PlanBuilder
from tests.sheets import save, xlsx

HELD_ON = date(2026, 6, 10)


def count(session: Session, model: type[SQLModel]) -> int:
    return int(session.scalar(select(func.count()).select_from(model)) or 0)


@pytest.fixture
def actors(engine: Engine) -> list[str]:
    with db.transaction(engine) as session:
        builder = PlanBuilder(session)
        builder.barrio("1201")
        builder.line(code="L1")
        return [builder.actor().code for _ in range(4)]


def new_event(engine: Engine, actors: list[str], marks: list[AttendanceMark] | None = None) -> int:
    with db.transaction(engine) as session:
        return record_event(
            session=session,
            held_on=HELD_ON,
            kind="Mesa temática",
            title="Mesa de la línea 1",
            barrio_code="1201",
            line_code="L1",
            convener_code=actors[0],
            attendance=marks or [],
            user="coordinadora",
        )


def test_record_event_with_attendance(engine: Engine, actors: list[str]) -> None:
    marks = [AttendanceMark(actors[0], True, True, 2), AttendanceMark(actors[1], True, False, None)]
    event_id = new_event(engine, actors, marks)
    with Session(engine) as session:
        event = session.get(Event, event_id)
        assert event is not None and (event.kind, event.held_on) == ("mesa temática", HELD_ON)
        rows = session.exec(select(Attendance.attended, Attendance.delegates).order_by(Attendance.actor_id)).all()
        assert [tuple(row) for row in rows] == [(True, 2), (False, None)]
        assert session.exec(select(AuditEntry.action, AuditEntry.user_name)).all() == [
            ("registrar evento", "coordinadora")
        ]
        assert db.data_version(session=session) == 1


def test_bad_event_is_refused_whole_and_writes_nothing(engine: Engine, actors: list[str]) -> None:
    with pytest.raises(ParticipationRefused) as refused, db.transaction(engine) as session:
        record_event(
            session=session,
            held_on=HELD_ON,
            kind="fiesta",
            title="  ",
            barrio_code="9999",
            line_code=None,
            convener_code=None,
            attendance=[(actors[0], True, True, -1), ("NADIE", True, False, None), (actors[0], True, False, None)],
            user="coordinadora",
        )
    assert refused.value.problems == [
        "«fiesta» no es un tipo de evento; use uno de: asamblea, mesa temática, comité de gestión, jornada barrial, "
        "reunión de pacto.",
        "Escriba el título del evento.",
        "No existe un barrio con el código «9999».",
        f"Los delegados de «{actors[0]}» no pueden ser negativos.",
        "No existe un actor con el código «NADIE».",
        f"El actor «{actors[0]}» aparece más de una vez en la asistencia.",
    ]
    with Session(engine) as session:
        assert (count(session, Event), count(session, Attendance), count(session, AuditEntry)) == (0, 0, 0)


def test_rating_once_per_actor_and_day(engine: Engine, actors: list[str]) -> None:
    with db.transaction(engine) as session:
        first = record_rating(session=session, actor_code=actors[1], rated_on=HELD_ON, score=4, note="", user="c")
    with db.transaction(engine) as session:
        again = record_rating(session=session, actor_code=actors[1], rated_on=HELD_ON, score=2, note="bajó", user="c")
    assert (first.updated, again.updated, again.rating_id) == (False, True, first.rating_id)
    with Session(engine) as session:
        assert session.exec(select(MotivationRating.score, MotivationRating.note)).all() == [(2, "bajó")]
        assert count(session, AuditEntry) == 2


@pytest.mark.parametrize("score", [0, 6, 3.5, True])
def test_a_rating_outside_1_to_5_is_refused(engine: Engine, actors: list[str], score: object) -> None:
    with pytest.raises(ParticipationRefused, match="de 1 a 5"), db.transaction(engine) as session:
        record_rating(session=session, actor_code=actors[0], rated_on=HELD_ON, score=score, note="", user="c")  # type: ignore[arg-type]
    with Session(engine) as session:
        assert count(session, MotivationRating) == 0


def test_recording_an_event_moves_the_index_at_once(engine: Engine, actors: list[str]) -> None:
    def participation() -> float:
        with Session(engine) as session:
            index = motivation.motivation_index(session=session, months=[date(2026, 6, 30)])
        return float(index.set_index("actor_code").loc[actors[2], "participation"])

    assert participation() != participation()  # blank: never invited
    new_event(engine, actors, [AttendanceMark(actors[2], True, True)])
    assert participation() == 100.0


# ---------------------------------------------------------------------------------------------- the Excel sheet


def filled(template: bytes, values: dict[str, tuple[object, ...]], extra: Sequence[Sequence[object]] = ()) -> bytes:
    """The template with (Invitado, Asistió, Delegados) written on the rows of the given actor codes, plus rows."""
    workbook = load_workbook(io.BytesIO(template))
    sheet = workbook.active
    assert sheet is not None
    for row in sheet.iter_rows(min_row=1):
        if row[0].value in values:
            for cell, value in zip(row[3:6], values[str(row[0].value)], strict=True):
                cell.value = value
    for row_values in extra:
        sheet.append(list(row_values))
    return save(workbook)


def test_template_describes_the_event_and_lists_every_actor(engine: Engine, actors: list[str]) -> None:
    event_id = new_event(engine, actors, [AttendanceMark(actors[0], True, True, 3)])
    with Session(engine) as session:
        sheet = load_workbook(io.BytesIO(attendance_template(session=session, event_id=event_id))).active
    assert sheet is not None
    assert [sheet["A2"].value, sheet["B2"].value] == ["Número del evento", event_id]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=11, max_col=6)]
    assert rows[0] == [actors[0], "Actor 2", "público", "Sí", "Sí", 3]
    assert [row[0] for row in rows] == actors
    assert {str(v.sqref) for v in sheet.data_validations.dataValidation} == {"D11:D64 E11:E64", "F11:F64"}


def test_bad_rows_are_each_reported_and_nothing_is_written(engine: Engine, actors: list[str]) -> None:
    event_id = new_event(engine, actors)
    with Session(engine) as session:
        template = attendance_template(session=session, event_id=event_id)
        data = filled(
            template,
            {actors[0]: ("Sí", "quizás", None), actors[1]: ("No", "Sí", None), actors[2]: ("Sí", "Sí", -2)},
            extra=[
                ("ZZ-9", "Nadie", "", "Sí", "No", None),
                (actors[3], "", "", "Sí", "Sí", 1),
                (actors[3], "", "", "Sí", "No", None),
            ],
        )
        preview = validate_attendance(session=session, data=data, file_name="asistencia.xlsx", event_id=event_id)
    problems = [(p.row, p.where, p.value, p.message, p.severity) for p in preview.problems]
    assert problems == [
        (11, "Asistió (E)", "quizás", "escriba Sí o No", ERROR),
        (12, "Asistió (E)", "Sí", problems[1][3], WARNING),
        (13, "Delegados (F)", "-2", "los delegados no pueden ser negativos", ERROR),
        (15, "Código actor (A)", "ZZ-9", "no existe un actor con el código «ZZ-9»", ERROR),
        (
            16,
            "Código actor (A)",
            actors[3],
            "el actor aparece también en la fila 17: deje una sola fila por actor",
            ERROR,
        ),
        (
            17,
            "Código actor (A)",
            actors[3],
            "el actor aparece también en la fila 16: deje una sola fila por actor",
            ERROR,
        ),
    ]
    assert problems[1][3].startswith("asistió sin invitación")
    assert preview.held_rows == {11, 13, 15, 16, 17}
    assert preview.changes.actor_code.tolist() == [actors[1]]
    with Session(engine) as session:
        assert (count(session, Attendance), count(session, ImportBatch)) == (0, 0)


def test_a_sheet_of_another_event_is_refused(engine: Engine, actors: list[str]) -> None:
    first, second = new_event(engine, actors), new_event(engine, actors)
    with Session(engine) as session:
        data = filled(attendance_template(session=session, event_id=first), {actors[0]: ("Sí", "Sí", 1)})
        with pytest.raises(FileRejected, match=f"evento número {first}, no del evento número {second}"):
            validate_attendance(session=session, data=data, file_name="asistencia.xlsx", event_id=second)


def test_apply_a_valid_sheet_then_undo(engine: Engine, actors: list[str]) -> None:
    event_id = new_event(engine, actors, [AttendanceMark(actors[0], True, False, None)])
    with Session(engine) as session:
        template = attendance_template(session=session, event_id=event_id)
    data = filled(template, {actors[0]: ("Sí", "Sí", 2), actors[1]: ("Sí", "No", None)})
    with db.transaction(engine) as session:
        preview = validate_attendance(session=session, data=data, file_name="asistencia.xlsx", event_id=event_id)
        assert preview.problems == [] and preview.changes.kind.tolist() == ["actualiza", NEW]
        result = apply_attendance(session=session, preview=preview, user="coordinadora")
    assert (result.inserted, result.updated, result.unchanged, result.held) == (1, 1, 0, 0)
    with Session(engine) as session:
        rows = session.exec(select(Attendance.actor_id, Attendance.attended, Attendance.delegates)).all()
        assert sorted(tuple(row) for row in rows) == [(1, True, 2), (2, False, None)]
        again = validate_attendance(session=session, data=data, file_name="asistencia.xlsx", event_id=event_id)
        assert again.changes.kind.tolist() == [UNCHANGED, UNCHANGED]
        assert again.already_applied is not None and again.already_applied[0] == result.batch_id
    assert result.batch_id is not None
    with db.transaction(engine) as session:
        undone = undo_attendance_batch(session=session, batch_id=result.batch_id, user="coordinadora")
    assert (undone.deleted, undone.restored) == (1, 1)
    with Session(engine) as session:
        rows = session.exec(select(Attendance.actor_id, Attendance.attended, Attendance.delegates)).all()
        assert [tuple(row) for row in rows] == [(1, False, None)]
        batch = session.get(ImportBatch, result.batch_id)
        assert batch is not None and (batch.kind, batch.status) == ("asistencia", "undone")


def test_blank_cells_keep_what_is_recorded(engine: Engine, actors: list[str]) -> None:
    event_id = new_event(engine, actors, [AttendanceMark(actors[0], True, True, 4)])
    with Session(engine) as session:
        template = attendance_template(session=session, event_id=event_id)
        data = filled(template, {actors[0]: (None, "No", None)})
        preview = validate_attendance(session=session, data=data, file_name="asistencia.xlsx", event_id=event_id)
    row = preview.changes.iloc[0]
    assert (row.invited, row.attended, row.delegates, row.previous) == (True, False, 4, "Sí/Sí/4")
    assert [p.message for p in preview.problems] == ["hay delegados pero dice que no asistió; se guarda así"]


def test_actor_found_by_name_when_the_code_is_missing(engine: Engine, actors: list[str]) -> None:
    event_id = new_event(engine, actors)
    with Session(engine) as session:
        actor = session.exec(select(Actor).where(Actor.code == actors[2])).one()
        data = xlsx([["Actor", "Invitado", "Asistió"], [actor.name.upper(), "si", "x"]], sheet="Asistencia")
        preview = validate_attendance(session=session, data=data, file_name="a.xlsx", event_id=event_id)
    assert preview.changes[["actor_code", "invited", "attended"]].values.tolist() == [[actors[2], True, True]]


def test_the_plan_workbook_attendance_sheet_is_sent_to_its_own_page(engine: Engine, actors: list[str]) -> None:
    event_id = new_event(engine, actors)
    data = xlsx([["Número del evento", "Actor", "Invitado", "Asistió"], [event_id, actors[0], "Sí", "Sí"]])
    with Session(engine) as session, pytest.raises(FileRejected, match="varios eventos"):
        validate_attendance(session=session, data=data, file_name="libro.xlsx", event_id=event_id)


def test_attendance_without_its_columns_is_unmatched_until_mapped(engine: Engine, actors: list[str]) -> None:
    event_id = new_event(engine, actors)
    data = xlsx([["Código actor", "Vino"], [actors[1], "Sí"]])
    with Session(engine) as session, pytest.raises(ColumnsUnmatched) as caught:
        validate_attendance(session=session, data=data, file_name="a.xlsx", event_id=event_id)
    assert caught.value.tables[0].missing == ("Invitado", "Asistió")
    with Session(engine) as session:
        checked = validate_attendance(
            session=session, data=data, file_name="a.xlsx", event_id=event_id, columns={"Asistió": "vino"}
        )
    assert checked.changes[["actor_code", "attended"]].values.tolist() == [[actors[1], True]]


def test_an_excel_97_attendance_sheet_with_headers_as_people_write_them(engine: Engine, actors: list[str]) -> None:
    event_id = new_event(engine, actors)
    data = (Path(__file__).parent.parent / "fixtures" / "asistencia.xls").read_bytes()
    assert actors[:2] == ["A2", "A3"]  # the codes tests/fixtures/make_xls.py wrote
    with Session(engine) as session:
        checked = validate_attendance(session=session, data=data, file_name="asistencia.xls", event_id=event_id)
    assert checked.problems == []
    assert checked.changes[["actor_code", "invited", "attended", "delegates"]].values.tolist() == [
        ["A2", True, True, 2],
        ["A3", True, False, 0],
    ]
