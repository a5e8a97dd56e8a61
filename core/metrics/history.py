"""Expected against achieved progress over time: a set of commitments at each month's end.

Each point applies the dashboards' one rule (``metrics.figures_by``: Σ W·value ÷ Σ W over the commitments with
progress, W the plan weight) to the reports that existed that day, so the curve's last point equals the headline
figures of the cut-off date and a delay is the gap between the two lines. It is computed for every month at once
(a commitments × months matrix), not by assessing the plan once per month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np
import pandas as pd

from core.metrics.rule import expected_progress, report_progress

HISTORY_COLUMNS = ("on", "physical_progress", "expected_progress", "coverage", "reported")


def month_ends(first: date, last: date, *, limit: int = 36) -> list[date]:
    """The last day of every month from ``first``'s to ``last``'s, ending exactly on ``last``; at most ``limit``."""
    ends: list[date] = []
    month = date(first.year, first.month, 1)
    while month <= last:
        following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
        ends.append(min(following - timedelta(days=1), last))
        month = following
    return ends[-limit:]


@dataclass(frozen=True)
class MonthlyValues:
    """Per commitment (rows, in the order given) and month end (columns): the progress of the latest report that
    states progress on or before that day (blank before the first), and the day of the latest report of any kind
    (as a day number, ``day_number``; blank before the first)."""

    progress: np.ndarray
    last_report_day: np.ndarray


def day_number(days: pd.Series | pd.DatetimeIndex) -> np.ndarray:
    """Days since 1970-01-01, as floats (blank stays NaN), so dates fill and subtract like numbers."""
    stamps = pd.DatetimeIndex(days)
    numbers: np.ndarray = stamps.to_numpy().astype("datetime64[D]").astype("int64").astype(float)
    numbers[stamps.isna()] = np.nan
    return numbers


def monthly_values(commitments: pd.DataFrame, reports: pd.DataFrame, months: list[date]) -> MonthlyValues:
    """``commitments``: rows with ``commitment_id`` and ``target``; ``reports``: theirs (``Snapshot.reports``)."""
    position = pd.Series(np.arange(len(commitments)), index=commitments.commitment_id.to_numpy())
    reports = reports.loc[reports.commitment_id.isin(position.index)].sort_values(["commitment_id", "cut_off_date"])
    # Each report holds from the first month end on or after its cut-off; the latest report of a month wins.
    month = pd.DatetimeIndex([pd.Timestamp(m) for m in months]).searchsorted(reports.cut_off_date)
    inside = month < len(months)
    rows, month = position[reports.commitment_id].to_numpy()[inside], month[inside]
    reports = reports.loc[inside]

    def held(values: np.ndarray) -> np.ndarray:
        grid = np.full((len(commitments), len(months)), np.nan)
        present = ~np.isnan(values)
        grid[rows[present], month[present]] = values[present]  # reports come sorted: the month's last one wins
        # a report holds until the next one: carry the last filled column forward along each row
        filled = np.where(~np.isnan(grid), np.arange(len(months)), 0)
        np.maximum.accumulate(filled, axis=1, out=filled)
        carried: np.ndarray = grid[np.arange(len(commitments))[:, None], filled]
        return carried

    target = reports.commitment_id.map(commitments.set_index("commitment_id").target)
    progress = held(report_progress(reports, target).to_numpy(dtype=float))
    return MonthlyValues(progress, held(day_number(reports.cut_off_date)))


def progress_history(assessed: pd.DataFrame, reports: pd.DataFrame, on: date, *, limit: int = 36) -> pd.DataFrame:
    """One row per month end up to ``on``, from the month of the first report; empty without reports.

    ``assessed``: assessed commitments (whole plan or a selection, with their plan weights); ``reports``: their
    reports up to ``on`` (``Snapshot.reports``).
    """
    active = assessed.loc[assessed.active].reset_index(drop=True)
    kept = reports.loc[reports.commitment_id.isin(active.commitment_id)]
    stated = report_progress(kept, kept.commitment_id.map(active.set_index("commitment_id").target))
    if stated.notna().sum() == 0:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS))
    months = month_ends(kept.cut_off_date.loc[stated.notna()].min().date(), on, limit=limit)
    values = monthly_values(active, kept, months).progress

    due = active.due_date.fillna(active.project_end_date)
    expected = np.column_stack([expected_progress(active.start_date, due, m).to_numpy() for m in months])
    weight = active.plan_weight.to_numpy(dtype=float)
    if weight.sum() <= 0:  # members that all weigh 0 count equally, as in metrics.figures_by
        weight = np.ones(len(active))
    reported = ~np.isnan(values)
    reported_weight = (weight[:, None] * reported).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        physical = (weight[:, None] * np.nan_to_num(values)).sum(axis=0) / reported_weight
        expected_mean = (weight[:, None] * expected * reported).sum(axis=0) / reported_weight
    physical[reported_weight <= 0] = np.nan
    expected_mean[reported_weight <= 0] = np.nan
    return pd.DataFrame(
        {
            "on": months,
            "physical_progress": physical,
            "expected_progress": expected_mean,
            "coverage": reported_weight / weight.sum(),
            "reported": reported.sum(axis=0),
        }
    )[list(HISTORY_COLUMNS)]
