"""Spanish (Colombia) formats for everything the user reads: 1.234.567,8 · 15/11/2026 · $ 1.234.567."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta, timezone
from decimal import ROUND_HALF_UP, Context, Decimal

import pandas as pd

MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
          "noviembre", "diciembre")  # fmt: skip
BLANK = "—"
# Enough digits for the largest float (about 1.8e308) with its decimals: quantize under the default 28-digit context
# raises InvalidOperation for any amount from 1e28 up, and one such figure would take a page down for everyone.
_WIDE = Context(prec=400)


def _is_blank(value: object) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def number(value: float | int | None, decimals: int = 0) -> str:
    """1234567.891 -> '1.234.567,9' (decimals=1); blank stays a dash, never '0'."""
    if _is_blank(value):
        return BLANK
    assert value is not None
    exact = _exact(value)
    if exact.is_infinite():
        return "-∞" if exact < 0 else "∞"
    rounded = _half_up(exact, decimals)
    text = f"{rounded:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def _exact(value: float | int) -> Decimal:
    return Decimal(value) if isinstance(value, int) else Decimal(repr(float(value)))


def _half_up(exact: Decimal, decimals: int) -> Decimal:
    # Half up, as people round by hand (format() would give 56,2 for 56,25).
    return exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_WIDE)


def round_half_up(value: float, decimals: int = 1) -> float:
    """The value ``number`` shows, as a float: decisions on a figure (its semáforo) are taken on what is read."""
    exact = _exact(value)
    return float(exact if exact.is_infinite() else _half_up(exact, decimals))


def percent(value: float | None, decimals: int = 1) -> str:
    """A value already in 0–100: 56.93 -> '56,9 %'."""
    return BLANK if _is_blank(value) else f"{number(value, decimals)} %"


def money(value: float | None, decimals: int = 0) -> str:
    """Colombian pesos: 1234567 -> '$ 1.234.567'."""
    if _is_blank(value):
        return BLANK
    sign = "-" if value < 0 else ""  # type: ignore[operator]
    return f"{sign}$ {number(abs(value), decimals)}"  # type: ignore[arg-type]


def millions(value: float | None) -> str:
    """An amount in millions, for cards whose unit says 'millones de pesos': 45_547_000_000 -> '45.547'."""
    if _is_blank(value):
        return BLANK
    amount = value / 1_000_000  # type: ignore[operator]
    return number(amount, 1 if abs(amount) < 10 else 0).removesuffix(",0")


# Colombia keeps UTC−5 all year (no daylight saving): a fixed offset needs no time-zone database.
COLOMBIA = timezone(timedelta(hours=-5), "COT")


def local_date(value: date | datetime) -> date:
    """The calendar day in Colombia: a UTC moment converted first, a plain date kept."""
    if isinstance(value, datetime):
        return (value.astimezone(COLOMBIA) if value.tzinfo is not None else value).date()
    return value


def colombia_today() -> date:
    """Today's date in Colombia, whatever the server's time zone (a UTC server is a day ahead after 19:00)."""
    return datetime.now(COLOMBIA).date()


def day(value: date | datetime | pd.Timestamp | None) -> str:
    """dd/mm/aaaa; a moment stored in UTC (an upload's time) is shown as the day it was in Colombia."""
    if _is_blank(value):
        return BLANK
    return local_date(value).strftime("%d/%m/%Y")  # type: ignore[arg-type]


def moment(value: datetime | pd.Timestamp | None) -> str:
    """dd/mm/aaaa hh:mm in Colombia's time (the audit trail's moments are stored in UTC)."""
    if _is_blank(value):
        return BLANK
    assert value is not None
    moment = value.astimezone(COLOMBIA) if value.tzinfo is not None else value
    return moment.strftime("%d/%m/%Y %H:%M")


def long_day(value: date) -> str:
    """'15 de noviembre de 2026'."""
    return f"{value.day} de {MONTHS[value.month - 1]} de {value.year}"
