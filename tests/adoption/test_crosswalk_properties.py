"""Properties of the crosswalk's figures on random crosswalks (Hypothesis): coverage and anchoring stay in 0–1, and
a proposed (or discarded) row never changes a figure."""

from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from core.adoption import alignment
from core.adoption.records import AdoptionData, typed_alignment

ON = date(2026, 7, 1)
LINES = ("L1", "L2", "L3", "L4")
ACTORS = (("A1", "público"), ("A2", "comunitario"), ("A3", "privado"))
INSTRUMENTS = (("I1", "A1", "Plan de Acción"), ("I2", "A1", "POAI"), ("I3", "A2", "otro"))
ALIGNMENT_COLUMNS = [
    "code", "instrument_code", "actor_code", "sector", "kind", "line_code", "program_code", "project_code",
    "their_code", "their_text", "level", "resources_cop", "year", "evidence", "state", "verified_by", "verified_on",
]  # fmt: skip

rows = st.lists(
    st.tuples(
        st.sampled_from(INSTRUMENTS),
        st.sampled_from(LINES),
        st.integers(0, 3),
        st.one_of(st.none(), st.sampled_from([0.0, 5e6, 1.2e8])),
        st.sampled_from(["verificado", "propuesto", "descartado"]),
        st.sampled_from([None, 2025, 2026]),
    ),
    max_size=12,
)
concerned = st.lists(st.tuples(st.sampled_from([i[0] for i in INSTRUMENTS]), st.sampled_from(LINES)), max_size=8)


def crosswalk(found: list[tuple[object, ...]], lines_of: list[tuple[str, str]]) -> AdoptionData:
    sectors = dict(ACTORS)
    table = [
        (f"R{n}", code, actor, sectors[actor], kind, line, None, None, "", "", level, cop, year, "", state,
         "Coordinación" if state == "verificado" else "", date(2026, 1, 5) if state == "verificado" else None)
        for n, ((code, actor, kind), line, level, cop, state, year) in enumerate(found)  # type: ignore[misc]
    ]  # fmt: skip
    return AdoptionData(
        profile=None,
        ideas=pd.DataFrame(columns=["code", "text", "sort_order"]),
        idea_lines=pd.DataFrame(columns=["idea_code", "line_code"]),
        lines=pd.DataFrame({"code": LINES, "name": LINES, "color": "#000000", "sort_order": range(4)}),
        actors=pd.DataFrame({"code": [a for a, _ in ACTORS], "name": [a for a, _ in ACTORS],
                             "short_name": [a for a, _ in ACTORS], "sector": [s for _, s in ACTORS]}),
        instruments=pd.DataFrame({"code": [i[0] for i in INSTRUMENTS], "actor_code": [i[1] for i in INSTRUMENTS],
                                  "kind": [i[2] for i in INSTRUMENTS], "name": "", "period_start": None,
                                  "period_end": None, "adopted_act": ""}),
        instrument_lines=pd.DataFrame(sorted(set(lines_of)), columns=["instrument_code", "line_code"]),
        alignment=typed_alignment(pd.DataFrame(table, columns=ALIGNMENT_COLUMNS)),
    )  # fmt: skip


def figures(data: AdoptionData) -> list[pd.DataFrame]:
    cards = alignment.actor_cards(data, ON).drop(columns="unverified")
    lines = alignment.transversality(data).drop(columns="unverified")
    return [cards, lines, alignment.resources_by_line(data, "kind"), alignment.resources_by_line(data, "sector")]


@settings(max_examples=25, deadline=None)
@given(rows, concerned)
def test_coverage_and_anchoring_are_shares(found: list[tuple[object, ...]], lines_of: list[tuple[str, str]]) -> None:
    cards = alignment.actor_cards(crosswalk(found, lines_of), ON)
    assert cards.coverage.dropna().between(0, 1).all()
    assert cards.anchoring.dropna().between(0, 1).all()
    assert (cards.lines_programmed <= cards.lines_concerned).all()


@settings(max_examples=25, deadline=None)
@given(rows, concerned, st.sampled_from(INSTRUMENTS), st.sampled_from(LINES), st.integers(0, 3),
       st.sampled_from(["propuesto", "descartado"]))  # fmt: skip
def test_an_unverified_row_never_changes_a_figure(
    found: list[tuple[object, ...]],
    lines_of: list[tuple[str, str]],
    instrument: tuple[str, str, str],
    line: str,
    level: int,
    state: str,
) -> None:
    before = figures(crosswalk(found, lines_of))
    after = figures(crosswalk([*found, (instrument, line, level, 9e8, state, 2026)], lines_of))
    for old, new in zip(before, after, strict=True):
        pd.testing.assert_frame_equal(old, new, check_dtype=False, check_index_type=False)  # empty frames vary
