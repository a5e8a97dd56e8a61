"""Tablero del Plan – Comuna 12: the router. Pages live in pages/; the work happens in core/."""

import streamlit as st

from ui.components import demo_notice
from ui.state import engine

st.set_page_config(page_title="Tablero del Plan – Comuna 12", layout="wide", initial_sidebar_state="expanded")

PAGES = {
    "Seguimiento del plan": [
        st.Page("pages/resumen.py", title="Resumen del plan", url_path="resumen", default=True),
        st.Page("pages/lineas.py", title="Líneas estratégicas", url_path="lineas"),
        st.Page("pages/actores.py", title="Actores", url_path="actores"),
        st.Page("pages/barrios.py", title="Barrios", url_path="barrios"),
        st.Page("pages/motivacion.py", title="Motivación y participación", url_path="motivacion"),
        st.Page("pages/articulacion.py", title="Articulación", url_path="articulacion"),
    ],
    "Comunicación": [
        st.Page("pages/asamblea.py", title="Modo asamblea", url_path="asamblea"),
        st.Page("pages/informes.py", title="Informes y boletín", url_path="informes"),
    ],
    "Gestión de datos": [
        st.Page("pages/cargar_avances.py", title="Cargar avances", url_path="cargar-avances"),
        st.Page("pages/registrar_participacion.py", title="Registrar participación", url_path="participacion"),
        st.Page("pages/libro_plan.py", title="Libro del plan", url_path="libro-plan"),
        st.Page("pages/administrar_plan.py", title="Administrar el plan", url_path="administrar-plan"),
        st.Page("pages/historial_cargas.py", title="Historial de cargas", url_path="historial-cargas"),
    ],
}

engine()
page = st.navigation(PAGES, expanded=True)  # never a "View more" button (English, and it hides pages)
if page.url_path != "asamblea":  # the slides carry their own notice: the projector has no room for a banner
    demo_notice()
page.run()
