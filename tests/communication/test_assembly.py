"""What changed since the last assembly, the next commitments due and the slide deck, on a plan written by hand.

The plan: one line, one project (2026), two commitments of equal weight.
- C1 (actor A1): 40 % at 31/03, 100 % at 30/06 -> completed in the period.
- C2 (actor A2): first report 20 % at 30/06.
Reference date 30/04 (an asamblea), cut-off 31/07. Before: only C1 reported -> the line is at 40 %, coverage 50 %.
After: (100 + 20) / 2 = 60 % -> +20 points; both commitments moved forward; two reports in the period.
"""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from core.communication import assembly
from core.metrics import rule, snapshots
from core.models import Actor, Attendance, Commitment, Event, Pact, PactMember
from core.participation.attendance import load_participation
from core.participation.coordination import load_pacts
from tests.plan_builder import PlanBuilder

SINCE, ON = date(2026, 4, 30), date(2026, 7, 31)


@dataclass
class Plan:
    a1: Actor
    a2: Actor
    a3: Actor
    a4: Actor
    c1: Commitment
    c2: Commitment


def event(session: Session, held_on: date, kind: str, attended: tuple[Actor, ...] = ()) -> Event:
    row = Event(held_on=held_on, kind=kind, title=f"{kind} {held_on:%d/%m}")
    session.add(row)
    session.flush()
    for actor in attended:
        session.add(Attendance(event_id=row.id, actor_id=actor.id, invited=True, attended=True))
    return row


def pact(session: Session, code: str, signed: date, members: tuple[Actor, ...]) -> None:
    row = Pact(code=code, name=f"Pacto {code}", signed_date=signed)
    session.add(row)
    session.flush()
    for actor in members:
        session.add(PactMember(pact_id=row.id, actor_id=actor.id))


@pytest.fixture
def plan(session: Session) -> Plan:
    build = PlanBuilder(session)
    project = build.project(build.program(build.line()))
    a1, a2, a3, a4 = (build.actor() for _ in range(4))
    c1 = build.commitment(project, actors=(a1,))
    c2 = build.commitment(project, actors=(a2,))
    build.report(c1, date(2026, 3, 31), pct=40)
    build.report(c1, date(2026, 6, 30), pct=100)
    build.report(c2, date(2026, 6, 30), pct=20)
    event(session, SINCE, "asamblea")
    event(session, date(2026, 5, 15), "mesa temática", attended=(a3, a4))  # A3's first activity: joins
    event(session, ON, "asamblea")  # held on the cut-off day: the one being presented, not the reference
    pact(session, "P-OLD", date(2026, 2, 1), (a4,))  # A4 was already active before the period
    pact(session, "P-NEW", date(2026, 6, 1), (a1, a4))
    session.commit()
    return Plan(a1, a2, a3, a4, c1, c2)


def changes(session: Session) -> assembly.PeriodChanges:
    return assembly.period_changes(
        snapshots.load_snapshot(session=session, on=SINCE),
        snapshots.load_snapshot(session=session, on=ON),
        participation=load_participation(session=session),
        pacts=load_pacts(session=session),
    )


def test_last_assembly_is_the_one_before_the_cut_off(session: Session, plan: Plan) -> None:
    events = load_participation(session=session).events
    assert assembly.last_assembly(events, before=ON) == SINCE
    assert assembly.last_assembly(events, before=SINCE) is None


def test_line_gain_is_the_difference_of_the_metrics(session: Session, plan: Plan) -> None:
    gains = changes(session).line_gains.iloc[0]
    assert (gains.before, gains.after, gains.gain) == (40.0, 60.0, 20.0)
    assert (gains.coverage_before, gains.coverage_after) == (0.5, 1.0)
    assert (gains.advanced, gains.completed) == (2, 1)


def test_plan_before_and_after_are_the_plan_totals(session: Session, plan: Plan) -> None:
    period = changes(session)
    assert (period.plan_before.physical_progress, period.plan_after.physical_progress) == (40.0, 60.0)
    assert period.progress_gain == 20.0


def test_completed_reports_pacts_and_joined_actors(session: Session, plan: Plan) -> None:
    period = changes(session)
    assert [plan.c1.code] == list(period.completed.code)
    assert [plan.a1.name] == list(period.completed.actors)
    assert period.new_reports == 2
    assert list(zip(period.new_pacts.code, period.new_pacts.members, strict=True)) == [("P-NEW", 2)]
    joined = period.joined_actors
    assert [plan.a3.code, plan.a2.code] == list(joined.code)  # A3 came to the mesa on 15/05, A2 reported on 30/06
    assert [pd.Timestamp(2026, 5, 15), pd.Timestamp(2026, 6, 30)] == list(joined.first_seen)


def test_a_period_without_changes(session: Session, plan: Plan) -> None:
    snapshot = snapshots.load_snapshot(session=session, on=ON)
    period = assembly.period_changes(
        snapshot, snapshot, participation=load_participation(session=session), pacts=load_pacts(session=session)
    )
    assert (len(period.completed), period.new_reports, len(period.new_pacts), len(period.joined_actors)) == (0, 0, 0, 0)
    assert period.progress_gain == 0.0
    assert list(period.line_gains.advanced) == [0]


def test_upcoming_due_leaves_out_done_cancelled_and_past(session: Session) -> None:
    build = PlanBuilder(session)
    project = build.project(build.program(build.line()))
    late = build.commitment(project, due=date(2026, 12, 20))
    soon = build.commitment(project, due=date(2026, 8, 15))
    done = build.commitment(project, due=date(2026, 8, 1))
    build.commitment(project, due=date(2026, 8, 2), cancelled=True)
    build.commitment(project, due=date(2026, 7, 30))  # already past the cut-off
    build.report(done, date(2026, 7, 1), pct=100)
    session.commit()
    snapshot = snapshots.load_snapshot(session=session, on=ON)
    upcoming = assembly.upcoming_due(rule.assess_commitments(snapshot), snapshot)
    assert [soon.code, late.code] == list(upcoming.code)
    assert [soon.code] == list(assembly.upcoming_due(rule.assess_commitments(snapshot), snapshot, limit=1).code)


def test_deck_has_every_line_and_barrio_in_order() -> None:
    lines = pd.DataFrame({"code": ["L1", "L2"], "name": ["Uno", "Dos"]})
    barrios = pd.DataFrame({"code": ["1201"], "name": ["Ferrini"]})
    slides = assembly.deck(lines, barrios)
    assert [slide.kind for slide in slides] == [
        "resumen",
        "linea",
        "linea",
        "mapa",
        "barrio",
        "curva",
        "logros",
        "hitos",
        "pp",
        "avance",
        "proximos",
    ]
    assert [slide.key for slide in slides[:5]] == ["", "L1", "L2", "", "1201"]


@pytest.mark.parametrize(
    ("since", "last", "expected"),
    [
        (SINCE, SINCE, "Desde la asamblea del 30/04/2026."),
        (date(2026, 5, 2), None, "No hay asambleas registradas: se muestran los últimos 90 días."),
        (date(2026, 6, 1), SINCE, "Desde el 01/06/2026, fecha elegida."),
    ],
)
def test_reference_in_words(since: date, last: date | None, expected: str) -> None:
    assert assembly.reference_text(since, last=last, on=ON) == expected


def test_default_reference_without_assembly_is_a_quarter_before() -> None:
    assert assembly.default_reference(None, on=ON) == date(2026, 5, 2)
    assert assembly.default_reference(SINCE, on=ON) == SINCE
