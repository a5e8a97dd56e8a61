"""The request in plain Spanish and the WhatsApp and mailto links built from an authorized contact."""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from core.rounds import messages
from core.rounds.messages import Owed

OWED = [Owed("C-01", "Limpieza de la quebrada", "Cuencas"), Owed("C-02", "Comité barrial", "Emergencias")]


def text(person: str | None = "Ana") -> str:
    return messages.request_text(
        actor_name="JAC Santa Lucía",
        person=person,
        round_name="Corte de octubre",
        cut_off=date(2026, 10, 31),
        deadline=date(2026, 11, 10),
        owed=OWED,
        coordinator="Marta Gómez",
    )


def test_the_request_greets_lists_what_is_owed_the_deadline_how_to_answer_and_who_asks() -> None:
    body = text()
    assert body.startswith("Buenos días, Ana:")
    assert "fecha de corte 31/10/2026" in body and "estos 2 compromisos" in body
    assert "• C-01: Limpieza de la quebrada (Cuencas)" in body and "• C-02: Comité barrial (Emergencias)" in body
    assert "a más tardar el 10 de noviembre de 2026 (10/11/2026)" in body
    assert "Cómo responder: llene la plantilla" in body
    assert body.splitlines()[-2] == "Marta Gómez"


def test_without_a_usable_contact_the_greeting_names_no_one() -> None:
    assert text(None).startswith("Buenos días, equipo de JAC Santa Lucía:")


@pytest.mark.parametrize(
    ("phone", "number"),
    [
        ("300 123 4567", "573001234567"),
        ("+57 (310) 555-0101", "573105550101"),
        ("604 444 5555", None),  # a Medellín landline: no WhatsApp
        ("12345", None),
        ("", None),
    ],
)
def test_whatsapp_wants_a_colombian_mobile_with_its_country_code(phone: str, number: str | None) -> None:
    assert messages.whatsapp_number(phone) == number


def test_the_links_carry_the_whole_message() -> None:
    body = text()
    link = messages.whatsapp_link("3001234567", body)
    assert link is not None and link.startswith("https://wa.me/573001234567?text=")
    assert unquote(link.split("?text=", 1)[1]) == body
    mail = messages.mailto_link("ana@example.org", "Reporte", body)
    assert mail is not None
    parts = urlsplit(mail)
    assert (parts.scheme, parts.path) == ("mailto", "ana@example.org")
    assert parse_qs(parts.query)["body"] == [body] and parse_qs(parts.query)["subject"] == ["Reporte"]
    assert messages.mailto_link("no es un correo", "Reporte", body) is None
