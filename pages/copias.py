"""Copias de seguridad: download a consistent copy of the database; how to restore one."""

from datetime import datetime

import streamlit as st

from core import backup
from ui.access import ADMIN, require_role
from ui.state import engine

require_role(ADMIN)

st.title("Copias de seguridad")
database = engine()
if database.dialect.name != "sqlite":
    st.info("La base de datos del tablero es PostgreSQL: las copias se hacen en el servidor con pg_dump.")
    st.code(backup.postgres_commands(database), language=None)
    st.stop()
st.write(
    "La copia es una foto coherente de toda la base de datos (plan, reportes, participación, usuarios y bitácora), "
    "tomada aunque otras personas estén usando el tablero. Guárdela fuera de este equipo."
)
st.download_button(
    "Descargar una copia de seguridad (.db)",
    data=lambda: backup.backup_bytes(database),
    file_name=f"tablero-{datetime.now().strftime('%Y%m%d-%H%M')}.db",
    mime="application/vnd.sqlite3",
    type="primary",
    on_click="ignore",
    key="download_backup",
)
st.subheader("Restaurar una copia")
st.markdown(
    """
Restaurar reemplaza **toda** la base de datos, por eso se hace en el equipo donde corre el tablero, desde la
terminal, en la carpeta del proyecto:

```bash
python -m core restore tablero-AAAAMMDD-HHMM.db
```

El comando revisa que el archivo sea una base de este tablero, pide confirmación, guarda una copia de la base actual
junto a ella (`…-antes-de-restaurar-….db`) y actualiza el esquema si la copia es de una versión anterior. También hay
`python -m core backup [ARCHIVO]` para hacer copias desde la terminal (por ejemplo, con una tarea programada).
"""
)
