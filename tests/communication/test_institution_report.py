"""The institutionalization in communication: the two assembly slides, «Logros» counting milestones, and the yearly
Informe de institucionalización (HTML and .xlsx), on hand-made records."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from io import BytesIO

import openpyxl
import pandas as pd
import pytest
from sqlmodel import Session

from core.adoption import institution
from core.adoption.institution import Institution
from core.communication import assembly, institution_report, slides
from core.metrics import snapshots
from tests.adoption.test_institution import ceilings, milestones, pp
from tests.communication.test_packs import deck_data, snapshot  # noqa: F401  (snapshot: a fixture)

ON = date(2026, 11, 15)


def records(**changes: pd.DataFrame) -> Institution:
    alignments = pd.DataFrame(
        [("I1", "Plan de Acción", "A1", "Secretaría de Salud", "Secretaría", "L1", 2),
         ("I1", "Plan de Acción", "A1", "Secretaría de Salud", "Secretaría", "L2", 1),
         ("I2", "plan estratégico o de RSE", "A9", "Comfama", "Caja", "L1", 3)],
        columns=["instrument_code", "instrument_kind", "actor_code", "actor_name", "actor_kind", "line_code", "level"],
    )  # fmt: skip
    instrument_lines = pd.DataFrame(
        [("I1", "A1", "Secretaría de Salud", "Secretaría", line) for line in ("L1", "L2", "L3")]
        + [("I3", "A2", "Secretaría de Movilidad", "Secretaría", "L5")],
        columns=["instrument_code", "actor_code", "actor_name", "actor_kind", "line_code"],
    )
    base = {
        "milestones": milestones(
            {
                "code": "H1",
                "title": "Aval de la JAL",
                "status": "logrado",
                "act_type": "Resolución",
                "act_number": "7 de 2026",
                "act_date": date(2026, 3, 1),
            },
            {"code": "H2", "title": "Votación de PP", "target_date": date(2026, 11, 29)},
            {"code": "H3", "title": "Fallo", "status": "logrado", "evidence": "texto", "act_date": date(2019, 5, 1)},
        ),
        "ceilings": ceilings(y2026=1000.0),
        "pp": pp(
            {
                "code": "PP1",
                "year": 2026,
                "assigned_cop": 300.0,
                "executed_cop": 100.0,
                "line_code": "L1",
                "line_name": "Uno",
            },
            {"code": "PP2", "year": 2026, "assigned_cop": 50.0},
        ),
        "lines": pd.DataFrame({"code": ["L1"], "name": ["Uno"]}),
        "alignments": alignments,
        "instrument_lines": instrument_lines,
    }
    return Institution(**(base | changes))


def test_coverage_by_secretaria_counts_verified_lines_at_level_two_of_those_it_concerns() -> None:
    data = records()
    coverage = institution.secretaria_coverage(data.alignments, data.instrument_lines)
    assert coverage.to_dict("records") == [
        {"actor_code": "A2", "actor_name": "Secretaría de Movilidad", "instruments": 1, "lines_concerned": 1,
         "lines_programmed": 0, "coverage": 0.0, "absent_lines": "L5"},
        {"actor_code": "A1", "actor_name": "Secretaría de Salud", "instruments": 1, "lines_concerned": 3,
         "lines_programmed": 1, "coverage": pytest.approx(100 / 3), "absent_lines": "L2, L3"},
    ]  # fmt: skip


def test_the_report_of_a_year_holds_its_milestones_pp_and_coverage() -> None:
    report = institution_report.institution_report(records(), year=2026, on=ON)
    assert list(report.milestones.code) == ["H1", "H2"]  # the 2019 ruling is another year's
    assert list(report.milestones.date_kind) == ["acto", "fecha prevista"]
    assert report.pp is not None
    assert (report.pp.share_on_plan, report.pp.assigned_off_plan_cop) == (30.0, 50.0)
    assert institution_report.report_summary(report).splitlines()[1:] == [
        "Hitos logrados en 2026: 1 de 2 con fecha en el año.",
        "Presupuesto Participativo 2026: 30,0 % del tope a líneas del plan.",
        "Secretarías con instrumentos revisados: 2.",
    ]


def test_the_report_html_is_self_contained_escaped_and_says_sin_tope() -> None:
    data = records(ceilings=ceilings())
    data.milestones.loc[0, "title"] = "<script>alert(1)</script>"
    html = institution_report.report_html(institution_report.institution_report(data, year=2026, on=ON), is_demo=True)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http" not in html.lower() and "<link" not in html
    assert "Resolución 7 de 2026" in html and "sin tope" in html and "Datos de demostración" in html
    assert "$ 300" in html and "Secretaría de Salud" in html


def test_the_report_xlsx_has_one_sheet_per_part_with_the_same_figures() -> None:
    report = institution_report.institution_report(records(), year=2026, on=ON)
    book = openpyxl.load_workbook(BytesIO(institution_report.report_xlsx(report)))
    assert book.sheetnames == ["Hitos", "Presupuesto Participativo", "PP por línea", "Cobertura por Secretaría",
                               "Acerca de"]  # fmt: skip
    pp_sheet = [[c.value for c in row] for row in book["Presupuesto Participativo"].iter_rows()]
    assert pp_sheet[1][:4] == [2026, 1000, 300, 0.3]  # the share as an Excel percentage
    assert [row[2].value for row in book["Hitos"].iter_rows(min_row=2)] == ["Aval de la JAL", "Votación de PP"]


def test_a_year_without_pp_says_so() -> None:
    report = institution_report.institution_report(records(), year=2024, on=ON)
    assert report.pp is None
    html = institution_report.report_html(report, is_demo=False)
    assert "No hay Presupuesto Participativo registrado para 2024." in html
    assert (
        "Presupuesto Participativo"
        in openpyxl.load_workbook(BytesIO(institution_report.report_xlsx(report))).sheetnames
    )


def test_the_slides_show_milestones_since_the_assembly_and_pp_apart(
    session: Session,
    snapshot: snapshots.Snapshot,  # noqa: F811 (the fixture imported above)
) -> None:
    data = records()
    base = deck_data(session, snapshot)
    since = base.changes.since  # 31/05/2026: H1 (01/03/2026) came before it
    later = milestones(
        {"code": "H4", "title": "Plan de Acción con el plan", "status": "logrado", "act_type": "Plan de Acción",
         "act_number": "", "evidence": "meta 4.2.1", "act_date": date(2026, 8, 1)},
    )  # fmt: skip
    years = institution.pp_by_year(data.pp, data.ceilings)
    deck_data_now = replace(
        base,
        changes=replace(base.changes, milestones=institution.achieved_between(later, since, ON)),
        pp=institution.pp_year(years, 2026),
        pp_lines=institution.pp_breakdown(data.pp, data.ceilings, "line", 2026),
        windows=institution.upcoming_windows(data.milestones, ON),
    )
    deck = assembly.deck(snapshot.lines, snapshot.barrios)
    shown = {
        slide.kind: slides.slide_html(slide, deck_data_now, number=n, total=len(deck))
        for n, slide in enumerate(deck, start=1)
    }
    assert "Plan de Acción con el plan" in shown["hitos"] and "meta 4.2.1" in shown["hitos"]
    assert "Próximo: Votación de PP (29/11/2026)" in shown["hitos"]
    assert "1 hitos de institucionalización logrados" in shown["logros"]
    assert "30,0 %" in shown["pp"] and "Fuera del plan: 0 millones" in shown["pp"]
    assert "nunca sumado al presupuesto de los compromisos" in shown["pp"]


def test_the_slides_without_institution_records_say_so(
    session: Session,
    snapshot: snapshots.Snapshot,  # noqa: F811 (the fixture imported above)
) -> None:
    data = deck_data(session, snapshot)  # no PP, no milestones
    deck = assembly.deck(snapshot.lines, snapshot.barrios)
    shown = {slide.kind: slides.slide_html(slide, data, number=1, total=len(deck)) for slide in deck}
    assert "No hay Presupuesto Participativo registrado para 2026." in shown["pp"]
    assert "No se registraron hitos logrados en este periodo." in shown["hitos"]
