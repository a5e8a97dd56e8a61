"""Every write of a round ends the same way: its audit entry in the caller's transaction, then a new data version."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from core import audit, db


def audited(
    *,
    session: Session,
    user: str,
    action: str,
    table_name: str,
    row_id: str,
    after: dict[str, Any],
    before: dict[str, Any] | None = None,
) -> None:
    audit.record(
        session=session, user=user, action=action, table_name=table_name, row_id=row_id, before=before, after=after
    )
    db.bump_data_version(session=session)
