"""Hostile text in names, notes and file cells: shown as text, exported as text, never executed."""

import io
import re

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import text, update
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import db, plan_workbook, progress_import
from core.demo import DEMO_TODAY
from core.export import EXCEL_MAX_TEXT, Sheet, safe_text, xlsx_bytes
from core.models import Actor
from core.tables import Column
from tests.sheets import HEADER, save, xlsx
from ui.components import md

LONG = "Corporación " + "muy " * 3000 + "larga"
HOSTILE = [
    "<script>alert('x')</script>",
    "<img src=x onerror=alert(1)>",
    "[clic aquí](http://example.invalid/trampa)",
    "![foto](http://example.invalid/rastreo.png)",
    '=HYPERLINK("http://example.invalid","clic")',
    "+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(A1:A9)",
    ":red[alerta] **negrita** _it_ `código` $x^2$ ~tachado~ # título",
    "Junta\x00de\x07Acción\x1b[31m Comunal",
    "\u202eJAC La América\u202c",  # right-to-left override
    "\u200fجمعية الحي\u200f Calasanz",  # right-to-left marks
    LONG,
]
MARKDOWN_SPECIALS = set("\\`*_{}[]()<>#+-.!|~$:")


def unescaped_specials(shown: str) -> list[str]:
    found, characters = [], iter(shown)
    for character in characters:
        if character == "\\":
            next(characters, None)  # the escaped character
        elif character in MARKDOWN_SPECIALS:
            found.append(character)
    return found


@pytest.mark.parametrize("hostile", HOSTILE)
def test_md_makes_every_special_character_inert_and_loses_nothing(hostile: str) -> None:
    shown = md(hostile)
    assert re.sub(r"\\(.)", r"\1", shown, flags=re.DOTALL) == hostile
    assert unescaped_specials(shown) == []


def test_exports_keep_hostile_text_as_text() -> None:
    frame = pd.DataFrame({"texto": HOSTILE})
    book = openpyxl.load_workbook(io.BytesIO(xlsx_bytes([Sheet("Textos", frame, [Column("texto", "Texto")])])))
    cells = [row[0] for row in book["Textos"].iter_rows(min_row=2)]
    assert [safe_text(value) for value in HOSTILE] == [cell.value for cell in cells]
    assert ["s"] * len(HOSTILE) == [cell.data_type for cell in cells]  # never "f" (formula)
    assert all(cell.quotePrefix for cell in cells if str(cell.value).startswith(("=", "+", "-", "@")))
    assert "Junta de" not in cells[9].value and "\x00" not in cells[9].value  # control characters dropped
    assert len(cells[-1].value) <= EXCEL_MAX_TEXT


def text_cells_sheet(rows: list[list[object]]) -> bytes:
    """Every cell typed as text, as Excel stores '=HYPERLINK(...) typed with a leading apostrophe."""
    book = openpyxl.load_workbook(io.BytesIO(xlsx(rows)))
    for row in book.active.iter_rows():  # type: ignore[union-attr]
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"
    return save(book)


def test_hostile_file_cells_are_stored_as_text_and_exported_safely(demo_database_url: str) -> None:
    engine = db.make_engine(demo_database_url)
    rows: list[list[object]] = [
        [f"C-000{i}", "14/11/2026", 50, None, None, note] for i, note in enumerate(HOSTILE[:9], 1)
    ]
    with db.transaction(engine) as session:
        data = text_cells_sheet([HEADER, *rows])
        preview = progress_import.validate_progress(session=session, data=data, file_name="x.xlsx", today=DEMO_TODAY)
        progress_import.apply_progress(session=session, preview=preview, user="prueba")
    with Session(engine) as session:
        notes = set(session.scalars(text("SELECT note FROM progress_report WHERE cut_off_date = '2026-11-14'")))
        book = openpyxl.load_workbook(io.BytesIO(plan_workbook.export_plan(session=session)))
    assert set(HOSTILE[:9]) <= notes  # kept exactly as written, nothing evaluated
    formulas = [c.coordinate for sheet in book for row in sheet.iter_rows() for c in row if c.data_type == "f"]
    assert formulas == []
    exported = {c.value for row in book["Reportes de avance"].iter_rows() for c in row}
    assert '=HYPERLINK("http://example.invalid","clic")' in exported


def test_hostile_actor_names_are_shown_as_text_on_the_pages(demo_app: AppTest, demo_database_url: str) -> None:
    hostile = {f"A-00{i}": name for i, name in enumerate([HOSTILE[0], HOSTILE[1], HOSTILE[3], HOSTILE[10]], 1)}
    with db.transaction(db.make_engine(demo_database_url)) as session:
        for code, name in hostile.items():
            session.execute(update(Actor).where(Actor.code == code).values(name=name))  # type: ignore[arg-type]
    demo_app.run()
    demo_app.switch_page("pages/actores.py").run()
    for code, name in hostile.items():
        demo_app.selectbox(key="actor").set_value(code).run()
        assert not demo_app.exception
        headers = [m.value for m in demo_app.markdown if m.value.startswith("####")]
        assert f"#### {md(name)}" in headers
        assert demo_app.get("html") == []  # nothing went out as raw HTML
    assert set(hostile.values()) <= set(demo_app.dataframe[0].value.iloc[:, 0])  # the grid shows the raw text


def test_a_hostile_event_title_is_recorded_and_shown_inert(coordinator_app: AppTest) -> None:
    coordinator_app.run()
    coordinator_app.switch_page("pages/registrar_participacion.py").run()
    coordinator_app.text_input(key="event_title").input(HOSTILE[1])
    coordinator_app.button[0].click()
    coordinator_app.run()
    assert not coordinator_app.exception
    assert any("guardado" in s.value for s in coordinator_app.success)
    assert HOSTILE[1] in coordinator_app.selectbox(key="excel_event").options[0]  # a selectbox label is plain text
