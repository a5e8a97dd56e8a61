"""Headers as people write them: one key for every spelling of the same column."""

import pytest

from core.excel.spec import header_key, header_keys, synonym_lookup
from core.uploads.attendance import COLUMNS as ATTENDANCE_COLUMNS
from core.uploads.progress import COLUMNS as PROGRESS_COLUMNS


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("CÓDIGO DEL COMPROMISO", "codigo compromiso"),  # case, accents, "del"
        ("Código de la iniciativa", "codigo iniciativa"),  # "de la"
        ("Los barrios", "barrios"),
        ("El actor", "actor"),
        ("Las observaciones", "observaciones"),
        ("Cód. compromiso", "codigo compromiso"),  # cód.
        ("Ppto. ejecutado", "presupuesto ejecutado"),  # ppto.
        ("Nro. de delegados", "numero delegados"),  # nro.
        ("No. del evento", "numero evento"),  # no.
        ("Nº delegados", "numero delegados"),  # º
        ("N° delegados", "numero delegados"),  # °
        ("# delegados", "delegados"),  # #
        ("% avance", "avance"),
        ("avance %", "avance"),
        ("Avance físico (%)", "avance fisico"),
        ("Presupuesto ejecutado ($)", "presupuesto ejecutado"),  # $ and the brackets
        ("fecha corte", "fecha corte"),
        ("Fecha de corte", "fecha corte"),
        ("fecha_de_corte", "fecha corte"),
        ("¿Asistió?", "asistio"),
        ("  Valor   logrado: ", "valor logrado"),
    ],
)
def test_header_key(written: str, key: str) -> None:
    assert header_key(written) == key


def test_a_trailing_note_is_also_tried_without_it() -> None:
    assert header_keys("Presupuesto (COP)") == ("presupuesto cop", "presupuesto")
    assert header_keys("Fecha de corte") == ("fecha corte",)


@pytest.mark.parametrize(
    ("written", "field"),
    [
        ("CÓDIGO DEL COMPROMISO", "code"),
        ("Cód. compromiso", "code"),
        ("fecha corte", "cut_off_date"),
        ("% avance", "physical_pct"),
        ("avance %", "physical_pct"),
        ("Ppto. ejecutado", "budget_executed_cop"),
        ("Observación", "note"),
    ],
)
def test_progress_headers_people_write(written: str, field: str) -> None:
    assert synonym_lookup(PROGRESS_COLUMNS)[header_key(written)] == field


@pytest.mark.parametrize(
    ("written", "field"),
    [("Cód. del actor", "actor_code"), ("Nro. de delegados", "delegates"), ("¿Asistió?", "attended")],
)
def test_attendance_headers_people_write(written: str, field: str) -> None:
    assert synonym_lookup(ATTENDANCE_COLUMNS)[header_key(written)] == field


@pytest.mark.parametrize("columns", [PROGRESS_COLUMNS, ATTENDANCE_COLUMNS])
def test_no_two_columns_of_a_contract_share_a_header_key(columns: tuple) -> None:  # type: ignore[type-arg]
    claimed: dict[str, str] = {}
    for column in columns:
        for name in column.names:
            assert claimed.setdefault(header_key(name), column.field) == column.field, name
