"""Column mappings the coordinator confirmed, remembered per contract and header row (never applied silently:
the screen offers a remembered mapping for confirmation on the next file of the same shape).

Stored in the ``setting`` table as JSON ({contract header: file header}), each write audited.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlmodel import Session

from core import audit, db

PREFIX = "columnas"


def _key(kind: str, header_signature: str) -> str:
    return f"{PREFIX}:{kind}:{header_signature}"


def remember_mapping(
    *, session: Session, kind: str, header_signature: str, columns: Mapping[str, str], user: str
) -> None:
    """Keep ``columns`` for files of ``kind`` whose header row has ``header_signature``, in the caller's transaction."""
    key = _key(kind, header_signature)
    before = db.get_setting(session=session, key=key)
    value = json.dumps(dict(columns), ensure_ascii=False, sort_keys=True)
    if before == value:
        return
    db.set_setting(session=session, key=key, value=value)
    audit.record(
        session=session,
        user=user,
        action="recordar columnas",
        table_name="setting",
        row_id=key,
        before=json.loads(before) if before else None,
        after=dict(columns),
    )


def recalled_mapping(*, session: Session, kind: str, header_signature: str) -> dict[str, str] | None:
    """The mapping last confirmed for files of this shape, or None."""
    stored = db.get_setting(session=session, key=_key(kind, header_signature))
    if not stored:
        return None
    found = json.loads(stored)
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else None
