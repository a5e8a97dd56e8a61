"""Hostile text in names, notes and file cells: shown as text, exported as text, never executed."""

import io
import re
from datetime import date

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import Engine, text, update
from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from core import db
from core.demo.plan import DEMO_TODAY
from core.excel import cells, colors
from core.excel.cells import CellError
from core.excel.writing import EXCEL_MAX_TEXT, Sheet, safe_text, xlsx_bytes
from core.models import Actor, Commitment, Project, StrategicLine
from core.plan import edit
from core.plan.edit import PlanEditRefused
from core.tables import Column
from core.uploads import attendance, plan_workbook, progress
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
        preview = progress.validate_progress(session=session, data=data, file_name="x.xlsx", today=DEMO_TODAY)
        progress.apply_progress(session=session, preview=preview, user="prueba")
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


# ---------------------------------------------------------------------------------------------- hostile values

TODAY = date(2026, 11, 15)


def progress_messages(engine: Engine, data: bytes, file_name: str = "avance.xlsx") -> list[str]:
    with Session(engine) as session:
        preview = progress.validate_progress(session=session, data=data, file_name=file_name, today=TODAY)
    return [f"{p.severity}: {p.message}" for p in preview.problems]


@pytest.mark.parametrize(
    ("budget", "message"),
    [
        (1e28, "error: el valor es demasiado grande: el máximo es $ 1.000.000.000.000.000"),
        ("10.000.000.000.000.000.000", "error: el valor es demasiado grande: el máximo es $ 1.000.000.000.000.000"),
        (float("inf"), "error: «inf» no es un número"),  # a CSV carries it as text
    ],
)
def test_a_progress_upload_refuses_an_absurd_budget(small_plan: Engine, budget: object, message: str) -> None:
    rows: list[list[object]] = [HEADER, ["C5", "14/11/2026", 50, None, budget, None]]
    data = xlsx(rows) if budget != float("inf") else "\n".join(";".join(map(str, r)) for r in rows).encode()
    assert [message] == progress_messages(small_plan, data, "avance.xlsx" if budget != float("inf") else "a.csv")


def test_a_progress_upload_refuses_an_absurd_achieved_value(small_plan: Engine) -> None:
    messages = progress_messages(small_plan, xlsx([HEADER, ["C5", "14/11/2026", None, 1e20, None, None]]))
    assert "error: el número es demasiado grande: el máximo es 1.000.000.000.000" in messages


def test_the_plan_workbook_refuses_an_absurd_budget_or_weight(small_plan: Engine) -> None:
    with Session(small_plan) as session:
        book = openpyxl.load_workbook(io.BytesIO(plan_workbook.export_plan(session=session)))
    book["Proyectos"]["H2"] = 1e28  # Presupuesto (COP)
    book["Líneas"]["F2"] = 1e300  # Peso
    with Session(small_plan) as session:
        preview = plan_workbook.validate_plan_workbook(session=session, data=save(book), file_name="libro.xlsx")
    found = {(p.where.rsplit(" (", 1)[0], p.message) for p in preview.problems}
    too_much = "el valor es demasiado grande: el máximo es $ 1.000.000.000.000.000"
    assert ("Proyectos · Presupuesto (COP)", too_much) in found
    assert ("Líneas · Peso", "el número es demasiado grande: el máximo es 1.000.000.000.000") in found


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("budget_cop", 1e28, "Es demasiado grande: el máximo es 1.000.000.000.000.000."),
        ("target", float("inf"), "No es un número válido."),
        ("weight", float("nan"), None),  # NaN from a grid cell is blank, as before
        ("baseline", -1e13, "Debe ser -1.000.000.000.000 o más."),
    ],
)
def test_the_admin_form_refuses_absurd_numbers(small_plan: Engine, field: str, value: float, message: str) -> None:
    values = {"code": "C-NUEVO", "project_id": "P3", "description": "Jornadas", "target": 4, field: value}
    try:
        with db.transaction(small_plan) as session:
            edit.save_record(session=session, user="prueba", catalog="Compromisos", values=values)
    except PlanEditRefused as refused:
        assert {field: message} == refused.errors
    else:
        assert message is None


def test_a_page_survives_an_absurd_amount_already_in_the_database(demo_app: AppTest, demo_database_url: str) -> None:
    with db.transaction(db.make_engine(demo_database_url)) as session:
        session.execute(update(Project).values(budget_cop=1e28))  # written before the ranges existed
        session.execute(update(Commitment).values(budget_cop=1e28))
    demo_app.run()
    for page in ("pages/resumen.py", "pages/lineas.py", "pages/informes.py"):
        demo_app.switch_page(page).run()
        assert not demo_app.exception, page
        assert not [e for e in demo_app.error if "Algo salió mal" in e.value], page


def test_an_attendance_upload_refuses_an_absurd_number_of_delegates() -> None:
    with pytest.raises(CellError, match=r"no pueden ser más de 10\.000 delegados"):
        attendance._count(1e12)


@pytest.mark.parametrize(
    ("written", "stored"),
    [("#0b5394", "#0B5394"), ("0B5394", "#0B5394"), ("#15c", "#1155CC"), ("Rojo", "#D62728"), ("navy", "#000080")],
)
def test_a_line_colour_is_stored_as_hex(written: str, stored: str) -> None:
    assert stored == colors.hex_color(written)


def lines_sheet_with_colour(engine: Engine, colour: str) -> plan_workbook.PlanImportPreview:
    with Session(engine) as session:
        book = openpyxl.load_workbook(io.BytesIO(plan_workbook.export_plan(session=session)))
        book["Líneas"]["D2"] = colour  # Color
        return plan_workbook.validate_plan_workbook(session=session, data=save(book), file_name="libro.xlsx")


def test_the_plan_workbook_turns_a_colour_name_into_hex_and_refuses_a_non_colour(small_plan: Engine) -> None:
    named = lines_sheet_with_colour(small_plan, "rojo")
    assert not named.has_errors
    assert named.parsed["Líneas"].rows[0].values["color"] == "#D62728"
    refused = lines_sheet_with_colour(small_plan, "red;background:url(x)")
    assert [p.message.startswith("«red;background:url(x)» no es un color") for p in refused.problems] == [True]


def test_the_admin_form_checks_a_line_colour(small_plan: Engine) -> None:
    values = {"code": "L9", "name": "Línea nueva", "color": "rojito"}
    with pytest.raises(PlanEditRefused) as refused, db.transaction(small_plan) as session:
        edit.save_record(session=session, user="prueba", catalog="Líneas", values=values)
    assert refused.value.errors["color"].startswith("«rojito» no es un color")
    with db.transaction(small_plan) as session:
        edit.save_record(session=session, user="prueba", catalog="Líneas", values={**values, "color": "verde"})
        assert session.exec(select(StrategicLine.color).where(StrategicLine.code == "L9")).one() == "#2CA02C"


def test_the_lines_page_survives_a_colour_stored_before_colours_were_checked(
    demo_app: AppTest, demo_database_url: str
) -> None:
    with db.transaction(db.make_engine(demo_database_url)) as session:
        session.execute(update(StrategicLine).values(color="rojo"))
    demo_app.run()
    demo_app.switch_page("pages/lineas.py").run()
    line = demo_app.selectbox(key="linea")
    line.set_value(line.options[1]).run()  # one line: its curve is drawn in its colour
    assert not demo_app.exception
    assert not [e for e in demo_app.error if "Algo salió mal" in e.value]


# ---------------------------------------------------------------------------------------------- codes and long texts

CYRILLIC_C = "\u0421"  # looks exactly like a Latin C


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("C\u200b5", "C5"),  # zero-width space
        ("\u200fL1\u200f", "L1"),  # right-to-left marks
        ("\u202eL1\u202c", "L1"),  # right-to-left override
        ("\ufeffA4", "A4"),  # byte order mark
        ("\uff2c\uff11", "L1"),  # full-width letters
        ("Línea-ñ", "Línea-ñ"),  # Latin letters with accents are letters like any other
    ],
)
def test_codes_are_normalized_on_the_way_in(written: str, stored: str) -> None:
    assert stored == cells.code(written)


@pytest.mark.parametrize(("written", "script"), [(f"{CYRILLIC_C}5", "cirílica"), ("L\u0391", "griega")])
def test_codes_with_letters_outside_latin_are_refused(written: str, script: str) -> None:
    with pytest.raises(CellError, match=f"no es del alfabeto latino aunque lo parezca: .* \\({script}\\)"):
        cells.code(written)


def plan_workbook_with(engine: Engine, sheet: str, row: list[object]) -> plan_workbook.PlanImportPreview:
    with Session(engine) as session:
        book = openpyxl.load_workbook(io.BytesIO(plan_workbook.export_plan(session=session)))
        book[sheet].append(row)
        return plan_workbook.validate_plan_workbook(session=session, data=save(book), file_name="libro.xlsx")


def test_a_plan_workbook_code_with_an_invisible_character_is_the_same_code(small_plan: Engine) -> None:
    preview = plan_workbook_with(small_plan, "Líneas", ["L1\u200b", "Línea gemela", None, None, 2, 1])
    assert preview.total("created") == 0  # no twin: the export's own L1 row already brings that code
    assert [p.message.split(":")[0] for p in preview.problems] == ["repetido"]


def test_a_plan_workbook_code_with_a_look_alike_letter_is_refused(small_plan: Engine) -> None:
    preview = plan_workbook_with(small_plan, "Actores", [f"A{CYRILLIC_C}", "Actor gemelo", None, "público"])
    assert preview.has_errors and "no es del alfabeto latino" in preview.problems[0].message


def test_the_admin_form_normalizes_codes_and_refuses_look_alikes(small_plan: Engine) -> None:
    with db.transaction(small_plan) as session:
        saved = edit.save_record(
            session=session, user="prueba", catalog="Líneas", values={"code": "L\u200b9", "name": "Nueva"}
        )
    assert saved == "L9"
    values = {"code": f"L{CYRILLIC_C}", "name": "Gemela"}
    with pytest.raises(PlanEditRefused) as refused, db.transaction(small_plan) as session:
        edit.save_record(session=session, user="prueba", catalog="Líneas", values=values)
    assert "no es del alfabeto latino" in refused.value.errors["code"]


def test_a_progress_sheet_says_a_code_has_an_invisible_or_look_alike_character(small_plan: Engine) -> None:
    rows = [HEADER, ["C\u200b5", "14/11/2026", 50, None, None, None], [f"{CYRILLIC_C}5", "13/11/2026", 40]]
    messages = progress_messages(small_plan, xlsx(rows))
    assert messages == [
        "aviso: el código traía caracteres invisibles (U+200B); se quitaron para buscarlo",
        f"error: el código «{CYRILLIC_C}5» tiene una letra que no es del alfabeto latino aunque lo parezca: "
        f"«{CYRILLIC_C}» (cirílica); escríbala de nuevo con el teclado",
    ]


def test_a_note_longer_than_an_excel_cell_is_refused_on_upload(small_plan: Engine) -> None:
    data = f"{';'.join(HEADER)}\r\nC5;14/11/2026;50;;;{'x' * 40_000}".encode()
    assert progress_messages(small_plan, data, "a.csv") == [
        "error: la observación tiene 40.000 caracteres; el máximo es 32.767, lo que cabe en una celda de Excel"
    ]


def test_the_admin_form_refuses_a_text_longer_than_an_excel_cell(small_plan: Engine) -> None:
    values = {"code": "L9", "name": "Línea larga", "description": "x" * 40_000}
    with pytest.raises(PlanEditRefused) as refused, db.transaction(small_plan) as session:
        edit.save_record(session=session, user="prueba", catalog="Líneas", values=values)
    assert refused.value.errors == {"description": "Tiene 40.000 caracteres; el máximo es 32.767."}
