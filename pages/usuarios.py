"""Usuarios: local accounts of the coordination and the administration (create, role, password, disable)."""

from collections.abc import Callable
from typing import Any

import pandas as pd
import streamlit as st

from core import formatting, views
from core.access import accounts
from core.tables import Column
from ui.access import ADMIN, require_role
from ui.state import NOT_WRITTEN, read, write
from ui.tables import show_grid

require_role(ADMIN)

COLUMNS = [
    Column("username", "Usuario"),
    Column("role", "Rol"),
    Column("state", "Estado"),
    Column("email", "Correo (ingreso institucional)"),
    Column("created", "Creado"),
]
PASSWORD_HELP = f"Al menos {accounts.MIN_PASSWORD_LENGTH} caracteres; entréguela a la persona por un medio privado."


def run_change(change: str, action: Callable[..., object], **arguments: Any) -> None:
    """Apply one account change (``write``: its own transaction, the admin named); a success note for the next run."""
    if write(action, failure="No se cambió nada.", **arguments) is not NOT_WRITTEN:
        st.session_state["last_user_change"] = change
        st.rerun()


def role_label(role: str) -> str:
    return accounts.ROLE_LABELS.get(role, role)


st.title("Usuarios")
if done := st.session_state.pop("last_user_change", None):
    st.success(done)
st.caption(
    "La coordinación carga avances, registra la participación y ve los datos de contacto; la administración "
    "además gestiona usuarios, la bitácora y las copias de seguridad. El público no necesita cuenta."
)
users = read(views.user_accounts)
table = pd.DataFrame(
    {
        "username": [u.username for u in users],
        "role": [role_label(u.role) for u in users],
        "state": ["activo" if u.active else "desactivado" for u in users],
        "email": [u.email or formatting.BLANK for u in users],
        "created": [formatting.day(u.created_at) for u in users],
    }
)
show_grid(table, COLUMNS, key="grid_users")

st.subheader("Crear un usuario")
with st.form("new_user_form", clear_on_submit=True):
    left, middle, right = st.columns(3)
    name = left.text_input("Usuario", key="new_user_name", help="Letras sin tilde, números, punto o guion.")
    role = middle.selectbox("Rol", accounts.ACCOUNT_ROLES, format_func=role_label, key="new_user_role")
    email = right.text_input("Correo (opcional)", key="new_user_email")
    password = st.text_input("Clave inicial", type="password", key="new_user_password", help=PASSWORD_HELP)
    if st.form_submit_button("Crear el usuario", type="primary"):
        run_change(
            f"Usuario «{accounts.normalized_username(name)}» creado.",
            accounts.create_user,
            username=name,
            password=password,
            role=role,
            email=email,
        )

if users:
    st.subheader("Cambiar un usuario")
    names = [u.username for u in users]
    picked = st.selectbox("Usuario", names, key="edit_user")
    account = next(u for u in users if u.username == picked)
    role_column, state_column = st.columns(2)
    with role_column.form("role_form"):
        new_role = st.selectbox("Rol", accounts.ACCOUNT_ROLES, index=accounts.ACCOUNT_ROLES.index(account.role)
                                if account.role in accounts.ACCOUNT_ROLES else 0, format_func=role_label,
                                key="edit_role")  # fmt: skip
        if st.form_submit_button("Cambiar el rol"):
            run_change(
                f"Rol de «{picked}» cambiado a {role_label(new_role)}.",
                accounts.set_role,
                username=picked,
                role=new_role,
            )
    with state_column:
        st.write(f"Estado: {'activo' if account.active else 'desactivado'}")
        if st.button("Desactivar" if account.active else "Reactivar", key="toggle_user"):
            run_change(
                f"Usuario «{picked}» {'desactivado' if account.active else 'reactivado'}.",
                accounts.set_active,
                username=picked,
                active=not account.active,
            )
    with st.form("reset_password_form", clear_on_submit=True):
        new_password = st.text_input("Clave nueva", type="password", key="reset_password", help=PASSWORD_HELP)
        if st.form_submit_button("Asignar la clave nueva"):
            run_change(
                f"Clave de «{picked}» cambiada.",
                accounts.set_password,
                username=picked,
                password=new_password,
            )
