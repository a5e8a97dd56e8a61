"""Institutionalization of the plan (DESIGN.md §8): the milestone ladder and timeline, Presupuesto Participativo to
the plan, the plan in the PDL, and the windows coming up.

``load_institution`` reads the records once; every figure below is a pure function of its frames, so a page, a
slide and the yearly report show the same numbers. There is no composite score: a milestone is a fact with its act
and evidence, counted by status. PP money is shown beside the commitments' budgets, never added to them. Blank is
never zero: a PP project with no amount is counted as "sin valor", a year with no ceiling has no share ("sin tope").
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal, cast

import pandas as pd
from sqlalchemy import and_, func, select
from sqlmodel import Session

from core.db import table_columns
from core.models import (
    MILESTONE_GROUPS,
    MILESTONE_STATUSES,
    Actor,
    Alignment,
    Barrio,
    Commitment,
    Instrument,
    Milestone,
    MilestoneKind,
    MilestoneLine,
    PPCeiling,
    PPProject,
    PPProjectBarrio,
    Program,
    Project,
    StrategicLine,
)
from core.plan.rules import VERIFIED
from core.plan.sheets import table_of

ACHIEVED, CANCELLED, OVERDUE = "logrado", "anulado", "vencido"
CLOSED = frozenset({ACHIEVED, CANCELLED})
PDL_COMPONENT, PDL_PROGRAM = "PDL componente estratégico", "PDL programa"
PDL_KINDS: dict[str, str] = {PDL_COMPONENT: "Componente estratégico del PDL", PDL_PROGRAM: "Programa del PDL"}
OFF_PLAN = "Fuera del plan"
UPCOMING = "próximo"
WINDOW_DAYS = 60

HOW_LADDER = (
    "Cada hito es un hecho registrado con su acto (quién lo expide, tipo, número y fecha) y su evidencia; un hito "
    "«logrado» siempre tiene número de acto o evidencia. La escalera cuenta los hitos de cada grupo por estado; no "
    "hay un puntaje que los sume. Un hito con fecha prevista ya pasada que no está logrado ni anulado cuenta como "
    "«vencido». Los hitos archivados no se cuentan."
)
HOW_TIMELINE = (
    "Cada hito en la fecha de su acto; si aún no tiene acto, en su fecha prevista (marcada «prevista»). Los hitos "
    "sin ninguna de las dos fechas se cuentan aparte."
)
HOW_PP = (
    "Presupuesto Participativo al plan en un año = Σ lo asignado a proyectos de PP con línea del plan ÷ tope de PP "
    "de la comuna en ese año. Lo ejecutado se muestra al lado de lo asignado, nunca sumado con él. Los proyectos de "
    "PP sin línea van aparte, «fuera del plan». Un año sin tope registrado dice «sin tope», no 0 %. Un proyecto sin "
    "valor asignado no suma cero: se cuenta como «sin valor». El dinero de PP nunca se suma al presupuesto de los "
    "compromisos: se muestra al lado y se señala cuando un proyecto de PP cae en un proyecto del plan cuyos "
    "compromisos ya tienen presupuesto."
)
HOW_PDL = (
    "Líneas presentes en el componente estratégico (o en el programa) del Plan de Desarrollo Local = líneas activas "
    "del plan con al menos una fila de articulación **verificada** de nivel 1 o más (mencionada, programada o con "
    "recursos) en un instrumento de tipo «PDL componente estratégico» (o «PDL programa») ÷ líneas activas del plan. "
    "Las filas propuestas o descartadas no cuentan."
)
HOW_WINDOWS = (
    "Los hitos por gestionar o en trámite con fecha prevista en los próximos días: Planes de Acción, votación de "
    "PP, mesas del PDL, rendición de cuentas… Los que ya pasaron su fecha sin lograrse aparecen primero, marcados "
    "«vencido»."
)


@dataclass(frozen=True)
class Institution:
    milestones: pd.DataFrame  # code, title, kind_code, kind_name, group, issuer, act_type, act_number, act_date,
    #                           scope, status, target_date, evidence, lines
    ceilings: pd.DataFrame  # year, ceiling_cop
    pp: pd.DataFrame  # code, year, name, dependencia_code, dependencia, assigned_cop, executed_cop, status,
    #                   line_code, line_name, program_code, project_code, project_name, barrios, commitments_budget_cop
    lines: pd.DataFrame  # code, name, color, sort_order: the active lines
    alignments: pd.DataFrame  # verified rows: instrument_code, instrument_kind, line_code, level (for the PDL)


def _joined(pairs: pd.DataFrame, key: str, value: str) -> dict[object, str]:
    return {k: ", ".join(sorted(map(str, group[value]))) for k, group in pairs.groupby(key)}


def _each(ids: pd.Series, joined: dict[object, str]) -> list[str]:
    return [joined.get(each, "") for each in ids]


def _or(values: pd.Series, blank: str) -> list[str]:
    return [blank if pd.isna(value) else str(value) for value in values]


def load_institution(*, session: Session) -> Institution:
    """Milestones and PP projects that are not archived, every ceiling, and the verified crosswalk rows."""
    connection = session.connection()
    m, k, ml = table_columns(Milestone), table_columns(MilestoneKind), table_columns(MilestoneLine)
    ln, g, p, a = table_columns(StrategicLine), table_columns(Program), table_columns(Project), table_columns(Actor)
    pp, ppb, b = table_columns(PPProject), table_columns(PPProjectBarrio), table_columns(Barrio)
    c, ce = table_columns(Commitment), table_columns(PPCeiling)
    milestones = pd.read_sql(
        select(m.id, m.code, m.title, k.code.label("kind_code"), k.name.label("kind_name"),
               k.group_name.label("group"), m.issuer, m.act_type, m.act_number, m.act_date, m.scope, m.status,
               m.target_date, m.evidence)
        .join(table_of(MilestoneKind), k.id == m.kind_id).where(m.archived_on.is_(None)).order_by(m.code),
        connection,
    )  # fmt: skip
    milestone_lines = pd.read_sql(
        select(ml.milestone_id, ln.code).join(table_of(StrategicLine), ln.id == ml.line_id), connection
    )
    milestones["lines"] = _each(milestones.id, _joined(milestone_lines, "milestone_id", "code"))
    for name in ("act_date", "target_date"):
        milestones[name] = milestones[name].map(lambda v: v if pd.isna(v) else pd.Timestamp(v).date())
    budgets = (
        select(c.project_id, func.sum(c.budget_cop).label("budget"))
        .where(c.cancelled.is_(False), c.archived_on.is_(None), c.budget_cop > 0)
        .group_by(c.project_id)
        .subquery()
    )
    projects = pd.read_sql(
        select(pp.id, pp.code, pp.year, pp.name, a.code.label("dependencia_code"), a.name.label("dependencia"),
               pp.assigned_cop, pp.executed_cop, pp.status, ln.code.label("line_code"), ln.name.label("line_name"),
               g.code.label("program_code"), p.code.label("project_code"), p.name.label("project_name"),
               budgets.c.budget.label("commitments_budget_cop"))
        .join(table_of(Actor), a.id == pp.dependencia_id)
        .outerjoin(table_of(StrategicLine), ln.id == pp.line_id)
        .outerjoin(table_of(Program), g.id == pp.program_id)
        .outerjoin(table_of(Project), p.id == pp.project_id)
        .outerjoin(budgets, budgets.c.project_id == pp.project_id)
        .where(pp.archived_on.is_(None)).order_by(pp.year, pp.code),
        connection,
    )  # fmt: skip
    barrios = pd.read_sql(select(ppb.pp_project_id, b.name).join(table_of(Barrio), b.id == ppb.barrio_id), connection)
    projects["barrios"] = _each(projects.id, _joined(barrios, "pp_project_id", "name"))
    ceilings = pd.read_sql(select(ce.year, ce.ceiling_cop).order_by(ce.year), connection)
    lines = pd.read_sql(
        select(ln.code, ln.name, ln.color, ln.sort_order).where(ln.archived_on.is_(None)).order_by(ln.sort_order),
        connection,
    )
    i, al = table_columns(Instrument), table_columns(Alignment)
    alignments = pd.read_sql(
        select(i.code.label("instrument_code"), i.kind.label("instrument_kind"), ln.code.label("line_code"), al.level)
        .select_from(table_of(Alignment))
        .join(table_of(Instrument), i.id == al.instrument_id)
        .join(table_of(StrategicLine), ln.id == al.line_id)
        .where(and_(al.state == VERIFIED, al.archived_on.is_(None), i.archived_on.is_(None))),
        connection,
    )
    return Institution(milestones.drop(columns="id"), ceilings, projects.drop(columns="id"), lines, alignments)


# ---------------------------------------------------------------------------------------------- milestones


def standing(milestones: pd.DataFrame, today: date) -> pd.Series:
    """Each milestone's status as counted: its own, or «vencido» once its target date passed without it closing."""
    late = [
        status not in CLOSED and target is not None and not pd.isna(target) and target < today
        for status, target in zip(milestones.status, milestones.target_date, strict=True)
    ]
    return pd.Series(
        [OVERDUE if is_late else status for is_late, status in zip(late, milestones.status, strict=True)],
        index=milestones.index,
        dtype=object,
    )


def milestone_ladder(milestones: pd.DataFrame, today: date) -> pd.DataFrame:
    """One row per group, in the catalogue's order (groups with no milestone too): a count per status, the total."""
    counted = milestones.assign(standing=standing(milestones, today))
    rows = []
    for group in MILESTONE_GROUPS:
        mine = counted.loc[counted.group == group, "standing"]
        rows.append({"group": group} | {s: int((mine == s).sum()) for s in MILESTONE_STATUSES} | {"total": len(mine)})
    return pd.DataFrame(rows, columns=["group", *MILESTONE_STATUSES, "total"])


def milestone_timeline(milestones: pd.DataFrame, today: date) -> pd.DataFrame:
    """Dated milestones, oldest first: on the act's date, else on the target date (``planned`` True)."""
    frame = milestones.assign(standing=standing(milestones, today))
    has_act = frame.act_date.notna()
    frame = frame.assign(date=frame.act_date.where(has_act, frame.target_date), planned=~has_act)
    frame = frame.loc[frame.date.notna()]
    columns = ["date", "planned", "code", "title", "group", "kind_name", "standing", "issuer", "act_type", "act_number",
               "evidence"]  # fmt: skip
    return frame.sort_values(["date", "code"])[columns].reset_index(drop=True)


def upcoming_windows(milestones: pd.DataFrame, today: date, days: int = WINDOW_DAYS) -> pd.DataFrame:
    """Open milestones whose target date falls in the next ``days`` days, after those already past it («vencido»)."""
    end = today + timedelta(days=days)
    open_ = milestones.loc[~milestones.status.isin(CLOSED) & milestones.target_date.notna()]
    open_ = open_.loc[[target <= end for target in open_.target_date]]
    frame = open_.assign(
        days_left=[(target - today).days for target in open_.target_date],
        flag=[OVERDUE if target < today else UPCOMING for target in open_.target_date],
    )
    columns = ["target_date", "days_left", "flag", "code", "title", "kind_name", "group", "status"]
    return frame.sort_values(["target_date", "code"])[columns].reset_index(drop=True)


def achieved_between(milestones: pd.DataFrame, since: date | None, until: date) -> pd.DataFrame:
    """Milestones achieved with an act dated after ``since`` (None: ever) and on or before ``until``."""
    dated = milestones.loc[(milestones.status == ACHIEVED) & milestones.act_date.notna()]
    kept = [(since is None or day > since) and day <= until for day in dated.act_date]
    return dated.loc[kept].sort_values(["act_date", "code"]).reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- Presupuesto Particip.


def _sum(values: pd.Series) -> float | None:
    """Σ of the amounts given; None when none is (a blank is never a zero)."""
    given = values.dropna()
    return float(given.sum()) if len(given) else None


def _share(amount: float | None, ceiling: float | None) -> float | None:
    if ceiling is None or pd.isna(ceiling) or ceiling <= 0:
        return None
    return 100 * (amount or 0.0) / ceiling


def _ceilings(ceilings: pd.DataFrame) -> dict[int, float]:
    return {int(year): float(value) for year, value in zip(ceilings.year, ceilings.ceiling_cop, strict=True)}


def pp_by_year(pp: pd.DataFrame, ceilings: pd.DataFrame) -> pd.DataFrame:
    """One row per year with a ceiling or a PP project: the ceiling (None: «sin tope»), assigned and executed on plan
    lines and off the plan, the share of the ceiling on the plan, projects and those without an amount."""
    tops = _ceilings(ceilings)
    rows = []
    for year in sorted(set(tops) | {int(y) for y in pp.year}):
        mine = pp.loc[pp.year == year]
        on = mine.loc[mine.line_code.notna()]
        off = mine.loc[mine.line_code.isna()]
        assigned_on = _sum(on.assigned_cop)
        rows.append(
            {"year": year, "ceiling_cop": tops.get(year), "assigned_on_plan_cop": assigned_on,
             "executed_on_plan_cop": _sum(on.executed_cop), "assigned_off_plan_cop": _sum(off.assigned_cop),
             "executed_off_plan_cop": _sum(off.executed_cop), "share_on_plan": _share(assigned_on, tops.get(year)),
             "projects": len(mine), "projects_off_plan": len(off),
             "without_amount": int(mine.assigned_cop.isna().sum())}
        )  # fmt: skip
    columns = ["year", "ceiling_cop", "assigned_on_plan_cop", "executed_on_plan_cop", "assigned_off_plan_cop",
               "executed_off_plan_cop", "share_on_plan", "projects", "projects_off_plan", "without_amount"]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


@dataclass(frozen=True)
class PPYear:
    """One row of ``pp_by_year``, typed (blank amounts as None)."""

    year: int
    ceiling_cop: float | None
    assigned_on_plan_cop: float | None
    executed_on_plan_cop: float | None
    assigned_off_plan_cop: float | None
    executed_off_plan_cop: float | None
    share_on_plan: float | None
    projects: int
    projects_off_plan: int
    without_amount: int


def pp_year(years: pd.DataFrame, year: int) -> PPYear:
    row = years.loc[years.year == year].iloc[0]

    def amount(name: str) -> float | None:
        return None if pd.isna(row[name]) else float(row[name])

    return PPYear(
        year, amount("ceiling_cop"), amount("assigned_on_plan_cop"), amount("executed_on_plan_cop"),
        amount("assigned_off_plan_cop"), amount("executed_off_plan_cop"), amount("share_on_plan"),
        int(row.projects), int(row.projects_off_plan), int(row.without_amount),
    )  # fmt: skip


BREAKDOWN_COLUMNS = ["year", "key", "name", "on_plan", "projects", "assigned_cop", "executed_cop", "share_of_ceiling"]


def pp_breakdown(
    pp: pd.DataFrame, ceilings: pd.DataFrame, by: Literal["line", "dependencia"], year: int | None = None
) -> pd.DataFrame:
    """PP per line or per dependencia (and year), one shape for both: the off-plan projects are their own rows
    (``on_plan`` False), the share is of that year's ceiling (None: «sin tope»)."""
    tops = _ceilings(ceilings)
    frame = pp if year is None else pp.loc[pp.year == year]
    key, name = ("line_code", "line_name") if by == "line" else ("dependencia_code", "dependencia")
    frame = frame.assign(
        on_plan=frame.line_code.notna(),
        key=_or(frame[key], ""),
        name=_or(frame[name], OFF_PLAN),
    )
    rows = []
    for group_key, group in frame.groupby(["year", "key", "name", "on_plan"], sort=False):
        each_year, code, label, on_plan = cast(tuple[int, str, str, bool], group_key)
        assigned = _sum(group.assigned_cop)
        rows.append(
            {"year": int(each_year), "key": code, "name": label, "on_plan": bool(on_plan), "projects": len(group),
             "assigned_cop": assigned, "executed_cop": _sum(group.executed_cop),
             "share_of_ceiling": _share(assigned, tops.get(int(each_year)))}
        )  # fmt: skip
    result = pd.DataFrame(rows, columns=BREAKDOWN_COLUMNS)
    return result.sort_values(["year", "on_plan", "key"], ascending=[True, False, True]).reset_index(drop=True)


def pp_overlaps(pp: pd.DataFrame) -> pd.DataFrame:
    """PP projects on a project of ours whose commitments already have a budget: the two sums are shown side by
    side, never added."""
    flagged = pp.loc[pp.project_code.notna() & (pp.commitments_budget_cop.fillna(0) > 0)]
    columns = ["year", "code", "name", "dependencia", "project_code", "project_name", "assigned_cop",
               "commitments_budget_cop"]  # fmt: skip
    return flagged[columns].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------- the plan in the PDL


def pdl_lines(alignments: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Each active line: whether a verified row of level ≥ 1 puts it in the PDL's strategic component, its program."""
    present = alignments.loc[alignments.level >= 1]
    frame = lines[["code", "name"]].rename(columns={"code": "line_code", "name": "line_name"})
    for kind, column in ((PDL_COMPONENT, "in_component"), (PDL_PROGRAM, "in_program")):
        codes = set(present.loc[present.instrument_kind == kind, "line_code"])
        frame[column] = frame.line_code.isin(codes)
    return frame.reset_index(drop=True)


def pdl_incorporation(alignments: pd.DataFrame, lines: pd.DataFrame) -> pd.DataFrame:
    """Per PDL part: lines present, active lines, share (None when the plan has no active line)."""
    per_line = pdl_lines(alignments, lines)
    total = len(per_line)
    rows = []
    for (kind, label), column in zip(PDL_KINDS.items(), ("in_component", "in_program"), strict=True):
        present = int(per_line[column].sum())
        rows.append(
            {"kind": kind, "label": label, "lines_present": present, "active_lines": total,
             "share": 100 * present / total if total else None}
        )  # fmt: skip
    return pd.DataFrame(rows, columns=["kind", "label", "lines_present", "active_lines", "share"])


def milestones_of_year(milestones: pd.DataFrame, year: int, today: date) -> pd.DataFrame:
    """Milestones whose act (else target) date falls in ``year``, by date, with their status as counted."""
    frame = milestone_timeline(milestones, today)
    return frame.loc[[day.year == year for day in frame.date]].reset_index(drop=True)
