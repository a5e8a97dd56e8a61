"""What each page reads, composed from the domain packages: one ``*, session`` function per thing a page shows.

No caching here: ``ui.state.read`` keeps each result per data version. Reading order: ``assessed_plan`` (the
per-commitment values of one cut-off date, DESIGN.md §4) is the costly base every dashboard selects from;
``plan_view`` and ``view_table`` select a filter's commitments from it; the rest compose it with participation and
pacts. A view that takes ``whole`` (the assessed plan of its ``on``) or ``participation`` reads them itself when
they are not given; ``ui.state.read`` gives the shared ones, so a filter never reloads the plan.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
from sqlalchemy import select
from sqlmodel import Session

from core import audit, db
from core.access import accounts
from core.adoption import alignment, editing, institution, records, vision
from core.charts.adoption import level_heatmap
from core.charts.network import network_figure
from core.communication import assembly, institution_report, packs, slides
from core.db import table_columns
from core.metrics import breakdowns, detail, rule, snapshots
from core.metrics.filters import NO_FILTER, PlanFilter, filter_plan
from core.metrics.history import month_ends, progress_history
from core.models import Actor
from core.participation import attendance, coordination, motivation
from core.plan import choices
from core.rounds import consent as round_consent
from core.rounds import members as round_members
from core.rounds import messages as round_messages
from core.uploads import history as upload_history
from core.uploads import progress_workbooks

MOTIVATION_MONTHS = 18  # the curva motivacional's span, cut-off month included


@dataclass(frozen=True)
class AssessedPlan:
    """Commitments assessed by the one rule (``rule.assess_commitments``), with the snapshot they come from."""

    snapshot: snapshots.Snapshot
    thresholds: snapshots.Thresholds
    assessed: pd.DataFrame


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


def assessed_plan(*, session: Session, on: date) -> AssessedPlan:
    """The per-commitment values as of ``on``: every filter, breakdown and page selects from them."""
    snapshot = snapshots.load_snapshot(session=session, on=on)
    thresholds = snapshots.load_thresholds(session=session)
    return AssessedPlan(snapshot, thresholds, rule.assess_commitments(snapshot, thresholds))


def _whole(session: Session, on: date, whole: AssessedPlan | None) -> AssessedPlan:
    return whole if whole is not None else assessed_plan(session=session, on=on)


def _participation(session: Session, data: attendance.ParticipationData | None) -> attendance.ParticipationData:
    return data if data is not None else attendance.load_participation(session=session)


def selection(whole: AssessedPlan, plan_filter: PlanFilter) -> AssessedPlan:
    """The commitments ``plan_filter`` keeps, with their whole-plan values: a selection, milliseconds."""
    snapshot, assessed = filter_plan(whole.snapshot, whole.assessed, plan_filter)
    return AssessedPlan(snapshot, whole.thresholds, assessed)


def plan_view(
    *, session: Session, on: date, plan_filter: PlanFilter = NO_FILTER, whole: AssessedPlan | None = None
) -> PlanView:
    """The selection's commitments with its headline row (``breakdowns.plan_totals``) and its lines."""
    kept = selection(_whole(session, on, whole), plan_filter)
    return PlanView(
        snapshot=kept.snapshot,
        thresholds=kept.thresholds,
        assessed=kept.assessed,
        plan=breakdowns.plan_totals(kept.assessed, kept.thresholds),
        lines=breakdowns.by_line(kept.assessed, kept.snapshot, kept.thresholds),
    )


# The drill-down tables of a selection, each read only by the pages that show it.
VIEW_TABLES: dict[str, Callable[[AssessedPlan], pd.DataFrame]] = {
    "actors": lambda kept: breakdowns.by_actor(kept.assessed, kept.snapshot, kept.thresholds),
    "barrios": lambda kept: breakdowns.by_barrio(kept.assessed, kept.snapshot, kept.thresholds),
    "commitments": lambda kept: detail.commitment_table(kept.assessed, kept.snapshot),
    "projects": lambda kept: detail.project_table(kept.assessed, kept.snapshot, kept.thresholds),
    "programs": lambda kept: breakdowns.by_program(kept.assessed, kept.thresholds),
    "barrio_line": lambda kept: detail.barrio_line_matrix(kept.assessed, kept.snapshot, kept.thresholds),
    "line_participation": lambda kept: detail.line_participation(kept.assessed, kept.snapshot),
}


def view_table(
    *, session: Session, on: date, name: str, plan_filter: PlanFilter = NO_FILTER, whole: AssessedPlan | None = None
) -> pd.DataFrame:
    """One of ``VIEW_TABLES`` for the commitments ``plan_filter`` keeps as of ``on``."""
    return VIEW_TABLES[name](selection(_whole(session, on, whole), plan_filter))


def latest_reports(
    *, session: Session, on: date, plan_filter: PlanFilter = NO_FILTER, whole: AssessedPlan | None = None
) -> pd.DataFrame:
    """The ten most recent reports (of any kind) of the commitments ``plan_filter`` keeps, newest first."""
    if plan_filter.is_empty:
        return detail.latest_reports(session=session, on=on, limit=10).reset_index(drop=True)
    latest = detail.latest_reports(session=session, on=on, limit=None)
    kept = selection(_whole(session, on, whole), plan_filter).snapshot.commitments.code
    return latest.loc[latest.commitment_code.isin(kept)].head(10).reset_index(drop=True)


def history(
    *, session: Session, on: date, plan_filter: PlanFilter = NO_FILTER, whole: AssessedPlan | None = None
) -> pd.DataFrame:
    """Expected vs achieved progress at each month's end up to ``on``, for the filtered plan."""
    kept = selection(_whole(session, on, whole), plan_filter)
    return progress_history(kept.assessed, kept.snapshot.reports, on)


# Views that are one package function as it is.
actor_pacts = detail.actor_pacts
actor_contact = detail.actor_contact  # personal data (Ley 1581 de 2012): only for a private section, read fresh
batch_history = upload_history.batch_history  # uploaded files, newest first: an undo must show at once
audit_entries = audit.audit_entries  # the audit trail, filtered: it holds before/after values
audit_choices = audit.audit_choices
user_accounts = accounts.list_users
crosswalk_grid = editing.crosswalk_grid  # what a coordinator edits: shows a save at once


# Read fresh on every run, never kept: personal data, the audit trail's before/after values, and what must show a
# change at once.
FRESH: frozenset[Callable[..., Any]] = frozenset({actor_contact, batch_history, audit_entries, audit_choices,
                                                  user_accounts, crosswalk_grid})  # fmt: skip


@dataclass(frozen=True)
class ParticipationCatalog:
    """The choices of the participation forms: code -> name, and event number -> label (newest first)."""

    actors: dict[str, str]
    barrios: dict[str, str]
    lines: dict[str, str]
    events: dict[int, str]


def participation_catalog(*, session: Session) -> ParticipationCatalog:
    return ParticipationCatalog(*choices.form_choices(session=session))


def participation(*, session: Session) -> attendance.ParticipationData:
    """Events, invitations, attendance and ratings (no motivation index: pages that only list them skip it)."""
    return attendance.load_participation(session=session)


def pacts(*, session: Session) -> coordination.PactData:
    return coordination.load_pacts(session=session)


def institution_records(*, session: Session) -> institution.Institution:
    """Milestones, PP and the verified crosswalk rows: every figure of «Institucionalización» is drawn from them."""
    return institution.load_institution(session=session)


@dataclass(frozen=True)
class MotivationView:
    """The motivation index month by month up to the cut-off, with the participation data behind it."""

    months: list[date]
    index: pd.DataFrame
    participation: attendance.ParticipationData
    alerts: pd.DataFrame
    weights: motivation.MotivationWeights


def motivation_view(
    *,
    session: Session,
    on: date,
    whole: AssessedPlan | None = None,
    participation: attendance.ParticipationData | None = None,
) -> MotivationView:
    plan = _whole(session, on, whole)
    data = _participation(session, participation)
    weights = motivation.load_weights(session=session)
    months = month_ends(attendance.shift_months(on, -(MOTIVATION_MONTHS - 1)), on)
    index = motivation.index_frame(data, plan.snapshot, months, weights, plan.thresholds)
    alerts = motivation.alerts_from(index, data, plan.snapshot, on=on, thresholds=plan.thresholds)
    return MotivationView(months=months, index=index, participation=data, alerts=alerts, weights=weights)


@dataclass(frozen=True)
class Articulation:
    """The pacts and the actors' network of the Articulación page (the network's layout alone is a tenth of a
    second)."""

    pacts: pd.DataFrame
    network: coordination.ActorNetwork
    network_figure: go.Figure


def articulation(*, session: Session, on: date, whole: AssessedPlan | None = None) -> Articulation:
    plan = _whole(session, on, whole)
    pact_data = coordination.load_pacts(session=session)
    network = coordination.actor_network(plan.assessed, plan.snapshot, pact_data)
    pact_rows = coordination.pact_table(pact_data, plan.assessed, plan.snapshot, plan.thresholds)
    return Articulation(pacts=pact_rows, network=network, network_figure=network_figure(network))


def line_matrix(
    *, session: Session, on: date, by: Literal["actor", "sector"], whole: AssessedPlan | None = None
) -> pd.DataFrame:
    """Actors or sectors × lines (``coordination.line_matrix``) of the whole plan."""
    plan = _whole(session, on, whole)
    return coordination.line_matrix(plan.assessed, plan.snapshot, by=by)


def coordination_gaps(
    *,
    session: Session,
    on: date,
    months: int,
    whole: AssessedPlan | None = None,
    participation: attendance.ParticipationData | None = None,
) -> coordination.Gaps:
    plan = _whole(session, on, whole)
    data = _participation(session, participation)
    return coordination.coordination_gaps(plan.assessed, plan.snapshot, data, on=on, months=months)


def period_changes(
    *,
    session: Session,
    on: date,
    since: date,
    whole: AssessedPlan | None = None,
    participation: attendance.ParticipationData | None = None,
) -> assembly.PeriodChanges:
    """What changed in the whole plan after ``since`` up to ``on``."""
    plan = _whole(session, on, whole)
    return assembly.period_changes(
        snapshots.as_of(plan.snapshot, min(since, on)),
        plan.snapshot,
        participation=_participation(session, participation),
        pacts=coordination.load_pacts(session=session),
        thresholds=plan.thresholds,
        assessed_after=plan.assessed,
        milestones=institution.load_institution(session=session).milestones,
    )


def last_assembly(
    *, session: Session, on: date, participation: attendance.ParticipationData | None = None
) -> date | None:
    """The latest asamblea held before ``on``: where "desde la última asamblea" starts by default."""
    return assembly.last_assembly(_participation(session, participation).events, before=on)


@dataclass(frozen=True)
class PackFiles:
    """A communication pack drawn three ways (``core.communication``): text to paste, printable page, data."""

    summary: str
    html: str
    xlsx: bytes


def pack_files(
    *,
    session: Session,
    on: date,
    scope: Literal["barrio", "actor", "plan"],
    key: str = "",
    since: date | None = None,
    whole: AssessedPlan | None = None,
    participation: attendance.ParticipationData | None = None,
) -> PackFiles:
    """The pack of a barrio or an actor (``key``: its code), or the plan's bulletin since ``since``."""
    plan = _whole(session, on, whole)
    if scope == "barrio":
        pack = packs.barrio_pack(plan.assessed, plan.snapshot, plan.thresholds, key)
    elif scope == "actor":
        live = alignment.live_pairs(plan.assessed, plan.snapshot)
        planning = alignment.actor_planning(records.load_adoption(session=session), live, key)
        pack = packs.actor_pack(plan.assessed, plan.snapshot, plan.thresholds, key, planning)
    else:
        assert since is not None, "the bulletin needs its period"
        changes = period_changes(session=session, on=on, since=since, whole=plan, participation=participation)
        vision_text = vision_view(session=session, on=on, whole=plan).text
        pack = packs.plan_bulletin(plan.assessed, plan.snapshot, plan.thresholds, changes, vision_text)
    is_demo = db.is_demo(session=session)
    return PackFiles(packs.summary_text(pack), packs.pack_html(pack, is_demo=is_demo), packs.pack_xlsx(pack))


def institution_report_files(*, session: Session, on: date, year: int) -> PackFiles:
    """The yearly Informe de institucionalización, drawn three ways like the packs."""
    report = institution_report.institution_report(
        institution.load_institution(session=session), records.load_adoption(session=session), year=year, on=on
    )
    return PackFiles(
        institution_report.report_summary(report),
        institution_report.report_html(report, is_demo=db.is_demo(session=session)),
        institution_report.report_xlsx(report),
    )


def deck_data(
    *,
    session: Session,
    on: date,
    since: date,
    reference: str,
    whole: AssessedPlan | None = None,
    participation: attendance.ParticipationData | None = None,
) -> slides.DeckData:
    """Everything the assembly slides show."""
    plan = _whole(session, on, whole)
    data = _participation(session, participation)
    view = plan_view(session=session, on=on, whole=plan)
    index = motivation_view(session=session, on=on, whole=plan, participation=data).index
    plan_curve = motivation.curve(index, "plan")["index"].dropna()
    institution_data = institution.load_institution(session=session)
    years = institution.pp_by_year(institution_data.pp, institution_data.ceilings)
    pp_year = institution.pp_year(years, on.year) if on.year in set(years.year) else None
    return slides.DeckData(
        on=on,
        plan=view.plan,
        lines=view.lines,
        barrios=view_table(session=session, on=on, name="barrios", whole=plan),
        changes=period_changes(session=session, on=on, since=since, whole=plan, participation=data),
        reference=reference,
        upcoming=assembly.upcoming_due(view.assessed, view.snapshot),
        motivation_now=float(plan_curve.iloc[-1]) if len(plan_curve) else None,
        is_demo=db.is_demo(session=session),
        pp=pp_year,
        pp_lines=institution.pp_breakdown(institution_data.pp, institution_data.ceilings, "line", on.year),
        windows=institution.upcoming_windows(institution_data.milestones, on),
        vision=vision_view(session=session, on=on, whole=plan),
        crosswalk=crosswalk_lines(session=session),
    )


def vision_view(*, session: Session, on: date, whole: AssessedPlan | None = None) -> vision.VisionFigures:
    """The Visión page: the plan's profile, its horizon beside plan progress, and the ideas-fuerza."""
    plan = _whole(session, on, whole)
    data = records.load_adoption(session=session)
    totals = breakdowns.plan_totals(plan.assessed, plan.thresholds)
    return vision.vision_figures(data, plan.assessed, totals, on, plan.thresholds)


def crosswalk_lines(*, session: Session) -> pd.DataFrame:
    """The lines' transversality over the whole crosswalk (``alignment.transversality``), for the slides."""
    return alignment.transversality(records.load_adoption(session=session))


@dataclass(frozen=True)
class ActorPlans:
    """The Planes de los actores page for one selection (sector, year, instrument kind)."""

    cards: pd.DataFrame  # ``alignment.actor_cards``
    matrix: pd.DataFrame  # ``alignment.level_matrix``
    matrix_figure: go.Figure
    lines: pd.DataFrame  # ``alignment.transversality``
    resources: pd.DataFrame  # ``alignment.resources_by_line``
    overlaps: pd.DataFrame
    line_budgets: pd.DataFrame  # key (line code), budget_cop: the commitments' budgets, shown beside, never added
    years: list[int]  # the crosswalk's years, for the filter
    instruments: pd.DataFrame


def actor_plans(
    *,
    session: Session,
    on: date,
    sector: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    source: Literal["kind", "sector"] = "kind",
    whole: AssessedPlan | None = None,
) -> ActorPlans:
    plan = _whole(session, on, whole)
    everything = records.load_adoption(session=session)
    data = records.select_adoption(everything, sector=sector, year=year, kind=kind)
    matrix = alignment.level_matrix(data, alignment.live_pairs(plan.assessed, plan.snapshot))
    lines = breakdowns.by_line(plan.assessed, plan.snapshot, plan.thresholds)
    return ActorPlans(
        cards=alignment.actor_cards(data, on),
        matrix=matrix,
        matrix_figure=level_heatmap(matrix, line_order=list(data.lines.code)),
        lines=alignment.transversality(data),
        resources=alignment.resources_by_line(data, source),
        overlaps=alignment.overlaps(data, plan.assessed),
        line_budgets=lines[["key", "budget_cop"]],
        years=sorted(int(y) for y in everything.alignment.year.dropna().unique()),
        instruments=data.instruments,
    )


# ---------------------------------------------------------------------------------------------- reporting rounds


@dataclass(frozen=True)
class RoundView:
    """One reporting round as the coordination follows it: its members with their status, and its completion."""

    info: round_members.RoundInfo
    members: pd.DataFrame  # rounds.members.MEMBER_COLUMNS
    completion: round_members.Completion


def round_list(*, session: Session, open_only: bool = False) -> list[round_members.RoundInfo]:
    return round_members.rounds(session=session, open_only=open_only)


def round_view(
    *, session: Session, round_id: int, on: date, today: date, whole: AssessedPlan | None = None
) -> RoundView:
    """``on`` is the round's cut-off: the plan weights W come from its assessed plan (W never depends on the date)."""
    plan = _whole(session, on, whole)
    weights = plan.assessed.set_index("commitment_id").plan_weight
    return RoundView(
        info=round_members.round_info(session=session, round_id=round_id),
        members=round_members.members(session=session, round_id=round_id, today=today),
        completion=round_members.completion(session=session, round_id=round_id, plan_weight=weights),
    )


def round_candidates(
    *, session: Session, cut_off: date, line_codes: tuple[str, ...] = (), sectors: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Who a round opened now would ask, with how many open commitments each (before opening it)."""
    owed = round_members.open_commitments(session=session, cut_off=cut_off, line_codes=line_codes, sectors=sectors)
    grouped = owed.groupby(["actor_code", "actor_name", "sector"], as_index=False, sort=False)
    return grouped.agg(commitments=("commitment_id", "nunique"))


def _owed_by(session: Session, round_id: int, actor_code: str) -> pd.DataFrame:
    """The commitments the actor still owes in the round (all it was asked for, once it answered them all)."""
    owed = round_members.asked(session=session, round_id=round_id)
    a = table_columns(Actor)
    actor_id = session.connection().execute(select(a.id).where(a.code == actor_code)).scalar()
    mine = owed.loc[owed.actor_id == actor_id]
    return mine.loc[~mine.answered] if (~mine.answered).any() else mine


def round_template(*, session: Session, round_id: int, actor_code: str) -> bytes:
    """The actor's progress template for the round: only the commitments it still owes, the cut-off filled in."""
    info = round_members.round_info(session=session, round_id=round_id)
    codes = set(_owed_by(session, round_id, actor_code).code)
    return progress_workbooks.progress_template(session=session, on=info.cut_off, codes=codes, cut_off=info.cut_off)


@dataclass(frozen=True)
class RoundRequest:
    """The request to one actor: the text to copy, and the links only where its contact authorized their use."""

    subject: str
    text: str
    authorized: bool
    whatsapp: str | None
    mailto: str | None
    email: str | None  # where the optional e-mail would go


def round_request(*, session: Session, round_id: int, actor_code: str, coordinator: str) -> RoundRequest:
    """Personal data (Ley 1581 de 2012): for the coordination only, read fresh."""
    info = round_members.round_info(session=session, round_id=round_id)
    owed = _owed_by(session, round_id, actor_code)
    a = table_columns(Actor)
    name = session.connection().execute(select(a.name).where(a.code == actor_code)).scalar() or ""
    contact = round_consent.usable_contact(session=session, actor_code=actor_code)
    subject = round_messages.subject(info.name, info.cut_off)
    text = round_messages.request_text(
        actor_name=str(name),
        person=contact.person if contact else None,
        round_name=info.name,
        cut_off=info.cut_off,
        deadline=info.deadline,
        owed=[
            round_messages.Owed(str(code), str(description), str(project))
            for code, description, project in zip(owed.code, owed.description, owed.project_name, strict=True)
        ],
        coordinator=coordinator,
    )
    if contact is None:
        return RoundRequest(subject, text, authorized=False, whatsapp=None, mailto=None, email=None)
    mailto = round_messages.mailto_link(contact.email, subject, text)
    return RoundRequest(
        subject,
        text,
        authorized=True,
        whatsapp=round_messages.whatsapp_link(contact.phone, text),
        mailto=mailto,
        email=contact.email if mailto else None,
    )


def consent_list(*, session: Session) -> pd.DataFrame:
    """The contact decision in force per actor code (who authorized, when, the evidence): coordination only."""
    decisions = round_consent.latest_consents(session=session)
    a = table_columns(Actor)
    codes: dict[int, str] = {int(i): str(c) for i, c in session.connection().execute(select(a.id, a.code)).all()}
    return decisions.assign(actor_code=decisions.actor_id.map(codes))


@dataclass(frozen=True)
class RoundFigure:
    """The public face of an open round: its name, dates and completion, never who owes what."""

    info: round_members.RoundInfo
    completion: round_members.Completion


def open_round_figures(*, session: Session, on: date, whole: AssessedPlan | None = None) -> list[RoundFigure]:
    """Each open round's completion, for Resumen."""
    plan = _whole(session, on, whole)
    weights = plan.assessed.set_index("commitment_id").plan_weight
    return [
        RoundFigure(info, round_members.completion(session=session, round_id=info.round_id, plan_weight=weights))
        for info in round_list(session=session, open_only=True)
    ]


# Personal data, read fresh like ``actor_contact``.
FRESH = FRESH | frozenset({round_request, consent_list})
