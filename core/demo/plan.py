"""Deterministic demonstration data for Comuna 12 – La América.

Same seed, same rows: every figure is drawn from ``random.Random(seed)`` and dated against the fixed
``DEMO_TODAY``, never against the clock. ``scale`` multiplies the projects (and so commitments and reports)
to build larger plans for benchmarks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, insert, select, text, update
from sqlmodel import Session, SQLModel, col

from core import audit, db
from core.demo import vision
from core.demo.institution import add_institution_rows
from core.models import (
    Actor,
    Attendance,
    AuditEntry,
    Barrio,
    Commitment,
    CommitmentActor,
    CommitmentBarrio,
    ContactConsent,
    Event,
    ImportBatch,
    MotivationRating,
    Pact,
    PactLine,
    PactMember,
    Program,
    ProgressReport,
    Project,
    ProjectBarrio,
    ReportingRound,
    RoundCommitment,
    RoundMember,
    StrategicLine,
    User,
)
from core.plan import schema
from core.plan.barrios import barrio_shapes
from core.plan.milestones import seed_milestone_catalogue

DEMO_SEED = 12
DEMO_TODAY = date(2026, 11, 15)
DEMO_AS_OF_KEY = "demo_as_of"
PLAN_START = date(2025, 5, 15)
REPORT_MONTHS = 18  # monthly cut-offs on the 15th, June 2025 – November 2026

# (code, name, colour, description, {program code suffix: (program name, [project names])})
LINES: list[tuple[str, str, str, str, list[tuple[str, list[str]]]]] = [
    (
        "L1",
        "Participación, Convivencia y Seguridad",
        "#6A3D9A",
        "Organización comunitaria, convivencia pacífica y comunicación para el desarrollo.",
        [
            (
                "Fortalecimiento de la organización comunitaria",
                [
                    "Escuela de liderazgo comunitario de la Comuna 12",
                    "Fortalecimiento de las Juntas de Acción Comunal",
                    "Formación a la JAL y los comités en presupuesto participativo",
                    "Red de comunicadores comunitarios",
                ],
            ),
            (
                "Convivencia y seguridad",
                [
                    "Mediación de conflictos vecinales en los barrios",
                    "Entornos protectores alrededor de las instituciones educativas",
                    "Recuperación de espacios para la convivencia nocturna",
                    "Prevención de la violencia intrafamiliar y de género",
                ],
            ),
            (
                "Comunicación para el desarrollo",
                [
                    "Periódico y emisora comunitaria de La América",
                    "Sistema de información y rendición de cuentas del plan",
                ],
            ),
        ],
    ),
    (
        "L2",
        "Educación, Cultura y Deporte",
        "#E66101",
        "Acceso a la educación, expresiones culturales, memoria barrial, deporte y recreación.",
        [
            (
                "Educación para la vida",
                [
                    "Acceso a educación superior para jóvenes de la comuna",
                    "Dotación de bibliotecas escolares y comunitarias",
                    "Alfabetización digital para personas mayores",
                    "Refuerzo escolar en matemáticas y lectura",
                ],
            ),
            (
                "Cultura y memoria",
                [
                    "Semilleros artísticos barriales",
                    "Festival Cultural de la Comuna 12",
                    "Recuperación de la memoria histórica de los barrios",
                    "Dotación de grupos culturales",
                ],
            ),
            (
                "Deporte y recreación",
                [
                    "Escuelas populares del deporte",
                    "Adecuación de placas polideportivas",
                    "Recreación en familia y ciclovías barriales",
                ],
            ),
        ],
    ),
    (
        "L3",
        "Salud, Inclusión y Bienestar Social",
        "#1B9E77",
        "Salud pública comunitaria, inclusión de poblaciones vulnerables, niñez y juventud.",
        [
            (
                "Salud pública comunitaria",
                [
                    "Salud mental y prevención del consumo de sustancias",
                    "Promoción de hábitos de vida saludable",
                    "Atención primaria en salud casa a casa",
                    "Salud sexual y reproductiva de adolescentes",
                ],
            ),
            (
                "Inclusión social",
                [
                    "Atención integral a personas mayores",
                    "Inclusión de personas con discapacidad",
                    "Seguridad alimentaria y huertas comunitarias",
                    "Autonomía económica y equidad de género para las mujeres",
                ],
            ),
            (
                "Niñez y juventud",
                [
                    "Atención a la primera infancia",
                    "Clubes juveniles y proyectos de vida",
                ],
            ),
        ],
    ),
    (
        "L4",
        "Entorno y Medio Ambiente Comunal",
        "#2C7BB6",
        "Cuencas y microcuencas, gestión del riesgo, residuos y cultura ambiental.",
        [
            (
                "Gestión del agua y las cuencas",
                [
                    "Limpieza y mantenimiento de las cuencas y microcuencas",
                    "Recuperación ambiental de las quebradas de la comuna",
                    "Manejo de aguas lluvias en laderas",
                ],
            ),
            (
                "Gestión del riesgo",
                [
                    "Fortalecimiento y creación de Comités Barriales de Emergencia",
                    "Monitoreo comunitario de zonas de riesgo",
                    "Educación en gestión del riesgo en instituciones educativas",
                ],
            ),
            (
                "Residuos y cultura ambiental",
                [
                    "Manejo integral de residuos sólidos y reciclaje",
                    "Siembra y mantenimiento de árboles y jardines",
                    "Huertas urbanas y compostaje",
                    "Bienestar animal y tenencia responsable de mascotas",
                ],
            ),
        ],
    ),
    (
        "L5",
        "Movilidad, Espacio Público e Infraestructura",
        "#C51B7D",
        "Movilidad segura, espacio público accesible y equipamientos comunitarios.",
        [
            (
                "Movilidad segura",
                [
                    "Señalización y pasos seguros en vías barriales",
                    "Red de ciclorrutas de la comuna",
                    "Cultura vial en instituciones educativas",
                    "Mantenimiento de la malla vial barrial",
                ],
            ),
            (
                "Espacio público",
                [
                    "Mejoramiento de parques y zonas verdes",
                    "Recuperación de andenes y accesibilidad",
                    "Iluminación de senderos peatonales",
                ],
            ),
            (
                "Equipamientos comunitarios",
                [
                    "Mejoramiento de sedes comunales",
                    "Casa de la cultura de la Comuna 12",
                ],
            ),
        ],
    ),
    (
        "L6",
        "Desarrollo Económico y Empleo",
        "#8C510A",
        "Emprendimiento, formación para el trabajo y economía solidaria.",
        [
            (
                "Emprendimiento",
                [
                    "Fortalecimiento de unidades productivas barriales",
                    "Feria de emprendedores de La América",
                    "Capital semilla para emprendimientos juveniles",
                    "Mercados campesinos y comercio local",
                ],
            ),
            (
                "Empleo y formación para el trabajo",
                [
                    "Formación técnica para el empleo",
                    "Ruta de empleabilidad para mujeres y jóvenes",
                    "Bolsa de empleo comunitaria",
                ],
            ),
            (
                "Economía solidaria",
                [
                    "Cooperativas y fondos de ahorro comunitario",
                    "Turismo comunitario y rutas patrimoniales",
                ],
            ),
        ],
    ),
]

# (description with {n}, unit, lowest target, highest target) per line
DELIVERABLES: dict[str, list[tuple[str, str, int, int]]] = {
    "L1": [
        ("Formar {n} líderes y lideresas comunitarias", "personas", 30, 150),
        ("Realizar {n} talleres de fortalecimiento organizativo", "talleres", 6, 30),
        ("Acompañar {n} procesos de mediación vecinal", "procesos", 10, 60),
        ("Publicar {n} ediciones del medio comunitario", "ediciones", 4, 12),
        ("Realizar {n} jornadas de convivencia", "jornadas", 4, 20),
    ],
    "L2": [
        ("Entregar {n} becas de educación superior", "becas", 10, 80),
        ("Dotar {n} bibliotecas", "bibliotecas", 2, 8),
        ("Formar {n} niños, niñas y jóvenes en artes", "personas", 50, 300),
        ("Realizar {n} eventos culturales", "eventos", 3, 15),
        ("Adecuar {n} escenarios deportivos", "escenarios", 2, 5),
    ],
    "L3": [
        ("Atender {n} personas mayores", "personas", 80, 400),
        ("Realizar {n} jornadas de salud", "jornadas", 6, 24),
        ("Instalar {n} huertas familiares", "huertas", 20, 120),
        ("Acompañar {n} familias", "familias", 40, 200),
    ],
    "L4": [
        ("Intervenir {n} metros lineales de quebrada", "metros", 300, 2000),
        ("Sembrar {n} árboles", "árboles", 100, 800),
        ("Conformar {n} comités barriales de emergencia", "comités", 3, 13),
        ("Realizar {n} talleres de educación ambiental", "talleres", 8, 40),
        ("Aprovechar {n} toneladas de residuos", "toneladas", 5, 40),
    ],
    "L5": [
        ("Señalizar {n} cruces peatonales", "cruces", 5, 30),
        ("Recuperar {n} m² de andenes", "m²", 300, 3000),
        ("Instalar {n} luminarias", "luminarias", 10, 80),
        ("Mejorar {n} sedes comunales", "sedes", 2, 6),
    ],
    "L6": [
        ("Fortalecer {n} unidades productivas", "unidades productivas", 15, 80),
        ("Formar {n} personas para el empleo", "personas", 30, 200),
        ("Realizar {n} ferias de emprendimiento", "ferias", 2, 6),
        ("Vincular {n} personas a empleos formales", "personas", 10, 80),
    ],
}

# (name, short name, sector, kind, lines it works on)
ACTORS: list[tuple[str, str, str, str, tuple[str, ...]]] = [
    ("Secretaría de Participación Ciudadana", "SPC", "público", "Secretaría", ("L1",)),
    ("Secretaría de Educación", "SEDUCA", "público", "Secretaría", ("L2",)),
    ("Secretaría de Salud", "SSM", "público", "Secretaría", ("L3",)),
    ("Secretaría de Medio Ambiente", "SMA", "público", "Secretaría", ("L4",)),
    ("Secretaría de Movilidad", "SMM", "público", "Secretaría", ("L5",)),
    ("Secretaría de Infraestructura Física", "SIF", "público", "Secretaría", ("L5",)),
    ("Secretaría de Seguridad y Convivencia", "SSC", "público", "Secretaría", ("L1",)),
    ("Secretaría de Desarrollo Económico", "SDE", "público", "Secretaría", ("L6",)),
    ("Secretaría de Cultura Ciudadana", "SCC", "público", "Secretaría", ("L2", "L1")),
    ("Secretaría de Inclusión Social, Familia y Derechos Humanos", "SIS", "público", "Secretaría", ("L3",)),
    ("Secretaría de la Juventud", "SJ", "público", "Secretaría", ("L2", "L3")),
    ("Secretaría de las Mujeres", "SM", "público", "Secretaría", ("L3", "L6")),
    (
        "Departamento Administrativo de Planeación",
        "DAP",
        "público",
        "Departamento administrativo",
        ("L1", "L5"),
    ),
    (
        "Departamento Administrativo de Gestión del Riesgo de Desastres",
        "DAGRD",
        "público",
        "Departamento administrativo",
        ("L4",),
    ),
    ("Instituto de Deportes y Recreación de Medellín", "INDER", "público", "Ente descentralizado", ("L2",)),
    ("Empresa de Desarrollo Urbano", "EDU", "público", "Ente descentralizado", ("L5",)),
    (
        "Junta Administradora Local Comuna 12",
        "JAL C12",
        "comunitario",
        "JAL",
        ("L1", "L2", "L3", "L4", "L5", "L6"),
    ),
    ("JAC Santa Lucía", "JAC Santa Lucía", "comunitario", "Junta de Acción Comunal", ("L1", "L4", "L5")),
    ("JAC La América", "JAC La América", "comunitario", "Junta de Acción Comunal", ("L1", "L5", "L6")),
    ("JAC La Floresta", "JAC La Floresta", "comunitario", "Junta de Acción Comunal", ("L1", "L4")),
    ("JAC Barrio Cristóbal", "JAC B. Cristóbal", "comunitario", "Junta de Acción Comunal", ("L1", "L3")),
    ("JAC Simón Bolívar", "JAC Simón Bolívar", "comunitario", "Junta de Acción Comunal", ("L1", "L2", "L5")),
    ("JAC El Danubio", "JAC El Danubio", "comunitario", "Junta de Acción Comunal", ("L1", "L4")),
    ("JAC Santa Teresita", "JAC Santa Teresita", "comunitario", "Junta de Acción Comunal", ("L1", "L3")),
    ("JAC Ferrini", "JAC Ferrini", "comunitario", "Junta de Acción Comunal", ("L1", "L4")),
    ("JAC Santa Mónica", "JAC Santa Mónica", "comunitario", "Junta de Acción Comunal", ("L1", "L2")),
    ("JAC Campo Alegre", "JAC Campo Alegre", "comunitario", "Junta de Acción Comunal", ("L1", "L5")),
    ("Mesa Ambiental Comuna 12", "Mesa Ambiental", "comunitario", "Organización comunitaria", ("L4",)),
    (
        "Cabildo de Personas Mayores Comuna 12",
        "Cabildo Mayor",
        "comunitario",
        "Organización comunitaria",
        ("L3",),
    ),
    ("Corporación Cultural Canchimalos", "Canchimalos", "ONG/corporación", "Corporación", ("L2",)),
    ("Corporación Cambio Social", "Cambio Social", "ONG/corporación", "Corporación", ("L1", "L3")),
    ("Corporación Biosanar", "Biosanar", "ONG/corporación", "Corporación", ("L3", "L4")),
    ("Corporación Corpojoven", "Corpojoven", "ONG/corporación", "Corporación", ("L2", "L6")),
    ("Universidad de Antioquia", "UdeA", "académico", "Universidad", ("L1", "L3", "L4")),
    ("Instituto Tecnológico Metropolitano", "ITM", "académico", "Institución universitaria", ("L2", "L6")),
    ("Servicio Nacional de Aprendizaje – SENA", "SENA", "académico", "Formación para el trabajo", ("L6",)),
    ("Caja de Compensación Familiar Comfama", "Comfama", "privado", "Caja de compensación", ("L2", "L6")),
    ("Cámara de Comercio de Medellín para Antioquia", "CCMA", "privado", "Gremio", ("L6",)),
    ("Asociación de Comerciantes de La América", "Asocomerciantes", "privado", "Gremio", ("L5", "L6")),
    (
        "Programa de las Naciones Unidas para el Desarrollo",
        "PNUD",
        "cooperación",
        "Agencia de cooperación",
        ("L1", "L6"),
    ),
    (
        "Cruz Roja Colombiana – Seccional Antioquia",
        "Cruz Roja",
        "cooperación",
        "Organismo humanitario",
        ("L3", "L4"),
    ),
]

# (code, name, kind, signed, lines, actor short names)
PACTS: list[tuple[str, str, str, date, tuple[str, ...], tuple[str, ...]]] = [
    ("PA-01", "Pacto por las Quebradas de La América", "pacto", date(2025, 8, 22), ("L4",),
     ("SMA", "DAGRD", "Mesa Ambiental", "Biosanar", "JAC La Floresta", "JAC El Danubio", "JAC Ferrini", "UdeA")),
    ("PA-02", "Alianza por la Juventud y la Cultura", "alianza", date(2025, 10, 3), ("L2", "L3"),
     ("SCC", "SJ", "INDER", "Canchimalos", "Corpojoven", "ITM", "Comfama")),
    ("PA-03", "Pacto por la Movilidad Segura y el Espacio Público", "pacto", date(2026, 2, 12), ("L5",),
     ("SMM", "SIF", "EDU", "JAC La América", "JAC Campo Alegre", "Asocomerciantes")),
    ("PA-04", "Alianza para el Empleo y el Emprendimiento Local", "alianza", date(2026, 6, 5), ("L6",),
     ("SDE", "SM", "SENA", "CCMA", "Comfama", "PNUD", "Corpojoven")),
]  # fmt: skip

FIRST_NAMES = (
    "María",
    "Luz",
    "Carlos",
    "Juan",
    "Ana",
    "Luis",
    "Sandra",
    "Jorge",
    "Diana",
    "Andrés",
    "Paula",
    "Óscar",
)
LAST_NAMES = (
    "Restrepo",
    "Gómez",
    "Zapata",
    "Montoya",
    "Ríos",
    "Cardona",
    "Arango",
    "Londoño",
    "Vélez",
    "Osorio",
)

STAGE_MIX = (
    ("en ejecución", 0.42),
    ("terminado", 0.16),
    ("financiado", 0.1),
    ("formulado", 0.1),
    ("perfil", 0.12),
    ("suspendido", 0.05),
    ("cancelado", 0.05),
)


def cut_off_dates() -> list[date]:
    """The 18 monthly cut-offs of the demo, oldest first, ending on ``DEMO_TODAY``."""
    dates = []
    year, month = DEMO_TODAY.year, DEMO_TODAY.month
    for _ in range(REPORT_MONTHS):
        dates.append(date(year, month, 15))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return dates[::-1]


def _add_months(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 + months
    return date(month_index // 12, month_index % 12 + 1, min(day.day, 28))


def _weighted_choice(rng: random.Random, options: tuple[tuple[str, float], ...]) -> str:
    return rng.choices([name for name, _ in options], weights=[weight for _, weight in options])[0]


@dataclass
class _Rows:
    """Rows to bulk-insert, keyed by model, with ids assigned here so links need no round trip."""

    tables: dict[type[SQLModel], list[dict[str, Any]]]

    def add(self, model: type[SQLModel], row: dict[str, Any]) -> int:
        rows = self.tables.setdefault(model, [])
        if "id" in model.model_fields:
            row = {"id": len(rows) + 1, **row}
        rows.append(row)
        return int(row.get("id", len(rows)))


def _contact(rng: random.Random, short_name: str) -> dict[str, str]:
    person = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)} {rng.choice(LAST_NAMES)}"
    slug = "".join(ch for ch in short_name.lower() if ch.isalnum())[:14] or "actor"
    return {
        "contact_person": person,
        "contact_phone": f"300 {rng.randint(100, 999)} {rng.randint(1000, 9999)}",
        "contact_email": f"{slug}@ejemplo.org.co",
    }


def build_demo_rows(*, seed: int = DEMO_SEED, scale: int = 1) -> dict[type[SQLModel], list[dict[str, Any]]]:
    """All demo rows as plain dicts, without touching a database."""
    rng = random.Random(seed)
    rows = _Rows({})
    cut_offs = cut_off_dates()

    barrio_ids: dict[str, int] = {}
    for shape in barrio_shapes():
        barrio_ids[shape.name] = rows.add(
            Barrio, {"code": shape.code, "name": shape.name, "comuna": "12", "area_m2": shape.area_m2}
        )

    actor_ids: dict[str, int] = {}
    actors_by_line: dict[str, list[int]] = {}
    public_by_line: dict[str, list[int]] = {}
    jac_by_barrio: dict[int, int] = {}
    for index, (name, short, sector, kind, lines) in enumerate(ACTORS, start=1):
        actor_id = rows.add(
            Actor,
            {"code": f"A-{index:03d}", "name": name, "short_name": short, "sector": sector, "kind": kind}
            | _contact(rng, short),
        )
        actor_ids[short] = actor_id
        for line_code in lines:
            actors_by_line.setdefault(line_code, []).append(actor_id)
            if sector == "público":
                public_by_line.setdefault(line_code, []).append(actor_id)
        if name.startswith("JAC "):
            jac_by_barrio[barrio_ids[name.removeprefix("JAC ")]] = actor_id
    # A few organizations cool off in the last months: fewer reports, absences and lower ratings.
    community_like = [actor_ids[a[1]] for a in ACTORS if a[2] in ("comunitario", "ONG/corporación", "privado")]
    cooling = set(rng.sample(community_like, 4))
    engagement = {actor_id: rng.uniform(0.6, 0.95) for actor_id in actor_ids.values()}

    line_ids: dict[str, int] = {}
    project_line: dict[int, str] = {}
    project_rows: list[dict[str, Any]] = []
    for order, (line_code, line_name, color, description, programs) in enumerate(LINES, start=1):
        line_id = rows.add(
            StrategicLine,
            {"code": line_code, "name": line_name, "color": color, "description": description,
             "sort_order": order, "weight": 1.0},
        )  # fmt: skip
        line_ids[line_code] = line_id
        for program_index, (program_name, project_names) in enumerate(programs, start=1):
            program_id = rows.add(
                Program,
                {"code": f"{line_code}.{program_index}", "line_id": line_id, "name": program_name,
                 "component": f"Componente {program_index}", "weight": float(rng.choice((1, 1, 2)))},
            )  # fmt: skip
            for copy in range(scale):
                for project_name in project_names:
                    stage = _weighted_choice(rng, STAGE_MIX)
                    if stage == "terminado":  # finished before the demo's date
                        start = PLAN_START + timedelta(days=rng.randint(0, 120))
                        end = min(_add_months(start, rng.randint(8, 14)), DEMO_TODAY - timedelta(days=30))
                    else:
                        if stage in ("en ejecución", "suspendido", "cancelado"):
                            start = PLAN_START + timedelta(days=rng.randint(0, 300))
                        elif stage == "financiado":
                            start = DEMO_TODAY + timedelta(days=rng.randint(-60, 60))
                        else:
                            start = DEMO_TODAY + timedelta(days=rng.randint(30, 240))
                        end = _add_months(start, rng.randint(10, 22))
                    lead = rng.choice(public_by_line.get(line_code) or actors_by_line[line_code])
                    seq = len(project_rows) + 1
                    suffix = f" ({copy + 1})" if scale > 1 else ""
                    project: dict[str, Any] = {
                        "code": f"P-{line_code[1:]}{seq:04d}" if scale > 1 else f"P-{seq:03d}",
                        "program_id": program_id,
                        "name": project_name + suffix,
                        "objective": f"{project_name} en los barrios de la Comuna 12 – La América.",
                        "stage": stage,
                        "start_date": start,
                        "end_date": end,
                        "budget_cop": None,  # filled from its commitments below
                        "weight": float(rng.choice((1, 1, 1, 2, 3))),
                        "lead_actor_id": lead,
                        "funding_source": rng.choice(("PP", "PP", "municipal", "otra")),
                    }
                    project_id = rows.add(Project, project)
                    project_rows.append(rows.tables[Project][-1])
                    project_line[project_id] = line_code
                    if rng.random() > 0.3:  # the rest act on the whole comuna
                        for barrio_id in rng.sample(sorted(barrio_ids.values()), rng.randint(1, 3)):
                            rows.add(ProjectBarrio, {"project_id": project_id, "barrio_id": barrio_id})

    pact_ids: dict[str, int] = {}
    pact_members: dict[int, set[int]] = {}
    for code, name, kind, signed, lines, members in PACTS:
        pact_id = rows.add(
            Pact,
            {"code": code, "name": name, "kind": kind, "signed_date": signed,
             "description": f"{kind.capitalize()} firmado en el marco del Plan Estratégico de la Comuna 12."},
        )  # fmt: skip
        pact_ids[code] = pact_id
        for line_code in lines:
            rows.add(PactLine, {"pact_id": pact_id, "line_id": line_ids[line_code]})
        pact_members[pact_id] = set()
        for position, short in enumerate(members):
            role = "convocante" if position == 0 else rng.choice(("firmante", "firmante", "aliado técnico"))
            rows.add(PactMember, {"pact_id": pact_id, "actor_id": actor_ids[short], "role": role})
            pact_members[pact_id].add(actor_ids[short])
    pacts_by_line = {line_code: [pact_ids[p[0]] for p in PACTS if line_code in p[4]] for line_code in line_ids}

    project_barrios: dict[int, list[int]] = {}
    for link in rows.tables.get(ProjectBarrio, []):
        project_barrios.setdefault(link["project_id"], []).append(link["barrio_id"])

    for row in project_rows:
        line_code = project_line[row["id"]]
        project_budget = 0.0
        for _ in range(rng.choice((3, 4, 4, 4, 5, 5))):
            template, unit, low, high = rng.choice(DELIVERABLES[line_code])
            target = rng.randint(low, high)
            due = min(row["end_date"], _add_months(row["start_date"], rng.randint(6, 20)))
            budget = float(rng.randint(5, 400) * 1_000_000)
            project_budget += budget
            cancelled = row["stage"] == "cancelado" or rng.random() < 0.03
            responsible: list[int] = [row["lead_actor_id"]] if rng.random() < 0.35 else []
            responsible.append(rng.choice(actors_by_line[line_code]))
            if rng.random() < 0.12:
                responsible.append(rng.choice(actors_by_line[line_code]))
            responsible = list(dict.fromkeys(responsible))
            commitment_pact: int | None = None
            line_pacts = pacts_by_line[line_code]
            if line_pacts and rng.random() < 0.5:
                candidate = rng.choice(line_pacts)
                if pact_members[candidate] & set(responsible):
                    commitment_pact = candidate
            commitment_id = rows.add(
                Commitment,
                {"code": f"C-{len(rows.tables.get(Commitment, [])) + 1:04d}", "project_id": row["id"],
                 "description": template.format(n=target), "unit": unit, "baseline": 0.0,
                 "target": float(target), "due_date": due, "weight": float(rng.choice((1, 1, 2, 3))),
                 "budget_cop": budget, "pact_id": commitment_pact, "cancelled": cancelled},
            )  # fmt: skip
            for actor_id in responsible:
                rows.add(
                    CommitmentActor,
                    {
                        "commitment_id": commitment_id,
                        "actor_id": actor_id,
                        "share": round(1 / len(responsible), 4),
                    },
                )
            if rng.random() < 0.2:
                for barrio_id in rng.sample(sorted(barrio_ids.values()), rng.randint(1, 2)):
                    rows.add(CommitmentBarrio, {"commitment_id": commitment_id, "barrio_id": barrio_id})
            _add_reports(rows, rng, commitment_id, row, due, target, budget, cut_offs, bool(cooling & set(responsible)))
        row["budget_cop"] = project_budget

    _add_events(rows, rng, cut_offs, barrio_ids, line_ids, actors_by_line, jac_by_barrio, actor_ids, cooling,
                engagement, pact_ids, pact_members)  # fmt: skip
    _add_ratings(rows, rng, cut_offs, actor_ids, cooling, engagement)
    add_institution_rows(rows)
    vision.add_vision(rows.tables)
    return rows.tables


def _add_reports(
    rows: _Rows,
    rng: random.Random,
    commitment_id: int,
    project: dict[str, Any],
    due: date,
    target: int,
    budget: float,
    cut_offs: list[date],
    cooling_off: bool,
) -> None:
    start: date = project["start_date"]
    finished = project["stage"] == "terminado"
    if project["stage"] in ("perfil", "formulado") or start > DEMO_TODAY:
        return
    profile = rng.random()
    if profile < 0.12 and not finished:
        return  # never reported
    stops_after = cut_offs[rng.randint(5, 13)] if profile < 0.27 and not finished else None  # stale
    if cooling_off and not finished:
        stops_after = min(stops_after or cut_offs[-1], cut_offs[-5])
    pace = 1.0 if finished else rng.uniform(0.55, 1.3)
    if project["stage"] == "suspendido":
        stops_after = min(stops_after or cut_offs[-1], cut_offs[rng.randint(6, 12)])
    use_value = rng.random() < 0.3
    progress = 0.0
    span = max((due - start).days, 1)
    for cut_off in cut_offs:
        if cut_off < start or (stops_after and cut_off > stops_after):
            continue
        closing_report = finished and cut_off >= due
        if rng.random() > 0.8 and not closing_report:
            continue  # a month without report
        expected = min(max((cut_off - start).days / span, 0.0), 1.0) * 100
        progress = min(100.0, max(progress, expected * pace + rng.uniform(-4, 6)))
        if closing_report:
            progress = 100.0
        progress = round(max(progress, 0.0), 1)
        executed = None
        if rng.random() > 0.2:
            executed = round(min(budget, budget * progress / 100 * rng.uniform(0.8, 1.1)), -3)
        rows.add(
            ProgressReport,
            {"commitment_id": commitment_id, "cut_off_date": cut_off,
             "physical_pct": None if use_value else progress,
             "achieved_value": float(round(target * progress / 100)) if use_value else None,
             "budget_executed_cop": executed, "note": "", "reported_by": "demo"},
        )  # fmt: skip


def _engagement_at(engagement: dict[int, float], cooling: set[int], actor_id: int, month_index: int) -> float:
    """How engaged an actor is in month ``month_index`` (0 = first demo month); cooling actors fade at the end."""
    base = engagement[actor_id]
    if actor_id in cooling and month_index >= REPORT_MONTHS - 5:
        return max(0.1, base - 0.18 * (month_index - (REPORT_MONTHS - 6)))
    return base


def _add_events(
    rows: _Rows,
    rng: random.Random,
    cut_offs: list[date],
    barrio_ids: dict[str, int],
    line_ids: dict[str, int],
    actors_by_line: dict[str, list[int]],
    jac_by_barrio: dict[int, int],
    actor_ids: dict[str, int],
    cooling: set[int],
    engagement: dict[int, float],
    pact_ids: dict[str, int],
    pact_members: dict[int, set[int]],
) -> None:
    all_actors = sorted(actor_ids.values())
    committee = [actor_ids[short] for short in ("SPC", "DAP", "JAL C12", "Cambio Social", "SMA", "SDE", "UdeA")]
    line_codes = sorted(line_ids)
    barrio_list = sorted(barrio_ids.items())
    public = [actor_ids[a[1]] for a in ACTORS if a[2] == "público"]
    for month_index, cut_off in enumerate(cut_offs):
        month_start = cut_off.replace(day=1)
        planned: list[tuple[str, str, int | None, int | None, int | None, list[int]]] = []
        if month_index % 3 == 0:
            planned.append(("asamblea", "Asamblea comunal del plan", None, None, actor_ids["JAL C12"], all_actors))
        line_code = line_codes[month_index % len(line_codes)]
        planned.append((
            "mesa temática", f"Mesa temática {line_code}", None, line_ids[line_code], actor_ids["SPC"],
            sorted(set(actors_by_line[line_code])),
        ))  # fmt: skip
        if month_index % 2 == 1:
            planned.append(("comité de gestión", "Comité de gestión del plan", None, None, actor_ids["SPC"], committee))
        barrio_name, barrio_id = barrio_list[(month_index * 5) % len(barrio_list)]
        invited = sorted({jac_by_barrio.get(barrio_id, actor_ids["JAL C12"]), actor_ids["JAL C12"],
                          *rng.sample(public, 3)})  # fmt: skip
        planned.append(("jornada barrial", f"Jornada barrial en {barrio_name}", barrio_id, None, invited[0], invited))
        if month_index % 4 == 2:
            pact_code = sorted(pact_ids)[(month_index // 4) % len(pact_ids)]
            pact_id = pact_ids[pact_code]
            members = sorted(pact_members[pact_id])
            planned.append(("reunión de pacto", f"Reunión de seguimiento {pact_code}", None, None, members[0], members))
        for kind, title, barrio, line, convener, invitees in planned:
            event_id = rows.add(
                Event,
                {"held_on": month_start + timedelta(days=rng.randint(0, 13)), "kind": kind, "title": title,
                 "barrio_id": barrio, "line_id": line, "convened_by_actor_id": convener},
            )  # fmt: skip
            for actor_id in invitees:
                attended = rng.random() < _engagement_at(engagement, cooling, actor_id, month_index)
                rows.add(
                    Attendance,
                    {"event_id": event_id, "actor_id": actor_id, "invited": True, "attended": attended,
                     "delegates": rng.randint(1, 3) if attended else None},
                )  # fmt: skip


def _add_ratings(
    rows: _Rows,
    rng: random.Random,
    cut_offs: list[date],
    actor_ids: dict[str, int],
    cooling: set[int],
    engagement: dict[int, float],
) -> None:
    for month_index, cut_off in enumerate(cut_offs):
        for actor_id in sorted(actor_ids.values()):
            if rng.random() > 0.85:
                continue
            level = _engagement_at(engagement, cooling, actor_id, month_index)
            score = min(5, max(1, round(1 + 4 * level + rng.uniform(-0.7, 0.7))))
            note = "Baja participación en los últimos encuentros." if score <= 2 else ""
            rows.add(
                MotivationRating,
                {"actor_id": actor_id, "rated_on": cut_off + timedelta(days=rng.randint(0, 10)), "score": score,
                 "note": note, "rated_by": "demo"},
            )  # fmt: skip


# Plan tables, children before parents, so rows can be deleted in this order (``core.plan.schema``). Accounts and
# the audit trail are not part of the plan: a reset keeps them. Reporting rounds and contact consents speak of the
# plan's actors and commitments, so they go with them.
ROUND_TABLES: tuple[type[SQLModel], ...] = (ReportingRound, RoundMember, RoundCommitment, ContactConsent)
PLAN_TABLES_CHILD_FIRST: tuple[type[SQLModel], ...] = tuple(
    reversed(schema.parent_first((ImportBatch, *schema.plan_tables(), *ROUND_TABLES)))
)


def plan_is_empty(*, session: Session) -> bool:
    """True when no plan table holds a single row (so demo rows can never mix with real ones)."""
    return all(session.scalar(select(func.count()).select_from(model)) == 0 for model in PLAN_TABLES_CHILD_FIRST)


def load_demo(
    *, session: Session, seed: int = DEMO_SEED, scale: int = 1, reset: bool = False, user: str = audit.SYSTEM_USER
) -> None:
    """Fill an empty plan with demo data (``reset`` first empties the plan). The caller commits."""
    if reset:
        session.execute(update(User).values(actor_id=None))  # accounts survive; their actor link cannot
        # The audit trail survives too; its link to the uploads the reset deletes cannot (the entries keep the rest).
        session.execute(
            update(AuditEntry).where(col(AuditEntry.import_batch_id).is_not(None)).values(import_batch_id=None)
        )
        for model in PLAN_TABLES_CHILD_FIRST:
            session.execute(delete(model))
    elif not plan_is_empty(session=session):
        raise ValueError(
            "La base de datos ya tiene datos del plan; use --reset para reemplazarlos por la demostración."
        )
    tables = build_demo_rows(seed=seed, scale=scale)
    for model in reversed(PLAN_TABLES_CHILD_FIRST):
        table_rows = tables.get(model)
        if table_rows:
            session.execute(insert(model), table_rows)
    audit.record(
        session=session,
        user=user,
        action="reemplazar por demostración" if reset else "cargar demostración",
        table_name="*",
        after={"seed": seed, "scale": scale, "rows": {m.__tablename__: len(r) for m, r in tables.items()}},
    )
    if session.get_bind().dialect.name == "postgresql":
        _sync_sequences(session)
    db.set_setting(session=session, key=db.DATASET_KEY, value="demo")
    db.set_setting(session=session, key=DEMO_AS_OF_KEY, value=DEMO_TODAY.isoformat())
    db.bump_data_version(session=session)


def demo_as_of(*, session: Session) -> date | None:
    """The date the loaded demo is consistent with (its last cut-off), or None when real data is loaded."""
    value = db.get_setting(session=session, key=DEMO_AS_OF_KEY)
    return date.fromisoformat(value) if value and db.is_demo(session=session) else None


def _sync_sequences(session: Session) -> None:
    """Explicit ids leave PostgreSQL's sequences behind; move them past the highest id."""
    for model in PLAN_TABLES_CHILD_FIRST:
        if "id" in model.model_fields:
            table = model.__table__.name  # type: ignore[attr-defined]
            session.execute(
                text(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                    f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
                )
            )


def install_demo(engine: Engine, *, reset: bool = False, only_if_empty: bool = False) -> bool:
    """Upgrade the schema and load the demo, one process at a time. Returns True if the demo was loaded."""
    db.upgrade(engine)
    with db.startup_lock(engine), db.transaction(engine) as session:
        if only_if_empty and not plan_is_empty(session=session):
            return False
        load_demo(session=session, reset=reset)
        return True


def ensure_database(engine: Engine) -> bool:
    """What the app does on start: schema upgrades always; the demo only into an empty database; the milestone
    catalogue into a database that has none (a real plan from before the catalogue existed)."""
    if install_demo(engine, only_if_empty=True):
        return True
    with db.startup_lock(engine), db.transaction(engine) as session:
        seed_milestone_catalogue(session=session)
    return False
