"""The gate under AppTest: login, throttling, expiry, logout, menus per role, page checks, personal data, undo."""

from datetime import timedelta

import pytest
from sqlalchemy import update
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import db
from core.access import accounts, login_sessions
from core.access.accounts import ADMIN, COORDINATOR
from core.demo.plan import DEMO_TODAY
from core.models import LoginSession, utcnow
from core.uploads.batches import UndoRefused
from core.uploads.history import undo_batch
from core.uploads.progress import apply_progress, validate_progress
from tests.conftest import TEST_PASSWORD, create_account, log_in_as
from tests.sheets import HEADER, xlsx
from ui.access import NOTICE_KEY, PRIVATE_LABEL, STATE_KEY

RESTRICTED = ["pages/cargar_avances.py", "pages/registrar_participacion.py", "pages/libro_plan.py",
              "pages/historial_cargas.py", "pages/usuarios.py", "pages/auditoria.py", "pages/copias.py",
              "pages/mi_cuenta.py"]  # fmt: skip
ADMIN_ONLY = ["pages/usuarios.py", "pages/auditoria.py", "pages/copias.py"]


def login_page(at: AppTest) -> AppTest:
    at.run()
    return at.switch_page("pages/ingresar.py").run()


def submit_login(at: AppTest, username: str, password: str) -> AppTest:
    at.text_input(key="login_user").input(username)
    at.text_input(key="login_password").input(password)
    at.button[0].click()  # the form's submit button
    return at.run()


@pytest.mark.parametrize("page", RESTRICTED)
def test_public_cannot_switch_to_a_restricted_page(demo_app: AppTest, page: str) -> None:
    demo_app.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        demo_app.switch_page(page)


@pytest.mark.parametrize("page", ADMIN_ONLY)
def test_coordinator_cannot_switch_to_an_admin_page(coordinator_app: AppTest, page: str) -> None:
    coordinator_app.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        coordinator_app.switch_page(page)


def test_a_page_left_open_after_logout_refuses_itself(coordinator_app: AppTest) -> None:
    coordinator_app.run()
    coordinator_app.switch_page("pages/cargar_avances.py").run()
    assert coordinator_app.file_uploader
    coordinator_app.button(key="logout").click().run()
    assert not coordinator_app.exception
    assert STATE_KEY not in coordinator_app.session_state
    assert not coordinator_app.file_uploader  # the upload form is gone: the menu or the page itself refused


@pytest.mark.parametrize("page", RESTRICTED)
def test_each_restricted_page_refuses_the_public_on_its_own(
    demo_database_url: str, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    """The page run by itself, without app.py's menu (as Streamlit does for a pages/ folder): it still refuses."""
    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    at = AppTest.from_file(str(db.PROJECT_ROOT / page), default_timeout=60).run()
    assert not at.exception
    assert len(at.error) == 1
    assert at.error[0].value.startswith("Esta página es solo para")
    assert (list(at.title), list(at.file_uploader), list(at.button)) == ([], [], [])


@pytest.mark.parametrize("page", ADMIN_ONLY)
def test_admin_pages_refuse_a_coordinator_on_their_own(
    demo_database_url: str, monkeypatch: pytest.MonkeyPatch, page: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", demo_database_url)
    at = log_in_as(AppTest.from_file(str(db.PROJECT_ROOT / page), default_timeout=60), demo_database_url, COORDINATOR)
    at.run()
    assert (
        at.error[0].value
    ) == "Esta página es solo para la administración del tablero (rol admin). Su cuenta no tiene ese rol."


def test_wrong_password_is_refused_and_right_one_opens_the_coordination_menu(
    demo_app: AppTest, demo_database_url: str
) -> None:
    create_account(demo_database_url, COORDINATOR, "coordinadora")
    login_page(demo_app)
    submit_login(demo_app, "coordinadora", "no-es-la-clave")
    assert [e.value for e in demo_app.error] == ["Usuario o clave incorrectos."]
    assert STATE_KEY not in demo_app.session_state
    submit_login(demo_app, "coordinadora", TEST_PASSWORD)
    assert not demo_app.exception
    assert demo_app.session_state[STATE_KEY]["user"] == "coordinadora"
    demo_app.switch_page("pages/cargar_avances.py").run()  # now in the menu
    assert demo_app.title[0].value == "Cargar avances"


def test_repeated_failures_are_throttled(demo_app: AppTest, demo_database_url: str) -> None:
    create_account(demo_database_url, COORDINATOR, "coordinadora")
    login_page(demo_app)
    for _ in range(accounts.MAX_FAILURES):
        submit_login(demo_app, "coordinadora", "no-es-la-clave")
    submit_login(demo_app, "coordinadora", TEST_PASSWORD)
    assert "Demasiados intentos fallidos" in demo_app.error[0].value
    assert STATE_KEY not in demo_app.session_state


def age_logins(database_url: str, minutes: int) -> None:
    """Every open login was last used ``minutes`` ago (as if every tab had been left alone that long)."""
    with db.transaction(db.make_engine(database_url)) as session:
        session.connection().execute(update(LoginSession).values(last_seen_at=utcnow() - timedelta(minutes=minutes)))


def test_idle_session_expires(coordinator_app: AppTest, demo_database_url: str) -> None:
    coordinator_app.run()
    coordinator_app.switch_page("pages/mi_cuenta.py").run()
    age_logins(demo_database_url, 31)
    coordinator_app.run()
    assert STATE_KEY not in coordinator_app.session_state
    assert "Mi cuenta" not in [t.value for t in coordinator_app.title]  # the menu or the page itself refused
    notices = [i.value for i in coordinator_app.info] + [coordinator_app.session_state[k] for k in [NOTICE_KEY]
                                                         if k in coordinator_app.session_state]  # fmt: skip
    assert any("30 minutos sin actividad" in notice for notice in notices)


def test_activity_within_the_idle_time_keeps_the_session(coordinator_app: AppTest, demo_database_url: str) -> None:
    coordinator_app.run()
    age_logins(demo_database_url, 29)
    coordinator_app.run()  # a use: the idle time starts again
    coordinator_app.switch_page("pages/mi_cuenta.py").run()
    assert coordinator_app.title[0].value == "Mi cuenta"


def test_logout_ends_the_login_in_the_database(coordinator_app: AppTest, demo_database_url: str) -> None:
    coordinator_app.run()
    token = coordinator_app.session_state[STATE_KEY]["token"]
    coordinator_app.button(key="logout").click().run()
    with Session(db.make_engine(demo_database_url)) as session:
        assert login_sessions.check(session=session, hashed=token).refused == login_sessions.ENDED


def test_a_login_ended_elsewhere_ends_here_on_the_next_run(coordinator_app: AppTest, demo_database_url: str) -> None:
    coordinator_app.run()
    with db.transaction(db.make_engine(demo_database_url)) as session:
        login_sessions.end_session(session=session, hashed=coordinator_app.session_state[STATE_KEY]["token"])
    coordinator_app.switch_page("pages/cargar_avances.py").run()
    assert STATE_KEY not in coordinator_app.session_state
    assert not coordinator_app.file_uploader


def test_changing_ones_own_password_keeps_this_tab_logged_in(coordinator_app: AppTest) -> None:
    coordinator_app.run()
    coordinator_app.switch_page("pages/mi_cuenta.py").run()
    before = coordinator_app.session_state[STATE_KEY]["token"]
    coordinator_app.text_input(key="own_current").input(TEST_PASSWORD)
    coordinator_app.text_input(key="own_new").input("otra-clave-de-2026")
    coordinator_app.text_input(key="own_repeat").input("otra-clave-de-2026")
    next(b for b in coordinator_app.button if b.label == "Cambiar la clave").click().run()
    assert [s.value for s in coordinator_app.success] == ["Clave cambiada."]
    assert coordinator_app.session_state[STATE_KEY]["token"] != before
    coordinator_app.run()
    assert coordinator_app.title[0].value == "Mi cuenta"


def test_disabled_account_loses_its_session(coordinator_app: AppTest, demo_database_url: str) -> None:
    coordinator_app.run()
    coordinator_app.switch_page("pages/cargar_avances.py").run()
    create_account(demo_database_url, ADMIN, "jefa")
    with db.transaction(db.make_engine(demo_database_url)) as session:
        accounts.set_active(session=session, username="prueba-coordinador", active=False, by="jefa")
    coordinator_app.run()
    assert STATE_KEY not in coordinator_app.session_state
    assert not coordinator_app.file_uploader


def test_contact_data_only_for_the_coordination(demo_app: AppTest, demo_database_url: str) -> None:
    demo_app.run()
    demo_app.switch_page("pages/actores.py").run()
    demo_app.selectbox(key="actor").set_value("A-001").run()
    assert PRIVATE_LABEL not in [e.label for e in demo_app.expander]
    log_in_as(demo_app, demo_database_url, COORDINATOR).run()
    assert PRIVATE_LABEL in [e.label for e in demo_app.expander]


def test_weights_form_only_for_the_coordination(demo_app: AppTest, demo_database_url: str) -> None:
    demo_app.run()
    demo_app.switch_page("pages/motivacion.py").run()
    assert not [n for n in demo_app.number_input if n.key == "w_part"]
    log_in_as(demo_app, demo_database_url, COORDINATOR).run()
    assert demo_app.number_input(key="w_part").value == 0.4


def apply_batch(database_url: str, user: str, progress: int = 100) -> int:
    data = xlsx([HEADER, ["C-0001", "14/11/2026", progress]])
    with db.transaction(db.make_engine(database_url)) as session:
        preview = validate_progress(session=session, data=data, file_name="a.xlsx", today=DEMO_TODAY)
        return apply_progress(session=session, preview=preview, user=user).batch_id


def test_coordinators_undo_only_their_own_batches(demo_database_url: str) -> None:
    batch = apply_batch(demo_database_url, "otra")
    engine = db.make_engine(demo_database_url)
    refused = pytest.raises(UndoRefused, match="solo esa persona o la administración")
    with refused, db.transaction(engine) as session:
        undo_batch(session=session, batch_id=batch, user="yo", role=COORDINATOR)
    with db.transaction(engine) as session:
        result = undo_batch(session=session, batch_id=batch, user="jefa", role=ADMIN)
    assert batch == result.batch_id


def test_history_page_offers_undo_of_own_batches_only(coordinator_app: AppTest, demo_database_url: str) -> None:
    apply_batch(demo_database_url, "otra")
    coordinator_app.run()
    coordinator_app.switch_page("pages/historial_cargas.py").run()
    assert not [s for s in coordinator_app.selectbox if s.key == "undo_batch"]
    mine = apply_batch(demo_database_url, "prueba-coordinador", 90)
    coordinator_app.run()
    assert len(coordinator_app.selectbox(key="undo_batch").options) == 1
    assert coordinator_app.selectbox(key="undo_batch").options[0].startswith(f"N.º {mine} ·")


def test_admin_creates_a_user_and_sees_it_in_the_audit(admin_app: AppTest, demo_database_url: str) -> None:
    admin_app.run()
    admin_app.switch_page("pages/usuarios.py").run()
    admin_app.text_input(key="new_user_name").input("Nuevo.Coordinador")
    admin_app.text_input(key="new_user_password").input("una-clave-larga")
    admin_app.button[0].click()
    admin_app.run()
    assert not admin_app.exception
    assert [s.value for s in admin_app.success] == ["Usuario «nuevo.coordinador» creado."]
    with Session(db.make_engine(demo_database_url)) as session:
        assert accounts.verify_login(session=session, username="nuevo.coordinador", password="una-clave-larga")
    users = admin_app.dataframe[0].value
    assert "coordinación" in users.iloc[:, 1].tolist()  # the role in words, not "coordinador"
    admin_app.switch_page("pages/auditoria.py").run()
    admin_app.selectbox(key="audit_action").set_value("crear usuario").run()
    shown = admin_app.dataframe[0].value
    assert [shown.iloc[0, 2], shown.iloc[0, 5]] == ["prueba-admin", "nuevo.coordinador"]
    assert '"role": "coordinador"' in shown.iloc[0, 7]


def test_audit_export_holds_before_and_after(admin_app: AppTest) -> None:
    admin_app.run()
    admin_app.switch_page("pages/auditoria.py").run()
    button = admin_app.get("download_button")[0]
    assert button.proto.label == "Descargar .xlsx"


def test_backup_page_offers_a_download_or_the_pg_dump_commands(admin_app: AppTest, demo_database_url: str) -> None:
    admin_app.run()
    admin_app.switch_page("pages/copias.py").run()
    assert not admin_app.exception
    if demo_database_url.startswith("sqlite"):
        assert admin_app.get("download_button")[0].proto.label == "Descargar una copia de seguridad (.db)"
    else:
        assert "pg_dump --format=custom" in admin_app.code[0].value


SSO_SECRETS = {
    "auth": {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "prueba", "client_id": "x",
             "client_secret": "y", "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"},
    "roles": {"ana@medellin.gov.co": "coordinador"},
}  # fmt: skip


@pytest.mark.parametrize("email, can_upload", [("ana@medellin.gov.co", True), ("otra@correo.co", False)])
def test_single_sign_on_maps_the_email_to_a_role(demo_app: AppTest, email: str, can_upload: bool) -> None:
    demo_app.secrets = SSO_SECRETS
    demo_app.user = {"email": email, "is_logged_in": True}
    demo_app.run()
    assert not demo_app.exception
    if can_upload:
        demo_app.switch_page("pages/cargar_avances.py").run()
        assert demo_app.title[0].value == "Cargar avances"
    else:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            demo_app.switch_page("pages/cargar_avances.py")


def test_login_page_offers_single_sign_on_only_when_configured(demo_app: AppTest) -> None:
    login_page(demo_app)
    assert [b for b in demo_app.button if b.key == "sso_login"] == []
    demo_app.secrets = SSO_SECRETS
    demo_app.run()
    assert demo_app.button(key="sso_login").label == "Ingresar con la cuenta institucional"


def test_salir_with_the_database_busy_keeps_the_session_and_says_so(
    coordinator_app: AppTest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Looking logged out while the cookie still opens would be worse than a retry."""
    from ui import access

    coordinator_app.run()

    def busy(*_args: object, **_kwargs: object) -> None:
        raise db.DatabaseBusy()

    monkeypatch.setattr(access.login_sessions, "end_session", busy)
    coordinator_app.button(key="logout").click().run()
    assert STATE_KEY in coordinator_app.session_state
    assert "intente de nuevo" in coordinator_app.sidebar.error[0].value
