"""Opening a round (who is asked for what), who answered (pendiente, parcial, completo, tarde), completion by
commitments and by plan weight, reminders and closing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from core import db
from core.metrics import rule, snapshots
from core.models import Actor, AuditEntry, RoundCommitment, RoundMember
from core.rounds import members, service
from core.rounds.service import RoundRefused
from tests.plan_builder import PlanBuilder
from tests.rounds.plan import CUT_OFF, DEADLINE, RoundPlan, answer, build

USER = "coordinadora"


@pytest.fixture
def plan(engine: Engine) -> RoundPlan:
    with db.transaction(engine) as session:
        return build(session)


def open_round(engine: Engine, **kwargs: object) -> int:
    arguments: dict[str, object] = {"name": "Corte de octubre", "cut_off": CUT_OFF, "deadline": DEADLINE} | kwargs
    with db.transaction(engine) as session:
        return service.open_round(session=session, user=USER, **arguments)  # type: ignore[arg-type]


def asked_pairs(engine: Engine, round_id: int) -> set[tuple[int, int]]:
    with Session(engine) as session:
        rows = session.exec(select(RoundCommitment).where(RoundCommitment.round_id == round_id)).all()
        return {(row.actor_id, row.commitment_id) for row in rows}


def statuses(engine: Engine, round_id: int, today: date) -> dict[str, str]:
    with Session(engine) as session:
        frame = members.members(session=session, round_id=round_id, today=today)
    return dict(zip(frame.actor_code, frame.status, strict=True))


def test_by_default_every_actor_with_open_commitments_is_asked_for_them(engine: Engine, plan: RoundPlan) -> None:
    round_id = open_round(engine)
    pairs = asked_pairs(engine, round_id)
    assert {(plan.a.id, plan.c1.id), (plan.a.id, plan.c2.id), (plan.b.id, plan.c3.id)} <= pairs
    assert plan.z.id not in {actor for actor, _ in pairs}  # its only commitment was done before the cut-off
    assert len(pairs) == 4  # and the actor of the other line
    with Session(engine) as session:
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "abrir ronda")).one()
    assert '"actores": 3' in (entry.after or "") and '"compromisos": 4' in (entry.after or "")


def test_a_round_can_be_of_some_lines_sectors_or_actors(engine: Engine, plan: RoundPlan) -> None:
    by_sector = open_round(engine, sectors=("comunitario",))
    assert asked_pairs(engine, by_sector) == {(plan.b.id, plan.c3.id)}
    with db.transaction(engine) as session:
        service.close_round(session=session, round_id=by_sector, user=USER)
    by_line = open_round(engine, line_codes=(plan.other_line,))
    assert len(asked_pairs(engine, by_line)) == 1 and plan.a.id not in {a for a, _ in asked_pairs(engine, by_line)}
    with db.transaction(engine) as session:
        service.close_round(session=session, round_id=by_line, user=USER)
    chosen = open_round(engine, actor_codes=(plan.a.code,))
    assert asked_pairs(engine, chosen) == {(plan.a.id, plan.c1.id), (plan.a.id, plan.c2.id)}


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": "  "}, "Escriba un nombre"),
        ({"deadline": date(2026, 10, 30)}, r"no puede ser anterior a la fecha de corte \(31/10/2026\)"),
        ({"sectors": ("cooperación",)}, "Ningún actor tiene compromisos abiertos al 31/10/2026"),
        ({"actor_codes": ("NO-EXISTE",)}, "«NO-EXISTE»"),
    ],
)
def test_a_round_that_makes_no_sense_is_refused(
    engine: Engine, plan: RoundPlan, changes: dict[str, object], message: str
) -> None:
    with pytest.raises(RoundRefused, match=message):
        open_round(engine, **changes)


def test_two_open_rounds_cannot_share_a_cut_off(engine: Engine, plan: RoundPlan) -> None:
    first = open_round(engine)
    with pytest.raises(RoundRefused, match=f"número {first}"):
        open_round(engine, name="Otra")


def test_status_of_each_member_before_and_after_the_deadline(engine: Engine, plan: RoundPlan) -> None:
    round_id = open_round(engine, sectors=("público", "comunitario"))
    before = date(2026, 11, 5)
    assert statuses(engine, round_id, before) == {plan.a.code: members.PENDING, plan.b.code: members.PENDING}
    with db.transaction(engine) as session:
        answer(session, plan.c2, datetime(2026, 11, 4, 15, tzinfo=UTC))
        # 03:00 UTC on the 11th is still the 10th in Colombia (UTC−5): on time
        answer(session, plan.c3, datetime(2026, 11, 11, 3, tzinfo=UTC))
        answer(session, plan.c1, datetime(2026, 11, 4, tzinfo=UTC), on=date(2026, 10, 30))  # another cut-off
    assert statuses(engine, round_id, before) == {plan.a.code: members.PARTIAL, plan.b.code: members.COMPLETE}
    assert statuses(engine, round_id, date(2026, 11, 11)) == {plan.a.code: members.LATE, plan.b.code: members.COMPLETE}
    with db.transaction(engine) as session:
        answer(session, plan.c1, datetime(2026, 11, 12, 6, tzinfo=UTC))  # the 12th in Colombia: late
    assert statuses(engine, round_id, date(2026, 11, 20))[plan.a.code] == members.LATE
    with Session(engine) as session:
        row = members.members(session=session, round_id=round_id, today=date(2026, 11, 20)).iloc[0]
    assert (row.actor_code, row.commitments, row.answered, row.on_time, row.owed) == (plan.a.code, 2, 2, 1, "")
    assert row.last_answer == date(2026, 11, 12)


@pytest.mark.parametrize(
    ("commitments", "answered", "on_time", "today", "expected"),
    [
        (3, 0, 0, date(2026, 11, 10), members.PENDING),  # the deadline day itself is still on time
        (3, 1, 1, date(2026, 11, 10), members.PARTIAL),
        (3, 3, 3, date(2026, 11, 30), members.COMPLETE),
        (3, 3, 2, date(2026, 11, 5), members.LATE),  # all in, one after the deadline
        (3, 0, 0, date(2026, 11, 11), members.LATE),  # nothing in past the deadline
        (3, 2, 2, date(2026, 11, 11), members.LATE),
        (0, 0, 0, date(2026, 11, 11), members.COMPLETE),  # nothing left to owe
    ],
)
def test_the_status_rule(commitments: int, answered: int, on_time: int, today: date, expected: str) -> None:
    got = members.member_status(
        commitments=commitments, answered=answered, on_time=on_time, deadline=DEADLINE, today=today
    )
    assert got == expected


def test_completion_by_commitments_and_by_plan_weight(engine: Engine, plan: RoundPlan) -> None:
    round_id = open_round(engine, sectors=("público", "comunitario"))
    with db.transaction(engine) as session:
        answer(session, plan.c2, datetime(2026, 11, 4, tzinfo=UTC))
    with Session(engine) as session:
        weights = rule.assess_commitments(snapshots.load_snapshot(session=session, on=CUT_OFF))
        plan_weight = weights.set_index("commitment_id").plan_weight
        done = members.completion(session=session, round_id=round_id, plan_weight=plan_weight)
    assert (done.commitments, done.answered) == (3, 1)
    assert done.by_commitments == pytest.approx(100 / 3)
    assert done.by_weight == pytest.approx((3 / 6) / (5 / 6) * 100)  # 60 %


def test_reminders_are_dated_counted_and_audited(engine: Engine, plan: RoundPlan) -> None:
    round_id = open_round(engine)
    version = db_version(engine)
    for on in (date(2026, 11, 8), date(2026, 11, 9)):
        with db.transaction(engine) as session:
            service.mark_reminded(
                session=session, round_id=round_id, actor_code=plan.a.code, on=on, today=on, user=USER
            )
    with Session(engine) as session:
        member = session.get(RoundMember, (round_id, plan.a.id))
        entries = session.exec(select(AuditEntry).where(AuditEntry.action == "marcar recordado")).all()
    assert member is not None and (member.reminded_on, member.reminded_by, member.reminders) == (
        date(2026, 11, 9),
        USER,
        2,
    )
    assert len(entries) == 2 and db_version(engine) == version + 2
    with pytest.raises(RoundRefused, match="no está en la ronda"), db.transaction(engine) as session:
        service.mark_reminded(
            session=session, round_id=round_id, actor_code=plan.z.code, on=CUT_OFF, today=CUT_OFF, user=USER
        )
    with pytest.raises(RoundRefused, match="en el futuro"), db.transaction(engine) as session:
        service.mark_reminded(
            session=session, round_id=round_id, actor_code=plan.a.code, on=DEADLINE, today=CUT_OFF, user=USER
        )


def db_version(engine: Engine) -> int:
    with Session(engine) as session:
        return db.data_version(session=session)


def test_a_closed_round_takes_no_reminder_and_leaves_the_open_list(engine: Engine, plan: RoundPlan) -> None:
    round_id = open_round(engine)
    with db.transaction(engine) as session:
        service.close_round(session=session, round_id=round_id, user=USER)
    with Session(engine) as session:
        assert members.rounds(session=session, open_only=True) == []
        assert [info.round_id for info in members.rounds(session=session)] == [round_id]
    for act in (
        lambda s: service.close_round(session=s, round_id=round_id, user=USER),
        lambda s: service.mark_reminded(
            session=s, round_id=round_id, actor_code=plan.a.code, on=CUT_OFF, today=CUT_OFF, user=USER
        ),
    ):
        with pytest.raises(RoundRefused, match="se cerró el"), db.transaction(engine) as session:
            act(session)
    open_round(engine)  # the same cut-off again, now that the first is closed


def test_round_answers_for_the_motivation_index(engine: Engine, plan: RoundPlan) -> None:
    round_id = open_round(engine, sectors=("público",))
    with db.transaction(engine) as session:
        answer(session, plan.c2, datetime(2026, 11, 4, tzinfo=UTC))
    with Session(engine) as session:
        found = members.round_answers(session=session)
    assert found.to_dict("records") == [
        {"round_id": round_id, "actor_id": plan.a.id, "deadline": pd.Timestamp(DEADLINE), "asked": 2, "on_time": 1}
    ]


def test_a_commitment_of_a_project_not_started_by_the_cut_off_is_not_asked(engine: Engine, plan: RoundPlan) -> None:
    with db.transaction(engine) as session:
        builder = PlanBuilder(session)
        later = builder.project(builder.program(builder.line()), start=date(2026, 11, 1))
        waiting = builder.commitment(later, actors=(session.get(Actor, plan.a.id),))  # type: ignore[arg-type]
        waiting_id = waiting.id
    assert (plan.a.id, waiting_id) not in asked_pairs(engine, open_round(engine))
