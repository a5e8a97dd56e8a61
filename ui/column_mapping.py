"""The column mapping screen: when a required column of a contract is not found in a file, the coordinator says
which column of the file is which, seeing a few values of each — for a workbook of several sheets (the plan
workbook), sheet by sheet. A mapping remembered from a file with the same header row is only offered
(pre-selected), never applied until confirmed here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd
import streamlit as st

from core.excel.cells import column_letter
from core.excel.headers import ColumnsUnmatched, FileColumn, UnmatchedTable
from ui.components import md

NOT_IN_FILE = "— No está en mi archivo —"


def _label(column: FileColumn) -> str:
    samples = " · ".join(column.samples) if column.samples else "sin valores"
    return f"{column_letter(column.index)} · {column.header} — {samples}"


def file_columns_table(table: UnmatchedTable) -> pd.DataFrame:
    return pd.DataFrame(
        [(column_letter(c.index), c.header, " · ".join(c.samples)) for c in table.file_columns],
        columns=["Columna", "Encabezado en su archivo", "Primeros valores"],
    )


def _missing_text(unmatched: ColumnsUnmatched) -> str:
    def listed(table: UnmatchedTable) -> str:
        return ", ".join(f"«{name}»" for name in table.missing)

    if len(unmatched.tables) == 1 and unmatched.tables[0].sheet is None:
        return f"no se encontraron las columnas {listed(unmatched.tables[0])} de la plantilla"
    sheets = "; ".join(f"en la hoja «{table.sheet}», {listed(table)}" for table in unmatched.tables)
    return f"no se encontraron las columnas obligatorias {sheets}"


def _table_choices(key: str, first: int, table: UnmatchedTable, before: Mapping[str, str]) -> dict[str, str]:
    """One select per missing column of ``table`` ({key of the contract header: file header}, "" for a column the
    file does not have); ``first`` numbers the selects across tables."""
    if table.sheet:
        st.markdown(f"**Hoja «{md(table.sheet)}»**")
    st.table(file_columns_table(table), hide_index=True)
    by_header = {column.header: column for column in table.file_columns}
    options: list[str | None] = [None, *by_header]
    chosen: dict[str, str] = {}
    for position, contract_header in enumerate(table.missing, start=first):
        offered = before.get(table.key(contract_header), (table.remembered or {}).get(contract_header))
        choice = st.selectbox(
            md(f"{table.sheet} · {contract_header}" if table.sheet else contract_header),
            options,
            index=options.index(offered) if offered in by_header else 0,
            format_func=lambda header: NOT_IN_FILE if header is None else _label(by_header[header]),
            key=f"{key}_column_{position}",
            placeholder="Elija una columna",  # Streamlit's own is English
        )
        chosen[table.key(contract_header)] = choice or ""
    return chosen


def chosen_columns(
    key: str, file_name: str, unmatched: ColumnsUnmatched, chosen_before: Mapping[str, str]
) -> dict[str, str] | None:
    """The screen; returns {contract header (or «Hoja:encabezado»): file header} once the coordinator confirms it
    (None until then). A blank file header is a column the coordinator said the file does not have."""
    st.warning(
        f"En «{md(file_name)}» {md(_missing_text(unmatched))}. Indique qué columna de su archivo trae cada una; se "
        "recordará para los archivos con el mismo encabezado, y nada se carga hasta que revise la carga y la aplique."
    )
    if any(table.remembered for table in unmatched.tables):
        st.info(
            "Para un archivo con este mismo encabezado ya se eligieron antes las columnas que aparecen abajo. "
            "Revíselas y confírmelas (o cámbielas) antes de seguir."
        )
    with st.form(f"{key}_columns"):
        chosen: dict[str, str] = {}
        for table in unmatched.tables:
            chosen |= _table_choices(key, len(chosen), table, chosen_before)
        confirmed = st.form_submit_button("Usar estas columnas", type="primary")
    if not confirmed:
        return None
    if not any(chosen.values()):
        st.error("Elija al menos una columna de su archivo.")
        return None
    repeated = sorted({f"«{header}»" for table in unmatched.tables for header in _repeated(table.own(chosen).values())})
    if repeated:
        st.error(
            "Una columna de su archivo no puede ser dos columnas de la plantilla: " + md(", ".join(repeated)) + "."
        )
        return None
    return {**chosen_before, **chosen}


def _repeated(headers: Iterable[str]) -> set[str]:
    listed = [header for header in headers if header]
    return {header for header in listed if listed.count(header) > 1}
