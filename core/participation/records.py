"""Recording participation: events with their attendance, and motivation ratings and weights.

Every write goes into the caller's transaction (``db.transaction``), writes the audit trail and bumps the data
version; bad input raises ``ParticipationRefused`` with every reason in Spanish, before anything is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlmodel import Session

from core import audit, db
from core.db import table_columns
from core.excel import cells
from core.excel.cells import normalized
from core.models import (
    EVENT_KINDS,
    Actor,
    Attendance,
    Barrio,
    Event,
    MotivationRating,
    StrategicLine,
)
from core.participation.motivation import DEFAULT_WEIGHTS, WEIGHT_SETTING_PREFIX, MotivationWeights
from core.refusals import Refused

TITLE_MAX = 200
MAX_DELEGATES = 10_000  # people one organization sends to one event; more is a typo (and overflows INTEGER)


class ParticipationRefused(Refused):
    """Input that cannot be recorded; ``problems`` lists every reason in Spanish."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__(self.problems)


class AttendanceMark(NamedTuple):
    actor_code: str
    invited: bool = True
    attended: bool = False
    delegates: int | None = None


def _ids_by_code(session: Session, model: type[Actor] | type[Barrio] | type[StrategicLine]) -> dict[str, int]:
    c = table_columns(model)
    return {normalized(code): int(i) for i, code in session.connection().execute(select(c.id, c.code))}


def _lookup(codes: dict[str, int], code: str | None, noun: str, problems: list[str]) -> int | None:
    if code is None or not str(code).strip():
        return None
    found = codes.get(normalized(str(code)))
    if found is None:
        problems.append(f"No existe {noun} con el código «{code}».")
    return found


def _kind(kind: str, problems: list[str]) -> str:
    for choice in EVENT_KINDS:
        if normalized(choice) == normalized(kind or ""):
            return choice
    problems.append(f"«{kind}» no es un tipo de evento; use uno de: {', '.join(EVENT_KINDS)}.")
    return kind


def _is_count(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def record_event(
    *,
    session: Session,
    held_on: date,
    kind: str,
    title: str,
    barrio_code: str | None,
    line_code: str | None,
    convener_code: str | None,
    attendance: Sequence[tuple[str, bool, bool, int | None]],
    user: str,
) -> int:
    """Create an event with who was invited and who came; returns the event's number (id).

    An actor may be marked as attending without an invitation (it came anyway): it is stored as such, and the
    participation index, which measures invitations kept, leaves it out.
    """
    problems: list[str] = []
    if isinstance(held_on, datetime):
        held_on = held_on.date()
    if not isinstance(held_on, date):
        problems.append("Escriba la fecha del evento.")
    kind = _kind(kind, problems)
    title = " ".join(cells.without_control_characters(str(title or "")).split())
    if not title:
        problems.append("Escriba el título del evento.")
    elif len(title) > TITLE_MAX:
        problems.append(f"El título tiene {len(title)} caracteres; el máximo es {TITLE_MAX}.")
    actors = _ids_by_code(session, Actor)
    barrio_id = _lookup(_ids_by_code(session, Barrio), barrio_code, "un barrio", problems)
    line_id = _lookup(_ids_by_code(session, StrategicLine), line_code, "una línea estratégica", problems)
    convener_id = _lookup(actors, convener_code, "un actor convocante", problems)
    rows: list[dict[str, Any]] = []
    codes: list[str] = []
    seen: set[int] = set()
    for actor_code, invited, attended, delegates in attendance:
        actor_id = _lookup(actors, actor_code, "un actor", problems)
        if not actor_code or not str(actor_code).strip():
            problems.append("Hay una fila de asistencia sin actor.")
        if not isinstance(invited, bool) or not isinstance(attended, bool):
            problems.append(f"Marque Sí o No en invitado y asistió para «{actor_code}».")
        if delegates is not None and not _is_count(delegates):
            problems.append(f"Los delegados de «{actor_code}» deben ser un número entero.")
        elif delegates is not None and delegates < 0:
            problems.append(f"Los delegados de «{actor_code}» no pueden ser negativos.")
        elif delegates is not None and delegates > MAX_DELEGATES:
            most = cells.plain_number(MAX_DELEGATES)
            problems.append(f"Los delegados de «{actor_code}» no pueden ser más de {most}.")
        if actor_id is None:
            continue
        if actor_id in seen:
            problems.append(f"El actor «{actor_code}» aparece más de una vez en la asistencia.")
        seen.add(actor_id)
        rows.append({"actor_id": actor_id, "invited": invited, "attended": attended, "delegates": delegates})
        codes.append(str(actor_code).strip())
    if problems:
        raise ParticipationRefused(problems)
    event = Event(
        held_on=held_on,
        kind=kind,
        title=title,
        barrio_id=barrio_id,
        line_id=line_id,
        convened_by_actor_id=convener_id,
    )
    session.add(event)
    session.flush()
    assert event.id is not None
    session.add_all([Attendance(event_id=event.id, **row) for row in rows])
    audit.record(
        session=session,
        user=user,
        action="registrar evento",
        table_name="event",
        row_id=str(event.id),
        after={
            **event.model_dump(exclude={"id"}),
            "asistencia": [{**row, "actor": code} for row, code in zip(rows, codes, strict=True)],
        },
    )
    db.bump_data_version(session=session)
    return event.id


@dataclass(frozen=True)
class RecordedRating:
    rating_id: int
    updated: bool  # True when the actor already had a rating that day, now replaced


def record_rating(
    *, session: Session, actor_code: str, rated_on: date, score: int, note: str, user: str
) -> RecordedRating:
    """The coordinator's rating of an actor (1 to 5, see ``motivation.RATING_LEVELS``) on a date.

    One rating per actor and day, as in the plan workbook: rating the same actor again the same day replaces it.
    """
    problems: list[str] = []
    actor_id = _lookup(_ids_by_code(session, Actor), actor_code, "un actor", problems)
    if not actor_code or not str(actor_code).strip():
        problems.append("Elija el actor que califica.")
    if isinstance(rated_on, datetime):
        rated_on = rated_on.date()
    if not isinstance(rated_on, date):
        problems.append("Escriba la fecha de la calificación.")
    if not _is_count(score) or not 1 <= score <= 5:
        problems.append("La calificación debe ser un número entero de 1 a 5.")
    note = cells.without_control_characters(note or "")
    if len(note) > cells.MAX_TEXT:
        most = cells.plain_number(cells.MAX_TEXT)
        problems.append(f"La observación tiene {cells.plain_number(len(note))} caracteres; el máximo es {most}.")
    if problems:
        raise ParticipationRefused(problems)
    assert actor_id is not None
    r = table_columns(MotivationRating)
    existing_id = (
        session.connection()
        .execute(select(r.id).where(r.actor_id == actor_id, r.rated_on == rated_on).order_by(r.id))
        .scalar()
    )
    values: dict[str, Any] = {
        "actor_id": actor_id,
        "rated_on": rated_on,
        "score": score,
        "note": note or "",
        "rated_by": user,
    }
    rating = session.get(MotivationRating, existing_id) if existing_id is not None else None
    before = rating.model_dump(exclude={"id"}) if rating else None
    if rating is None:
        rating = MotivationRating(**values)
    else:
        for name, value in values.items():
            setattr(rating, name, value)
    session.add(rating)
    session.flush()
    assert rating.id is not None
    audit.record(
        session=session,
        user=user,
        action="actualizar calificación" if before else "calificar motivación",
        table_name="motivation_rating",
        row_id=str(rating.id),
        before=before,
        after=rating.model_dump(exclude={"id"}),
    )
    db.bump_data_version(session=session)
    return RecordedRating(rating.id, before is not None)


def set_motivation_weights(*, session: Session, weights: MotivationWeights, user: str) -> None:
    """Store the weights of the motivation index (``motivation.weight.*`` settings)."""
    values = {field.name: getattr(weights, field.name) for field in fields(MotivationWeights)}
    if any(not isinstance(v, int | float) or v < 0 or v != v for v in values.values()) or sum(values.values()) <= 0:
        raise ParticipationRefused(["Los pesos deben ser números no negativos y al menos uno mayor que cero."])
    before = {
        name: db.get_setting(session=session, key=WEIGHT_SETTING_PREFIX + name) or str(getattr(DEFAULT_WEIGHTS, name))
        for name in values
    }
    for name, value in values.items():
        db.set_setting(session=session, key=WEIGHT_SETTING_PREFIX + name, value=repr(float(value)))
    audit.record(
        session=session,
        user=user,
        action="cambiar pesos del índice de motivación",
        table_name="setting",
        row_id=WEIGHT_SETTING_PREFIX + "*",
        before=before,
        after={name: repr(float(value)) for name, value in values.items()},
    )
    db.bump_data_version(session=session)
