"""Tables as .xlsx files (openpyxl): Spanish headers, real numbers with es-CO-friendly formats, safe text.

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
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from core import formatting
from core.excel.cells import MAX_TEXT
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
