"""The plantilla de articulación of one actor: its instruments and the lines they concern, to fill and load back.

``alignment_template`` gives the file (one row per crosswalk row, and a blank row for each line an instrument
concerns without one); ``validate_alignment`` reads it back and reports every problem by row and column, with the
crosswalk's own columns and rules (``core.plan.sheets`` «Articulación», ``core.plan.rules``), writing nothing;
``apply_alignment`` writes the valid rows as one ``ImportBatch`` (kind «articulación»); ``undo_alignment_batch``
puts back what that batch changed, from its audit entries.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from sqlalchemy import delete, select, update
from sqlmodel import Session

from core import audit, db
from core.adoption.editing import new_codes
from core.db import table_columns
from core.excel import cells, parsing, writing
from core.excel.cells import CellError, normalized
from core.excel.headers import find_table, likely_table, mapped_fields, places, unmatched
from core.excel.problems import ERROR, ChangeKind, CheckedRows, Problem, Problems
from core.excel.reading import read_workbook
from core.excel.spec import CellKind, Column
from core.excel.writing import safe_text
from core.models import Actor, Alignment, AuditEntry, Instrument, InstrumentLine, StrategicLine
from core.plan import rules
from core.plan.sheets import SHEET_BY_NAME, blank_value
from core.refusals import Refused
from core.uploads import batches
from core.uploads.batches import BatchKind, UndoRefused, UndoResult, applied_before
from core.uploads.mappings import with_remembered

KIND = BatchKind.ALIGNMENT
NEW, CHANGED, UNCHANGED = ChangeKind.NEW, ChangeKind.UPDATED, ChangeKind.UNCHANGED
CREATED, UPDATED = "crear articulación por carga", "actualizar articulación por carga"
CROSSWALK = SHEET_BY_NAME["Articulación"]
FILLED: tuple[str, ...] = ("their_code", "their_text", "level", "resources_cop", "year", "evidence", "state",
                           "verified_by", "verified_on")  # fmt: skip
WIDTHS = {"their_text": 40, "evidence": 30, "verified_by": 22}

# The template's columns: what orients the person (grey), then the crosswalk's own columns as the plan workbook
# declares them (same header, kind, range and choices), to fill in (yellow).
COLUMNS: tuple[Column, ...] = (
    Column("instrument_code", "Código instrumento", CellKind.CODE, required=True, width=16, filled_in=False,
           synonyms=("instrumento",)),
    Column("instrument_name", "Instrumento (nombre)", width=36, filled_in=False, read_back=False),
    Column("line_code", "Línea", CellKind.CODE, required=True, width=8, filled_in=False, synonyms=("código línea",)),
    Column("line_name", "Nombre de la línea", width=34, filled_in=False, read_back=False),
    Column("code", "Código fila", CellKind.CODE, width=12, filled_in=False, synonyms=("código",)),
    *(replace(CROSSWALK.column(name), width=WIDTHS.get(name, 14)) for name in FILLED),
)  # fmt: skip
LABELS = {column.field: column.header for column in COLUMNS}
INSTRUCTIONS = (
    "Llene una fila por cada programa, meta o proyecto de su instrumento que tome una línea del plan. Nivel: 0 "
    "ausente, 1 mencionado, 2 programado, 3 con recursos este año. Una fila «verificado» necesita «Verificado por» y "
    "«Verificado el». Deje «Código fila» en blanco para una fila nueva; no cambie los códigos."
)


class AlignmentRefused(Refused):
    """The template cannot be made or applied; the message says why in Spanish."""


def _actor(session: Session, actor_code: str) -> tuple[int, str]:
    a = table_columns(Actor)
    rows = session.connection().execute(select(a.id, a.code, a.name).where(a.archived_on.is_(None))).all()
    found = next((row for row in rows if normalized(row.code) == normalized(actor_code)), None)
    if found is None:
        raise AlignmentRefused([f"No existe un actor activo con el código «{actor_code}»."])
    return int(found.id), str(found.name)


def _instruments(session: Session, actor_id: int) -> pd.DataFrame:
    i = table_columns(Instrument)
    query = select(i.id, i.code, i.name).where(i.actor_id == actor_id, i.archived_on.is_(None)).order_by(i.code)
    return pd.read_sql(query, session.connection())


def _lines(session: Session) -> pd.DataFrame:
    ln = table_columns(StrategicLine)
    return pd.read_sql(
        select(ln.id, ln.code, ln.name).where(ln.archived_on.is_(None)).order_by(ln.sort_order, ln.code),
        session.connection(),
    )


def _stored(session: Session, instrument_ids: list[int]) -> pd.DataFrame:
    al = table_columns(Alignment)
    query = select(al.id.table).where(al.instrument_id.in_(instrument_ids), al.archived_on.is_(None))
    return pd.read_sql(query.order_by(al.code), session.connection())


def alignment_template(*, session: Session, actor_code: str) -> bytes:
    """The actor's plantilla: its instruments' crosswalk rows, and a blank row per concerned line without one."""
    actor_id, actor_name = _actor(session, actor_code)
    instruments = _instruments(session, actor_id)
    lines = _lines(session).set_index("id")
    il = table_columns(InstrumentLine)
    concerned = pd.read_sql(
        select(il.instrument_id, il.line_id).where(il.instrument_id.in_(instruments.id.tolist())),
        session.connection(),
    )
    stored = _stored(session, instruments.id.tolist())
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "Articulación"
    sheet["A1"] = safe_text(f"Plantilla de articulación – {actor_name}")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet["A2"] = INSTRUCTIONS
    header_row = 4
    writing.template_header(sheet, COLUMNS, row=header_row)
    rows: list[dict[str, Any]] = []
    for instrument in instruments.itertuples():
        mine = stored.loc[stored.instrument_id == instrument.id]
        for row in mine.to_dict("records"):
            line = lines.loc[row["line_id"]] if row["line_id"] in lines.index else None
            rows.append({"instrument_code": instrument.code, "instrument_name": instrument.name,
                         "line_code": None if line is None else line.code,
                         "line_name": None if line is None else line["name"], "code": row["code"],
                         **{name: _cell(row[name]) for name in FILLED}})  # fmt: skip
        covered = set(mine.line_id)
        for line_id in concerned.loc[concerned.instrument_id == instrument.id, "line_id"]:
            if line_id not in covered and line_id in lines.index:
                line = lines.loc[line_id]
                rows.append({"instrument_code": instrument.code, "instrument_name": instrument.name,
                             "line_code": line.code, "line_name": line["name"]})  # fmt: skip
    for row_number, values in enumerate(rows, start=header_row + 1):
        for column_number, column in enumerate(COLUMNS, start=1):
            cell = sheet.cell(row=row_number, column=column_number)
            cell.fill = writing.template_fill(column)
            value = values.get(column.field)
            if value is None:
                continue
            if isinstance(value, str):
                cell.value, cell.data_type = safe_text(value), "s"
            else:
                cell.value = value
                if isinstance(value, date):
                    cell.number_format = "dd/mm/yyyy"
    writing.template_validations(sheet, COLUMNS, first_row=header_row + 1, last_row=header_row + len(rows) + 50)
    sheet.freeze_panes = f"F{header_row + 1}"
    return writing.save(workbook)


def _cell(value: Any) -> Any:
    """A stored value as the template writes it: blanks blank, whole numbers whole, timestamps as dates."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if hasattr(value, "item"):
        return value.item()
    return value


CHANGE_COLUMNS: tuple[str, ...] = ("row", "kind", "code", "instrument_code", "line_code", "values", "alignment_id")


@dataclass
class AlignmentPreview(CheckedRows):
    actor_code: str
    file_name: str
    sha256: str
    rows_total: int
    problems: list[Problem]
    notices: list[str]
    changes: pd.DataFrame  # CHANGE_COLUMNS; ``values``: the row as the table stores it (ids)
    already_applied: tuple[int, str] | None = None
    data_version: int = 0


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return cells.plain_number(value)
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)[:80]


def validate_alignment(
    *, session: Session, data: bytes, file_name: str, actor_code: str, columns: Mapping[str, str] | None = None
) -> AlignmentPreview:
    """Every problem of an actor's filled plantilla at once, and what applying it would change. Writes nothing."""
    actor_id, _ = _actor(session, actor_code)
    workbook = read_workbook(data, file_name)
    mapped = mapped_fields(COLUMNS, columns)
    table = find_table(workbook, COLUMNS, required_any=("instrument_code",), mapped=mapped)
    if table is None or "line_code" not in table.columns or "level" not in table.columns:
        located = table or likely_table(workbook, COLUMNS, mapped=mapped)
        missing = [LABELS[name] for name in ("instrument_code", "line_code", "level") if name not in located.columns]
        exc = unmatched(
            located,
            missing,
            "No se encontró la tabla de articulación: faltan las columnas " + ", ".join(f"«{m}»" for m in missing)
            + ". Descargue la plantilla de articulación del actor para ver el formato.",
        )  # fmt: skip
        raise with_remembered(exc, session=session, kind=KIND)
    instruments = _instruments(session, actor_id)
    instrument_ids = {normalized(code): int(i) for i, code in zip(instruments.id, instruments.code, strict=True)}
    lines = _lines(session)
    line_ids = {normalized(code): int(i) for i, code in zip(lines.id, lines.code, strict=True)}
    stored = _stored(session, instruments.id.tolist())
    stored_by_code = {normalized(row["code"]): row for row in stored.to_dict("records")}
    problems = Problems(places(table, LABELS))
    notices: list[str] = [table.hidden_notice] if table.hidden_notice else []
    changes: list[tuple[Any, ...]] = []
    seen: dict[str, int] = {}
    total = 0

    def cell(values: list[object], name: str) -> object:
        position = table.columns.get(name)
        return values[position] if position is not None and position < len(values) else None

    for row, values in table.data_rows():
        raw = {name: cell(values, name) for name in LABELS}
        if all(cells.is_blank(raw[name]) for name in FILLED):
            continue  # a line left unfilled changes nothing
        total += 1
        parsed: dict[str, Any] = {}
        bad = False
        for column in COLUMNS:
            if not column.read_back:
                continue
            try:
                parsed[column.field] = parsing.cell_value(column, raw[column.field])
            except CellError as exc:
                problems.add(row, column.field, _shown(raw[column.field]), str(exc), ERROR)
                bad = True
        instrument_id = instrument_ids.get(normalized(str(parsed.get("instrument_code") or "")))
        if instrument_id is None and parsed.get("instrument_code"):
            problems.add(row, "instrument_code", str(parsed["instrument_code"]),
                         "no es un instrumento activo de este actor", ERROR)  # fmt: skip
            bad = True
        line_id = line_ids.get(normalized(str(parsed.get("line_code") or "")))
        if line_id is None and parsed.get("line_code"):
            problems.add(row, "line_code", str(parsed["line_code"]), "no es una línea activa del plan", ERROR)
            bad = True
        for name in ("instrument_code", "line_code", "level"):
            if parsed.get(name) is None and not bad:
                problems.add(row, name, "", f"falta «{LABELS[name]}»: es un dato obligatorio", ERROR)
                bad = True
        code = parsed.get("code")
        current = stored_by_code.get(normalized(str(code))) if code else None
        if code and current is None:
            problems.add(row, "code", str(code), "no es una fila de articulación de este actor; déjelo en blanco para "
                         "una fila nueva", ERROR)  # fmt: skip
            bad = True
        if code and normalized(str(code)) in seen:
            problems.add(row, "code", str(code), f"repetido: la fila {seen[normalized(str(code))]} ya lo trae", ERROR)
            bad = True
        elif code:
            seen[normalized(str(code))] = row
        record = {name: blank_value(CROSSWALK, name) if parsed.get(name) is None else parsed[name] for name in FILLED}
        for name, message in rules.record_problems("alignment", record).items():
            problems.add(row, name, _shown(record.get(name)), message, ERROR)
            bad = True
        if bad:
            continue
        stored_values = {"instrument_id": instrument_id, "line_id": line_id, **record}
        if current is None:
            kind = NEW
        else:
            same = all(_same(current.get(name), value) for name, value in stored_values.items())
            kind = UNCHANGED if same else CHANGED
        changes.append((row, kind, code, parsed["instrument_code"], parsed["line_code"], stored_values,
                        None if current is None else int(current["id"])))  # fmt: skip
    sha = hashlib.sha256(data).hexdigest()
    return AlignmentPreview(
        actor_code=actor_code,
        file_name=file_name,
        sha256=sha,
        rows_total=total,
        problems=problems.sorted(),
        notices=notices,
        changes=pd.DataFrame(changes, columns=list(CHANGE_COLUMNS)),
        already_applied=applied_before(session=session, sha256=sha, kind=KIND),
        data_version=db.data_version(session=session),
    )


def _same(stored: Any, new: Any) -> bool:
    stored = _cell(stored)
    if isinstance(stored, str) or isinstance(new, str):
        return (stored or "") == (new or "")
    return bool(stored == new)


@dataclass(frozen=True)
class AlignmentApplyResult:
    batch_id: int | None
    inserted: int
    updated: int
    unchanged: int
    held: int


def _row(record: Alignment) -> dict[str, Any]:
    values: dict[str, Any] = json.loads(json.dumps(record.model_dump(), default=str))
    return values


def apply_alignment(*, session: Session, preview: AlignmentPreview, user: str) -> AlignmentApplyResult:
    """Write the valid rows of ``preview`` as one batch, in the caller's transaction, each with its audit entry."""
    batches.refuse_stale(session=session, data_version=preview.data_version)
    changes = preview.changes
    todo = changes.loc[changes.kind.isin([NEW, CHANGED])] if len(changes) else changes
    unchanged = int((changes.kind == UNCHANGED).sum()) if len(changes) else 0
    held = len(preview.held_rows)
    if todo.empty:
        return AlignmentApplyResult(None, 0, 0, unchanged, held)
    batch_id = batches.open_batch(session=session, kind=KIND, file_name=preview.file_name, sha256=preview.sha256,
                                  user=user, rows_total=preview.rows_total, rows_applied=len(todo),
                                  rows_rejected=held)  # fmt: skip
    inserted = updated = 0
    codes = iter(new_codes(session, int((todo.kind == NEW).sum())))
    for change in todo.to_dict("records"):
        values = dict(change["values"])
        if change["kind"] == NEW:
            record = Alignment(code=next(codes), **values)
            before = None
            inserted += 1
        else:
            found = session.get(Alignment, int(change["alignment_id"]))
            assert found is not None  # the preview is fresh: nobody wrote since
            record, before = found, _row(found)
            for name, value in values.items():
                setattr(record, name, value)
            updated += 1
        session.add(record)
        session.flush()
        audit.record(session=session, user=user, action=UPDATED if before else CREATED, table_name="alignment",
                     row_id=str(record.id), before=before, after=_row(record), import_batch_id=batch_id)  # fmt: skip
    batches.close_batch(session=session, batch_id=batch_id, kind=KIND, user=user,
                        after={"archivo": preview.file_name, "actor": preview.actor_code, "nuevas": inserted,
                               "actualizadas": updated, "sin_cambio": unchanged, "rechazadas": held})  # fmt: skip
    return AlignmentApplyResult(batch_id, inserted, updated, unchanged, held)


def undo_alignment_batch(*, session: Session, batch_id: int, user: str) -> UndoResult:
    """Put back what an articulación batch changed; refused when a later upload built on it or a row it wrote has
    changed since."""
    batch = batches.batch_to_undo(session=session, batch_id=batch_id, kind=KIND)
    batches.refuse_if_built_on(session=session, batch_id=batch_id)
    e, al = table_columns(AuditEntry), table_columns(Alignment)
    connection = session.connection()
    entries = connection.execute(
        select(e.action, e.row_id, e.before, e.after)
        .where(e.import_batch_id == batch_id, e.table_name == "alignment", e.action.in_([CREATED, UPDATED]))
        .order_by(e.id.desc())
    ).all()
    for entry in entries:
        now = session.get(Alignment, int(entry.row_id))
        if now is None or _row(now) != json.loads(entry.after):
            raise UndoRefused(
                "Desde esta carga cambiaron filas de articulación que ella escribió; corríjalas a mano o cargue la "
                "plantilla de nuevo."
            )
        session.expunge(now)
    deleted = restored = 0
    for entry in entries:
        if entry.action == CREATED:
            deleted += connection.execute(delete(Alignment).where(al.id == int(entry.row_id))).rowcount
        else:
            previous = {k: v for k, v in json.loads(entry.before).items() if k != "id"}
            for name in ("verified_on", "archived_on"):
                previous[name] = date.fromisoformat(previous[name]) if previous.get(name) else None
            connection.execute(update(Alignment).where(al.id == int(entry.row_id)).values(previous))
            restored += 1
    batches.mark_undone(session=session, batch=batch, user=user,
                        counts={"filas_borradas": deleted, "filas_restauradas": restored})  # fmt: skip
    return UndoResult(batch_id, deleted, restored)
