"""The plan as sheets: one per table of plan records, with the columns people see in the plan workbook.

The plan workbook (``core.uploads.plan_workbook``) reads and writes these sheets; the editor (``core.plan.edit``)
shows the same columns as forms, so a field has one header, kind and range wherever it is entered.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from pydantic_core import PydanticUndefined
from sqlalchemy import Table
from sqlmodel import SQLModel

from core.excel import cells
from core.excel.spec import CellKind, PlanColumn
from core.models import (
    ALIGNMENT_STATES,
    EVENT_KINDS,
    FUNDING_SOURCES,
    INSTRUMENT_KINDS,
    MILESTONE_GROUPS,
    MILESTONE_SCOPES,
    MILESTONE_STATUSES,
    PP_STATUSES,
    SECTORS,
    STAGES,
    Actor,
    Alignment,
    Attendance,
    Barrio,
    Commitment,
    CommitmentActor,
    CommitmentBarrio,
    Event,
    IdeaFuerza,
    IdeaLine,
    Instrument,
    InstrumentLine,
    Milestone,
    MilestoneKind,
    MilestoneLine,
    MotivationRating,
    Pact,
    PactLine,
    PactMember,
    PlanProfile,
    PPCeiling,
    PPProject,
    PPProjectBarrio,
    Program,
    ProgressReport,
    Project,
    ProjectBarrio,
    StrategicLine,
)

PACT_KINDS: tuple[str, ...] = ("pacto", "alianza")
Key = tuple[Any, ...]


Record = dict[str, Any]


@dataclass(frozen=True)
class PlanSheet:
    name: str
    model: type[SQLModel]
    key: tuple[str, ...]
    columns: tuple[PlanColumn, ...]
    noun: str  # how a message names one row: "un programa"
    order: tuple[str, ...] = ()  # export order; the key when empty

    @property
    def table(self) -> Table:
        return table_of(self.model)

    @property
    def stored(self) -> tuple[PlanColumn, ...]:
        return tuple(c for c in self.columns if not c.helper)

    def column(self, name: str) -> PlanColumn:
        return next(c for c in self.columns if c.field == name)

    @property
    def key_kind(self) -> CellKind:
        return self.column(self.key[0]).kind

    @property
    def has_id(self) -> bool:
        return "id" in self.table.c

    @property
    def primary_key(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.table.primary_key.columns)


def table_of(model: type[SQLModel]) -> Table:
    return cast(Table, model.__table__)  # type: ignore[attr-defined]


def _code(header: str = "Código") -> PlanColumn:
    return PlanColumn("code", header, CellKind.CODE, required=True, synonyms=("codigo", "cod", "cód"))


def _ref(name: str, header: str, target: str, *, required: bool = True, synonyms: tuple[str, ...] = ()) -> PlanColumn:
    return PlanColumn(name, header, CellKind.REF, required=required, target=target, synonyms=synonyms)


NAME = PlanColumn("name", "Nombre", required=True)


WEIGHT = PlanColumn("weight", "Peso", CellKind.DECIMAL, minimum=0, synonyms=("ponderación", "ponderacion"))


DESCRIPTION = PlanColumn("description", "Descripción")


BUDGET = PlanColumn("budget_cop", "Presupuesto (COP)", CellKind.MONEY, synonyms=("presupuesto", "valor"))


ARCHIVED = PlanColumn("archived_on", "Archivado el", CellKind.DATE, synonyms=("archivado", "fecha de archivo"))


FIRST_YEAR, LAST_YEAR = 1990, 2100  # the years a record of the plan may name (the database checks the same)


def _year(name: str, header: str, *, required: bool = False, synonyms: tuple[str, ...] = ()) -> PlanColumn:
    return PlanColumn(
        name, header, CellKind.INTEGER, required=required, minimum=FIRST_YEAR, maximum=LAST_YEAR, synonyms=synonyms
    )


ADOPTED_ACT = PlanColumn("adopted_act", "Acto de adopción", synonyms=("acto", "adoptado por"))
ADOPTED_ON = PlanColumn("adopted_on", "Fecha de adopción", CellKind.DATE, synonyms=("adoptado el",))
YEAR = _year("year", "Año", required=True, synonyms=("vigencia",))


SHEETS: tuple[PlanSheet, ...] = (
    PlanSheet(
        "Barrios",
        Barrio,
        ("code",),
        (
            _code(),
            NAME,
            PlanColumn("comuna", "Comuna", CellKind.CODE),
            PlanColumn("area_m2", "Área (m²)", CellKind.DECIMAL, minimum=0, synonyms=("área", "area m2")),
            PlanColumn("population", "Población", CellKind.INTEGER, minimum=0),
        ),
        "un barrio",
    ),
    PlanSheet(
        "Líneas",
        StrategicLine,
        ("code",),
        (
            _code(),
            NAME,
            DESCRIPTION,
            PlanColumn("color", "Color", CellKind.COLOR),
            PlanColumn("sort_order", "Orden", CellKind.INTEGER),
            WEIGHT,
            ARCHIVED,
        ),
        "una línea",
        order=("sort_order", "code"),
    ),
    PlanSheet(
        "Programas",
        Program,
        ("code",),
        (
            _code(),
            _ref("line_id", "Línea", "Líneas", synonyms=("línea estratégica", "código línea")),
            NAME,
            PlanColumn("component", "Componente"),
            WEIGHT,
            ARCHIVED,
        ),
        "un programa",
    ),
    PlanSheet(
        "Actores",
        Actor,
        ("code",),
        (
            _code(),
            NAME,
            PlanColumn("short_name", "Nombre corto", synonyms=("sigla",)),
            PlanColumn("sector", "Sector", CellKind.CHOICE, required=True, choices=SECTORS),
            PlanColumn("kind", "Tipo", synonyms=("tipo de actor",)),
            PlanColumn("contact_person", "Persona de contacto", synonyms=("contacto",)),
            PlanColumn("contact_phone", "Teléfono de contacto", synonyms=("teléfono", "celular")),
            PlanColumn("contact_email", "Correo de contacto", synonyms=("correo", "correo electrónico", "email")),
            ARCHIVED,
        ),
        "un actor",
    ),
    PlanSheet(
        "Proyectos",
        Project,
        ("code",),
        (
            _code(),
            _ref("program_id", "Programa", "Programas", synonyms=("componente",)),
            NAME,
            PlanColumn("objective", "Objetivo"),
            PlanColumn("stage", "Etapa", CellKind.CHOICE, choices=STAGES, synonyms=("estado",)),
            PlanColumn("start_date", "Fecha de inicio", CellKind.DATE, synonyms=("inicio",)),
            PlanColumn("end_date", "Fecha de fin", CellKind.DATE, synonyms=("fin", "fecha final")),
            BUDGET,
            WEIGHT,
            _ref("lead_actor_id", "Actor líder", "Actores", required=False, synonyms=("líder",)),
            PlanColumn(
                "funding_source",
                "Fuente de financiación",
                CellKind.CHOICE,
                choices=FUNDING_SOURCES,
                synonyms=("fuente", "financiación"),
            ),
            ARCHIVED,
        ),
        "un proyecto",
    ),
    PlanSheet(
        "Barrios de proyectos",
        ProjectBarrio,
        ("project_id", "barrio_id"),
        (_ref("project_id", "Proyecto", "Proyectos"), _ref("barrio_id", "Barrio", "Barrios")),
        "un barrio de proyecto",
    ),
    PlanSheet(
        "Pactos",
        Pact,
        ("code",),
        (
            _code(),
            NAME,
            PlanColumn("kind", "Tipo", CellKind.CHOICE, choices=PACT_KINDS),
            PlanColumn("signed_date", "Fecha de firma", CellKind.DATE, synonyms=("firma",)),
            DESCRIPTION,
            ARCHIVED,
        ),
        "un pacto",
    ),
    PlanSheet(
        "Líneas de pactos",
        PactLine,
        ("pact_id", "line_id"),
        (_ref("pact_id", "Pacto", "Pactos"), _ref("line_id", "Línea", "Líneas")),
        "una línea de pacto",
    ),
    PlanSheet(
        "Miembros de pactos",
        PactMember,
        ("pact_id", "actor_id"),
        (_ref("pact_id", "Pacto", "Pactos"), _ref("actor_id", "Actor", "Actores"), PlanColumn("role", "Rol")),
        "un miembro de pacto",
    ),
    PlanSheet(
        "Compromisos",
        Commitment,
        ("code",),
        (
            _code(),
            _ref("project_id", "Proyecto", "Proyectos"),
            PlanColumn("description", "Descripción", required=True, synonyms=("compromiso", "entregable")),
            PlanColumn("unit", "Unidad"),
            PlanColumn("baseline", "Línea base", CellKind.DECIMAL),
            PlanColumn("target", "Meta", CellKind.DECIMAL, minimum=0),
            PlanColumn("due_date", "Fecha de entrega", CellKind.DATE, synonyms=("fecha límite", "vence")),
            WEIGHT,
            BUDGET,
            _ref("pact_id", "Pacto", "Pactos", required=False),
            PlanColumn("cancelled", "Cancelado", CellKind.BOOL),
            ARCHIVED,
        ),
        "un compromiso",
    ),
    PlanSheet(
        "Actores de compromisos",
        CommitmentActor,
        ("commitment_id", "actor_id"),
        (
            _ref("commitment_id", "Compromiso", "Compromisos"),
            _ref("actor_id", "Actor", "Actores"),
            PlanColumn("share", "Participación", CellKind.SHARE, synonyms=("participación (%)", "porcentaje")),
        ),
        "un actor de compromiso",
    ),
    PlanSheet(
        "Barrios de compromisos",
        CommitmentBarrio,
        ("commitment_id", "barrio_id"),
        (_ref("commitment_id", "Compromiso", "Compromisos"), _ref("barrio_id", "Barrio", "Barrios")),
        "un barrio de compromiso",
    ),
    PlanSheet(
        "Reportes de avance",
        ProgressReport,
        ("commitment_id", "cut_off_date"),
        (
            _ref("commitment_id", "Compromiso", "Compromisos", synonyms=("código compromiso",)),
            PlanColumn("cut_off_date", "Fecha de corte", CellKind.DATE, required=True, synonyms=("corte",)),
            PlanColumn("physical_pct", "Avance físico (%)", CellKind.PERCENT, synonyms=("avance físico", "avance")),
            PlanColumn("achieved_value", "Valor logrado", CellKind.DECIMAL, minimum=0),
            PlanColumn("budget_executed_cop", "Presupuesto ejecutado", CellKind.MONEY, synonyms=("ejecutado",)),
            PlanColumn("note", "Observaciones", synonyms=("observación", "notas")),
            PlanColumn("reported_by", "Reportado por"),
        ),
        "un reporte",
    ),
    PlanSheet(
        "Eventos",
        Event,
        ("id",),
        (
            PlanColumn("id", "Número", CellKind.INTEGER, minimum=1, synonyms=("número del evento", "no.", "n°")),
            PlanColumn("held_on", "Fecha", CellKind.DATE, required=True),
            PlanColumn("kind", "Tipo", CellKind.CHOICE, required=True, choices=EVENT_KINDS),
            PlanColumn("title", "Título", required=True, synonyms=("nombre",)),
            _ref("barrio_id", "Barrio", "Barrios", required=False),
            _ref("line_id", "Línea", "Líneas", required=False),
            _ref("convened_by_actor_id", "Convocado por", "Actores", required=False, synonyms=("convoca",)),
        ),
        "un evento",
        order=("held_on", "id"),
    ),
    PlanSheet(
        "Asistencia",
        Attendance,
        ("event_id", "actor_id"),
        (
            _ref("event_id", "Número del evento", "Eventos", synonyms=("evento",)),
            PlanColumn("event_held_on", "Fecha del evento", CellKind.DATE, target="event_id", shows="held_on"),
            PlanColumn("event_title", "Título del evento", target="event_id", shows="title"),
            _ref("actor_id", "Actor", "Actores"),
            PlanColumn("invited", "Invitado", CellKind.BOOL),
            PlanColumn("attended", "Asistió", CellKind.BOOL, synonyms=("asistio", "asistencia")),
            PlanColumn("delegates", "Delegados", CellKind.INTEGER, minimum=0),
        ),
        "una asistencia",
    ),
    PlanSheet(
        "Motivación",
        MotivationRating,
        ("actor_id", "rated_on"),
        (
            _ref("actor_id", "Actor", "Actores"),
            PlanColumn("rated_on", "Fecha", CellKind.DATE, required=True),
            PlanColumn(
                "score",
                "Calificación (1 a 5)",
                CellKind.INTEGER,
                required=True,
                minimum=1,
                maximum=5,
                synonyms=("calificación", "puntaje"),
            ),
            PlanColumn("note", "Observaciones", synonyms=("observación", "nota")),
            PlanColumn("rated_by", "Calificado por"),
        ),
        "una calificación",
    ),
    # --- Institutionalization (DESIGN §8): the milestone catalogue, milestones, Presupuesto Participativo. ---
    PlanSheet(
        "Tipos de hito",
        MilestoneKind,
        ("code",),
        (
            _code(),
            NAME,
            PlanColumn("group_name", "Grupo", CellKind.CHOICE, required=True, choices=MILESTONE_GROUPS),
            DESCRIPTION,
            PlanColumn("sort_order", "Orden", CellKind.INTEGER),
            ARCHIVED,
        ),
        "un tipo de hito",
        order=("sort_order", "code"),
    ),
    PlanSheet(
        "Hitos",
        Milestone,
        ("code",),
        (
            _code(),
            _ref("kind_id", "Tipo de hito", "Tipos de hito", synonyms=("tipo",)),
            PlanColumn("title", "Título", required=True, synonyms=("hito", "nombre")),
            PlanColumn("issuer", "Quién lo expide", synonyms=("expide", "emisor", "entidad")),
            PlanColumn("act_type", "Tipo de acto", synonyms=("acto",)),
            PlanColumn("act_number", "Número del acto", synonyms=("número de acto", "acto número")),
            PlanColumn("act_date", "Fecha del acto", CellKind.DATE),
            PlanColumn("scope", "Alcance", CellKind.CHOICE, choices=MILESTONE_SCOPES),
            PlanColumn("status", "Estado", CellKind.CHOICE, choices=MILESTONE_STATUSES),
            PlanColumn("target_date", "Fecha prevista", CellKind.DATE, synonyms=("fecha meta", "plazo")),
            PlanColumn("evidence", "Evidencia", synonyms=("soporte", "enlace")),
            PlanColumn("note", "Observaciones", synonyms=("observación", "nota")),
            ARCHIVED,
        ),
        "un hito",
    ),
    PlanSheet(
        "Líneas de hitos",
        MilestoneLine,
        ("milestone_id", "line_id"),
        (_ref("milestone_id", "Hito", "Hitos"), _ref("line_id", "Línea", "Líneas")),
        "una línea de hito",
    ),
    PlanSheet(
        "Topes de PP",
        PPCeiling,
        ("year",),
        (
            YEAR,
            PlanColumn("ceiling_cop", "Tope (COP)", CellKind.MONEY, required=True, synonyms=("tope", "techo")),
        ),
        "un tope de Presupuesto Participativo",
    ),
    PlanSheet(
        "Proyectos de PP",
        PPProject,
        ("code",),
        (
            _code(),
            YEAR,
            NAME,
            _ref("dependencia_id", "Dependencia", "Actores", synonyms=("dependencia ejecutora", "ejecutor")),
            PlanColumn("assigned_cop", "Asignado (COP)", CellKind.MONEY, synonyms=("asignado", "valor asignado")),
            PlanColumn("executed_cop", "Ejecutado (COP)", CellKind.MONEY, synonyms=("ejecutado", "valor ejecutado")),
            PlanColumn("status", "Estado", CellKind.CHOICE, choices=PP_STATUSES),
            _ref("line_id", "Línea", "Líneas", required=False),
            _ref("program_id", "Programa", "Programas", required=False),
            _ref("project_id", "Proyecto", "Proyectos", required=False),
            ARCHIVED,
        ),
        "un proyecto de Presupuesto Participativo",
        order=("year", "code"),
    ),
    PlanSheet(
        "Barrios de proyectos de PP",
        PPProjectBarrio,
        ("pp_project_id", "barrio_id"),
        (_ref("pp_project_id", "Proyecto de PP", "Proyectos de PP"), _ref("barrio_id", "Barrio", "Barrios")),
        "un barrio de proyecto de PP",
    ),
)

# --- Vision and adoption of the plan (DESIGN.md §8): the plan's vision, the actors' own plans and the crosswalk ---
VISION_SHEETS: tuple[PlanSheet, ...] = (
    PlanSheet(
        "Plan",
        PlanProfile,
        ("code",),
        (
            _code(),
            NAME,
            _year("start_year", "Año de inicio", required=True, synonyms=("inicio",)),
            PlanColumn(
                "horizon_years",
                "Horizonte (años)",
                CellKind.INTEGER,
                required=True,
                minimum=1,
                maximum=50,
                synonyms=("horizonte",),
            ),
            PlanColumn("vision", "Visión"),
            ADOPTED_ACT,
            ADOPTED_ON,
            PlanColumn("source_document", "Documento fuente", synonyms=("documento", "fuente")),
        ),
        "un perfil del plan",
    ),
    PlanSheet(
        "Ideas-fuerza",
        IdeaFuerza,
        ("code",),
        (
            _code(),
            PlanColumn("text", "Idea-fuerza", required=True, synonyms=("idea fuerza", "texto")),
            PlanColumn("sort_order", "Orden", CellKind.INTEGER),
            ARCHIVED,
        ),
        "una idea-fuerza",
        order=("sort_order", "code"),
    ),
    PlanSheet(
        "Líneas de ideas-fuerza",
        IdeaLine,
        ("idea_id", "line_id"),
        (_ref("idea_id", "Idea-fuerza", "Ideas-fuerza", synonyms=("idea fuerza",)), _ref("line_id", "Línea", "Líneas")),
        "una línea de idea-fuerza",
    ),
    PlanSheet(
        "Instrumentos",
        Instrument,
        ("code",),
        (
            _code(),
            _ref("actor_id", "Actor", "Actores"),
            PlanColumn(
                "kind",
                "Tipo de instrumento",
                CellKind.CHOICE,
                required=True,
                choices=INSTRUMENT_KINDS,
                synonyms=("tipo",),
            ),
            NAME,
            _year("period_start", "Desde (año)", synonyms=("desde", "año inicial")),
            _year("period_end", "Hasta (año)", synonyms=("hasta", "año final")),
            ADOPTED_ACT,
            ADOPTED_ON,
            PlanColumn("link", "Enlace", synonyms=("url", "vínculo")),
            ARCHIVED,
        ),
        "un instrumento de planeación",
    ),
    PlanSheet(
        "Líneas de instrumentos",
        InstrumentLine,
        ("instrument_id", "line_id"),
        (_ref("instrument_id", "Instrumento", "Instrumentos"), _ref("line_id", "Línea", "Líneas")),
        "una línea de instrumento",
    ),
    PlanSheet(
        "Articulación",
        Alignment,
        ("code",),
        (
            _code(),
            _ref("instrument_id", "Instrumento", "Instrumentos"),
            _ref("line_id", "Línea", "Líneas"),
            _ref("program_id", "Programa", "Programas", required=False),
            _ref("project_id", "Proyecto", "Proyectos", required=False),
            PlanColumn("their_code", "Su código", synonyms=("código en su plan", "su programa")),
            PlanColumn("their_text", "Su texto", synonyms=("texto en su plan", "su meta")),
            PlanColumn(
                "level", "Nivel (0 a 3)", CellKind.INTEGER, required=True, minimum=0, maximum=3, synonyms=("nivel",)
            ),
            PlanColumn("resources_cop", "Recursos (COP)", CellKind.MONEY, synonyms=("recursos",)),
            _year("year", "Año", synonyms=("vigencia",)),
            PlanColumn("evidence", "Evidencia", synonyms=("soporte",)),
            PlanColumn("state", "Estado", CellKind.CHOICE, choices=ALIGNMENT_STATES),
            PlanColumn("verified_by", "Verificado por", synonyms=("verificó",)),
            PlanColumn("verified_on", "Verificado el", CellKind.DATE, synonyms=("fecha de verificación",)),
            ARCHIVED,
        ),
        "una fila de articulación",
    ),
)

SHEETS += VISION_SHEETS


SHEET_BY_NAME = {sheet.name: sheet for sheet in SHEETS}


SHEET_INDEX = {sheet.name: index for index, sheet in enumerate(SHEETS)}


def model_default(model: type[SQLModel], name: str) -> Any:
    info = model.model_fields.get(name)
    if info is None:
        return None
    value = info.get_default(call_default_factory=True, validated_data={})
    return None if value is PydanticUndefined else value


def column_length(sheet: PlanSheet, name: str) -> int | None:
    """The longest text a column takes: its own limit, else what one Excel cell holds (the export is the backup)."""
    column_type = sheet.table.c[name].type
    if getattr(column_type, "impl", column_type).python_type is not str:
        return None
    return cast(int | None, getattr(column_type, "length", None)) or cells.MAX_TEXT


def blank_value(sheet: PlanSheet, name: str) -> Any:
    """What a blank cell means: nothing where the column allows it, else the table's default."""
    return None if sheet.table.c[name].nullable else model_default(sheet.model, name)
