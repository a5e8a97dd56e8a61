"""Communication packs: one page about a barrio, an actor or the whole plan, to print, to share as data and to
paste into WhatsApp. No personal data ever: only organizations, counts and progress.

A ``Pack`` holds the figures once; ``summary_text``, ``pack_html`` and ``pack_xlsx`` draw the same figures three ways.
The figures are the dashboards' own: the headline row of a barrio or an actor is its row in ``breakdowns.by_barrio`` /
``breakdowns.by_actor`` over the whole plan, as on the Barrios and Actores pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd

from core import formatting
from core.communication.assembly import PeriodChanges
from core.communication.html import render
from core.communication.svg_map import barrio_svg
from core.excel.writing import Sheet, xlsx_bytes
from core.metrics import breakdowns, rule
from core.metrics.detail import commitment_table
from core.metrics.rule import CANCELLED, CRITICAL, DELAYED, DONE, NO_REPORT, ON_TRACK
from core.metrics.snapshots import Snapshot, Thresholds
from core.plan.barrios import ATTRIBUTION, barrio_shapes
from core.tables import Column, Kind

PLAN_NAME = "Plan Estratégico de la Comuna 12 – La América"
PRINTED_COMMITMENTS = 10  # what fits on one A4 page beside the figures; the .xlsx carries every row
# Worst first: a printed page is read for what needs attention.
ATTENTION_ORDER = {
    status: rank for rank, status in enumerate((CRITICAL, DELAYED, NO_REPORT, ON_TRACK, DONE, CANCELLED))
}


@dataclass(frozen=True)
class Pack:
    scope: str  # "barrio" | "actor" | "plan"
    key: str  # barrio or actor code; "" for the plan
    title: str  # "Barrio La América"
    on: date
    totals: pd.Series  # one breakdown row (rule.BREAKDOWN_COLUMNS)
    lines: pd.DataFrame  # by_line over the pack's commitments, lines with commitments only
    commitments: pd.DataFrame  # commitment_table rows, worst state first
    partners: pd.DataFrame  # breakdown rows: actors working in the barrio, or barrios of the actor
    changes: PeriodChanges | None = None  # the bulletin's period
    vision: str = ""  # the plan's vision: the bulletin opens with it
    planning: pd.DataFrame | None = None  # an actor's «Su planeación y el plan» (alignment.actor_planning)


def _ordered(commitments: pd.DataFrame) -> pd.DataFrame:
    rank = commitments.status.map(ATTENTION_ORDER)
    return commitments.assign(_rank=rank).sort_values(["_rank", "due_date", "code"]).drop(columns="_rank")


def _with_commitments(breakdown: pd.DataFrame) -> pd.DataFrame:
    return breakdown.loc[breakdown.commitments + breakdown.cancelled > 0].reset_index(drop=True)


def barrio_pack(assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds, barrio_code: str) -> Pack:
    barrios = breakdowns.by_barrio(assessed, snapshot, thresholds)
    totals = barrios.loc[barrios.key == barrio_code].iloc[0]
    links = snapshot.commitment_barrios.merge(snapshot.barrios[["id", "code"]], left_on="barrio_id", right_on="id")
    if barrio_code == breakdowns.WHOLE_COMUNA_KEY:
        located = ~assessed.commitment_id.isin(links.commitment_id)
    else:
        located = assessed.commitment_id.isin(links.loc[links.code == barrio_code, "commitment_id"])
    own = assessed.loc[located]
    actors = breakdowns.by_actor(own, snapshot, thresholds)
    return Pack(
        scope="barrio",
        key=barrio_code,
        title=str(totals["name"]) if barrio_code == breakdowns.WHOLE_COMUNA_KEY else f"Barrio {totals['name']}",
        on=snapshot.on,
        totals=totals,
        lines=_with_commitments(breakdowns.by_line(own, snapshot, thresholds)),
        commitments=_ordered(commitment_table(own, snapshot)),
        partners=actors.loc[actors.commitments > 0].sort_values(["commitments", "name"], ascending=[False, True]),
    )


def actor_pack(
    assessed: pd.DataFrame,
    snapshot: Snapshot,
    thresholds: Thresholds,
    actor_code: str,
    planning: pd.DataFrame | None = None,
) -> Pack:
    actors = breakdowns.by_actor(assessed, snapshot, thresholds)
    totals = actors.loc[actors.key == actor_code].iloc[0]
    actor_id = snapshot.actors.loc[snapshot.actors.code == actor_code, "id"].iloc[0]
    links = snapshot.commitment_actors
    own = assessed.loc[assessed.commitment_id.isin(links.loc[links.actor_id == actor_id, "commitment_id"])]
    barrios = breakdowns.by_barrio(own, snapshot, thresholds)
    return Pack(
        scope="actor",
        key=actor_code,
        title=str(totals["name"]),
        on=snapshot.on,
        totals=totals,
        lines=_with_commitments(breakdowns.by_line(own, snapshot, thresholds)),
        commitments=_ordered(commitment_table(own, snapshot)),
        partners=barrios.loc[barrios.commitments > 0].reset_index(drop=True),
        planning=planning,
    )


def plan_bulletin(
    assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds, changes: PeriodChanges, vision: str = ""
) -> Pack:
    """The whole plan at ``changes.on``, with what changed since ``changes.since``; it opens with the ``vision``."""
    return Pack(
        scope="plan",
        key="",
        title="Boletín del plan",
        on=snapshot.on,
        totals=breakdowns.plan_totals(assessed, thresholds),
        lines=_with_commitments(breakdowns.by_line(assessed, snapshot, thresholds)),
        commitments=changes.completed,
        partners=changes.joined_actors,
        changes=changes,
        vision=vision,
    )


def _count(value: int, singular: str, plural: str) -> str:
    return f"{formatting.number(value)} {singular if value == 1 else plural}"


def _listed(parts: list[str]) -> str:
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " y " + parts[-1]


STATE_WORDS = (
    (DONE, "cumplido", "cumplidos"),
    (ON_TRACK, "al día", "al día"),
    (DELAYED, "con retraso", "con retraso"),
    (CRITICAL, "crítico", "críticos"),
    (NO_REPORT, "sin reporte", "sin reporte"),
)


def summary_text(pack: Pack) -> str:
    """A few plain sentences for WhatsApp or e-mail: who, when, how many commitments in which state, progress."""
    day, percent = formatting.day, formatting.percent
    row = pack.totals
    subject = PLAN_NAME if pack.scope == "plan" else f"{pack.title} – {PLAN_NAME}"
    text = [f"Nuestra visión: «{pack.vision}»"] if pack.vision else []
    text.append(f"{subject}, corte al {day(pack.on)}.")
    active = int(row.commitments)
    if active == 0:
        text.append("No tiene compromisos activos.")
    else:
        states = [
            _count(int(row[f"n_{status}"]), singular, plural)
            for status, singular, plural in STATE_WORDS
            if row[f"n_{status}"] > 0
        ]
        text.append(f"{_count(active, 'compromiso activo', 'compromisos activos')}: {_listed(states)}.")
        text.append(
            f"Avance físico {percent(row.physical_progress)} (esperado a la fecha: {percent(row.expected_progress)})."
        )
        if row.overdue > 0:
            text.append(f"{_count(int(row.overdue), 'compromiso vencido', 'compromisos vencidos')} sin cumplir.")
    changes = pack.changes
    if changes is not None:
        gained = [
            _count(len(changes.completed), "compromiso cumplido", "compromisos cumplidos"),
            _count(changes.new_reports, "reporte de avance nuevo", "reportes de avance nuevos"),
            _count(len(changes.new_pacts), "pacto o alianza nueva", "pactos o alianzas nuevas"),
            _count(len(changes.joined_actors), "actor que se sumó", "actores que se sumaron"),
        ]
        text.append(f"Desde el {day(changes.since)}: {_listed(gained)}.")
        if changes.progress_gain is not None:
            text.append(
                f"El avance del plan pasó de {percent(changes.plan_before.physical_progress)} a "
                f"{percent(changes.plan_after.physical_progress)}."
            )
    text.append("Fuente: Tablero del Plan – Comuna 12.")
    return " ".join(text)


def pack_html(pack: Pack, *, is_demo: bool) -> str:
    """One self-contained A4 page: styles inline, the map as inline SVG, no script and no external reference."""
    located = {pack.key} if pack.scope == "barrio" else set(pack.partners.get("key", pd.Series(dtype=str)))
    highlight = pack.key if pack.scope == "barrio" else None
    fills = {code: "#9CC3E6" for code in located if code != highlight} if pack.scope == "actor" else None
    show_map = pack.scope in ("barrio", "actor") and pack.key != breakdowns.WHOLE_COMUNA_KEY
    return render(
        "report.html.j2",
        pack=pack,
        plan_name=PLAN_NAME,
        is_demo=is_demo,
        states=[(status, plural) for status, _, plural in STATE_WORDS],
        colors=rule.STATUS_COLORS,
        printed=pack.commitments.head(PRINTED_COMMITMENTS),
        hidden=max(len(pack.commitments) - PRINTED_COMMITMENTS, 0),
        summary=summary_text(pack),
        map_svg=barrio_svg(barrio_shapes(), fills=fills, highlight=highlight, width=140) if show_map else "",
        attribution=ATTRIBUTION,
    )


TOTAL_COLUMNS = [
    Column("commitments", "Compromisos activos", Kind.INTEGER),
    Column("n_cumplido", "Cumplidos", Kind.INTEGER),
    Column("n_al día", "Al día", Kind.INTEGER),
    Column("n_con retraso", "Con retraso", Kind.INTEGER),
    Column("n_crítico", "Críticos", Kind.INTEGER),
    Column("n_sin reporte", "Sin reporte", Kind.INTEGER),
    Column("cancelled", "Cancelados", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
    Column("expected_progress", "Avance esperado", Kind.PERCENT),
    Column("efficacy", "Eficacia", Kind.PERCENT),
    Column("financial_progress", "Avance financiero", Kind.PERCENT),
    Column("budget_cop", "Comprometido", Kind.MONEY),
    Column("budget_executed_cop", "Ejecutado", Kind.MONEY),
    Column("overdue", "Vencidos", Kind.INTEGER),
]
LINE_COLUMNS = [
    Column("key", "Código"),
    Column("name", "Línea estratégica"),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
    Column("expected_progress", "Avance esperado", Kind.PERCENT),
    Column("status", "Semáforo"),
]
COMMITMENT_COLUMNS = [
    Column("code", "Código"),
    Column("description", "Compromiso"),
    Column("project_name", "Proyecto"),
    Column("actors", "Actores"),
    Column("barrios", "Barrios"),
    Column("due_date", "Entrega", Kind.DATE),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
    Column("status", "Semáforo"),
]
PARTNER_COLUMNS = [
    Column("name", "Nombre"),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
    Column("status", "Semáforo"),
]
COMPLETED_COLUMNS = [
    Column("code", "Código"),
    Column("description", "Compromiso"),
    Column("line_code", "Línea"),
    Column("actors", "Actores"),
]
GAIN_COLUMNS = [
    Column("key", "Código"),
    Column("name", "Línea estratégica"),
    Column("before", "Avance al inicio", Kind.PERCENT),
    Column("after", "Avance al final", Kind.PERCENT),
    Column("gain", "Puntos ganados", Kind.DECIMAL),
    Column("coverage_before_pct", "Cobertura al inicio", Kind.PERCENT),
    Column("coverage_after_pct", "Cobertura al final", Kind.PERCENT),
    Column("advanced", "Compromisos que avanzaron", Kind.INTEGER),
    Column("completed", "Compromisos cumplidos", Kind.INTEGER),
]
PACT_COLUMNS = [
    Column("code", "Código"),
    Column("name", "Pacto o alianza"),
    Column("kind", "Tipo"),
    Column("signed_date", "Firmado", Kind.DATE),
    Column("members", "Miembros", Kind.INTEGER),
]
PLANNING_COLUMNS = [
    Column("line_code", "Línea"),
    Column("name", "Línea estratégica"),
    Column("label", "Nivel en su planeación"),
    Column("resources_cop", "Recursos (verificados)", Kind.PESOS),
    Column("absent_text", "Ausente"),
]
PLANNING_SHEET = "Su planeación y el plan"
JOINED_COLUMNS = [
    Column("name", "Actor"),
    Column("sector", "Sector"),
    Column("first_seen", "Primera participación", Kind.DATE),
]


def _with_coverage_pct(gains: pd.DataFrame) -> pd.DataFrame:
    return gains.assign(coverage_before_pct=gains.coverage_before * 100, coverage_after_pct=gains.coverage_after * 100)


def pack_xlsx(pack: Pack) -> bytes:
    """The pack's data: every commitment (not only the printed ones), with an 'Acerca de' sheet."""
    totals = pack.totals.to_frame().T
    sheets = [Sheet("Resumen", totals, TOTAL_COLUMNS), Sheet("Por línea", pack.lines, LINE_COLUMNS)]
    if pack.changes is None:
        partners = "Actores del barrio" if pack.scope == "barrio" else "Barrios del actor"
        sheets += [
            Sheet("Compromisos", pack.commitments, COMMITMENT_COLUMNS),
            Sheet(partners, pack.partners, PARTNER_COLUMNS),
        ]
        if pack.planning is not None:
            planning = pack.planning.assign(absent_text=pack.planning.absent.map({True: "Sí", False: "No"}))
            sheets.append(Sheet(PLANNING_SHEET, planning, PLANNING_COLUMNS))
    else:
        changes = pack.changes
        sheets += [
            Sheet("Avance ganado por línea", _with_coverage_pct(changes.line_gains), GAIN_COLUMNS),
            Sheet("Compromisos cumplidos", changes.completed, COMPLETED_COLUMNS),
            Sheet("Pactos nuevos", changes.new_pacts, PACT_COLUMNS),
            Sheet("Actores que se sumaron", changes.joined_actors, JOINED_COLUMNS),
        ]
    day = formatting.day
    about = {"Informe": pack.title, "Plan": PLAN_NAME, "Fecha de corte": day(pack.on), "Resumen": summary_text(pack)}
    if pack.changes is not None:
        about["Periodo"] = f"Del {day(pack.changes.since)} al {day(pack.changes.on)}"
    return xlsx_bytes(sheets, about=about)
