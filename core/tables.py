"""What a table column is, once for every place a table appears: static tables, grids and .xlsx downloads.

A ``Column`` says where its values come from, its Spanish header and its kind; the kind decides the es-CO text
(``formatted``), the grid's column type (``ui.tables``) and the Excel number format (``core.export``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from core import formatting


class Kind(StrEnum):
    TEXT = "text"
    INTEGER = "integer"
    DECIMAL = "decimal"  # one decimal
    PERCENT = "percent"  # values in 0–100
    PROGRESS = "progress"  # a percent drawn as a bar on screen
    MONEY = "money"  # Colombian pesos, totals (grids show them in millions, so they stay numbers and sort)
    PESOS = "pesos"  # Colombian pesos of one record (a report, a commitment, per inhabitant): shown to the peso
    DATE = "date"


@dataclass(frozen=True)
class Column:
    source: str  # column of the frame
    header: str  # Spanish header shown and exported
    kind: Kind = Kind.TEXT
    help: str | None = None


def formatted(value: Any, kind: Kind) -> str:
    """The es-CO text of one value; blanks are a dash, never zero."""
    match kind:
        case Kind.INTEGER:
            return formatting.number(value)
        case Kind.DECIMAL:
            return formatting.number(value, 1)
        case Kind.PERCENT | Kind.PROGRESS:
            return formatting.percent(value)
        case Kind.MONEY | Kind.PESOS:
            return formatting.money(value)
        case Kind.DATE:
            return formatting.day(value)
        case _:
            return formatting.BLANK if value is None or value is pd.NA or value != value else str(value)


def for_display(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    """The frame as text, Spanish headers, in the given order (for static tables and plain-text summaries)."""
    return pd.DataFrame(
        {c.header: [formatted(value, c.kind) for value in frame[c.source]] for c in columns}, index=frame.index
    )
