"""Opening uploads: every kind of bad file gets a Spanish reason, odd but valid files are read as meant."""

import io
import re
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from core.excel.headers import find_table
from core.excel.reading import DEFAULT_LIMITS, FileRejected, Limits, read_workbook
from core.uploads.progress import COLUMNS
from tests.sheets import HEADER, ods, rezipped, save, xlsx, zip_bomb


def rejected(data: bytes, name: str = "avance.xlsx", limits: Limits = DEFAULT_LIMITS) -> str:
    with pytest.raises(FileRejected) as caught:
        read_workbook(data, name, limits)
    return str(caught.value)


def test_bad_files_are_refused_in_spanish() -> None:
    assert "vacío" in rejected(b"")
    assert "no lo es" in rejected(b"esto no es un excel", "avance.xlsx")
    assert "dañado" in rejected(b"PK\x03\x04" + b"\x00" * 100)
    assert "anómala" in rejected(zip_bomb()) or "demasiado grande" in rejected(zip_bomb())
    assert "no tiene datos" in rejected(save(Workbook()))
    assert "pesa" in rejected(xlsx([HEADER]), limits=Limits(max_bytes=100))


def test_a_stray_cell_at_the_end_of_the_sheet_is_refused_before_reading() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet["XFD1048576"] = "x"
    message = rejected(save(workbook))
    assert "XFD1048576" in message


def test_too_many_rows() -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Avances")
    for index in range(1_200):
        sheet.append([f"C-{index}"])
    assert "más de 1.000 filas" in rejected(save(workbook), limits=Limits(max_rows=1_000))
    csv = ("codigo;fecha\n" + "C-1;01/01/2026\n" * 1_200).encode()
    assert "más de 1.000 filas" in rejected(csv, "avance.csv", limits=Limits(max_rows=1_000))


def test_title_rows_merged_cells_hidden_rows_formulas_and_percent_formats() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet["A1"] = "Reporte de la JAC"
    sheet.append([])
    sheet.append(HEADER)
    sheet.append(["C-1", date(2026, 10, 31), 0.85, None, None, None])
    sheet["C4"].number_format = "0%"
    sheet.append(["C-2", "15/10/2026", "=40+5", None, None, None])
    sheet.append(["C-3", None, "85 %", None, None, None])
    sheet.merge_cells("B5:B6")
    sheet.row_dimensions[6].hidden = True
    book = read_workbook(save(workbook), "avance.xlsx")
    read = book.sheets[0]
    table = find_table(book, COLUMNS, required_any=("code",))
    assert table is not None and table.header_row == 3
    assert [row for row, _ in table.data_rows()] == [4, 5, 6]
    assert read.percent_cells == {(4, 3)}
    assert read.hidden_rows == {6}
    assert read.formulas_without_value == ("C5",)
    assert table.data_rows()[2][1][1] == "15/10/2026"  # merged B5:B6 fills B6


def test_a_sheet_written_with_a_namespace_prefix_is_scanned_like_any_other() -> None:
    """Some generators write <x:row>, <x:c>, <x:f>: the rows, hidden rows and formulas are found all the same."""
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["C-1", "15/10/2026", "=40+5", None, None, None])
    sheet.append(["C-2", "15/10/2026", 50, None, None, None])
    sheet.row_dimensions[3].hidden = True

    def prefixed(name: str, content: bytes) -> bytes:
        if not name.startswith("xl/worksheets/"):
            return content
        text = re.sub(r"<(/?)(?!\?)([A-Za-z]+)", r"<\1x:\2", content.decode())
        return text.replace('xmlns="http://schemas', 'xmlns:x="http://schemas', 1).encode()

    data = rezipped(save(workbook), prefixed)
    assert b"<x:row" in zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml")
    read = read_workbook(data, "avance.xlsx").sheets[0]
    assert read.formulas_without_value == ("C2",)
    assert read.formulas == 1
    assert read.hidden_rows == {3}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_csv_in_any_common_encoding_and_separator(encoding: str, delimiter: str) -> None:
    text = delimiter.join(["Código compromiso", "Fecha de corte", "Avance físico (%)"]) + "\n"
    text += delimiter.join(["C-0001", "15/11/2026", '"85,5"' if delimiter == "," else "85,5"]) + "\n"
    book = read_workbook(text.encode(encoding), "avance.csv")
    table = find_table(book, COLUMNS, required_any=("code",))
    assert table is not None
    assert table.data_rows()[0][1][table.columns["physical_pct"]] == "85,5"
    assert table.sheet.rows[0][0] == "Código compromiso"


def test_headers_are_matched_tolerantly_and_extra_columns_reported() -> None:
    book = read_workbook(
        xlsx(
            [["  CODIGO COMPROMISO ", "fecha de corte:", "% Avance", "Color favorito"], ["C-1", "1/1/2026", 5, "azul"]]
        ),
        "x.xlsx",
    )
    table = find_table(book, COLUMNS, required_any=("code",))
    assert table is not None
    assert set(table.columns) == {"code", "cut_off_date", "physical_pct"}
    assert table.ignored_headers == ("Color favorito",)


def test_no_recognizable_header() -> None:
    book = read_workbook(xlsx([["a", "b"], [1, 2]]), "x.xlsx")
    assert find_table(book, COLUMNS, required_any=("code",)) is None


def test_the_first_sheet_with_the_right_headers_is_used() -> None:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Notas"
    notes.append(["Léame", "nada"])
    data = workbook.create_sheet("Datos")
    data.append(HEADER)
    data.append(["C-1", "01/01/2026", 10, None, None, None])
    table = find_table(read_workbook(save(workbook), "x.xlsx"), COLUMNS, required_any=("code",))
    assert table is not None and table.sheet.name == "Datos"


def test_damaged_files_get_a_spanish_message_not_a_traceback() -> None:
    data = bytearray(xlsx([HEADER, ["C-1", "01/01/2026", 5]] * 50))
    data[len(data) // 2 : len(data) // 2 + 40] = b"\x00" * 40  # damage the compressed sheet
    assert "dañado" in rejected(bytes(data))
    unclosed = ("Código compromiso;Fecha de corte\n" + 'C-1;"' + "x" * 200_000).encode()
    assert "dañado" in rejected(unclosed, "avance.csv")


def test_semicolon_csv_with_commas_in_the_notes() -> None:
    header = "Código compromiso;Fecha de corte;Avance físico (%);Observaciones\n"
    text = header + "C-1;15/11/2026;85;uno, dos, tres, cuatro, cinco\n"
    table = find_table(read_workbook(text.encode(), "a.csv"), COLUMNS, required_any=("code",))
    assert table is not None and len(table.columns) == 4


def test_rows_without_numbers_still_count_against_the_cap() -> None:
    rows = "".join('<row><c t="inlineStr"><is><t>C-1</t></is></c></row>' for _ in range(1_200))
    sheet = f'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>'
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as source, zipfile.ZipFile(out := io.BytesIO(), "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            target.writestr(item, sheet.encode() if item.filename == "xl/worksheets/sheet1.xml" else content)
    assert "más de 1.000 filas" in rejected(out.getvalue(), limits=Limits(max_rows=1_000))


def test_an_escaped_percent_sign_is_not_a_percentage_format() -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet.append(["C-1", "01/01/2026", 85])
    sheet["C2"].number_format = "0\\%"
    assert read_workbook(save(book), "x.xlsx").sheets[0].percent_cells == frozenset()


FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_an_ods_is_read_with_its_dates_percentages_and_hidden_rows() -> None:
    data = ods([HEADER, ["C-1", date(2026, 10, 31), 0.85, None], ["C-2", "15/10/2026", "50 %", 3]],
               percent=frozenset({(2, 3)}), hidden_rows=frozenset({3}))  # fmt: skip
    [sheet] = read_workbook(data, "avance.ods").sheets
    assert sheet.rows[1][:3] == ["C-1", date(2026, 10, 31), 0.85]
    assert (sheet.percent_cells, sheet.hidden_rows) == ({(2, 3)}, {3})


def with_content(data: bytes, change: Callable[[bytes], bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    return rezipped(data, lambda name, content: change(content) if name == "content.xml" else content, method=method)


def rows_added(times: int, cells: str) -> Callable[[bytes], bytes]:
    """content.xml with one more row element, repeated ``times``, at the end of the sheet."""
    row = f'<table:table-row table:number-rows-repeated="{times}">{cells}</table:table-row>'
    return lambda content: content.replace(b"</table:table>", row.encode() + b"</table:table>")


def text_cells(across: int) -> str:
    repeat = f'table:number-columns-repeated="{across}" '
    return f'<table:table-cell {repeat}office:value-type="string"><text:p>x</text:p></table:table-cell>'


def test_an_ods_repeating_one_cell_a_million_times_is_refused_before_it_is_expanded() -> None:
    data = with_content(ods([["a", "b"]]), rows_added(1_000_000, text_cells(1)))
    assert len(data) < 10_000
    assert "más de 100.000 filas" in rejected(data, "bomba.ods")
    assert "ALL10001" in rejected(with_content(ods([["a", "b"]]), rows_added(10_000, text_cells(1_000))), "a.ods")


def test_the_empty_rows_libreoffice_repeats_after_a_table_are_no_extent() -> None:
    empty = '<table:table-cell table:number-columns-repeated="1024"/>'
    data = with_content(ods([HEADER, ["C-1", "31/10/2026", 5]]), rows_added(1_048_570, empty))
    assert [len(sheet.rows) for sheet in read_workbook(data, "avance.ods").sheets] == [2]


def test_an_ods_gets_the_zip_checks() -> None:
    assert "anómala" in rejected(with_content(ods([HEADER]), lambda content: content + b" " * 5_000_000), "a.ods")
    assert "no lo es" in rejected(b"texto", "avance.ods")


def test_an_xls_is_read_and_its_declared_extent_checked() -> None:
    [sheet] = read_workbook((FIXTURES / "avance.xls").read_bytes(), "avance.xls").sheets
    assert sheet.rows[2:] == [HEADER[:4], ["C6", date(2026, 10, 31), 85, ""], ["C7", "15/10/2026", "", 50]]
    assert "IV65536" in rejected((FIXTURES / "lejos.xls").read_bytes(), "lejos.xls")


def test_an_xls_says_which_of_its_cells_are_percentages() -> None:
    formats, summary = read_workbook((FIXTURES / "porcentajes.xls").read_bytes(), "porcentajes.xls").sheets
    assert formats.rows[1] == [0.85] * 6  # calamine reads the values; the formats come from xlrd
    assert (formats.percent_cells, summary.percent_cells) == ({(2, 1), (2, 2), (2, 3)}, {(3, 2)})
    [plain] = read_workbook((FIXTURES / "avance.xls").read_bytes(), "avance.xls").sheets
    assert plain.percent_cells == frozenset()


def test_an_ole2_file_is_a_protected_xlsx_only_when_it_says_so() -> None:
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600
    assert "dañado" in rejected(ole2, "viejo.xls")
    assert "contraseña" in rejected(ole2 + "EncryptionInfo".encode("utf-16-le"), "protegido.xlsx")
