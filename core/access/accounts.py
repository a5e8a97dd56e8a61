"""Local accounts: roles, argon2 password hashes, login with throttling, and the e-mail → role map of SSO.

Roles rank público < coordinador < admin. Público needs no account; accounts are coordinators or admins. Every
change to an account goes into the caller's transaction with its audit entry; bad input raises
``AccountRefused`` with a Spanish message before anything is written. Passwords are never stored nor audited.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, func
from sqlmodel import Session, col, select

from core import audit, db
from core.models import LoginFailure, LoginSession, User, utcnow
from core.refusals import Refused

PUBLIC, COORDINATOR, ADMIN = "público", "coordinador", "admin"
ROLES: tuple[str, ...] = (PUBLIC, COORDINATOR, ADMIN)
ACCOUNT_ROLES: tuple[str, ...] = (COORDINATOR, ADMIN)
ROLE_LABELS = {PUBLIC: "público", COORDINATOR: "coordinación", ADMIN: "administración"}

MAX_FAILURES = 5  # refused logins of one name inside the window before it is throttled
THROTTLE_WINDOW = timedelta(minutes=15)
MIN_PASSWORD_LENGTH = 10
SESSION_MINUTES_KEY = "access.session_minutes"
DEFAULT_SESSION_MINUTES = 30
USERNAME_PATTERN = re.compile(r"[a-z0-9][a-z0-9._@-]{2,79}")

_hasher = PasswordHasher()
# Verified when the name is unknown, so an unknown name costs the same time as a wrong password.
_DUMMY_HASH = _hasher.hash("una clave que nadie tiene")


class AccountRefused(Refused):
    """An account change that cannot be made; the message is for the user, in Spanish."""


class LoginThrottled(Refused):
    """Too many refused logins for this name; ``minutes`` until the next try is allowed."""

    def __init__(self, minutes: int) -> None:
        self.minutes = minutes
        super().__init__(
            f"Demasiados intentos fallidos con este usuario. Espere {minutes} minuto{'s' if minutes != 1 else ''} "
            "y vuelva a intentarlo, o pida a la administración que revise la cuenta."
        )


@dataclass(frozen=True)
class Account:
    username: str
    role: str
    active: bool
    email: str | None
    created_at: datetime


def rank(role: str) -> int:
    """Position of a role in público < coordinador < admin; an unknown role ranks as público."""
    return ROLES.index(role) if role in ROLES else 0


def has_role(role: str, needed: str) -> bool:
    return rank(role) >= rank(needed)


def normalized_username(username: str) -> str:
    return str(username or "").strip().lower()


def _account(user: User) -> Account:
    return Account(user.username, user.role, user.active, user.email, user.created_at)


def _find(session: Session, username: str) -> User | None:
    return session.exec(select(User).where(User.username == normalized_username(username))).first()


def _get(session: Session, username: str) -> User:
    user = _find(session, username)
    if user is None:
        raise AccountRefused(f"No existe el usuario «{normalized_username(username)}».")
    return user


def _check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountRefused(f"La clave debe tener al menos {MIN_PASSWORD_LENGTH} caracteres.")
    if normalized_username(password) == username:
        raise AccountRefused("La clave no puede ser igual al nombre de usuario.")


def _check_role(role: str) -> None:
    if role not in ACCOUNT_ROLES:
        raise AccountRefused(f"«{role}» no es un rol de cuenta; use uno de: {', '.join(ACCOUNT_ROLES)}.")


def _audit(session: Session, *, by: str, action: str, user: User, before: dict[str, Any] | None) -> None:
    after = {"username": user.username, "role": user.role, "active": user.active, "email": user.email}
    audit.record(
        session=session, user=by, action=action, table_name="app_user", row_id=user.username, before=before, after=after
    )
    db.bump_data_version(session=session)


def create_user(
    *, session: Session, username: str, password: str, role: str, by: str, email: str | None = None
) -> Account:
    name = normalized_username(username)
    if not USERNAME_PATTERN.fullmatch(name):
        raise AccountRefused(
            "El nombre de usuario debe tener de 3 a 80 caracteres: letras sin tilde, números, punto, guion, "
            "guion bajo o arroba, y empezar por letra o número."
        )
    _check_role(role)
    _check_password(password, name)
    if _find(session, name) is not None:
        raise AccountRefused(f"Ya existe el usuario «{name}».")
    user = User(username=name, password_hash=_hasher.hash(password), role=role, email=email or None)
    session.add(user)
    session.flush()
    _audit(session, by=by, action="crear usuario", user=user, before=None)
    return _account(user)


def set_password(*, session: Session, username: str, password: str, by: str) -> None:
    user = _get(session, username)
    _check_password(password, user.username)
    user.password_hash = _hasher.hash(password)
    session.add(user)
    session.connection().execute(delete(LoginFailure).where(col(LoginFailure.username) == user.username))
    end_all_sessions(session=session, username=user.username)  # whoever knew the old password is out
    _audit(session, by=by, action="cambiar clave", user=user, before=None)


def change_own_password(*, session: Session, username: str, current: str, new: str) -> bool:
    """The user changes its own password, proving it knows the current one; False if it does not.

    A wrong current password counts as a refused login (and is throttled like one): the caller commits.
    """
    user = _get(session, username)
    _check_password(new, user.username)
    if verify_login(session=session, username=username, password=current) is None:
        return False
    set_password(session=session, username=username, password=new, by=user.username)
    return True


def set_active(*, session: Session, username: str, active: bool, by: str) -> None:
    user = _get(session, username)
    if not active and user.role == ADMIN and user.active and _active_admins(session) == 1:
        raise AccountRefused("No se puede desactivar la única cuenta de administración activa.")
    before = {"active": user.active}
    user.active = active
    session.add(user)
    if not active:
        end_all_sessions(session=session, username=user.username)
    _audit(session, by=by, action="activar usuario" if active else "desactivar usuario", user=user, before=before)


def set_role(*, session: Session, username: str, role: str, by: str) -> None:
    user = _get(session, username)
    _check_role(role)
    if user.role == ADMIN and role != ADMIN and user.active and _active_admins(session) == 1:
        raise AccountRefused("No se puede quitar el rol a la única cuenta de administración activa.")
    before = {"role": user.role}
    user.role = role
    session.add(user)
    _audit(session, by=by, action="cambiar rol", user=user, before=before)


def _active_admins(session: Session) -> int:
    query = select(func.count()).select_from(User).where(User.role == ADMIN, col(User.active))
    return int(session.exec(query).one())


def end_all_sessions(*, session: Session, username: str) -> None:
    """Every open login of the account ends, in every browser and process (see ``core.login_sessions``)."""
    name = normalized_username(username)
    session.connection().execute(delete(LoginSession).where(col(LoginSession.username) == name))


def list_users(*, session: Session) -> list[Account]:
    return [_account(user) for user in session.exec(select(User).order_by(col(User.username)))]


def active_account(*, session: Session, username: str) -> Account | None:
    """The account behind a logged-in session, or None once it was disabled or removed."""
    user = _find(session, username)
    return _account(user) if user is not None and user.active else None


def verify_login(*, session: Session, username: str, password: str, now: datetime | None = None) -> Account | None:
    """The account if name and password match an active account, else None (the refusal is recorded).

    Raises ``LoginThrottled`` when the name had ``MAX_FAILURES`` refusals inside ``THROTTLE_WINDOW``, without
    looking at the password. Unknown names, disabled accounts and wrong passwords look and cost the same.
    The caller commits, so the recorded refusal survives (throttling works across sessions and processes).
    """
    now = now or utcnow()
    name = normalized_username(username)[:80]
    failures = session.exec(
        select(LoginFailure.at)
        .where(LoginFailure.username == name, col(LoginFailure.at) > now - THROTTLE_WINDOW)
        .order_by(col(LoginFailure.at))
    ).all()
    if len(failures) >= MAX_FAILURES:
        free_at = failures[-MAX_FAILURES] + THROTTLE_WINDOW
        raise LoginThrottled(max(1, -int(-(free_at - now).total_seconds() // 60)))
    user = _find(session, name)
    if _password_matches(user.password_hash if user is not None else None, password) and user and user.active:
        session.connection().execute(delete(LoginFailure).where(col(LoginFailure.username) == name))
        return _account(user)
    session.add(LoginFailure(username=name, at=now))
    return None


def _password_matches(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def session_minutes(*, session: Session) -> int:
    """Minutes of inactivity after which a login expires (setting ``access.session_minutes``, default 30)."""
    value = db.get_setting(session=session, key=SESSION_MINUTES_KEY)
    try:
        minutes = int(value) if value else DEFAULT_SESSION_MINUTES
    except ValueError:
        minutes = DEFAULT_SESSION_MINUTES
    return minutes if minutes > 0 else DEFAULT_SESSION_MINUTES


def role_for_email(email: str | None, roles: Mapping[str, str], *, session: Session | None = None) -> str:
    """The role of a single-sign-on user: its e-mail in ``roles`` (secrets ``[roles]``), else ``*@domain``
    there, else an active local account with that e-mail; otherwise público. Matching ignores case."""
    address = str(email or "").strip().lower()
    if "@" not in address:
        return PUBLIC
    table = {str(key).strip().lower(): str(value).strip() for key, value in roles.items()}
    for key in (address, "*@" + address.rsplit("@", 1)[1]):
        if key in table:
            return table[key] if table[key] in ROLES else PUBLIC
    if session is not None:
        query = select(User.role).where(func.lower(col(User.email)) == address, col(User.active))
        role = session.exec(query).first()
        if role in ROLES:
            return str(role)
    return PUBLIC
