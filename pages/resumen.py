"""Resumen del plan: headline figures, progress per strategic line, freshness and latest reports."""

import streamlit as st

from core import charts, formatting
from core.charts import FRESHNESS_COLORS
from ui.components import how_computed, kpi, plot, semaforo_legend
from ui.filters import cut_off_date
from ui.state import plan_view
from ui.tables import Column, show_table

st.title("Resumen del plan")
on = cut_off_date()
view = plan_view(on)
plan = view.plan
st.caption(
    f"Plan Estratégico de la Comuna 12 – La América · corte al {formatting.long_day(on)} · "
    f"{formatting.number(plan.commitments)} compromisos activos · "
    f"último reporte: {formatting.day(plan.last_report_date)}"
)

progress, expected, efficacy, coverage = st.columns(4, gap="small")
kpi(progress, "Avance físico", formatting.percent(plan.physical_progress), plan.status, status=plan.status)
kpi(expected, "Avance esperado", formatting.percent(plan.expected_progress))
kpi(efficacy, "Eficacia", formatting.percent(plan.efficacy))
kpi(
    coverage,
    "Cobertura",
    formatting.percent(plan.coverage * 100),
    f"{formatting.number(plan.reported)} de {formatting.number(plan.commitments)} reportan",
)
financial, committed, executed, _ = st.columns(4, gap="small")
kpi(financial, "Avance financiero", formatting.percent(plan.financial_progress), "del presupuesto")
kpi(committed, "Comprometido", formatting.millions(plan.budget_cop), "millones de pesos")
kpi(
    executed,
    "Ejecutado",
    formatting.millions(plan.budget_executed_cop),
    "millones de pesos",
    help=f"Ejecutado según los reportes: {formatting.money(plan.budget_executed_cop)} de "
    f"{formatting.money(plan.budget_reported_cop)} comprometidos en los compromisos que reportan ejecución.",
)

st.subheader("Compromisos por estado")
states = [
    ("Cumplidos", plan.n_cumplido, "cumplido"),
    ("Al día", plan["n_al día"], "al día"),
    ("Con retraso", plan["n_con retraso"], "con retraso"),
    ("Críticos", plan["n_crítico"], "crítico"),
    ("Sin reporte", plan["n_sin reporte"], "sin reporte"),
    ("Vencidos", plan.overdue, None),
    ("Cancelados", plan.cancelled, None),
]
for row in (states[:4], states[4:]):  # two rows: labels stay whole on a 1280 px projector
    for column, (label, value, status) in zip(st.columns(4, gap="small"), row, strict=False):
        share = formatting.percent(value / plan.commitments * 100 if plan.commitments else None, 0)
        kpi(column, label, formatting.number(value), f"{share} de los activos" if status else None, status=status)

st.subheader("Avance por línea estratégica")
plot(charts.progress_vs_expected(view.lines))
semaforo_legend(view.thresholds)
show_table(
    view.lines.assign(coverage_pct=view.lines.coverage * 100),
    [
        Column("name", "Línea estratégica"),
        Column("physical_progress", "Avance físico", formatting.percent),
        Column("expected_progress", "Avance esperado", formatting.percent),
        Column("efficacy", "Eficacia", formatting.percent),
        Column("status", "Semáforo"),
        Column("coverage_pct", "Cobertura", formatting.percent),
        Column("financial_progress", "Avance financiero", formatting.percent),
        Column("commitments", "Compromisos", formatting.number),
        Column("overdue", "Vencidos", formatting.number),
    ],
)

st.subheader("Frescura del reporte")
freshness_chart, freshness_text = st.columns([3, 2])
with freshness_chart:
    plot(
        charts.count_bars(
            charts.freshness_counts(view.assessed), colors=FRESHNESS_COLORS, title="Días desde el último reporte"
        )
    )
with freshness_text:
    fresh, outdated = (formatting.number(view.thresholds.fresh_days), formatting.number(view.thresholds.outdated_days))
    st.markdown(
        f"Compromisos activos según los días desde su último reporte de avance: **al día** hasta {fresh} días, "
        f"**desactualizado** hasta {outdated}, **sin seguimiento** después, y **sin reporte** los que nunca "
        "han reportado."
    )

st.subheader("Últimos reportes")
show_table(
    view.latest_reports,
    [
        Column("cut_off_date", "Fecha de corte", formatting.day),
        Column("commitment_code", "Compromiso"),
        Column("description", "Descripción"),
        Column("project_name", "Proyecto"),
        Column("physical_progress", "Avance físico", formatting.percent),
        Column("budget_executed_cop", "Ejecutado", formatting.money),
    ],
)

how_computed(view.thresholds)
