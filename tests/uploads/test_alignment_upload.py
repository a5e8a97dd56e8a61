"""The plantilla de articulación: template → filled → upload → undo, Spanish problems, stale previews refused."""

from io import BytesIO

import openpyxl
import pytest
from sqlalchemy import Engine, func
from sqlmodel import Session, select

from core import db
from core.models import Alignment, ImportBatch
from core.plan import edit
from core.uploads import alignment, history
from core.uploads.batches import StalePreview
from tests.plan_builder import PlanBuilder

USER = "coordinadora"
HEADER_ROW = 4


@pytest.fixture
def plan(engine: Engine) -> Engine:
    """Actor A3 with instrument IN-1 on L1 and L2; L1 already has row AR-001 (level 1, propuesto)."""
    with db.transaction(engine) as session:
        build = PlanBuilder(session)
        build.line(code="L1")
        build.line(code="L2")
        build.actor()
        values = {
            "code": "IN-1",
            "actor_id": "A3",
            "kind": "Plan de Acción",
            "name": "Plan 2026",
            "lines": ["L1", "L2"],
        }
        edit.save_record(session=session, user=USER, catalog=edit.INSTRUMENTS, values=values)
        edit.save_record(session=session, user=USER, catalog=edit.ALIGNMENTS,
                         values={"code": "AR-001", "instrument_id": "IN-1", "line_id": "L1", "level": 1})  # fmt: skip
    return engine


def template(engine: Engine) -> openpyxl.Workbook:
    with Session(engine) as session:
        return openpyxl.load_workbook(BytesIO(alignment.alignment_template(session=session, actor_code="A3")))


def filled(book: openpyxl.Workbook, cells: dict[tuple[int, str], object]) -> bytes:
    sheet = book["Articulación"]
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    for (row, header), value in cells.items():
        sheet.cell(row=row, column=headers.index(header) + 1, value=value)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def validate(engine: Engine, data: bytes) -> alignment.AlignmentPreview:
    with Session(engine) as session:
        return alignment.validate_alignment(session=session, data=data, file_name="articulacion.xlsx", actor_code="A3")


def rows(engine: Engine) -> list[tuple[str, str | None, int, float | None]]:
    with Session(engine) as session:
        found = session.exec(select(Alignment).order_by(Alignment.code)).all()
        return [(row.code, row.state, row.level, row.resources_cop) for row in found]


def test_the_template_lists_the_rows_and_a_blank_row_per_line_without_one(plan: Engine) -> None:
    sheet = template(plan)["Articulación"]
    listed = [tuple(cell.value for cell in row)[:5] for row in sheet.iter_rows(min_row=HEADER_ROW + 1)]
    assert listed == [("IN-1", "Plan 2026", "L1", "Línea 1", "AR-001"), ("IN-1", "Plan 2026", "L2", "Línea 2", None)]
    assert [cell.value for cell in sheet[HEADER_ROW]][5:8] == ["Su código", "Su texto", "Nivel (0 a 3)"]


def test_filled_template_applies_as_one_batch_and_undoes(plan: Engine) -> None:
    data = filled(template(plan), {
        (5, "Nivel (0 a 3)"): 2,
        (6, "Nivel (0 a 3)"): 3, (6, "Recursos (COP)"): "$ 150.000.000", (6, "Año"): 2026,
        (6, "Estado"): "verificado", (6, "Verificado por"): "Mesa del plan", (6, "Verificado el"): "04/05/2026",
    })  # fmt: skip
    preview = validate(plan, data)
    assert preview.problems == []
    assert (preview.count(alignment.NEW), preview.count(alignment.CHANGED)) == (1, 1)
    with db.transaction(plan) as session:
        result = alignment.apply_alignment(session=session, preview=preview, user=USER)
    assert (result.inserted, result.updated) == (1, 1)
    assert rows(plan) == [("AR-001", "propuesto", 2, None), ("AR-002", "verificado", 3, 150_000_000.0)]
    assert validate(plan, data).already_applied is not None
    with db.transaction(plan) as session:
        undone = history.undo_batch(session=session, batch_id=int(result.batch_id or 0), user=USER, role="admin")
    assert (undone.deleted, undone.restored) == (1, 1)
    assert rows(plan) == [("AR-001", "propuesto", 1, None)]


def test_bad_values_give_spanish_problems_by_row_and_column(plan: Engine) -> None:
    data = filled(template(plan), {
        (5, "Nivel (0 a 3)"): 7,
        (6, "Nivel (0 a 3)"): 2, (6, "Estado"): "verificado", (6, "Recursos (COP)"): -5,
    })  # fmt: skip
    found = [(p.row, p.header, p.message) for p in validate(plan, data).problems]
    assert found == [
        (5, "Nivel (0 a 3)", "debe estar entre 0 y 3"),
        (6, "Recursos (COP)", "el presupuesto no puede ser negativo"),  # the money reader's own words
        (6, "Verificado por", "una fila «verificado» necesita quién la verificó («Verificado por»)"),
        (6, "Verificado el", "una fila «verificado» necesita la fecha de verificación («Verificado el»)"),
    ]


def test_a_stale_preview_is_refused(plan: Engine) -> None:
    preview = validate(plan, filled(template(plan), {(6, "Nivel (0 a 3)"): 2}))
    with db.transaction(plan) as session:
        edit.save_record(session=session, user=USER, catalog=edit.ALIGNMENTS, code="AR-001", values={"level": 3})
    with pytest.raises(StalePreview), db.transaction(plan) as session:
        alignment.apply_alignment(session=session, preview=preview, user=USER)
    with Session(plan) as session:
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
