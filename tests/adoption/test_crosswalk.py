"""The crosswalk's figures by hand (DESIGN.md §8): only verified rows count, money is never added to budgets."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from core.adoption import alignment, records
from core.adoption.records import AdoptionData
from core.metrics import breakdowns, rule, snapshots
from core.models import Actor, Alignment, Instrument, InstrumentLine, Project, StrategicLine
from tests.plan_builder import PlanBuilder

ON = date(2026, 7, 1)
M = 1_000_000.0


@dataclass
class Crosswalk:
    data: AdoptionData
    snapshot: snapshots.Snapshot
    assessed: pd.DataFrame
    lines: list[StrategicLine]
    secretaria: Actor
    jac: Actor
    ong: Actor
    project: Project


def instrument(session: Session, code: str, actor: Actor, lines: list[StrategicLine], kind: str) -> Instrument:
    row = Instrument(code=code, actor_id=actor.id, kind=kind, name=f"Plan {code}")
    session.add(row)
    session.flush()
    for line in lines:
        session.add(InstrumentLine(instrument_id=row.id, line_id=line.id))
    return row


def row(session: Session, code: str, of: Instrument, line: StrategicLine, level: int, **values: object) -> None:
    verified = (
        {"verified_by": "Coordinación", "verified_on": date(2026, 6, 1)} if values.get("state") == "verificado" else {}
    )
    session.add(Alignment(code=code, instrument_id=of.id, line_id=line.id, level=level, **(verified | values)))


@pytest.fixture
def crosswalk(session: Session) -> Crosswalk:
    """Secretaría S (público) concerns L1–L3; JAC J (comunitario) concerns L2; corporación O has no instrument."""
    plan = PlanBuilder(session)
    l1, l2, l3 = plan.line(code="L1"), plan.line(code="L2"), plan.line(code="L3")
    s, j, o = plan.actor(sector="público"), plan.actor(sector="comunitario"), plan.actor(sector="ONG/corporación")
    project = plan.project(plan.program(l1))
    c1 = plan.commitment(project, budget=200 * M, actors=(s,))
    plan.report(c1, date(2026, 6, 1), pct=20)
    c3 = plan.commitment(plan.project(plan.program(l3)), budget=40 * M, actors=(j,))
    plan.report(c3, date(2026, 6, 1), pct=10)
    i1 = instrument(session, "I1", s, [l1, l2, l3], "Plan de Acción")
    i2 = instrument(session, "I2", j, [l2], "Plan Estratégico de Desarrollo Comunal")
    row(
        session,
        "R1",
        i1,
        l1,
        3,
        state="verificado",
        resources_cop=100 * M,
        year=2026,
        evidence="meta 7",
        project_id=project.id,
    )
    row(session, "R2", i1, l2, 1, state="verificado", resources_cop=50 * M, year=2026)
    row(session, "R3", i1, l3, 2, state="propuesto", resources_cop=70 * M, year=2026)  # unverified: never counted
    row(session, "R4", i1, l1, 0, state="verificado", resources_cop=30 * M, year=2026)  # theirs, not the plan's
    row(session, "R5", i2, l2, 2, state="verificado", resources_cop=10 * M, year=2025, verified_on=date(2024, 1, 10))
    row(session, "R6", i2, l2, 3, state="descartado", resources_cop=999 * M, year=2026)  # never
    session.flush()
    snapshot = snapshots.load_snapshot(session=session, on=ON)
    return Crosswalk(
        records.load_adoption(session=session), snapshot, rule.assess_commitments(snapshot), [l1, l2, l3], s, j, o,
        project,
    )  # fmt: skip


def test_coverage_counts_verified_lines_at_level_two_among_the_lines_concerned(crosswalk: Crosswalk) -> None:
    cards = alignment.coverage(crosswalk.data).set_index("actor_code")
    s, j = cards.loc[crosswalk.secretaria.code], cards.loc[crosswalk.jac.code]
    # S: of L1, L2, L3 only L1 is verified at level ≥ 2 (L2 is a mention, L3 only proposed)
    assert (s.instruments, s.lines_concerned, s.lines_programmed, s.coverage) == (1, 3, 1, pytest.approx(1 / 3))
    assert (s.absent_lines, s.unverified) == ("L3", 1)
    assert (j.lines_programmed, j.coverage, j.absent_lines) == (1, 1.0, "")


def test_an_actor_without_instruments_has_no_coverage_not_zero(crosswalk: Crosswalk) -> None:
    ong = alignment.coverage(crosswalk.data).set_index("actor_code").loc[crosswalk.ong.code]
    assert (ong.instruments, ong.lines_concerned) == (0, 0)
    assert pd.isna(ong.coverage)


def test_anchoring_is_money_on_plan_lines_over_all_its_verified_money(crosswalk: Crosswalk) -> None:
    anchoring = alignment.anchoring(crosswalk.data).set_index("actor_code")
    s = anchoring.loc[crosswalk.secretaria.code]
    # 100 (level 3) ÷ (100 + 50 at level 1 + 30 at level 0); the 70 proposed and the 999 discarded never count
    assert (s.resources_on_plan_cop, s.resources_total_cop) == (100 * M, 180 * M)
    assert s.anchoring == pytest.approx(100 / 180)
    assert anchoring.loc[crosswalk.jac.code].anchoring == 1.0
    assert pd.isna(anchoring.loc[crosswalk.ong.code].anchoring)


def test_transversality_counts_sectors_and_public_entities_and_flags_a_line_without_one(crosswalk: Crosswalk) -> None:
    lines = alignment.transversality(crosswalk.data).set_index("line_code")
    assert lines.loc["L1", ["actors", "sectors", "public_entities", "no_public_entity"]].tolist() == [1, 1, 1, False]
    # L2: only the JAC programs it (the Secretaría merely mentions it): no public entity
    assert lines.loc["L2", ["actors", "sectors", "sector_names", "public_entities"]].tolist() == [
        1,
        1,
        "comunitario",
        0,
    ]
    assert bool(lines.loc["L2", "no_public_entity"]) and bool(lines.loc["L3", "no_public_entity"])
    assert (lines.loc["L3", "actors"], lines.loc["L3", "unverified"]) == (0, 1)
    assert lines.loc["L1", "resources_cop"] == 130 * M and pd.isna(lines.loc["L3", "resources_cop"])


def test_resources_per_line_and_year_by_kind_and_by_sector(crosswalk: Crosswalk) -> None:
    by_kind = alignment.resources_by_line(crosswalk.data, by="kind")
    assert [tuple(r) for r in by_kind[["line_code", "year", "source", "resources_cop"]].itertuples(index=False)] == [
        ("L1", 2026, "Plan de Acción", 130 * M),
        ("L2", 2025, "Plan Estratégico de Desarrollo Comunal", 10 * M),
        ("L2", 2026, "Plan de Acción", 50 * M),
    ]
    by_sector = alignment.resources_by_line(crosswalk.data, by="sector")
    assert by_sector.source.tolist() == ["público", "comunitario", "público"]


def test_review_freshness_per_actor(crosswalk: Crosswalk) -> None:
    review = alignment.review_freshness(crosswalk.data, ON).set_index("actor_code")
    assert review.loc[crosswalk.secretaria.code, ["days_since_review", "review"]].tolist() == [30, "al día"]
    assert review.loc[crosswalk.jac.code, ["days_since_review", "review"]].tolist() == [903, "vencida"]
    assert crosswalk.ong.code not in review.index  # no instrument, nothing to review


def test_level_four_comes_from_live_commitments_on_a_programmed_line(crosswalk: Crosswalk) -> None:
    live = alignment.live_pairs(crosswalk.assessed, crosswalk.snapshot)
    cells = alignment.level_matrix(crosswalk.data, live).set_index(["actor_code", "line_code"])
    s, j = crosswalk.secretaria.code, crosswalk.jac.code
    assert cells.loc[(s, "L1"), "label"] == "4 en ejecución ✓"
    assert cells.loc[(s, "L2"), "label"] == "1 mencionado"
    assert (cells.loc[(s, "L3"), "label"], bool(cells.loc[(s, "L3"), "unverified"])) == ("sin verificar", True)
    assert cells.loc[(j, "L2"), "label"] == "2 programado"  # the discarded level 3 never shows
    assert cells.loc[(j, "L3"), "label"] == "con compromisos"  # executes on a line its plan does not program
    assert crosswalk.ong.code not in cells.index.get_level_values(0)


def test_alignment_money_is_shown_beside_budgets_never_added(crosswalk: Crosswalk) -> None:
    overlaps = alignment.overlaps(crosswalk.data, crosswalk.assessed)
    assert overlaps[["code", "project_code", "resources_cop", "commitment_budget_cop"]].values.tolist() == [
        ["R1", crosswalk.project.code, 100 * M, 200 * M]
    ]
    assert breakdowns.plan_totals(crosswalk.assessed).budget_cop == 240 * M  # the commitments' budgets alone


def test_the_selection_by_sector_year_and_kind(crosswalk: Crosswalk) -> None:
    public = records.select_adoption(crosswalk.data, sector="público")
    assert public.instruments.code.tolist() == ["I1"]
    assert set(public.alignment.code) == {"R1", "R2", "R3", "R4"}
    assert set(records.select_adoption(crosswalk.data, year=2025).alignment.code) == {"R5"}
    communal = records.select_adoption(crosswalk.data, kind="Plan Estratégico de Desarrollo Comunal")
    assert set(communal.alignment.code) == {"R5", "R6"}


def test_an_actors_planning_for_its_printed_page(crosswalk: Crosswalk) -> None:
    live = alignment.live_pairs(crosswalk.assessed, crosswalk.snapshot)
    planning = alignment.actor_planning(crosswalk.data, live, crosswalk.secretaria.code)
    rows = [tuple(r) for r in planning[["line_code", "label", "resources_cop", "absent"]].itertuples(index=False)]
    assert rows[:2] == [("L1", "4 en ejecución ✓", 130 * M, False), ("L2", "1 mencionado", 50 * M, False)]
    assert rows[2][:2] == ("L3", "sin verificar") and pd.isna(rows[2][2]) and rows[2][3]
    assert alignment.actor_planning(crosswalk.data, live, crosswalk.ong.code).empty
