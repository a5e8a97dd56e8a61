"""Finding a contract's table in a sheet by its header row, and what to show when a header is not recognised.

Headers match as people write them (``spec.header_key``: case, accents, symbols, filler words, abbreviations).
When a required column is still not found, ``ColumnsUnmatched`` carries the file's columns with a few sample
values — one ``UnmatchedTable`` per sheet lacking one, in a contract of several sheets — so the coordinator can say
which of them is which (``columns``: {contract header: file header}, or {"Hoja:encabezado": file header}); the same
mapping is then given back to ``find_table`` and the file is read as if its headers were the contract's.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from core.excel import cells
from core.excel.problems import Place
from core.excel.reading import DEFAULT_LIMITS, FileRejected, Sheet, Workbook
from core.excel.spec import Column, header_key, header_keys, synonym_lookup

SEARCH_ROWS = 30  # title rows people put above a table
SAMPLES = 5


@dataclass(frozen=True)
class LocatedTable:
    """A table found in a sheet: where its header is and which column holds each field."""

    sheet: Sheet
    header_index: int  # index in sheet.rows
    columns: dict[str, int]  # field -> index in the row
    ignored_headers: tuple[str, ...]

    @property
    def header_row(self) -> int:
        return self.sheet.first_row + self.header_index

    @property
    def header(self) -> list[str]:
        return [_shown(value) for value in self.sheet.rows[self.header_index]]

    def data_rows(self, max_rows: int = DEFAULT_LIMITS.max_rows) -> list[tuple[int, list[object]]]:
        """(sheet row number, values) of every non-empty row under the header; ``FileRejected`` beyond
        ``max_rows`` (the quick scan before reading allows for title rows, so it cannot be exact)."""
        first = self.sheet.first_row + self.header_index + 1
        found = [
            (number, row)
            for number, row in enumerate(self.sheet.rows[self.header_index + 1 :], start=first)
            # A filled first cell says it at once; otherwise count the empty ones (calamine's is "", C-level counts).
            if (row and row[0] != "" and row[0] is not None) or row.count("") + row.count(None) < len(row)
        ]
        if len(found) > max_rows:
            raise FileRejected(
                f"La hoja «{self.sheet.name}» tiene {cells.plain_number(len(found))} filas con datos; el máximo por "
                f"carga es {cells.plain_number(max_rows)}. Divídala en varios archivos."
            )
        return found

    @property
    def hidden_notice(self) -> str | None:
        """A sheet hidden in Excel is read like any other, but the coordinator may not know it is there."""
        if not self.sheet.hidden:
            return None
        return (
            f"Los datos se leyeron de la hoja «{self.sheet.name}», que está {self.sheet.hidden} en Excel. Revise que "
            "sea la que quería cargar."
        )

    def column_number(self, field_name: str) -> int:
        return self.sheet.first_col + self.columns[field_name]

    def value(self, values: Sequence[object], field_name: str) -> object:
        """The cell of ``field_name`` in one data row; None when the file has no such column or the row is short."""
        position = self.columns.get(field_name)
        return values[position] if position is not None and position < len(values) else None

    def ignored_notice(self, *read_back_not: str) -> list[str]:
        """The notice of the file's columns the contract does not read, leaving out ``read_back_not`` (headers of
        the template's own orienting columns)."""
        skipped = {header_key(header) for header in read_back_not}
        extra = [h for h in self.ignored_headers if header_key(h) not in skipped]
        return (
            ["Se ignoraron columnas que no son de la plantilla: " + ", ".join(f"«{h}»" for h in extra)] if extra else []
        )


def find_table(
    workbook: Workbook,
    columns: Sequence[Column],
    *,
    required_any: Sequence[str],
    accept: Callable[[Mapping[str, int]], bool] | None = None,
    mapped: Mapping[str, str] | None = None,
    search_rows: int = SEARCH_ROWS,
) -> LocatedTable | None:
    """The first sheet (in order) with a header row naming at least two known fields, one of them in
    ``required_any``. ``mapped`` ({file header: field}, from ``mapped_fields``) wins over the synonyms."""
    lookup = synonym_lookup(columns)
    chosen = {header_key(header): name for header, name in (mapped or {}).items()}
    for sheet in workbook.sheets:
        for index, row in enumerate(sheet.rows[:search_rows]):
            found = _match_row(row, lookup, chosen)
            if found is None:
                continue
            fields, ignored = found
            enough = len(fields) >= 2 and any(name in fields for name in required_any)
            if enough and (accept is None or accept(fields)):
                return LocatedTable(sheet, index, fields, tuple(ignored))
    return None


def places(table: LocatedTable, headers: Mapping[str, str]) -> dict[str, Place]:
    """field -> where its column is in the file (``headers``: field -> the contract's header)."""
    return {
        name: Place(header, table.column_number(name) if name in table.columns else None)
        for name, header in headers.items()
    }


def _match_row(
    row: Sequence[object], lookup: Mapping[str, str], chosen: Mapping[str, str]
) -> tuple[dict[str, int], list[str]] | None:
    """field -> position of the known headers of ``row``, and the headers it does not know."""
    texts = [(position, str(value).strip()) for position, value in enumerate(row) if not _empty(value)]
    if len(texts) < 2:
        return None
    fields: dict[str, int] = {}
    taken: set[int] = set()
    for position, text in texts:  # the coordinator's choices first: they settle what a synonym would guess
        name = chosen.get(header_key(text))
        if name and name not in fields:
            fields[name] = position
            taken.add(position)
    ignored = []
    for position, text in texts:
        if position in taken:
            continue
        name = next((lookup[key] for key in header_keys(text.rstrip(":*")) if key in lookup), None)
        if name and name not in fields:
            fields[name] = position
        else:
            ignored.append(text)
    return fields, ignored


def _empty(value: object) -> bool:
    return value is None or str(value).strip() == ""


def _shown(value: object) -> str:
    return "" if _empty(value) else str(value).strip()


# ---------------------------------------------------------------------------------------------------- mapping


@dataclass(frozen=True)
class FileColumn:
    """One column of the uploaded file, as the coordinator sees it when mapping columns."""

    index: int  # Excel column number (1 = A)
    header: str
    samples: tuple[str, ...]  # up to five values under the header, as shown text


SHEET_SEPARATOR = ":"  # «Compromisos:Descripción», a column of one sheet of a contract of several sheets


@dataclass
class UnmatchedTable:
    """One table of the file that lacks required columns: its columns with a few values each, to be mapped."""

    missing: tuple[str, ...]  # the contract's headers not found
    file_columns: tuple[FileColumn, ...]
    header_signature: str
    sheet: str | None = None  # the contract's sheet, in a contract of several sheets (the plan workbook)
    remembered: dict[str, str] | None = None  # {contract header: file header} confirmed before for this shape

    def key(self, contract_header: str) -> str:
        """How the mapping names ``contract_header``: the header itself, or «Hoja:encabezado» in a sheet."""
        return f"{self.sheet}{SHEET_SEPARATOR}{contract_header}" if self.sheet else contract_header

    def own(self, columns: Mapping[str, str]) -> dict[str, str]:
        """{contract header: file header} of this table, out of a mapping keyed as ``key`` says."""
        if self.sheet is None:
            return dict(columns)
        prefix = self.key("")
        return {key.removeprefix(prefix): mine for key, mine in columns.items() if key.startswith(prefix)}


class ColumnsUnmatched(FileRejected):
    """Required columns of the contract were not found: the file's columns, for the coordinator to map them
    (one table, or one per sheet of a contract of several sheets)."""

    def __init__(self, message: str, *, tables: Sequence[UnmatchedTable]) -> None:
        super().__init__(message)
        self.tables = tuple(tables)


def header_signature(headers: Sequence[str], *, sheet: str | None = None) -> str:
    """A hash of the normalized header row (and of the contract's sheet, in a contract of several): the same for
    every file of the same shape (case, accents and spacing aside), so a mapping confirmed once can be offered
    again."""
    keys = "|".join(
        [*([f"{SHEET_SEPARATOR}{header_key(sheet)}"] if sheet else []), *(header_key(h) for h in headers if h.strip())]
    )
    return hashlib.sha256(keys.encode()).hexdigest()[:16]


def likely_table(
    workbook: Workbook, columns: Sequence[Column], *, mapped: Mapping[str, str] | None = None
) -> LocatedTable:
    """The row among the first ones of any sheet that looks most like the header row (most known headers, then
    most texts), as a table even when it names too few known fields for ``find_table``."""
    lookup = synonym_lookup(columns)
    chosen = {header_key(header): name for header, name in (mapped or {}).items()}
    best: tuple[int, int] = (-1, -1)
    found = LocatedTable(workbook.sheets[0], 0, {}, ())
    for sheet in workbook.sheets:
        for index, row in enumerate(sheet.rows[:SEARCH_ROWS]):
            fields, ignored = _match_row(row, lookup, chosen) or ({}, [])
            texts = sum(1 for value in row if isinstance(value, str) and value.strip())
            if (len(fields), texts) > best:
                best, found = (len(fields), texts), LocatedTable(sheet, index, fields, tuple(ignored))
    return found


def unmatched_table(table: LocatedTable, missing: Sequence[str], *, sheet: str | None = None) -> UnmatchedTable:
    """What the coordinator needs to map ``missing`` (contract headers): the columns of ``table``'s header row
    and a few values of each."""
    index = table.header_index
    row = table.sheet.rows[index] if table.sheet.rows else []
    below = table.sheet.rows[index + 1 :]
    file_columns = []
    for position, value in enumerate(row):
        if _empty(value):
            continue
        samples = [_sample(line[position]) for line in below if position < len(line) and not _empty(line[position])]
        file_columns.append(FileColumn(table.sheet.first_col + position, _shown(value), tuple(samples[:SAMPLES])))
    signature = header_signature([_shown(value) for value in row], sheet=sheet)
    return UnmatchedTable(tuple(missing), tuple(file_columns), signature, sheet=sheet)


def unmatched(table: LocatedTable, missing: Sequence[str], message: str) -> ColumnsUnmatched:
    """The refusal for a one-table file lacking ``missing`` (contract headers)."""
    return ColumnsUnmatched(message, tables=[unmatched_table(table, missing)])


def _sample(value: object) -> str:
    if hasattr(value, "strftime"):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return cells.plain_number(value)
    return str(value).strip()[:60]


def mapped_fields(columns: Sequence[Column], chosen: Mapping[str, str] | None) -> dict[str, str]:
    """{file header: field} from the coordinator's {contract header: file header}; an unknown contract header is a
    ``FileRejected`` (it can only come from a typo on the command line)."""
    if not chosen:
        return {}
    by_header = {header_key(column.header): column.field for column in columns if column.read_back}
    fields = {}
    for contract_header, file_header in chosen.items():
        name = by_header.get(header_key(contract_header))
        if name is None:
            known = ", ".join(f"«{c.header}»" for c in columns if c.read_back and not c.helper)
            raise FileRejected(f"«{contract_header}» no es una columna de esta plantilla. Las columnas son: {known}.")
        if file_header.strip():
            fields[file_header] = name
    return fields


def stated_above(table: LocatedTable, label: str) -> tuple[object, float | None] | None:
    """What a template writes above its table on a row «label | value» (an event's number, a year): the value as
    written and as a number (None when it is not one); None when the file has no such row."""
    for row in table.sheet.rows[: table.header_index]:
        filled = [value for value in row if not cells.is_blank(value)]
        if len(filled) >= 2 and header_key(str(filled[0])) == header_key(label):
            try:
                return filled[1], cells.number(filled[1])
            except cells.CellError:
                return filled[1], None
    return None
