"""The motivation index on a small hand-computed fixture, its weights and bands, the curve, and the alert boundaries."""

from datetime import date, timedelta

import pandas as pd
import pytest
from sqlmodel import Session

from core import db
from core.metrics.snapshots import DEFAULT_THRESHOLDS, load_snapshot
from core.models import Actor, Attendance, Event, MotivationRating
from core.participation import motivation
from core.participation.attendance import load_participation, month_end_before, shift_months
from tests.plan_builder import PlanBuilder

ON = date(2026, 6, 30)
MONTHS = [date(2026, 4, 30), date(2026, 5, 31), ON]


def event(session: Session, held_on: date, *marks: tuple[Actor, bool]) -> Event:
    """An event to which every actor of ``marks`` was invited, with whether it attended."""
    row = Event(held_on=held_on, kind="asamblea", title=f"Asamblea {held_on:%d/%m}")
    session.add(row)
    session.flush()
    for actor, attended in marks:
        session.add(Attendance(event_id=row.id, actor_id=actor.id, invited=True, attended=attended))
    session.flush()
    return row


def rate(session: Session, actor: Actor, on: date, score: int) -> None:
    session.add(MotivationRating(actor_id=actor.id, rated_on=on, score=score))
    session.flush()


@pytest.fixture
def fixture(session: Session) -> dict[str, Actor]:
    """A: 3 of 4 invitations kept, 1 of 2 commitments reported on track, rated 4 -> 0,4·75 + 0,3·50 + 0,3·75 = 67,5.
    B: never invited, one commitment done long ago, never rated -> reporting alone: 100.
    C: nothing to measure -> blank.  D: missed its only event, rated 1, work not started yet -> 0."""
    plan = PlanBuilder(session)
    a, b, c, d = plan.actor(), plan.actor(sector="comunitario"), plan.actor(), plan.actor(sector="privado")
    program = plan.program(plan.line())
    running = plan.project(program, start=date(2026, 1, 1), end=date(2026, 12, 31))
    fresh = plan.commitment(running, actors=(a,))
    stale = plan.commitment(running, actors=(a,))
    done = plan.commitment(running, actors=(b,))
    plan.commitment(plan.project(program, start=date(2026, 9, 1)), actors=(d,))
    plan.report(fresh, date(2026, 6, 15), pct=60)  # expected 49,5 % at 30/06: al día, 15 days old
    plan.report(stale, date(2026, 4, 1), pct=50)  # al día but 90 days old: not fresh
    plan.report(done, date(2026, 2, 1), pct=100)  # cumplido: nothing left to report
    event(session, date(2026, 3, 31), (a, False))  # before the window of June (April–June)
    for day, came in [(date(2026, 4, 10), True), (date(2026, 5, 5), True), (date(2026, 6, 1), False)]:
        event(session, day, (a, came), (d, False)) if day.month == 6 else event(session, day, (a, came))
    event(session, date(2026, 6, 20), (a, True))
    rate(session, a, date(2026, 6, 1), 4)
    rate(session, d, date(2026, 5, 1), 1)
    return {"a": a, "b": b, "c": c, "d": d}


def june(session: Session, **kwargs: object) -> pd.DataFrame:
    index = motivation.motivation_index(session=session, months=MONTHS, **kwargs)  # type: ignore[arg-type]
    return index.loc[index.month_end == ON].set_index("actor_code")


def test_hand_computed_index(session: Session, fixture: dict[str, Actor]) -> None:
    rows = june(session)
    a, b, c, d = (rows.loc[fixture[key].code] for key in "abcd")
    assert (a.invited, a.attended, a.participation) == (4, 3, 75.0)
    assert (a.commitments, a.reported_on_track, a.reporting, a.rating) == (2, 1, 50.0, 75.0)
    assert a["index"] == pytest.approx(67.5)
    assert a.band == "media"
    assert (b["index"], b.reporting, b.missing) == (100.0, 100.0, "participación, calificación")
    assert pd.isna(c["index"]) and c.band == "sin dato"
    assert (d.participation, d.rating, d["index"], d.band) == (0.0, 0.0, 0.0, "baja")
    assert d.commitments == 0 and pd.isna(d.reporting)  # its project starts in September


def test_never_invited_is_blank_not_zero(session: Session, fixture: dict[str, Actor]) -> None:
    b = june(session).loc[fixture["b"].code]
    assert b.invited == 0
    assert pd.isna(b.participation)


def test_weights_come_from_settings_and_a_typo_falls_back(session: Session, fixture: dict[str, Actor]) -> None:
    db.set_setting(session=session, key="motivation.weight.participation", value="0,5")
    db.set_setting(session=session, key="motivation.weight.reporting", value="treinta")
    db.set_setting(session=session, key="motivation.weight.rating", value="0")
    session.flush()
    assert motivation.load_weights(session=session) == motivation.MotivationWeights(0.5, 0.3, 0.0)
    assert june(session).loc[fixture["a"].code, "index"] == pytest.approx((0.5 * 75 + 0.3 * 50) / 0.8)


@pytest.mark.parametrize("value", ["-1", "nan", "inf"])
def test_a_negative_or_odd_weight_falls_back(session: Session, value: str) -> None:
    db.set_setting(session=session, key="motivation.weight.rating", value=value)
    assert motivation.load_weights(session=session).rating == 0.3


def test_all_zero_weights_fall_back_to_the_defaults(session: Session) -> None:
    for name in ("participation", "reporting", "rating"):
        db.set_setting(session=session, key=f"motivation.weight.{name}", value="0")
    assert motivation.load_weights(session=session) == motivation.DEFAULT_WEIGHTS


@pytest.mark.parametrize(
    ("value", "expected"),
    [(100, "alta"), (70, "alta"), (69.99, "media"), (40, "media"), (39.9, "baja"), (0, "baja"), (None, "sin dato")],
)
def test_bands(value: float | None, expected: str) -> None:
    assert motivation.band(value) == expected


def test_explain_adds_up(session: Session, fixture: dict[str, Actor]) -> None:
    index = motivation.motivation_index(session=session, months=MONTHS)
    explained = motivation.explain(index, fixture["a"].code, date(2026, 6, 10))
    parts = explained.components.set_index("component")
    assert list(parts.value) == [75.0, 50.0, 75.0]
    assert list(parts.weight) == [0.4, 0.3, 0.3]
    assert parts.contribution.sum() == pytest.approx(explained.index) == pytest.approx(67.5)
    assert parts.loc["Participación", "detail"] == (
        "Asistió a 3 de los 4 eventos a los que fue invitado entre el 01/04/2026 y el 30/06/2026."
    )


def test_explain_renormalizes_over_what_is_there(session: Session, fixture: dict[str, Actor]) -> None:
    index = motivation.motivation_index(session=session, months=MONTHS)
    parts = motivation.explain(index, fixture["b"].code, ON).components
    assert parts.effective_weight.fillna(-1).tolist() == [-1, 1.0, -1]
    assert parts.detail.iloc[0].startswith("Sin dato: no fue invitado")


def test_curve_averages_only_the_actors_with_an_index(session: Session, fixture: dict[str, Actor]) -> None:
    index = motivation.motivation_index(session=session, months=MONTHS)
    plan = motivation.curve(index, "plan").set_index("month_end")
    assert plan.loc[ON, "index"] == pytest.approx((67.5 + 100 + 0) / 3)
    assert plan.loc[ON, "actors"] == 3
    sectors = motivation.curve(index, "sector")
    assert set(sectors.key) == {"público", "comunitario", "privado"}
    chosen = motivation.curve(index, [fixture["c"].code, fixture["a"].code])
    assert chosen.key.tolist() == [fixture["c"].code] * 3 + [fixture["a"].code] * 3


def test_window_and_month_helpers() -> None:
    assert shift_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
    assert shift_months(date(2026, 11, 15), -6) == date(2026, 5, 15)
    assert month_end_before(date(2026, 11, 15), 3) == date(2026, 8, 31)
    assert month_end_before(date(2026, 1, 31), 3) == date(2025, 10, 31)


# ---------------------------------------------------------------------------------------------- alerts


def index_points(*pairs: tuple[float | None, float | None]) -> pd.DataFrame:
    """Actors 1, 2… with their index three months before ``ON`` and at ``ON``."""
    before = month_end_before(ON, 3)
    rows = [
        (actor_id, day, value)
        for actor_id, (then, now) in enumerate(pairs, start=1)
        for day, value in ((before, then), (ON, now))
    ]
    return pd.DataFrame(rows, columns=["actor_id", "month_end", "index"]).astype({"index": float})


def test_a_drop_of_15_points_alerts_and_of_14_9_does_not() -> None:
    drops = motivation.index_drops(index_points((70.0, 55.0), (70.0, 55.1), (None, 10.0), (80.0, None)), on=ON)
    assert drops.actor_id.tolist() == [1]
    assert drops.reason.iloc[0] == (
        "su índice bajó 15,0 puntos desde su mayor valor de los últimos 3 meses (de 70,0 el 31/03/2026 a 55,0)"
    )


def test_a_rise_and_fall_inside_the_window_alerts_from_the_peak() -> None:
    """40 three months ago, 76 a month ago, 40 now: no change against three months ago, 36 points from the peak."""
    months = [month_end_before(ON, 3), month_end_before(ON, 2), month_end_before(ON, 1), ON]
    index = pd.DataFrame(
        [(1, day, value) for day, value in zip(months, (40.0, 60.0, 76.0, 40.0), strict=True)]
        + [(2, day, value) for day, value in zip(months, (50.0, 90.0, None, 80.0), strict=True)],
        columns=["actor_id", "month_end", "index"],
    ).astype({"index": float})
    drops = motivation.index_drops(index, on=ON)
    assert drops.actor_id.tolist() == [1]
    assert drops.value.tolist() == [pytest.approx(36.0)]
    assert drops.since.tolist() == [month_end_before(ON, 1)]
    assert "de 76,0 el 31/05/2026 a 40,0" in drops.reason.iloc[0]


@pytest.mark.parametrize(("attended", "alert"), [((True, False, False), True), ((False, True, False), False)])
def test_two_absences_in_a_row(session: Session, attended: tuple[bool, ...], alert: bool) -> None:
    actor = PlanBuilder(session).actor()
    for month, came in enumerate(attended, start=4):
        event(session, date(2026, month, 10), (actor, came))
    event(session, date(2026, 7, 10), (actor, False))  # after ``ON``: not yet held
    streaks = motivation.absence_streaks(load_participation(session=session), on=ON)
    assert streaks.actor_id.tolist() == ([actor.id] if alert else [])
    if alert:
        assert streaks.reason.iloc[0] == (
            "no asistió a sus 2 últimos eventos: «Asamblea 10/05» (10/05/2026) y «Asamblea 10/06» (10/06/2026)"
        )


def test_90_days_without_a_report_is_not_an_alert_91_is(session: Session) -> None:
    plan = PlanBuilder(session)
    project = plan.project(plan.program(plan.line()), start=date(2026, 1, 1))
    on_90, on_91, never, finished = (plan.actor() for _ in range(4))
    plan.report(plan.commitment(project, actors=(on_90,)), ON - timedelta(days=90), pct=10)
    plan.report(plan.commitment(project, actors=(on_91,)), ON - timedelta(days=91), pct=10)
    plan.commitment(project, actors=(never,))
    plan.report(plan.commitment(project, actors=(finished,)), date(2026, 1, 20), pct=100)
    session.flush()
    silent = motivation.silent_actors(load_snapshot(session=session, on=ON), on=ON, thresholds=DEFAULT_THRESHOLDS)
    reasons = dict(zip(silent.actor_id, silent.reason, strict=True))
    assert reasons == {
        on_91.id: "lleva 91 días sin reportar avance (último reporte: 31/03/2026)",
        never.id: "tiene 1 compromiso vigente y nunca ha reportado avance (vigente desde el 01/01/2026)",
    }


def test_a_commitment_never_reported_alerts_only_90_days_after_it_came_in_force(session: Session) -> None:
    plan = PlanBuilder(session)
    line = plan.line()
    recent, old = (plan.actor() for _ in range(2))
    plan.commitment(plan.project(plan.program(line), start=ON - timedelta(days=90)), actors=(recent,))
    plan.commitment(plan.project(plan.program(line), start=ON - timedelta(days=91)), actors=(old,))
    session.flush()
    silent = motivation.silent_actors(load_snapshot(session=session, on=ON), on=ON, thresholds=DEFAULT_THRESHOLDS)
    assert silent.actor_id.tolist() == [old.id]


def test_cooling_alerts_end_to_end(session: Session) -> None:
    actor = PlanBuilder(session).actor()
    rate(session, actor, date(2026, 3, 1), 5)
    rate(session, actor, date(2026, 6, 1), 3)
    alerts = motivation.cooling_alerts(session=session, on=ON)
    assert alerts[["actor_code", "rule", "value", "index", "band"]].values.tolist() == [
        [actor.code, "caída del índice", 50.0, 50.0, "media"]
    ]
    assert alerts.since.iloc[0] == date(2026, 5, 31)  # 100 at every month end since March: the fall began after May


def test_nothing_recorded_no_alerts_and_an_empty_index(session: Session) -> None:
    assert motivation.cooling_alerts(session=session, on=ON).empty
    assert motivation.motivation_index(session=session, months=[]).empty
