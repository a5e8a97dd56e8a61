import os
from collections import Counter

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session
from sqlmodel import select as select_rows

from core import db
from core.demo.plan import DEMO_TODAY, build_demo_rows, demo_as_of, ensure_database, load_demo
from core.models import (
    EVENT_KINDS,
    FUNDING_SOURCES,
    SECTORS,
    STAGES,
    Actor,
    Barrio,
    Commitment,
    Event,
    MotivationRating,
    Pact,
    ProgressReport,
    Project,
    StrategicLine,
    User,
)


@pytest.fixture(scope="module")
def rows():  # type: ignore[no-untyped-def]
    return build_demo_rows()


def test_same_seed_same_rows(rows) -> None:  # type: ignore[no-untyped-def]
    assert build_demo_rows() == rows


def test_another_seed_other_rows(rows) -> None:  # type: ignore[no-untyped-def]
    assert build_demo_rows(seed=99)[Commitment] != rows[Commitment]


def test_the_thirteen_real_barrios(rows) -> None:  # type: ignore[no-untyped-def]
    barrios = {row["code"]: row["name"] for row in rows[Barrio]}
    assert sorted(barrios) == [str(code) for code in range(1201, 1214)]
    assert barrios["1204"] == "La América"
    assert all(row["area_m2"] > 100_000 for row in rows[Barrio])


def test_plan_size_is_realistic(rows) -> None:  # type: ignore[no-untyped-def]
    assert 5 <= len(rows[StrategicLine]) <= 6
    assert 50 <= len(rows[Project]) <= 70
    assert 35 <= len(rows[Actor]) <= 45
    assert 200 <= len(rows[Commitment]) <= 300
    assert 3 <= len(rows[Pact]) <= 4
    assert "Entorno y Medio Ambiente Comunal" in {row["name"] for row in rows[StrategicLine]}


def test_every_stage_and_sector_appears(rows) -> None:  # type: ignore[no-untyped-def]
    assert set(Counter(row["stage"] for row in rows[Project])) == set(STAGES)
    assert {row["sector"] for row in rows[Actor]} == set(SECTORS)
    assert {row["kind"] for row in rows[Event]} == set(EVENT_KINDS)
    assert {row["funding_source"] for row in rows[Project]} == set(FUNDING_SOURCES)


def test_reports_have_realistic_gaps(rows) -> None:  # type: ignore[no-untyped-def]
    reported = {row["commitment_id"] for row in rows[ProgressReport]}
    never = [row for row in rows[Commitment] if row["id"] not in reported]
    months = {row["cut_off_date"] for row in rows[ProgressReport]}
    assert len(never) >= 20
    assert any(row["cancelled"] for row in rows[Commitment])
    assert len(months) == 18
    assert max(months) == DEMO_TODAY
    assert any(row["physical_pct"] is None for row in rows[ProgressReport])  # reported as achieved value


def test_some_actors_cool_off(rows) -> None:  # type: ignore[no-untyped-def]
    low_recent = {
        row["actor_id"] for row in rows[MotivationRating] if row["score"] <= 2 and row["rated_on"].year == 2026
    }
    assert len(low_recent) >= 2


def test_demo_loads_and_is_flagged(engine: Engine) -> None:
    assert ensure_database(engine) is True
    assert ensure_database(engine) is False  # a plan is there: left alone
    with Session(engine) as session:
        assert db.is_demo(session=session)
        assert session.scalar(select(func.count()).select_from(Commitment)) == len(build_demo_rows()[Commitment])


def test_demo_refuses_to_overwrite_without_reset_then_resets(engine: Engine) -> None:
    ensure_database(engine)
    with pytest.raises(ValueError, match="--reset"), db.transaction(engine) as session:
        load_demo(session=session)
    with db.transaction(engine) as session:
        load_demo(session=session, reset=True)
    with db.transaction(engine) as session:  # ids keep working after explicit-id inserts (PostgreSQL sequences)
        session.add(Barrio(code="9999", name="Nuevo"))
        session.flush()
        assert session.scalar(select(func.count()).select_from(Barrio)) == 14


def test_concurrent_app_start_and_cli_demo_load_the_demo_once(database_url: str) -> None:
    """The app's first start and `python -m core demo` at the same moment: one loads, the other stands back."""
    import subprocess
    import sys

    from core.db import PROJECT_ROOT

    app_start = (
        "import sys; from core.db import make_engine; from core.demo.plan import ensure_database; "
        "print(ensure_database(make_engine(sys.argv[1])))"
    )
    processes = [
        subprocess.Popen([sys.executable, "-c", app_start, database_url], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True),
        subprocess.Popen([sys.executable, "-m", "core", "demo"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, text=True, env={**os.environ, "DATABASE_URL": database_url}),
    ]  # fmt: skip
    (app_out, app_err), (_, cli_err) = (process.communicate(timeout=120) for process in processes)
    app_loaded = app_out.strip() == "True"
    assert "Traceback" not in app_err + cli_err
    assert processes[0].returncode == 0
    assert processes[1].returncode == (1 if app_loaded else 0)  # 1: "ya tiene datos del plan", said in Spanish
    with Session(db.make_engine(database_url)) as session:
        assert session.scalar(select(func.count()).select_from(Barrio)) == 13


def test_demo_is_never_mixed_into_a_database_with_real_rows(engine: Engine) -> None:
    with db.transaction(engine) as session:
        session.add(Actor(code="A-1", name="JAC real", sector="comunitario"))
    assert ensure_database(engine) is False
    with Session(engine) as session:
        assert session.scalar(select(func.count()).select_from(Actor)) == 1
        assert not db.is_demo(session=session)


def test_reset_keeps_accounts(engine: Engine) -> None:
    ensure_database(engine)
    with db.transaction(engine) as session:
        session.add(User(username="coordinadora", role="coordinador", actor_id=1))
    with db.transaction(engine) as session:
        load_demo(session=session, reset=True)
    with Session(engine) as session:
        user = session.exec(select_rows(User)).one()
        assert (user.username, user.actor_id) == ("coordinadora", None)
        assert demo_as_of(session=session) == DEMO_TODAY


def test_finished_projects_ended_and_reported_their_commitments_complete(rows) -> None:  # type: ignore[no-untyped-def]
    finished = {row["id"]: row for row in rows[Project] if row["stage"] == "terminado"}
    commitments = [row for row in rows[Commitment] if row["project_id"] in finished and not row["cancelled"]]
    last_report = {}
    for report in rows[ProgressReport]:  # rows come oldest first
        last_report[report["commitment_id"]] = report
    assert all(project["end_date"] < DEMO_TODAY for project in finished.values())
    assert commitments
    for commitment in commitments:
        report = last_report[commitment["id"]]
        assert report["physical_pct"] == 100.0 or report["achieved_value"] == commitment["target"]


def test_loading_the_demo_leaves_an_audit_entry_in_the_same_transaction(engine: Engine) -> None:
    import json

    from core.models import AuditEntry

    ensure_database(engine)
    with db.transaction(engine) as session:
        load_demo(session=session, reset=True, user="coordinadora")
    with Session(engine) as session:
        entries = session.exec(select_rows(AuditEntry).order_by(AuditEntry.id)).all()
    assert [(e.user_name, e.action) for e in entries] == [
        ("sistema", "cargar demostración"),
        ("coordinadora", "reemplazar por demostración"),
    ]
    assert json.loads(entries[0].after or "{}")["rows"]["barrio"] == 13


def test_reset_after_an_upload_keeps_the_audit_trail(engine: Engine) -> None:
    from core.models import AuditEntry, ImportBatch

    ensure_database(engine)
    with db.transaction(engine) as session:
        batch = ImportBatch(file_name="avance.xlsx", sha256="0" * 64, kind="avance", created_by="coordinadora")
        session.add(batch)
        session.flush()
        session.add(AuditEntry(action="cargar avances", table_name="import_batch", import_batch_id=batch.id))
    with db.transaction(engine) as session:  # a foreign key from the trail to the deleted upload would refuse this
        load_demo(session=session, reset=True)
    with Session(engine) as session:
        entries = session.exec(select_rows(AuditEntry).where(AuditEntry.action == "cargar avances")).all()
        assert [(e.table_name, e.import_batch_id) for e in entries] == [("import_batch", None)]
        assert session.scalar(select(func.count()).select_from(ImportBatch)) == 0
