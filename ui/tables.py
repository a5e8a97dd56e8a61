"""Tables on screen, each with its .xlsx download: one column spec (``core.tables.Column``) drives all three.

Two ways to show a table:
- ``show_table``: static es-CO text; for short tables read aloud at an assembly.
- ``show_grid``: sortable, selectable grid with progress bars. Its numbers stay numbers so they sort right; to keep
  them readable in any browser language they are shown without decimals or thousands separators (percentages
  whole, money totals in millions; one-decimal figures and the pesos of single records as es-CO text), and the
  .xlsx download carries the full figures.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any, Literal

import pandas as pd
import streamlit as st

from core import formatting
from core.excel.writing import Sheet, xlsx_bytes
from core.tables import Column, Kind, for_display, formatted

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MILLION = 1_000_000


def show_table(frame: pd.DataFrame, columns: Sequence[Column]) -> None:
    st.table(for_display(frame, columns), hide_index=True)


def _grid_column(column: Column) -> tuple[Any, Any]:
    """The grid's config for a column and how its values are transformed for the grid."""
    config = st.column_config
    label, help_text = column.header, column.help
    match column.kind:
        case Kind.PROGRESS:
            return config.ProgressColumn(label, help=help_text, format="%.0f %%", min_value=0, max_value=100), None
        case Kind.PERCENT:
            return config.NumberColumn(label, help=help_text, format="%.0f %%"), None
        case Kind.INTEGER:
            return config.NumberColumn(label, help=help_text, format="%.0f"), None
        case Kind.DECIMAL | Kind.PESOS:  # es-CO text: a grid number would show the browser's marks
            return config.TextColumn(label, help=help_text), lambda values: values.map(
                lambda value: formatted(value, column.kind)
            )
        case Kind.MONEY:
            money_help = f"{help_text} " if help_text else ""
            return (
                config.NumberColumn(
                    f"{label} (millones $)", help=f"{money_help}En millones de pesos; el .xlsx trae la cifra exacta."
                ),
                lambda values: (values.astype(float) / MILLION).round(0),
            )
        case Kind.DATE:
            return config.DateColumn(label, help=help_text, format="DD/MM/YYYY"), lambda values: values.map(
                lambda value: formatting.local_date(value) if isinstance(value, date) else None
            )
        case _:
            return config.TextColumn(label, help=help_text), lambda values: values.astype(object).where(
                values.notna(), None
            )


def show_grid(
    frame: pd.DataFrame,
    columns: Sequence[Column],
    *,
    key: str,
    selectable: bool = False,
    height: int | Literal["auto", "stretch", "content"] = "auto",
) -> int | None:
    """A sortable grid; with ``selectable``, returns the position (in ``frame``) of the row the user picked."""
    data: dict[str, Any] = {}
    column_config: dict[str, Any] = {}
    for index, column in enumerate(columns):
        name = f"c{index}"  # positional names: two columns may share a source
        config, transform = _grid_column(column)
        values = frame[column.source].reset_index(drop=True)
        data[name] = transform(values) if transform else values
        column_config[name] = config
    grid = pd.DataFrame(data)
    if not selectable:
        st.dataframe(grid, column_config=column_config, hide_index=True, height=height, key=key)
        return None
    event = st.dataframe(
        grid,
        column_config=column_config,
        hide_index=True,
        height=height,
        key=key,
        on_select="rerun",
        selection_mode="single-row",
    )
    rows = event.selection.rows if event else []
    return int(rows[0]) if rows and int(rows[0]) < len(frame) else None


def download_xlsx(sheets: Sequence[Sheet], *, file_name: str, key: str, about: Mapping[str, str] | None = None) -> None:
    """A download button; the workbook is built only when clicked."""
    st.download_button(
        "Descargar .xlsx",
        data=lambda: xlsx_bytes(sheets, about=about),
        file_name=f"{file_name}.xlsx",
        mime=XLSX_MIME,
        key=key,
        on_click="ignore",
    )


def about_export(on: date, filters_text: str) -> dict[str, str]:
    """The "Acerca de" sheet of every download: what the figures are, as of when, filtered how."""
    return {
        "Tablero": "Plan Estratégico de la Comuna 12 – La América",
        "Fecha de corte": formatting.day(on),
        "Filtros": filters_text,
        "Porcentajes": "El avance se expresa como porcentaje; las celdas vacías no tienen dato (no son cero).",
    }
