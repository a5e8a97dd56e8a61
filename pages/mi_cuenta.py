"""Mi cuenta: who is logged in, and a form to change one's own password."""

import streamlit as st

from core.access import accounts
from ui.access import COORDINATOR, current_role, current_user_name, renew_login, require_role
from ui.components import md
from ui.state import NOT_WRITTEN, write

require_role(COORDINATOR)
st.title("Mi cuenta")
if done := st.session_state.pop("last_account_change", None):
    st.success(done)
st.write(f"Usuario: **{md(current_user_name())}** · rol: {accounts.ROLE_LABELS.get(current_role(), current_role())}")
st.subheader("Cambiar la clave")
with st.form("own_password_form", clear_on_submit=True):
    current = st.text_input("Clave actual", type="password", key="own_current")
    new = st.text_input(f"Clave nueva (al menos {accounts.MIN_PASSWORD_LENGTH} caracteres)", type="password",
                        key="own_new")  # fmt: skip
    repeated = st.text_input("Repita la clave nueva", type="password", key="own_repeat")
    submitted = st.form_submit_button("Cambiar la clave", type="primary")
if submitted:
    if new != repeated:
        st.error("Las dos claves nuevas no coinciden; no se cambió nada.")
    else:
        changed = write(
            accounts.change_own_password,
            username=current_user_name(),
            current=current,
            new=new,
            failure="No se cambió la clave.",
        )
        if changed is not NOT_WRITTEN:
            if changed:  # the new password ended every login of the account, this one included
                renew_login()
                st.session_state["last_account_change"] = "Clave cambiada."
                st.rerun()
            st.error("La clave actual no es correcta; no se cambió nada.")
