"""The plantilla de PP: template round trip, Spanish problems, the batch life cycle (stale preview, undo)."""

from __future__ import annotations

from io import BytesIO
from typing import Any

import openpyxl
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from core import db
from core.excel.reading import FileRejected
from core.models import ImportBatch, PPProject
from core.uploads import history, pp
from core.uploads.batches import StalePreview
from tests.plan_builder import PlanBuilder

HEADER_ROW = 5


@pytest.fixture
def plan(engine: Engine) -> Engine:
    """L1 > G2 > P3, L4 > G5, actor A6, and PP-1 (2026, 100 assigned on L1)."""
    with db.transaction(engine) as session:
        build = PlanBuilder(session)
        build.project(build.program(build.line()))
        build.program(build.line())
        actor = build.actor()
        line = session.scalars(select(PPProject)).first()
        assert line is None
        session.add(PPProject(code="PP-1", year=2026, name="Andenes", dependencia_id=actor.id, assigned_cop=100.0,
                              line_id=1, status="votado"))  # fmt: skip
    return engine


def template(engine: Engine, year: int = 2026) -> openpyxl.Workbook:
    with Session(engine) as session:
        return openpyxl.load_workbook(BytesIO(pp.pp_template(session=session, year=year)))


def saved(book: openpyxl.Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def add_row(book: openpyxl.Workbook, values: dict[str, Any]) -> bytes:
    sheet = book.worksheets[0]
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    sheet.append([values.get(str(header)) for header in headers])
    return saved(book)


def validate(engine: Engine, data: bytes, year: int = 2026) -> pp.PPPreview:
    with Session(engine) as session:
        return pp.validate_pp(session=session, data=data, file_name="pp.xlsx", year=year)


def apply(engine: Engine, preview: pp.PPPreview) -> pp.PPApplyResult:
    with db.transaction(engine) as session:
        return pp.apply_pp(session=session, preview=preview, user="coordinadora")


def projects(engine: Engine) -> dict[str, tuple[Any, ...]]:
    with Session(engine) as session:
        return {p.code: (p.year, p.assigned_cop, p.executed_cop, p.status) for p in session.scalars(select(PPProject))}


def problems(preview: pp.PPPreview) -> list[tuple[int | None, str, str, str]]:
    return [(p.row, p.header, p.message, p.severity.value) for p in preview.problems]


def test_the_template_comes_back_unchanged(plan: Engine) -> None:
    book = template(plan)
    sheet = book.worksheets[0]
    assert (sheet["A2"].value, sheet["B2"].value) == ("Año", 2026)
    assert [c.value for c in sheet[HEADER_ROW + 1]][:6] == ["PP-1", "Andenes", "A6", "Actor 6", "L1", None]
    preview = validate(plan, saved(book))
    assert (preview.problems, preview.has_changes, list(preview.changes.kind)) == ([], False, ["sin cambio"])


def test_a_new_row_and_an_edited_amount_are_applied_as_one_batch(plan: Engine) -> None:
    book = template(plan)
    book.worksheets[0].cell(row=HEADER_ROW + 1, column=8, value="$ 150.000")
    data = add_row(book, {"Código": "PP-2", "Proyecto de PP": "Huertas", "Dependencia": "a6", "Línea": "L4",
                          "Programa": "G5", "Asignado (COP)": "2.000.000", "Estado": "priorizado"})  # fmt: skip
    preview = validate(plan, data)
    assert problems(preview) == []
    result = apply(plan, preview)
    assert (result.inserted, result.updated, result.unchanged) == (1, 1, 0)
    assert projects(plan) == {
        "PP-1": (2026, 150_000.0, None, "votado"),
        "PP-2": (2026, 2_000_000.0, None, "priorizado"),
    }


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"Dependencia": "A99"}, ("Dependencia", "no existe (o está archivado) el código «A99»", "error")),
        ({"Línea": "L4", "Programa": "G2"}, ("Programa", "el programa G2 es de la línea L1, no de la L4", "error")),
        ({"Asignado (COP)": -5}, ("Asignado (COP)", "el presupuesto no puede ser negativo", "error")),
        ({"Estado": "aprobado"}, ("Estado", None, "error")),
        ({"Asignado (COP)": 10, "Ejecutado (COP)": 12},
         ("Ejecutado (COP)", "lo ejecutado es mayor que lo asignado; revise si hubo una adición", "aviso")),
    ],
)  # fmt: skip
def test_bad_values_are_told_in_spanish_by_row_and_column(
    plan: Engine, values: dict[str, Any], expected: tuple[str, str | None, str]
) -> None:
    row = {"Código": "PP-9", "Proyecto de PP": "Nuevo", "Dependencia": "A6"} | values
    found = problems(validate(plan, add_row(template(plan), row)))
    header, message, severity = expected
    assert [(r, h, s) for r, h, _, s in found] == [(HEADER_ROW + 2, header, severity)]
    assert message is None or found[0][2] == message


def test_a_new_project_needs_its_name_and_dependencia(plan: Engine) -> None:
    found = problems(validate(plan, add_row(template(plan), {"Código": "PP-9"})))
    assert [(h, m) for _, h, m, _ in found] == [
        ("Proyecto de PP", "un proyecto de PP nuevo necesita su nombre"),
        ("Dependencia", "un proyecto de PP nuevo necesita su dependencia (código del actor)"),
    ]


def test_a_code_of_another_year_is_refused(plan: Engine) -> None:
    data = add_row(template(plan, 2027), {"Código": "PP-1", "Proyecto de PP": "Andenes", "Dependencia": "A6"})
    assert [m for _, _, m, _ in problems(validate(plan, data, 2027))] == ["el proyecto PP-1 es de 2026, no de 2027"]


def test_another_years_plantilla_is_rejected(plan: Engine) -> None:
    with pytest.raises(FileRejected, match="plantilla de PP del año 2026, no de 2025"):
        validate(plan, saved(template(plan)), 2025)


def test_a_stale_preview_is_refused(plan: Engine) -> None:
    book = template(plan)
    book.worksheets[0].cell(row=HEADER_ROW + 1, column=8, value=300)
    preview = validate(plan, saved(book))
    with db.transaction(plan) as session:
        db.bump_data_version(session=session)  # someone wrote meanwhile
    with pytest.raises(StalePreview):
        apply(plan, preview)
    assert projects(plan)["PP-1"][1] == 100.0


def test_undo_restores_the_amount_and_removes_the_new_project(plan: Engine) -> None:
    book = template(plan)
    book.worksheets[0].cell(row=HEADER_ROW + 1, column=8, value=300)
    data = add_row(book, {"Código": "PP-2", "Proyecto de PP": "Huertas", "Dependencia": "A6"})
    result = apply(plan, validate(plan, data))
    assert result.batch_id is not None
    with db.transaction(plan) as session:
        undone = history.undo_batch(session=session, batch_id=result.batch_id, user="coordinadora", role="coordinador")
    assert (undone.deleted, undone.restored) == (1, 1)
    assert projects(plan) == {"PP-1": (2026, 100.0, None, "votado")}
    with Session(plan) as session:
        batch = session.get(ImportBatch, result.batch_id)
        assert batch is not None
        assert (batch.kind, batch.status) == ("presupuesto participativo", "undone")
