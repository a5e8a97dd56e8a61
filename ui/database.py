"""The plan database as the app sees it: one engine per database URL (upgraded, with demo data on first start),
and the tiny state every run reads first (data version, demo flag)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import streamlit as st
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from core import db
from core.demo.plan import demo_as_of, ensure_database


@st.cache_resource(show_spinner="Preparando la base de datos del plan…")
def engine_for(url: str) -> Engine:
    engine = db.make_engine(url)
    ensure_database(engine)  # schema upgrades always; demo data only when the plan is empty
    return engine


def engine() -> Engine:
    """The plan database, upgraded and ready; stops the page with a Spanish message if it cannot be used."""
    try:
        return engine_for(db.database_url())
    except db.DatabaseUnavailable as exc:
        st.error(f"No se puede abrir la base de datos del plan. {exc}")
    except SQLAlchemyError as exc:  # e.g. a schema upgrade that failed: it was rolled back, nothing changed
        st.error(
            "No se pudo preparar la base de datos del plan; no se cambió nada. "
            "Avise a la persona que administra el tablero y muéstrele el detalle técnico."
        )
        with st.expander("Detalle técnico"):
            st.code(f"{type(exc).__name__}: {exc}", language=None)
    st.stop()
    raise AssertionError("st.stop() does not return")


@dataclass(frozen=True)
class DatasetInfo:
    version: int
    is_demo: bool
    demo_as_of: date | None  # the demo's own "today", the sensible default cut-off while it is loaded


def dataset_info() -> DatasetInfo:
    """Read on every run (tiny queries), so a write anywhere invalidates every page's cache at once."""
    with Session(engine()) as session:
        return DatasetInfo(db.data_version(session=session), db.is_demo(session=session), demo_as_of(session=session))
