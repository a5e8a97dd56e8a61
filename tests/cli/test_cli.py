import json
import os
import subprocess
import sys

import pytest

from core.cli.main import main
from core.db import PROJECT_ROOT


def run_cli(*args: str, database_url: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "core", *args],
        cwd=PROJECT_ROOT,
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_info_json_reports_the_thirteen_barrios(demo_database_url: str) -> None:
    result = run_cli("info", "--json", database_url=demo_database_url)
    details = json.loads(result.stdout)
    assert result.returncode == 0
    assert [b["code"] for b in details["barrios"]] == [str(code) for code in range(1201, 1214)]
    assert details["tables"]["barrio"] == 13
    assert details["schema_revision"] == details["head_revision"]
    assert details["demo_data"] is True


def test_unreachable_server_exits_2_in_spanish_without_traceback() -> None:
    result = run_cli("info", database_url="postgresql://user:secret@127.0.0.1:1/plan")
    assert result.returncode == 2
    assert "No se pudo conectar" in result.stderr
    assert "Traceback" not in result.stderr
    assert "secret" not in result.stderr


def test_bad_url_exits_2(monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", "esto no es una url")
    assert main(["db", "upgrade"]) == 2
    assert "no es una dirección de base de datos válida" in capsys.readouterr().err


def test_demo_then_demo_again_needs_reset(tmp_path, monkeypatch, capsys) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'plan.db'}")
    assert main(["demo"]) == 0
    assert main(["demo"]) == 1
    assert "--reset" in capsys.readouterr().err
    assert main(["demo", "--reset"]) == 0
    assert main(["info"]) == 0
    printed = capsys.readouterr().out
    assert "commitment" in printed
    assert "1204 La América" in printed


def test_usage_errors_are_in_spanish(capsys) -> None:  # type: ignore[no-untyped-def]

    with pytest.raises(SystemExit) as exit_info:
        main(["nada"])
    err = capsys.readouterr().err
    assert exit_info.value.code == 2
    assert "opción no válida: 'nada'" in err
    assert err.startswith("uso: python -m core")


@pytest.mark.parametrize("command", [["info"], ["history"], ["import", "plantilla.xlsx"], ["template", "t.xlsx"]])
def test_a_database_file_that_does_not_exist_yet_is_migrated_first(
    tmp_path, monkeypatch, capsys, command: list[str]
) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'nueva.db'}")
    if command[0] == "import":
        assert main(["template", "plantilla.xlsx"]) == 0  # an empty plan's template: headers, no rows
    code = main(command)
    printed = capsys.readouterr()
    assert "no such table" not in printed.err + printed.out
    assert code == (2 if command[0] == "import" else 0)  # import: nothing to apply, said in Spanish
    assert main(["info"]) == 0
    assert "Revisión del esquema: 0" in capsys.readouterr().out
