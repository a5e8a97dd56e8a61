"""The workbooks of the progress upload, written with openpyxl: the template to fill and the error workbook.

The template lists the open commitments (optionally of one actor or one line) with what the actor needs to see,
and leaves the report columns empty with data validation. The error workbook gives back the uploaded rows with every
offending cell highlighted and the message in a comment, so the person fixes the file they know.
"""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pandas as pd
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlmodel import Session

from core.excel.reading import column_letter
from core.excel.writing import safe_text, write_text
from core.metrics import rule, snapshots
from core.metrics.detail import commitment_actor_names, commitment_barrio_names
from core.uploads.progress import ERROR, HEADERS, TEMPLATE_ONLY, ImportPreview, Problem

INFO_FILL = PatternFill("solid", fgColor="EEF1F5")
INPUT_FILL = PatternFill("solid", fgColor="FFF8DC")
ERROR_FILL = PatternFill("solid", fgColor="F8C9C4")
WARNING_FILL = PatternFill("solid", fgColor="FBE7B5")
HEADER_FONT = Font(bold=True)

TEMPLATE_COLUMNS: list[tuple[str, str, int, bool]] = [  # (field, header, width, to fill)
    ("code", HEADERS["code"][0], 16, False),
    ("project", HEADERS["project"][0], 40, False),
    ("actor", HEADERS["actor"][0], 30, False),
    ("barrio", HEADERS["barrio"][0], 22, False),
    ("description", "Compromiso", 40, False),
    ("unit", TEMPLATE_ONLY["unit"][0], 14, False),
    ("target", TEMPLATE_ONLY["target"][0], 10, False),
    ("last_progress", TEMPLATE_ONLY["last_progress"][0], 12, False),
    ("last_report", TEMPLATE_ONLY["last_report"][0], 14, False),
    ("cut_off_date", HEADERS["cut_off_date"][0], 14, True),
    ("physical_pct", HEADERS["physical_pct"][0], 14, True),
    ("achieved_value", HEADERS["achieved_value"][0], 14, True),
    ("budget_executed_cop", HEADERS["budget_executed_cop"][0], 18, True),
    ("note", HEADERS["note"][0], 40, True),
]
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
    *, session: Session, on: date, actor_code: str | None = None, line_code: str | None = None
) -> bytes:
    """The "Avances" sheet prefilled with the open commitments, plus an "Instrucciones" sheet."""
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
    for index, (_, header, width, to_fill) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.font = HEADER_FONT
        cell.fill = INPUT_FILL if to_fill else INFO_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row_number, row in enumerate(rows.itertuples(index=False), start=2):
        for index, (name, _, _, to_fill) in enumerate(TEMPLATE_COLUMNS, start=1):
            cell = sheet.cell(row=row_number, column=index)
            if to_fill:
                cell.fill = INPUT_FILL
                continue
            value = getattr(row, name)
            if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
                continue
            if name == "last_report":
                cell.value = pd.Timestamp(value).date()
                cell.number_format = "dd/mm/yyyy"
            elif isinstance(value, str):
                cell.value = safe_text(value)
                cell.data_type = "s"
            else:
                cell.value = float(value)
            cell.fill = INFO_FILL
    last = max(len(rows) + 1, 500)  # room for rows the person adds
    columns = {name: column_letter(i) for i, (name, *_rest) in enumerate(TEMPLATE_COLUMNS, start=1)}
    validations = [
        DataValidation(
            type="date",
            operator="greaterThan",
            formula1="36526",
            allow_blank=True,
            error="Escriba una fecha (dd/mm/aaaa).",
            errorTitle="Fecha de corte",
        ),
        DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            error="El avance es un número de 0 a 100.",
            errorTitle="Avance físico",
        ),
        DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            error="El valor logrado no puede ser negativo.",
            errorTitle="Valor logrado",
        ),
        DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            error="El presupuesto ejecutado es un número de pesos, sin signo negativo.",
            errorTitle="Presupuesto ejecutado",
        ),
    ]
    for validation, name in zip(
        validations, ("cut_off_date", "physical_pct", "achieved_value", "budget_executed_cop"), strict=True
    ):
        validation.showErrorMessage = True
        validation.add(f"{columns[name]}2:{columns[name]}{last}")
        sheet.add_data_validation(validation)
    for row_number in range(2, last + 1):
        sheet[f"{columns['cut_off_date']}{row_number}"].number_format = "dd/mm/yyyy"
        sheet[f"{columns['budget_executed_cop']}{row_number}"].number_format = '"$" #,##0'
    sheet.freeze_panes = "B2"
    sheet.auto_filter.ref = f"A1:{column_letter(len(TEMPLATE_COLUMNS))}{len(rows) + 1}"
    instructions = workbook.create_sheet("Instrucciones")
    for row_number, line in enumerate(INSTRUCTIONS, start=1):
        cell = instructions.cell(row=row_number, column=1, value=line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if row_number == 1:
            cell.font = Font(bold=True, size=14)
    instructions.column_dimensions["A"].width = 110
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


EXCEL_MAX_COLUMNS = 16_384  # XFD


def error_workbook(preview: ImportPreview) -> bytes:
    """The uploaded rows, each problem cell highlighted (red: held back, yellow: notice) with its message."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Avances con observaciones"
    uploaded = max([len(preview.header), *(len(values) for _, values in preview.raw_rows)], default=0)
    # The row number and the messages take two columns: a file already as wide as Excel (XFD) loses its last ones,
    # or Excel would call the workbook damaged.
    width = min(uploaded, EXCEL_MAX_COLUMNS - 2)
    sheet.cell(row=1, column=1, value="Fila en su archivo").font = HEADER_FONT
    for index, header in enumerate(preview.header[:width], start=2):
        cell = sheet.cell(row=1, column=index)
        write_text(cell, header)  # headers come from the uploaded file: never formulas
        cell.font = HEADER_FONT
    dropped = f" (no caben las últimas {uploaded - width} columnas de su archivo)" if uploaded > width else ""
    sheet.cell(row=1, column=width + 2, value=f"Problemas{dropped}").font = HEADER_FONT
    by_row: dict[int, list[Problem]] = {}
    for problem in preview.problems:
        by_row.setdefault(problem.row or 0, []).append(problem)
    letters_to_index = {column_letter(preview.first_col + position): position for position in range(width)}
    for out_row, (excel_row, values) in enumerate(preview.raw_rows, start=2):
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
            messages.append(f"{problem.column}: {problem.message}")
            letter = problem.column.rsplit("(", 1)[-1].rstrip(")") if "(" in problem.column else ""
            found = letters_to_index.get(letter)
            if found is None:
                continue
            cell = sheet.cell(row=out_row, column=found + 2)
            cell.fill = ERROR_FILL if problem.severity == ERROR else WARNING_FILL
            text = safe_text(problem.message)
            cell.comment = Comment(text if cell.comment is None else f"{cell.comment.text}\n{text}", "Tablero")
        if messages:
            write_text(sheet.cell(row=out_row, column=width + 2), " | ".join(messages))
    sheet.freeze_panes = "B2"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
