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

from datetime import date

import numpy as np
import pandas as pd

from core import formatting
from core.metrics.snapshots import DEFAULT_THRESHOLDS, Snapshot, Thresholds

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


def _level_shares(frame: pd.DataFrame, key: str, weight: str, parent: str | None) -> pd.Series:
    """Normalized weight of each active ``key`` inside its ``parent`` (the whole plan when None).

    A node counts when it holds an active commitment: one whose commitments are all cancelled takes no share.
    """
    units = frame.loc[frame.active].drop_duplicates(key).set_index(key)
    groups = units[parent] if parent else pd.Series(0, index=units.index)
    return _normalized(units[weight], groups, pd.Series(True, index=units.index))


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


def _weighted_mean(values: pd.Series, weights: pd.Series, groups: pd.Series) -> pd.Series:
    """Σ W·value ÷ Σ W per group over the non-blank values; blank where they carry no weight.

    A group whose members all weigh 0 counts them equally, as siblings of weight 0 do.
    """
    everyone = pd.Series(True, index=values.index)
    share = _normalized(weights, groups, values.notna(), eligible=everyone)
    mean: pd.Series = (values.fillna(0) * share).groupby(groups).sum().where(share.groupby(groups).sum() > 0)
    return mean


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
