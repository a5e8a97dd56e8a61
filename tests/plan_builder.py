"""A tiny plan written row by row, so metric tests can state their figures by hand."""

from __future__ import annotations

from datetime import date
from itertools import count
from typing import TypeVar

from sqlmodel import Session

from core.models import (
    Actor,
    Barrio,
    Commitment,
    CommitmentActor,
    CommitmentBarrio,
    Program,
    ProgressReport,
    Project,
    StrategicLine,
)

T = TypeVar("T")


class PlanBuilder:
    def __init__(self, session: Session) -> None:
        self.session = session
        self._numbers = count(1)

    def _save(self, row: T) -> T:
        self.session.add(row)
        self.session.flush()
        return row

    def line(self, *, weight: float = 1.0, code: str | None = None) -> StrategicLine:
        n = next(self._numbers)
        return self._save(StrategicLine(code=code or f"L{n}", name=f"Línea {n}", weight=weight, sort_order=n))

    def program(self, line: StrategicLine, *, weight: float = 1.0) -> Program:
        n = next(self._numbers)
        return self._save(Program(code=f"G{n}", line_id=line.id, name=f"Programa {n}", weight=weight))

    def project(
        self,
        program: Program,
        *,
        start: date | None = date(2026, 1, 1),
        end: date | None = date(2026, 12, 31),
        weight: float = 1.0,
        stage: str = "en ejecución",
    ) -> Project:
        n = next(self._numbers)
        return self._save(
            Project(
                code=f"P{n}",
                program_id=program.id,
                name=f"Proyecto {n}",
                stage=stage,
                start_date=start,
                end_date=end,
                weight=weight,
            )
        )

    def actor(self, *, sector: str = "público") -> Actor:
        n = next(self._numbers)
        return self._save(Actor(code=f"A{n}", name=f"Actor {n}", sector=sector))

    def barrio(self, code: str) -> Barrio:
        return self._save(Barrio(code=code, name=f"Barrio {code}"))

    def commitment(
        self,
        project: Project,
        *,
        weight: float = 1.0,
        target: float | None = 100.0,
        due: date = date(2026, 12, 31),
        budget: float | None = None,
        cancelled: bool = False,
        actors: tuple[Actor, ...] = (),
        barrios: tuple[Barrio, ...] = (),
    ) -> Commitment:
        n = next(self._numbers)
        commitment = self._save(
            Commitment(
                code=f"C{n}",
                project_id=project.id,
                description=f"Compromiso {n}",
                target=target,
                due_date=due,
                weight=weight,
                budget_cop=budget,
                cancelled=cancelled,
            )
        )
        for actor in actors:
            self._save(CommitmentActor(commitment_id=commitment.id, actor_id=actor.id, share=1 / len(actors)))
        for barrio in barrios:
            self._save(CommitmentBarrio(commitment_id=commitment.id, barrio_id=barrio.id))
        return commitment

    def report(
        self,
        commitment: Commitment,
        on: date,
        *,
        pct: float | None = None,
        value: float | None = None,
        executed: float | None = None,
    ) -> ProgressReport:
        return self._save(
            ProgressReport(
                commitment_id=commitment.id,
                cut_off_date=on,
                physical_pct=pct,
                achieved_value=value,
                budget_executed_cop=executed,
            )
        )
