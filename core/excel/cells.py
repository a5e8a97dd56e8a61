"""Reading what people type in spreadsheet cells: numbers, percentages, money and dates, the Colombian way.

Every parser takes a raw cell value (as python-calamine or the CSV reader gives it: str, int, float, bool,
date/datetime, or None) and returns the value or raises ``CellError`` with a plain-Spanish reason. Blank-like
cells ("", "N/A", "sin dato", "-") are ``None``, never zero. Dates are read day first, never guessed month first.
"""

from __future__ import annotations

import math
import re
import unicodedata
from datetime import date, datetime, timedelta

BLANK_WORDS = frozenset(
    {
        "",
        "-",
        "--",
        "—",
        "–",
        "n/a",
        "na",
        "n.a.",
        "n. a.",
        "no aplica",
        "sin dato",
        "sin datos",
        "s/d",
        "s.d.",
        "sd",
        "nd",
        "n/d",
        "ninguno",
        "null",
        "none",
        "nan",
        "?",
    }
)
EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1900-01-01, counting Excel's phantom 29/02/1900
MONTHS = {
    "ene": 1,
    "enero": 1,
    "feb": 2,
    "febrero": 2,
    "mar": 3,
    "marzo": 3,
    "abr": 4,
    "abril": 4,
    "may": 5,
    "mayo": 5,
    "jun": 6,
    "junio": 6,
    "jul": 7,
    "julio": 7,
    "ago": 8,
    "agosto": 8,
    "sep": 9,
    "sept": 9,
    "septiembre": 9,
    "setiembre": 9,
    "oct": 10,
    "octubre": 10,
    "nov": 11,
    "noviembre": 11,
    "dic": 12,
    "diciembre": 12,
}
_NUMERIC_DATE = re.compile(r"^(\d{1,4})[/\-.](\d{1,2})[/\-.](\d{1,4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$")
_WORD_DATE = re.compile(r"^(\d{1,2})(?:\s+de)?\s+([a-z]+)\.?(?:\s+de)?\s+(\d{4})$")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d+)*|\d*[.,]\d+)$")
# Sane ceilings: a figure beyond them is a typo (or an attack), and one 1e28 would reach every page and total.
MAX_MONEY = 10**15  # $ 1.000 billones, about a hundred times Medellín's yearly budget
MAX_QUANTITY = 10**12  # targets, achieved values, baselines, areas, weights


# C0 controls but tab and line breaks, DEL and C1: invisible, never meant, and PostgreSQL refuses a NUL outright.
CONTROL_CHARACTERS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), *range(0x7F, 0xA0)])


def without_control_characters(text: str) -> str:
    return text.translate(CONTROL_CHARACTERS)


class CellError(ValueError):
    """A value that cannot be read; the message is shown to the coordinator as is."""


def column_letter(column: int) -> str:
    letters = ""
    while column:
        column, remainder = divmod(column - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def normalized(text: str) -> str:
    """Lower case, no accents, single spaces: 'Avance  Físico (%)' -> 'avance fisico (%)'."""
    if text.isascii():  # most codes and headers: nothing to decompose, and casefold is lower
        return " ".join(text.lower().split())
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def is_blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped:
            return True
        if len(stripped) > 12 or stripped[0].isdigit() or stripped[0] == "$":
            return False  # fast path: no blank word is this long or starts like a number
        return normalized(stripped) in BLANK_WORDS
    return False


def text(value: object) -> str | None:
    if is_blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a code typed as 12 arrives as 12.0
    return " ".join(without_control_characters(str(value)).split()) or None


MAX_TEXT = 32_767  # characters an Excel cell holds: a longer text would not survive the plan workbook's round trip
SCRIPTS = {"CYRILLIC": "cirílica", "GREEK": "griega", "ARMENIAN": "armenia", "ARABIC": "árabe", "HEBREW": "hebrea"}


def invisible_characters(value: str) -> list[str]:
    """Zero-width spaces, bidi marks and other format characters (Unicode category Cf), as 'U+200B'."""
    if value.isascii():
        return []
    return [f"U+{ord(ch):04X}" for ch in value if unicodedata.category(ch) == "Cf"]


def code(value: object) -> str | None:
    """A code as the plan keys it: NFKC (a full-width 'Ｌ１' is 'L1'), without invisible characters, spaces
    collapsed. Letters outside the Latin alphabet are refused: a Cyrillic 'С' looks exactly like a Latin 'C' and
    would make a twin of an existing line, actor or commitment."""
    written = text(value)
    if written is None:
        return None
    plain = unicodedata.normalize("NFKC", written)
    if not plain.isascii():
        plain = "".join(ch for ch in plain if unicodedata.category(ch) != "Cf")
        for ch in plain:
            if ch.isalpha() and not unicodedata.name(ch, "").startswith("LATIN"):
                script = SCRIPTS.get(unicodedata.name(ch, "").split(" ")[0], "de otro alfabeto")
                raise CellError(
                    f"el código «{written}» tiene una letra que no es del alfabeto latino aunque lo parezca: «{ch}» "
                    f"({script}); escríbala de nuevo con el teclado"
                )
    return " ".join(plain.split()) or None


def _number_from_text(raw: str) -> float:
    """'1.234.567,50' -> 1234567.5; '85,5' -> 85.5; '0.85' -> 0.85; '1.234' -> 1234 (a dot before 3 digits
    groups thousands in Colombia)."""
    # An apostrophe marks the millions in Colombian handwriting ("12'500.000"): a thousands separator like the dot.
    cleaned = raw.replace("\u00a0", "").replace(" ", "").replace("'", ".")
    if not _NUMBER.match(cleaned):
        raise CellError(f"«{raw}» no es un número")
    sign = -1.0 if cleaned.startswith("-") else 1.0
    cleaned = cleaned.lstrip("+-")
    if "," in cleaned and "." in cleaned:
        decimal_mark = "," if cleaned.rfind(",") > cleaned.rfind(".") else "."
        grouping = "." if decimal_mark == "," else ","
        cleaned = cleaned.replace(grouping, "").replace(decimal_mark, ".")
    elif "," in cleaned:
        if cleaned.count(",") > 1:
            raise CellError(f"«{raw}» no es un número claro: use 1.234.567,5")
        cleaned = cleaned.replace(",", ".")  # the Colombian decimal comma
    elif cleaned.count(".") > 1 or re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", cleaned):  # "0.750" is a decimal
        if not re.fullmatch(r"[1-9]\d{0,2}(\.\d{3})+", cleaned):
            raise CellError(f"«{raw}» no es un número claro: use 1.234.567,5")
        cleaned = cleaned.replace(".", "")
    return sign * float(cleaned)


def number(value: object, *, limit: float = MAX_QUANTITY) -> float | None:
    """A plain number: 12, '12', '1.234,5'; never beyond ± ``limit``."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        raise CellError("se esperaba un número, no VERDADERO/FALSO")
    if isinstance(value, date | datetime | timedelta):
        raise CellError("se esperaba un número, no una fecha")
    amount = float(value) if isinstance(value, int | float) else _number_from_text(str(value).strip())
    if not math.isfinite(amount):
        raise CellError("el número no es válido")
    if abs(amount) > limit:
        raise CellError(f"el número es demasiado grande: el máximo es {plain_number(limit)}")
    return amount


def money(value: object) -> float | None:
    """Colombian pesos: 1234567, '1.234.567', '$ 1.234.567,50', 'COP 1.234.567'; never negative."""
    if isinstance(value, str) and not is_blank(value):
        value = re.sub(r"(?i)^\s*(cop|col\$|\$)\s*|\s*(cop|pesos)\s*$", "", value.strip()).strip()
        value = value.removeprefix("$").strip()
    amount = number(value, limit=math.inf)
    if amount is not None and amount < 0:
        raise CellError("el presupuesto no puede ser negativo")
    if amount is not None and amount > MAX_MONEY:
        raise CellError(f"el valor es demasiado grande: el máximo es $ {plain_number(MAX_MONEY)}")
    return amount


def percent(value: object, *, formatted_as_percent: bool = False) -> float | None:
    """Progress in 0–100: 85, '85 %', '85,5', or 0.85 from a cell Excel formats as percentage."""
    if is_blank(value):
        return None
    if isinstance(value, str) and value.strip().endswith("%"):
        amount = number(value.strip().removesuffix("%").strip())
    else:
        amount = number(value)
        if amount is not None and formatted_as_percent and isinstance(value, int | float):
            amount *= 100  # the cell shows 85 % but stores 0.85
    if amount is not None and not 0 <= amount <= 100:
        raise CellError(f"el avance debe estar entre 0 y 100 (se leyó {plain_number(amount)})")
    return amount


def plain_number(amount: float) -> str:
    """85.5 -> '85,5'; whole numbers with thousands grouped (1.000.000), never in exponent notation."""
    if math.isfinite(amount) and float(amount).is_integer():
        return f"{int(amount):,}".replace(",", ".")
    return f"{amount:g}".replace(".", ",")


def day(value: object) -> date | None:
    """A date: an Excel date cell, a serial number, dd/mm/aaaa, dd-mm-aa, aaaa-mm-dd or '15 de noviembre de 2026'."""
    if is_blank(value):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise CellError("se esperaba una fecha")
    if isinstance(value, int | float):
        if not 1 <= value < 2_958_466:  # 31/12/9999
            raise CellError("el número no es una fecha de Excel")
        return EXCEL_EPOCH + timedelta(days=int(value))
    raw = str(value).strip()
    found = _NUMERIC_DATE.match(raw)
    if found:
        first, second, third = found.groups()
        if len(first) == 4:  # aaaa-mm-dd
            year, month, dom = int(first), int(second), int(third)
        else:  # day first, as in Colombia
            dom, month, year = int(first), int(second), int(third)
            if len(third) == 2:
                year += 2000
            elif len(third) != 4:
                raise CellError(f"«{raw}» no es una fecha: use dd/mm/aaaa")
        return _checked(raw, year, month, dom)
    worded = _WORD_DATE.match(normalized(raw))
    if worded and worded.group(2) in MONTHS:
        return _checked(raw, int(worded.group(3)), MONTHS[worded.group(2)], int(worded.group(1)))
    if re.fullmatch(r"\d+([.,]\d+)?", raw):
        return day(float(raw.replace(",", ".")))
    raise CellError(f"«{raw}» no es una fecha: use dd/mm/aaaa")


def _checked(raw: str, year: int, month: int, dom: int) -> date:
    try:
        return date(year, month, dom)
    except ValueError:
        raise CellError(f"la fecha «{raw}» no existe (se lee día/mes/año)") from None
