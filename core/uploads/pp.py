"""The plantilla de PP: one year's Presupuesto Participativo projects, out to Excel and back.

``pp_template`` gives the year's projects (the year written above the table); ``validate_pp`` reads the file back
and reports every problem by row and column without writing; ``apply_pp`` writes the valid rows as one
``ImportBatch`` (kind «presupuesto participativo»); ``undo_pp_batch`` restores what that batch changed, from its
audit entries. The rules are the plan's own (``core.plan.rules``): a project's program and project belong to its
line, executing more than assigned is a warning. A blank cell keeps what is recorded; nothing is ever a silent zero.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import delete, select, update
from sqlmodel import Session

from core import audit, db
from core.db import table_columns
from core.excel import cells, parsing, writing
from core.excel.cells import CellError, normalized
from core.excel.headers import find_table, likely_table, mapped_fields, places, stated_above, unmatched
from core.excel.problems import WARNING, ChangeKind, CheckedRows, Problem, Problems
from core.excel.reading import DEFAULT_LIMITS, FileRejected, Limits, read_workbook
from core.excel.spec import CellKind, Column
from core.excel.writing import safe_text
from core.models import PP_STATUSES, Actor, AuditEntry, ImportBatch, PPProject, Program, Project, StrategicLine
from core.plan import rules
from core.plan.sheets import FIRST_YEAR, LAST_YEAR
from core.refusals import Refused
from core.uploads import batches
from core.uploads.batches import BatchKind, BatchStatus, UndoRefused, UndoResult, applied_before
from core.uploads.mappings import with_remembered

KIND = BatchKind.PP
NEW, UPDATED, UNCHANGED = ChangeKind.NEW, ChangeKind.UPDATED, ChangeKind.UNCHANGED
CREATED, CHANGED = "crear proyecto de PP por carga", "actualizar proyecto de PP por carga"
YEAR_LABEL = "Año"
FIELDS = ("code", "year", "name", "dependencia_id", "assigned_cop", "executed_cop", "status", "line_id",
          "program_id", "project_id")  # fmt: skip

COLUMNS: tuple[Column, ...] = (
    Column("code", "Código", CellKind.CODE, required=True, width=14, synonyms=("código del proyecto", "cód")),
    Column("name", "Proyecto de PP", width=48, synonyms=("nombre", "nombre del proyecto", "proyecto pp")),
    Column("dependencia", "Dependencia", CellKind.CODE, width=14,
           synonyms=("código dependencia", "dependencia ejecutora", "ejecutor")),
    Column("dependencia_name", "Nombre de la dependencia", width=40, filled_in=False, read_back=False),
    Column("line", "Línea", CellKind.CODE, width=10, synonyms=("línea del plan", "código línea")),
    Column("program", "Programa", CellKind.CODE, width=12, synonyms=("programa del plan",)),
    Column("project", "Proyecto del plan", CellKind.CODE, width=14, synonyms=("perfil de proyecto",)),
    Column("assigned_cop", "Asignado (COP)", CellKind.MONEY, width=18, synonyms=("asignado", "valor asignado")),
    Column("executed_cop", "Ejecutado (COP)", CellKind.MONEY, width=18, synonyms=("ejecutado", "valor ejecutado")),
    Column("status", "Estado", CellKind.CHOICE, choices=PP_STATUSES, width=14),
)  # fmt: skip
LABELS = {column.field: column.header for column in COLUMNS}
INSTRUCTIONS = (
    "Una fila por proyecto de Presupuesto Participativo de este año. «Dependencia», «Línea», «Programa» y «Proyecto "
    "del plan» llevan códigos (un proyecto sin línea queda fuera del plan). Dinero en pesos. Una celda vacía deja "
    "lo registrado como está; un código nuevo crea el proyecto."
)


class PPUploadRefused(Refused):
    """The plantilla de PP cannot be applied; the message says why in Spanish."""


def _codes(session: Session) -> dict[str, dict[str, tuple[int, str]]]:
    """For each reference, normalized code -> (id, code as stored)."""
    found: dict[str, dict[str, tuple[int, str]]] = {}
    for name, model in (("dependencia", Actor), ("line", StrategicLine), ("program", Program), ("project", Project)):
        c = table_columns(model)
        rows = session.connection().execute(select(c.id, c.code).where(c.archived_on.is_(None)))
        found[name] = {normalized(code): (int(i), str(code)) for i, code in rows}
    return found


def _stored(session: Session) -> dict[str, dict[str, Any]]:
    c = table_columns(PPProject)
    rows = session.connection().execute(select(c.id, *(c[name] for name in FIELDS))).mappings()
    return {normalized(row["code"]): dict(row) for row in rows}


def pp_template(*, session: Session, year: int) -> bytes:
    """The plantilla de PP of ``year``: the year above the table, one row per PP project of that year."""
    c, a = table_columns(PPProject), table_columns(Actor)
    names = {int(i): (code, name) for i, code, name in session.connection().execute(select(a.id, a.code, a.name))}
    codes = {key: {i: code for i, code in values.values()} for key, values in _codes(session).items()}
    rows = (
        session.connection()
        .execute(select(*(c[name] for name in FIELDS)).where(c.year == year, c.archived_on.is_(None)).order_by(c.code))
        .mappings()
    )
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Presupuesto Participativo"
    sheet["A1"] = f"Presupuesto Participativo {year} – Comuna 12"
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"], sheet["B2"] = YEAR_LABEL, year
    sheet["A2"].font = Font(bold=True)
    sheet["A3"] = INSTRUCTIONS
    header_row = 5
    writing.template_header(sheet, COLUMNS, row=header_row)
    count = 0
    for count, row in enumerate(rows, start=1):
        dependencia = names.get(int(row["dependencia_id"]), ("", ""))
        values = {
            "code": row["code"], "name": row["name"], "dependencia": dependencia[0], "dependencia_name": dependencia[1],
            "line": codes["line"].get(row["line_id"]), "program": codes["program"].get(row["program_id"]),
            "project": codes["project"].get(row["project_id"]), "assigned_cop": row["assigned_cop"],
            "executed_cop": row["executed_cop"], "status": row["status"],
        }  # fmt: skip
        for number, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=header_row + count, column=number)
            cell.fill = writing.template_fill(column)
            value = values.get(column.field)
            if value is None:
                continue
            cell.value = safe_text(value) if isinstance(value, str) else value
            if isinstance(value, str):
                cell.data_type = "s"
            elif column.kind is CellKind.MONEY:
                cell.number_format = '"$" #,##0'
    writing.template_validations(sheet, COLUMNS, first_row=header_row + 1, last_row=header_row + count + 100)
    sheet.freeze_panes = f"C{header_row + 1}"
    return writing.save(workbook)


CHANGE_COLUMNS = ("row", "kind", "code", "name", "previous_assigned", "assigned_cop", "values", "pp_id")


@dataclass
class PPPreview(CheckedRows):
    year: int
    file_name: str
    sha256: str
    rows_total: int
    problems: list[Problem]
    notices: list[str]
    changes: pd.DataFrame  # CHANGE_COLUMNS; ``values`` is the row as it would be stored
    already_applied: tuple[int, str] | None = None
    data_version: int = 0


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 10_000 else cells.plain_number(value)
    return str(value)[:80]


def validate_pp(
    *,
    session: Session,
    data: bytes,
    file_name: str,
    year: int,
    columns: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> PPPreview:
    """Every problem of a plantilla de PP at once, and what applying it would change. Writes nothing.

    Raises ``FileRejected`` when the file cannot be used (another year's plantilla), ``ColumnsUnmatched`` when the
    code column is not found (``columns``: {contract header: file header} chosen by the coordinator)."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise FileRejected(f"El año {year} está fuera de rango ({FIRST_YEAR} a {LAST_YEAR}).")
    workbook = read_workbook(data, file_name, limits)
    mapped = mapped_fields(COLUMNS, columns)
    table = find_table(workbook, COLUMNS, required_any=("code",), mapped=mapped)
    if table is None:
        located = likely_table(workbook, COLUMNS, mapped=mapped)
        exc = unmatched(
            located,
            [LABELS["code"]],
            "No se encontró la tabla de Presupuesto Participativo: hace falta una fila de encabezados con «Código» y "
            "otras columnas de la plantilla. Indique qué columna de su archivo es cada una, o descargue la plantilla "
            "del año para ver el formato.",
        )
        raise with_remembered(exc, session=session, kind=KIND)
    stated = stated_above(table, YEAR_LABEL)
    if stated is not None and stated[1] != year:
        raise FileRejected(
            f"Este archivo es la plantilla de PP del año {_shown(stated[0])}, no de {year}. Elija ese año o "
            "descargue la plantilla de este."
        )
    references, stored = _codes(session), _stored(session)
    line_of_program, program_of_project = _paths(session)
    problems = Problems(places(table, LABELS))
    notices: list[str] = [table.hidden_notice] if table.hidden_notice else []
    notices += table.ignored_notice(LABELS["dependencia_name"])
    cell = table.value

    rows_of: dict[str, list[int]] = {}
    parsed: list[tuple[int, dict[str, Any]]] = []
    for row, values in table.data_rows():
        found: dict[str, Any] = {}
        bad = False
        for column in COLUMNS:
            if not column.read_back or column.field not in table.columns:
                continue
            raw = cell(values, column.field)
            try:
                found[column.field] = parsing.cell_value(column, raw)
            except CellError as exc:
                problems.add(row, column.field, _shown(raw), str(exc))
                bad = True
        code = found.get("code")
        if code is None:
            if not bad:
                problems.add(row, "code", "", "falta el código del proyecto de PP")
            continue
        rows_of.setdefault(normalized(code), []).append(row)
        for field, length in (("code", 20), ("name", 300)):
            if (too_long := rules.length_problem(str(found.get(field) or ""), length)) is not None:
                problems.add(row, field, _shown(found.get(field)), too_long)
                bad = True
        if not bad:
            parsed.append((row, found))
    changes = []
    for row, found in parsed:
        code = found["code"]
        others = [r for r in rows_of[normalized(code)] if r != row]
        if others:
            problems.add(row, "code", code, f"el código aparece también en la fila {', '.join(map(str, others))}")
            continue
        before = stored.get(normalized(code))
        if before is not None and before["year"] != year:
            problems.add(row, "code", code, f"el proyecto {before['code']} es de {before['year']}, no de {year}")
            continue
        record = dict(before) if before else {"code": code, "year": year, "status": PP_STATUSES[0]}
        record.pop("id", None)
        for field in ("name", "assigned_cop", "executed_cop", "status"):
            if found.get(field) is not None:
                record[field] = found[field]
        shown_codes: dict[str, str | None] = {}
        for field, target in (("dependencia", "dependencia_id"), ("line", "line_id"), ("program", "program_id"),
                              ("project", "project_id")):  # fmt: skip
            given = found.get(field)
            if given is None:
                stored_id = record.get(target)
                shown_codes[field] = next(
                    (c for i, c in references[field].values() if i == stored_id), None
                ) if stored_id is not None else None  # fmt: skip
                continue
            known = references[field].get(normalized(given))
            if known is None:
                problems.add(row, field, given, f"no existe (o está archivado) el código «{given}»")
                record[target] = None
            else:
                record[target], shown_codes[field] = known
        if not record.get("name"):
            problems.add(row, "name", "", "un proyecto de PP nuevo necesita su nombre")
        if record.get("dependencia_id") is None and found.get("dependencia") is None:
            problems.add(row, "dependencia", "", "un proyecto de PP nuevo necesita su dependencia (código del actor)")
        path = rules.pp_path_problem(
            shown_codes.get("line"), shown_codes.get("program"), shown_codes.get("project"),
            line_of_program=line_of_program, program_of_project=program_of_project,
        )  # fmt: skip
        if path:
            problems.add(row, "program" if "program" in table.columns else "line", _shown(found.get("program")), path)
        moved = before is None or (before["assigned_cop"], before["executed_cop"]) != (
            record.get("assigned_cop"), record.get("executed_cop"))  # fmt: skip
        overrun = rules.executed_over_assigned_problem(record.get("assigned_cop"), record.get("executed_cop"))
        if moved and overrun:
            problems.add(row, "executed_cop", _shown(record.get("executed_cop")), overrun, WARNING)
        kind = NEW if before is None else UNCHANGED if all(before[f] == record.get(f) for f in FIELDS) else UPDATED
        changes.append(
            (row, kind, code, record.get("name"), None if before is None else before["assigned_cop"],
             record.get("assigned_cop"), {f: record.get(f) for f in FIELDS}, None if before is None else before["id"])
        )  # fmt: skip
    held = problems.error_rows()
    frame = pd.DataFrame([c for c in changes if c[0] not in held], columns=list(CHANGE_COLUMNS))
    sha = hashlib.sha256(data).hexdigest()
    return PPPreview(
        year=year,
        file_name=file_name,
        sha256=sha,
        rows_total=len(rows_of),
        problems=problems.sorted(),
        notices=notices,
        changes=frame,
        already_applied=applied_before(session=session, sha256=sha, kind=KIND),
        data_version=db.data_version(session=session),
    )


def _paths(session: Session) -> tuple[dict[str, str], dict[str, str]]:
    """(program code -> its line's code, project code -> its program's code)."""
    ln, g, p = table_columns(StrategicLine), table_columns(Program), table_columns(Project)
    connection = session.connection()
    lines = {int(i): str(code) for i, code in connection.execute(select(ln.id, ln.code))}
    programs = {int(i): str(code) for i, code in connection.execute(select(g.id, g.code))}
    line_of_program = {str(code): lines[line] for code, line in connection.execute(select(g.code, g.line_id))}
    program_of_project = {
        str(code): programs[program] for code, program in connection.execute(select(p.code, p.program_id))
    }
    return line_of_program, program_of_project


@dataclass(frozen=True)
class PPApplyResult:
    batch_id: int | None  # None when there was nothing to change
    inserted: int
    updated: int
    unchanged: int
    held: int


CONFLICT = (
    "Otra persona registró un proyecto de PP con uno de estos códigos mientras se revisaba la plantilla. Vuelva a "
    "cargarla; no se escribió nada."
)


def _json_ready(values: Mapping[str, Any]) -> dict[str, Any]:
    return {k: (None if isinstance(v, float) and v != v else v) for k, v in values.items()}


def apply_pp(*, session: Session, preview: PPPreview, user: str) -> PPApplyResult:
    """Write the valid rows of ``preview`` as one batch in the caller's transaction, each with an audit entry holding
    the row before and after. Refused (``StalePreview``) when anything was written since the preview."""
    batches.refuse_stale(session=session, data_version=preview.data_version)
    changes = preview.changes
    todo = changes.loc[changes.kind.isin([NEW, UPDATED])]
    held, unchanged = len(preview.held_rows), int((changes.kind == UNCHANGED).sum())
    if todo.empty:
        return PPApplyResult(None, 0, 0, unchanged, held)
    batch_id = batches.open_batch(
        session=session, kind=KIND, file_name=preview.file_name, sha256=preview.sha256, user=user,
        rows_total=preview.rows_total, rows_applied=len(todo), rows_rejected=held,
    )  # fmt: skip
    inserted = updated = 0
    with batches.conflicts_refused(PPUploadRefused([CONFLICT])):
        for change in todo.to_dict("records"):
            values = _json_ready(change["values"])
            row = session.get(PPProject, int(change["pp_id"])) if change["kind"] == UPDATED else None
            before = None if row is None else _json_ready({f: getattr(row, f) for f in FIELDS})
            if row is None:
                row, inserted = PPProject(**values), inserted + 1
            else:
                for name, value in values.items():
                    setattr(row, name, value)
                updated += 1
            session.add(row)
            session.flush()
            audit.record(
                session=session, user=user, action=CHANGED if before else CREATED, table_name="pp_project",
                row_id=str(row.id), before=before, after=values, import_batch_id=batch_id,
            )  # fmt: skip
    batches.close_batch(
        session=session, batch_id=batch_id, kind=KIND, user=user,
        after={"archivo": preview.file_name, "año": preview.year, "nuevos": inserted, "actualizados": updated,
               "sin_cambio": unchanged, "rechazados": held},
    )  # fmt: skip
    return PPApplyResult(batch_id, inserted, updated, unchanged, held)


def undo_pp_batch(*, session: Session, batch_id: int, user: str) -> UndoResult:
    """Restore what a plantilla de PP changed, in the caller's transaction; refused when a later upload (another
    plantilla de PP touching the same projects, or any plan workbook) may have built on it."""
    batch = batches.batch_to_undo(session=session, batch_id=batch_id, kind=KIND)
    batches.refuse_if_built_on(session=session, batch_id=batch_id, by=BatchKind.PLAN_WORKBOOK)
    b, e = table_columns(ImportBatch), table_columns(AuditEntry)
    connection = session.connection()
    entries = connection.execute(
        select(e.action, e.row_id, e.before)
        .where(e.import_batch_id == batch_id, e.table_name == "pp_project", e.action.in_([CREATED, CHANGED]))
        .order_by(e.id.desc())
    ).all()
    later = connection.execute(
        select(e.import_batch_id)
        .join(b.id.table, b.id == e.import_batch_id)
        .where(e.import_batch_id > batch_id, b.status == BatchStatus.APPLIED.value, e.table_name == "pp_project")
        .where(e.row_id.in_([entry.row_id for entry in entries]))
        .order_by(e.import_batch_id)
    ).scalar()
    if later is not None:
        raise UndoRefused(
            f"La carga número {later}, posterior, cambió proyectos de PP de esta carga. Deshaga primero la número "
            f"{later}."
        )
    c = table_columns(PPProject)
    deleted = restored = 0
    for entry in entries:
        if entry.action == CREATED:
            deleted += connection.execute(delete(PPProject).where(c.id == int(entry.row_id))).rowcount
        else:
            connection.execute(update(PPProject).where(c.id == int(entry.row_id)).values(json.loads(entry.before)))
            restored += 1
    batches.mark_undone(
        session=session,
        batch=batch,
        user=user,
        counts={"proyectos_borrados": deleted, "proyectos_restaurados": restored},
    )
    return UndoResult(batch_id, deleted, restored)
