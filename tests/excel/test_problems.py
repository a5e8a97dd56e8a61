"""One Problem with a structured location, one collector, one Severity and ChangeKind with their labels."""

import pandas as pd

from core.excel.problems import ERROR, WARNING, ChangeKind, Place, Problem, Problems, Severity, problem_table


def test_a_problem_says_where_it_is_as_the_person_reads_it() -> None:
    assert Problem(4, "Fecha de corte", "x", "m", ERROR, column=2).where == "Fecha de corte (B)"
    assert Problem(7, "Código", "x", "m", ERROR, column=28, sheet="Líneas").where == "Líneas · Código (AB)"
    assert Problem(None, "", "", "m", WARNING, sheet="Líneas").where == "Líneas"
    assert Problem(3, "Valor logrado", "", "m", ERROR).where == "Valor logrado"  # the file lacks the column


def test_the_collector_locates_by_field_and_sorts_by_row_errors_first() -> None:
    problems = Problems({"day": Place("Fecha de corte", 2)})
    problems.add_column(pd.Series([5, 3]), "day", pd.Series(["a", "b"]), "falta la fecha", WARNING)
    problems.add(3, "day", "b", "la fecha está en el futuro")
    problems.add(None, "", "", "el archivo trae fórmulas", WARNING)
    assert [(p.row, p.severity, p.column, p.message) for p in problems.sorted()] == [
        (None, WARNING, None, "el archivo trae fórmulas"),
        (3, ERROR, 2, "la fecha está en el futuro"),
        (3, WARNING, 2, "falta la fecha"),
        (5, WARNING, 2, "falta la fecha"),
    ]
    assert problems.error_rows() == {3}
    problems.discard(3, ["day"])
    assert [p.row for p in problems.sorted()] == [None, 5]


def test_severity_and_change_kind_carry_their_spanish_labels() -> None:
    assert [(s.value, s.label) for s in Severity] == [("error", "Error"), ("aviso", "Aviso")]
    assert [k.label for k in ChangeKind] == ["Nuevo", "Actualiza", "Sin cambio"]
    table = problem_table([Problem(2, "Código compromiso", "C-9", "no existe", ERROR, column=1)])
    assert table.values.tolist() == [[2, "Código compromiso (A)", "C-9", "no existe", "Error"]]
