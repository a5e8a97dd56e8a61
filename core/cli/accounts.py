"""``python -m core user …``, ``backup`` and ``restore``: parse, call core.accounts / core.backup, print."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

from core import backup, db, formatting
from core.access import accounts

CLI_USER = "línea de comandos"


def read_password(prompt: str = "Clave: ") -> str:
    """Prompted twice without echo on a terminal; otherwise the first line of standard input (for scripts)."""
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if getpass.getpass("Repita la clave: ") != first:
        raise accounts.AccountRefused("Las dos claves no coinciden; no se cambió nada.")
    return first


def add_user(name: str, role: str) -> int:
    password = read_password()
    with db.transaction(db.make_engine()) as session:
        account = accounts.create_user(session=session, username=name, password=password, role=role, by=CLI_USER)
    print(f"Usuario «{account.username}» creado con el rol {account.role}.")
    return 0


def list_users() -> int:
    with db.transaction(db.make_engine()) as session:
        users = accounts.list_users(session=session)
    if not users:
        print("No hay usuarios. Cree el primero con: python -m core user add NOMBRE --role admin")
    for user in users:
        state = "activo" if user.active else "desactivado"
        print(f"{user.username:<30} {user.role:<12} {state:<12} creado el {formatting.day(user.created_at)}")
    return 0


def change_password(name: str) -> int:
    password = read_password("Clave nueva: ")
    with db.transaction(db.make_engine()) as session:
        accounts.set_password(session=session, username=name, password=password, by=CLI_USER)
    print(f"Clave de «{accounts.normalized_username(name)}» cambiada.")
    return 0


def set_active(name: str, *, active: bool) -> int:
    with db.transaction(db.make_engine()) as session:
        accounts.set_active(session=session, username=name, active=active, by=CLI_USER)
    print(f"Usuario «{accounts.normalized_username(name)}» {'activado' if active else 'desactivado'}.")
    return 0


def make_backup(file: str | None) -> int:
    target = Path(file) if file else db.PROJECT_ROOT / "data" / "copias" / backup.default_backup_name()
    written = backup.backup_to(db.make_engine(), target)
    print(f"Copia de seguridad escrita en {written} ({formatting.number(written.stat().st_size)} bytes).")
    return 0


def restore(file: str, *, yes: bool) -> int:
    engine = db.make_engine()
    revision = backup.backup_revision(Path(file))  # refuse a wrong file before asking anything
    if not yes:
        print(f"Se reemplazará TODA la base de datos {db.safe_url(engine.url)} por {file} (revisión {revision}).")
        print("Antes se guarda una copia de la base actual junto a ella.")
        if not sys.stdin.isatty():
            print("Error: confirme con --yes cuando no hay una terminal.", file=sys.stderr)
            return 1
        if input("Escriba SI para continuar: ").strip().upper() != "SI":
            print("No se cambió nada.")
            return 1
    kept = backup.restore(engine, Path(file), user=CLI_USER)
    print(f"Base de datos restaurada desde {file}. La base reemplazada quedó en {kept}.")
    return 0
