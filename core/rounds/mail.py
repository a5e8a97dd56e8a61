"""Optional e-mail of a round's request, when an ``[smtp]`` section is configured (never required: without it the
coordinator copies the message or opens the WhatsApp and ``mailto:`` links on their own device).

The section (in ``.streamlit/secrets.toml``, never committed)::

    [smtp]
    host = "smtp.ejemplo.org"
    port = 587
    sender = "coordinacion@ejemplo.org"
    user = "coordinacion@ejemplo.org"   # optional
    password = "…"                       # optional
    starttls = true                      # optional
"""

from __future__ import annotations

import smtplib
from collections.abc import Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from core.refusals import Refused


class MailRefused(Refused):
    """The message could not be sent; the messages say why in Spanish."""


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    sender: str
    port: int = 25
    user: str = ""
    password: str = ""
    starttls: bool = False
    timeout: float = 15.0


def smtp_settings(section: Mapping[str, Any] | None) -> SmtpSettings | None:
    """The settings of an ``[smtp]`` section; None when there is none (e-mail is then simply not offered)."""
    if not section or not section.get("host") or not section.get("sender"):
        return None
    return SmtpSettings(
        host=str(section["host"]),
        sender=str(section["sender"]),
        port=int(section.get("port", 25)),
        user=str(section.get("user", "")),
        password=str(section.get("password", "")),
        starttls=bool(section.get("starttls", False)),
    )


def send_mail(settings: SmtpSettings, *, to: str, subject: str, body: str) -> None:
    """Send one plain-text message; a server that cannot be reached or refuses it raises ``MailRefused``."""
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = settings.sender, to, subject
    message.set_content(body)
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as server:
            if settings.starttls:
                server.starttls()
            if settings.user:
                server.login(settings.user, settings.password)
            server.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise MailRefused(
            f"No se pudo enviar el correo a {to} por el servidor {settings.host}:{settings.port} ({exc}). "
            "Copie el mensaje o use el enlace de correo."
        ) from exc
