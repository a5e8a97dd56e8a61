"""Progress uploads end to end on a small hand-made plan: validation rules, apply, same file twice, undo."""

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlmodel import Session

from core import db
from core.excel.reading import FileRejected
from core.models import AuditEntry, ImportBatch, ProgressReport
from core.uploads.batches import StalePreview, UndoRefused
from core.uploads.history import undo_batch
from core.uploads.progress import (
    ERROR,
    NEW,
    UNCHANGED,
    UPDATED,
    WARNING,
    ImportPreview,
    apply_progress,
    validate_progress,
)
from tests.plan_builder import PlanBuilder
from tests.sheets import HEADER, ods, save, xlsx, zip_bomb

TODAY = date(2026, 11, 15)


@dataclass(frozen=True)
class Plan:
    a: str  # commitment codes
    b: str
    cancelled: str
    project: str  # project name shared by a and b
    actor_a: str


@pytest.fixture
def plan(engine: Engine) -> Plan:
    with db.transaction(engine) as session:
        builder = PlanBuilder(session)
        actor_a, actor_b = builder.actor(), builder.actor()
        project = builder.project(builder.program(builder.line()), start=date(2026, 1, 1))
        a = builder.commitment(project, actors=(actor_a,), target=200)
        b = builder.commitment(project, actors=(actor_b,))
        cancelled = builder.commitment(project, actors=(actor_b,), cancelled=True)
        builder.report(a, date(2026, 6, 30), pct=40)
        return Plan(a.code, b.code, cancelled.code, project.name, actor_a.name)


def preview(engine: Engine, data: bytes, confirmed: dict[int, str] | None = None) -> ImportPreview:
    with Session(engine) as session:
        return validate_progress(session=session, data=data, file_name="avance.xlsx", today=TODAY, confirmed=confirmed)


def apply(engine: Engine, checked: ImportPreview) -> int | None:
    with db.transaction(engine) as session:
        return apply_progress(session=session, preview=checked, user="prueba").batch_id


def reports(engine: Engine) -> list[tuple[str, date, float | None, float | None]]:
    with Session(engine) as session:
        rows = session.exec(select(ProgressReport.commitment_id, ProgressReport.cut_off_date,  # type: ignore[call-overload]
                                   ProgressReport.physical_pct, ProgressReport.achieved_value)).all()  # fmt: skip
    return sorted((str(r[0]), r[1], r[2], r[3]) for r in rows)


def problems(checked: ImportPreview) -> list[tuple[int | None, str, str]]:
    return [(p.row, p.severity, p.message) for p in checked.problems]


def test_valid_rows_are_applied_as_one_batch(engine: Engine, plan: Plan) -> None:
    data = xlsx([HEADER, [plan.a, "31/10/2026", "85 %", None, "$ 1.234.567", "bien"], [plan.b, "31/10/2026", None, 50]])
    checked = preview(engine, data)
    assert checked.problems == []
    assert (checked.count(NEW), checked.count(UPDATED)) == (2, 0)
    batch_id = apply(engine, checked)
    with Session(engine) as session:
        batch = session.get(ImportBatch, batch_id)
        assert batch is not None and (batch.rows_applied, batch.status, batch.kind) == (2, "applied", "avance")
        report = session.exec(select(ProgressReport).where(ProgressReport.import_batch_id == batch_id)  # type: ignore[call-overload]
                              .order_by(ProgressReport.id)).scalars().first()  # fmt: skip
        assert (report.physical_pct, report.budget_executed_cop, report.note) == (85, 1_234_567, "bien")
        assert db.data_version(session=session) >= 1


def test_the_same_file_twice_changes_nothing_and_says_so(engine: Engine, plan: Plan) -> None:
    data = xlsx([HEADER, [plan.a, "31/10/2026", 85]])
    first = apply(engine, preview(engine, data))
    again = preview(engine, data)
    assert again.count(UNCHANGED) == 1 and not again.has_changes
    assert again.already_applied is not None and again.already_applied[0] == first
    assert apply(engine, again) is None
    assert len(reports(engine)) == 2  # the fixture's report and this one, not duplicated


def test_same_date_updates_and_undo_restores_it(engine: Engine, plan: Plan) -> None:
    before = reports(engine)
    checked = preview(engine, xlsx([HEADER, [plan.a, "30/06/2026", 45], [plan.b, "30/06/2026", 10]]))
    assert set(checked.changes.kind) == {NEW, UPDATED}
    assert checked.changes.set_index("commitment_code").loc[plan.a, "previous_progress"] == 40
    batch_id = apply(engine, checked)
    assert reports(engine) != before
    with db.transaction(engine) as session:
        result = undo_batch(session=session, batch_id=batch_id or 0, user="prueba", role="admin")
    assert (result.deleted, result.restored) == (1, 1)
    assert reports(engine) == before
    with Session(engine) as session:
        assert session.get(ImportBatch, batch_id).status == "undone"  # type: ignore[union-attr]
        actions = session.connection().execute(select(AuditEntry.action)).scalars().all()  # type: ignore[call-overload]
        assert "deshacer carga" in actions
    with pytest.raises(UndoRefused, match="ya se había deshecho"), db.transaction(engine) as session:
        undo_batch(session=session, batch_id=batch_id or 0, user="prueba", role="admin")


def test_undo_waits_for_a_later_batch_that_built_on_it(engine: Engine, plan: Plan) -> None:
    first = apply(engine, preview(engine, xlsx([HEADER, [plan.b, "31/10/2026", 10]]))) or 0
    second = apply(engine, preview(engine, xlsx([HEADER, [plan.b, "31/10/2026", 20]]))) or 0
    with pytest.raises(UndoRefused, match=f"número {second}"), db.transaction(engine) as session:
        undo_batch(session=session, batch_id=first, user="prueba", role="admin")
    for batch_id in (second, first):
        with db.transaction(engine) as session:
            undo_batch(session=session, batch_id=batch_id, user="prueba", role="admin")
    assert len(reports(engine)) == 1


def test_every_problem_is_reported_at_once(engine: Engine, plan: Plan) -> None:
    data = xlsx(
        [
            HEADER,
            [f"{plan.a}9", "31/10/2026", 50],  # 2 unknown code, one character away from a real one
            [plan.a, "31/12/2026", 50],  # 3 future
            [plan.a, "31/12/2025", 50],  # 4 before the project's start
            [plan.b, "30/09/2026", 120],  # 5 over 100
            [plan.a, "31/07/2026", 20],  # 6 backwards from 40 %
            [plan.a, "31/08/2026", None, 300],  # 7 over target 200
            [plan.b, "30/10/2026", 30],  # 8
            [plan.b, "30/10/2026", 30],  # 9 repeated, same values
            [plan.b, "29/10/2026", 31],  # 10
            [plan.b, "29/10/2026", 32],  # 11 same key, other values
            [plan.b, "28/10/2026", "mucho"],  # 12 text in a number column
            [plan.b, "27/10/2026", None, None, 5],  # 13 no progress
            [plan.cancelled, "31/10/2026", 5],  # 14 cancelled
            [plan.b, "31/02/2026", 5],  # 15 impossible date
        ]
    )
    checked = preview(engine, data)
    found = problems(checked)
    expected = [
        (2, ERROR, f"no existe un compromiso con el código «{plan.a}9»"),
        (3, ERROR, "la fecha de corte 31/12/2026 está en el futuro"),
        (4, ERROR, "la fecha de corte es anterior al inicio del proyecto (01/01/2026)"),
        (5, ERROR, "el avance debe estar entre 0 y 100 (se leyó 120)"),
        (6, WARNING, "el avance retrocede: antes de esta fecha ya se había reportado 40 %"),
        (7, WARNING, "el valor logrado supera la meta (200); el avance se toma como 100 %"),
        (9, WARNING, "fila repetida (igual a la fila 8); se usa una sola vez"),
        (10, ERROR, "otra fila trae el mismo compromiso y fecha de corte con otros valores"),
        (11, ERROR, "la fila 10 trae el mismo compromiso y fecha de corte con otros valores: deje solo una"),
        (12, ERROR, "«mucho» no es un número"),
        (13, ERROR, "falta el avance: escriba el avance físico (%) o el valor logrado"),
        (14, WARNING, "el compromiso está cancelado; el reporte se guarda igual"),
        (15, ERROR, "la fecha «31/02/2026» no existe (se lee día/mes/año)"),
    ]
    assert sorted(found) == sorted(expected)
    assert checked.held_rows == {2, 3, 4, 5, 10, 11, 12, 13, 15}
    assert sorted(checked.changes.row) == [6, 7, 8, 14]
    assert checked.problems[0].where == "Código compromiso (A)"
    assert plan.a in dict(checked.suggestions[2])  # a near code is offered, never applied silently


def test_rows_matched_by_project_and_actor_names(engine: Engine, plan: Plan) -> None:
    header = ["Proyecto", "Actor", "Fecha de corte", "Avance físico (%)"]
    exact = preview(engine, xlsx([header, [plan.project.upper(), f"  {plan.actor_a} ", "31/10/2026", 60]]))
    assert exact.problems == [] and list(exact.changes.commitment_code) == [plan.a]
    near = preview(engine, xlsx([header, [plan.project, "Actr 1", "31/10/2026", 60]]))
    assert near.held_rows == {2} and plan.a in dict(near.suggestions[2])
    confirmed = preview(engine, xlsx([header, [plan.project, "Actr 1", "31/10/2026", 60]]), confirmed={2: plan.a})
    assert confirmed.held_rows == set() and list(confirmed.changes.commitment_code) == [plan.a]


def test_percent_formatted_cells_title_rows_and_extra_columns(engine: Engine, plan: Plan) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Informe de la JAC"])
    sheet.append([*HEADER, "Firma"])
    sheet.append([plan.a, date(2026, 10, 31), 0.85, None, None, None, "Ana"])
    sheet["C3"].number_format = "0.0%"
    checked = preview(engine, save(workbook))
    assert list(checked.changes.physical_pct) == [pytest.approx(85.0)]
    assert any("«Firma»" in notice for notice in checked.notices)


def test_csv_upload(engine: Engine, plan: Plan) -> None:
    text = f"Código compromiso;Fecha de corte;Avance físico (%)\n{plan.b};31/10/2026;55,5\n"
    with Session(engine) as session:
        checked = validate_progress(session=session, data=text.encode("cp1252"), file_name="a.csv", today=TODAY)
    assert list(checked.changes.physical_pct) == [55.5]


def test_unusable_files_write_nothing(engine: Engine, database_url: str, plan: Plan) -> None:
    def fingerprint() -> object:
        if database_url.startswith("sqlite"):
            return hashlib.sha256(Path(database_url.removeprefix("sqlite:///")).read_bytes()).hexdigest()
        with Session(engine) as session:
            return [session.scalar(select(func.count()).select_from(t)) for t in (ProgressReport, ImportBatch)]

    stray = Workbook()
    sheet = stray.active
    assert sheet is not None
    sheet.append(HEADER)
    sheet["XFD1048576"] = "x"
    huge_csv = ("Código compromiso;Fecha de corte;Avance físico (%)\n" + f"{plan.a};31/10/2026;5\n" * 200_000).encode()
    bad_files = {
        "not a spreadsheet": b"basura",
        "password-protected": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(600),
        "zip bomb": zip_bomb(),
        "empty workbook": save(Workbook()),
        "stray cell at XFD1048576": save(stray),
        "200.000 rows": huge_csv,
        "no recognizable header": xlsx([["a", "b"], [1, 2]]),
        "header only": xlsx([HEADER]),
        "every row invalid": xlsx([HEADER, ["X", None, None], ["Y", "31/02/2026", 500]]),
    }
    before = fingerprint()
    for name, data in bad_files.items():
        try:
            checked = preview(engine, data)
        except FileRejected as exc:
            assert str(exc), name
            continue
        assert not checked.has_changes, name
        assert apply(engine, checked) is None, name
    assert fingerprint() == before


def test_reviewed_pitfalls(engine: Engine, plan: Plan) -> None:
    """Text fractions are questioned, a summary sheet before the data is skipped, confirmations stay on their rows."""
    summary = Workbook()
    first = summary.active
    assert first is not None
    first.title = "Resumen"
    first.append(["Proyecto", "Actor", "Total"])
    data_sheet = summary.create_sheet("Avances")
    for row in ([*HEADER], [plan.a, "31/10/2026", "0,85"], [f"{plan.b}9", "31/10/2026", 10], [plan.b, "30/10/2026", 5],
                [plan.b, "29/10/2026", "0,5 %"]):  # fmt: skip
        data_sheet.append(row)
    checked = preview(engine, save(summary), confirmed={2: plan.b, 3: plan.b})
    questioned = {p.row for p in checked.problems if "si quería decir" in p.message}
    assert questioned == {2}  # 0,85: did you mean 85 %? Not "0,5 %", which says what it means
    assert sorted(checked.changes.commitment_code) == [plan.a, plan.b, plan.b, plan.b]  # row 2 keeps its own code


def test_a_preview_is_refused_once_the_plan_changed(engine: Engine, plan: Plan) -> None:
    data = xlsx([HEADER, [plan.b, "31/10/2026", 10]])
    first, second = preview(engine, data), preview(engine, data)
    apply(engine, first)
    with pytest.raises(StalePreview), db.transaction(engine) as session:
        apply_progress(session=session, preview=second, user="prueba")


def test_an_achieved_value_without_a_target_warns_sin_meta(engine: Engine) -> None:
    with db.transaction(engine) as session:
        builder = PlanBuilder(session)
        project = builder.project(builder.program(builder.line()), start=date(2026, 1, 1))
        code = builder.commitment(project, target=None).code
    checked = preview(engine, xlsx([HEADER, [code, "31/10/2026", None, 12]]))
    [(row, severity, message)] = problems(checked)
    assert (row, severity) == (2, WARNING)
    assert message.startswith("sin meta") and "reporte el avance en %" in message
    assert checked.count(NEW) == 1  # a warning: the value is kept, it just gives no progress


FIXTURES = Path(__file__).parent.parent / "fixtures"


def test_an_excel_97_file_uploads_like_an_xlsx(engine: Engine, plan: Plan) -> None:
    checked = preview(engine, (FIXTURES / "avance.xls").read_bytes())
    assert (plan.a, plan.b) == ("C6", "C7")  # the codes tests/fixtures/make_xls.py wrote
    assert (checked.problems, checked.count(NEW)) == ([], 2)
    changes = checked.changes.fillna(-1)
    assert changes[["row", "physical_pct", "achieved_value"]].values.tolist() == [[4, 85, -1], [5, -1, 50]]


def test_an_excel_97_file_reads_its_85_percent_cells_as_85(engine: Engine, plan: Plan) -> None:
    checked = preview(engine, (FIXTURES / "avance_porcentaje.xls").read_bytes())
    assert (plan.a, plan.b) == ("C6", "C7")  # both show «85 %»: a percent cell (0,85) and 85 with a quoted "%"
    assert checked.problems == []  # no «si quería decir 85 %»: the cell's format says it
    assert checked.changes.physical_pct.tolist() == [85.0, 85.0]
    apply(engine, checked)
    assert [pct for _, day, pct, _ in reports(engine) if day == date(2026, 10, 31)] == [85.0, 85.0]


def test_a_libreoffice_file_uploads_with_its_percent_cells(engine: Engine, plan: Plan) -> None:
    data = ods(
        [HEADER, [plan.a, date(2026, 10, 31), 0.85], [plan.b, "15/10/2026", "40 %"]], percent=frozenset({(2, 3)})
    )
    checked = preview(engine, data)
    assert checked.problems == []
    assert checked.changes.physical_pct.tolist() == [85.0, 40.0]
