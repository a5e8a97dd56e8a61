"""Contact consent (Ley 1581 de 2012): an actor's contact data is used for messages only while the latest decision
recorded for it authorizes it. Each authorization and withdrawal is kept, with its date, evidence and who recorded it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core import formatting
from core.db import table_columns
from core.models import Actor, ContactConsent
from core.refusals import Refused
from core.rounds.written import audited

MAX_EVIDENCE = 300


class ConsentRefused(Refused):
    """The consent cannot be recorded as asked; the messages say why in Spanish."""


def record_consent(
    *, session: Session, actor_code: str, granted: bool, decided_on: date, evidence: str, today: date, user: str
) -> None:
    """Record that the actor's contact authorized (``granted``) or withdrew the use of its data on ``decided_on``."""
    evidence = evidence.strip()
    a = table_columns(Actor)
    actor_id = session.connection().execute(select(a.id).where(a.code == actor_code)).scalar()
    problems = []
    if actor_id is None:
        problems.append(f"No existe un actor con el código «{actor_code}».")
    if decided_on > today:
        problems.append(f"La fecha ({formatting.day(decided_on)}) está en el futuro.")
    if granted and not evidence:
        problems.append(
            "Diga cómo consta la autorización (por ejemplo «formato firmado el 12/11/2026» o «correo del "
            "contacto»): la Ley 1581 de 2012 pide poder probarla."
        )
    if len(evidence) > MAX_EVIDENCE:
        problems.append(f"La constancia tiene {len(evidence)} caracteres; el máximo es {MAX_EVIDENCE}.")
    if problems or actor_id is None:
        raise ConsentRefused(problems)
    row = ContactConsent(actor_id=actor_id, granted=granted, decided_on=decided_on, evidence=evidence, recorded_by=user)
    session.add(row)
    session.flush()
    audited(
        session=session,
        user=user,
        action="autorizar contacto" if granted else "retirar autorización de contacto",
        table_name="contact_consent",
        row_id=str(row.id),
        after={"actor": actor_code, "autoriza": granted, "fecha": decided_on, "constancia": evidence},
    )


CONSENT_COLUMNS = ("actor_id", "granted", "decided_on", "evidence", "recorded_by")


def latest_consents(*, session: Session) -> pd.DataFrame:
    """The decision in force for each actor that has one: the latest by date, then by the order recorded."""
    c = table_columns(ContactConsent)
    rows = session.connection().execute(
        select(c.actor_id, c.granted, c.decided_on, c.evidence, c.recorded_by).order_by(c.decided_on, c.id)
    )
    frame = pd.DataFrame(rows.all(), columns=list(CONSENT_COLUMNS))
    return frame.drop_duplicates("actor_id", keep="last").reset_index(drop=True)


@dataclass(frozen=True)
class Contact:
    """An actor's contact, given only while it authorizes its use."""

    person: str
    phone: str
    email: str
    authorized_on: date


def usable_contact(*, session: Session, actor_code: str) -> Contact | None:
    """The actor's contact, or None when it has not authorized its use (or withdrew it)."""
    a = table_columns(Actor)
    actor = (
        session.connection()
        .execute(select(a.id, a.contact_person, a.contact_phone, a.contact_email).where(a.code == actor_code))
        .first()
    )
    if actor is None:
        return None
    decisions = latest_consents(session=session)
    decision = decisions.loc[decisions.actor_id == actor.id]
    if decision.empty or not bool(decision.granted.iloc[0]):
        return None
    return Contact(
        person=(actor.contact_person or "").strip(),
        phone=(actor.contact_phone or "").strip(),
        email=(actor.contact_email or "").strip(),
        authorized_on=decision.decided_on.iloc[0],
    )
