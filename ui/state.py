"""The app's connection to the plan: one cached engine per database URL, results cached per data version."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from core import audit, db
from core.access import accounts
from core.charts.network import network_figure
from core.communication import assembly, packs, slides
from core.demo.plan import demo_as_of, ensure_database
from core.metrics import breakdowns, detail, rule, snapshots
from core.metrics.filters import NO_FILTER, PlanFilter, filter_plan
from core.metrics.history import month_ends, progress_history
from core.participation import attendance, coordination, motivation
from core.plan import choices
from core.uploads import history as upload_history


@st.cache_resource(show_spinner="Preparando la base de datos del plan…")
def _engine_for(url: str) -> Engine:
    engine = db.make_engine(url)
    ensure_database(engine)  # schema upgrades always; demo data only when the plan is empty
    return engine


def engine() -> Engine:
    """The plan database, upgraded and ready; stops the page with a Spanish message if it cannot be used."""
    try:
        return _engine_for(db.database_url())
    except db.DatabaseUnavailable as exc:
        st.error(f"No se puede abrir la base de datos del plan. {exc}")
    except SQLAlchemyError as exc:  # e.g. a schema upgrade that failed: it was rolled back, nothing changed
        st.error(
            "No se pudo preparar la base de datos del plan; no se cambió nada. "
            "Avise a la persona que administra el tablero y muéstrele el detalle técnico."
        )
        with st.expander("Detalle técnico"):
            st.code(f"{type(exc).__name__}: {exc}", language=None)
    st.stop()
    raise AssertionError("st.stop() does not return")


@dataclass(frozen=True)
class DatasetInfo:
    version: int
    is_demo: bool
    demo_as_of: date | None  # the demo's own "today", the sensible default cut-off while it is loaded


def dataset_info() -> DatasetInfo:
    """Read on every run (tiny queries), so a write anywhere invalidates every page's cache at once."""
    with Session(engine()) as session:
        return DatasetInfo(db.data_version(session=session), db.is_demo(session=session), demo_as_of(session=session))


@dataclass(frozen=True)
class PlanView:
    """Everything the dashboards read for one cut-off date and one filter.

    ``assessed`` holds the commitments the filter kept, assessed over the whole plan (their plan weights are the
    whole plan's); every figure below is ``rule.figures_by`` over those rows (DESIGN.md §4).
    """

    snapshot: snapshots.Snapshot  # restricted to the kept commitments
    thresholds: snapshots.Thresholds
    assessed: pd.DataFrame
    plan: pd.Series
    lines: pd.DataFrame


@dataclass(frozen=True)
class AssessedPlan:
    snapshot: snapshots.Snapshot
    thresholds: snapshots.Thresholds
    assessed: pd.DataFrame


# A resource, not data: one shared object per (data version, cut-off), never pickled or copied — at city scale a copy
# per page run cost more time and memory than all the figures drawn from it. Read-only: derive, never assign into it
# (pandas' copy-on-write keeps every derived frame apart). A write bumps the version, so a stale entry is never read.
@st.cache_resource(show_spinner="Calculando indicadores…", max_entries=4)
def _assessed_plan(url: str, version: int, on: date) -> AssessedPlan:
    """The per-commitment values, once per (data version, cut-off date): every filter selects from them."""
    with Session(_engine_for(url)) as session:
        snapshot = snapshots.load_snapshot(session=session, on=on)
        thresholds = snapshots.load_thresholds(session=session)
    return AssessedPlan(snapshot, thresholds, rule.assess_commitments(snapshot, thresholds))


def clear_computed() -> None:
    """Forget every computed figure and table (not the engine): what a write does by bumping the data version.
    For benchmarks of a first visit after a change."""
    st.cache_data.clear()
    _assessed_plan.clear()


def _selected(url: str, version: int, on: date, plan_filter: PlanFilter) -> AssessedPlan:
    """The commitments ``plan_filter`` keeps, with their whole-plan values: a selection, milliseconds."""
    whole = _assessed_plan(url, version, on)
    snapshot, assessed = filter_plan(whole.snapshot, whole.assessed, plan_filter)
    return AssessedPlan(snapshot, whole.thresholds, assessed)


@st.cache_data(max_entries=64)
def _figures(url: str, version: int, on: date, plan_filter: PlanFilter) -> tuple[pd.Series, pd.DataFrame]:
    """The selection's headline row and its lines (``breakdowns.plan_totals``, ``breakdowns.by_line``)."""
    kept = _selected(url, version, on, plan_filter)
    return breakdowns.plan_totals(kept.assessed, kept.thresholds), breakdowns.by_line(
        kept.assessed, kept.snapshot, kept.thresholds
    )


def _plan_view(url: str, version: int, on: date, plan_filter: PlanFilter) -> PlanView:
    kept = _selected(url, version, on, plan_filter)
    plan, lines = _figures(url, version, on, plan_filter)
    return PlanView(snapshot=kept.snapshot, thresholds=kept.thresholds, assessed=kept.assessed, plan=plan, lines=lines)


def plan_snapshot(on: date) -> snapshots.Snapshot:
    """The whole plan as of ``on`` (what the filters' option lists and the templates choose from)."""
    engine()
    return _assessed_plan(db.database_url(), dataset_info().version, on).snapshot


def plan_view(on: date, plan_filter: PlanFilter = NO_FILTER) -> PlanView:
    engine()  # surfaces a clear error before any query
    return _plan_view(db.database_url(), dataset_info().version, on, plan_filter)


# The drill-down tables of a view, each computed once per (data version, cut-off, filter) and only by the pages
# that show it: a widget interaction must not rebuild a 24.000-row table.
VIEW_TABLES: dict[str, Callable[[PlanView], pd.DataFrame]] = {
    "actors": lambda view: breakdowns.by_actor(view.assessed, view.snapshot, view.thresholds),
    "barrios": lambda view: breakdowns.by_barrio(view.assessed, view.snapshot, view.thresholds),
    "commitments": lambda view: detail.commitment_table(view.assessed, view.snapshot),
    "projects": lambda view: detail.project_table(view.assessed, view.snapshot, view.thresholds),
    "programs": lambda view: breakdowns.by_program(view.assessed, view.thresholds),
    "barrio_line": lambda view: detail.barrio_line_matrix(view.assessed, view.snapshot, view.thresholds),
    "line_participation": lambda view: detail.line_participation(view.assessed, view.snapshot),
}


@st.cache_data(max_entries=64)
def _latest_reports(url: str, version: int, on: date, plan_filter: PlanFilter) -> pd.DataFrame:
    with Session(_engine_for(url)) as session:
        latest = detail.latest_reports(session=session, on=on, limit=None if not plan_filter.is_empty else 10)
    if not plan_filter.is_empty:
        kept = _plan_view(url, version, on, plan_filter).snapshot.commitments.code
        latest = latest.loc[latest.commitment_code.isin(kept)].head(10)
    return latest.reset_index(drop=True)


def latest_reports(on: date, plan_filter: PlanFilter = NO_FILTER) -> pd.DataFrame:
    """The ten most recent reports (of any kind) of the commitments ``plan_filter`` keeps, newest first."""
    engine()
    return _latest_reports(db.database_url(), dataset_info().version, on, plan_filter)


@st.cache_data(show_spinner="Preparando las tablas…", max_entries=64)
def _view_table(url: str, version: int, on: date, plan_filter: PlanFilter, name: str) -> pd.DataFrame:
    return VIEW_TABLES[name](_plan_view(url, version, on, plan_filter))


def view_table(name: str, on: date, plan_filter: PlanFilter = NO_FILTER) -> pd.DataFrame:
    """One of ``VIEW_TABLES`` for the view of ``on`` and ``plan_filter``."""
    engine()
    return _view_table(db.database_url(), dataset_info().version, on, plan_filter, name)


@st.cache_data(show_spinner="Calculando la curva de avance…", max_entries=32)
def _history(url: str, version: int, on: date, plan_filter: PlanFilter) -> pd.DataFrame:
    view = _plan_view(url, version, on, plan_filter)
    return progress_history(view.assessed, view.snapshot.reports, on)


def history(on: date, plan_filter: PlanFilter = NO_FILTER) -> pd.DataFrame:
    """Expected vs achieved progress at each month's end up to ``on``, for the filtered plan."""
    engine()
    return _history(db.database_url(), dataset_info().version, on, plan_filter)


@st.cache_data(max_entries=64)
def _actor_pacts(url: str, version: int, actor_code: str) -> pd.DataFrame:
    with Session(_engine_for(url)) as session:
        return detail.actor_pacts(session=session, actor_code=actor_code)


def actor_pacts(actor_code: str) -> pd.DataFrame:
    engine()
    return _actor_pacts(db.database_url(), dataset_info().version, actor_code)


def actor_contact(actor_code: str) -> dict[str, str | None]:
    """Personal data: never cached, read only when a private section asks for it."""
    with Session(engine()) as session:
        return detail.actor_contact(session=session, actor_code=actor_code)


def batch_history() -> pd.DataFrame:
    """Uploaded files, newest first (read on every run: it is small and must show an undo at once)."""
    with Session(engine()) as session:
        return upload_history.batch_history(session=session)


def audit_entries(**filters: Any) -> pd.DataFrame:
    """The audit trail, filtered (see ``core.audit.audit_entries``); never cached: it holds before/after values."""
    with Session(engine()) as session:
        return audit.audit_entries(session=session, **filters)


def user_accounts() -> list[accounts.Account]:
    with Session(engine()) as session:
        return accounts.list_users(session=session)


def audit_choices() -> dict[str, list[str]]:
    with Session(engine()) as session:
        return audit.audit_choices(session=session)


@dataclass(frozen=True)
class ParticipationCatalog:
    """The choices of the participation forms: code -> name, and event number -> label (newest first)."""

    actors: dict[str, str]
    barrios: dict[str, str]
    lines: dict[str, str]
    events: dict[int, str]


@st.cache_data(max_entries=8)
def _participation_catalog(url: str, version: int) -> ParticipationCatalog:
    with Session(_engine_for(url)) as session:
        return ParticipationCatalog(*choices.form_choices(session=session))


def participation_catalog() -> ParticipationCatalog:
    engine()
    return _participation_catalog(db.database_url(), dataset_info().version)


@dataclass(frozen=True)
class MotivationView:
    """The motivation index month by month up to the cut-off, with the participation data behind it."""

    months: list[date]
    index: pd.DataFrame
    participation: attendance.ParticipationData
    alerts: pd.DataFrame
    weights: motivation.MotivationWeights


MOTIVATION_MONTHS = 18


@st.cache_data(max_entries=8)
def _participation(url: str, version: int) -> attendance.ParticipationData:
    with Session(_engine_for(url)) as session:
        return attendance.load_participation(session=session)


def participation() -> attendance.ParticipationData:
    """Events, invitations, attendance and ratings (no motivation index: pages that only list them skip it)."""
    engine()
    return _participation(db.database_url(), dataset_info().version)


@st.cache_data(show_spinner="Calculando el índice de motivación…", max_entries=16)
def _motivation_view(url: str, version: int, on: date) -> MotivationView:
    whole = _assessed_plan(url, version, on)  # the plan as of ``on``, read once for every page
    data = _participation(url, version)
    with Session(_engine_for(url)) as session:
        weights = motivation.load_weights(session=session)
    months = month_ends(attendance.shift_months(on, -(MOTIVATION_MONTHS - 1)), on)
    index = motivation.index_frame(data, whole.snapshot, months, weights, whole.thresholds)
    alerts = motivation.alerts_from(index, data, whole.snapshot, on=on, thresholds=whole.thresholds)
    return MotivationView(months=months, index=index, participation=data, alerts=alerts, weights=weights)


def motivation_view(on: date) -> MotivationView:
    engine()
    return _motivation_view(db.database_url(), dataset_info().version, on)


@st.cache_data(max_entries=16)
def _pacts(url: str, version: int) -> coordination.PactData:
    with Session(_engine_for(url)) as session:
        return coordination.load_pacts(session=session)


@dataclass(frozen=True)
class Articulation:
    """The pacts and the actors' network of the Articulación page, once per (data version, cut-off): the network's
    layout alone is a tenth of a second."""

    pacts: pd.DataFrame
    network: coordination.ActorNetwork
    network_figure: go.Figure


@st.cache_data(show_spinner="Calculando la articulación…", max_entries=16)
def _articulation(url: str, version: int, on: date) -> Articulation:
    whole = _assessed_plan(url, version, on)
    pact_data = _pacts(url, version)
    network = coordination.actor_network(whole.assessed, whole.snapshot, pact_data)
    pact_rows = coordination.pact_table(pact_data, whole.assessed, whole.snapshot, whole.thresholds)
    return Articulation(pacts=pact_rows, network=network, network_figure=network_figure(network))


def articulation(on: date) -> Articulation:
    engine()
    return _articulation(db.database_url(), dataset_info().version, on)


@st.cache_data(max_entries=16)
def _line_matrix(url: str, version: int, on: date, by: Literal["actor", "sector"]) -> pd.DataFrame:
    whole = _assessed_plan(url, version, on)
    return coordination.line_matrix(whole.assessed, whole.snapshot, by=by)


def line_matrix(on: date, by: Literal["actor", "sector"]) -> pd.DataFrame:
    """Actors or sectors × lines (``coordination.line_matrix``) of the whole plan."""
    engine()
    return _line_matrix(db.database_url(), dataset_info().version, on, by)


@st.cache_data(max_entries=16)
def _coordination_gaps(url: str, version: int, on: date, months: int) -> coordination.Gaps:
    whole = _assessed_plan(url, version, on)
    participation = _participation(url, version)
    return coordination.coordination_gaps(whole.assessed, whole.snapshot, participation, on=on, months=months)


def coordination_gaps(on: date, months: int) -> coordination.Gaps:
    engine()
    return _coordination_gaps(db.database_url(), dataset_info().version, on, months)


def pacts() -> coordination.PactData:
    engine()
    return _pacts(db.database_url(), dataset_info().version)


@st.cache_data(show_spinner="Comparando con la fecha de referencia…", max_entries=16)
def _period_changes(url: str, version: int, on: date, since: date) -> assembly.PeriodChanges:
    whole = _assessed_plan(url, version, on)
    return assembly.period_changes(
        snapshots.as_of(whole.snapshot, min(since, on)),
        whole.snapshot,
        participation=_participation(url, version),
        pacts=_pacts(url, version),
        thresholds=whole.thresholds,
        assessed_after=whole.assessed,
    )


def period_changes(on: date, since: date) -> assembly.PeriodChanges:
    """What changed in the whole plan after ``since`` up to ``on``."""
    engine()
    return _period_changes(db.database_url(), dataset_info().version, on, since)


@dataclass(frozen=True)
class PackFiles:
    """A communication pack drawn three ways (``core.communication``): text to paste, printable page, data."""

    summary: str
    html: str
    xlsx: bytes


@st.cache_data(show_spinner="Preparando el informe…", max_entries=32)
def _pack_files(url: str, version: int, on: date, scope: str, key: str, since: date | None) -> PackFiles:
    view = _plan_view(url, version, on, NO_FILTER)
    if scope == "barrio":
        pack = packs.barrio_pack(view.assessed, view.snapshot, view.thresholds, key)
    elif scope == "actor":
        pack = packs.actor_pack(view.assessed, view.snapshot, view.thresholds, key)
    else:
        assert since is not None, "the bulletin needs its period"
        changes = _period_changes(url, version, on, since)
        pack = packs.plan_bulletin(view.assessed, view.snapshot, view.thresholds, changes)
    is_demo = dataset_info().is_demo
    return PackFiles(packs.summary_text(pack), packs.pack_html(pack, is_demo=is_demo), packs.pack_xlsx(pack))


def pack_files(on: date, scope: str, key: str = "", since: date | None = None) -> PackFiles:
    """The pack of a barrio or an actor (``key``: its code), or the plan's bulletin since ``since``."""
    engine()
    return _pack_files(db.database_url(), dataset_info().version, on, scope, key, since)


def deck_data(on: date, since: date, reference: str) -> slides.DeckData:
    """Everything the assembly slides show (each part cached on its own)."""
    view = plan_view(on)
    plan_curve = motivation.curve(motivation_view(on).index, "plan")["index"].dropna()
    return slides.DeckData(
        on=on,
        plan=view.plan,
        lines=view.lines,
        barrios=_view_table(db.database_url(), dataset_info().version, on, NO_FILTER, "barrios"),
        changes=period_changes(on, since),
        reference=reference,
        upcoming=assembly.upcoming_due(view.assessed, view.snapshot),
        motivation_now=float(plan_curve.iloc[-1]) if len(plan_curve) else None,
        is_demo=dataset_info().is_demo,
    )


def last_assembly(on: date) -> date | None:
    """The latest asamblea held before ``on``: where "desde la última asamblea" starts by default."""
    return assembly.last_assembly(participation().events, before=on)
