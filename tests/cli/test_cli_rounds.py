"""``python -m core rondas``: the open rounds and their completion, as the page computes it."""

import json
from datetime import date

from sqlmodel import Session

from core import db
from core.rounds import service
from tests.cli.test_cli import run_cli


def test_rondas_lists_the_open_rounds_with_their_completion(demo_database_url: str) -> None:
    assert run_cli("rondas", database_url=demo_database_url).stdout.strip() == "No hay rondas de reporte abiertas."
    engine = db.make_engine(demo_database_url)
    with db.transaction(engine) as session:
        round_id = service.open_round(
            session=session, name="Corte de octubre", cut_off=date(2026, 10, 31), deadline=date(2026, 11, 20), user="c"
        )
    with Session(engine) as session:
        asked = len(service.open_commitments(session=session, cut_off=date(2026, 10, 31)).commitment_id.unique())
    result = run_cli("rondas", "--json", database_url=demo_database_url)
    assert result.returncode == 0
    (row,) = json.loads(result.stdout)
    assert (row["ronda"], row["nombre"], row["corte"], row["compromisos"]) == (round_id, "Corte de octubre",
                                                                               "2026-10-31", asked)  # fmt: skip
    assert 0 <= row["respondidos"] <= asked
    text = run_cli("rondas", database_url=demo_database_url).stdout
    assert "corte 31/10/2026 · plazo 20/11/2026 · respondido" in text
