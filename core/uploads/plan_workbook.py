"""The plan workbook (libro del plan): every plan table as one sheet keyed by codes, out and back in.

``export_plan`` writes the workbook, and that same file is the import template. ``validate_plan_workbook`` reads
a workbook and returns a ``PlanImportPreview``: every problem at once, by sheet, row and column, and per sheet how
many rows would be created, updated, left alone or (only when asked) deleted; nothing is written.
``apply_plan_workbook`` writes it as one ``ImportBatch`` in the caller's transaction, with an audit entry per
changed row holding the database row before and after; ``undo_plan_batch`` replays those entries backwards.

Rows are matched by code (case and accents aside), never by database id. Events have no code: their key is the
event's number (its id), exported as «Número». A blank Número is a new event; a Número the plan does not know
creates the event with that number, so the attendance sheet of the same file can refer to it. A missing sheet or
optional column leaves what the database holds alone; a sheet lacking a required column goes to the coordinator's
column mapping, sheet by sheet (``ColumnsUnmatched``).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy import and_, bindparam, delete, insert, select, text, update
from sqlmodel import Session

from core import db
from core.excel import cells, parsing, writing
from core.excel.cells import CellError, column_letter, normalized
from core.excel.headers import (
    SHEET_SEPARATOR,
    ColumnsUnmatched,
    UnmatchedTable,
    find_table,
    likely_table,
    mapped_fields,
    unmatched_table,
)
from core.excel.problems import ERROR, WARNING, Checked, Problem, Problems, Severity
from core.excel.reading import FileRejected, Sheet, Workbook, read_workbook
from core.excel.spec import CellKind, PlanColumn, header_key
from core.excel.writing import FORMULA_TRIGGERS, HEADER_FILL, safe_text
from core.models import (
    Actor,
    AuditEntry,
    Event,
    ProgressReport,
    Setting,
    User,
    utcnow,
)
from core.plan import rules, schema
from core.plan.sheets import (
    SHEET_BY_NAME,
    SHEETS,
    Key,
    PlanSheet,
    Record,
    blank_value,
    column_length,
    model_default,
    table_of,
)
from core.refusals import Refused
from core.uploads import batches
from core.uploads.batches import STALE, BatchKind, StalePreview, UndoRefused, UndoResult, applied_before
from core.uploads.mappings import with_remembered

KIND = BatchKind.PLAN_WORKBOOK
CREATED, UPDATED, DELETED = "crear por libro", "actualizar por libro", "borrar por libro"
ROW_ACTIONS = (CREATED, UPDATED, DELETED)
BATCH_ACTION = KIND.action
INSTRUCTIONS_SHEET = "Instrucciones"
SHEET_BY_NORMALIZED_NAME = {normalized(sheet.name): sheet for sheet in SHEETS}
REAL_DATASET = "real"
WRITE_ORDER = schema.sheets_parent_first()  # rows are created in this order and deleted in the reverse one
SHEET_OF_TABLE = {sheet.table.name: sheet for sheet in SHEETS}


INSTRUCTIONS = (
    "Libro del plan – Comuna 12",
    "Cada hoja es una tabla del plan. Las filas se reconocen por su código (en «Eventos», por su número): si el "
    "código ya existe en el plan, la fila se actualiza; si no, se crea.",
    "Las columnas que nombran otra tabla (Línea, Programa, Proyecto, Actor, Barrio, Pacto, Compromiso) llevan el "
    "código de esa fila; en «Asistencia», el número del evento.",
    "En «Eventos», deje «Número» en blanco para un evento nuevo. En «Asistencia», «Fecha del evento» y «Título del "
    "evento» son solo de consulta: al cargar el libro se ignoran.",
    "«Archivado el»: la fecha en que la fila se archivó; archivada, no aparece en los tableros pero sigue en el "
    "libro y en la bitácora. Déjela en blanco para una fila activa.",
    "Fechas dd/mm/aaaa; avance físico de 0 a 100; participación en porcentaje; Sí o No en Cancelado, Invitado y "
    "Asistió. Las celdas vacías quedan vacías, nunca en cero.",
    "Una hoja o una columna que falta deja esos datos como están. Las filas que no estén en el archivo solo se "
    "borran si al cargarlo se pide borrar lo que no esté en el archivo.",
    "En «Hitos», un hito «logrado» necesita el número del acto o la evidencia. «Topes de PP» se reconocen por su "
    "año; en «Proyectos de PP», el programa y el proyecto deben ser de la línea (sin línea: fuera del plan).",
    "Este libro trae los datos de contacto de los actores (Ley 1581 de 2012): compártalo solo con la coordinación.",
)


class PlanImportRefused(Refused):
    """The workbook cannot be applied; the message says why in Spanish."""


# ---------------------------------------------------------------------------------------------- reading cells


def _parse(column: PlanColumn, raw: object, *, percent_cell: bool) -> Any:
    """The value of one cell, or ``CellError`` with the reason in Spanish; a reference is the referenced row's key."""
    return parsing.cell_value(column, raw, percent_cell=percent_cell, reference=_reference)


def _reference(column: PlanColumn, raw: object) -> object:
    if SHEET_BY_NAME[column.target].key_kind is CellKind.INTEGER:
        return parsing.integer(raw)
    return cells.code(raw)


def _shown(value: object) -> str:
    """A value as the coordinator would recognise it in a message."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sí" if value else "No"
    if isinstance(value, datetime | date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return cells.plain_number(value)
    return str(value)[:80]


def _norm(value: Any) -> Any:
    """Codes match without regard to case, accents or spacing."""
    return normalized(value) if isinstance(value, str) else value


def _key(sheet: PlanSheet, values: Mapping[str, Any]) -> Key:
    return tuple(_norm(values.get(name)) for name in sheet.key)


def _label(sheet: PlanSheet, values: Mapping[str, Any]) -> str:
    return " · ".join(_shown(values.get(name)) for name in sheet.key)


def _same(kind: CellKind, a: Any, b: Any) -> bool:
    if kind in (CellKind.TEXT, CellKind.CODE):
        return (a or "") == (b or "")
    if kind is CellKind.REF:
        return bool(_norm(a) == _norm(b))
    if kind in (CellKind.DECIMAL, CellKind.MONEY, CellKind.PERCENT, CellKind.SHARE):
        if a is None or b is None:
            return a is None and b is None
        return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9)
    return bool(a == b)


# ---------------------------------------------------------------------------------------------- the plan as stored


@dataclass
class _Stored:
    """One table as the database holds it, in the workbook's terms (references as codes)."""

    records: dict[Key, Record] = field(default_factory=dict)
    rows: dict[Key, dict[str, Any]] = field(default_factory=dict)  # the database row, ids and all
    listed: list[Record] = field(default_factory=list)  # every row, in case two share a key
    display: dict[int, Any] = field(default_factory=dict)  # id -> the code other sheets use


@dataclass
class _State:
    tables: dict[str, _Stored]
    users_of_actor: dict[int, list[str]]


def _load_state(session: Session) -> _State:
    connection = session.connection()
    tables: dict[str, _Stored] = {}
    for sheet in SHEETS:
        stored = _Stored()
        for mapping in connection.execute(select(sheet.table)).mappings():
            row = dict(mapping)
            record: Record = {}
            for column in sheet.stored:
                value = row[column.field]
                if column.kind is CellKind.REF and value is not None:
                    value = tables[column.target].display.get(value)
                record[column.field] = value
            key = _key(sheet, record)
            stored.records[key] = record
            stored.rows[key] = row
            stored.listed.append(record)
            if sheet.has_id and len(sheet.key) == 1:
                stored.display[row["id"]] = record[sheet.key[0]]
        tables[sheet.name] = stored
    u = table_of(User).c
    users: dict[int, list[str]] = {}
    for actor_id, username in connection.execute(select(u.actor_id, u.username).where(u.actor_id.is_not(None))):
        users.setdefault(actor_id, []).append(username)
    return _State(tables, users)


def _identity(sheet: PlanSheet, row: Mapping[Any, Any]) -> Any:
    """The row's primary key: its id, or the pair of ids of a link table."""
    if sheet.has_id:
        return row["id"]
    return tuple(row[name] for name in sheet.primary_key)


# ---------------------------------------------------------------------------------------------- export


NUMBER_FORMATS = {
    CellKind.INTEGER: "0",
    CellKind.DECIMAL: "General",
    CellKind.PERCENT: "General",
    CellKind.MONEY: '"$" #,##0',
    CellKind.SHARE: "0.00%",
    CellKind.DATE: "dd/mm/yyyy",
}


def _write_cell(sheet: Worksheet, row: int, column: int, value: Any, kind: CellKind) -> None:
    if value is None:
        return  # blank stays blank, never 0
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, bool):
        value = "Sí" if value else "No"
    if isinstance(value, str):
        cell.value = safe_text(value)
        cell.data_type = "s"  # never a formula, whatever the first character
        if cell.value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
        return
    cell.value = value
    cell.number_format = NUMBER_FORMATS.get(kind, "General")


def _export_value(sheet: PlanSheet, column: PlanColumn, record: Record, state: _State) -> Any:
    if not column.helper:
        return record.get(column.field)
    reference = sheet.column(column.target)
    target = state.tables[reference.target].records.get((_norm(record.get(column.target)),))
    return target.get(column.shows) if target else None


def _order(sheet: PlanSheet) -> Callable[[Record], tuple[Any, ...]]:
    def position(record: Record) -> tuple[Any, ...]:
        values = (_norm(record.get(name)) for name in sheet.order or sheet.key)
        return tuple((value is None, 0 if value is None else value) for value in values)

    return position


ROOM_FOR_NEW_ROWS = 200  # rows under the exported ones that keep Excel's checks when people add rows


def _fill(worksheet: Worksheet, sheet: PlanSheet, records: Sequence[Record], state: _State) -> None:
    for index, column in enumerate(sheet.columns, start=1):
        cell = worksheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = [len(column.header) for column in sheet.columns]
    for row_number, record in enumerate(records, start=2):
        for index, column in enumerate(sheet.columns):
            value = _export_value(sheet, column, record, state)
            _write_cell(worksheet, row_number, index + 1, value, column.kind)
            if row_number < 200 and value is not None:
                widths[index] = max(widths[index], len(_shown(value)))
    for index, width in enumerate(widths, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = min(max(10, width + 2), 50)
    writing.template_validations(worksheet, sheet.columns, first_row=2, last_row=len(records) + ROOM_FOR_NEW_ROWS)
    worksheet.freeze_panes = "A2"
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{max(1, len(records) + 1)}"


def export_plan(*, session: Session) -> bytes:
    """The whole plan as a workbook, one sheet per table keyed by codes; it is also the import template."""
    state = _load_state(session)
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.worksheets[0])
    for sheet in SHEETS:
        records = sorted(state.tables[sheet.name].listed, key=_order(sheet))
        _fill(workbook.create_sheet(sheet.name), sheet, records, state)
    about = workbook.create_sheet(INSTRUCTIONS_SHEET)
    for row_number, line in enumerate(INSTRUCTIONS, start=1):
        about.cell(row=row_number, column=1, value=line).alignment = Alignment(wrap_text=True, vertical="top")
    about["A1"].font = Font(bold=True, size=13)
    about.column_dimensions["A"].width = 110
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------- reading the file


@dataclass
class _FileRow:
    row: int  # Excel row
    values: Record  # the columns present in the file
    key: Key


@dataclass
class _ParsedSheet:
    sheet: PlanSheet
    fields: tuple[str, ...]  # stored columns present in the file
    rows: list[_FileRow]  # one per key (repeated keys are reported, not kept)
    columns: dict[str, int]  # field -> Excel column number in the file
    total: int

    def problem(self, row: int | None, name: str, value: str, message: str, severity: Severity) -> Problem:
        """A problem in field ``name``'s column of this sheet."""
        header = self.sheet.column(name).header
        return Problem(row, header, value, message, severity, self.columns.get(name), self.sheet.name)


def _find_sheets(workbook: Workbook, notices: list[str]) -> dict[str, Sheet]:
    wanted = {normalized(sheet.name): sheet.name for sheet in SHEETS}
    found: dict[str, Sheet] = {}
    ignored = []
    for sheet in workbook.sheets:
        name = wanted.get(normalized(sheet.name))
        if name and name not in found:
            found[name] = sheet
        elif normalized(sheet.name) != normalized(INSTRUCTIONS_SHEET):
            ignored.append(sheet.name)
    if not found:
        raise _no_plan_sheets()
    if ignored:
        notices.append("Se ignoraron hojas que no son del libro del plan: " + ", ".join(f"«{n}»" for n in ignored))
    missing = [sheet.name for sheet in SHEETS if sheet.name not in found]
    if missing:
        notices.append(
            "No están las hojas " + ", ".join(f"«{n}»" for n in missing) + ": esas tablas quedan como están."
        )
    return found


def _no_plan_sheets() -> FileRejected:
    return FileRejected(
        "El archivo no tiene ninguna hoja del libro del plan (Barrios, Líneas, Programas, Actores, Proyectos…). "
        "Descargue el libro del plan para ver el formato."
    )


def _read_sheet(
    sheet: PlanSheet, found: Sheet, problems: list[Problem], notices: list[str], chosen: Mapping[str, str]
) -> _ParsedSheet | UnmatchedTable | None:
    """The sheet as read, or what the coordinator must map when a required column is not found (``chosen``:
    {contract header: file header} of this sheet; a blank file header is a column the coordinator said the file
    lacks, reported as a problem), or None when the sheet is a problem of the preview."""
    in_file = Workbook("xlsx", [found])
    mapped = mapped_fields(sheet.columns, chosen)
    table = find_table(in_file, sheet.columns, required_any=tuple(c.field for c in sheet.stored), mapped=mapped)
    needed = [c for c in sheet.stored if c.required or (c.field in sheet.key and c.kind is not CellKind.INTEGER)]
    located = table or likely_table(in_file, sheet.columns, mapped=mapped)
    declined = {header_key(header) for header, mine in chosen.items() if not mine.strip()}
    undecided = [c.header for c in needed if c.field not in located.columns and header_key(c.header) not in declined]
    if undecided and found.rows and any(located.header):
        return unmatched_table(located, undecided, sheet=sheet.name)
    if table is None:
        headers = ", ".join(f"«{c.header}»" for c in needed)
        message = f"no se encontró la fila de encabezados ({headers})"
        problems.append(Problem(None, "", "", message, ERROR, sheet=sheet.name))
        return None
    columns = {name: table.column_number(name) for name in table.columns}
    lacking = [c for c in needed if c.field not in table.columns]
    for column in lacking:
        message = f"falta la columna «{column.header}», que es obligatoria"
        problems.append(Problem(table.header_row, "", "", message, ERROR, sheet=sheet.name))
    if lacking:
        return None
    absent = [c.header for c in sheet.stored if c.field not in table.columns]
    if absent:
        notices.append(
            f"En «{sheet.name}» no están las columnas "
            + ", ".join(f"«{h}»" for h in absent)
            + ": se conserva lo que el plan ya tiene en ellas."
        )
    if table.hidden_notice:
        notices.append(table.hidden_notice)
    if table.ignored_headers:
        notices.append(
            f"En «{sheet.name}» se ignoraron columnas que no son del libro: "
            + ", ".join(f"«{h}»" for h in table.ignored_headers)
        )
    fields = tuple(c.field for c in sheet.stored if c.field in table.columns)
    no_value = set(found.formulas_without_value)
    in_sheet = _ParsedSheet(sheet, fields, [], columns, 0)
    first_row_of: dict[Key, int] = {}
    for excel_row, raw_row in table.data_rows():
        raw = {name: raw_row[table.columns[name]] if table.columns[name] < len(raw_row) else None for name in fields}
        if all(cells.is_blank(value) for value in raw.values()):
            continue
        in_sheet.total += 1
        values: Record = {}
        for name in fields:
            column = sheet.column(name)
            number = table.column_number(name)
            try:
                if f"{column_letter(number)}{excel_row}" in no_value:
                    raise CellError("la celda tiene una fórmula sin valor guardado: ábrala en Excel y guárdela")
                value = _parse(column, raw[name], percent_cell=(excel_row, number) in found.percent_cells)
                too_long = isinstance(value, str) and rules.length_problem(value, column_length(sheet, name))
                if too_long:
                    raise CellError(too_long)
            except CellError as exc:
                problems.append(in_sheet.problem(excel_row, name, _shown(raw[name]), str(exc), ERROR))
                values[name] = None
                continue
            if value is None and column.required:
                message = f"falta «{column.header}»: es un dato obligatorio"
                problems.append(in_sheet.problem(excel_row, name, "", message, ERROR))
            values[name] = blank_value(sheet, name) if value is None and not column.required else value
        if sheet.model is Event and values.get("id") is None:
            key: Key = ("#fila", excel_row)  # a new event: the database numbers it
        elif any(values.get(name) is None for name in sheet.key):
            continue  # already reported as missing
        else:
            key = _key(sheet, values)
        if key in first_row_of:
            problems.append(
                in_sheet.problem(
                    excel_row,
                    sheet.key[-1],
                    _label(sheet, values),
                    f"repetido: la fila {first_row_of[key]} ya trae {sheet.noun} con el mismo "
                    f"{' y '.join(sheet.column(name).header.lower() for name in sheet.key)}; deje solo una",
                    ERROR,
                )
            )
            continue
        first_row_of[key] = excel_row
        in_sheet.rows.append(_FileRow(excel_row, values, key))
    return in_sheet


# ---------------------------------------------------------------------------------------------- checks against the plan


def _final_keys(parsed: Mapping[str, _ParsedSheet], state: _State, allow_deletions: bool) -> dict[str, set[Key]]:
    """The keys each table would hold after the import."""
    final = {}
    for sheet in SHEETS:
        stored = set(state.tables[sheet.name].records)
        in_file = parsed.get(sheet.name)
        if in_file is None:
            final[sheet.name] = stored
        else:
            keys = {row.key for row in in_file.rows}
            final[sheet.name] = keys if allow_deletions else keys | stored
    return final


def _final_record(parsed: Mapping[str, _ParsedSheet], state: _State, sheet: PlanSheet) -> dict[Key, Record]:
    records = dict(state.tables[sheet.name].records)
    if sheet.name in parsed:
        for row in parsed[sheet.name].rows:
            records[row.key] = {**records.get(row.key, {}), **row.values}
    return records


def _check_against_plan(parsed: Mapping[str, _ParsedSheet], state: _State, allow_deletions: bool) -> list[Problem]:
    problems: list[Problem] = []
    final = _final_keys(parsed, state, allow_deletions)
    for in_file in parsed.values():
        sheet = in_file.sheet
        for column in sheet.stored:
            if column.kind is not CellKind.REF or column.field not in in_file.fields:
                continue
            target = SHEET_BY_NAME[column.target]
            key_header = target.column(target.key[0]).header.lower()
            stored = state.tables[target.name].records
            for row in in_file.rows:
                value = row.values.get(column.field)
                if value is None or (_norm(value),) in final[target.name]:
                    continue
                if (_norm(value),) in stored:
                    message = f"«{value}» no está en la hoja «{target.name}», así que se borraría"
                else:
                    message = f"no existe {target.noun} con {key_header} «{value}» en el archivo ni en el plan"
                problems.append(in_file.problem(row.row, column.field, _shown(value), message, ERROR))
    problems += _check_dates(parsed, state, final)
    problems += _check_stage_moves(parsed, state)
    problems += _check_actor_names(parsed, state, final)
    problems += _check_milestones(parsed, state)
    problems += _check_pp_projects(parsed, state)
    problems += _check_record_rules(parsed, state)
    if allow_deletions:
        problems += _check_deletions(parsed, state)
    return problems


def _emptied_tables(parsed: Mapping[str, _ParsedSheet], state: _State) -> list[Problem]:
    """An empty sheet with deletions allowed empties its table: say so plainly."""
    return [
        Problem(
            None,
            "",
            "",
            f"la hoja no tiene filas: se borrarían las {len(state.tables[name].records)} filas que el plan tiene",
            WARNING,
            sheet=name,
        )
        for name, in_file in parsed.items()
        if not in_file.rows and state.tables[name].records
    ]


def _check_dates(parsed: Mapping[str, _ParsedSheet], state: _State, final: Mapping[str, set[Key]]) -> list[Problem]:
    projects_sheet, commitments_sheet = SHEET_BY_NAME["Proyectos"], SHEET_BY_NAME["Compromisos"]
    projects = _final_record(parsed, state, projects_sheet)
    problems = []
    if "Proyectos" in parsed:
        in_file = parsed["Proyectos"]
        for row in in_file.rows:
            start, end = projects[row.key].get("start_date"), projects[row.key].get("end_date")
            if message := rules.end_before_start_problem(start, end):
                name = "end_date" if "end_date" in in_file.fields else "start_date"
                problems.append(in_file.problem(row.row, name, _shown(end), message, ERROR))
    if "Proyectos" in parsed or "Compromisos" in parsed:
        in_file_rows = {row.key: row.row for row in parsed["Compromisos"].rows} if "Compromisos" in parsed else {}
        for key, commitment in _final_record(parsed, state, commitments_sheet).items():
            if key not in final["Compromisos"]:
                continue
            due = commitment.get("due_date")
            project = projects.get((_norm(commitment.get("project_id")),), {})
            message = rules.due_before_start_problem(due, project.get("start_date"), project.get("code"))
            if message is None:
                continue
            if key in in_file_rows:
                in_commitments = parsed["Compromisos"]
                problems.append(in_commitments.problem(in_file_rows[key], "due_date", _shown(due), message, ERROR))
            else:  # a commitment the file does not bring: the plan already had it, or the project moved
                code = str(commitment.get("code"))
                problems.append(Problem(None, "", code, message, WARNING, sheet="Compromisos"))
    return problems


def _check_stage_moves(parsed: Mapping[str, _ParsedSheet], state: _State) -> list[Problem]:
    """The editor's stage rule, as a warning: a workbook may restore an older copy of the plan on purpose."""
    in_file = parsed.get("Proyectos")
    if in_file is None or "stage" not in in_file.fields:
        return []
    stored = state.tables["Proyectos"].records
    problems = []
    for row in in_file.rows:
        current, new = (stored.get(row.key) or {}).get("stage"), row.values.get("stage")
        if current and new and (message := rules.stage_move_problem(current, new)):
            problems.append(in_file.problem(row.row, "stage", new, message, WARNING))
    return problems


def _check_milestones(parsed: Mapping[str, _ParsedSheet], state: _State) -> list[Problem]:
    """«Logrado» only with an act number or evidence: the editor's rule, and the database's check."""
    in_file = parsed.get("Hitos")
    if in_file is None:
        return []
    records = _final_record(parsed, state, in_file.sheet)
    problems = []
    for row in in_file.rows:
        record = records[row.key]
        message = rules.achieved_without_act_problem(
            record.get("status"), record.get("act_number"), record.get("evidence")
        )
        if message:
            name = "status" if "status" in in_file.fields else in_file.sheet.key[0]
            problems.append(in_file.problem(row.row, name, _shown(record.get("status")), message, ERROR))
    return problems


def _check_pp_projects(parsed: Mapping[str, _ParsedSheet], state: _State) -> list[Problem]:
    """A PP project's program and project belong to its line; executing more than assigned is only a warning, given
    when the amounts arrive or change (a file that only brings the plan back says nothing new)."""
    in_file = parsed.get("Proyectos de PP")
    if in_file is None:
        return []
    records, stored = _final_record(parsed, state, in_file.sheet), state.tables[in_file.sheet.name].records
    programs = _final_record(parsed, state, SHEET_BY_NAME["Programas"]).values()
    projects = _final_record(parsed, state, SHEET_BY_NAME["Proyectos"]).values()
    line_of_program = {str(p["code"]): str(p.get("line_id")) for p in programs}
    program_of_project = {str(p["code"]): str(p.get("program_id")) for p in projects}
    problems = []
    for row in in_file.rows:
        record = records[row.key]
        path = (record.get("line_id"), record.get("program_id"), record.get("project_id"))
        message = rules.pp_path_problem(*path, line_of_program=line_of_program, program_of_project=program_of_project)
        if message:
            name = "program_id" if "program_id" in in_file.fields else in_file.sheet.key[0]
            problems.append(in_file.problem(row.row, name, _shown(record.get(name)), message, ERROR))
        assigned, executed = record.get("assigned_cop"), record.get("executed_cop")
        before = stored.get(row.key) or {}
        unchanged = (before.get("assigned_cop"), before.get("executed_cop")) == (assigned, executed)
        if not unchanged and (message := rules.executed_over_assigned_problem(assigned, executed)):
            name = "executed_cop" if "executed_cop" in in_file.fields else in_file.sheet.key[0]
            problems.append(in_file.problem(row.row, name, _shown(executed), message, WARNING))
    return problems


def _check_actor_names(
    parsed: Mapping[str, _ParsedSheet], state: _State, final: Mapping[str, set[Key]]
) -> list[Problem]:
    """Actor names are unique in the database: say so before the database refuses."""
    if "Actores" not in parsed or "name" not in parsed["Actores"].fields:
        return []
    in_file = parsed["Actores"]
    records = _final_record(parsed, state, SHEET_BY_NAME["Actores"])
    holders: dict[str, list[Key]] = {}
    for key in final["Actores"]:
        holders.setdefault(str(records[key].get("name")), []).append(key)
    problems = []
    for row in in_file.rows:
        others = [records[k].get("code") for k in holders.get(str(row.values.get("name")), []) if k != row.key]
        if others:
            problems.append(
                in_file.problem(
                    row.row,
                    "name",
                    _shown(row.values.get("name")),
                    f"otro actor ({', '.join(sorted(map(str, others)))}) ya tiene este nombre",
                    ERROR,
                )
            )
    return problems


def _check_record_rules(parsed: Mapping[str, _ParsedSheet], state: _State) -> list[Problem]:
    """The editor's rules across fields (``rules.record_problems``), on each row as it would be stored."""
    problems = []
    for in_file in parsed.values():
        sheet = in_file.sheet
        records = _final_record(parsed, state, sheet)
        for row in in_file.rows:
            for name, message in rules.record_problems(sheet.table.name, records[row.key]).items():
                shown = _shown(records[row.key].get(name))
                problems.append(in_file.problem(row.row, name, shown, message, ERROR))
    return problems


def _check_deletions(parsed: Mapping[str, _ParsedSheet], state: _State) -> list[Problem]:
    """A row may only be deleted when nothing that stays refers to it."""
    problems = []
    for in_file in parsed.values():
        sheet = in_file.sheet
        stored = state.tables[sheet.name]
        gone = set(stored.records) - {row.key for row in in_file.rows}
        if not gone:
            continue
        for reference in schema.references_to(sheet.table):
            child = SHEET_OF_TABLE.get(reference.table)
            if child is None or child.name in parsed:
                continue  # accounts are checked below; a sheet in the file had its references checked
            users: dict[Key, int] = {}
            for record in state.tables[child.name].records.values():
                target = (_norm(record.get(reference.column)),)
                if target in gone:
                    users[target] = users.get(target, 0) + 1
            for target, count in users.items():
                problems.append(
                    Problem(
                        None,
                        "",
                        _label(sheet, stored.records[target]),
                        f"no se puede borrar: la usan {count} filas de la hoja «{child.name}», que no está en el "
                        "archivo",
                        ERROR,
                        sheet=sheet.name,
                    )
                )
        if sheet.model is Actor:
            for key in gone:
                accounts = state.users_of_actor.get(stored.rows[key]["id"])
                if accounts:
                    problems.append(
                        Problem(
                            None,
                            "",
                            _label(sheet, stored.records[key]),
                            f"no se puede borrar: está vinculado a la cuenta {', '.join(accounts)}",
                            ERROR,
                            sheet=sheet.name,
                        )
                    )
    return problems


# ---------------------------------------------------------------------------------------------- what would change


@dataclass
class _Changes:
    create: dict[str, list[_FileRow]] = field(default_factory=dict)
    update: dict[str, list[_FileRow]] = field(default_factory=dict)
    delete: dict[str, list[Key]] = field(default_factory=dict)
    unchanged: dict[str, int] = field(default_factory=dict)

    def counts(self) -> dict[str, tuple[int, int, int, int]]:
        return {
            sheet.name: (
                len(self.create.get(sheet.name, [])),
                len(self.update.get(sheet.name, [])),
                self.unchanged.get(sheet.name, 0),
                len(self.delete.get(sheet.name, [])),
            )
            for sheet in SHEETS
        }

    @property
    def writes(self) -> int:
        return sum(created + updated + deleted for created, updated, _, deleted in self.counts().values())


def _diff(parsed: Mapping[str, _ParsedSheet], state: _State, allow_deletions: bool) -> _Changes:
    changes = _Changes()
    for name, in_file in parsed.items():
        stored = state.tables[name].records
        kinds = {f: in_file.sheet.column(f).kind for f in in_file.fields}
        for row in in_file.rows:
            current = stored.get(row.key)
            if current is None:
                changes.create.setdefault(name, []).append(row)
            elif all(_same(kind, row.values.get(f), current.get(f)) for f, kind in kinds.items()):
                changes.unchanged[name] = changes.unchanged.get(name, 0) + 1
            else:
                changes.update.setdefault(name, []).append(row)
        if allow_deletions:
            keys = {row.key for row in in_file.rows}
            gone = [key for key in stored if key not in keys]
            if gone:
                changes.delete[name] = gone
    return changes


# ---------------------------------------------------------------------------------------------- validation


@dataclass(frozen=True)
class SheetChanges:
    sheet: str
    in_file: bool
    rows: int  # rows of the sheet in the file
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deleted: int = 0

    @property
    def stored(self) -> int:
        """Rows the table holds now (each is updated, unchanged or deleted by the file)."""
        return self.updated + self.unchanged + self.deleted

    @property
    def large_deletion(self) -> bool:
        return self.deleted > LARGE_DELETION_SHARE * self.stored


# A workbook that deletes more than this share of any table (an emptied sheet, the wrong file) is applied only
# after a second, explicit confirmation that names the counts: warnings alone let a whole plan go.
LARGE_DELETION_SHARE = 0.10


@dataclass
class PlanImportPreview(Checked):
    file_name: str
    sha256: str
    allow_deletions: bool
    problems: list[Problem]
    notices: list[str]
    sheets: list[SheetChanges]
    already_applied: tuple[int, str] | None = None  # (batch id, dd/mm/aaaa) of an applied batch of this same file
    data_version: int = 0  # the plan this preview was computed against; any later write makes it stale
    parsed: dict[str, _ParsedSheet] = field(default_factory=dict, repr=False)  # the file as read, for apply

    def total(self, what: str) -> int:
        return sum(int(getattr(s, what)) for s in self.sheets)

    @property
    def has_changes(self) -> bool:
        return self.total("created") + self.total("updated") + self.total("deleted") > 0

    @property
    def large_deletions(self) -> list[SheetChanges]:
        return [s for s in self.sheets if self.allow_deletions and s.large_deletion]

    @property
    def deletion_warning(self) -> str | None:
        """What a second confirmation must name, or None when the deletions are a small share of every table."""
        large = self.large_deletions
        if not large:
            return None
        listed = "; ".join(
            f"{cells.plain_number(s.deleted)} de las {cells.plain_number(s.stored)} filas de «{s.sheet}»" for s in large
        )
        share = cells.plain_number(LARGE_DELETION_SHARE * 100)
        return f"El libro borraría {listed}: más del {share} % de esas tablas."

    def change_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [
                (s.sheet, s.rows, s.created, s.updated, s.unchanged, s.deleted if self.allow_deletions else None)
                for s in self.sheets
                if s.in_file
            ],
            columns=["Hoja", "Filas en el archivo", "Nuevas", "Actualizadas", "Sin cambio", "Borradas"],
        )


def _sorted(problems: Iterable[Problem]) -> list[Problem]:
    collector = Problems()
    collector.extend(problems)
    return collector.sorted(sheet_order=[sheet.name for sheet in SHEETS])


def columns_by_sheet(columns: Mapping[str, str] | None) -> dict[str, dict[str, str]]:
    """{sheet: {contract header: file header}} from {"Hoja:encabezado": file header} (the sheet's name as people
    type it, case and accents aside); ``FileRejected`` for a key that names no sheet of the workbook."""
    by_sheet: dict[str, dict[str, str]] = {}
    for key, mine in (columns or {}).items():
        typed_sheet, separator, header = key.partition(SHEET_SEPARATOR)
        sheet = SHEET_BY_NORMALIZED_NAME.get(normalized(typed_sheet)) if separator else None
        if sheet is None or not header.strip():
            raise FileRejected(
                f"«{key}» no nombra una columna de una hoja del libro del plan: escriba la hoja, dos puntos y la "
                "columna, como «Compromisos:Descripción». Las hojas son: "
                + ", ".join(f"«{s.name}»" for s in SHEETS)
                + "."
            )
        by_sheet.setdefault(sheet.name, {})[header.strip()] = mine
    return by_sheet


def _columns_unmatched(tables: Sequence[UnmatchedTable]) -> ColumnsUnmatched:
    lacking = "; ".join(
        f"en «{table.sheet}», " + ", ".join(f"«{header}»" for header in table.missing) for table in tables
    )
    return ColumnsUnmatched(
        f"Faltan columnas obligatorias del libro del plan: {lacking}. Indique qué columna de cada hoja es cada una, "
        "o descargue el libro del plan para ver el formato.",
        tables=tables,
    )


def validate_plan_workbook(
    *,
    session: Session,
    data: bytes,
    file_name: str,
    allow_deletions: bool = False,
    columns: Mapping[str, str] | None = None,
) -> PlanImportPreview:
    """Every problem of the workbook at once, and what applying it would change. Writes nothing.

    ``columns`` maps the coordinator's choices, {"Hoja:encabezado del libro": encabezado del archivo}.
    Raises ``ColumnsUnmatched`` (one table per sheet, with the mapping remembered for each sheet of that shape, if
    any) when a sheet lacks a required column the coordinator has not mapped nor said the file lacks (then it is a
    problem of the preview); ``FileRejected`` when the file cannot be read or holds no sheet of the plan workbook.
    """
    workbook = read_workbook(data, file_name)
    problems: list[Problem] = []
    notices: list[str] = []
    found = _find_sheets(workbook, notices)
    chosen = columns_by_sheet(columns)
    parsed: dict[str, _ParsedSheet] = {}
    unmatched: list[UnmatchedTable] = []
    for sheet in SHEETS:
        if sheet.name in found:
            result = _read_sheet(sheet, found[sheet.name], problems, notices, chosen.get(sheet.name, {}))
            if isinstance(result, UnmatchedTable):
                unmatched.append(result)
            elif result is not None:
                parsed[sheet.name] = result
    if unmatched:
        raise with_remembered(_columns_unmatched(unmatched), session=session, kind=KIND)
    if any(s.formulas for s in found.values()):
        notices.append("El archivo tiene fórmulas: se usaron los valores que Excel guardó al calcularlas.")
    state = _load_state(session)
    problems += _check_against_plan(parsed, state, allow_deletions)
    if allow_deletions:
        problems += _emptied_tables(parsed, state)
    counts = _diff(parsed, state, allow_deletions).counts()
    sheets = [
        SheetChanges(sheet.name, sheet.name in found, parsed[sheet.name].total if sheet.name in parsed else 0,
                     *counts[sheet.name])
        for sheet in SHEETS
    ]  # fmt: skip
    sha = hashlib.sha256(data).hexdigest()
    return PlanImportPreview(
        file_name=file_name,
        sha256=sha,
        allow_deletions=allow_deletions,
        problems=_sorted(problems),
        notices=notices,
        sheets=sheets,
        already_applied=applied_before(session=session, sha256=sha, kind=KIND),
        data_version=db.data_version(session=session),
        parsed=parsed,
    )


# ---------------------------------------------------------------------------------------------- apply


@dataclass(frozen=True)
class PlanApplyResult:
    batch_id: int | None  # None when there was nothing to change
    created: int
    updated: int
    unchanged: int
    deleted: int


CONFLICT = (
    "La base de datos rechazó el libro (un código o un nombre quedaría repetido, o una fila borrada aún se usa). No "
    "se escribió nada."
)


def _to_database(sheet: PlanSheet, values: Mapping[str, Any], ids: Mapping[str, dict[Key, int]]) -> dict[str, Any]:
    """The row's values as the table stores them: references become ids."""
    row = {}
    for name, value in values.items():
        column = sheet.column(name)
        if column.kind is CellKind.REF and value is not None:
            value = ids[column.target][(_norm(value),)]
        row[name] = value
    return row


def _pk_clause(sheet: PlanSheet) -> Any:
    return and_(*(sheet.table.c[name] == bindparam(f"pk_{name}") for name in sheet.primary_key))


def _pk_params(sheet: PlanSheet, identity: Any) -> dict[str, Any]:
    values = (identity,) if sheet.has_id else identity
    return {f"pk_{name}": value for name, value in zip(sheet.primary_key, values, strict=True)}


def _sync_sequence(session: Session, sheet: PlanSheet) -> None:
    """Rows written with explicit ids leave PostgreSQL's sequence behind; move it past the highest id."""
    if session.get_bind().dialect.name != "postgresql" or not sheet.has_id:
        return
    name = sheet.table.name
    session.connection().execute(
        text(
            f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
        )
    )


@dataclass
class _Written:
    sheet: PlanSheet
    action: str
    identity: Any
    label: str
    before: dict[str, Any] | None


def _create(
    session: Session,
    sheet: PlanSheet,
    rows: list[_FileRow],
    ids: dict[str, dict[Key, int]],
    extra: Mapping[str, Any],
) -> list[_Written]:
    connection, table = session.connection(), sheet.table
    absent = [c.name for c in table.columns if c.name != "id" and c.name not in rows[0].values]
    prepared = [
        _to_database(sheet, row.values, ids) | {name: model_default(sheet.model, name) for name in absent} | dict(extra)
        for row in rows
    ]
    # Events may bring their own number: insert those first, so the database numbers the rest after them.
    numbered = [values for values in prepared if values.get("id") is not None]
    if numbered:
        connection.execute(insert(table), numbered)
        _sync_sequence(session, sheet)
    unnumbered = [values for values in prepared if values.get("id") is None]
    for values in unnumbered:
        values.pop("id", None)  # a blank Número: the database gives the number
    if unnumbered and sheet.has_id:
        statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
        for values, new_id in zip(unnumbered, connection.execute(statement, unnumbered).scalars(), strict=True):
            values["id"] = new_id
    elif unnumbered:
        connection.execute(insert(table), unnumbered)
    written = []
    for row, values in zip(rows, prepared, strict=True):
        identity = _identity(sheet, values)
        if sheet.has_id and len(sheet.key) == 1:
            ids[sheet.name][(_norm(values[sheet.key[0]]),)] = identity
        label = _label(sheet, row.values | ({"id": identity} if sheet.key == ("id",) else {}))
        written.append(_Written(sheet, CREATED, identity, label, None))
    return written


def _update(
    session: Session,
    sheet: PlanSheet,
    rows: list[_FileRow],
    stored: _Stored,
    ids: dict[str, dict[Key, int]],
    extra: Mapping[str, Any],
) -> list[_Written]:
    names = [name for name in rows[0].values if name not in sheet.primary_key] + list(extra)
    params, written = [], []
    for row in rows:
        before = stored.rows[row.key]
        identity = _identity(sheet, before)
        values = _to_database(sheet, row.values, ids) | dict(extra)
        params.append(_pk_params(sheet, identity) | {f"v_{name}": values[name] for name in names})
        written.append(_Written(sheet, UPDATED, identity, _label(sheet, row.values), before))
    statement = update(sheet.table).where(_pk_clause(sheet)).values({name: bindparam(f"v_{name}") for name in names})
    session.connection().execute(statement, params)
    return written


def _delete(session: Session, sheet: PlanSheet, keys: list[Key], stored: _Stored) -> list[_Written]:
    written = []
    for key in keys:
        before = stored.rows[key]
        written.append(_Written(sheet, DELETED, _identity(sheet, before), _label(sheet, stored.records[key]), before))
    params = [_pk_params(sheet, w.identity) for w in written]
    session.connection().execute(delete(sheet.table).where(_pk_clause(sheet)), params)
    return written


def _as_json(row: Mapping[str, Any] | None) -> str | None:
    return None if row is None else json.dumps(dict(row), ensure_ascii=False, sort_keys=True, default=str)


def _rows_by_identity(session: Session, sheet: PlanSheet) -> dict[Any, dict[str, Any]]:
    rows = session.connection().execute(select(sheet.table)).mappings()
    return {_identity(sheet, row): dict(row) for row in rows}


def apply_plan_workbook(
    *, session: Session, preview: PlanImportPreview, user: str, deletions_confirmed: bool = False
) -> PlanApplyResult:
    """Write the workbook as one batch in the caller's transaction (``db.transaction``); refused if it has errors,
    or if it deletes a large share of a table (``preview.deletion_warning``) without ``deletions_confirmed``."""
    if preview.has_errors:
        raise PlanImportRefused("El archivo tiene errores: corríjalos y vuelva a cargarlo. No se escribió nada.")
    if preview.deletion_warning and not deletions_confirmed:
        raise PlanImportRefused(f"{preview.deletion_warning} Confirme expresamente esos borrados. No se escribió nada.")
    batches.refuse_stale(session=session, data_version=preview.data_version)
    state = _load_state(session)
    if any(p.severity == ERROR for p in _check_against_plan(preview.parsed, state, preview.allow_deletions)):
        raise StalePreview(STALE)
    changes = _diff(preview.parsed, state, preview.allow_deletions)
    counts = changes.counts()
    created, updated, unchanged, deleted = (sum(c[i] for c in counts.values()) for i in range(4))
    if not changes.writes:
        return PlanApplyResult(None, 0, 0, unchanged, 0)
    if any(counts[s.sheet] != (s.created, s.updated, s.unchanged, s.deleted) for s in preview.sheets):
        raise StalePreview(STALE)
    batch_id = batches.open_batch(
        session=session,
        kind=KIND,
        file_name=preview.file_name,
        sha256=preview.sha256,
        user=user,
        rows_total=sum(s.rows for s in preview.sheets),
        rows_applied=created + updated + deleted,
        rows_rejected=0,
    )
    ids = {
        sheet.name: {key: row["id"] for key, row in state.tables[sheet.name].rows.items()}
        for sheet in SHEETS
        if sheet.has_id
    }
    reports = {"import_batch_id": batch_id}
    written: list[_Written] = []
    with batches.conflicts_refused(PlanImportRefused(CONFLICT)):
        for sheet in WRITE_ORDER:  # parents first
            extra = reports if sheet.model is ProgressReport else {}
            if changes.create.get(sheet.name):
                written += _create(session, sheet, changes.create[sheet.name], ids, extra)
        for sheet in WRITE_ORDER:
            extra = reports if sheet.model is ProgressReport else {}
            if changes.update.get(sheet.name):
                written += _update(session, sheet, changes.update[sheet.name], state.tables[sheet.name], ids, extra)
        for sheet in reversed(WRITE_ORDER):  # children first
            if changes.delete.get(sheet.name):
                written += _delete(session, sheet, changes.delete[sheet.name], state.tables[sheet.name])
    _record_rows(session, written, user, batch_id)
    previous_dataset = db.get_setting(session=session, key=db.DATASET_KEY)
    db.set_setting(session=session, key=db.DATASET_KEY, value=REAL_DATASET)
    batches.close_batch(
        session=session,
        batch_id=batch_id,
        kind=KIND,
        user=user,
        before={"datos": previous_dataset},
        after={
            "archivo": preview.file_name,
            "nuevas": created,
            "actualizadas": updated,
            "borradas": deleted,
            "sin_cambio": unchanged,
            "datos": REAL_DATASET,
        },
    )
    return PlanApplyResult(batch_id, created, updated, unchanged, deleted)


def _record_rows(session: Session, written: list[_Written], user: str, batch_id: int) -> None:
    """One audit entry per row written, with the database row before and after, tied to the batch."""
    after: dict[str, dict[Any, dict[str, Any]]] = {}
    for sheet in {w.sheet.name: w.sheet for w in written if w.action != DELETED}.values():
        after[sheet.name] = _rows_by_identity(session, sheet)
    now = utcnow()
    entries = [
        {
            "at": now,
            "user_name": user,
            "action": w.action,
            "table_name": w.sheet.table.name,
            "row_id": w.label[:60],
            "before": _as_json(w.before),
            "after": None if w.action == DELETED else _as_json(after[w.sheet.name][w.identity]),
            "import_batch_id": batch_id,
        }
        for w in written
    ]
    session.connection().execute(insert(AuditEntry), entries)


# ---------------------------------------------------------------------------------------------- undo


def _from_json(sheet: PlanSheet, raw: str) -> dict[str, Any]:
    """A row saved in the audit trail, with dates turned back into dates."""
    values: dict[str, Any] = json.loads(raw)
    for column in sheet.table.columns:
        value = values.get(column.name)
        if not isinstance(value, str):
            continue
        try:  # a TypeDecorator (the UTC datetimes) knows its type through the type it decorates
            python_type = getattr(column.type, "impl", column.type).python_type
        except NotImplementedError:
            continue
        if python_type is datetime:
            values[column.name] = datetime.fromisoformat(value)
        elif python_type is date:
            values[column.name] = date.fromisoformat(value)
    return values


def undo_plan_batch(*, session: Session, batch_id: int, user: str) -> UndoResult:
    """Restore exactly the plan as it was before the batch, in the caller's transaction.

    Refused while a later upload is still applied, or when rows the batch wrote have changed since.
    """
    batch = batches.batch_to_undo(session=session, batch_id=batch_id, kind=KIND)
    batches.refuse_if_built_on(session=session, batch_id=batch_id)
    e = table_of(AuditEntry).c
    connection = session.connection()
    entries = connection.execute(
        select(e.action, e.table_name, e.row_id, e.before, e.after)
        .where(e.import_batch_id == batch_id, e.action.in_(ROW_ACTIONS))
        .order_by(e.id)
    ).all()
    tables = {entry.table_name for entry in entries}
    current = {name: _rows_by_identity(session, SHEET_OF_TABLE[name]) for name in tables}
    undo: dict[str, list[tuple[PlanSheet, dict[str, Any], dict[str, Any] | None]]] = {a: [] for a in ROW_ACTIONS}
    drifted: list[str] = []
    for entry in entries:
        sheet = SHEET_OF_TABLE[entry.table_name]
        before = _from_json(sheet, entry.before) if entry.before else None
        after = json.loads(entry.after) if entry.after else None
        identity = _identity(sheet, cast(dict[str, Any], after or before))
        now = current[entry.table_name].get(identity)
        if (json.loads(cast(str, _as_json(now))) if now else None) != after:
            drifted.append(f"«{entry.row_id}» en «{sheet.name}»")
        undo[entry.action].append((sheet, _from_json(sheet, entry.after) if entry.after else {}, before))
    if drifted:
        raise UndoRefused(
            f"Desde esta carga cambiaron filas que ella escribió (por ejemplo {drifted[0]}; {len(drifted)} en total). "
            "Deshacerla borraría esos cambios; corríjalos a mano o cargue de nuevo el libro."
        )
    order = {sheet.name: index for index, sheet in enumerate(WRITE_ORDER)}
    # Deleted rows come back first (parents first), updated rows are restored, created rows go (children first).
    for sheet in sorted({s.name: s for s, _, _ in undo[DELETED]}.values(), key=lambda s: order[s.name]):
        rows = [cast(dict[str, Any], before) for s, _, before in undo[DELETED] if s is sheet]
        connection.execute(insert(sheet.table), rows)
        _sync_sequence(session, sheet)
    for sheet in {s.name: s for s, _, _ in undo[UPDATED]}.values():
        names = [c.name for c in sheet.table.columns if c.name not in sheet.primary_key]
        params = [
            _pk_params(sheet, _identity(sheet, before)) | {f"v_{name}": before[name] for name in names}
            for s, _, before in undo[UPDATED]
            if s is sheet and before is not None
        ]
        statement = update(sheet.table).where(_pk_clause(sheet)).values({n: bindparam(f"v_{n}") for n in names})
        connection.execute(statement, params)
    for sheet in sorted({s.name: s for s, _, _ in undo[CREATED]}.values(), key=lambda s: -order[s.name]):
        params = [_pk_params(sheet, _identity(sheet, after)) for s, after, _ in undo[CREATED] if s is sheet]
        connection.execute(delete(sheet.table).where(_pk_clause(sheet)), params)
    _restore_dataset(session, batch_id)
    counts = {"filas_borradas": len(undo[CREATED]), "filas_restauradas": len(undo[UPDATED]) + len(undo[DELETED])}
    batches.mark_undone(session=session, batch=batch, user=user, counts=counts)
    return UndoResult(batch_id, len(undo[CREATED]), len(undo[UPDATED]) + len(undo[DELETED]))


def _restore_dataset(session: Session, batch_id: int) -> None:
    """Put back the demo flag the batch replaced."""
    e = table_of(AuditEntry).c
    before = (
        session.connection()
        .execute(select(e.before).where(e.import_batch_id == batch_id, e.action == BATCH_ACTION))
        .scalar()
    )
    previous = json.loads(before).get("datos") if before else None
    if previous is None:
        setting = session.get(Setting, db.DATASET_KEY)
        if setting is not None:
            session.delete(setting)
    else:
        db.set_setting(session=session, key=db.DATASET_KEY, value=previous)
