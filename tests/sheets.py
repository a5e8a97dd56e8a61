"""Spreadsheets as people send them, built in memory for the upload tests."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable, Sequence
from datetime import date, datetime

from openpyxl import Workbook, load_workbook
from openpyxl.utils import get_column_letter
from sqlmodel import Session

from core import db
from core.uploads import plan_workbook

HEADER = ["Código compromiso", "Fecha de corte", "Avance físico (%)", "Valor logrado", "Presupuesto ejecutado",
          "Observaciones"]  # fmt: skip


def xlsx(rows: Sequence[Sequence[object]], *, title_rows: int = 0, sheet: str = "Avances") -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    assert worksheet is not None
    worksheet.title = sheet
    for index in range(title_rows):
        worksheet.append([f"Reporte de avance – título {index + 1}"])
    for row in rows:
        worksheet.append(list(row))
    return save(workbook)


def save(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def zip_bomb() -> bytes:
    """A valid-looking workbook zip with a 60 MB sheet of zeros compressed to a few dozen kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * 60_000_000)
    return buffer.getvalue()


def rezipped(data: bytes, change: Callable[[str, bytes], bytes], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The same workbook zipped again (with ``method``), each part's content passed through ``change``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as archive:
        for info in source.infolist():
            archive.writestr(info.filename, change(info.filename, source.read(info)))
    return buffer.getvalue()


def patched_entry(data: bytes, name: str, *, method: int | None = None, flags: int | None = None,
                  declared_size: int | None = None) -> bytes:  # fmt: skip
    """The zip with one entry's headers (local and central) rewritten to lie: its compression method, its flags
    (bit 0: encrypted) or its uncompressed size."""
    out = bytearray(data)
    encoded = name.encode()
    headers = ((b"PK\x03\x04", 8, 6, 22, 26, 30), (b"PK\x01\x02", 10, 8, 24, 28, 46))
    for signature, method_at, flags_at, size_at, length_at, name_at in headers:
        start = 0
        while (start := out.find(signature, start)) >= 0:
            length = int.from_bytes(out[start + length_at : start + length_at + 2], "little")
            if bytes(out[start + name_at : start + name_at + length]) == encoded:
                if method is not None:
                    out[start + method_at : start + method_at + 2] = method.to_bytes(2, "little")
                if flags is not None:
                    out[start + flags_at : start + flags_at + 2] = flags.to_bytes(2, "little")
                if declared_size is not None:
                    out[start + size_at : start + size_at + 4] = declared_size.to_bytes(4, "little")
            start += 4
    return bytes(out)


def lying_zip(real_size: int = 1 << 30, declared_size: int = 2_000) -> bytes:
    """A workbook whose sheet declares ``declared_size`` bytes but inflates to ``real_size`` (zeros after a valid
    start), with a CRC computed over the declared bytes so a reader that stops there finds nothing wrong."""
    start = b'<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData>'
    start += b" " * (declared_size - len(start))
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunks = [compressor.compress(start)]
    zeros = b"\x00" * (1 << 20)
    for _ in range((real_size - declared_size) // len(zeros)):
        chunks.append(compressor.compress(zeros))
    chunks.append(compressor.flush())
    deflated = b"".join(chunks)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("xl/workbook.xml", WORKBOOK_XML)
        archive.writestr("xl/_rels/workbook.xml.rels", RELS_XML)
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}" count="0"></sst>')
        archive.writestr("xl/worksheets/sheet1.xml", start)
    honest = buffer.getvalue()
    # Swap the honest sheet's deflate stream for the long one, then fix the sizes and offsets after it.
    info = zipfile.ZipFile(io.BytesIO(honest)).getinfo("xl/worksheets/sheet1.xml")
    data_at = info.header_offset + 30 + len(info.filename) + len(info.extra)
    grown = honest[:data_at] + deflated + honest[data_at + info.compress_size :]
    shift = len(deflated) - info.compress_size
    out = bytearray(grown)
    out[info.header_offset + 18 : info.header_offset + 22] = len(deflated).to_bytes(4, "little")
    central = out.find(b"PK\x01\x02", data_at + len(deflated))
    while central >= 0:
        name_length = int.from_bytes(out[central + 28 : central + 30], "little")
        if bytes(out[central + 46 : central + 46 + name_length]) == info.filename.encode():
            out[central + 20 : central + 24] = len(deflated).to_bytes(4, "little")
        central = out.find(b"PK\x01\x02", central + 4)
    end = out.rfind(b"PK\x05\x06")
    directory_at = int.from_bytes(out[end + 16 : end + 20], "little")
    out[end + 16 : end + 20] = (directory_at + shift).to_bytes(4, "little")
    return bytes(out)


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
WORKBOOK_XML = (
    f'<?xml version="1.0"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}"><sheets>'
    '<sheet name="Avances" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
RELS_XML = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId9" Type="{RELATIONSHIPS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
)
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)
ROOT_RELS = (
    '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)


def raw_xlsx(rows_xml: str, shared: Sequence[str] = (), *, sheet_state: str = "") -> bytes:
    """A minimal workbook written by hand: one sheet "Avances" with the given ``<row>`` XML, shared strings and,
    if given, a sheet state ("hidden", "veryHidden")."""
    state = f' state="{sheet_state}"' if sheet_state else ""
    strings = "".join(f"<si><t>{text}</t></si>" for text in shared)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr("_rels/.rels", ROOT_RELS)
        archive.writestr("xl/workbook.xml", WORKBOOK_XML.replace('r:id="rId1"', f'r:id="rId1"{state}'))
        archive.writestr("xl/_rels/workbook.xml.rels", RELS_XML)
        archive.writestr("xl/sharedStrings.xml", f'<sst xmlns="{MAIN}" count="{len(shared)}">{strings}</sst>')
        archive.writestr(
            "xl/worksheets/sheet1.xml", f'<worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData></worksheet>'
        )
    return buffer.getvalue()


def ods(rows: Sequence[Sequence[object]], *, sheet: str = "Avances", percent: frozenset[tuple[int, int]] = frozenset(),
        hidden_rows: frozenset[int] = frozenset()) -> bytes:  # fmt: skip
    """A LibreOffice workbook (odfpy) with one sheet; ``percent`` holds the (row, column), 1-based, of cells
    formatted as percentages (their value is the fraction, as LibreOffice stores it)."""
    return ods_book({sheet: rows}, percent=percent, hidden_rows=hidden_rows)


def ods_book(sheets: dict[str, Sequence[Sequence[object]]], *, percent: frozenset[tuple[int, int]] = frozenset(),
             hidden_rows: frozenset[int] = frozenset()) -> bytes:  # fmt: skip
    from odf.opendocument import OpenDocumentSpreadsheet
    from odf.table import Table, TableCell, TableRow
    from odf.text import P

    document = OpenDocumentSpreadsheet()
    for name, rows in sheets.items():
        table = Table(name=name)
        for r, values in enumerate(rows, start=1):
            row = TableRow(visibility="collapse") if r in hidden_rows else TableRow()
            for c, value in enumerate(values, start=1):
                if value is None or value == "":
                    cell = TableCell()
                elif isinstance(value, bool):
                    cell = TableCell(valuetype="boolean", booleanvalue="true" if value else "false")
                elif isinstance(value, int | float) and (r, c) in percent:
                    cell = TableCell(valuetype="percentage", value=value)
                elif isinstance(value, int | float):
                    cell = TableCell(valuetype="float", value=value)
                elif isinstance(value, datetime | date):
                    cell = TableCell(valuetype="date", datevalue=f"{value:%Y-%m-%d}")
                else:
                    cell = TableCell(valuetype="string")
                if value is not None and value != "":
                    cell.addElement(P(text=str(value)))
                row.addElement(cell)
            table.addElement(row)
        document.spreadsheet.addElement(table)
    buffer = io.BytesIO()
    document.write(buffer)
    return buffer.getvalue()


def ods_from_xlsx(data: bytes) -> bytes:
    """The same workbook saved as .ods, sheet by sheet and value by value (as LibreOffice's "Guardar como" does)."""
    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data))
    return ods_book(
        {sheet.title: [list(row) for row in sheet.iter_rows(values_only=True)] for sheet in book.worksheets}
    )


def renamed_plan_workbook(database_url: str, description: str) -> tuple[bytes, str]:
    """The plan workbook of ``database_url`` with «Descripción» of «Compromisos» under a header no synonym knows
    («Qué se entrega») and the first commitment's description changed; and that column's letter."""
    with Session(db.make_engine(database_url)) as session:
        book = load_workbook(io.BytesIO(plan_workbook.export_plan(session=session)))
    commitments = book["Compromisos"]
    column = [c.value for c in commitments[1]].index("Descripción") + 1
    commitments.cell(row=1, column=column, value="Qué se entrega")
    commitments.cell(row=2, column=column, value=description)
    return save(book), get_column_letter(column)
