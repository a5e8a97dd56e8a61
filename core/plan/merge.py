"""Merge two actors (two spellings of the same JAC) or two projects: what hangs from one moves to the other.

``preview_merge`` says what would move and writes nothing. ``merge_records`` moves it in the caller's transaction,
archives the record given up, and writes one audit entry listing every row it changed or removed, which is what
``undo_merge`` replays backwards. Rows that would repeat one the kept record already has are folded into it: an
actor's share of a commitment adds up (at most 100 %), its attendance counts if either came, a pact membership or a
project's barrio is kept once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

import pandas as pd
from sqlalchemy import Table, and_, delete, insert, select, update
from sqlmodel import Session, SQLModel

from core import audit, db
from core.models import (
    AuditEntry,
)
from core.plan import schema
from core.plan.edit import ACTORS, GENERAL, PROJECTS, PlanEditRefused, find, sheet_of

MERGE_ACTION, UNDO_ACTION = "fusionar", "deshacer fusión"

Row = dict[str, Any]


def _shares(kept: Row, dropped: Row) -> Row:
    return {"share": min(1.0, kept["share"] + dropped["share"])}


def _attendance(kept: Row, dropped: Row) -> Row:
    delegates = [d for d in (kept["delegates"], dropped["delegates"]) if d is not None]
    return {
        "invited": kept["invited"] or dropped["invited"],
        "attended": kept["attended"] or dropped["attended"],
        "delegates": sum(delegates) if delegates else None,
    }


@dataclass(frozen=True)
class Dependent:
    """Rows of ``table`` that point to the merged record through ``column``."""

    table: Table
    column: str
    label: str
    unique_with: tuple[str, ...] = ()  # the other columns of a key the move could repeat
    combine: Callable[[Row, Row], Row] | None = None  # new values of the kept row when one would repeat


# How a row that would repeat one of the kept record's is folded into it; without an entry, it is dropped.
COMBINE: dict[str, Callable[[Row, Row], Row]] = {"commitment_actor": _shares, "attendance": _attendance}
MERGEABLE: tuple[str, ...] = (ACTORS, PROJECTS)


def _dependents(catalog: str) -> tuple[Dependent, ...]:
    """Everything that points to a record of ``catalog`` (``core.plan.schema``), each a kind of row that moves."""
    return tuple(
        Dependent(
            SQLModel.metadata.tables[reference.table],
            reference.column,
            schema.referred_as(reference).capitalize(),
            schema.unique_with(reference),
            COMBINE.get(reference.table),
        )
        for reference in schema.references_to(sheet_of(catalog).table)
    )


DEPENDENTS: dict[str, tuple[Dependent, ...]] = {catalog: _dependents(catalog) for catalog in MERGEABLE}


@dataclass(frozen=True)
class MergePreview:
    catalog: str
    keep: str
    drop: str
    moves: list[tuple[str, int, int]]  # (what, rows that move, rows folded into the kept record's own)

    def table(self) -> pd.DataFrame:
        return pd.DataFrame(self.moves, columns=["Qué", "Pasan al que se conserva", "Se combinan con los suyos"])

    @property
    def total(self) -> int:
        return sum(moved + folded for _, moved, folded in self.moves)


def _pair(session: Session, catalog: str, keep: str, drop: str) -> tuple[Any, Any]:
    if catalog not in DEPENDENTS:
        raise PlanEditRefused({GENERAL: "Solo se fusionan actores o proyectos."})
    found = []
    for code in (keep, drop):
        record = find(session=session, catalog=catalog, code=code)
        if record.archived_on is not None:
            raise PlanEditRefused({GENERAL: f"«{code}» está archivado: restáurelo antes de fusionarlo."})
        found.append(record)
    if found[0].id == found[1].id:
        raise PlanEditRefused({GENERAL: "Elija dos registros distintos: uno se conserva y el otro se archiva."})
    return found[0], found[1]


def _key(dependent: Dependent, row: Row) -> tuple[Any, ...]:
    return tuple(row[name] for name in dependent.unique_with)


def _rows(session: Session, dependent: Dependent, owner_id: int) -> list[Row]:
    table = dependent.table
    return [
        dict(r)
        for r in session.connection().execute(select(table).where(table.c[dependent.column] == owner_id)).mappings()
    ]


def _plan(
    session: Session, dependent: Dependent, keep_id: int, drop_id: int
) -> tuple[list[Row], list[tuple[Row, Row]]]:
    """(rows that simply move, (kept row, dropped row) pairs that would repeat a key)."""
    dropped = _rows(session, dependent, drop_id)
    if not dependent.unique_with:
        return dropped, []
    kept = {_key(dependent, row): row for row in _rows(session, dependent, keep_id)}
    moving = [row for row in dropped if _key(dependent, row) not in kept]
    folding = [(kept[_key(dependent, row)], row) for row in dropped if _key(dependent, row) in kept]
    return moving, folding


def preview_merge(*, session: Session, catalog: str, keep: str, drop: str) -> MergePreview:
    """What merging ``drop`` into ``keep`` would move, table by table. Writes nothing."""
    kept, dropped = _pair(session, catalog, keep, drop)
    moves = []
    for dependent in DEPENDENTS[catalog]:
        moving, folding = _plan(session, dependent, kept.id, dropped.id)
        moves.append((dependent.label, len(moving), len(folding)))
    return MergePreview(catalog, kept.code, dropped.code, moves)


def _primary_key(table: Table, row: Row) -> Row:
    return {column.name: row[column.name] for column in table.primary_key.columns}


def _where(table: Table, key: Row) -> Any:
    return and_(*(table.c[name] == value for name, value in key.items()))


def merge_records(*, session: Session, user: str, catalog: str, keep: str, drop: str, on: date) -> int:
    """Move everything of ``drop`` to ``keep`` and archive ``drop`` on ``on``; returns the audit entry's number."""
    kept, dropped = _pair(session, catalog, keep, drop)
    connection = session.connection()
    steps: list[Row] = []
    for dependent in DEPENDENTS[catalog]:
        table, column = dependent.table, dependent.column
        moving, folding = _plan(session, dependent, kept.id, dropped.id)
        for row in moving:
            key = _primary_key(table, row)
            connection.execute(update(table).where(_where(table, key)).values({column: kept.id}))
            steps.append({"step": "move", "table": table.name, "column": column, "key": key | {column: kept.id}})
        for kept_row, dropped_row in folding:
            if dependent.combine is not None:
                new = dependent.combine(kept_row, dropped_row)
                key = _primary_key(table, kept_row)
                connection.execute(update(table).where(_where(table, key)).values(new))
                old = {name: kept_row[name] for name in new}
                steps.append({"step": "update", "table": table.name, "key": key, "old": old, "new": new})
            connection.execute(delete(table).where(_where(table, _primary_key(table, dropped_row))))
            steps.append({"step": "delete", "table": table.name, "row": dropped_row})
    sheet = sheet_of(catalog)
    dropped.archived_on = on
    session.add(dropped)
    session.flush()
    entry = audit.record(
        session=session,
        user=user,
        action=MERGE_ACTION,
        table_name=sheet.table.name,
        row_id=f"{dropped.code} → {kept.code}"[:60],
        before={"catalog": catalog, "keep": kept.code, "drop": dropped.code, "steps": steps},
        after={"archived_on": on, "moved": sum(step["step"] == "move" for step in steps)},
    )
    db.bump_data_version(session=session)
    session.flush()
    return cast(int, entry.id)


def _tables() -> dict[str, Table]:
    return {d.table.name: d.table for dependents in DEPENDENTS.values() for d in dependents}


def undo_merge(*, session: Session, user: str, entry_id: int) -> None:
    """Put every row the merge moved, combined or removed back as it was, and the archived record back in use.

    Refused when the merge was already undone or its rows changed since (nothing is written then).
    """
    entry = session.get(AuditEntry, entry_id)
    if entry is None or entry.action != MERGE_ACTION:
        raise PlanEditRefused({GENERAL: f"La entrada {entry_id} de la bitácora no es una fusión."})
    e = cast(Table, AuditEntry.__table__).c  # type: ignore[attr-defined]
    undone = session.connection().execute(select(e.id).where(e.action == UNDO_ACTION, e.row_id == str(entry_id)))
    if undone.first() is not None:
        raise PlanEditRefused({GENERAL: "Esta fusión ya se había deshecho."})
    merged = json.loads(entry.before or "{}")
    dropped = find(session=session, catalog=merged["catalog"], code=merged["drop"])
    tables = _tables()
    connection = session.connection()
    for step in reversed(merged["steps"]):
        table = tables[step["table"]]
        if step["step"] == "delete":
            connection.execute(insert(table), [step["row"]])
            continue
        # Only rows still as the merge left them: a row edited since keeps the later edit (and the undo is refused).
        as_left = step["key"] | step.get("new", {})  # "new" is absent from merges recorded before it was kept
        values = step["old"] if step["step"] == "update" else {step["column"]: dropped.id}
        if connection.execute(update(table).where(_where(table, as_left)).values(values)).rowcount != 1:
            raise PlanEditRefused(
                {GENERAL: "Desde la fusión cambiaron filas que ella movió; no se puede deshacer automáticamente."}
            )
    dropped.archived_on = None
    session.add(dropped)
    audit.record(
        session=session,
        user=user,
        action=UNDO_ACTION,
        table_name=entry.table_name,
        row_id=str(entry_id),
        before={"archived_on": json.loads(entry.after or "{}").get("archived_on")},
        after={"archived_on": None, "drop": merged["drop"], "keep": merged["keep"]},
    )
    db.bump_data_version(session=session)


def merge_history(*, session: Session) -> pd.DataFrame:
    """Merges, newest first, with whether each can still be undone: number, when, who, what, undone."""
    e = cast(Table, AuditEntry.__table__).c  # type: ignore[attr-defined]
    connection = session.connection()
    undone = {row_id for (row_id,) in connection.execute(select(e.row_id).where(e.action == UNDO_ACTION))}
    rows = connection.execute(
        select(e.id, e.at, e.user_name, e.row_id).where(e.action == MERGE_ACTION).order_by(e.id.desc())
    ).all()
    return pd.DataFrame(
        [(row.id, row.at, row.user_name, row.row_id, str(row.id) in undone) for row in rows],
        columns=["entry_id", "at", "user", "merged", "undone"],
    )
