"""Ingresar: the login form of local accounts (and single sign-on when it is configured)."""

import streamlit as st

from ui.access import log_in, offer_sso, page_after_login

st.title("Ingresar")
st.caption(
    "Los tableros de seguimiento están abiertos a todos. La coordinación del plan ingresa para cargar avances, "
    "registrar la participación y ver los datos de contacto de los actores."
)
with st.form("login_form", clear_on_submit=True):
    username = st.text_input("Usuario", key="login_user", autocomplete="username")
    password = st.text_input("Clave", type="password", key="login_password", autocomplete="current-password")
    submitted = st.form_submit_button("Ingresar", type="primary")
if submitted:
    if refusal := log_in(username, password):
        st.error(refusal)
    else:
        st.switch_page(page_after_login())
offer_sso()
st.caption("¿Olvidó su clave? Pida a la administración del tablero que le asigne una nueva.")
