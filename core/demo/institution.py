"""Demo institutionalization: the milestone catalogue, milestones in every status, three years of Presupuesto
Participativo. Written out by hand (no random draws), so the rest of the demo keeps its own sequence of draws and
every figure here can be checked against this file. Acts and evidence say «demostración»: none is a real record.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Protocol

from sqlmodel import SQLModel

from core.models import (
    Actor,
    Barrio,
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
from core.plan.milestones import catalogue_rows

DEMO = "(demostración)"


class Rows(Protocol):
    tables: dict[type[SQLModel], list[dict[str, Any]]]

    def add(self, model: type[SQLModel], row: dict[str, Any]) -> int: ...


# (code, kind, title, issuer, act type, act number, act date, scope, status, target date, evidence, lines)
DemoMilestone = tuple[str, str, str, str, str, str, date | None, str, str, date | None, str, tuple[str, ...]]
MILESTONES: tuple[DemoMilestone, ...] = (
    ("H-01", "JAL-AVAL", "Aval de la JAL Comuna 12 al Plan Estratégico", "Junta Administradora Local Comuna 12",
     "Resolución", "JAL-C12-007 de 2025", date(2025, 6, 20), "plan", "logrado", date(2025, 6, 30),
     f"Acta de la sesión del 20/06/2025 {DEMO}", ()),
    ("H-02", "PDL-COMP", "Líneas 1, 4 y 5 en el componente estratégico del PDL", "Consejo Comunal Comuna 12",
     "Acta", "CC-12-2025-04", date(2025, 9, 30), "líneas", "logrado", date(2025, 9, 30),
     f"Documento del PDL, capítulo 3 {DEMO}", ("L1", "L4", "L5")),
    ("H-03", "PDL-PROG", "Líneas 2 y 3 en el programa 2024–2027 del PDL", "Consejo Comunal Comuna 12",
     "Acta", "", None, "líneas", "en trámite", date(2026, 10, 31), "", ("L2", "L3")),
    ("H-04", "PDD", "Metas del plan en el Plan de Desarrollo Distrital 2028–2031", "Concejo de Medellín",
     "Acuerdo", "", None, "plan", "por gestionar", date(2027, 5, 31), "", ()),
    ("H-05", "PLAN-ACCION", "Microcuencas de la Comuna 12 en el Plan de Acción 2026 de Medio Ambiente",
     "Secretaría de Medio Ambiente", "Plan de Acción", "", date(2026, 1, 30), "programas", "logrado",
     date(2026, 1, 31), f"Plan de Acción 2026, meta 4.2.1 {DEMO}", ("L4",)),
    ("H-06", "PLAN-ACCION", "Movilidad segura en el Plan de Acción 2027 de Movilidad", "Secretaría de Movilidad",
     "Plan de Acción", "", None, "líneas", "en trámite", date(2026, 12, 15), "", ("L5",)),
    ("H-07", "PP-ASIGNA", "Presupuesto Participativo 2026 a proyectos del plan", "Consejo Comunal Comuna 12",
     "Acta de priorización", "PP-12-2026-01", date(2025, 10, 25), "plan", "logrado", date(2025, 10, 31),
     f"Acta de votación {DEMO}", ()),
    ("H-08", "PP-ASIGNA", "Votación del Presupuesto Participativo 2027", "Consejo Comunal Comuna 12",
     "Acta de priorización", "", None, "plan", "por gestionar", date(2026, 11, 29), "", ()),
    ("H-09", "RENDICION", "Rendición de cuentas del primer año del plan", "Coordinación del plan", "Acta", "",
     None, "plan", "vencido", date(2026, 6, 30), "", ()),
    ("H-10", "RENDICION", "Rendición de cuentas 2026 ante la asamblea comunal", "Coordinación del plan", "Acta",
     "", None, "plan", "por gestionar", date(2026, 12, 5), "", ()),
    ("H-11", "MARCO-LEGAL", "Taller sobre el Acuerdo 28 de 2017 y los fallos que lo cambiaron",
     "Secretaría de Participación Ciudadana", "Listado de asistencia", "", date(2026, 3, 14), "plan", "logrado",
     date(2026, 3, 31), f"Listado de asistencia y memorias {DEMO}", ()),
    ("H-12", "CE-2019", "Fallo del Consejo de Estado sobre la planeación local", "Consejo de Estado", "Sentencia",
     "", None, "plan", "logrado", None, f"Texto del fallo (2019) {DEMO}: verifique número y fecha", ()),
    ("H-13", "TAA-215-2024", "Sentencia 215 de 2024 sobre el Acuerdo 28 de 2017",
     "Tribunal Administrativo de Antioquia", "Sentencia", "215 de 2024", None, "plan", "logrado", None,
     f"Texto de la sentencia {DEMO}: adjunte el documento", ()),
    ("H-14", "APROPIACION", "Plan de la JAC Santa Lucía alineado con el plan", "JAC Santa Lucía",
     "Acta de asamblea", "Acta 12 de 2025", date(2025, 11, 8), "líneas", "anulado", None,
     f"La asamblea de afiliados revocó el acta {DEMO}", ("L1", "L4")),
    ("H-15", "PDL-PROG", "Mesa del PDL: seguimiento del componente programático", "Consejo Comunal Comuna 12",
     "Acta", "", None, "programas", "por gestionar", date(2026, 12, 1), "", ("L2",)),
)  # fmt: skip

PP_CEILINGS: dict[int, float] = {2025: 8_400_000_000.0, 2026: 8_900_000_000.0, 2027: 9_300_000_000.0}

# (year, name, dependencia short name, assigned, executed, status, line, program, uses one of our projects, barrios)
DemoPP = tuple[int, str, str, float, float | None, str, str | None, str | None, bool, tuple[str, ...]]
PP_PROJECTS: tuple[DemoPP, ...] = (
    (2025, "Limpieza de las quebradas La Hueso y Ana Díaz", "SMA", 1_200_000_000, 1_150_000_000, "terminado",
     "L4", "L4.1", True, ("La Floresta", "El Danubio")),
    (2025, "Becas de educación superior para jóvenes de la comuna", "SEDUCA", 2_000_000_000, 1_980_000_000,
     "terminado", "L2", "L2.1", False, ()),
    (2025, "Escuelas de música y danza barriales", "SCC", 900_000_000, 950_000_000, "terminado", "L2", None, False,
     ("Santa Lucía", "Santa Mónica")),
    (2025, "Mantenimiento de la sede de la Acción Comunal", "SIF", 700_000_000, 640_000_000, "terminado", None,
     None, False, ("Ferrini",)),
    (2025, "Huertas y seguridad alimentaria", "SIS", 800_000_000, 520_000_000, "en ejecución", "L3", "L3.1",
     False, ()),
    (2026, "Recuperación de andenes de la calle 44", "SIF", 1_500_000_000, 600_000_000, "en ejecución", "L5",
     "L5.1", True, ("La América",)),
    (2026, "Fortalecimiento de las Juntas de Acción Comunal", "SPC", 800_000_000, 300_000_000, "en ejecución",
     "L1", "L1.1", True, ()),
    (2026, "Emprendimientos de mujeres de la comuna", "SDE", 1_100_000_000, None, "contratado", "L6", None, False,
     ()),
    (2026, "Jornadas deportivas barriales", "INDER", 600_000_000, None, "votado", None, None, False,
     ("Campo Alegre", "Barrio Cristóbal")),
    (2026, "Salud mental para jóvenes", "SSM", 900_000_000, None, "contratado", "L3", None, False, ()),
    (2027, "Comités Barriales de Emergencia", "DAGRD", 700_000_000, None, "priorizado", "L4", "L4.2", False,
     ("Santa Teresita",)),
    (2027, "Cultura ciudadana en el espacio público", "SCC", 850_000_000, None, "votado", "L2", None, False, ()),
    (2027, "Dotación de la casa de la juventud", "SJ", 500_000_000, None, "priorizado", None, None, False, ()),
)  # fmt: skip


def _ids(rows: Rows, model: type[SQLModel], field: str) -> dict[Any, int]:
    return {row[field]: int(row["id"]) for row in rows.tables.get(model, [])}


def add_institution_rows(rows: Rows) -> None:
    """Add the demo's catalogue, milestones and Presupuesto Participativo to the demo rows built so far."""
    kinds = {row["code"]: rows.add(MilestoneKind, row) for row in catalogue_rows()}
    lines = _ids(rows, StrategicLine, "code")
    for code, kind, title, issuer, act_type, number, act_date, scope, status, target, evidence, on in MILESTONES:
        milestone_id = rows.add(
            Milestone,
            {"code": code, "kind_id": kinds[kind], "title": title, "issuer": issuer, "act_type": act_type,
             "act_number": number, "act_date": act_date, "scope": scope, "status": status, "target_date": target,
             "evidence": evidence, "note": f"Hito de demostración {DEMO}."},
        )  # fmt: skip
        for line in on:
            rows.add(MilestoneLine, {"milestone_id": milestone_id, "line_id": lines[line]})
    for year, ceiling in PP_CEILINGS.items():
        rows.add(PPCeiling, {"year": year, "ceiling_cop": ceiling})
    actors, programs = _ids(rows, Actor, "short_name"), _ids(rows, Program, "code")
    barrios = _ids(rows, Barrio, "name")
    first_project: dict[int, int] = {}  # per program: its project of the same name as the PP project, else its first
    named = {(p["program_id"], p["name"]): int(p["id"]) for p in rows.tables.get(Project, [])}
    for project in rows.tables.get(Project, []):
        first_project.setdefault(project["program_id"], int(project["id"]))
    for index, (year, name, who, assigned, executed, status, line_code, program, ours, on) in enumerate(PP_PROJECTS, 1):
        program_id = programs[program] if program else None
        pp_id = rows.add(
            PPProject,
            {"code": f"PP-{year}-{index:02d}", "year": year, "name": name, "dependencia_id": actors[who],
             "assigned_cop": float(assigned), "executed_cop": None if executed is None else float(executed),
             "status": status, "line_id": lines[line_code] if line_code else None, "program_id": program_id,
             "project_id": named.get((program_id, name), first_project.get(program_id or 0)) if ours else None},
        )  # fmt: skip
        for barrio in on:
            rows.add(PPProjectBarrio, {"pp_project_id": pp_id, "barrio_id": barrios[barrio]})
