"""One upload flow for every Excel contract (progress sheet, attendance sheet, plan workbook), and one review.

A page declares nothing but its contract (``ui.upload_contracts``) and calls ``run_upload``: the file uploader, one
validation per (file, page choices, confirmed suggestions, chosen columns, data version) behind a progress bar — or,
when a required column is not found, the column mapping screen (``ui.column_mapping``) — then the review: counts by
change kind, the problems with their severity, the error workbook, the suggestions to confirm, the changes, the typed
«BORRAR n» of a large deletion, apply and cancel. ``undo_upload`` is the same write for the history page.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, TypeVar

import pandas as pd
import streamlit as st
from sqlmodel import Session
from streamlit.runtime.uploaded_file_manager import UploadedFile

from core import formatting
from core.excel.headers import SHEET_SEPARATOR, ColumnsUnmatched
from core.excel.writing import Sheet
from core.refusals import Refused
from core.tables import Column
from core.uploads.history import undo_batch
from core.uploads.mappings import remember_confirmed
from ui.access import current_role
from ui.column_mapping import chosen_columns
from ui.components import md
from ui.state import NOT_WRITTEN, dataset_info, engine, write
from ui.tables import XLSX_MIME, download_xlsx, show_grid

Preview = TypeVar("Preview")
Report = Callable[[float, str], None]  # (share done 0–1, what is being done) for the progress bar


@dataclass(frozen=True)
class UploadRequest:
    """One validation: the file, the page's own choices and what the coordinator confirmed on screen."""

    data: bytes
    file_name: str
    options: Hashable = None  # the page's choices: the event of an attendance sheet, whether deletions are allowed
    confirmed: Mapping[int, str] = field(default_factory=dict)  # Excel row -> the suggestion chosen for it
    columns: Mapping[str, str] | None = None  # contract header -> file header, chosen on the mapping screen


@dataclass(frozen=True)
class Count:
    label: str
    value: int
    help: str | None = None


@dataclass(frozen=True)
class Review:
    """What the review block shows of one preview, whatever the contract."""

    counts: Sequence[Count]  # one card each: rows by change kind, and the rows held back
    notices: Sequence[str]
    problems: pd.DataFrame  # one row per problem, its severity in «Gravedad»
    errors: int  # problems that hold their row back (or, with ``errors_hold_everything``, the whole file)
    problem_columns: Sequence[Column]
    has_changes: bool
    apply_label: str
    nothing_to_change: str
    changes: pd.DataFrame | None = None  # what applying would change, as the grid shows it
    change_columns: Sequence[Column] = ()
    already_applied: tuple[int, str] | None = None  # (batch number, dd/mm/aaaa) of this same file, applied before
    repeat_warning: str | None = None  # said when that same file would change something again
    errors_hold_everything: bool = False  # one error and nothing is applied (the plan workbook)
    suggestions: Mapping[int, tuple[str, Sequence[tuple[str, str]]]] = field(default_factory=dict)
    # Excel row -> (what the row says, [(code, label)]): rows that match no record exactly, to confirm by hand
    deletion_warning: str | None = None  # a large share of a table would go: applied only after typing «BORRAR n»
    deletions: int = 0


@dataclass(frozen=True)
class UploadContract(Generic[Preview]):
    """How one Excel contract goes through the flow; ``key`` names its widgets and its state."""

    key: str
    kind: str  # the batch kind (``ImportBatch.kind``), under which a confirmed column mapping is remembered
    uploader_label: str
    checking: str  # the progress bar's first words
    validate: Callable[[Session, UploadRequest, Report], Preview]
    review: Callable[[Preview], Review]
    apply: Callable[[Session, Preview, str, bool], str]  # (session, preview, user, deletions confirmed) -> message
    error_workbook: Callable[[Preview], bytes] | None = None  # the file back with each problem cell marked

    def state(self, name: str) -> str:
        return f"{self.key}_upload_{name}"


def plural(count: int, one: str, many: str) -> str:
    return f"{formatting.number(count)} {one if count == 1 else many}"


# ---------------------------------------------------------------------------------------------- state


def uploader_key(contract: UploadContract[Any]) -> str:
    """Changing the key empties the file uploader after an apply or a cancel."""
    return f"{contract.key}_upload_{st.session_state.get(contract.state('generation'), 0)}"


def reset_upload(contract: UploadContract[Any]) -> None:
    generation = contract.state("generation")
    st.session_state[generation] = st.session_state.get(generation, 0) + 1
    for name in ("preview", "confirmed", "columns"):
        st.session_state.pop(contract.state(name), None)


def _file_state(contract: UploadContract[Any], name: str, sha: str) -> dict[Any, Any]:
    """This file's part of a per-file state (a new file starts afresh: its rows are other rows)."""
    return dict(st.session_state.get(contract.state(name), {}).get(sha, {}))


def _set_file_state(contract: UploadContract[Any], name: str, sha: str, value: Mapping[Any, Any]) -> None:
    st.session_state[contract.state(name)] = {sha: dict(value)}


def checked_preview(contract: UploadContract[Preview], upload: UploadedFile, options: Hashable = None) -> Preview:
    """The file validated once per (file, options, confirmed suggestions, chosen columns, data version); reruns
    reuse it. A file lacking a required column stops the page on the mapping screen (``ui.column_mapping``); a file
    that cannot be used at all, with a Spanish message.
    """
    data = upload.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    st.session_state[contract.state("sha")] = sha
    columns = _file_state(contract, "columns", sha).get("columns")
    request = UploadRequest(data, upload.name, options, _file_state(contract, "confirmed", sha), columns)
    chosen = (tuple(sorted(request.confirmed.items())), tuple(sorted((columns or {}).items())))
    key = (sha, options, *chosen, dataset_info().version)
    cached = st.session_state.get(contract.state("preview"))
    if cached and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    # The same file and choices, but the plan changed under the review shown: this run's apply click is not taken.
    st.session_state[contract.state("stale")] = cached is not None and cached[0][:-1] == key[:-1]
    bar = st.progress(0.0, text=contract.checking)

    def report(share: float, text: str) -> None:
        bar.progress(share, text=text)

    try:
        with Session(engine()) as session:
            preview = contract.validate(session, request, report)
    except ColumnsUnmatched as unmatched:  # the coordinator says which column is which, or nothing goes on
        bar.empty()
        mapped = chosen_columns(contract.key, upload.name, unmatched, columns or {})
        if mapped is not None and _remembered(contract, unmatched, mapped):
            _set_file_state(contract, "columns", sha, {"columns": mapped})
            st.rerun()
        st.stop()
    except Refused as exc:  # the file as a whole cannot be used (or the event it names is gone)
        bar.empty()
        st.error(f"No se pudo usar el archivo «{md(upload.name)}». {md(exc)}")
        st.stop()
    bar.empty()
    st.session_state[contract.state("preview")] = (key, preview)
    return preview


def _remembered(contract: UploadContract[Any], unmatched: ColumnsUnmatched, mapped: Mapping[str, str]) -> bool:
    """The mapping just confirmed, kept for files with the same header row (to offer, never to apply silently):
    a file sent back for corrections comes again with it. False when it could not be written (said on the page)."""
    written = write(remember_confirmed, kind=contract.kind, unmatched=unmatched, columns=mapped)
    return written is not NOT_WRITTEN


def _chosen_mapping(contract: UploadContract[Any]) -> dict[str, Any]:
    """{"columns": {contract header: file header}} of this file, if one was chosen."""
    return _file_state(contract, "columns", st.session_state.get(contract.state("sha"), ""))


def _mapping_summary(contract: UploadContract[Any]) -> None:
    """The columns the coordinator chose, in view until the apply, with a way back to the mapping screen."""
    columns = _chosen_mapping(contract).get("columns")
    if not columns:
        return
    pairs = "; ".join(
        f"«{shown}» = «{mine}»" if mine else f"«{shown}»: no está en el archivo"
        for shown, mine in ((header.replace(SHEET_SEPARATOR, " · "), mine) for header, mine in columns.items())
    )
    st.info(
        f"Columnas elegidas por usted: {md(pairs)}. Quedan recordadas para los archivos con este mismo encabezado: "
        "se le ofrecerán para que las confirme."
    )
    if st.button("Elegir otras columnas", key=f"{contract.key}_remap"):
        st.session_state.pop(contract.state("columns"), None)
        st.rerun()


def _confirm_suggestions(contract: UploadContract[Any], chosen: Mapping[int, str]) -> None:
    sha = st.session_state.get(contract.state("sha"), "")
    _set_file_state(contract, "confirmed", sha, {**_file_state(contract, "confirmed", sha), **chosen})


# ---------------------------------------------------------------------------------------------- review


def _problems(contract: UploadContract[Preview], preview: Preview, review: Review, file_name: str) -> None:
    problems, errors = review.problems, review.errors
    errors_text = f"**{plural(errors, 'error', 'errores')}**"
    warnings_text = f"**{plural(len(problems) - errors, 'aviso', 'avisos')}**"
    st.subheader("Observaciones")
    if review.errors_hold_everything:
        tail = " Con errores no se carga nada: corríjalos en el archivo y vuelva a subirlo." if errors else ""
        st.markdown(f"{errors_text} y {warnings_text}.{tail}")
    else:
        st.markdown(f"{errors_text} (la fila no se carga) y {warnings_text} (la fila se carga igual).")
    show_grid(
        problems, review.problem_columns, key=f"{contract.key}_problems", height=min(420, 40 + 35 * len(problems))
    )
    if contract.error_workbook is not None:
        marked = contract.error_workbook
        st.download_button(
            "Descargar el archivo con las celdas marcadas",
            data=lambda: marked(preview),
            file_name=f"observaciones_{file_name.rsplit('.', 1)[0]}.xlsx",
            mime=XLSX_MIME,
            on_click="ignore",
            key=f"{contract.key}_error_workbook",
            help="Sus filas, con cada celda con problema en rojo (error) o amarillo (aviso) y el mensaje en un "
            "comentario.",
        )


def _suggestion_label(labels: Mapping[str, str]) -> Callable[[str | None], str]:
    return lambda code: "— No cargar esta fila —" if code is None else labels[code]


def _suggestions(contract: UploadContract[Any], review: Review) -> None:
    st.subheader("Filas por confirmar")
    st.caption(
        "Estas filas no coinciden exactamente con un registro del plan. Elija el correcto y pulse «Revisar de nuevo»."
    )
    with st.form(f"{contract.key}_suggestions"):
        chosen: dict[int, str] = {}
        for row, (typed, options) in review.suggestions.items():
            choice = st.selectbox(
                f"Fila {row}" + (f": «{md(typed)}»" if typed else ""),  # a typed cell is text, not markdown
                [None, *(code for code, _ in options)],
                format_func=_suggestion_label(dict(options)),
                key=f"{contract.key}_suggestion_{row}",
            )
            if choice:
                chosen[row] = choice
        if st.form_submit_button("Revisar de nuevo"):
            _confirm_suggestions(contract, chosen)
            st.rerun()


def _deletions_confirmed(contract: UploadContract[Any], review: Review) -> bool:
    """A second confirmation, typed, before deleting a large share of any table."""
    if not review.deletion_warning:
        return True
    deleted = formatting.number(review.deletions)
    st.warning(md(f"{review.deletion_warning} Revise que sea lo que quiere antes de aplicarlo."))
    typed = st.text_input(f"Para confirmar, escriba «BORRAR {deleted}»", key=f"{contract.key}_confirm_deletions")
    return " ".join(typed.upper().replace(".", "").split()) == f"BORRAR {deleted.replace('.', '')}"


def review_upload(contract: UploadContract[Preview], preview: Preview, file_name: str) -> None:
    """Counts, problems, suggestions, changes; then apply (one transaction) or cancel."""
    review = contract.review(preview)
    _mapping_summary(contract)
    for notice in review.notices:
        st.info(md(notice))
    for column, count in zip(st.columns(len(review.counts)), review.counts, strict=True):
        column.metric(count.label, formatting.number(count.value), border=True, help=count.help)
    if review.already_applied:
        batch_id, when = review.already_applied
        if not review.has_changes:
            st.success(f"Este mismo archivo ya se cargó el {when} (carga número {batch_id}); no trae cambios.")
        elif review.repeat_warning:
            st.warning(f"Este mismo archivo ya se cargó el {when} (carga número {batch_id}). {review.repeat_warning}")
    if len(review.problems):
        _problems(contract, preview, review, file_name)
    if review.suggestions:
        _suggestions(contract, review)
    if review.changes is not None and len(review.changes):
        st.subheader("Revisar y aplicar")
        show_grid(
            review.changes,
            review.change_columns,
            key=f"{contract.key}_changes",
            height=min(420, 40 + 35 * len(review.changes)),
        )
        download_xlsx(
            [
                Sheet("Cambios", review.changes, review.change_columns),
                Sheet("Observaciones", review.problems, review.problem_columns),
            ],
            file_name="revision_carga",
            key=f"{contract.key}_download_review",
        )
    if not review.has_changes:
        if not review.already_applied:
            st.info(review.nothing_to_change)
        st.stop()
    if review.errors_hold_everything and review.errors:
        st.stop()
    confirmed = _deletions_confirmed(contract, review)
    stale = st.session_state.pop(contract.state("stale"), False)
    if stale:
        st.warning(
            "El plan cambió mientras revisaba el archivo (otra carga o una edición): esta es la revisión con el plan "
            "de ahora. Revísela y vuelva a pulsar el botón para aplicarla; no se escribió nada."
        )
    apply_column, cancel_column = st.columns([2, 1])
    clicked = apply_column.button(
        review.apply_label, type="primary", key=f"apply_{contract.key}", disabled=not confirmed
    )
    if clicked and not stale:
        _apply(contract, preview, deletions_confirmed=confirmed)
    if cancel_column.button("Cancelar", key=f"cancel_{contract.key}"):
        reset_upload(contract)
        st.rerun()


def _contract_apply(
    *, session: Session, user: str, contract: UploadContract[Preview], preview: Preview, deletions_confirmed: bool
) -> str:
    return contract.apply(session, preview, user, deletions_confirmed)


def _apply(contract: UploadContract[Preview], preview: Preview, *, deletions_confirmed: bool) -> None:
    with st.spinner("Guardando en una sola operación…"):
        message = write(
            _contract_apply,
            contract=contract,
            preview=preview,
            deletions_confirmed=deletions_confirmed,
            failure="",  # the refusal says it all (e.g. the plan changed since the review: nothing was written)
        )
    if message is NOT_WRITTEN:
        return
    reset_upload(contract)
    st.session_state[contract.state("done")] = message
    st.rerun()


def show_last_apply(contract: UploadContract[Any]) -> None:
    """What the last apply did, once, at the top of the page it reran."""
    if done := st.session_state.pop(contract.state("done"), None):
        st.success(done)


def run_upload(contract: UploadContract[Any], options: Hashable = None) -> None:
    """The whole flow on a page: upload, check, review, apply. Stops the page while there is nothing more to do."""
    upload = st.file_uploader(contract.uploader_label, key=uploader_key(contract))  # no type=: see ui.upload_contracts
    if upload is None:
        st.stop()
    review_upload(contract, checked_preview(contract, upload, options), upload.name)


# ---------------------------------------------------------------------------------------------- undo

UNDONE_KEY = "last_undo"


def undo_upload(batch_id: int) -> None:
    """Undo one batch of any contract in one transaction; a refusal is shown, a success said after the rerun."""
    result = write(undo_batch, batch_id=batch_id, role=current_role(), failure="")
    if result is NOT_WRITTEN:
        return
    st.session_state[UNDONE_KEY] = (
        f"Carga número {result.batch_id} deshecha: {formatting.number(result.deleted)} reportes borrados y "
        f"{formatting.number(result.restored)} restaurados a su valor anterior."
    )
    st.rerun()
