"""The yearly Informe de institucionalización: milestones with their acts and evidence, Presupuesto Participativo by
line, and the plan's coverage in the Secretarías' instruments. One self-contained HTML page and the same data in
.xlsx, drawn from ``core.adoption.institution``'s figures (no personal data: organizations and acts only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from core import formatting
from core.adoption import alignment, institution
from core.adoption.institution import Institution, PPYear
from core.adoption.records import AdoptionData
from core.communication.html import render
from core.communication.packs import PLAN_NAME
from core.excel.writing import Sheet, xlsx_bytes
from core.tables import Column, Kind

MILESTONE_COLUMNS = [
    Column("date", "Fecha", Kind.DATE),
    Column("date_kind", "Fecha de"),
    Column("title", "Hito"),
    Column("group", "Grupo"),
    Column("standing", "Estado"),
    Column("issuer", "Quién lo expide"),
    Column("act_type", "Tipo de acto"),
    Column("act_number", "Número del acto"),
    Column("evidence", "Evidencia"),
]
PP_LINE_COLUMNS = [
    Column("key", "Línea"),
    Column("name", "Nombre"),
    Column("projects", "Proyectos de PP", Kind.INTEGER),
    Column("assigned_cop", "Asignado", Kind.MONEY),
    Column("executed_cop", "Ejecutado", Kind.MONEY),
    Column("share_of_ceiling", "Del tope", Kind.PERCENT),
]
SECRETARIA = "Secretaría"  # the actors' kind the report covers
HOW_COVERAGE = alignment.HOW_COVERAGE.replace("**", "").replace("*", "")  # the page's definition, as plain text
COVERAGE_COLUMNS = [
    Column("name", "Secretaría"),
    Column("instruments", "Instrumentos", Kind.INTEGER),
    Column("lines_concerned", "Líneas que le competen", Kind.INTEGER),
    Column("lines_programmed", "Líneas programadas (nivel 2 o más)", Kind.INTEGER),
    Column("coverage_pct", "Cobertura", Kind.PERCENT),
    Column("absent_lines", "Líneas ausentes"),
]
PP_YEAR_COLUMNS = [
    Column("year", "Año", Kind.INTEGER),
    Column("ceiling_cop", "Tope", Kind.MONEY),
    Column("assigned_on_plan_cop", "Asignado a líneas del plan", Kind.MONEY),
    Column("share_on_plan", "Al plan (del tope)", Kind.PERCENT),
    Column("executed_on_plan_cop", "Ejecutado del plan", Kind.MONEY),
    Column("assigned_off_plan_cop", "Asignado fuera del plan", Kind.MONEY),
    Column("without_amount", "Proyectos sin valor", Kind.INTEGER),
]


@dataclass(frozen=True)
class InstitutionReport:
    year: int
    on: date
    milestones: pd.DataFrame  # institution.milestones_of_year, with ``date_kind``
    pp: PPYear | None  # None: no PP nor ceiling recorded that year
    pp_lines: pd.DataFrame  # institution.pp_breakdown by line, that year
    coverage: pd.DataFrame  # alignment.coverage of the Secretarías with instruments, with ``coverage_pct`` (0–100)

    @property
    def title(self) -> str:
        return f"Informe de institucionalización {self.year}"


def secretaria_coverage(adoption: AdoptionData) -> pd.DataFrame:
    """The rows of ``alignment.coverage`` for the Secretarías with instruments, by name, with the figure in 0–100."""
    secretarias = adoption.actors.loc[adoption.actors.kind == SECRETARIA, "code"]
    cards = alignment.coverage(adoption)
    mine = cards.loc[cards.actor_code.isin(secretarias) & (cards.instruments > 0)]
    return mine.assign(coverage_pct=mine.coverage * 100).sort_values("name").reset_index(drop=True)


def institution_report(records: Institution, adoption: AdoptionData, *, year: int, on: date) -> InstitutionReport:
    milestones = institution.milestones_of_year(records.milestones, year, on)
    milestones = milestones.assign(date_kind=["fecha prevista" if p else "acto" for p in milestones.planned])
    years = institution.pp_by_year(records.pp, records.ceilings)
    return InstitutionReport(
        year=year,
        on=on,
        milestones=milestones,
        pp=institution.pp_year(years, year) if year in set(years.year) else None,
        pp_lines=institution.pp_breakdown(records.pp, records.ceilings, "line", year),
        coverage=secretaria_coverage(adoption),
    )


def _share(pp: PPYear | None) -> str:
    if pp is None:
        return "sin Presupuesto Participativo registrado"
    if pp.ceiling_cop is None:
        return f"{formatting.money(pp.assigned_on_plan_cop)} a líneas del plan (sin tope registrado)"
    return f"{formatting.percent(pp.share_on_plan)} del tope a líneas del plan"


def report_summary(report: InstitutionReport) -> str:
    """The report in a few plain lines, for WhatsApp or e-mail."""
    achieved = int((report.milestones.standing == institution.ACHIEVED).sum())
    dated = formatting.number(len(report.milestones))
    return "\n".join(
        [
            f"{report.title} · {PLAN_NAME}",
            f"Hitos logrados en {report.year}: {formatting.number(achieved)} de {dated} con fecha en el año.",
            f"Presupuesto Participativo {report.year}: {_share(report.pp)}.",
            f"Secretarías con instrumentos revisados: {formatting.number(len(report.coverage))}.",
        ]
    )


def report_html(report: InstitutionReport, *, is_demo: bool) -> str:
    """One self-contained A4 page: styles inline, no script, no external reference."""
    return render(
        "institution_report.html.j2",
        report=report,
        plan_name=PLAN_NAME,
        is_demo=is_demo,
        share=_share(report.pp),
        how_pp=institution.HOW_PP,
        how_ladder=institution.HOW_LADDER,
        how_coverage=HOW_COVERAGE,
    )


def report_xlsx(report: InstitutionReport) -> bytes:
    years = (
        pd.DataFrame([vars(report.pp)])
        if report.pp is not None
        else pd.DataFrame(columns=[c.source for c in PP_YEAR_COLUMNS])
    )
    sheets = [
        Sheet("Hitos", report.milestones, MILESTONE_COLUMNS),
        Sheet("Presupuesto Participativo", years, PP_YEAR_COLUMNS),
        Sheet("PP por línea", report.pp_lines, PP_LINE_COLUMNS),
        Sheet("Cobertura por Secretaría", report.coverage, COVERAGE_COLUMNS),
    ]
    about = {
        "Informe": report.title,
        "Plan": PLAN_NAME,
        "Fecha": formatting.day(report.on),
        "Hitos": institution.HOW_LADDER,
        "Presupuesto Participativo": institution.HOW_PP,
        "Cobertura": HOW_COVERAGE,
    }
    return xlsx_bytes(sheets, about=about)
