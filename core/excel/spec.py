"""What a column of an Excel contract is: header, synonyms, kind, range, choices, width, whether it is required.

Each contract (progress sheet, attendance sheet, plan workbook) declares its columns once as ``Column`` values; the
same declaration finds the header row (``header_key`` matches headers as people write them), parses and checks the
cells, writes the template (fills, widths, data validation) and the export, and locates problems by column.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
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
class Column:
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
    width: int | None = None  # template width in characters; None: fitted to the content
    filled_in: bool = True  # the person fills it in the template (yellow); False: shown to orient (grey)
    read_back: bool = True  # False: a template column that only orients the person; ignored when read back

    @property
    def helper(self) -> bool:
        return bool(self.shows)

    @property
    def names(self) -> tuple[str, ...]:
        """The header and its synonyms: every way a file may name this column."""
        return (self.header, *self.synonyms)

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


PlanColumn = Column  # the plan workbook's name for it (core.plan.sheets, core.plan.edit)


# ---------------------------------------------------------------------------------------------------- headers

# Words a header can do without ("Código del compromiso" = "código compromiso") and abbreviations people write.
HEADER_FILLER_WORDS = frozenset({"de", "del", "la", "las", "el", "los"})
HEADER_ABBREVIATIONS: Mapping[str, str] = {
    "cod": "codigo",
    "ppto": "presupuesto",
    "pto": "presupuesto",
    "presup": "presupuesto",
    "nro": "numero",
    "no": "numero",  # "No." and "Nº" (º decomposes to o)
    "num": "numero",
    "n": "numero",  # "N°"
    "obs": "observaciones",
    "descr": "descripcion",
}
_HEADER_SYMBOLS = re.compile(r"[%$#°.,:;*?¿!¡()\[\]{}/\\_\-–—'\"«»]+")
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def header_key(text: str) -> str:
    """A header as a key that ignores case, accents, symbols, filler words and abbreviations:
    "CÓDIGO DEL COMPROMISO", "Cód. compromiso" and "codigo_compromiso" all give "codigo compromiso"."""
    words = _HEADER_SYMBOLS.sub(" ", cells.normalized(text)).split()
    return " ".join(HEADER_ABBREVIATIONS.get(word, word) for word in words if word not in HEADER_FILLER_WORDS)


def header_keys(text: str) -> tuple[str, ...]:
    """The keys a file header may match by: itself, then without a trailing note ("Presupuesto ejecutado ($)")."""
    key = header_key(text)
    bare = header_key(_TRAILING_NOTE.sub("", text))
    return (key,) if bare in ("", key) else (key, bare)


def synonym_lookup(columns: Iterable[Column]) -> dict[str, str]:
    """header key -> field, over the header and synonyms of each column (the first column to claim a key keeps it)."""
    lookup: dict[str, str] = {}
    for column in columns:
        for name in column.names:
            lookup.setdefault(header_key(name), column.field)
    return lookup
