"""Visión: the plan's vision and ideas-fuerza with the progress of their lines, the time elapsed of its horizon beside
plan progress, and the six parts of the management model, each with the page and figure that follows it."""

from pathlib import Path

import streamlit as st

from core import formatting, views
from core.adoption import vision
from core.charts import progress
from ui.components import explained, kpi, md, plot, semaforo_legend
from ui.filters import cut_off_date
from ui.state import read

# The management model (seed text «Modelo de gestión»): each part, what it asks, and where the app follows it.
MANAGEMENT_MODEL: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "Coordinación entre Secretarías, pactos y alianzas",
        "Articular las Secretarías que intervienen en la comuna con pactos y alianzas en torno a las líneas.",
        (("pages/articulacion.py", "Articulación: pactos, matriz actores × líneas y red de actores"),),
    ),
    (
        "Pensamiento y actuación estratégica",
        "Hacer del plan el soporte fundamental de la planeación de cada organización.",
        (("pages/planes_actores.py", "Planes de los actores: cobertura y anclaje de sus instrumentos"),),
    ),
    (
        "Transversalidad",
        "Integrar el plan a los planteamientos programáticos de la administración y las organizaciones sociales.",
        (("pages/planes_actores.py", "Planes de los actores: sectores y entidades públicas por línea"),),
    ),
    (
        "Coordinación territorial y sectorial",
        "Articular a las organizaciones por barrio y mantener en alto la curva motivacional de los actores.",
        (
            ("pages/barrios.py", "Barrios: avance y actores en cada barrio"),
            ("pages/motivacion.py", "Motivación y participación: la curva motivacional"),
        ),
    ),
    (
        "Comunicación",
        "Un sistema de comunicación que priorice la visión y mantenga informado a cada actor.",
        (
            ("pages/asamblea.py", "Modo asamblea: las diapositivas, con la visión al comienzo y al final"),
            ("pages/informes.py", "Informes y boletín: una página por actor o barrio"),
        ),
    ),
    (
        "Institucionalización",
        "Incluir el plan como instrumento legal y legítimo, con amplia difusión del marco legal.",
        (("pages/institucionalizacion.py", "Institucionalización: hitos, Presupuesto Participativo y PDL"),),
    ),
)

st.title("Visión del plan")
on = cut_off_date()
view = read(views.vision_view, on=on)
if view.profile is None:
    st.info(
        "Todavía no se ha registrado la visión del plan. La coordinación la escribe en «Administrar el plan» → "
        "«Plan: visión y horizonte», o en la hoja «Plan» del libro del plan."
    )
    st.stop()

profile = view.profile
st.subheader(md(profile["name"]))
st.markdown(f"> {md(profile['vision'])}" if profile["vision"] else "_La visión todavía no está escrita._")
adopted = [md(profile["adopted_act"])] if profile["adopted_act"] else []
if profile["adopted_on"]:
    adopted.append(f"el {formatting.day(profile['adopted_on'])}")
if adopted:
    st.caption("Adoptado por " + " ".join(adopted))

st.subheader("El tiempo del plan y su avance")
horizon = view.horizon
assert horizon is not None  # a profile always has its horizon
elapsed, done, coverage = st.columns(3)
kpi(
    elapsed,
    "Tiempo transcurrido del horizonte",
    formatting.percent(horizon.elapsed),
    f"{formatting.day(horizon.start)} a {formatting.day(horizon.end)}",
)
kpi(done, "Avance físico del plan", formatting.percent(horizon.progress), "la cifra de todo el plan")
kpi(
    coverage,
    "Cobertura",
    formatting.percent(None if horizon.coverage is None else horizon.coverage * 100),
    "del peso con reporte",
)
explained(vision.HOW_HORIZON)

st.subheader("Ideas-fuerza")
if view.ideas.empty:
    st.info("La visión todavía no tiene ideas-fuerza.")
else:
    for key, name, idea_lines, physical, status in view.ideas[
        ["key", "name", "lines", "physical_progress", "status"]
    ].itertuples(index=False):
        lines = f" · líneas {md(idea_lines)}" if idea_lines else " · sin líneas asignadas"
        st.markdown(f"**{md(key)}** {md(name)}{lines} — avance {formatting.percent(physical)} ({md(status)})")
    plot(progress.progress_vs_expected(view.ideas, label_column="key"), key="vision_ideas")
    semaforo_legend()
    explained(vision.HOW_IDEAS)

st.subheader("El modelo de gestión y dónde se sigue")
for title, asks, followed_by in MANAGEMENT_MODEL:
    with st.container(border=True):
        st.markdown(f"**{title}** — {asks}")
        for path, label in followed_by:
            if Path(path).exists():
                st.page_link(path, label=label)
            else:
                st.caption(label)
