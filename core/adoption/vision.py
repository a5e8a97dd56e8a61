"""The vision's figures (DESIGN.md §8): time elapsed of the plan's horizon beside plan progress, and the progress
toward each idea-fuerza — both from the one rule (``core.metrics.rule``), never recomputed here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from core.adoption.records import AdoptionData
from core.metrics import breakdowns
from core.metrics.rule import figures_by
from core.metrics.snapshots import DEFAULT_THRESHOLDS, Thresholds

HOW_HORIZON = (
    "**Tiempo transcurrido del horizonte** = días desde el 1 de enero del año de inicio del plan hasta la fecha de "
    "corte ÷ días del horizonte completo (hasta el 31 de diciembre de su último año), entre 0 % y 100 %. Se pone al "
    "lado del **avance físico del plan**, la cifra de siempre (una sola regla: promedio del avance de los "
    "compromisos con reporte, ponderado por su peso en el plan), con su cobertura."
)
HOW_IDEAS = (
    "**Avance hacia una idea-fuerza**: la misma regla de toda cifra, aplicada al conjunto de los compromisos de sus "
    "líneas juntos (Σ peso × avance ÷ Σ peso de los que tienen reporte), no el promedio de los promedios de sus "
    "líneas. La cobertura dice qué parte de ese peso tiene reporte."
)


@dataclass(frozen=True)
class Horizon:
    start: date
    end: date
    elapsed: float  # percent of the horizon gone by at the cut-off, 0–100
    progress: float | None  # the plan's physical progress (the one rule), percent
    coverage: float | None  # 0–1


def horizon_dates(profile: dict[str, Any]) -> tuple[date, date]:
    first = int(profile["start_year"])
    return date(first, 1, 1), date(first + int(profile["horizon_years"]) - 1, 12, 31)


def elapsed_share(start: date, end: date, on: date) -> float:
    """Percent of [start, end] gone by at ``on``, clamped to 0–100."""
    span = (end - start).days
    return min(max((on - start).days / span, 0.0), 1.0) * 100 if span > 0 else (100.0 if on >= end else 0.0)


def _blank(value: Any) -> float | None:
    return None if pd.isna(value) else float(value)


def horizon(profile: dict[str, Any] | None, plan: pd.Series, on: date) -> Horizon | None:
    """``plan``: the plan's headline row (``breakdowns.plan_totals``). None while the plan has no profile."""
    if profile is None:
        return None
    start, end = horizon_dates(profile)
    return Horizon(start, end, elapsed_share(start, end, on), _blank(plan.physical_progress), _blank(plan.coverage))


def idea_progress(
    data: AdoptionData, assessed: pd.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """One row per idea-fuerza in the breakdown shape (``key`` its code, ``name`` its text) plus ``lines``: the
    one rule over the union of its lines' commitments."""
    exploded = assessed.merge(data.idea_lines, on="line_code")
    figures = figures_by(exploded, exploded.idea_code, thresholds)
    names = data.ideas.set_index("code")[["text"]].rename(columns={"text": "name"}).assign(color=None)
    names.index.name = "key"
    out = breakdowns.named_breakdown(figures, names)
    out["lines"] = out.key.map(data.idea_lines.groupby("idea_code").line_code.agg(", ".join)).fillna("")
    return out


@dataclass(frozen=True)
class VisionFigures:
    """What the Visión page, the slides «Nuestra visión» and the bulletin show."""

    profile: dict[str, Any] | None  # None while the plan has no profile
    horizon: Horizon | None
    ideas: pd.DataFrame  # ``idea_progress``

    @property
    def text(self) -> str:
        return str(self.profile["vision"]) if self.profile and self.profile["vision"] else ""


def vision_figures(
    data: AdoptionData, assessed: pd.DataFrame, plan: pd.Series, on: date, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> VisionFigures:
    """``plan``: the plan's headline row (``breakdowns.plan_totals`` of ``assessed``)."""
    return VisionFigures(data.profile, horizon(data.profile, plan, on), idea_progress(data, assessed, thresholds))
