"""What a column of an Excel contract is: header, synonyms, kind, range, choices, whether it is required."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from core.excel import cells


class CellKind(StrEnum):
    TEXT = "text"  # free text, kept exactly as typed
    CODE = "code"  # a code or short label: spaces collapsed
    COLOR = "color"  # '#RRGGBB' (a name such as 'rojo' is turned into its code)
    CHOICE = "choice"  # one of a fixed vocabulary
    REF = "ref"  # the key of a row of another sheet
    INTEGER = "integer"
    DECIMAL = "decimal"
    MONEY = "money"  # Colombian pesos, never negative
    PERCENT = "percent"  # 0–100
    SHARE = "share"  # 0–1, shown as a percentage
    DATE = "date"
    BOOL = "bool"  # Sí / No


@dataclass(frozen=True)
class PlanColumn:
    field: str  # the table column (for a helper column, a name of its own)
    header: str
    kind: CellKind = CellKind.TEXT
    required: bool = False
    target: str = ""  # REF: the referenced sheet; helper: the reference column it describes
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    synonyms: tuple[str, ...] = ()
    shows: str = ""  # helper columns only: the field of the referenced row shown, never read back

    @property
    def helper(self) -> bool:
        return bool(self.shows)

    @property
    def bounds(self) -> tuple[float | None, float | None]:
        """(lowest, highest) value of a numeric column: its own, else the sane range of its kind."""
        lowest, highest = KIND_BOUNDS.get(self.kind, (None, None))
        return (
            lowest if self.minimum is None else self.minimum,
            highest if self.maximum is None else self.maximum,
        )


MAX_INTEGER = 1_000_000_000  # counts, populations, orders: well inside PostgreSQL's INTEGER


KIND_BOUNDS: dict[CellKind, tuple[float | None, float | None]] = {
    CellKind.INTEGER: (-MAX_INTEGER, MAX_INTEGER),
    CellKind.DECIMAL: (-cells.MAX_QUANTITY, cells.MAX_QUANTITY),
    CellKind.MONEY: (0, cells.MAX_MONEY),
    CellKind.PERCENT: (0, 100),
    CellKind.SHARE: (0, 1),
}
