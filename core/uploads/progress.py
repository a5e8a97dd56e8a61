"""Progress sheets (plantillas de avance): read, validate every row at once, preview, apply atomically, undo.

The flow the page and the CLI share:
``validate_progress`` reads the file and returns an ``ImportPreview`` (every problem by Excel row and column, the
suggested matches for rows it could not place, and what would change); nothing is written. ``apply_progress``
writes the valid rows in the caller's transaction as one ``ImportBatch`` (``core.uploads.batches``);
``core.uploads.history.undo_batch`` restores exactly what the batch changed. A report is keyed by (commitment,
fecha de corte): uploading it again updates it, never duplicates.

Undo needs no copy of inserted rows: they carry the batch id. Each overwritten report leaves an audit entry with its
previous values, tied to the batch, and undo replays those backwards.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import cached_property
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Table, bindparam, case, delete, func, insert, select, update
from sqlmodel import Session

from core import audit, db, formatting
from core.db import table_columns
from core.excel import cells, parsing
from core.excel.cells import column_letter, normalized
from core.excel.headers import (
    ColumnsUnmatched,
    LocatedTable,
    find_table,
    likely_table,
    mapped_fields,
    places,
    unmatched,
)
from core.excel.problems import ERROR, WARNING, ChangeKind, CheckedRows, Problem, Problems, Severity
from core.excel.reading import DEFAULT_LIMITS, FileRejected, Limits, collector_paused, read_workbook
from core.excel.spec import CellKind, Column, header_key
from core.models import (
    Actor,
    AuditEntry,
    Barrio,
    Commitment,
    CommitmentActor,
    CommitmentBarrio,
    ImportBatch,
    ProgressReport,
    Project,
    ProjectBarrio,
    utcnow,
)
from core.rounds import members
from core.uploads import batches
from core.uploads.batches import BatchKind, BatchStatus, UndoRefused, UndoResult, applied_before
from core.uploads.mappings import with_remembered

KIND = BatchKind.PROGRESS
EPOCH = date(1970, 1, 1)
NEW, UPDATED, UNCHANGED = ChangeKind.NEW, ChangeKind.UPDATED, ChangeKind.UNCHANGED
REPORT_FIELDS = ("physical_pct", "achieved_value", "budget_executed_cop", "note")
MAX_SUGGESTED_ROWS = 200  # rows that get suggestions; beyond that the file needs fixing, not confirming
REPORT_TABLE = cast(Table, ProgressReport.__table__)  # type: ignore[attr-defined]

# The progress sheet, in template order: header, the synonyms people use, kind, width, who fills it.
COLUMNS: tuple[Column, ...] = (
    Column("code", "Código compromiso", CellKind.CODE, width=16, filled_in=False,
           synonyms=("código", "id compromiso", "compromiso código", "código de compromiso")),
    Column("project", "Proyecto", width=40, filled_in=False,
           synonyms=("nombre del proyecto", "perfil de proyecto", "iniciativa")),
    Column("actor", "Actor", width=30, filled_in=False,
           synonyms=("responsable", "entidad", "organización", "actor responsable")),
    Column("barrio", "Barrio", width=22, filled_in=False, synonyms=("barrio o vereda",)),
    # Columns that orient the person filling the template; read back, they are ignored silently.
    Column("description", "Compromiso", width=40, filled_in=False, read_back=False,
           synonyms=("descripción del compromiso",)),
    Column("unit", "Unidad", width=14, filled_in=False, read_back=False),
    Column("target", "Meta", CellKind.DECIMAL, width=10, filled_in=False, read_back=False),
    Column("last_progress", "Último avance (%)", CellKind.PERCENT, width=12, filled_in=False, read_back=False),
    Column("last_report", "Fecha último reporte", CellKind.DATE, width=14, filled_in=False, read_back=False),
    Column("cut_off_date", "Fecha de corte", CellKind.DATE, required=True, width=14,
           synonyms=("fecha", "corte", "fecha del reporte")),
    Column("physical_pct", "Avance físico (%)", CellKind.PERCENT, width=14,
           synonyms=("avance", "porcentaje de avance")),
    Column("achieved_value", "Valor logrado", CellKind.DECIMAL, minimum=0, width=14,
           synonyms=("logrado", "cantidad lograda", "valor alcanzado", "meta lograda")),
    Column("budget_executed_cop", "Presupuesto ejecutado", CellKind.MONEY, width=18,
           synonyms=("ejecutado", "valor ejecutado", "ejecución presupuestal")),
    Column("note", "Observaciones", width=40, synonyms=("observación", "comentarios", "notas", "nota")),
)  # fmt: skip
READ_FIELDS = tuple(column.field for column in COLUMNS if column.read_back)
FIELD_LABELS = {column.field: column.header for column in COLUMNS}


@dataclass
class ImportPreview(CheckedRows):
    file_name: str
    sha256: str
    rows_total: int
    problems: list[Problem]
    notices: list[str]
    suggestions: dict[int, list[tuple[str, str]]]  # Excel row -> [(commitment code, label)]
    changes: pd.DataFrame  # one row per valid file row; see CHANGE_COLUMNS
    header: list[str] = field(default_factory=list)
    raw_rows: list[tuple[int, list[object]]] = field(default_factory=list)
    columns: dict[str, int] = field(default_factory=dict)
    first_col: int = 1
    already_applied: tuple[int, str] | None = None  # (batch id, dd/mm/aaaa) of an applied batch of this same file
    data_version: int = 0  # the plan this preview was computed against; any later write makes it stale


CHANGE_COLUMNS = (
    "row",
    "kind",
    "commitment_id",
    "commitment_code",
    "description",
    "cut_off_date",
    "physical_pct",
    "achieved_value",
    "budget_executed_cop",
    "note",
    "report_id",
    "previous_progress",
    "new_progress",
)


# ---------------------------------------------------------------------------------------------- the plan as known


class _Catalog:
    """The plan as the upload needs it. Names and barrios are read only if a row has no code or needs suggestions."""

    def __init__(self, session: Session) -> None:
        c, p = table_columns(Commitment), table_columns(Project)
        self.connection = session.connection()
        # Straight from the driver (``db.read_raw``): dates as ISO text on SQLite, read column-wide below.
        self.commitments = db.read_raw(
            session,
            select(
                c.id,
                c.code,
                c.description,
                c.target,
                c.cancelled,
                c.project_id,
                p.name.label("project"),
                p.start_date,
                func.coalesce(c.archived_on, p.archived_on).label("archived_on"),
            ).join_from(c.id.table, p.id.table, p.id == c.project_id),
        ).set_index("id")
        # The project's start as a day number (days since 1970), compared with the rows' cut-off days.
        starts = pd.to_datetime(self.commitments.start_date).to_numpy().astype("datetime64[D]").astype("float64")
        self.commitments["start_day"] = np.where(self.commitments.start_date.isna(), np.nan, starts)
        codes, ids = self.commitments.code.tolist(), self.commitments.index.tolist()
        self.by_code = dict(zip(map(normalized, codes), ids, strict=True))
        self._session = session

    def reports_between(self, first: int, last: int) -> pd.DataFrame:
        """The stored reports dated from day ``first`` to day ``last`` (days since 1970): the ones a row of the file
        may replace. Their ``day`` is the key ``_compare`` matches the file's rows on."""
        r = table_columns(ProgressReport)
        reports = db.read_raw(
            self._session,
            select(r.id, r.commitment_id, r.cut_off_date, *(r[name] for name in REPORT_FIELDS)).where(
                r.cut_off_date.between(EPOCH + timedelta(days=first), EPOCH + timedelta(days=last))
            ),
        )
        days = pd.to_datetime(reports.pop("cut_off_date")).to_numpy().astype("datetime64[D]")
        reports["day"] = days.astype("int64")
        return reports

    def best_before(self, first: int) -> pd.DataFrame:
        """commitment_id, progress: the highest progress each commitment reached before day ``first``.

        The history is read summed up (the highest % and the highest value reported without a %), not report by
        report: a report's progress is its % or else its value over the target, and the share of a fixed target
        grows with the value, so the highest of either side is the highest progress (``_report_progress``)."""
        r = table_columns(ProgressReport)
        best = db.read_raw(
            self._session,
            select(
                r.commitment_id,
                func.max(r.physical_pct).label("physical_pct"),
                func.max(case((r.physical_pct.is_(None), r.achieved_value))).label("achieved_value"),
            )
            .where(r.cut_off_date < EPOCH + timedelta(days=first))
            .group_by(r.commitment_id),
        )
        progress = _report_progress(best.assign(physical_pct=None), self.commitments.target)
        best["progress"] = np.fmax(pd.to_numeric(best.physical_pct, errors="coerce"), progress)
        return best[["commitment_id", "progress"]]

    @cached_property
    def actor_links(self) -> pd.DataFrame:
        """commitment_id, name, short_name, code of every actor of every commitment."""
        a, ca = table_columns(Actor), table_columns(CommitmentActor)
        return pd.read_sql(
            select(ca.commitment_id, a.name, a.short_name, a.code).join_from(
                ca.commitment_id.table, a.id.table, a.id == ca.actor_id
            ),
            self.connection,
        )

    @cached_property
    def barrio_links(self) -> pd.DataFrame:
        """commitment_id, barrio name: the commitment's own barrios, else its project's."""
        b, cb, pb = table_columns(Barrio), table_columns(CommitmentBarrio), table_columns(ProjectBarrio)
        own = pd.read_sql(
            select(cb.commitment_id, b.name).join_from(cb.commitment_id.table, b.id.table, b.id == cb.barrio_id),
            self.connection,
        )
        by_project = pd.read_sql(
            select(pb.project_id, b.name).join_from(pb.project_id.table, b.id.table, b.id == pb.barrio_id),
            self.connection,
        )
        inherited = (
            self.commitments.loc[~self.commitments.index.isin(own.commitment_id), ["project_id"]]
            .rename_axis("commitment_id")
            .reset_index()
            .merge(by_project, on="project_id")[["commitment_id", "name"]]
        )
        return pd.concat([own, inherited], ignore_index=True)

    def label(self, commitment_id: int) -> str:
        row = self.commitments.loc[commitment_id]
        actors = " · ".join(self.actor_links.loc[self.actor_links.commitment_id == commitment_id, "name"])
        return f"{row.code} · {row.project} · {actors} · {row.description}"

    @cached_property
    def name_index(self) -> tuple[dict[tuple[str, str], list[int]], dict[int, set[str]]]:
        """(project, actor) normalized -> commitment ids; commitment id -> normalized barrio names."""
        by_names: dict[tuple[str, str], list[int]] = {}
        project_of = self.commitments.project.map(normalized)
        for row in self.actor_links.itertuples():
            for actor_name in {row.name, row.short_name, row.code}:
                if actor_name:
                    key = (project_of.get(row.commitment_id, ""), normalized(str(actor_name)))
                    by_names.setdefault(key, []).append(_as_int(row.commitment_id))
        barrios_of: dict[int, set[str]] = {}
        for row in self.barrio_links.itertuples():
            barrios_of.setdefault(_as_int(row.commitment_id), set()).add(normalized(str(row.name)))
        return by_names, barrios_of


# ---------------------------------------------------------------------------------------------- validation


def locate_progress_table(
    data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS, *, columns: Mapping[str, str] | None = None
) -> LocatedTable:
    """The progress table of the file; ``columns`` ({contract header: file header}) names the columns the
    coordinator mapped. ``ColumnsUnmatched`` when a required column is still not found."""
    workbook = read_workbook(data, file_name, limits)
    mapped = mapped_fields(COLUMNS, columns)
    table = find_table(
        workbook,
        COLUMNS,
        required_any=("code", "project", "actor"),
        accept=lambda found: "cut_off_date" in found and bool({"physical_pct", "achieved_value"} & set(found)),
        mapped=mapped,
    )
    if table is not None:
        return table
    located = likely_table(workbook, COLUMNS, mapped=mapped)
    found = set(located.columns)
    missing = [FIELD_LABELS["code"]] if not ({"code"} & found or {"project", "actor"} <= found) else []
    missing += [FIELD_LABELS["cut_off_date"]] if "cut_off_date" not in found else []
    if not {"physical_pct", "achieved_value"} & found:
        missing += [FIELD_LABELS["physical_pct"], FIELD_LABELS["achieved_value"]]
    raise unmatched(
        located,
        missing,
        "No se encontró la tabla de avances: faltan las columnas "
        + ", ".join(f"«{m}»" for m in missing)
        + ". Hace falta una fila de encabezados con «Código compromiso» (o «Proyecto» y «Actor»), «Fecha de corte» "
        "y al menos «Avance físico (%)» o «Valor logrado». Indique qué columna de su archivo es cada una, o "
        "descargue la plantilla para ver el formato.",
    )


_TEMPLATE_ONLY_NAMES = {header_key(name) for column in COLUMNS if not column.read_back for name in column.names}


def _suggest_by_code(catalog: _Catalog, code: str) -> list[tuple[str, str]]:
    close = difflib.get_close_matches(normalized(code), list(catalog.by_code), n=3, cutoff=0.6)
    ids = [catalog.by_code[c] for c in close]
    return [(str(catalog.commitments.loc[i].code), catalog.label(i)) for i in ids]


def _suggest_by_names(catalog: _Catalog, project: str, actor: str, candidates: list[int]) -> list[tuple[str, str]]:
    if candidates:
        ids = list(dict.fromkeys(candidates))
    else:
        by_names, _ = catalog.name_index
        wanted = normalized(f"{project} {actor}")
        keys = {f"{p} {a}": found for (p, a), found in by_names.items()}
        close = difflib.get_close_matches(wanted, list(keys), n=3, cutoff=0.5)
        ids = list(dict.fromkeys(i for key in close for i in keys[key]))
    return [(str(catalog.commitments.loc[i].code), catalog.label(i)) for i in ids[:5]]


def _raw_frame(rows: list[tuple[int, list[object]]], columns: Mapping[str, int]) -> pd.DataFrame:
    """The Excel row number and one ``raw_<field>`` column per field, the rows turned into columns in one pass."""
    numbers, values = zip(*rows, strict=True) if rows else ((), ())
    # As many as the narrowest row has (calamine's rows are all as wide as the sheet); wider positions one by one.
    by_position = list(zip(*values, strict=False))
    raw: dict[str, Any] = {}
    for name in READ_FIELDS:
        position = columns.get(name)
        if position is None:
            cells_of: Any = [None] * len(rows)
        elif position < len(by_position):
            cells_of = by_position[position]
        else:
            cells_of = [row[position] if position < len(row) else None for row in values]
        raw[f"raw_{name}"] = cells_of
    frame = pd.DataFrame(raw, dtype=object)  # as they came: no type guessed for a column (texts stay texts)
    frame.insert(0, "row", np.array(numbers, dtype=np.int64))
    return frame


def _parsed_column(raw: pd.Series, reader: Callable[[object], Any]) -> tuple[pd.Series, pd.Series]:
    """``reader`` over the column (``core.excel.parsing.read_column``): (values, error messages)."""
    values, reasons = parsing.read_column(raw.tolist(), reader)
    return pd.Series(values, index=raw.index, dtype=object), pd.Series(reasons, index=raw.index, dtype=object)


NUMBER_TYPES = (int, float, np.int64, np.float64)


def _numbers_mask(raw: pd.Series) -> pd.Series:
    """Cells that already hold numbers (True/False are not numbers)."""
    return pd.Series([type(value) in NUMBER_TYPES for value in raw.tolist()], index=raw.index, dtype=bool)


class _Problems(Problems):
    """The collector, fed a frame's column at a time (vectorized)."""

    def flag(
        self,
        frame: pd.DataFrame,
        mask: pd.Series,
        name: str,
        message: str | pd.Series | Callable[[Any], str],
        severity: Severity = ERROR,
        raw: str | None = None,
        source: pd.Series | None = None,
    ) -> None:
        """One problem per row in ``mask``; a callable ``message`` gets that row's ``source`` value."""
        if not mask.any():
            return
        rows = frame.loc[mask]
        raw_column = f"raw_{raw or name}"
        if callable(message):
            assert source is not None
            text: str | pd.Series = source.loc[mask].map(message)
        elif isinstance(message, pd.Series):
            text = message.loc[mask]
        else:
            text = message
        values = rows[raw_column].map(_shown) if raw_column in rows else ""
        self.add_column(rows.row, name, values, text, severity)


@collector_paused()
def validate_progress(
    *,
    session: Session,
    data: bytes,
    file_name: str,
    today: date,
    confirmed: Mapping[int, str] | None = None,
    columns: Mapping[str, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[float, str], None] | None = None,
) -> ImportPreview:
    """Every problem of the file at once, and what applying it would change. Writes nothing.

    ``confirmed`` maps Excel rows to commitment codes the coordinator chose among the suggestions; ``columns``
    ({contract header: file header}) the columns the coordinator mapped.
    Raises ``FileRejected`` when the file as a whole cannot be used, ``ColumnsUnmatched`` (with the mapping
    remembered for files of this shape, if any) when a required column is not found. Work is done column by
    column (each distinct value parsed once), so a 50.000-row sheet takes about as long as reading it.
    """
    report = progress or (lambda share, text: None)
    report(0.05, "Leyendo el archivo…")
    try:
        table = locate_progress_table(data, file_name, limits, columns=columns)
    except ColumnsUnmatched as exc:
        with_remembered(exc, session=session, kind=KIND)
        raise
    sheet = table.sheet
    rows = table.data_rows(limits.max_rows)
    if not rows:
        raise FileRejected("La tabla de avances no tiene filas con datos debajo de los encabezados.")
    report(0.35, "Revisando las filas…")
    notices: list[str] = [table.hidden_notice] if table.hidden_notice else []
    extra = [h for h in table.ignored_headers if normalized(h) not in _TEMPLATE_ONLY_NAMES]
    if extra:
        notices.append("Se ignoraron columnas que no son de la plantilla: " + ", ".join(f"«{h}»" for h in extra))
    if sheet.formulas:
        notices.append(
            f"El archivo tiene {formatting.number(sheet.formulas)} {'fórmula' if sheet.formulas == 1 else 'fórmulas'}: "
            "se usaron los valores que Excel guardó al calcularlas."
        )
    if sheet.merged_cells_filled:
        notices.append("Hay celdas combinadas: su valor se tomó para todas las filas que abarcan.")
    frame = _raw_frame(rows, table.columns)
    # Cell by cell, column by column; a reader gives neither a value nor a reason only for a blank cell.
    readers: dict[str, Callable[[object], Any]] = {
        "cut_off_date": cells.day,
        "achieved_value": cells.number,
        "budget_executed_cop": cells.money,
        "note": cells.text,
        "physical_pct": cells.percent,
    }
    # A row with no figure and no note is unfilled, even with its cut-off date: a round's template comes with it.
    unfilled = pd.Series(True, index=frame.index)
    for name, reader in readers.items():
        frame[name], frame[f"error_{name}"] = _parsed_column(frame[f"raw_{name}"], reader)
        if name != "cut_off_date":
            unfilled &= frame[name].isna() & frame[f"error_{name}"].isna()
    if unfilled.any():
        notices.append(f"{int(unfilled.sum())} filas sin llenar (sin avance, valores ni observaciones) se omitieron.")
        frame = frame.loc[~unfilled].reset_index(drop=True)
    if frame.empty:
        raise FileRejected("Ninguna fila tiene datos de avance: llene al menos la fecha de corte y el avance.")
    problems = _Problems(places(table, FIELD_LABELS))
    for name in readers:
        errors = frame.pop(f"error_{name}")
        problems.flag(frame, errors.notna(), name, errors)
        frame[f"bad_{name}"] = errors.notna()
    lengths = frame.note.dropna().map(len).reindex(frame.index, fill_value=0).astype("int64")  # texts or blank
    problems.flag(
        frame,
        lengths > cells.MAX_TEXT,
        "note",
        lambda length: (
            f"la observación tiene {cells.plain_number(length)} caracteres; el máximo es "
            f"{cells.plain_number(cells.MAX_TEXT)}, lo que cabe en una celda de Excel"
        ),
        source=lengths,
    )
    if sheet.percent_cells and "physical_pct" in table.columns:
        column = table.column_number("physical_pct")
        formatted = frame.row.map(lambda r: (r, column) in sheet.percent_cells)
        numeric = _numbers_mask(frame.raw_physical_pct)
        scaled = formatted & numeric & frame.physical_pct.notna()
        frame.loc[scaled, "physical_pct"] = frame.loc[scaled, "physical_pct"].astype(float) * 100
        too_big = scaled & (frame.physical_pct.astype(float) > 100)
        problems.flag(frame, too_big, "physical_pct", "el avance debe estar entre 0 y 100")
        frame.loc[too_big, "bad_physical_pct"] = True
    else:
        formatted = pd.Series(False, index=frame.index)
    pct = pd.to_numeric(frame.physical_pct, errors="coerce")
    value = pd.to_numeric(frame.achieved_value, errors="coerce")
    frame["physical_pct"], frame["achieved_value"] = pct, value
    frame["budget_executed_cop"] = pd.to_numeric(frame.budget_executed_cop, errors="coerce")
    fraction = (pct > 0) & (pct < 1) & ~formatted  # "0,85 %" is clear; a bare 0,85 may mean 85 %
    if fraction.any():
        with_sign = frame.raw_physical_pct[fraction].map(lambda v: type(v) is str and v.rstrip().endswith("%"))
        fraction[with_sign[with_sign].index] = False
    problems.flag(
        frame,
        fraction,
        "physical_pct",
        lambda p: (
            f"se leyó {cells.plain_number(p)} %; si quería decir {cells.plain_number(p * 100)} %, escriba ese número"
        ),
        WARNING,
        source=pct,
    )
    missing_progress = pct.isna() & value.isna() & ~frame.bad_physical_pct & ~frame.bad_achieved_value
    problems.flag(
        frame,
        missing_progress,
        "physical_pct" if "physical_pct" in table.columns else "achieved_value",
        "falta el avance: escriba el avance físico (%) o el valor logrado",
    )
    problems.flag(frame, value < 0, "achieved_value", "el valor logrado no puede ser negativo")
    day = frame.cut_off_date
    problems.flag(frame, day.isna() & ~frame.bad_cut_off_date, "cut_off_date", "falta la fecha de corte")
    # Each row's cut-off as a day number (days since 1970): compared and matched on as numbers from here on.
    day_number = {cut_off: float((cut_off - EPOCH).days) for cut_off in set(day.tolist()) if cut_off is not None}
    frame["day"] = pd.Series(list(map(day_number.get, day.tolist())), index=frame.index, dtype="float64")
    future = frame.day > (today - EPOCH).days
    problems.flag(
        frame, future, "cut_off_date", lambda d: f"la fecha de corte {_shown(d)} está en el futuro", source=day
    )
    if sheet.formulas_without_value:
        for name, position in table.columns.items():
            letter = column_letter(sheet.first_col + position)
            refs = {ref for ref in sheet.formulas_without_value if ref.rstrip("0123456789") == letter}
            in_formula = frame.row.map(lambda r, letter=letter, refs=refs: f"{letter}{r}" in refs).astype(bool)
            problems.flag(
                frame,
                in_formula,
                name,
                "la celda tiene una fórmula sin valor guardado: abra el archivo en Excel, guárdelo y vuelva a cargarlo",
                raw=name if name in READ_FIELDS else None,
            )
    if sheet.hidden_rows:
        hidden = frame.row.isin(sheet.hidden_rows)
        problems.flag(
            frame,
            hidden,
            "code" if "code" in table.columns else "cut_off_date",
            "la fila está oculta en Excel; se tuvo en cuenta igual",
            WARNING,
        )

    # Which commitment?
    report(0.55, "Buscando los compromisos…")
    catalog = _Catalog(session)
    suggestions: dict[int, list[tuple[str, str]]] = {}
    found, code_errors = _parsed_column(frame.raw_code, lambda raw: _code_in(raw, catalog.by_code))
    code_of, invisible_in, id_of = zip(*(f or (None, None, None) for f in found.tolist()), strict=True)
    codes = pd.Series(code_of, index=frame.index, dtype=object)
    invisible = pd.Series(invisible_in, index=frame.index, dtype=object)
    frame["commitment_id"] = pd.Series(id_of, index=frame.index, dtype=float)
    problems.flag(frame, code_errors.notna(), "code", code_errors)  # a look-alike letter: said, not "no existe"
    problems.flag(
        frame,
        invisible.notna() & codes.notna(),
        "code",
        lambda chars: f"el código traía caracteres invisibles ({chars}); se quitaron para buscarlo",
        WARNING,
        source=invisible,
    )
    unknown = codes.notna() & frame.commitment_id.isna()
    problems.flag(frame, unknown, "code", lambda c: f"no existe un compromiso con el código «{c}»", source=codes)
    for row, code in zip(frame.row[unknown][:MAX_SUGGESTED_ROWS], codes[unknown][:MAX_SUGGESTED_ROWS], strict=False):
        suggestions[int(row)] = _suggest_by_code(catalog, str(code))
    by_name = codes.isna() & code_errors.isna()
    if by_name.any():
        _match_by_names(frame, by_name, catalog, problems, suggestions, has_project="project" in table.columns)
    for row, code in (confirmed or {}).items():
        commitment_id = catalog.by_code.get(normalized(code))
        if commitment_id is not None and row in suggestions:  # only rows the coordinator was asked about
            chosen = frame.row == row
            frame.loc[chosen, "commitment_id"] = commitment_id
            problems.discard(row, ("code", "project"))
            suggestions.pop(row, None)
    matched = frame.commitment_id.notna()
    info = catalog.commitments.reindex(frame.commitment_id.where(matched).astype(float))
    info.index = frame.index
    frame["commitment_code"] = info.code
    frame["description"] = info.description
    target = pd.to_numeric(info.target, errors="coerce").where(lambda t: t > 0)
    problems.flag(
        frame,
        matched & info.cancelled.fillna(0).astype(bool),  # 0/1 on SQLite, booleans on PostgreSQL
        "code",
        "el compromiso está cancelado; el reporte se guarda igual",
        WARNING,
    )
    problems.flag(
        frame,
        matched & info.archived_on.notna(),
        "code",
        "el compromiso (o su proyecto) está archivado: el reporte se guarda, pero no aparece en los tableros",
        WARNING,
    )
    before_start = frame.day < info.start_day.to_numpy()  # blank on either side: False
    problems.flag(
        frame,
        before_start,
        "cut_off_date",
        lambda s: f"la fecha de corte es anterior al inicio del proyecto ({_shown(pd.Timestamp(s).date())})",
        source=info.start_date,
    )
    over = value > target
    problems.flag(
        frame,
        over,
        "achieved_value",
        lambda t: f"el valor logrado supera la meta ({cells.plain_number(t)}); el avance se toma como 100 %",
        WARNING,
        source=target,
    )
    problems.flag(
        frame,
        matched & value.notna() & pct.isna() & target.isna(),
        "achieved_value",
        "sin meta: el compromiso no tiene meta (o es 0), así que el valor logrado no da un avance; reporte el "
        "avance en %",
        WARNING,
    )
    frame["new_progress"] = pct.fillna((value / target * 100).clip(upper=100))

    report(0.7, "Comparando con lo que ya está en el plan…")
    held_rows = problems.error_rows()
    kept = ~frame.row.isin(held_rows) & matched & day.notna()
    candidates = frame.loc[kept, [name for name in (*CHANGE_COLUMNS, "day") if name in frame.columns]]
    candidates["commitment_id"] = candidates.commitment_id.astype(int)
    candidates["day"] = candidates.day.astype(int)
    progress_field = "physical_pct" if "physical_pct" in table.columns else "achieved_value"
    changes = _compare(candidates, catalog, problems, progress_field=progress_field)
    notices.extend(_closed_round_notices(session, changes))
    report(0.95, "Listo.")
    sha = hashlib.sha256(data).hexdigest()
    return ImportPreview(
        file_name=file_name,
        sha256=sha,
        rows_total=len(frame),
        problems=problems.sorted(),
        notices=notices,
        suggestions=suggestions,
        changes=changes,
        header=table.header,
        raw_rows=rows,
        columns=table.columns,
        first_col=sheet.first_col,
        already_applied=applied_before(session=session, sha256=sha, kind=KIND),
        data_version=db.data_version(session=session),
    )


def _closed_round_notices(session: Session, changes: pd.DataFrame) -> list[str]:
    """Reports for the cut-off of a closed reporting round load all the same; the review says the round was closed."""
    cut_offs = {pd.Timestamp(day).date() for day in set(changes.cut_off_date.dropna().tolist())}  # each day once
    return [
        f"La ronda de reporte «{closed.name}» (corte al {formatting.day(closed.cut_off_date)}) se cerró el "
        f"{formatting.day(closed.closed_at)}: los reportes de ese corte se cargan igual, pero la ronda ya no los "
        "espera."
        for closed in members.closed_rounds_of(session=session, cut_offs=cut_offs)
    ]


def _code_in(raw: object, by_code: Mapping[str, int]) -> tuple[str, str | None, int | None] | None:
    """A code cell read once: (the code as the plan keys it, the invisible characters it carried, the commitment's
    id if it exists); ``None`` when blank; ``CellError`` for a look-alike letter."""
    code = cells.code(raw)
    if code is None:
        return None
    return code, _invisible_in(raw), by_code.get(normalized(code))


def _invisible_in(raw: object) -> str | None:
    found = cells.invisible_characters(raw) if isinstance(raw, str) else []
    return ", ".join(dict.fromkeys(found)) or None


def _match_by_names(
    frame: pd.DataFrame,
    mask: pd.Series,
    catalog: _Catalog,
    problems: _Problems,
    suggestions: dict[int, list[tuple[str, str]]],
    *,
    has_project: bool,
) -> None:
    """Rows without a code: by project + actor names (+ barrio to break a tie), exact after normalizing."""
    by_names, barrios_of = catalog.name_index
    offered: dict[tuple[str, str, tuple[int, ...]], list[tuple[str, str]]] = {}  # same typo, same suggestions
    for index in frame.index[mask]:
        project = cells.text(frame.at[index, "raw_project"]) or ""
        actor = cells.text(frame.at[index, "raw_actor"]) or ""
        barrio = cells.text(frame.at[index, "raw_barrio"])
        candidates = by_names.get((normalized(project), normalized(actor)), [])
        if barrio and len(candidates) > 1:
            candidates = [c for c in candidates if normalized(barrio) in barrios_of.get(c, set())]
        one_row = frame.index == index
        if len(set(candidates)) == 1:
            frame.loc[index, "commitment_id"] = candidates[0]
        elif not project and not actor:
            problems.flag(
                frame,
                pd.Series(one_row, index=frame.index),
                "code",
                "falta el código del compromiso (o el proyecto y el actor)",
            )
        else:
            reason = "varios compromisos coinciden" if candidates else "ningún compromiso coincide"
            problems.flag(
                frame,
                pd.Series(one_row, index=frame.index),
                "project" if has_project else "code",
                f"{reason} con el proyecto «{project}» y el actor «{actor}»: elija el compromiso",
                raw="project" if has_project else "code",
            )
            if len(suggestions) < MAX_SUGGESTED_ROWS:  # difflib over every name is slow: enough to choose from
                key = (normalized(project), normalized(actor), tuple(candidates))
                if key not in offered:
                    offered[key] = _suggest_by_names(catalog, project, actor, candidates)
                suggestions[_as_int(frame.at[index, "row"])] = offered[key]


def _report_progress(reports: pd.DataFrame, targets: pd.Series) -> pd.Series:
    target = pd.to_numeric(reports.commitment_id.map(targets), errors="coerce").where(lambda t: t > 0)
    value = pd.to_numeric(reports.achieved_value, errors="coerce")
    progress: pd.Series = pd.to_numeric(reports.physical_pct, errors="coerce").fillna(
        (value / target * 100).clip(upper=100)
    )
    return progress


def _compare(candidates: pd.DataFrame, catalog: _Catalog, problems: Problems, *, progress_field: str) -> pd.DataFrame:
    """Each valid row classified as new, update or unchanged; duplicates in the file and progress going backwards
    added to ``problems``."""
    # Keyed by the day as a number (``day``, days since 1970): merging and grouping on integers, not on dates.
    key = ["commitment_id", "day"]
    rows = candidates.assign(note=candidates.note.fillna(""))

    def flag(frame: pd.DataFrame, name: str, values: pd.Series, messages: pd.Series, severity: Severity) -> None:
        problems.add_column(frame.row, name, values, messages, severity)

    repeated = rows.duplicated(key, keep=False)
    if repeated.any():
        signature = pd.util.hash_pandas_object(rows[list(REPORT_FIELDS)], index=False)
        group = rows.loc[repeated].assign(signature=signature[repeated])
        first_row = group.groupby(key).row.transform("min")
        conflict = group.groupby(key).signature.transform("nunique") > 1
        dates = group.cut_off_date.map(_shown)
        clash = group.loc[conflict]
        is_first = clash.row == first_row[conflict]
        flag(
            clash.loc[is_first],
            "cut_off_date",
            dates[conflict][is_first],
            pd.Series("otra fila trae el mismo compromiso y fecha de corte con otros valores", index=clash.index)[
                is_first
            ],
            ERROR,
        )
        flag(
            clash.loc[~is_first],
            "cut_off_date",
            dates[conflict][~is_first],
            first_row[conflict][~is_first].map(
                lambda r: f"la fila {r} trae el mismo compromiso y fecha de corte con otros valores: deje solo una"
            ),
            ERROR,
        )
        copies = group.loc[~conflict & (group.row != first_row)]
        flag(
            copies,
            "cut_off_date",
            dates.loc[copies.index],
            first_row.loc[copies.index].map(lambda r: f"fila repetida (igual a la fila {r}); se usa una sola vez"),
            WARNING,
        )
        rows = rows.drop(index=clash.index.union(copies.index))

    # Only the stored reports on the file's days can be replaced; the ones before count only by their highest
    # progress, which goes in the timeline the day before the file's first.
    first, last = (int(rows.day.min()), int(rows.day.max())) if len(rows) else (0, -1)
    existing = catalog.reports_between(first, last)
    existing["progress"] = _report_progress(existing, catalog.commitments.target)
    earlier = catalog.best_before(first).assign(day=first - 1)
    # From here each (commitment, day) is one number, ordered as the pair is: pandas groups and looks up one
    # integer column many times faster than two.
    mine = _day_key(rows)
    points = pd.concat(
        [
            pd.Series(earlier.progress.to_numpy(), index=_day_key(earlier)),
            pd.Series(existing.progress.to_numpy(), index=_day_key(existing)),
            pd.Series(rows.new_progress.to_numpy(), index=mine),
        ]
    ).dropna()
    timeline = points.groupby(level=0).max()  # sorted by commitment, then day
    best_so_far = timeline.groupby(timeline.index // DAY_KEY_SPAN).cummax()
    before = best_so_far.groupby(timeline.index // DAY_KEY_SPAN).shift(1)
    rows["earlier"] = before.reindex(mine).to_numpy()
    backwards = rows.new_progress < rows.earlier - 1e-9
    flag(
        rows.loc[backwards],
        progress_field,
        rows.new_progress[backwards].map(cells.plain_number),
        rows.earlier[backwards].map(
            lambda p: (
                f"el avance retrocede: antes de esta fecha ya se había reportado {cells.plain_number(round(p, 1))} %"
            )
        ),
        WARNING,
    )

    current = existing.set_index(_day_key(existing)).reindex(mine)
    current.index = rows.index
    rows["report_id"] = current.id.to_numpy()
    rows["progress"] = current.progress.to_numpy()
    stored = current.loc[current.id.notna()]  # only a row with a stored report can be unchanged or updated
    mine_stored = rows.loc[stored.index]
    same = pd.Series(True, index=stored.index)
    for name in REPORT_FIELDS:
        if name == "note":
            same &= mine_stored.note == stored.note.fillna("")
        else:
            a, b = pd.to_numeric(mine_stored[name], errors="coerce"), pd.to_numeric(stored[name], errors="coerce")
            same &= ((a - b).abs() < 1e-9) | (a.isna() & b.isna())
    which = np.where(rows.report_id.isna(), 0, np.where(same.reindex(rows.index, fill_value=False), 1, 2))
    rows["kind"] = np.array([NEW, UNCHANGED, UPDATED], dtype=object)[which]
    rows["previous_progress"] = rows.progress.where(rows.report_id.notna(), rows.earlier)
    return rows.sort_values("row")[list(CHANGE_COLUMNS)].reset_index(drop=True)


DAY_KEY_SPAN = 1 << 20  # days: about 2.800 years, so (commitment, day) as commitment × span + day never collide


def _day_key(frame: pd.DataFrame) -> np.ndarray[Any, np.dtype[np.int64]]:
    """(commitment_id, day) as one integer, in the order of the pairs (days since 1970, shifted to be positive)."""
    commitment: np.ndarray[Any, np.dtype[np.int64]] = frame.commitment_id.to_numpy(dtype=np.int64)
    day: np.ndarray[Any, np.dtype[np.int64]] = frame.day.to_numpy(dtype=np.int64)
    return commitment * DAY_KEY_SPAN + (day + DAY_KEY_SPAN // 2)


def _shown(raw: object) -> str:
    """A cell value as the person would recognise it in the report."""
    if raw is None:
        return ""
    if isinstance(raw, datetime | date):
        return f"{raw:%d/%m/%Y}"
    if isinstance(raw, float):
        return cells.plain_number(raw)
    return str(raw)[:80]


def _plain_list(values: pd.Series) -> list[Any]:
    """Python values for the driver, blanks as None (never NaN, which a database would store as a number)."""
    return values.astype(object).where(values.notna(), None).tolist()


def _as_int(value: Any) -> int:
    """Ids read back from frames (numpy integers) as plain ints."""
    return int(value)


def _blank_none(value: object) -> Any:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


# ---------------------------------------------------------------------------------------------- apply and undo


@dataclass(frozen=True)
class ApplyResult:
    batch_id: int | None  # None when there was nothing to change
    inserted: int
    updated: int
    unchanged: int
    held: int


@collector_paused()
def apply_progress(*, session: Session, preview: ImportPreview, user: str) -> ApplyResult:
    """Write the valid rows of ``preview`` as one batch, in the caller's transaction (``db.transaction``)."""
    batches.refuse_stale(session=session, data_version=preview.data_version)
    changes = preview.changes
    new = changes.loc[changes.kind == NEW]
    updated = changes.loc[changes.kind == UPDATED]
    held = len(preview.held_rows)
    unchanged = int((changes.kind == UNCHANGED).sum())
    if new.empty and updated.empty:
        return ApplyResult(None, 0, 0, unchanged, held)
    batch_id = batches.open_batch(
        session=session,
        kind=KIND,
        file_name=preview.file_name,
        sha256=preview.sha256,
        user=user,
        rows_total=preview.rows_total,
        rows_applied=len(new) + len(updated),
        rows_rejected=held,
    )
    now = utcnow()
    if not new.empty:
        # Written grouped by commitment: the report indexes start with the commitment, so each insert lands next to
        # the last one in the B-tree instead of anywhere in it (about a fifth less work on a 50.000-row sheet).
        new = new.sort_values("commitment_id", kind="stable")
        count = len(new)
        db.insert_many(
            session.connection(),
            REPORT_TABLE,
            {
                "commitment_id": new.commitment_id.astype(int).tolist(),
                "cut_off_date": new.cut_off_date.tolist(),
                **{name: _plain_list(new[name]) for name in REPORT_FIELDS},
                "import_batch_id": [batch_id] * count,
                "reported_by": [user] * count,
                "created_at": [now] * count,
            },
        )
    if not updated.empty:
        r_cols = table_columns(ProgressReport)
        ids = [int(i) for i in updated.report_id]
        before_rows = {
            row.id: row for row in session.connection().execute(select(*r_cols).where(r_cols.id.in_(ids))).mappings()
        }
        values = [
            {
                "report_id": _as_int(r.report_id),
                "physical_pct": _blank_none(r.physical_pct),
                "achieved_value": _blank_none(r.achieved_value),
                "budget_executed_cop": _blank_none(r.budget_executed_cop),
                "note": r.note or "",
                "import_batch_id": batch_id,
                "reported_by": user,
            }
            for r in updated.itertuples(index=False)
        ]
        session.connection().execute(
            update(ProgressReport)
            .where(r_cols.id == bindparam("report_id"))
            .values({name: bindparam(name) for name in (*REPORT_FIELDS, "import_batch_id", "reported_by")}),
            values,
        )
        session.execute(
            insert(AuditEntry),
            [
                {
                    "at": now,
                    "user_name": user,
                    "action": "actualizar por carga",
                    "table_name": "progress_report",
                    "row_id": str(v["report_id"]),
                    "before": audit._as_json(_report_state(before_rows[v["report_id"]])),
                    "after": audit._as_json({k: v[k] for k in (*REPORT_FIELDS, "import_batch_id", "reported_by")}),
                    "import_batch_id": batch_id,
                }
                for v in values
            ],
        )
    batches.close_batch(
        session=session,
        batch_id=batch_id,
        kind=KIND,
        user=user,
        after={
            "archivo": preview.file_name,
            "nuevos": len(new),
            "actualizados": len(updated),
            "sin_cambio": unchanged,
            "rechazados": held,
        },
    )
    return ApplyResult(batch_id, len(new), len(updated), unchanged, held)


def _report_state(row: Any) -> dict[str, Any]:
    return {k: row[k] for k in (*REPORT_FIELDS, "import_batch_id", "reported_by")}


def undo_progress_batch(*, session: Session, batch_id: int, user: str) -> UndoResult:
    """Restore exactly what a progress batch changed, in the caller's transaction; refused if a later batch built
    on it. Who may undo is checked by ``core.uploads.history.undo_batch``, which dispatches here."""
    batch = batches.batch_to_undo(session=session, batch_id=batch_id, kind=KIND)
    # A plan workbook may have rewritten this batch's reports.
    batches.refuse_if_built_on(session=session, batch_id=batch_id, by=BatchKind.PLAN_WORKBOOK)
    e, r, b = table_columns(AuditEntry), table_columns(ProgressReport), table_columns(ImportBatch)
    connection = session.connection()
    updates = connection.execute(
        select(e.row_id, e.before)
        .where(e.import_batch_id == batch_id, e.table_name == "progress_report", e.action == "actualizar por carga")
        .order_by(e.id.desc())
    ).all()
    updated_ids = {int(row_id) for row_id, _ in updates}
    touched = connection.execute(select(r.id).where(r.import_batch_id == batch_id)).scalars().all()
    # Rows this batch wrote but a later batch overwrote since: undo that one first.
    later = (
        connection.execute(select(r.import_batch_id).where(r.id.in_(updated_ids), r.import_batch_id != batch_id))
        .scalars()
        .first()
    )
    if later is None:
        later_batches = connection.execute(
            select(e.import_batch_id, e.before)
            .join(b.id.table, b.id == e.import_batch_id)
            .where(
                e.import_batch_id > batch_id, b.status == BatchStatus.APPLIED.value, e.action == "actualizar por carga"
            )
        ).all()
        later = next(
            (bid for bid, before in later_batches if json.loads(before).get("import_batch_id") == batch_id), None
        )
    if later is not None:
        raise UndoRefused(
            f"La carga número {later}, posterior, cambió reportes de esta carga. Deshaga primero la número {later}."
        )
    inserted = [i for i in touched if i not in updated_ids]
    if inserted:
        connection.execute(delete(ProgressReport).where(r.id.in_(inserted)))
    for row_id, before in updates:
        connection.execute(update(ProgressReport).where(r.id == int(row_id)).values(json.loads(before)))
    counts = {"reportes_borrados": len(inserted), "reportes_restaurados": len(updates)}
    batches.mark_undone(session=session, batch=batch, user=user, counts=counts)
    return UndoResult(batch_id, len(inserted), len(updates))
