"""Contact data is usable only while the latest recorded decision authorizes it (Ley 1581 de 2012)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from core import db
from core.models import Actor, AuditEntry
from core.rounds import consent
from core.rounds.consent import ConsentRefused

TODAY = date(2026, 11, 15)


@pytest.fixture
def actor(engine: Engine) -> str:
    with db.transaction(engine) as session:
        session.add(
            Actor(
                code="JAC-01",
                name="JAC Santa Lucía",
                sector="comunitario",
                contact_person="Ana Restrepo",
                contact_phone="300 123 4567",
                contact_email="ana@example.org",
            )
        )
    return "JAC-01"


def decide(engine: Engine, code: str, granted: bool, on: date, evidence: str = "formato firmado") -> None:
    with db.transaction(engine) as session:
        consent.record_consent(
            session=session, actor_code=code, granted=granted, decided_on=on, evidence=evidence, today=TODAY, user="c"
        )


def usable(engine: Engine, code: str) -> consent.Contact | None:
    with Session(engine) as session:
        return consent.usable_contact(session=session, actor_code=code)


def test_without_an_authorization_the_contact_is_not_usable(engine: Engine, actor: str) -> None:
    assert usable(engine, actor) is None


def test_an_authorization_opens_the_contact_and_a_withdrawal_closes_it(engine: Engine, actor: str) -> None:
    decide(engine, actor, True, date(2026, 11, 1))
    assert usable(engine, actor) == consent.Contact(
        person="Ana Restrepo", phone="300 123 4567", email="ana@example.org", authorized_on=date(2026, 11, 1)
    )
    decide(engine, actor, False, date(2026, 11, 10), evidence="")
    assert usable(engine, actor) is None
    decide(engine, actor, True, date(2026, 11, 5))  # recorded later, decided earlier: the withdrawal still holds
    assert usable(engine, actor) is None
    with Session(engine) as session:
        actions = [e.action for e in session.exec(select(AuditEntry).order_by(AuditEntry.id)).all()]
    assert actions == ["autorizar contacto", "retirar autorización de contacto", "autorizar contacto"]


@pytest.mark.parametrize(
    ("code", "on", "evidence", "message"),
    [
        ("JAC-01", date(2026, 11, 1), " ", "cómo consta la autorización"),
        ("JAC-01", date(2026, 11, 16), "correo", r"\(16/11/2026\) está en el futuro"),
        ("NADIE", date(2026, 11, 1), "correo", "No existe un actor con el código «NADIE»"),
    ],
)
def test_an_authorization_needs_an_actor_a_past_date_and_evidence(
    engine: Engine, actor: str, code: str, on: date, evidence: str, message: str
) -> None:
    with pytest.raises(ConsentRefused, match=message):
        decide(engine, code, True, on, evidence)
