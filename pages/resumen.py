"""Resumen del plan: headline figures, progress per strategic line, freshness and latest reports."""

import streamlit as st

from core import charts, formatting
from core.charts import FRESHNESS_COLORS
from ui.components import how_computed, kpi, semaforo_legend
from ui.filters import cut_off_date
from ui.state import plan_view

st.title("Resumen del plan")
on = cut_off_date()
view = plan_view(on)
plan = view.plan
st.caption(
    f"Plan Estratégico de la Comuna 12 – La América · corte al {formatting.long_day(on)} · "
    f"{formatting.number(plan.commitments)} compromisos activos"
)

progress, expected, efficacy, financial, coverage = st.columns(5, gap="small")
kpi(progress, "Avance físico", formatting.percent(plan.physical_progress), plan.status, status=plan.status)
kpi(expected, "Avance esperado", formatting.percent(plan.expected_progress), "a la fecha de corte")
kpi(efficacy, "Eficacia", formatting.percent(plan.efficacy), "avance ÷ esperado", status=plan.status)
kpi(
    financial,
    "Avance financiero",
    formatting.percent(plan.financial_progress),
    f"{formatting.money_short(plan.budget_executed_cop)} ejecutados",
    help="Presupuesto ejecutado ÷ comprometido, solo en los compromisos que reportan ejecución "
    f"({formatting.money(plan.budget_reported_cop)} de {formatting.money(plan.budget_cop)} comprometidos).",
)
kpi(
    coverage,
    "Cobertura",
    formatting.percent(plan.coverage * 100),
    f"{formatting.number(plan.reported)} de {formatting.number(plan.commitments)} reportan",
    help="Parte del peso del plan que tiene al menos un reporte de avance.",
)

st.subheader("Compromisos por estado")
counts = st.columns(7, gap="small")
for column, (label, value, status) in zip(
    counts,
    [
        ("Cumplidos", plan.n_cumplido, "cumplido"),
        ("Al día", plan["n_al día"], "al día"),
        ("Con retraso", plan["n_con retraso"], "con retraso"),
        ("Críticos", plan["n_crítico"], "crítico"),
        ("Sin reporte", plan["n_sin reporte"], "sin reporte"),
        ("Vencidos", plan.overdue, None),
        ("Cancelados", plan.cancelled, None),
    ],
    strict=True,
):
    share = formatting.percent(value / plan.commitments * 100 if plan.commitments else None, 0)
    kpi(column, label, formatting.number(value), share if status else None, status=status)

st.subheader("Avance por línea estratégica")
st.plotly_chart(charts.progress_vs_expected(view.lines), width="stretch", theme=None, config={"displaylogo": False})
semaforo_legend(view.thresholds)
lines_table = view.lines.assign(
    physical=view.lines.physical_progress.map(formatting.percent),
    expected=view.lines.expected_progress.map(formatting.percent),
    efficacy_text=view.lines.efficacy.map(formatting.percent),
    coverage_text=(view.lines.coverage * 100).map(formatting.percent),
    financial=view.lines.financial_progress.map(formatting.percent),
    budget=view.lines.budget_cop.map(formatting.money),
)
st.dataframe(
    lines_table[
        [
            "key",
            "name",
            "physical",
            "expected",
            "efficacy_text",
            "status",
            "coverage_text",
            "financial",
            "budget",
            "commitments",
            "overdue",
        ]
    ],
    column_config={
        "key": "Código",
        "name": "Línea estratégica",
        "physical": "Avance físico",
        "expected": "Avance esperado",
        "efficacy_text": "Eficacia",
        "status": "Semáforo",
        "coverage_text": "Cobertura",
        "financial": "Avance financiero",
        "budget": "Presupuesto comprometido",
        "commitments": "Compromisos",
        "overdue": "Vencidos",
    },
    hide_index=True,
    width="stretch",
)

freshness_column, reports_column = st.columns([2, 3])
with freshness_column:
    st.subheader("Frescura del reporte")
    st.plotly_chart(
        charts.count_bars(
            charts.freshness_counts(view.assessed),
            colors=FRESHNESS_COLORS,
            title="Días desde el último reporte",
        ),
        width="stretch",
        theme=None,
        config={"displaylogo": False},
    )
with reports_column:
    st.subheader("Últimos reportes")
    latest = view.latest_reports
    st.dataframe(
        latest.assign(
            date=latest.cut_off_date.map(formatting.day),
            progress=latest.physical_progress.map(formatting.percent),
            executed=latest.budget_executed_cop.map(formatting.money),
        )[["date", "commitment_code", "description", "project_name", "progress", "executed"]],
        column_config={
            "date": "Fecha de corte",
            "commitment_code": "Compromiso",
            "description": "Descripción",
            "project_name": "Proyecto",
            "progress": "Avance físico",
            "executed": "Ejecutado",
        },
        hide_index=True,
        width="stretch",
    )

how_computed(view.thresholds)
