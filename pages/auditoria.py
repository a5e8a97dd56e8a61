"""Auditoría: every write (who, when, what, before and after), filtered, with an .xlsx export."""

from datetime import date, timedelta

import streamlit as st

from core import formatting, views
from core.audit import table_label
from core.excel.writing import Sheet
from core.tables import Column, Kind
from ui.access import ADMIN, require_role
from ui.state import read
from ui.tables import download_xlsx, show_grid

require_role(ADMIN)

ANY = "— Todos —"
LIMIT = 5_000
COLUMNS = [
    Column("id", "Número", Kind.INTEGER),
    Column("moment", "Momento (hora de Colombia)"),
    Column("user_name", "Usuario"),
    Column("action", "Acción"),
    Column("table_label", "Tabla"),
    Column("row_id", "Fila"),
    Column("before", "Antes"),
    Column("after", "Después"),
    Column("import_batch_id", "Carga", Kind.INTEGER),
]

st.title("Auditoría")
st.caption(
    "La bitácora guarda cada cambio: quién, cuándo, qué tabla y fila, y los valores antes y después (en JSON). "
    "Las claves nunca se guardan en ella."
)
choices = read(views.audit_choices)
since_column, until_column, user_column, action_column, table_column = st.columns(5)
today = formatting.colombia_today()
since = since_column.date_input("Desde", value=today - timedelta(days=90), format="DD/MM/YYYY", key="audit_since")
until = until_column.date_input("Hasta", value=today, format="DD/MM/YYYY", key="audit_until")
user = user_column.selectbox("Usuario", [ANY, *choices["user_name"]], key="audit_user")
action = action_column.selectbox("Acción", [ANY, *choices["action"]], key="audit_action")
table = table_column.selectbox(
    "Tabla",
    [ANY, *choices["table_name"]],
    format_func=lambda name: ANY if name == ANY else table_label(name),
    key="audit_table",
)
entries = read(
    views.audit_entries,
    since=since if isinstance(since, date) else None,
    until=until if isinstance(until, date) else None,
    user=None if user == ANY else user,
    action=None if action == ANY else action,
    table_name=None if table == ANY else table,
    limit=LIMIT,
)
if entries.empty:
    st.info("Ningún cambio coincide con los filtros.")
    st.stop()
entries = entries.assign(moment=entries["at"].map(formatting.moment), table_label=entries.table_name.map(table_label))
shown = formatting.number(len(entries))
st.caption(f"{shown} cambios" + (f" (los {formatting.number(LIMIT)} más recientes)" if len(entries) == LIMIT else ""))
show_grid(entries, COLUMNS, key="grid_audit", height=520)
download_xlsx([Sheet("Bitácora", entries, COLUMNS)], file_name="auditoria", key="download_audit")
