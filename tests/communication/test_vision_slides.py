"""«Nuestra visión» opens and closes the deck, «El plan en la planeación de otros» shows the crosswalk by line."""

from datetime import date

import pandas as pd
from sqlmodel import Session

from core import db, formatting, views
from core.communication import assembly, slides

ON = date(2026, 11, 15)
LINES = pd.DataFrame({"code": ["L1"], "name": ["Línea 1"]})
BARRIOS = pd.DataFrame({"code": ["1201"], "name": ["Ferrini"]})


def test_the_vision_opens_and_closes_the_deck() -> None:
    kinds = [slide.kind for slide in assembly.deck(LINES, BARRIOS, vision=True, plans=True)]
    assert kinds[0] == kinds[-1] == "vision"
    assert kinds[-2] == "planes"
    assert assembly.deck(LINES, BARRIOS)[0].kind == "resumen"  # no vision recorded: no slide


def test_the_vision_and_crosswalk_slides_show_the_figures(demo_database_url: str) -> None:
    engine = db.make_engine(demo_database_url)
    with Session(engine) as session:
        data = views.deck_data(session=session, on=ON, since=date(2026, 8, 15), reference="")
    engine.dispose()
    assert data.vision is not None and data.vision.horizon is not None and data.crosswalk is not None
    first = slides.slide_html(assembly.VISION_SLIDE, data, number=1, total=28)
    assert "En 2035 la Comuna 12 – La América será un territorio organizado" in first
    horizon = data.vision.horizon
    assert f"Horizonte 2024–2035: va el {formatting.percent(horizon.elapsed)} del tiempo y el " in first
    assert f"{formatting.percent(horizon.progress)} del avance" in first
    for name, physical in zip(data.vision.ideas.name, data.vision.ideas.physical_progress, strict=True):
        assert name in first and formatting.percent(physical) in first
    others = slides.slide_html(assembly.Slide("planes", "", "El plan en la planeación de otros"), data, number=27,
                               total=28)  # fmt: skip
    l3 = data.crosswalk.set_index("line_code").loc["L3"]
    assert bool(l3.no_public_entity)
    assert 'L3 · Salud, Inclusión y Bienestar Social</span><span class="row-figure">1 actor · sin entidad pública' in (
        others
    )
    l4 = data.crosswalk.set_index("line_code").loc["L4"]
    assert (
        f"{l4.actors} actores · {l4.public_entities} públicas · {formatting.millions(l4.resources_cop)} millones"
        in (others)
    )
