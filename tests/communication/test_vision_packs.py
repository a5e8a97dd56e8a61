"""The printed actor page gains «Su planeación y el plan»; the bulletin and its WhatsApp text open with the vision."""

from datetime import date
from io import BytesIO

import openpyxl
from sqlmodel import Session

from core import db, views
from core.communication.packs import PLANNING_SHEET

ON = date(2026, 11, 15)
SMA = "A-004"  # Secretaría de Medio Ambiente in the demo


def test_the_actor_page_shows_its_planning_and_absent_lines(demo_database_url: str) -> None:
    engine = db.make_engine(demo_database_url)
    with Session(engine) as session:
        files = views.pack_files(session=session, on=ON, scope="actor", key=SMA)
        dap = views.pack_files(session=session, on=ON, scope="actor", key="A-013")
    engine.dispose()
    assert "<h2>Su planeación y el plan</h2>" in files.html
    assert "L4 · Entorno y Medio Ambiente Comunal</td><td>4 en ejecución ✓" in files.html
    assert "$ 1.270.000.000" in files.html  # 850 + 120 + 300 (its level-0 row counts as its money on the line)
    sheet = openpyxl.load_workbook(BytesIO(files.xlsx))[PLANNING_SHEET]
    rows = [tuple(cell.value for cell in row) for row in sheet.iter_rows(min_row=2)]
    assert [row[0] for row in rows] == ["L4", "L5"]
    # DAP's instruments say they concern L2 and L6 and take neither up: the agenda of the next meeting
    assert "Para la próxima reunión: L2, L6 están ausentes de sus instrumentos" in dap.html


def test_the_bulletin_opens_with_the_vision(demo_database_url: str) -> None:
    engine = db.make_engine(demo_database_url)
    with Session(engine) as session:
        files = views.pack_files(session=session, on=ON, scope="plan", since=date(2026, 8, 15))
    engine.dispose()
    assert files.summary.startswith("Nuestra visión: «En 2035 la Comuna 12 – La América será un territorio")
    assert files.html.index("Nuestra visión") < files.html.index("Avance físico")
