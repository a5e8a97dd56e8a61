"""The plan as of a cut-off date, read in a handful of queries, and the semáforo thresholds."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Select, select
from sqlmodel import Session

from core.db import read_raw, table_columns
from core.excel import colors
from core.models import (
    Actor,
    Barrio,
    Commitment,
    CommitmentActor,
    CommitmentBarrio,
    Program,
    ProgressReport,
    Project,
    ProjectBarrio,
    Setting,
    StrategicLine,
)


@dataclass(frozen=True)
class Thresholds:
    """Semáforo and freshness limits; eficacia in percent, freshness in days."""

    on_track: float = 80.0
    delayed: float = 60.0
    fresh_days: float = 45
    outdated_days: float = 90


DEFAULT_THRESHOLDS = Thresholds()
DEFAULT_LINE_COLOR = "#0B5394"  # StrategicLine.color's default
THRESHOLD_SETTING_PREFIX = "threshold."  # e.g. Setting(key="threshold.on_track", value="85")


def load_thresholds(*, session: Session) -> Thresholds:
    """Thresholds of this database (``threshold.*`` settings), falling back to the design's defaults."""
    values: dict[str, float] = {}
    for field in fields(Thresholds):
        default = float(getattr(DEFAULT_THRESHOLDS, field.name))
        setting = session.get(Setting, THRESHOLD_SETTING_PREFIX + field.name)
        try:
            values[field.name] = float(setting.value.replace(",", ".")) if setting else default
        except ValueError:
            values[field.name] = default  # a typo in a setting must never break a page
    return Thresholds(**values)


@dataclass(frozen=True)
class Snapshot:
    """The plan as stored, restricted to reports on or before ``on``."""

    on: date
    commitments: pd.DataFrame  # one row per commitment with its project, program and line
    reports: pd.DataFrame  # commitment_id, cut_off_date, physical_pct, achieved_value, budget_executed_cop
    commitment_actors: pd.DataFrame  # commitment_id, actor_id, share
    commitment_barrios: pd.DataFrame  # commitment_id, barrio_id (effective: own barrios, else the project's)
    lines: pd.DataFrame
    actors: pd.DataFrame
    barrios: pd.DataFrame


def read_frame(session: Session, statement: Select[Any]) -> pd.DataFrame:
    return pd.read_sql(statement, session.connection())


def _as_timestamps(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def load_snapshot(*, session: Session, on: date) -> Snapshot:
    c, p, g, ln = (table_columns(model) for model in (Commitment, Project, Program, StrategicLine))
    commitments = read_raw(
        session,
        select(
            c.id.label("commitment_id"),
            c.code,
            c.description,
            c.unit,
            c.target,
            c.due_date,
            c.weight,
            c.budget_cop,
            c.cancelled,
            c.pact_id,
            p.id.label("project_id"),
            p.code.label("project_code"),
            p.name.label("project_name"),
            p.stage,
            p.start_date,
            p.end_date.label("project_end_date"),
            p.weight.label("project_weight"),
            p.lead_actor_id,
            g.id.label("program_id"),
            g.code.label("program_code"),
            g.name.label("program_name"),
            g.weight.label("program_weight"),
            ln.id.label("line_id"),
            ln.code.label("line_code"),
            ln.name.label("line_name"),
            ln.weight.label("line_weight"),
        )
        .join_from(c.id.table, p.id.table, p.id == c.project_id)
        .join(g.id.table, g.id == p.program_id)
        .join(ln.id.table, ln.id == g.line_id)
        .where(*(column.is_(None) for column in (c.archived_on, p.archived_on, g.archived_on, ln.archived_on)))
        .order_by(c.code),
    )
    commitments = _as_timestamps(commitments, "due_date", "start_date", "project_end_date")
    numeric = ["target", "weight", "budget_cop", "project_weight", "program_weight", "line_weight"]
    commitments[numeric] = commitments[numeric].astype(float)
    commitments["cancelled"] = commitments.cancelled.astype(bool)
    r = table_columns(ProgressReport)
    reports = read_raw(
        session,
        select(r.commitment_id, r.cut_off_date, r.physical_pct, r.achieved_value, r.budget_executed_cop)
        .where(r.cut_off_date <= on)
        .order_by(r.commitment_id, r.cut_off_date),
    )
    reports = _as_timestamps(reports, "cut_off_date")
    numeric = ["physical_pct", "achieved_value", "budget_executed_cop"]
    reports[numeric] = reports[numeric].astype(float)  # an all-blank column would otherwise arrive as objects
    ca, cb, pb = table_columns(CommitmentActor), table_columns(CommitmentBarrio), table_columns(ProjectBarrio)
    a, b = table_columns(Actor), table_columns(Barrio)
    commitment_actors = read_raw(
        session,
        select(ca.commitment_id, ca.actor_id, ca.share)
        .join_from(ca.actor_id.table, a.id.table, a.id == ca.actor_id)
        .where(a.archived_on.is_(None)),
    )
    commitment_actors["share"] = commitment_actors.share.astype(float)
    own = read_raw(session, select(cb.commitment_id, cb.barrio_id))
    by_project = read_raw(session, select(pb.project_id, pb.barrio_id))
    inherited = commitments.loc[~commitments.commitment_id.isin(own.commitment_id), ["commitment_id", "project_id"]]
    inherited = inherited.merge(by_project, on="project_id")[["commitment_id", "barrio_id"]]
    lines = read_frame(
        session,
        select(ln.id, ln.code, ln.name, ln.color, ln.sort_order)
        .where(ln.archived_on.is_(None))
        .order_by(ln.sort_order, ln.code),
    )
    # A colour stored before colours were checked ("rojo") would make plotly raise on every page that draws lines.
    lines["color"] = lines.color.map(lambda stored: colors.color_or(stored, DEFAULT_LINE_COLOR))
    actors = read_frame(
        session, select(a.id, a.code, a.name, a.short_name, a.sector).where(a.archived_on.is_(None)).order_by(a.name)
    )
    barrios = read_frame(session, select(b.id, b.code, b.name, b.area_m2, b.population).order_by(b.code))
    return Snapshot(
        on=on,
        commitments=commitments,
        reports=reports,
        commitment_actors=commitment_actors,
        commitment_barrios=pd.concat([own, inherited], ignore_index=True),
        lines=lines,
        actors=actors,
        barrios=barrios,
    )


def as_of(snapshot: Snapshot, on: date) -> Snapshot:
    """The same plan at an earlier cut-off: only the reports up to ``on`` (no second read of the database)."""
    assert on <= snapshot.on, "a snapshot holds no report after its own cut-off"
    return replace(snapshot, on=on, reports=snapshot.reports.loc[snapshot.reports.cut_off_date <= pd.Timestamp(on)])
