"""ui.state.write under AppTest: one transaction, the user named, a refusal or a busy database shown in Spanish."""

from collections.abc import Iterator

import pytest
import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import db
from core.access import accounts
from tests.conftest import log_in_as
from tests.test_db import another_writer_holding_the_lock


def writing_script(refuse: bool, text: str) -> None:
    """A page that writes one setting through ``write``, naming the user; ``refuse``: the service says no after
    writing (so a half-written change would show)."""
    import streamlit as st
    from sqlmodel import Session

    from core import db
    from core.refusals import Refused
    from ui.state import NOT_WRITTEN, write

    def record_note(*, session: Session, note: str, user: str) -> str:
        db.set_setting(session=session, key="test_note", value=f"{note} ({user})")
        if refuse:
            raise Refused(["La nota es muy corta.", "Falta la fecha."])
        return note

    result = write(record_note, note=text)
    st.write("sin escribir" if result is NOT_WRITTEN else f"escrito: {result}")


@pytest.fixture
def script_app(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[AppTest]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield AppTest.from_function(writing_script, kwargs={"refuse": False, "text": "hola"}, default_timeout=60)
    st.cache_data.clear()
    st.cache_resource.clear()


def note(url: str) -> str | None:
    with Session(db.make_engine(url)) as session:
        return db.get_setting(session=session, key="test_note")


def shown(at: AppTest) -> list[str]:
    return [element.value for element in at.markdown]


def test_write_names_the_logged_in_user_and_returns_what_the_service_returns(
    script_app: AppTest, database_url: str
) -> None:
    log_in_as(script_app, database_url, accounts.COORDINATOR, "ana")
    script_app.run()
    assert not script_app.exception and not script_app.error
    assert "escrito: hola" in shown(script_app)
    assert note(database_url) == "hola (ana)"


def test_a_refusal_is_a_spanish_message_and_nothing_is_written(script_app: AppTest, database_url: str) -> None:
    script_app.kwargs["refuse"] = True
    script_app.run()
    assert not script_app.exception
    # as markdown with every symbol escaped (a refusal may quote what the user typed)
    assert [e.value.replace("\\", "") for e in script_app.error] == [
        "No se guardó nada. La nota es muy corta. Falta la fecha."
    ]
    assert "sin escribir" in shown(script_app)
    assert note(database_url) is None


def test_a_busy_database_is_a_spanish_message_and_nothing_is_written(
    script_app: AppTest, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)  # before the app opens its engine; 30 s otherwise
    script_app.run()  # the app's engine is ready (and the demo loaded) before the lock is taken
    script_app.kwargs["text"] = "otra"
    with another_writer_holding_the_lock(database_url):
        script_app.run()
    assert not script_app.exception
    [message] = [e.value for e in script_app.error]
    assert message == str(db.DatabaseBusy()) and "intente de nuevo" in message
    assert "sin escribir" in shown(script_app)
    assert note(database_url) == "hola (público)"
    script_app.run()  # the other writer is done: the same write now goes through
    assert note(database_url) == "otra (público)"


def test_a_page_shows_a_busy_database_instead_of_raising(
    coordinator_app: AppTest, demo_database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db, "BUSY_TIMEOUT_MS", 300)
    coordinator_app.run()
    coordinator_app.switch_page("pages/motivacion.py").run()
    with another_writer_holding_the_lock(demo_database_url):
        coordinator_app.button(key="FormSubmitter:weights_form-Guardar los pesos").click().run()
    assert not coordinator_app.exception
    assert [e.value for e in coordinator_app.error] == [str(db.DatabaseBusy())]
