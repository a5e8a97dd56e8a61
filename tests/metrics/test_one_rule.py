"""DESIGN.md §4's one rule, by hand: every set of commitments is Σ W·progress ÷ Σ W over its reported members, with
W fixed by the plan's structure — whichever page, filter or breakdown reaches the set."""

from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from core import formatting
from core.metrics import breakdowns, detail, rule, snapshots
from core.metrics.filters import PlanFilter, filter_plan
from core.metrics.history import progress_history
from tests.plan_builder import PlanBuilder

ON = date(2026, 7, 1)


@pytest.fixture
def plan(session: Session) -> PlanBuilder:
    return PlanBuilder(session)


def assessed_plan(session: Session, on: date = ON) -> tuple[snapshots.Snapshot, pd.DataFrame]:
    session.flush()
    snapshot = snapshots.load_snapshot(session=session, on=on)
    return snapshot, rule.assess_commitments(snapshot)


@pytest.mark.parametrize(
    ("physical", "expected", "status"),
    [
        (44.8, 56.0, "al día"),  # 79,99999… shown as 80,0 %
        (42.5, 42.5 / 0.6, "con retraso"),  # 59,99999… shown as 60,0 %
        (47.9, 60.0, "con retraso"),  # 79,8333… shown as 79,8 %
        (35.97, 60.0, "con retraso"),  # 59,95 shown as 60,0 % (half up, as the figure is written)
        (35.96, 60.0, "crítico"),  # 59,9333… shown as 59,9 %
        (99.96, 100.0, "cumplido"),  # shown as 100,0 %
    ],
)
def test_the_band_is_decided_on_the_figures_as_displayed(physical: float, expected: float, status: str) -> None:
    assert rule.classify(pd.Series([physical]), pd.Series([expected])).iloc[0] == status


def test_band_edges_in_the_plan_counts(plan: PlanBuilder, session: Session) -> None:
    # 14 of 25 days gone: 56 % expected, 44,8 % done. 17 of 24 days gone: 70,83 % expected, 42,5 % done.
    program = plan.program(plan.line())
    first = plan.project(program, start=date(2026, 6, 1), end=date(2026, 6, 26))
    second = plan.project(program, start=date(2026, 6, 1), end=date(2026, 6, 25))
    at_80 = plan.commitment(first, due=date(2026, 6, 26))
    at_60 = plan.commitment(second, due=date(2026, 6, 25))
    plan.report(at_80, date(2026, 6, 10), pct=44.8)
    plan.report(at_60, date(2026, 6, 10), pct=42.5)
    _first_snapshot, first_assessed = assessed_plan(session, date(2026, 6, 15))
    row = first_assessed.set_index("code").loc[at_80.code]
    assert (row.expected_progress, row.status) == (pytest.approx(56.0), "al día")
    _, second_assessed = assessed_plan(session, date(2026, 6, 18))
    row = second_assessed.set_index("code").loc[at_60.code]
    assert (row.expected_progress, row.status) == (pytest.approx(1700 / 24), "con retraso")
    totals = breakdowns.plan_totals(first_assessed)
    assert (totals["n_al día"], totals["n_con retraso"], totals["n_crítico"]) == (1, 1, 0)


def test_a_cancelled_sibling_never_decides_the_weights(plan: PlanBuilder, session: Session) -> None:
    """P1's active commitments all weigh 0 beside a cancelled one of weight 2: they share P1 equally."""
    actor = plan.actor()
    program = plan.program(plan.line())
    p1, p2 = plan.project(program), plan.project(program)
    a = plan.commitment(p1, weight=0, actors=(actor,))
    b = plan.commitment(p1, weight=0)
    plan.commitment(p1, weight=2, cancelled=True)
    d = plan.commitment(p2, weight=1, actors=(actor,))
    for commitment, pct in ((a, 30), (b, 60), (d, 90)):
        plan.report(commitment, date(2026, 6, 1), pct=pct)
    snapshot, assessed = assessed_plan(session)
    weights = assessed.set_index("code").plan_weight
    assert (weights[a.code], weights[b.code], weights[d.code]) == (0.25, 0.25, 0.5)
    # plan: (¼·30 + ¼·60 + ½·90) ÷ 1 = 67,5; the actor: (¼·30 + ½·90) ÷ ¾ = 70
    assert breakdowns.plan_totals(assessed).physical_progress == pytest.approx(67.5)
    actor_row = breakdowns.by_actor(assessed, snapshot).set_index("key").loc[actor.code]
    assert actor_row.physical_progress == pytest.approx(70.0)


def test_a_filter_that_keeps_all_of_an_actor_leaves_its_figures_alone(plan: PlanBuilder, session: Session) -> None:
    public, community = plan.actor(sector="público"), plan.actor(sector="comunitario")
    line_1 = plan.project(plan.program(plan.line()))
    line_2 = plan.project(plan.program(plan.line()))
    a = plan.commitment(line_1, weight=1, actors=(public,))
    c = plan.commitment(line_1, weight=3, actors=(community,))
    b = plan.commitment(line_2, weight=1, actors=(public,))
    for commitment, pct in ((a, 20), (c, 80), (b, 60)):
        plan.report(commitment, date(2026, 6, 1), pct=pct)
    snapshot, assessed = assessed_plan(session)
    # W: a = ½·¼ = ⅛, c = ⅜, b = ½; the public actor: (⅛·20 + ½·60) ÷ ⅝ = 52 (re-weighted inside the filter: 40)
    whole = breakdowns.by_actor(assessed, snapshot).set_index("key").loc[public.code]
    kept_snapshot, kept = filter_plan(snapshot, assessed, PlanFilter(sector="público"))
    filtered = breakdowns.by_actor(kept, kept_snapshot).set_index("key").loc[public.code]
    assert whole.physical_progress == pytest.approx(52.0)
    assert filtered.physical_progress == pytest.approx(52.0)
    assert breakdowns.plan_totals(kept).physical_progress == pytest.approx(52.0)


def test_resumen_filtered_to_a_barrio_is_the_barrios_row(plan: PlanBuilder, session: Session) -> None:
    b1, b2 = plan.barrio("1201"), plan.barrio("1202")
    project = plan.project(plan.program(plan.line()))
    other = plan.project(plan.program(plan.line()), weight=1)
    x = plan.commitment(project, weight=2, barrios=(b1, b2))
    y = plan.commitment(project, weight=1, barrios=(b1,))
    z = plan.commitment(other, weight=1, barrios=(b2,))
    for commitment, pct in ((x, 10), (y, 70), (z, 40)):
        plan.report(commitment, date(2026, 6, 1), pct=pct)
    snapshot, assessed = assessed_plan(session)
    barrios = breakdowns.by_barrio(assessed, snapshot).set_index("key")
    for code in ("1201", "1202"):
        _, kept = filter_plan(snapshot, assessed, PlanFilter(barrio_code=code))
        assert breakdowns.plan_totals(kept).physical_progress == pytest.approx(barrios.loc[code, "physical_progress"])
    # 1201: x (W ⅓) and y (W ⅙): (⅓·10 + ⅙·70) ÷ ½ = 30
    assert barrios.loc["1201", "physical_progress"] == pytest.approx(30.0)


def test_partial_coverage_one_figure_for_the_plan_and_its_actor(plan: PlanBuilder, session: Session) -> None:
    """The 35 % vs 50 % of the issue: level-by-level roll-up against plan weights disagree with partial coverage."""
    actor = plan.actor()
    program = plan.program(plan.line())
    big = plan.project(program, weight=3)
    small = plan.project(program, weight=1)
    reported = plan.commitment(big, actors=(actor,))
    plan.commitment(big, actors=(actor,))  # never reported
    tiny = plan.commitment(small, actors=(actor,))
    plan.report(reported, date(2026, 6, 1), pct=20)
    plan.report(tiny, date(2026, 6, 1), pct=80)
    snapshot, assessed = assessed_plan(session)
    # W: reported ⅜, silent ⅜, tiny ¼: (⅜·20 + ¼·80) ÷ ⅝ = 44; coverage ⅝. (The old roll-up said (3·20 + 80) ÷ 4 = 35.)
    totals = breakdowns.plan_totals(assessed)
    actor_row = breakdowns.by_actor(assessed, snapshot).set_index("key").loc[actor.code]
    line_row = breakdowns.by_line(assessed, snapshot).iloc[0]
    program_row = breakdowns.by_program(assessed).iloc[0]
    for row in (totals, actor_row, line_row, program_row):
        assert row.physical_progress == pytest.approx(44.0)
        assert row.coverage == pytest.approx(0.625)
    history = progress_history(assessed, snapshot.reports, ON)
    assert history.physical_progress.iloc[-1] == pytest.approx(44.0)
    assert history.coverage.iloc[-1] == pytest.approx(0.625)


def test_ultimo_reporte_counts_a_money_only_report(plan: PlanBuilder, session: Session) -> None:
    commitment = plan.commitment(plan.project(plan.program(plan.line())), budget=1_000_000)
    plan.report(commitment, date(2026, 5, 31), pct=40)
    plan.report(commitment, date(2026, 6, 30), executed=300_000)
    _snapshot, assessed = assessed_plan(session)
    latest = detail.latest_reports(session=session, on=ON)
    totals = breakdowns.plan_totals(assessed)
    assert totals.last_report_date == pd.Timestamp(2026, 6, 30) == pd.Timestamp(latest.cut_off_date.iloc[0])
    assert (totals.physical_progress, totals.days_since_report) == (40.0, 1)


def test_an_achieved_value_without_a_target_says_why_there_is_no_progress(plan: PlanBuilder, session: Session) -> None:
    project = plan.project(plan.program(plan.line()))
    no_target = plan.commitment(project, target=None)
    zero_target = plan.commitment(project, target=0)
    plan.report(no_target, date(2026, 6, 1), value=12)
    plan.report(zero_target, date(2026, 6, 1), value=3)
    snapshot, assessed = assessed_plan(session)
    assert list(assessed.status) == ["sin reporte", "sin reporte"]
    assert list(assessed.no_progress_reason) == ["sin meta", "sin meta"]
    notes = detail.commitment_table(assessed, snapshot).status_note
    assert all(note.startswith("sin meta") and "avance en %" in note for note in notes)


def test_displayed_rounds_exactly_as_the_formatter_writes() -> None:
    values = [79.99999999999999, 80.05, 60.05, 59.95, 0.05, 100.0, 12.345, -0.05, 44.8 / 56 * 100, float("nan")]
    shown = rule.displayed(pd.Series(values))
    for value, rounded in zip(values, shown, strict=True):
        if pd.isna(value):
            assert pd.isna(rounded)
        else:
            assert formatting.number(rounded, 1) == formatting.number(value, 1)
