"""The optional e-mail, against a real SMTP server on 127.0.0.1 (aiosmtpd); never needed by the app."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import Engine
from sqlmodel import Session

from core import db
from core.models import Actor, RoundMember
from core.rounds import consent, mail, service
from core.rounds.mail import MailRefused, SmtpSettings
from core.rounds.service import RoundRefused
from tests.rounds.plan import CUT_OFF, DEADLINE, build


class Inbox:
    def __init__(self) -> None:
        self.received: list[tuple[list[str], Message]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received.append((list(envelope.rcpt_tos), message_from_bytes(envelope.content)))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    handler = Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


def test_a_request_is_sent_through_the_configured_server(inbox: tuple[Inbox, int]) -> None:
    handler, port = inbox
    settings = mail.smtp_settings({"host": "127.0.0.1", "port": port, "sender": "coordinacion@example.org"})
    assert settings == SmtpSettings(host="127.0.0.1", sender="coordinacion@example.org", port=port)
    mail.send_mail(settings, to="ana@example.org", subject="Reporte de avance", body="Buenos días, Ana:\n\n• C-01")
    ((recipients, message),) = handler.received
    assert recipients == ["ana@example.org"]
    assert message["Subject"] == "Reporte de avance" and message["From"] == "coordinacion@example.org"
    payload = message.get_payload(decode=True)
    assert isinstance(payload, bytes) and payload.decode("utf-8").startswith("Buenos días, Ana:")


def test_without_an_smtp_section_there_is_no_e_mail() -> None:
    assert mail.smtp_settings(None) is None
    assert mail.smtp_settings({"host": "127.0.0.1"}) is None  # no sender


def test_a_server_that_cannot_be_reached_is_said_in_spanish() -> None:
    settings = SmtpSettings(host="127.0.0.1", sender="c@example.org", port=free_port(), timeout=2)
    with pytest.raises(MailRefused, match=r"No se pudo enviar el correo a ana@example\.org"):
        mail.send_mail(settings, to="ana@example.org", subject="s", body="b")


def test_a_round_request_goes_only_to_an_authorized_contact_and_counts_as_a_reminder(
    engine: Engine, inbox: tuple[Inbox, int]
) -> None:
    handler, port = inbox
    with db.transaction(engine) as session:
        plan = build(session)
        actor = session.get(Actor, plan.a.id)
        assert actor is not None
        actor.contact_email = "ana@example.org"
        session.add(actor)
        round_id = service.open_round(session=session, name="Corte", cut_off=CUT_OFF, deadline=DEADLINE, user="c")
    settings = SmtpSettings(host="127.0.0.1", sender="coordinacion@example.org", port=port)
    arguments = {"round_id": round_id, "actor_code": plan.a.code, "settings": settings, "subject": "Reporte",
                 "body": "Buenos días", "today": CUT_OFF, "user": "c"}  # fmt: skip
    with pytest.raises(RoundRefused, match="no tiene una autorización vigente"), db.transaction(engine) as session:
        service.email_request(session=session, **arguments)  # type: ignore[arg-type]
    assert handler.received == []
    with db.transaction(engine) as session:
        consent.record_consent(session=session, actor_code=plan.a.code, granted=True, decided_on=CUT_OFF,
                               evidence="correo", today=CUT_OFF, user="c")  # fmt: skip
        sent = service.email_request(session=session, **arguments)  # type: ignore[arg-type]
    assert sent == "ana@example.org" and [to for to, _ in handler.received] == [["ana@example.org"]]
    with Session(engine) as session:
        member = session.get(RoundMember, (round_id, plan.a.id))
    assert member is not None and (member.reminded_on, member.reminders) == (CUT_OFF, 1)
