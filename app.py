"""Tablero del Plan – Comuna 12: the router. Pages live in pages/; the work happens in core/.

``streamlit run app.py`` first reads this file for an ASGI app (``st.App``, Streamlit 1.67) and, finding ``app``
at the bottom, imports it as a module: then it is the server — this same file as the page script, behind the two
routes that set and clear the login cookie, with Streamlit's legacy ``pages/`` menu off before the first visit
(both in ui/session_cookie.py). Run as the page script (``__main__``, every visit, and under AppTest) it routes.
"""

import streamlit as st

from ui import session_cookie

if __name__ != "__main__":  # imported by `streamlit run app.py`, which looks here for its server before anything runs
    from ui.errors import on_script_error

    app = st.App(
        "app.py", routes=session_cookie.routes(), lifespan=session_cookie.lifespan, on_script_error=on_script_error
    )
else:  # the page script: every visit runs it (AppTest too)
    from ui import access
    from ui.access import ADMIN, COORDINATOR, LOGGED_OUT, PUBLIC
    from ui.components import demo_notice, spanish_file_uploader
    from ui.errors import apology_for_errors
    from ui.state import engine

    st.set_page_config(page_title="Tablero del Plan – Comuna 12", layout="wide", initial_sidebar_state="expanded")

    # The one place that says which role opens each page (restricted pages also check it at their top).
    PAGES = {
        "Seguimiento del plan": [
            (PUBLIC, st.Page("pages/resumen.py", title="Resumen del plan", url_path="", default=True)),
            (PUBLIC, st.Page("pages/vision.py", title="Visión", url_path="vision")),
            (PUBLIC, st.Page("pages/lineas.py", title="Líneas estratégicas", url_path="lineas")),
            (PUBLIC, st.Page("pages/actores.py", title="Actores", url_path="actores")),
            (PUBLIC, st.Page("pages/barrios.py", title="Barrios", url_path="barrios")),
            (PUBLIC, st.Page("pages/motivacion.py", title="Motivación y participación", url_path="motivacion")),
            (PUBLIC, st.Page("pages/articulacion.py", title="Articulación", url_path="articulacion")),
            (PUBLIC, st.Page("pages/institucionalizacion.py", title="Institucionalización", url_path="institucionalizacion")),  # noqa: E501
            (PUBLIC, st.Page("pages/planes_actores.py", title="Planes de los actores", url_path="planes-actores")),
        ],
        "Comunicación": [
            (PUBLIC, st.Page("pages/asamblea.py", title="Modo asamblea", url_path="asamblea")),
            (PUBLIC, st.Page("pages/informes.py", title="Informes y boletín", url_path="informes")),
        ],
        "Gestión de datos": [
            (COORDINATOR, st.Page("pages/cargar_avances.py", title="Cargar avances", url_path="cargar-avances")),
            (COORDINATOR, st.Page("pages/registrar_participacion.py", title="Registrar participación", url_path="participacion")),  # noqa: E501
            (COORDINATOR, st.Page("pages/libro_plan.py", title="Libro del plan", url_path="libro-plan")),
            (COORDINATOR, st.Page("pages/administrar_plan.py", title="Administrar el plan", url_path="administrar-plan")),  # noqa: E501
            (COORDINATOR, st.Page("pages/historial_cargas.py", title="Historial de cargas", url_path="historial-cargas")),  # noqa: E501
            (COORDINATOR, st.Page("pages/rondas.py", title="Rondas de reporte", url_path="rondas")),
        ],
        "Administración": [
            (ADMIN, st.Page("pages/usuarios.py", title="Usuarios", url_path="usuarios")),
            (ADMIN, st.Page("pages/auditoria.py", title="Auditoría", url_path="auditoria")),
            (ADMIN, st.Page("pages/copias.py", title="Copias de seguridad", url_path="copias")),
        ],
        "Cuenta": [
            (LOGGED_OUT, st.Page("pages/ingresar.py", title="Ingresar", url_path="ingresar")),
            (COORDINATOR, st.Page("pages/mi_cuenta.py", title="Mi cuenta", url_path="mi-cuenta")),
        ],
    }  # fmt: skip

    engine()
    access.start_run()
    page = st.navigation(access.navigation_pages(PAGES), expanded=True)  # an admin has 19 pages: show them all
    access.account_sidebar()
    spanish_file_uploader()
    if page.url_path != "asamblea":  # the slides carry their own notice: the projector has no room for a banner
        demo_notice()
    with apology_for_errors():  # a busy database or any unexpected error: a Spanish message, never a traceback
        page.run()
