"""Opening an uploaded spreadsheet safely: .xlsx/.xlsm, .ods and .xls through python-calamine (nothing is ever
executed), or .csv.

Before calamine builds a sheet in memory the file is checked as a zip (entry count, declared size, compression
ratio) and each sheet's extent is read from its XML, so a zip bomb or a stray cell at XFD1048576 is refused with a
message instead of filling the memory. The same quick scans tell which cells Excel formats as percentages (a 85 %
cell stores 0.85), which rows are hidden and which formulas have no saved value.
"""

from __future__ import annotations

import csv
import gc
import io
import posixpath
import re
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import python_calamine
from defusedxml import DefusedXmlException, ElementTree

from core.excel import extents, number_formats
from core.excel.cells import column_letter, without_control_characters
from core.refusals import Refused

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls and password-protected .xlsx
ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 25 * 1024 * 1024
    max_rows: int = 100_000
    max_cells: int = 5_000_000  # rows × columns calamine would allocate for one sheet
    max_zip_entries: int = 2_000
    max_uncompressed_bytes: int = 400 * 1024 * 1024
    max_compression_ratio: float = 200.0


DEFAULT_LIMITS = Limits()


class FileRejected(Refused):
    """The file cannot be read at all; the message says why in plain Spanish."""


@dataclass
class Sheet:
    name: str
    rows: list[list[Any]]  # raw cell values; rows[i][j] is sheet row first_row + i, column first_col + j
    first_row: int = 1
    first_col: int = 1
    hidden_rows: frozenset[int] = frozenset()
    percent_cells: frozenset[tuple[int, int]] = frozenset()  # (row, column), 1-based
    formulas_without_value: tuple[str, ...] = ()  # cell references such as "D7"
    formulas: int = 0
    merged_cells_filled: int = 0
    hidden: str = ""  # "oculta" or "muy oculta" (only visible from the VBA editor); "" for a visible sheet


@dataclass
class Workbook:
    kind: str  # "xlsx" | "ods" | "xls" | "csv"
    sheets: list[Sheet] = field(default_factory=list)


def _column_number(letters: bytes) -> int:
    number = 0
    for byte in letters:
        number = number * 26 + byte - 64
    return number


@contextmanager
def collector_paused() -> Iterator[None]:
    """Python's cycle collector paused while an upload builds its rows (usable as a decorator).

    A 50.000-row sheet is a million cell objects in lists and tuples, none of them in a reference cycle; building
    them makes the collector walk all of them again and again (measured: 0,15–0,2 s of a 1,3 s validation).
    Plain reference counting still frees everything; the collector runs again as soon as the block ends.

    What the block built and kept (a preview held for the coordinator's review) goes straight to the oldest
    generation (``gc.freeze`` then ``gc.unfreeze``): otherwise the first collection after the block walks all of
    it at once (measured: 0,04 s after a 50.000-row validation), only to find it all alive. Whatever else the
    process held in the young generations (another session's objects) is promoted with it; the next full collection
    still looks at all of it, so a cycle among them is freed then, only later.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.freeze()
            gc.unfreeze()
            gc.enable()


def read_workbook(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> Workbook:
    """The sheets of an uploaded file, or ``FileRejected`` with the reason."""
    if not data:
        raise FileRejected("El archivo está vacío.")
    if len(data) > limits.max_bytes:
        raise FileRejected(
            f"El archivo pesa {len(data) / 1_048_576:.1f} MB; el máximo es {limits.max_bytes // 1_048_576} MB.".replace(
                ".", ",", 1
            )
        )
    with _unreadable_is_refused():
        if data.startswith(OLE2_MAGIC):
            return _read_xls(data, limits)
        if file_name.lower().endswith((".xlsx", ".xlsm", ".xls", ".ods")) and not data.startswith(ZIP_MAGIC):
            kind = "de LibreOffice (.ods)" if file_name.lower().endswith(".ods") else "de Excel"
            raise FileRejected(f"El archivo dice ser {kind} pero no lo es, o está dañado.")
        if data.startswith(ZIP_MAGIC):
            return _read_ods(data, limits) if _is_ods(data) else _read_xlsx(data, limits)
        return _read_csv(data, limits)


def _is_ods(data: bytes) -> bool:
    """A zip holding an OpenDocument spreadsheet's content and no Excel workbook."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile:
        return False
    return "content.xml" in names and "xl/workbook.xml" not in names


@contextmanager
def _unreadable_is_refused() -> Iterator[None]:
    """A damaged or hostile file fails deep in a library: say so plainly instead of a traceback."""
    try:
        yield
    except DefusedXmlException as exc:
        raise FileRejected(
            "El archivo trae definiciones internas (entidades XML) que una hoja de Excel nunca usa; por seguridad no "
            "se abrió. Ábralo en Excel y guárdelo de nuevo como «Libro de Excel (.xlsx)»."
        ) from exc
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, csv.Error, ValueError) as exc:
        raise FileRejected("El archivo está dañado o no se puede leer como hoja de cálculo.") from exc


# ---------------------------------------------------------------------------------------------------- CSV


def _read_csv(data: bytes, limits: Limits) -> Workbook:
    if b"\x00" in data[:4096]:
        raise FileRejected("El archivo no es una hoja de cálculo (.xlsx) ni un texto separado por comas (.csv).")
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = data.decode("cp1252", errors="replace")  # Excel's "CSV" on Windows in Spanish
    # Rows pasted from several programs mix \r\n, \n and \r (the csv module refuses a lone \r); control characters
    # (a NUL past the first bytes) are invisible in every cell and PostgreSQL cannot store them.
    content = without_control_characters(content.replace("\r\n", "\n").replace("\r", "\n"))
    delimiter = _delimiter(content.splitlines()[:20])
    rows: list[list[object]] = []
    last_lines: list[int] = []  # the file line each row ends on
    reader = csv.reader(io.StringIO(content), delimiter=delimiter)
    for row in reader:
        rows.append(list(row))
        last_lines.append(reader.line_num)
        if len(rows) > limits.max_rows + 50:
            raise _too_many_rows(limits)
    if not any(any(str(cell).strip() for cell in row) for row in rows):
        raise FileRejected("El archivo no tiene datos.")
    _refuse_swallowed_rows(rows, last_lines, delimiter)
    return Workbook("csv", [Sheet("CSV", rows)])


def _refuse_swallowed_rows(rows: list[list[object]], last_lines: list[int], delimiter: str) -> None:
    """An opening quote never closed turns every following line into one cell of one row, silently. A note may
    hold line breaks, but not whole lines with as many separators as the table has columns."""
    width = Counter(len(row) for row in rows).most_common(1)[0][0]
    if width < 3:
        return
    for index, row in enumerate(rows):
        for cell in row:
            if not isinstance(cell, str) or "\n" not in cell:
                continue
            if any(line.count(delimiter) >= width - 1 for line in cell.split("\n")[1:]):
                first_line = (last_lines[index - 1] if index else 0) + 1
                raise FileRejected(
                    f'La fila {index + 1} abre unas comillas («"») que no se cierran: se tragaron como un solo texto '
                    f"las líneas {first_line + 1} a {last_lines[index]} del archivo, que parecen filas de la tabla. "
                    "Cierre o quite esas comillas y vuelva a cargarlo."
                )


def _delimiter(lines: list[str]) -> str:
    """ ";" or ",": the one that splits most lines into the same number of fields (a table has a constant width;
    commas inside notes do not)."""

    def consistency(delimiter: str) -> tuple[int, int]:
        widths = Counter(len(row) for row in csv.reader(lines, delimiter=delimiter) if len(row) > 1)
        if not widths:
            return (0, 0)
        width, count = widths.most_common(1)[0]
        return (count, width)

    return ";" if consistency(";") >= consistency(",") else ","


def _too_many_rows(limits: Limits) -> FileRejected:
    return FileRejected(
        f"El archivo tiene más de {limits.max_rows:,} filas, el máximo por carga. Divídalo en varios archivos.".replace(
            ",", "."
        )
    )


# ---------------------------------------------------------------------------------------------------- XLSX


def _check_zip(archive: zipfile.ZipFile, limits: Limits, required: str = "xl/workbook.xml") -> None:
    """What the zip's directory says, checked before anything is inflated."""
    entries = archive.infolist()
    if len(entries) > limits.max_zip_entries:
        raise FileRejected("El archivo tiene demasiadas partes internas para ser una hoja de cálculo normal.")
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise FileRejected("El archivo está protegido con contraseña. Quítela en Excel y vuelva a cargarlo.")
    if any(entry.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED) for entry in entries):
        raise FileRejected(
            "El archivo está comprimido con un método que Excel no usa; no se abrió. Ábralo en Excel y guárdelo de "
            "nuevo como «Libro de Excel (.xlsx)»."
        )
    declared = sum(entry.file_size for entry in entries)
    if declared > limits.max_uncompressed_bytes:
        raise FileRejected("El archivo se expande a un tamaño demasiado grande al abrirlo (posible archivo dañino).")
    for entry in entries:
        if entry.file_size > 1_000_000 and entry.file_size > limits.max_compression_ratio * max(entry.compress_size, 1):
            raise FileRejected("El archivo está comprimido de forma anómala (posible archivo dañino); no se abrió.")
    if required not in archive.namelist():
        raise FileRejected(
            "El archivo es un .zip pero no una hoja de cálculo de Excel (.xlsx) ni de LibreOffice (.ods)."
        )


INFLATE_CHUNK = 1 << 20  # bytes inflated at a time: what one lying entry can cost before it is caught
_DAMAGED_PART = (
    "El archivo está dañado: una de sus partes internas no se puede descomprimir. Ábralo en Excel y guárdelo de nuevo."
)


def _inflated(data: bytes, entry: zipfile.ZipInfo) -> Iterator[bytes]:
    """The content of one entry, a chunk at a time, held to what the zip's directory declares.

    zipfile itself trusts the declared size too far: one read() inflates as much as it is asked for before cutting
    to that size, so an entry declaring 2 KB that inflates to 1 GiB filled the memory before it was refused (and a
    CRC computed over the declared bytes hid the lie entirely). Here the raw stream is inflated by hand.
    """
    at = entry.header_offset
    if data[at : at + 4] != ZIP_MAGIC:
        raise FileRejected(_DAMAGED_PART)
    start = (
        at + 30 + int.from_bytes(data[at + 26 : at + 28], "little") + int.from_bytes(data[at + 28 : at + 30], "little")
    )
    raw = memoryview(data)[start : start + entry.compress_size]
    produced, crc = 0, 0
    if entry.compress_type == zipfile.ZIP_STORED:
        pieces: Iterator[bytes] = (bytes(raw[i : i + INFLATE_CHUNK]) for i in range(0, len(raw), INFLATE_CHUNK))
    else:
        pieces = _deflated_pieces(raw)
    for piece in pieces:
        produced += len(piece)
        if produced > entry.file_size:
            raise FileRejected(
                "El archivo es dañino o está dañado: una de sus partes se expande a mucho más de lo que declara; "
                "no se abrió."
            )
        crc = zlib.crc32(piece, crc)
        yield piece
    if produced != entry.file_size or crc != entry.CRC:
        raise FileRejected(_DAMAGED_PART)


def _deflated_pieces(raw: memoryview) -> Iterator[bytes]:
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    pending: bytes | memoryview = raw
    try:
        while not inflater.eof:
            piece = inflater.decompress(pending, INFLATE_CHUNK)
            pending = inflater.unconsumed_tail
            if not piece and not pending:
                raise FileRejected(_DAMAGED_PART)  # the stream stops before its end
            yield piece
    except zlib.error:
        raise FileRejected(_DAMAGED_PART) from None


def _is_kept(name: str) -> bool:
    """The parts read here (the rest are only checked, then left to calamine)."""
    return name in _METADATA_PARTS or (name.startswith("xl/worksheets/") and name.endswith(".xml"))


_METADATA_PARTS = frozenset({"xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml"})


def _parts(archive: zipfile.ZipFile, data: bytes, keep: Callable[[str], bool], *, check_all: bool) -> dict[str, bytes]:
    """The kept parts' contents; with ``check_all`` every other part is inflated too (and thrown away), so nothing
    calamine later opens can lie about its size or be damaged."""
    parts = {}
    for entry in archive.infolist():
        if keep(entry.filename):
            parts[entry.filename] = b"".join(_inflated(data, entry))
        elif check_all:
            for _ in _inflated(data, entry):
                pass
    return parts


def _sheet_paths(parts: Mapping[str, bytes]) -> dict[str, str]:
    """Sheet name -> path of its XML inside the zip."""
    namespaces = {
        "m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
        "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
    }
    workbook = ElementTree.fromstring(parts["xl/workbook.xml"])
    relations: dict[str, str] = {}
    if "xl/_rels/workbook.xml.rels" in parts:
        rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
        for rel in rels:
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
            relations[rel.get("Id", "")] = path
    paths = {}
    for sheet in workbook.iterfind("m:sheets/m:sheet", namespaces):
        rel_id = sheet.get(f"{{{namespaces['r']}}}id", "")
        if rel_id in relations:
            paths[sheet.get("name", "")] = relations[rel_id]
    return paths


def _percent_styles(parts: Mapping[str, bytes]) -> set[int]:
    """Indexes of cell styles whose number format shows a percentage."""
    if "xl/styles.xml" not in parts:
        return set()
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    styles = ElementTree.fromstring(parts["xl/styles.xml"])
    percent_formats = set(number_formats.BUILTIN_PERCENT_FORMATS)
    for number_format in styles.iterfind("m:numFmts/m:numFmt", ns):
        format_id = int(number_format.get("numFmtId", "-1"))
        if number_formats.is_percent_format(format_id, number_format.get("formatCode", "")):
            percent_formats.add(format_id)
    return {
        index
        for index, xf in enumerate(styles.iterfind("m:cellXfs/m:xf", ns))
        if int(xf.get("numFmtId", "0")) in percent_formats
    }


_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"')
# Plain and prefixed rows counted apart: a pattern that starts with a literal ("<row") is searched several times
# faster than one that starts with a group, and on a 50.000-row sheet this scan is a good share of the upload.
_PLAIN_ROW = re.compile(rb"<row[\s>]")
_PREFIXED_ROW = re.compile(rb"<\w+:row[\s>]")
_WIDE_CELL = re.compile(rb'\sr="([A-Z]{2,3})\d')  # cell references beyond column Z (rows have digits only)
_MAYBE_WIDE_CELL = re.compile(rb'r="[A-Z]{2,3}\d')  # the same without the leading space: a quick first look
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*?\br="(\d+)"[^>]*?\bhidden="(?:1|true)"')
_HIDDEN_ROW_REVERSED = re.compile(rb'<(?:\w+:)?row\b[^>]*?\bhidden="(?:1|true)"[^>]*?\br="(\d+)"')
_FORMULA = re.compile(rb"<(?:\w+:)?f\b")
_FORMULA_WITHOUT_VALUE = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\br="([A-Z]+\d+)"[^>]*>\s*<(?:\w+:)?f\b(?:[^>]*/>|[^>]*>[^<]*</(?:\w+:)?f>)\s*'
    rb"(?:<(?:\w+:)?v\s*/>|<(?:\w+:)?v>\s*</(?:\w+:)?v>)?\s*</(?:\w+:)?c>"
)


def _scan_sheet(xml: bytes, name: str, percent_styles: set[int], limits: Limits) -> Sheet:
    """Extent, hidden rows, percent-formatted cells and formulas of one sheet, from its raw XML."""
    last_row_at = xml.rfind(b"<row ")
    if last_row_at < 0:
        last_row_at = xml.rfind(b":row ")
    last_row = _ROW.search(xml, max(last_row_at - 10, 0))
    rows_present = len(_PLAIN_ROW.findall(xml))  # rows may omit their optional r="…" number
    prefixed = b":row" in xml  # the sheet's elements written with a namespace prefix (<x:row>, <x:f>)
    if prefixed:
        rows_present += len(_PREFIXED_ROW.findall(xml))
    height = max(int(last_row.group(1)) if last_row else 0, rows_present)
    width = 26
    if _MAYBE_WIDE_CELL.search(xml):
        width = max((_column_number(m.group(1)) for m in _WIDE_CELL.finditer(xml)), default=26)
    if rows_present > limits.max_rows + 50:
        raise _too_many_rows(limits)
    if height * width > limits.max_cells or height > limits.max_rows + 50:
        raise FileRejected(
            f"La hoja «{name}» llega hasta la celda {column_letter(width)}{height}, muy lejos de una tabla normal "
            "(quizá hay un dato suelto al final de la hoja). Borre las filas y columnas sobrantes y vuelva a cargarla."
        )
    hidden: set[int] = set()
    if b'hidden="' in xml:  # the quick test first: most sheets hide nothing
        hidden = {int(m.group(1)) for m in _HIDDEN_ROW.finditer(xml)}
        hidden |= {int(m.group(1)) for m in _HIDDEN_ROW_REVERSED.finditer(xml)}
    percent: set[tuple[int, int]] = set()
    if percent_styles:
        styles = b"|".join(str(index).encode() for index in sorted(percent_styles))
        styled = re.compile(rb'<(?:\w+:)?c\b(?=[^>]*?\bs="(?:' + styles + rb')")[^>]*?\br="([A-Z]+)(\d+)"')
        percent = {(int(m.group(2)), _column_number(m.group(1))) for m in styled.finditer(xml)}
    has_formulas = b"<f" in xml or (prefixed and b":f" in xml)  # a quick first look; the patterns decide
    without_value = tuple(m.group(1).decode() for m in _FORMULA_WITHOUT_VALUE.finditer(xml)) if has_formulas else ()
    return Sheet(
        name=name,
        rows=[],
        hidden_rows=frozenset(hidden),
        percent_cells=frozenset(percent),
        formulas_without_value=without_value,
        formulas=len(_FORMULA.findall(xml)) if has_formulas else 0,
    )


def _fill_merged(sheet: Sheet, merged: Sequence[tuple[tuple[int, int], tuple[int, int]]]) -> None:
    """A merged area shows its first cell's value everywhere: that is what the person sees and means."""
    for (top, left), (bottom, right) in merged:
        top_i, left_j = top - sheet.first_row, left - sheet.first_col
        if not (0 <= top_i < len(sheet.rows) and 0 <= left_j < len(sheet.rows[top_i])):
            continue
        value = sheet.rows[top_i][left_j]
        for i in range(top_i, min(bottom - sheet.first_row + 1, len(sheet.rows))):
            row = sheet.rows[i]
            for j in range(left_j, min(right - sheet.first_col + 1, len(row))):
                if (i, j) != (top_i, left_j):
                    row[j] = value
                    sheet.merged_cells_filled += 1


def _read_xlsx(data: bytes, limits: Limits) -> Workbook:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise FileRejected("El archivo está dañado: no se pudo abrir como hoja de cálculo.") from None
    with archive:
        _check_zip(archive, limits)
        parts = _parts(archive, data, _is_kept, check_all=True)
    try:
        paths = _sheet_paths(parts)
        percent_styles = _percent_styles(parts)
    except ElementTree.ParseError:
        raise FileRejected("El archivo está dañado: su estructura interna no se puede leer.") from None
    scans = {
        name: _scan_sheet(parts[path], name, percent_styles, limits) for name, path in paths.items() if path in parts
    }
    del parts  # calamine reads the file itself: do not hold its XML twice
    return _load(data, "xlsx", scans)


def _load(data: bytes, kind: str, scans: Mapping[str, Sheet]) -> Workbook:
    """The sheets as python-calamine reads them, with what the scans found (extent checked, percent cells…)."""
    try:
        book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except python_calamine.PasswordError:
        raise FileRejected("El archivo está protegido con contraseña. Quítela en Excel y vuelva a cargarlo.") from None
    except Exception:  # calamine raises several error types for damaged files
        raise FileRejected("El archivo está dañado: no se pudo abrir como hoja de cálculo.") from None
    workbook = Workbook(kind)
    for metadata in book.sheets_metadata:
        name = metadata.name
        scan = scans.get(name, Sheet(name=name, rows=[]))
        try:
            calamine_sheet = book.get_sheet_by_name(name)
        except Exception:
            if metadata.typ != python_calamine.SheetTypeEnum.WorkSheet:
                continue  # chart sheets and the like have no cells
            # A worksheet that does not load is damaged (a shared-string index out of range, a broken cell):
            # saying the workbook "has no data" would send the coordinator looking for the wrong thing.
            raise FileRejected(
                f"El archivo está dañado: la hoja «{name}» no se puede leer. Ábralo en Excel y guárdelo de nuevo."
            ) from None
        scan.hidden = _hidden_state(metadata.visible)
        start = calamine_sheet.start or (0, 0)
        scan.first_row, scan.first_col = start[0] + 1, start[1] + 1
        # Values as calamine gives them: "" for an empty cell, which every reader treats as blank.
        scan.rows = list(calamine_sheet.to_python(skip_empty_area=True))
        merged = calamine_sheet.merged_cell_ranges or []
        _fill_merged(scan, [((a[0] + 1, a[1] + 1), (b[0] + 1, b[1] + 1)) for a, b in merged])
        workbook.sheets.append(scan)
    if not any(sheet.rows for sheet in workbook.sheets):
        raise FileRejected("El libro de Excel no tiene datos." if kind != "ods" else "El libro no tiene datos.")
    return workbook


# ---------------------------------------------------------------------------------------------------- ODS, XLS


def _read_ods(data: bytes, limits: Limits) -> Workbook:
    """A LibreOffice workbook: the same zip checks as an .xlsx, then each sheet's extent from content.xml."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        _check_zip(archive, limits, required="content.xml")
        parts = _parts(archive, data, lambda name: name == "content.xml", check_all=True)
    try:
        found = extents.ods_extents(parts.pop("content.xml"), max_rows=limits.max_rows + 50, max_cells=limits.max_cells)
    except ElementTree.ParseError:
        raise FileRejected("El archivo está dañado: su estructura interna no se puede leer.") from None
    scans = {}
    for extent in found:
        _check_extent(extent.name, extent.rows, extent.columns, limits)
        scans[extent.name] = Sheet(
            name=extent.name,
            rows=[],
            hidden_rows=frozenset(extent.hidden_rows),
            percent_cells=frozenset(extent.percent_cells),
            formulas=extent.formulas,
        )
    return _load(data, "ods", scans)


_OLE2_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")  # the stream of a password-protected .xlsx


def _read_xls(data: bytes, limits: Limits) -> Workbook:
    """An Excel 97–2003 workbook; its sheets' declared extents are checked before calamine reads them, and their
    percent cells learnt (from the cell formats, which calamine does not give) only once the sheets passed."""
    if _OLE2_ENCRYPTED in data:
        raise FileRejected("El archivo está protegido con contraseña. Quítela en Excel y vuelva a cargarlo.")
    for rows, columns in extents.xls_extents(data):
        _check_extent("", rows, columns, limits)
    workbook = _load(data, "xls", {})
    for sheet in workbook.sheets:
        _check_extent(sheet.name, len(sheet.rows), max((len(row) for row in sheet.rows), default=0), limits)
    percent = number_formats.xls_percent_cells(data, [sheet.name for sheet in workbook.sheets if sheet.rows])
    for sheet in workbook.sheets:
        sheet.percent_cells = percent.get(sheet.name, frozenset())
    return workbook


def _check_extent(name: str, height: int, width: int, limits: Limits) -> None:
    if height > limits.max_rows + 50:
        raise _too_many_rows(limits)
    if height * width > limits.max_cells:
        sheet = f"La hoja «{name}»" if name else "Una hoja del archivo"
        raise FileRejected(
            f"{sheet} llega hasta la celda {column_letter(width)}{height}, muy lejos de una tabla normal (quizá hay "
            "un dato suelto al final de la hoja). Borre las filas y columnas sobrantes y vuelva a cargarla."
        )


def _hidden_state(visible: python_calamine.SheetVisibleEnum) -> str:
    if visible == python_calamine.SheetVisibleEnum.Hidden:
        return "oculta"
    if visible == python_calamine.SheetVisibleEnum.VeryHidden:
        return "muy oculta"
    return ""


def sheet_names(data: bytes, limits: Limits = DEFAULT_LIMITS) -> list[str]:
    """Names of the sheets of a workbook (an .xlsx's read without opening any sheet; [] for a .csv).

    Raises ``FileRejected`` for a hostile zip, as ``read_workbook`` would: only the two parts naming the sheets are
    inflated here, so a bomb in the other parts is left to ``read_workbook``.
    """
    if data.startswith(OLE2_MAGIC) or (data.startswith(ZIP_MAGIC) and _is_ods(data)):
        return [sheet.name for sheet in read_workbook(data, "", limits).sheets]  # no quicker way in; same guards
    if not data.startswith(ZIP_MAGIC):
        return []
    with _unreadable_is_refused():
        try:
            archive = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile:
            return []
        with archive:
            _check_zip(archive, limits)
            parts = _parts(archive, data, lambda name: name in _METADATA_PARTS - {"xl/styles.xml"}, check_all=False)
        try:
            return list(_sheet_paths(parts))
        except ElementTree.ParseError:
            return []
