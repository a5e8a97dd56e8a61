"""A file's rows against the stored history: new, updated or unchanged, the progress before each row and the
"retrocede" warning, held to their definitions written out report by report (the upload reads the history summed
up: the reports on the file's days, and each commitment's best before them)."""

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session

from core.uploads.progress import NEW, UNCHANGED, UPDATED, WARNING, validate_progress
from tests.plan_builder import PlanBuilder
from tests.sheets import HEADER, xlsx

TODAY = date(2026, 11, 15)
FIRST = date(2026, 9, 1)
DAYS = st.integers(0, 40).map(lambda n: FIRST + timedelta(days=n))
LATER_DAYS = st.integers(20, 40).map(lambda n: FIRST + timedelta(days=n))  # a file brings the latest cut-offs
TARGETS = st.sampled_from([100.0, 40.0, None])
AMOUNTS = st.sampled_from([0.0, 5.0, 20.0, 35.0, 50.0, 80.0, 100.0])  # a few values, so ties and equal rows occur
FIGURES = st.tuples(st.sampled_from(["pct", "value"]), AMOUNTS)


def progress(kind: str, amount: float, target: float | None) -> float | None:
    """One report's progress, as DESIGN §4 defines it: its %, else its value over a positive target (at most 100)."""
    if kind == "pct":
        return amount
    return None if not target else min(amount / target * 100, 100.0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    targets=st.lists(TARGETS, min_size=1, max_size=3),
    stored=st.lists(st.tuples(st.integers(0, 2), DAYS, FIGURES), max_size=12),
    filed=st.lists(st.tuples(st.integers(0, 2), st.one_of(LATER_DAYS, DAYS), FIGURES), min_size=1, max_size=10),
)
def test_each_row_is_compared_with_the_history_written_out(
    session: Session,
    targets: list[float | None],
    stored: list[tuple[int, date, tuple[str, float]]],
    filed: list[tuple[int, date, tuple[str, float]]],
) -> None:
    try:
        plan = PlanBuilder(session)
        project = plan.project(plan.program(plan.line()), start=date(2026, 1, 1))
        commitments = [plan.commitment(project, target=target, actors=(plan.actor(),)) for target in targets]
        history: dict[tuple[int, date], tuple[str, float]] = {}
        for which, day, figure in stored:
            history.setdefault((which % len(targets), day), figure)  # one stored report per commitment and day
        for (which, day), (kind, amount) in history.items():
            plan.report(commitments[which], day, **{kind: amount})  # type: ignore[arg-type]
        rows: dict[tuple[int, date], tuple[str, float]] = {}
        for which, day, figure in filed:
            rows.setdefault((which % len(targets), day), figure)  # no repeated rows: those are tested elsewhere
        lines = [HEADER]
        for (which, day), (kind, amount) in rows.items():
            lines.append([commitments[which].code, day, amount if kind == "pct" else None,
                          amount if kind == "value" else None, None, None])  # fmt: skip
        session.flush()

        preview = validate_progress(session=session, data=xlsx(lines), file_name="a.xlsx", today=TODAY)

        changes = preview.changes.set_index("row")
        warned = {p.row for p in preview.problems if p.severity == WARNING and "retrocede" in p.message}
        for excel_row, ((which, day), (kind, amount)) in enumerate(rows.items(), start=2):
            target = targets[which]
            mine = progress(kind, amount, target)
            if mine is None:  # a value without a target gives no progress: the row is checked elsewhere
                continue
            before = [
                p
                for (w, d), (k, a) in history.items()
                if w == which and d < day and (p := progress(k, a, target)) is not None
            ] + [
                p
                for (w, d), (k, a) in rows.items()
                if w == which and d < day and (p := progress(k, a, target)) is not None
            ]
            earlier = max(before, default=None)
            change = changes.loc[excel_row]
            same_day = history.get((which, day))
            if same_day is None:
                assert change.kind == NEW
                expected_previous = earlier
            else:
                assert change.kind == (UNCHANGED if same_day == (kind, amount) else UPDATED)
                expected_previous = progress(*same_day, target)
            if expected_previous is None:
                assert change.previous_progress is None or change.previous_progress != change.previous_progress
            else:
                assert change.previous_progress == pytest.approx(expected_previous)
            assert (excel_row in warned) == (earlier is not None and mine < earlier - 1e-9)
    finally:
        session.rollback()
