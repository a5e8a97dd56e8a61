"""Expected against achieved progress over time: a set of commitments at each month's end.

Each point applies the dashboards' one rule (``metrics.figures_by``: Σ W·value ÷ Σ W over the commitments with
progress, W the plan weight) to the reports that existed that day, so the curve's last point equals the headline
figures of the cut-off date and a delay is the gap between the two lines. It is computed for every month at once
(a commitments × months matrix), not by assessing the plan once per month.
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pandas as pd

from core.metrics import expected_progress, report_progress

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


def progress_history(assessed: pd.DataFrame, reports: pd.DataFrame, on: date, *, limit: int = 36) -> pd.DataFrame:
    """One row per month end up to ``on``, from the month of the first report; empty without reports.

    ``assessed``: assessed commitments (whole plan or a selection, with their plan weights); ``reports``: their
    reports up to ``on`` (``Snapshot.reports``).
    """
    active = assessed.loc[assessed.active].reset_index(drop=True)
    position = pd.Series(np.arange(len(active)), index=active.commitment_id.to_numpy())
    reports = reports.loc[reports.commitment_id.isin(position.index)]
    target = reports.commitment_id.map(active.set_index("commitment_id").target)
    progress = report_progress(reports, target)
    reports = reports.assign(progress=progress).loc[progress.notna()]
    if reports.empty:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS))
    months = month_ends(reports.cut_off_date.min().date(), on, limit=limit)
    month_stamps = pd.DatetimeIndex([pd.Timestamp(m) for m in months])
    # Each report holds from the first month end on or after its cut-off; the latest report of a month wins.
    reports = reports.sort_values(["commitment_id", "cut_off_date"])
    reports = reports.assign(month=month_stamps.searchsorted(reports.cut_off_date))
    last_in_month = reports.drop_duplicates(["commitment_id", "month"], keep="last")
    values = np.full((len(active), len(months)), np.nan)
    values[position[last_in_month.commitment_id].to_numpy(), last_in_month.month.to_numpy()] = last_in_month.progress
    values = pd.DataFrame(values).ffill(axis=1).to_numpy()  # a report holds until the next one

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
