"""Which table points at which, read once from ``SQLModel.metadata``: the reference graph and a parent-first order.

Everything that must know the references — what counts as a record's history, what a merge moves, which rows a
plan workbook may not delete, in which order the workbook writes and undoes its sheets and the demo fills and
empties the plan — asks here, so a new table or foreign key in ``core.models`` is seen everywhere at once. Only
how a message names the rows behind each reference is written by hand (``REFERRED_AS``), and a test checks that
every foreign key has its name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Table, UniqueConstraint
from sqlmodel import SQLModel

from core.plan.sheets import SHEETS, PlanSheet, table_of  # its import of core.models declares every table


@dataclass(frozen=True, order=True)
class Reference:
    """``table.column`` holds the id of a row of ``target``."""

    table: str
    column: str
    target: str


def _references() -> tuple[Reference, ...]:
    found = {
        Reference(table.name, key.parent.name, key.column.table.name)
        for table in SQLModel.metadata.tables.values()
        for key in table.foreign_keys
    }
    return tuple(sorted(found))


REFERENCES: tuple[Reference, ...] = _references()

# How the plan names the rows behind each reference ("3 compromisos"), in the order they are listed to people.
REFERRED_AS: dict[tuple[str, str], str] = {
    ("program", "line_id"): "programas",
    ("pact_line", "line_id"): "pactos",
    ("event", "line_id"): "eventos",
    ("project", "program_id"): "proyectos",
    ("commitment", "project_id"): "compromisos",
    ("project_barrio", "project_id"): "barrios",
    ("progress_report", "commitment_id"): "reportes de avance",
    ("commitment_actor", "commitment_id"): "actores",
    ("commitment_barrio", "commitment_id"): "barrios",
    ("commitment_actor", "actor_id"): "compromisos",
    ("attendance", "actor_id"): "asistencias a eventos",
    ("motivation_rating", "actor_id"): "calificaciones de motivación",
    ("pact_member", "actor_id"): "pactos",
    ("project", "lead_actor_id"): "proyectos que lidera",
    ("event", "convened_by_actor_id"): "eventos que convocó",
    ("app_user", "actor_id"): "cuentas de usuario",
    ("commitment", "pact_id"): "compromisos",
    ("pact_line", "pact_id"): "líneas",
    ("pact_member", "pact_id"): "miembros",
    ("project_barrio", "barrio_id"): "proyectos",
    ("commitment_barrio", "barrio_id"): "compromisos",
    ("event", "barrio_id"): "eventos",
    ("attendance", "event_id"): "asistencias",
    ("progress_report", "import_batch_id"): "reportes de avance",
    ("audit_entry", "import_batch_id"): "entradas de la bitácora",
    ("idea_line", "line_id"): "ideas-fuerza",
    ("idea_line", "idea_id"): "líneas",
    ("instrument", "actor_id"): "instrumentos de planeación",
    ("instrument_line", "instrument_id"): "líneas",
    ("instrument_line", "line_id"): "instrumentos de planeación",
    ("alignment", "instrument_id"): "filas de articulación",
    ("alignment", "line_id"): "filas de articulación",
    ("alignment", "program_id"): "filas de articulación",
    ("alignment", "project_id"): "filas de articulación",
    ("milestone", "kind_id"): "hitos",
    ("milestone_line", "milestone_id"): "líneas",
    ("milestone_line", "line_id"): "hitos",
    ("pp_project", "dependencia_id"): "proyectos de Presupuesto Participativo",
    ("pp_project", "line_id"): "proyectos de Presupuesto Participativo",
    ("pp_project", "program_id"): "proyectos de Presupuesto Participativo",
    ("pp_project", "project_id"): "proyectos de Presupuesto Participativo",
    ("pp_project_barrio", "pp_project_id"): "barrios",
    ("pp_project_barrio", "barrio_id"): "proyectos de Presupuesto Participativo",
    ("round_member", "round_id"): "actores convocados",
    ("round_member", "actor_id"): "rondas de reporte",
    ("round_commitment", "round_id"): "compromisos pedidos",
    ("round_commitment", "actor_id"): "compromisos pedidos en rondas de reporte",
    ("round_commitment", "commitment_id"): "rondas de reporte",
    ("contact_consent", "actor_id"): "autorizaciones de contacto",
}


def referred_as(reference: Reference) -> str:
    return REFERRED_AS[(reference.table, reference.column)]


def references_to(table: Table) -> tuple[Reference, ...]:
    """Every reference that points at ``table``, in the order of ``REFERRED_AS``."""
    position = {key: index for index, key in enumerate(REFERRED_AS)}
    pointing = [r for r in REFERENCES if r.target == table.name]
    return tuple(sorted(pointing, key=lambda r: (position.get((r.table, r.column), len(position)), r)))


def unique_with(reference: Reference) -> tuple[str, ...]:
    """The other columns of a key (primary or unique) that holds the reference's column: moving the reference to
    another row could repeat that key. Empty when no key holds it."""
    table = SQLModel.metadata.tables[reference.table]
    keys = [tuple(c.name for c in table.primary_key.columns)] + [
        tuple(c.name for c in constraint.columns)
        for constraint in table.constraints
        if isinstance(constraint, UniqueConstraint)
    ]
    for key in keys:
        if reference.column in key and len(key) > 1:
            return tuple(name for name in key if name != reference.column)
    return ()


Item = TypeVar("Item")


def _parent_first(items: Sequence[Item], names: Sequence[str]) -> tuple[Item, ...]:
    """``items`` (one per table, named by ``names``) each after the ones its table points at; else as given."""
    inside = set(names)
    parents = [{r.target for r in REFERENCES if r.table == name and r.target in inside - {name}} for name in names]
    order: list[int] = []
    done: set[str] = set()
    while len(order) < len(items):
        ready = next((i for i in range(len(items)) if i not in order and parents[i] <= done), None)
        if ready is None:
            raise ValueError(f"the references among {sorted(set(names) - done)} form a cycle")
        order.append(ready)
        done.add(names[ready])
    return tuple(items[i] for i in order)


def parent_first(models: Iterable[type[SQLModel]]) -> tuple[type[SQLModel], ...]:
    """``models`` reordered so that every table comes after the tables it points at (references to tables outside
    ``models`` aside); otherwise in the order given."""
    listed = list(models)
    return _parent_first(listed, [table_of(model).name for model in listed])


def sheets_parent_first(sheets: Iterable[PlanSheet] = SHEETS) -> tuple[PlanSheet, ...]:
    """The plan workbook's sheets in an order to create rows in (reversed: to delete them); otherwise as given."""
    listed = list(sheets)
    return _parent_first(listed, [sheet.table.name for sheet in listed])


def plan_tables() -> tuple[type[SQLModel], ...]:
    """The plan's tables (one per sheet of the plan workbook), parents first."""
    return parent_first(sheet.model for sheet in SHEETS)
