"""The audit trail: every write records who, when, what, and the values before and after (DESIGN.md §2)."""

from __future__ import annotations

import json
from typing import Any

from sqlmodel import Session

from core.models import AuditEntry

SYSTEM_USER = "sistema"


def record(
    *,
    session: Session,
    user: str,
    action: str,
    table_name: str,
    row_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    import_batch_id: int | None = None,
) -> AuditEntry:
    """Add one audit entry to the caller's transaction, so it commits (or rolls back) with the write itself."""
    entry = AuditEntry(
        user_name=user,
        action=action,
        table_name=table_name,
        row_id=row_id,
        before=_as_json(before),
        after=_as_json(after),
        import_batch_id=import_batch_id,
    )
    session.add(entry)
    return entry


def _as_json(values: dict[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)
