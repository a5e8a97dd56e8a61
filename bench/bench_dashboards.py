"""Script time of every public page (AppTest, median of 3) on the demo plan and on the demo ×100, with peak memory.

Not a test: run `python bench/bench_dashboards.py` and read the figures side by side. "fría" forgets every
computed figure (Streamlit's data cache and the assessed plan) before the page runs: the first visit after a data
change. "caliente" reruns it with the caches full: what a widget interaction costs. Each scale's pages run in a
process of their own (the plan is built before, elsewhere), so the peak RSS is what serving those pages cost. The
floor line is what merely reading the `commitment` and `progress_report` tables whole into pandas costs.

    python bench/bench_dashboards.py                 # demo and ×100
    python bench/bench_dashboards.py --scales 1 20   # other scales
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ROOT = Path(__file__).resolve().parent.parent
PAGES = {
    "Resumen": "pages/resumen.py",
    "Líneas": "pages/lineas.py",
    "Actores": "pages/actores.py",
    "Barrios": "pages/barrios.py",
    "Motivación": "pages/motivacion.py",
    "Articulación": "pages/articulacion.py",
    "Modo asamblea": "pages/asamblea.py",
    "Informes": "pages/informes.py",
}
RUNS = 3
TARGETS = {1: (0.5, 0.15), 100: (1.0, 0.3)}  # (cold, warm) seconds, issue "One rule for every figure"


def page_times(page: str) -> tuple[float, float]:
    from streamlit.testing.v1 import AppTest

    from ui.state import clear_computed

    cold, warm = [], []
    for _ in range(RUNS):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
        at.run()
        at.switch_page(page)
        clear_computed()
        started = time.perf_counter()
        at.run()
        cold.append(time.perf_counter() - started)
        assert not at.exception, at.exception
        started = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - started)
    return statistics.median(cold), statistics.median(warm)


def read_floor(url: str) -> float:
    import pandas as pd
    from sqlalchemy import text

    from core import db

    with db.make_engine(url).connect() as connection:
        started = time.perf_counter()
        pd.read_sql(text("SELECT * FROM commitment"), connection)
        pd.read_sql(text("SELECT * FROM progress_report"), connection)
        return time.perf_counter() - started


def measure(url: str, scale: int, commitments: int) -> dict[str, object]:
    """One scale, in this process (the plan is built by the parent, so its peak is the pages' own)."""
    import streamlit as st

    os.environ["DATABASE_URL"] = url
    st.cache_resource.clear()
    page_times(PAGES["Resumen"])  # warm-up: imports, engine, migrations check
    times = {name: page_times(page) for name, page in PAGES.items()}
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"scale": scale, "commitments": commitments, "times": times, "floor": read_floor(url), "peak_mb": peak_mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 100])
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)  # the child process: URL, scale, commitments
    args = parser.parse_args()
    if args.one is not None:
        url, scale, commitments = args.one
        print(json.dumps(measure(url, int(scale), int(commitments))))
        return
    from bench.bench_resumen import build

    results = []
    with tempfile.TemporaryDirectory() as folder:
        for scale in args.scales:
            url, _, commitments = build(Path(folder) / f"plan_x{scale}.db", scale)
            child = subprocess.run(
                [sys.executable, __file__, "--one", url, str(scale), str(commitments)],
                capture_output=True,
                text=True,
                check=True,
                cwd=ROOT,
            )
            results.append(json.loads(child.stdout.strip().splitlines()[-1]))
    for result in results:
        scale, commitments, peak = result["scale"], result["commitments"], result["peak_mb"]
        print(f"plan {scale}×: {commitments} compromisos · pico de memoria {peak:.0f} MB")
    header = "".join(f"{'fría ' + str(r['scale']) + '×':>11}{'caliente ' + str(r['scale']) + '×':>15}" for r in results)
    print(f"{'página':<16}{header}   metas (fría/caliente)")
    for name in PAGES:
        cells = "".join(f"{r['times'][name][0]:>11.2f}{r['times'][name][1]:>15.2f}" for r in results)
        goals = " · ".join(
            f"{r['scale']}×: {'sí' if meets(r, name) else 'NO'}" for r in results if r["scale"] in TARGETS
        )
        print(f"{name:<16}{cells}   {goals}")
    floors = "".join(f"{r['floor']:>11.2f}{'':>15}" for r in results)
    print(f"{'leer 2 tablas':<16}{floors}")
    if len(results) == 2:
        small, big = results
        ratios = [big["times"][n][0] / small["times"][n][0] for n in PAGES]
        print(f"razón fría {big['scale']}× ÷ {small['scale']}×: mediana {statistics.median(ratios):.1f}")


def meets(result: dict[str, object], page: str) -> bool:
    cold_goal, warm_goal = TARGETS[int(result["scale"])]  # type: ignore[call-overload]
    cold, warm = result["times"][page]  # type: ignore[index]
    return bool(cold <= cold_goal and warm <= warm_goal)


if __name__ == "__main__":
    main()
