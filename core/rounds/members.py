"""What a round asked of whom, and who answered (the rules of a round, stated once).

- **Asked**: when a round opens, each member is asked for its commitments *open* at the cut-off: active
  (``rule.is_active``), of a project started by then (or without a start date: as the motivation index's "in
  force") and not cumplido with the reports dated before the cut-off. The list is kept
  (``RoundCommitment``), so a later change of the plan does not rewrite what was asked; a commitment cancelled or
  archived since is no longer owed.
- **Answered**: a progress report of the commitment for the round's cut-off date exists (from an upload or an
  edit). It was answered on the day, in Colombia, that report was first recorded; on time when that day is on or
  before the deadline.
- **Status of a member**: *completo* when every commitment it owes is answered on time; *tarde* when all are
  answered but one after the deadline, or when the deadline has passed with some still unanswered; before the
  deadline, *parcial* when some are answered and *pendiente* when none is.
- **Completion of a round**: by commitments, answered ÷ asked (a commitment shared by two members counts once); by
  weight, Σ W answered ÷ Σ W asked, W being each commitment's plan weight (``rule.assess_commitments``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import and_, select
from sqlmodel import Session

from core import formatting
from core.db import table_columns
from core.metrics import rule, snapshots
from core.models import Actor, Commitment, ProgressReport, Project, ReportingRound, RoundCommitment, RoundMember

PENDING, PARTIAL, COMPLETE, LATE = "pendiente", "parcial", "completo", "tarde"
MEMBER_STATUSES: tuple[str, ...] = (PENDING, PARTIAL, LATE, COMPLETE)  # the order of "who still owes" first

OPEN_COLUMNS = ("actor_id", "actor_code", "actor_name", "sector", "commitment_id", "code", "line_code")


def open_commitments(
    *, session: Session, cut_off: date, line_codes: tuple[str, ...] = (), sectors: tuple[str, ...] = ()
) -> pd.DataFrame:
    """One row per (actor, commitment) open at ``cut_off``: active, started by then and not cumplido with the
    reports dated before it; of the lines ``line_codes`` and the actors of ``sectors`` when given."""
    snapshot = snapshots.load_snapshot(session=session, on=cut_off - timedelta(days=1))
    assessed = rule.commitment_values(snapshot)
    started = ~(assessed.start_date > pd.Timestamp(cut_off))  # a blank start counts as started
    kept = assessed.loc[assessed.active & started & (assessed.status != rule.DONE)]
    if line_codes:
        kept = kept.loc[kept.line_code.isin(line_codes)]
    actors = snapshot.actors.rename(columns={"id": "actor_id", "code": "actor_code", "name": "actor_name"})
    if sectors:
        actors = actors.loc[actors.sector.isin(sectors)]
    rows = (
        kept[["commitment_id", "code", "line_code"]]
        .merge(snapshot.commitment_actors[["commitment_id", "actor_id"]], on="commitment_id")
        .merge(actors[["actor_id", "actor_code", "actor_name", "sector"]], on="actor_id")
    )
    return rows.sort_values(["actor_name", "code"]).reset_index(drop=True)[list(OPEN_COLUMNS)]


ASKED_COLUMNS = (
    "round_id",
    "deadline",
    "actor_id",
    "commitment_id",
    "code",
    "description",
    "unit",
    "project_name",
    "answered",
    "answered_on",
    "on_time",
)


def asked(*, session: Session, round_id: int | None = None) -> pd.DataFrame:
    """One row per (round, member, commitment it still owes): whether, when and if on time it was answered; of one
    round, or of every round when ``round_id`` is None."""
    rr, rc, c, p, r = (
        table_columns(model) for model in (ReportingRound, RoundCommitment, Commitment, Project, ProgressReport)
    )
    statement = (
        select(
            rc.round_id,
            rr.deadline,
            rc.actor_id,
            rc.commitment_id,
            c.code,
            c.description,
            c.unit,
            p.name.label("project_name"),
            r.created_at.label("recorded_at"),
        )
        .join_from(rc.round_id.table, rr.id.table, rr.id == rc.round_id)
        .join(c.id.table, c.id == rc.commitment_id)
        .join(p.id.table, p.id == c.project_id)
        .outerjoin(r.id.table, and_(r.commitment_id == rc.commitment_id, r.cut_off_date == rr.cut_off_date))
        .where(c.cancelled.is_(False), c.archived_on.is_(None), p.archived_on.is_(None))
        .order_by(rc.round_id, rc.actor_id, c.code)
    )
    if round_id is not None:
        statement = statement.where(rc.round_id == round_id)
    rows = session.connection().execute(statement).all()
    frame = pd.DataFrame(rows, columns=[*ASKED_COLUMNS[:8], "recorded_at"])
    frame["answered"] = frame.recorded_at.notna().astype(bool)
    frame["answered_on"] = frame.recorded_at.map(lambda at: None if pd.isna(at) else formatting.local_date(at))
    frame["on_time"] = [
        answered_on is not None and answered_on <= deadline
        for answered_on, deadline in zip(frame.answered_on, frame.deadline, strict=True)
    ]
    frame["on_time"] = frame.on_time.astype(bool)
    return frame[list(ASKED_COLUMNS)]


ANSWER_COLUMNS = ("round_id", "actor_id", "deadline", "asked", "on_time")


def round_answers(*, session: Session) -> pd.DataFrame:
    """Per (round, member): its deadline, how many commitments it was asked for and how many it answered on time
    (the motivation index's reading of the rounds)."""
    owed = asked(session=session)
    if owed.empty:
        return pd.DataFrame({"round_id": pd.Series(dtype=int), "actor_id": pd.Series(dtype=int),
                             "deadline": pd.Series(dtype="datetime64[ns]"), "asked": pd.Series(dtype=int),
                             "on_time": pd.Series(dtype=int)})  # fmt: skip
    grouped = owed.groupby(["round_id", "actor_id"], as_index=False)
    frame = grouped.agg(deadline=("deadline", "first"), asked=("code", "size"), on_time=("on_time", "sum"))
    frame["deadline"] = pd.to_datetime(frame.deadline)
    return frame[list(ANSWER_COLUMNS)]


def member_status(*, commitments: int, answered: int, on_time: int, deadline: date, today: date) -> str:
    """The status of one member (the rule in this module's docstring)."""
    if answered == commitments:
        return COMPLETE if on_time == commitments else LATE
    if today > deadline:
        return LATE
    return PARTIAL if answered else PENDING


MEMBER_COLUMNS = (
    "actor_id",
    "actor_code",
    "actor_name",
    "sector",
    "commitments",
    "answered",
    "on_time",
    "owed",  # the codes still unanswered, "C-1, C-2"
    "status",
    "last_answer",
    "reminded_on",
    "reminded_by",
    "reminders",
)


def members(*, session: Session, round_id: int, today: date) -> pd.DataFrame:
    """One row per member of the round with its counts and status; who still owes first."""
    rnd = session.get(ReportingRound, round_id)
    m, a = table_columns(RoundMember), table_columns(Actor)
    listed = pd.DataFrame(
        session.connection()
        .execute(
            select(m.actor_id, a.code, a.name, a.sector, m.reminded_on, m.reminded_by, m.reminders)
            .join_from(m.round_id.table, a.id.table, a.id == m.actor_id)
            .where(m.round_id == round_id)
        )
        .all(),
        columns=["actor_id", "actor_code", "actor_name", "sector", "reminded_on", "reminded_by", "reminders"],
    )
    if rnd is None or listed.empty:
        return pd.DataFrame(columns=list(MEMBER_COLUMNS))
    owed = asked(session=session, round_id=round_id)
    per_actor = owed.groupby("actor_id")
    listed["commitments"] = listed.actor_id.map(per_actor.size()).fillna(0).astype(int)
    listed["answered"] = listed.actor_id.map(per_actor.answered.sum()).fillna(0).astype(int)
    listed["on_time"] = listed.actor_id.map(per_actor.on_time.sum()).fillna(0).astype(int)
    unanswered = owed.loc[~owed.answered].groupby("actor_id").code.agg(", ".join).to_dict()
    listed["owed"] = [unanswered.get(actor_id, "") for actor_id in listed.actor_id]
    answered = owed.dropna(subset=["answered_on"])
    listed["last_answer"] = listed.actor_id.map(answered.groupby("actor_id").answered_on.max())
    listed["status"] = [
        member_status(commitments=n, answered=done, on_time=timely, deadline=rnd.deadline, today=today)
        for n, done, timely in zip(listed.commitments, listed.answered, listed.on_time, strict=True)
    ]
    order = {status: position for position, status in enumerate(MEMBER_STATUSES)}
    listed = listed.assign(_order=listed.status.map(order)).sort_values(["_order", "actor_name"])
    return listed.reset_index(drop=True)[list(MEMBER_COLUMNS)]


@dataclass(frozen=True)
class Completion:
    """How much of a round came back: by commitments and by plan weight (blank when nothing was asked)."""

    commitments: int
    answered: int
    by_commitments: float | None  # percent
    by_weight: float | None  # percent of Σ W


def completion(*, session: Session, round_id: int, plan_weight: pd.Series) -> Completion:
    """``plan_weight``: W of each commitment id (``rule.assess_commitments``' ``plan_weight``)."""
    owed = asked(session=session, round_id=round_id).drop_duplicates("commitment_id")
    total = len(owed)
    answered = int(owed.answered.sum())
    weights = owed.commitment_id.map(plan_weight).fillna(0.0).astype(float)
    weight_total = float(weights.sum())
    return Completion(
        commitments=total,
        answered=answered,
        by_commitments=answered / total * 100 if total else None,
        by_weight=float(weights[owed.answered.to_numpy()].sum()) / weight_total * 100 if weight_total > 0 else None,
    )


@dataclass(frozen=True)
class RoundInfo:
    round_id: int
    name: str
    cut_off: date
    deadline: date
    opened_by: str
    opened_at: datetime
    closed_by: str
    closed_at: datetime | None

    @property
    def closed_on(self) -> date | None:
        """The day, in Colombia, the round was closed."""
        return None if self.closed_at is None else formatting.local_date(self.closed_at)


def rounds(*, session: Session, open_only: bool = False) -> list[RoundInfo]:
    """Every round, newest cut-off first (the open ones only, when asked)."""
    r = table_columns(ReportingRound)
    statement = select(r.id, r.name, r.cut_off_date, r.deadline, r.opened_by, r.opened_at, r.closed_by, r.closed_at)
    if open_only:
        statement = statement.where(r.closed_at.is_(None))
    rows = session.connection().execute(statement.order_by(r.cut_off_date.desc(), r.id.desc())).all()
    return [RoundInfo(*row) for row in rows]


def round_info(*, session: Session, round_id: int) -> RoundInfo:
    found = [info for info in rounds(session=session) if info.round_id == round_id]
    if not found:
        raise LookupError(f"No existe la ronda número {round_id}.")
    return found[0]


def closed_rounds_of(*, session: Session, cut_offs: set[date]) -> list[ReportingRound]:
    """The closed rounds whose cut-off is one of ``cut_offs`` (a progress upload says it loads into them late)."""
    if not cut_offs:
        return []
    r = table_columns(ReportingRound)
    found = session.connection().execute(
        select(r.id).where(r.closed_at.is_not(None), r.cut_off_date.in_(sorted(cut_offs))).order_by(r.cut_off_date)
    )
    return [rnd for (round_id,) in found.all() if (rnd := session.get(ReportingRound, round_id)) is not None]
