"""Who was invited to the plan's events and who came: the data behind the motivation index and its statistics.

``load_participation`` reads events, attendance and ratings once; the statistics are pure functions of it, so a
page loads once per data version and draws every view from the same frames. Rates count only invitations:
an actor that came without being invited is counted as an organization present, not as a kept invitation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core.db import table_columns
from core.metrics.breakdowns import WHOLE_COMUNA_KEY, WHOLE_COMUNA_NAME
from core.models import SECTORS, Actor, Attendance, Barrio, Event, MotivationRating, StrategicLine
from core.rounds.members import round_answers

# One shape for every participation breakdown (by sector, by barrio), so one table or chart serves both.
PARTICIPATION_COLUMNS: tuple[str, ...] = (
    "key",
    "name",
    "events",  # distinct events of the group in the period
    "invited",  # invitations
    "attended",  # invitations kept
    "rate",  # attended ÷ invited × 100; blank without invitations
    "organizations",  # distinct actors present (invited or not)
    "delegates",  # people sent, where recorded
)
MATRIX_COLUMNS: tuple[str, ...] = (
    "actor_id",
    "actor_code",
    "actor_name",
    "short_name",
    "sector",
    "month_end",
    "invited",
    "attended",
    "rate",
)
EVENT_COLUMNS: tuple[str, ...] = (
    "event_id",
    "held_on",
    "kind",
    "title",
    "barrio_code",
    "barrio_name",
    "line_code",
    "convener_name",
    "invited",
    "attended",
    "organizations",
    "delegates",
    "rate",
)


@dataclass(frozen=True)
class ParticipationData:
    """Events, attendance and ratings as stored; dates as pandas timestamps."""

    events: pd.DataFrame  # event_id, held_on, kind, title, barrio_code, barrio_name, line_code, convener_name
    attendance: pd.DataFrame  # event_id, actor_id, invited, attended, delegates, held_on, barrio_code
    ratings: pd.DataFrame  # rating_id, actor_id, rated_on, score, note
    actors: pd.DataFrame  # id, code, name, short_name, sector
    barrios: pd.DataFrame  # id, code, name
    rounds: pd.DataFrame  # round_id, actor_id, deadline, asked, on_time (``core.rounds.members.round_answers``)


def load_participation(*, session: Session) -> ParticipationData:
    e, a, r = table_columns(Event), table_columns(Attendance), table_columns(MotivationRating)
    b, ln, ac = table_columns(Barrio), table_columns(StrategicLine), table_columns(Actor)
    connection = session.connection()
    convener = ac.id.table.alias("convener")
    events = pd.read_sql(
        select(
            e.id.label("event_id"),
            e.held_on,
            e.kind,
            e.title,
            b.code.label("barrio_code"),
            b.name.label("barrio_name"),
            ln.code.label("line_code"),
            convener.c.name.label("convener_name"),
        )
        .select_from(e.id.table)
        .outerjoin(b.id.table, b.id == e.barrio_id)
        .outerjoin(ln.id.table, ln.id == e.line_id)
        .outerjoin(convener, convener.c.id == e.convened_by_actor_id)
        .order_by(e.held_on, e.id),
        connection,
    )
    events["held_on"] = pd.to_datetime(events.held_on)
    attendance = pd.read_sql(select(a.event_id, a.actor_id, a.invited, a.attended, a.delegates), connection)
    attendance[["invited", "attended"]] = attendance[["invited", "attended"]].astype(bool)
    attendance["delegates"] = attendance.delegates.astype(float)
    attendance = attendance.merge(events[["event_id", "held_on", "barrio_code"]], on="event_id")
    ratings = pd.read_sql(
        select(r.id.label("rating_id"), r.actor_id, r.rated_on, r.score, r.note).order_by(r.rated_on, r.id),
        connection,
    )
    ratings["rated_on"] = pd.to_datetime(ratings.rated_on)
    ratings["score"] = ratings.score.astype(float)
    actors = pd.read_sql(
        select(ac.id, ac.code, ac.name, ac.short_name, ac.sector).where(ac.archived_on.is_(None)).order_by(ac.name),
        connection,
    )
    attendance = attendance.loc[attendance.actor_id.isin(actors.id)].reset_index(drop=True)  # archived actors aside
    ratings = ratings.loc[ratings.actor_id.isin(actors.id)].reset_index(drop=True)
    barrios = pd.read_sql(select(b.id, b.code, b.name).order_by(b.code), connection)
    rounds = round_answers(session=session)
    rounds = rounds.loc[rounds.actor_id.isin(actors.id)].reset_index(drop=True)
    return ParticipationData(
        events=events, attendance=attendance, ratings=ratings, actors=actors, barrios=barrios, rounds=rounds
    )


def _between(frame: pd.DataFrame, column: str, start: date | None, end: date | None) -> pd.DataFrame:
    keep = pd.Series(True, index=frame.index)
    if start is not None:
        keep &= frame[column] >= pd.Timestamp(start)
    if end is not None:
        keep &= frame[column] <= pd.Timestamp(end)
    return frame.loc[keep]


def _summary(attendance: pd.DataFrame, keys: pd.Series) -> pd.DataFrame:
    """Counts per group of ``keys`` (aligned with ``attendance``); columns as in PARTICIPATION_COLUMNS."""
    frame = attendance.assign(_key=keys.to_numpy(), kept=attendance.invited & attendance.attended)
    grouped = frame.groupby("_key", sort=False)
    out = pd.DataFrame(
        {
            "events": grouped.event_id.nunique(),
            "invited": grouped.invited.sum(),
            "attended": grouped.kept.sum(),
            "organizations": frame.loc[frame.attended].groupby("_key").actor_id.nunique(),
            "delegates": frame.loc[frame.attended].groupby("_key").delegates.sum(min_count=1),
        }
    )
    out.index.name = "key"
    return out


def _finish(out: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """Every group of ``names`` (indexed by key), counts as integers, rate blank without invitations."""
    result = names.join(out, how="left")
    for column in ("events", "invited", "attended", "organizations"):
        result[column] = result[column].fillna(0).astype(int)
    result["delegates"] = result.delegates.astype(float)
    result["rate"] = result.attended / result.invited.where(result.invited > 0) * 100
    return result.reset_index()[list(PARTICIPATION_COLUMNS)]


def participation_by_sector(
    data: ParticipationData, *, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """One row per sector (in the plan's order): invitations kept, organizations present, events reached."""
    attendance = _between(data.attendance, "held_on", start, end)
    sectors = attendance.actor_id.map(data.actors.set_index("id").sector)
    names = pd.DataFrame({"name": list(SECTORS)}, index=pd.Index(list(SECTORS), name="key"))
    extra = sorted(set(data.actors.sector.dropna()) - set(SECTORS))  # an unexpected sector is shown, not dropped
    names = pd.concat([names, pd.DataFrame({"name": extra}, index=pd.Index(extra, name="key"))])
    return _finish(_summary(attendance, sectors), names)


def participation_by_barrio(
    data: ParticipationData, *, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """One row per barrio (where the event was held), and one for events of the whole comuna.

    ``events`` counts the events held there in the period (0 is a real count here), even those with no
    attendance recorded yet, so it also serves the events-per-barrio map.
    """
    attendance = _between(data.attendance, "held_on", start, end)
    events = _between(data.events, "held_on", start, end)
    out = _summary(attendance, attendance.barrio_code.fillna(WHOLE_COMUNA_KEY))
    held = events.groupby(events.barrio_code.fillna(WHOLE_COMUNA_KEY)).event_id.nunique()
    out = out.reindex(out.index.union(held.index))
    out["events"] = held.reindex(out.index)
    names = pd.concat(
        [
            data.barrios.set_index("code")[["name"]],
            pd.DataFrame({"name": [WHOLE_COMUNA_NAME]}, index=[WHOLE_COMUNA_KEY]),
        ]
    )
    names.index.name = "key"
    return _finish(out, names)


def organizations_per_event(
    data: ParticipationData, *, start: date | None = None, end: date | None = None
) -> pd.DataFrame:
    """One row per event, oldest first: how many distinct organizations came, invited or not."""
    events = _between(data.events, "held_on", start, end)
    attendance = data.attendance.loc[data.attendance.event_id.isin(events.event_id)]
    out = _summary(attendance, attendance.event_id)
    frame = events.set_index("event_id").join(out.drop(columns="events"))
    for column in ("invited", "attended", "organizations"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame["rate"] = frame.attended / frame.invited.where(frame.invited > 0) * 100
    return frame.reset_index()[list(EVENT_COLUMNS)]


def month_start(month_end: date) -> date:
    return month_end.replace(day=1)


def attendance_matrix(data: ParticipationData, months: Sequence[date]) -> pd.DataFrame:
    """Long frame actor × month: invitations and invitations kept in the events of each calendar month up to its
    month end (``months`` as given by ``progress_history.month_ends``). Only cells with an invitation or an
    attendance appear; a missing cell means the actor was not convened that month (blank, not 0 %)."""
    parts = []
    for month_end in sorted(set(months)):
        rows = _between(data.attendance, "held_on", month_start(month_end), month_end)
        if rows.empty:
            continue
        kept = rows.invited & rows.attended
        counts = pd.DataFrame(
            {"invited": rows.groupby("actor_id").invited.sum(), "attended": kept.groupby(rows.actor_id).sum()}
        )
        parts.append(counts.assign(month_end=month_end).reset_index())
    if not parts:
        return pd.DataFrame(columns=list(MATRIX_COLUMNS))
    matrix = pd.concat(parts, ignore_index=True)
    matrix["rate"] = matrix.attended / matrix.invited.where(matrix.invited > 0) * 100
    actors = data.actors.rename(columns={"id": "actor_id", "code": "actor_code", "name": "actor_name"})
    matrix = matrix.merge(actors, on="actor_id")
    matrix[["invited", "attended"]] = matrix[["invited", "attended"]].astype(int)
    return matrix.sort_values(["actor_name", "month_end"]).reset_index(drop=True)[list(MATRIX_COLUMNS)]


def shift_months(day: date, months: int) -> date:
    """The same day ``months`` later (earlier when negative), on the month's last day when it has fewer days."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    following = date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1)
    return min(date(year, month + 1, 1) + timedelta(days=day.day - 1), following - timedelta(days=1))


def month_end_before(day: date, months: int) -> date:
    """The last day of the month ``months`` before ``day``'s month: 15/11/2026, 3 -> 31/08/2026."""
    first = shift_months(day.replace(day=1), -months)
    return shift_months(first, 1) - timedelta(days=1)
