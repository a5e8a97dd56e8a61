"""Planes de los actores: the plan inside each actor's own planning — the actor × line crosswalk, a card per actor,
a view per line and the review's freshness; coordinators record instruments and their crosswalk here."""

import pandas as pd
import streamlit as st

from core import formatting, views
from core.adoption import alignment, editing
from core.adoption.editing import GRID_FIELDS
from core.models import ALIGNMENT_LEVELS, ALIGNMENT_STATES
from core.plan import edit
from core.refusals import Refused
from core.tables import Column, Kind
from ui import plan_admin
from ui.access import COORDINATOR, current_role, may_open
from ui.components import explained, kpi, md, plot
from ui.filters import adoption_filter, cut_off_date
from ui.state import NOT_WRITTEN, read, write
from ui.tables import XLSX_MIME, show_grid
from ui.upload import run_upload, show_last_apply
from ui.upload_contracts import ALIGNMENT, alignment_template_bytes

CARD_COLUMNS = [
    Column("name", "Actor"),
    Column("sector", "Sector"),
    Column("instruments", "Instrumentos", Kind.INTEGER),
    Column("lines_concerned", "Líneas que toca", Kind.INTEGER),
    Column("lines_programmed", "Líneas programadas", Kind.INTEGER),
    Column("coverage_pct", "Cobertura", Kind.PERCENT),
    Column("anchoring_pct", "Anclaje", Kind.PERCENT),
    Column("resources_on_plan_cop", "Recursos en líneas del plan", Kind.MONEY),
    Column("absent_lines", "Líneas ausentes"),
    Column("unverified", "Filas sin verificar", Kind.INTEGER),
    Column("review", "Revisión"),
]
LINE_COLUMNS = [
    Column("line_code", "Línea"),
    Column("name", "Nombre"),
    Column("actors", "Actores que la programan", Kind.INTEGER),
    Column("sectors", "Sectores", Kind.INTEGER),
    Column("sector_names", "Cuáles"),
    Column("public_entities", "Entidades públicas", Kind.INTEGER),
    Column("flag", "Aviso"),
    Column("resources_cop", "Recursos en planes de otros", Kind.MONEY),
    Column("budget_cop", "Presupuesto de los compromisos (aparte)", Kind.MONEY),
]
RESOURCE_COLUMNS = [
    Column("year_text", "Año"),
    Column("source", "Fuente"),
    Column("resources_cop", "Recursos", Kind.PESOS),
]
OVERLAP_COLUMNS = [
    Column("code", "Fila"),
    Column("actor_name", "Actor"),
    Column("line_code", "Línea"),
    Column("project_code", "Proyecto del plan"),
    Column("resources_cop", "Recursos en su instrumento", Kind.PESOS),
    Column("commitment_budget_cop", "Presupuesto de los compromisos", Kind.PESOS),
]
REVIEW_COLUMNS = [
    Column("name", "Actor"),
    Column("last_verified_on", "Última verificación", Kind.DATE),
    Column("days_since_review", "Días", Kind.INTEGER),
    Column("review", "Revisión"),
]
NO_FLAG = ""
NEW = "__nuevo__"
SOURCES = {"kind": "Tipo de instrumento", "sector": "Sector"}

st.title("Planes de los actores")
on = cut_off_date()
chosen = adoption_filter(read(views.actor_plans, on=on).years)
source = st.radio("Fuente de los recursos", list(SOURCES), format_func=SOURCES.__getitem__, horizontal=True,
                  key="fuente")  # fmt: skip
view = read(views.actor_plans, on=on, sector=chosen.sector, year=chosen.year, kind=chosen.kind, source=source)
st.caption(
    "Cómo toma cada organización las líneas del plan en su propia planeación (Plan de Acción, POAI, PDL, planes de "
    f"las JAC y de las organizaciones) · corte al {formatting.long_day(on)}. Solo cuentan las filas verificadas."
)

st.subheader("Actores × líneas")
if view.matrix.empty:
    st.info("Ningún actor de esta selección tiene instrumentos de planeación registrados.")
else:
    plot(view.matrix_figure, key="actor_line_levels")
explained(alignment.HOW_LEVELS)

st.subheader("Cada actor")
names = dict(zip(view.cards.actor_code, view.cards.name, strict=True))
cards = view.cards.assign(coverage_pct=view.cards.coverage * 100, anchoring_pct=view.cards.anchoring * 100)
actor = st.selectbox("Actor", list(names), format_func=names.__getitem__, key="actor", bind="query-params")
if actor:
    card = cards.set_index("actor_code").loc[actor]
    if card.instruments == 0:
        st.info(f"{md(card['name'])} no tiene instrumentos de planeación registrados: sin cobertura ni anclaje.")
    else:
        first, second, third, fourth = st.columns(4)
        kpi(
            first,
            "Cobertura de sus instrumentos",
            formatting.percent(card.coverage_pct),
            f"{formatting.number(card.lines_programmed)} de {formatting.number(card.lines_concerned)} líneas",
        )
        kpi(second, "Anclaje", formatting.percent(card.anchoring_pct), "de sus recursos en la comuna")
        kpi(
            third,
            "Recursos en líneas del plan",
            formatting.millions(card.resources_on_plan_cop),
            "millones de pesos",
            help=f"{formatting.money(card.resources_on_plan_cop)} de {formatting.money(card.resources_total_cop)}.",
        )
        kpi(fourth, "Revisión", str(card.review), f"{formatting.number(card.days_since_review)} días")
        if card.absent_lines:
            st.warning(f"Líneas que sus instrumentos dicen tocar y no toman: {md(card.absent_lines)}")
        if card.unverified:
            st.caption(f"{formatting.number(card.unverified)} filas propuestas sin verificar: no cuentan.")  # fmt: skip
show_grid(cards, CARD_COLUMNS, key="grid_actor_cards")
explained(alignment.HOW_COVERAGE, alignment.HOW_ANCHORING)

st.subheader("Cada línea")
lines = view.lines.merge(view.line_budgets, left_on="line_code", right_on="key", how="left")
lines["flag"] = ["Ninguna entidad pública la programa" if flagged else NO_FLAG for flagged in lines.no_public_entity]
line_names = dict(zip(lines.line_code, lines.name, strict=True))
line = st.selectbox("Línea", list(line_names), format_func=lambda c: f"{c} · {line_names[c]}", key="linea_plan",
                    bind="query-params")  # fmt: skip
if line:
    row = lines.set_index("line_code").loc[line]
    first, second, third = st.columns(3)
    kpi(first, "Sectores que la programan", formatting.number(row.sectors), row.sector_names or None)
    kpi(second, "Entidades públicas", formatting.number(row.public_entities))
    kpi(third, "Recursos en planes de otros", formatting.millions(row.resources_cop), "millones de pesos",
        help="Se muestran al lado del presupuesto de los compromisos, nunca sumados a él.")  # fmt: skip
    if row.no_public_entity:
        st.warning("Ninguna entidad pública programa esta línea en una fila verificada.")
    mine = view.resources.loc[view.resources.line_code == line]
    mine = mine.assign(year_text=[formatting.BLANK if pd.isna(y) else str(int(y)) for y in mine.year])
    show_grid(mine, RESOURCE_COLUMNS, key="grid_line_resources")
    st.caption(f"Presupuesto de los compromisos de la línea (aparte, no se suma): {formatting.money(row.budget_cop)}.")
show_grid(lines, LINE_COLUMNS, key="grid_lines_transversality")
if not view.overlaps.empty:
    st.markdown("**Posible doble conteo**: filas con recursos sobre proyectos del plan que ya tienen presupuesto.")
    overlaps = view.overlaps.assign(actor_name=view.overlaps.actor_code.map(names))
    show_grid(overlaps, OVERLAP_COLUMNS, key="grid_overlaps")
explained(alignment.HOW_TRANSVERSALITY)

st.subheader("Frescura de la revisión")
reviewed = cards.loc[cards.instruments > 0]
show_grid(reviewed, REVIEW_COLUMNS, key="grid_review")
explained(alignment.HOW_FRESHNESS)

if may_open(COORDINATOR, current_role()):
    st.divider()
    st.subheader("Registrar instrumentos y articulación (coordinación)")
    if done := st.session_state.pop("plans_saved", None):
        st.success(done)
    instruments = plan_admin.records(edit.INSTRUMENTS)
    choices = plan_admin.labels(instruments, active_only=True)
    code = st.selectbox("Instrumento", [NEW, *choices], key="plans_instrument",
                        format_func=lambda c: "+ Nuevo instrumento" if c == NEW else choices[c])  # fmt: skip
    current = {} if code == NEW else plan_admin.record(edit.INSTRUMENTS, code)
    references = {"Actores": plan_admin.labels(plan_admin.records("Actores"), active_only=True)}
    line_labels = plan_admin.labels(plan_admin.records(edit.LINES), active_only=True)
    with st.form(f"plans_instrument_form_{code}"):
        values, slots = {}, {}
        for column in edit.form_columns(edit.INSTRUMENTS):
            values[column.field] = plan_admin.field_input(
                column, current.get(column.field), f"plans_{code}_{column.field}", references
            )
            slots[column.field] = st.empty()
        values["lines"] = st.multiselect("Líneas del plan que toca", list(line_labels), key=f"plans_{code}_lines",
                                         default=[c for c in current.get("lines", []) if c in line_labels],
                                         format_func=line_labels.__getitem__)  # fmt: skip
        slots["lines"] = st.empty()
        if st.form_submit_button("Guardar el instrumento", type="primary"):
            saved = write(edit.save_record, catalog=edit.INSTRUMENTS, values=values,
                          code=None if code == NEW else code,
                          refused=lambda refused: plan_admin.show_errors(refused, slots))  # fmt: skip
            if saved is not NOT_WRITTEN:
                st.session_state["plans_saved"] = f"Se guardó el instrumento «{md(saved)}»."
                st.rerun()
    if code != NEW:
        st.markdown(f"**Articulación de {md(code)}** — una fila por línea (y, si se quiere, programa o proyecto).")
        grid = read(views.crosswalk_grid, instrument=code)
        programs = list(plan_admin.records(edit.PROGRAMS).code)
        projects = list(plan_admin.records(edit.PROJECTS).code)
        config = st.column_config
        edited = st.data_editor(
            grid,
            column_config={
                "code": config.TextColumn("Código", disabled=True, help="Se asigna al guardar una fila nueva."),
                "line_id": config.SelectboxColumn("Línea", options=list(line_labels), required=True),
                "program_id": config.SelectboxColumn("Programa", options=programs),
                "project_id": config.SelectboxColumn("Proyecto", options=projects),
                "their_code": config.TextColumn("Su código"),
                "their_text": config.TextColumn("Su texto"),
                "level": config.SelectboxColumn(
                    "Nivel", options=list(ALIGNMENT_LEVELS), required=True,
                    help=" · ".join(f"{k} {v}" for k, v in ALIGNMENT_LEVELS.items()),
                ),
                "resources_cop": config.NumberColumn("Recursos (COP)", min_value=0, step=1_000_000, format="%d"),
                "year": config.NumberColumn("Año", min_value=1990, max_value=2100, step=1, format="%d"),
                "evidence": config.TextColumn("Evidencia"),
                "state": config.SelectboxColumn("Estado", options=list(ALIGNMENT_STATES), required=True),
                "verified_by": config.TextColumn("Verificado por"),
                "verified_on": config.DateColumn("Verificado el", format="DD/MM/YYYY"),
            },
            column_order=list(GRID_FIELDS),
            hide_index=True,
            num_rows="add",
            key=f"plans_grid_{code}",
        )  # fmt: skip
        st.caption(
            "Una fila «verificado» necesita quién la verificó y cuándo. Para retirar una fila, márquela «descartado». "
            "Todo se guarda junto o nada."
        )
        if st.button("Guardar la articulación", type="primary", key="plans_grid_save"):
            rows = edited.to_dict("records")

            def refused_rows(refused: Refused) -> None:
                st.error("No se guardó ninguna fila: corrija estas.")
                for where, message in plan_admin.refusal_errors(refused).items():
                    st.error(md(f"{where}: {message}"))

            count = write(editing.save_crosswalk, instrument=code, rows=rows, refused=refused_rows)
            if count is not NOT_WRITTEN:
                st.session_state["plans_saved"] = f"Se guardaron {formatting.number(count)} filas de articulación."
                st.rerun()

    st.markdown("**Plantilla de articulación de un actor**: sus instrumentos y las líneas que tocan, para llenar en "
                "Excel y cargar aquí (se revisa antes de aplicar y se puede deshacer).")  # fmt: skip
    with_instruments = {code: names[code] for code in instruments.actor_id.dropna().unique() if code in names}
    if not with_instruments:
        st.info("Registre primero un instrumento de un actor.")
        st.stop()
    template_actor = st.selectbox("Actor de la plantilla", list(with_instruments), key="plans_template_actor",
                                  format_func=with_instruments.__getitem__)  # fmt: skip
    st.download_button(
        "Descargar la plantilla de articulación (.xlsx)",
        data=lambda: alignment_template_bytes(template_actor),
        file_name=f"articulacion_{template_actor}.xlsx",
        mime=XLSX_MIME,
        on_click="ignore",
    )
    show_last_apply(ALIGNMENT)
    run_upload(ALIGNMENT, options=template_actor)
