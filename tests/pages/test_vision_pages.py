"""The Visión and Planes de los actores pages under AppTest, on the demo: the figures core computes, the public
never sees who verified a row, and a coordinator's crosswalk grid saves through the shared rules."""

import json
from datetime import date

from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from core import db, formatting, views

ON = date(2026, 11, 15)  # the demo's date


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [w.value for w in at.warning]
    parts += [m.label + m.value for m in at.metric]
    for frame in at.dataframe:
        parts.append(frame.value.to_csv())
    for chart in at.get("plotly_chart"):
        parts.append(chart.proto.spec)
    return "\n".join(parts)


def test_vision_shows_the_vision_the_horizon_and_the_ideas(demo_app: AppTest, demo_database_url: str) -> None:
    demo_app.run()
    demo_app.switch_page("pages/vision.py").run()
    assert not demo_app.exception
    with Session(db.make_engine(demo_database_url)) as session:
        view = views.vision_view(session=session, on=ON)
    assert view.horizon is not None
    shown = {m.label: m.value for m in demo_app.metric}
    assert shown["Tiempo transcurrido del horizonte"] == formatting.percent(view.horizon.elapsed)
    assert shown["Avance físico del plan"] == formatting.percent(view.horizon.progress)
    page = texts(demo_app)
    assert "En 2035 la Comuna 12" in page
    for key, physical in zip(view.ideas.key, view.ideas.physical_progress, strict=True):
        assert f"**{key}**" in page.replace("\\-", "-") and formatting.percent(physical) in page
    assert [e.label for e in demo_app.expander].count("¿Cómo se calcula?") == 2
    assert "Pensamiento y actuación estratégica" in page and "Institucionalización" in page


def test_actor_plans_public_view(demo_app: AppTest, demo_database_url: str) -> None:
    demo_app.run()
    demo_app.switch_page("pages/planes_actores.py").run()
    assert not demo_app.exception
    page = texts(demo_app)
    # who verified a row is the coordination's, never the public's
    assert "Verificado por" not in page and "Coordinación del plan (demo)" not in page
    assert "Registrar instrumentos" not in page and not demo_app.button
    heatmap = json.loads(demo_app.get("plotly_chart")[0].proto.spec)["data"][0]
    assert "sin verificar" in json.dumps(heatmap["text"], ensure_ascii=False) and "4 en ejecución ✓" in json.dumps(
        heatmap["text"], ensure_ascii=False
    )
    assert "Ninguna entidad pública la programa" in page  # L3 in the demo


def test_actor_plans_filters_live_in_the_url(demo_app: AppTest) -> None:
    demo_app.run()
    demo_app.switch_page("pages/planes_actores.py").run()
    demo_app.selectbox(key="sector").select("comunitario").run()
    assert not demo_app.exception
    assert "comunitario" in str(demo_app.query_params.get("sector"))
    names = demo_app.selectbox(key="actor").options
    assert names and all("Secretaría" not in name for name in names)


def test_a_coordinator_records_a_crosswalk_row(coordinator_app: AppTest, demo_database_url: str) -> None:
    coordinator_app.run()
    coordinator_app.switch_page("pages/planes_actores.py").run()
    coordinator_app.selectbox(key="plans_instrument").set_value("IN-08").run()
    assert not coordinator_app.exception
    assert any("Articulación de IN" in m.value for m in coordinator_app.markdown)
    coordinator_app.button(key="plans_grid_save").click().run()
    assert [m.value for m in coordinator_app.success] == ["Se guardaron 0 filas de articulación."]


def test_a_coordinator_uploads_an_actors_plantilla(coordinator_app: AppTest, demo_database_url: str) -> None:
    from io import BytesIO

    import openpyxl

    from core.uploads.alignment import alignment_template
    from ui.tables import XLSX_MIME

    coordinator_app.run()
    coordinator_app.switch_page("pages/planes_actores.py").run()
    coordinator_app.selectbox(key="plans_template_actor").set_value("A-004").run()  # Secretaría de Medio Ambiente
    assert not coordinator_app.exception
    engine = db.make_engine(demo_database_url)
    with Session(engine) as session:
        book = openpyxl.load_workbook(BytesIO(alignment_template(session=session, actor_code="A-004")))
    engine.dispose()
    sheet = book["Articulación"]
    headers = [cell.value for cell in sheet[4]]
    sheet.cell(row=5, column=headers.index("Su texto") + 1, value="Intervención de quebradas (texto corregido)")
    buffer = BytesIO()
    book.save(buffer)
    coordinator_app.file_uploader[0].set_value(("articulacion.xlsx", buffer.getvalue(), XLSX_MIME)).run()
    coordinator_app.button(key="apply_alignment").click().run()
    assert any("0 filas nuevas y 1 actualizadas" in s.value for s in coordinator_app.success)
