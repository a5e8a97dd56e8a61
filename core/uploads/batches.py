"""The life of one uploaded file (an ``ImportBatch``), the same for every Excel contract.

A contract's apply checks that its preview is still fresh (``refuse_stale``), opens a batch (``open_batch``), writes
its rows tied to the batch, and closes it (``close_batch``: the audit entry and a new data version). Its undo takes
the batch through the guards (``batch_to_undo``, ``refuse_if_built_on``), restores its own rows and marks the batch
undone (``mark_undone``). Who may undo is ``may_undo``; ``core.uploads.history`` dispatches an undo to its contract.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from core import audit, db, formatting
from core.access.accounts import ADMIN, COORDINATOR, has_role
from core.db import table_columns
from core.models import AuditEntry, ImportBatch
from core.refusals import Refused


class BatchKind(StrEnum):
    """Which contract a batch came through; the values are what ``import_batch.kind`` holds."""

    PROGRESS = "avance"
    ATTENDANCE = "asistencia"
    PLAN_WORKBOOK = "libro del plan"
    PP = "presupuesto participativo"
    ALIGNMENT = "articulación"

    @property
    def label(self) -> str:
        return _KIND_LABELS[self][0]

    @property
    def named(self) -> str:
        """How a sentence names a batch of this kind: «el libro del plan» número 7."""
        return _KIND_LABELS[self][1]

    @property
    def action(self) -> str:
        """The audit action of applying a batch of this kind."""
        return _KIND_LABELS[self][2]


_KIND_LABELS: dict[BatchKind, tuple[str, str, str]] = {
    BatchKind.PROGRESS: ("Avances", "la carga de avances", "cargar avances"),
    BatchKind.ATTENDANCE: ("Asistencia", "la carga de asistencia", "cargar asistencia"),
    BatchKind.PLAN_WORKBOOK: ("Libro del plan", "el libro del plan", "cargar libro del plan"),
    BatchKind.PP: ("Presupuesto Participativo", "la plantilla de PP", "cargar plantilla de PP"),
    BatchKind.ALIGNMENT: ("Articulación", "la plantilla de articulación", "cargar articulación"),
}


class BatchStatus(StrEnum):
    """The values are what ``import_batch.status`` holds."""

    APPLIED = "applied"
    UNDONE = "undone"

    @property
    def label(self) -> str:
        return _STATUS_LABELS[self]


_STATUS_LABELS = {BatchStatus.APPLIED: "aplicada", BatchStatus.UNDONE: "deshecha"}
STATUS_LABELS: dict[str, str] = {status.value: status.label for status in BatchStatus}
KIND_LABELS: dict[str, str] = {kind.value: kind.label for kind in BatchKind}
UNDO_ACTION = "deshacer carga"


class StalePreview(Refused):
    """The preview no longer describes the plan; the message says so in Spanish."""


class UndoRefused(Refused):
    """The batch cannot be undone as asked; the message says why in Spanish."""


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    deleted: int
    restored: int


STALE = (
    "El plan cambió desde que se revisó el archivo (otra carga o una edición). Revíselo de nuevo antes de aplicarlo; "
    "no se escribió nada."
)


def refuse_stale(*, session: Session, data_version: int) -> None:
    """A preview made at ``data_version`` describes the plan only while nobody has written since."""
    if db.data_version(session=session) != data_version:
        raise StalePreview(STALE)


def applied_before(*, session: Session, sha256: str, kind: BatchKind) -> tuple[int, str] | None:
    """(batch number, dd/mm/aaaa) of the latest applied upload of this very file, if any."""
    b = table_columns(ImportBatch)
    found = (
        session.connection()
        .execute(
            select(b.id, b.created_at)
            .where(b.sha256 == sha256, b.status == BatchStatus.APPLIED.value, b.kind == kind.value)
            .order_by(b.id.desc())
        )
        .first()
    )
    return (int(found[0]), formatting.day(found[1])) if found else None


def open_batch(
    *,
    session: Session,
    kind: BatchKind,
    file_name: str,
    sha256: str,
    user: str,
    rows_total: int,
    rows_applied: int,
    rows_rejected: int,
) -> int:
    """A new applied batch in the caller's transaction; its number ties every row and audit entry it writes."""
    batch = ImportBatch(
        file_name=file_name[:255],
        sha256=sha256,
        kind=kind.value,
        created_by=user,
        rows_total=rows_total,
        rows_applied=rows_applied,
        rows_rejected=rows_rejected,
        status=BatchStatus.APPLIED.value,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    return batch.id


def close_batch(
    *,
    session: Session,
    batch_id: int,
    kind: BatchKind,
    user: str,
    after: Mapping[str, Any],
    before: Mapping[str, Any] | None = None,
) -> None:
    """The batch's own audit entry (what it did, in Spanish keys), then a new data version for every page."""
    audit.record(
        session=session,
        user=user,
        action=kind.action,
        table_name="import_batch",
        row_id=str(batch_id),
        before=None if before is None else dict(before),
        after=dict(after),
        import_batch_id=batch_id,
    )
    db.bump_data_version(session=session)


@contextmanager
def conflicts_refused(refusal: Refused) -> Iterator[None]:
    """A write the database refuses (a key someone else wrote meanwhile, a row still in use) raises ``refusal``.

    Whoever opened the transaction rolls it back, so nothing of the batch stays written.
    """
    try:
        yield
    except IntegrityError as exc:
        raise refusal from exc


def may_undo(*, role: str, user: str, created_by: str) -> bool:
    """Admins undo any batch; coordinators only the ones they loaded themselves."""
    return has_role(role, ADMIN) or (has_role(role, COORDINATOR) and created_by == user)


def undoable_by(*, session: Session, batch_id: int, user: str, role: str) -> ImportBatch:
    """The batch, if ``user`` with ``role`` may undo it."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise UndoRefused(f"No existe la carga número {batch_id}.")
    if not may_undo(role=role, user=user, created_by=batch.created_by):
        raise UndoRefused(
            f"La carga número {batch_id} la hizo «{batch.created_by}»: solo esa persona o la administración "
            "pueden deshacerla."
        )
    return batch


def batch_to_undo(*, session: Session, batch_id: int, kind: BatchKind) -> ImportBatch:
    """The batch, if it exists, is of ``kind`` and is still applied."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise UndoRefused(f"No existe la carga número {batch_id}.")
    if batch.kind != kind:
        raise UndoRefused(f"La carga número {batch_id} no es {kind.named}.")
    if batch.status != BatchStatus.APPLIED:
        raise UndoRefused(f"La carga número {batch_id} ya se había deshecho.")
    return batch


def refuse_if_built_on(*, session: Session, batch_id: int, by: BatchKind | None = None) -> None:
    """Refused while a later batch still applied (of kind ``by``; of any kind when None) may have built on this one.

    The latest is named: it is the one to undo first.
    """
    b = table_columns(ImportBatch)
    query = select(b.id).where(b.id > batch_id, b.status == BatchStatus.APPLIED.value).order_by(b.id.desc())
    later = session.connection().execute(query if by is None else query.where(b.kind == by.value)).scalar()
    if later is None:
        return
    if by is None:
        raise UndoRefused(f"Después de esta carga se aplicó la número {later}. Deshaga primero la número {later}.")
    raise UndoRefused(f"Después se cargó {by.named} número {later}. Deshaga primero ese.")


def replay_rows_backwards(
    *, session: Session, batch_id: int, model: type[SQLModel], created: str, updated: str, rows_noun: str
) -> tuple[int, int]:
    """Undo the rows a batch wrote to ``model``'s table, newest first, from its audit entries (action ``created``:
    delete the row; ``updated``: put back its values before). Refused when a later applied batch changed one of those
    rows. Returns (deleted, restored)."""
    table = model.__table__  # type: ignore[attr-defined]
    b, e = table_columns(ImportBatch), table_columns(AuditEntry)
    connection = session.connection()
    entries = connection.execute(
        select(e.action, e.row_id, e.before)
        .where(e.import_batch_id == batch_id, e.table_name == table.name, e.action.in_([created, updated]))
        .order_by(e.id.desc())
    ).all()
    later = connection.execute(
        select(e.import_batch_id)
        .join(b.id.table, b.id == e.import_batch_id)
        .where(e.import_batch_id > batch_id, b.status == BatchStatus.APPLIED.value, e.table_name == table.name)
        .where(e.row_id.in_([entry.row_id for entry in entries]))
        .order_by(e.import_batch_id)
    ).scalar()
    if later is not None:
        raise UndoRefused(
            f"La carga número {later}, posterior, cambió {rows_noun} de esta carga. Deshaga primero la número {later}."
        )
    deleted = restored = 0
    for entry in entries:
        if entry.action == created:
            deleted += connection.execute(delete(table).where(table.c.id == int(entry.row_id))).rowcount
        else:
            connection.execute(update(table).where(table.c.id == int(entry.row_id)).values(json.loads(entry.before)))
            restored += 1
    return deleted, restored


def mark_undone(*, session: Session, batch: ImportBatch, user: str, counts: Mapping[str, int]) -> None:
    """The batch is undone: its status, an audit entry with what the undo removed and restored, a new data version."""
    batch.status = BatchStatus.UNDONE.value
    session.add(batch)
    audit.record(
        session=session,
        user=user,
        action=UNDO_ACTION,
        table_name="import_batch",
        row_id=str(batch.id),
        before={"estado": BatchStatus.APPLIED.value},
        after={"estado": BatchStatus.UNDONE.value, **counts},
    )
    db.bump_data_version(session=session)
