"""Informes y boletín: one printable page per barrio or actor, a bulletin of the whole plan for a period, and a
plain-text summary for WhatsApp or e-mail. No personal data in any of them."""

import streamlit as st

from core import formatting, views
from core.views import PackFiles
from ui.filters import barrio_options, cut_off_date, period_start
from ui.state import read


def deliver(pack: PackFiles, *, file_stem: str, key: str) -> None:
    """The summary to copy, the two downloads and a preview of the printable page."""
    st.markdown("**Resumen para WhatsApp o correo** (botón de copiar arriba a la derecha del recuadro)")
    st.code(pack.summary, language=None, wrap_lines=True)
    html = pack.html
    page, data = st.columns(2)
    page.download_button(
        "Descargar página para imprimir (.html)",
        html,
        file_name=f"{file_stem}.html",
        mime="text/html",
        icon=":material/print:",
        key=f"{key}_html",
        width="stretch",
    )
    data.download_button(
        "Descargar los datos (.xlsx)",
        pack.xlsx,
        file_name=f"{file_stem}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table:",
        key=f"{key}_xlsx",
        width="stretch",
    )
    st.caption(
        "La página se abre sin internet en cualquier navegador; para imprimirla en A4 use «Imprimir» (Ctrl+P). "
        "No incluye datos personales de contacto."
    )
    with st.expander("Vista previa de la página", expanded=False):
        st.iframe(html, height=900)  # our own template: every value in it is escaped text, no script


st.title("Informes y boletín")
on = cut_off_date()
view = read(views.plan_view, on=on)
st.caption(
    f"Para mantener informado a cada actor y a cada barrio · corte al {formatting.long_day(on)} · sin datos personales"
)


def barrio_report() -> None:
    barrios = barrio_options(view.snapshot.barrios)
    code = st.selectbox("Barrio", list(barrios), format_func=barrios.__getitem__, key="informe_barrio")
    deliver(
        read(views.pack_files, on=on, scope="barrio", key=code),
        file_stem=f"informe_barrio_{code}_{on.isoformat()}",
        key="barrio",
    )


def actor_report() -> None:
    actors = read(views.view_table, on=on, name="actors")
    actors = actors.loc[actors.commitments + actors.cancelled > 0].sort_values("name")
    names = dict(zip(actors.key, actors.name, strict=True))
    if not names:
        st.info("Ningún actor tiene compromisos todavía.")
        return
    code = st.selectbox("Actor", list(names), format_func=names.__getitem__, key="informe_actor")
    deliver(
        read(views.pack_files, on=on, scope="actor", key=code),
        file_stem=f"informe_actor_{code}_{on.isoformat()}",
        key="actor",
    )


def plan_report() -> None:
    since, _ = period_start(on, label="Desde", key="boletin_desde")
    st.caption(f"Periodo: del {formatting.day(since)} al {formatting.day(on)} (fecha de corte).")
    stem = f"boletin_plan_{since.isoformat()}_{on.isoformat()}"
    deliver(read(views.pack_files, on=on, scope="plan", since=since), file_stem=stem, key="boletin")


def institution_report() -> None:
    year = st.number_input("Año", min_value=2000, max_value=2100, value=on.year, step=1, key="informe_anio")
    st.caption("Hitos con su acto y su evidencia, Presupuesto Participativo por línea y cobertura por Secretaría.")
    files = read(views.institution_report_files, on=on, year=int(year))
    deliver(files, file_stem=f"informe_institucionalizacion_{int(year)}", key="institucion")


# Only the open tab is built (each renders a whole pack); the tab is in the address, so a link opens it.
TABS = {
    "Por barrio": barrio_report,
    "Por actor": actor_report,
    "Boletín del plan": plan_report,
    "Institucionalización (anual)": institution_report,
}
for tab, build in zip(st.tabs(list(TABS), key="informe", bind="query-params"), TABS.values(), strict=True):
    if tab.open:
        with tab:
            build()
