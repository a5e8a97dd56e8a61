"""A round's template comes back as answers: the actor's own commitments with the cut-off filled in, uploaded
through the one progress upload; a closed round still takes them, with a notice; the motivation index counts them."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import openpyxl
import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from core import db, views
from core.models import Event
from core.participation import motivation
from core.rounds import members, service
from core.uploads.progress import apply_progress, validate_progress
from tests.rounds.plan import CUT_OFF, DEADLINE, RoundPlan, answer, build
from tests.sheets import save

USER = "coordinadora"
TODAY = date(2026, 11, 5)


@pytest.fixture
def plan(engine: Engine) -> RoundPlan:
    with db.transaction(engine) as session:
        return build(session)


def open_round(engine: Engine, deadline: date) -> int:
    with db.transaction(engine) as session:
        return service.open_round(
            session=session, name="Corte de octubre", cut_off=CUT_OFF, deadline=deadline, user=USER
        )


@pytest.fixture
def round_id(engine: Engine, plan: RoundPlan) -> int:
    return open_round(engine, DEADLINE)


@pytest.fixture
def far_round(engine: Engine, plan: RoundPlan) -> int:
    """A round whose deadline is still ahead when an upload is recorded now, whatever today is."""
    return open_round(engine, date(2100, 1, 1))


def template(engine: Engine, round_id: int, actor_code: str) -> openpyxl.Workbook:
    with Session(engine) as session:
        data = views.round_template(session=session, round_id=round_id, actor_code=actor_code)
    return openpyxl.load_workbook(io.BytesIO(data))


def test_the_template_holds_what_the_actor_owes_with_the_cut_off(
    engine: Engine, plan: RoundPlan, round_id: int
) -> None:
    sheet = template(engine, round_id, plan.a.code)["Avances"]
    headers = [cell.value for cell in sheet[1]]
    rows = [row for row in sheet.iter_rows(min_row=2, values_only=True) if row[0]]
    assert [row[0] for row in rows] == [plan.c1.code, plan.c2.code]
    cut_off = headers.index("Fecha de corte")
    assert {row[cut_off].date() for row in rows} == {CUT_OFF}  # type: ignore[union-attr]


def test_a_filled_template_turns_the_actor_complete(engine: Engine, plan: RoundPlan, far_round: int) -> None:
    round_id = far_round
    book = template(engine, round_id, plan.a.code)
    sheet = book["Avances"]
    column = [cell.value for cell in sheet[1]].index("Avance físico (%)") + 1
    sheet.cell(row=2, column=column, value=40)
    with Session(engine) as session:
        half = validate_progress(session=session, data=save(book), file_name="a.xlsx", today=TODAY)
    assert half.problems == [] and any("1 filas sin llenar" in notice for notice in half.notices)  # c2 left blank
    sheet.cell(row=3, column=column, value=70)
    with Session(engine) as session:
        checked = validate_progress(session=session, data=save(book), file_name="a.xlsx", today=TODAY)
    assert checked.problems == [] and len(checked.changes) == 2
    with db.transaction(engine) as session:
        apply_progress(session=session, preview=checked, user=USER)
    with Session(engine) as session:
        frame = members.members(session=session, round_id=round_id, today=TODAY)
    assert frame.set_index("actor_code").status[plan.a.code] == members.COMPLETE


def test_reports_for_a_closed_round_load_with_a_notice(engine: Engine, plan: RoundPlan, round_id: int) -> None:
    with db.transaction(engine) as session:
        service.close_round(session=session, round_id=round_id, user=USER)
    book = template(engine, round_id, plan.b.code)
    sheet = book["Avances"]
    sheet.cell(row=2, column=[cell.value for cell in sheet[1]].index("Avance físico (%)") + 1, value=10)
    with Session(engine) as session:
        checked = validate_progress(session=session, data=save(book), file_name="b.xlsx", today=TODAY)
    assert checked.problems == [] and len(checked.changes) == 1
    closed = [notice for notice in checked.notices if "se cerró el" in notice]
    assert closed and "«Corte de octubre» (corte al 31/10/2026)" in closed[0]


def test_the_open_round_figure_for_resumen(engine: Engine, plan: RoundPlan, round_id: int) -> None:
    with db.transaction(engine) as session:
        answer(session, plan.c2, datetime(2026, 11, 4, tzinfo=UTC))
    with Session(engine) as session:
        (figure,) = views.open_round_figures(session=session, on=CUT_OFF)
    # 4 asked (the other line's actor too), W 1/6, 3/6, 1/6 and the other line's 1/2 of the plan
    assert (figure.info.name, figure.completion.commitments, figure.completion.answered) == ("Corte de octubre", 4, 1)
    assert figure.completion.by_weight == pytest.approx((3 / 6 * 1 / 2) / ((5 / 6) * 1 / 2 + 1 / 2) * 100)


def test_the_motivation_index_counts_each_round_answered_on_time_and_each_one_ignored(
    engine: Engine, plan: RoundPlan, round_id: int
) -> None:
    """At 30/11/2026, A answered one of its two commitments on time, B ignored the round. Neither has a fresh
    report on track (their only reports are the round's, at 31/10: 30 days old, fresh; A's c2 at 50 % with 83 %
    expected is critical; nothing else). A: (0 + 1/2) ÷ (2 + 1) = 16,7; B: (0 + 0) ÷ (1 + 1) = 0."""
    with db.transaction(engine) as session:
        answer(session, plan.c2, datetime(2026, 11, 4, tzinfo=UTC), pct=50)
        session.add(Event(held_on=date(2026, 11, 1), kind="asamblea", title="Asamblea"))
    with Session(engine) as session:
        index = motivation.motivation_index(session=session, months=[date(2026, 11, 30)])
    rows = index.set_index("actor_code")
    assert (rows.rounds[plan.a.code], rows.rounds_on_time[plan.a.code], rows.commitments[plan.a.code]) == (1, 0.5, 2)
    assert rows.reporting[plan.a.code] == pytest.approx(0.5 / 3 * 100)
    assert rows.reporting[plan.b.code] == pytest.approx(0.0)
    assert rows.rounds[plan.z.code] == 0  # not asked: its reporting is what it was (its commitment is done)
    assert rows.reporting[plan.z.code] == pytest.approx(100.0)
    detail = motivation.explain(index, plan.a.code, date(2026, 11, 30)).components.detail.iloc[1]
    assert "de las 1 rondas de reporte" in detail and "(0 + 0,5) ÷ (2 + 1)" in detail
