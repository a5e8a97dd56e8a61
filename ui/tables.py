"""Tables as the user reads them: Spanish headers, es-CO formatted values, no index, no English toolbar."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
import streamlit as st


@dataclass(frozen=True)
class Column:
    source: str  # column of the frame
    header: str  # Spanish header shown
    format: Callable[[Any], str] | None = None  # e.g. formatting.percent; None shows the value as it is


def for_display(frame: pd.DataFrame, columns: Sequence[Column]) -> pd.DataFrame:
    return pd.DataFrame({c.header: frame[c.source].map(c.format) if c.format else frame[c.source] for c in columns})


def show_table(frame: pd.DataFrame, columns: Sequence[Column]) -> None:
    """A static table: formatted text would sort as text in an interactive grid, and this reads well projected."""
    st.table(for_display(frame, columns), hide_index=True)
