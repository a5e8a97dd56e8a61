"""Communication packs and assembly slides: the figures they print, and that they are safe and self-contained.

The plan: barrio 1204 has C1 (40 % at 30/06) and C2 (never reported), both of actor A1; C3 of actor A2 (100 % at
30/06) is in 1201. Project 2026-01-01 → 2026-12-31, due 31/12; on 01/07 the expected progress is 181/364 = 49,7 %.
"""

import io
import re
from datetime import date

import openpyxl
import pandas as pd
import pytest
from sqlmodel import Session

from core.communication import assembly, packs, slides
from core.metrics import breakdowns, rule, snapshots
from core.participation.attendance import load_participation
from core.participation.coordination import load_pacts
from tests.plan_builder import PlanBuilder

ON = date(2026, 7, 1)
HOSTILE = '<script>alert(1)</script><img src=x onerror="alert(2)"> [enlace](javascript:alert(3))'


@pytest.fixture
def snapshot(session: Session) -> snapshots.Snapshot:
    build = PlanBuilder(session)
    project = build.project(build.program(build.line()))
    la_america, ferrini = build.barrio("1204"), build.barrio("1201")
    a1, a2 = build.actor(), build.actor(sector="comunitario")
    a1.name = HOSTILE
    c1 = build.commitment(project, actors=(a1,), barrios=(la_america,))
    c1.description = '=HYPERLINK("ejemplo","clic")'
    build.commitment(project, actors=(a1,), barrios=(la_america,))
    c3 = build.commitment(project, actors=(a2,), barrios=(ferrini,))
    build.report(c1, date(2026, 6, 30), pct=40)
    build.report(c3, date(2026, 6, 30), pct=100)
    session.commit()
    return snapshots.load_snapshot(session=session, on=ON)


def barrio(snapshot: snapshots.Snapshot, code: str = "1204") -> packs.Pack:
    return packs.barrio_pack(rule.assess_commitments(snapshot), snapshot, snapshots.DEFAULT_THRESHOLDS, code)


def test_barrio_summary_text(snapshot: snapshots.Snapshot) -> None:
    expected = (
        "Barrio Barrio 1204 – Plan Estratégico de la Comuna 12 – La América, corte al 01/07/2026. "
        "2 compromisos activos: 1 al día y 1 sin reporte. Avance físico 40,0 % (esperado a la fecha: 49,7 %). "
        "Fuente: Tablero del Plan – Comuna 12."
    )
    assert expected == packs.summary_text(barrio(snapshot))


def test_barrio_pack_holds_its_commitments_worst_first(snapshot: snapshots.Snapshot) -> None:
    pack = barrio(snapshot)
    assert list(pack.commitments.status) == ["sin reporte", "al día"]  # eficacia 40 ÷ 49,7 = 80,4 %: al día
    assert list(pack.partners.name) == [HOSTILE]
    assert list(pack.lines.commitments) == [2]


def test_actor_pack_uses_the_actor_ranking_row(snapshot: snapshots.Snapshot) -> None:
    assessed = rule.assess_commitments(snapshot)
    code = snapshot.actors.loc[snapshot.actors.sector == "comunitario", "code"].iloc[0]
    pack = packs.actor_pack(assessed, snapshot, snapshots.DEFAULT_THRESHOLDS, code)
    ranking = breakdowns.by_actor(assessed, snapshot).set_index("key").loc[code]
    assert (ranking.physical_progress, 1) == (pack.totals.physical_progress, pack.totals.n_cumplido)
    assert list(pack.partners.name) == ["Barrio 1201"]
    assert packs.summary_text(pack).endswith(
        "1 compromiso activo: 1 cumplido. Avance físico 100,0 % (esperado a la fecha: 49,7 %). "
        "Fuente: Tablero del Plan – Comuna 12."
    )


def test_html_report_is_offline_escaped_and_shows_the_figures(snapshot: snapshots.Snapshot) -> None:
    html = packs.pack_html(barrio(snapshot), is_demo=True)
    assert "http" not in html.lower()  # no link, no external asset: it opens and prints offline
    assert re.search(r"<[a-z]+[^>]*\s(?:src|href|on\w+)\s*=", html) is None  # no live link, image or handler
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "40,0 %" in html and "49,7 %" in html
    assert "Datos de demostración" in html
    assert "<svg" in html  # the barrio located on an inline map


def test_xlsx_carries_every_commitment_and_neutralizes_formulas(snapshot: snapshots.Snapshot) -> None:
    book = openpyxl.load_workbook(io.BytesIO(packs.pack_xlsx(barrio(snapshot))))
    assert book.sheetnames == ["Resumen", "Por línea", "Compromisos", "Actores del barrio", "Acerca de"]
    rows = list(book["Compromisos"].iter_rows(values_only=True))
    assert len(rows) == 3  # header + 2 commitments
    formula_like = next(row[1] for row in book["Compromisos"].iter_rows(min_row=2) if row[1].value.startswith("="))
    assert (formula_like.data_type, formula_like.quotePrefix) == ("s", True)  # text, never a live formula


def test_bulletin_text_counts_the_period(session: Session, snapshot: snapshots.Snapshot) -> None:
    before = snapshots.load_snapshot(session=session, on=date(2026, 5, 31))
    changes = assembly.period_changes(
        before, snapshot, participation=load_participation(session=session), pacts=load_pacts(session=session)
    )
    pack = packs.plan_bulletin(rule.assess_commitments(snapshot), snapshot, snapshots.DEFAULT_THRESHOLDS, changes)
    text = packs.summary_text(pack)
    assert (
        "Desde el 31/05/2026: 1 compromiso cumplido, 2 reportes de avance nuevos, 0 pactos o alianzas nuevas y "
        "2 actores que se sumaron." in text
    )
    html = packs.pack_html(pack, is_demo=False)
    assert "http" not in html.lower() and "Datos de demostración" not in html


def deck_data(session: Session, snapshot: snapshots.Snapshot) -> slides.DeckData:
    assessed = rule.assess_commitments(snapshot)
    before = snapshots.load_snapshot(session=session, on=date(2026, 5, 31))
    return slides.DeckData(
        on=ON,
        plan=breakdowns.plan_totals(assessed),
        lines=breakdowns.by_line(assessed, snapshot),
        barrios=breakdowns.by_barrio(assessed, snapshot),
        changes=assembly.period_changes(
            before, snapshot, participation=load_participation(session=session), pacts=load_pacts(session=session)
        ),
        reference="Desde el 31/05/2026, fecha elegida.",
        upcoming=assembly.upcoming_due(assessed, snapshot),
        motivation_now=None,
        is_demo=True,
    )


def test_every_slide_renders_escaped_with_its_number(session: Session, snapshot: snapshots.Snapshot) -> None:
    data = deck_data(session, snapshot)
    deck = assembly.deck(snapshot.lines, snapshot.barrios)
    for number, slide in enumerate(deck, start=1):
        html = slides.slide_html(slide, data, number=number, total=len(deck))
        assert "http" not in html.lower() and "<script" not in html.lower()
        if slide.kind not in slides.CHART_SLIDES:
            assert f"{number} / {len(deck)}" in html
        if slide.kind in ("linea", "barrio"):
            assert f">{'Barrio ' if slide.kind == 'barrio' else slide.key + ' · '}{slide.title}</h1>" in html
    summary = slides.slide_html(deck[0], data, number=1, total=len(deck))
    assert "70,0 %" in summary and "49,7 %" in summary  # (40 + 100) ÷ 2; C2 has no report and is left out
    items = re.findall(r"<li>", slides.slide_html(deck[-1], data, number=len(deck), total=len(deck)))
    assert len(items) == len(data.upcoming) <= assembly.MAX_ITEMS


def test_chart_slide_footer_and_lead(session: Session, snapshot: snapshots.Snapshot) -> None:
    data = deck_data(session, snapshot)
    assert "aún sin datos" in slides.chart_lead(assembly.Slide("curva", "", "Curva motivacional"), data)
    assert "3 / 9" in slides.footer_html(data, number=3, total=9)
    assert pd.isna(data.plan.financial_progress)
