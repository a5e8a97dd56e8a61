"""Create, edit, archive and delete plan records from the app: one audited transaction per save.

A catalog is a sheet of the plan workbook (``core.plan_workbook.SHEETS``): its columns say which fields are
required, their vocabulary, range and length, so a form and an Excel row obey the same rules, and
``core.plan_rules`` holds the rules that span fields (dates, stage moves). A refusal raises ``PlanEditRefused``
with one Spanish message per field and writes nothing. Every write records the audit trail (the row before and
after) and bumps the data version, so every page shows it at once.

A record with history (rows of other tables that point to it) is archived, never deleted; one without history may
be deleted.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import pandas as pd
from sqlalchemy import Table, delete, func, insert, select, update
from sqlmodel import Session, SQLModel

from core import audit, db
from core.excel import cells, colors
from core.excel.cells import CellError, normalized
from core.excel.spec import CellKind, PlanColumn
from core.models import (
    Commitment,
    CommitmentActor,
    CommitmentBarrio,
    IdeaLine,
    InstrumentLine,
    MilestoneLine,
    PactLine,
    PactMember,
    PPProjectBarrio,
    Program,
    Project,
    ProjectBarrio,
)
from core.plan import rules, schema
from core.plan.sheets import SHEET_BY_NAME, PlanSheet, blank_value, column_length
from core.refusals import Refused

LINES, PROGRAMS, PROJECTS, ACTORS = "Líneas", "Programas", "Proyectos", "Actores"
COMMITMENTS, PACTS, BARRIOS = "Compromisos", "Pactos", "Barrios"
PLAN_PROFILE, IDEAS, INSTRUMENTS, ALIGNMENTS = "Plan", "Ideas-fuerza", "Instrumentos", "Articulación"
MILESTONE_KINDS, MILESTONES, PP_CEILINGS, PP_PROJECTS = "Tipos de hito", "Hitos", "Topes de PP", "Proyectos de PP"
CATALOGS: tuple[str, ...] = (
    LINES, PROGRAMS, PROJECTS, COMMITMENTS, ACTORS, PACTS, BARRIOS, PLAN_PROFILE, IDEAS, INSTRUMENTS, ALIGNMENTS,
    MILESTONE_KINDS, MILESTONES, PP_CEILINGS, PP_PROJECTS,
)  # fmt: skip
FIXED = BARRIOS  # the 13 official barrios: edited (population, area), never created, archived or deleted
ARCHIVED = "archived_on"
GENERAL = ""  # the key of a refusal that is about the whole record
PRIVATE_FIELDS = ("contact_person", "contact_phone", "contact_email")  # Ley 1581: never in a listing


@dataclass(frozen=True)
class Link:
    """Rows of a link table that belong to the record (a commitment's actors), edited as a list of codes."""

    field: str  # its name among a form's values
    label: str
    model: type[SQLModel]
    owner: str  # the column that points to the record
    other: str  # the column that points to the linked record
    target: str  # the catalog of the linked records
    even_share: bool = False  # co-committing actors share the commitment equally when the list changes
    when_blank: str = "Elija uno o varios"  # what an empty list means, shown in the empty field

    @property
    def table(self) -> Table:
        return _table(self.model)


LINKS: dict[str, tuple[Link, ...]] = {
    COMMITMENTS: (
        Link("actors", "Actores responsables", CommitmentActor, "commitment_id", "actor_id", ACTORS, even_share=True),
        Link(
            "barrios",
            "Barrios (en blanco: los del proyecto)",
            CommitmentBarrio,
            "commitment_id",
            "barrio_id",
            BARRIOS,
            when_blank="Los del proyecto",
        ),
    ),
    PROJECTS: (
        Link(
            "barrios",
            "Barrios (en blanco: toda la comuna)",
            ProjectBarrio,
            "project_id",
            "barrio_id",
            BARRIOS,
            when_blank="Toda la comuna",
        ),
    ),
    PACTS: (
        Link("members", "Actores miembros", PactMember, "pact_id", "actor_id", ACTORS),
        Link("lines", "Líneas del pacto", PactLine, "pact_id", "line_id", LINES),
    ),
    MILESTONES: (
        Link(
            "lines",
            "Líneas del hito (alcance «líneas» o «programas»)",
            MilestoneLine,
            "milestone_id",
            "line_id",
            LINES,
            when_blank="Todo el plan",
        ),
    ),
    PP_PROJECTS: (
        Link(
            "barrios",
            "Barrios (en blanco: toda la comuna)",
            PPProjectBarrio,
            "pp_project_id",
            "barrio_id",
            BARRIOS,
            when_blank="Toda la comuna",
        ),
    ),
    IDEAS: (Link("lines", "Líneas que la llevan", IdeaLine, "idea_id", "line_id", LINES),),
    INSTRUMENTS: (Link("lines", "Líneas del plan que toca", InstrumentLine, "instrument_id", "line_id", LINES),),
}


class PlanEditRefused(Refused):
    """Nothing was written; ``errors`` maps each field (``GENERAL`` for the whole record) to a Spanish message."""

    def __init__(self, errors: Mapping[str, str]) -> None:
        self.errors = dict(errors)
        super().__init__(self.errors.values())


def sheet_of(catalog: str) -> PlanSheet:
    if catalog not in CATALOGS:
        raise PlanEditRefused({GENERAL: f"«{catalog}» no es un catálogo del plan."})
    return SHEET_BY_NAME[catalog]


def key_field(catalog: str) -> str:
    """The field a record is known by: its code; a PP ceiling's year."""
    return SHEET_BY_NAME[catalog].key[0]


def form_columns(catalog: str) -> tuple[PlanColumn, ...]:
    """The fields a form edits, in the workbook's order (the archive date has its own buttons)."""
    return tuple(column for column in sheet_of(catalog).stored if column.field != ARCHIVED)


def _table(model: type[SQLModel]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def _codes_by_id(session: Session, catalog: str) -> dict[int, str]:
    table = SHEET_BY_NAME[catalog].table
    return {row.id: row.code for row in session.connection().execute(select(table.c.id, table.c.code))}


def _find(session: Session, catalog: str, code: str) -> Any:
    """The record whose code matches ``code`` (case, accents and spacing aside), or None."""
    model = SHEET_BY_NAME[catalog].model
    table = _table(model)
    wanted = normalized(str(code))
    for row_id, stored in session.connection().execute(select(table.c.id, table.c[key_field(catalog)])):
        if normalized(str(stored)) == wanted:
            return session.get(model, row_id)
    return None


def find(*, session: Session, catalog: str, code: str) -> Any:
    """The record with ``code`` (case, accents and spacing aside); ``PlanEditRefused`` when there is none."""
    found = _find(session, catalog, code)
    if found is None:
        sheet = SHEET_BY_NAME[catalog]
        header = sheet.column(key_field(catalog)).header.lower()
        raise PlanEditRefused({GENERAL: f"No existe {sheet.noun} con el {header} «{code}»."})
    return found


def _linked_codes(session: Session, link: Link, owner_id: int) -> list[str]:
    c, codes = link.table.c, _codes_by_id(session, link.target)
    rows = session.connection().execute(select(c[link.other]).where(c[link.owner] == owner_id))
    return sorted(codes[other_id] for (other_id,) in rows)


# ---------------------------------------------------------------------------------------------- reading


def list_records(*, session: Session, catalog: str) -> pd.DataFrame:
    """Every record of the catalog, archived ones included, with references as codes; never contact data."""
    sheet = sheet_of(catalog)
    columns = [c for c in sheet.stored if c.field not in PRIVATE_FIELDS]
    codes = {c.target: _codes_by_id(session, c.target) for c in columns if c.kind is CellKind.REF}
    order = sheet.table.c[key_field(catalog)]
    rows = session.connection().execute(select(sheet.table).order_by(order)).mappings().all()
    frame = pd.DataFrame(
        [
            {c.field: codes[c.target].get(row[c.field]) if c.kind is CellKind.REF else row[c.field] for c in columns}
            for row in rows
        ],
        columns=[c.field for c in columns],
    )
    for link in LINKS.get(catalog, ()):
        codes_of, c = _codes_by_id(session, link.target), link.table.c
        linked: dict[int, list[str]] = {}
        for owner_id, other_id in session.connection().execute(select(c[link.owner], c[link.other])):
            linked.setdefault(owner_id, []).append(codes_of[other_id])
        frame[link.field] = [", ".join(sorted(linked.get(row["id"], []))) for row in rows]
    return frame


def get_record(*, session: Session, catalog: str, code: str) -> dict[str, Any]:
    """One record's values as a form shows them: references as codes, linked records as lists of codes."""
    sheet = sheet_of(catalog)
    found = find(session=session, catalog=catalog, code=code)
    values: dict[str, Any] = {}
    for column in sheet.stored:
        value = getattr(found, column.field)
        if column.kind is CellKind.REF and value is not None:
            value = _codes_by_id(session, column.target).get(value)
        values[column.field] = value
    for link in LINKS.get(catalog, ()):
        values[link.field] = _linked_codes(session, link, found.id)
    return values


def history(*, session: Session, catalog: str, code: str) -> dict[str, int]:
    """What points to the record, by kind ("compromisos": 3); empty when it may be deleted."""
    found = find(session=session, catalog=catalog, code=code)
    counts: dict[str, int] = {}
    for reference in history_references(catalog):
        table = SQLModel.metadata.tables[reference.table]
        count = (
            session.connection()
            .execute(select(func.count()).select_from(table).where(table.c[reference.column] == found.id))
            .scalar_one()
        )
        if count:
            label = schema.referred_as(reference)
            counts[label] = counts.get(label, 0) + int(count)
    return counts


def history_references(catalog: str) -> tuple[schema.Reference, ...]:
    """What counts as history: rows of other tables that point to the record. Link rows that belong to the record
    itself (a project's barrios, a pact's members and lines, a commitment's actors) go with it."""
    owned = {(link.table.name, link.owner) for link in LINKS.get(catalog, ())}
    return tuple(r for r in schema.references_to(sheet_of(catalog).table) if (r.table, r.column) not in owned)


# ---------------------------------------------------------------------------------------------- validation


def _message(problem: str) -> str:
    return f"{problem[0].upper()}{problem[1:]}."


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _cleaned(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value != value:  # NaN from a grid cell: blank
        return None
    return value


def _check_value(session: Session, sheet: PlanSheet, column: PlanColumn, value: object) -> tuple[Any, str | None]:
    """The value as the table stores it (references as ids), or the reason it is refused."""
    header = column.header
    match column.kind:
        case CellKind.CHOICE:
            if value not in column.choices:
                return None, f"«{value}» no es una opción de «{header}»; use una de: {', '.join(column.choices)}."
        case CellKind.CODE:
            try:
                code = cells.code(value)
            except CellError as exc:
                return None, _message(str(exc))
            if problem := rules.length_problem(code or "", column_length(sheet, column.field)):
                return None, _message(problem)
            return code, None
        case CellKind.REF:
            try:
                target = _find(session, column.target, cells.code(value) or "")
            except CellError as exc:
                return None, _message(str(exc))
            noun = SHEET_BY_NAME[column.target].noun
            if target is None:
                return None, f"No existe {noun} con el código «{value}»."
            if getattr(target, ARCHIVED, None) is not None:
                return None, f"«{target.code}» está archivado: restáurelo o elija otro."
            return target.id, None
        case CellKind.INTEGER | CellKind.DECIMAL | CellKind.MONEY | CellKind.PERCENT | CellKind.SHARE:
            if not _is_number(value):
                return None, f"«{header}» debe ser un número."
            number = float(cast(float, value))
            if column.kind is CellKind.INTEGER and not number.is_integer():
                return None, f"«{header}» debe ser un número entero."
            if problem := rules.range_problem(number, *column.bounds):
                return None, _message(problem)
            return (int(number) if column.kind is CellKind.INTEGER else number), None
        case CellKind.DATE:
            if not isinstance(value, date):
                return None, f"«{header}» debe ser una fecha (dd/mm/aaaa)."
        case CellKind.BOOL:
            if not isinstance(value, bool):
                return None, "Escriba Sí o No."
        case CellKind.COLOR:
            try:
                return colors.hex_color(str(value)), None
            except CellError as exc:
                return None, _message(str(exc))
        case _:
            text = cells.without_control_characters(str(value))
            if problem := rules.length_problem(text, column_length(sheet, column.field)):
                return None, _message(problem)
            return text, None
    return value, None


def _validated(session: Session, catalog: str, values: Mapping[str, Any], current: Any) -> dict[str, Any]:
    """The record's new column values, every field checked; ``PlanEditRefused`` with all problems at once."""
    sheet = sheet_of(catalog)
    errors: dict[str, str] = {}
    clean: dict[str, Any] = {}
    for column in form_columns(catalog):
        name = column.field
        if current is not None and name not in values:
            continue  # a field the caller does not send stays as it is
        if catalog == FIXED and name == "code" and current is not None:
            continue  # official codes
        value = _cleaned(values.get(name))
        if value is None:
            if column.required:
                errors[name] = f"«{column.header}» es obligatorio."
            else:
                clean[name] = blank_value(sheet, name)
            continue
        stored, problem = _check_value(session, sheet, column, value)
        if problem and column.kind is CellKind.REF and current is not None:
            kept = _find(session, column.target, str(value))
            if kept is not None and kept.id == getattr(current, name):
                stored, problem = kept.id, None  # an archived parent it already had may stay
        if problem:
            errors[name] = problem
        else:
            clean[name] = stored
    errors |= _cross_field_problems(session, catalog, clean, current, errors)
    for link in LINKS.get(catalog, ()):
        if values.get(link.field) is not None:
            clean[link.field], problem = _linked_ids(session, link, values[link.field], current)
            if problem:
                errors[link.field] = problem
    if errors:
        raise PlanEditRefused(errors)
    return clean


def _cross_field_problems(
    session: Session, catalog: str, clean: Mapping[str, Any], current: Any, errors: Mapping[str, str]
) -> dict[str, str]:
    sheet = SHEET_BY_NAME[catalog]
    problems: dict[str, str] = {}

    def final(name: str) -> Any:
        return clean[name] if name in clean else getattr(current, name, None)

    own_id = getattr(current, "id", None)
    for unique in (key_field(catalog), "name") if catalog == ACTORS else (key_field(catalog),):
        if unique in errors or unique not in clean:
            continue
        table = sheet.table
        for row_id, stored in session.connection().execute(select(table.c.id, table.c[unique])):
            if row_id != own_id and normalized(str(stored)) == normalized(str(clean[unique])):
                header = sheet.column(unique).header.lower()
                problems[unique] = f"Ya existe {sheet.noun} con el {header} «{stored}»."
                break
    if catalog == PROJECTS:
        if problem := rules.end_before_start_problem(final("start_date"), final("end_date")):
            problems["end_date"] = _message(problem)
        if current is not None and clean.get("start_date") not in (None, current.start_date):
            c = cast(Table, Commitment.__table__).c  # type: ignore[attr-defined]
            rows = session.connection().execute(
                select(c.code, c.due_date).where(c.project_id == current.id, c.due_date.is_not(None))
            )
            due_dates = {str(code): due for code, due in rows}
            if problem := rules.start_after_due_problem(clean["start_date"], due_dates):
                problems["start_date"] = _message(problem)
        moved = current is not None and "stage" in clean
        if moved and (problem := rules.stage_move_problem(current.stage, clean["stage"])):
            problems["stage"] = _message(problem)
    if catalog == MILESTONES and (
        achieved := rules.achieved_without_act_problem(final("status"), final("act_number"), final("evidence"))
    ):
        problems["status"] = _message(achieved)
    path_known = not {"line_id", "program_id", "project_id"} & set(errors)
    if catalog == PP_PROJECTS and path_known and (problem := _pp_path(session, final)):
        problems["program_id" if final("program_id") is not None else "project_id"] = _message(problem)
    across = rules.record_problems(sheet.table.name, {c.field: final(c.field) for c in sheet.stored})
    problems |= {name: _message(problem) for name, problem in across.items() if name not in errors}
    if catalog == COMMITMENTS and "project_id" not in errors and final("project_id") is not None:
        project = session.get(Project, final("project_id"))
        if project is not None:
            due = final("due_date")
            if problem := rules.due_before_start_problem(due, project.start_date, project.code):
                problems["due_date"] = _message(problem)
    return problems


def _pp_path(session: Session, final: Callable[[str], Any]) -> str | None:
    """The PP project's line, program and project as they would be saved, checked as one path."""
    line_id, program_id, project_id = final("line_id"), final("program_id"), final("project_id")
    lines, programs = _codes_by_id(session, LINES), _codes_by_id(session, PROGRAMS)
    projects = _codes_by_id(session, PROJECTS)
    connection = session.connection()
    g, p = _table(Program).c, _table(Project).c
    line_of_program = {programs[i]: lines[line] for i, line in connection.execute(select(g.id, g.line_id))}
    program_of_project = {projects[i]: programs[prog] for i, prog in connection.execute(select(p.id, p.program_id))}
    return rules.pp_path_problem(
        lines.get(line_id) if line_id is not None else None,
        programs.get(program_id) if program_id is not None else None,
        projects.get(project_id) if project_id is not None else None,
        line_of_program=line_of_program,
        program_of_project=program_of_project,
    )


def record_warnings(catalog: str, values: Mapping[str, Any]) -> list[str]:
    """What a saved record may hold but deserves a second look (a warning, never a refusal)."""
    if catalog == PP_PROJECTS:
        problem = rules.executed_over_assigned_problem(values.get("assigned_cop"), values.get("executed_cop"))
        return [_message(problem)] if problem else []
    return []


def _linked_ids(session: Session, link: Link, codes: Sequence[str], current: Any) -> tuple[list[int], str | None]:
    """The ids of the linked codes; an archived record only when the link already existed."""
    already = set() if current is None else set(_linked_codes(session, link, current.id))
    ids, unknown = [], []
    for code in codes:
        found = _find(session, link.target, code)
        if found is None or (getattr(found, ARCHIVED, None) is not None and found.code not in already):
            unknown.append(code)
        else:
            ids.append(found.id)
    if unknown:
        return [], f"No existen o están archivados: {', '.join(unknown)}."
    return sorted(set(ids)), None


# ---------------------------------------------------------------------------------------------- writing


def _row(record: Any) -> dict[str, Any]:
    values: dict[str, Any] = record.model_dump()
    return values


def _set_links(session: Session, link: Link, owner_id: int, other_ids: Sequence[int]) -> None:
    """Make the record's links exactly ``other_ids``; links that stay keep their role or share."""
    table, connection = link.table, session.connection()
    owned = table.c[link.owner] == owner_id
    present = set(connection.execute(select(table.c[link.other]).where(owned)).scalars())
    wanted = set(other_ids)
    if present == wanted:
        return
    if present - wanted:
        connection.execute(delete(table).where(owned, table.c[link.other].in_(present - wanted)))
    if wanted - present:
        connection.execute(
            insert(table), [{link.owner: owner_id, link.other: other} for other in sorted(wanted - present)]
        )
    if link.even_share and wanted:
        connection.execute(update(table).where(owned).values(share=1 / len(wanted)))


def _write(session: Session, user: str, catalog: str, clean: dict[str, Any], current: Any) -> tuple[str, bool]:
    """Write one validated record and, when it changed, its audit entry; returns its code and whether it changed."""
    sheet = SHEET_BY_NAME[catalog]
    links = {link: clean.pop(link.field) for link in LINKS.get(catalog, ()) if link.field in clean}
    before = None if current is None else _row(current)
    if before is not None:
        before |= {link.field: _linked_codes(session, link, current.id) for link in LINKS.get(catalog, ())}
    record: Any = current if current is not None else sheet.model()
    for name, value in clean.items():
        setattr(record, name, value)
    session.add(record)
    session.flush()
    for link, other_ids in links.items():
        _set_links(session, link, record.id, other_ids)
    after = _row(record) | {link.field: _linked_codes(session, link, record.id) for link in LINKS.get(catalog, ())}
    changed = after != before
    if changed:
        audit.record(
            session=session,
            user=user,
            action="crear registro" if current is None else "editar registro",
            table_name=sheet.table.name,
            row_id=str(getattr(record, key_field(catalog))),
            before=before,
            after=after,
        )
    return str(getattr(record, key_field(catalog))), changed


def save_record(
    *, session: Session, user: str, catalog: str, values: Mapping[str, Any], code: str | None = None
) -> str:
    """Create the record (``code`` None) or update the one with ``code``; returns the code it is saved under.

    ``values`` maps fields to values as a form gives them: references as codes, blanks as None or "".
    """
    if code is None and catalog == FIXED:
        raise PlanEditRefused({GENERAL: "Los barrios de la comuna son fijos: se editan, no se crean."})
    current = None if code is None else find(session=session, catalog=catalog, code=code)
    clean = _validated(session, catalog, values, current)
    saved, changed = _write(session, user, catalog, clean, current)
    if changed:
        db.bump_data_version(session=session)
    return saved


def update_many(*, session: Session, user: str, catalog: str, changes: Mapping[str, Mapping[str, Any]]) -> int:
    """Save several edited records at once (a grid): every row is checked before any is written.

    A refusal's errors are keyed «code · field». Returns how many records changed.
    """
    return save_many(
        session=session, user=user, catalog=catalog, records={code: (code, values) for code, values in changes.items()}
    )


def save_many(
    *, session: Session, user: str, catalog: str, records: Mapping[str, tuple[str | None, Mapping[str, Any]]]
) -> int:
    """Create (code None) or update (its code) several records at once, all checked before any is written.

    ``records`` maps how a message names each row («AR-003», «fila nueva 2») to (its code, its values). A refusal's
    errors are keyed «name · field». Returns how many records changed.
    """
    sheet = sheet_of(catalog)
    errors: dict[str, str] = {}
    prepared = []
    for label, (code, values) in records.items():
        try:
            current = None if code is None else find(session=session, catalog=catalog, code=code)
            prepared.append((_validated(session, catalog, values, current), current))
        except PlanEditRefused as refused:
            for name, message in refused.errors.items():
                header = sheet.column(name).header if name in {c.field for c in sheet.columns} else ""
                errors[f"{label} · {header}" if header else label] = message
    if errors:
        raise PlanEditRefused(errors)
    changed = sum(_write(session, user, catalog, clean, current)[1] for clean, current in prepared)
    if changed:
        db.bump_data_version(session=session)
    return changed


def _set_archived(session: Session, user: str, catalog: str, code: str, on: date | None) -> None:
    if catalog == FIXED:
        raise PlanEditRefused({GENERAL: "Los barrios de la comuna son fijos: no se archivan."})
    if not archivable(catalog):
        raise PlanEditRefused({GENERAL: f"{sheet_of(catalog).noun.capitalize()} no se archiva: se edita o se borra."})
    record = find(session=session, catalog=sheet_of(catalog).name, code=code)
    if (record.archived_on is None) == (on is None):
        state = "archivado" if on is not None else "activo"
        raise PlanEditRefused({GENERAL: f"«{record.code}» ya está {state}."})
    before = _row(record)
    record.archived_on = on
    session.add(record)
    session.flush()
    audit.record(
        session=session,
        user=user,
        action="archivar" if on is not None else "restaurar",
        table_name=SHEET_BY_NAME[catalog].table.name,
        row_id=str(record.code),
        before=before,
        after=_row(record),
    )
    db.bump_data_version(session=session)


def archivable(catalog: str) -> bool:
    """Whether the catalog's records can be archived (the plan's profile is edited or deleted, never archived)."""
    return catalog != FIXED and ARCHIVED in sheet_of(catalog).table.c


def archive_record(*, session: Session, user: str, catalog: str, code: str, on: date) -> None:
    """Hide the record from every dashboard from now on; exports and the audit trail keep it."""
    _set_archived(session, user, catalog, code, on)


def restore_record(*, session: Session, user: str, catalog: str, code: str) -> None:
    _set_archived(session, user, catalog, code, None)


def delete_record(*, session: Session, user: str, catalog: str, code: str) -> None:
    """Delete a record without history (and its own link rows); one with history is refused: archive it."""
    if catalog == FIXED:
        raise PlanEditRefused({GENERAL: "Los barrios de la comuna son fijos: no se borran."})
    record = find(session=session, catalog=catalog, code=code)
    found = history(session=session, catalog=catalog, code=code)
    if found:
        listed = ", ".join(f"{count} {label}" for label, count in found.items())
        shown = getattr(record, key_field(catalog))
        raise PlanEditRefused(
            {GENERAL: f"«{shown}» tiene historia ({listed}): no se puede borrar. Archívelo en su lugar."}
        )
    before = _row(record)
    connection = session.connection()
    for link in LINKS.get(catalog, ()):
        owned = link.table.c[link.owner] == record.id
        before[link.table.name] = [dict(row) for row in connection.execute(select(link.table).where(owned)).mappings()]
        connection.execute(delete(link.table).where(owned))
    session.delete(record)
    session.flush()
    audit.record(
        session=session,
        user=user,
        action="borrar registro",
        table_name=SHEET_BY_NAME[catalog].table.name,
        row_id=str(before[key_field(catalog)]),
        before=before,
    )
    db.bump_data_version(session=session)
