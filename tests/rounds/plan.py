"""One small plan for the round tests, its figures stated by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlmodel import Session

from core.models import ProgressReport
from tests.plan_builder import PlanBuilder

CUT_OFF = date(2026, 10, 31)
DEADLINE = date(2026, 11, 10)


@dataclass(frozen=True)
class Ref:
    """A row's id and code, kept after its session is gone."""

    id: int
    code: str


def ref(row: object) -> Ref:
    return Ref(id=row.id, code=row.code)  # type: ignore[attr-defined]


@dataclass
class RoundPlan:
    """A (público) owes c1 (weight 1) and c2 (weight 3); B (comunitario) owes c3 (weight 1); Z (privado) finished c4
    before the cut-off and a cancelled c5 of A is not owed. One project holds them all: W = weight ÷ 6 (c1, c2, c3,
    c4 active), so the round asks for W 1/6 + 3/6 + 1/6 = 5/6."""

    a: Ref
    b: Ref
    z: Ref
    c1: Ref
    c2: Ref
    c3: Ref
    other_line: str


def build(session: Session) -> RoundPlan:
    plan = PlanBuilder(session)
    a, b, z = plan.actor(), plan.actor(sector="comunitario"), plan.actor(sector="privado")
    project = plan.project(plan.program(plan.line()))
    c1 = plan.commitment(project, actors=(a,))
    c2 = plan.commitment(project, weight=3, actors=(a,))
    c3 = plan.commitment(project, actors=(b,))
    c4 = plan.commitment(project, actors=(z,))
    plan.commitment(project, actors=(a,), cancelled=True)
    plan.report(c4, date(2026, 6, 30), pct=100)
    other = plan.line()
    plan.commitment(plan.project(plan.program(other)), actors=(plan.actor(sector="académico"),))
    refs = {name: ref(row) for name, row in {"a": a, "b": b, "z": z, "c1": c1, "c2": c2, "c3": c3}.items()}
    return RoundPlan(**refs, other_line=other.code)


def answer(session: Session, commitment: Ref, at: datetime, *, on: date = CUT_OFF, pct: float = 50) -> None:
    """A report of ``commitment`` for ``on``, recorded at ``at`` (UTC)."""
    session.add(
        ProgressReport(commitment_id=commitment.id, cut_off_date=on, physical_pct=pct, created_at=at.astimezone(UTC))
    )
    session.flush()
