"""The routes that set and clear the login cookie, and the script a page runs to call them."""

import asyncio
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from starlette.requests import Request
from starlette.responses import Response

from core import db
from core.access import accounts, login_sessions
from tests.conftest import TEST_PASSWORD
from ui import session_cookie

HEADERS = {session_cookie.GUARD_HEADER: "1", "host": "tablero.local"}


@pytest.fixture
def token(engine: Engine, database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv("DATABASE_URL", database_url)
    session_cookie._engine.cache_clear()
    with db.transaction(engine) as session:
        accounts.create_user(session=session, username="ana", password=TEST_PASSWORD, role=accounts.COORDINATOR, by="t")
        token = login_sessions.open_session(session=session, username="ana")
    yield token
    session_cookie._engine().dispose()
    session_cookie._engine.cache_clear()


def call(method: str, body: str = "", headers: dict[str, str] | None = None, scheme: str = "http") -> Response:
    scope = {
        "type": "http",
        "method": method,
        "scheme": scheme,
        "path": session_cookie.ROUTE,
        "query_string": b"",
        "root_path": "",
        "server": ("tablero.local", 443 if scheme == "https" else 80),
        "headers": [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()],
    }

    async def receive() -> dict[str, object]:
        return {"type": "http.request", "body": body.encode(), "more_body": False}

    handler = session_cookie.set_cookie if method == "POST" else session_cookie.clear_cookie
    return asyncio.run(handler(Request(scope, receive)))


def test_a_live_token_gets_an_httponly_strict_cookie(token: str) -> None:
    response = call("POST", token, HEADERS)
    assert response.status_code == 204
    cookie = response.headers["set-cookie"]
    assert cookie.startswith(f"{login_sessions.COOKIE_NAME}={token};")
    assert {"HttpOnly", "SameSite=strict", "Path=/"} <= {part.strip() for part in cookie.split(";")}
    assert "Secure" not in cookie


def test_the_cookie_is_secure_under_https(token: str) -> None:
    assert "Secure" in call("POST", token, HEADERS, scheme="https").headers["set-cookie"]
    behind_proxy = call("POST", token, {**HEADERS, "x-forwarded-proto": "https"})
    assert "Secure" in behind_proxy.headers["set-cookie"]


@pytest.mark.parametrize(
    "body, headers",
    [
        ("inventado", HEADERS),  # opens no login
        (None, {"host": "tablero.local"}),  # no guard header: a form of another site
        (None, {**HEADERS, "origin": "https://otro.sitio"}),  # a script of another site
    ],
)
def test_anything_else_gets_no_cookie(token: str, body: str | None, headers: dict[str, str]) -> None:
    response = call("POST", token if body is None else body, headers)
    assert (response.status_code, "set-cookie" in response.headers) == (403, False)


def test_an_ended_login_gets_no_cookie(token: str, engine: Engine) -> None:
    with db.transaction(engine) as session:
        login_sessions.end_session(session=session, hashed=login_sessions.token_hash(token))
    assert call("POST", token, HEADERS).status_code == 403


def test_logout_clears_the_cookie() -> None:
    response = call("DELETE", headers=HEADERS)
    assert response.status_code == 204
    assert 'tablero_sesion=""' in response.headers["set-cookie"] and "Max-Age=0" in response.headers["set-cookie"]
    assert call("DELETE", headers={"host": "tablero.local"}).status_code == 403


def test_the_page_script_carries_the_token_as_a_json_string() -> None:
    script = session_cookie.request_script("POST", 'a"b</script>')
    assert script.startswith('<script>fetch("/api/sesion"') and script.endswith("</script>")
    assert '"a\\"b\\u003c/script>"' in script and script.count("</script>") == 1
    assert "body" not in session_cookie.request_script("DELETE")
