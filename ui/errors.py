"""What a visitor sees when a page fails: a Spanish apology with a reference, never a traceback.

The traceback goes to the server's log under the same reference, so whoever runs the server can find it from
what a coordinator reads out over the phone.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from core.db import DatabaseBusy
from core.refusals import Refused
from ui.components import md

LOG = logging.getLogger(__name__)
if not LOG.handlers:  # Streamlit's own loggers do not propagate: make sure this one reaches the console
    LOG.addHandler(logging.StreamHandler())


def new_reference() -> str:
    return secrets.token_hex(4)  # eight characters: short enough to dictate, enough to tell a day's errors apart


@contextmanager
def apology_for_errors() -> Iterator[None]:
    """Runs a page; a busy database or any unexpected error becomes a message instead of a crash.

    Streamlit's own stop and rerun signals are BaseExceptions, not Exceptions, so they pass through untouched.
    """
    try:
        yield
    except Exception as error:
        apologize(error)


def apologize(error: Exception) -> None:
    if isinstance(error, DatabaseBusy):  # every write is one transaction: rolled back, the form keeps its values
        st.error(str(error))
        return
    if isinstance(error, Refused):  # a rule said no outside ``ui.state.write``: its reasons, never an apology
        st.error(md(" ".join(error.messages)))
        return
    reference = new_reference()
    LOG.error("Error inesperado en una página (referencia %s)", reference, exc_info=error)
    st.error(
        "Algo salió mal al mostrar esta página. No se guardó nada a medias. Vuelva a intentarlo en un momento; "
        f"si se repite, avise a la administración del tablero con la referencia **{reference}**."
    )


def on_script_error(error: Exception) -> bool:
    """For the server (``st.App``): an error outside a page's own run — a widget callback, the router itself — gets
    the same apology instead of Streamlit's English notice. True: Streamlit shows nothing of its own."""
    apologize(error)
    return True
