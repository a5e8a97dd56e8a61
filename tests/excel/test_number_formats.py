"""Which number formats show a percentage, and which .xls cells carry one (read with xlrd)."""

from pathlib import Path

import pytest

from core.excel import extents, number_formats
from core.excel.number_formats import is_percent_format, xls_percent_cells

FIXTURES = Path(__file__).parent.parent / "fixtures"
PERCENT_FORMATS = (FIXTURES / "porcentajes.xls").read_bytes()  # tests/fixtures/make_xls.py says what each cell is


@pytest.mark.parametrize(
    ("format_id", "code", "expected"),
    [
        (9, "", True),  # built-in 0 %
        (10, "", True),  # built-in 0,00 %
        (164, "0.0%", True),
        (165, '#,##0.0" pts"%', True),  # a % after a quoted text is still the format's
        (166, '0 "%"', False),  # a quoted % is text: the cell stores 85 and shows «85 %»
        (167, "0\\%", False),  # an escaped % likewise
        (2, "0.00", False),
        (168, "General", False),
    ],
)
def test_a_percent_format_has_a_percent_sign_neither_quoted_nor_escaped(
    format_id: int, code: str, expected: bool
) -> None:
    assert is_percent_format(format_id, code) is expected


def test_the_number_cells_of_each_sheet_formatted_as_percentages() -> None:
    # Formatos: row 2 holds 0,85 under 0%, 0.00%, 0.0%, '0 "%"', 0\% and General; row 3 a text «85 %» in 0%.
    assert xls_percent_cells(PERCENT_FORMATS, ["Formatos", "Resumen"]) == {
        "Formatos": {(2, 1), (2, 2), (2, 3)},
        "Resumen": {(3, 2)},
    }


def test_only_the_named_sheets_are_parsed() -> None:
    assert xls_percent_cells(PERCENT_FORMATS, ["Resumen", "No existe"]) == {"Resumen": {(3, 2)}}


def test_a_workbook_without_percent_formats_parses_no_sheet(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_: object) -> frozenset[tuple[int, int]]:
        raise AssertionError("a sheet was parsed")

    monkeypatch.setattr(number_formats, "_sheet_percent_cells", refuse)
    assert xls_percent_cells((FIXTURES / "avance.xls").read_bytes(), ["Avances"]) == {}


def test_the_percent_cells_kept_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(extents, "MAX_PERCENT_CELLS", 2)
    found = xls_percent_cells(PERCENT_FORMATS, ["Formatos", "Resumen"])
    assert (len(found["Formatos"]), found["Resumen"]) == (2, frozenset())


def test_a_file_xlrd_cannot_parse_has_no_percent_cells() -> None:
    assert xls_percent_cells(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600), ["Avances"]) == {}
    assert xls_percent_cells(PERCENT_FORMATS[:2_000], ["Formatos"]) == {}
