"""The catalogue of institutionalization milestones a new database starts with (DESIGN.md §8).

Each kind names a fact to record with its act and evidence — who issued what, when — never a reading of who must
approve what: the local framework has changed by rulings and may change again, so the rulings themselves are kinds
of milestone ("contexto normativo"). Coordinators edit the catalogue in «Administrar el plan».
"""

from __future__ import annotations

from sqlalchemy import func, insert, select
from sqlmodel import Session

from core import audit, db
from core.models import MilestoneKind

RECORD_THE_FACT = "Registre el acto (quién lo expide, tipo, número y fecha) y su evidencia."

# (code, name, group, description)
MILESTONE_CATALOGUE: tuple[tuple[str, str, str, str], ...] = (
    ("JAL-AVAL", "Aval de la JAL al plan", "reconocimiento", "La Junta Administradora Local respalda el plan."),
    (
        "PDL-COMP",
        "Incorporación en el componente estratégico del PDL",
        "incorporación",
        "Las líneas del plan quedan en el componente estratégico (12 años) del Plan de Desarrollo Local.",
    ),
    (
        "PDL-PROG",
        "Incorporación en el programa del PDL",
        "incorporación",
        "Las líneas del plan quedan en el componente programático (4 años) del Plan de Desarrollo Local.",
    ),
    (
        "PDD",
        "Incorporación en el Plan de Desarrollo Distrital",
        "incorporación",
        "El Plan de Desarrollo de Medellín recoge programas o metas del plan.",
    ),
    (
        "PLAN-ACCION",
        "Inclusión en el Plan de Acción de una Secretaría",
        "incorporación",
        "Una Secretaría programa en su Plan de Acción o en el POAI proyectos del plan.",
    ),
    (
        "PP-ASIGNA",
        "Asignación de Presupuesto Participativo",
        "financiación",
        "La comuna asigna recursos de Presupuesto Participativo a proyectos del plan.",
    ),
    (
        "APROPIACION",
        "Adopción del plan en la planeación de una organización",
        "apropiación",
        "Una JAC, una corporación o una empresa toma el plan como soporte de su propia planeación.",
    ),
    (
        "MARCO-LEGAL",
        "Formación en el marco legal de la planeación participativa",
        "difusión",
        "Jornadas de formación sobre las normas que sostienen la planeación local y el presupuesto participativo.",
    ),
    (
        "RENDICION",
        "Rendición de cuentas del plan",
        "control social",
        "Las entidades y la coordinación rinden cuentas ante la comunidad sobre el avance del plan.",
    ),
    (
        "CE-2019",
        "Fallo del Consejo de Estado (2019)",
        "contexto normativo",
        "Decisión judicial que cambió el marco local de la planeación participativa.",
    ),
    (
        "TAA-215-2024",
        "Sentencia 215 de 2024 del Tribunal Administrativo de Antioquia sobre el Acuerdo 28 de 2017",
        "contexto normativo",
        "Decisión judicial sobre el Acuerdo 28 de 2017 del Concejo de Medellín (sistema de planeación local).",
    ),
    (
        "NORMA",
        "Otra decisión que cambia las reglas",
        "contexto normativo",
        "Una ley, un acuerdo, un decreto o un fallo que cambia las reglas de la planeación local.",
    ),
)


def catalogue_rows() -> list[dict[str, object]]:
    """The catalogue as rows of ``milestone_kind`` (without ids)."""
    return [
        {"code": code, "name": name, "group_name": group, "description": f"{description} {RECORD_THE_FACT}",
         "sort_order": order}
        for order, (code, name, group, description) in enumerate(MILESTONE_CATALOGUE, start=1)
    ]  # fmt: skip


def seed_milestone_catalogue(*, session: Session, user: str = audit.SYSTEM_USER) -> int:
    """Give an empty catalogue its starting kinds (audited); returns how many were added. A catalogue that has any
    kind, even archived ones, is the coordinators' own and is left alone."""
    if session.scalar(select(func.count()).select_from(MilestoneKind)):
        return 0
    rows = catalogue_rows()
    session.execute(insert(MilestoneKind), rows)
    audit.record(
        session=session,
        user=user,
        action="sembrar catálogo de hitos",
        table_name="milestone_kind",
        after={"tipos": [row["code"] for row in rows]},
    )
    db.bump_data_version(session=session)
    return len(rows)
