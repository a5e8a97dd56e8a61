"""«Historial de cargas»: every uploaded file, and the undo of any of them, whatever its contract.

It sits above the contracts so that none of them imports another to dispatch.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.db import table_columns
from core.models import ImportBatch
from core.uploads import alignment, attendance, batches, plan_workbook, pp, progress
from core.uploads.batches import BatchKind, UndoResult

UNDO: dict[BatchKind, Callable[..., UndoResult]] = {
    BatchKind.PROGRESS: progress.undo_progress_batch,
    BatchKind.ATTENDANCE: attendance.undo_attendance_batch,
    BatchKind.PLAN_WORKBOOK: plan_workbook.undo_plan_batch,
    BatchKind.PP: pp.undo_pp_batch,
    BatchKind.ALIGNMENT: alignment.undo_alignment_batch,
}


def undo_batch(*, session: Session, batch_id: int, user: str, role: str) -> UndoResult:
    """Restore exactly what the batch changed, in the caller's transaction; refused if a later batch built on it,
    or if ``user`` with ``role`` may not undo it (``may_undo``)."""
    batch = batches.undoable_by(session=session, batch_id=batch_id, user=user, role=role)
    return UNDO[BatchKind(batch.kind)](session=session, batch_id=batch_id, user=user)


def batch_history(*, session: Session) -> pd.DataFrame:
    """Every uploaded file, newest first: number, file, kind, who and when, row counts, status."""
    b = table_columns(ImportBatch)
    return pd.read_sql(
        select(
            b.id,
            b.file_name,
            b.kind,
            b.created_by,
            b.created_at,
            b.rows_total,
            b.rows_applied,
            b.rows_rejected,
            b.status,
        ).order_by(b.id.desc()),
        session.connection(),
    )
