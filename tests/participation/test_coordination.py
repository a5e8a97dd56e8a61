"""Pacts, the actor × line matrix, the coordination gaps and the network, on a small hand-made plan."""

from dataclasses import dataclass
from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

from core.charts.network import NODE_TRACE, network_figure
from core.metrics import rule, snapshots
from core.models import Actor, Attendance, CommitmentBarrio, Event, Pact, PactLine, PactMember
from core.participation import coordination
from core.participation.attendance import load_participation
from tests.plan_builder import PlanBuilder

ON = date(2026, 6, 30)


@dataclass(frozen=True)
class Plan:
    snapshot: snapshots.Snapshot
    assessed: pd.DataFrame
    pacts: coordination.PactData
    pub: Actor
    com: Actor
    ong: Actor
    new: Actor
    idle: Actor


def invite(session: Session, held_on: date, actor: Actor, *, attended: bool) -> None:
    row = Event(held_on=held_on, kind="mesa temática", title="Mesa")
    session.add(row)
    session.flush()
    session.add(Attendance(event_id=row.id, actor_id=actor.id, invited=True, attended=attended))


@pytest.fixture
def plan(session: Session) -> Plan:
    """L1 / P1: c1 (pub, weight 3, 40 %), c2 (com, 80 %), c3 (pub + com, no report), c5 (idle, cancelled).
    L2 / P2: c4 (ong, 20 %, in barrio 1201), c6 (new, no report). Pact X: c1, c2; members pub, com, ong.
    Pact Y: no commitments. Barrio 1202 has nothing."""
    builder = PlanBuilder(session)
    pub, com = builder.actor(), builder.actor(sector="comunitario")
    ong, new = builder.actor(sector="ONG/corporación"), builder.actor(sector="privado")
    idle = builder.actor()
    b1201, _ = builder.barrio("1201"), builder.barrio("1202")
    l1 = builder.line(code="L1")
    p1 = builder.project(builder.program(l1))
    p2 = builder.project(builder.program(builder.line(code="L2")))
    pact_x, pact_y = Pact(code="PX", name="Pacto X"), Pact(code="PY", name="Alianza Y", kind="alianza")
    session.add_all([pact_x, pact_y])
    session.flush()
    c1 = builder.commitment(p1, weight=3, actors=(pub,))
    c2 = builder.commitment(p1, actors=(com,))
    builder.commitment(p1, actors=(pub, com))
    builder.commitment(p1, actors=(idle,), cancelled=True)
    c4 = builder.commitment(p2, actors=(ong,))
    builder.commitment(p2, actors=(new,))
    c1.pact_id = c2.pact_id = pact_x.id
    session.add_all([c1, c2, CommitmentBarrio(commitment_id=c4.id, barrio_id=b1201.id)])
    session.add_all(
        [
            PactMember(pact_id=pact_x.id, actor_id=pub.id, role="convocante"),
            PactMember(pact_id=pact_x.id, actor_id=com.id),
            PactMember(pact_id=pact_x.id, actor_id=ong.id, role="aliado técnico"),
            PactMember(pact_id=pact_y.id, actor_id=com.id),
            PactLine(pact_id=pact_x.id, line_id=l1.id),
        ]
    )
    builder.report(c1, date(2026, 6, 1), pct=40)
    builder.report(c2, date(2026, 6, 1), pct=80)
    builder.report(c4, date(2026, 6, 1), pct=20)
    invite(session, date(2025, 10, 1), pub, attended=True)
    invite(session, date(2026, 5, 1), pub, attended=False)
    invite(session, date(2026, 3, 1), com, attended=True)
    invite(session, date(2025, 9, 1), ong, attended=False)
    session.flush()
    snapshot = snapshots.load_snapshot(session=session, on=ON)
    assessed = rule.assess_commitments(snapshot)
    return Plan(snapshot, assessed, coordination.load_pacts(session=session), pub, com, ong, new, idle)


def test_pact_combined_progress_is_plan_weighted(plan: Plan) -> None:
    table = coordination.pact_table(plan.pacts, plan.assessed, plan.snapshot).set_index("key")
    x, y = table.loc["PX"], table.loc["PY"]
    assert (x.commitments, x.physical_progress, x.coverage) == (2, pytest.approx((3 * 40 + 80) / 4), pytest.approx(1))
    assert x.members == "Actor 1 (convocante) · Actor 2 (firmante) · Actor 3 (aliado técnico)"
    assert (x.member_count, x.sectors, x.lines) == (3, 3, "L1")
    assert (y.commitments, y.kind, y.status) == (0, "alianza", "sin reporte")
    assert pd.isna(y.physical_progress)


def test_pact_commitments_and_members(plan: Plan) -> None:
    linked = coordination.pact_commitments(plan.pacts, plan.assessed, plan.snapshot, "PX")
    assert linked.physical_progress.tolist() == [40.0, 80.0]
    assert coordination.pact_members(plan.pacts, "PY").actor_code.tolist() == [plan.com.code]


def test_matrix_actors_by_line(plan: Plan) -> None:
    matrix = coordination.line_matrix(plan.assessed, plan.snapshot)
    cells = {(r.key, r.line_code): (r.commitments, r.reported, r.physical_progress) for r in matrix.itertuples()}
    assert cells == {
        (plan.pub.code, "L1"): (2, 1, 40.0),  # c3 has no report: left out of the mean, not zero
        (plan.com.code, "L1"): (2, 1, 80.0),
        (plan.ong.code, "L2"): (1, 1, 20.0),
        (plan.new.code, "L2"): (1, 0, pytest.approx(float("nan"), nan_ok=True)),
    }


def test_matrix_sectors_by_line_counts_a_shared_commitment_once_per_sector(plan: Plan) -> None:
    matrix = coordination.line_matrix(plan.assessed, plan.snapshot, by="sector")
    counts = {(r.key, r.line_code): r.commitments for r in matrix.itertuples()}
    assert counts == {
        ("público", "L1"): 2,
        ("comunitario", "L1"): 2,
        ("ONG/corporación", "L2"): 1,
        ("privado", "L2"): 1,
    }


def test_gaps(plan: Plan, session: Session) -> None:
    gaps = coordination.coordination_gaps(plan.assessed, plan.snapshot, load_participation(session=session), on=ON)
    assert gaps.lines_without_public_sector.line_code.tolist() == ["L2"]
    assert gaps.barrios_without_active_actor.barrio_code.tolist() == ["1202"]
    absent = gaps.absent_actors.set_index("actor_code")
    assert set(absent.index) == {plan.pub.code, plan.ong.code, plan.new.code}  # com came; idle has no active work
    assert absent.loc[plan.pub.code, "situation"] == "ausente"
    assert absent.loc[plan.pub.code, "reason"] == (
        "invitado a 1 evento desde el 30/12/2025 y no asistió a ninguno (última asistencia: 01/10/2025)"
    )
    assert absent.loc[plan.ong.code, "reason"] == "no fue invitado a ningún evento desde el 30/12/2025"
    assert absent.loc[plan.new.code, "reason"] == "nunca ha sido invitado a un evento"


def test_network_has_one_node_per_active_actor(plan: Plan) -> None:
    network = coordination.actor_network(plan.assessed, plan.snapshot, plan.pacts)
    assert sorted(network.nodes.actor_id) == sorted(a.id for a in (plan.pub, plan.com, plan.ong, plan.new))
    assert dict(zip(network.nodes.actor_id, network.nodes.commitments, strict=True))[plan.pub.id] == 2
    edges = {(e.source, e.target): (e.projects, e.pacts, e.weight) for e in network.edges.itertuples()}
    assert edges == {
        (plan.pub.id, plan.com.id): (1, 1, 2),
        (plan.pub.id, plan.ong.id): (0, 1, 1),
        (plan.com.id, plan.ong.id): (0, 1, 1),
        (plan.ong.id, plan.new.id): (1, 0, 1),
    }


def test_network_figure_draws_every_node_once_coloured_by_sector(plan: Plan) -> None:
    network = coordination.actor_network(plan.assessed, plan.snapshot, plan.pacts)
    fig = network_figure(network)
    nodes = [trace for trace in fig.data if trace.meta == NODE_TRACE]
    assert sum(len(trace.x) for trace in nodes) == len(network.nodes) == 4
    assert [trace.name for trace in nodes] == ["público", "comunitario", "ONG/corporación", "privado"]
    assert fig.layout.separators == ",."
    assert not any(trace.type.startswith(("scattergeo", "choropleth", "scattermap")) for trace in fig.data)
    assert network_figure(network).to_json() == fig.to_json()  # fixed seed: the same picture every time
