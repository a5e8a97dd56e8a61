"""The tables behind the drill-downs: projects, commitments, report history, who works where, barrio × line.

All take the assessed commitments (``metrics.assess_commitments``) of a possibly filtered snapshot, so their
figures are the dashboards' own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.db import table_columns
from core.metrics.breakdowns import WHOLE_COMUNA_NAME, by_barrio, by_project
from core.metrics.rule import CANCELLED, NO_TARGET, report_progress
from core.metrics.snapshots import DEFAULT_THRESHOLDS, Snapshot, Thresholds, read_frame
from core.models import Actor, Commitment, Pact, PactMember, Program, ProgressReport, Project, StrategicLine

PUBLIC_SECTOR = "público"
NAME_SEPARATOR = " · "


def _joined(keys: pd.Series, values: pd.Series) -> pd.Series:
    """The distinct values of each key, sorted and joined with ``NAME_SEPARATOR`` (one sort for every key: a
    Python function per group would cost seconds on a city-sized plan)."""
    present = values.notna().to_numpy()
    pairs = pd.DataFrame({"key": keys.to_numpy()[present], "value": values.astype(str).to_numpy()[present]})
    pairs = pairs.drop_duplicates()
    grouped: dict[object, list[str]] = {}
    pairs = pairs.sort_values(["key", "value"])
    for key, value in zip(pairs.key.tolist(), pairs.value.tolist(), strict=True):
        grouped.setdefault(key, []).append(value)
    return pd.Series({key: NAME_SEPARATOR.join(names) for key, names in grouped.items()}, dtype=object)


def commitment_actor_names(snapshot: Snapshot) -> pd.Series:
    """Actor short names (else names) per commitment id, joined."""
    actors = snapshot.actors.assign(label=lambda f: f.short_name.where(f.short_name.fillna("") != "", f.name))
    links = snapshot.commitment_actors.merge(actors[["id", "label"]], left_on="actor_id", right_on="id")
    return _joined(links.commitment_id, links.label)


def commitment_barrio_names(snapshot: Snapshot) -> pd.Series:
    """Barrio names per commitment id, joined; commitments located nowhere are the whole comuna."""
    links = snapshot.commitment_barrios.merge(snapshot.barrios[["id", "name"]], left_on="barrio_id", right_on="id")
    names = _joined(links.commitment_id, links.name)
    ids = snapshot.commitments.commitment_id
    located: pd.Series = names.astype(object).reindex(ids).fillna(WHOLE_COMUNA_NAME)
    located.index = ids.to_numpy()
    return located


NO_PROGRESS_NOTES = {
    NO_TARGET: "sin meta: reportó un valor logrado, pero el compromiso no tiene meta (o es 0); reporte el avance en %",
}


def commitment_table(assessed: pd.DataFrame, snapshot: Snapshot) -> pd.DataFrame:
    """One row per commitment, with its actors and barrios in words; cancelled ones included (status says so).

    ``status_note`` says why a commitment that reported has no progress (an achieved value without a target)."""
    table = assessed.assign(
        actors=assessed.commitment_id.map(commitment_actor_names(snapshot)).astype(object).fillna(""),
        barrios=assessed.commitment_id.map(commitment_barrio_names(snapshot)),
        status_note=[NO_PROGRESS_NOTES.get(reason, "") for reason in assessed.no_progress_reason],
    )
    return table.sort_values(["line_code", "project_code", "code"]).reset_index(drop=True)


def project_table(
    assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """One row per project: its figures (``metrics.by_project``), lead actor, barrios, money and last report."""
    located = assessed.assign(barrios=assessed.commitment_id.map(commitment_barrio_names(snapshot)))
    grouped = located.groupby("project_id", sort=False)
    active = located.loc[located.active].groupby("project_id")
    projects = grouped[
        ["project_code", "project_name", "program_code", "program_name", "line_code", "line_name", "stage"]
    ].first()
    projects["lead_actor_id"] = grouped.lead_actor_id.first()
    projects["commitments"] = active.size().reindex(projects.index, fill_value=0)
    projects["barrios"] = _barrio_union(located.project_id, located.barrios)
    figures = by_project(assessed, thresholds).set_index("project_id")
    money_and_progress = ("budget_cop", "budget_executed_cop", "last_report_date", "physical_progress")
    for column in (*money_and_progress, "expected_progress", "efficacy", "status", "coverage"):
        projects[column] = figures[column].reindex(projects.index)
    projects["status"] = projects.status.where(projects.commitments > 0, CANCELLED)
    lead = snapshot.actors.set_index("id").name
    projects["lead_actor"] = projects.lead_actor_id.map(lead).fillna("")
    return projects.reset_index().sort_values(["line_code", "program_code", "project_code"]).reset_index(drop=True)


def _barrio_union(projects: pd.Series, barrios: pd.Series) -> pd.Series:
    """Per project, the barrios of its commitments; the whole comuna only when none of them has a barrio."""
    names = barrios.str.split(NAME_SEPARATOR).explode()
    keys = projects.loc[names.index]
    located = names != WHOLE_COMUNA_NAME
    union = _joined(keys.loc[located], names.loc[located])
    every = pd.Series(WHOLE_COMUNA_NAME, index=pd.Index(projects.unique()))
    return union.reindex(every.index).fillna(every)


def report_history(snapshot: Snapshot, commitment_ids: list[int]) -> pd.DataFrame:
    """Every report of these commitments up to the cut-off, newest first, with the progress it states."""
    reports = snapshot.reports.loc[snapshot.reports.commitment_id.isin(commitment_ids)]
    info = snapshot.commitments.set_index("commitment_id")[["code", "description", "target", "unit"]]
    history = reports.join(info, on="commitment_id")
    history = history.assign(progress=report_progress(history, history.target))
    return history.sort_values(["cut_off_date", "code"], ascending=[False, True]).reset_index(drop=True)


def line_participation(assessed: pd.DataFrame, snapshot: Snapshot) -> pd.DataFrame:
    """Who works on each line: one row per (line, actor) with the actor's sector and active commitments."""
    active = assessed.loc[assessed.active, ["commitment_id", "line_code", "line_name"]]
    links = active.merge(snapshot.commitment_actors, on="commitment_id").merge(
        snapshot.actors[["id", "name", "short_name", "sector"]], left_on="actor_id", right_on="id"
    )
    counted = (
        links.groupby(["line_code", "line_name", "actor_id", "name", "short_name", "sector"], dropna=False)
        .commitment_id.nunique()
        .rename("commitments")
        .reset_index()
    )
    return counted.sort_values(["line_code", "commitments", "name"], ascending=[True, False, True]).reset_index(
        drop=True
    )


def lines_without_public_sector(assessed: pd.DataFrame, snapshot: Snapshot) -> pd.DataFrame:
    """Lines (code, name) with active commitments but none by a public-sector actor (Secretaría or city agency)."""
    participation = line_participation(assessed, snapshot)
    with_public = set(participation.loc[participation.sector == PUBLIC_SECTOR, "line_code"])
    lines = snapshot.lines.rename(columns={"code": "line_code", "name": "line_name"})
    active_lines = set(assessed.loc[assessed.active, "line_code"])
    missing = lines.line_code.isin(active_lines) & ~lines.line_code.isin(with_public)
    return lines.loc[missing, ["line_code", "line_name"]].reset_index(drop=True)


def barrio_line_matrix(
    assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """Long frame (barrio × line): the barrio breakdown of each line's commitments, keyed by both codes."""
    parts = []
    for code, name in zip(snapshot.lines.code, snapshot.lines.name, strict=True):
        subset = assessed.loc[assessed.line_code == code]
        parts.append(by_barrio(subset, snapshot, thresholds).assign(line_code=str(code), line_name=str(name)))
    if not parts:
        return pd.DataFrame()
    return pd.concat(parts, ignore_index=True)


def barrio_density(breakdown: pd.DataFrame, barrios: pd.DataFrame) -> pd.DataFrame:
    """Per km² and per inhabitant figures for each barrio row of a barrio breakdown; blank without the data."""
    sizes = barrios.set_index("code")[["area_m2", "population"]]
    frame = breakdown.join(sizes, on="key")
    km2 = frame.area_m2.astype(float) / 1_000_000
    people = pd.to_numeric(frame.population, errors="coerce")
    return frame.assign(
        area_km2=km2,
        commitments_per_km2=frame.commitments / km2.where(km2 > 0),
        budget_per_km2=frame.budget_cop / km2.where(km2 > 0),
        budget_per_inhabitant=frame.budget_cop / people.where(people > 0),
    )


def actor_pacts(*, session: Session, actor_code: str) -> pd.DataFrame:
    """The pacts and alliances an actor has signed, with its role."""
    p, m, a = (table_columns(model) for model in (Pact, PactMember, Actor))
    statement = (
        select(p.code, p.name, p.kind, p.signed_date, m.role)
        .join_from(m.pact_id.table, p.id.table, p.id == m.pact_id)
        .join(a.id.table, a.id == m.actor_id)
        .where(a.code == actor_code, p.archived_on.is_(None))
        .order_by(p.signed_date, p.code)
    )
    return pd.read_sql(statement, session.connection())


def actor_contact(*, session: Session, actor_code: str) -> dict[str, Any]:
    """Personal data of the actor's contact (Ley 1581 de 2012): only for coordinators and admins."""
    a = table_columns(Actor)
    row = session.connection().execute(
        select(a.contact_person, a.contact_phone, a.contact_email).where(a.code == actor_code)
    )
    found = row.mappings().first()
    return dict(found) if found else {}


def latest_reports(*, session: Session, on: date, limit: int | None = 10) -> pd.DataFrame:
    """The most recent progress reports up to ``on``, newest first, with their commitment and project."""
    r, c, p, g, ln = (table_columns(model) for model in (ProgressReport, Commitment, Project, Program, StrategicLine))
    frame = read_frame(
        session,
        select(
            r.cut_off_date,
            c.code.label("commitment_code"),
            c.description,
            p.name.label("project_name"),
            r.physical_pct,
            r.achieved_value,
            c.target,
            c.unit,
            r.budget_executed_cop,
            r.created_at,
        )
        .join_from(r.id.table, c.id.table, c.id == r.commitment_id)
        .join(p.id.table, p.id == c.project_id)
        .join(g.id.table, g.id == p.program_id)
        .join(ln.id.table, ln.id == g.line_id)
        .where(r.cut_off_date <= on)
        .where(*(column.is_(None) for column in (c.archived_on, p.archived_on, g.archived_on, ln.archived_on)))
        .order_by(r.cut_off_date.desc(), r.created_at.desc(), c.code)
        .limit(limit),
    )
    numeric = ["physical_pct", "achieved_value", "target", "budget_executed_cop"]
    frame[numeric] = frame[numeric].astype(float)  # an all-blank column would otherwise arrive as objects
    frame["physical_progress"] = report_progress(frame, frame.target)
    return frame.drop(columns=["physical_pct", "created_at"])
