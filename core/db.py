"""Engine, schema upgrades and the small key/value state every page reads (data version, demo flag)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pandas as pd
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from filelock import FileLock
from sqlalchemy import Column, Connection, Engine, Integer, Select, String, Table, cast, event, select, text, update
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, NoSuchModuleError
from sqlalchemy.pool import StaticPool
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlmodel import Session, SQLModel, col, create_engine

from core.models import Setting

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"
DEFAULT_DATABASE_URL = "sqlite:///data/plan.db"
# How long a write waits for another one to finish before giving up with "intente de nuevo"
# (SQLite's busy timeout; PostgreSQL's lock_timeout, set in each write transaction).
BUSY_TIMEOUT_MS = 30_000

DATA_VERSION_KEY = "data_version"
DATASET_KEY = "dataset"  # "demo" while the demonstration data is loaded


class DatabaseUnavailable(Exception):
    """The database URL is wrong or the server cannot be reached; the message is for the user, in Spanish."""


class DatabaseBusy(Exception):
    """Another write held the database past the busy timeout; this one was rolled back, nothing was written."""

    def __init__(self) -> None:
        super().__init__(
            "La base de datos está ocupada guardando otro cambio y esta vez no alcanzó a esperar. "
            "No se guardó nada: intente de nuevo en unos segundos."
        )


def _is_busy(error: DBAPIError) -> bool:
    """SQLite's "database is locked" after the busy timeout; PostgreSQL's lock timeouts and deadlocks."""
    sqlstate = getattr(error.orig, "sqlstate", None)  # psycopg: 55P03 lock_not_available, 40P01 deadlock
    return "database is locked" in str(error.orig) or sqlstate in {"55P03", "40P01", "40001"}


def database_url() -> str:
    return os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL


def resolve_url(raw_url: str) -> URL:
    """Parse a database URL, resolving relative SQLite paths against the project root.

    ``postgresql://`` URLs get the psycopg (v3) driver, the one we install.
    """
    try:
        url = make_url(raw_url)
        url.port  # noqa: B018  (a non-numeric port only fails when read)
    except (ArgumentError, ValueError) as exc:
        # The raw text is not echoed: it may hold a password.
        raise DatabaseUnavailable(
            "DATABASE_URL no es una dirección de base de datos válida. Ejemplos: sqlite:///data/plan.db o "
            "postgresql://usuario:clave@servidor:5432/base"
        ) from exc
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:" and not url.database.startswith("file:"):
            path = Path(url.database)
            if not path.is_absolute():
                path = PROJECT_ROOT / path
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise DatabaseUnavailable(f"No se puede crear la carpeta de la base de datos {path.parent}.") from exc
            url = url.set(database=str(path))
        return url
    if url.get_backend_name() == "postgresql":
        return url.set(drivername="postgresql+psycopg")
    raise DatabaseUnavailable(
        f"Motor de base de datos no soportado: {url.get_backend_name()!r}. Use sqlite:/// o postgresql://."
    )


def safe_url(url: URL) -> str:
    """The URL with its password hidden, fit to print."""
    return url.render_as_string(hide_password=True)


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    # The sqlite3 module opens transactions only before DML, so a failed migration would keep its CREATE/ALTER.
    # Hand transaction control to SQLAlchemy, which then emits BEGIN itself (see _begin_sqlite).
    dbapi_connection.isolation_level = None


def _begin_sqlite(connection: Any) -> None:
    # Write transactions (``transaction``) take the write lock at BEGIN IMMEDIATE and so wait for each other within
    # the busy timeout; a plain BEGIN that reads and then writes fails at once with "database is locked"
    # (SQLITE_BUSY_SNAPSHOT) when another writer committed in between, whatever the timeout.
    mode = connection.get_execution_options().get("sqlite_begin", "")
    connection.exec_driver_sql(f"BEGIN {mode}".rstrip())


def make_engine(raw_url: str | None = None) -> Engine:
    """Build the engine for ``raw_url`` (default: ``DATABASE_URL``) and check that it answers."""
    url = resolve_url(raw_url or database_url())
    try:
        if url.get_backend_name() == "sqlite":
            in_memory = url.database in (None, "", ":memory:")
            engine = create_engine(
                url,
                connect_args={"timeout": BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                poolclass=StaticPool if in_memory else None,  # one shared connection keeps a memory database alive
            )
            event.listen(engine, "connect", _configure_sqlite)
            event.listen(engine, "begin", _begin_sqlite)
        else:
            engine = create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 5})
        with engine.connect():
            pass
    except NoSuchModuleError as exc:
        raise DatabaseUnavailable(f"No hay controlador instalado para {safe_url(url)}.") from exc
    except DBAPIError as exc:  # server down, wrong password, a file that is not a database…
        raise DatabaseUnavailable(
            f"No se pudo conectar a la base de datos {safe_url(url)}. "
            "Revise que el servidor esté encendido, que la dirección, el usuario y la clave sean correctos "
            "y, si es un archivo, que sea una base de datos SQLite."
        ) from exc
    return engine


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


STARTUP_LOCK_ID = 1_212_0001  # PostgreSQL advisory lock key: Comuna 12, start-up


@contextmanager
def startup_lock(engine: Engine) -> Iterator[None]:
    """Serialize schema upgrades and first-time set-up between processes (the app, the CLI, a second server).

    SQLite: a lock file ``<database>.lock`` (works on Windows laptops too); PostgreSQL: a session advisory lock.
    """
    if engine.dialect.name == "sqlite":
        database = engine.url.database
        if not database or database == ":memory:":
            yield
            return
        with FileLock(f"{database}.lock"):
            yield
        return
    with engine.connect() as connection:
        connection.execute(text("SELECT pg_advisory_lock(:key)"), {"key": STARTUP_LOCK_ID})
        connection.commit()
        try:
            yield
        finally:
            connection.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": STARTUP_LOCK_ID})
            connection.commit()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply the Alembic revisions up to ``revision``, in one transaction, one process at a time."""
    config = alembic_config()
    with startup_lock(engine), engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@contextmanager
def transaction(engine: Engine) -> Iterator[Session]:
    """One unit of work: commits on success, rolls back everything on any error.

    On SQLite it holds the write lock from its start (see ``_begin_sqlite``), so concurrent writers queue up.
    Waiting longer than ``BUSY_TIMEOUT_MS`` for another writer raises ``DatabaseBusy`` (after the rollback), which
    pages show as a plain "intente de nuevo" instead of a driver error.
    """
    with Session(engine.execution_options(sqlite_begin="IMMEDIATE")) as session:
        try:
            if engine.dialect.name == "postgresql":  # otherwise PostgreSQL waits for a lock forever
                session.connection().exec_driver_sql(f"SET LOCAL lock_timeout = {int(BUSY_TIMEOUT_MS)}")
            yield session
            session.commit()
        except BaseException as exc:
            session.rollback()
            if isinstance(exc, DBAPIError) and _is_busy(exc):
                raise DatabaseBusy() from exc
            raise


def get_setting(*, session: Session, key: str) -> str | None:
    setting = session.get(Setting, key)
    return setting.value if setting else None


def set_setting(*, session: Session, key: str, value: str) -> None:
    setting = session.get(Setting, key) or Setting(key=key)
    setting.value = value
    session.add(setting)


def data_version(*, session: Session) -> int:
    """A number that every write bumps; pages key their caches on it."""
    session.flush()
    value = (
        session.connection().execute(select(col(Setting.value)).where(col(Setting.key) == DATA_VERSION_KEY)).scalar()
    )
    return int(value) if value else 0


def bump_data_version(*, session: Session) -> int:
    """Add one in a single UPDATE, so two writers committing at once never both write the same number."""
    session.flush()
    value = col(Setting.value)
    bumped = session.connection().execute(
        update(Setting).where(col(Setting.key) == DATA_VERSION_KEY).values(value=cast(cast(value, Integer) + 1, String))
    )
    if bumped.rowcount == 0:
        set_setting(session=session, key=DATA_VERSION_KEY, value="1")
    for setting in [o for o in session.identity_map.values() if isinstance(o, Setting)]:
        session.expire(setting)  # the ORM copy of the version, if loaded, is stale now
    return data_version(session=session)


def is_demo(*, session: Session) -> bool:
    return get_setting(session=session, key=DATASET_KEY) == "demo"


def insert_many(connection: Connection, table: Table, columns: Mapping[str, Sequence[Any]]) -> None:
    """Insert many rows, given column by column ({column: values}), through the driver's own executemany.

    For tens of thousands of rows SQLAlchemy's per-row parameter processing costs more than the insert itself.
    Values must be plain (int, float, str, None, date, datetime); on SQLite dates are written the way SQLAlchemy
    writes them (ISO text, datetimes as naive UTC), so reads through the models see the same values. Columns come
    column by column because that is how uploads hold them, and only date columns need converting.
    """
    names = list(columns)
    values = [columns[name] for name in names]
    if not values or not values[0]:
        return
    quote = connection.dialect.identifier_preparer.quote
    placeholder = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in names)}) "
        f"VALUES ({', '.join([placeholder] * len(names))})"
    )
    if connection.dialect.name == "sqlite":
        for index, column in enumerate(values):
            sample = next((value for value in column if value is not None), None)
            if isinstance(sample, date):
                text = {value: _sqlite_value(value) for value in set(column)}  # dates repeat: convert each once
                values[index] = [text[value] for value in column]
    connection.exec_driver_sql(sql, list(zip(*values, strict=True)))


def _sqlite_value(value: Any) -> Any:
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC).replace(tzinfo=None)
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    return value


def read_raw(session: Session, statement: Select[Any]) -> pd.DataFrame:
    """Rows straight from the driver's cursor, for the big reads (a snapshot, an upload's catalog): SQLAlchemy's
    per-cell conversion was most of their time. Dates arrive as the driver gives them (ISO text on SQLite, dates on
    PostgreSQL) and are parsed a whole column at a time; flags as 0/1 or booleans (read them with ``astype``)."""
    result = session.connection().execute(statement)
    try:
        return pd.DataFrame(result.cursor.fetchall(), columns=list(result.keys()))
    finally:
        result.close()


def table_columns(model: type[SQLModel]) -> ReadOnlyColumnCollection[str, Column[Any]]:
    """The model's table columns, typed for SQLAlchemy Core queries."""
    table: Table = model.__table__  # type: ignore[attr-defined]
    return table.c
