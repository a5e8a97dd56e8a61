from datetime import date
from io import BytesIO

import openpyxl
import pandas as pd
import pytest

from core.excel import spec
from core.excel.writing import Sheet, sheet_title, template_header, template_validations, xlsx_bytes
from core.tables import Column, Kind, for_display, formatted

COLUMNS = [
    Column("name", "Nombre"),
    Column("progress", "Avance", Kind.PERCENT),
    Column("budget", "Presupuesto", Kind.MONEY),
    Column("count", "Compromisos", Kind.INTEGER),
    Column("day", "Fecha", Kind.DATE),
]


def workbook(frame: pd.DataFrame, **kwargs: object) -> openpyxl.Workbook:
    return openpyxl.load_workbook(BytesIO(xlsx_bytes([Sheet("Tabla", frame, COLUMNS)], **kwargs)))  # type: ignore[arg-type]


def frame(*names: str) -> pd.DataFrame:
    n = len(names)
    return pd.DataFrame(
        {
            "name": list(names),
            "progress": [45.5] * n,
            "budget": [1_234_567.0] * n,
            "count": [3] * n,
            "day": [pd.Timestamp("2026-11-15")] * n,
        }
    )


def test_spanish_headers_and_real_numbers_with_formats() -> None:
    sheet = workbook(frame("Entorno"))["Tabla"]
    assert [cell.value for cell in sheet[1]] == ["Nombre", "Avance", "Presupuesto", "Compromisos", "Fecha"]
    _, progress, budget, count, day = sheet[2]
    assert (progress.value, progress.number_format) == (0.455, "0.0%")
    assert (budget.value, budget.number_format) == (1_234_567, '"$" #,##0')
    assert (count.value, count.number_format) == (3, "#,##0")
    assert day.value.date() == date(2026, 11, 15)
    assert day.number_format == "dd/mm/yyyy"
    assert sheet.freeze_panes == "A2"


def test_blank_stays_blank() -> None:
    blank = frame("x").assign(progress=[None], budget=[float("nan")], day=[pd.NaT])
    _, progress, budget, _, day = workbook(blank)["Tabla"][2]
    assert (progress.value, budget.value, day.value) == (None, None, None)


@pytest.mark.parametrize("hostile", ['=HYPERLINK("http://x","clic")', "+57 300", "-2+3", "@SUM(A1)", "\t=1", "=1+1"])
def test_formula_injection_is_written_as_text(hostile: str) -> None:
    cell = workbook(frame(hostile))["Tabla"]["A2"]
    assert cell.data_type == "s"
    assert cell.value == hostile
    assert cell.quotePrefix


def test_control_characters_and_huge_text_are_made_safe() -> None:
    cell = workbook(frame("Junta\x00\x07 de\x1b acción" + "x" * 40_000))["Tabla"]["A2"]
    assert cell.value.startswith("Junta de acción")
    assert len(cell.value) == 32_767


def test_about_sheet_and_safe_sheet_titles() -> None:
    book = workbook(frame("a"), about={"Fecha de corte": "15/11/2026", "Filtros": "=evil()"})
    assert book["Acerca de"]["B1"].value == "15/11/2026"
    assert book["Acerca de"]["B2"].data_type == "s"
    assert sheet_title("Barrio/línea: [detalle]*?" * 3) == "Barrio línea   detalle   Barrio"


def test_formatted_text_for_static_tables() -> None:
    shown = for_display(frame("Entorno").assign(progress=[None]), COLUMNS)
    assert shown.iloc[0].tolist() == ["Entorno", "—", "$ 1.234.567", "3", "15/11/2026"]
    assert formatted(None, Kind.TEXT) == "—"
    assert formatted(float("nan"), Kind.TEXT) == "—"
    assert formatted(12.25, Kind.DECIMAL) == "12,3"


def test_a_contracts_columns_give_the_template_its_fills_widths_and_checks() -> None:
    columns = (
        spec.Column("code", "Código", spec.CellKind.CODE, width=12, filled_in=False),
        spec.Column("day", "Fecha", spec.CellKind.DATE),
        spec.Column("done", "Hecho", spec.CellKind.BOOL),
        spec.Column("again", "Otra vez", spec.CellKind.BOOL),
        spec.Column("stage", "Etapa", spec.CellKind.CHOICE, choices=("perfil", "terminado")),
        spec.Column("people", "Personas", spec.CellKind.INTEGER, minimum=0, maximum=500),
        spec.Column("share", "Participación", spec.CellKind.SHARE),
        spec.Column("note", "Nota"),
    )
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    template_header(sheet, columns)
    template_validations(sheet, columns, first_row=2, last_row=9)
    assert [sheet.cell(row=1, column=i).fill.fgColor.rgb[-6:] for i in (1, 2)] == ["EEF1F5", "FFF8DC"]
    assert sheet.column_dimensions["A"].width == 12
    found = {(v.type, v.formula1, v.formula2, str(v.sqref)) for v in sheet.data_validations.dataValidation}
    assert found == {
        ("date", "36526", None, "B2:B9"),
        ("list", '"Sí,No"', None, "C2:C9 D2:D9"),
        ("list", '"perfil,terminado"', None, "E2:E9"),
        ("whole", "0", "500", "F2:F9"),
        ("decimal", "0", "1", "G2:G9"),
    }


def test_the_plan_workbook_export_keeps_excels_checks() -> None:
    from core.plan.sheets import SHEET_BY_NAME

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    columns = SHEET_BY_NAME["Proyectos"].columns
    template_validations(sheet, columns, first_row=2, last_row=3)
    stage = next(i for i, c in enumerate(columns, start=1) if c.field == "stage")
    letter = openpyxl.utils.get_column_letter(stage)
    lists = {str(v.sqref): v.formula1 for v in sheet.data_validations.dataValidation if v.type == "list"}
    assert lists[f"{letter}2:{letter}3"].startswith('"perfil,formulado,financiado')
