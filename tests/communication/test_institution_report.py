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

from core.adoption import alignment, institution
from core.adoption.institution import Institution
from core.adoption.records import AdoptionData, typed_alignment
from core.communication import assembly, institution_report, slides
from core.metrics import snapshots
from tests.adoption.test_institution import ceilings, milestones, pp
from tests.communication.test_packs import deck_data, snapshot  # noqa: F401  (snapshot: a fixture)

ON = date(2026, 11, 15)


def records(**changes: pd.DataFrame) -> Institution:
    alignments = pd.DataFrame(
        [("I4", "PDL componente estratégico", "L1", 1)],
        columns=["instrument_code", "instrument_kind", "line_code", "level"],
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
    }
    return Institution(**(base | changes))


def adoption() -> AdoptionData:
    """Salud's Plan de Acción concerns L1–L3: L1 programmed (2), L2 mentioned (1), L3 only proposed; Movilidad's
    concerns L5 with no row; Hacienda has no instrument; Comfama is no Secretaría."""
    actors = [("A1", "Secretaría de Salud", "público", "Secretaría"), ("A2", "Secretaría de Movilidad", "público",
              "Secretaría"), ("A3", "Secretaría de Hacienda", "público", "Secretaría"), ("A9", "Comfama", "privado",
              "Caja")]  # fmt: skip
    instruments = [("I1", "A1", "Plan de Acción"), ("I3", "A2", "Plan de Acción"), ("I2", "A9", "otro")]
    found = [("R1", "I1", "A1", "L1", 2, "verificado"), ("R2", "I1", "A1", "L2", 1, "verificado"),
             ("R3", "I1", "A1", "L3", 3, "propuesto"), ("R4", "I2", "A9", "L1", 3, "verificado")]  # fmt: skip
    alignment_rows = pd.DataFrame(
        [{"code": code, "instrument_code": instrument, "actor_code": actor, "sector": "", "kind": "",
          "line_code": line, "program_code": None, "project_code": None, "their_code": "", "their_text": "",
          "level": level, "resources_cop": None, "year": None, "evidence": "", "state": state, "verified_by": "",
          "verified_on": None} for code, instrument, actor, line, level, state in found]
    )  # fmt: skip
    return AdoptionData(
        profile=None,
        ideas=pd.DataFrame(columns=["code", "text", "sort_order"]),
        idea_lines=pd.DataFrame(columns=["idea_code", "line_code"]),
        lines=pd.DataFrame({"code": ["L1", "L2", "L3", "L5"], "name": "", "color": "#000000", "sort_order": range(4)}),
        actors=pd.DataFrame(actors, columns=["code", "name", "sector", "kind"]).assign(short_name=""),
        instruments=pd.DataFrame(instruments, columns=["code", "actor_code", "kind"]).assign(name=""),
        instrument_lines=pd.DataFrame(
            [("I1", "L1"), ("I1", "L2"), ("I1", "L3"), ("I3", "L5"), ("I2", "L1")],
            columns=["instrument_code", "line_code"],
        ),
        alignment=typed_alignment(alignment_rows),
    )


def test_the_reports_coverage_is_the_crosswalks_figure_for_each_secretaria_with_instruments() -> None:
    report = institution_report.institution_report(records(), adoption(), year=2026, on=ON)
    shown = report.coverage[["name", "lines_concerned", "lines_programmed", "coverage_pct", "absent_lines"]]
    assert shown.to_dict("records") == [
        {"name": "Secretaría de Movilidad", "lines_concerned": 1, "lines_programmed": 0, "coverage_pct": 0.0,
         "absent_lines": "L5"},
        {"name": "Secretaría de Salud", "lines_concerned": 3, "lines_programmed": 1,
         "coverage_pct": pytest.approx(100 / 3), "absent_lines": "L3"},  # L2 is mentioned (level 1): not absent
    ]  # fmt: skip
    crosswalk = alignment.coverage(adoption()).set_index("actor_code").coverage
    assert report.coverage.coverage.tolist() == crosswalk.loc[["A2", "A1"]].tolist()
    assert ">33,3 %<" in institution_report.report_html(report, is_demo=False)
    book = openpyxl.load_workbook(BytesIO(institution_report.report_xlsx(report)))
    assert [row[4].value for row in book["Cobertura por Secretaría"].iter_rows(min_row=2)] == [0, pytest.approx(1 / 3)]


def test_the_report_of_a_year_holds_its_milestones_pp_and_coverage() -> None:
    report = institution_report.institution_report(records(), adoption(), year=2026, on=ON)
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
    html = institution_report.report_html(
        institution_report.institution_report(data, adoption(), year=2026, on=ON), is_demo=True
    )
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "http" not in html.lower() and "<link" not in html
    assert "Resolución 7 de 2026" in html and "sin tope" in html and "Datos de demostración" in html
    assert "$ 300" in html and "Secretaría de Salud" in html


def test_the_report_xlsx_has_one_sheet_per_part_with_the_same_figures() -> None:
    report = institution_report.institution_report(records(), adoption(), year=2026, on=ON)
    book = openpyxl.load_workbook(BytesIO(institution_report.report_xlsx(report)))
    assert book.sheetnames == ["Hitos", "Presupuesto Participativo", "PP por línea", "Cobertura por Secretaría",
                               "Acerca de"]  # fmt: skip
    pp_sheet = [[c.value for c in row] for row in book["Presupuesto Participativo"].iter_rows()]
    assert pp_sheet[1][:4] == [2026, 1000, 300, 0.3]  # the share as an Excel percentage
    assert [row[2].value for row in book["Hitos"].iter_rows(min_row=2)] == ["Aval de la JAL", "Votación de PP"]


def test_a_year_without_pp_says_so() -> None:
    report = institution_report.institution_report(records(), adoption(), year=2024, on=ON)
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
