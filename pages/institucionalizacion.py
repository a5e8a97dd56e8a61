"""Institucionalización: the plan as a legal and legitimate instrument — milestones with their acts, Presupuesto
Participativo to the plan, the plan in the PDL, and the windows coming up. Coordinators record milestones and PP."""

import streamlit as st

from core import formatting, views
from core.adoption import institution
from core.charts import institution as charts
from core.plan import edit
from core.plan.sheets import FIRST_YEAR, LAST_YEAR
from core.tables import Column, Kind
from ui import plan_admin, upload_contracts
from ui.access import COORDINATOR, current_role, may_open
from ui.components import explained, kpi, md, plot
from ui.filters import cut_off_date
from ui.state import read
from ui.tables import XLSX_MIME, show_table
from ui.upload import run_upload, show_last_apply

MILESTONE_COLUMNS = [
    Column("code", "Código"),
    Column("title", "Hito"),
    Column("group", "Grupo"),
    Column("standing", "Estado"),
    Column("issuer", "Quién lo expide"),
    Column("act", "Acto"),
    Column("act_date", "Fecha del acto", Kind.DATE),
    Column("target_date", "Fecha prevista", Kind.DATE),
    Column("evidence", "Evidencia"),
]
BREAKDOWN_COLUMNS = [
    Column("name", "Línea o dependencia"),
    Column("projects", "Proyectos de PP", Kind.INTEGER),
    Column("assigned_cop", "Asignado", Kind.MONEY),
    Column("executed_cop", "Ejecutado", Kind.MONEY),
    Column("share_of_ceiling", "Del tope", Kind.PERCENT),
]
OVERLAP_COLUMNS = [
    Column("code", "Proyecto de PP"),
    Column("name", "Nombre"),
    Column("project_code", "Proyecto del plan"),
    Column("assigned_cop", "Asignado por PP", Kind.MONEY),
    Column("commitments_budget_cop", "Presupuesto de sus compromisos", Kind.MONEY),
]
PDL_COLUMNS = [
    Column("line_code", "Línea"),
    Column("line_name", "Nombre"),
    Column("in_component", "En el componente estratégico"),
    Column("in_program", "En el programa"),
]
WINDOW_COLUMNS = [
    Column("target_date", "Fecha prevista", Kind.DATE),
    Column("flag", "Situación"),
    Column("days_left", "Días", Kind.INTEGER),
    Column("title", "Hito"),
    Column("kind_name", "Tipo"),
    Column("status", "Estado registrado"),
]
WINDOW_CHOICES = {30: "30 días", 60: "60 días", 90: "90 días", 180: "6 meses"}
FORMS = {edit.MILESTONES: "Un hito", edit.PP_CEILINGS: "El tope de PP de un año", edit.PP_PROJECTS: "Un proyecto de PP"}

st.title("Institucionalización")
show_last_apply(upload_contracts.PP)
on = cut_off_date()
st.caption(
    "El plan como instrumento legal y legítimo: hitos con su acto y su evidencia, Presupuesto Participativo al plan, "
    f"el plan en el Plan de Desarrollo Local y las próximas ventanas · a la fecha {formatting.long_day(on)}"
)
data = read(views.institution_records)

st.subheader("Escalera de hitos")
if data.milestones.empty:
    st.info("Todavía no hay hitos registrados.")
else:
    plot(charts.milestone_ladder(institution.milestone_ladder(data.milestones, on)), key="ladder")
    listed = data.milestones.assign(
        standing=institution.standing(data.milestones, on),
        act=[" ".join(part for part in (t, n) if part) for t, n in zip(data.milestones.act_type,
                                                                         data.milestones.act_number, strict=True)],
    )  # fmt: skip
    show_table(listed, MILESTONE_COLUMNS)
explained(institution.HOW_LADDER)

st.subheader("Línea de tiempo")
timeline = institution.milestone_timeline(data.milestones, on)
if timeline.empty:
    st.info("Ningún hito tiene todavía fecha de acto ni fecha prevista.")
else:
    plot(charts.milestone_timeline(timeline), key="timeline")
    undated = len(data.milestones) - len(timeline)
    if undated:
        st.caption(f"{formatting.number(undated)} hitos sin fecha de acto ni fecha prevista no aparecen aquí.")
explained(institution.HOW_TIMELINE)

st.subheader("Presupuesto Participativo y el plan")
years = institution.pp_by_year(data.pp, data.ceilings)
if years.empty:
    st.info("Todavía no hay topes ni proyectos de Presupuesto Participativo registrados.")
else:
    options = [int(year) for year in years.year]
    this_year = options.index(on.year) if on.year in options else len(options) - 1
    year = st.selectbox("Año", options, index=this_year, key="pp_year", bind="query-params")
    row = institution.pp_year(years, year)
    cards = st.columns(4)
    no_ceiling = row.ceiling_cop is None
    kpi(cards[0], "Tope de PP", "sin tope" if no_ceiling else formatting.money(row.ceiling_cop))
    kpi(
        cards[1],
        "Al plan (del tope)",
        "sin tope" if no_ceiling else formatting.percent(row.share_on_plan),
        f"{formatting.money(row.assigned_on_plan_cop)} asignados a líneas del plan",
    )
    kpi(cards[2], "Ejecutado de lo asignado al plan", formatting.money(row.executed_on_plan_cop))
    kpi(
        cards[3],
        "Fuera del plan",
        formatting.money(row.assigned_off_plan_cop),
        f"{formatting.number(row.projects_off_plan)} proyectos sin línea del plan",
    )
    if row.without_amount:
        st.caption(f"{formatting.number(row.without_amount)} proyectos de PP de {year} no tienen valor asignado.")
    plot(charts.pp_by_year(years), key="pp_years")
    by_line, by_dependencia = st.columns(2)
    with by_line:
        st.markdown("**Por línea**")
        show_table(institution.pp_breakdown(data.pp, data.ceilings, "line", year), BREAKDOWN_COLUMNS)
    with by_dependencia:
        st.markdown("**Por dependencia**")
        dependencias = institution.pp_breakdown(data.pp, data.ceilings, "dependencia", year)
        dependencias = dependencias.assign(
            name=[f"{name}{'' if on_plan else ' (fuera del plan)'}"
                  for name, on_plan in zip(dependencias.name, dependencias.on_plan, strict=True)]
        )  # fmt: skip
        show_table(dependencias, BREAKDOWN_COLUMNS)
    overlaps = institution.pp_overlaps(data.pp)
    if not overlaps.empty:
        st.warning(
            f"{formatting.number(len(overlaps))} proyectos de PP caen en proyectos del plan cuyos compromisos ya "
            "tienen presupuesto: las dos cifras se muestran juntas y nunca se suman."
        )
        show_table(overlaps, OVERLAP_COLUMNS)
explained(institution.HOW_PP)

st.subheader("El plan en el Plan de Desarrollo Local")
pdl = institution.pdl_incorporation(data.alignments, data.lines)
for card, part in zip(st.columns(len(pdl)), pdl.to_dict("records"), strict=True):
    share = part["share"]
    kpi(
        card,
        str(part["label"]),
        f"{formatting.number(int(part['lines_present']))} de {formatting.number(int(part['active_lines']))} líneas",
        formatting.percent(None if share is None or share != share else float(share)),
    )
per_line = institution.pdl_lines(data.alignments, data.lines)
show_table(
    per_line.assign(**{name: ["Sí" if v else "No" for v in per_line[name]] for name in ("in_component", "in_program")}),
    PDL_COLUMNS,
)
explained(institution.HOW_PDL)

st.subheader("Próximas ventanas")
days = st.segmented_control(
    "En los próximos", list(WINDOW_CHOICES), format_func=WINDOW_CHOICES.__getitem__, default=60, key="windows"
)
windows = institution.upcoming_windows(data.milestones, on, days or institution.WINDOW_DAYS)
if windows.empty:
    st.info("No hay hitos con fecha prevista en ese plazo, ni vencidos.")
else:
    show_table(windows, WINDOW_COLUMNS)
explained(institution.HOW_WINDOWS)

if may_open(COORDINATOR, current_role()):
    st.divider()
    st.subheader("Registrar")
    st.caption(
        "Con las mismas reglas del libro del plan y de «Administrar el plan»; cada cambio queda en la bitácora y se "
        "ve al instante en esta página y en las diapositivas."
    )
    if done := st.session_state.pop("institution_saved", None):
        st.success(done)
    catalog = st.radio("Qué", list(FORMS), format_func=FORMS.__getitem__, horizontal=True, key="institution_form")
    known = plan_admin.labels(plan_admin.records(catalog), key=edit.key_field(catalog))
    new = "__nuevo__"
    chosen = st.selectbox(
        "Registro",
        [new, *known],
        format_func=lambda c: f"+ Nuevo: {edit.sheet_of(catalog).noun}" if c == new else known[c],
        key=f"institution_record_{catalog}",
    )
    saved = plan_admin.record_form(catalog, None if chosen == new else chosen, f"institution_{catalog}_{chosen}")
    if saved:
        code, warnings = saved
        warned = "".join(f" Aviso: {md(w)}" for w in warnings)
        st.session_state["institution_saved"] = f"Se guardó «{md(code)}».{warned}"
        st.rerun()

    st.subheader("Plantilla de PP")
    st.caption(
        "Los proyectos de Presupuesto Participativo de un año en Excel: descárguela, llénela y cárguela. Se revisa "
        "fila por fila antes de aplicar, como las plantillas de avance, y se puede deshacer."
    )
    pp_year = st.number_input(
        "Año de la plantilla", min_value=FIRST_YEAR, max_value=LAST_YEAR, value=on.year, step=1, key="pp_template_year"
    )
    st.download_button(
        "Descargar la plantilla de PP",
        data=lambda: upload_contracts.pp_template_bytes(int(pp_year)),
        file_name=f"plantilla-pp-{int(pp_year)}.xlsx",
        mime=XLSX_MIME,
        key="pp_template",
        on_click="ignore",
    )
    run_upload(upload_contracts.PP, options=int(pp_year))  # last on the page: it stops the script until a file comes
