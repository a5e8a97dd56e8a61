"""The institutionalization figures, computed by hand: ladder, timeline, windows, PP to the plan, PDL incorporation."""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine
from sqlmodel import Session

from core import db
from core.adoption import institution
from core.models import (
    Alignment,
    Instrument,
    Milestone,
    MilestoneKind,
    MilestoneLine,
    PPCeiling,
    PPProject,
)
from tests.plan_builder import PlanBuilder

TODAY = date(2026, 11, 15)
MILESTONE_COLUMNS = ["code", "title", "kind_code", "kind_name", "group", "issuer", "act_type", "act_number",
                     "act_date", "scope", "status", "target_date", "evidence", "lines"]  # fmt: skip


def milestones(*rows: dict[str, Any]) -> pd.DataFrame:
    base = {"title": "", "kind_code": "K", "kind_name": "Tipo", "group": "incorporación", "issuer": "",
            "act_type": "", "act_number": "", "act_date": None, "scope": "plan", "status": "por gestionar",
            "target_date": None, "evidence": "", "lines": ""}  # fmt: skip
    return pd.DataFrame([base | row for row in rows], columns=MILESTONE_COLUMNS)


def pp(*rows: dict[str, Any]) -> pd.DataFrame:
    base = {"code": "", "year": 2026, "name": "", "dependencia_code": "A1", "dependencia": "Secretaría 1",
            "assigned_cop": None, "executed_cop": None, "status": "votado", "line_code": None, "line_name": None,
            "program_code": None, "project_code": None, "project_name": None, "barrios": "",
            "commitments_budget_cop": None}  # fmt: skip
    return pd.DataFrame([base | row for row in rows], columns=list(base))


def records(frame: pd.DataFrame, columns: list[str]) -> list[dict[str, Any]]:
    """The rows as dicts, a missing amount as None (pandas holds it as NaN)."""
    return [{k: None if pd.isna(v) else v for k, v in row.items()} for row in frame[columns].to_dict("records")]


def ceilings(**by_year: float) -> pd.DataFrame:
    return pd.DataFrame({"year": [int(y[1:]) for y in by_year], "ceiling_cop": list(by_year.values())})


# ---------------------------------------------------------------------------------------------- milestones


def test_a_target_date_passed_without_closing_counts_as_overdue() -> None:
    frame = milestones(
        {"code": "H1", "status": "en trámite", "target_date": date(2026, 11, 14)},
        {"code": "H2", "status": "en trámite", "target_date": TODAY},
        {"code": "H3", "status": "logrado", "target_date": date(2026, 1, 1), "evidence": "acta"},
        {"code": "H4", "status": "anulado", "target_date": date(2026, 1, 1)},
        {"code": "H5", "status": "por gestionar"},
    )
    assert list(institution.standing(frame, TODAY)) == ["vencido", "en trámite", "logrado", "anulado", "por gestionar"]


def test_the_ladder_counts_each_group_by_status_and_lists_empty_groups() -> None:
    frame = milestones(
        {"code": "H1", "group": "reconocimiento", "status": "logrado", "act_number": "1"},
        {"code": "H2", "group": "incorporación", "status": "logrado", "evidence": "x"},
        {"code": "H3", "group": "incorporación", "status": "en trámite", "target_date": date(2026, 1, 1)},
        {"code": "H4", "group": "incorporación", "status": "por gestionar"},
    )
    ladder = institution.milestone_ladder(frame, TODAY).set_index("group")
    assert list(ladder.index) == ["reconocimiento", "incorporación", "financiación", "apropiación", "difusión",
                                  "control social", "contexto normativo"]  # fmt: skip
    assert ladder.loc["incorporación"].to_dict() == {
        "por gestionar": 1, "en trámite": 0, "logrado": 1, "vencido": 1, "anulado": 0, "total": 3
    }  # fmt: skip
    assert ladder.loc["difusión", "total"] == 0
    assert "score" not in ladder.columns


def test_the_timeline_uses_the_act_date_else_the_target_and_leaves_out_undated() -> None:
    frame = milestones(
        {"code": "H1", "act_date": date(2025, 6, 20), "target_date": date(2025, 6, 30), "status": "logrado",
         "act_number": "7"},
        {"code": "H2", "target_date": date(2025, 1, 1)},
        {"code": "H3"},
    )  # fmt: skip
    timeline = institution.milestone_timeline(frame, TODAY)
    assert timeline[["code", "date", "planned", "standing"]].to_dict("records") == [
        {"code": "H2", "date": date(2025, 1, 1), "planned": True, "standing": "vencido"},
        {"code": "H1", "date": date(2025, 6, 20), "planned": False, "standing": "logrado"},
    ]


def test_upcoming_windows_put_the_overdue_first_and_stop_at_the_horizon() -> None:
    frame = milestones(
        {"code": "H1", "target_date": date(2026, 12, 15), "status": "en trámite"},
        {"code": "H2", "target_date": date(2026, 10, 31), "status": "en trámite"},
        {"code": "H3", "target_date": date(2027, 1, 20)},
        {"code": "H4", "target_date": date(2026, 11, 20), "status": "logrado", "evidence": "acta"},
        {"code": "H5", "target_date": date(2026, 6, 30), "status": "vencido"},
        {"code": "H6"},
    )
    windows = institution.upcoming_windows(frame, TODAY, days=30)
    assert windows[["code", "days_left", "flag"]].to_dict("records") == [
        {"code": "H5", "days_left": -138, "flag": "vencido"},
        {"code": "H2", "days_left": -15, "flag": "vencido"},
        {"code": "H1", "days_left": 30, "flag": "próximo"},
    ]


def test_achieved_between_takes_acts_after_the_last_assembly() -> None:
    frame = milestones(
        {"code": "H1", "status": "logrado", "act_date": date(2026, 5, 1), "act_number": "1"},
        {"code": "H2", "status": "logrado", "act_date": date(2026, 9, 1), "act_number": "2"},
        {"code": "H3", "status": "en trámite", "act_date": date(2026, 9, 2)},
        {"code": "H4", "status": "logrado", "act_date": date(2026, 12, 1), "act_number": "4"},
        {"code": "H5", "status": "logrado", "evidence": "sin fecha"},
    )
    assert list(institution.achieved_between(frame, date(2026, 5, 1), TODAY).code) == ["H2"]
    assert list(institution.achieved_between(frame, None, TODAY).code) == ["H1", "H2"]


# ---------------------------------------------------------------------------------------------- PP


PROJECTS = pp(
    {"code": "PP1", "year": 2025, "assigned_cop": 300.0, "executed_cop": 200.0, "line_code": "L1", "line_name": "Uno"},
    {"code": "PP2", "year": 2025, "assigned_cop": 100.0, "line_code": "L2", "line_name": "Dos",
     "dependencia_code": "A2", "dependencia": "Secretaría 2"},
    {"code": "PP3", "year": 2025, "assigned_cop": 50.0, "executed_cop": 60.0},
    {"code": "PP4", "year": 2026, "assigned_cop": None, "line_code": "L1", "line_name": "Uno"},
    {"code": "PP5", "year": 2026, "assigned_cop": 40.0, "line_code": "L1", "line_name": "Uno"},
)  # fmt: skip


def test_pp_to_the_plan_per_year_keeps_off_plan_apart_and_says_sin_tope() -> None:
    years = institution.pp_by_year(PROJECTS, ceilings(y2025=1000.0, y2027=500.0)).set_index("year")
    assert years.loc[2025].to_dict() == {
        "ceiling_cop": 1000.0, "assigned_on_plan_cop": 400.0, "executed_on_plan_cop": 200.0,
        "assigned_off_plan_cop": 50.0, "executed_off_plan_cop": 60.0, "share_on_plan": 40.0, "projects": 3,
        "projects_off_plan": 1, "without_amount": 0,
    }  # fmt: skip
    in_2026 = years.loc[2026]
    assert (pd.isna(in_2026.ceiling_cop), pd.isna(in_2026.share_on_plan)) == (True, True)  # «sin tope», not 0 %
    assert (in_2026.assigned_on_plan_cop, in_2026.without_amount) == (40.0, 1)  # a blank amount is not a zero
    assert pd.isna(in_2026.executed_on_plan_cop)
    assert (years.loc[2027].share_on_plan, years.loc[2027].projects) == (0.0, 0)


def test_pp_per_line_and_per_dependencia_share_one_shape() -> None:
    tops = ceilings(y2025=1000.0)
    by_line = institution.pp_breakdown(PROJECTS, tops, "line", year=2025)
    assert by_line[["key", "name", "on_plan", "assigned_cop", "share_of_ceiling"]].to_dict("records") == [
        {"key": "L1", "name": "Uno", "on_plan": True, "assigned_cop": 300.0, "share_of_ceiling": 30.0},
        {"key": "L2", "name": "Dos", "on_plan": True, "assigned_cop": 100.0, "share_of_ceiling": 10.0},
        {"key": "", "name": "Fuera del plan", "on_plan": False, "assigned_cop": 50.0, "share_of_ceiling": 5.0},
    ]
    by_dependencia = institution.pp_breakdown(PROJECTS, tops, "dependencia", year=2025)
    assert list(by_dependencia.columns) == list(by_line.columns)
    assert records(by_dependencia, ["key", "on_plan", "projects", "assigned_cop", "executed_cop"]) == [
        {"key": "A1", "on_plan": True, "projects": 1, "assigned_cop": 300.0, "executed_cop": 200.0},
        {"key": "A2", "on_plan": True, "projects": 1, "assigned_cop": 100.0, "executed_cop": None},
        {"key": "A1", "on_plan": False, "projects": 1, "assigned_cop": 50.0, "executed_cop": 60.0},
    ]
    assert institution.pp_breakdown(PROJECTS, tops, "line", year=2026).share_of_ceiling.isna().all()


def test_overlaps_flag_pp_on_a_project_whose_commitments_have_budget() -> None:
    frame = pp(
        {"code": "PP1", "year": 2026, "assigned_cop": 10.0, "project_code": "P1", "commitments_budget_cop": 7.0},
        {"code": "PP2", "year": 2026, "assigned_cop": 10.0, "project_code": "P2", "commitments_budget_cop": None},
        {"code": "PP3", "year": 2026, "assigned_cop": 10.0},
    )
    overlaps = institution.pp_overlaps(frame)
    assert overlaps[["code", "assigned_cop", "commitments_budget_cop"]].to_dict("records") == [
        {"code": "PP1", "assigned_cop": 10.0, "commitments_budget_cop": 7.0}
    ]


amounts = st.one_of(st.none(), st.integers(0, 10**9).map(float))


@given(
    st.lists(
        st.tuples(st.sampled_from([2025, 2026]), st.sampled_from([None, "L1", "L2"]), amounts, amounts),
        max_size=12,
    ),
    st.one_of(st.none(), st.integers(1, 10**10).map(float)),
)
def test_pp_per_line_adds_up_to_the_year_and_never_counts_blanks(
    rows: list[tuple[int, str | None, float | None, float | None]], ceiling: float | None
) -> None:
    frame = pp(*(
        {"code": f"PP{n}", "year": year, "line_code": line, "line_name": line, "assigned_cop": assigned,
         "executed_cop": executed}
        for n, (year, line, assigned, executed) in enumerate(rows)
    ))  # fmt: skip
    tops = ceilings(y2025=ceiling) if ceiling is not None else ceilings()
    years = institution.pp_by_year(frame, tops).set_index("year")
    lines = institution.pp_breakdown(frame, tops, "line")
    for year, row in years.iterrows():
        on = lines.loc[(lines.year == year) & lines.on_plan, "assigned_cop"].dropna()
        given_on = [a for y, ln, a, _ in rows if y == year and ln is not None and a is not None]
        assert pd.isna(row.assigned_on_plan_cop) if not given_on else row.assigned_on_plan_cop == sum(given_on)
        assert on.sum() == pytest.approx(sum(given_on))
        has_ceiling = year == 2025 and ceiling is not None
        assert pd.isna(row.share_on_plan) != has_ceiling
        assert row.projects == sum(1 for y, *_ in rows if y == year)


# ---------------------------------------------------------------------------------------------- the plan in the PDL


LINES = pd.DataFrame({"code": ["L1", "L2", "L3", "L4"], "name": ["Uno", "Dos", "Tres", "Cuatro"]})


def test_pdl_incorporation_counts_lines_with_a_verified_row_of_level_one_or_more() -> None:
    rows = pd.DataFrame(
        [
            ("PDL componente estratégico", "L1", 1),
            ("PDL componente estratégico", "L1", 3),
            ("PDL componente estratégico", "L2", 0),  # absent: not present
            ("PDL componente estratégico", "L9", 2),  # an archived line: not among the active ones
            ("PDL programa", "L3", 2),
            ("Plan de Acción", "L4", 3),  # another kind of instrument
        ],
        columns=["instrument_kind", "line_code", "level"],
    )
    figures = institution.pdl_incorporation(rows, LINES)
    assert figures[["label", "lines_present", "active_lines", "share"]].to_dict("records") == [
        {"label": "Componente estratégico del PDL", "lines_present": 1, "active_lines": 4, "share": 25.0},
        {"label": "Programa del PDL", "lines_present": 1, "active_lines": 4, "share": 25.0},
    ]
    per_line = institution.pdl_lines(rows, LINES).set_index("line_code")
    assert per_line.loc["L1"].to_dict() == {"line_name": "Uno", "in_component": True, "in_program": False}


def test_pdl_incorporation_with_no_active_line_has_no_share() -> None:
    empty = pd.DataFrame(columns=["instrument_kind", "line_code", "level"])
    assert institution.pdl_incorporation(empty, LINES.iloc[0:0]).share.isna().all()


# ---------------------------------------------------------------------------------------------- the loader


def test_the_loader_counts_only_verified_rows_and_leaves_archived_records_out(engine: Engine) -> None:
    with db.transaction(engine) as session:
        build = PlanBuilder(session)
        line = build.line(code="L1")
        project = build.project(build.program(line))
        build.commitment(project, budget=500.0)
        build.commitment(project, budget=300.0, cancelled=True)
        secretaria = build.actor()
        kind = MilestoneKind(code="K", name="Aval", group_name="reconocimiento")
        session.add(kind)
        session.flush()
        kept = Milestone(code="H1", kind_id=kind.id, title="Aval", status="logrado", evidence="acta")
        session.add_all([kept, Milestone(code="H2", kind_id=kind.id, title="Viejo", archived_on=TODAY)])
        session.flush()
        session.add(MilestoneLine(milestone_id=kept.id, line_id=line.id))
        session.add(PPCeiling(year=2026, ceiling_cop=1000.0))
        session.add(PPProject(code="PP1", year=2026, name="Andenes", dependencia_id=secretaria.id,
                              assigned_cop=100.0, line_id=line.id, project_id=project.id))  # fmt: skip
        pdl = Instrument(code="I1", actor_id=secretaria.id, kind="PDL componente estratégico", name="PDL")
        session.add(pdl)
        session.flush()
        for code, state in (("AL1", "verificado"), ("AL2", "propuesto")):
            session.add(Alignment(code=code, instrument_id=pdl.id, line_id=line.id, level=2, state=state))
    with Session(engine) as session:
        data = institution.load_institution(session=session)
    assert data.milestones[["code", "lines"]].to_dict("records") == [{"code": "H1", "lines": "L1"}]
    assert data.pp[["code", "line_code", "commitments_budget_cop"]].to_dict("records") == [
        {"code": "PP1", "line_code": "L1", "commitments_budget_cop": 500.0}  # the cancelled one is not counted
    ]
    assert list(data.alignments.instrument_code) == ["I1"]
    assert len(data.alignments) == 1  # the proposed row is left out
