"""Column mappings the coordinator confirmed, remembered per contract and header row (of each sheet), never applied
silently: the screen offers a remembered mapping for confirmation on the next file of the same shape.

Stored in the ``setting`` table as JSON ({contract header: file header}), each write audited. A mapping is
remembered when the coordinator confirms it (``remember_confirmed``), not when the file is applied: a file sent back
for corrections comes again with the same header row, and its mapping is offered again.
"""

from __future__ import annotations

import json
from collections.abc import Mapping

from sqlmodel import Session

from core import audit, db
from core.excel.headers import ColumnsUnmatched

PREFIX = "columnas"


def _key(kind: str, header_signature: str) -> str:
    return f"{PREFIX}:{kind}:{header_signature}"  # a sheet's name is in its signature: the key fits in 60


def remember_mapping(
    *, session: Session, kind: str, header_signature: str, columns: Mapping[str, str], user: str
) -> None:
    """Keep ``columns`` for files of ``kind`` whose header row (of a sheet, in a contract of several sheets) has
    ``header_signature``, in the caller's transaction (audited, and the data version bumped, like every write)."""
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
    db.bump_data_version(session=session)


def recalled_mapping(*, session: Session, kind: str, header_signature: str) -> dict[str, str] | None:
    """The mapping last confirmed for files of this shape, or None."""
    stored = db.get_setting(session=session, key=_key(kind, header_signature))
    if not stored:
        return None
    found = json.loads(stored)
    return {str(k): str(v) for k, v in found.items()} if isinstance(found, dict) else None


def with_remembered(exc: ColumnsUnmatched, *, session: Session, kind: str) -> ColumnsUnmatched:
    """``exc`` with, on each of its tables, the mapping last confirmed for that shape (to offer, not to apply)."""
    for table in exc.tables:
        table.remembered = recalled_mapping(session=session, kind=kind, header_signature=table.header_signature)
    return exc


def remember_confirmed(
    *, session: Session, kind: str, unmatched: ColumnsUnmatched, columns: Mapping[str, str], user: str
) -> None:
    """Remember what the coordinator just confirmed on the mapping screen, for each table of ``unmatched`` (its
    part of ``columns``, keyed as ``UnmatchedTable.key`` says; a column said to be absent is not kept: absent is
    what the screen offers anyway), in the caller's transaction."""
    for table in unmatched.tables:
        if own := {contract: mine for contract, mine in table.own(columns).items() if mine}:
            remember_mapping(
                session=session, kind=kind, header_signature=table.header_signature, columns=own, user=user
            )
