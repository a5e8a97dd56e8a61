from datetime import date

import pytest
from sqlmodel import Session

from core.metrics import rule, snapshots
from core.metrics.history import month_ends, progress_history
from tests.plan_builder import PlanBuilder


def test_month_ends_stop_at_the_cut_off() -> None:
    assert month_ends(date(2025, 12, 10), date(2026, 2, 14)) == [
        date(2025, 12, 31),
        date(2026, 1, 31),
        date(2026, 2, 14),
    ]
    assert month_ends(date(2024, 1, 1), date(2026, 12, 31), limit=2) == [date(2026, 11, 30), date(2026, 12, 31)]


def test_each_point_is_the_roll_up_at_that_date(session: Session) -> None:
    plan = PlanBuilder(session)
    project = plan.project(plan.program(plan.line()), start=date(2026, 1, 1), end=date(2026, 12, 31))
    commitment = plan.commitment(project, due=date(2026, 12, 31))
    plan.report(commitment, date(2026, 2, 15), pct=20)
    plan.report(commitment, date(2026, 4, 10), pct=50)
    session.flush()
    on = date(2026, 4, 20)
    snapshot = snapshots.load_snapshot(session=session, on=on)
    history = progress_history(rule.assess_commitments(snapshot), snapshot.reports, on)
    assert list(history.on) == [date(2026, 2, 28), date(2026, 3, 31), on]
    assert list(history.physical_progress) == [20, 20, 50]
    span = (date(2026, 12, 31) - date(2026, 1, 1)).days  # 364
    assert list(history.expected_progress) == pytest.approx([58 / span * 100, 89 / span * 100, 109 / span * 100])
    assert list(history.coverage) == [1, 1, 1]


def test_no_reports_no_curve(session: Session) -> None:
    plan = PlanBuilder(session)
    plan.commitment(plan.project(plan.program(plan.line())))
    session.flush()
    snapshot = snapshots.load_snapshot(session=session, on=date(2026, 5, 1))
    assert progress_history(rule.assess_commitments(snapshot), snapshot.reports, snapshot.on).empty
