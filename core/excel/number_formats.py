"""Which cells Excel shows as percentages: an 85 % cell stores 0.85, and only its number format says so.

One rule for every format: the built-in formats 9 (0 %) and 10 (0,00 %), and any custom format with a % that is
neither quoted ("%") nor escaped (0\\%). The .xlsx styles are read in ``core.excel.reading``; an .xls keeps its
formats in binary XF records, which python-calamine does not expose, so xlrd (the library made for .xls) is asked
for them here, after calamine has read the values and the extent guards have passed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

import xlrd
from xlrd.book import Book
from xlrd.formatting import Format

from core.excel import extents

BUILTIN_PERCENT_FORMATS = frozenset({9, 10})
_PERCENT_SIGN = re.compile(r'(?<!\\)%(?=(?:[^"]*"[^"]*")*[^"]*$)')  # a % neither quoted nor escaped (0\%)


def is_percent_format(format_id: int, code: str) -> bool:
    """Whether number format ``format_id`` (``code`` for a custom one) shows a percentage."""
    return format_id in BUILTIN_PERCENT_FORMATS or bool(_PERCENT_SIGN.search(code))


class _Discarded:
    """xlrd writes its warnings about odd files to a log; calamine's reading already says what matters."""

    def write(self, text: str) -> int:
        return len(text)


def xls_percent_cells(data: bytes, sheet_names: Iterable[str]) -> dict[str, frozenset[tuple[int, int]]]:
    """(row, column), 1-based, of the number cells formatted as percentages in each named sheet of an .xls.

    Only the workbook's own records are parsed first; a sheet is parsed (one at a time, then let go) only when some
    cell format shows a percentage, which most workbooks never use. A file xlrd cannot parse gives no percent
    cells: its 0,85 is then read as 0,85 and the progress upload asks whether 85 % was meant.
    """
    try:
        book = xlrd.open_workbook(
            file_contents=data,
            formatting_info=True,
            on_demand=True,
            ragged_rows=True,
            ignore_workbook_corruption=True,
            logfile=_Discarded(),
        )
    except Exception:  # xlrd raises many error types for damaged or unusual files; calamine has read it already
        return {}
    try:
        percent_xfs = _percent_xfs(book.format_map, [xf.format_key for xf in book.xf_list])
        if not percent_xfs:
            return {}
        found: dict[str, frozenset[tuple[int, int]]] = {}
        budget = extents.MAX_PERCENT_CELLS  # as for an .ods: beyond it the cells read as plain numbers
        in_book = set(book.sheet_names())
        for name in [name for name in sheet_names if name in in_book]:
            cells = _sheet_percent_cells(book, name, percent_xfs, budget)
            book.unload_sheet(name)
            budget -= len(cells)
            found[name] = cells
        return found
    except Exception:
        return {}
    finally:
        book.release_resources()


def _percent_xfs(formats: Mapping[int, Format], format_keys: list[int]) -> frozenset[int]:
    """Indexes of the XF records (cell formats) whose number format shows a percentage."""
    return frozenset(
        index
        for index, key in enumerate(format_keys)
        if is_percent_format(key, formats[key].format_str if key in formats else "")
    )


def _sheet_percent_cells(book: Book, name: str, percent_xfs: frozenset[int], budget: int) -> frozenset[tuple[int, int]]:
    sheet = book.sheet_by_name(name)
    xf_of, number = sheet.cell_xf_index, xlrd.XL_CELL_NUMBER  # bound once: this loop visits every cell
    found: list[tuple[int, int]] = []
    for row in range(sheet.nrows):
        types = sheet.row_types(row)
        if number not in types:
            continue
        found.extend(
            (row + 1, column + 1)
            for column, kind in enumerate(types)
            if kind == number and xf_of(row, column) in percent_xfs
        )
        if len(found) > budget:
            return frozenset(found[:budget])
    return frozenset(found)
