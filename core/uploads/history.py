"""Undo of any upload, whatever its contract: who may undo it, then the contract's own undo.

It sits above the three contracts so that none of them imports another to dispatch.
"""

from __future__ import annotations

from sqlmodel import Session

from core.models import ImportBatch
from core.uploads import attendance, plan_workbook, progress
from core.uploads.progress import UndoRefused, UndoResult, may_undo


def undo_batch(*, session: Session, batch_id: int, user: str, role: str) -> UndoResult:
    """Restore exactly what the batch changed, in the caller's transaction; refused if a later batch built on it,
    or if ``user`` with ``role`` may not undo it (``may_undo``)."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise UndoRefused(f"No existe la carga número {batch_id}.")
    if not may_undo(role=role, user=user, created_by=batch.created_by):
        raise UndoRefused(
            f"La carga número {batch_id} la hizo «{batch.created_by}»: solo esa persona o la administración "
            "pueden deshacerla."
        )
    if batch.status != "applied":
        raise UndoRefused(f"La carga número {batch_id} ya se había deshecho.")
    if batch.kind == plan_workbook.KIND:
        return plan_workbook.undo_plan_batch(session=session, batch_id=batch_id, user=user)
    if batch.kind == attendance.ATTENDANCE_KIND:
        return attendance.undo_attendance_batch(session=session, batch_id=batch_id, user=user)
    return progress.undo_progress_batch(session=session, batch_id=batch_id, user=user)
