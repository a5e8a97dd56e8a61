"""Property-based tests of DESIGN.md §4's one rule on random small plans (Hypothesis), on every backend.

Each example builds a plan in the test's session without committing and rolls it back, so one database serves many
examples. The plans mix weights of zero, cancelled commitments and projects, archived commitments, partial reports
(percent, achieved value, money only), shared actors and commitments in several barrios.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from core import formatting
from core.communication import packs
from core.metrics import breakdowns, rule, snapshots
from core.metrics.filters import PlanFilter, filter_plan
from core.metrics.history import progress_history
from core.models import Actor, Barrio, Commitment, Project
from tests.plan_builder import PlanBuilder

ON = date(2026, 7, 1)
SECTORS = ("público", "comunitario", "privado")
BARRIOS = ("1201", "1202", "1203")
WEIGHTS = st.sampled_from([0.0, 0.0, 1.0, 2.0, 3.5])
FIGURES = ("physical_progress", "expected_progress", "coverage", "efficacy")
STATES = tuple(f"n_{status}" for status in rule.STATUS_ORDER[:5])


@dataclass
class Built:
    snapshot: snapshots.Snapshot
    assessed: pd.DataFrame
    projects: list[Project]
    builder: PlanBuilder


def build_plan(session: Session, data: st.DataObject) -> Built:
    plan = PlanBuilder(session)
    actors = [plan.actor(sector=data.draw(st.sampled_from(SECTORS))) for _ in range(data.draw(st.integers(1, 3)))]
    barrios = [plan.barrio(code) for code in BARRIOS]
    projects: list[Project] = []
    for _ in range(data.draw(st.integers(1, 3))):
        line = plan.line(weight=data.draw(WEIGHTS))
        for _ in range(data.draw(st.integers(1, 2))):
            program = plan.program(line, weight=data.draw(WEIGHTS))
            for _ in range(data.draw(st.integers(1, 2))):
                stage = data.draw(st.sampled_from(["en ejecución"] * 5 + ["cancelado"]))
                project = plan.project(program, weight=data.draw(WEIGHTS), stage=stage)
                projects.append(project)
                for _ in range(data.draw(st.integers(1, 3))):
                    add_commitment(plan, data, project, actors, barrios)
    session.flush()
    snapshot = snapshots.load_snapshot(session=session, on=ON)
    return Built(snapshot, rule.assess_commitments(snapshot), projects, plan)


def add_commitment(
    plan: PlanBuilder,
    data: st.DataObject,
    project: Project,
    actors: list[Actor],
    barrios: list[Barrio],
    *,
    cancelled: bool | None = None,
) -> Commitment:
    chosen_actors = data.draw(st.lists(st.sampled_from(actors), min_size=1, max_size=2, unique_by=lambda a: a.id))
    chosen_barrios = data.draw(st.lists(st.sampled_from(barrios), max_size=2, unique_by=lambda b: b.id))
    commitment = plan.commitment(
        project,
        weight=data.draw(WEIGHTS),
        target=data.draw(st.sampled_from([100.0, 40.0, None])),
        due=data.draw(st.sampled_from([date(2026, 3, 31), date(2026, 12, 31), date(2027, 6, 30)])),
        budget=data.draw(st.sampled_from([None, 1_000_000.0, 5_000_000.0])),
        cancelled=data.draw(st.booleans().map(lambda b: b and data.draw(st.booleans())))
        if cancelled is None
        else cancelled,
        actors=tuple(chosen_actors),
        barrios=tuple(chosen_barrios),
    )
    if data.draw(st.booleans().map(lambda b: not b and data.draw(st.booleans()))):  # about one in four archived
        commitment.archived_on = date(2026, 5, 1)
    for cut_off in data.draw(st.lists(st.sampled_from([date(2026, 2, 28), date(2026, 5, 31), date(2026, 6, 30)]),
                                      max_size=2, unique=True)):  # fmt: skip
        kind = data.draw(st.sampled_from(["pct", "value", "money"]))
        plan.report(
            commitment,
            cut_off,
            pct=data.draw(st.floats(0, 100)) if kind == "pct" else None,
            value=data.draw(st.floats(0, 50)) if kind == "value" else None,
            executed=data.draw(st.floats(0, 2_000_000)) if kind == "money" else None,
        )
    return commitment


def same_figures(left: pd.Series, right: pd.Series) -> None:
    for column in (*FIGURES, "commitments", "reported", "overdue", *STATES):
        a, b = left[column], right[column]
        assert (pd.isna(a) and pd.isna(b)) or a == pytest.approx(b, rel=1e-9, abs=1e-9), column
    assert left.status == right.status


def weighted_mean(rows: pd.DataFrame, column: str) -> float | None:
    """Σ W·value ÷ Σ W over the active rows with progress, written out (members all of W 0 count equally)."""
    active = rows.loc[rows.active]
    weights = active.plan_weight if active.plan_weight.sum() > 0 else pd.Series(1.0, index=active.index)
    reported = active.physical_progress.notna()
    total = weights[reported].sum()
    return None if total <= 0 else float((weights * active[column])[reported].sum() / total)


EXAMPLES = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@EXAMPLES
@given(data=st.data())
def test_a_set_has_one_figure_whichever_way_it_is_reached(session: Session, data: st.DataObject) -> None:
    try:
        built = build_plan(session, data)
        snapshot, assessed = built.snapshot, built.assessed
        totals = breakdowns.plan_totals(assessed)
        # the plan, written out
        expected = weighted_mean(assessed, "physical_progress")
        assert (expected is None and pd.isna(totals.physical_progress)) or totals.physical_progress == pytest.approx(
            expected
        )
        # lines, actors and barrios: the row of the breakdown, the filter, and the set selected by hand agree
        for _, line in breakdowns.by_line(assessed, snapshot).iterrows():
            _, kept = filter_plan(snapshot, assessed, PlanFilter(line_code=line.key))
            same_figures(line, breakdowns.plan_totals(kept))
        barrios = breakdowns.by_barrio(assessed, snapshot).set_index("key")
        for code in (*BARRIOS, breakdowns.WHOLE_COMUNA_KEY):
            _, kept = filter_plan(snapshot, assessed, PlanFilter(barrio_code=code))
            same_figures(barrios.loc[code], breakdowns.plan_totals(kept))
            pack = packs.barrio_pack(assessed, snapshot, snapshots.DEFAULT_THRESHOLDS, code)
            same_figures(barrios.loc[code], pack.totals)
        actors = breakdowns.by_actor(assessed, snapshot).set_index("key")
        for actor in snapshot.actors.itertuples():
            own = assessed.loc[assessed.commitment_id.isin(
                snapshot.commitment_actors.loc[snapshot.commitment_actors.actor_id == actor.id, "commitment_id"]
            )]  # fmt: skip
            same_figures(actors.loc[actor.code], breakdowns.plan_totals(own))
            # a filter that keeps all of the actor's commitments leaves its figures unchanged
            kept_snapshot, kept = filter_plan(snapshot, assessed, PlanFilter(sector=actor.sector))
            same_figures(
                actors.loc[actor.code], breakdowns.by_actor(kept, kept_snapshot).set_index("key").loc[actor.code]
            )
            pack = packs.actor_pack(assessed, snapshot, snapshots.DEFAULT_THRESHOLDS, actor.code)
            same_figures(actors.loc[actor.code], pack.totals)
        # an intersection is the set of its rows
        line_code = snapshot.lines.code.iloc[0]
        _both_snapshot, both = filter_plan(snapshot, assessed, PlanFilter(line_code=line_code, barrio_code="1201"))
        by_hand = assessed.loc[
            (assessed.line_code == line_code)
            & assessed.commitment_id.isin(
                snapshot.commitment_barrios.loc[
                    snapshot.commitment_barrios.barrio_id.isin(
                        snapshot.barrios.loc[snapshot.barrios.code == "1201", "id"]
                    ),
                    "commitment_id",
                ]
            )
        ]
        same_figures(breakdowns.plan_totals(by_hand), breakdowns.plan_totals(both))
        # the curve's last point is the headline figure
        history = progress_history(assessed, snapshot.reports, ON)
        if not history.empty:
            last = history.iloc[-1]
            for column in ("physical_progress", "expected_progress", "coverage"):
                a, b = last[column], totals[column]
                assert (pd.isna(a) and pd.isna(b)) or a == pytest.approx(b), column
    finally:  # nothing was committed: the next example starts from the empty plan
        session.rollback()
        session.expunge_all()


@EXAMPLES
@given(data=st.data())
def test_parents_counts_and_coverage(session: Session, data: st.DataObject) -> None:
    try:
        built = build_plan(session, data)
        snapshot, assessed = built.snapshot, built.assessed
        totals = breakdowns.plan_totals(assessed)
        active = assessed.loc[assessed.active]
        # a parent's figure is the mean of its children's figures weighted by their reported weight
        reported_weight = active.plan_weight.where(active.physical_progress.notna(), 0.0)
        if active.plan_weight.sum() > 0 and reported_weight.sum() > 0:
            lines = breakdowns.by_line(assessed, snapshot).set_index("key")
            line_weight = reported_weight.groupby(active.line_code).sum()
            with_weight = line_weight.loc[line_weight > 0]
            mean = (lines.physical_progress.reindex(with_weight.index) * with_weight).sum() / with_weight.sum()
            assert totals.physical_progress == pytest.approx(mean)
            # coverage × avance = Σ W·progress over the set ÷ Σ W of the set
            weighted = (active.plan_weight * active.physical_progress).sum() / active.plan_weight.sum()
            assert totals.coverage * totals.physical_progress == pytest.approx(weighted)
        # state counts add up to the total, on every breakdown
        for frame in (
            breakdowns.by_line(assessed, snapshot),
            breakdowns.by_actor(assessed, snapshot),
            breakdowns.by_barrio(assessed, snapshot),
            breakdowns.by_project(assessed),
            pd.DataFrame([totals]),
        ):
            assert (frame[list(STATES)].sum(axis=1) == frame.commitments).all()
        # the plan weights of the active commitments sum to 1 (when anything is active)
        if len(active):
            assert active.plan_weight.sum() == pytest.approx(1.0) or active.plan_weight.sum() == 0
    finally:  # nothing was committed: the next example starts from the empty plan
        session.rollback()
        session.expunge_all()


@EXAMPLES
@given(data=st.data())
def test_a_cancelled_or_archived_commitment_changes_no_average(session: Session, data: st.DataObject) -> None:
    try:
        built = build_plan(session, data)
        before = built.snapshot, built.assessed
        actors = list(session.exec(select(Actor)).all())
        barrios = list(session.exec(select(Barrio)).all())
        project = data.draw(st.sampled_from(built.projects))
        extra = add_commitment(built.builder, data, project, actors, barrios, cancelled=True)
        if data.draw(st.booleans()):  # or an active one, archived
            extra.cancelled, extra.archived_on = False, date(2026, 6, 1)
        session.flush()
        snapshot = snapshots.load_snapshot(session=session, on=ON)
        after = snapshot, rule.assess_commitments(snapshot)
        for figures in (
            lambda s, a: pd.DataFrame([breakdowns.plan_totals(a)]).set_index("key"),
            lambda s, a: breakdowns.by_line(a, s).set_index("key"),
            lambda s, a: breakdowns.by_barrio(a, s).set_index("key"),
            lambda s, a: breakdowns.by_actor(a, s).set_index("key"),
        ):
            old, new = figures(*before), figures(*after)
            for column in FIGURES:
                pd.testing.assert_series_equal(old[column], new[column].reindex(old.index), check_names=False)
    finally:  # nothing was committed: the next example starts from the empty plan
        session.rollback()
        session.expunge_all()


@settings(max_examples=500, deadline=None)
@given(
    value=st.floats(min_value=0, max_value=1e6) | st.integers(0, 10**5).map(lambda n: n / 20)
)  # figures are never negative
def test_the_band_reads_the_figure_the_user_reads(value: float) -> None:
    shown = rule.displayed(pd.Series([value])).iloc[0]
    assert formatting.number(shown, 1) == formatting.number(value, 1)
