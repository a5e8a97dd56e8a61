"""A 50.000-row progress sheet: end-to-end upload (validate + apply) against the bare reads, in one run.

Not a test: run `python bench/bench_upload.py`. Measures, side by side on the same file:
- the bare python-calamine read of the sheet (the floor: nothing can be faster than reading it);
- validate + apply end to end into a 20× demo plan (about 4.900 commitments), in a fresh child process whose
  peak memory (max RSS) is reported;
- ``pandas.read_excel(engine="openpyxl")`` of the same file (what a naive importer would spend just reading).
Targets (issue 4): end to end ≤ 2× the calamine read, ≥ 4× faster than pandas + openpyxl, peak ≤ 400 MB.

It also measures the floor of any importer: the calamine read plus one bare ``executemany`` of the rows into
``progress_report`` (no validation, no matching, no audit). Target (issue 15): end to end ≤ 1,5× the floor,
run by run: each upload against the mean of the floor run just before it and the one just after it.
Every side runs in a fresh child process, so both start from the same state. The floor used to run
inside this process; the upload's child, started from a parent that had built the plan, read the file with openpyxl
and run the floors, then took 1,4-1,5 s where the same child started by hand took 0,9-1,1 s on this machine.
Both are given in wall-clock time and in the process's own CPU time: on a shared 2-core machine other work
stretches wall-clock figures unevenly, while CPU time counts only what the upload itself did (it leaves out the
wait for the disk, which both sides share). The upload's process configures the ORM mappers before the clock
starts, as the app does when it starts.
"""

from __future__ import annotations

import io
import itertools
import json
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import pandas as pd
import python_calamine
from openpyxl import Workbook
from sqlalchemy import delete
from sqlmodel import Session

from core import db
from core.demo.plan import DEMO_TODAY, load_demo
from core.metrics import rule, snapshots
from core.models import ProgressReport

ROWS = 50_000
RUNS = 7  # run in turn (floor, upload, floors, upload…): each upload is compared with the floors run either side
# of it, so a machine whose speed drifts between runs (this 2-core one does, by a fifth and more) is compared with
# itself at about the same moment.
HEADER = ["Código compromiso", "Fecha de corte", "Avance físico (%)", "Valor logrado", "Presupuesto ejecutado",
          "Observaciones"]  # fmt: skip


SINCE = date(2026, 10, 1)  # the upload brings October and November; the plan's own reports stop before


def build_plan(path: Path) -> tuple[str, list[tuple[str, float]]]:
    """A 20× demo plan without its reports from October on; returns (code, last progress) of the commitments
    that can take reports then."""
    url = f"sqlite:///{path}"
    engine = db.make_engine(url)
    db.upgrade(engine)
    with db.transaction(engine) as session:
        load_demo(session=session, scale=20)
        session.execute(delete(ProgressReport).where(ProgressReport.cut_off_date >= SINCE))  # type: ignore[arg-type]
    with Session(engine) as session:
        snapshot = snapshots.load_snapshot(session=session, on=DEMO_TODAY)
    engine.dispose()
    assessed = rule.assess_commitments(snapshot)
    open_ones = assessed.loc[assessed.active & (assessed.start_date.isna() | (assessed.start_date < "2026-10-01"))]
    return url, list(zip(open_ones.code, open_ones.physical_progress.fillna(0), strict=True))


def build_sheet(commitments: list[tuple[str, float]]) -> bytes:
    """People's mix: text dates and real dates, "85 %" and numbers, money with and without signs; progress
    grows date after date, as real reports do, and a handful of rows carry the usual mistakes."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Avances")
    sheet.append(HEADER)
    days = [SINCE + timedelta(days=i) for i in range((DEMO_TODAY - SINCE).days + 1)]
    for i in range(ROWS):
        code, last = commitments[i % len(commitments)]
        step = i // len(commitments)
        day = days[step % len(days)]
        value = min(100.0, round(last + step, 1))
        progress: object = f"{value:g} %".replace(".", ",") if i % 3 == 0 else value
        money: object = f"$ {i * 1000:,}".replace(",", ".") if i % 2 else i * 1000
        if i % 5000 == 7:
            progress = "mucho"  # text in a number column
        sheet.append([code, day.strftime("%d/%m/%Y") if i % 2 else day, progress, None, money,
                      "nota" if i % 10 == 0 else None])  # fmt: skip
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_and_insert(data: bytes, path: Path, *, every_column: bool, grouped: bool = False) -> tuple[float, float]:
    """The floor: calamine read, then the rows written with one executemany, nothing checked. (Wall, CPU) s.

    ``every_column``: the rows as the upload writes them (its nine columns besides the id; number cells as they come,
    texts in number columns left blank: no parsing);
    otherwise the six columns the first version of this floor wrote, kept to compare with earlier figures.
    ``grouped``: the rows sorted by commitment before the insert, as the upload writes them (the indexes of
    ``progress_report`` start with the commitment, so grouped rows are cheaper to insert)."""
    started, cpu = time.perf_counter(), time.process_time()
    rows = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("Avances").to_python()
    connection = sqlite3.connect(path)
    ids = dict(connection.execute("SELECT code, id FROM commitment"))
    now = time.strftime("%Y-%m-%d %H:%M:%S")

    def day(value: object) -> str:
        return value.isoformat()[:10] if isinstance(value, date) else f"{value[6:10]}-{value[3:5]}-{value[0:2]}"

    def number(value: object) -> float | None:
        return value if isinstance(value, float) else None  # numbers as they come; anything else left blank

    if every_column:
        columns = ("commitment_id, cut_off_date, physical_pct, achieved_value, budget_executed_cop, note, "
                   "import_batch_id, reported_by, created_at")  # fmt: skip
        values = [
            (ids[code], day(cut_off), number(pct), number(value), number(money), note or "", 1, "bench", now)
            for code, cut_off, pct, value, money, note in rows[1:]
        ]
    else:
        columns = "commitment_id, cut_off_date, physical_pct, note, reported_by, created_at"
        values = [
            (ids[code], day(cut_off), pct if isinstance(pct, float) else None, "", "bench", now)
            for code, cut_off, pct, *_ in rows[1:]
        ]
    if grouped:
        values.sort(key=lambda row: row[0])
    marks = ", ".join("?" * len(values[0]))
    with connection:
        connection.executemany(f"INSERT INTO progress_report ({columns}) VALUES ({marks})", values)
    connection.close()
    return time.perf_counter() - started, time.process_time() - cpu


CHILD = """
import json, resource, sys, time
from datetime import date
sys.path.insert(0, {root!r})
from sqlalchemy import delete
from sqlmodel import Session
from core import db
from sqlalchemy.orm import configure_mappers
from core.uploads.progress import apply_progress, validate_progress
data = open({file!r}, "rb").read()
engine = db.make_engine({url!r})
configure_mappers()  # done once per process, when the app starts; not part of any upload
started, cpu = time.perf_counter(), time.process_time()
with Session(engine) as session:
    preview = validate_progress(session=session, data=data, file_name="bench.xlsx", today=date(2026, 11, 15))
validated = time.perf_counter()
with db.transaction(engine) as session:
    result = apply_progress(session=session, preview=preview, user="bench")
done = time.perf_counter()
print(json.dumps({{"validate": validated - started, "total": done - started, "cpu": time.process_time() - cpu,
                  "applied": result.inserted + result.updated, "held": result.held, "problems": len(preview.problems),
                  "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}}))
"""


FLOOR_CHILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, {bench!r})
from bench_upload import read_and_insert
data = open({file!r}, "rb").read()
wall, cpu = read_and_insert(data, Path({path!r}), every_column={every_column!r}, grouped={grouped!r})
print(json.dumps({{"wall": wall, "cpu": cpu}}))
"""


def floor_in_child(file: Path, path: Path, *, every_column: bool, grouped: bool = False) -> tuple[float, float]:
    """``read_and_insert`` in a fresh process, as the upload is measured: both sides start from the same state
    (a process that has not yet grown its memory), so neither pays for setting up memory the other had ready."""
    code = FLOOR_CHILD.format(
        bench=str(Path(__file__).resolve().parent), file=str(file), path=str(path), every_column=every_column,
        grouped=grouped,
    )  # fmt: skip
    output = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    found = json.loads(output.stdout.strip().splitlines()[-1])
    return found["wall"], found["cpu"]


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder) / "plan.db"
        _, commitments = build_plan(base)
        data = build_sheet(commitments)
        file = Path(folder) / "bench.xlsx"
        file.write_bytes(data)
        calamine, pandas_openpyxl, end_to_end, floor = [], [], [], []
        calamine_cpu, end_to_end_cpu, floor_cpu, narrow_floor, narrow_floor_cpu = [], [], [], [], []
        grouped_floor, grouped_floor_cpu = [], []
        child = {}
        bare_copy = Path(folder) / "floor_first.db"
        shutil.copy(base, bare_copy)
        floor_before = [floor_in_child(file, bare_copy, every_column=True)]  # the floor just before each upload
        for run in range(RUNS):
            started, cpu = time.perf_counter(), time.process_time()
            book = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
            rows = book.get_sheet_by_name("Avances").to_python()
            calamine.append(time.perf_counter() - started)
            calamine_cpu.append(time.process_time() - cpu)
            assert len(rows) == ROWS + 1
            copy = Path(folder) / f"run{run}.db"
            shutil.copy(base, copy)
            output = subprocess.run(
                [sys.executable, "-c", CHILD.format(root=str(root), file=str(file), url=f"sqlite:///{copy}")],
                check=True, capture_output=True, text=True,
            )  # fmt: skip
            child = json.loads(output.stdout.strip().splitlines()[-1])
            end_to_end.append(child["total"])
            end_to_end_cpu.append(child["cpu"])
            bare_copy = Path(folder) / f"floor{run}.db"
            shutil.copy(base, bare_copy)
            wall, cpu_seconds = floor_in_child(file, bare_copy, every_column=True)
            floor.append(wall)
            floor_cpu.append(cpu_seconds)
            floor_before.append((wall, cpu_seconds))
            grouped_copy = Path(folder) / f"grouped{run}.db"
            shutil.copy(base, grouped_copy)
            wall, cpu_seconds = floor_in_child(file, grouped_copy, every_column=True, grouped=True)
            grouped_floor.append(wall)
            grouped_floor_cpu.append(cpu_seconds)
            narrow_copy = Path(folder) / f"narrow{run}.db"
            shutil.copy(base, narrow_copy)
            wall, cpu_seconds = floor_in_child(file, narrow_copy, every_column=False)
            narrow_floor.append(wall)
            narrow_floor_cpu.append(cpu_seconds)
            if run == 0:
                started = time.perf_counter()
                pd.read_excel(io.BytesIO(data), engine="openpyxl")
                pandas_openpyxl.append(time.perf_counter() - started)
        bare, e2e, naive = statistics.median(calamine), statistics.median(end_to_end), pandas_openpyxl[0]
        print(f"archivo: {ROWS} filas, {len(data) / 1_048_576:.1f} MB; {len(commitments)} compromisos abiertos")
        print(f"lectura calamine sola:          {bare:6.2f} s")
        print(f"validar + aplicar (extremo a extremo): {e2e:6.2f} s  (validar {child['validate']:.2f} s)  "
              f"= {e2e / bare:.1f}× la lectura calamine")  # fmt: skip
        lowest = statistics.median(floor)
        print(f"piso: lectura calamine + executemany sin validar de las mismas filas (9 columnas): {lowest:6.2f} s  "
              f"= {lowest / bare:.1f}× la lectura")  # fmt: skip
        narrow, narrow_cpu = statistics.median(narrow_floor), statistics.median(narrow_floor_cpu)
        print(f"piso anterior (6 columnas): {narrow:6.2f} s; extremo a extremo ÷ piso anterior: {e2e / narrow:.2f}× "
              f"en reloj, {statistics.median(end_to_end_cpu) / narrow_cpu:.2f}× en CPU")  # fmt: skip
        cpu_floor, cpu_e2e = statistics.median(floor_cpu), statistics.median(end_to_end_cpu)
        print(f"extremo a extremo ÷ piso: {e2e / lowest:.2f}× en reloj; en tiempo de CPU del proceso "
              f"{cpu_e2e:.2f} s ÷ {cpu_floor:.2f} s = {cpu_e2e / cpu_floor:.2f}× (lectura sola "
              f"{statistics.median(calamine_cpu):.2f} s de CPU)")  # fmt: skip
        grouped, grouped_cpu = statistics.median(grouped_floor), statistics.median(grouped_floor_cpu)
        print(f"piso con las filas agrupadas por compromiso, como las escribe la carga: {grouped:6.2f} s; extremo a "
              f"extremo ÷ ese piso: {e2e / grouped:.2f}× en reloj, {cpu_e2e / grouped_cpu:.2f}× en CPU")  # fmt: skip
        # Each upload against the mean of the floor just before it and the one just after it.
        around = [((a[0] + b[0]) / 2, (a[1] + b[1]) / 2) for a, b in itertools.pairwise(floor_before)]
        pairs = sorted(e / f[0] for e, f in zip(end_to_end, around, strict=True))
        cpu_pairs = sorted(e / f[1] for e, f in zip(end_to_end_cpu, around, strict=True))
        print(f"extremo a extremo ÷ piso de antes y después, corrida por corrida (la mediana es la cifra): en reloj "
              f"{statistics.median(pairs):.2f}× ({pairs[0]:.2f}–{pairs[-1]:.2f}), en CPU "
              f"{statistics.median(cpu_pairs):.2f}× ({cpu_pairs[0]:.2f}–{cpu_pairs[-1]:.2f})")  # fmt: skip
        print(f"lo mejor de cada lado (mínimo ÷ mínimo): en reloj {min(end_to_end) / min(floor):.2f}×, en CPU "
              f"{min(end_to_end_cpu) / min(floor_cpu):.2f}×")  # fmt: skip
        print(f"pandas.read_excel(openpyxl):    {naive:6.2f} s  = {naive / e2e:.1f}× más lento que extremo a extremo")
        print(f"memoria máxima (proceso de carga): {child['max_rss_mb']:.0f} MB; aplicadas {child['applied']}, "
              f"retenidas {child['held']}, observaciones {child['problems']}")  # fmt: skip


if __name__ == "__main__":
    main()
