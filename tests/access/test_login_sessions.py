"""Logins kept as token hashes in the database: open, check, idle and maximum expiry, logout, revocation."""

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from core.access import accounts, login_sessions
from core.access.login_sessions import DISABLED, ENDED, IDLE
from core.models import LoginSession, User, utcnow
from tests.conftest import TEST_PASSWORD

NOW = utcnow()


@pytest.fixture
def user(session: Session) -> str:
    accounts.create_user(session=session, username="ana", password=TEST_PASSWORD, role=accounts.COORDINATOR, by="t")
    accounts.create_user(session=session, username="jefa", password=TEST_PASSWORD, role=accounts.ADMIN, by="t")
    session.commit()
    return "ana"


def opened(session: Session, username: str = "ana") -> str:
    token = login_sessions.open_session(session=session, username=username, now=NOW)
    session.commit()
    return token


def test_a_token_opens_its_account_and_only_its_hash_is_stored(session: Session, user: str) -> None:
    token = opened(session)
    check = login_sessions.check_token(session=session, token=token, now=NOW + timedelta(minutes=5))
    assert (check.account and check.account.username, check.refused, check.touch_due) == ("ana", None, True)
    stored = session.exec(select(LoginSession)).one()
    assert stored.token_hash == login_sessions.token_hash(token) != token
    assert len(token) >= 40 and token not in repr(stored.model_dump())


def test_tokens_are_random(session: Session, user: str) -> None:
    assert len({opened(session) for _ in range(5)}) == 5


def test_a_made_up_token_opens_nothing(session: Session, user: str) -> None:
    opened(session)
    assert login_sessions.check_token(session=session, token="inventado", now=NOW).refused == ENDED


def test_idle_expiry_counts_from_the_last_use_of_any_tab(session: Session, user: str) -> None:
    token = opened(session)
    hashed = login_sessions.token_hash(token)
    later = NOW + timedelta(minutes=accounts.DEFAULT_SESSION_MINUTES - 1)
    assert login_sessions.check(session=session, hashed=hashed, now=later).account is not None
    login_sessions.touch(session=session, hashed=hashed, now=later)
    session.commit()
    assert login_sessions.check(session=session, hashed=hashed, now=later + timedelta(minutes=29)).account
    refused = login_sessions.check(session=session, hashed=hashed, now=later + timedelta(minutes=31)).refused
    assert refused == IDLE


def test_used_within_the_minute_needs_no_write(session: Session, user: str) -> None:
    token = opened(session)
    assert not login_sessions.check_token(session=session, token=token, now=NOW + timedelta(seconds=30)).touch_due


def test_an_active_login_ends_at_its_maximum_lifetime(session: Session, user: str) -> None:
    hashed = login_sessions.token_hash(opened(session))
    end = NOW + login_sessions.MAX_LIFETIME
    login_sessions.touch(session=session, hashed=hashed, now=end - timedelta(minutes=1))
    session.commit()
    assert login_sessions.check(session=session, hashed=hashed, now=end).refused == ENDED


def test_logout_ends_the_token_everywhere(session: Session, user: str) -> None:
    token, other = opened(session), opened(session)
    login_sessions.end_session(session=session, hashed=login_sessions.token_hash(token))
    session.commit()
    assert login_sessions.check_token(session=session, token=token, now=NOW).refused == ENDED
    assert login_sessions.check_token(session=session, token=other, now=NOW).account is not None  # another browser


@pytest.mark.parametrize("by_self", [True, False])
def test_a_new_password_ends_every_login_of_the_account(session: Session, user: str, by_self: bool) -> None:
    token, admins = opened(session), opened(session, "jefa")
    if by_self:
        new = "otra-clave-2026"
        assert accounts.change_own_password(session=session, username="ana", current=TEST_PASSWORD, new=new)
    else:
        accounts.set_password(session=session, username="ana", password="otra-clave-2026", by="jefa")
    session.commit()
    assert login_sessions.check_token(session=session, token=token, now=NOW).refused == ENDED
    assert login_sessions.check_token(session=session, token=admins, now=NOW).account is not None
    assert login_sessions.open_sessions(session=session, username="ana") == 0


def test_disabling_the_account_ends_its_logins(session: Session, user: str) -> None:
    token = opened(session)
    accounts.set_active(session=session, username="ana", active=False, by="jefa")
    session.commit()
    assert login_sessions.check_token(session=session, token=token, now=NOW).refused == ENDED
    assert login_sessions.open_sessions(session=session, username="ana") == 0


def test_a_disabled_account_is_refused_even_if_its_row_survived(session: Session, user: str) -> None:
    token = opened(session)
    session.exec(select(User).where(User.username == "ana")).one().active = False
    session.commit()
    assert login_sessions.check_token(session=session, token=token, now=NOW).refused == DISABLED


def test_opening_a_login_sweeps_the_expired_ones(session: Session, user: str) -> None:
    opened(session)
    login_sessions.open_session(session=session, username="ana", now=NOW + login_sessions.MAX_LIFETIME)
    session.commit()
    assert login_sessions.open_sessions(session=session, username="ana") == 1
