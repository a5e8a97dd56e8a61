"""The demo's vision and the plan in the actors' own planning (DESIGN.md §8): fixed rows, no randomness.

The plan's profile and its ideas-fuerza, instruments of the Secretarías, the JAL (the PDL's strategic component and
program), two JAC and three organizations, and a crosswalk with every level (0–3) and every state (propuesto,
verificado, descartado). Línea L3 is taken up by no public entity at level 2 or more, so its flag shows; one row
sits on a project of ours that also has commitment budget, so the overlap shows. Labelled demo like the rest.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlmodel import SQLModel

from core.models import (
    Actor,
    Alignment,
    IdeaFuerza,
    IdeaLine,
    Instrument,
    InstrumentLine,
    PlanProfile,
    Program,
    Project,
    StrategicLine,
)

Tables = dict[type[SQLModel], list[dict[str, Any]]]

PROFILE: dict[str, Any] = {
    "code": "PE-C12",
    "name": "Plan Estratégico de la Comuna 12 – La América",
    "start_year": 2024,
    "horizon_years": 12,
    "vision": (
        "En 2035 la Comuna 12 – La América será un territorio organizado, incluyente y sostenible, donde sus "
        "barrios conviven en paz, cuidan sus quebradas y su patrimonio, y cada organización que actúa en ella hace "
        "del plan estratégico el soporte de su planeación."
    ),
    "adopted_act": "Acuerdo JAL Comuna 12 n.º 03 de 2024 (demostración)",
    "adopted_on": date(2024, 11, 28),
    "source_document": "Plan Estratégico de la Comuna 12 – La América (documento de demostración)",
}

# (code, text, lines that carry it)
IDEAS: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("IF-1", "Una comuna organizada que decide, se comunica y convive en paz", ("L1",)),
    ("IF-2", "Educación, cultura y deporte para una vida digna en cada barrio", ("L2",)),
    ("IF-3", "Salud, inclusión y bienestar para todas las generaciones", ("L3",)),
    ("IF-4", "Quebradas vivas, un territorio seguro y un espacio público para todos", ("L4", "L5")),
    ("IF-5", "Una economía local y solidaria que genera empleo", ("L6",)),
)

# (code, actor short name, kind, name, first year, last year, adopting act, lines it concerns)
INSTRUMENTS: tuple[tuple[str, str, str, str, int, int, str, tuple[str, ...]], ...] = (
    ("IN-01", "DAP", "Plan de Desarrollo Distrital", "Plan de Desarrollo Distrital 2024–2027", 2024, 2027,
     "Acuerdo Distrital 01 de 2024", ("L1", "L2", "L3", "L4", "L5", "L6")),
    ("IN-02", "DAP", "Plan Indicativo", "Plan Indicativo 2024–2027", 2024, 2027, "", ("L1", "L5")),
    ("IN-03", "SMA", "Plan de Acción", "Plan de Acción 2026 – Medio Ambiente", 2026, 2026, "", ("L4",)),
    ("IN-04", "SMA", "POAI", "POAI 2026 – Medio Ambiente", 2026, 2026, "", ("L4", "L5")),
    ("IN-05", "SPC", "Plan de Acción", "Plan de Acción 2026 – Participación Ciudadana", 2026, 2026, "", ("L1",)),
    ("IN-06", "SEDUCA", "Plan de Acción", "Plan de Acción 2026 – Educación", 2026, 2026, "", ("L2",)),
    ("IN-07", "SSM", "Plan de Acción", "Plan de Acción 2026 – Salud", 2026, 2026, "", ("L3",)),
    ("IN-08", "SMM", "Plan de Acción", "Plan de Acción 2026 – Movilidad", 2026, 2026, "", ("L5",)),
    ("IN-09", "SDE", "Plan de Acción", "Plan de Acción 2026 – Desarrollo Económico", 2026, 2026, "", ("L6",)),
    ("IN-10", "JAL C12", "PDL componente estratégico", "Plan de Desarrollo Local – componente estratégico",
     2024, 2035, "Acuerdo JAL 02 de 2024", ("L1", "L2", "L3", "L4", "L5", "L6")),
    ("IN-11", "JAL C12", "PDL programa", "Plan de Desarrollo Local – programa 2024–2027", 2024, 2027,
     "Acuerdo JAL 02 de 2024", ("L1", "L2", "L3", "L4", "L5", "L6")),
    ("IN-12", "JAC Santa Lucía", "Plan Estratégico de Desarrollo Comunal", "Plan de Desarrollo Comunal JAC Santa "
     "Lucía 2024–2027", 2024, 2027, "Acta de asamblea de afiliados 14", ("L1", "L4", "L5")),
    ("IN-13", "JAC La Floresta", "Plan Estratégico de Desarrollo Comunal", "Plan de Desarrollo Comunal JAC La "
     "Floresta 2024–2027", 2024, 2027, "", ("L1", "L4")),
    ("IN-14", "Canchimalos", "plan estratégico o de RSE", "Plan estratégico Canchimalos 2025–2029", 2025, 2029, "",
     ("L2",)),
    ("IN-15", "Comfama", "plan estratégico o de RSE", "Plan de responsabilidad social en la Comuna 12", 2025, 2027,
     "", ("L2", "L6")),
    ("IN-16", "Cambio Social", "otro", "Agenda social de la Corporación Cambio Social", 2026, 2028, "", ("L1", "L3")),
)  # fmt: skip

V1, V2, V3 = date(2026, 3, 12), date(2025, 9, 4), date(2024, 10, 15)  # review dates: recent, a year old, older
LIMPIEZA = "Limpieza y mantenimiento de las cuencas y microcuencas"  # a project of ours with commitment budget
# (instrument, line, program, project name, their code, their text, level, COP, year, evidence, state, verified on)
ALIGNMENT: tuple[tuple[str, str, str, str, str, str, int, float | None, int | None, str, str, date | None], ...] = (
    ("IN-01", "L1", "", "", "1.2", "Participación ciudadana para la gobernanza", 2, None, None,
     "Documento del plan, p. 88", "verificado", V1),
    ("IN-01", "L4", "", "", "4.1", "Medellín biodiversa y resiliente", 2, None, None, "Documento del plan, p. 201",
     "verificado", V1),
    ("IN-01", "L3", "", "", "2.3", "Salud para todos", 1, None, None, "Documento del plan, p. 140", "verificado", V1),
    ("IN-02", "L5", "L5.1", "", "5.1.2", "Km de vías con señalización nueva", 2, None, None, "Matriz del plan "
     "indicativo", "verificado", V2),
    ("IN-02", "L1", "", "", "1.2.1", "Instancias de participación fortalecidas", 1, None, None, "", "propuesto", None),
    ("IN-03", "L4", "L4.1", LIMPIEZA, "PA-220", "Intervención de quebradas de la ladera centro occidental", 3,
     850_000_000.0, 2026, "Plan de Acción 2026, meta 220", "verificado", V1),
    ("IN-03", "L4", "L4.2", "", "PA-231", "Comités barriales de emergencia", 2, 120_000_000.0, 2026,
     "Plan de Acción 2026, meta 231", "verificado", V1),
    ("IN-04", "L4", "", "", "POAI-77", "Mantenimiento de zonas verdes de vías arterias", 0, 300_000_000.0, 2026,
     "POAI 2026, ficha 77", "verificado", V1),
    ("IN-04", "L5", "", "", "POAI-81", "Parques lineales de quebrada", 3, 400_000_000.0, 2026, "POAI 2026, ficha 81",
     "verificado", V1),
    ("IN-05", "L1", "L1.1", "", "PA-12", "Escuela de liderazgo comunitario", 3, 210_000_000.0, 2026,
     "Plan de Acción 2026, meta 12", "verificado", V2),
    ("IN-05", "L1", "L1.3", "", "PA-15", "Medios comunitarios", 2, None, None, "", "propuesto", None),
    ("IN-06", "L2", "L2.1", "", "PA-40", "Becas de educación superior por territorio", 3, 640_000_000.0, 2026,
     "Plan de Acción 2026, meta 40", "verificado", V3),
    ("IN-07", "L3", "L3.1", "", "PA-63", "Salud mental comunitaria", 3, 180_000_000.0, 2026, "", "propuesto", None),
    ("IN-07", "L3", "L3.2", "", "PA-70", "Atención a personas mayores", 1, None, None, "Acta de mesa de salud",
     "verificado", V2),
    ("IN-08", "L5", "L5.1", "", "PA-90", "Pasos seguros en vías barriales", 3, 260_000_000.0, 2026,
     "Plan de Acción 2026, meta 90", "verificado", V1),
    ("IN-09", "L6", "L6.1", "", "PA-101", "Unidades productivas barriales", 2, 150_000_000.0, 2025,
     "Plan de Acción 2025, meta 101", "verificado", V2),
    ("IN-09", "L6", "", "", "PA-108", "Centro de empleo zonal", 0, 90_000_000.0, 2026, "", "descartado", V1),
    ("IN-10", "L1", "", "", "E1", "Gobernanza y participación", 2, None, None, "Acuerdo JAL 02 de 2024, art. 5",
     "verificado", V3),
    ("IN-10", "L4", "", "", "E4", "Ambiente y gestión del riesgo", 2, None, None, "Acuerdo JAL 02 de 2024, art. 8",
     "verificado", V3),
    ("IN-10", "L3", "", "", "E3", "Salud e inclusión", 2, None, None, "Acuerdo JAL 02 de 2024, art. 7", "verificado",
     V3),
    ("IN-10", "L6", "", "", "", "", 0, None, None, "Acuerdo JAL 02 de 2024", "verificado", V3),
    ("IN-11", "L4", "L4.1", "", "P4.1", "Recuperación de quebradas", 3, 500_000_000.0, 2026, "Acuerdo JAL 02 de "
     "2024, anexo", "verificado", V2),
    ("IN-11", "L2", "L2.2", "", "P2.2", "Cultura y memoria barrial", 2, 200_000_000.0, 2025, "", "verificado", V2),
    ("IN-12", "L4", "", "", "", "Jornadas de limpieza de la quebrada", 2, 8_000_000.0, 2026, "Acta de asamblea 14",
     "verificado", V1),
    ("IN-12", "L5", "", "", "", "Mejoramiento de la sede comunal", 1, None, None, "", "verificado", V1),
    ("IN-13", "L4", "", "", "", "Comité barrial de emergencia", 3, 5_000_000.0, 2026, "Acta de junta directiva",
     "verificado", V1),
    ("IN-14", "L2", "L2.2", "", "Eje 1", "Semilleros artísticos", 3, 95_000_000.0, 2026, "Plan estratégico, eje 1",
     "verificado", V2),
    ("IN-15", "L6", "L6.2", "", "RSE-3", "Formación para el empleo de jóvenes", 2, 140_000_000.0, 2026, "",
     "propuesto", None),
    ("IN-16", "L3", "", "", "", "Acompañamiento a familias", 2, None, None, "", "propuesto", None),
)  # fmt: skip


def _add(tables: Tables, model: type[SQLModel], row: dict[str, Any]) -> int:
    rows = tables.setdefault(model, [])
    if "id" in model.model_fields:
        row = {"id": len(rows) + 1, **row}
    rows.append(row)
    return int(row.get("id", len(rows)))


def _ids(tables: Tables, model: type[SQLModel], key: str) -> dict[str, int]:
    return {str(row[key]): int(row["id"]) for row in tables.get(model, [])}


def add_vision(tables: Tables) -> None:
    """Add the demo's vision, instruments and crosswalk to the demo rows (actors, lines, programs and projects
    already in ``tables``)."""
    actors, lines = _ids(tables, Actor, "short_name"), _ids(tables, StrategicLine, "code")
    programs, projects = _ids(tables, Program, "code"), dict[str, int]()
    for row in tables.get(Project, []):
        projects.setdefault(str(row["name"]), int(row["id"]))  # the first project of that name
    _add(tables, PlanProfile, PROFILE)
    for order, (code, text, idea_lines) in enumerate(IDEAS, start=1):
        idea_id = _add(tables, IdeaFuerza, {"code": code, "text": text, "sort_order": order})
        for line in idea_lines:
            _add(tables, IdeaLine, {"idea_id": idea_id, "line_id": lines[line]})
    instruments: dict[str, int] = {}
    for code, actor, kind, name, first, last, act, concerned in INSTRUMENTS:
        instruments[code] = _add(
            tables,
            Instrument,
            {"code": code, "actor_id": actors[actor], "kind": kind, "name": name, "period_start": first,
             "period_end": last, "adopted_act": act, "adopted_on": None, "link": ""},
        )  # fmt: skip
        for line in concerned:
            _add(tables, InstrumentLine, {"instrument_id": instruments[code], "line_id": lines[line]})
    for number, crosswalk_row in enumerate(ALIGNMENT, start=1):
        instrument, line, program, project, their_code, their_text, level, cop, year, evidence, state, on = (
            crosswalk_row
        )
        _add(
            tables,
            Alignment,
            {"code": f"AR-{number:03d}", "instrument_id": instruments[instrument], "line_id": lines[line],
             "program_id": programs.get(program), "project_id": projects.get(project), "their_code": their_code,
             "their_text": their_text, "level": level, "resources_cop": cop, "year": year, "evidence": evidence,
             "state": state, "verified_by": "Coordinación del plan (demo)" if on else "", "verified_on": on},
        )  # fmt: skip
