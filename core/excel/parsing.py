"""A cell's value by its column's kind (``core.excel.spec.CellKind``), range-checked: what the spec says a column
holds is what is read from it, the same way for every contract.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any, cast

from core.excel import cells, colors
from core.excel.cells import CellError, normalized
from core.excel.spec import CellKind, Column

NARROW_SCALE = 100  # a range up to this (1 to 5, 0 to 100) is stated whole; a wider one names only the bound crossed
YES_WORDS = frozenset({"si", "s", "x", "verdadero", "true", "1", "yes"})
NO_WORDS = frozenset({"no", "n", "falso", "false", "0"})


def range_problem(value: float, minimum: float | None, maximum: float | None) -> str | None:
    if not math.isfinite(value):
        return "no es un número válido"
    if minimum is not None and maximum is not None and maximum <= NARROW_SCALE and not minimum <= value <= maximum:
        return f"debe estar entre {_bound(minimum)} y {_bound(maximum)}"
    if minimum is not None and value < minimum:
        return "no puede ser negativo" if minimum == 0 else f"debe ser {_bound(minimum)} o más"
    if maximum is not None and value > maximum:
        return f"es demasiado grande: el máximo es {_bound(maximum)}"
    return None


def _bound(value: float) -> str:
    """A bound as written in a message: four digits stand ungrouped (a year, 1990), larger numbers grouped."""
    return str(int(value)) if float(value).is_integer() and abs(value) < 10_000 else cells.plain_number(value)


def cell_value(
    column: Column,
    raw: object,
    *,
    percent_cell: bool = False,
    reference: Callable[[Column, object], object] | None = None,
) -> Any:
    """The value of one cell, or ``CellError`` with the reason in Spanish. ``percent_cell``: Excel formats the cell
    as a percentage (it stores 0.85 for 85 %); ``reference`` reads a REF column's key (default: a code)."""
    value: Any
    if column.kind is CellKind.PERCENT:
        value = cells.percent(raw, formatted_as_percent=percent_cell)
    elif column.kind is CellKind.SHARE:
        value = share(raw, percent_cell)
    elif column.kind is CellKind.CHOICE:
        value = choice(column, raw)
    elif column.kind is CellKind.REF and reference is not None:
        value = reference(column, raw)
    else:
        value = KIND_READERS[column.kind](raw)
    if isinstance(value, int | float) and not isinstance(value, bool):
        problem = range_problem(value, *column.bounds)
        if problem:
            raise CellError(problem)
    return value


def free_text(raw: object) -> str | None:
    """Free text exactly as typed (so descriptions survive a round trip); only an empty cell is blank."""
    if raw is None:
        return None
    if isinstance(raw, str):
        kept = cells.without_control_characters(raw)
        return kept if kept.strip() else None
    if isinstance(raw, bool):
        return "Sí" if raw else "No"
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    if isinstance(raw, datetime | date):
        return f"{raw:%d/%m/%Y}"
    return str(raw)


def integer(raw: object) -> int | None:
    amount = cells.number(raw)
    if amount is None:
        return None
    if not amount.is_integer():
        shown = cells.plain_number(amount) if isinstance(raw, float) else str(raw)[:80]
        raise CellError(f"«{shown}» no es un número entero")
    return int(amount)


def share(raw: object, percent_cell: bool) -> float | None:
    """A share of a commitment: 50 %, '50 %', 50, 0,5 (a plain number up to 1 is a fraction)."""
    if cells.is_blank(raw):
        return None
    if percent_cell and isinstance(raw, int | float) and not isinstance(raw, bool):
        found: float | None = float(raw)
    elif isinstance(raw, str) and raw.strip().endswith("%"):
        found = cast(float, cells.percent(raw)) / 100
    else:
        amount = cast(float, cells.number(raw))
        found = amount if amount <= 1 else amount / 100
    if found is None or not 0 <= found <= 1:
        raise CellError("la participación debe estar entre 0 % y 100 %")
    return found


def yes_no(raw: object) -> bool | None:
    if isinstance(raw, bool):
        return raw
    if cells.is_blank(raw):
        return None
    word = normalized(free_text(raw) or "")
    if word in YES_WORDS:
        return True
    if word in NO_WORDS:
        return False
    raise CellError("escriba Sí o No")


def choice(column: Column, raw: object) -> str | None:
    value = cells.text(raw)
    if value is None:
        return None
    for option in column.choices:
        if normalized(option) == normalized(value):
            return option
    raise CellError(f"«{value}» no es un valor de «{column.header}»; use uno de: {', '.join(column.choices)}")


def color(raw: object) -> str | None:
    written = cells.text(raw)
    return None if written is None else colors.hex_color(written)


# The kinds read from the cell alone (PERCENT, SHARE and CHOICE also need the cell's format or the column).
KIND_READERS: dict[CellKind, Callable[[object], Any]] = {
    CellKind.TEXT: free_text,
    CellKind.CODE: cells.code,
    CellKind.COLOR: color,
    CellKind.REF: cells.code,
    CellKind.INTEGER: integer,
    CellKind.DECIMAL: cells.number,
    CellKind.MONEY: cells.money,
    CellKind.DATE: cells.day,
    CellKind.BOOL: yes_no,
}


# ----------------------------------------------------------------------------------------------- column by column

Read = tuple[Any, str | None]  # (value, the reason in Spanish it could not be read)

# Readers whose number cells are checked inline: (lowest, highest) they accept. A number outside (or NaN, or
# infinite) goes to the reader itself, for its own message.
_NUMBER_RANGES: dict[Callable[[object], Any], tuple[float, float]] = {
    cells.number: (-cells.MAX_QUANTITY, cells.MAX_QUANTITY),
    cells.money: (0.0, cells.MAX_MONEY),
    cells.percent: (0.0, 100.0),
}
# The way most people write a number in Colombia — 1.234.567,5 · 1234567 · 85,5 — with the sign each reader allows.
_USUAL = r"([+-]?(?:[1-9]\d{0,2}(?:\.\d{3})+|\d+)(?:,\d+)?)"
_USUAL_NUMBER: dict[Callable[[object], Any], re.Pattern[str]] = {
    cells.number: re.compile(rf"\s*{_USUAL}\s*"),
    cells.money: re.compile(rf"\s*(?:\$\s*)?{_USUAL}\s*"),
    cells.percent: re.compile(rf"\s*{_USUAL}\s*(?:%\s*)?"),
}


def read_column(raw: Sequence[object], reader: Callable[[object], Any]) -> tuple[list[Any], list[str | None]]:
    """``reader`` applied to every cell of a column: (values, reasons), ``None`` where there is none.

    What a 50.000-row upload costs is mostly here, so each distinct cell (by type and value: 1, 1.0 and True are
    different cells) is read once, and the common cells skip the reader: numbers in range, texts in the usual
    number shapes, date cells; an empty cell (``None``) is blank without asking. The result is the reader's own,
    cell by cell.
    """
    lowest, highest = _NUMBER_RANGES.get(reader, (math.nan, math.nan))
    numeric = reader in _NUMBER_RANGES
    dates = reader is cells.day
    usual_shape = _USUAL_NUMBER[reader].fullmatch if numeric else None
    seen: dict[object, Read] = {}
    values: list[Any] = []
    reasons: list[str | None] = []
    for cell in raw:
        if cell is None:  # an empty cell reads as blank with every reader
            values.append(None)
            reasons.append(None)
            continue
        kind = type(cell)
        if numeric and (kind is float or kind is int) and lowest <= cell <= highest:  # type: ignore[operator]
            values.append(float(cell))  # type: ignore[arg-type]
            reasons.append(None)
            continue
        if dates and (kind is date or kind is datetime):  # a date cell is its own date
            values.append(cell if kind is date else cell.date())  # type: ignore[attr-defined]
            reasons.append(None)
            continue
        key = cell if kind is str else (kind, cell)  # a text never equals a non-text: no need to tell them apart
        found = seen.get(key)
        if found is None:
            # A text in the usual shape is read here, the way the reader reads it (a property test holds the two
            # to the same result); anything else, or a number out of range, goes to the reader for its message.
            usual = usual_shape(cell) if usual_shape is not None and isinstance(cell, str) else None
            number = float(usual.group(1).replace(".", "").replace(",", ".")) if usual is not None else math.nan
            found = (number, None) if lowest <= number <= highest else _read_once(cell, reader)
            seen[key] = found
        values.append(found[0])
        reasons.append(found[1])
    return values, reasons


def _read_once(cell: object, reader: Callable[[object], Any]) -> Read:
    try:
        return reader(cell), None
    except CellError as exc:
        return None, str(exc)
