"""Backups with SQLite's online backup API and restoring them; the CLI of accounts, backup and restore."""

import io
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlmodel import Session, SQLModel

from core import backup, db
from core.access import accounts
from core.cli.main import main
from core.demo.plan import ensure_database

SKIPPED_BY_RESTORE = {"audit_entry", "setting"}  # the restore writes its own audit entry and a new data version


def demo_engine(tmp_path: Path) -> Engine:
    engine = db.make_engine(f"sqlite:///{tmp_path / 'plan.db'}")
    ensure_database(engine)
    return engine


def dump(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    with engine.connect() as connection:
        return {t.name: sorted(connection.execute(t.select()).all(), key=repr) for t in SQLModel.metadata.sorted_tables}


def change_data(engine: Engine) -> None:
    with db.transaction(engine) as session:
        session.execute(text("UPDATE actor SET name = name || ' (cambiado)'"))
        session.execute(text("DELETE FROM progress_report WHERE id % 2 = 0"))
        accounts.create_user(session=session, username="nueva", password="clave-larga-1", role="admin", by="prueba")


def test_backup_change_restore_gives_back_every_table(tmp_path: Path) -> None:
    engine = demo_engine(tmp_path)
    before = dump(engine)
    copy = backup.backup_to(engine, tmp_path / "copias" / "copia.db")
    change_data(engine)
    changed = dump(engine)
    assert changed["actor"] != before["actor"]
    kept = backup.restore(engine, copy, user="prueba")
    after = dump(engine)
    for table in before:
        if table not in SKIPPED_BY_RESTORE:
            assert before[table] == after[table], table
    assert before["audit_entry"] == after["audit_entry"][:-1]
    assert after["audit_entry"][-1][3] == "restaurar copia"
    kept_engine = db.make_engine(f"sqlite:///{kept}")
    assert changed["actor"] == dump(kept_engine)["actor"]  # the replaced database was kept aside


def test_restore_moves_the_data_version_past_both(tmp_path: Path) -> None:
    engine = demo_engine(tmp_path)
    copy = backup.backup_to(engine, tmp_path / "copia.db")
    with Session(engine) as session:
        at_backup = db.data_version(session=session)
    change_data(engine)
    with Session(engine) as session:
        changed = db.data_version(session=session)
    backup.restore(engine, copy, user="prueba")
    with Session(engine) as session:
        assert changed + 1 == db.data_version(session=session) > at_backup


def test_backup_is_one_self_contained_file(tmp_path: Path) -> None:
    engine = demo_engine(tmp_path)
    copy = backup.backup_to(engine, tmp_path / "copia.db")
    assert not Path(f"{copy}-wal").exists()
    assert db.head_revision() == backup.backup_revision(copy)
    with pytest.raises(backup.BackupRefused, match="Ya existe"):
        backup.backup_to(engine, copy)


def test_restore_refuses_files_that_are_not_a_backup_of_this_app(tmp_path: Path) -> None:
    engine = demo_engine(tmp_path)
    text_file = tmp_path / "notas.db"
    text_file.write_text("no soy una base de datos")
    other = tmp_path / "otra.db"
    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE clientes (id INTEGER)")
    before = dump(engine)
    for path, message in [(text_file, "no es una base de datos SQLite"), (other, "no es del tablero"),
                          (tmp_path / "falta.db", "No se puede leer")]:  # fmt: skip
        with pytest.raises(backup.BackupRefused, match=message):
            backup.restore(engine, path, user="prueba")
    assert before == dump(engine)


def test_postgresql_is_refused_with_the_pg_dump_commands(engine: Engine) -> None:
    if engine.dialect.name == "sqlite":
        assert backup.backup_bytes(engine).startswith(backup.SQLITE_HEADER)
        return
    with pytest.raises(backup.BackupRefused, match="pg_dump --format=custom"):
        backup.backup_bytes(engine)


def test_cli_user_add_reads_the_password_from_stdin_and_lists_it(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("clave-de-la-jefa\n"))
    assert main(["user", "add", "Jefa", "--role", "admin"]) == 0
    assert main(["user", "list"]) == 0
    output = capsys.readouterr().out
    assert "Usuario «jefa» creado con el rol admin." in output
    assert "jefa" in output and "activo" in output
    with db.transaction(engine) as session:
        assert accounts.verify_login(session=session, username="jefa", password="clave-de-la-jefa") is not None


def test_cli_refuses_a_short_password_and_the_last_admin_disable(
    engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.setattr("sys.stdin", io.StringIO("corta\n"))
    assert main(["user", "add", "jefa", "--role", "admin"]) == 1
    monkeypatch.setattr("sys.stdin", io.StringIO("clave-de-la-jefa\n"))
    main(["user", "add", "jefa", "--role", "admin"])
    assert main(["user", "disable", "jefa"]) == 1
    errors = capsys.readouterr().err
    assert "al menos 10 caracteres" in errors and "única cuenta de administración" in errors


def test_cli_backup_and_restore_with_yes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    engine = demo_engine(tmp_path)
    monkeypatch.setenv("DATABASE_URL", str(engine.url))
    copy = tmp_path / "copia.db"
    assert main(["backup", str(copy)]) == 0
    change_data(engine)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["restore", str(copy)]) == 1  # no terminal and no --yes: nothing happens
    assert main(["restore", str(copy), "--yes"]) == 0
    output = capsys.readouterr().out
    assert "Copia de seguridad escrita en" in output and "Base de datos restaurada" in output
    with Session(engine) as session:
        assert accounts.list_users(session=session) == []
