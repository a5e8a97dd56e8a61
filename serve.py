"""The server: ``streamlit run serve.py``. It serves the router app.py, plus the two small HTTP routes that set
and clear the login cookie, and switches off Streamlit's legacy pages/ folder mode before the first visit (both
explained in ui/session_cookie.py)."""

import streamlit as st

from ui import session_cookie

app = st.App("app.py", routes=session_cookie.routes(), lifespan=session_cookie.lifespan)
