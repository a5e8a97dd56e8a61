"""Actores: what each actor committed and delivered, ranked; one actor's commitments, lines, barrios and pacts."""

import streamlit as st

from core import formatting, views
from core.charts import progress
from core.excel.writing import Sheet
from core.metrics import breakdowns
from core.metrics.detail import report_history
from core.tables import Column, Kind
from ui.access import personal_data_section
from ui.components import headline_cards, how_computed, md, no_match_notice, plot, semaforo_legend
from ui.filters import cut_off_date, describe, plan_filter
from ui.state import read
from ui.tables import about_export, download_xlsx, show_grid, show_table

ACTOR_PARAM = "actor"
RANKING_COLUMNS = [
    Column("name", "Actor"),
    Column("sector", "Sector"),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("n_cumplido", "Cumplidos", Kind.INTEGER),
    Column("n_al día", "Al día", Kind.INTEGER),
    Column("n_con retraso", "Con retraso", Kind.INTEGER),
    Column("n_crítico", "Críticos", Kind.INTEGER),
    Column("n_sin reporte", "Sin reporte", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("efficacy", "Eficacia", Kind.PERCENT, help="Avance físico ÷ avance esperado de sus compromisos."),
    Column("status", "Semáforo"),
    Column("budget_cop", "Comprometido", Kind.MONEY),
    Column("budget_executed_cop", "Ejecutado", Kind.MONEY),
    Column("days_since_report", "Días sin reportar", Kind.INTEGER),
    Column("freshness", "Frescura"),
]
COMMITMENT_COLUMNS = [
    Column("code", "Código"),
    Column("description", "Compromiso"),
    Column("line_code", "Línea"),
    Column("project_name", "Proyecto"),
    Column("barrios", "Barrios"),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("expected_progress", "Avance esperado", Kind.PERCENT),
    Column("status", "Semáforo"),
    Column("status_note", "Nota"),
    Column("due_date", "Entrega", Kind.DATE),
    Column("last_report_date", "Último reporte", Kind.DATE),
]
HISTORY_COLUMNS = [
    Column("cut_off_date", "Fecha de corte", Kind.DATE),
    Column("code", "Compromiso"),
    Column("progress", "Avance físico", Kind.PERCENT),
    Column("budget_executed_cop", "Ejecutado", Kind.PESOS),
]
GROUP_COLUMNS = [
    Column("name", "Nombre"),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
    Column("status", "Semáforo"),
]
PACT_COLUMNS = [
    Column("name", "Pacto o alianza"),
    Column("kind", "Tipo"),
    Column("role", "Rol"),
    Column("signed_date", "Firmado", Kind.DATE),
]

st.title("Actores")
on = cut_off_date()
chosen = plan_filter(on)
view = read(views.plan_view, on=on, plan_filter=chosen)
filter_text = describe(chosen, on)
st.caption(
    f"Qué ha cumplido cada actor de lo que se comprometió · corte al {formatting.long_day(on)} · {md(filter_text)}"
)
if view.assessed.empty:
    no_match_notice(filtered=not chosen.is_empty)
    st.stop()

actors = read(views.view_table, on=on, name="actors", plan_filter=chosen)
ranking = actors.loc[actors.commitments + actors.cancelled > 0]
if chosen.sector is not None:  # co-responsible actors of other sectors share those commitments: not ranked here
    ranking = ranking.loc[ranking.sector == chosen.sector]
ranking = ranking.sort_values(["efficacy", "name"], ascending=[False, True], na_position="last")

st.subheader("Ranking de actores")
st.caption(
    f"{formatting.number(len(ranking))} actores con compromisos. Ordene haciendo clic en el encabezado de una "
    "columna. Un compromiso compartido cuenta para cada actor; su presupuesto se reparte según la participación."
)
show_grid(ranking, RANKING_COLUMNS, key="grid_actors", height=460)
top = (
    ranking.dropna(subset=["physical_progress"])
    .head(15)
    .assign(name=lambda f: f.short_name.where(f.short_name != "", f.name))
)
if len(top):
    st.markdown("**Avance físico frente al esperado (los 15 de mayor eficacia)**")
    plot(progress.progress_vs_expected(top))
    semaforo_legend(view.thresholds)

st.subheader("Detalle de un actor")
names = dict(zip(ranking.key, ranking.name, strict=True))
actor_code = st.selectbox(
    "Actor",
    [None, *sorted(names, key=lambda code: names[code])],
    format_func=lambda code: "— Elija un actor —" if code is None else names[code],
    key=ACTOR_PARAM,
    bind="query-params",
)
commitments = read(views.view_table, on=on, name="commitments", plan_filter=chosen)
sheets = [Sheet("Ranking de actores", ranking, RANKING_COLUMNS)]
if actor_code in names:
    actor = ranking.loc[ranking.key == actor_code].iloc[0]
    st.markdown(f"#### {md(actor['name'])}")
    st.caption(f"Sector {md(actor.sector)}")
    headline_cards(actor)
    actor_id = view.snapshot.actors.loc[view.snapshot.actors.code == actor_code, "id"].iloc[0]
    links = view.snapshot.commitment_actors
    own_ids = links.loc[links.actor_id == actor_id, "commitment_id"]
    own = commitments.loc[commitments.commitment_id.isin(own_ids)]
    own_assessed = view.assessed.loc[view.assessed.commitment_id.isin(own_ids)]
    st.markdown("**Sus compromisos**")
    show_grid(own, COMMITMENT_COLUMNS, key="grid_actor_commitments")
    lines_column, barrios_column = st.columns(2)
    actor_lines = breakdowns.by_line(own_assessed, view.snapshot, view.thresholds)
    actor_lines = actor_lines.loc[actor_lines.commitments + actor_lines.cancelled > 0]
    actor_barrios = breakdowns.by_barrio(own_assessed, view.snapshot, view.thresholds)
    actor_barrios = actor_barrios.loc[actor_barrios.commitments + actor_barrios.cancelled > 0]
    with lines_column:
        st.markdown("**Sus líneas**")
        show_table(actor_lines, GROUP_COLUMNS)
    with barrios_column:
        st.markdown("**Sus barrios**")
        show_table(actor_barrios, GROUP_COLUMNS)
    pacts = read(views.actor_pacts, actor_code=actor_code)
    st.markdown("**Sus pactos y alianzas**")
    if pacts.empty:
        st.caption("No ha firmado pactos ni alianzas del plan.")
    else:
        show_table(pacts, PACT_COLUMNS)
    reports = report_history(view.snapshot, own_ids.tolist())
    st.markdown("**Historial de reportes**")
    if reports.empty:
        st.caption("Sin reportes de avance hasta la fecha de corte.")
    else:
        show_grid(reports, HISTORY_COLUMNS, key="grid_actor_history", height=300)
    personal_data_section(actor_code)
    sheets += [
        Sheet("Compromisos del actor", own, COMMITMENT_COLUMNS),
        Sheet("Líneas del actor", actor_lines, GROUP_COLUMNS),
        Sheet("Barrios del actor", actor_barrios, GROUP_COLUMNS),
        Sheet("Pactos del actor", pacts, PACT_COLUMNS),
        Sheet("Reportes del actor", reports, HISTORY_COLUMNS),
    ]

download_xlsx(
    sheets, file_name=f"actores_{on.isoformat()}", key="download_actores", about=about_export(on, filter_text)
)
how_computed(view.thresholds)
