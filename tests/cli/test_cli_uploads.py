"""The upload commands from a shell: template, import (dry run, JSON, exit codes), history, undo."""

import json
from pathlib import Path

import openpyxl
from sqlalchemy import Engine

from tests.cli.test_cli import run_cli
from tests.sheets import HEADER, xlsx
from tests.uploads.test_plan_workbook import renamed_workbook


def filled_codes(file: Path) -> list[str]:
    sheet = openpyxl.load_workbook(file)["Avances"]
    assert sheet["A1"].value == "Código compromiso"
    return [str(row[0].value) for row in sheet.iter_rows(min_row=2) if row[0].value]


def test_template_filtered_to_one_actor(demo_database_url: str, tmp_path: Path) -> None:
    everything, one_actor = tmp_path / "todo.xlsx", tmp_path / "actor.xlsx"
    assert run_cli("template", str(everything), database_url=demo_database_url).returncode == 0
    result = run_cli("template", str(one_actor), "--actor", "A-001", database_url=demo_database_url)
    assert result.returncode == 0, result.stderr
    assert 0 < len(filled_codes(one_actor)) < len(filled_codes(everything))
    assert set(filled_codes(one_actor)) <= set(filled_codes(everything))
    refused = run_cli("template", str(one_actor), "--actor", "NADIE", database_url=demo_database_url)
    assert refused.returncode == 1 and "No existe un actor" in refused.stderr


def test_import_exit_codes_json_history_and_undo(demo_database_url: str, tmp_path: Path) -> None:
    file = tmp_path / "avance.xlsx"
    file.write_bytes(xlsx([HEADER, ["C-0001", "14/11/2026", 90], ["C-9999", "14/11/2026", 10]]))
    dry = run_cli("import", str(file), "--dry-run", "--json", database_url=demo_database_url)
    report = json.loads(dry.stdout)
    assert (dry.returncode, report["aplicado"], report["conteos"]["retenidas"]) == (1, False, 1)
    assert report["problemas"][0]["fila"] == 3 and "C-9999" in report["problemas"][0]["problema"]
    applied = run_cli("import", str(file), "--json", database_url=demo_database_url)
    assert applied.returncode == 1 and json.loads(applied.stdout)["carga"] == 1
    again = run_cli("import", str(file), database_url=demo_database_url)
    assert "ya se había cargado" in again.stdout
    history = run_cli("history", database_url=demo_database_url)
    assert "avance.xlsx" in history.stdout and "aplicada" in history.stdout
    undone = run_cli("undo", "1", database_url=demo_database_url)
    assert undone.returncode == 0 and "deshecha" in undone.stdout
    assert run_cli("undo", "1", database_url=demo_database_url).returncode == 1


def test_import_of_a_bad_file_applies_nothing(demo_database_url: str, tmp_path: Path) -> None:
    file = tmp_path / "avance.xlsx"
    file.write_bytes(b"no soy un excel")
    result = run_cli("import", str(file), "--json", database_url=demo_database_url)
    assert result.returncode == 2
    assert "no lo es" in json.loads(result.stdout)["error"]
    missing = run_cli("import", str(tmp_path / "no-existe.xlsx"), database_url=demo_database_url)
    assert missing.returncode == 2 and "no existe el archivo" in missing.stderr


def test_plan_workbook_export_and_import_into_an_empty_database(demo_database_url: str, tmp_path: Path) -> None:
    book = tmp_path / "libro.xlsx"
    assert run_cli("export", str(book), database_url=demo_database_url).returncode == 0
    empty = f"sqlite:///{tmp_path / 'vacia.db'}"
    assert run_cli("db", "upgrade", database_url=empty).returncode == 0
    dry = run_cli("import", str(book), "--dry-run", "--json", database_url=empty)
    report = json.loads(dry.stdout)
    assert (dry.returncode, report["tipo"], report["aplicado"]) == (0, "libro del plan", False)
    applied = json.loads(run_cli("import", str(book), "--json", database_url=empty).stdout)
    assert applied["aplicado"] and applied["conteos"]["nuevas"] == report["conteos"]["nuevas"] > 0
    again = tmp_path / "otra_vez.xlsx"
    assert run_cli("export", str(again), database_url=empty).returncode == 0
    original, copy = openpyxl.load_workbook(book), openpyxl.load_workbook(again)
    for name in original.sheetnames:
        assert [[c.value for c in row] for row in original[name].iter_rows()] == [
            [c.value for c in row] for row in copy[name].iter_rows()
        ], name


def test_a_plan_workbook_that_deletes_most_of_a_table_needs_yes(demo_database_url: str, tmp_path: Path) -> None:
    book = tmp_path / "libro.xlsx"
    assert run_cli("export", str(book), database_url=demo_database_url).returncode == 0
    workbook = openpyxl.load_workbook(book)
    workbook["Motivación"].delete_rows(2, workbook["Motivación"].max_row)
    workbook.save(book)
    refused = run_cli("import", str(book), "--allow-deletions", database_url=demo_database_url)
    assert refused.returncode == 2
    assert "filas de «Motivación»" in refused.stderr and "--yes" in refused.stderr
    assert "Carga número" not in refused.stdout
    applied = run_cli("import", str(book), "--allow-deletions", "--yes", database_url=demo_database_url)
    assert applied.returncode == 0 and "613 borradas" in applied.stdout, applied.stderr


def test_import_names_the_missing_columns_and_takes_them_with_columns(demo_database_url: str, tmp_path: Path) -> None:
    file = tmp_path / "avance.xlsx"
    file.write_bytes(xlsx([["Código compromiso", "Día", "Cuánto"], ["C-0001", "14/11/2026", 90]]))
    refused = run_cli("import", str(file), "--dry-run", database_url=demo_database_url)
    assert refused.returncode == 2
    assert "faltan las columnas «Fecha de corte», «Avance físico (%)», «Valor logrado»" in refused.stderr
    assert "«Día» (por ejemplo: 14/11/2026)" in refused.stderr and "--columns" in refused.stderr
    mapped = run_cli("import", str(file), "--dry-run", "--json", "--columns",
                     "Fecha de corte=día,Avance físico (%)=cuánto", database_url=demo_database_url)  # fmt: skip
    report = json.loads(mapped.stdout)
    assert (mapped.returncode, report["conteos"]["filas"], report["problemas"]) == (0, 1, [])
    typo = run_cli("import", str(file), "--columns", "Fecha de corte", database_url=demo_database_url)
    assert typo.returncode == 2 and "no se entiende en --columns" in typo.stderr


def test_plan_workbook_columns_are_named_with_their_sheet(engine: Engine, database_url: str, tmp_path: Path) -> None:
    file = tmp_path / "libro.xlsx"
    file.write_bytes(renamed_workbook())
    refused = run_cli("import", str(file), "--dry-run", database_url=database_url)
    assert refused.returncode == 2
    assert "Columnas de la hoja «Compromisos»:\n  «Código» (por ejemplo: C-1, C-2)" in refused.stderr
    example = '--columns "Actores:Sector=<columna del archivo>,Compromisos:Descripción=<columna del archivo>"'
    assert example in refused.stderr
    mapped = run_cli("import", str(file), "--json", "--columns",
                     "Actores:Sector=clase de entidad,compromisos:Descripción=QUÉ SE ENTREGA",
                     database_url=database_url)  # fmt: skip
    report = json.loads(mapped.stdout)
    assert (mapped.returncode, report["aplicado"], report["conteos"]["nuevas"], report["problemas"]) == (0, True, 6, [])
    unqualified = run_cli("import", str(file), "--columns", "Descripción=qué se entrega", database_url=database_url)
    assert unqualified.returncode == 2 and "como «Compromisos:Descripción»" in unqualified.stderr
    as_json = json.loads(run_cli("import", str(file), "--json", database_url=database_url).stdout)
    assert as_json["faltan"] == ["Actores:Sector", "Compromisos:Descripción"]
    assert {"columna": 3, "encabezado": "Qué se entrega", "ejemplos": ["Mural", "Taller"], "hoja": "Compromisos"} in (
        as_json["columnas_del_archivo"]
    )
