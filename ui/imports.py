"""The upload flow's state: one validation per file (and per set of confirmed suggestions), with a progress bar."""

from __future__ import annotations

import hashlib
from datetime import date

import streamlit as st
from sqlmodel import Session

from core import formatting
from core.uploads.attendance import AttendancePreview, attendance_template, validate_attendance
from core.uploads.plan_workbook import PlanImportPreview, export_plan, validate_plan_workbook
from core.uploads.progress import ImportPreview, validate_progress
from core.uploads.progress_workbooks import error_workbook, progress_template
from ui.state import dataset_info, engine

PREVIEW_KEY = "upload_preview"
CONFIRMED_KEY = "confirmed_rows"  # {file sha256: {Excel row: commitment code}}
UPLOAD_SHA_KEY = "upload_sha"
UPLOADER_GENERATION = "uploader_generation"


def reference_day() -> date:
    """Today; while the demo is loaded, the demo's own date (its reports never reach the real today)."""
    return dataset_info().demo_as_of or formatting.colombia_today()


def uploader_key() -> str:
    """Changing the key empties the file uploader after an apply or a cancel."""
    return f"progress_upload_{st.session_state.get(UPLOADER_GENERATION, 0)}"


def reset_upload() -> None:
    st.session_state[UPLOADER_GENERATION] = st.session_state.get(UPLOADER_GENERATION, 0) + 1
    st.session_state.pop(CONFIRMED_KEY, None)
    st.session_state.pop(PREVIEW_KEY, None)


def preview_upload(data: bytes, file_name: str) -> ImportPreview:
    """Validate once per (file, confirmed suggestions, data version); reruns reuse the result."""
    sha = hashlib.sha256(data).hexdigest()
    confirmed: dict[int, str] = st.session_state.get(CONFIRMED_KEY, {}).get(sha, {})  # this file's choices only
    st.session_state[UPLOAD_SHA_KEY] = sha
    key = (sha, tuple(sorted(confirmed.items())), dataset_info().version)
    cached = st.session_state.get(PREVIEW_KEY)
    if cached and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    bar = st.progress(0.0, text="Leyendo el archivo…")
    try:
        with Session(engine()) as session:
            preview = validate_progress(
                session=session,
                data=data,
                file_name=file_name,
                today=max(formatting.colombia_today(), reference_day()),
                confirmed=confirmed,
                progress=lambda share, text: bar.progress(share, text=text),
            )
    finally:
        bar.empty()
    st.session_state[PREVIEW_KEY] = (key, preview)
    return preview


def confirm_rows(chosen: dict[int, str]) -> None:
    sha = st.session_state.get(UPLOAD_SHA_KEY, "")
    by_file = st.session_state.get(CONFIRMED_KEY, {})
    st.session_state[CONFIRMED_KEY] = {sha: {**by_file.get(sha, {}), **chosen}}


def error_workbook_bytes() -> bytes:
    cached = st.session_state.get(PREVIEW_KEY)
    return error_workbook(cached[1]) if cached else b""


def progress_template_bytes(actor_code: str | None, line_code: str | None) -> bytes:
    with Session(engine()) as session:
        return progress_template(session=session, on=reference_day(), actor_code=actor_code, line_code=line_code)


PLAN_PREVIEW_KEY = "plan_upload_preview"
PLAN_UPLOADER_GENERATION = "plan_uploader_generation"


def plan_uploader_key() -> str:
    return f"plan_upload_{st.session_state.get(PLAN_UPLOADER_GENERATION, 0)}"


def reset_plan_upload() -> None:
    st.session_state[PLAN_UPLOADER_GENERATION] = st.session_state.get(PLAN_UPLOADER_GENERATION, 0) + 1
    st.session_state.pop(PLAN_PREVIEW_KEY, None)


def preview_plan_upload(data: bytes, file_name: str, *, allow_deletions: bool) -> PlanImportPreview:
    """Validate the plan workbook once per (file, deletions choice, data version)."""
    key = (hashlib.sha256(data).hexdigest(), allow_deletions, dataset_info().version)
    cached = st.session_state.get(PLAN_PREVIEW_KEY)
    if cached and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    with st.spinner("Revisando el libro del plan…"), Session(engine()) as session:
        preview = validate_plan_workbook(
            session=session, data=data, file_name=file_name, allow_deletions=allow_deletions
        )
    st.session_state[PLAN_PREVIEW_KEY] = (key, preview)
    return preview


def plan_workbook_bytes() -> bytes:
    with Session(engine()) as session:
        return export_plan(session=session)


ATTENDANCE_PREVIEW_KEY = "attendance_upload_preview"
ATTENDANCE_UPLOADER_GENERATION = "attendance_uploader_generation"


def attendance_uploader_key() -> str:
    return f"attendance_upload_{st.session_state.get(ATTENDANCE_UPLOADER_GENERATION, 0)}"


def reset_attendance_upload() -> None:
    st.session_state[ATTENDANCE_UPLOADER_GENERATION] = st.session_state.get(ATTENDANCE_UPLOADER_GENERATION, 0) + 1
    st.session_state.pop(ATTENDANCE_PREVIEW_KEY, None)


def preview_attendance_upload(data: bytes, file_name: str, event_id: int) -> AttendancePreview:
    key = (hashlib.sha256(data).hexdigest(), event_id, dataset_info().version)
    cached = st.session_state.get(ATTENDANCE_PREVIEW_KEY)
    if cached and cached[0] == key:
        return cached[1]  # type: ignore[no-any-return]
    with st.spinner("Revisando la planilla…"), Session(engine()) as session:
        preview = validate_attendance(session=session, data=data, file_name=file_name, event_id=event_id)
    st.session_state[ATTENDANCE_PREVIEW_KEY] = (key, preview)
    return preview


def attendance_template_bytes(event_id: int) -> bytes:
    with Session(engine()) as session:
        return attendance_template(session=session, event_id=event_id)
