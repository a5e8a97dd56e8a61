"""What is wrong in an uploaded file, located by sheet, Excel row and column: one ``Problem``, one collector.

Every contract reports its problems the same way, so the preview table, the CLI and the error workbook (which
highlights the offending cell by its column number) read one shape. ``Severity`` and ``ChangeKind`` carry their
Spanish labels here, once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import pandas as pd

from core.excel.cells import column_letter
from core.tables import Column, Kind


class Severity(StrEnum):
    ERROR = "error"  # holds the row back
    WARNING = "aviso"  # the row is applied, with a notice

    @property
    def label(self) -> str:
        return SEVERITY_LABELS[self]


SEVERITY_LABELS: Mapping[Severity, str] = {Severity.ERROR: "Error", Severity.WARNING: "Aviso"}


class ChangeKind(StrEnum):
    """What applying one row of a file would do."""

    NEW = "nuevo"
    UPDATED = "actualiza"
    UNCHANGED = "sin cambio"

    @property
    def label(self) -> str:
        return CHANGE_LABELS[self]


CHANGE_LABELS: Mapping[ChangeKind, str] = {
    ChangeKind.NEW: "Nuevo",
    ChangeKind.UPDATED: "Actualiza",
    ChangeKind.UNCHANGED: "Sin cambio",
}

ERROR, WARNING = Severity.ERROR, Severity.WARNING


@dataclass(frozen=True)
class Problem:
    row: int | None  # Excel row; None for the file (or the sheet) as a whole
    header: str  # the contract's header of the column; "" when the problem is not about one column
    value: str  # the cell as the person typed it
    message: str
    severity: Severity
    column: int | None = None  # Excel column number (1 = A) in the uploaded sheet; None when not in the file
    sheet: str = ""  # the contract's sheet, for a contract of several sheets (the plan workbook); "" otherwise

    @property
    def where(self) -> str:
        """The location as the person reads it: "Líneas · Código (A)", "Fecha de corte (B)"."""
        place = " · ".join(part for part in (self.sheet, self.header) if part)
        return f"{place} ({column_letter(self.column)})" if self.column else place


PROBLEM_HEADERS = ("Fila", "Columna", "Valor", "Problema", "Gravedad")
PROBLEM_COLUMNS = [Column("Fila", "Fila", Kind.INTEGER), *(Column(header, header) for header in PROBLEM_HEADERS[1:])]


def problem_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """The validation report as the pages and downloads show it: one row per problem, Spanish headers."""
    rows = [(p.row, p.where, p.value, p.message, Severity(p.severity).label) for p in problems]
    return pd.DataFrame(rows, columns=list(PROBLEM_HEADERS)).astype({"Fila": "Int64"})


@dataclass(frozen=True)
class Place:
    """Where a contract's column sits in the uploaded sheet."""

    header: str
    column: int | None = None  # Excel column number; None when the file lacks the column


class Problems:
    """The one collector: problems added one by one or a whole column at once (a frame per call, so a 50.000-row
    sheet is not 50.000 appends), returned sorted by sheet order, row, errors first."""

    def __init__(self, places: Mapping[str, Place] | None = None, *, sheet: str = "") -> None:
        self.places: dict[str, Place] = dict(places or {})
        self.sheet = sheet
        self._parts: list[pd.DataFrame] = []
        self._single: list[Problem] = []

    def place(self, name: str) -> Place:
        return self.places.get(name) or Place(name)

    def add(self, row: int | None, name: str, value: str, message: str, severity: Severity = ERROR) -> None:
        """One problem in field ``name``'s column (``name`` "" for the sheet as a whole)."""
        place = self.place(name) if name else Place("")
        self._single.append(Problem(row, place.header, value, message, severity, place.column, self.sheet))

    def add_column(
        self,
        rows: Sequence[int] | pd.Series,
        name: str,
        values: Sequence[str] | pd.Series | str,
        messages: Sequence[str] | pd.Series | str,
        severity: Severity = ERROR,
    ) -> None:
        """One problem per row of ``rows``, all in field ``name``'s column."""
        if len(rows) == 0:
            return
        place = self.place(name)
        self._parts.append(
            pd.DataFrame(
                {
                    "row": _array(rows),
                    "header": place.header,
                    "value": _array(values),
                    "message": _array(messages),
                    "severity": severity,
                    "column": place.column,
                    "sheet": self.sheet,
                }
            )
        )

    def extend(self, problems: Iterable[Problem]) -> None:
        self._single += problems

    def merge(self, other: Problems) -> None:
        self._parts += other._parts
        self._single += other._single

    def discard(self, row: int, names: Sequence[str]) -> None:
        """Drop the problems of ``row`` in the columns of fields ``names`` (a row the coordinator has since settled)."""
        headers = {self.place(name).header for name in names}
        self._parts = [part.loc[~((part.row == row) & part.header.isin(headers))] for part in self._parts]
        self._single = [p for p in self._single if not (p.row == row and p.header in headers)]

    def error_rows(self) -> set[int]:
        rows = {p.row for p in self._single if p.severity == ERROR and p.row is not None}
        for part in self._parts:
            rows.update(int(r) for r in part.loc[part.severity == ERROR, "row"])
        return rows

    def sorted(self, sheet_order: Sequence[str] = ()) -> list[Problem]:
        found = list(self._single)
        for part in self._parts:
            columns = part.column.astype(object).where(part.column.notna(), None)
            found += [
                Problem(int(row), str(header), str(value), str(message), Severity(str(severity)),
                        None if column is None else int(column), str(sheet))
                for row, header, value, message, severity, column, sheet in zip(
                    part.row, part.header, part.value, part.message, part.severity, columns, part.sheet, strict=True
                )
            ]  # fmt: skip
        order = {name: index for index, name in enumerate(sheet_order)}
        return sorted(found, key=lambda p: (order.get(p.sheet, len(order)), p.row or 0, p.severity != ERROR))


def _array(values: Iterable[Any] | str) -> Any:
    if isinstance(values, str):
        return values
    return values.to_numpy() if isinstance(values, pd.Series) else list(values)


class Checked:
    """What every upload preview answers the same way from its ``problems``."""

    problems: list[Problem]

    @property
    def held_rows(self) -> set[int]:
        """Excel rows held back by an error."""
        return {p.row for p in self.problems if p.severity == ERROR and p.row is not None}

    @property
    def has_errors(self) -> bool:
        return any(p.severity == ERROR for p in self.problems)

    def problem_table(self) -> pd.DataFrame:
        return problem_table(self.problems)


class CheckedRows(Checked):
    """A preview of a one-sheet contract: ``changes`` holds one row per file row that would be written, its
    ``kind`` a ``ChangeKind``."""

    changes: pd.DataFrame

    def count(self, kind: ChangeKind) -> int:
        return int((self.changes.kind == kind).sum()) if len(self.changes) else 0

    @property
    def has_changes(self) -> bool:
        return self.count(ChangeKind.NEW) + self.count(ChangeKind.UPDATED) > 0
