"""Every breakdown and drill-down on one hand-computed plan.

L1 has project P1 with three commitments: Ca (actor A, público; barrios 1201 and 1202; 60 %), Cb (actor B,
comunitario; barrio 1201; 30 %) and Cx (actor A; barrio 1202; 90 % but cancelled). L2 has one commitment Cc by
actor A, comuna-wide and never reported. Lines and commitments weigh the same, so Ca and Cb are each a quarter of
the plan and Cc a half.

The builder numbers rows in order of creation: actors A1, A2; projects P5 (L1), P8 (L2); commitments Ca = C9,
Cb = C10, Cx = C11, Cc = C12.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from core.metrics import breakdowns, detail, rule, snapshots
from core.metrics.filters import NO_FILTER, PlanFilter, filter_plan, matching, restrict
from tests.plan_builder import PlanBuilder

ON = date(2026, 7, 1)


@dataclass(frozen=True)
class View:
    snapshot: snapshots.Snapshot
    assessed: pd.DataFrame


@pytest.fixture
def snapshot(session: Session) -> snapshots.Snapshot:
    plan = PlanBuilder(session)
    actor_a, actor_b = plan.actor(sector="público"), plan.actor(sector="comunitario")
    b1201, b1202 = plan.barrio("1201"), plan.barrio("1202")
    p1 = plan.project(plan.program(plan.line(code="L1")))
    p2 = plan.project(plan.program(plan.line(code="L2")))
    ca = plan.commitment(p1, actors=(actor_a,), barrios=(b1201, b1202), budget=1_000_000)
    cb = plan.commitment(p1, actors=(actor_b,), barrios=(b1201,), budget=3_000_000)
    cx = plan.commitment(p1, actors=(actor_a,), barrios=(b1202,), cancelled=True)
    plan.commitment(p2, actors=(actor_a,))
    plan.report(ca, date(2026, 6, 30), pct=60, executed=400_000)
    plan.report(cb, date(2026, 6, 15), pct=30)
    plan.report(cx, date(2026, 6, 1), pct=90)
    session.flush()
    return snapshots.load_snapshot(session=session, on=ON)


def view(snapshot: snapshots.Snapshot, plan_filter: PlanFilter = NO_FILTER) -> View:
    return View(*filter_plan(snapshot, rule.assess_commitments(snapshot), plan_filter))


def rows(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.set_index("key")


def test_by_line(snapshot: snapshots.Snapshot) -> None:
    v = view(snapshot)
    lines = rows(breakdowns.by_line(v.assessed, v.snapshot))
    assert lines.loc["L1", "physical_progress"] == pytest.approx(45.0)  # (60 + 30) / 2; Cx cancelled
    assert (lines.loc["L1", "commitments"], lines.loc["L1", "cancelled"]) == (2, 1)
    assert lines.loc["L1", "coverage"] == pytest.approx(1.0)
    assert pd.isna(lines.loc["L2", "physical_progress"])  # never reported: blank, not 0
    assert lines.loc["L2", "status"] == "sin reporte"
    assert lines.loc["L2", "coverage"] == 0


def test_by_actor_spans_lines(snapshot: snapshots.Snapshot) -> None:
    v = view(snapshot)
    actors = rows(breakdowns.by_actor(v.assessed, v.snapshot))
    assert (actors.loc["A1", "commitments"], actors.loc["A1", "cancelled"]) == (2, 1)
    assert actors.loc["A1", "physical_progress"] == pytest.approx(60.0)  # only Ca reported
    assert actors.loc["A1", "coverage"] == pytest.approx(0.25 / 0.75)  # Ca's quarter of A's three quarters
    assert actors.loc["A1", "n_sin reporte"] == 1
    assert actors.loc["A2", "physical_progress"] == pytest.approx(30.0)
    assert actors.loc["A2", "budget_cop"] == 3_000_000


def test_by_barrio_counts_a_two_barrio_commitment_in_each(snapshot: snapshots.Snapshot) -> None:
    v = view(snapshot)
    barrios = rows(breakdowns.by_barrio(v.assessed, v.snapshot))
    assert barrios.loc["1201", "commitments"] == 2
    assert barrios.loc["1201", "physical_progress"] == pytest.approx(45.0)
    assert (barrios.loc["1202", "commitments"], barrios.loc["1202", "cancelled"]) == (1, 1)
    assert barrios.loc["1202", "physical_progress"] == pytest.approx(60.0)
    assert barrios.loc["C12", "commitments"] == 1  # the comuna-wide one, apart
    assert pd.isna(barrios.loc["C12", "physical_progress"])
    plan = breakdowns.plan_totals(v.assessed)
    assert plan.commitments == 3  # Ca once, though it is in two barrios
    assert plan.physical_progress == pytest.approx(45.0)
    assert plan.coverage == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("plan_filter", "codes"),
    [
        (PlanFilter(line_code="L1"), ["C10", "C11", "C9"]),
        (PlanFilter(sector="comunitario"), ["C10"]),
        (PlanFilter(sector="público", line_code="L2"), ["C12"]),
        (PlanFilter(barrio_code="1202"), ["C11", "C9"]),
        (PlanFilter(barrio_code="C12"), ["C12"]),
        (PlanFilter(stage="perfil"), []),
    ],
)
def test_filters(snapshot: snapshots.Snapshot, plan_filter: PlanFilter, codes: list[str]) -> None:
    filtered = restrict(snapshot, snapshot.commitments.commitment_id.loc[matching(snapshot, plan_filter)])
    assert sorted(filtered.commitments.code) == codes
    assert set(filtered.reports.commitment_id) <= set(filtered.commitments.commitment_id)
    assert set(filtered.commitment_actors.commitment_id) <= set(filtered.commitments.commitment_id)


def test_a_filtered_line_has_the_figures_of_the_unfiltered_line(snapshot: snapshots.Snapshot) -> None:
    whole = view(snapshot)
    line = view(snapshot, PlanFilter(line_code="L1"))
    expected = rows(breakdowns.by_line(whole.assessed, whole.snapshot)).loc["L1"]
    plan = breakdowns.plan_totals(line.assessed)
    assert plan.physical_progress == pytest.approx(expected.physical_progress)
    assert plan.expected_progress == pytest.approx(expected.expected_progress)


def test_empty_filter_result_gives_blank_figures(snapshot: snapshots.Snapshot) -> None:
    nothing = view(snapshot, PlanFilter(stage="perfil"))
    plan = breakdowns.plan_totals(nothing.assessed)
    assert plan.commitments == 0
    assert pd.isna(plan.physical_progress)


def test_project_table(snapshot: snapshots.Snapshot) -> None:
    v = view(snapshot)
    projects = detail.project_table(v.assessed, v.snapshot).set_index("project_code")
    assert projects.loc["P5", "barrios"] == "Barrio 1201 · Barrio 1202"
    assert projects.loc["P8", "barrios"] == "Toda la comuna"
    assert projects.loc["P5", "commitments"] == 2
    assert projects.loc["P5", "physical_progress"] == pytest.approx(45.0)
    assert projects.loc["P5", "budget_cop"] == 4_000_000
    assert projects.loc["P5", "budget_executed_cop"] == 400_000


def test_commitment_table_names_actors_and_barrios(snapshot: snapshots.Snapshot) -> None:
    v = view(snapshot)
    table = detail.commitment_table(v.assessed, v.snapshot).set_index("code")
    assert table.loc["C9", "actors"] == "Actor 1"
    assert table.loc["C9", "barrios"] == "Barrio 1201 · Barrio 1202"
    assert table.loc["C12", "barrios"] == "Toda la comuna"
    assert table.loc["C11", "status"] == "cancelado"


def test_report_history_newest_first(snapshot: snapshots.Snapshot) -> None:
    ids = snapshot.commitments.loc[snapshot.commitments.code.isin(["C9", "C10"]), "commitment_id"].tolist()
    history = detail.report_history(snapshot, ids)
    assert list(history.code) == ["C9", "C10"]
    assert list(history.progress) == [60, 30]


def test_transversality(snapshot: snapshots.Snapshot) -> None:
    v = view(snapshot)
    participation = detail.line_participation(v.assessed, v.snapshot)
    assert list(zip(participation.line_code, participation.name, participation.commitments, strict=True)) == [
        ("L1", "Actor 1", 1),  # Cx is cancelled
        ("L1", "Actor 2", 1),
        ("L2", "Actor 1", 1),
    ]
    assert detail.lines_without_public_sector(v.assessed, v.snapshot).empty
    community = view(snapshot, PlanFilter(sector="comunitario"))
    missing = detail.lines_without_public_sector(community.assessed, community.snapshot)
    assert list(missing.line_code) == ["L1"]


def test_barrio_line_matrix_and_density(snapshot: snapshots.Snapshot) -> None:
    v = view(snapshot)
    matrix = detail.barrio_line_matrix(v.assessed, v.snapshot)
    cell = matrix.set_index(["key", "line_code"])
    assert cell.loc[("1201", "L1"), "physical_progress"] == pytest.approx(45.0)
    assert cell.loc[("1201", "L2"), "commitments"] == 0
    assert cell.loc[("C12", "L2"), "commitments"] == 1
    barrios = breakdowns.by_barrio(v.assessed, v.snapshot)
    sized = v.snapshot.barrios.assign(area_m2=[2_000_000.0, 500_000.0], population=[None, 1000])
    density = detail.barrio_density(barrios, sized).set_index("key")
    assert density.loc["1201", "commitments_per_km2"] == pytest.approx(1.0)  # 2 commitments on 2 km²
    assert density.loc["1202", "budget_per_inhabitant"] == pytest.approx(1_000.0)  # $ 1.000.000 / 1.000
    assert pd.isna(density.loc["1201", "budget_per_inhabitant"])  # no population: blank, not 0
    assert pd.isna(density.loc["C12", "commitments_per_km2"])
