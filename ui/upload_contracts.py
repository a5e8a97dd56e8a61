"""The Excel contracts as the upload flow (``ui.upload``) sees them, and the templates the pages offer.

Each contract says how to validate a file, what its review shows and how it is applied; the flow does the rest.
The uploaders take no ``type=``: Streamlit would refuse a file by its extension in English; ``core.excel.reading``
reads .xlsx, .xls, .ods and .csv, and says in Spanish why anything else cannot be used.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import pandas as pd
from sqlmodel import Session

from core import formatting
from core.excel.problems import ERROR, PROBLEM_COLUMNS, ChangeKind, Checked
from core.tables import Column, Kind
from core.uploads import alignment, attendance, plan_workbook, pp, progress
from core.uploads.progress_workbooks import error_workbook, progress_template
from ui.state import dataset_info, engine
from ui.upload import Count, Report, Review, UploadContract, UploadRequest, plural


def errors(preview: Checked) -> int:
    return sum(1 for problem in preview.problems if problem.severity == ERROR)


def reference_day() -> date:
    """Today; while the demo is loaded, the demo's own date (its reports never reach the real today)."""
    return dataset_info().demo_as_of or formatting.colombia_today()


# ---------------------------------------------------------------------------------------------- progress sheet

PROGRESS_CHANGE_COLUMNS = [
    Column("row", "Fila", Kind.INTEGER),
    Column("kind_label", "Cambio"),
    Column("commitment_code", "Compromiso"),
    Column("description", "Descripción"),
    Column("cut_off_date", "Fecha de corte", Kind.DATE),
    Column("previous_progress", "Avance anterior", Kind.PERCENT),
    Column("new_progress", "Avance nuevo", Kind.PERCENT),
    Column("budget_executed_cop", "Ejecutado", Kind.PESOS),
]
PROGRESS_KIND_LABELS = {
    progress.NEW: "nuevo reporte",
    progress.UPDATED: "actualiza el reporte",
    progress.UNCHANGED: "sin cambio",
}


def _validate_progress(session: Session, request: UploadRequest, report: Report) -> progress.ImportPreview:
    return progress.validate_progress(
        session=session,
        data=request.data,
        file_name=request.file_name,
        today=max(formatting.colombia_today(), reference_day()),
        confirmed=dict(request.confirmed),
        progress=report,
        columns=request.columns,
    )


def _progress_review(preview: progress.ImportPreview) -> Review:
    changes = preview.changes.assign(kind_label=preview.changes.kind.map(PROGRESS_KIND_LABELS))
    to_apply = changes.loc[changes.kind != progress.UNCHANGED]
    typed = {p.row: p.value for p in preview.problems if p.row in preview.suggestions and p.value}
    return Review(
        counts=[
            Count("Filas", preview.rows_total, "Filas con datos de avance."),
            Count("Nuevos", preview.count(progress.NEW), "Reportes de avance que se agregan."),
            Count("Actualizados", preview.count(progress.UPDATED), "Reportes que cambian de valor."),
            Count("Sin cambio", preview.count(progress.UNCHANGED), "Ya estaban así en el plan."),
            Count("Retenidas", len(preview.held_rows), "Filas con errores: no se cargan."),
        ],
        notices=preview.notices,
        problems=preview.problem_table(),
        errors=errors(preview),
        problem_columns=PROBLEM_COLUMNS,
        has_changes=preview.has_changes,
        apply_label=f"Aplicar {plural(len(to_apply), 'fila válida', 'filas válidas')}",
        nothing_to_change="No hay nada que cambiar en el plan con este archivo.",
        changes=to_apply,
        change_columns=PROGRESS_CHANGE_COLUMNS,
        already_applied=preview.already_applied,
        suggestions={row: (typed.get(row, ""), options) for row, options in preview.suggestions.items()},
    )


def _apply_progress(session: Session, preview: progress.ImportPreview, user: str, _deletions: bool) -> str:
    result = progress.apply_progress(session=session, preview=preview, user=user)
    return (
        f"Carga número {result.batch_id} aplicada: {formatting.number(result.inserted)} reportes nuevos y "
        f"{formatting.number(result.updated)} actualizados; {formatting.number(result.held)} filas retenidas. "
        "Todas las páginas ya muestran las cifras nuevas; puede deshacerla en «Historial de cargas»."
    )


PROGRESS = UploadContract[progress.ImportPreview](
    key="progress",
    kind=progress.KIND,
    uploader_label="Plantilla de avance llena (.xlsx, .xls, .ods o .csv)",
    checking="Leyendo el archivo…",
    validate=_validate_progress,
    review=_progress_review,
    apply=_apply_progress,
    error_workbook=error_workbook,
)


def progress_template_bytes(actor_code: str | None, line_code: str | None) -> bytes:
    with Session(engine()) as session:
        return progress_template(session=session, on=reference_day(), actor_code=actor_code, line_code=line_code)


# ---------------------------------------------------------------------------------------------- attendance sheet

ATTENDANCE_CHANGE_COLUMNS = [
    Column("row", "Fila", Kind.INTEGER),
    Column("kind_label", "Cambio"),
    Column("actor_code", "Código actor"),
    Column("actor_name", "Actor"),
    Column("invited_label", "Invitado"),
    Column("attended_label", "Asistió"),
    Column("delegates", "Delegados", Kind.INTEGER),
    Column("previous", "Antes"),
]
ATTENDANCE_KIND_LABELS = {
    attendance.NEW: "nuevo",
    attendance.CHANGED: "actualiza",
    attendance.UNCHANGED: "sin cambio",
}


def _yes_no(values: pd.Series) -> pd.Series:
    def shown(value: bool | None) -> str:
        if value is None or pd.isna(value):
            return ""
        return attendance.YES if value else attendance.NO

    return values.map(shown)


def _validate_attendance(session: Session, request: UploadRequest, _report: Report) -> attendance.AttendancePreview:
    assert isinstance(request.options, int), "an attendance sheet is checked against one event"
    return attendance.validate_attendance(
        session=session,
        data=request.data,
        file_name=request.file_name,
        event_id=request.options,
        columns=request.columns,
    )


def rows_review(
    preview: attendance.AttendancePreview | alignment.AlignmentPreview | pp.PPPreview,
    to_apply: pd.DataFrame,
    *,
    labels: tuple[str, str],
    apply_label: str,
    nothing_to_change: str,
    change_columns: Sequence[Column],
) -> Review:
    """The review of a one-sheet contract whose rows are new, updated or unchanged (``labels``: how the first two
    are counted, «Nuevos»/«Nuevas»)."""
    return Review(
        counts=[
            Count(labels[0], preview.count(ChangeKind.NEW)),
            Count(labels[1], preview.count(ChangeKind.UPDATED)),
            Count("Sin cambio", preview.count(ChangeKind.UNCHANGED)),
            Count("Retenidas", len(preview.held_rows)),
        ],
        notices=preview.notices,
        problems=preview.problem_table(),
        errors=errors(preview),
        problem_columns=PROBLEM_COLUMNS,
        has_changes=preview.has_changes,
        apply_label=apply_label,
        nothing_to_change=nothing_to_change,
        changes=to_apply,
        change_columns=change_columns,
        already_applied=preview.already_applied,
    )


def _attendance_review(preview: attendance.AttendancePreview) -> Review:
    changes = preview.changes
    to_apply = changes.loc[changes.kind != attendance.UNCHANGED].assign(
        kind_label=lambda rows: rows.kind.map(ATTENDANCE_KIND_LABELS),
        invited_label=lambda rows: _yes_no(rows.invited),
        attended_label=lambda rows: _yes_no(rows.attended),
    )
    return rows_review(
        preview,
        to_apply,
        labels=("Nuevos", "Actualizados"),
        apply_label="Aplicar la asistencia",
        nothing_to_change="La planilla no cambia nada de la asistencia registrada.",
        change_columns=ATTENDANCE_CHANGE_COLUMNS,
    )


def _apply_attendance(session: Session, preview: attendance.AttendancePreview, user: str, _deletions: bool) -> str:
    result = attendance.apply_attendance(session=session, preview=preview, user=user)
    return (
        f"Asistencia aplicada (carga número {result.batch_id}): {formatting.number(result.inserted)} nuevos y "
        f"{formatting.number(result.updated)} actualizados."
    )


ATTENDANCE = UploadContract[attendance.AttendancePreview](
    key="attendance",
    kind=attendance.ATTENDANCE_KIND,
    uploader_label="Planilla de asistencia llena (.xlsx, .xls, .ods o .csv)",
    checking="Revisando la planilla…",
    validate=_validate_attendance,
    review=_attendance_review,
    apply=_apply_attendance,
)


def attendance_template_bytes(event_id: int) -> bytes:
    with Session(engine()) as session:
        return attendance.attendance_template(session=session, event_id=event_id)


# ---------------------------------------------------------------------------------------------- plan workbook

# The same problem table; its column names the sheet too («Compromisos · Meta»).
PLAN_PROBLEM_COLUMNS = [
    replace(column, header="Hoja · columna") if column.source == "Columna" else column for column in PROBLEM_COLUMNS
]
PLAN_CHANGE_COLUMNS = [
    Column("Hoja", "Hoja"),
    Column("Filas en el archivo", "Filas en el archivo", Kind.INTEGER),
    Column("Nuevas", "Nuevas", Kind.INTEGER),
    Column("Actualizadas", "Actualizadas", Kind.INTEGER),
    Column("Sin cambio", "Sin cambio", Kind.INTEGER),
    Column("Borradas", "Borradas", Kind.INTEGER),
]


def _validate_plan(session: Session, request: UploadRequest, _report: Report) -> plan_workbook.PlanImportPreview:
    return plan_workbook.validate_plan_workbook(
        session=session,
        data=request.data,
        file_name=request.file_name,
        allow_deletions=bool(request.options),
        columns=request.columns,
    )


def _plan_review(preview: plan_workbook.PlanImportPreview) -> Review:
    return Review(
        counts=[
            Count("Nuevas", preview.total("created")),
            Count("Actualizadas", preview.total("updated")),
            Count("Sin cambio", preview.total("unchanged")),
            Count("Borradas", preview.total("deleted")),
        ],
        notices=preview.notices,
        problems=preview.problem_table(),
        errors=errors(preview),
        problem_columns=PLAN_PROBLEM_COLUMNS,
        has_changes=preview.has_changes,
        apply_label="Aplicar el libro",
        nothing_to_change="El libro no cambia nada del plan.",
        changes=preview.change_table(),
        change_columns=PLAN_CHANGE_COLUMNS,
        already_applied=preview.already_applied,
        repeat_warning="Si lo aplica otra vez, los eventos sin número se crearán de nuevo.",
        errors_hold_everything=True,
        deletion_warning=preview.deletion_warning,
        deletions=preview.total("deleted"),
    )


def _apply_plan(session: Session, preview: plan_workbook.PlanImportPreview, user: str, deletions: bool) -> str:
    result = plan_workbook.apply_plan_workbook(
        session=session, preview=preview, user=user, deletions_confirmed=deletions
    )
    return (
        f"Libro aplicado (carga número {result.batch_id}): {formatting.number(result.created)} filas nuevas, "
        f"{formatting.number(result.updated)} actualizadas, {formatting.number(result.deleted)} borradas. "
        "Puede deshacerlo en «Historial de cargas»."
    )


PLAN_WORKBOOK = UploadContract[plan_workbook.PlanImportPreview](
    key="plan",
    kind=plan_workbook.KIND,
    uploader_label="Libro del plan (.xlsx u .ods)",
    checking="Revisando el libro del plan…",
    validate=_validate_plan,
    review=_plan_review,
    apply=_apply_plan,
)


def plan_workbook_bytes() -> bytes:
    with Session(engine()) as session:
        return plan_workbook.export_plan(session=session)


# ---------------------------------------------------------------------------------------------- plantilla de PP

PP_CHANGE_COLUMNS = [
    Column("row", "Fila", Kind.INTEGER),
    Column("kind_label", "Cambio"),
    Column("code", "Proyecto de PP"),
    Column("name", "Nombre"),
    Column("previous_assigned", "Asignado antes", Kind.PESOS),
    Column("assigned_cop", "Asignado", Kind.PESOS),
]
PP_KIND_LABELS = {pp.NEW: "nuevo", pp.UPDATED: "actualiza", pp.UNCHANGED: "sin cambio"}


def _validate_pp(session: Session, request: UploadRequest, _report: Report) -> pp.PPPreview:
    assert isinstance(request.options, int), "a plantilla de PP is checked against one year"
    return pp.validate_pp(
        session=session, data=request.data, file_name=request.file_name, year=request.options, columns=request.columns
    )


def _pp_review(preview: pp.PPPreview) -> Review:
    to_apply = preview.changes.loc[preview.changes.kind != pp.UNCHANGED].assign(
        kind_label=lambda rows: rows.kind.map(PP_KIND_LABELS)
    )
    return rows_review(
        preview,
        to_apply,
        labels=("Nuevos", "Actualizados"),
        apply_label=f"Aplicar {plural(len(to_apply), 'proyecto de PP', 'proyectos de PP')}",
        nothing_to_change="La plantilla no cambia nada del Presupuesto Participativo registrado.",
        change_columns=PP_CHANGE_COLUMNS,
    )


def _apply_pp(session: Session, preview: pp.PPPreview, user: str, _deletions: bool) -> str:
    result = pp.apply_pp(session=session, preview=preview, user=user)
    return (
        f"Plantilla de PP aplicada (carga número {result.batch_id}): {formatting.number(result.inserted)} proyectos "
        f"nuevos y {formatting.number(result.updated)} actualizados; {formatting.number(result.held)} filas "
        "retenidas. Puede deshacerla en «Historial de cargas»."
    )


PP = UploadContract[pp.PPPreview](
    key="pp",
    kind=pp.KIND,
    uploader_label="Plantilla de PP llena (.xlsx, .xls, .ods o .csv)",
    checking="Revisando la plantilla de PP…",
    validate=_validate_pp,
    review=_pp_review,
    apply=_apply_pp,
)


def pp_template_bytes(year: int) -> bytes:
    with Session(engine()) as session:
        return pp.pp_template(session=session, year=year)


# ------------------------------------------------------------------------------------- plantilla de articulación

ALIGNMENT_CHANGE_COLUMNS = [
    Column("row", "Fila", Kind.INTEGER),
    Column("kind_label", "Cambio"),
    Column("code_shown", "Fila de articulación"),
    Column("instrument_code", "Instrumento"),
    Column("line_code", "Línea"),
    Column("level", "Nivel", Kind.INTEGER),
    Column("state", "Estado"),
]
ALIGNMENT_KIND_LABELS = {alignment.NEW: "nueva", alignment.CHANGED: "actualiza", alignment.UNCHANGED: "sin cambio"}


def _validate_alignment(session: Session, request: UploadRequest, _report: Report) -> alignment.AlignmentPreview:
    assert isinstance(request.options, str), "a plantilla de articulación is checked against one actor"
    return alignment.validate_alignment(
        session=session,
        data=request.data,
        file_name=request.file_name,
        actor_code=request.options,
        columns=request.columns,
    )


def _alignment_review(preview: alignment.AlignmentPreview) -> Review:
    changes = preview.changes
    to_apply = changes.loc[changes.kind != alignment.UNCHANGED] if len(changes) else changes
    to_apply = to_apply.assign(
        kind_label=to_apply.kind.map(ALIGNMENT_KIND_LABELS),
        code_shown=to_apply.code.fillna("(nueva)"),
        level=[values["level"] for values in to_apply["values"]],
        state=[values["state"] for values in to_apply["values"]],
    )
    return rows_review(
        preview,
        to_apply,
        labels=("Nuevas", "Actualizadas"),
        apply_label="Aplicar la articulación",
        nothing_to_change="La plantilla no cambia nada de la articulación registrada.",
        change_columns=ALIGNMENT_CHANGE_COLUMNS,
    )


def _apply_alignment(session: Session, preview: alignment.AlignmentPreview, user: str, _deletions: bool) -> str:
    result = alignment.apply_alignment(session=session, preview=preview, user=user)
    return (
        f"Articulación aplicada (carga número {result.batch_id}): {formatting.number(result.inserted)} filas nuevas y "
        f"{formatting.number(result.updated)} actualizadas. Puede deshacerla en «Historial de cargas»."
    )


ALIGNMENT = UploadContract[alignment.AlignmentPreview](
    key="alignment",
    kind=alignment.KIND,
    uploader_label="Plantilla de articulación llena (.xlsx, .xls, .ods o .csv)",
    checking="Revisando la plantilla de articulación…",
    validate=_validate_alignment,
    review=_alignment_review,
    apply=_apply_alignment,
)


def alignment_template_bytes(actor_code: str) -> bytes:
    with Session(engine()) as session:
        return alignment.alignment_template(session=session, actor_code=actor_code)
