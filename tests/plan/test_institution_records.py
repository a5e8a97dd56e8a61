"""Milestones, their catalogue and Presupuesto Participativo as plan records: one set of rules for the form and the
plan workbook, and the catalogue a database starts with."""

from __future__ import annotations

from datetime import date
from io import BytesIO
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine, func
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, select

from core import db
from core.demo.plan import ensure_database
from core.models import AuditEntry, Milestone, MilestoneKind, PPCeiling, PPProject
from core.plan import edit, rules
from core.plan.edit import PlanEditRefused
from core.plan.milestones import MILESTONE_CATALOGUE
from core.uploads.plan_workbook import export_plan, validate_plan_workbook
from tests.plan_builder import PlanBuilder


@pytest.fixture
def plan(engine: Engine) -> Engine:
    """L1 > G2 > P3, L4 > G5, actor A6, and the kind K-1."""
    with db.transaction(engine) as session:
        build = PlanBuilder(session)
        build.project(build.program(build.line()))
        build.program(build.line())
        build.actor()
        session.add(MilestoneKind(code="K-1", name="Aval de la JAL", group_name="reconocimiento"))
    return engine


def save(engine: Engine, catalog: str, values: dict[str, Any], code: str | None = None) -> str:
    with db.transaction(engine) as session:
        return edit.save_record(session=session, user="coordinadora", catalog=catalog, values=values, code=code)


def refusal(engine: Engine, catalog: str, values: dict[str, Any], code: str | None = None) -> dict[str, str]:
    with pytest.raises(PlanEditRefused) as refused:
        save(engine, catalog, values, code)
    return refused.value.errors


MILESTONE = {"code": "H-1", "kind_id": "K-1", "title": "Aval de la JAL al plan", "status": "logrado"}
PP = {"code": "PP-1", "year": 2026, "name": "Andenes", "dependencia_id": "A6", "assigned_cop": 100.0}


def test_an_achieved_milestone_needs_its_act_number_or_evidence(plan: Engine) -> None:
    assert refusal(plan, edit.MILESTONES, MILESTONE) == {
        "status": "Un hito «logrado» necesita el número del acto o la evidencia (un enlace, un acta, un documento)."
    }
    assert save(plan, edit.MILESTONES, MILESTONE | {"evidence": "Acta 3"}) == "H-1"
    assert save(plan, edit.MILESTONES, MILESTONE | {"code": "H-2", "act_number": "Resolución 7"}) == "H-2"


def test_clearing_the_evidence_of_an_achieved_milestone_is_refused(plan: Engine) -> None:
    save(plan, edit.MILESTONES, MILESTONE | {"evidence": "Acta 3"})
    assert set(refusal(plan, edit.MILESTONES, {"evidence": ""}, code="H-1")) == {"status"}


def test_the_database_refuses_an_achieved_milestone_without_act_or_evidence(plan: Engine) -> None:
    with pytest.raises(IntegrityError), db.transaction(plan) as session:
        kind = session.scalars(select(MilestoneKind)).one()
        session.add(Milestone(code="H-9", kind_id=kind.id, title="Sin soporte", status="logrado"))


def test_a_milestone_keeps_its_lines(plan: Engine) -> None:
    save(plan, edit.MILESTONES, MILESTONE | {"status": "en trámite", "scope": "líneas", "lines": ["L1", "L4"]})
    with Session(plan) as session:
        assert edit.get_record(session=session, catalog=edit.MILESTONES, code="H-1")["lines"] == ["L1", "L4"]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"status": "aprobado"}, "status"),
        ({"scope": "barrios"}, "scope"),
    ],
)
def test_milestone_vocabularies_are_closed(plan: Engine, values: dict[str, Any], field: str) -> None:
    assert set(refusal(plan, edit.MILESTONES, MILESTONE | {"evidence": "x"} | values)) == {field}


def test_a_kind_belongs_to_one_of_the_groups(plan: Engine) -> None:
    errors = refusal(plan, edit.MILESTONE_KINDS, {"code": "K-2", "name": "Otro", "group_name": "varios"})
    assert list(errors) == ["group_name"]


def test_a_pp_project_must_follow_its_line(plan: Engine) -> None:
    assert refusal(plan, edit.PP_PROJECTS, PP | {"line_id": "L4", "program_id": "G2"}) == {
        "program_id": "El programa G2 es de la línea L1, no de la L4."
    }
    assert refusal(plan, edit.PP_PROJECTS, PP | {"project_id": "P3"}) == {
        "project_id": "Indique la línea: el programa G2 es de la línea L1."
    }
    assert refusal(plan, edit.PP_PROJECTS, PP | {"line_id": "L1", "program_id": "G5"}) == {
        "program_id": "El programa G5 es de la línea L4, no de la L1."
    }
    assert save(plan, edit.PP_PROJECTS, PP | {"line_id": "L1", "program_id": "G2", "project_id": "P3"}) == "PP-1"


def test_a_pp_project_off_the_plan_has_no_line(plan: Engine) -> None:
    assert save(plan, edit.PP_PROJECTS, PP | {"barrios": []}) == "PP-1"
    with Session(plan) as session:
        assert session.scalars(select(PPProject)).one().line_id is None


@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"year": 1989}, "year", "Debe ser 1990 o más."),
        ({"year": 2101}, "year", "Es demasiado grande: el máximo es 2100."),
        ({"assigned_cop": -1.0}, "assigned_cop", "No puede ser negativo."),
        ({"status": "aprobado"}, "status", None),
    ],
)
def test_pp_values_are_checked(plan: Engine, values: dict[str, Any], field: str, message: str | None) -> None:
    errors = refusal(plan, edit.PP_PROJECTS, PP | values)
    assert list(errors) == [field]
    assert message is None or errors[field] == message


def test_executing_more_than_assigned_is_a_warning_not_a_refusal(plan: Engine) -> None:
    values = PP | {"executed_cop": 120.0}
    assert save(plan, edit.PP_PROJECTS, values) == "PP-1"
    assert edit.record_warnings(edit.PP_PROJECTS, values) == [
        "Lo ejecutado es mayor que lo asignado; revise si hubo una adición."
    ]
    assert edit.record_warnings(edit.PP_PROJECTS, PP | {"executed_cop": 100.0}) == []


def test_a_ceiling_is_known_by_its_year(plan: Engine) -> None:
    assert save(plan, edit.PP_CEILINGS, {"year": 2026, "ceiling_cop": 9_000_000_000.0}) == "2026"
    assert refusal(plan, edit.PP_CEILINGS, {"year": 2026, "ceiling_cop": 1.0}) == {
        "year": "Ya existe un tope de Presupuesto Participativo con el año «2026»."
    }
    save(plan, edit.PP_CEILINGS, {"ceiling_cop": 9_500_000_000.0}, code="2026")
    with Session(plan) as session:
        assert session.scalars(select(PPCeiling.ceiling_cop)).all() == [9_500_000_000.0]
        entry = session.scalars(select(AuditEntry).where(AuditEntry.table_name == "pp_ceiling")).all()[-1]
        assert (entry.action, entry.row_id) == ("editar registro", "2026")
        assert edit.list_records(session=session, catalog=edit.PP_CEILINGS).to_dict("records") == [
            {"year": 2026, "ceiling_cop": 9_500_000_000.0}
        ]


def test_a_ceiling_is_deleted_not_archived(plan: Engine) -> None:
    save(plan, edit.PP_CEILINGS, {"year": 2026, "ceiling_cop": 1.0})
    with pytest.raises(PlanEditRefused, match="no se archiva: se edita o se borra"), db.transaction(plan) as session:
        edit.archive_record(session=session, user="c", catalog=edit.PP_CEILINGS, code="2026", on=date(2026, 11, 15))
    with db.transaction(plan) as session:
        edit.delete_record(session=session, user="c", catalog=edit.PP_CEILINGS, code="2026")
    with Session(plan) as session:
        assert session.scalar(select(func.count()).select_from(PPCeiling)) == 0


def test_a_kind_with_milestones_is_archived_not_deleted(plan: Engine) -> None:
    save(plan, edit.MILESTONES, MILESTONE | {"evidence": "Acta"})
    with Session(plan) as session:
        assert edit.history(session=session, catalog=edit.MILESTONE_KINDS, code="K-1") == {"hitos": 1}


# ---------------------------------------------------------------------------------------------- the plan workbook


def workbook_with(engine: Engine, sheet: str, row: dict[str, Any]) -> list[tuple[str, str, str]]:
    """The problems (severity, header, message) of the engine's own workbook with one row added to ``sheet``."""
    with Session(engine) as session:
        book = openpyxl.load_workbook(BytesIO(export_plan(session=session)))
    worksheet = book[sheet]
    headers = [cell.value for cell in worksheet[1]]
    worksheet.append([row.get(str(header)) for header in headers])
    buffer = BytesIO()
    book.save(buffer)
    with Session(engine) as session:
        preview = validate_plan_workbook(session=session, data=buffer.getvalue(), file_name="libro.xlsx")
    return [(p.severity.value, p.header, p.message) for p in preview.problems]


def test_the_workbook_applies_the_achieved_rule(plan: Engine) -> None:
    row = {"Código": "H-7", "Tipo de hito": "K-1", "Título": "Aval", "Estado": "logrado"}
    assert workbook_with(plan, "Hitos", row) == [
        ("error", "Estado", rules.achieved_without_act_problem("logrado", "", "") or "")
    ]
    assert workbook_with(plan, "Hitos", row | {"Evidencia": "Acta 3"}) == []


def test_the_workbook_applies_the_pp_path_rule_and_warns_on_overruns(plan: Engine) -> None:
    row = {"Código": "PP-7", "Año": 2026, "Nombre": "Andenes", "Dependencia": "A6", "Línea": "L4",
           "Programa": "G2", "Asignado (COP)": 100, "Ejecutado (COP)": 150}  # fmt: skip
    assert workbook_with(plan, "Proyectos de PP", row) == [
        ("error", "Programa", "el programa G2 es de la línea L1, no de la L4"),
        ("aviso", "Ejecutado (COP)", "lo ejecutado es mayor que lo asignado; revise si hubo una adición"),
    ]


def test_the_workbook_refuses_a_year_out_of_range(plan: Engine) -> None:
    problems = workbook_with(plan, "Topes de PP", {"Año": 3000, "Tope (COP)": 5})
    assert [(severity, header) for severity, header, _ in problems] == [("error", "Año")]


# ---------------------------------------------------------------------------------------------- the catalogue


def test_the_demo_brings_the_catalogue(demo_database_url: str) -> None:
    engine = db.make_engine(demo_database_url)
    with Session(engine) as session:
        codes = session.scalars(select(MilestoneKind.code).order_by(MilestoneKind.sort_order)).all()
    engine.dispose()
    assert codes == [code for code, *_ in MILESTONE_CATALOGUE]
    assert {"CE-2019", "TAA-215-2024", "JAL-AVAL", "PDL-COMP", "PDL-PROG", "PDD", "PP-ASIGNA"} <= set(codes)


def test_a_real_plan_without_a_catalogue_gets_it_once(plan: Engine) -> None:
    with db.transaction(plan) as session:
        session.execute(MilestoneKind.__table__.delete())  # type: ignore[attr-defined]
        PlanBuilder(session).line(code="LX")  # a real plan: the demo is not loaded into it
    assert ensure_database(plan) is False
    with Session(plan) as session:
        assert session.scalar(select(func.count()).select_from(MilestoneKind)) == len(MILESTONE_CATALOGUE)
    with db.transaction(plan) as session:
        kind = session.scalars(select(MilestoneKind).where(MilestoneKind.code == "NORMA")).one()
        kind.name = "Cambio de reglas"
    ensure_database(plan)
    with Session(plan) as session:
        assert session.scalar(select(func.count()).select_from(MilestoneKind)) == len(MILESTONE_CATALOGUE)
