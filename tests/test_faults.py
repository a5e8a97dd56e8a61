"""Faults, on SQLite and PostgreSQL: writers at the same time in separate processes, and a process killed
(SIGKILL) in the middle of applying an import."""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlmodel import Session, SQLModel
from streamlit.testing.v1 import AppTest

import ui.state
from core import db
from core.db import PROJECT_ROOT
from core.models import Commitment, ImportBatch
from tests.sheets import HEADER, xlsx

CUT_OFF = "14/11/2026"
EDITS = 5

# Each child imports everything first, then waits for the GO file, so the three really run at once.
CONCURRENT_CHILD = """
import os, sys, time
from datetime import date
from core import db, participation
from core.cli import main
while not os.path.exists(os.environ["GO"]):
    time.sleep(0.005)
if sys.argv[1] == "edit":
    engine = db.make_engine()
    for day in range(1, int(sys.argv[2]) + 1):
        with db.transaction(engine) as session:
            participation.record_rating(session=session, actor_code="A-001", rated_on=date(2026, 10, day), score=4,
                                        note="edición simultánea", user="editora")
    sys.exit(0)
sys.exit(main(["import", sys.argv[1], "--user", sys.argv[2]]))
"""

# Pauses right after the Nth INSERT of the import's transaction (uncommitted), says so, and waits to be killed.
CRASH_CHILD = """
import os, sys, time
from sqlalchemy import Engine, event
from core.cli import main
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

    monkeypatch.setattr(ui.state, "plan_view", broken)
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
