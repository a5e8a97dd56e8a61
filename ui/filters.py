"""Filter widgets shared by every page, bound to the URL query string so a link reproduces the view.

Each widget's key is its query parameter (``?corte=2026-03-31&linea=...&sector=...&etapa=...&barrio=...``);
Streamlit keeps the URL and the widget in step and drops a parameter when it equals the default.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from core import formatting, views
from core.communication import assembly
from core.metrics.breakdowns import WHOLE_COMUNA_KEY, WHOLE_COMUNA_NAME
from core.metrics.filters import PlanFilter
from core.models import INSTRUMENT_KINDS, SECTORS, STAGES
from ui.state import dataset_info, read

CUT_OFF_PARAM = "corte"
LINE_PARAM = "linea"
SECTOR_PARAM = "sector"
STAGE_PARAM = "etapa"
BARRIO_PARAM = "barrio"
YEAR_PARAM = "anio"
KIND_PARAM = "instrumento"
ALL = "Todas"


def cut_off_date() -> date:
    """The 'fecha de corte' selector (sidebar). Default: today; while the demo is loaded, the demo's own date,
    so its figures do not age with the calendar."""
    default = dataset_info().demo_as_of or formatting.colombia_today()
    chosen = st.sidebar.date_input(
        "Fecha de corte",
        value=default,
        format="DD/MM/YYYY",
        help="Los indicadores se calculan con los reportes hasta esta fecha.",
        key=CUT_OFF_PARAM,
        bind="query-params",
    )
    return chosen if isinstance(chosen, date) else default


def _choice(label: str, options: dict[str, str], *, key: str, all_label: str, help: str) -> str | None:
    """A sidebar selectbox over codes, shown by name, with a first 'all' option that means no filter."""
    choice = st.sidebar.selectbox(
        label,
        [None, *options],
        format_func=lambda code: all_label if code is None else options[code],
        key=key,
        bind="query-params",
        help=help,
    )
    return choice if choice in options else None


def line_options(lines: pd.DataFrame) -> dict[str, str]:
    return {str(row.code): f"{row.code} · {row.name}" for row in lines.itertuples()}


def barrio_options(barrios: pd.DataFrame) -> dict[str, str]:
    options = {str(row.code): str(row.name) for row in barrios.itertuples()}
    return {**options, WHOLE_COMUNA_KEY: WHOLE_COMUNA_NAME}


def plan_filter(on: date, *, show: Sequence[str] = ("line", "sector", "stage", "barrio")) -> PlanFilter:
    """The sidebar filters a page offers (``show``); hidden ones stay unfiltered."""
    everything = read(
        views.assessed_plan, on=on
    ).snapshot  # the option lists come from the whole plan, not the filtered one
    st.sidebar.markdown("**Filtros**")
    line = sector = stage = barrio = None
    if "line" in show:
        line = _choice(
            "Línea estratégica",
            line_options(everything.lines),
            key=LINE_PARAM,
            all_label=ALL,
            help="Solo los compromisos de esta línea.",
        )
    if "sector" in show:
        sector = _choice(
            "Sector del actor",
            {sector: sector for sector in SECTORS},
            key=SECTOR_PARAM,
            all_label="Todos",
            help="Compromisos en los que participa al menos un actor de este sector.",
        )
    if "stage" in show:
        stage = _choice(
            "Etapa del proyecto", {s: s for s in STAGES}, key=STAGE_PARAM, all_label=ALL, help="Etapa del proyecto."
        )
    if "barrio" in show:
        barrio = _choice(
            "Barrio",
            barrio_options(everything.barrios),
            key=BARRIO_PARAM,
            all_label="Todos",
            help="Compromisos ubicados en el barrio; «Toda la comuna» son los que no tienen un barrio propio.",
        )
    return PlanFilter(line_code=line, sector=sector, stage=stage, barrio_code=barrio)


def describe(plan_filter: PlanFilter, on: date) -> str:
    """The filter in words, for captions and the downloads' "Acerca de" sheet."""
    if plan_filter.is_empty:
        return "Todo el plan (sin filtros)"
    everything = read(views.assessed_plan, on=on).snapshot
    parts = []
    if plan_filter.line_code:
        parts.append(f"línea {line_options(everything.lines).get(plan_filter.line_code, plan_filter.line_code)}")
    if plan_filter.sector:
        parts.append(f"sector {plan_filter.sector}")
    if plan_filter.stage:
        parts.append(f"etapa {plan_filter.stage}")
    if plan_filter.barrio_code:
        name = barrio_options(everything.barrios).get(plan_filter.barrio_code, plan_filter.barrio_code)
        parts.append(f"barrio {name}")
    return "Filtrado por " + ", ".join(parts)


def period_start(on: date, *, label: str, key: str) -> tuple[date, str]:
    """The first day of a "since" period (default: the last assembly before ``on``) and its reason in words."""
    last = read(views.last_assembly, on=on)
    default = assembly.default_reference(last, on=on)
    chosen = st.date_input(
        label,
        value=default,
        max_value=on - timedelta(days=1),
        format="DD/MM/YYYY",
        help="Por defecto, la última asamblea registrada antes de la fecha de corte. El periodo termina en la fecha "
        "de corte (barra lateral).",
        key=key,
    )
    since = chosen if isinstance(chosen, date) else default
    return since, assembly.reference_text(since, last=last, on=on)


@dataclass(frozen=True)
class AdoptionFilter:
    """The Planes de los actores page's selection: the actors' sector, the crosswalk's year, the instrument kind."""

    sector: str | None
    year: int | None
    kind: str | None


def adoption_filter(years: Sequence[int]) -> AdoptionFilter:
    """The sidebar filters of the crosswalk (``years``: the years its rows name), in the URL like the others."""
    st.sidebar.markdown("**Filtros**")
    sector = _choice(
        "Sector del actor",
        {sector: sector for sector in SECTORS},
        key=SECTOR_PARAM,
        all_label="Todos",
        help="Solo los actores de este sector y sus instrumentos.",
    )
    year = _choice(
        "Año",
        {str(year): str(year) for year in years},
        key=YEAR_PARAM,
        all_label="Todos",
        help="Los recursos y filas de ese año; las filas sin año (una mención) valen para todos.",
    )
    kind = _choice(
        "Tipo de instrumento",
        {kind: kind for kind in INSTRUMENT_KINDS},
        key=KIND_PARAM,
        all_label="Todos",
        help="Solo los instrumentos de este tipo.",
    )
    return AdoptionFilter(sector=sector, year=int(year) if year else None, kind=kind)
