"""The column mapping screen: when a required column of a contract is not found in a file, the coordinator says
which column of the file is which, seeing a few values of each. A mapping remembered from a file with the same
header row is only offered (pre-selected), never applied until confirmed here.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd
import streamlit as st

from core.excel.cells import column_letter
from core.excel.headers import ColumnsUnmatched, FileColumn
from ui.components import md

NOT_IN_FILE = "— No está en mi archivo —"


def _label(column: FileColumn) -> str:
    samples = " · ".join(column.samples) if column.samples else "sin valores"
    return f"{column_letter(column.index)} · {column.header} — {samples}"


def file_columns_table(unmatched: ColumnsUnmatched) -> pd.DataFrame:
    return pd.DataFrame(
        [(column_letter(c.index), c.header, " · ".join(c.samples)) for c in unmatched.file_columns],
        columns=["Columna", "Encabezado en su archivo", "Primeros valores"],
    )


def chosen_columns(
    key: str, file_name: str, unmatched: ColumnsUnmatched, chosen_before: Mapping[str, str]
) -> dict[str, str] | None:
    """The screen; returns {contract header: file header} once the coordinator confirms it (None until then)."""
    missing = ", ".join(f"«{name}»" for name in unmatched.missing)
    st.warning(
        f"En «{md(file_name)}» no se encontraron las columnas {md(missing)} de la plantilla. Indique qué columna de "
        "su archivo trae cada una; nada se guarda hasta que revise la carga y la aplique."
    )
    remembered = {**(unmatched.remembered or {}), **chosen_before}
    if unmatched.remembered:
        st.info(
            "Un archivo con este mismo encabezado se cargó antes con las columnas que aparecen elegidas abajo. "
            "Revíselas y confírmelas (o cámbielas) antes de seguir."
        )
    st.table(file_columns_table(unmatched), hide_index=True)
    by_header = {column.header: column for column in unmatched.file_columns}
    options: list[str | None] = [None, *by_header]
    with st.form(f"{key}_columns"):
        chosen: dict[str, str] = {}
        for position, contract_header in enumerate(unmatched.missing):
            before = remembered.get(contract_header)
            choice = st.selectbox(
                md(contract_header),
                options,
                index=options.index(before) if before in by_header else 0,
                format_func=lambda header: NOT_IN_FILE if header is None else _label(by_header[header]),
                key=f"{key}_column_{position}",
                placeholder="Elija una columna",  # Streamlit's own is English
            )
            if choice is not None:
                chosen[contract_header] = choice
        confirmed = st.form_submit_button("Usar estas columnas", type="primary")
    if not confirmed:
        return None
    if not chosen:
        st.error("Elija al menos una columna de su archivo.")
        return None
    repeated = sorted({header for header in chosen.values() if list(chosen.values()).count(header) > 1})
    if repeated:
        st.error(
            "Una columna de su archivo no puede ser dos columnas de la plantilla: "
            + md(", ".join(f"«{header}»" for header in repeated))
            + "."
        )
        return None
    return {**chosen_before, **chosen}
