"""Workbooks written with openpyxl: exports of tables, contract templates and error workbooks.

Exports: Spanish headers, real numbers with es-CO-friendly formats, safe text. Templates: a contract's columns
(``core.excel.spec.Column``) give each header its fill (yellow to fill in, grey to orient), width and data
validation. Error workbooks: the uploaded rows with each problem cell highlighted by its column number.

Text that a spreadsheet would run as a formula (starting with = + - @, or a tab/carriage return) is written as a
literal string marked with Excel's quote prefix, so an actor's name such as ``=HYPERLINK(...)`` stays text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from core import formatting
from core.excel import cells, spec
from core.excel.cells import MAX_TEXT, column_letter, plain_number
from core.excel.problems import ERROR, Problem
from core.excel.spec import CellKind
from core.tables import Column, Kind

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
EXCEL_MAX_TEXT = MAX_TEXT  # what every text entry point is held to, so an export never cuts one
# Format codes are locale-neutral: Excel shows them with the reader's separators (1.234,5 in Spanish Excel).
NUMBER_FORMATS: dict[Kind, str] = {
    Kind.INTEGER: "#,##0",
    Kind.DECIMAL: "#,##0.0",
    Kind.PERCENT: "0.0%",
    Kind.PROGRESS: "0.0%",
    Kind.MONEY: '"$" #,##0',
    Kind.PESOS: '"$" #,##0',
    Kind.DATE: "dd/mm/yyyy",
}
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
INFO_FILL = PatternFill("solid", fgColor="EEF1F5")  # template columns that orient the person
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")  # template columns the person fills in
ERROR_FILL = PatternFill("solid", fgColor="F8C9C4")
WARNING_FILL = PatternFill("solid", fgColor="FBE7B5")
HEADER_FONT = Font(bold=True)
MAX_SHEET_TITLE = 31  # Excel's limit
FORBIDDEN_IN_TITLE = str.maketrans({character: " " for character in "[]:*?/\\"})


@dataclass(frozen=True)
class Sheet:
    title: str
    frame: pd.DataFrame
    columns: Sequence[Column]


def safe_text(value: str) -> str:
    """Without control characters Excel refuses, and no longer than a cell can hold."""
    cleaned: str = ILLEGAL_CHARACTERS_RE.sub("", value)
    return cleaned[:EXCEL_MAX_TEXT]


def _is_blank(value: Any) -> bool:
    return value is None or value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value))


def _write(cell: Cell, value: Any, kind: Kind) -> None:
    if _is_blank(value):
        return  # blank stays blank, never 0
    if kind in NUMBER_FORMATS and kind is not Kind.DATE:
        number = float(value)
        cell.value = number / 100 if kind in (Kind.PERCENT, Kind.PROGRESS) else number
        cell.number_format = NUMBER_FORMATS[kind]
    elif kind is Kind.DATE:
        day = formatting.local_date(value) if isinstance(value, date) else value
        cell.value = day if isinstance(day, date) else safe_text(str(day))
        cell.number_format = NUMBER_FORMATS[kind]
    else:
        write_text(cell, value)


def write_text(cell: Cell, value: object) -> None:
    """A text cell that stays text: never a formula, whatever its first character."""
    text = safe_text(str(value))
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def _fill(sheet: Worksheet, frame: pd.DataFrame, columns: Sequence[Column]) -> None:
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=safe_text(column.header))
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(frame[[c.source for c in columns]].itertuples(index=False), start=2):
        for index, (column, value) in enumerate(zip(columns, row, strict=True), start=1):
            _write(sheet.cell(row=row_number, column=index), value, column.kind)
    for index, column in enumerate(columns, start=1):
        longest = max([len(column.header), *(len(str(v)) for v in frame[column.source].head(200))], default=10)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(10, longest + 2), 60)
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, len(frame) + 1)}"


def sheet_title(title: str) -> str:
    return safe_text(title).translate(FORBIDDEN_IN_TITLE).strip()[:MAX_SHEET_TITLE] or "Hoja"


def xlsx_bytes(sheets: Sequence[Sheet], *, about: Mapping[str, str] | None = None) -> bytes:
    """A workbook with one sheet per table and, when given, an "Acerca de" sheet (cut-off date, filters, source)."""
    workbook = Workbook()
    workbook.remove(workbook.worksheets[0])  # start without the default empty sheet
    for sheet in sheets:
        _fill(workbook.create_sheet(sheet_title(sheet.title)), sheet.frame, sheet.columns)
    if about:
        info = workbook.create_sheet("Acerca de")
        for row_number, (label, text) in enumerate(about.items(), start=1):
            info.cell(row=row_number, column=1, value=safe_text(label)).font = Font(bold=True)
            _write(info.cell(row=row_number, column=2), text, Kind.TEXT)
        info.column_dimensions["A"].width = 24
        info.column_dimensions["B"].width = 90
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------------- templates


def template_header(sheet: Worksheet, columns: Sequence[spec.Column], *, row: int = 1) -> None:
    """The header row of a contract's template: bold, yellow where the person fills in, grey where the column only
    orients, and each column's width."""
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=row, column=index, value=safe_text(column.header))
        cell.font = HEADER_FONT
        cell.fill = INPUT_FILL if column.filled_in else INFO_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if column.width:
            sheet.column_dimensions[get_column_letter(index)].width = column.width


def template_fill(column: spec.Column) -> PatternFill:
    return INPUT_FILL if column.filled_in else INFO_FILL


def template_validations(sheet: Worksheet, columns: Sequence[spec.Column], *, first_row: int, last_row: int) -> None:
    """Excel's own check on each column the person fills in, from the column's kind, range and choices; columns with
    the same check share one rule."""
    by_rule: dict[tuple[str, ...], list[str]] = {}
    for index, column in enumerate(columns, start=1):
        rule = _validation_rule(column) if column.filled_in else None
        if rule is not None:
            letter = column_letter(index)
            by_rule.setdefault(rule, []).append(f"{letter}{first_row}:{letter}{last_row}")
    for (kind, operator, formula1, formula2, title, error), ranges in by_rule.items():
        validation = DataValidation(
            type=kind,
            operator=operator or None,
            formula1=formula1,
            formula2=formula2 or None,
            allow_blank=True,
            error=error,
            errorTitle=title,
            showErrorMessage=True,
        )
        for cells_range in ranges:
            validation.add(cells_range)
        sheet.add_data_validation(validation)


YES, NO = "Sí", "No"


def _validation_rule(column: spec.Column) -> tuple[str, ...] | None:
    """(type, operator, formula1, formula2, title, error) of a column's data validation, or None."""
    title = safe_text(column.header)[:32]
    lowest, highest = column.bounds
    if column.kind is CellKind.DATE:
        return ("date", "greaterThan", "36526", "", title, "Escriba una fecha (dd/mm/aaaa).")
    if column.kind is CellKind.BOOL:
        return ("list", "", f'"{YES},{NO}"', "", "Sí o No", "Escriba Sí o No.")
    if column.kind is CellKind.CHOICE and column.choices:
        listed = ",".join(column.choices)
        if len(listed) <= 255 and "," not in "".join(column.choices):  # Excel's limit for an inline list
            return ("list", "", f'"{listed}"', "", title, "Elija un valor de la lista.")
        return None
    if column.kind is CellKind.INTEGER and column.minimum is not None:
        low = int(column.minimum)
        if column.maximum is None:
            return ("whole", "greaterThanOrEqual", str(low), "", title, f"Un número entero, {low} o más.")
        return ("whole", "between", str(low), str(int(column.maximum)), title,
                f"Un número entero de {low} a {int(column.maximum)}.")  # fmt: skip
    if column.kind is CellKind.SHARE:
        return ("decimal", "between", "0", "1", title, "Un porcentaje de 0 % a 100 %.")
    if column.kind in (CellKind.PERCENT, CellKind.DECIMAL, CellKind.MONEY, CellKind.SHARE) and lowest is not None:
        if column.kind is CellKind.PERCENT:
            return ("decimal", "between", "0", "100", title, "Un número de 0 a 100.")
        if column.kind is CellKind.MONEY:
            return ("decimal", "greaterThanOrEqual", "0", "", title, "Un número de pesos, sin signo negativo.")
        if lowest >= 0 and (highest is None or highest >= cells.MAX_QUANTITY):
            return ("decimal", "greaterThanOrEqual", "0", "", title, "Un número, sin signo negativo.")
    return None


# ---------------------------------------------------------------------------------------------------- errors

EXCEL_MAX_COLUMNS = 16_384  # XFD


def error_workbook(
    *,
    title: str,
    header: Sequence[str],
    rows: Sequence[tuple[int, Sequence[object]]],
    problems: Sequence[Problem],
    first_col: int = 1,
) -> bytes:
    """The uploaded rows ((Excel row, values) under ``header``, whose first value sits in column ``first_col``),
    each problem cell highlighted (red: held back, yellow: notice) with its message in a comment, and every message
    of a row in a last column."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = sheet_title(title)
    uploaded = max([len(header), *(len(values) for _, values in rows)], default=0)
    # The row number and the messages take two columns: a file already as wide as Excel (XFD) loses its last ones,
    # or Excel would call the workbook damaged.
    width = min(uploaded, EXCEL_MAX_COLUMNS - 2)
    sheet.cell(row=1, column=1, value="Fila en su archivo").font = HEADER_FONT
    for index, text in enumerate(header[:width], start=2):
        cell = sheet.cell(row=1, column=index)
        write_text(cell, text)  # headers come from the uploaded file: never formulas
        cell.font = HEADER_FONT
    dropped = ""
    if uploaded > width:
        dropped = f" (no caben las últimas {plain_number(uploaded - width)} columnas de su archivo)"
    sheet.cell(row=1, column=width + 2, value=f"Problemas{dropped}").font = HEADER_FONT
    by_row: dict[int, list[Problem]] = {}
    for problem in problems:
        by_row.setdefault(problem.row or 0, []).append(problem)
    for out_row, (excel_row, values) in enumerate(rows, start=2):
        sheet.cell(row=out_row, column=1, value=excel_row)
        for position, value in enumerate(values[:width], start=2):
            cell = sheet.cell(row=out_row, column=position)
            if value is None:
                continue
            if isinstance(value, str):
                write_text(cell, value)
            else:
                cell.value = value
        messages = []
        for problem in by_row.get(excel_row, []):
            messages.append(f"{problem.where}: {problem.message}")
            if problem.column is None or not 0 <= problem.column - first_col < width:
                continue
            cell = sheet.cell(row=out_row, column=problem.column - first_col + 2)
            cell.fill = ERROR_FILL if problem.severity == ERROR else WARNING_FILL
            text = safe_text(problem.message)
            cell.comment = Comment(text if cell.comment is None else f"{cell.comment.text}\n{text}", "Tablero")
        if messages:
            write_text(sheet.cell(row=out_row, column=width + 2), " | ".join(messages))
    sheet.freeze_panes = "B2"
    return save(workbook)
