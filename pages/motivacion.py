"""Motivación y participación: the curva motivacional, the actors cooling off and why, and who takes part."""

from datetime import date
from html import escape

import pandas as pd
import streamlit as st

from core import formatting, views
from core.access.accounts import has_role
from core.charts import progress
from core.charts.motivation import attendance_heatmap, motivation_curve, organizations_timeline, rate_bars
from core.excel.writing import Sheet
from core.participation import attendance, motivation, records
from core.plan.barrios import barrio_shapes
from core.tables import Column, Kind
from ui.access import COORDINATOR, current_role
from ui.components import kpi, plot
from ui.filters import cut_off_date
from ui.state import NOT_WRITTEN, read, write
from ui.tables import about_export, download_xlsx, show_grid

VIEWS = {"plan": "Todo el plan", "sector": "Por sector", "actores": "Actores elegidos"}
MAX_CURVES = 8
ALERT_COLUMNS = [
    Column("actor_name", "Actor"),
    Column("sector", "Sector"),
    Column("rule", "Alerta"),
    Column("reason", "Por qué"),
    Column("since", "Desde", Kind.DATE),
    Column("index", "Índice actual", Kind.INTEGER),
    Column("band", "Banda"),
]
INDEX_COLUMNS = [
    Column("actor_name", "Actor"),
    Column("sector", "Sector"),
    Column("index", "Índice", Kind.PROGRESS),
    Column("band", "Banda"),
    Column("participation", "Participación", Kind.PERCENT),
    Column("reporting", "Reporte y entrega", Kind.PERCENT),
    Column("rating", "Calificación", Kind.PERCENT),
    Column("missing", "Sin dato"),
]
RATE_COLUMNS = [
    Column("name", "Grupo"),
    Column("events", "Eventos", Kind.INTEGER),
    Column("invited", "Invitaciones", Kind.INTEGER),
    Column("attended", "Asistencias", Kind.INTEGER),
    Column("rate", "Asistencia", Kind.PERCENT),
    Column("organizations", "Organizaciones", Kind.INTEGER),
]


def edit_weights(w: motivation.MotivationWeights) -> None:
    """The coordination tunes the index weights (a write: never offered to the public)."""
    with st.form("weights_form"):
        st.markdown(
            "**Pesos del índice** (la coordinación puede ajustarlos; se reparten entre los componentes con dato)"
        )
        columns = st.columns(3)
        new_weights = motivation.MotivationWeights(
            participation=columns[0].number_input(
                "Participación", min_value=0.0, value=w.participation, step=0.05, key="w_part"
            ),
            reporting=columns[1].number_input(
                "Reporte y entrega", min_value=0.0, value=w.reporting, step=0.05, key="w_rep"
            ),
            rating=columns[2].number_input("Calificación", min_value=0.0, value=w.rating, step=0.05, key="w_rat"),
        )
        if st.form_submit_button("Guardar los pesos"):
            stored = write(records.set_motivation_weights, weights=new_weights)
            if stored is not NOT_WRITTEN:
                st.rerun()


st.title("Motivación y participación")
on = cut_off_date()
view = read(views.motivation_view, on=on)
index = view.index
now = index.loc[index.month_end == index.month_end.max()]
st.caption(
    f"Índice de motivación de cada actor (0 a 100) al {formatting.long_day(on)}: participación en los eventos a los "
    "que fue invitado, reporte y entrega de sus compromisos, y la calificación de la coordinación."
)

bands = now.band.value_counts()
cards = st.columns(5)
for column, (label, key, status) in zip(
    cards,
    [
        ("Alta (≥ 70)", "alta", "al día"),
        ("Media (40–69)", "media", "con retraso"),
        ("Baja (< 40)", "baja", "crítico"),
        ("Sin dato", "sin dato", "sin reporte"),
    ],
    strict=False,
):
    kpi(column, label, formatting.number(int(bands.get(key, 0))), "actores", status=status)
kpi(cards[4], "Alertas", formatting.number(view.alerts.actor_code.nunique()), "actores")

st.subheader("Curva motivacional")
choice = st.segmented_control(
    "Ver", list(VIEWS), format_func=VIEWS.__getitem__, default="plan", key="curva", bind="query-params"
)
names = dict(zip(now.actor_code, now.actor_name, strict=True))
by: str | list[str] = choice if choice in ("plan", "sector") else "plan"
if choice == "actores":
    cooling = list(dict.fromkeys(view.alerts.actor_code))[:4]
    picked = st.multiselect(
        "Actores", list(names), default=cooling, format_func=names.__getitem__, placeholder="Elija actores"
    )
    if len(picked) > MAX_CURVES:  # Streamlit's own limit would say so in English
        st.caption(f"Se dibujan los {MAX_CURVES} primeros actores elegidos: más curvas no se distinguen.")
    by = picked[:MAX_CURVES] or "plan"
plot(motivation_curve(motivation.curve(index, by=by)))
st.caption(
    "Franjas de fondo: motivación alta (≥ 70), media (40–69) y baja (< 40). Un punto es el promedio de los "
    "actores con dato ese mes."
)

st.subheader("Alertas: actores que se enfrían")
if view.alerts.empty:
    st.success("Ningún actor cumple hoy las condiciones de alerta.")
else:
    st.caption(
        "Se alerta cuando el índice queda 15 puntos o más por debajo de su mayor valor de fin de mes en los últimos 3 "
        "meses (una caída desde un pico reciente también cuenta), tras dos ausencias seguidas a eventos a los que "
        "fue invitado, o tras más de 90 días sin reportar avance. Ordene por cualquier columna."
    )
    show_grid(view.alerts, ALERT_COLUMNS, key="grid_alerts", height=min(480, 40 + 35 * len(view.alerts)))

st.subheader("Índice por actor")
show_grid(now.sort_values("index", na_position="last"), INDEX_COLUMNS, key="grid_index", height=420)

with st.expander("¿Cómo se calcula?"):
    w = view.weights
    fresh_days = formatting.number(index.fresh_days.max())
    st.markdown(
        f"""
- **Participación**: eventos a los que asistió ÷ eventos a los que fue invitado, en el mes y los dos anteriores.
  Si no fue invitado a nada, es *sin dato* (no cero).
- **Reporte y entrega**: parte de sus compromisos vigentes que están *cumplidos* (por viejo que sea su último
  reporte: ya no queda nada por reportar), o *al día* y reportados hace {fresh_days} días o menos. Cada **ronda de
  reporte** con plazo en el mes o los dos anteriores cuenta como un compromiso más: vale 1 si el actor respondió a
  tiempo todo lo que se le pidió, la parte respondida a tiempo si respondió solo una parte, y 0 si no respondió
  (la ronda ignorada cuenta en contra). Así: (compromisos al día + rondas respondidas a tiempo) ÷ (compromisos
  vigentes + rondas).
- **Calificación**: la última calificación de la coordinación, de 1 a 5, llevada a 0–100: (puntaje − 1) ÷ 4 × 100.
- **Índice** = promedio ponderado de los componentes con dato; pesos {formatting.number(w.participation, 2)} /
  {formatting.number(w.reporting, 2)} / {formatting.number(w.rating, 2)}, repartidos entre los que tienen dato.
"""
    )
    left, right = st.columns(2)
    actor_code = left.selectbox(
        "Actor", list(names), format_func=names.__getitem__, key="explain_actor", placeholder="No hay actores todavía"
    )
    if actor_code is None:
        st.caption("Todavía no hay actores para explicar su índice.")
    else:  # without actors there is nothing to explain, but the rest of the page still is
        months = sorted(index.month_end.unique(), reverse=True)
        month = right.selectbox(
            "Mes", months, format_func=lambda d: formatting.day(pd.Timestamp(d)), key="explain_month"
        )
        explanation = motivation.explain(index, actor_code, pd.Timestamp(month).date())
        st.table(
            explanation.components.assign(
                value=explanation.components.value.map(formatting.number),
                weight=explanation.components.weight.map(lambda v: formatting.number(v, 2)),
                effective_weight=explanation.components.effective_weight.map(lambda v: formatting.number(v, 2)),
                contribution=explanation.components.contribution.map(lambda v: formatting.number(v, 1)),
            ).rename(
                columns={
                    "component": "Componente",
                    "value": "Valor",
                    "weight": "Peso",
                    "effective_weight": "Peso usado",
                    "contribution": "Aporte",
                    "detail": "De dónde sale",
                }
            ),
            hide_index=True,
        )
        st.markdown(f"**Índice: {formatting.number(explanation.index)}** (banda {explanation.band}).")
    if has_role(current_role(), COORDINATOR):
        edit_weights(w)
    else:
        st.caption(
            f"Pesos del índice: participación {formatting.number(w.participation, 2)}, reporte y entrega "
            f"{formatting.number(w.reporting, 2)}, calificación {formatting.number(w.rating, 2)} "
            "(la coordinación puede ajustarlos)."
        )

st.subheader("Participación")
data = view.participation
start = date(view.months[0].year, view.months[0].month, 1)
matrix = attendance.attendance_matrix(data, view.months[-12:])
plot(attendance_heatmap(matrix, months=view.months[-12:]))
st.caption("Cada celda: invitaciones cumplidas (asistió/invitado) del actor ese mes; vacía si no fue invitado.")
by_sector = attendance.participation_by_sector(data, start=start, end=on)
by_barrio = attendance.participation_by_barrio(data, start=start, end=on)
plot(rate_bars(by_sector, title="Asistencia por sector"))
plot(rate_bars(by_barrio, title="Asistencia por barrio del evento"))
events = attendance.organizations_per_event(data, start=start, end=on)
plot(organizations_timeline(events))
st.caption("Organizaciones distintas presentes en cada evento, invitadas o no.")
located = by_barrio.loc[by_barrio.key != "C12"].set_index("key")
plot(
    progress.barrio_map(
        barrio_shapes(),
        located.events.astype(float),
        located.apply(lambda r: f"<b>{escape(str(r['name']))}</b><br>Eventos: {formatting.number(r.events)}", axis=1),
        title="Eventos",
        value_format="n",
    )
)
st.caption("Eventos realizados en cada barrio en el periodo.")

download_xlsx(
    [
        Sheet("Alertas", view.alerts, ALERT_COLUMNS),
        Sheet("Índice por actor", now, INDEX_COLUMNS),
        Sheet("Asistencia por sector", by_sector, RATE_COLUMNS),
        Sheet("Asistencia por barrio", by_barrio, RATE_COLUMNS),
    ],
    file_name=f"motivacion_{on.isoformat()}",
    key="download_motivacion",
    about=about_export(on, "Todo el plan"),
)
