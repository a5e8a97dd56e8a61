"""Institucionalización under AppTest: the public figures of the demo, and a coordinator recording a milestone."""

from sqlmodel import Session, select
from streamlit.testing.v1 import AppTest

from core import db
from core.models import AuditEntry, Milestone
from tests.pages.test_pages import metric_values

PAGE = "pages/institucionalizacion.py"
NEW = "institution_Hitos___nuevo__"


def open_page(at: AppTest) -> AppTest:
    at.run()
    at.switch_page(PAGE).run()
    assert not at.exception
    return at


def save(at: AppTest) -> None:
    next(b for b in at.button if b.label == "Guardar").click().run()
    assert not at.exception


def test_the_public_page_shows_every_figure_of_the_demo(demo_app: AppTest) -> None:
    at = open_page(demo_app)
    assert [s.value for s in at.subheader] == [
        "Escalera de hitos",
        "Línea de tiempo",
        "Presupuesto Participativo y el plan",
        "El plan en el Plan de Desarrollo Local",
        "Próximas ventanas",
    ]
    metrics = metric_values(at)
    # 2026 in core/demo/institution.py: ceiling 8.900 millones; on plan lines 800 + 1.500 + 1.100 + 900 millones.
    assert metrics["Tope de PP"] == "$ 8.900.000.000"
    assert metrics["Al plan (del tope)"] == "48,3 %"
    assert metrics["Fuera del plan"] == "$ 600.000.000"
    assert len(at.expander) >= 5  # a «¿Cómo se calcula?» under every figure
    assert not at.button  # no forms for the public


def test_a_year_without_a_ceiling_says_sin_tope(demo_app: AppTest, demo_database_url: str) -> None:
    from core.models import PPCeiling

    engine = db.make_engine(demo_database_url)
    with db.transaction(engine) as session:
        session.delete(session.scalars(select(PPCeiling).where(PPCeiling.year == 2026)).one())
        db.bump_data_version(session=session)
    engine.dispose()
    metrics = metric_values(open_page(demo_app))
    assert (metrics["Tope de PP"], metrics["Al plan (del tope)"]) == ("sin tope", "sin tope")


def test_a_coordinator_records_an_achieved_milestone_with_its_evidence(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    at = open_page(coordinator_app)
    at.text_input(key=f"{NEW}_code").input("H-99")
    at.selectbox(key=f"{NEW}_kind_id").set_value("RENDICION")
    at.text_input(key=f"{NEW}_title").input("Rendición de cuentas de noviembre")
    at.selectbox(key=f"{NEW}_status").set_value("logrado")
    save(at)
    assert "No se guardó nada: corrija lo señalado." in [e.value for e in at.error]  # no act number, no evidence
    at.text_input(key=f"{NEW}_evidence").input("Acta de la asamblea del 14/11/2026")
    save(at)
    assert any("H\\-99" in s.value for s in at.success)
    engine = db.make_engine(demo_database_url)
    with Session(engine) as session:
        milestone = session.scalars(select(Milestone).where(Milestone.code == "H-99")).one()
        entry = session.scalars(select(AuditEntry).where(AuditEntry.row_id == "H-99")).one()
    engine.dispose()
    assert (milestone.status, entry.user_name) == ("logrado", "prueba-coordinador")


def test_a_coordinator_loads_the_plantilla_de_pp_and_the_figures_change(
    coordinator_app: AppTest, demo_database_url: str
) -> None:
    import io

    import openpyxl

    from core.uploads import pp

    engine = db.make_engine(demo_database_url)
    with Session(engine) as session:
        book = openpyxl.load_workbook(io.BytesIO(pp.pp_template(session=session, year=2026)))
    engine.dispose()
    sheet = book.worksheets[0]
    sheet.append(["PP-2026-99", "Parque lineal", "A-004", None, "L4", None, None, 445_000_000, None, "votado"])
    buffer = io.BytesIO()
    book.save(buffer)
    at = open_page(coordinator_app)
    at.file_uploader[0].set_value(("pp-2026.xlsx", buffer.getvalue(), "application/octet-stream")).run()
    assert not at.exception
    assert metric_values(at)["Nuevos"] == "1"
    at.button(key="apply_pp").click().run()
    assert not at.exception
    assert any("Plantilla de PP aplicada" in s.value for s in at.success)
    # 2026 on plan lines: 4.300 + 445 = 4.745 millones of a ceiling of 8.900 millones.
    assert metric_values(at)["Al plan (del tope)"] == "53,3 %"


def test_every_institution_catalog_opens_in_administrar_el_plan(coordinator_app: AppTest) -> None:
    at = coordinator_app
    at.run()
    at.switch_page("pages/administrar_plan.py").run()
    for catalog in ("Tipos de hito", "Hitos", "Topes de PP", "Proyectos de PP"):
        at.selectbox(key="admin_catalog").set_value(catalog).run()
        assert not at.exception, catalog
        assert at.selectbox(key=f"admin_record_{catalog}").options[0].startswith("+ Nuevo")
    at.selectbox(key="admin_catalog").set_value("Topes de PP").run()
    at.selectbox(key="admin_record_Topes de PP").set_value("2026").run()
    assert at.number_input(key="admin_Topes de PP_2026_ceiling_cop").value == 8_900_000_000
    assert at.selectbox(key="admin_archive_record_Topes de PP").value == "2025"  # deletable, never archived:
    assert "admin_archive" not in [button.key for button in at.button]


def test_the_yearly_report_is_offered_on_the_informes_page(demo_app: AppTest) -> None:
    demo_app.run()
    demo_app.switch_page("pages/informes.py").run()
    demo_app.query_params["informe"] = "Institucionalización (anual)"
    demo_app.run()
    assert not demo_app.exception
    assert demo_app.number_input(key="informe_anio").value == 2026
    summary = demo_app.code[0].value
    assert summary.startswith("Informe de institucionalización 2026")
    assert "Presupuesto Participativo 2026: 48,3 % del tope a líneas del plan." in summary
