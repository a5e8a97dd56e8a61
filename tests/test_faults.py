"""Faults, on SQLite and PostgreSQL: writers at the same time in separate processes, and a process killed
(SIGKILL) in the middle of applying an import."""

from __future__ import annotations

import hashlib
import io
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
import tracemalloc
import zipfile
from datetime import date
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, select, text
from sqlmodel import Session, SQLModel
from streamlit.testing.v1 import AppTest

import core.views
from core import db
from core.cli.main import main
from core.db import PROJECT_ROOT
from core.excel.reading import DEFAULT_LIMITS, FileRejected, read_workbook
from core.models import Commitment, ImportBatch, ProgressReport
from core.refusals import Refused
from core.uploads.progress import ImportPreview, apply_progress, validate_progress
from core.uploads.progress_workbooks import error_workbook
from tests.sheets import HEADER, lying_zip, patched_entry, raw_xlsx, rezipped, save, xlsx

CUT_OFF = "14/11/2026"
TODAY = date(2026, 11, 15)
EDITS = 5

# Each child imports everything first, then waits for the GO file, so the three really run at once.
CONCURRENT_CHILD = """
import os, sys, time
from datetime import date
from core import db
from core.cli.main import main
from core.participation import records
while not os.path.exists(os.environ["GO"]):
    time.sleep(0.005)
if sys.argv[1] == "edit":
    engine = db.make_engine()
    for day in range(1, int(sys.argv[2]) + 1):
        with db.transaction(engine) as session:
            records.record_rating(session=session, actor_code="A-001", rated_on=date(2026, 10, day), score=4,
                                        note="edición simultánea", user="editora")
    sys.exit(0)
sys.exit(main(["import", sys.argv[1], "--user", sys.argv[2]]))
"""

# Pauses right after the Nth INSERT of the import's transaction (uncommitted), says so, and waits to be killed.
CRASH_CHILD = """
import os, sys, time
from sqlalchemy import Engine, event
from core.cli.main import main
inserts = 0

@event.listens_for(Engine, "after_cursor_execute")
def pause_mid_apply(conn, cursor, statement, parameters, context, executemany):
    global inserts
    if statement.lstrip().upper().startswith("INSERT"):
        inserts += 1
        if inserts == int(os.environ["PAUSE_AFTER_INSERTS"]):
            open(os.environ["MARKER"], "w").close()
            time.sleep(600)

sys.exit(main(["import", sys.argv[1]]))
"""


def child(code: str, args: list[str], database_url: str, **env: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": str(PROJECT_ROOT), **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def commitment_codes(engine: Engine) -> list[str]:
    with Session(engine) as session:
        return sorted(session.exec(select(Commitment.code).where(Commitment.cancelled.is_(False))).scalars())  # type: ignore[attr-defined,call-overload]


def progress_sheet(path: Path, codes: list[str], progress: float) -> Path:
    path.write_bytes(xlsx([HEADER, *[[code, CUT_OFF, progress, None, None, "simultánea"] for code in codes]]))
    return path


def dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in a stable order."""
    with engine.connect() as connection:
        return {
            table.name: sorted(connection.execute(table.select()).all(), key=repr)
            for table in SQLModel.metadata.sorted_tables
        }


def test_two_imports_and_an_edit_at_the_same_time(demo_database_url: str, tmp_path: Path) -> None:
    engine = db.make_engine(demo_database_url)
    codes = commitment_codes(engine)
    half = len(codes) // 2
    with Session(engine) as session:
        version_before = db.data_version(session=session)
    first = progress_sheet(tmp_path / "primera.xlsx", codes[:half], 55)
    second = progress_sheet(tmp_path / "segunda.xlsx", codes[half:], 65)
    go = tmp_path / "go"
    children = [
        child(CONCURRENT_CHILD, [str(first), "uno"], demo_database_url, GO=str(go)),
        child(CONCURRENT_CHILD, [str(second), "dos"], demo_database_url, GO=str(go)),
        child(CONCURRENT_CHILD, ["edit", str(EDITS)], demo_database_url, GO=str(go)),
    ]
    time.sleep(4)  # the children import streamlit-free core, pandas, openpyxl; they then poll for GO
    go.touch()
    results = [(process.wait(timeout=240), *process.communicate()) for process in children]
    for code, _out, err in results:
        assert "locked" not in err.lower() and "Traceback" not in err, err
        assert code in (0, 1), err  # 1: some rows held for validation problems, the rest applied
    with Session(engine) as session:
        batches = session.exec(select(ImportBatch.created_by, ImportBatch.rows_applied, ImportBatch.status)).all()  # type: ignore[call-overload]
        reports = session.scalar(text("SELECT count(*) FROM progress_report WHERE note = 'simultánea'"))
        ratings = session.scalar(text("SELECT count(*) FROM motivation_rating WHERE note = 'edición simultánea'"))
        version_after = db.data_version(session=session)
    assert sorted(by for by, _, _ in batches) == ["dos", "uno"]
    assert all(status == "applied" for _, _, status in batches)
    assert sum(applied for _, applied, _ in batches) == reports > 0  # no lost update: every applied row is there
    assert ratings == EDITS
    assert version_before + 2 + EDITS == version_after  # every write bumped the version, none overwrote another


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_killed_in_the_middle_of_an_import_leaves_the_database_as_before(
    demo_database_url: str, tmp_path: Path
) -> None:
    engine = db.make_engine(demo_database_url)
    codes = commitment_codes(engine)
    sheet = progress_sheet(tmp_path / "grande.xlsx", codes, 45)
    before = dump(engine)
    sqlite_file = Path(engine.url.database or "") if engine.dialect.name == "sqlite" else None
    if sqlite_file is not None:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    digest = file_digest(sqlite_file) if sqlite_file else None
    marker = tmp_path / "a-mitad"
    process = child(CRASH_CHILD, [str(sheet)], demo_database_url, MARKER=str(marker), PAUSE_AFTER_INSERTS="2")
    deadline = time.monotonic() + 120
    while not marker.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the import never reached its second INSERT"
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait(timeout=30) == -signal.SIGKILL
    process.communicate()
    if sqlite_file is not None:
        assert digest == file_digest(sqlite_file)  # byte for byte, before anyone opens it again
    assert before == dump(db.make_engine(demo_database_url))  # row for row, after recovery


# ---------------------------------------------------------------------------------------------- a page that fails


def test_visitors_never_see_error_details() -> None:
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] == "none"


def test_an_unexpected_error_on_a_page_is_a_spanish_apology_with_a_logged_reference(
    demo_app: AppTest, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("/srv/tablero/core/secreto.py: explotó")

    monkeypatch.setattr(core.views, "plan_view", broken)
    demo_app.run()
    assert not demo_app.exception
    [message] = [element.value for element in demo_app.error]
    assert message.startswith("Algo salió mal") and "secreto" not in message
    found = re.search(r"\*\*([0-9a-f]{8})\*\*", message)
    assert found is not None
    [logged] = [record for record in caplog.records if found.group(1) in record.getMessage()]
    assert logged.exc_info is not None and "secreto" in str(logged.exc_info[1])
    demo_app.switch_page("pages/actores.py").run()  # the other pages keep working
    assert not demo_app.error


def test_a_refusal_outside_a_write_shows_its_reasons_not_an_apology(
    demo_app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refusing(*args: object, **kwargs: object) -> None:
        raise Refused("La fecha de corte no puede ser posterior a hoy.")

    monkeypatch.setattr(core.views, "plan_view", refusing)
    demo_app.run()
    assert not demo_app.exception
    assert [e.value.replace("\\", "") for e in demo_app.error] == ["La fecha de corte no puede ser posterior a hoy."]


def test_the_server_apologizes_for_errors_outside_a_page_run_too() -> None:
    """A widget callback failing under the st.App server gets the same Spanish apology (not Streamlit's notice)."""

    def script() -> None:
        import streamlit as st

        from ui.errors import on_script_error

        st.session_state["suppressed"] = on_script_error(RuntimeError("/srv/tablero/secreto.py: explotó"))

    at = AppTest.from_function(script).run()
    assert at.session_state["suppressed"] is True
    [message] = [element.value for element in at.error]
    assert message.startswith("Algo salió mal") and "secreto" not in message
    app_source = (PROJECT_ROOT / "app.py").read_text(encoding="utf-8")
    assert "on_script_error=on_script_error" in app_source


# ---------------------------------------------------------------------------------------------- hostile files

GOOD = xlsx([HEADER, ["C5", CUT_OFF, 50, None, None, "nota"]])
SHEET_XML = "xl/worksheets/sheet1.xml"


def corrupt_deflate(data: bytes) -> bytes:
    info = zipfile.ZipFile(io.BytesIO(data)).getinfo(SHEET_XML)
    middle = info.header_offset + 30 + len(info.filename) + len(info.extra) + info.compress_size // 2
    return data[:middle] + b"\xff" * 8 + data[middle + 8 :]


def with_entity(name: str, content: bytes) -> bytes:
    if name != "xl/workbook.xml":
        return content
    return content.replace(b"<workbook", b'<!DOCTYPE workbook [<!ENTITY e "eeee">]><workbook', 1)


HOSTILE_ZIPS = {
    "encrypted": (patched_entry(GOOD, SHEET_XML, flags=0x1), "protegido con contraseña"),
    "unknown method": (patched_entry(GOOD, SHEET_XML, method=99), "método que Excel no usa"),
    "lzma": (rezipped(GOOD, lambda name, content: content, method=zipfile.ZIP_LZMA), "método que Excel no usa"),
    "corrupt deflate": (corrupt_deflate(GOOD), "no se puede descomprimir"),
    "xml entities": (rezipped(GOOD, with_entity), "entidades XML"),
    "shared string out of range": (
        raw_xlsx('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>7</v></c></row>', ["Código"]),
        "la hoja «Avances» no se puede leer",
    ),
}


@pytest.mark.parametrize("kind", HOSTILE_ZIPS)
def test_a_hostile_zip_is_refused_in_spanish(kind: str) -> None:
    data, message = HOSTILE_ZIPS[kind]
    with pytest.raises(FileRejected, match=message):
        read_workbook(data, "avance.xlsx")


@pytest.mark.parametrize("kind", HOSTILE_ZIPS)
def test_the_command_line_refuses_a_hostile_zip_with_exit_2(
    kind: str, database_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    monkeypatch.setenv("DATABASE_URL", database_url)
    file = tmp_path / "avance.xlsx"
    file.write_bytes(HOSTILE_ZIPS[kind][0])
    assert main(["import", str(file)]) == 2
    error = capsys.readouterr().err
    assert error.startswith("Error: El archivo") and "Traceback" not in error


@pytest.fixture(scope="module")
def lying() -> bytes:
    return lying_zip(real_size=1 << 30, declared_size=2_000)  # 1 GiB of zeros behind a 2 KB declaration


def test_a_zip_entry_that_lies_about_its_size_is_refused_without_inflating_it(lying: bytes) -> None:
    tracemalloc.start()
    try:
        with pytest.raises(FileRejected, match="se expande a mucho más de lo que declara"):
            read_workbook(lying, "avance.xlsx")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024, f"{peak / 1_048_576:.0f} MB"  # before: about 780 MB


def progress_preview(engine: Engine, data: bytes, file_name: str) -> ImportPreview:
    with Session(engine) as session:
        return validate_progress(session=session, data=data, file_name=file_name, today=TODAY)


def csv_bytes(*lines: str, ending: str = "\r\n") -> bytes:
    return ending.join(lines).encode("utf-8")


CSV_HEADER = ";".join(HEADER)


def test_control_characters_past_the_first_bytes_of_a_csv_are_never_stored(small_plan: Engine) -> None:
    note = "relleno " * 600 + "Junta\x00de\x07Acción\x1b Comunal"  # the NUL sits past the first 4 KB
    data = csv_bytes(CSV_HEADER, f"C5;{CUT_OFF};50;;;{note}")
    assert data.index(b"\x00") > 4096
    with db.transaction(small_plan) as session:
        preview = validate_progress(session=session, data=data, file_name="a.csv", today=TODAY)
        apply_progress(session=session, preview=preview, user="prueba")
    with Session(small_plan) as session:
        stored = session.scalar(select(ProgressReport.note))
    assert str(stored).endswith("relleno JuntadeAcción Comunal")


def test_an_unclosed_quote_in_a_csv_is_refused_with_its_row_and_lines(small_plan: Engine) -> None:
    data = csv_bytes(
        CSV_HEADER,
        f'C5;{CUT_OFF};50;;;"nota que abre comillas',
        "C5;13/11/2026;40;;;otra",
        "C5;12/11/2026;30;;;otra más",
    )
    with pytest.raises(FileRejected, match=r"La fila 2 abre unas comillas .* las líneas 3 a 4 del archivo"):
        progress_preview(small_plan, data, "a.csv")


def test_a_note_with_line_breaks_is_still_one_note(small_plan: Engine) -> None:
    data = csv_bytes(CSV_HEADER, f'C5;{CUT_OFF};50;;;"primera línea\nsegunda; con punto y coma"')
    assert progress_preview(small_plan, data, "a.csv").rows_total == 1


def test_a_csv_mixing_line_endings_is_read(small_plan: Engine) -> None:
    data = (CSV_HEADER + "\r\n" + f"C5;{CUT_OFF};50;;;a\n" + "C5;13/11/2026;40;;;b\r" + "C5;12/11/2026;30;;;c").encode()
    preview = progress_preview(small_plan, data, "a.csv")
    assert (preview.rows_total, [p.message for p in preview.problems if p.severity == "error"]) == (3, [])


def test_the_row_cap_is_enforced_and_said(small_plan: Engine) -> None:
    rows = [f"C5;{CUT_OFF};50;;;" for _ in range(DEFAULT_LIMITS.max_rows + 1)]
    with pytest.raises(FileRejected, match=r"tiene 100\.001 filas con datos; el máximo por carga es 100\.000"):
        progress_preview(small_plan, csv_bytes(CSV_HEADER, *rows), "a.csv")


@pytest.mark.parametrize(("state", "said"), [("hidden", "oculta"), ("veryHidden", "muy oculta")])
def test_data_read_from_a_hidden_sheet_is_said(small_plan: Engine, state: str, said: str) -> None:
    cells = "".join(f'<c r="{letter}1" t="s"><v>{i}</v></c>' for i, letter in enumerate("ABC"))
    row = '<row r="2"><c r="A2" t="s"><v>3</v></c><c r="B2" t="s"><v>4</v></c><c r="C2"><v>50</v></c></row>'
    shared = ["Código compromiso", "Fecha de corte", "Avance físico (%)", "C5", CUT_OFF]
    preview = progress_preview(
        small_plan, raw_xlsx(f'<row r="1">{cells}</row>{row}', shared, sheet_state=state), "a.xlsx"
    )
    assert f"Los datos se leyeron de la hoja «Avances», que está {said} en Excel." in preview.notices[0]


def test_the_error_workbook_of_a_sheet_as_wide_as_excel_stays_within_xfd(small_plan: Engine) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([*HEADER, *[f"extra {i}" for i in range(16_384 - len(HEADER))]])
    sheet.append(["C5", CUT_OFF, 150, None, None, None, *["x"] * (16_384 - len(HEADER))])
    preview = progress_preview(small_plan, save(book), "ancho.xlsx")
    errors = openpyxl.load_workbook(io.BytesIO(error_workbook(preview)), read_only=True).active
    assert errors is not None and errors.max_column == 16_384
    assert any("no caben las últimas 2 columnas" in str(cell.value) for cell in next(errors.iter_rows(max_row=1)))
