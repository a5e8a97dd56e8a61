"""Modo asamblea: the plan as full-width slides for a projector, auto-advancing, with no personal data."""

import time
from collections.abc import Callable
from pathlib import Path

import streamlit as st

from core import formatting, views
from core.charts import progress
from core.charts.motivation import motivation_curve
from core.communication.assembly import Slide, deck
from core.communication.slides import CHART_SLIDES, footer_html, slide_html
from core.participation import motivation
from core.plan.barrios import barrio_shapes
from ui.filters import cut_off_date, period_start
from ui.state import read

SLIDE = "asamblea_slide"  # index of the slide on screen
PLAYING = "asamblea_playing"
NEXT_AT = "asamblea_next_at"  # time.monotonic() when the slide changes by itself
JUMP = "asamblea_jump"
DEFAULT_SECONDS = 20
TIMER_SLACK = 1.0  # seconds: the browser's timer may fire a little early; never wait a whole extra period
CHART_HEIGHT = 400

st.set_page_config(initial_sidebar_state="collapsed")
st.html(Path(__file__).resolve().parent.parent / "ui" / "assembly.css")

on = cut_off_date()
view = read(views.plan_view, on=on)
has_vision = read(views.vision_view, on=on).profile is not None
slides = deck(view.snapshot.lines, view.snapshot.barrios, vision=has_vision,
              plans=bool(read(views.crosswalk_lines).actors.sum()))  # fmt: skip
state = st.session_state
state.setdefault(SLIDE, 0)
state.setdefault(PLAYING, True)
seconds = int(state.get("asamblea_seconds", DEFAULT_SECONDS))
state.setdefault(NEXT_AT, time.monotonic() + seconds)
state[SLIDE] = min(state[SLIDE], len(slides) - 1)


def show(index: int) -> None:
    state[SLIDE] = index % len(slides)
    state[NEXT_AT] = time.monotonic() + seconds


def jump() -> None:
    if state[JUMP] is not None:
        show(state[JUMP])
        state[JUMP] = None


def toggle_play() -> None:
    state[PLAYING] = not state[PLAYING]
    state[NEXT_AT] = time.monotonic() + seconds


previous, play, following, goto, settings = st.columns([1, 1, 1, 3, 1.4], vertical_alignment="center")
# Material icons ship with Streamlit (no web font): they draw offline, unlike emoji the laptop may lack.
previous.button("Anterior", icon=":material/skip_previous:", on_click=lambda: show(state[SLIDE] - 1), width="stretch")
play.button(
    "Pausar" if state[PLAYING] else "Reanudar",
    icon=":material/pause:" if state[PLAYING] else ":material/play_arrow:",
    on_click=toggle_play,
    width="stretch",
)
following.button("Siguiente", icon=":material/skip_next:", on_click=lambda: show(state[SLIDE] + 1), width="stretch")
labels: dict[str, Callable[[Slide], str]] = {
    "linea": lambda slide: f"Línea {slide.key} · {slide.title}",
    "barrio": lambda slide: f"Barrio {slide.title}",
}


def slide_label(index: int | None) -> str:
    if index is None:
        return "Ir a una línea, un barrio o una diapositiva…"
    slide = slides[index]
    return labels[slide.kind](slide) if slide.kind in labels else slide.title


goto.selectbox(
    "Ir a",
    [None, *range(len(slides))],
    format_func=slide_label,
    key=JUMP,
    on_change=jump,
    label_visibility="collapsed",
)
with settings.popover("Ajustes", icon=":material/settings:", width="stretch"):
    st.number_input(
        "Segundos por diapositiva", min_value=5, max_value=300, value=DEFAULT_SECONDS, step=5, key="asamblea_seconds"
    )
    since, reference = period_start(on, label="Logros desde", key="asamblea_desde")
    st.caption("La fecha de corte se cambia en la barra lateral (flecha arriba a la izquierda).")

data = read(views.deck_data, on=on, since=since, reference=reference)


@st.fragment(run_every=seconds if state[PLAYING] else None)
def current_slide() -> None:
    if state[PLAYING] and time.monotonic() >= state[NEXT_AT] - TIMER_SLACK:
        show(state[SLIDE] + 1)
    index = state[SLIDE]
    slide = slides[index]
    st.html(slide_html(slide, data, number=index + 1, total=len(slides)))
    if slide.kind in CHART_SLIDES:
        if slide.kind == "mapa":
            located = data.barrios.set_index("key")
            hover = located.name + ": " + located.physical_progress.map(formatting.percent)
            figure = progress.barrio_map(
                barrio_shapes(), located.physical_progress, hover, title="Avance", value_range=(0, 100)
            )
        else:
            curve = motivation.curve(read(views.motivation_view, on=on).index, "plan")
            figure = motivation_curve(curve)
        st.plotly_chart(
            progress.for_projection(figure, height=CHART_HEIGHT),
            width="stretch",
            theme=None,
            config={"displayModeBar": False, "staticPlot": True},
            key=f"asamblea_chart_{slide.kind}",
        )
        st.html(footer_html(data, number=index + 1, total=len(slides)))


current_slide()
