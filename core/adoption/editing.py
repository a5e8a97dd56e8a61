"""The crosswalk of one instrument as a grid: read it, save it whole (one transaction, the shared rules)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
from sqlmodel import Session

from core.plan import edit

GRID_FIELDS: tuple[str, ...] = (
    "code", "line_id", "program_id", "project_id", "their_code", "their_text", "level", "resources_cop", "year",
    "evidence", "state", "verified_by", "verified_on",
)  # fmt: skip
NEW_PREFIX = "AR-"


def crosswalk_grid(*, session: Session, instrument: str) -> pd.DataFrame:
    """The active crosswalk rows of ``instrument`` (its code), references as codes, in ``GRID_FIELDS``."""
    frame = edit.list_records(session=session, catalog=edit.ALIGNMENTS)
    mine = frame.loc[(frame.instrument_id == instrument) & frame.archived_on.isna(), list(GRID_FIELDS)]
    return mine.reset_index(drop=True)


def plain(value: Any) -> Any:
    """A grid cell as a form gives it: numpy numbers as Python numbers, timestamps as dates, NaN/NaT as blank."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp | datetime):
        return value.date()
    if hasattr(value, "item") and not isinstance(value, str | date):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def new_codes(session: Session, count: int) -> list[str]:
    """``count`` free crosswalk codes, numbered after the highest AR-NNN."""
    taken = set(edit.list_records(session=session, catalog=edit.ALIGNMENTS).code.astype(str))
    numbers = [
        int(code[len(NEW_PREFIX) :])
        for code in taken
        if code.startswith(NEW_PREFIX) and code[len(NEW_PREFIX) :].isdigit()
    ]
    first = max(numbers, default=0) + 1
    return [f"{NEW_PREFIX}{number:03d}" for number in range(first, first + count)]


def save_crosswalk(*, session: Session, user: str, instrument: str, rows: Sequence[Mapping[str, Any]]) -> int:
    """Save the grid of ``instrument``: a row with a code updates that row, one without is new (coded AR-NNN).
    Every row is checked with the rules of the plan workbook before any is written; errors are keyed «fila N ·
    campo». Returns how many rows changed."""
    edit.find(session=session, catalog=edit.INSTRUMENTS, code=instrument)
    cleaned = [{name: plain(value) for name, value in row.items() if name in GRID_FIELDS} for row in rows]
    new = iter(new_codes(session, sum(1 for row in cleaned if not row.get("code"))))
    records: dict[str, tuple[str | None, Mapping[str, Any]]] = {}
    for number, row in enumerate(cleaned, start=1):
        values = {**row, "instrument_id": instrument}
        if row.get("code"):
            records[f"fila {number} ({row['code']})"] = (str(row["code"]), values)
        else:
            records[f"fila {number} (nueva)"] = (None, values | {"code": next(new)})
    return edit.save_many(session=session, user=user, catalog=edit.ALIGNMENTS, records=records)
