"""Administrar el plan: create, fix, archive, delete and merge plan records without Excel (coordinators)."""

from datetime import date

import streamlit as st

from core import formatting
from core.models import STAGES
from core.plan import edit, merge
from core.refusals import Refused
from ui import plan_admin
from ui.access import COORDINATOR, require_role
from ui.components import md
from ui.state import NOT_WRITTEN, write
from ui.tables import show_grid

require_role(COORDINATOR)

NEW = "__nuevo__"

st.title("Administrar el plan")
if done := st.session_state.pop("last_admin", None):
    st.success(done)
st.caption(
    "Agregue, corrija, archive o fusione registros del plan aquí mismo, con las mismas reglas del libro del plan. "
    "Cada cambio queda en la bitácora (quién, cuándo, antes y después) y se ve al instante en todos los tableros."
)


def today() -> date:
    """The day in Colombia: archive dates are the coordinator's day, not the server's."""
    return formatting.colombia_today()


def stage_refusals(refused: Refused) -> None:
    st.error("No se guardó ninguna etapa: corrija estas filas.")
    for where, message in plan_admin.refusal_errors(refused).items():
        st.error(md(f"{where}: {message}"))


def saved(message: str) -> None:
    st.session_state["last_admin"] = message
    st.rerun()


catalog: str = st.selectbox(
    "Catálogo", edit.CATALOGS, format_func=plan_admin.CATALOG_LABELS.__getitem__, key="admin_catalog"
)
frame = plan_admin.records(catalog)
noun = edit.sheet_of(catalog).noun
record_key = f"admin_record_{catalog}"  # one per catalog: its options differ
edit_tab, archive_tab, merge_tab, stages_tab = st.tabs(
    ["Crear o editar", "Archivar o borrar", "Fusionar actores o proyectos", "Etapas de proyectos en bloque"]
)

with edit_tab:
    found = plan_admin.search(plan_admin.for_grid(catalog, frame), st.text_input("Buscar", key="admin_search"))
    st.caption(f"{formatting.number(len(found))} de {formatting.number(len(frame))} registros.")
    show_grid(found, plan_admin.grid_columns(catalog, found), key=f"admin_grid_{catalog}", height=300)
    choices = plan_admin.labels(frame)
    if pending := st.session_state.pop("admin_select_next", None):
        st.session_state[record_key] = pending
    options = ([] if catalog == edit.FIXED else [NEW]) + list(choices)
    if st.session_state.get(record_key) not in options:
        st.session_state.pop(record_key, None)
    code = st.selectbox(
        "Registro",
        options,
        format_func=lambda c: f"+ Nuevo: {noun}" if c == NEW else choices[c],
        key=record_key,
    )
    current = {} if code in (NEW, None) else plan_admin.record(catalog, code)
    references = {
        target: plan_admin.labels(plan_admin.records(target), active_only=True)
        for target in {c.target for c in edit.form_columns(catalog) if c.target}
    }
    prefix = f"admin_{catalog}_{code}"
    with st.form(f"{prefix}_form"):
        values, slots = {}, {}
        for column in edit.form_columns(catalog):
            if catalog == edit.FIXED and column.field == "code":
                st.text_input(column.header, value=current.get("code", ""), disabled=True, key=f"{prefix}_code")
                continue
            values[column.field] = plan_admin.field_input(
                column, current.get(column.field), f"{prefix}_{column.field}", references
            )
            slots[column.field] = st.empty()
        for link in edit.LINKS.get(catalog, ()):
            had = current.get(link.field, [])
            linked = plan_admin.labels(plan_admin.records(link.target), active_only=True, keep=had)
            values[link.field] = st.multiselect(
                link.label,
                list(linked),
                default=[c for c in had if c in linked],
                format_func=linked.__getitem__,
                key=f"{prefix}_{link.field}",
                placeholder=link.when_blank,
            )
            slots[link.field] = st.empty()
        st.caption("Los campos con \\* son obligatorios. Un número en blanco queda sin dato, nunca en cero.")
        if st.form_submit_button("Guardar", type="primary"):
            code_saved = write(
                edit.save_record,
                catalog=catalog,
                values=values,
                code=None if code == NEW else code,
                refused=lambda refused: plan_admin.show_errors(refused, slots),
            )
            if code_saved is not NOT_WRITTEN:
                for key in [k for k in st.session_state if str(k).startswith(f"admin_{catalog}_{NEW}_")]:
                    del st.session_state[key]  # the next «Nuevo» form starts empty
                st.session_state["admin_select_next"] = code_saved
                saved(f"Se guardó «{md(code_saved)}». Todos los tableros ya lo muestran.")

    if catalog == edit.PROJECTS:
        plan_admin.stage_rules()

with archive_tab:
    if catalog == edit.FIXED:
        st.info("Los 13 barrios de la comuna son fijos: no se archivan ni se borran.")
    elif not choices:
        st.info("Este catálogo no tiene registros.")
    else:
        target = st.selectbox(
            "Registro por archivar, restaurar o borrar",
            list(choices),
            format_func=choices.__getitem__,
            key=f"admin_archive_record_{catalog}",
        )
        is_archived = plan_admin.record(catalog, target).get(edit.ARCHIVED) is not None
        may_archive = edit.archivable(catalog)
        used = plan_admin.history(catalog, target)
        if used:
            listed = ", ".join(f"{formatting.number(n)} {label}" for label, n in used.items())
            st.caption(md(f"Tiene historia ({listed}): se puede archivar, no borrar."))
        else:
            st.caption("No tiene historia: se puede borrar.")
        left, right = st.columns(2)
        # A refusal (another coordinator changed the record meanwhile) is shown as it is, with no prefix.
        if is_archived and left.button("Restaurar", key="admin_restore"):
            restored = write(edit.restore_record, catalog=catalog, code=target, failure="")
            if restored is not NOT_WRITTEN:
                saved(f"«{md(target)}» vuelve a estar activo.")
        can_archive = may_archive and not is_archived
        if can_archive and left.button("Archivar", key="admin_archive", help="Lo oculta de los tableros"):
            archived = write(edit.archive_record, catalog=catalog, code=target, on=today(), failure="")
            if archived is not NOT_WRITTEN:
                saved(f"«{md(target)}» quedó archivado: ya no aparece en los tableros; sigue en el libro del plan.")
        if not used:
            sure = right.checkbox(f"Confirmo que quiero borrar «{md(target)}» para siempre", key="admin_delete_sure")
            if right.button("Borrar", disabled=not sure, key="admin_delete"):
                deleted = write(edit.delete_record, catalog=catalog, code=target, failure="")
                if deleted is not NOT_WRITTEN:
                    saved(f"«{md(target)}» se borró.")

with merge_tab:
    kind = st.radio(
        "Fusionar", merge.MERGEABLE, format_func=plan_admin.CATALOG_LABELS.__getitem__, horizontal=True,
        key="admin_merge_kind",
    )  # fmt: skip
    candidates = plan_admin.labels(plan_admin.records(kind), active_only=True)
    st.caption(
        "Para dos registros que son el mismo (p. ej. dos escrituras de una JAC): todo lo del segundo pasa al primero "
        "y el segundo se archiva. Se puede deshacer."
    )
    if len(candidates) < 2:
        st.info("Hacen falta al menos dos registros activos.")
    else:
        keep_col, drop_col = st.columns(2)
        keep = keep_col.selectbox("Se conserva", list(candidates), format_func=candidates.__getitem__, key="merge_keep")
        others = [c for c in candidates if c != keep]
        drop = drop_col.selectbox("Se archiva", others, format_func=candidates.__getitem__, key="merge_drop")
        preview = plan_admin.merge_preview(kind, keep, drop)
        show_grid(preview.table(), plan_admin.MERGE_COLUMNS, key="merge_preview")
        # The confirmation belongs to this pair: if the lists change under the coordinator (someone archived one of
        # the two), the choice moves to another pair and must be confirmed again.
        sure = st.checkbox(f"Confirmo que «{md(drop)}» y «{md(keep)}» son el mismo", key=f"merge_sure_{keep}_{drop}")
        clicked = st.button("Fusionar", type="primary", disabled=not sure, key="merge_apply")
        if clicked and not sure:
            st.warning("La lista de registros cambió mientras tanto: revise la fusión y confírmela de nuevo.")
        elif clicked:
            # someone may have archived one of the two since the page was drawn: a refusal, shown
            merge_done = write(merge.merge_records, catalog=kind, keep=keep, drop=drop, on=today(), failure="")
            if merge_done is not NOT_WRITTEN:
                saved(f"«{md(drop)}» se fusionó en «{md(keep)}» y quedó archivado.")
    done_merges = plan_admin.merges()
    open_merges = done_merges.loc[~done_merges.undone]
    if not open_merges.empty:
        st.subheader("Deshacer una fusión")
        merged = dict(zip(open_merges.entry_id, open_merges.merged, strict=True))
        entry = st.selectbox("Fusión", list(merged), format_func=lambda e: f"N.º {e} · {merged[e]}", key="merge_undo")
        if st.button("Deshacer la fusión", key="merge_undo_apply"):
            undone = write(merge.undo_merge, entry_id=int(entry), failure="")
            if undone is not NOT_WRITTEN:
                saved(f"Se deshizo la fusión «{md(merged[entry])}».")

with stages_tab:
    plan_admin.stage_rules()
    projects = plan_admin.records(edit.PROJECTS)
    projects = projects.loc[projects[edit.ARCHIVED].isna(), ["code", "name", "stage"]].reset_index(drop=True)
    edited = st.data_editor(
        projects,
        column_config={
            "code": st.column_config.TextColumn("Código", disabled=True),
            "name": st.column_config.TextColumn("Proyecto", disabled=True),
            "stage": st.column_config.SelectboxColumn("Etapa", options=list(STAGES), required=True),
        },
        hide_index=True,
        num_rows="fixed",
        key="admin_stages",
    )
    changes = {
        code: {"stage": new}
        for code, old, new in zip(projects.code, projects.stage, edited.stage, strict=True)
        if old != new
    }
    st.caption(f"{formatting.number(len(changes))} cambios sin guardar.")
    if st.button("Guardar las etapas", type="primary", disabled=not changes, key="admin_stages_save"):
        count = write(edit.update_many, catalog=edit.PROJECTS, changes=changes, refused=stage_refusals)
        if count is not NOT_WRITTEN:
            saved(f"Se guardaron {formatting.number(count)} etapas.")
