from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel

from core import db
from core.models import Barrio, ProgressReport


def test_models_and_latest_revision_agree(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SQLModel.metadata) == []


def test_upgrade_reaches_head_and_is_idempotent(engine: Engine) -> None:
    db.upgrade(engine)
    assert db.current_revision(engine) == db.head_revision()


def test_every_model_table_exists(engine: Engine) -> None:
    from sqlalchemy import inspect

    assert set(SQLModel.metadata.tables) <= set(inspect(engine).get_table_names())


def test_sqlite_runs_with_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as connection:
        pragmas = [connection.execute(text(f"PRAGMA {name}")).scalar() for name in ("journal_mode", "foreign_keys")]
        timeout = connection.execute(text("PRAGMA busy_timeout")).scalar()
    assert pragmas == ["wal", 1]
    assert timeout == db.BUSY_TIMEOUT_MS


def test_foreign_keys_are_enforced(engine: Engine) -> None:
    from datetime import date

    with Session(engine) as session:
        session.add(ProgressReport(commitment_id=999, cut_off_date=date(2026, 1, 1), physical_pct=10))
        with pytest.raises(IntegrityError):
            session.commit()


def test_relative_sqlite_path_is_under_the_project_root() -> None:
    url = db.resolve_url("sqlite:///data/plan.db")
    assert url.database == str(db.PROJECT_ROOT / "data" / "plan.db")


def test_postgresql_urls_use_psycopg_3() -> None:
    assert db.resolve_url("postgresql://u:p@host/db").drivername == "postgresql+psycopg"


@pytest.mark.parametrize(
    "url",
    [
        "not a url",
        "mysql://user@host/db",
        "postgresql://nobody:secret@127.0.0.1:1/nothing",
        "postgresql://nobody:secret@127.0.0.1:port/nothing",
        "sqlite:////proc/no-such-folder/plan.db",
    ],
)
def test_bad_database_urls_raise_a_spanish_error_without_the_password(url: str) -> None:
    with pytest.raises(db.DatabaseUnavailable) as error:
        db.make_engine(url)
    assert "secret" not in str(error.value)
    assert any(word in str(error.value) for word in ("válida", "soportado", "conectar", "carpeta"))


def test_a_file_that_is_not_a_database_is_refused_in_spanish(tmp_path: Path) -> None:
    impostor = tmp_path / "plan.db"
    impostor.write_bytes(b"esto no es SQLite" * 100)
    with pytest.raises(db.DatabaseUnavailable, match="SQLite"):
        db.make_engine(f"sqlite:///{impostor}")


def test_failed_schema_change_is_rolled_back_entirely(engine: Engine) -> None:
    """DDL is transactional on SQLite too (pysqlite would otherwise commit CREATE TABLE on its own)."""
    from sqlalchemy import inspect

    with pytest.raises(RuntimeError), engine.begin() as connection:
        connection.execute(text("CREATE TABLE half_applied (id INTEGER PRIMARY KEY)"))
        raise RuntimeError("the revision failed half way")
    assert "half_applied" not in inspect(engine).get_table_names()


def test_in_memory_sqlite_keeps_its_schema() -> None:
    engine = db.make_engine("sqlite://")
    db.upgrade(engine)
    with Session(engine) as session:
        assert db.data_version(session=session) == 0


def test_transaction_rolls_back_everything_on_error(engine: Engine) -> None:
    with pytest.raises(RuntimeError), db.transaction(engine) as session:
        session.add(Barrio(code="1299", name="Prueba"))
        session.flush()
        raise RuntimeError("boom")
    with Session(engine) as session:
        assert session.get(Barrio, 1) is None


@contextmanager
def another_writer_holding_the_lock(url: str) -> Iterator[None]:
    """A second connection in the middle of a write transaction, as another coordinator's import would be."""
    holder = db.make_engine(url)
    with holder.connect() as connection:
        if connection.dialect.name == "sqlite":
            connection.execution_options(sqlite_begin="IMMEDIATE").exec_driver_sql("SELECT 1")  # takes the lock
        else:
            connection.exec_driver_sql("LOCK TABLE setting IN EXCLUSIVE MODE")  # writers wait, readers do not
        try:
            yield
        finally:
            connection.rollback()
    holder.dispose()


def test_a_write_that_waits_too_long_says_try_again_and_writes_nothing(
    database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 200)  # instead of 30 s
    engine = db.make_engine(database_url)
    db.upgrade(engine)
    with (
        another_writer_holding_the_lock(database_url),
        pytest.raises(db.DatabaseBusy, match="intente de nuevo"),
        db.transaction(engine) as session,
    ):
        db.set_setting(session=session, key="prueba", value="no debe quedar")
        session.flush()
    with Session(engine) as session:
        assert db.get_setting(session=session, key="prueba") is None
    with db.transaction(engine) as session:  # once the other writer is done, the same write goes through
        db.set_setting(session=session, key="prueba", value="ahora sí")
    with Session(engine) as session:
        assert db.get_setting(session=session, key="prueba") == "ahora sí"
    engine.dispose()


def test_data_version_is_bumped_by_writes(engine: Engine) -> None:
    with db.transaction(engine) as session:
        before = db.data_version(session=session)
        db.bump_data_version(session=session)
    with Session(engine) as session:
        assert db.data_version(session=session) == before + 1
