"""Resumen page script time (AppTest, median of 5) on the demo plan and on a 20× larger generated plan.

Not a test: run `python bench/bench_resumen.py` and read the figures side by side. "cold" forgets every computed
figure before each run (``ui.state.clear_computed``: the first visit after a data change); "warm" reruns with the
caches full (what every widget interaction costs); "métricas" is ``core.views.plan_view`` alone, what the page reads.
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

from core import db, views
from core.demo.plan import DEMO_TODAY, load_demo
from core.metrics import snapshots
from ui.state import clear_computed

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5


def build(path: Path, scale: int) -> tuple[str, float, int]:
    url = f"sqlite:///{path}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    started = time.perf_counter()
    with db.transaction(engine) as session:
        load_demo(session=session, scale=scale)
    with Session(engine) as session:
        commitments = len(snapshots.load_snapshot(session=session, on=DEMO_TODAY).commitments)
    return url, time.perf_counter() - started, commitments


def page_times(url: str) -> tuple[float, float, float]:
    os.environ["DATABASE_URL"] = url
    cold, warm, core = [], [], []
    for _ in range(RUNS):
        clear_computed()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        assert not at.exception, at.exception
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
        with Session(db.make_engine(url)) as session:
            started = time.perf_counter()
            views.plan_view(session=session, on=DEMO_TODAY)  # what the page reads, without Streamlit
            core.append(time.perf_counter() - started)
    return statistics.median(cold), statistics.median(warm), statistics.median(core)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = []
        for scale in (1, 20):
            url, load_seconds, commitments = build(Path(folder) / f"plan_x{scale}.db", scale)
            st.cache_resource.clear()
            page_times(url)  # warm-up: imports, engine, migrations check
            cold, warm, core = page_times(url)
            rows.append((scale, commitments, load_seconds, cold, warm, core))
    header = ("plan", "compromisos", "carga demo s", "página fría s", "página caliente s", "métricas s")
    print(" ".join(f"{title:>{len(title) + 2}}" for title in header))
    for scale, commitments, load_seconds, cold, warm, core in rows:
        print(f"{scale:>5}× {commitments:>13} {load_seconds:>14.3f} {cold:>15.3f} {warm:>19.3f} {core:>12.3f}")
    base, big = rows
    ratios = (big[3] / base[3], big[4] / base[4], big[5] / base[5])
    print("ratio 20×/1×: página fría {:.1f}×, caliente {:.1f}×, métricas {:.1f}×".format(*ratios))


if __name__ == "__main__":
    main()
