"""A column read at once gives, cell by cell, exactly what its reader gives one cell at a time."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from core.excel import cells, parsing
from core.excel.cells import CellError


def one_by_one(raw: list[object], reader: Callable[[object], Any]) -> tuple[list[Any], list[str | None]]:
    values: list[Any] = []
    reasons: list[str | None] = []
    for cell in raw:
        try:
            values.append(reader(cell))
            reasons.append(None)
        except CellError as exc:
            values.append(None)
            reasons.append(str(exc))
    return values, reasons


grouped = st.integers(1, 999).map(str) | st.integers(1_000, 10**13).map(lambda n: f"{n:,}".replace(",", "."))
written_numbers = st.builds(
    lambda sign, whole, decimals, before, after, mark: f"{before}{mark}{sign}{whole}{decimals}{after}",
    st.sampled_from(["", "-", "+"]),
    grouped | st.integers(0, 10**16).map(str),
    st.sampled_from(["", ",5", ",25", ".5", ",", ",000"]),
    st.sampled_from(["", " ", "  ", "\u00a0"]),
    st.sampled_from(["", " ", " %", "%", " pesos", "\u00a0"]),
    st.sampled_from(["", "$", "$ ", "COP ", "cop", "$$"]),
)
cell_values = st.one_of(
    st.none(),
    st.just(""),
    st.booleans(),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=True, allow_infinity=True),
    st.floats(-1, 200),
    written_numbers,
    st.text(max_size=6),
    st.sampled_from(["N/A", "-", "sin dato", "85 %", "0,85", "1.234", "0.750", "1.2.3", "12'500.000"]),
    st.dates(date(1990, 1, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)),
    st.dates(date(2020, 1, 1), date(2030, 1, 1)).map(lambda d: f"{d:%d/%m/%Y}"),
)


READERS = [cells.number, cells.money, cells.percent, cells.day, cells.text, cells.code]


@settings(max_examples=300, deadline=None)
@given(raw=st.lists(cell_values, max_size=40), reader=st.sampled_from(READERS))
def test_a_column_reads_as_its_cells_one_by_one(raw: list[object], reader: Callable[[object], Any]) -> None:
    assert parsing.read_column(raw, reader) == one_by_one(raw, reader)


def test_repeated_and_equal_looking_cells_keep_their_own_reading() -> None:
    # 1, 1.0 and True are equal in Python but not the same cell: True is not a number.
    raw: list[object] = [1, 1.0, True, "1", "$ 1.234.567", "$ 1.234.567", None, "", "101", 101.0, -1.0]
    values, reasons = parsing.read_column(raw, cells.money)
    assert values == [1.0, 1.0, None, 1.0, 1_234_567.0, 1_234_567.0, None, None, 101.0, 101.0, None]
    assert reasons[2] == "se esperaba un número, no VERDADERO/FALSO"
    assert reasons[10] == "el presupuesto no puede ser negativo"
    percent_values, percent_reasons = parsing.read_column(raw, cells.percent)
    assert percent_values[8:10] == [None, None]
    assert percent_reasons[8] == percent_reasons[9] == "el avance debe estar entre 0 y 100 (se leyó 101)"


one_number_kind = st.sampled_from(
    [
        st.nothing(),
        st.booleans(),
        st.integers(-(10**16), 10**16) | st.integers(-1, 200),
        st.floats(allow_nan=True, allow_infinity=True) | st.floats(-1, 200),
    ]
)
not_numbers = st.one_of(
    st.none(), st.just(""), written_numbers, st.text(max_size=6), st.dates(date(1990, 1, 1), date(2100, 1, 1)),
    st.datetimes(datetime(1990, 1, 1), datetime(2100, 1, 1)),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(data=st.data(), reader=st.sampled_from(READERS))
def test_a_column_with_one_kind_of_number_reads_as_its_cells_one_by_one(
    data: st.DataObject, reader: Callable[[object], Any]
) -> None:
    """Columns as files bring them: numbers of one kind (or none) among texts, dates and blanks."""
    raw = data.draw(st.lists(data.draw(one_number_kind) | not_numbers, max_size=60))
    assert parsing.read_column(raw, reader) == one_by_one(raw, reader)
