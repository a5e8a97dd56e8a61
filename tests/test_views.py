"""core.views: what the pages read, by hand on a three-commitment plan.

L1 > G2 > P3 (weight 1) and P4 (weight 3); C7 in P3 (barrio 1204, public actor A5) reported 40 %; C8 in P4
(community actor A6) reported 80 %; C9 in P4 never reported. Plan weights: C7 ¼, C8 and C9 ⅜ each.
"""

from datetime import date

import pytest
from sqlmodel import Session

from core import views
from core.metrics.filters import PlanFilter
from tests.plan_builder import PlanBuilder

ON = date(2026, 7, 1)


@pytest.fixture
def plan(session: Session) -> Session:
    build = PlanBuilder(session)
    program = build.program(build.line())
    small, big = build.project(program, weight=1), build.project(program, weight=3)
    public, community = build.actor(), build.actor(sector="comunitario")
    reported_small = build.commitment(small, actors=(public,), barrios=(build.barrio("1204"),))
    reported_big = build.commitment(big, actors=(community,))
    build.commitment(big, actors=(community,))
    build.report(reported_small, date(2026, 5, 31), pct=40)
    build.report(reported_big, date(2026, 6, 30), pct=80)
    session.flush()
    return session


def test_the_plan_view_is_the_one_rule_over_the_whole_plan(plan: Session) -> None:
    view = views.plan_view(session=plan, on=ON)
    # (¼·40 + ⅜·80) ÷ (¼ + ⅜) = 40 ÷ 0,625 = 64; coverage ⅝
    assert (view.plan.physical_progress, view.plan.coverage) == (pytest.approx(64.0), pytest.approx(0.625))
    assert (view.plan.commitments, list(view.lines.key)) == (3, ["L1"])


def test_a_filter_selects_commitments_and_never_reweights_them(plan: Session) -> None:
    view = views.plan_view(session=plan, on=ON, plan_filter=PlanFilter(barrio_code="1204"))
    assert (view.plan.commitments, view.plan.physical_progress) == (1, pytest.approx(40.0))
    assert list(view.assessed.plan_weight) == [pytest.approx(0.25)]  # its whole-plan weight
    community = views.plan_view(session=plan, on=ON, plan_filter=PlanFilter(sector="comunitario"))
    assert (community.plan.physical_progress, community.plan.coverage) == (pytest.approx(80.0), pytest.approx(0.5))


def test_a_view_uses_the_assessed_plan_it_is_given(plan: Session) -> None:
    """What ``ui.state.read`` relies on to share one assessed plan: a given ``whole`` is not read again."""
    before_any_report = views.assessed_plan(session=plan, on=date(2026, 5, 1))
    view = views.plan_view(session=plan, on=ON, whole=before_any_report)
    assert view.plan.coverage == 0
    assert views.plan_view(session=plan, on=ON).plan.coverage == pytest.approx(0.625)


def test_the_drill_down_tables_are_breakdowns_of_the_selection(plan: Session) -> None:
    actors = views.view_table(session=plan, on=ON, name="actors").set_index("key")
    assert actors.physical_progress.to_dict() == {"A5": pytest.approx(40.0), "A6": pytest.approx(80.0)}
    kept = views.view_table(session=plan, on=ON, name="commitments", plan_filter=PlanFilter(sector="comunitario"))
    assert sorted(kept.code) == ["C8", "C9"]


def test_latest_reports_are_the_selection_s_newest_first(plan: Session) -> None:
    assert list(views.latest_reports(session=plan, on=ON).commitment_code) == ["C8", "C7"]
    only_1204 = views.latest_reports(session=plan, on=ON, plan_filter=PlanFilter(barrio_code="1204"))
    assert list(only_1204.commitment_code) == ["C7"]
    assert views.latest_reports(session=plan, on=date(2026, 6, 1)).commitment_code.tolist() == ["C7"]


def test_an_actor_s_pack_shows_its_figure_as_everywhere_else(plan: Session) -> None:
    pack = views.pack_files(session=plan, on=ON, scope="actor", key="A6")
    assert pack.summary.startswith("Actor 6 – ")
    assert "80,0 %" in pack.summary


def test_personal_data_and_the_audit_trail_are_never_kept() -> None:
    assert {views.actor_contact, views.audit_entries, views.user_accounts, views.batch_history} <= views.FRESH
    assert views.plan_view not in views.FRESH
