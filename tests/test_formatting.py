from datetime import UTC, date, datetime

import pytest

from core import formatting


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [
        (1234567.8, 1, "1.234.567,8"),
        (0, 0, "0"),
        (999.5, 0, "1.000"),
        (-1500.25, 2, "-1.500,25"),
        (56.25, 1, "56,3"),
        (None, 0, "—"),
    ],
)
def test_number(value: float | None, decimals: int, text: str) -> None:
    assert formatting.number(value, decimals) == text


def test_blank_is_a_dash_not_zero() -> None:
    assert (formatting.percent(float("nan")), formatting.money(None), formatting.day(None)) == ("—", "—", "—")


def test_money_percent_and_millions() -> None:
    assert formatting.money(1234567) == "$ 1.234.567"
    assert formatting.money(1234567.5, 2) == "$ 1.234.567,50"
    assert formatting.percent(56.93) == "56,9 %"
    assert (formatting.millions(45_547_000_000), formatting.millions(2_350_000)) == ("45.547", "2,4")


def test_dates() -> None:
    assert formatting.day(date(2026, 3, 5)) == "05/03/2026"
    assert formatting.long_day(date(2026, 11, 15)) == "15 de noviembre de 2026"


def test_a_utc_moment_is_shown_as_the_day_in_colombia() -> None:
    assert formatting.day(datetime(2026, 11, 27, 2, 30, tzinfo=UTC)) == "26/11/2026"  # 21:30 in Medellín
    assert formatting.day(datetime(2026, 11, 27, 2, 30)) == "27/11/2026"  # a naive time is taken as given


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (1e28, "$ 10.000.000.000.000.000.000.000.000.000"),
        (float("inf"), "$ ∞"),
        (float("-inf"), "-$ ∞"),
        (10**30, "$ 1.000.000.000.000.000.000.000.000.000.000"),
    ],
)
def test_money_never_raises_on_huge_or_infinite_amounts(value: float, text: str) -> None:
    assert formatting.money(value) == text


@pytest.mark.parametrize("value", [1e28, 1.7976931348623157e308, -1e300, float("inf"), float("nan"), 5e-324])
def test_every_formatter_takes_any_float(value: float) -> None:
    for shown in (formatting.number(value, 2), formatting.percent(value), formatting.millions(value)):
        assert isinstance(shown, str) and shown
