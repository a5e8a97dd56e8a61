"""Recording participation: events with their attendance, motivation ratings, and attendance sheets from Excel.

Every write goes into the caller's transaction (``db.transaction``), writes the audit trail and bumps the data
version; bad input raises ``ParticipationRefused`` with every reason in Spanish, before anything is written.

The attendance sheet of an event follows the progress-sheet flow: ``attendance_template`` gives the file,
``validate_attendance`` reads it back and reports every problem by row and column without writing,
``apply_attendance`` writes the valid rows as one ``ImportBatch`` (kind «asistencia»), and
``undo_attendance_batch`` restores what that batch changed, from its audit entries.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select
from sqlmodel import Session

from core import audit, db
from core.db import table_columns
from core.excel import cells, parsing, writing
from core.excel.cells import CellError, normalized
from core.excel.headers import find_table, likely_table, mapped_fields, places, stated_above, unmatched
from core.excel.problems import ERROR, WARNING, ChangeKind, CheckedRows, Problem, Problems, Severity
from core.excel.reading import DEFAULT_LIMITS, FileRejected, Limits, read_workbook
from core.excel.spec import CellKind, Column, header_key
from core.excel.writing import safe_text
from core.models import (
    SECTORS,
    Actor,
    Attendance,
    Barrio,
    Event,
    StrategicLine,
)
from core.participation.records import MAX_DELEGATES, ParticipationRefused
from core.uploads import batches
from core.uploads.batches import BatchKind, UndoResult, applied_before
from core.uploads.mappings import with_remembered

YES, NO = writing.YES, writing.NO


NEW, CHANGED, UNCHANGED = ChangeKind.NEW, ChangeKind.UPDATED, ChangeKind.UNCHANGED


CREATED, UPDATED = "crear asistencia por carga", "actualizar asistencia por carga"


ATTENDANCE_KIND = BatchKind.ATTENDANCE


# ---------------------------------------------------------------------------------------------- the Excel sheet

# The attendance sheet, in template order.
COLUMNS: tuple[Column, ...] = (
    Column("actor_code", "Código actor", CellKind.CODE, width=14, filled_in=False,
           synonyms=("código", "actor código")),
    Column("actor", "Actor", width=50, filled_in=False,
           synonyms=("nombre", "nombre del actor", "organización", "entidad")),
    Column("sector", "Sector", width=18, filled_in=False, read_back=False),
    Column("invited", "Invitado", CellKind.BOOL, width=11, synonyms=("invitada", "invitación", "convocado")),
    Column("attended", "Asistió", CellKind.BOOL, width=11, synonyms=("asistencia",)),
    Column("delegates", "Delegados", CellKind.INTEGER, minimum=0, width=11,
           synonyms=("número de delegados", "delegados que asistieron", "asistentes")),
)  # fmt: skip
LABELS = {column.field: column.header for column in COLUMNS}
EVENT_NUMBER_LABEL = "Número del evento"
INSTRUCTIONS = (
    "Escriba Sí o No en «Invitado» y en «Asistió», y en «Delegados» cuántas personas envió la organización. "
    "Una fila vacía no cambia nada; no cambie los códigos."
)


def _event(session: Session, event_id: int) -> dict[str, Any]:
    e, b, ln, a = (table_columns(m) for m in (Event, Barrio, StrategicLine, Actor))
    row = (
        session.connection()
        .execute(
            select(
                e.id,
                e.held_on,
                e.kind,
                e.title,
                b.name.label("barrio"),
                ln.code.label("line_code"),
                ln.name.label("line_name"),
                a.name.label("convener"),
            )
            .select_from(e.id.table)
            .outerjoin(b.id.table, b.id == e.barrio_id)
            .outerjoin(ln.id.table, ln.id == e.line_id)
            .outerjoin(a.id.table, a.id == e.convened_by_actor_id)
            .where(e.id == event_id)
        )
        .mappings()
        .first()
    )
    if row is None:
        raise ParticipationRefused([f"No existe el evento número {event_id}."])
    return dict(row)


def attendance_template(*, session: Session, event_id: int) -> bytes:
    """The attendance sheet of one event: the event on top, one row per actor with what is already recorded."""
    event = _event(session, event_id)
    a, t = table_columns(Actor), table_columns(Attendance)
    actors = pd.read_sql(select(a.id, a.code, a.name, a.sector), session.connection())
    marks = pd.read_sql(
        select(t.actor_id, t.invited, t.attended, t.delegates).where(t.event_id == event_id), session.connection()
    ).set_index("actor_id")
    order = {sector: position for position, sector in enumerate(SECTORS)}
    actors = actors.assign(_sector=actors.sector.map(order).fillna(len(order))).sort_values(["_sector", "name"])
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Asistencia"
    sheet["A1"] = safe_text(f"Asistencia – {event['title']}")
    sheet["A1"].font = Font(bold=True, size=14)
    line = f"{event['line_code']} – {event['line_name']}" if event["line_code"] else ""
    info = [
        (EVENT_NUMBER_LABEL, event["id"]),
        ("Fecha", event["held_on"]),
        ("Tipo", event["kind"]),
        ("Barrio", event["barrio"] or "Toda la comuna"),
        ("Línea", line),
        ("Convocado por", event["convener"] or ""),
    ]
    for row_number, (label, value) in enumerate(info, start=2):
        sheet.cell(row=row_number, column=1, value=label).font = Font(bold=True)
        cell = sheet.cell(row=row_number, column=2)
        if isinstance(value, str):
            cell.value = safe_text(value)
            cell.data_type = "s"
        else:
            cell.value = value
        if isinstance(value, date):
            cell.number_format = "dd/mm/yyyy"
    sheet.cell(row=len(info) + 2, column=1, value=INSTRUCTIONS).alignment = Alignment(wrap_text=False)
    header_row = len(info) + 4
    writing.template_header(sheet, COLUMNS, row=header_row)
    marked = {int(i): mark for i, mark in zip(marks.index.tolist(), marks.to_dict("records"), strict=True)}
    for row_number, actor in enumerate(actors.to_dict("records"), start=header_row + 1):
        values: dict[str, Any] = {"actor_code": actor["code"], "actor": actor["name"], "sector": actor["sector"]}
        mark = marked.get(int(actor["id"]))
        if mark is not None:
            values["invited"] = YES if bool(mark["invited"]) else NO
            values["attended"] = YES if bool(mark["attended"]) else NO
            values["delegates"] = None if pd.isna(mark["delegates"]) else int(mark["delegates"])
        for column_number, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            value = values.get(column.field)
            cell.fill = writing.template_fill(column)
            if value is None:
                continue
            cell.value = safe_text(value) if isinstance(value, str) else value
            if isinstance(value, str):
                cell.data_type = "s"
    last = header_row + max(len(actors), 1) + 50
    writing.template_validations(sheet, COLUMNS, first_row=header_row + 1, last_row=last)
    sheet.freeze_panes = f"C{header_row + 1}"
    return writing.save(workbook)


CHANGE_COLUMNS: tuple[str, ...] = (
    "row",
    "kind",
    "actor_id",
    "actor_code",
    "actor_name",
    "invited",
    "attended",
    "delegates",
    "attendance_id",
    "previous",  # "Sí/No/3" as stored before, for the preview
)


@dataclass
class AttendancePreview(CheckedRows):
    event_id: int
    event_title: str
    file_name: str
    sha256: str
    rows_total: int
    problems: list[Problem]
    notices: list[str]
    changes: pd.DataFrame  # CHANGE_COLUMNS, one row per valid filled row
    already_applied: tuple[int, str] | None = None
    data_version: int = 0  # the plan this preview was computed against; any later write makes it stale


def _count(raw: object) -> int | None:
    amount = cells.number(raw)
    if amount is None:
        return None
    if not amount.is_integer():
        raise CellError("escriba un número entero de delegados")
    if amount < 0:
        raise CellError("los delegados no pueden ser negativos")
    if amount > MAX_DELEGATES:
        raise CellError(f"no pueden ser más de {cells.plain_number(MAX_DELEGATES)} delegados")
    return int(amount)


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float):
        return cells.plain_number(value)
    return str(value)[:80]


def validate_attendance(
    *,
    session: Session,
    data: bytes,
    file_name: str,
    event_id: int,
    columns: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
) -> AttendancePreview:
    """Every problem of an attendance sheet at once, and what applying it would change. Writes nothing.

    Raises ``FileRejected`` when the file as a whole cannot be used (not a sheet, another event's sheet),
    ``ColumnsUnmatched`` when a required column is not found (``columns``, {contract header: file header}, names
    the ones the coordinator mapped), ``ParticipationRefused`` when the event does not exist.
    A blank cell keeps what is recorded; for an actor not yet recorded, a blank «Invitado» or «Asistió» is No.
    """
    event = _event(session, event_id)
    workbook = read_workbook(data, file_name, limits)
    mapped = mapped_fields(COLUMNS, columns)
    table = find_table(workbook, COLUMNS, required_any=("actor_code", "actor"), mapped=mapped)
    if table is None or not {"invited", "attended"} & set(table.columns):
        located = table or likely_table(workbook, COLUMNS, mapped=mapped)
        present = set(located.columns)
        missing = [] if {"actor_code", "actor"} & present else [LABELS["actor_code"]]
        missing += [LABELS["invited"], LABELS["attended"]] if not {"invited", "attended"} & present else []
        exc = unmatched(
            located,
            missing,
            "No se encontró la tabla de asistencia: faltan las columnas "
            + ", ".join(f"«{m}»" for m in missing)
            + ". Hace falta una fila de encabezados con «Código actor» (o «Actor») y «Invitado» o «Asistió». "
            "Indique qué columna de su archivo es cada una, o descargue la plantilla del evento para ver el formato.",
        )
        raise with_remembered(exc, session=session, kind=ATTENDANCE_KIND)
    if header_key(EVENT_NUMBER_LABEL) in {header_key(header) for header in table.ignored_headers}:
        raise FileRejected(
            "Este archivo trae la asistencia de varios eventos (como la hoja «Asistencia» del libro del plan): "
            "cárguelo en «Libro del plan», o use la plantilla de asistencia de este evento."
        )
    stated = stated_above(table, EVENT_NUMBER_LABEL)
    if stated is not None:
        written, number = stated
        if number != event_id:
            raise FileRejected(
                f"Este archivo es la planilla del evento número {_shown(written)}, no del evento número {event_id} "
                f"(«{event['title']}»). Elija ese evento o descargue la plantilla de este."
            )
    a, t = table_columns(Actor), table_columns(Attendance)
    actors = pd.read_sql(select(a.id, a.code, a.name, a.short_name), session.connection())
    by_code = {normalized(str(code)): int(i) for i, code in zip(actors.id, actors.code, strict=True)}
    by_name: dict[str, int] = {}
    for i, name, short in zip(actors.id, actors.name, actors.short_name, strict=True):
        for label in (name, short):
            if isinstance(label, str) and label.strip():
                by_name.setdefault(normalized(label), int(i))
    info = actors.set_index("id")
    stored = {
        int(row.actor_id): row
        for row in session.connection().execute(
            select(t.id, t.actor_id, t.invited, t.attended, t.delegates).where(t.event_id == event_id)
        )
    }
    problems = Problems(places(table, LABELS))
    notices: list[str] = [table.hidden_notice] if table.hidden_notice else []
    notices += table.ignored_notice(LABELS["sector"])
    cell = table.value

    def problem(row: int, name: str, raw: object, message: str, severity: Severity = ERROR) -> None:
        problems.add(row, name, _shown(raw), message, severity)

    parsed: list[dict[str, Any]] = []
    unfilled = 0
    for row, values in table.data_rows():
        raw = {name: cell(values, name) for name in ("invited", "attended", "delegates")}
        if all(cells.is_blank(value) for value in raw.values()):
            unfilled += 1
            continue
        found: dict[str, Any] = {"row": row, "bad": False}
        for name, reader in (("invited", parsing.yes_no), ("attended", parsing.yes_no), ("delegates", _count)):
            try:
                found[name] = reader(raw[name])
            except CellError as exc:
                problem(row, name, raw[name], str(exc))
                found["bad"] = True
        code, name = cells.text(cell(values, "actor_code")), cells.text(cell(values, "actor"))
        if code is not None:
            found["actor_id"] = by_code.get(normalized(code))
            if found["actor_id"] is None:
                problem(row, "actor_code", code, f"no existe un actor con el código «{code}»")
        elif name is not None:
            found["actor_id"] = by_name.get(normalized(name), by_code.get(normalized(name)))
            if found["actor_id"] is None:
                problem(row, "actor", name, f"no existe un actor llamado «{name}»; escriba su código")
        else:
            found["actor_id"] = None
            problem(row, "actor_code" if "actor_code" in table.columns else "actor", None, "falta el código del actor")
        parsed.append(found)
    if unfilled:
        notices.append(f"{unfilled} filas sin llenar (sin invitado, asistió ni delegados) no cambian nada.")
    rows_of: dict[int, list[int]] = {}
    for found in parsed:
        if found["actor_id"] is not None:
            rows_of.setdefault(found["actor_id"], []).append(found["row"])
    changes = []
    for found in parsed:
        actor_id = found["actor_id"]
        if actor_id is None:
            continue
        row = found["row"]
        others = [r for r in rows_of[actor_id] if r != row]
        if others:
            label = "la fila" if len(others) == 1 else "las filas"
            problem(
                row,
                "actor_code" if "actor_code" in table.columns else "actor",
                info.at[actor_id, "code"],
                f"el actor aparece también en {label} {', '.join(map(str, others))}: deje una sola fila por actor",
            )
            continue
        if found["bad"]:
            continue
        current = stored.get(actor_id)
        invited = found["invited"] if found["invited"] is not None else bool(current.invited) if current else False
        attended = found["attended"] if found["attended"] is not None else bool(current.attended) if current else False
        delegates = found["delegates"] if found["delegates"] is not None else (current.delegates if current else None)
        if attended and not invited:
            problem(
                row,
                "attended",
                found["attended"],
                "asistió sin invitación: se guarda así, pero el índice de participación solo cuenta los eventos a "
                "los que fue invitado",
                WARNING,
            )
        if delegates and not attended:
            problem(row, "delegates", delegates, "hay delegados pero dice que no asistió; se guarda así", WARNING)
        if current is None:
            kind, previous = NEW, ""
        else:
            same = (bool(current.invited), bool(current.attended), current.delegates) == (invited, attended, delegates)
            kind = UNCHANGED if same else CHANGED
            shown = f"{_shown(bool(current.invited))}/{_shown(bool(current.attended))}"
            previous = shown + (f"/{current.delegates}" if current.delegates is not None else "")
        changes.append(
            (
                row,
                kind,
                actor_id,
                info.at[actor_id, "code"],
                info.at[actor_id, "name"],
                invited,
                attended,
                delegates,
                current.id if current else None,
                previous,
            )
        )
    held = problems.error_rows()
    frame = pd.DataFrame([c for c in changes if c[0] not in held], columns=list(CHANGE_COLUMNS))
    sha = hashlib.sha256(data).hexdigest()
    return AttendancePreview(
        event_id=event_id,
        event_title=str(event["title"]),
        file_name=file_name,
        sha256=sha,
        rows_total=len(parsed),
        problems=problems.sorted(),
        notices=notices,
        changes=frame,
        already_applied=applied_before(session=session, sha256=sha, kind=ATTENDANCE_KIND),
        data_version=db.data_version(session=session),
    )


@dataclass(frozen=True)
class AttendanceApplyResult:
    batch_id: int | None  # None when there was nothing to change
    inserted: int
    updated: int
    unchanged: int
    held: int


def _state(row: Any) -> dict[str, Any]:
    return {
        "event_id": int(row.event_id),
        "actor_id": int(row.actor_id),
        "invited": bool(row.invited),
        "attended": bool(row.attended),
        "delegates": None if row.delegates is None or pd.isna(row.delegates) else int(row.delegates),
    }


CONFLICT = (
    "Otra persona registró asistencia de este evento mientras se revisaba la planilla. Vuelva a cargarla para ver "
    "lo que ya quedó registrado; no se escribió nada."
)


def apply_attendance(*, session: Session, preview: AttendancePreview, user: str) -> AttendanceApplyResult:
    """Write the valid rows of ``preview`` as one batch, in the caller's transaction: one attendance per
    (event, actor), created or updated, each with an audit entry holding the values before and after.

    Refused (``StalePreview``) when anything was written since the preview, and (``ParticipationRefused``) when
    another writer recorded one of these attendances meanwhile; the caller's transaction then rolls back whole."""
    batches.refuse_stale(session=session, data_version=preview.data_version)
    changes = preview.changes
    todo = changes.loc[changes.kind.isin([NEW, CHANGED])]
    held = len(preview.held_rows)
    unchanged = int((changes.kind == UNCHANGED).sum())
    if todo.empty:
        return AttendanceApplyResult(None, 0, 0, unchanged, held)
    batch_id = batches.open_batch(
        session=session,
        kind=ATTENDANCE_KIND,
        file_name=preview.file_name,
        sha256=preview.sha256,
        user=user,
        rows_total=preview.rows_total,
        rows_applied=len(todo),
        rows_rejected=held,
    )
    with batches.conflicts_refused(ParticipationRefused([CONFLICT])):
        inserted, updated = _write_marks(session, preview.event_id, todo, user, batch_id)
    batches.close_batch(
        session=session,
        batch_id=batch_id,
        kind=ATTENDANCE_KIND,
        user=user,
        after={
            "archivo": preview.file_name,
            "evento": preview.event_id,
            "nuevos": inserted,
            "actualizados": updated,
            "sin_cambio": unchanged,
            "rechazados": held,
        },
    )
    return AttendanceApplyResult(batch_id, inserted, updated, unchanged, held)


def _write_marks(session: Session, event_id: int, todo: pd.DataFrame, user: str, batch_id: int) -> tuple[int, int]:
    """(inserted, updated): each mark created or updated, with its audit entry tied to the batch."""
    inserted = updated = 0
    for change in todo.to_dict("records"):
        delegates = change["delegates"]
        values: dict[str, Any] = {
            "event_id": event_id,
            "actor_id": int(change["actor_id"]),
            "invited": bool(change["invited"]),
            "attended": bool(change["attended"]),
            "delegates": None if delegates is None or pd.isna(delegates) else int(delegates),
        }
        row = session.get(Attendance, int(change["attendance_id"])) if change["kind"] == CHANGED else None
        before = _state(row) if row is not None else None
        if row is None:
            row = Attendance(**values)
            inserted += 1
        else:
            for name, value in values.items():
                setattr(row, name, value)
            updated += 1
        session.add(row)
        session.flush()
        audit.record(
            session=session,
            user=user,
            action=UPDATED if before else CREATED,
            table_name="attendance",
            row_id=str(row.id),
            before=before,
            after=values,
            import_batch_id=batch_id,
        )
    return inserted, updated


def undo_attendance_batch(*, session: Session, batch_id: int, user: str) -> UndoResult:
    """Restore what an attendance batch changed, in the caller's transaction; refused when a later upload (another
    attendance sheet touching the same rows, or any plan workbook) may have built on it."""
    batch = batches.batch_to_undo(session=session, batch_id=batch_id, kind=ATTENDANCE_KIND)
    batches.refuse_if_built_on(session=session, batch_id=batch_id, by=BatchKind.PLAN_WORKBOOK)
    deleted, restored = batches.replay_rows_backwards(
        session=session, batch_id=batch_id, model=Attendance, created=CREATED, updated=UPDATED, rows_noun="asistencias"
    )
    counts = {"asistencias_borradas": deleted, "asistencias_restauradas": restored}
    batches.mark_undone(session=session, batch=batch, user=user, counts=counts)
    return UndoResult(batch_id, deleted, restored)
