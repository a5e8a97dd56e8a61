from collections.abc import Callable
from datetime import date, datetime
from io import BytesIO
from pathlib import Path

import openpyxl
import pytest
from sqlalchemy import Engine, func, select
from sqlmodel import Session, SQLModel, col

from core import db
from core.demo.plan import PLAN_TABLES_CHILD_FIRST, build_demo_rows, ensure_database, load_demo
from core.excel.headers import ColumnsUnmatched, header_signature
from core.excel.problems import ERROR
from core.excel.reading import FileRejected
from core.models import Actor, AuditEntry, ImportBatch, MotivationRating
from core.uploads.batches import StalePreview, UndoRefused
from core.uploads.mappings import remember_confirmed
from core.uploads.plan_workbook import (
    KIND,
    PlanApplyResult,
    PlanImportPreview,
    PlanImportRefused,
    apply_plan_workbook,
    export_plan,
    undo_plan_batch,
    validate_plan_workbook,
)
from tests.sheets import ods_from_xlsx

SHEET_NAMES = [
    "Barrios",
    "Líneas",
    "Programas",
    "Actores",
    "Proyectos",
    "Barrios de proyectos",
    "Pactos",
    "Líneas de pactos",
    "Miembros de pactos",
    "Compromisos",
    "Actores de compromisos",
    "Barrios de compromisos",
    "Reportes de avance",
    "Eventos",
    "Asistencia",
    "Motivación",
    "Tipos de hito",
    "Hitos",
    "Líneas de hitos",
    "Topes de PP",
    "Proyectos de PP",
    "Barrios de proyectos de PP",
    "Plan",
    "Ideas-fuerza",
    "Líneas de ideas-fuerza",
    "Instrumentos",
    "Líneas de instrumentos",
    "Articulación",
]
PLAN_TABLES = [m for m in PLAN_TABLES_CHILD_FIRST if m is not ImportBatch]


@pytest.fixture(scope="module")
def demo_workbook(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    engine = db.make_engine(f"sqlite:///{tmp_path_factory.mktemp('demo') / 'plan.db'}")
    ensure_database(engine)
    with Session(engine) as session:
        data = export_plan(session=session)
    engine.dispose()
    return data


@pytest.fixture
def demo_engine(engine: Engine) -> Engine:
    with db.transaction(engine) as session:
        load_demo(session=session)
    return engine


def sheets(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(BytesIO(data))
    return {sheet.title: [tuple(cell.value for cell in row) for row in sheet.iter_rows()] for sheet in book}


def edited(data: bytes, change: Callable[[openpyxl.Workbook], object]) -> bytes:
    book = openpyxl.load_workbook(BytesIO(data))
    change(book)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def keep_only(*names: str) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        for sheet in list(book.worksheets):
            if sheet.title not in names:
                book.remove(sheet)

    return change


def validate(engine: Engine, data: bytes, *, allow_deletions: bool = False) -> PlanImportPreview:
    with db.transaction(engine) as session:
        return validate_plan_workbook(
            session=session, data=data, file_name="libro.xlsx", allow_deletions=allow_deletions
        )


def apply(engine: Engine, data: bytes, *, allow_deletions: bool = False) -> PlanApplyResult:
    with db.transaction(engine) as session:
        preview = validate_plan_workbook(
            session=session, data=data, file_name="libro.xlsx", allow_deletions=allow_deletions
        )
        return apply_plan_workbook(session=session, preview=preview, user="coordinadora")


def export(engine: Engine) -> bytes:
    with Session(engine) as session:
        return export_plan(session=session)


def table_rows(engine: Engine) -> dict[str, list[dict[str, object]]]:
    with Session(engine) as session:
        return {
            model.__name__: sorted((row.model_dump() for row in session.scalars(select(model))), key=repr)
            for model in PLAN_TABLES
        }


def count(engine: Engine, model: type[SQLModel]) -> int:
    with Session(engine) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def dataset(engine: Engine) -> str | None:
    with Session(engine) as session:
        return db.get_setting(session=session, key=db.DATASET_KEY)


def changes(preview: PlanImportPreview, sheet: str) -> tuple[int, int, int, int]:
    found = next(s for s in preview.sheets if s.sheet == sheet)
    return found.created, found.updated, found.unchanged, found.deleted


def test_one_sheet_per_table_keyed_by_codes_with_spanish_headers(demo_workbook: bytes) -> None:
    book = sheets(demo_workbook)
    assert [*SHEET_NAMES, "Instrucciones"] == list(book)
    assert book["Programas"][0] == ("Código", "Línea", "Nombre", "Componente", "Peso", "Archivado el")
    assert book["Programas"][1][:3] == ("L1.1", "L1", "Fortalecimiento de la organización comunitaria")
    assert book["Reportes de avance"][0][:3] == ("Compromiso", "Fecha de corte", "Avance físico (%)")
    assert {"Persona de contacto", "Teléfono de contacto", "Correo de contacto"} <= set(book["Actores"][0])


def test_dates_numbers_and_blanks_are_written_as_excel_values(demo_workbook: bytes) -> None:
    projects = openpyxl.load_workbook(BytesIO(demo_workbook))["Proyectos"]
    start, budget = projects["F2"], projects["H2"]
    assert (projects["F1"].value, projects["H1"].value) == ("Fecha de inicio", "Presupuesto (COP)")
    assert isinstance(start.value, datetime)
    assert start.number_format == "dd/mm/yyyy"
    assert (budget.value, budget.number_format) == (1_146_000_000, '"$" #,##0')
    assert projects.freeze_panes == "A2"
    pacts = [row[9] for row in sheets(demo_workbook)["Compromisos"][1:]]
    assert None in pacts  # a commitment outside any pact: blank, not 0 or "None"


def test_formula_like_text_is_exported_as_text(engine: Engine) -> None:
    with db.transaction(engine) as session:
        session.add(Actor(code="A-1", name='=HYPERLINK("http://x")', sector="privado"))
    cell = openpyxl.load_workbook(BytesIO(export(engine)))["Actores"]["B2"]
    assert (cell.value, cell.data_type, cell.quotePrefix) == ('=HYPERLINK("http://x")', "s", True)


def test_round_trip_into_an_empty_database_gives_the_same_workbook(engine: Engine, demo_workbook: bytes) -> None:
    result = apply(engine, demo_workbook)
    assert sum(len(rows) for rows in build_demo_rows().values()) == result.created
    assert (result.updated, result.deleted, result.unchanged) == (0, 0, 0)
    assert sheets(demo_workbook) == sheets(export(engine))
    assert dataset(engine) == "real"


def test_importing_the_same_file_again_changes_nothing(demo_engine: Engine) -> None:
    data = export(demo_engine)
    batches, entries = count(demo_engine, ImportBatch), count(demo_engine, AuditEntry)
    preview = validate(demo_engine, data)
    assert (preview.problems, preview.notices, preview.has_changes) == ([], [], False)
    assert changes(preview, "Actores") == (0, 0, 41, 0)
    assert None is apply(demo_engine, data).batch_id
    assert (batches, entries) == (count(demo_engine, ImportBatch), count(demo_engine, AuditEntry))
    assert dataset(demo_engine) == "demo"


def test_a_changed_name_is_one_update_by_code(demo_engine: Engine) -> None:
    def rename(book: openpyxl.Workbook) -> None:
        book["Actores"]["B2"] = "JAL Comuna 12 – La América"

    data = edited(export(demo_engine), rename)
    data = edited(data, keep_only("Actores"))
    preview = validate(demo_engine, data)
    assert changes(preview, "Actores") == (0, 1, 40, 0)
    assert preview.notices[0].startswith("No están las hojas «Barrios», «Líneas», «Programas», «Proyectos»")
    result = apply(demo_engine, data)
    with Session(demo_engine) as session:
        actor = session.scalars(select(Actor).where(col(Actor.code) == "A-001")).one()
        entry = session.scalars(select(AuditEntry).where(col(AuditEntry.import_batch_id) == result.batch_id)).first()
    assert entry is not None and entry.after is not None
    assert actor.name == "JAL Comuna 12 – La América"
    assert (entry.action, entry.table_name, entry.row_id) == ("actualizar por libro", "actor", "A-001")
    assert '"name": "JAL Comuna 12 – La América"' in entry.after


def workbook(rows: dict[str, list[tuple[object, ...]]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, lines in rows.items():
        sheet = book.create_sheet(name)
        for line in lines:
            sheet.append(line)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_sheet_names_headers_and_values_are_read_tolerantly(engine: Engine) -> None:
    data = workbook(
        {
            "LINEAS": [("codigo", "NOMBRE"), ("L1", "Participación")],
            "actores": [("Código", "Nombre", "sector"), ("A-1", "JAC El Danubio", "Comunitario")],
            "Compromisos": [("Código", "Proyecto", "Descripción"), ("C-1", "P-1", "Mural")],
            "Proyectos": [("CÓDIGO", "Programa", "Nombre"), ("P-1", "l1.1", "Murales")],
            "Programas": [("Código", "Línea", "Nombre"), ("L1.1", "l1", "Cultura")],
            "Actores de compromisos": [("Compromiso", "Actor", "Participación"), ("c-1", "a-1", "50 %")],
        }
    )
    assert apply(engine, data).created == 6
    book = sheets(export(engine))
    assert book["Actores"][1][:4] == ("A-1", "JAC El Danubio", None, "comunitario")
    assert book["Actores de compromisos"][1] == ("C-1", "A-1", 0.5)


def test_a_file_without_plan_sheets_is_rejected(engine: Engine) -> None:
    with pytest.raises(FileRejected, match="ninguna hoja del libro del plan"):
        validate(engine, workbook({"Avances": [("Código compromiso", "Fecha de corte"), ("C-1", date(2026, 1, 1))]}))


def bad_workbook() -> bytes:
    return workbook(
        {
            "Líneas": [("Código", "Nombre"), ("L1", "Participación")],
            "Programas": [("Código", "Línea", "Nombre"), ("L1.1", "L1", "Organización"), ("L9.1", "L9", "Otro")],
            "Proyectos": [
                ("Código", "Programa", "Nombre", "Etapa", "Fecha de inicio", "Fecha de fin", "Presupuesto (COP)"),
                ("P-001", "L1.1", "Escuela", "perfil", date(2026, 1, 1), date(2026, 12, 31), 1000),
                ("P-001", "L1.1", "Escuela bis", "perfil", date(2026, 1, 1), date(2026, 12, 31), 1000),
                ("P-002", "L1.1", "Mediación", "en pausa", date(2026, 1, 1), date(2026, 12, 31), 1000),
                ("P-003", "L1.1", "Emisora", "perfil", date(2026, 1, 1), date(2026, 12, 31), -5),
                ("P-004", "L1.1", "Huertas", "perfil", date(2026, 6, 1), date(2026, 1, 1), 0),
            ],
        }
    )


def test_a_bad_workbook_lists_every_problem_and_writes_nothing(demo_engine: Engine) -> None:
    before = table_rows(demo_engine), count(demo_engine, ImportBatch), count(demo_engine, AuditEntry)
    preview = validate(demo_engine, bad_workbook())
    errors = {(p.row, p.where) for p in preview.problems if p.severity == ERROR}
    assert errors == {
        (3, "Programas · Línea (B)"),
        (3, "Proyectos · Código (A)"),
        (4, "Proyectos · Etapa (D)"),
        (5, "Proyectos · Presupuesto (COP) (G)"),
        (6, "Proyectos · Fecha de fin (F)"),
    }
    with db.transaction(demo_engine) as session, pytest.raises(PlanImportRefused):
        apply_plan_workbook(session=session, preview=preview, user="coordinadora")
    assert before == (table_rows(demo_engine), count(demo_engine, ImportBatch), count(demo_engine, AuditEntry))


def test_deletions_only_when_asked(demo_engine: Engine) -> None:
    data = edited(export(demo_engine), lambda book: book["Motivación"].delete_rows(2))
    assert changes(validate(demo_engine, data), "Motivación") == (0, 0, 612, 0)
    assert changes(validate(demo_engine, data, allow_deletions=True), "Motivación") == (0, 0, 612, 1)
    apply(demo_engine, data)
    assert count(demo_engine, MotivationRating) == 613
    apply(demo_engine, data, allow_deletions=True)
    assert count(demo_engine, MotivationRating) == 612


def test_a_row_still_used_elsewhere_cannot_be_deleted(demo_engine: Engine) -> None:
    data = edited(export(demo_engine), keep_only("Líneas"))
    data = edited(data, lambda book: book["Líneas"].delete_rows(2))  # L1
    errors = [p for p in validate(demo_engine, data, allow_deletions=True).problems if p.severity == ERROR]
    assert {"Líneas"} == {p.where for p in errors}
    assert any("3 filas de la hoja «Programas»" in p.message for p in errors)


def change_everything(book: openpyxl.Workbook) -> None:
    book["Actores"]["B2"] = "JAL Comuna 12 – La América"
    book["Líneas"].append(["L7", "Nueva línea", None, "#123456", 7, 1])
    book["Eventos"].append([999, date(2026, 11, 20), "asamblea", "Asamblea extraordinaria"])
    book["Eventos"].append([None, date(2026, 11, 21), "jornada barrial", "Jornada sin número"])
    book["Asistencia"].append([999, None, None, "A-001", "Sí", "Sí", 2])
    book["Motivación"].delete_rows(2)


def test_undo_restores_every_table(demo_engine: Engine) -> None:
    before = table_rows(demo_engine)
    result = apply(demo_engine, edited(export(demo_engine), change_everything), allow_deletions=True)
    assert (result.created, result.updated, result.deleted) == (4, 1, 1)
    assert before != table_rows(demo_engine)
    assert result.batch_id is not None
    with db.transaction(demo_engine) as session:
        undone = undo_plan_batch(session=session, batch_id=result.batch_id, user="coordinadora")
    assert (undone.deleted, undone.restored) == (4, 2)
    assert before == table_rows(demo_engine)
    assert dataset(demo_engine) == "demo"


def test_undo_waits_for_later_batches(demo_engine: Engine) -> None:
    data = export(demo_engine)
    first = apply(demo_engine, edited(data, rename_first_actor("Primer nombre")))
    apply(demo_engine, edited(data, rename_first_actor("Segundo nombre")))
    assert first.batch_id is not None
    with db.transaction(demo_engine) as session, pytest.raises(UndoRefused, match="Deshaga primero"):
        undo_plan_batch(session=session, batch_id=first.batch_id, user="coordinadora")


def rename_first_actor(name: str) -> Callable[[openpyxl.Workbook], object]:
    return lambda book: book["Actores"].cell(2, 2, name)


def test_undo_is_refused_when_a_row_changed_since(demo_engine: Engine) -> None:
    result = apply(demo_engine, edited(export(demo_engine), rename_first_actor("Primer nombre")))
    with db.transaction(demo_engine) as session:
        actor = session.scalars(select(Actor).where(col(Actor.code) == "A-001")).one()
        actor.name = "Editado a mano"
    assert result.batch_id is not None
    with db.transaction(demo_engine) as session, pytest.raises(UndoRefused, match="«A-001» en «Actores»"):
        undo_plan_batch(session=session, batch_id=result.batch_id, user="coordinadora")


def test_a_preview_of_a_plan_that_changed_since_is_refused(demo_engine: Engine) -> None:
    preview = validate(demo_engine, edited(export(demo_engine), rename_first_actor("Primer nombre")))
    apply(demo_engine, edited(export(demo_engine), rename_first_actor("Otro nombre")))
    with db.transaction(demo_engine) as session, pytest.raises(StalePreview, match="cambió"):
        apply_plan_workbook(session=session, preview=preview, user="coordinadora")


def test_undo_restores_updated_and_deleted_progress_reports(demo_engine: Engine) -> None:
    def touch_reports(book: openpyxl.Workbook) -> None:
        sheet = book["Reportes de avance"]
        notes = [c.value for c in sheet[1]].index("Observaciones") + 1
        sheet.cell(row=2, column=notes, value="corregido en el libro")
        sheet.delete_rows(3)

    before = table_rows(demo_engine)
    result = apply(demo_engine, edited(export(demo_engine), touch_reports), allow_deletions=True)
    assert (result.updated, result.deleted) == (1, 1) and result.batch_id is not None
    with db.transaction(demo_engine) as session:
        undo_plan_batch(session=session, batch_id=result.batch_id, user="coordinadora")
    assert before == table_rows(demo_engine)


def empty_sheets(*names: str) -> Callable[[openpyxl.Workbook], None]:
    def change(book: openpyxl.Workbook) -> None:
        for name in names:
            book[name].delete_rows(2, book[name].max_row)

    return change


def test_deleting_a_large_share_of_a_table_needs_a_second_confirmation(demo_engine: Engine) -> None:
    data = edited(export(demo_engine), empty_sheets("Motivación", "Asistencia"))
    preview = validate(demo_engine, data, allow_deletions=True)
    assert preview.deletion_warning is not None
    assert "613 de las 613 filas de «Motivación»" in preview.deletion_warning
    with db.transaction(demo_engine) as session, pytest.raises(PlanImportRefused, match="Confirme expresamente"):
        apply_plan_workbook(session=session, preview=preview, user="coordinadora")
    assert count(demo_engine, MotivationRating) == 613
    with db.transaction(demo_engine) as session:
        apply_plan_workbook(session=session, preview=preview, user="coordinadora", deletions_confirmed=True)
    assert count(demo_engine, MotivationRating) == 0


def test_deleting_a_small_share_needs_no_second_confirmation(demo_engine: Engine) -> None:
    data = edited(export(demo_engine), lambda book: book["Motivación"].delete_rows(2))
    assert validate(demo_engine, data, allow_deletions=True).deletion_warning is None
    assert validate(demo_engine, edited(data, empty_sheets("Motivación"))).deletion_warning is None  # not asked


def test_the_plan_workbook_saved_as_ods_changes_nothing(demo_engine: Engine) -> None:
    preview = validate(demo_engine, ods_from_xlsx(export(demo_engine)))
    assert (preview.problems, preview.notices, preview.has_changes) == ([], [], False)
    assert changes(preview, "Actores") == (0, 0, 41, 0)


def renamed_workbook() -> bytes:
    """«Descripción» of Compromisos and «Sector» of Actores under headers no synonym knows."""
    return workbook(
        {
            "Líneas": [("Código", "Nombre"), ("L1", "Participación")],
            "Programas": [("Código", "Línea", "Nombre"), ("L1.1", "L1", "Cultura")],
            "Proyectos": [("Código", "Programa", "Nombre"), ("P-1", "L1.1", "Murales")],
            "Actores": [("Código", "Nombre", "Clase de entidad"), ("A-1", "JAC El Danubio", "comunitario")],
            "Compromisos": [
                ("Código", "Proyecto", "Qué se entrega"),
                ("C-1", "P-1", "Mural"),
                ("C-2", "P-1", "Taller"),
            ],
        }
    )


MAPPED = {"Actores:Sector": "Clase de entidad", "Compromisos:Descripción": "Qué se entrega"}


def unmatched_sheets(engine: Engine, data: bytes, columns: dict[str, str] | None = None) -> ColumnsUnmatched:
    with Session(engine) as session, pytest.raises(ColumnsUnmatched) as caught:
        validate_plan_workbook(session=session, data=data, file_name="libro.xlsx", columns=columns)
    return caught.value


def test_a_sheet_lacking_a_required_column_is_mapped_sheet_by_sheet(engine: Engine) -> None:
    refusal = unmatched_sheets(engine, renamed_workbook())
    assert [(t.sheet, t.missing) for t in refusal.tables] == [
        ("Actores", ("Sector",)),
        ("Compromisos", ("Descripción",)),
    ]
    compromisos = refusal.tables[1]
    assert [(c.index, c.header, c.samples) for c in compromisos.file_columns] == [
        (1, "Código", ("C-1", "C-2")),
        (2, "Proyecto", ("P-1", "P-1")),
        (3, "Qué se entrega", ("Mural", "Taller")),
    ]
    assert compromisos.header_signature == header_signature(
        ["Código", "Proyecto", "Qué se entrega"], sheet="Compromisos"
    )
    assert "en «Compromisos», «Descripción»" in str(refusal)
    half = unmatched_sheets(engine, renamed_workbook(), {"Compromisos:Descripción": "Qué se entrega"})
    assert [t.sheet for t in half.tables] == ["Actores"]  # what is mapped is no longer asked
    typo = unmatched_sheets(engine, renamed_workbook(), {**MAPPED, "Actores:Sector": "Clase de entidat"})
    assert [t.sheet for t in typo.tables] == ["Actores"]  # a file header the sheet does not have is asked again
    assert apply_mapped(engine, renamed_workbook(), MAPPED).created == 6
    book = sheets(export(engine))
    assert [row[:3] for row in book["Compromisos"][1:]] == [("C-1", "P-1", "Mural"), ("C-2", "P-1", "Taller")]
    assert book["Actores"][1][3] == "comunitario"


def apply_mapped(engine: Engine, data: bytes, columns: dict[str, str]) -> PlanApplyResult:
    with db.transaction(engine) as session:
        preview = validate_plan_workbook(session=session, data=data, file_name="libro.xlsx", columns=columns)
        return apply_plan_workbook(session=session, preview=preview, user="coordinadora")


def test_a_column_said_to_be_absent_is_a_problem_of_the_review(engine: Engine) -> None:
    with Session(engine) as session:
        preview = validate_plan_workbook(
            session=session,
            data=renamed_workbook(),
            file_name="libro.xlsx",
            columns={"Compromisos:Descripción": "", "actores:sector": "clase de entidad"},  # as typed, any case
        )
    errors = [(p.sheet, p.row, p.message) for p in preview.problems if p.severity == ERROR]
    assert errors == [("Compromisos", 1, "falta la columna «Descripción», que es obligatoria")]
    assert changes(preview, "Actores") == (1, 0, 0, 0)


def test_a_sheet_mapping_is_remembered_for_that_sheet_and_only_offered(engine: Engine) -> None:
    first = unmatched_sheets(engine, renamed_workbook())
    with db.transaction(engine) as session:
        remember_confirmed(
            session=session,
            kind=KIND,
            unmatched=first,
            columns={"Compromisos:Descripción": "Qué se entrega", "Actores:Sector": ""},
            user="ana",
        )
    again = unmatched_sheets(engine, renamed_workbook())
    assert [(t.sheet, t.remembered) for t in again.tables] == [
        ("Actores", None),  # «no está en el archivo» is not kept: it is what the screen offers anyway
        ("Compromisos", {"Descripción": "Qué se entrega"}),
    ]
    with Session(engine) as session:
        key = f"columnas:{KIND}:{first.tables[1].header_signature}"
        assert db.get_setting(session=session, key=key) == '{"Descripción": "Qué se entrega"}'


@pytest.mark.parametrize(
    "columns, message",
    [
        ({"Descripción": "Qué se entrega"}, "no nombra una columna de una hoja"),
        ({"Tareas:Descripción": "Qué se entrega"}, "no nombra una columna de una hoja"),
        ({"Compromisos:Tarea": "Qué se entrega"}, "«Tarea» no es una columna de esta plantilla"),
    ],
)
def test_a_mapping_must_name_a_sheet_and_one_of_its_columns(
    engine: Engine, columns: dict[str, str], message: str
) -> None:
    with Session(engine) as session, pytest.raises(FileRejected, match=message):
        validate_plan_workbook(session=session, data=renamed_workbook(), file_name="libro.xlsx", columns=columns)


def test_a_sheet_with_no_header_row_is_mapped_from_its_busiest_row(engine: Engine) -> None:
    data = workbook(
        {
            "Líneas": [("Código", "Nombre"), ("L1", "Participación")],
            "Programas": [("Clave", "Eje", "Título"), ("L1.1", "L1", "Cultura")],
        }
    )
    (table,) = unmatched_sheets(engine, data).tables
    assert (table.sheet, table.missing) == ("Programas", ("Código", "Línea", "Nombre"))
    mapped = {"Programas:Código": "Clave", "Programas:Línea": "Eje", "Programas:Nombre": "Título"}
    assert apply_mapped(engine, data, mapped).created == 2


def test_a_plan_workbook_saved_as_xls_reads_its_percent_cells(engine: Engine) -> None:
    data = (Path(__file__).parent.parent / "fixtures" / "libro_plan.xls").read_bytes()  # C-1 at «85 %», stored 0,85
    assert apply(engine, data).created == 5
    assert sheets(export(engine))["Reportes de avance"][1][:3] == ("C-1", datetime(2026, 10, 31), 85)
