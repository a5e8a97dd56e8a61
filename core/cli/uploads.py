"""The upload commands of ``python -m core``: template, import, history, undo (printing only; core does the work).

``import`` exit codes: 0 everything applied (or, with --dry-run, everything valid), 1 some rows held back,
2 nothing applied (the file could not be used, or every row has errors).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd
from sqlmodel import Session

from core import db, formatting
from core.access.accounts import ADMIN
from core.demo.plan import demo_as_of
from core.excel.cells import normalized
from core.excel.headers import ColumnsUnmatched
from core.excel.problems import ERROR, Problem
from core.excel.reading import FileRejected, sheet_names
from core.plan import sheets
from core.refusals import Refused
from core.uploads import plan_workbook
from core.uploads.batches import STATUS_LABELS, BatchKind, StalePreview, UndoRefused
from core.uploads.history import batch_history, undo_batch
from core.uploads.progress import NEW, UNCHANGED, UPDATED, apply_progress, validate_progress
from core.uploads.progress_workbooks import progress_template

EXIT_APPLIED, EXIT_PARTIAL, EXIT_NOTHING = 0, 1, 2


def reference_day(session: Session) -> date:
    return demo_as_of(session=session) or formatting.colombia_today()


def write_template(file: str, *, actor_code: str | None, line_code: str | None) -> int:
    engine = db.make_engine()
    with Session(engine) as session:
        content = progress_template(
            session=session, on=reference_day(session), actor_code=actor_code, line_code=line_code
        )
    Path(file).write_bytes(content)
    print(f"Plantilla de avance guardada en {file}.")
    return EXIT_APPLIED


def is_plan_workbook(data: bytes) -> bool:
    """A workbook with at least two of the plan workbook's sheets (Líneas, Compromisos…), not a progress sheet."""
    names = {normalized(name) for name in sheet_names(data)}
    return len(names & {normalized(sheet.name) for sheet in sheets.SHEETS}) >= 2


def parse_columns(option: str | None) -> dict[str, str] | None:
    """``--columns "Fecha de corte=fecha corte,Avance físico (%)=avance"`` as {contract header: file header}; for
    the plan workbook each contract header names its sheet: ``"Compromisos:Descripción=qué se entrega"``."""
    if not option:
        return None
    columns = {}
    for pair in option.split(","):
        contract_header, equals, file_header = pair.partition("=")
        if not equals or not contract_header.strip() or not file_header.strip():
            raise FileRejected(
                f"«{pair.strip()}» no se entiende en --columns: escriba «columna de la plantilla=columna del archivo», "
                'separadas por comas, como "Fecha de corte=fecha corte,Avance físico (%)=avance".'
            )
        columns[contract_header.strip()] = file_header.strip()
    return columns


def import_file(
    file: str,
    *,
    dry_run: bool,
    as_json: bool,
    user: str,
    allow_deletions: bool = False,
    yes: bool = False,
    columns: str | None = None,
) -> int:
    path = Path(file)
    if not path.is_file():
        print(f"Error: no existe el archivo {file}.", file=sys.stderr)
        return EXIT_NOTHING
    data = path.read_bytes()
    try:
        mapping = parse_columns(columns)
        if is_plan_workbook(data):
            return _import_plan(
                path.name, data, dry_run=dry_run, as_json=as_json, user=user, allow_deletions=allow_deletions,
                yes=yes, columns=mapping,
            )  # fmt: skip
        return _import_progress(path.name, data, dry_run=dry_run, as_json=as_json, user=user, columns=mapping)
    except ColumnsUnmatched as exc:
        _print_unmatched(exc, as_json=as_json)
        return EXIT_NOTHING
    except (FileRejected, Refused) as exc:
        if as_json:
            print(json.dumps({"aplicado": False, "error": str(exc)}, ensure_ascii=False, indent=2))
        else:
            print(f"Error: {exc}", file=sys.stderr)
        return EXIT_NOTHING


def _print_unmatched(exc: ColumnsUnmatched, *, as_json: bool) -> None:
    """What is missing, the file's columns (of each sheet) with a few values, and how to say which is which."""
    missing = [table.key(header) for table in exc.tables for header in table.missing]
    remembered = {
        table.key(contract): mine for table in exc.tables for contract, mine in (table.remembered or {}).items()
    }
    if as_json:
        report = {
            "aplicado": False,
            "error": str(exc),
            "faltan": missing,
            "columnas_del_archivo": [
                {"columna": c.index, "encabezado": c.header, "ejemplos": list(c.samples)}
                | ({"hoja": table.sheet} if table.sheet else {})
                for table in exc.tables
                for c in table.file_columns
            ],
            "columnas_recordadas": remembered or None,
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return
    print(f"Error: {exc}", file=sys.stderr)
    for table in exc.tables:
        print(f"Columnas de la hoja «{table.sheet}»:" if table.sheet else "Columnas del archivo:", file=sys.stderr)
        for column in table.file_columns:
            samples = f" (por ejemplo: {', '.join(column.samples)})" if column.samples else ""
            print(f"  «{column.header}»{samples}", file=sys.stderr)
    example = ",".join(f"{name}=<columna del archivo>" for name in missing)
    if remembered:
        example = ",".join(f"{contract}={mine}" for contract, mine in remembered.items())
        print("Para archivos como este se usó antes:", file=sys.stderr)
    print(f'Repita la orden con --columns "{example}".', file=sys.stderr)


def _print_report(report: dict[str, Any], problems: list[Problem], notices: list[str], *, as_json: bool) -> None:
    report["avisos_generales"] = notices
    report["problemas"] = [
        {"fila": p.row, "columna": p.where, "valor": p.value, "problema": p.message, "gravedad": p.severity.value}
        for p in problems
    ]
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2, default=str))
        return
    for notice in notices:
        print(notice)
    for p in problems:
        print(f"Fila {p.row} · {p.where} · {p.severity}: {p.message}" + (f" («{p.value}»)" if p.value else ""))


STALE_RETRIES = 5


def _import_progress(
    name: str, data: bytes, *, dry_run: bool, as_json: bool, user: str, columns: dict[str, str] | None
) -> int:
    engine = db.make_engine()
    batch_id = None
    for attempt in range(1, STALE_RETRIES + 1):
        with Session(engine) as session:
            preview = validate_progress(
                session=session,
                data=data,
                file_name=name,
                today=max(formatting.colombia_today(), reference_day(session)),
                columns=columns,
            )
        if dry_run or not preview.has_changes:
            break
        try:
            with db.transaction(engine) as session:
                batch_id = apply_progress(session=session, preview=preview, user=user).batch_id
            break
        except StalePreview:  # someone wrote in between: nobody reviews here, so check the file again
            if attempt == STALE_RETRIES:
                raise
    held = preview.held_rows
    counts = {
        "filas": preview.rows_total,
        "nuevos": preview.count(NEW),
        "actualizados": preview.count(UPDATED),
        "sin_cambio": preview.count(UNCHANGED),
        "retenidas": len(held),
    }
    report: dict[str, Any] = {
        "archivo": name,
        "tipo": BatchKind.PROGRESS.value,
        "aplicado": batch_id is not None,
        "carga": batch_id,
        "conteos": counts,
    }
    _print_report(report, preview.problems, preview.notices, as_json=as_json)
    if not as_json:
        verb = "Se revisaron" if dry_run else "Se cargaron"
        print(
            f"{verb} {counts['filas']} filas: {counts['nuevos']} reportes nuevos, {counts['actualizados']} "
            f"actualizados, {counts['sin_cambio']} sin cambio, {counts['retenidas']} retenidas por errores."
            + (f" Carga número {batch_id}." if batch_id else "")
        )
        if preview.already_applied and not preview.has_changes:
            print(f"Este archivo ya se había cargado (carga número {preview.already_applied[0]}).")
    errors = any(p.severity == ERROR for p in preview.problems)
    if not preview.has_changes and errors:
        return EXIT_NOTHING
    return EXIT_PARTIAL if held else EXIT_APPLIED


def _import_plan(
    name: str,
    data: bytes,
    *,
    dry_run: bool,
    as_json: bool,
    user: str,
    allow_deletions: bool,
    yes: bool,
    columns: dict[str, str] | None,
) -> int:
    engine = db.make_engine()
    with Session(engine) as session:
        preview = plan_workbook.validate_plan_workbook(
            session=session, data=data, file_name=name, allow_deletions=allow_deletions, columns=columns
        )
    batch_id = None
    unconfirmed = preview.deletion_warning if not yes else None
    if not dry_run and preview.has_changes and not preview.has_errors and not unconfirmed:
        with db.transaction(engine) as session:
            batch_id = plan_workbook.apply_plan_workbook(
                session=session, preview=preview, user=user, deletions_confirmed=yes
            ).batch_id
    counts = {what: preview.total(what) for what in ("created", "updated", "unchanged", "deleted")}
    report: dict[str, Any] = {
        "archivo": name,
        "tipo": BatchKind.PLAN_WORKBOOK.value,
        "aplicado": batch_id is not None,
        "carga": batch_id,
        "conteos": {
            "nuevas": counts["created"],
            "actualizadas": counts["updated"],
            "sin_cambio": counts["unchanged"],
            "borradas": counts["deleted"],
        },
    }
    if unconfirmed:
        report["borrados_sin_confirmar"] = unconfirmed
    _print_report(report, preview.problems, preview.notices, as_json=as_json)
    if not as_json:
        if preview.has_errors:
            print("El libro tiene errores: no se cargó nada. Corríjalos y vuelva a cargarlo.")
        elif unconfirmed and not dry_run:
            print(f"{unconfirmed} No se cargó nada: para confirmarlo, repita la orden con --yes.", file=sys.stderr)
        else:
            verb = "Se revisó" if dry_run else "Se cargó"
            print(
                f"{verb} el libro del plan: {counts['created']} filas nuevas, {counts['updated']} actualizadas, "
                f"{counts['unchanged']} sin cambio, {counts['deleted']} borradas."
                + (f" Carga número {batch_id}." if batch_id else "")
            )
            if unconfirmed:
                print(f"Aviso: {unconfirmed} Para cargarlo habrá que confirmarlo con --yes.")
    if preview.has_errors or (unconfirmed and not dry_run):
        return EXIT_NOTHING
    return EXIT_APPLIED


def export_plan_file(file: str) -> int:
    with Session(db.make_engine()) as session:
        content = plan_workbook.export_plan(session=session)
    Path(file).write_bytes(content)
    print(f"Libro del plan guardado en {file}.")
    return EXIT_APPLIED


def print_history() -> int:
    with Session(db.make_engine()) as session:
        history = batch_history(session=session)
    if history.empty:
        print("No se ha cargado ningún archivo.")
    for row in history.itertuples():
        status = STATUS_LABELS.get(str(row.status), str(row.status))
        print(
            f"{row.id:>5}  {formatting.day(pd.Timestamp(str(row.created_at)))}  {row.kind:<16} {status:<9} "
            f"{row.rows_applied:>6} aplicadas {row.rows_rejected:>6} retenidas  {row.file_name}  ({row.created_by})"
        )
    return EXIT_APPLIED


def undo(batch_id: int, *, user: str) -> int:
    try:
        with db.transaction(db.make_engine()) as session:
            # Whoever runs the command line holds the server itself: it acts as the administration.
            result = undo_batch(session=session, batch_id=batch_id, user=user, role=ADMIN)
    except UndoRefused as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(f"Carga número {result.batch_id} deshecha: {result.deleted} filas borradas, {result.restored} restauradas.")
    return EXIT_APPLIED
