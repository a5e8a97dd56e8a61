"""The workbooks of the progress upload, written with openpyxl: the template to fill and the error workbook.

The template lists the open commitments (optionally of one actor or one line) with what the actor needs to see,
and leaves the report columns empty with data validation. The error workbook gives back the uploaded rows with every
offending cell highlighted and the message in a comment, so the person fixes the file they know.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlmodel import Session

from core.excel import writing
from core.excel.cells import column_letter
from core.excel.writing import safe_text
from core.metrics import rule, snapshots
from core.metrics.detail import commitment_actor_names, commitment_barrio_names
from core.uploads.progress import COLUMNS, ImportPreview

INSTRUCTIONS = [
    "Cómo llenar la plantilla de avance",
    "",
    "1. Llene una fila por compromiso y por fecha de corte. Las columnas grises son para orientarse; las amarillas "
    "son las que se llenan.",
    "2. Fecha de corte: el día hasta el que se mide el avance, como dd/mm/aaaa (por ejemplo 31/10/2026).",
    "3. Avance físico (%): un número de 0 a 100 (85 o 85,5). También sirve una celda con formato de porcentaje.",
    "4. Valor logrado: si no sabe el porcentaje, escriba cuánto se ha logrado en la unidad del compromiso; el "
    "tablero calcula el avance frente a la meta. Llene al menos uno de los dos.",
    "5. Presupuesto ejecutado: pesos colombianos acumulados a la fecha de corte (1234567, 1.234.567 o "
    "$ 1.234.567). Si no lo sabe, déjelo vacío: vacío no es cero.",
    "6. Observaciones: lo que quiera contar del avance.",
    "7. No cambie los códigos. Si un compromiso no aparece, escriba el proyecto y el actor; el tablero propondrá el "
    "compromiso más parecido y la coordinación lo confirmará.",
    "8. Puede dejar filas sin llenar: solo se cargan las que tienen fecha de corte y avance.",
    "9. Si carga otra vez la misma fecha de corte de un compromiso, el reporte se actualiza (no se duplica).",
]


def progress_template(
    *,
    session: Session,
    on: date,
    actor_code: str | None = None,
    line_code: str | None = None,
    codes: Collection[str] | None = None,
    cut_off: date | None = None,
) -> bytes:
    """The "Avances" sheet prefilled with the open commitments, plus an "Instrucciones" sheet.

    ``codes`` keeps only those commitments (a reporting round's); ``cut_off`` fills in their "Fecha de corte", so
    the actor writes only its figures (a row left with nothing but that date is skipped on upload).
    """
    snapshot = snapshots.load_snapshot(session=session, on=on)
    if actor_code and actor_code not in set(snapshot.actors.code):
        raise ValueError(f"No existe un actor con el código «{actor_code}».")
    if line_code and line_code not in set(snapshot.lines.code):
        raise ValueError(f"No existe una línea con el código «{line_code}».")
    assessed = rule.assess_commitments(snapshot)
    rows = assessed.loc[assessed.active & ~(assessed.physical_progress >= 100)]
    if line_code:
        rows = rows.loc[rows.line_code == line_code]
    if actor_code:
        actor_ids = snapshot.actors.loc[snapshot.actors.code == actor_code, "id"]
        links = snapshot.commitment_actors
        rows = rows.loc[rows.commitment_id.isin(links.loc[links.actor_id.isin(actor_ids), "commitment_id"])]
    if codes is not None:
        rows = rows.loc[rows.code.isin(list(codes))]
    rows = rows.assign(
        project=rows.project_name,
        actor=rows.commitment_id.map(commitment_actor_names(snapshot)).fillna(""),
        barrio=rows.commitment_id.map(commitment_barrio_names(snapshot)),
        last_progress=rows.physical_progress.round(1),
        last_report=rows.last_report_date,
        target=rows.target,
    ).sort_values(["line_code", "project_code", "code"])
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Avances"
    writing.template_header(sheet, COLUMNS)
    for row_number, row in enumerate(rows.itertuples(index=False), start=2):
        for index, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row_number, column=index)
            cell.fill = writing.template_fill(column)
            if column.filled_in:
                continue
            value = getattr(row, column.field)
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
                continue
            if column.field == "last_report":
                cell.value = pd.Timestamp(value).date()
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, str):
                cell.value = safe_text(value)
                cell.data_type = "s"
            else:
                cell.value = float(value)
    last = max(len(rows) + 1, 500)  # room for rows the person adds
    writing.template_validations(sheet, COLUMNS, first_row=2, last_row=last)
    letters = {column.field: column_letter(i) for i, column in enumerate(COLUMNS, start=1)}
    for row_number in range(2, last + 1):
        sheet[f"{letters['cut_off_date']}{row_number}"].number_format = "dd/mm/yyyy"
        if cut_off is not None and row_number <= len(rows) + 1:
            sheet[f"{letters['cut_off_date']}{row_number}"].value = cut_off
        sheet[f"{letters['budget_executed_cop']}{row_number}"].number_format = '"$" #,##0'
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(COLUMNS))}{len(rows) + 1}"
    instructions = workbook.create_sheet("Instrucciones")
    for row_number, line in enumerate(INSTRUCTIONS, start=1):
        cell = instructions.cell(row=row_number, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row_number == 1:
            cell.font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 110
    return writing.save(workbook)


def error_workbook(preview: ImportPreview) -> bytes:
    """The uploaded rows, each problem cell highlighted (red: held back, yellow: notice) with its message."""
    return writing.error_workbook(
        title="Avances con observaciones",
        header=preview.header,
        rows=preview.raw_rows,
        problems=preview.problems,
        first_col=preview.first_col,
    )
