"""Logins that survive a reload and a new tab: a random token in a cookie, its SHA-256 in the database.

The browser keeps the token; the database keeps only its hash, the account and two moments: when the login was
last used (the idle expiry, ``accounts.session_minutes``, counts from there for every tab at once) and the latest
it may live however active it is. Nothing is held in a process, so any app process behind a load balancer checks
the same rows. Logging out deletes the row; a new password or a disabled account deletes all the account's rows
(``accounts`` does that, in the same transaction as the change). The caller commits.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, func, update
from sqlmodel import Session, col, select

from core.access import accounts
from core.access.accounts import Account
from core.models import LoginSession, utcnow

COOKIE_NAME = "tablero_sesion"
MAX_LIFETIME = timedelta(hours=12)  # a working day: past it, even an active login asks for the password again
TOUCH_EVERY = timedelta(seconds=60)  # last use is written at most once a minute, not on every click
TOKEN_BYTES = 32

IDLE, ENDED, DISABLED = "idle", "ended", "disabled"


@dataclass(frozen=True)
class Check:
    """The account behind a token, or why there is none: IDLE (idle expiry), ENDED (logged out, a new password,
    the maximum lifetime, or never a token), DISABLED (the account was disabled or removed). ``touch_due``: the
    last use is old enough to be written again (``touch``)."""

    account: Account | None
    refused: str | None = None
    touch_due: bool = False


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _aware(moment: datetime) -> datetime:
    """SQLite hands back naive datetimes (stored in UTC), PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def open_session(*, session: Session, username: str, now: datetime | None = None) -> str:
    """A new login of ``username``; returns the token for the cookie (it is not kept anywhere else).

    Logins past their maximum lifetime are swept here, so the table holds only what could still be used.
    """
    now = now or utcnow()
    session.connection().execute(delete(LoginSession).where(col(LoginSession.expires_at) <= now))
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        LoginSession(
            token_hash=token_hash(token),
            username=accounts.normalized_username(username),
            created_at=now,
            last_seen_at=now,
            expires_at=now + MAX_LIFETIME,
        )
    )
    session.flush()
    return token


def check(*, session: Session, hashed: str, now: datetime | None = None) -> Check:
    """The account of the login whose token hashes to ``hashed``. Only reads: a page run writes nothing unless
    ``touch_due`` (once a minute) or the login is refused (then ``end_session`` removes it)."""
    now = now or utcnow()
    row = session.get(LoginSession, hashed)
    if row is None:
        return Check(None, ENDED)
    if now >= _aware(row.expires_at):
        return Check(None, ENDED)
    idle = now - _aware(row.last_seen_at)
    if idle > timedelta(minutes=accounts.session_minutes(session=session)):
        return Check(None, IDLE)
    account = accounts.active_account(session=session, username=row.username)
    if account is None:
        return Check(None, DISABLED)
    return Check(account, touch_due=idle >= TOUCH_EVERY)


def check_token(*, session: Session, token: str, now: datetime | None = None) -> Check:
    return check(session=session, hashed=token_hash(token), now=now)


def touch(*, session: Session, hashed: str, now: datetime | None = None) -> None:
    """The login was used now: its idle expiry starts again, for every tab that shares it."""
    session.connection().execute(
        update(LoginSession).where(col(LoginSession.token_hash) == hashed).values(last_seen_at=now or utcnow())
    )


def end_session(*, session: Session, hashed: str) -> None:
    """Log out: the token opens nothing any more, in any tab or process."""
    session.connection().execute(delete(LoginSession).where(col(LoginSession.token_hash) == hashed))


def open_sessions(*, session: Session, username: str) -> int:
    """How many logins of ``username`` are open (expired ones included until they are next checked)."""
    name = accounts.normalized_username(username)
    return int(session.exec(select(func.count()).select_from(LoginSession).where(LoginSession.username == name)).one())
