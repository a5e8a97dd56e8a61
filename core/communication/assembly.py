"""What an assembly sees: the slide deck, what changed since the last assembly, and the next commitments due.

Every figure here comes from the same metric rules as the dashboards (``core.metrics``): a period's change is the
difference between the plan assessed at the reference date and at the cut-off date, never a separate count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import pandas as pd

from core import formatting
from core.adoption import institution
from core.metrics import breakdowns, rule, snapshots
from core.metrics.detail import commitment_actor_names
from core.metrics.rule import DONE
from core.metrics.snapshots import Snapshot, Thresholds
from core.participation.attendance import ParticipationData
from core.participation.coordination import PactData

ASSEMBLY_EVENT_KIND = "asamblea"
WITHOUT_ASSEMBLY_DAYS = 90  # the period shown when no assembly has been recorded yet
MAX_ITEMS = 6  # a slide read from the back of a hall holds about six items


@dataclass(frozen=True)
class Slide:
    kind: str  # one of SLIDE_KINDS
    key: str  # the line or barrio code; "" for slides about the whole plan
    title: str


SLIDE_KINDS = (
    "vision", "resumen", "linea", "mapa", "barrio", "curva", "logros", "hitos", "pp", "avance", "proximos", "planes",
)  # fmt: skip
VISION_SLIDE = Slide("vision", "", "Nuestra visión")


def deck(lines: pd.DataFrame, barrios: pd.DataFrame, *, vision: bool = False, plans: bool = False) -> list[Slide]:
    """The slides in presentation order; ``lines`` and ``barrios`` have ``code`` and ``name`` columns. With a
    ``vision``, «Nuestra visión» opens and closes the deck; with ``plans`` (a crosswalk), «El plan en la planeación
    de otros» comes before the closing vision."""
    slides = [VISION_SLIDE] if vision else []
    slides.append(Slide("resumen", "", "El plan en cifras"))
    slides += [Slide("linea", str(row.code), str(row.name)) for row in lines.itertuples()]
    slides.append(Slide("mapa", "", "Avance por barrio"))
    slides += [Slide("barrio", str(row.code), str(row.name)) for row in barrios.itertuples()]
    slides += [
        Slide("curva", "", "Curva motivacional"),
        Slide("logros", "", "Logros desde la última asamblea"),
        Slide("hitos", "", "Hitos desde la última asamblea"),
        Slide("pp", "", "Presupuesto Participativo y el plan"),
        Slide("avance", "", "Avance ganado por línea"),
        Slide("proximos", "", "Próximos compromisos"),
    ]
    if plans:
        slides.append(Slide("planes", "", "El plan en la planeación de otros"))
    if vision:
        slides.append(VISION_SLIDE)
    return slides


def last_assembly(events: pd.DataFrame, *, before: date) -> date | None:
    """The day of the latest event of kind asamblea held before ``before`` (an assembly held on the cut-off day is
    the one being presented, so the reference is the one before it)."""
    held = events.loc[(events.kind == ASSEMBLY_EVENT_KIND) & (events.held_on < pd.Timestamp(before)), "held_on"]
    return None if held.empty else pd.Timestamp(held.max()).date()


def default_reference(last: date | None, *, on: date) -> date:
    """Where "since the last assembly" starts: that assembly, else a quarter before the cut-off."""
    return last or on - timedelta(days=WITHOUT_ASSEMBLY_DAYS)


def reference_text(since: date, *, last: date | None, on: date) -> str:
    """Why the period starts when it does, in words for the slide."""
    if last is not None and since == last:
        return f"Desde la asamblea del {formatting.day(last)}."
    if last is None and since == default_reference(None, on=on):
        return f"No hay asambleas registradas: se muestran los últimos {WITHOUT_ASSEMBLY_DAYS} días."
    return f"Desde el {formatting.day(since)}, fecha elegida."


@dataclass(frozen=True)
class PeriodChanges:
    """What changed between ``since`` (exclusive) and ``on`` (inclusive)."""

    since: date
    on: date
    plan_before: pd.Series  # breakdowns.plan_totals at ``since``
    plan_after: pd.Series  # breakdowns.plan_totals at ``on``
    completed: pd.DataFrame  # commitments cumplido at ``on`` that were not at ``since``
    # key, name, color, before, after, gain (points), coverage_before, coverage_after, advanced, completed
    line_gains: pd.DataFrame
    new_pacts: pd.DataFrame  # code, name, kind, signed_date, members
    new_reports: int  # progress reports with a cut-off date in the period
    joined_actors: pd.DataFrame  # code, name, short_name, sector, first_seen
    # milestones of institutionalization achieved with an act dated in the period (institution.achieved_between)
    milestones: pd.DataFrame = field(default_factory=pd.DataFrame)

    @property
    def progress_gain(self) -> float | None:
        before, after = self.plan_before.physical_progress, self.plan_after.physical_progress
        return None if pd.isna(before) or pd.isna(after) else float(after - before)


def period_changes(
    before: Snapshot,
    after: Snapshot,
    *,
    participation: ParticipationData,
    pacts: PactData,
    thresholds: Thresholds = snapshots.DEFAULT_THRESHOLDS,
    assessed_after: pd.DataFrame | None = None,
    milestones: pd.DataFrame | None = None,
) -> PeriodChanges:
    """Compare the plan at ``before.on`` and ``after.on``; both snapshots hold the same commitments.

    ``assessed_after``: ``after`` already assessed (the dashboards' own), to skip assessing it again;
    ``milestones``: the institutionalization milestones (``institution.load_institution``), when they count."""
    since, on = before.on, after.on
    assessed_before = rule.assess_commitments(before, thresholds)
    if assessed_after is None:
        assessed_after = rule.assess_commitments(after, thresholds)
    done_before = set(assessed_before.loc[assessed_before.status == DONE, "commitment_id"])
    completed = assessed_after.loc[
        (assessed_after.status == DONE) & ~assessed_after.commitment_id.isin(done_before)
    ].assign(actors=lambda frame: _actor_names(frame, after))
    completed = completed.sort_values(["line_code", "code"]).reset_index(drop=True)

    lines_before = breakdowns.by_line(assessed_before, before, thresholds).set_index("key")
    lines_after = breakdowns.by_line(assessed_after, after, thresholds).set_index("key")
    gains = lines_after[["name", "color"]].assign(
        before=lines_before.physical_progress.reindex(lines_after.index),
        after=lines_after.physical_progress,
    )
    gains["gain"] = gains["after"] - gains["before"]
    gains["coverage_before"] = lines_before.coverage.reindex(gains.index)
    gains["coverage_after"] = lines_after.coverage
    # An average can drop when commitments report for the first time, so also count what moved forward:
    # a first report counts as progress from zero.
    progress_before = assessed_before.set_index("commitment_id").physical_progress
    moved = assessed_after.physical_progress > assessed_after.commitment_id.map(progress_before).fillna(0.0)
    advanced = assessed_after.loc[moved & assessed_after.active, "line_code"].value_counts()
    gains["advanced"] = advanced.reindex(gains.index).fillna(0).astype(int)
    gains["completed"] = completed.line_code.value_counts().reindex(gains.index).fillna(0).astype(int)

    in_period = (pacts.pacts.signed_date > since) & (pacts.pacts.signed_date <= on)
    new_pacts = pacts.pacts.loc[in_period, ["id", "code", "name", "kind", "signed_date"]]
    members = pacts.members.groupby("pact_id").actor_id.nunique()
    new_pacts = new_pacts.assign(members=new_pacts.id.map(members).fillna(0).astype(int)).drop(columns="id")

    reports_in_period = after.reports.cut_off_date > pd.Timestamp(since)
    return PeriodChanges(
        since=since,
        on=on,
        plan_before=breakdowns.plan_totals(assessed_before, thresholds),
        plan_after=breakdowns.plan_totals(assessed_after, thresholds),
        completed=completed,
        line_gains=gains.reset_index(),
        new_pacts=new_pacts.reset_index(drop=True),
        new_reports=int(reports_in_period.sum()),
        joined_actors=joined_actors(after, participation=participation, pacts=pacts, since=since),
        milestones=pd.DataFrame() if milestones is None else institution.achieved_between(milestones, since, on),
    )


def first_activity(snapshot: Snapshot, *, participation: ParticipationData, pacts: PactData) -> pd.Series:
    """Per actor id, the first day it took part, up to ``snapshot.on``: its first progress report, the first event
    it attended or the first pact it signed, whichever came first."""
    on = pd.Timestamp(snapshot.on)
    reports = snapshot.reports[["commitment_id", "cut_off_date"]].merge(snapshot.commitment_actors, on="commitment_id")
    attended = participation.attendance.loc[
        participation.attendance.attended & (participation.attendance.held_on <= on), ["actor_id", "held_on"]
    ]
    signed = pacts.members.merge(pacts.pacts[["id", "signed_date"]], left_on="pact_id", right_on="id")
    signed = signed.assign(signed_date=pd.to_datetime(signed.signed_date)).loc[lambda f: f.signed_date <= on]
    days = pd.concat(
        [
            reports.set_axis(reports.actor_id.to_numpy()).cut_off_date,
            attended.set_axis(attended.actor_id.to_numpy()).held_on,
            signed.set_axis(signed.actor_id.to_numpy()).signed_date,
        ]
    )
    first: pd.Series = days.groupby(level=0).min()
    return first


def joined_actors(
    snapshot: Snapshot, *, participation: ParticipationData, pacts: PactData, since: date
) -> pd.DataFrame:
    """Actors whose first activity (see ``first_activity``) falls after ``since``: they joined in the period."""
    first = first_activity(snapshot, participation=participation, pacts=pacts)
    joined = first.loc[first > pd.Timestamp(since)].rename("first_seen")
    out = snapshot.actors.merge(joined, left_on="id", right_index=True)
    out = out[["code", "name", "short_name", "sector", "first_seen"]]
    return out.sort_values(["first_seen", "name"]).reset_index(drop=True)


def upcoming_due(assessed: pd.DataFrame, snapshot: Snapshot, *, limit: int = MAX_ITEMS) -> pd.DataFrame:
    """The next active commitments due on or after the cut-off date that are not cumplidos, soonest first."""
    on = pd.Timestamp(snapshot.on)
    pending = assessed.loc[assessed.active & (assessed.due_date >= on) & (assessed.status != DONE)]
    pending = pending.sort_values(["due_date", "code"]).head(limit)
    return pending.assign(actors=_actor_names(pending, snapshot)).reset_index(drop=True)


def _actor_names(commitments: pd.DataFrame, snapshot: Snapshot) -> pd.Series:
    """The actors' short names of each commitment, "" when it has none."""
    return commitments.commitment_id.map(commitment_actor_names(snapshot)).astype(object).fillna("")
