"""The vision's figures by hand: the horizon's time beside plan progress, and the ideas-fuerza by the one rule."""

from datetime import date

import pytest
from sqlmodel import Session

from core.adoption import records, vision
from core.metrics import breakdowns, rule, snapshots
from core.models import IdeaFuerza, IdeaLine, PlanProfile
from tests.plan_builder import PlanBuilder

ON = date(2026, 7, 1)


def test_time_elapsed_of_the_horizon() -> None:
    start, end = vision.horizon_dates({"start_year": 2024, "horizon_years": 12})
    assert (start, end) == (date(2024, 1, 1), date(2035, 12, 31))
    # 912 days (2024 is a leap year) of 4.382
    assert vision.elapsed_share(start, end, ON) == pytest.approx(912 / 4382 * 100)
    assert vision.elapsed_share(start, end, date(2023, 5, 1)) == 0.0
    assert vision.elapsed_share(start, end, date(2040, 1, 1)) == 100.0


def test_an_idea_fuerza_is_the_one_rule_over_the_union_of_its_lines(session: Session) -> None:
    plan = PlanBuilder(session)
    l1, l2, l3 = plan.line(code="L1"), plan.line(code="L2"), plan.line(code="L3")
    c1 = plan.commitment(plan.project(plan.program(l1)))
    l2_project = plan.project(plan.program(l2))
    c2, _unreported = plan.commitment(l2_project), plan.commitment(l2_project)
    c4 = plan.commitment(plan.project(plan.program(l3)))
    for commitment, pct in ((c1, 20), (c2, 60), (c4, 90)):
        plan.report(commitment, date(2026, 6, 1), pct=pct)
    session.add(PlanProfile(code="PE", name="Plan", start_year=2024, horizon_years=12))
    both, empty = IdeaFuerza(code="IF-1", text="Dos líneas"), IdeaFuerza(code="IF-2", text="Sin líneas")
    session.add_all([both, empty])
    session.flush()
    session.add_all([IdeaLine(idea_id=both.id, line_id=l1.id), IdeaLine(idea_id=both.id, line_id=l2.id)])
    session.flush()
    snapshot = snapshots.load_snapshot(session=session, on=ON)
    assessed = rule.assess_commitments(snapshot)
    ideas = vision.idea_progress(records.load_adoption(session=session), assessed).set_index("key")
    # W: c1 = 1/3, c2 = c3 = 1/6. (⅓·20 + ⅙·60) ÷ ½ = 33,3 — not the mean of the lines' 20 and 60 (40)
    assert ideas.loc["IF-1", "physical_progress"] == pytest.approx(100 / 3)
    assert ideas.loc["IF-1", "coverage"] == pytest.approx(0.75)  # ½ reported of the ⅔ its lines weigh
    assert (ideas.loc["IF-1", "lines"], ideas.loc["IF-1", "commitments"]) == ("L1, L2", 3)
    assert ideas.loc["IF-2", "commitments"] == 0 and ideas.loc["IF-2", "status"] == "sin reporte"


def test_the_horizon_takes_plan_progress_from_the_one_rule(session: Session) -> None:
    plan = PlanBuilder(session)
    c1 = plan.commitment(plan.project(plan.program(plan.line())))
    plan.report(c1, date(2026, 6, 1), pct=40)
    snapshot = snapshots.load_snapshot(session=session, on=ON)
    totals = breakdowns.plan_totals(rule.assess_commitments(snapshot))
    figures = vision.horizon({"start_year": 2024, "horizon_years": 12}, totals, ON)
    assert figures is not None
    assert (figures.progress, figures.coverage) == (pytest.approx(40.0), pytest.approx(1.0))
    assert vision.horizon(None, totals, ON) is None
