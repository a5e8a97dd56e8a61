"""The request a round sends each actor, in plain Spanish, and the links that open it on the coordinator's device.

Nothing here sends anything: a WhatsApp click-to-chat link (``https://wa.me/57…?text=…``) and a ``mailto:`` link
are built only from a contact that authorized its use; without one the message is offered to copy as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from core import formatting

COUNTRY_CODE = "57"  # Colombia


@dataclass(frozen=True)
class Owed:
    """A commitment the actor still owes in the round."""

    code: str
    description: str
    project_name: str


def subject(round_name: str, cut_off: date) -> str:
    return f"Reporte de avance del Plan de la Comuna 12 con corte al {formatting.day(cut_off)} ({round_name})"


def request_text(
    *,
    actor_name: str,
    person: str | None,
    round_name: str,
    cut_off: date,
    deadline: date,
    owed: Sequence[Owed],
    coordinator: str,
) -> str:
    """Greeting, the commitments it owes, the deadline, how to answer, the coordinator's name."""
    greeting = f"Buenos días, {person}:" if person else f"Buenos días, equipo de {actor_name}:"
    listed = "\n".join(f"• {item.code}: {item.description} ({item.project_name})" for item in owed)
    plural = len(owed) != 1
    return "\n".join(
        [
            greeting,
            "",
            f"Le escribimos de la coordinación del Plan Estratégico de la Comuna 12 – La América. En la ronda "
            f"«{round_name}» estamos recogiendo el avance de los compromisos con fecha de corte "
            f"{formatting.day(cut_off)}. {actor_name} tiene "
            + (f"estos {len(owed)} compromisos" if plural else "este compromiso")
            + " por reportar:",
            listed,
            "",
            f"Le pedimos enviar el avance a más tardar el {formatting.long_day(deadline)} "
            f"({formatting.day(deadline)}).",
            "",
            "Cómo responder: llene la plantilla de Excel que le enviamos (una fila por compromiso; en las columnas "
            "amarillas, el avance físico en % o el valor logrado, el presupuesto ejecutado si lo conoce y sus "
            "observaciones) y devuélvala por este mismo medio. Si no puede abrir la plantilla, responda este mensaje "
            "con el avance de cada compromiso por su código.",
            "",
            "Muchas gracias,",
            coordinator,
            "Coordinación del Plan Estratégico de la Comuna 12 – La América",
        ]
    )


def whatsapp_number(phone: str) -> str | None:
    """The phone as WhatsApp wants it (country code and digits), when it is a Colombian mobile: 3xx xxx xxxx,
    with or without +57. A landline (604…) has no WhatsApp to open."""
    digits = re.sub(r"\D", "", phone)
    if len(digits) == 12 and digits.startswith(COUNTRY_CODE + "3"):
        return digits
    if len(digits) == 10 and digits.startswith("3"):
        return COUNTRY_CODE + digits
    return None


def whatsapp_link(phone: str, text: str) -> str | None:
    number = whatsapp_number(phone)
    return None if number is None else f"https://wa.me/{number}?text={quote(text, safe='')}"


EMAIL = re.compile(r"^[^@\s<>,;]+@[^@\s<>,;]+\.[^@\s<>,;]+$")


def mailto_link(email: str, subject_line: str, body: str) -> str | None:
    email = email.strip()
    if not EMAIL.match(email):
        return None
    return f"mailto:{quote(email, safe='@')}?subject={quote(subject_line, safe='')}&body={quote(body, safe='')}"
