"""The vision and crosswalk records as frames, in the plan's terms (codes, never ids), read in a handful of queries.

``load_adoption`` reads what the figures of ``core.adoption.alignment`` and ``core.adoption.vision`` need;
``select_adoption`` narrows it by sector, year or instrument kind (a selection: it never reads again). Archived
records (and the instruments of archived actors) never reach a frame; no personal data is read.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import pandas as pd
from sqlalchemy import Select, select
from sqlmodel import Session

from core.db import table_columns
from core.metrics.snapshots import read_frame
from core.models import (
    Actor,
    Alignment,
    IdeaFuerza,
    IdeaLine,
    Instrument,
    InstrumentLine,
    PlanProfile,
    Program,
    Project,
    StrategicLine,
)


@dataclass(frozen=True)
class AdoptionData:
    profile: dict[str, Any] | None  # the plan's profile (the first, by code), None while it has none
    ideas: pd.DataFrame  # code, text, sort_order
    idea_lines: pd.DataFrame  # idea_code, line_code
    lines: pd.DataFrame  # code, name, color, sort_order: the active lines
    actors: pd.DataFrame  # code, name, short_name, sector, kind: the active actors
    instruments: pd.DataFrame  # code, actor_code, kind, name, period_start, period_end, adopted_act
    instrument_lines: pd.DataFrame  # instrument_code, line_code: the lines each instrument concerns
    alignment: pd.DataFrame  # code, instrument_code, actor_code, sector, kind, line_code, program_code, ...


def _t(columns: Any) -> Any:
    """The table of a column collection (``db.table_columns``), to join on."""
    return next(iter(columns)).table


def _frame(session: Session, statement: Select[Any], columns: list[str]) -> pd.DataFrame:
    frame = read_frame(session, statement)
    return frame[columns] if not frame.empty else pd.DataFrame(columns=columns)


def load_adoption(*, session: Session) -> AdoptionData:
    p, i, il, ln, a = (table_columns(m) for m in (PlanProfile, IdeaFuerza, IdeaLine, StrategicLine, Actor))
    ins, inl, al, g, pr = (table_columns(m) for m in (Instrument, InstrumentLine, Alignment, Program, Project))
    profile = session.connection().execute(select(_t(p)).order_by(p.code).limit(1)).mappings().first()
    lines = _frame(
        session,
        select(ln.code, ln.name, ln.color, ln.sort_order)
        .where(ln.archived_on.is_(None))
        .order_by(ln.sort_order, ln.code),
        ["code", "name", "color", "sort_order"],
    )
    active_line = ln.archived_on.is_(None)
    ideas = _frame(
        session,
        select(i.code, i.text, i.sort_order).where(i.archived_on.is_(None)).order_by(i.sort_order, i.code),
        ["code", "text", "sort_order"],
    )
    idea_lines = _frame(
        session,
        select(i.code.label("idea_code"), ln.code.label("line_code"))
        .join(_t(il), il.idea_id == i.id)
        .join(_t(ln), ln.id == il.line_id)
        .where(i.archived_on.is_(None), active_line)
        .order_by(i.code, ln.sort_order),
        ["idea_code", "line_code"],
    )
    actors = _frame(
        session,
        select(a.code, a.name, a.short_name, a.sector, a.kind).where(a.archived_on.is_(None)).order_by(a.name),
        ["code", "name", "short_name", "sector", "kind"],
    )
    live = (ins.archived_on.is_(None), a.archived_on.is_(None))
    instruments = _frame(
        session,
        select(ins.code, a.code.label("actor_code"), ins.kind, ins.name, ins.period_start, ins.period_end,
               ins.adopted_act)
        .join(_t(a), a.id == ins.actor_id)
        .where(*live)
        .order_by(ins.code),
        ["code", "actor_code", "kind", "name", "period_start", "period_end", "adopted_act"],
    )  # fmt: skip
    instrument_lines = _frame(
        session,
        select(ins.code.label("instrument_code"), ln.code.label("line_code"))
        .join(_t(inl), inl.instrument_id == ins.id)
        .join(_t(a), a.id == ins.actor_id)
        .join(_t(ln), ln.id == inl.line_id)
        .where(*live, active_line),
        ["instrument_code", "line_code"],
    )
    alignment_columns = [
        "code", "instrument_code", "actor_code", "sector", "kind", "line_code", "program_code", "project_code",
        "their_code", "their_text", "level", "resources_cop", "year", "evidence", "state", "verified_by",
        "verified_on",
    ]  # fmt: skip
    alignment = _frame(
        session,
        select(al.code, ins.code.label("instrument_code"), a.code.label("actor_code"), a.sector, ins.kind,
               ln.code.label("line_code"), g.code.label("program_code"), pr.code.label("project_code"),
               al.their_code, al.their_text, al.level, al.resources_cop, al.year, al.evidence, al.state,
               al.verified_by, al.verified_on)
        .join(_t(ins), ins.id == al.instrument_id)
        .join(_t(a), a.id == ins.actor_id)
        .join(_t(ln), ln.id == al.line_id)
        .outerjoin(_t(g), g.id == al.program_id)
        .outerjoin(_t(pr), pr.id == al.project_id)
        .where(al.archived_on.is_(None), *live, active_line)
        .order_by(al.code),
        alignment_columns,
    )  # fmt: skip
    return AdoptionData(
        profile=dict(profile) if profile else None,
        ideas=ideas,
        idea_lines=idea_lines,
        lines=lines,
        actors=actors,
        instruments=instruments,
        instrument_lines=instrument_lines,
        alignment=typed_alignment(alignment),
    )


def typed_alignment(alignment: pd.DataFrame) -> pd.DataFrame:
    """Levels and years as whole numbers (blank stays blank), money as floats, review dates as dates."""
    out = alignment.copy()
    out["level"] = out.level.astype("Int64")
    out["year"] = pd.to_numeric(out.year).astype("Int64")
    out["resources_cop"] = pd.to_numeric(out.resources_cop).astype(float)
    out["verified_on"] = pd.to_datetime(out.verified_on)
    return out


def select_adoption(
    data: AdoptionData, *, sector: str | None = None, year: int | None = None, kind: str | None = None
) -> AdoptionData:
    """The actors of ``sector``, the instruments of ``kind`` and the crosswalk rows of ``year`` (rows without a
    year — a mention, a programme without money — stay: they belong to every year)."""
    actors, instruments, alignment = data.actors, data.instruments, data.alignment
    if sector:
        actors = actors.loc[actors.sector == sector]
        instruments = instruments.loc[instruments.actor_code.isin(actors.code)]
    if kind:
        instruments = instruments.loc[instruments.kind == kind]
    alignment = alignment.loc[alignment.instrument_code.isin(instruments.code)]
    if year is not None:
        alignment = alignment.loc[alignment.year.isna() | (alignment.year == year)]
    instrument_lines = data.instrument_lines.loc[data.instrument_lines.instrument_code.isin(instruments.code)]
    return replace(data, actors=actors, instruments=instruments, instrument_lines=instrument_lines, alignment=alignment)
