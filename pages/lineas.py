"""Líneas estratégicas: how each line is going, its programs and projects, its curve, and who works on it."""

import streamlit as st

from core import formatting, views
from core.charts import progress
from core.excel.writing import Sheet
from core.metrics.detail import lines_without_public_sector, report_history
from core.metrics.rule import STATUS_COLORS
from core.tables import Column, Kind
from ui.components import (
    headline_cards,
    how_computed,
    md,
    no_match_notice,
    plot,
    semaforo_legend,
    state_cards,
)
from ui.filters import cut_off_date, describe, plan_filter
from ui.state import read
from ui.tables import about_export, download_xlsx, show_grid, show_table

PROGRAM_COLUMNS = [
    Column("line_code", "Línea"),
    Column("program_code", "Código"),
    Column("program_name", "Programa"),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("expected_progress", "Avance esperado", Kind.PERCENT),
    Column("efficacy", "Eficacia", Kind.PERCENT),
    Column("status", "Semáforo"),
    Column("coverage_pct", "Cobertura", Kind.PERCENT),
]
PROJECT_COLUMNS = [
    Column("project_code", "Código"),
    Column("project_name", "Proyecto"),
    Column("program_name", "Programa"),
    Column("stage", "Etapa"),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("expected_progress", "Avance esperado", Kind.PERCENT),
    Column("status", "Semáforo"),
    Column("lead_actor", "Actor líder"),
    Column("barrios", "Barrios"),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("budget_cop", "Presupuesto", Kind.MONEY),
    Column("last_report_date", "Último reporte", Kind.DATE),
]
COMMITMENT_COLUMNS = [
    Column("code", "Código"),
    Column("description", "Compromiso"),
    Column("actors", "Actores"),
    Column("barrios", "Barrios"),
    Column("physical_progress", "Avance físico", Kind.PROGRESS),
    Column("expected_progress", "Avance esperado", Kind.PERCENT),
    Column("status", "Semáforo"),
    Column("status_note", "Nota"),
    Column("due_date", "Entrega", Kind.DATE),
    Column("last_report_date", "Último reporte", Kind.DATE),
    Column("budget_cop", "Presupuesto", Kind.MONEY),
]
HISTORY_COLUMNS = [
    Column("cut_off_date", "Fecha de corte", Kind.DATE),
    Column("code", "Compromiso"),
    Column("progress", "Avance físico", Kind.PERCENT),
    Column("achieved_value", "Valor logrado", Kind.DECIMAL),
    Column("budget_executed_cop", "Ejecutado", Kind.PESOS),
]
PARTICIPATION_COLUMNS = [
    Column("line_code", "Línea"),
    Column("name", "Actor"),
    Column("sector", "Sector"),
    Column("commitments", "Compromisos activos", Kind.INTEGER),
]
CURVE_COLUMNS = [
    Column("on", "Fin de mes", Kind.DATE),
    Column("expected_progress", "Avance esperado", Kind.PERCENT),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
    Column("coverage_pct", "Cobertura", Kind.PERCENT),
    Column("reported", "Compromisos con reporte", Kind.INTEGER),
]

st.title("Líneas estratégicas")
on = cut_off_date()
chosen = plan_filter(on)
view = read(views.plan_view, on=on, plan_filter=chosen)
filter_text = describe(chosen, on)
selected_line = view.lines.loc[view.lines.key == chosen.line_code]
row = selected_line.iloc[0] if len(selected_line) else view.plan
st.caption(f"{md(row['name'])} · corte al {formatting.long_day(on)} · {md(filter_text)}")
if view.assessed.empty:
    no_match_notice(filtered=not chosen.is_empty)
    st.stop()

headline_cards(row)
state_cards(row)

if chosen.line_code is None:
    st.subheader("Avance por línea")
    plot(progress.progress_vs_expected(view.lines))
    semaforo_legend(view.thresholds)

st.subheader("Avance esperado y logrado en el tiempo")
curve = read(views.history, on=on, plan_filter=chosen).assign(coverage_pct=lambda f: f.coverage * 100)
if curve.empty:
    st.info("Todavía no hay reportes de avance para dibujar la curva.")
else:
    line_color = str(selected_line.iloc[0].color) if len(selected_line) else STATUS_COLORS["cumplido"]
    plot(progress.progress_history(curve, color=line_color or STATUS_COLORS["cumplido"]))
    st.caption(
        "Cada punto es el avance a fin de mes con los reportes que existían ese día (el último, a la fecha de "
        "corte). La distancia entre las dos curvas es el retraso."
    )

st.subheader("Programas")
programs = read(views.view_table, on=on, name="programs", plan_filter=chosen).sort_values(["line_code", "program_code"])
programs = programs.assign(coverage_pct=programs.coverage * 100)
show_grid(programs, PROGRAM_COLUMNS, key="grid_programs")

st.subheader("Proyectos")
projects = read(views.view_table, on=on, name="projects", plan_filter=chosen)
st.caption("Seleccione un proyecto (casilla a la izquierda) para ver sus compromisos y su historial de reportes.")
picked = show_grid(projects, PROJECT_COLUMNS, key="grid_projects", selectable=True, height=420)
commitments = read(views.view_table, on=on, name="commitments", plan_filter=chosen)
if picked is not None:
    project = projects.iloc[picked]
    st.markdown(f"#### {md(project.project_code)} · {md(project.project_name)}")
    own = commitments.loc[commitments.project_id == project.project_id]
    show_grid(own, COMMITMENT_COLUMNS, key="grid_project_commitments")
    reports = report_history(view.snapshot, own.commitment_id.tolist())
    if reports.empty:
        st.info("Los compromisos de este proyecto no tienen reportes de avance hasta la fecha de corte.")
    else:
        st.markdown("**Historial de reportes**")
        show_grid(reports, HISTORY_COLUMNS, key="grid_project_history", height=300)

st.subheader("Transversalidad: quiénes trabajan en la línea")
participation = read(views.view_table, on=on, name="line_participation", plan_filter=chosen)
missing_public = lines_without_public_sector(view.assessed, view.snapshot)
for line in missing_public.itertuples():
    st.warning(
        f"La línea **{md(line.line_code)} · {md(line.line_name)}** no tiene ningún compromiso de una Secretaría o "
        "entidad pública de la ciudad (con los filtros elegidos)."
    )
sectors = participation.groupby("sector").actor_id.nunique().sort_values(ascending=False)
sector_chart, sector_text = st.columns([3, 2])
with sector_chart:
    plot(progress.count_bars(sectors, colors={}, title="Actores por sector").update_yaxes(title_text="Actores"))
with sector_text:
    st.markdown(
        f"**{formatting.number(participation.actor_id.nunique())} actores** de "
        f"**{formatting.number(len(sectors))} sectores** tienen compromisos activos aquí."
    )
    show_table(
        sectors.rename("actors").reset_index(),
        [Column("sector", "Sector"), Column("actors", "Actores", Kind.INTEGER)],
    )
show_grid(participation, PARTICIPATION_COLUMNS, key="grid_participation", height=320)

download_xlsx(
    [
        Sheet("Programas", programs, PROGRAM_COLUMNS),
        Sheet("Proyectos", projects, PROJECT_COLUMNS),
        Sheet("Compromisos", commitments, COMMITMENT_COLUMNS),
        Sheet("Curva de avance", curve, CURVE_COLUMNS),
        Sheet("Actores por línea", participation, PARTICIPATION_COLUMNS),
    ],
    file_name=f"lineas_{on.isoformat()}",
    key="download_lineas",
    about=about_export(on, filter_text),
)
how_computed(view.thresholds)
