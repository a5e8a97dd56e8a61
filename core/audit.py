"""The audit trail: every write records who, when, what, and the values before and after (DESIGN.md §2)."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
from sqlalchemy import select as select_columns
from sqlmodel import Session, col, select

from core.formatting import COLOMBIA
from core.models import AuditEntry

SYSTEM_USER = "sistema"


def record(
    *,
    session: Session,
    user: str,
    action: str,
    table_name: str,
    row_id: str = "",
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    import_batch_id: int | None = None,
) -> AuditEntry:
    """Add one audit entry to the caller's transaction, so it commits (or rolls back) with the write itself."""
    entry = AuditEntry(
        user_name=user,
        action=action,
        table_name=table_name,
        row_id=row_id,
        before=_as_json(before),
        after=_as_json(after),
        import_batch_id=import_batch_id,
    )
    session.add(entry)
    return entry


def _as_json(values: dict[str, Any] | None) -> str | None:
    return None if values is None else json.dumps(values, ensure_ascii=False, sort_keys=True, default=str)


def audit_entries(
    *,
    session: Session,
    since: date | None = None,
    until: date | None = None,
    user: str | None = None,
    action: str | None = None,
    table_name: str | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """The audit trail, newest first, filtered; ``since`` and ``until`` are whole days in Colombia, as the moments
    are shown."""
    e = AuditEntry.__table__.c  # type: ignore[attr-defined]
    query = select_columns(*(e[name] for name in AUDIT_COLUMNS)).order_by(e.id.desc())
    if since is not None:
        query = query.where(e.at >= datetime.combine(since, time(), tzinfo=COLOMBIA))
    if until is not None:
        query = query.where(e.at < datetime.combine(until + timedelta(days=1), time(), tzinfo=COLOMBIA))
    if user:
        query = query.where(e.user_name == user)
    if action:
        query = query.where(e.action == action)
    if table_name:
        query = query.where(e.table_name == table_name)
    if limit is not None:
        query = query.limit(limit)
    rows = session.connection().execute(query).all()
    return pd.DataFrame(rows, columns=list(AUDIT_COLUMNS))


# What each table holds, in the words of the audit page ("*" is the whole plan, e.g. loading the demo).
TABLE_LABELS = {
    "*": "todo el plan",
    "actor": "actores",
    "app_user": "usuarios",
    "attendance": "asistencias",
    "audit_entry": "bitácora",
    "barrio": "barrios",
    "commitment": "compromisos",
    "commitment_actor": "actores de compromisos",
    "commitment_barrio": "barrios de compromisos",
    "event": "eventos",
    "import_batch": "cargas",
    "login_failure": "ingresos fallidos",
    "login_session": "sesiones abiertas",
    "motivation_rating": "calificaciones de motivación",
    "pact": "pactos",
    "pact_line": "líneas de pactos",
    "pact_member": "miembros de pactos",
    "program": "programas",
    "progress_report": "reportes de avance",
    "project": "proyectos",
    "project_barrio": "barrios de proyectos",
    "setting": "ajustes",
    "strategic_line": "líneas estratégicas",
    # vision and adoption of the plan (DESIGN.md §8)
    "plan_profile": "perfil del plan",
    "idea_fuerza": "ideas-fuerza",
    "idea_line": "líneas de ideas-fuerza",
    "instrument": "instrumentos de planeación",
    "instrument_line": "líneas de instrumentos",
    "alignment": "articulación",
    "milestone_kind": "catálogo de hitos",
    "milestone": "hitos",
    "milestone_line": "líneas de hitos",
    "pp_ceiling": "topes de Presupuesto Participativo",
    "pp_project": "proyectos de Presupuesto Participativo",
    "pp_project_barrio": "barrios de proyectos de Presupuesto Participativo",
}


def table_label(table_name: str) -> str:
    return TABLE_LABELS.get(table_name, table_name)


AUDIT_COLUMNS = ("id", "at", "user_name", "action", "table_name", "row_id", "before", "after", "import_batch_id")


def audit_choices(*, session: Session) -> dict[str, list[str]]:
    """The distinct users, actions and tables of the trail, for the filters."""
    connection = session.connection()
    return {
        name: sorted(str(v) for v in connection.execute(select(column).distinct()).scalars())
        for name, column in (
            ("user_name", col(AuditEntry.user_name)),
            ("action", col(AuditEntry.action)),
            ("table_name", col(AuditEntry.table_name)),
        )
    }
