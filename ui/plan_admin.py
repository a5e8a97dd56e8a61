"""Streamlit helpers of the «Administrar el plan» page: what it reads, and one form field per plan column.

Reads are small (one catalog) and done on every run, so a save shows at once. Every write stays in
``core.plan_edit`` / ``core.merge``: the page only calls them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

import pandas as pd
import streamlit as st
from sqlmodel import Session

from core import formatting
from core.excel.cells import normalized
from core.excel.spec import CellKind, PlanColumn
from core.plan import edit, merge, rules
from core.refusals import Refused
from core.tables import Column, Kind
from ui.components import md
from ui.database import engine
from ui.state import NOT_WRITTEN, write

CATALOG_LABELS = {
    edit.LINES: "Líneas estratégicas",
    edit.PROGRAMS: "Programas",
    edit.PROJECTS: "Proyectos",
    edit.COMMITMENTS: "Compromisos",
    edit.ACTORS: "Actores",
    edit.PACTS: "Pactos y alianzas",
    edit.BARRIOS: "Barrios (población y área)",
    edit.PLAN_PROFILE: "Plan: visión y horizonte",
    edit.IDEAS: "Ideas-fuerza de la visión",
    edit.INSTRUMENTS: "Instrumentos de planeación de los actores",
    edit.ALIGNMENTS: "Articulación (el plan en los instrumentos)",
    edit.MILESTONE_KINDS: "Tipos de hito (catálogo)",
    edit.MILESTONES: "Hitos de institucionalización",
    edit.PP_CEILINGS: "Topes de Presupuesto Participativo",
    edit.PP_PROJECTS: "Proyectos de Presupuesto Participativo",
}
LONG_TEXT = {"description", "objective", "vision", "their_text"}
NONE_LABEL = "— Ninguno —"
STATE = "state"
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def records(catalog: str) -> pd.DataFrame:
    with Session(engine()) as session:
        return edit.list_records(session=session, catalog=catalog)


def record(catalog: str, code: str) -> dict[str, Any]:
    with Session(engine()) as session:
        return edit.get_record(session=session, catalog=catalog, code=code)


def history(catalog: str, code: str) -> dict[str, int]:
    with Session(engine()) as session:
        return edit.history(session=session, catalog=catalog, code=code)


def merge_preview(catalog: str, keep: str, drop: str) -> merge.MergePreview:
    with Session(engine()) as session:
        return merge.preview_merge(session=session, catalog=catalog, keep=keep, drop=drop)


def merges() -> pd.DataFrame:
    with Session(engine()) as session:
        return merge.merge_history(session=session)


def _title(row: Mapping[Any, Any]) -> str:
    if row.get("ceiling_cop") is not None:
        return f"tope {formatting.money(row['ceiling_cop'])}"
    for field in ("name", "title", "description", "text", "their_text"):
        if row.get(field):
            return str(row[field])
    return ""


def archived_codes(frame: pd.DataFrame, key: str = "code") -> set[str]:
    if edit.ARCHIVED not in frame:
        return set()
    return set(frame.loc[frame[edit.ARCHIVED].notna(), key].astype(str))


def labels(
    frame: pd.DataFrame, *, active_only: bool = False, keep: Iterable[str] = (), key: str = "code"
) -> dict[str, str]:
    """code -> «code · name», for selectboxes: archived records marked, or left out unless in ``keep``. ``key``:
    the field records are known by (a PP ceiling's year)."""
    archived, kept = archived_codes(frame, key), set(keep)
    out = {}
    for row in frame.to_dict("records"):
        code = str(row[key])
        if active_only and code in archived and code not in kept:
            continue
        out[code] = f"{code} · {_title(row)[:80]}{' (archivado)' if code in archived else ''}"
    return out


def for_grid(catalog: str, frame: pd.DataFrame) -> pd.DataFrame:
    """The listing as the grid shows it: decimals as es-CO text, yes/no in words, the archive date as a state."""
    frame = frame.copy()
    for column in edit.form_columns(catalog):
        if column.kind is CellKind.DECIMAL and column.field in frame:
            frame[column.field] = [formatting.number(value, 2) for value in frame[column.field]]
        elif column.kind is CellKind.BOOL and column.field in frame:
            frame[column.field] = [
                formatting.BLANK if value is None else "Sí" if value else "No" for value in frame[column.field]
            ]
    if edit.ARCHIVED in frame:
        frame[STATE] = [
            "Activo" if value is None or value != value else f"Archivado el {formatting.day(value)}"
            for value in frame[edit.ARCHIVED]
        ]
    return frame


def search(frame: pd.DataFrame, text: str) -> pd.DataFrame:
    """Rows where any column holds the text (case and accents aside)."""
    wanted = normalized(text)
    if not wanted:
        return frame
    joined = frame.astype(str).agg(" ".join, axis=1).map(normalized)
    return frame.loc[joined.str.contains(wanted, regex=False)]


def grid_columns(catalog: str, frame: pd.DataFrame) -> list[Column]:
    kinds = {CellKind.DATE: Kind.DATE, CellKind.MONEY: Kind.PESOS, CellKind.INTEGER: Kind.INTEGER}
    columns = [
        Column(c.field, c.header, kinds.get(c.kind, Kind.TEXT)) for c in edit.form_columns(catalog) if c.field in frame
    ]
    columns += [Column(link.field, link.label.split(" (")[0]) for link in edit.LINKS.get(catalog, ())]
    if STATE in frame:
        columns.append(Column(STATE, "Estado"))
    return columns


def field_input(column: PlanColumn, current: Any, key: str, references: Mapping[str, dict[str, str]]) -> Any:
    """One form widget for a plan column, showing ``current``; blanks stay blank (never zero)."""
    label = f"{column.header}{' *' if column.required else ''}"
    match column.kind:
        case CellKind.CHOICE:
            options = [*([] if column.required else [None]), *column.choices]
            if current is not None and current not in options:
                options.append(current)
            return st.selectbox(
                label,
                options,
                index=options.index(current) if current in options else 0,
                format_func=lambda v: NONE_LABEL if v is None else str(v),
                key=key,
            )
        case CellKind.REF:
            choices = dict(references[column.target])
            if current is not None and current not in choices:
                choices[current] = f"{current} (archivado)"
            options = [None, *choices]
            return st.selectbox(
                label,
                options,
                index=options.index(current) if current in options else 0,
                format_func=lambda v: NONE_LABEL if v is None else choices[v],
                key=key,
            )
        case CellKind.INTEGER:
            return st.number_input(label, value=current, step=1, format="%d", key=key)
        case CellKind.MONEY:
            saved = f"Guardado: {md(formatting.money(current))}. " if current is not None else ""
            return st.number_input(
                label, value=current, step=1_000_000.0, format="%.0f", key=key, help=f"{saved}En pesos, sin puntos."
            )
        case CellKind.DECIMAL | CellKind.PERCENT | CellKind.SHARE:
            return st.number_input(label, value=current, step=0.1, key=key)
        case CellKind.DATE:
            return st.date_input(
                label, value=current, format="DD/MM/YYYY", min_value=FIRST_DAY, max_value=LAST_DAY, key=key
            )
        case CellKind.BOOL:
            return st.checkbox(label, value=bool(current), key=key)
        case CellKind.COLOR:
            help_text = "Un código como #0B5394 o un nombre: rojo, azul, verde, naranja…"
            return st.text_input(label, value=current or "", key=key, help=help_text)
        case _ if column.field in LONG_TEXT:
            return st.text_area(label, value=current or "", key=key)
        case _:
            return st.text_input(label, value=current or "", key=key)


def refusal_errors(refused: Refused) -> dict[str, str]:
    """Field -> message: a plan edit's own (``edit.PlanEditRefused.errors``), else the whole refusal on top."""
    if isinstance(refused, edit.PlanEditRefused):
        return refused.errors
    return {edit.GENERAL: " ".join(refused.messages)}


def show_errors(refused: Refused, slots: Mapping[str, Any]) -> None:
    """Each message beside its field; what has no field on top."""
    st.error("No se guardó nada: corrija lo señalado.")
    for name, message in refusal_errors(refused).items():
        slots.get(name, st).error(md(message))


MERGE_COLUMNS = [
    Column("Qué", "Qué"),
    Column("Pasan al que se conserva", "Pasan al que se conserva", Kind.INTEGER),
    Column("Se combinan con los suyos", "Se combinan con los suyos", Kind.INTEGER),
]


def stage_rules() -> None:
    with st.expander("¿Qué cambios de etapa se permiten?"):
        for rule in rules.STAGE_RULES:
            st.markdown(f"- {rule}")
        st.caption("El libro del plan avisa (sin impedirlo) cuando trae un cambio de etapa que aquí no se permite.")


def record_form(catalog: str, code: str | None, prefix: str) -> tuple[str, list[str]] | None:
    """The form of one record (``code`` None: a new one), every field with the catalog's rules; saving it is one
    audited transaction. Returns the code saved and its warnings, or None while nothing was saved."""
    current = {} if code is None else record(catalog, code)
    references = {
        target: labels(records(target), active_only=True)
        for target in {c.target for c in edit.form_columns(catalog) if c.target}
    }
    with st.form(f"{prefix}_form"):
        values, slots = {}, {}
        for column in edit.form_columns(catalog):
            if catalog == edit.FIXED and column.field == "code":
                st.text_input(column.header, value=current.get("code", ""), disabled=True, key=f"{prefix}_code")
                continue
            values[column.field] = field_input(
                column, current.get(column.field), f"{prefix}_{column.field}", references
            )
            slots[column.field] = st.empty()
        for link in edit.LINKS.get(catalog, ()):
            had = current.get(link.field, [])
            linked = labels(records(link.target), active_only=True, keep=had)
            values[link.field] = st.multiselect(
                link.label,
                list(linked),
                default=[c for c in had if c in linked],
                format_func=linked.__getitem__,
                key=f"{prefix}_{link.field}",
                placeholder=link.when_blank,
            )
            slots[link.field] = st.empty()
        st.caption("Los campos con \\* son obligatorios. Un número en blanco queda sin dato, nunca en cero.")
        if not st.form_submit_button("Guardar", type="primary"):
            return None
        code_saved = write(
            edit.save_record,
            catalog=catalog,
            values=values,
            code=code,
            refused=lambda refused: show_errors(refused, slots),
        )
    if code_saved is NOT_WRITTEN:
        return None
    return code_saved, edit.record_warnings(catalog, values)
