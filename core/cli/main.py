"""``python -m core``: a thin command line over core/ (parse arguments, call the library, print)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from sqlalchemy import func, select
from sqlmodel import Session, SQLModel
from sqlmodel import select as select_rows

from core import db
from core.access import accounts
from core.cli import rounds, uploads
from core.cli.accounts import add_user, change_password, list_users, make_backup, restore, set_active
from core.demo.plan import install_demo
from core.models import Barrio
from core.refusals import Refused

EXIT_BAD_DATABASE = 2


def table_counts(*, session: Session) -> dict[str, int]:
    return {
        table.name: int(session.scalar(select(func.count()).select_from(table)) or 0)
        for table in SQLModel.metadata.sorted_tables
    }


def info(engine_url: str | None = None) -> dict[str, object]:
    engine = db.make_engine(engine_url)
    with Session(engine) as session:
        revision = db.current_revision(engine)
        counts = table_counts(session=session) if revision else {}
        barrios = (
            [{"code": b.code, "name": b.name} for b in session.exec(select_rows(Barrio).order_by(Barrio.code))]
            if revision
            else []
        )
        return {
            "database_url": db.safe_url(engine.url),
            "schema_revision": revision,
            "head_revision": db.head_revision(),
            "demo_data": db.is_demo(session=session) if revision else False,
            "data_version": db.data_version(session=session) if revision else 0,
            "tables": counts,
            "barrios": barrios,
        }


def _print_info(details: dict[str, object]) -> None:
    print(f"Base de datos: {details['database_url']}")
    print(f"Revisión del esquema: {details['schema_revision'] or 'sin crear'} (última: {details['head_revision']})")
    print(f"Datos de demostración: {'sí' if details['demo_data'] else 'no'}")
    print("Filas por tabla:")
    tables = details["tables"]
    assert isinstance(tables, dict)
    for name, count in tables.items():
        print(f"  {name:<20} {count:>8}")
    barrios = details["barrios"]
    assert isinstance(barrios, list)
    if barrios:
        print("Barrios: " + ", ".join(f"{b['code']} {b['name']}" for b in barrios))


ARGPARSE_MESSAGES = {  # argparse speaks English; the people using this command read Spanish
    "the following arguments are required": "faltan estos argumentos",
    "unrecognized arguments": "argumentos desconocidos",
    "invalid choice": "opción no válida",
    "choose from": "elija entre",
    "argument ": "argumento ",
}


class _SpanishHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, "uso: " if prefix is None else prefix)


class SpanishArgumentParser(argparse.ArgumentParser):
    """argparse with its own words (usage, titles, help flag, errors) in Spanish."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _SpanishHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "comandos"
        self._optionals.title = "opciones"
        self.add_argument("-h", "--help", action="help", help="muestra esta ayuda y termina")

    def error(self, message: str) -> NoReturn:
        for english, spanish in ARGPARSE_MESSAGES.items():
            message = message.replace(english, spanish)
        self.print_usage(sys.stderr)
        self.exit(2, f"Error: {message}. Use --help para ver las opciones.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = SpanishArgumentParser(prog="python -m core", description="Tablero del Plan – Comuna 12")
    commands = parser.add_subparsers(
        dest="command",
        required=True,
        metavar="{db,demo,info,template,import,export,history,undo,rondas,user,backup,restore}",
    )
    db_parser = commands.add_parser("db", help="esquema de la base de datos")
    db_commands = db_parser.add_subparsers(dest="db_command", required=True, metavar="{upgrade}")
    db_commands.add_parser("upgrade", help="aplica las migraciones pendientes (Alembic)")
    demo_parser = commands.add_parser("demo", help="carga los datos de demostración")
    demo_parser.add_argument(
        "--reset", action="store_true", help="borra el plan actual antes de cargar la demostración"
    )
    info_parser = commands.add_parser("info", help="conteos por tabla, dirección y revisión del esquema")
    info_parser.add_argument("--json", action="store_true", help="salida en JSON")
    template_parser = commands.add_parser("template", help="escribe la plantilla de avance (.xlsx)")
    template_parser.add_argument("file", metavar="ARCHIVO", help="dónde guardar la plantilla")
    template_parser.add_argument("--actor", metavar="CÓDIGO", help="solo los compromisos de este actor")
    template_parser.add_argument("--line", metavar="CÓDIGO", help="solo los compromisos de esta línea")
    import_parser = commands.add_parser(
        "import", help="carga una plantilla de avance (.xlsx, .xls, .ods o .csv) o un libro del plan"
    )
    import_parser.add_argument("file", metavar="ARCHIVO")
    import_parser.add_argument("--dry-run", action="store_true", help="solo revisa: no guarda nada")
    import_parser.add_argument(
        "--allow-deletions",
        action="store_true",
        help="libro del plan: borra lo que está en la base de datos y no en el archivo",
    )
    import_parser.add_argument(
        "--yes",
        action="store_true",
        help="libro del plan: confirma que borre más del 10 %% de alguna tabla",
    )
    import_parser.add_argument(
        "--columns",
        metavar="COLUMNAS",
        help="qué columna del archivo es cada una de la plantilla: "
        '"Fecha de corte=fecha corte,Avance físico (%%)=avance"; en el libro del plan, con la hoja delante y dos '
        'puntos: "Compromisos:Descripción=qué se entrega,Actores:Sector=tipo de entidad"',
    )
    import_parser.add_argument("--json", action="store_true", help="informe de validación y conteos en JSON")
    import_parser.add_argument("--user", default="línea de comandos", help="quién carga (para el historial)")
    export_parser = commands.add_parser("export", help="escribe el libro del plan (.xlsx, una hoja por tabla)")
    export_parser.add_argument("file", metavar="ARCHIVO")
    commands.add_parser("history", help="lista las cargas de archivos")
    undo_parser = commands.add_parser("undo", help="deshace una carga")
    undo_parser.add_argument("batch", metavar="NÚMERO", type=int, help="número de la carga (ver history)")
    undo_parser.add_argument("--user", default="línea de comandos", help="quién deshace (para la bitácora)")
    rounds_parser = commands.add_parser("rondas", help="rondas de reporte abiertas y cuánto se ha respondido")
    rounds_parser.add_argument("--json", action="store_true", help="salida en JSON")
    user_parser = commands.add_parser("user", help="cuentas locales (coordinación y administración)")
    user_commands = user_parser.add_subparsers(
        dest="user_command", required=True, metavar="{add,list,passwd,disable,enable}"
    )
    add_parser = user_commands.add_parser("add", help="crea un usuario (la clave se pide o se lee de la entrada)")
    add_parser.add_argument("name", metavar="NOMBRE")
    add_parser.add_argument("--role", required=True, choices=accounts.ACCOUNT_ROLES, help="rol de la cuenta")
    user_commands.add_parser("list", help="lista los usuarios")
    for command, text in (("passwd", "cambia la clave"), ("disable", "desactiva"), ("enable", "reactiva")):
        user_commands.add_parser(command, help=f"{text} un usuario").add_argument("name", metavar="NOMBRE")
    backup_parser = commands.add_parser("backup", help="copia de seguridad de la base SQLite")
    backup_parser.add_argument("file", metavar="ARCHIVO", nargs="?", help="por omisión data/copias/plan-FECHA.db")
    restore_parser = commands.add_parser("restore", help="reemplaza la base SQLite por una copia de seguridad")
    restore_parser.add_argument("file", metavar="ARCHIVO")
    restore_parser.add_argument("--yes", action="store_true", help="no pide confirmación")
    return parser


def _user_command(args: argparse.Namespace) -> int:
    if args.user_command == "add":
        return add_user(args.name, args.role)
    if args.user_command == "list":
        return list_users()
    if args.user_command == "passwd":
        return change_password(args.name)
    return set_active(args.name, active=args.user_command == "enable")


# Commands that read or write the plan bring the schema up to date first, as the app does on start-up: a database
# file that does not exist yet is created empty instead of failing with "no such table".
MIGRATE_FIRST = {"info", "template", "import", "export", "history", "undo", "rondas", "user"}


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        if args.command in MIGRATE_FIRST:
            db.upgrade(db.make_engine())
        if args.command == "db":
            engine = db.make_engine()
            db.upgrade(engine)
            print(f"Esquema al día (revisión {db.current_revision(engine)}) en {db.safe_url(engine.url)}.")
        elif args.command == "demo":
            engine = db.make_engine()
            install_demo(engine, reset=args.reset)
            print(f"Datos de demostración cargados en {db.safe_url(engine.url)}.")
        elif args.command == "info":
            details = info()
            if args.json:
                print(json.dumps(details, ensure_ascii=False, indent=2))
            else:
                _print_info(details)
        elif args.command == "template":
            return uploads.write_template(args.file, actor_code=args.actor, line_code=args.line)
        elif args.command == "import":
            return uploads.import_file(
                args.file,
                dry_run=args.dry_run,
                as_json=args.json,
                user=args.user,
                allow_deletions=args.allow_deletions,
                yes=args.yes,
                columns=args.columns,
            )
        elif args.command == "export":
            return uploads.export_plan_file(args.file)
        elif args.command == "history":
            return uploads.print_history()
        elif args.command == "undo":
            return uploads.undo(args.batch, user=args.user)
        elif args.command == "rondas":
            return rounds.print_open_rounds(as_json=args.json)
        elif args.command == "user":
            return _user_command(args)
        elif args.command == "backup":
            return make_backup(args.file)
        elif args.command == "restore":
            return restore(args.file, yes=args.yes)
    except db.DatabaseUnavailable as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return EXIT_BAD_DATABASE
    except db.DatabaseBusy as exc:  # rolled back: nothing written, the same command can simply be run again
        print(f"Error: {exc}", file=sys.stderr)
        return 2  # "nothing applied", as for a bad file
    except (Refused, ValueError) as exc:  # a rule said no (Refused), or an argument could not be read
        print(f"Error: {exc}", file=sys.stderr)
        return 1
    return 0
