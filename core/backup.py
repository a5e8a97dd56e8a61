"""Backups of the SQLite plan database with SQLite's online backup API, and restoring one safely.

The backup API copies a consistent snapshot while the app keeps running (WAL included), so neither backup nor
restore copies files by hand. PostgreSQL deployments use ``pg_dump``/``pg_restore`` instead (see
``postgres_commands``): this module refuses them with the commands to run.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from contextlib import closing
from datetime import datetime
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from core import audit, db
from core.models import utcnow
from core.refusals import Refused

SQLITE_HEADER = b"SQLite format 3\x00"
REQUIRED_TABLES = {"alembic_version", "commitment", "progress_report", "audit_entry", "setting"}


class BackupRefused(Refused):
    """A backup or restore that cannot be done; the message is for the user, in Spanish."""


def postgres_commands(engine: Engine) -> str:
    url = db.safe_url(engine.url).replace("postgresql+psycopg", "postgresql")
    return (
        "La base de datos es PostgreSQL: haga la copia con pg_dump y restáurela con pg_restore, por ejemplo\n"
        f'  pg_dump --format=custom --file=tablero.dump "{url}"\n'
        f'  pg_restore --clean --if-exists --no-owner --dbname="{url}" tablero.dump\n'
        "(con la clave real en lugar de ***, o en PGPASSWORD / ~/.pgpass)."
    )


def _sqlite_path(engine: Engine) -> Path:
    if engine.dialect.name != "sqlite":
        raise BackupRefused(postgres_commands(engine))
    database = engine.url.database
    if not database or database == ":memory:":
        raise BackupRefused("Una base de datos en memoria no tiene copia de seguridad.")
    return Path(database)


def default_backup_name(now: datetime | None = None) -> str:
    return f"plan-{(now or datetime.now()).strftime('%Y%m%d-%H%M%S')}.db"


def backup_to(engine: Engine, target: Path) -> Path:
    """Write a consistent copy of the live database to ``target`` (refuses to overwrite a file)."""
    source = _sqlite_path(engine)
    target = Path(target)
    if target.exists():
        raise BackupRefused(f"Ya existe el archivo {target}; elija otro nombre.")
    target.parent.mkdir(parents=True, exist_ok=True)
    _copy(source, target)
    return target


def backup_bytes(engine: Engine) -> bytes:
    """A copy of the live database as bytes, for a download."""
    with tempfile.TemporaryDirectory() as folder:
        return backup_to(engine, Path(folder) / "copia.db").read_bytes()


def _copy(source: Path, target: Path) -> None:
    with closing(sqlite3.connect(source)) as src, closing(sqlite3.connect(target)) as dst:
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it


def backup_revision(path: Path) -> str:
    """Check that ``path`` is a SQLite database of this app and return its Alembic revision."""
    path = Path(path)
    try:
        with path.open("rb") as file:
            header = file.read(len(SQLITE_HEADER))
    except OSError as exc:
        raise BackupRefused(f"No se puede leer el archivo {path}.") from exc
    if header != SQLITE_HEADER:
        raise BackupRefused(f"{path} no es una base de datos SQLite.")
    try:
        connection = sqlite3.connect(path)
        try:
            if connection.execute("PRAGMA quick_check").fetchone() != ("ok",):
                raise BackupRefused(f"La base de datos {path} está dañada.")
            tables = {name for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
            if not tables >= REQUIRED_TABLES:
                raise BackupRefused(f"{path} es una base SQLite, pero no es del tablero del plan.")
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise BackupRefused(f"{path} no es una base de datos SQLite que se pueda leer.") from exc
    known = {script.revision for script in ScriptDirectory.from_config(db.alembic_config()).walk_revisions()}
    if row is None or row[0] not in known:
        raise BackupRefused(f"{path} viene de una versión del tablero que esta instalación no conoce.")
    return str(row[0])


def restore(engine: Engine, source: Path, *, user: str, keep_folder: Path | None = None) -> Path:
    """Replace the live database with the backup ``source``; returns where the replaced database was kept.

    The backup is validated first; the live database is copied aside before it is overwritten; the schema is then
    upgraded if the backup is older, and the data version moves past both so no page shows cached figures.
    """
    live = _sqlite_path(engine)
    with tempfile.TemporaryDirectory() as folder:
        staged = Path(folder) / "restaurar.db"  # validated and read as a copy: the user's file stays untouched
        try:
            shutil.copyfile(source, staged)
        except OSError as exc:
            raise BackupRefused(f"No se puede leer el archivo {source}.") from exc
        backup_revision(staged)
        keep_folder = keep_folder or live.parent
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        kept = backup_to(engine, keep_folder / f"{live.stem}-antes-de-restaurar-{stamp}.db")
        with db.transaction(engine) as session:
            old_version = db.data_version(session=session)
        engine.dispose()  # no pooled connection keeps a snapshot of the old data
        with closing(sqlite3.connect(staged)) as src, closing(sqlite3.connect(live)) as dst:
            src.backup(dst)
    db.upgrade(engine)
    with db.transaction(engine) as session:
        version = max(old_version, db.data_version(session=session)) + 1
        db.set_setting(session=session, key=db.DATA_VERSION_KEY, value=str(version))
        audit.record(
            session=session,
            user=user,
            action="restaurar copia",
            table_name="*",
            after={"archivo": Path(source).name, "copia_de_lo_reemplazado": kept.name, "at": utcnow().isoformat()},
        )
    return kept
