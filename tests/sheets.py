"""Spreadsheets as people send them, built in memory for the upload tests."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook

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
