"""Small building blocks every page uses: the demo notice, headline cards, the metric rules text."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from core import formatting
from core.metrics.snapshots import DEFAULT_THRESHOLDS, Thresholds
from ui.database import dataset_info


def _threshold(value: float) -> str:
    """77.5 -> '77,5 %', 80 -> '80 %'."""
    return f"{formatting.number(value, 1).removesuffix(',0')} %"


def spanish_file_uploader() -> None:
    """Streamlit's file uploader says "Upload" and "20MB per file" with no way to translate them: its two texts
    are hidden and replaced with Spanish ones drawn by CSS (the limit read from the server's own setting)."""
    limit = formatting.number(st.get_option("server.maxUploadSize"))
    st.html(
        "<style>"
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p { font-size: 0; }'
        '[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after'
        ' { content: "Elegir archivo"; font-size: 1rem; }'
        '[data-testid="stFileUploaderDropzoneInstructions"] span { font-size: 0; }'
        '[data-testid="stFileUploaderDropzoneInstructions"] span::after'
        f' {{ content: "o arrástrelo aquí · hasta {limit} MB"; font-size: 0.875rem; }}'
        "</style>"
    )


def demo_notice() -> None:
    if dataset_info().is_demo:
        st.warning(
            "**Datos de demostración.** Las cifras de este tablero son ficticias y sirven para conocer la "
            "herramienta. Desaparecerá este aviso cuando se carguen los datos reales del plan.",
        )


def explained(*paragraphs: str) -> None:
    """The «¿Cómo se calcula?» of a figure: its rule in words, folded under the figure."""
    with st.expander("¿Cómo se calcula?"):
        st.markdown("\n\n".join(paragraphs))


def how_computed(thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
    t = thresholds
    fresh, outdated = formatting.number(t.fresh_days), formatting.number(t.outdated_days)
    explained(
        f"""
- **Avance físico de un compromiso**: el del último reporte que dice avance: su porcentaje; si ese reporte no trae
  porcentaje, valor logrado ÷ meta (si la meta es mayor que 0). Nunca pasa de 100 %. Un reporte que solo trae
  dinero o una nota no dice avance; un valor logrado sin meta tampoco (se avisa al cargarlo: *sin meta*).
- **Sin reporte no es cero**: un compromiso que nunca ha reportado avance aparece como *sin reporte* y no entra en
  los promedios. La **cobertura** dice qué parte del peso tiene reporte.
- **Avance esperado** a la fecha de corte: tiempo transcurrido desde el inicio del proyecto ÷ plazo hasta la
  fecha de entrega del compromiso, entre 0 % y 100 %.
- **Eficacia** = avance físico ÷ avance esperado. **Semáforo**: verde *al día* si la eficacia es de
  {_threshold(t.on_track)} o más; amarillo *con retraso* desde {_threshold(t.delayed)} hasta menos de
  {_threshold(t.on_track)}; rojo *crítico* por debajo de {_threshold(t.delayed)}; azul
  *cumplido* al llegar a 100 % (un grupo, cuando todos sus compromisos llegaron); gris *sin reporte*. Si aún no se
  esperaba avance, el compromiso está al día. El color se decide con la cifra tal como se muestra (un decimal): una
  eficacia de 80,0 % siempre es *al día*.
- **Peso de cada compromiso en el plan**: el producto de los pesos de su línea entre las líneas, su programa en la
  línea, su proyecto en el programa y el compromiso en el proyecto, cada uno dividido por la suma de sus hermanos
  activos (si todos pesan 0, se reparten por igual). Ese peso no cambia con los filtros, la página ni la fecha.
- **Una sola regla para toda cifra**: el avance de cualquier grupo (el plan, una línea, un programa, un proyecto, un
  actor, un barrio o lo que dejen los filtros) es el promedio del avance de sus compromisos con reporte, ponderado
  por ese peso; igual el avance esperado. Por eso un actor tiene la misma cifra en Actores, Barrios, el Resumen
  filtrado, su informe y las diapositivas.
- **Cancelados**: se muestran, pero no entran en ningún promedio, peso ni conteo de estados.
- **Avance financiero** = presupuesto ejecutado ÷ presupuesto comprometido de los compromisos que reportan
  ejecución; se muestra al lado del avance físico, nunca mezclado con él.
- **Vencido**: la fecha de entrega ya pasó y el compromiso no está cumplido.
- **Frescura** y **último reporte**: días desde el último reporte de cualquier tipo (avance, dinero o una nota):
  hasta {fresh} *al día*; hasta {outdated} *desactualizado*; más de {outdated} *sin seguimiento*.
- Un compromiso en varios barrios cuenta una vez en los totales de la comuna y una vez en cada barrio.
"""
    )


SEMAFORO_DELTA_COLORS = {
    "cumplido": "blue",
    "al día": "green",
    "con retraso": "orange",
    "crítico": "red",
    "sin reporte": "gray",
    "cancelado": "gray",
}


def kpi(
    container: DeltaGenerator,
    label: str,
    value: str,
    note: str | None = None,
    *,
    status: str | None = None,
    help: str | None = None,
) -> None:
    """A headline card; ``note`` is a plain caption (no up/down arrow), coloured by semáforo when given."""
    container.metric(
        label,
        value,
        note,
        delta_color=SEMAFORO_DELTA_COLORS.get(status or "", "off"),  # type: ignore[arg-type]
        delta_arrow="off",
        border=True,
        help=help,
    )


def semaforo_legend(thresholds: Thresholds = DEFAULT_THRESHOLDS) -> None:
    on_track, delayed = _threshold(thresholds.on_track), _threshold(thresholds.delayed)
    st.caption(
        f"Color de la barra: :blue[■ cumplido] · :green[■ al día] (eficacia ≥ {on_track}) · "
        f":orange[■ con retraso] ({delayed} a menos de {on_track}) · :red[■ crítico] (< {delayed}) · "
        ":gray[■ sin reporte]. "
        "La raya negra marca el avance esperado a la fecha de corte."
    )


def plot(figure: go.Figure, *, key: str | None = None, on_select: Callable[[], None] | None = None) -> None:
    """Every chart the same way: our own es-CO styling (not Streamlit's theme), no plotly logo.

    With ``on_select`` (and a ``key``), clicking a point calls it; the selection is in ``st.session_state[key]``.
    """
    # No mode bar: its tooltips are English and plotly's Spanish locale is not bundled.
    config = {"displayModeBar": False}
    if on_select is None:
        st.plotly_chart(figure, width="stretch", theme=None, config=config, key=key)
    else:
        st.plotly_chart(
            figure,
            width="stretch",
            theme=None,
            config=config,
            key=key,
            on_select=on_select,
            selection_mode="points",
        )


def headline_cards(row: pd.Series) -> None:
    """The headline figures of any breakdown row (the plan, a line, an actor, a barrio) in two rows of four."""
    progress, expected, efficacy, coverage = st.columns(4, gap="small")
    kpi(progress, "Avance físico", formatting.percent(row.physical_progress), row.status, status=row.status)
    kpi(expected, "Avance esperado", formatting.percent(row.expected_progress))
    kpi(efficacy, "Eficacia", formatting.percent(row.efficacy))
    kpi(
        coverage,
        "Cobertura",
        formatting.percent(row.coverage * 100 if pd.notna(row.coverage) else None),
        f"{formatting.number(row.reported)} de {formatting.number(row.commitments)}",
        help="Parte del peso de los compromisos activos que tiene al menos un reporte de avance.",
    )
    financial, committed, executed, overdue = st.columns(4, gap="small")
    kpi(financial, "Avance financiero", formatting.percent(row.financial_progress), "del presupuesto")
    kpi(committed, "Comprometido", formatting.millions(row.budget_cop), "millones de pesos")
    kpi(
        executed,
        "Ejecutado",
        formatting.millions(row.budget_executed_cop),
        "millones de pesos",
        help=f"Ejecutado según los reportes: {formatting.money(row.budget_executed_cop)} de "
        f"{formatting.money(row.budget_reported_cop)} comprometidos en los compromisos que reportan ejecución.",
    )
    kpi(
        overdue,
        "Vencidos",
        formatting.number(row.overdue),
        help="Compromisos cuya fecha de entrega ya pasó y que no están cumplidos.",
    )


STATE_CARDS = (
    ("Cumplidos", "cumplido"),
    ("Al día", "al día"),
    ("Con retraso", "con retraso"),
    ("Críticos", "crítico"),
    ("Sin reporte", "sin reporte"),
)


def state_cards(row: pd.Series) -> None:
    """Active commitments by semáforo state, plus the cancelled ones, as cards labelled in words."""
    cards: list[tuple[str, Any, str | None]] = [(label, row[f"n_{status}"], status) for label, status in STATE_CARDS]
    cards.append(("Cancelados", row.cancelled, None))
    for chunk in (cards[:4], cards[4:]):  # labels stay whole on a 1280 px projector
        for column, (label, value, status) in zip(st.columns(4, gap="small"), chunk, strict=False):
            share = formatting.percent(value / row.commitments * 100 if row.commitments else None, 0)
            kpi(column, label, formatting.number(value), f"{share} del total" if status else None, status=status)


def no_match_notice(*, filtered: bool) -> None:
    """Nothing to show: because of the filters, or because the plan has no active commitment yet."""
    if filtered:
        st.info("Ningún compromiso coincide con los filtros elegidos. Cambie o quite filtros en la barra lateral.")
    else:
        st.info(
            "Todavía no hay compromisos activos en el plan a esta fecha de corte. Cárguelos con el «Libro del plan» "
            "o agréguelos en «Administrar el plan»."
        )


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$:])")


def md(text: object) -> str:
    """Text from the database or an uploaded file, made inert for markdown: no links, images, emphasis or
    ``:color[...]`` directives (an image would be a network request; a link, a trap on the projector)."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(text))
