from datetime import date

import pandas as pd

from core.charts import progress
from core.metrics.rule import STATUS_COLORS
from core.plan.barrios import barrio_shapes


def breakdown() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["Línea A", "Línea B"],
            "physical_progress": [56.25, None],
            "expected_progress": [80.0, 40.0],
            "status": ["crítico", "sin reporte"],
        }
    )


def test_progress_vs_expected_colours_by_semaforo_and_marks_expected() -> None:
    fig = progress.progress_vs_expected(breakdown())
    bars, marks = fig.data
    assert list(bars.y) == ["Línea B", "Línea A"]  # first row drawn on top
    assert list(bars.marker.color) == [STATUS_COLORS["sin reporte"], STATUS_COLORS["crítico"]]
    assert list(bars.text) == ["—", "56,3 %"]
    assert bars.customdata[1][2] == "crítico"
    assert list(marks.x) == [40.0, 80.0]
    assert fig.layout.separators == ",."


def test_count_bars_keep_category_order_and_spanish_numbers() -> None:
    fig = progress.count_bars(pd.Series({"al día": 1200, "crítico": 3}), colors=STATUS_COLORS, title="Estados")
    assert list(fig.data[0].x) == ["al día", "crítico"]
    assert list(fig.data[0].text) == ["1.200", "3"]


def test_line_colour_swatch_and_escaped_names() -> None:
    frame = breakdown().assign(color=["#2C7BB6", None], name=["Entorno", "<b>Hostil</b>"])
    bars = progress.progress_vs_expected(frame).data[0]
    assert list(bars.y) == ["&lt;b&gt;Hostil&lt;/b&gt;", '<span style="color:#2C7BB6">■</span> Entorno']


def test_barrio_map_draws_every_barrio_offline() -> None:
    shapes = barrio_shapes()
    values = pd.Series({"1201": 0.0, "1204": 100.0})  # the others have no value
    fig = progress.barrio_map(shapes, values, pd.Series({"1204": "La América"}), title="Avance físico")
    polygons = [trace for trace in fig.data if trace.fill == "toself"]
    assert len({trace.name for trace in polygons}) == 13
    fills = {trace.name: trace.fillcolor for trace in polygons}
    assert fills["Ferrini"] != fills["La América"]
    assert fills["Los Pinos"] == "#E3E5E8"  # sin dato: grey, not the colour of 0 %
    labels = next(trace for trace in fig.data if trace.name == "Barrios")
    assert list(labels.customdata) == [shape.code for shape in shapes]
    assert "Calasanz<br>Parte Alta" in labels.text
    assert not any(trace.type.startswith(("scattergeo", "choropleth", "scattermap")) for trace in fig.data)
    assert fig.layout.yaxis.scaleanchor == "x"
    scale = next(trace for trace in fig.data if trace.marker.showscale)
    assert scale.marker.colorbar.separatethousands  # "8.000", not "8000", on the money map


def test_heatmap_leaves_cells_without_commitments_empty() -> None:
    matrix = pd.DataFrame(
        {"name": ["Ferrini", "Calasanz"], "line_code": ["L1", "L2"], "physical_progress": [50.0, None],
         "commitments": [2, 1]}
    )  # fmt: skip
    heat = progress.line_heatmap(matrix, row_order=["Ferrini", "Calasanz"], column_order=["L1", "L2"]).data[0]
    assert [list(row) for row in heat.text] == [["50 %<br>(2)", ""], ["", "—<br>(1)"]]
    assert heat.z[0][0] == 50.0


def test_progress_history_has_spanish_month_ticks() -> None:
    history = pd.DataFrame(
        {"on": [date(2026, 1, 31), date(2026, 2, 28)], "physical_progress": [10.0, 20.0],
         "expected_progress": [12.0, 25.0], "coverage": [0.5, 1.0], "reported": [1, 2]}
    )  # fmt: skip
    fig = progress.progress_history(history)
    assert list(fig.layout.xaxis.ticktext) == ["ene 2026", "feb 2026"]
    assert [trace.name for trace in fig.data] == ["Avance esperado", "Avance físico"]
    assert fig.data[1].customdata[1][2] == "100 %"


def test_heatmap_rows_are_the_names_given() -> None:
    matrix = pd.DataFrame(
        {"name": ["JAC (A-1)", "JAC (A-2)"], "line_code": ["L1", "L1"], "physical_progress": [10.0, 90.0],
         "commitments": [1, 1]}
    )  # fmt: skip
    heat = progress.line_heatmap(matrix, row_order=["JAC (A-1)", "JAC (A-2)"], column_order=["L1"]).data[0]
    assert [row[0] for row in heat.z] == [10.0, 90.0]
