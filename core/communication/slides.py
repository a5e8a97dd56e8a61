"""The assembly slides as HTML (``core/templates/slides``): large type, about six items each, data escaped.

The map and the curva motivacional are plotly charts drawn by the page under their slide's heading
(``chart.html.j2``); every other slide is complete in its HTML.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

import pandas as pd

from core import formatting
from core.adoption.institution import PPYear
from core.adoption.vision import VisionFigures
from core.communication.assembly import MAX_ITEMS, PeriodChanges, Slide
from core.communication.html import render
from core.communication.packs import STATE_WORDS
from core.metrics import breakdowns, rule

CHART_SLIDES = ("mapa", "curva")


@dataclass(frozen=True)
class DeckData:
    """What the slides show, computed once per cut-off date, reference date and data version."""

    on: date
    plan: pd.Series  # breakdowns.plan_totals
    lines: pd.DataFrame  # breakdowns.by_line
    barrios: pd.DataFrame  # breakdowns.by_barrio (with the whole-comuna row)
    changes: PeriodChanges
    reference: str  # why the period starts when it does, in words
    upcoming: pd.DataFrame  # assembly.upcoming_due
    motivation_now: float | None  # the plan's curva motivacional at the cut-off month
    is_demo: bool
    pp: PPYear | None = None  # Presupuesto Participativo of the cut-off's year (institution.pp_year)
    pp_lines: pd.DataFrame = field(default_factory=pd.DataFrame)  # institution.pp_breakdown by line, that year
    windows: pd.DataFrame = field(default_factory=pd.DataFrame)  # institution.upcoming_windows
    vision: VisionFigures | None = None  # «Nuestra visión»
    crosswalk: pd.DataFrame | None = None  # alignment.transversality: «El plan en la planeación de otros»

    @property
    def barrios_with_commitments(self) -> int:
        located = self.barrios.loc[self.barrios.key != breakdowns.WHOLE_COMUNA_KEY]
        return int((located.commitments > 0).sum())


def chart_lead(slide: Slide, data: DeckData) -> str:
    if slide.kind == "mapa":
        return "Avance físico de los compromisos ubicados en cada barrio (gris: sin reporte)."
    value = data.motivation_now
    if value is None:
        return "Índice de motivación de los actores (0 a 100), mes a mes: aún sin datos."
    return f"Índice de motivación de los actores (0 a 100), mes a mes. Hoy: {formatting.number(value, 1)}."


def footer_html(data: DeckData, *, number: int, total: int) -> str:
    """The footer of a chart slide, drawn under its chart (other slides carry their own)."""
    return render("slides/footer.html.j2", data=data, number=number, total=total)


def slide_html(slide: Slide, data: DeckData, *, number: int, total: int) -> str:
    """One slide (for a chart slide, its heading); ``number`` counts from 1."""
    common = {
        "slide": slide,
        "data": data,
        "number": number,
        "total": total,
        "states": [(status, plural) for status, _, plural in STATE_WORDS],
        "colors": rule.STATUS_COLORS,
    }
    if slide.kind in CHART_SLIDES:
        return render("slides/chart.html.j2", lead=chart_lead(slide, data), **common)
    if slide.kind == "linea":
        row = data.lines.loc[data.lines.key == slide.key].iloc[0]
        return render("slides/linea.html.j2", row=row, **common)
    if slide.kind == "barrio":
        row = data.barrios.loc[data.barrios.key == slide.key].iloc[0]
        return render("slides/barrio.html.j2", row=row, **common)
    if slide.kind == "logros":
        advanced = int(data.changes.line_gains.advanced.sum())
        return render(
            "slides/logros.html.j2", changes=data.changes, reference=data.reference, advanced=advanced, **common
        )
    if slide.kind == "hitos":
        windows = data.windows.head(2)  # the next deadlines, under what was achieved: about six rows in all
        room = MAX_ITEMS - len(windows)
        return render(
            "slides/hitos.html.j2",
            changes=data.changes,
            reference=data.reference,
            achieved=data.changes.milestones.head(room),
            hidden=max(len(data.changes.milestones) - room, 0),
            windows=windows,
            **common,
        )
    if slide.kind == "pp":
        on_plan = data.pp_lines.loc[data.pp_lines.on_plan] if len(data.pp_lines) else data.pp_lines
        return render("slides/pp.html.j2", pp=data.pp, lines=on_plan.head(MAX_ITEMS - 2), **common)
    if slide.kind == "avance":
        gains = data.changes.line_gains
        return render(
            "slides/avance.html.j2",
            changes=data.changes,
            gains=gains.head(MAX_ITEMS),
            hidden=max(len(gains) - MAX_ITEMS, 0),
            **common,
        )
    if slide.kind == "proximos":
        return render("slides/proximos.html.j2", upcoming=data.upcoming, **common)
    if slide.kind == "vision":
        ideas = data.vision.ideas if data.vision is not None else pd.DataFrame()
        return render("slides/vision.html.j2", vision=data.vision, ideas=ideas.head(MAX_ITEMS), **common)
    if slide.kind == "planes":
        crosswalk = data.crosswalk if data.crosswalk is not None else pd.DataFrame()
        return render("slides/planes.html.j2", crosswalk=crosswalk.head(MAX_ITEMS), **common)
    return render("slides/resumen.html.j2", **common)
