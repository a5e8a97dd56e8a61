"""Schema upgrades never lose data: a database at the first revision, a row in every table, upgraded to head."""

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Engine, Float, Integer, MetaData, Table

from core import db

FIRST_REVISION = "0001"


def value_for(table: Table, column: Any, row: int) -> Any:
    """A plain value that fits the column: its foreign key's row, a number in range, a distinct text."""
    if column.foreign_keys or (column.primary_key and isinstance(column.type, Integer)):
        return row
    if isinstance(column.type, Boolean):
        return row % 2 == 0
    if isinstance(column.type, Integer):
        return row  # scores 1–5 and counts alike
    if isinstance(column.type, Float):
        return 0.5 * row  # percentages 0–100, shares, weights
    if isinstance(column.type, DateTime):
        return datetime(2026, 3, row, 10, 30, tzinfo=UTC)
    if isinstance(column.type, Date):
        return date(2026, 2, row)
    length = getattr(column.type, "length", None) or 40
    return f"{row}-{table.name[:6]}-{column.name[:10]}"[:length]


def fill_every_table(engine: Engine, rows: int = 2) -> dict[str, list[dict[str, Any]]]:
    metadata = MetaData()
    metadata.reflect(engine)
    written: dict[str, list[dict[str, Any]]] = {}
    with engine.begin() as connection:
        for table in metadata.sorted_tables:
            if table.name == "alembic_version":
                continue
            written[table.name] = [
                {column.name: value_for(table, column, row) for column in table.columns} for row in range(1, rows + 1)
            ]
            connection.execute(table.insert(), written[table.name])
    return written


def read_back(engine: Engine, names: list[str]) -> dict[str, list[dict[str, Any]]]:
    metadata = MetaData()
    metadata.reflect(engine, only=names)
    with engine.connect() as connection:
        return {
            name: [dict(row._mapping) for row in connection.execute(metadata.tables[name].select())] for name in names
        }


def comparable(rows: list[dict[str, Any]], columns: set[str]) -> list[dict[str, Any]]:
    """Only the columns the old schema had; moments in UTC whether the backend keeps the offset or not."""

    def plain(value: Any) -> Any:
        if isinstance(value, datetime):
            return value.astimezone(UTC) if value.tzinfo else value.replace(tzinfo=UTC)
        return value

    return sorted(({k: plain(v) for k, v in row.items() if k in columns} for row in rows), key=repr)


def test_every_row_survives_the_upgrade_to_head(database_url: str) -> None:
    engine = db.make_engine(database_url)
    db.upgrade(engine, FIRST_REVISION)
    assert db.current_revision(engine) == FIRST_REVISION
    before = read_back(engine, list(fill_every_table(engine)))
    assert all(len(rows) == 2 for rows in before.values())
    assert len(before) >= 18  # every table of the first revision holds data
    db.upgrade(engine)
    assert db.head_revision() == db.current_revision(engine)
    after = read_back(engine, list(before))
    for name, rows in before.items():
        columns = set(rows[0])
        assert comparable(rows, columns) == comparable(after[name], columns), name
    engine.dispose()
