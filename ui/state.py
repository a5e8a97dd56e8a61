"""How pages reach the plan: ``read`` a view of ``core.views`` (kept per data version), ``write`` through a service.

``read(views.plan_view, on=on, plan_filter=chosen)`` opens a session, calls the view with the given arguments and
keeps the result until the next write bumps the data version (``versioned``). The assessed plan of a cut-off date is
computed once and shared by every view that takes it (``whole``), so a filter never reloads the plan.
``write(edit.archive_record, catalog=..., code=...)`` runs one service in one transaction, naming the user, and
turns a refusal or a busy database into a Spanish message on the page. Pages never open a transaction themselves.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from enum import Enum
from typing import Any, Final, Literal, TypeVar

import streamlit as st
from sqlmodel import Session
from streamlit.runtime.caching.cache_utils import CachedFunc

from core import db, views
from core.refusals import Refused
from ui.access import current_user_name
from ui.components import md
from ui.database import DatasetInfo, dataset_info, engine, engine_for

__all__ = ["NOT_WRITTEN", "DatasetInfo", "clear_computed", "dataset_info", "engine", "read", "versioned", "write"]

T = TypeVar("T")

# A resource, not data: one shared object per (data version, arguments), never pickled or copied — at city scale a
# copy per page run cost more time and memory than all the figures drawn from it. Read-only: derive, never assign
# into it (pandas' copy-on-write keeps every derived frame apart). A write bumps the version, so a stale entry is
# never read. The number is how many entries each keeps.
SHARED: dict[Callable[..., Any], int] = {views.assessed_plan: 4, views.plan_view: 16}
SPINNERS: dict[Callable[..., Any], str] = {
    views.assessed_plan: "Calculando indicadores…",
    views.view_table: "Preparando las tablas…",
    views.history: "Calculando la curva de avance…",
    views.motivation_view: "Calculando el índice de motivación…",
    views.articulation: "Calculando la articulación…",
    views.period_changes: "Comparando con la fecha de referencia…",
    views.pack_files: "Preparando el informe…",
}
DATA_ENTRIES = 64  # results kept per view (a copy per run: small tables and figures)

_kept: dict[Callable[..., Any], CachedFunc[..., Any]] = {}


def _shared_inputs(view: Callable[..., Any], url: str, version: int, arguments: dict[str, Any]) -> dict[str, Any]:
    """The costly inputs ``view`` takes and the caller did not give: the assessed plan of its cut-off date, the
    participation records; each read once per data version for every view."""
    wanted = inspect.signature(view).parameters
    inputs: dict[str, Any] = {}
    if "whole" in wanted and "whole" not in arguments:
        inputs["whole"] = versioned(views.assessed_plan)(url, version, on=arguments["on"])
    if "participation" in wanted and "participation" not in arguments:
        inputs["participation"] = versioned(views.participation)(url, version)
    return inputs


def versioned(view: Callable[..., T]) -> CachedFunc[..., T]:
    """``view`` kept per (database URL, data version, arguments): ``versioned(view)(url, version, **arguments)``.

    In Streamlit's data cache (a copy per run), or shared read-only (``SHARED``)."""
    if view in _kept:
        return _kept[view]

    def run(url: str, version: int, /, **arguments: Any) -> T:
        with Session(engine_for(url)) as session:
            return view(session=session, **arguments, **_shared_inputs(view, url, version, arguments))

    run.__qualname__ = f"read.{view.__module__}.{view.__qualname__}"  # Streamlit tells caches apart by this name
    spinner = SPINNERS.get(view, False)
    if view in SHARED:
        kept = st.cache_resource(max_entries=SHARED[view], show_spinner=spinner)(run)
    else:
        kept = st.cache_data(max_entries=DATA_ENTRIES, show_spinner=spinner)(run)
    _kept[view] = kept
    return kept


def read(view: Callable[..., T], /, **arguments: Any) -> T:
    """What ``view`` (a function of ``core.views``) returns for ``arguments``, as of the current data version;
    ``views.FRESH`` views (personal data, the audit trail) are read anew every time."""
    if view in views.FRESH:
        with Session(engine()) as session:
            return view(session=session, **arguments)
    engine()  # surfaces a clear error before any query
    return versioned(view)(db.database_url(), dataset_info().version, **arguments)


def clear_computed() -> None:
    """Forget every computed figure and table (not the engine): what a write does by bumping the data version.
    For benchmarks of a first visit after a change."""
    st.cache_data.clear()
    for view in SHARED:
        versioned(view).clear()


class _NotWritten(Enum):
    NOT_WRITTEN = "not written"


NOT_WRITTEN: Final = _NotWritten.NOT_WRITTEN  # what ``write`` returns when it wrote nothing (and said why)


def write(
    action: Callable[..., T],
    /,
    *,
    refused: Callable[[Refused], None] | None = None,
    failure: str = "No se guardó nada.",
    **arguments: Any,
) -> T | Literal[_NotWritten.NOT_WRITTEN]:
    """Run the service ``action(session=..., **arguments)`` in one transaction and return what it returns.

    The logged-in user is named to the service as its ``user`` (or ``by``) argument, for the audit trail. A
    refusal (``core.refusals.Refused``) or a busy database rolls everything back and is shown on the page —
    ``failure`` then the refusal's messages, or ``refused(exc)`` when the page places them itself — and the
    result is ``NOT_WRITTEN``.
    """
    wanted = inspect.signature(action).parameters
    writer = next((name for name in ("user", "by") if name in wanted and name not in arguments), None)
    if writer is not None:
        arguments[writer] = current_user_name()
    try:
        with db.transaction(engine()) as session:
            return action(session=session, **arguments)
    except Refused as exc:
        if refused is not None:
            refused(exc)
        else:
            st.error(md(" ".join((failure, *exc.messages))))
    except db.DatabaseBusy as exc:
        st.error(str(exc))
    return NOT_WRITTEN
