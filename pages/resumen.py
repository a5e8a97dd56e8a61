"""Resumen del plan: headline figures, progress per strategic line, freshness and latest reports."""

import streamlit as st

from core import formatting, views
from core.charts import progress
from core.charts.progress import FRESHNESS_COLORS
from core.excel.writing import Sheet
from core.tables import Column, Kind
from ui.components import headline_cards, how_computed, md, no_match_notice, plot, semaforo_legend, state_cards
from ui.filters import cut_off_date, describe, plan_filter
from ui.rounds import completion_cards
from ui.state import read
from ui.tables import about_export, download_xlsx, show_table

LINE_COLUMNS = [
    Column("key", "Código"),
    Column("name", "Línea estratégica"),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
    Column("expected_progress", "Avance esperado", Kind.PERCENT),
    Column("efficacy", "Eficacia", Kind.PERCENT),
    Column("status", "Semáforo"),
    Column("coverage_pct", "Cobertura", Kind.PERCENT),
    Column("financial_progress", "Avance financiero", Kind.PERCENT),
    Column("commitments", "Compromisos", Kind.INTEGER),
    Column("overdue", "Vencidos", Kind.INTEGER),
]
REPORT_COLUMNS = [
    Column("cut_off_date", "Fecha de corte", Kind.DATE),
    Column("commitment_code", "Compromiso"),
    Column("description", "Descripción"),
    Column("project_name", "Proyecto"),
    Column("physical_progress", "Avance físico", Kind.PERCENT),
    Column("budget_executed_cop", "Ejecutado", Kind.PESOS),
]

st.title("Resumen del plan")
on = cut_off_date()
chosen = plan_filter(on)
view = read(views.plan_view, on=on, plan_filter=chosen)
plan = view.plan
st.caption(
    f"Plan Estratégico de la Comuna 12 – La América · corte al {formatting.long_day(on)} · "
    f"{formatting.number(plan.commitments)} compromisos activos · "
    f"último reporte: {formatting.day(plan.last_report_date)} · {md(describe(chosen, on))}"
)
if view.assessed.empty and not chosen.is_empty:
    no_match_notice(filtered=True)
    st.stop()

headline_cards(plan)
st.subheader("Compromisos por estado")
state_cards(plan)

st.subheader("Avance por línea estratégica")
lines = view.lines.assign(coverage_pct=view.lines.coverage * 100)
plot(progress.progress_vs_expected(lines))
semaforo_legend(view.thresholds)
show_table(lines, LINE_COLUMNS[1:])

for open_round in read(views.open_round_figures, on=on):  # the public face of a round: its completion, no names
    st.subheader(f"Ronda de reporte abierta: {md(open_round.info.name)}")
    st.caption(
        f"Se pidió el avance con corte al {formatting.day(open_round.info.cut_off)}; plazo hasta el "
        f"{formatting.day(open_round.info.deadline)}."
    )
    completion_cards(open_round.completion)

st.subheader("Frescura del reporte")
freshness_chart, freshness_text = st.columns([3, 2])
with freshness_chart:
    plot(
        progress.count_bars(
            progress.freshness_counts(view.assessed), colors=FRESHNESS_COLORS, title="Días desde el último reporte"
        )
    )
with freshness_text:
    fresh, outdated = (formatting.number(view.thresholds.fresh_days), formatting.number(view.thresholds.outdated_days))
    st.markdown(
        f"Compromisos activos según los días desde su último reporte (de avance, de dinero o una nota): "
        f"**al día** hasta {fresh} días, "
        f"**desactualizado** hasta {outdated}, **sin seguimiento** después, y **sin reporte** los que nunca "
        "han reportado."
    )

st.subheader("Últimos reportes")
latest = read(views.latest_reports, on=on, plan_filter=chosen)
show_table(latest, REPORT_COLUMNS)
download_xlsx(
    [Sheet("Líneas", lines, LINE_COLUMNS), Sheet("Últimos reportes", latest, REPORT_COLUMNS)],
    file_name=f"resumen_plan_{on.isoformat()}",
    key="download_resumen",
    about=about_export(on, describe(chosen, on)),
)

how_computed(view.thresholds)
