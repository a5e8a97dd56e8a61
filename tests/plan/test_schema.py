"""The reference graph and the parent-first order, derived from the models."""

from __future__ import annotations

import ast

from core.db import PROJECT_ROOT
from core.demo.plan import PLAN_TABLES_CHILD_FIRST, ROUND_TABLES
from core.models import ImportBatch
from core.plan import edit, schema
from core.plan.sheets import SHEETS, table_of
from core.uploads.plan_workbook import WRITE_ORDER


def foreign_keys_written_in_models() -> set[tuple[str, str, str]]:
    """(table, column, target table) of every ``_fk("…")`` and ``ForeignKey("…")`` in models.py, read as text."""
    tree = ast.parse((PROJECT_ROOT / "core" / "models.py").read_text(encoding="utf-8"))
    found = set()
    for cls in (node for node in tree.body if isinstance(node, ast.ClassDef)):
        table = cls.name.lower()
        for statement in cls.body:
            if isinstance(statement, ast.Assign) and ast.unparse(statement.targets[0]) == "__tablename__":
                table = ast.literal_eval(statement.value)
        for statement in cls.body:
            if not isinstance(statement, ast.AnnAssign) or statement.value is None:
                continue
            for call in (node for node in ast.walk(statement.value) if isinstance(node, ast.Call)):
                if ast.unparse(call.func) in ("_fk", "ForeignKey"):
                    target = ast.literal_eval(call.args[0]).split(".")[0]
                    found.add((table, ast.unparse(statement.target), target))
    return found


def test_every_foreign_key_of_the_models_is_in_the_graph() -> None:
    graph = {(r.table, r.column, r.target) for r in schema.REFERENCES}
    written = foreign_keys_written_in_models()
    assert len(written) == 25 + 18 + 6  # the plan and participation, the vision and adoption (§8), the rounds
    assert graph == written


def test_every_reference_has_a_spanish_name() -> None:
    assert set(schema.REFERRED_AS) == {(r.table, r.column) for r in schema.REFERENCES}


def test_the_plan_workbook_writes_parents_first_in_the_order_of_its_sheets() -> None:
    assert [sheet.table.name for sheet in WRITE_ORDER] == [
        "barrio",
        "strategic_line",
        "program",
        "actor",
        "project",
        "project_barrio",
        "pact",
        "pact_line",
        "pact_member",
        "commitment",
        "commitment_actor",
        "commitment_barrio",
        "progress_report",
        "event",
        "attendance",
        "motivation_rating",
        "milestone_kind",
        "milestone",
        "milestone_line",
        "pp_ceiling",
        "pp_project",
        "pp_project_barrio",
        "plan_profile",
        "idea_fuerza",
        "idea_line",
        "instrument",
        "instrument_line",
        "alignment",
    ]


def test_the_order_follows_the_references_not_the_order_given() -> None:
    by_name = sorted((sheet.model for sheet in SHEETS), key=lambda model: table_of(model).name)
    assert [table_of(model).name for model in schema.parent_first(by_name)] == [
        "actor",
        "barrio",
        "idea_fuerza",
        "instrument",
        "milestone_kind",
        "milestone",
        "motivation_rating",
        "pact",
        "pact_member",
        "plan_profile",
        "pp_ceiling",
        "strategic_line",
        "event",
        "attendance",
        "idea_line",
        "instrument_line",
        "milestone_line",
        "pact_line",
        "program",
        "project",
        "alignment",
        "commitment",
        "commitment_actor",
        "commitment_barrio",
        "pp_project",
        "pp_project_barrio",
        "progress_report",
        "project_barrio",
    ]


def test_every_table_comes_after_the_tables_it_points_at() -> None:
    for order in (schema.plan_tables(), tuple(reversed(PLAN_TABLES_CHILD_FIRST))):
        position = {table_of(model).name: index for index, model in enumerate(order)}
        for r in schema.REFERENCES:
            if r.table in position and r.target in position:
                assert position[r.target] < position[r.table], r


def test_the_demo_empties_every_plan_table_and_the_batches_children_first() -> None:
    assert set(PLAN_TABLES_CHILD_FIRST) == {sheet.model for sheet in SHEETS} | {ImportBatch, *ROUND_TABLES}
    names = [table_of(model).name for model in PLAN_TABLES_CHILD_FIRST]
    assert names.index("progress_report") < names.index("import_batch")
    assert names.index("commitment") < names.index("project") < names.index("program") < names.index("strategic_line")


def test_history_is_what_points_at_a_record_except_its_own_link_rows() -> None:
    def listed(catalog: str) -> list[tuple[str, str, str]]:
        return [(r.table, r.column, schema.referred_as(r)) for r in edit.history_references(catalog)]

    assert listed(edit.LINES) == [
        ("program", "line_id", "programas"),
        ("pact_line", "line_id", "pactos"),
        ("event", "line_id", "eventos"),
        ("idea_line", "line_id", "ideas-fuerza"),
        ("instrument_line", "line_id", "instrumentos de planeación"),
        ("alignment", "line_id", "filas de articulación"),
        ("milestone_line", "line_id", "hitos"),
        ("pp_project", "line_id", "proyectos de Presupuesto Participativo"),
    ]
    assert listed(edit.PROJECTS) == [
        ("commitment", "project_id", "compromisos"),
        ("alignment", "project_id", "filas de articulación"),
        ("pp_project", "project_id", "proyectos de Presupuesto Participativo"),
    ]
    assert listed(edit.COMMITMENTS) == [
        ("progress_report", "commitment_id", "reportes de avance"),
        ("round_commitment", "commitment_id", "rondas de reporte"),
    ]
    assert listed(edit.PACTS) == [("commitment", "pact_id", "compromisos")]
    assert len(listed(edit.ACTORS)) == 9 + 3  # the rounds it was asked in, what they asked, its consents


def test_a_key_that_holds_a_reference_is_found() -> None:
    def key_of(table: str, column: str) -> tuple[str, ...]:
        (reference,) = [r for r in schema.REFERENCES if (r.table, r.column) == (table, column)]
        return schema.unique_with(reference)

    assert key_of("commitment_actor", "actor_id") == ("commitment_id",)  # primary key
    assert key_of("attendance", "actor_id") == ("event_id",)  # unique constraint
    assert key_of("motivation_rating", "actor_id") == ()
    assert key_of("project", "lead_actor_id") == ()
