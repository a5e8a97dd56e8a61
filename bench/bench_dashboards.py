"""Script time of every dashboard page (AppTest, median of 3) on the demo plan and on a 20× larger plan.

Not a test: run `python bench/bench_dashboards.py` and read the figures side by side. "fría" clears Streamlit's
data cache before the page runs (first visit after a data change); "caliente" reruns it with the cache full
(what a widget interaction costs). The progress curve (one roll-up per month) is also timed alone.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import streamlit as st
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from bench.bench_resumen import build
from core import db, metrics
from core.demo import DEMO_TODAY
from core.progress_history import progress_history

ROOT = Path(__file__).resolve().parent.parent
PAGES = ("pages/resumen.py", "pages/lineas.py", "pages/actores.py", "pages/barrios.py")
RUNS = 3


def page_times(url: str, page: str) -> tuple[float, float]:
    os.environ["DATABASE_URL"] = url
    cold, warm = [], []
    for _ in range(RUNS):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        at.run()
        at.switch_page(page)
        st.cache_data.clear()
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        assert not at.exception, at.exception
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    return statistics.median(cold), statistics.median(warm)


def history_time(url: str) -> float:
    with Session(db.make_engine(url)) as session:
        snapshot = metrics.load_snapshot(session=session, on=DEMO_TODAY)
    started = time.perf_counter()
    progress_history(snapshot)
    return time.perf_counter() - started


def main() -> None:
    results: dict[tuple[int, str], tuple[float, float]] = {}
    curves: dict[int, float] = {}
    with tempfile.TemporaryDirectory() as folder:
        for scale in (1, 20):
            url, _, commitments = build(Path(folder) / f"plan_x{scale}.db", scale)
            print(f"plan {scale}×: {commitments} compromisos")
            st.cache_resource.clear()
            page_times(url, PAGES[0])  # warm-up: imports, engine, migrations check
            for page in PAGES:
                results[scale, page] = page_times(url, page)
            curves[scale] = history_time(url)
    print(f"{'página':<22}{'fría 1×':>10}{'fría 20×':>10}{'razón':>8}{'caliente 1×':>14}{'caliente 20×':>14}")
    for page in PAGES:
        (cold1, warm1), (cold20, warm20) = results[1, page], results[20, page]
        print(f"{page:<22}{cold1:>10.2f}{cold20:>10.2f}{cold20 / cold1:>8.1f}{warm1:>14.2f}{warm20:>14.2f}")
    print(f"{'curva de avance sola':<22}{curves[1]:>10.2f}{curves[20]:>10.2f}{curves[20] / curves[1]:>8.1f}")


if __name__ == "__main__":
    main()
