"""Progress sheets (plantillas de avance): read, validate every row at once, preview, apply atomically, undo.

The flow the page and the CLI share:
``validate_progress`` reads the file and returns an ``ImportPreview`` (every problem by Excel row and column, the
suggested matches for rows it could not place, and what would change); nothing is written. ``apply_progress``
writes the valid rows in the caller's transaction as one ``ImportBatch``; ``undo_batch`` restores exactly what the
batch changed. A report is keyed by (commitment, fecha de corte): uploading it again updates it, never duplicates.

Undo needs no copy of inserted rows: they carry the batch id. Each overwritten report leaves an audit entry with its
previous values, tied to the batch, and undo replays those backwards.
"""

from __future__ import annotations

import difflib
import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, cast

import pandas as pd
from sqlalchemy import bindparam, delete, insert, select, update
from sqlmodel import Session

from core import audit, cell_values, db
from core.cell_values import CellError, normalized
from core.metrics import table_columns
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
from core.spreadsheet import (
    DEFAULT_LIMITS,
    FileRejected,
    Limits,
    LocatedTable,
    column_letter,
    find_table,
    read_workbook,
)

KIND = "avance"
ERROR = "error"
WARNING = "aviso"
NEW, UPDATED, UNCHANGED = "nuevo", "actualiza", "sin cambio"
REPORT_FIELDS = ("physical_pct", "achieved_value", "budget_executed_cop", "note")
REPORT_INPUTS = ("cut_off_date", *REPORT_FIELDS)

# field -> header in the template, then the synonyms people use
HEADERS: dict[str, tuple[str, ...]] = {
    "code": (
        "Código compromiso",
        "código",
        "codigo del compromiso",
        "código del compromiso",
        "cod compromiso",
        "id compromiso",
        "compromiso código",
        "código de compromiso",
    ),
    "project": ("Proyecto", "nombre del proyecto", "perfil de proyecto", "iniciativa"),
    "actor": ("Actor", "responsable", "entidad", "organización", "actor responsable"),
    "barrio": ("Barrio", "barrio o vereda"),
    "cut_off_date": ("Fecha de corte", "fecha", "corte", "fecha del reporte", "fecha reporte"),
    "physical_pct": (
        "Avance físico (%)",
        "avance físico",
        "% avance",
        "avance",
        "porcentaje de avance",
        "avance %",
        "% de avance",
        "avance fisico %",
    ),
    "achieved_value": ("Valor logrado", "logrado", "cantidad lograda", "valor alcanzado", "meta lograda"),
    "budget_executed_cop": (
        "Presupuesto ejecutado",
        "ejecutado",
        "valor ejecutado",
        "ejecución presupuestal",
        "presupuesto ejecutado ($)",
    ),
    "note": ("Observaciones", "observación", "comentarios", "notas", "nota"),
}
# Columns of the template that are there to help the person filling it; read back, they are ignored silently.
TEMPLATE_ONLY: dict[str, tuple[str, ...]] = {
    "description": ("Compromiso", "descripción del compromiso"),
    "unit": ("Unidad",),
    "target": ("Meta",),
    "last_progress": ("Último avance (%)",),
    "last_report": ("Fecha último reporte",),
}
FIELD_LABELS = {field_name: names[0] for field_name, names in HEADERS.items()}


@dataclass(frozen=True)
class Problem:
    row: int | None  # Excel row; None for the file as a whole
    column: str  # Spanish header (and column letter)
    value: str
    message: str
    severity: str  # ERROR holds the row back; WARNING applies it with a notice


@dataclass
class ImportPreview:
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

    @property
    def held_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.severity == ERROR and p.row is not None}

    def count(self, kind: str) -> int:
        return int((self.changes.kind == kind).sum()) if len(self.changes) else 0

    @property
    def has_changes(self) -> bool:
        return self.count(NEW) + self.count(UPDATED) > 0

    def problem_table(self) -> pd.DataFrame:
        return pd.DataFrame(
            [(p.row, p.column, p.value, p.message, p.severity) for p in self.problems],
            columns=["Fila", "Columna", "Valor", "Problema", "Gravedad"],
        )


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


@dataclass
class _Catalog:
    commitments: pd.DataFrame  # indexed by id: code, description, target, cancelled, start_date, label
    by_code: dict[str, int]
    by_names: dict[tuple[str, str], list[int]]  # (project, actor) normalized -> commitment ids
    barrios_of: dict[int, set[str]]  # commitment id -> normalized barrio names (own, else the project's)
    reports: pd.DataFrame  # existing reports: id, commitment_id, cut_off_date, fields, import_batch_id


def _load_catalog(session: Session) -> _Catalog:
    c, p, a, ca = (table_columns(m) for m in (Commitment, Project, Actor, CommitmentActor))
    connection = session.connection()
    commitments = pd.read_sql(
        select(c.id, c.code, c.description, c.target, c.cancelled, p.name.label("project"), p.start_date).join_from(
            c.id.table, p.id.table, p.id == c.project_id
        ),
        connection,
    ).set_index("id")
    actors = pd.read_sql(
        select(ca.commitment_id, a.name, a.short_name, a.code).join_from(
            ca.commitment_id.table, a.id.table, a.id == ca.actor_id
        ),
        connection,
    )
    commitments["actors"] = actors.groupby("commitment_id").name.agg(" · ".join)
    commitments["label"] = (
        commitments.code
        + " · "
        + commitments.project
        + " · "
        + commitments.actors.fillna("")
        + " · "
        + commitments.description
    )
    by_names: dict[tuple[str, str], list[int]] = {}
    project_of = commitments.project.map(normalized)
    for row in actors.itertuples():
        for actor_name in {row.name, row.short_name, row.code}:
            if actor_name:
                key = (project_of.get(row.commitment_id, ""), normalized(str(actor_name)))
                by_names.setdefault(key, []).append(_as_int(row.commitment_id))
    b, cb, pb = table_columns(Barrio), table_columns(CommitmentBarrio), table_columns(ProjectBarrio)
    barrio_names = dict(connection.execute(select(b.id, b.name)).all())
    barrios_of: dict[int, set[str]] = {}
    for commitment_id, barrio_id in connection.execute(select(cb.commitment_id, cb.barrio_id)):
        barrios_of.setdefault(commitment_id, set()).add(normalized(barrio_names[barrio_id]))
    project_ids = dict(connection.execute(select(c.id, c.project_id)).all())
    project_barrios: dict[int, set[str]] = {}
    for project_id, barrio_id in connection.execute(select(pb.project_id, pb.barrio_id)):
        project_barrios.setdefault(project_id, set()).add(normalized(barrio_names[barrio_id]))
    for commitment_id, project_id in project_ids.items():
        if commitment_id not in barrios_of and project_id in project_barrios:
            barrios_of[commitment_id] = project_barrios[project_id]
    r = table_columns(ProgressReport)
    reports = pd.read_sql(
        select(
            r.id,
            r.commitment_id,
            r.cut_off_date,
            r.physical_pct,
            r.achieved_value,
            r.budget_executed_cop,
            r.note,
            r.import_batch_id,
        ),
        connection,
    )
    reports["cut_off_date"] = pd.to_datetime(reports.cut_off_date).dt.date
    return _Catalog(
        commitments=commitments,
        by_code={normalized(code): _as_int(i) for i, code in commitments.code.items()},
        by_names=by_names,
        barrios_of=barrios_of,
        reports=reports,
    )


# ---------------------------------------------------------------------------------------------- validation


def locate_progress_table(data: bytes, file_name: str, limits: Limits = DEFAULT_LIMITS) -> LocatedTable:
    workbook = read_workbook(data, file_name, limits)
    table = find_table(workbook, {**HEADERS, **TEMPLATE_ONLY}, required_any=("code", "project", "actor"))
    if table is None or "cut_off_date" not in table.columns:
        raise FileRejected(
            "No se encontró la tabla de avances: hace falta una fila de encabezados con «Código compromiso» (o "
            "«Proyecto» y «Actor») y «Fecha de corte», y al menos «Avance físico (%)» o «Valor logrado». "
            "Descargue la plantilla para ver el formato."
        )
    if "physical_pct" not in table.columns and "achieved_value" not in table.columns:
        raise FileRejected("Falta la columna «Avance físico (%)» o la columna «Valor logrado».")
    return table


def _progress_of(pct: float | None, value: float | None, target: float | None) -> float | None:
    if pct is not None:
        return pct
    if value is not None and target:
        return min(value / target * 100, 100.0)
    return None


def _same(a: object, b: object) -> bool:
    blank_a = a is None or (isinstance(a, float) and pd.isna(a)) or a == ""
    blank_b = b is None or (isinstance(b, float) and pd.isna(b)) or b == ""
    if blank_a or blank_b:
        return blank_a and blank_b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) < 1e-9
    return a == b


def validate_progress(
    *,
    session: Session,
    data: bytes,
    file_name: str,
    today: date,
    confirmed: Mapping[int, str] | None = None,
    limits: Limits = DEFAULT_LIMITS,
    progress: Callable[[float, str], None] | None = None,
) -> ImportPreview:
    """Every problem of the file at once, and what applying it would change. Writes nothing.

    ``confirmed`` maps Excel rows to commitment codes the coordinator chose among the suggestions.
    Raises ``FileRejected`` when the file as a whole cannot be used.
    """
    report = progress or (lambda share, text: None)
    report(0.05, "Leyendo el archivo…")
    table = locate_progress_table(data, file_name, limits)
    sheet = table.sheet
    rows = table.data_rows()
    if not rows:
        raise FileRejected("La tabla de avances no tiene filas con datos debajo de los encabezados.")
    report(0.35, "Revisando las filas…")
    catalog = _load_catalog(session)
    confirmed = {row: normalized(code) for row, code in (confirmed or {}).items()}
    problems: list[Problem] = []
    suggestions: dict[int, list[tuple[str, str]]] = {}
    notices: list[str] = []
    header = [str(v) if v is not None else "" for v in sheet.rows[table.header_index]]
    if table.ignored_headers:
        extra = [h for h in table.ignored_headers if normalized(h) not in _TEMPLATE_ONLY_NAMES]
        if extra:
            notices.append("Se ignoraron columnas que no son de la plantilla: " + ", ".join(f"«{h}»" for h in extra))
    if sheet.formulas:
        notices.append(
            f"El archivo tiene {sheet.formulas} fórmulas: se usaron los valores que Excel guardó al calcularlas."
        )
    if sheet.merged_cells_filled:
        notices.append("Hay celdas combinadas: su valor se tomó para todas las filas que abarcan.")
    no_value = set(sheet.formulas_without_value)
    column_names = {
        name: f"{FIELD_LABELS.get(name, name)} ({column_letter(table.column_number(name))})" for name in table.columns
    }

    def cell(row: list[object], name: str) -> object:
        position = table.columns.get(name)
        return row[position] if position is not None and position < len(row) else None

    parsed: list[dict[str, Any]] = []
    unfilled = 0
    for excel_row, values in rows:
        if all(cell_values.is_blank(cell(values, name)) for name in REPORT_INPUTS):
            unfilled += 1  # a template row nobody filled: not an error, nothing to load
            continue
        errors_before = len([p for p in problems if p.severity == ERROR])

        def flag(name: str, message: str, severity: str = ERROR, *, raw: object = None) -> None:
            shown = _shown(raw)
            problems.append(Problem(excel_row, column_names.get(name, name), shown, message, severity))  # noqa: B023

        for name in table.columns:
            ref = f"{column_letter(table.column_number(name))}{excel_row}"
            if ref in no_value:
                flag(
                    name,
                    "la celda tiene una fórmula sin valor guardado: abra el archivo en Excel, guárdelo y "
                    "vuelva a cargarlo",
                )
        if excel_row in sheet.hidden_rows:
            flag(
                "code" if "code" in table.columns else "cut_off_date",
                "la fila está oculta en Excel; se tuvo en cuenta igual",
                WARNING,
            )
        out: dict[str, Any] = {"row": excel_row}
        readers: dict[str, Callable[[object], Any]] = {
            "cut_off_date": cell_values.day,
            "achieved_value": cell_values.number,
            "budget_executed_cop": cell_values.money,
            "note": cell_values.text,
        }
        for name, reader in readers.items():
            raw = cell(values, name)
            try:
                out[name] = reader(raw)
            except CellError as exc:
                out[name] = None
                flag(name, str(exc), raw=raw)
        raw_pct = cell(values, "physical_pct")
        as_percent = (
            (excel_row, table.column_number("physical_pct")) in sheet.percent_cells
            if ("physical_pct" in table.columns)
            else False
        )
        try:
            out["physical_pct"] = cell_values.percent(raw_pct, formatted_as_percent=as_percent)
        except CellError as exc:
            out["physical_pct"] = None
            flag("physical_pct", str(exc), raw=raw_pct)
        pct = out["physical_pct"]
        if pct is not None and 0 < pct < 1 and isinstance(raw_pct, int | float) and not as_percent:
            flag(
                "physical_pct",
                f"se leyó {cell_values.plain_number(pct)} %; si quería decir {cell_values.plain_number(pct * 100)} %, "
                "escriba ese número",
                WARNING,
                raw=raw_pct,
            )
        if (
            out["physical_pct"] is None
            and out["achieved_value"] is None
            and not any(p.row == excel_row and p.severity == ERROR for p in problems[errors_before:])
        ):
            flag(
                "physical_pct" if "physical_pct" in table.columns else "achieved_value",
                "falta el avance: escriba el avance físico (%) o el valor logrado",
            )
        if out["achieved_value"] is not None and out["achieved_value"] < 0:
            flag("achieved_value", "el valor logrado no puede ser negativo", raw=cell(values, "achieved_value"))
        cut_off = out["cut_off_date"]
        if cut_off is None and cell_values.is_blank(cell(values, "cut_off_date")):
            flag("cut_off_date", "falta la fecha de corte")
        elif cut_off is not None and cut_off > today:
            flag(
                "cut_off_date",
                f"la fecha de corte {cut_off:%d/%m/%Y} está en el futuro",
                raw=cell(values, "cut_off_date"),
            )

        # Which commitment?
        code_raw = cell_values.text(cell(values, "code"))
        commitment_id = None
        if excel_row in confirmed and confirmed[excel_row] in catalog.by_code:
            commitment_id = catalog.by_code[confirmed[excel_row]]
        elif code_raw:
            commitment_id = catalog.by_code.get(normalized(code_raw))
            if commitment_id is None:
                flag("code", f"no existe un compromiso con el código «{code_raw}»", raw=code_raw)
                suggestions[excel_row] = _suggest_by_code(catalog, code_raw)
        else:
            project_raw = cell_values.text(cell(values, "project")) or ""
            actor_raw = cell_values.text(cell(values, "actor")) or ""
            barrio_raw = cell_values.text(cell(values, "barrio"))
            candidates = catalog.by_names.get((normalized(project_raw), normalized(actor_raw)), [])
            if barrio_raw and len(candidates) > 1:
                candidates = [c for c in candidates if normalized(barrio_raw) in catalog.barrios_of.get(c, set())]
            if len(set(candidates)) == 1:
                commitment_id = candidates[0]
            elif not project_raw and not actor_raw:
                flag("code", "falta el código del compromiso (o el proyecto y el actor)")
            else:
                reason = "varios compromisos coinciden" if candidates else "ningún compromiso coincide"
                flag(
                    "project" if "project" in table.columns else "code",
                    f"{reason} con el proyecto «{project_raw}» y el actor «{actor_raw}»: elija el compromiso",
                    raw=f"{project_raw} / {actor_raw}",
                )
                suggestions[excel_row] = _suggest_by_names(catalog, project_raw, actor_raw, candidates)
        if commitment_id is not None:
            info = catalog.commitments.loc[commitment_id]
            out.update(commitment_id=commitment_id, commitment_code=info.code, description=info.description)
            if info.cancelled:
                flag("code", "el compromiso está cancelado; el reporte se guarda igual", WARNING, raw=info.code)
            start = info.start_date
            if (
                cut_off is not None
                and start is not None
                and not pd.isna(start)
                and cut_off < pd.Timestamp(start).date()
            ):
                flag(
                    "cut_off_date",
                    f"la fecha de corte es anterior al inicio del proyecto ({pd.Timestamp(start):%d/%m/%Y})",
                    raw=cell(values, "cut_off_date"),
                )
            target = info.target if info.target and not pd.isna(info.target) else None
            if out["achieved_value"] is not None and target and out["achieved_value"] > target:
                flag(
                    "achieved_value",
                    f"el valor logrado supera la meta ({cell_values.plain_number(target)}); el avance "
                    "se toma como 100 %",
                    WARNING,
                    raw=cell(values, "achieved_value"),
                )
            out["new_progress"] = _progress_of(out["physical_pct"], out["achieved_value"], target)
        out["held"] = any(p.row == excel_row and p.severity == ERROR for p in problems[errors_before:])
        parsed.append(out)
    if unfilled:
        notices.append(f"{unfilled} filas sin llenar (sin fecha ni avance) se omitieron.")
    if not parsed:
        raise FileRejected("Ninguna fila tiene datos de avance: llene al menos la fecha de corte y el avance.")
    report(0.7, "Comparando con lo que ya está en el plan…")
    changes = _compare(parsed, catalog, problems, column_names)
    report(0.95, "Listo.")
    sha = hashlib.sha256(data).hexdigest()
    b = table_columns(ImportBatch)
    previous = (
        session.connection()
        .execute(
            select(b.id, b.created_at)
            .where(b.sha256 == sha, b.status == "applied", b.kind == KIND)
            .order_by(b.id.desc())
        )
        .first()
    )
    problems.sort(key=lambda p: (p.row or 0, p.severity != ERROR))
    return ImportPreview(
        file_name=file_name,
        sha256=sha,
        rows_total=len(parsed),
        problems=problems,
        notices=notices,
        suggestions=suggestions,
        changes=changes,
        header=header,
        raw_rows=rows,
        columns=table.columns,
        first_col=sheet.first_col,
        already_applied=(previous[0], f"{previous[1]:%d/%m/%Y}") if previous else None,
    )


_TEMPLATE_ONLY_NAMES = {normalized(name) for names in TEMPLATE_ONLY.values() for name in names}


def _suggest_by_code(catalog: _Catalog, code: str) -> list[tuple[str, str]]:
    close = difflib.get_close_matches(normalized(code), list(catalog.by_code), n=3, cutoff=0.6)
    return [
        (str(catalog.commitments.loc[catalog.by_code[c]].code), str(catalog.commitments.loc[catalog.by_code[c]].label))
        for c in close
    ]


def _suggest_by_names(catalog: _Catalog, project: str, actor: str, candidates: list[int]) -> list[tuple[str, str]]:
    if candidates:
        ids = list(dict.fromkeys(candidates))
    else:
        wanted = normalized(f"{project} {actor}")
        keys = {f"{p} {a}": ids for (p, a), ids in catalog.by_names.items()}
        close = difflib.get_close_matches(wanted, list(keys), n=3, cutoff=0.5)
        ids = list(dict.fromkeys(i for key in close for i in keys[key]))
    rows = catalog.commitments.loc[ids[:5]]
    return list(zip(rows.code.astype(str), rows.label.astype(str), strict=True))


def _compare(
    parsed: list[dict[str, Any]], catalog: _Catalog, problems: list[Problem], column_names: dict[str, str]
) -> pd.DataFrame:
    """Classify each valid row as new, update or unchanged; flag duplicates and progress going backwards."""
    existing = {(_as_int(r.commitment_id), r.cut_off_date): r for r in catalog.reports.itertuples(index=False)}
    history: dict[int, list[tuple[date, float]]] = {}
    targets = catalog.commitments.target
    for r in catalog.reports.itertuples(index=False):
        target = targets.get(r.commitment_id)
        value = _progress_of(_blank_none(r.physical_pct), _blank_none(r.achieved_value), _blank_none(target))
        if value is not None:
            history.setdefault(_as_int(r.commitment_id), []).append((cast(date, r.cut_off_date), value))
    seen: dict[tuple[int, date], dict[str, Any]] = {}
    out = []
    for row in parsed:
        if row["held"] or row.get("commitment_id") is None or row["cut_off_date"] is None:
            continue
        key = (row["commitment_id"], row["cut_off_date"])
        if key in seen:
            first = seen[key]
            same = all(_same(first[f], row[f]) for f in REPORT_FIELDS)
            column = column_names.get("cut_off_date", "Fecha de corte")
            if same:
                problems.append(
                    Problem(
                        row["row"],
                        column,
                        f"{row['cut_off_date']:%d/%m/%Y}",
                        f"fila repetida (igual a la fila {first['row']}); se usa una sola vez",
                        WARNING,
                    )
                )
            else:
                problems.append(
                    Problem(
                        row["row"],
                        column,
                        f"{row['cut_off_date']:%d/%m/%Y}",
                        f"la fila {first['row']} trae el mismo compromiso y fecha de corte con otros "
                        "valores: deje solo una",
                        ERROR,
                    )
                )
                first["conflict"] = True
            continue
        seen[key] = row
    in_file: dict[int, list[tuple[date, float]]] = {}  # the file's own earlier reports count too
    for row in seen.values():
        if not row.get("conflict") and row.get("new_progress") is not None:
            in_file.setdefault(row["commitment_id"], []).append((row["cut_off_date"], row["new_progress"]))
    for row in seen.values():
        if row.get("conflict"):
            problems.append(
                Problem(
                    row["row"],
                    column_names.get("cut_off_date", "Fecha de corte"),
                    f"{row['cut_off_date']:%d/%m/%Y}",
                    "otra fila trae el mismo compromiso y fecha de corte con otros valores",
                    ERROR,
                )
            )
            continue
        current = existing.get((row["commitment_id"], row["cut_off_date"]))
        earlier = [p for d, p in history.get(row["commitment_id"], []) if d < row["cut_off_date"]]
        earlier += [d_p[1] for d_p in in_file.get(row["commitment_id"], []) if d_p[0] < row["cut_off_date"]]
        previous = max(earlier) if earlier else None
        if previous is not None and row.get("new_progress") is not None and row["new_progress"] < previous - 1e-9:
            problems.append(
                Problem(
                    row["row"],
                    column_names.get("physical_pct", column_names.get("achieved_value", "")),
                    cell_values.plain_number(row["new_progress"]),
                    f"el avance retrocede: antes de esta fecha ya se había reportado "
                    f"{cell_values.plain_number(round(previous, 1))} %",
                    WARNING,
                )
            )
        if current is None:
            kind, report_id, before = NEW, None, None
        else:
            report_id = _as_int(current.id)
            same = all(
                _same(_blank_none(getattr(current, f)), row[f] if f != "note" else (row[f] or ""))
                for f in REPORT_FIELDS
            )
            kind = UNCHANGED if same else UPDATED
            target = _blank_none(targets.get(row["commitment_id"]))
            before = _progress_of(_blank_none(current.physical_pct), _blank_none(current.achieved_value), target)
        out.append(
            {
                "row": row["row"],
                "kind": kind,
                "commitment_id": row["commitment_id"],
                "commitment_code": row["commitment_code"],
                "description": row["description"],
                "cut_off_date": row["cut_off_date"],
                "physical_pct": row["physical_pct"],
                "achieved_value": row["achieved_value"],
                "budget_executed_cop": row["budget_executed_cop"],
                "note": row["note"] or "",
                "report_id": report_id,
                "previous_progress": before if current is not None else previous,
                "new_progress": row.get("new_progress"),
            }
        )
    return pd.DataFrame(out, columns=list(CHANGE_COLUMNS))


def _shown(raw: object) -> str:
    """A cell value as the person would recognise it in the report."""
    if raw is None:
        return ""
    if isinstance(raw, datetime | date):
        return f"{raw:%d/%m/%Y}"
    if isinstance(raw, float):
        return cell_values.plain_number(raw)
    return str(raw)[:80]


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


def apply_progress(*, session: Session, preview: ImportPreview, user: str) -> ApplyResult:
    """Write the valid rows of ``preview`` as one batch, in the caller's transaction (``db.transaction``)."""
    changes = preview.changes
    new = changes.loc[changes.kind == NEW]
    updated = changes.loc[changes.kind == UPDATED]
    held = len(preview.held_rows)
    unchanged = int((changes.kind == UNCHANGED).sum())
    if new.empty and updated.empty:
        return ApplyResult(None, 0, 0, unchanged, held)
    batch = ImportBatch(
        file_name=preview.file_name[:255],
        sha256=preview.sha256,
        kind=KIND,
        created_by=user,
        rows_total=preview.rows_total,
        rows_applied=len(new) + len(updated),
        rows_rejected=held,
    )
    session.add(batch)
    session.flush()
    assert batch.id is not None
    now = utcnow()
    if not new.empty:
        session.execute(
            insert(ProgressReport),
            [
                {
                    "commitment_id": _as_int(r.commitment_id),
                    "cut_off_date": r.cut_off_date,
                    "physical_pct": _blank_none(r.physical_pct),
                    "achieved_value": _blank_none(r.achieved_value),
                    "budget_executed_cop": _blank_none(r.budget_executed_cop),
                    "note": r.note or "",
                    "import_batch_id": batch.id,
                    "reported_by": user,
                    "created_at": now,
                }
                for r in new.itertuples(index=False)
            ],
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
                "import_batch_id": batch.id,
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
                    "import_batch_id": batch.id,
                }
                for v in values
            ],
        )
    audit.record(
        session=session,
        user=user,
        action="cargar avances",
        table_name="import_batch",
        row_id=str(batch.id),
        after={
            "archivo": preview.file_name,
            "nuevos": len(new),
            "actualizados": len(updated),
            "sin_cambio": unchanged,
            "rechazados": held,
        },
        import_batch_id=batch.id,
    )
    db.bump_data_version(session=session)
    return ApplyResult(batch.id, len(new), len(updated), unchanged, held)


def _report_state(row: Any) -> dict[str, Any]:
    return {k: row[k] for k in (*REPORT_FIELDS, "import_batch_id", "reported_by")}


class UndoRefused(Exception):
    """The batch cannot be undone as asked; the message says why in Spanish."""


@dataclass(frozen=True)
class UndoResult:
    batch_id: int
    deleted: int
    restored: int


def undo_batch(*, session: Session, batch_id: int, user: str) -> UndoResult:
    """Restore exactly what the batch changed, in the caller's transaction; refused if a later batch built on it."""
    batch = session.get(ImportBatch, batch_id)
    if batch is None:
        raise UndoRefused(f"No existe la carga número {batch_id}.")
    if batch.status != "applied":
        raise UndoRefused(f"La carga número {batch_id} ya se había deshecho.")
    e, r = table_columns(AuditEntry), table_columns(ProgressReport)
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
        b = table_columns(ImportBatch)
        later_batches = connection.execute(
            select(e.import_batch_id, e.before)
            .join(b.id.table, b.id == e.import_batch_id)
            .where(e.import_batch_id > batch_id, b.status == "applied", e.action == "actualizar por carga")
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
    batch.status = "undone"
    session.add(batch)
    audit.record(
        session=session,
        user=user,
        action="deshacer carga",
        table_name="import_batch",
        row_id=str(batch_id),
        before={"estado": "applied"},
        after={"estado": "undone", "reportes_borrados": len(inserted), "reportes_restaurados": len(updates)},
    )
    db.bump_data_version(session=session)
    return UndoResult(batch_id, len(inserted), len(updates))


def batch_history(*, session: Session) -> pd.DataFrame:
    b = table_columns(ImportBatch)
    frame = pd.read_sql(
        select(
            b.id,
            b.file_name,
            b.kind,
            b.created_by,
            b.created_at,
            b.rows_total,
            b.rows_applied,
            b.rows_rejected,
            b.status,
        ).order_by(b.id.desc()),
        session.connection(),
    )
    return frame
