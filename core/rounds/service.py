"""Open a round, mark a member reminded, close the round: each one audited write in the caller's transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import insert, select
from sqlmodel import Session

from core import formatting
from core.db import table_columns
from core.models import Actor, ReportingRound, RoundCommitment, RoundMember, utcnow
from core.refusals import Refused
from core.rounds.consent import usable_contact
from core.rounds.mail import SmtpSettings, send_mail
from core.rounds.members import open_commitments
from core.rounds.written import audited

MAX_NAME = 200


class RoundRefused(Refused):
    """A round cannot be opened, reminded or closed as asked; the messages say why in Spanish."""


def open_round(
    *,
    session: Session,
    name: str,
    cut_off: date,
    deadline: date,
    user: str,
    line_codes: Sequence[str] = (),
    sectors: Sequence[str] = (),
    actor_codes: Sequence[str] | None = None,
) -> int:
    """A new round asking every actor with open commitments at ``cut_off`` (of ``line_codes``, of ``sectors``, or
    only ``actor_codes`` among them) for its progress by ``deadline``; returns its number."""
    name = name.strip()
    problems = []
    if not name:
        problems.append("Escriba un nombre para la ronda (por ejemplo «Corte de noviembre de 2026»).")
    elif len(name) > MAX_NAME:
        problems.append(f"El nombre de la ronda tiene {len(name)} caracteres; el máximo es {MAX_NAME}.")
    if deadline < cut_off:
        problems.append(
            f"El plazo ({formatting.day(deadline)}) no puede ser anterior a la fecha de corte "
            f"({formatting.day(cut_off)}): se reporta lo hecho hasta el corte."
        )
    r = table_columns(ReportingRound)
    twin = (
        session.connection()
        .execute(select(r.id, r.name).where(r.cut_off_date == cut_off, r.closed_at.is_(None)))
        .first()
    )
    if twin is not None:
        problems.append(
            f"Ya hay una ronda abierta con corte al {formatting.day(cut_off)}: «{twin[1]}» (número {twin[0]}). "
            "Ciérrela antes de abrir otra con el mismo corte."
        )
    if problems:
        raise RoundRefused(problems)
    owed = open_commitments(session=session, cut_off=cut_off, line_codes=tuple(line_codes), sectors=tuple(sectors))
    if actor_codes is not None:
        unknown = sorted(set(actor_codes) - set(owed.actor_code))
        if unknown:
            raise RoundRefused(
                "Estos actores no tienen compromisos abiertos al corte (con los filtros elegidos): "
                + ", ".join(f"«{code}»" for code in unknown)
                + "."
            )
        owed = owed.loc[owed.actor_code.isin(actor_codes)]
    if owed.empty:
        raise RoundRefused(
            f"Ningún actor tiene compromisos abiertos al {formatting.day(cut_off)} con los filtros elegidos: "
            "no hay a quién pedirle el reporte."
        )
    rnd = ReportingRound(name=name, cut_off_date=cut_off, deadline=deadline, opened_by=user)
    session.add(rnd)
    session.flush()
    assert rnd.id is not None
    actor_ids = sorted({int(actor_id) for actor_id in owed.actor_id})
    session.execute(insert(RoundMember), [{"round_id": rnd.id, "actor_id": actor_id} for actor_id in actor_ids])
    pairs = owed[["actor_id", "commitment_id"]].drop_duplicates()
    session.execute(
        insert(RoundCommitment),
        [
            {"round_id": rnd.id, "actor_id": int(actor_id), "commitment_id": int(commitment_id)}
            for actor_id, commitment_id in pairs.itertuples(index=False)
        ],
    )
    audited(
        session=session,
        user=user,
        action="abrir ronda",
        table_name="reporting_round",
        row_id=str(rnd.id),
        after={
            "nombre": name,
            "corte": cut_off.isoformat(),
            "plazo": deadline.isoformat(),
            "actores": len(actor_ids),
            "compromisos": int(owed.commitment_id.nunique()),
            "líneas": list(line_codes),
            "sectores": list(sectors),
        },
    )
    return rnd.id


def _open_round(session: Session, round_id: int, doing: str) -> ReportingRound:
    rnd = session.get(ReportingRound, round_id)
    if rnd is None:
        raise RoundRefused(f"No existe la ronda número {round_id}.")
    if rnd.closed_at is not None:
        raise RoundRefused(
            f"La ronda «{rnd.name}» se cerró el {formatting.day(rnd.closed_at)}: ya no se puede {doing}."
        )
    return rnd


def mark_reminded(*, session: Session, round_id: int, actor_code: str, on: date, today: date, user: str) -> None:
    """The member was reminded on ``on`` (by ``user``): the date, who, and one more reminder counted."""
    rnd = _open_round(session, round_id, "marcar recordatorios")
    a = table_columns(Actor)
    actor_id = session.connection().execute(select(a.id).where(a.code == actor_code)).scalar()
    member = None if actor_id is None else session.get(RoundMember, (round_id, actor_id))
    if member is None:
        raise RoundRefused(f"El actor «{actor_code}» no está en la ronda «{rnd.name}».")
    if on > today:
        raise RoundRefused(f"La fecha del recordatorio ({formatting.day(on)}) está en el futuro.")
    before = {"recordado el": member.reminded_on, "por": member.reminded_by, "recordatorios": member.reminders}
    member.reminded_on, member.reminded_by, member.reminders = on, user, member.reminders + 1
    session.add(member)
    audited(
        session=session,
        user=user,
        action="marcar recordado",
        table_name="round_member",
        row_id=f"{round_id}/{actor_code}",
        before=before,
        after={"recordado el": on, "por": user, "recordatorios": member.reminders},
    )


def close_round(*, session: Session, round_id: int, user: str) -> None:
    """The round is closed: it leaves Resumen; reports for its cut-off still load, with a notice."""
    rnd = _open_round(session, round_id, "cerrar de nuevo")
    rnd.closed_at, rnd.closed_by = utcnow(), user
    session.add(rnd)
    audited(
        session=session,
        user=user,
        action="cerrar ronda",
        table_name="reporting_round",
        row_id=str(round_id),
        before={"cerrada": None},
        after={"cerrada": formatting.moment(rnd.closed_at), "por": user},
    )


def email_request(
    *,
    session: Session,
    round_id: int,
    actor_code: str,
    settings: SmtpSettings,
    subject: str,
    body: str,
    today: date,
    user: str,
) -> str:
    """Send the request by e-mail to the actor's authorized contact, then count it as a reminder; returns the
    address it went to. Refused without an authorization or an e-mail address."""
    _open_round(session, round_id, "enviar correos")
    contact = usable_contact(session=session, actor_code=actor_code)
    if contact is None or not contact.email:
        raise RoundRefused(
            f"El contacto del actor «{actor_code}» no tiene una autorización vigente (Ley 1581 de 2012) o no tiene "
            "correo: copie el mensaje y envíelo por el medio que el actor haya aceptado."
        )
    send_mail(settings, to=contact.email, subject=subject, body=body)
    mark_reminded(session=session, round_id=round_id, actor_code=actor_code, on=today, today=today, user=user)
    return contact.email
