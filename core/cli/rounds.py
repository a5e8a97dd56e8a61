"""``python -m core rondas``: the open reporting rounds and how much of each came back (printing only)."""

from __future__ import annotations

import json

from sqlmodel import Session

from core import db, formatting, views
from core.cli.uploads import reference_day


def print_open_rounds(*, as_json: bool = False) -> int:
    with Session(db.make_engine()) as session:
        figures = views.open_round_figures(session=session, on=reference_day(session))
    rows = [
        {
            "ronda": figure.info.round_id,
            "nombre": figure.info.name,
            "corte": figure.info.cut_off.isoformat(),
            "plazo": figure.info.deadline.isoformat(),
            "compromisos": figure.completion.commitments,
            "respondidos": figure.completion.answered,
            "respondido_pct": figure.completion.by_commitments,
            "respondido_peso_pct": figure.completion.by_weight,
        }
        for figure in figures
    ]
    if as_json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("No hay rondas de reporte abiertas.")
    for figure in [] if as_json else figures:
        done = figure.completion
        print(
            f"{figure.info.round_id:>4}  {figure.info.name} · corte {formatting.day(figure.info.cut_off)} · plazo "
            f"{formatting.day(figure.info.deadline)} · respondido {formatting.percent(done.by_commitments)} "
            f"({formatting.number(done.answered)} de {formatting.number(done.commitments)} compromisos), "
            f"{formatting.percent(done.by_weight)} del peso"
        )
    return 0
