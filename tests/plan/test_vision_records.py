"""The vision records (DESIGN.md §8) through the editor and the plan workbook: one set of rules, codes as keys,
audited, archivable, and in the workbook's round trip."""

from datetime import date
from io import BytesIO
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from core import db
from core.models import Alignment, AuditEntry, Instrument
from core.plan import edit, rules
from core.plan.edit import PlanEditRefused
from core.uploads.plan_workbook import apply_plan_workbook, export_plan, validate_plan_workbook
from tests.plan_builder import PlanBuilder

USER = "coordinadora"


@pytest.fixture
def plan(engine: Engine) -> Engine:
    """Line L1 with program G2 and project P3; actor A4 (público) with instrument IN-1 on L1."""
    with db.transaction(engine) as session:
        build = PlanBuilder(session)
        line = build.line(code="L1")
        build.project(build.program(line))
        build.actor()
    with db.transaction(engine) as session:
        values = {"code": "IN-1", "actor_id": "A4", "kind": "Plan de Acción", "name": "Plan de Acción 2026",
                  "period_start": 2026, "period_end": 2026, "lines": ["L1"]}  # fmt: skip
        edit.save_record(session=session, user=USER, catalog=edit.INSTRUMENTS, values=values)
    return engine


def save(engine: Engine, catalog: str, values: dict[str, Any], code: str | None = None) -> str:
    with db.transaction(engine) as session:
        return edit.save_record(session=session, user=USER, catalog=catalog, values=values, code=code)


def refusal(engine: Engine, catalog: str, values: dict[str, Any]) -> dict[str, str]:
    with pytest.raises(PlanEditRefused) as refused, db.transaction(engine) as session:
        edit.save_record(session=session, user=USER, catalog=catalog, values=values)
    return refused.value.errors


ROW = {"code": "AR-1", "instrument_id": "IN-1", "line_id": "L1", "level": 2, "state": "propuesto"}


def test_a_verified_row_needs_who_and_when(plan: Engine) -> None:
    errors = refusal(plan, edit.ALIGNMENTS, ROW | {"state": "verificado"})
    assert set(errors) == {"verified_by", "verified_on"}
    assert "quién la verificó" in errors["verified_by"]
    verified = ROW | {"state": "verificado", "verified_by": "Mesa del plan", "verified_on": date(2026, 5, 2)}
    assert save(plan, edit.ALIGNMENTS, verified) == "AR-1"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("level", 4, "Debe estar entre 0 y 3."),
        ("state", "aprobado", "«aprobado» no es una opción de «Estado»"),
        ("resources_cop", -5.0, "No puede ser negativo."),
        ("year", 1850, "Debe ser 1990 o más."),
    ],
)
def test_the_shared_ranges_and_vocabularies(plan: Engine, field: str, value: object, message: str) -> None:
    assert message in refusal(plan, edit.ALIGNMENTS, ROW | {field: value})[field]


def test_an_instrument_kind_and_period(plan: Engine) -> None:
    errors = refusal(
        plan,
        edit.INSTRUMENTS,
        {"code": "IN-2", "actor_id": "A4", "kind": "Plan secreto", "name": "X", "period_start": 2027,
         "period_end": 2024},
    )  # fmt: skip
    assert set(errors) == {"kind", "period_end"}
    assert errors["period_end"] == "El año final (2024) es anterior al año inicial (2027)."


def test_the_records_are_audited_archivable_and_keep_their_lines(plan: Engine) -> None:
    save(plan, edit.ALIGNMENTS, ROW)
    with db.transaction(plan) as session:
        edit.archive_record(session=session, user=USER, catalog=edit.ALIGNMENTS, code="AR-1", on=date(2026, 6, 1))
    with Session(plan) as session:
        actions = [
            (e.action, e.table_name, e.row_id) for e in session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        ]
        assert actions[-3:] == [
            ("crear registro", "instrument", "IN-1"),
            ("crear registro", "alignment", "AR-1"),
            ("archivar", "alignment", "AR-1"),
        ]
        assert edit.get_record(session=session, catalog=edit.INSTRUMENTS, code="IN-1")["lines"] == ["L1"]
        assert edit.history(session=session, catalog=edit.INSTRUMENTS, code="IN-1") == {"filas de articulación": 1}
    assert not edit.archivable(edit.PLAN_PROFILE) and edit.archivable(edit.IDEAS)


def test_the_rule_is_stated_once() -> None:
    assert rules.record_problems("alignment", {"state": "propuesto"}) == {}
    assert set(rules.record_problems("alignment", {"state": "verificado", "verified_by": " "})) == {
        "verified_by",
        "verified_on",
    }
    assert rules.record_problems("instrument", {"period_start": 2020, "period_end": 2030}) == {}


def test_the_workbook_applies_the_same_rule(plan: Engine) -> None:
    save(plan, edit.ALIGNMENTS, ROW)
    with Session(plan) as session:
        book = openpyxl.load_workbook(BytesIO(export_plan(session=session)))
    sheet = book["Articulación"]
    headers = [cell.value for cell in sheet[1]]
    sheet.cell(row=2, column=headers.index("Estado") + 1, value="verificado")
    buffer = BytesIO()
    book.save(buffer)
    with db.transaction(plan) as session:
        preview = validate_plan_workbook(session=session, data=buffer.getvalue(), file_name="libro.xlsx")
    found = [(p.sheet, p.row, p.header, p.message) for p in preview.problems]
    assert found == [
        ("Articulación", 2, "Verificado por", "una fila «verificado» necesita quién la verificó («Verificado por»)"),
        ("Articulación", 2, "Verificado el", "una fila «verificado» necesita la fecha de verificación («Verificado "
         "el»)"),
    ]  # fmt: skip


def test_the_vision_sheets_round_trip(plan: Engine, tmp_path: Any) -> None:
    save(plan, edit.PLAN_PROFILE, {"code": "PE", "name": "Plan", "start_year": 2024, "horizon_years": 12,
                                    "vision": "Una comuna en paz."})  # fmt: skip
    save(plan, edit.IDEAS, {"code": "IF-1", "text": "Paz", "lines": ["L1"]})
    save(plan, edit.ALIGNMENTS, ROW | {"resources_cop": 5e7, "year": 2026, "program_id": "G2", "project_id": "P3"})
    with Session(plan) as session:
        data = export_plan(session=session)
    empty = db.make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    db.upgrade(empty)
    with db.transaction(empty) as session:
        preview = validate_plan_workbook(session=session, data=data, file_name="libro.xlsx")
        assert not preview.has_errors
        apply_plan_workbook(session=session, preview=preview, user=USER)
    with Session(empty) as session:
        assert export_plan(session=session) != b""
        row = session.exec(select(Alignment)).one()
        assert (row.code, row.level, row.resources_cop, row.year, row.state) == ("AR-1", 2, 5e7, 2026, "propuesto")
        assert session.exec(select(Instrument)).one().kind == "Plan de Acción"
        assert edit.get_record(session=session, catalog=edit.IDEAS, code="IF-1")["lines"] == ["L1"]
    empty.dispose()
