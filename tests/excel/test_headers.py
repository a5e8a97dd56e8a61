"""Finding the table by its headers, and what the coordinator is shown when a required one is not found."""

from datetime import date

import pytest

from core.excel.headers import (
    ColumnsUnmatched,
    FileColumn,
    UnmatchedTable,
    find_table,
    header_signature,
    mapped_fields,
)
from core.excel.reading import FileRejected, read_workbook
from core.uploads.progress import COLUMNS, locate_progress_table
from tests.sheets import xlsx

ODD = ["CÓDIGO DEL COMPROMISO", "Día del reporte", "% avance", "Notas"]


def unmatched(data: bytes, columns: dict[str, str] | None = None) -> ColumnsUnmatched:
    with pytest.raises(ColumnsUnmatched) as caught:
        locate_progress_table(data, "avance.xlsx", columns=columns)
    return caught.value


def test_a_missing_date_column_lists_the_files_columns_with_samples() -> None:
    rows = [ODD, *[[f"C-{i}", date(2026, 10, i), 10 * i, None] for i in range(1, 8)]]
    refusal = unmatched(xlsx(rows, title_rows=1))
    (table,) = refusal.tables
    assert (table.missing, table.sheet) == (("Fecha de corte",), None)
    assert table.file_columns[:2] == (
        FileColumn(1, "CÓDIGO DEL COMPROMISO", ("C-1", "C-2", "C-3", "C-4", "C-5")),
        FileColumn(2, "Día del reporte", ("01/10/2026", "02/10/2026", "03/10/2026", "04/10/2026", "05/10/2026")),
    )
    assert table.file_columns[3] == FileColumn(4, "Notas", ())
    assert table.header_signature == header_signature(ODD)
    assert table.remembered is None
    assert "«Fecha de corte»" in str(refusal) and isinstance(refusal, FileRejected)


def test_the_header_signature_ignores_case_accents_and_spacing() -> None:
    assert header_signature(["Código  del compromiso", "FECHA"]) == header_signature(["codigo compromiso", "fecha"])
    assert header_signature(["Código", "Fecha"]) != header_signature(["Fecha", "Código"])
    in_a_sheet = header_signature(["Código", "Nombre"], sheet="Líneas")
    assert in_a_sheet == header_signature(["codigo", "NOMBRE"], sheet="lineas")
    assert in_a_sheet not in {
        header_signature(["Código", "Nombre"], sheet="Barrios"),
        header_signature(["Código", "Nombre"]),
    }


def test_the_coordinators_mapping_reads_the_file_as_the_contract() -> None:
    data = xlsx([ODD, ["C-1", "31/10/2026", 50, "bien"]])
    table = locate_progress_table(data, "avance.xlsx", columns={"Fecha de corte": "día del reporte"})
    assert table.columns == {"code": 0, "cut_off_date": 1, "physical_pct": 2, "note": 3}


def test_a_mapping_wins_over_a_synonym() -> None:
    """«Fecha» would be the cut-off date by synonym; the coordinator says it is the other column."""
    book = read_workbook(xlsx([["Código compromiso", "Fecha", "Corte al", "Avance"], ["C-1", 1, 2, 3]]), "a.xlsx")
    table = find_table(book, COLUMNS, required_any=("code",), mapped={"Corte al": "cut_off_date"})
    assert table is not None and table.columns == {"code": 0, "cut_off_date": 2, "physical_pct": 3}
    assert table.ignored_headers == ("Fecha",)


def test_no_header_row_at_all_shows_the_busiest_row() -> None:
    (table,) = unmatched(xlsx([["Informe"], ["uno", "dos", "tres"], [1, 2, 3]])).tables
    assert table.missing == ("Código compromiso", "Fecha de corte", "Avance físico (%)", "Valor logrado")
    assert [c.header for c in table.file_columns] == ["uno", "dos", "tres"]
    assert table.file_columns[0].samples == ("1",)


def test_an_unknown_contract_header_in_a_mapping_is_refused() -> None:
    with pytest.raises(FileRejected, match="«Fecha de reporte» no es una columna"):
        mapped_fields(COLUMNS, {"Fecha de reporte": "día"})
    assert mapped_fields(COLUMNS, {"fecha de CORTE": "día", "Observaciones": ""}) == {"día": "cut_off_date"}


def test_a_sheet_table_names_its_columns_with_the_sheet() -> None:
    table = UnmatchedTable(("Descripción",), (), "abc", sheet="Compromisos")
    assert table.key("Descripción") == "Compromisos:Descripción"
    chosen = {"Compromisos:Descripción": "Qué se entrega", "Actores:Sector": "Tipo", "Compromisos:Proyecto": ""}
    assert table.own(chosen) == {"Descripción": "Qué se entrega", "Proyecto": ""}
    alone = UnmatchedTable(("Fecha de corte",), (), "abc")
    assert (alone.key("Fecha de corte"), alone.own({"Fecha de corte": "Día"})) == (
        "Fecha de corte",
        {"Fecha de corte": "Día"},
    )
