"""The plan's metric rules (DESIGN.md §4), vectorized over pandas frames.

Reading order: ``load_snapshot`` pulls the plan as of a cut-off date in a handful of queries;
``assess_commitments`` gives each commitment its progress, expected progress, eficacia, semáforo, freshness and
plan weight W; ``figures_by`` is the one rule that turns any grouping of those rows into figures, and the ``by_*``
breakdowns (line, program, project, actor, barrio, the plan) are ``figures_by`` with names, in one shared shape
(``BREAKDOWN_COLUMNS``) so one chart or table serves them all.

Rules worth repeating because they are easy to get wrong:
- One rule for every set: Σ W·progress ÷ Σ W over the members with progress, W fixed by the plan's structure.
  A filter selects assessed rows; it never assesses (and so never re-weights) a subset.
- Blank is not zero: a commitment without a report is "sin reporte" and is left out of every average;
  the coverage (share of weight with a report) is shown beside each average instead.
- Cancelled commitments (or commitments of cancelled projects) are listed but never averaged or weighed.
- Financial progress uses only commitments whose reports state an executed budget, for the same reason.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any, cast

import numpy as np
import pandas as pd
from sqlalchemy import Column, Select, Table, select
from sqlalchemy.sql.base import ReadOnlyColumnCollection
from sqlmodel import Session, SQLModel

from core import colors, formatting
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

DONE = "cumplido"
ON_TRACK = "al día"
DELAYED = "con retraso"
CRITICAL = "crítico"
NO_REPORT = "sin reporte"
CANCELLED = "cancelado"
STATUS_ORDER: tuple[str, ...] = (DONE, ON_TRACK, DELAYED, CRITICAL, NO_REPORT, CANCELLED)
# Okabe–Ito hues: distinguishable with the common colour-vision deficiencies, and every bar
# also states its semáforo in words (hover, tables), never by colour alone.
STATUS_COLORS: dict[str, str] = {
    DONE: "#0072B2",  # azul
    ON_TRACK: "#009E73",  # verde azulado
    DELAYED: "#E69F00",  # naranja-amarillo
    CRITICAL: "#D55E00",  # bermellón
    NO_REPORT: "#8A8F98",  # gris
    CANCELLED: "#4A4A4A",
}

FRESH = "al día"
OUTDATED = "desactualizado"
UNTRACKED = "sin seguimiento"
FRESHNESS_ORDER: tuple[str, ...] = (FRESH, OUTDATED, UNTRACKED, NO_REPORT)

WHOLE_COMUNA_KEY = "C12"
WHOLE_COMUNA_NAME = "Toda la comuna"


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


BREAKDOWN_COLUMNS: tuple[str, ...] = (
    "key",
    "name",
    "color",
    "commitments",
    "cancelled",
    "reported",
    *(f"n_{status}" for status in STATUS_ORDER[:5]),
    "overdue",
    "physical_progress",
    "expected_progress",
    "efficacy",
    "status",
    "coverage",
    "budget_cop",
    "budget_reported_cop",
    "budget_executed_cop",
    "financial_progress",
    "last_report_date",
    "days_since_report",
    "freshness",
)


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


def _read(session: Session, statement: Select[Any]) -> pd.DataFrame:
    return pd.read_sql(statement, session.connection())


def table_columns(model: type[SQLModel]) -> ReadOnlyColumnCollection[str, Column[Any]]:
    """The model's table columns, typed for SQLAlchemy Core queries."""
    return cast(Table, model.__table__).c  # type: ignore[attr-defined]


def _read_raw(session: Session, statement: Select[Any]) -> pd.DataFrame:
    """Rows straight from the driver's cursor, for the big reads of a snapshot: SQLAlchemy's per-cell conversion
    was most of their time. Dates arrive as the driver gives them (ISO text on SQLite, dates on PostgreSQL) and are
    parsed a whole column at a time by ``_as_timestamps``; flags as 0/1 or booleans (read them with ``astype``)."""
    result = session.connection().execute(statement)
    try:
        return pd.DataFrame(result.cursor.fetchall(), columns=list(result.keys()))
    finally:
        result.close()


def _as_timestamps(frame: pd.DataFrame, *columns: str) -> pd.DataFrame:
    for column in columns:
        frame[column] = pd.to_datetime(frame[column])
    return frame


def load_snapshot(*, session: Session, on: date) -> Snapshot:
    c, p, g, ln = (table_columns(model) for model in (Commitment, Project, Program, StrategicLine))
    commitments = _read_raw(
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
    reports = _read_raw(
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
    commitment_actors = _read_raw(
        session,
        select(ca.commitment_id, ca.actor_id, ca.share)
        .join_from(ca.actor_id.table, a.id.table, a.id == ca.actor_id)
        .where(a.archived_on.is_(None)),
    )
    commitment_actors["share"] = commitment_actors.share.astype(float)
    own = _read_raw(session, select(cb.commitment_id, cb.barrio_id))
    by_project = _read_raw(session, select(pb.project_id, pb.barrio_id))
    inherited = commitments.loc[~commitments.commitment_id.isin(own.commitment_id), ["commitment_id", "project_id"]]
    inherited = inherited.merge(by_project, on="project_id")[["commitment_id", "barrio_id"]]
    lines = _read(
        session,
        select(ln.id, ln.code, ln.name, ln.color, ln.sort_order)
        .where(ln.archived_on.is_(None))
        .order_by(ln.sort_order, ln.code),
    )
    # A colour stored before colours were checked ("rojo") would make plotly raise on every page that draws lines.
    lines["color"] = lines.color.map(lambda stored: colors.color_or(stored, DEFAULT_LINE_COLOR))
    actors = _read(
        session, select(a.id, a.code, a.name, a.short_name, a.sector).where(a.archived_on.is_(None)).order_by(a.name)
    )
    barrios = _read(session, select(b.id, b.code, b.name, b.area_m2, b.population).order_by(b.code))
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


def expected_progress(start: pd.Series, due: pd.Series, on: date) -> pd.Series:
    """clamp((on − start)/(due − start), 0, 1) × 100.

    Without a start date (or with a due date on or before it) all is expected at the due date and nothing
    before; without a due date nothing is expected. Never blank, so every average compares like with like.
    """
    on_ts = pd.Timestamp(on)
    span = (due - start).dt.days.astype(float)
    elapsed = (on_ts - start).dt.days.astype(float)
    ratio = (elapsed / span.where(span > 0)).clip(0, 1)
    at_due = (on_ts >= due).astype(float)
    ratio = ratio.fillna(at_due).where(due.notna(), 0.0)
    percent: pd.Series = ratio * 100
    return percent


def efficacy(physical: pd.Series, expected: pd.Series) -> pd.Series:
    """Actual ÷ expected progress, in percent; blank while nothing was expected yet."""
    ratio: pd.Series = physical / expected.where(expected > 0) * 100
    return ratio


def displayed(values: pd.Series, decimals: int = 1) -> pd.Series:
    """The values as the user reads them (``formatting.number``'s half-up rounding), for decisions made on them.

    Vectorized; only values within a hair of a tie (x,x5) go through the formatter's own rounding, so the two can
    never disagree and a city-sized plan does not pay a Decimal per cell.
    """
    raw = values.to_numpy(dtype=float, na_value=np.nan)
    scale = 10.0**decimals
    scaled = raw * scale
    rounded = np.floor(scaled + 0.5) / scale
    near_tie = np.abs(scaled - np.floor(scaled) - 0.5) < 1e-6
    for position in np.flatnonzero(near_tie):
        rounded[position] = formatting.round_half_up(float(raw[position]), decimals)
    return pd.Series(rounded, index=values.index, dtype=float)


def classify(
    physical: pd.Series,
    expected: pd.Series,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    coverage: pd.Series | None = None,
) -> pd.Series:
    """Semáforo of progress against expectation (cancelled items are classified by the caller).

    The band is decided on the figures as displayed (one decimal), so "80,0 %" is never "con retraso" because the
    float underneath was 79,99999. For an aggregate, ``coverage`` keeps "cumplido" for fully reported groups.
    """
    shown_physical = displayed(physical)
    ratio = displayed(efficacy(physical, expected))
    complete = shown_physical >= 100
    if coverage is not None:
        complete &= coverage >= 1 - 1e-9
    status = np.select(
        [
            physical.isna(),
            complete,
            expected.isna() | (expected <= 0) | (shown_physical >= 100),  # nothing due yet, or all done so far
            ratio >= thresholds.on_track,
            ratio >= thresholds.delayed,
        ],
        [NO_REPORT, DONE, ON_TRACK, ON_TRACK, DELAYED],
        default=CRITICAL,
    )
    return pd.Series(status, index=physical.index, dtype=object)


def freshness(days_since_report: pd.Series, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.Series:
    bands = np.select(
        [
            days_since_report.isna(),
            days_since_report <= thresholds.fresh_days,
            days_since_report <= thresholds.outdated_days,
        ],
        [NO_REPORT, FRESH, OUTDATED],
        default=UNTRACKED,
    )
    return pd.Series(bands, index=days_since_report.index, dtype=object)


def _last_value(reports: pd.DataFrame, column: str) -> pd.Series:
    """The latest non-blank ``column`` per commitment (reports come sorted by cut-off date)."""
    present = reports.loc[reports[column].notna(), ["commitment_id", column]]
    last: pd.Series = present.groupby("commitment_id")[column].last()
    return last


def _normalized(weights: pd.Series, groups: pd.Series, mask: pd.Series, eligible: pd.Series | None = None) -> pd.Series:
    """Weights normalized to 1 inside each group among rows in ``mask``.

    Only ``eligible`` rows (default: ``mask``) take part: a group whose eligible weights are all zero counts them
    equally, and an ineligible row (a cancelled sibling) neither gets a share nor decides that test. Eligible rows
    of weight zero in a group that has weight elsewhere get no share, so a masked subset of zero weight sums to 0
    (its mean is then blank, not borrowed).
    """
    eligible = mask if eligible is None else eligible
    weights = weights.astype(float).where(eligible, 0.0)
    all_zero = weights.groupby(groups).transform("sum") <= 0
    effective = weights.mask(all_zero, 1.0).where(mask & eligible, 0.0)
    total = effective.groupby(groups).transform("sum")
    return (effective / total.where(total > 0)).fillna(0.0)


NO_TARGET = "sin meta"  # an achieved value was reported against a blank or zero target: no progress follows


def is_active(commitments: pd.DataFrame) -> pd.Series:
    """Not cancelled, and its project not cancelled (archived rows never reach a snapshot)."""
    active: pd.Series = ~(commitments.cancelled.astype(bool) | (commitments.stage == CANCELLED))
    return active


def report_progress(reports: pd.DataFrame, target: pd.Series) -> pd.Series:
    """The progress each report states: its physical %, else achieved value ÷ target (target > 0), in 0–100.

    ``target`` is aligned with ``reports``; blank where the report states no progress (money or a note only).
    """
    from_value = reports.achieved_value / target.where(target > 0) * 100
    progress: pd.Series = reports.physical_pct.fillna(from_value).clip(0, 100)
    return progress


def assess_commitments(snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per commitment with its figures at ``snapshot.on``, plus ``plan_weight`` W: its share of the plan.

    Assess the whole plan, then select rows: W depends only on the plan's structure (never on a filter, a page or a
    cut-off), so every set of commitments is aggregated from the same per-commitment values (DESIGN.md §4).
    """
    frame = commitment_values(snapshot, thresholds)
    frame["plan_weight"] = plan_weights(frame)
    return frame


def plan_weights(frame: pd.DataFrame) -> pd.Series:
    """W of each commitment: its normalized weight in its project × the project's in its program × the program's in
    its line × the line's in the plan, among active siblings; 0 for what is not active."""
    weights: pd.Series = (
        _normalized(frame.weight, frame.project_id, frame.active)
        * frame.project_id.map(_level_shares(frame, "project_id", "project_weight", "program_id"))
        * frame.program_id.map(_level_shares(frame, "program_id", "program_weight", "line_id"))
        * frame.line_id.map(_level_shares(frame, "line_id", "line_weight", None))
    ).where(frame.active, 0.0)
    return weights


def commitment_values(snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """Each commitment's own figures at ``snapshot.on`` (progress, expected, status, freshness): the assessment
    without the plan weights."""
    frame = snapshot.commitments.copy()
    reports = snapshot.reports
    target = reports.commitment_id.map(frame.set_index("commitment_id").target)
    progress = report_progress(reports, target)
    # A progress report is one that states progress; money-only rows do not count as progress.
    with_progress = reports.assign(progress=progress).loc[progress.notna()]
    latest = with_progress.drop_duplicates("commitment_id", keep="last").set_index("commitment_id")

    def per_commitment(values: pd.Series) -> pd.Series:
        # reindex keeps the dtype (dates stay dates) even when there are no reports at all
        return pd.Series(values.reindex(frame.commitment_id).to_numpy(), index=frame.index)

    frame["physical_progress"] = per_commitment(latest.progress.astype(float))
    frame["budget_executed_cop"] = per_commitment(_last_value(reports, "budget_executed_cop").astype(float))
    # Freshness and "último reporte" count a report of any kind (progress, money or a note).
    frame["last_report_date"] = per_commitment(reports.groupby("commitment_id").cut_off_date.max())
    without_target = reports.loc[reports.achieved_value.notna() & ~(target > 0), "commitment_id"]
    lacks_target = frame.physical_progress.isna() & frame.commitment_id.isin(without_target)
    frame["no_progress_reason"] = pd.Series(NO_TARGET, index=frame.index, dtype=object).where(lacks_target, None)
    due = frame.due_date.fillna(frame.project_end_date)
    frame["expected_progress"] = expected_progress(frame.start_date, due, snapshot.on)
    frame["efficacy"] = efficacy(frame.physical_progress, frame.expected_progress)
    frame["active"] = is_active(frame)
    frame["status"] = classify(frame.physical_progress, frame.expected_progress, thresholds).where(
        frame.active, CANCELLED
    )
    frame["overdue"] = frame.active & (due < pd.Timestamp(snapshot.on)) & (frame.status != DONE)
    frame["days_since_report"] = (pd.Timestamp(snapshot.on) - frame.last_report_date).dt.days
    frame["freshness"] = freshness(frame.days_since_report, thresholds)
    return frame


def _level_shares(frame: pd.DataFrame, key: str, weight: str, parent: str | None) -> pd.Series:
    """Normalized weight of each active ``key`` inside its ``parent`` (the whole plan when None).

    A node counts when it holds an active commitment: one whose commitments are all cancelled takes no share.
    """
    units = frame.loc[frame.active].drop_duplicates(key).set_index(key)
    groups = units[parent] if parent else pd.Series(0, index=units.index)
    return _normalized(units[weight], groups, pd.Series(True, index=units.index))


def _weighted_mean(values: pd.Series, weights: pd.Series, groups: pd.Series) -> pd.Series:
    """Σ W·value ÷ Σ W per group over the non-blank values; blank where they carry no weight.

    A group whose members all weigh 0 counts them equally, as siblings of weight 0 do.
    """
    everyone = pd.Series(True, index=values.index)
    share = _normalized(weights, groups, values.notna(), eligible=everyone)
    mean: pd.Series = (values.fillna(0) * share).groupby(groups).sum().where(share.groupby(groups).sum() > 0)
    return mean


FIGURE_COLUMNS: tuple[str, ...] = BREAKDOWN_COLUMNS[3:]  # what ``figures_by`` computes, for any grouping
# Counts are whole numbers, zero where a group has none (never blank: nothing counted is 0).
COUNT_COLUMNS: tuple[str, ...] = (
    "commitments",
    "cancelled",
    "reported",
    *(f"n_{status}" for status in STATUS_ORDER[:5]),
    "overdue",
)


def figures_by(
    assessed: pd.DataFrame,
    keys: pd.Series,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
    share: pd.Series | None = None,
) -> pd.DataFrame:
    """The one rule of DESIGN.md §4: the figures of each set of commitments ``keys`` groups, indexed by key.

    ``keys`` is aligned with ``assessed`` (a commitment may appear in several rows, one per group it belongs to).
    Progress averages are Σ W·value ÷ Σ W over the active members with progress, W being each commitment's plan
    weight (never normalized again inside a set); coverage is their share of the set's W. ``share`` splits money
    between co-responsible actors.
    """
    frame = assessed.assign(_key=keys.to_numpy(), _share=1.0 if share is None else share.to_numpy())
    grouped = frame.groupby("_key", sort=False)
    active = frame.loc[frame.active]
    active_groups = active.groupby("_key", sort=False)
    out = pd.DataFrame(index=pd.Index(grouped.size().index, name="key"))
    out["commitments"] = active_groups.size()
    out["cancelled"] = (~frame.active).groupby(frame._key, sort=False).sum()
    out["reported"] = active_groups.physical_progress.count()
    for status in STATUS_ORDER[:5]:
        out[f"n_{status}"] = (active.status == status).groupby(active._key).sum()
    out["overdue"] = active_groups.overdue.sum()

    reported = active.physical_progress.notna()
    out["physical_progress"] = _weighted_mean(active.physical_progress, active.plan_weight, active._key)
    out["expected_progress"] = _weighted_mean(active.expected_progress.where(reported), active.plan_weight, active._key)
    everyone = pd.Series(True, index=active.index)
    weights = _normalized(active.plan_weight, active._key, everyone)
    out["coverage"] = (weights * reported).groupby(active._key).sum()
    out["efficacy"] = efficacy(out.physical_progress, out.expected_progress)
    out["status"] = classify(out.physical_progress, out.expected_progress, thresholds, out.coverage)

    # Money only where a budget was committed: execution without a budget has nothing to be a share of.
    budgeted = active.budget_cop > 0
    money = active.budget_cop.where(budgeted) * active._share
    executed = active.budget_executed_cop.where(budgeted) * active._share
    out["budget_cop"] = money.groupby(active._key).sum(min_count=1)
    out["budget_reported_cop"] = money.where(executed.notna()).groupby(active._key).sum(min_count=1)
    out["budget_executed_cop"] = executed.groupby(active._key).sum(min_count=1)
    out["financial_progress"] = (
        out.budget_executed_cop / out.budget_reported_cop.where(out.budget_reported_cop > 0) * 100
    )

    out["last_report_date"] = active_groups.last_report_date.max()
    out["days_since_report"] = active_groups.days_since_report.min().astype("Float64")
    out["freshness"] = freshness(out.days_since_report.astype(float), thresholds)
    for column in COUNT_COLUMNS:
        out[column] = out[column].fillna(0).astype(int)
    return out[list(FIGURE_COLUMNS)]


def named_breakdown(figures: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """``figures_by``'s figures as breakdown rows, one per name (``key`` index, with ``name`` and ``color``);
    a name without commitments gets zero counts and blank figures."""
    out = names.join(figures, how="left")
    out["status"] = out.status.fillna(NO_REPORT)
    out["freshness"] = out.freshness.fillna(NO_REPORT)
    for column in COUNT_COLUMNS:
        out[column] = out[column].fillna(0).astype(int)
    return out.reset_index()[list(BREAKDOWN_COLUMNS)]


def by_line(assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per strategic line of the plan."""
    names = snapshot.lines.set_index("code")[["name", "color"]]
    names.index.name = "key"
    return named_breakdown(figures_by(assessed, assessed.line_code, thresholds), names)


def by_program(assessed: pd.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per program with commitments in ``assessed``, with its line; key is the program's id."""
    attrs = assessed.drop_duplicates("program_id").set_index("program_id")[
        ["program_code", "program_name", "line_id", "line_code"]
    ]
    figures = figures_by(assessed, assessed.program_id, thresholds)
    return attrs.join(figures).rename_axis("program_id").reset_index()


def by_project(assessed: pd.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per project with commitments in ``assessed``; key is the project's id."""
    figures = figures_by(assessed, assessed.project_id, thresholds)
    return figures.rename_axis("project_id").reset_index()


def by_actor(assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per actor; a commitment shared by several actors counts in each, its money split by share."""
    links = snapshot.commitment_actors.merge(snapshot.actors[["id", "code"]], left_on="actor_id", right_on="id")
    # Shares are normalized per commitment, so co-responsible actors never count its money twice.
    total_share = links.groupby("commitment_id").share.transform("sum")
    links["share"] = (links.share / total_share.where(total_share > 0)).fillna(
        1 / links.groupby("commitment_id").share.transform("size")
    )
    exploded = assessed.merge(links[["commitment_id", "code", "share"]], on="commitment_id", suffixes=("", "_actor"))
    figures = figures_by(exploded, exploded.code_actor, thresholds, exploded.share)
    names = snapshot.actors.set_index("code")[["name"]].assign(color=None)
    names.index.name = "key"
    result = named_breakdown(figures, names)
    return result.merge(snapshot.actors[["code", "short_name", "sector"]], left_on="key", right_on="code").drop(
        columns="code"
    )


def by_barrio(assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per barrio, plus one for commitments of the whole comuna (kept apart, never spread)."""
    links = snapshot.commitment_barrios.merge(snapshot.barrios[["id", "code"]], left_on="barrio_id", right_on="id")
    located = assessed.merge(links[["commitment_id", "code"]], on="commitment_id", how="left", suffixes=("", "_b"))
    keys = located.code_b.fillna(WHOLE_COMUNA_KEY)
    names = pd.concat(
        [
            snapshot.barrios.set_index("code")[["name"]],
            pd.DataFrame({"name": [WHOLE_COMUNA_NAME]}, index=[WHOLE_COMUNA_KEY]),
        ]
    ).assign(color=None)
    names.index.name = "key"
    return named_breakdown(figures_by(located, keys, thresholds), names)


PLAN_NAME = "Plan Estratégico Comuna 12"


def plan_totals(assessed: pd.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.Series:
    """The set ``assessed`` (the plan, or what a filter kept) as one breakdown row."""
    figures = figures_by(assessed, pd.Series("plan", index=assessed.index), thresholds)
    names = pd.DataFrame({"name": [PLAN_NAME], "color": [None]}, index=pd.Index(["plan"], name="key"))
    return named_breakdown(figures, names).iloc[0]


def latest_reports(*, session: Session, on: date, limit: int | None = 10) -> pd.DataFrame:
    """The most recent progress reports up to ``on``, newest first, with their commitment and project."""
    r, c, p, g, ln = (table_columns(model) for model in (ProgressReport, Commitment, Project, Program, StrategicLine))
    frame = _read(
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
