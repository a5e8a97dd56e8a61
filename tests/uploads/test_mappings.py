"""Column mappings the coordinator confirmed: remembered per header row, offered again, never applied silently."""

from datetime import date

import pytest
from sqlalchemy import Engine, select
from sqlmodel import Session

from core import db
from core.excel.headers import ColumnsUnmatched
from core.models import AuditEntry
from core.uploads import progress
from core.uploads.mappings import recalled_mapping, remember_mapping
from tests.plan_builder import PlanBuilder
from tests.sheets import xlsx

HEADER = ["Código compromiso", "Día del reporte", "Porcentaje logrado"]
MAPPING = {"Fecha de corte": "Día del reporte", "Avance físico (%)": "Porcentaje logrado"}


def test_a_mapping_is_remembered_audited_and_recalled(engine: Engine) -> None:
    with db.transaction(engine) as session:
        remember_mapping(session=session, kind="avance", header_signature="abc", columns=MAPPING, user="ana")
        remember_mapping(session=session, kind="avance", header_signature="abc", columns=MAPPING, user="ana")
    with Session(engine) as session:
        assert recalled_mapping(session=session, kind="avance", header_signature="abc") == MAPPING
        assert recalled_mapping(session=session, kind="asistencia", header_signature="abc") is None
        entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "recordar columnas")).all()  # type: ignore[arg-type]
    assert [(e.user_name, e.row_id) for e in entries] == [("ana", "columnas:avance:abc")]  # the repeat wrote nothing


def test_the_next_file_of_the_same_shape_offers_the_mapping_and_it_applies_only_when_given(engine: Engine) -> None:
    with db.transaction(engine) as session:
        builder = PlanBuilder(session)
        project = builder.project(builder.program(builder.line()), start=date(2026, 1, 1))
        code = builder.commitment(project, actors=(builder.actor(),)).code
    data = xlsx([HEADER, [code, "31/10/2026", 40]])
    with Session(engine) as session, pytest.raises(ColumnsUnmatched) as first:
        progress.validate_progress(session=session, data=data, file_name="a.xlsx", today=date(2026, 11, 15))
    assert first.value.tables[0].missing == ("Fecha de corte", "Avance físico (%)", "Valor logrado")
    assert first.value.tables[0].remembered is None
    with db.transaction(engine) as session:
        remember_mapping(session=session, kind=progress.KIND, header_signature=first.value.tables[0].header_signature,
                         columns=MAPPING, user="ana")  # fmt: skip
    again = xlsx([["CÓDIGO COMPROMISO", "día del reporte", "porcentaje logrado"], [code, "30/09/2026", 30]])
    with Session(engine) as session, pytest.raises(ColumnsUnmatched) as second:
        progress.validate_progress(session=session, data=again, file_name="b.xlsx", today=date(2026, 11, 15))
    assert second.value.tables[0].remembered == MAPPING  # offered, not applied
    with Session(engine) as session:
        checked = progress.validate_progress(
            session=session, data=again, file_name="b.xlsx", today=date(2026, 11, 15), columns=MAPPING
        )
    assert (checked.count(progress.NEW), checked.problems) == (1, [])
    assert checked.changes.physical_pct.tolist() == [30.0]
