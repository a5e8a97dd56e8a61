"""Expected against achieved progress over time: the plan (or a filtered part of it) at each month's end.

Each point is the same roll-up the dashboards show for that date, so the curve's last point equals the headline
figures of the cut-off date and a delay is the gap between the two lines.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pandas as pd

from core.metrics import DEFAULT_THRESHOLDS, Snapshot, Thresholds, assess_commitments, roll_up

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


def progress_history(
    snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS, *, limit: int = 36
) -> pd.DataFrame:
    """One row per month end (up to ``snapshot.on``) from the month of the first report; empty without reports."""
    if snapshot.reports.empty:
        return pd.DataFrame(columns=list(HISTORY_COLUMNS))
    first = snapshot.reports.cut_off_date.min().date()
    rows = []
    for on in month_ends(first, snapshot.on, limit=limit):
        reports = snapshot.reports.loc[snapshot.reports.cut_off_date <= pd.Timestamp(on)]
        assessed = assess_commitments(replace(snapshot, on=on, reports=reports), thresholds)
        plan = roll_up(assessed, thresholds).plan.iloc[0]
        reported = int((assessed.active & assessed.physical_progress.notna()).sum())
        rows.append((on, plan.physical_progress, plan.expected_progress, plan.coverage, reported))
    return pd.DataFrame(rows, columns=list(HISTORY_COLUMNS))
