"""The options of the app's forms (actors, barrios, lines, events), as code -> label, in the order people expect."""

from __future__ import annotations

from sqlalchemy import select
from sqlmodel import Session

from core import formatting
from core.db import table_columns
from core.models import Actor, Barrio, Event, StrategicLine

RECENT_EVENTS = 300


def form_choices(*, session: Session) -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[int, str]]:
    """(actors by name, barrios by code, lines by order, the most recent events first)."""
    a, b, ln, e = (table_columns(model) for model in (Actor, Barrio, StrategicLine, Event))
    connection = session.connection()
    actors = {
        code: name
        for code, name in connection.execute(select(a.code, a.name).where(a.archived_on.is_(None)).order_by(a.name))
    }
    barrios = {code: name for code, name in connection.execute(select(b.code, b.name).order_by(b.code))}
    lines = {
        code: f"{code} · {name}"
        for code, name in connection.execute(
            select(ln.code, ln.name).where(ln.archived_on.is_(None)).order_by(ln.sort_order, ln.code)
        )
    }
    events = {
        int(event_id): f"N.º {event_id} · {formatting.day(held_on)} · {kind} · {title}"
        for event_id, held_on, kind, title in connection.execute(
            select(e.id, e.held_on, e.kind, e.title).order_by(e.held_on.desc(), e.id.desc()).limit(RECENT_EVENTS)
        )
    }
    return actors, barrios, lines, events
