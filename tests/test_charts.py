import pandas as pd

from core import charts
from core.metrics import STATUS_COLORS


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
    fig = charts.progress_vs_expected(breakdown())
    bars, marks = fig.data
    assert list(bars.y) == ["Línea B", "Línea A"]  # first row drawn on top
    assert list(bars.marker.color) == [STATUS_COLORS["sin reporte"], STATUS_COLORS["crítico"]]
    assert list(bars.text) == ["—", "56,3 %"]
    assert bars.customdata[1][2] == "crítico"
    assert list(marks.x) == [40.0, 80.0]
    assert fig.layout.separators == ",."


def test_count_bars_keep_category_order_and_spanish_numbers() -> None:
    fig = charts.count_bars(pd.Series({"al día": 1200, "crítico": 3}), colors=STATUS_COLORS, title="Estados")
    assert list(fig.data[0].x) == ["al día", "crítico"]
    assert list(fig.data[0].text) == ["1.200", "3"]


def test_line_colour_swatch_and_escaped_names() -> None:
    frame = breakdown().assign(color=["#2C7BB6", None], name=["Entorno", "<b>Hostil</b>"])
    bars = charts.progress_vs_expected(frame).data[0]
    assert list(bars.y) == ["&lt;b&gt;Hostil&lt;/b&gt;", '<span style="color:#2C7BB6">■</span> Entorno']
