from datetime import date, datetime

import pytest

from core.excel import cells
from core.excel.cells import CellError


@pytest.mark.parametrize("raw", [None, "", "  ", "N/A", "n/a", "NA", "sin dato", "Sin Dato", "-", "—", float("nan")])
def test_blank_like_cells_are_blank_never_zero(raw: object) -> None:
    assert cells.percent(raw) is None
    assert cells.money(raw) is None
    assert cells.day(raw) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(85, 85.0), ("85", 85.0), ("85 %", 85.0), ("85%", 85.0), ("85,5", 85.5), ("85.5", 85.5), ("0,85", 0.85),
     ("100", 100.0), ("0", 0.0)],
)  # fmt: skip
def test_percent(raw: object, expected: float) -> None:
    assert cells.percent(raw) == expected


def test_a_cell_formatted_as_percent_stores_a_fraction() -> None:
    assert cells.percent(0.85, formatted_as_percent=True) == pytest.approx(85.0)
    assert cells.percent(0.85) == pytest.approx(0.85)  # plain 0,85 means 0,85 %


@pytest.mark.parametrize("raw", [120, "-5", "101 %", "ochenta", True])
def test_percent_refused(raw: object) -> None:
    with pytest.raises(CellError):
        cells.percent(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(1234567, 1_234_567.0), ("1234567", 1_234_567.0), ("1.234.567", 1_234_567.0), ("$ 1.234.567,50", 1_234_567.5),
     ("$1.234.567", 1_234_567.0), ("COP 2.000", 2000.0), ("1.234", 1234.0), ("12,5", 12.5),
     ("1,234,567.5", 1_234_567.5), ("\u00a01.000\u00a0", 1000.0)],
)  # fmt: skip
def test_money(raw: object, expected: float) -> None:
    assert cells.money(raw) == expected


@pytest.mark.parametrize("raw", ["-1.000", "mil pesos", "1.23.4", "1,2,3"])
def test_money_refused(raw: object) -> None:
    with pytest.raises(CellError):
        cells.money(raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [(datetime(2026, 11, 15, 0, 0), date(2026, 11, 15)), (date(2026, 11, 15), date(2026, 11, 15)),
     (46341, date(2026, 11, 15)), ("46341", date(2026, 11, 15)), ("15/11/2026", date(2026, 11, 15)),
     ("5/1/2026", date(2026, 1, 5)), ("05-01-26", date(2026, 1, 5)), ("2026-01-05", date(2026, 1, 5)),
     ("15.11.2026", date(2026, 11, 15)), ("15 de noviembre de 2026", date(2026, 11, 15)),
     ("15 nov 2026", date(2026, 11, 15)), ("15/11/2026 00:00", date(2026, 11, 15))],
)  # fmt: skip
def test_dates_are_day_first(raw: object, expected: date) -> None:
    assert cells.day(raw) == expected


@pytest.mark.parametrize("raw", ["11/15/2026", "31/02/2026", "mañana", "15/11", True, -3])
def test_dates_refused_never_guessed_month_first(raw: object) -> None:
    with pytest.raises(CellError):
        cells.day(raw)


def test_messages_are_spanish() -> None:
    with pytest.raises(CellError, match="no existe"):
        cells.day("31/02/2026")
    with pytest.raises(CellError, match="entre 0 y 100"):
        cells.percent(150)


def test_text_and_normalized() -> None:
    assert cells.text(12.0) == "12"
    assert cells.text("  JAC   La América ") == "JAC La América"
    assert cells.normalized("Avance  Físico (%)") == "avance fisico (%)"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("$ 12'500.000", 12_500_000.0), ("1'234.567", 1_234_567.0), ("0.750", 0.75), ("0.5", 0.5)],
)
def test_colombian_handwriting_of_big_numbers_and_leading_zero_decimals(raw: str, expected: float) -> None:
    assert cells.money(raw) == expected
