"""The upload and history pages under AppTest: preview, apply, figures change at once, undo."""

import io
import json
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import select
from sqlmodel import Session, col
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox

from core import db, views
from core.demo.plan import DEMO_TODAY
from core.models import AuditEntry
from core.uploads import plan_workbook, progress
from tests.pages.test_pages import metric_values
from tests.sheets import HEADER, renamed_plan_workbook, xlsx
from ui.components import md

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(app: AppTest, data: bytes, name: str = "avance.xlsx") -> AppTest:
    app.run()
    app.switch_page("pages/cargar_avances.py").run()
    app.file_uploader[0].set_value((name, data, XLSX_MIME)).run()
    assert not app.exception
    return app


def test_preview_apply_and_undo(coordinator_app: AppTest, demo_database_url: str) -> None:
    coordinator_app.run()
    before = int(metric_values(coordinator_app)["Cumplidos"])
    data = xlsx([HEADER, ["C-0001", "14/11/2026", 100, None, None, "listo"], ["C-0002", "14/11/2026", 100],
                 ["C-9999", "14/11/2026", 5]])  # fmt: skip
    upload(coordinator_app, data)
    shown = metric_values(coordinator_app)
    assert (shown["Nuevos"], shown["Retenidas"]) == ("2", "1")
    assert "C-9999" in coordinator_app.dataframe[0].value.iloc[:, 2].tolist()  # the problems table names the bad code
    coordinator_app.button(key="apply_progress").click().run()
    assert not coordinator_app.exception
    assert any("aplicada" in s.value for s in coordinator_app.success)
    coordinator_app.switch_page("pages/resumen.py").run()
    after = int(metric_values(coordinator_app)["Cumplidos"])  # every page sees the new data version at once
    assert after > before
    with Session(db.make_engine(demo_database_url)) as session:
        assert after == views.plan_view(session=session, on=DEMO_TODAY).plan.n_cumplido
    coordinator_app.switch_page("pages/historial_cargas.py").run()
    assert coordinator_app.dataframe[0].value.iloc[0, 2] == "avance.xlsx"
    coordinator_app.checkbox(key="undo_confirm").check().run()
    coordinator_app.button(key="undo_button").click().run()
    assert any("deshecha" in s.value for s in coordinator_app.success)
    coordinator_app.switch_page("pages/resumen.py").run()
    assert int(metric_values(coordinator_app)["Cumplidos"]) == before


def test_the_preview_shows_each_amount_to_the_peso(coordinator_app: AppTest) -> None:
    upload(coordinator_app, xlsx([HEADER, ["C-0001", "14/11/2026", 60, None, "$ 350.000"]]))
    shown = [frame.value for frame in coordinator_app.dataframe]
    assert any((frame == "$ 350.000").any().any() for frame in shown)  # not "0" millions


def test_a_bad_file_gets_a_spanish_message(coordinator_app: AppTest) -> None:
    upload(coordinator_app, b"esto no es una hoja", "avance.xlsx")
    assert "no se pudo usar" in coordinator_app.error[0].value.lower()
    assert "no lo es" in coordinator_app.error[0].value


def test_an_old_xls_reaches_the_app_and_is_read(coordinator_app: AppTest) -> None:
    fixture = Path(__file__).parent.parent / "fixtures" / "avance.xls"  # commitments C6 and C7: not in the demo
    upload(coordinator_app, fixture.read_bytes(), "avance.xls")
    assert list(coordinator_app.file_uploader[0].proto.type) == []  # Streamlit's own refusal would be in English
    assert metric_values(coordinator_app)["Retenidas"] == "2"
    upload(coordinator_app, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), "viejo.xls")
    assert "dañado" in coordinator_app.error[0].value


def test_an_xls_with_85_percent_cells_gives_85(coordinator_app: AppTest) -> None:
    fixture = Path(__file__).parent.parent / "fixtures" / "avance_porcentaje_demo.xls"  # C-0001 and C-0002 at «85 %»
    upload(coordinator_app, fixture.read_bytes(), "avance.xls")
    shown = metric_values(coordinator_app)
    assert (shown["Nuevos"], shown["Retenidas"]) == ("2", "0")
    [changes] = [frame.value for frame in coordinator_app.dataframe]  # no problems table: no «0,85 %» warning
    assert changes.iloc[:, 2].tolist() == ["C-0001", "C-0002"]
    assert changes.iloc[:, 6].tolist() == [85.0, 85.0]


def test_suggestions_are_confirmed_before_they_count(coordinator_app: AppTest) -> None:
    upload(coordinator_app, xlsx([HEADER, ["C-00001", "14/11/2026", 50]]))  # one zero too many
    assert metric_values(coordinator_app)["Retenidas"] == "1"
    coordinator_app.selectbox(key="progress_suggestion_2").set_value("C-0001")
    coordinator_app.button[0].click()  # the form's "Revisar de nuevo"
    coordinator_app.run()
    assert (metric_values(coordinator_app)["Nuevos"], metric_values(coordinator_app)["Retenidas"]) == ("1", "0")


def test_plan_workbook_round_trip_in_the_page(coordinator_app: AppTest, demo_database_url: str) -> None:
    with Session(db.make_engine(demo_database_url)) as session:
        book = openpyxl.load_workbook(io.BytesIO(plan_workbook.export_plan(session=session)))
    actors = book["Actores"]
    name_column = [c.value for c in actors[1]].index("Nombre") + 1
    actors.cell(row=2, column=name_column, value="Secretaría de Participación Ciudadana y Desarrollo Social")
    edited = io.BytesIO()
    book.save(edited)
    coordinator_app.run()
    coordinator_app.switch_page("pages/libro_plan.py").run()
    coordinator_app.file_uploader[0].set_value(("libro.xlsx", edited.getvalue(), XLSX_MIME)).run()
    assert not coordinator_app.exception
    assert metric_values(coordinator_app)["Actualizadas"] == "1"
    coordinator_app.button(key="apply_plan").click().run()
    assert any("Libro aplicado" in s.value for s in coordinator_app.success)
    coordinator_app.switch_page("pages/actores.py").run()
    assert "Secretaría de Participación Ciudadana y Desarrollo Social" in set(
        coordinator_app.dataframe[0].value.iloc[:, 0]
    )


def test_a_workbook_deleting_most_of_a_table_needs_a_typed_confirmation(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    with Session(db.make_engine(demo_database_url)) as session:
        book = openpyxl.load_workbook(io.BytesIO(plan_workbook.export_plan(session=session)))
    book["Motivación"].delete_rows(2, book["Motivación"].max_row)
    emptied = io.BytesIO()
    book.save(emptied)
    coordinator_app.run()
    coordinator_app.switch_page("pages/libro_plan.py").run()
    coordinator_app.checkbox(key="plan_allow_deletions").check().run()
    coordinator_app.file_uploader[0].set_value(("libro.xlsx", emptied.getvalue(), XLSX_MIME)).run()
    assert not coordinator_app.exception
    assert any("613 de las 613 filas de «Motivación»" in w.value for w in coordinator_app.warning)
    assert coordinator_app.button(key="apply_plan").disabled
    coordinator_app.text_input(key="plan_confirm_deletions").input("borrar 613").run()
    coordinator_app.button(key="apply_plan").click().run()
    assert any("613 borradas" in s.value for s in coordinator_app.success)


def test_cancel_empties_the_uploader_and_forgets_the_review(coordinator_app: AppTest) -> None:
    upload(coordinator_app, xlsx([HEADER, ["C-0001", "14/11/2026", 60]]))
    assert metric_values(coordinator_app)["Nuevos"] == "1"
    coordinator_app.button(key="cancel_progress").click().run()
    assert coordinator_app.file_uploader[0].value is None
    assert "Nuevos" not in metric_values(coordinator_app)


def test_a_plan_changed_under_the_review_is_reviewed_again_before_it_applies(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    upload(coordinator_app, xlsx([HEADER, ["C-0001", "14/11/2026", 60]]))
    with db.transaction(db.make_engine(demo_database_url)) as session:  # another coordinator's upload, meanwhile
        other = progress.validate_progress(
            session=session, data=xlsx([HEADER, ["C-0001", "14/11/2026", 70]]), file_name="b.xlsx", today=DEMO_TODAY
        )
        progress.apply_progress(session=session, preview=other, user="otra")
    coordinator_app.button(key="apply_progress").click().run()
    assert any("El plan cambió" in w.value for w in coordinator_app.warning)
    assert not coordinator_app.success
    assert metric_values(coordinator_app)["Actualizados"] == "1"  # the new review: 70 % becomes 60 %
    coordinator_app.button(key="apply_progress").click().run()
    assert any("0 reportes nuevos y 1 actualizados" in s.value for s in coordinator_app.success)


def latest_event_without_attendance(app: AppTest) -> None:
    app.switch_page("pages/registrar_participacion.py").run()
    app.text_input(key="event_title").input("Mesa de ambiente")
    app.button[0].click()  # the event form's submit: the new event is the newest, first in the Excel tab
    app.run()


def test_an_attendance_sheet_goes_through_the_same_flow(coordinator_app: AppTest) -> None:
    coordinator_app.run()
    latest_event_without_attendance(coordinator_app)
    sheet = xlsx([["Código actor", "Invitado", "Asistió", "Delegados"], ["A-001", "Sí", "Sí", 2],
                  ["A-002", "Sí", "No"], ["A-999", "Sí", "Sí"]])  # fmt: skip
    coordinator_app.file_uploader[0].set_value(("asistencia.xlsx", sheet, XLSX_MIME)).run()
    assert not coordinator_app.exception
    shown = metric_values(coordinator_app)
    assert (shown["Nuevos"], shown["Actualizados"], shown["Retenidas"]) == ("2", "0", "1")
    changes = coordinator_app.dataframe[-1].value
    assert changes.iloc[:, 2].tolist() == ["A-001", "A-002"]
    assert changes.iloc[:, 5].tolist() == ["Sí", "No"]  # «Asistió» in words
    coordinator_app.button(key="apply_attendance").click().run()
    assert any("2 nuevos y 0 actualizados" in s.value for s in coordinator_app.success)
    coordinator_app.file_uploader[0].set_value(("asistencia.xlsx", sheet, XLSX_MIME)).run()
    assert any("ya se cargó" in s.value and "no trae cambios" in s.value for s in coordinator_app.success)
    assert not [b for b in coordinator_app.button if b.key == "apply_attendance"]


UNUSUAL = ["Código compromiso", "Fecha de corte", "Cuánto va"]  # «Cuánto va»: no synonym of «Avance físico (%)»


def mapping_select(app: AppTest, contract_header: str) -> Selectbox[Any]:
    return next(s for s in app.selectbox if s.label == md(contract_header))


def confirm_columns(app: AppTest) -> None:
    next(b for b in app.button if b.label == "Usar estas columnas").click()
    app.run()


def test_a_file_with_unusual_headers_is_mapped_on_screen_and_remembered(coordinator_app: AppTest) -> None:
    upload(coordinator_app, xlsx([UNUSUAL, ["C-0001", "14/11/2026", 60]]))
    assert any("no se encontraron las columnas" in w.value for w in coordinator_app.warning)
    assert coordinator_app.table[0].value.iloc[:, 2].tolist() == ["C-0001", "14/11/2026", "60"]  # samples
    assert [s.label for s in coordinator_app.selectbox if s.key and s.key.startswith("progress_column_")] == [
        md("Avance físico (%)"),
        md("Valor logrado"),
    ]
    assert mapping_select(coordinator_app, "Avance físico (%)").value is None  # nothing guessed
    assert "Nuevos" not in metric_values(coordinator_app)
    mapping_select(coordinator_app, "Avance físico (%)").set_value("Cuánto va")
    confirm_columns(coordinator_app)
    assert not coordinator_app.exception
    assert metric_values(coordinator_app)["Nuevos"] == "1"
    assert any("«Avance físico (%)» = «Cuánto va»" in i.value.replace("\\", "") for i in coordinator_app.info)
    coordinator_app.button(key="apply_progress").click().run()
    assert any("1 reportes nuevos" in s.value for s in coordinator_app.success)

    upload(coordinator_app, xlsx([UNUSUAL, ["C-0002", "14/11/2026", 40]]), "otro.xlsx")  # same header row
    assert any("mismo encabezado ya se eligieron antes" in i.value for i in coordinator_app.info)
    assert mapping_select(coordinator_app, "Avance físico (%)").value == "Cuánto va"  # offered, not applied
    assert "Nuevos" not in metric_values(coordinator_app)
    confirm_columns(coordinator_app)
    assert metric_values(coordinator_app)["Nuevos"] == "1"


def test_one_file_column_is_not_two_contract_columns(coordinator_app: AppTest) -> None:
    upload(coordinator_app, xlsx([UNUSUAL, ["C-0001", "14/11/2026", 60]]))
    mapping_select(coordinator_app, "Avance físico (%)").set_value("Cuánto va")
    mapping_select(coordinator_app, "Valor logrado").set_value("Cuánto va")
    confirm_columns(coordinator_app)
    assert any("no puede ser dos columnas" in e.value for e in coordinator_app.error)
    assert "Nuevos" not in metric_values(coordinator_app)


def upload_plan(app: AppTest, data: bytes, name: str) -> None:
    app.run()
    app.switch_page("pages/libro_plan.py").run()
    app.file_uploader[0].set_value((name, data, XLSX_MIME)).run()
    assert not app.exception


def test_a_plan_workbook_sheet_is_mapped_on_screen_and_offered_again(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    upload_plan(coordinator_app, renamed_plan_workbook(demo_database_url, "Mural en el parque")[0], "libro.xlsx")
    assert any("en la hoja «Compromisos», «Descripción»" in w.value for w in coordinator_app.warning)
    assert "Qué se entrega" in coordinator_app.table[0].value.iloc[:, 1].tolist()  # the sheet's own columns
    select = mapping_select(coordinator_app, "Compromisos · Descripción")
    assert select.value is None  # nothing guessed
    assert "Actualizadas" not in metric_values(coordinator_app)
    select.set_value("Qué se entrega")
    confirm_columns(coordinator_app)
    assert not coordinator_app.exception
    assert metric_values(coordinator_app)["Actualizadas"] == "1"
    assert any(
        "«Compromisos · Descripción» = «Qué se entrega»" in i.value.replace("\\", "") for i in coordinator_app.info
    )
    changes = coordinator_app.dataframe[-1].value.set_index(
        "c0"
    )  # the grid's columns: Hoja, Filas, Nuevas, Actualizadas…
    assert changes.loc["Compromisos", "c3"] == 1
    coordinator_app.button(key="apply_plan").click().run()
    assert any("Libro aplicado" in s.value for s in coordinator_app.success)
    with Session(db.make_engine(demo_database_url)) as session:
        exported = openpyxl.load_workbook(io.BytesIO(plan_workbook.export_plan(session=session)))["Compromisos"]
    assert "Mural en el parque" in {cell for row in exported.iter_rows(values_only=True) for cell in row}

    upload_plan(coordinator_app, renamed_plan_workbook(demo_database_url, "Mural y huerta")[0], "libro_2.xlsx")
    assert any("mismo encabezado ya se eligieron antes" in i.value for i in coordinator_app.info)
    assert mapping_select(coordinator_app, "Compromisos · Descripción").value == "Qué se entrega"  # offered only
    assert "Actualizadas" not in metric_values(coordinator_app)
    confirm_columns(coordinator_app)
    assert metric_values(coordinator_app)["Actualizadas"] == "1"


def test_a_mapping_is_remembered_when_confirmed_so_a_corrected_file_is_offered_it(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    upload(coordinator_app, xlsx([UNUSUAL, ["C-0001", "14/11/2026", 60], ["C-9999", "14/11/2026", 30]]))
    mapping_select(coordinator_app, "Avance físico (%)").set_value("Cuánto va")
    confirm_columns(coordinator_app)
    assert metric_values(coordinator_app)["Retenidas"] == "1"  # the review finds a problem: the file goes back
    with Session(db.make_engine(demo_database_url)) as session:
        remembered = session.scalars(select(AuditEntry).where(col(AuditEntry.action) == "recordar columnas")).all()
    assert [(e.user_name, json.loads(e.after or "{}")) for e in remembered] == [
        ("prueba-coordinador", {"Avance físico (%)": "Cuánto va"})
    ]
    coordinator_app.button(key="cancel_progress").click().run()  # nothing applied

    upload(coordinator_app, xlsx([UNUSUAL, ["C-0001", "14/11/2026", 60], ["C-0002", "14/11/2026", 30]]), "bien.xlsx")
    assert any("mismo encabezado ya se eligieron antes" in i.value for i in coordinator_app.info)
    assert mapping_select(coordinator_app, "Avance físico (%)").value == "Cuánto va"  # offered, not applied
    assert "Nuevos" not in metric_values(coordinator_app)
    confirm_columns(coordinator_app)
    assert (metric_values(coordinator_app)["Nuevos"], metric_values(coordinator_app)["Retenidas"]) == ("2", "0")
