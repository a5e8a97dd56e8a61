"""How big the sheets of an .ods or .xls file are, read before python-calamine builds them in memory.

An .ods row or cell may say it repeats a million times (``table:number-rows-repeated``): 700 bytes of XML that
calamine would expand into gigabytes. LibreOffice itself writes such repeats for the empty rows after a table,
which calamine skips; so only repeats that carry content count towards a sheet's extent here. The same pass
tells which cells are percentages (an 85 % cell stores 0.85), which rows are hidden and how many formulas there are.

An .xls sheet states its extent in a DIMENSIONS record; the few bytes of each are found without parsing the file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from xml.etree.ElementTree import Element

from defusedxml import ElementTree

TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
MAX_PERCENT_CELLS = 1_000_000  # beyond this the sheet is refused as too big anyway


@dataclass
class Extent:
    name: str
    rows: int = 0  # the last row with content, 1-based
    columns: int = 0  # the last column with content, 1-based
    percent_cells: set[tuple[int, int]] = field(default_factory=set)  # (row, column), 1-based
    hidden_rows: set[int] = field(default_factory=set)
    formulas: int = 0

    @property
    def cells(self) -> int:
        return self.rows * self.columns


def ods_extents(content: bytes, *, max_rows: int, max_cells: int) -> list[Extent]:
    """The extent of each sheet of an .ods ``content.xml``, a row at a time (a row is dropped once counted); stops
    at the first sheet beyond the limits (the caller refuses the file: that sheet is last in the list)."""
    extents: list[Extent] = []
    row = 0
    open_elements: list[Element] = []
    for event, element in ElementTree.iterparse(io.BytesIO(content), events=("start", "end")):
        if event == "start":
            open_elements.append(element)
            if element.tag == f"{TABLE}table":
                extents.append(Extent(element.get(f"{TABLE}name", "")))
                row = 0
            continue
        open_elements.pop()
        if element.tag == f"{TABLE}table-row" and extents:
            row += _count_row(element, row, extents[-1], max_rows=max_rows)
            if open_elements:
                open_elements[-1].remove(element)  # a counted row is not kept, so memory stays flat
            if extents[-1].rows > max_rows or extents[-1].cells > max_cells:
                break
    return extents


def _count_row(row_element: Element, row: int, extent: Extent, *, max_rows: int) -> int:
    """Add one row element (rows ``row + 1`` on) to ``extent``; returns how many rows it stands for."""
    repeated = int(row_element.get(f"{TABLE}number-rows-repeated", "1"))
    column, last_with_content = 0, 0
    for cell in row_element:
        if cell.tag not in (f"{TABLE}table-cell", f"{TABLE}covered-table-cell"):
            continue
        across = int(cell.get(f"{TABLE}number-columns-repeated", "1"))
        if cell.get(f"{OFFICE}value-type") or len(cell):
            last_with_content = column + across
            if cell.get(f"{TABLE}formula"):
                extent.formulas += across * repeated
            if cell.get(f"{OFFICE}value-type") == "percentage" and across * repeated <= MAX_PERCENT_CELLS:
                extent.percent_cells.update(
                    (row + down + 1, column + right + 1) for down in range(repeated) for right in range(across)
                )
        column += across
    if last_with_content:
        extent.rows = row + repeated
        extent.columns = max(extent.columns, last_with_content)
        if row_element.get(f"{TABLE}visibility") in ("collapse", "filter") and repeated <= max_rows:
            extent.hidden_rows.update(range(row + 1, row + repeated + 1))
    return repeated


_DIMENSIONS = b"\x00\x02\x0e\x00"  # BIFF8 record 0x0200, 14 bytes long


def xls_extents(data: bytes) -> list[tuple[int, int]]:
    """(rows, columns) each sheet of an .xls declares in its DIMENSIONS record."""
    found = []
    at = data.find(_DIMENSIONS)
    while at >= 0:
        body = data[at + 4 : at + 18]
        if len(body) == 14:
            first_row, last_row = int.from_bytes(body[0:4], "little"), int.from_bytes(body[4:8], "little")
            first_col, last_col = int.from_bytes(body[8:10], "little"), int.from_bytes(body[10:12], "little")
            if first_row <= last_row and first_col <= last_col:  # anything else is not a DIMENSIONS record
                found.append((last_row, last_col))
        at = data.find(_DIMENSIONS, at + 4)
    return found
