from datetime import date

import pandas as pd
import pytest
from sqlalchemy import update
from sqlmodel import Session

from core.metrics import breakdowns, rule, snapshots
from core.models import CommitmentActor, ProjectBarrio
from tests.plan_builder import PlanBuilder

ON = date(2026, 7, 1)


def assess(session: Session, on: date = ON) -> tuple[pd.DataFrame, snapshots.Snapshot]:
    session.flush()
    snapshot = snapshots.load_snapshot(session=session, on=on)
    return rule.assess_commitments(snapshot), snapshot


def by_code(assessed: pd.DataFrame) -> pd.DataFrame:
    return assessed.set_index("code")


@pytest.fixture
def plan(session: Session) -> PlanBuilder:
    return PlanBuilder(session)


def one_project(plan: PlanBuilder, **project_args: object):  # type: ignore[no-untyped-def]
    return plan.project(plan.program(plan.line()), **project_args)


def test_blank_is_not_zero(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan)
    reported = plan.commitment(project)
    silent = plan.commitment(project)
    plan.report(reported, date(2026, 6, 30), pct=50)
    assessed, _ = assess(session)
    rolled = breakdowns.by_project(assessed).iloc[0]
    assert by_code(assessed).loc[silent.code, "status"] == "sin reporte"
    assert pd.isna(by_code(assessed).loc[silent.code, "physical_progress"])
    assert rolled.physical_progress == pytest.approx(50.0)
    assert rolled.coverage == pytest.approx(0.5)


def test_cancelled_commitments_are_shown_but_not_averaged(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan)
    kept = plan.commitment(project)
    dropped = plan.commitment(project, cancelled=True)
    plan.report(kept, date(2026, 6, 30), pct=40)
    plan.report(dropped, date(2026, 6, 30), pct=100)
    assessed, _snapshot = assess(session)
    totals = breakdowns.plan_totals(assessed)
    assert by_code(assessed).loc[dropped.code, "status"] == "cancelado"
    assert (totals.physical_progress, totals.commitments, totals.cancelled, totals.n_cumplido) == (
        pytest.approx(40.0),
        1,
        1,
        0,
    )
    assert totals.coverage == pytest.approx(1.0)


def test_cancelled_project_excludes_its_commitments(plan: PlanBuilder, session: Session) -> None:
    line = plan.line()
    program = plan.program(line)
    live = plan.commitment(plan.project(program))
    dead = plan.commitment(plan.project(program, stage="cancelado"))
    plan.report(live, date(2026, 6, 30), pct=30)
    plan.report(dead, date(2026, 6, 30), pct=90)
    assessed, _snapshot = assess(session)
    assert breakdowns.plan_totals(assessed).physical_progress == pytest.approx(30.0)
    assert by_code(assessed).loc[dead.code, "status"] == "cancelado"


def test_weights_are_normalized_within_the_parent(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan)
    heavy = plan.commitment(project, weight=3)
    light = plan.commitment(project, weight=1)
    plan.report(heavy, date(2026, 6, 30), pct=100)
    plan.report(light, date(2026, 6, 30), pct=20)
    assessed, _ = assess(session)
    # (3 × 100 + 1 × 20) / 4 = 80
    assert breakdowns.by_project(assessed).iloc[0].physical_progress == pytest.approx(80.0)


def test_a_parent_is_the_reported_weight_mean_of_its_children(plan: PlanBuilder, session: Session) -> None:
    line_a, line_b = plan.line(weight=1), plan.line(weight=3)
    program_a = plan.program(line_a)
    big = plan.project(program_a, weight=3)
    small = plan.project(program_a, weight=1)
    plan.report(plan.commitment(big), date(2026, 6, 1), pct=60)
    plan.report(plan.commitment(small), date(2026, 6, 1), pct=20)
    small_unreported = plan.commitment(small)
    plan.report(plan.commitment(plan.project(plan.program(line_b))), date(2026, 6, 1), pct=10)
    assessed, _ = assess(session)
    _, snapshot = assess(session)
    # W: big 1/4 × 3/4 = 6/32, each commitment of small 1/4 × 1/4 × 1/2 = 1/32, line B 3/4 = 24/32.
    # Line A: (6 × 60 + 1 × 20) / 7 = 380/7 (small weighs only its reported half); plan: (360 + 20 + 240) / 31 = 20.
    lines = breakdowns.by_line(assessed, snapshot).set_index("key")
    assert lines.loc[line_a.code, "physical_progress"] == pytest.approx(380 / 7)
    assert breakdowns.plan_totals(assessed).physical_progress == pytest.approx(20.0)
    # coverage of line A: big 3/4 × 1 + small 1/4 × 1/2 = 0.875
    assert lines.loc[line_a.code, "coverage"] == pytest.approx(0.875)
    assert by_code(assessed).loc[small_unreported.code, "status"] == "sin reporte"


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2025, 12, 1), 0.0),  # before the project starts
        (date(2026, 1, 1), 0.0),
        (date(2026, 1, 6), 50.0),
        (date(2026, 1, 11), 100.0),
        (date(2026, 3, 1), 100.0),  # after the due date
    ],
)
def test_expected_progress(on: date, expected: float) -> None:
    start = pd.Series(pd.to_datetime([date(2026, 1, 1)]))
    due = pd.Series(pd.to_datetime([date(2026, 1, 11)]))
    assert rule.expected_progress(start, due, on).iloc[0] == pytest.approx(expected)


@pytest.mark.parametrize(
    ("start", "due", "on", "expected"),
    [
        (None, date(2026, 1, 11), date(2026, 1, 10), 0.0),  # no start date: nothing expected before the due date
        (None, date(2026, 1, 11), date(2026, 1, 11), 100.0),  # ... and everything from it on
        (date(2026, 1, 11), date(2026, 1, 11), date(2026, 1, 12), 100.0),  # due on the start date
        (date(2026, 1, 1), None, date(2026, 6, 1), 0.0),  # no due date: nothing is expected
    ],
)
def test_expected_progress_with_missing_or_degenerate_dates(
    start: date | None, due: date | None, on: date, expected: float
) -> None:
    result = rule.expected_progress(pd.Series(pd.to_datetime([start])), pd.Series(pd.to_datetime([due])), on)
    assert result.iloc[0] == pytest.approx(expected)


def test_project_without_start_date_past_due_is_critical_not_on_track(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan, start=None)
    late = plan.commitment(project, due=date(2026, 1, 31))
    plan.report(late, date(2026, 6, 1), pct=10)
    assessed, _snapshot = assess(session)
    row = by_code(assessed).loc[late.code]
    assert (row.expected_progress, row.status, bool(row.overdue)) == (pytest.approx(100.0), "crítico", True)
    assert breakdowns.plan_totals(assessed).efficacy == pytest.approx(10.0)


@pytest.mark.parametrize(
    ("physical", "expected", "status"),
    [
        (59.9, 100.0, "crítico"),
        (60.0, 100.0, "con retraso"),
        (79.9, 100.0, "con retraso"),
        (80.0, 100.0, "al día"),
        (99.9, 100.0, "al día"),
        (100.0, 100.0, "cumplido"),
        (40.0, 50.0, "al día"),  # eficacia 80 %
        (5.0, 0.0, "al día"),  # nothing expected yet
        (None, 50.0, "sin reporte"),
    ],
)
def test_semaforo_boundaries(physical: float | None, expected: float, status: str) -> None:
    result = rule.classify(pd.Series([physical], dtype=float), pd.Series([expected], dtype=float))
    assert result.iloc[0] == status


def test_semaforo_thresholds_are_configurable() -> None:
    strict = snapshots.Thresholds(on_track=90, delayed=70)
    result = rule.classify(pd.Series([85.0, 65.0]), pd.Series([100.0, 100.0]), strict)
    assert list(result) == ["con retraso", "crítico"]


@pytest.mark.parametrize(
    ("days", "band"),
    [(0, "al día"), (45, "al día"), (46, "desactualizado"), (90, "desactualizado"), (91, "sin seguimiento")],
)
def test_freshness_bands(days: int, band: str) -> None:
    assert rule.freshness(pd.Series([days], dtype=float)).iloc[0] == band


def test_achieved_value_over_target_is_capped_and_latest_report_wins(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan)
    by_value = plan.commitment(project, target=200)
    plan.report(by_value, date(2026, 5, 1), pct=10)
    plan.report(by_value, date(2026, 6, 1), value=300)  # 150 % of the target: capped
    later = plan.commitment(project)
    plan.report(later, date(2026, 6, 1), pct=30)
    plan.report(later, date(2026, 8, 1), pct=90)  # after the cut-off date: ignored
    assessed, _ = assess(session)
    rows = by_code(assessed)
    assert rows.loc[by_value.code, "physical_progress"] == pytest.approx(100.0)
    assert rows.loc[later.code, "physical_progress"] == pytest.approx(30.0)
    assert rows.loc[later.code, "last_report_date"] == pd.Timestamp(2026, 6, 1)


def test_efficacy_and_status_of_a_commitment(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan, start=date(2026, 1, 1))
    commitment = plan.commitment(project, due=date(2026, 1, 11))
    plan.report(commitment, date(2026, 1, 6), pct=35)
    assessed, _ = assess(session, on=date(2026, 1, 6))
    row = by_code(assessed).loc[commitment.code]
    # expected 50 %, eficacia 35 / 50 = 70 %
    assert (row.expected_progress, row.efficacy, row.status) == (
        pytest.approx(50.0),
        pytest.approx(70.0),
        "con retraso",
    )


def test_overdue_means_past_due_and_not_done(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan)
    late = plan.commitment(project, due=date(2026, 6, 1))
    done = plan.commitment(project, due=date(2026, 6, 1))
    silent = plan.commitment(project, due=date(2026, 6, 1))
    upcoming = plan.commitment(project, due=date(2026, 9, 1))
    plan.report(late, date(2026, 6, 1), pct=70)
    plan.report(done, date(2026, 6, 1), pct=100)
    assessed, _ = assess(session)
    overdue = by_code(assessed).overdue
    assert [bool(overdue[c.code]) for c in (late, done, silent, upcoming)] == [True, False, True, False]


def test_financial_progress_leaves_out_commitments_without_execution(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan)
    spent = plan.commitment(project, budget=1_000_000)
    unknown = plan.commitment(project, budget=3_000_000)
    plan.report(spent, date(2026, 5, 1), pct=20, executed=100_000)
    plan.report(spent, date(2026, 6, 1), pct=50)  # no executed figure: the earlier one stands
    plan.report(unknown, date(2026, 6, 1), pct=10)
    assessed, _snapshot = assess(session)
    totals = breakdowns.plan_totals(assessed)
    assert totals.budget_cop == 4_000_000
    assert totals.budget_reported_cop == 1_000_000
    assert totals.financial_progress == pytest.approx(10.0)


def test_commitment_in_two_barrios_counts_once_in_the_comuna(plan: PlanBuilder, session: Session) -> None:
    first, second = plan.barrio("1201"), plan.barrio("1202")
    project = one_project(plan)
    shared = plan.commitment(project, budget=2_000_000, barrios=(first, second))
    plan.report(shared, date(2026, 6, 1), pct=50)
    assessed, snapshot = assess(session)
    barrios = breakdowns.by_barrio(assessed, snapshot).set_index("key")
    totals = breakdowns.plan_totals(assessed)
    assert (barrios.loc["1201", "commitments"], barrios.loc["1202", "commitments"]) == (1, 1)
    assert (barrios.loc["1201", "budget_cop"], barrios.loc["1202", "budget_cop"]) == (2_000_000, 2_000_000)
    assert (totals.commitments, totals.budget_cop) == (1, 2_000_000)
    assert barrios.loc[breakdowns.WHOLE_COMUNA_KEY, "commitments"] == 0


def test_commitment_without_barrios_inherits_its_project_or_stays_comuna_wide(
    plan: PlanBuilder, session: Session
) -> None:
    barrio = plan.barrio("1204")
    project = one_project(plan)
    plan.commitment(project)
    session.add(ProjectBarrio(project_id=project.id, barrio_id=barrio.id))
    plan.commitment(one_project(plan))
    assessed, snapshot = assess(session)
    barrios = breakdowns.by_barrio(assessed, snapshot).set_index("key")
    assert barrios.loc["1204", "commitments"] == 1
    assert barrios.loc[breakdowns.WHOLE_COMUNA_KEY, "commitments"] == 1


def test_shared_commitment_counts_for_each_actor_with_its_budget_share(plan: PlanBuilder, session: Session) -> None:
    first, second = plan.actor(), plan.actor(sector="comunitario")
    project = one_project(plan)
    plan.commitment(project, budget=1_000_000, actors=(first, second))
    plan.commitment(project, budget=500_000, actors=(first,))
    assessed, snapshot = assess(session)
    actors = breakdowns.by_actor(assessed, snapshot).set_index("key")
    assert (actors.loc[first.code, "commitments"], actors.loc[second.code, "commitments"]) == (2, 1)
    assert actors.loc[first.code, "budget_cop"] == pytest.approx(1_000_000)
    assert actors.loc[second.code, "budget_cop"] == pytest.approx(500_000)
    assert actors.loc[second.code, "sector"] == "comunitario"


def test_breakdowns_share_one_shape(plan: PlanBuilder, session: Session) -> None:
    barrio = plan.barrio("1201")
    actor = plan.actor()
    commitment = plan.commitment(one_project(plan), actors=(actor,), barrios=(barrio,))
    plan.report(commitment, date(2026, 6, 1), pct=10)
    assessed, snapshot = assess(session)
    shapes = [
        list(frame.columns[: len(rule.BREAKDOWN_COLUMNS)])
        for frame in (
            breakdowns.by_line(assessed, snapshot),
            breakdowns.by_actor(assessed, snapshot),
            breakdowns.by_barrio(assessed, snapshot),
        )
    ]
    assert shapes == [list(rule.BREAKDOWN_COLUMNS)] * 3


def test_empty_plan_gives_blank_figures_not_zeros(session: Session) -> None:
    assessed, _snapshot = assess(session)
    totals = breakdowns.plan_totals(assessed)
    assert totals.commitments == 0
    assert pd.isna(totals.physical_progress)
    assert totals.status == "sin reporte"


def test_thresholds_come_from_the_database_settings(session: Session) -> None:
    from core import db

    db.set_setting(session=session, key="threshold.on_track", value="90")
    db.set_setting(session=session, key="threshold.delayed", value="no es un número")
    session.flush()
    thresholds = snapshots.load_thresholds(session=session)
    assert (thresholds.on_track, thresholds.delayed, thresholds.fresh_days) == (90.0, 60.0, 45.0)


def test_a_reported_commitment_of_weight_zero_does_not_speak_for_its_project(
    plan: PlanBuilder, session: Session
) -> None:
    project = one_project(plan)
    weightless = plan.commitment(project, weight=0)
    plan.commitment(project, weight=5)  # never reported
    plan.report(weightless, date(2026, 6, 1), pct=100)
    assessed, _ = assess(session)
    rolled = breakdowns.by_project(assessed).iloc[0]
    assert pd.isna(rolled.physical_progress)
    assert (rolled.coverage, rolled.status) == (0.0, "sin reporte")


def test_a_group_is_cumplido_only_when_everything_reported_100(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan)
    done = plan.commitment(project)
    plan.commitment(project)  # not reported yet
    plan.report(done, date(2026, 6, 1), pct=100)
    assessed, _ = assess(session)
    rolled = breakdowns.by_project(assessed).iloc[0]
    assert (rolled.physical_progress, rolled.coverage, rolled.status) == (100.0, 0.5, "al día")


def test_execution_without_a_committed_budget_is_left_out_of_financial_progress(
    plan: PlanBuilder, session: Session
) -> None:
    project = one_project(plan)
    unbudgeted = plan.commitment(project, budget=None)
    budgeted = plan.commitment(project, budget=1_000_000)
    plan.report(unbudgeted, date(2026, 6, 1), pct=50, executed=5_000_000)
    plan.report(budgeted, date(2026, 6, 1), pct=50, executed=1_000_000)
    assessed, _snapshot = assess(session)
    totals = breakdowns.plan_totals(assessed)
    assert (totals.budget_cop, totals.budget_executed_cop, totals.financial_progress) == (1_000_000, 1_000_000, 100.0)


def test_no_budget_anywhere_is_blank_not_zero_pesos(plan: PlanBuilder, session: Session) -> None:
    plan.commitment(one_project(plan), budget=None)
    assessed, _snapshot = assess(session)
    assert pd.isna(breakdowns.plan_totals(assessed).budget_cop)


def test_default_shares_split_a_shared_budget_instead_of_doubling_it(plan: PlanBuilder, session: Session) -> None:
    first, second = plan.actor(), plan.actor()
    shared = plan.commitment(one_project(plan), budget=1_000_000, actors=(first, second))
    session.execute(update(CommitmentActor).where(CommitmentActor.commitment_id == shared.id).values(share=1.0))
    assessed, snapshot = assess(session)
    actors = breakdowns.by_actor(assessed, snapshot).set_index("key")
    assert actors.budget_cop.sum() == pytest.approx(1_000_000)


def test_money_only_reports_state_no_progress_but_count_for_freshness(plan: PlanBuilder, session: Session) -> None:
    project = one_project(plan)
    money_only = plan.commitment(project, budget=1_000_000)
    cancelled = plan.commitment(project, cancelled=True)
    plan.report(money_only, date(2026, 6, 30), executed=200_000)
    plan.report(cancelled, date(2026, 6, 30), pct=40)
    assessed, _snapshot = assess(session)
    row = by_code(assessed).loc[money_only.code]
    totals = breakdowns.plan_totals(assessed)
    # DESIGN §4: any report counts for freshness and "último reporte"; only a stated progress for the average.
    assert (row.status, row.freshness, row.last_report_date) == ("sin reporte", "al día", pd.Timestamp(2026, 6, 30))
    assert (totals.freshness, totals.n_cumplido + totals.reported) == ("al día", 0)
    assert totals.last_report_date == pd.Timestamp(2026, 6, 30)
