"""Local accounts: argon2 hashes, login, throttling kept in the database, account changes audited."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session, SQLModel

from core import audit, db
from core.access import accounts
from core.access.accounts import ADMIN, COORDINATOR, PUBLIC
from core.models import AuditEntry, LoginFailure, User, utcnow

PASSWORD = "clave-larga-segura"


def make_user(engine: Engine, name: str = "ana", role: str = COORDINATOR) -> None:
    with db.transaction(engine) as session:
        accounts.create_user(session=session, username=name, password=PASSWORD, role=role, by="prueba")


def login(engine: Engine, name: str, password: str, **kwargs: object) -> accounts.Account | None:
    with db.transaction(engine) as session:
        return accounts.verify_login(session=session, username=name, password=password, **kwargs)  # type: ignore[arg-type]


def test_password_is_stored_as_an_argon2_hash(engine: Engine, session: Session) -> None:
    make_user(engine)
    stored = session.exec(select(User.password_hash)).scalar_one()  # type: ignore[call-overload]
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored


def test_right_password_logs_in_and_names_are_case_insensitive(engine: Engine) -> None:
    make_user(engine, "Ana")
    account = login(engine, " ANA ", PASSWORD)
    assert account is not None
    assert (account.username, account.role) == ("ana", COORDINATOR)


@pytest.mark.parametrize("name, password", [("ana", "otra-clave-cualquiera"), ("nadie", PASSWORD)])
def test_wrong_password_and_unknown_user_are_refused_alike(engine: Engine, name: str, password: str) -> None:
    make_user(engine)
    assert login(engine, name, password) is None
    with Session(engine) as session:
        assert [name] == list(session.exec(select(LoginFailure.username)).scalars())  # type: ignore[call-overload]


def test_disabled_account_cannot_log_in(engine: Engine) -> None:
    make_user(engine)
    make_user(engine, "jefa", ADMIN)
    with db.transaction(engine) as session:
        accounts.set_active(session=session, username="ana", active=False, by="jefa")
    assert login(engine, "ana", PASSWORD) is None


def test_fifth_failure_throttles_even_the_right_password(engine: Engine) -> None:
    make_user(engine)
    for _ in range(accounts.MAX_FAILURES):
        assert login(engine, "ana", "no-es-la-clave") is None
    with pytest.raises(accounts.LoginThrottled) as refused:
        login(engine, "ana", PASSWORD)
    assert refused.value.minutes == 15
    assert "Espere 15 minutos" in str(refused.value)


def test_throttle_is_per_name_and_ends_after_the_window(engine: Engine) -> None:
    make_user(engine)
    make_user(engine, "beto")
    for _ in range(accounts.MAX_FAILURES):
        login(engine, "ana", "no-es-la-clave")
    assert login(engine, "beto", PASSWORD) is not None
    later = utcnow() + accounts.THROTTLE_WINDOW + timedelta(seconds=1)
    assert login(engine, "ana", PASSWORD, now=later) is not None


def test_throttle_is_shared_by_separate_engines(database_url: str, engine: Engine) -> None:
    """Another process (another engine, another browser session) sees the same failures."""
    make_user(engine)
    other = db.make_engine(database_url)
    for _ in range(accounts.MAX_FAILURES):
        login(other, "ana", "no-es-la-clave")
    other.dispose()
    with pytest.raises(accounts.LoginThrottled):
        login(engine, "ana", PASSWORD)


def test_success_clears_earlier_failures(engine: Engine, session: Session) -> None:
    make_user(engine)
    login(engine, "ana", "no-es-la-clave")
    login(engine, "ana", PASSWORD)
    assert session.scalar(select(func.count()).select_from(LoginFailure)) == 0


@pytest.mark.parametrize(
    "name, password, role, message",
    [
        ("ab", PASSWORD, COORDINATOR, "de 3 a 80 caracteres"),
        ("ana maría", PASSWORD, COORDINATOR, "de 3 a 80 caracteres"),
        ("ana", "corta", COORDINATOR, "al menos 10 caracteres"),
        ("ana-la-jefa", "ana-la-jefa", COORDINATOR, "igual al nombre"),
        ("ana", PASSWORD, PUBLIC, "no es un rol de cuenta"),
        ("ana", PASSWORD, "superusuario", "no es un rol de cuenta"),
    ],
)
def test_bad_accounts_are_refused_in_spanish(engine: Engine, name: str, password: str, role: str, message: str) -> None:
    with pytest.raises(accounts.AccountRefused, match=message), db.transaction(engine) as session:
        accounts.create_user(session=session, username=name, password=password, role=role, by="prueba")
    with Session(engine) as session:
        assert accounts.list_users(session=session) == []


def test_duplicate_username_is_refused(engine: Engine) -> None:
    make_user(engine)
    with pytest.raises(accounts.AccountRefused, match="Ya existe"):
        make_user(engine, "ANA")


def test_account_changes_are_audited_without_the_password(engine: Engine, session: Session) -> None:
    make_user(engine, "jefa", ADMIN)
    make_user(engine)
    with db.transaction(engine) as s:
        accounts.set_password(session=s, username="ana", password="otra-clave-larga", by="jefa")
        accounts.set_role(session=s, username="ana", role=ADMIN, by="jefa")
    entries = session.exec(select(AuditEntry.action, AuditEntry.user_name, AuditEntry.before, AuditEntry.after)).all()  # type: ignore[call-overload]
    assert [e[0] for e in entries] == ["crear usuario", "crear usuario", "cambiar clave", "cambiar rol"]
    assert entries[-1][1] == "jefa"
    assert entries[-1][2] == '{"role": "coordinador"}'
    assert all("clave-larga" not in (e[3] or "") and "argon2" not in (e[3] or "") for e in entries)
    assert login(engine, "ana", "otra-clave-larga") is not None


def test_the_only_admin_cannot_be_disabled_or_demoted(engine: Engine) -> None:
    make_user(engine, "jefa", ADMIN)
    with pytest.raises(accounts.AccountRefused, match="única cuenta"), db.transaction(engine) as session:
        accounts.set_active(session=session, username="jefa", active=False, by="jefa")
    with pytest.raises(accounts.AccountRefused, match="única cuenta"), db.transaction(engine) as session:
        accounts.set_role(session=session, username="jefa", role=COORDINATOR, by="jefa")


def test_change_own_password_needs_the_current_one(engine: Engine) -> None:
    make_user(engine)
    with db.transaction(engine) as session:
        assert not accounts.change_own_password(session=session, username="ana", current="mala-clave-xx", new="n" * 12)
    with db.transaction(engine) as session:
        assert accounts.change_own_password(session=session, username="ana", current=PASSWORD, new="nueva-clave-12")
    assert login(engine, "ana", "nueva-clave-12") is not None


@pytest.mark.parametrize(
    "role, needed, expected",
    [(ADMIN, COORDINATOR, True), (COORDINATOR, ADMIN, False), (PUBLIC, COORDINATOR, False), ("x", PUBLIC, True)],
)
def test_roles_rank_publico_coordinador_admin(role: str, needed: str, expected: bool) -> None:
    assert expected == accounts.has_role(role, needed)


ROLES_TABLE = {"Ana@Medellin.gov.co": "admin", "*@corpojoven.org": "coordinador", "raro@x.co": "rey"}


@pytest.mark.parametrize(
    "email, expected",
    [
        ("ana@medellin.gov.co", ADMIN),
        ("quien@corpojoven.org", COORDINATOR),
        ("otra@medellin.gov.co", PUBLIC),
        ("raro@x.co", PUBLIC),
        (None, PUBLIC),
        ("sin-arroba", PUBLIC),
    ],
)
def test_sso_email_maps_to_a_role(email: str | None, expected: str) -> None:
    assert expected == accounts.role_for_email(email, ROLES_TABLE)


def test_sso_email_of_a_local_account_takes_its_role(engine: Engine) -> None:
    with db.transaction(engine) as session:
        accounts.create_user(
            session=session, username="ana", password=PASSWORD, role=ADMIN, by="prueba", email="Ana@Comuna12.co"
        )
    with Session(engine) as session:
        assert accounts.role_for_email("ana@comuna12.co", {}, session=session) == ADMIN


@pytest.mark.parametrize("value, expected", [(None, 30), ("45", 45), ("0", 30), ("media hora", 30)])
def test_session_minutes_setting(engine: Engine, value: str | None, expected: int) -> None:
    with db.transaction(engine) as session:
        if value is not None:
            db.set_setting(session=session, key=accounts.SESSION_MINUTES_KEY, value=value)
    with Session(engine) as session:
        assert expected == accounts.session_minutes(session=session)


def test_the_audit_trail_is_filtered_by_colombian_days(engine: Engine) -> None:
    with db.transaction(engine) as session:
        for hour in (4, 5):  # 23:00 on the 15th and 00:00 on the 16th in Colombia (UTC−5)
            entry = audit.record(session=session, user="ana", action="prueba", table_name="progress_report")
            entry.at = datetime(2026, 11, 16, hour, tzinfo=UTC)
            session.add(entry)
    with Session(engine) as session:
        on_15 = audit.audit_entries(session=session, since=date(2026, 11, 15), until=date(2026, 11, 15))
        on_16 = audit.audit_entries(session=session, since=date(2026, 11, 16), until=date(2026, 11, 16))
    assert [at.hour for at in on_15["at"]] == [4]
    assert [at.hour for at in on_16["at"]] == [5]
    assert audit.table_label("progress_report") == "reportes de avance"


def test_every_table_has_a_spanish_name_in_the_audit() -> None:
    assert set(SQLModel.metadata.tables) <= set(audit.TABLE_LABELS)
