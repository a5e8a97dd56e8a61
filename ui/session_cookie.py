"""The login cookie: two HTTP routes of the server (app.py as an ``st.App``) set and clear it; the page asks.

A page run cannot send HTTP headers (it talks to the browser over a WebSocket), and a cookie written by JavaScript
cannot be HttpOnly. So after a login the page runs a one-line ``fetch`` that hands the token to ``POST /api/sesion``,
which answers with ``Set-Cookie: …; HttpOnly; SameSite=Strict`` (``Secure`` under HTTPS); "Salir" asks
``DELETE /api/sesion`` to clear it. The route sets only a token that opens a live login in the database, and
both routes want a header no other site can send without a CORS preflight (which they do not answer).
Reading the cookie back needs nothing of this: ``st.context.cookies`` has it from the WebSocket handshake.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import cache
from typing import Any

import streamlit as st
from sqlalchemy import Engine
from sqlmodel import Session
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core import db
from core.access import login_sessions

ROUTE = "/api/sesion"
GUARD_HEADER = "X-Tablero-Sesion"
MAX_TOKEN_LENGTH = 200


@cache
def _engine() -> Engine:  # the routes run outside any page run, so not ui.state's cached engine
    return db.make_engine()


def _base_path() -> str:
    base = str(st.get_option("server.baseUrlPath") or "").strip("/")
    return f"/{base}" if base else ""


def _cookie_path() -> str:
    return _base_path() or "/"


def _is_https(request: Request) -> bool:
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _same_site_request(request: Request) -> bool:
    if request.headers.get(GUARD_HEADER) != "1":
        return False
    origin = request.headers.get("origin")
    return origin is None or origin.split("://", 1)[-1] == request.headers.get("host")


def _opens_a_login(token: str) -> bool:
    with Session(_engine()) as session:
        return login_sessions.check_token(session=session, token=token).account is not None


async def set_cookie(request: Request) -> Response:
    token = (await request.body()).decode("ascii", errors="replace").strip()
    if not _same_site_request(request) or not 0 < len(token) <= MAX_TOKEN_LENGTH:
        return Response(status_code=403)
    if not await run_in_threadpool(_opens_a_login, token):
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.set_cookie(
        login_sessions.COOKIE_NAME,
        token,
        max_age=int(login_sessions.MAX_LIFETIME.total_seconds()),  # the database decides sooner (idle, Salir)
        path=_cookie_path(),
        secure=_is_https(request),
        httponly=True,
        samesite="strict",
    )
    return response


async def clear_cookie(request: Request) -> Response:
    if not _same_site_request(request):
        return Response(status_code=403)
    response = Response(status_code=204, headers={"Cache-Control": "no-store"})
    response.delete_cookie(
        login_sessions.COOKIE_NAME, path=_cookie_path(), secure=_is_https(request), httponly=True, samesite="strict"
    )
    return response


def routes() -> list[Route]:
    return [Route(ROUTE, set_cookie, methods=["POST"]), Route(ROUTE, clear_cookie, methods=["DELETE"])]


@asynccontextmanager
async def lifespan(_app: Any) -> AsyncIterator[None]:
    """Before the first visitor: turn off Streamlit's legacy ``pages/`` folder mode for this process.

    With a ``pages/`` folder next to the main script, Streamlit starts every process in its old multipage mode: the
    first visit runs the page script the URL names without app.py, under a menu of *every* file in ``pages/``,
    restricted ones included, until some visit runs app.py and its ``st.navigation`` switches that mode off for
    the process. ``st.navigation`` does it by clearing this class flag, which is read once per process; clearing it
    at start-up means no visit ever gets that menu (the layout ``pages/`` itself stays).
    """
    from streamlit.runtime.pages_manager import PagesManager

    PagesManager.uses_pages_directory = False
    yield


def _js(value: str) -> str:
    """A JavaScript string literal that cannot close the <script> element it sits in."""
    return json.dumps(value).replace("<", "\\u003c")


def request_script(method: str, token: str | None = None) -> str:
    """The script a page runs to set (POST, with the token) or clear (DELETE) the cookie."""
    body = f", body: {_js(token)}" if token is not None else ""
    return (
        f"<script>fetch({_js(_base_path() + ROUTE)}, {{method: {_js(method)}, credentials: 'same-origin', "
        f"headers: {{{_js(GUARD_HEADER)}: '1'}}{body}}});</script>"
    )
