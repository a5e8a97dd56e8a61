"""The crosswalk grid of one instrument: read as codes, saved whole with the shared rules or not at all."""

from datetime import date

import numpy as np
import pandas as pd
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from core import db
from core.adoption import editing
from core.models import Alignment, AuditEntry
from core.plan import edit
from core.plan.edit import PlanEditRefused
from tests.plan_builder import PlanBuilder


@pytest.fixture
def plan(engine: Engine) -> Engine:
    with db.transaction(engine) as session:
        build = PlanBuilder(session)
        build.line(code="L1")
        build.line(code="L2")
        build.actor()  # A3
        values = {"code": "IN-1", "actor_id": "A3", "kind": "POAI", "name": "POAI 2026", "lines": ["L1", "L2"]}
        edit.save_record(session=session, user="c", catalog=edit.INSTRUMENTS, values=values)
        edit.save_record(session=session, user="c", catalog=edit.ALIGNMENTS,
                         values={"code": "AR-007", "instrument_id": "IN-1", "line_id": "L1", "level": 1})  # fmt: skip
    return engine


def save(engine: Engine, rows: list[dict[str, object]]) -> int:
    with db.transaction(engine) as session:
        return editing.save_crosswalk(session=session, user="coordinadora", instrument="IN-1", rows=rows)


def test_the_grid_saves_edits_and_new_rows_in_one_go(plan: Engine) -> None:
    with Session(plan) as session:
        grid = editing.crosswalk_grid(session=session, instrument="IN-1")
    assert list(grid.code) == ["AR-007"] and list(grid.line_id) == ["L1"]
    rows = grid.assign(level=np.int64(3), resources_cop=np.float64(2e8), year=2026.0).to_dict("records")
    new = {"line_id": "L2", "level": 2, "state": "verificado", "verified_by": "Mesa",
           "verified_on": pd.Timestamp("2026-05-04"), "resources_cop": float("nan"), "other": "ignored"}  # fmt: skip
    assert save(plan, [*rows, new]) == 2
    with Session(plan) as session:
        stored = {row.code: row for row in session.exec(select(Alignment))}
        assert (stored["AR-007"].level, stored["AR-007"].resources_cop, stored["AR-007"].year) == (3, 2e8, 2026)
        assert (stored["AR-008"].state, stored["AR-008"].verified_on, stored["AR-008"].resources_cop) == (
            "verificado", date(2026, 5, 4), None,
        )  # fmt: skip
        audited = [e.row_id for e in session.exec(select(AuditEntry).where(AuditEntry.table_name == "alignment"))]
        assert audited[-2:] == ["AR-007", "AR-008"]


def test_one_bad_row_writes_nothing(plan: Engine) -> None:
    with Session(plan) as session:
        rows = editing.crosswalk_grid(session=session, instrument="IN-1").assign(level=2).to_dict("records")
    with pytest.raises(PlanEditRefused) as refused:
        save(plan, [*rows, {"line_id": "L2", "level": 5, "state": "verificado"}])
    assert refused.value.errors == {
        "fila 2 (nueva) · Nivel (0 a 3)": "Debe estar entre 0 y 3.",
        "fila 2 (nueva) · Verificado por": "Una fila «verificado» necesita quién la verificó («Verificado por»).",
        "fila 2 (nueva) · Verificado el": "Una fila «verificado» necesita la fecha de verificación («Verificado el»).",
    }
    with Session(plan) as session:
        assert [(row.code, row.level) for row in session.exec(select(Alignment))] == [("AR-007", 1)]
