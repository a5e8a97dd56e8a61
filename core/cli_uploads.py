"""The upload commands of ``python -m core``: template, import, history, undo (printing only; core does the work).

``import`` exit codes: 0 everything applied (or, with --dry-run, everything valid), 1 some rows held back,
2 nothing applied (the file could not be used, or every row has errors).
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd
from sqlmodel import Session

from core import db, formatting
from core.demo import demo_as_of
from core.progress_import import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATED,
    UndoRefused,
    apply_progress,
    batch_history,
    validate_progress,
)
from core.progress_import import undo_batch as undo_progress_batch
from core.progress_workbooks import progress_template
from core.spreadsheet import FileRejected

EXIT_APPLIED, EXIT_PARTIAL, EXIT_NOTHING = 0, 1, 2


def _reference_day(session: Session) -> date:
    return demo_as_of(session=session) or date.today()


def write_template(file: str, *, actor_code: str | None, line_code: str | None) -> int:
    engine = db.make_engine()
    with Session(engine) as session:
        content = progress_template(
            session=session, on=_reference_day(session), actor_code=actor_code, line_code=line_code
        )
    Path(file).write_bytes(content)
    print(f"Plantilla de avance guardada en {file}.")
    return EXIT_APPLIED


def import_file(file: str, *, dry_run: bool, as_json: bool, user: str) -> int:
    path = Path(file)
    if not path.is_file():
        print(f"Error: no existe el archivo {file}.", file=sys.stderr)
        return EXIT_NOTHING
    engine = db.make_engine()
    try:
        with Session(engine) as session:
            preview = validate_progress(
                session=session,
                data=path.read_bytes(),
                file_name=path.name,
                today=max(date.today(), _reference_day(session)),
            )
    except FileRejected as exc:
        if as_json:
            print(json.dumps({"aplicado": False, "error": str(exc)}, ensure_ascii=False, indent=2))
        else:
            print(f"Error: {exc}", file=sys.stderr)
        return EXIT_NOTHING
    held = preview.held_rows
    counts = {
        "filas": preview.rows_total,
        "nuevos": preview.count(NEW),
        "actualizados": preview.count(UPDATED),
        "sin_cambio": preview.count(UNCHANGED),
        "retenidas": len(held),
    }
    batch_id = None
    if not dry_run and preview.has_changes:
        with db.transaction(engine) as session:
            batch_id = apply_progress(session=session, preview=preview, user=user).batch_id
    report = {
        "archivo": path.name,
        "aplicado": batch_id is not None,
        "carga": batch_id,
        "conteos": counts,
        "avisos_generales": preview.notices,
        "problemas": [
            {"fila": p.row, "columna": p.column, "valor": p.value, "problema": p.message, "gravedad": p.severity}
            for p in preview.problems
        ],
    }
    if as_json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    else:
        for notice in preview.notices:
            print(notice)
        for p in preview.problems:
            print(f"Fila {p.row} · {p.column} · {p.severity}: {p.message}" + (f" («{p.value}»)" if p.value else ""))
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


def print_history() -> int:
    with Session(db.make_engine()) as session:
        history = batch_history(session=session)
    if history.empty:
        print("No se ha cargado ningún archivo.")
    for row in history.itertuples():
        status = "aplicada" if row.status == "applied" else "deshecha"
        print(
            f"{row.id:>5}  {formatting.day(pd.Timestamp(str(row.created_at)))}  {row.kind:<16} {status:<9} "
            f"{row.rows_applied:>6} aplicadas {row.rows_rejected:>6} retenidas  {row.file_name}  ({row.created_by})"
        )
    return EXIT_APPLIED


def undo(batch_id: int, *, user: str) -> int:
    try:
        with db.transaction(db.make_engine()) as session:
            result = undo_progress_batch(session=session, batch_id=batch_id, user=user)
    except UndoRefused as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    print(
        f"Carga número {result.batch_id} deshecha: {result.deleted} reportes borrados, {result.restored} restaurados."
    )
    return EXIT_APPLIED
