"""The plan in the actors' own planning (DESIGN.md §8): figures of the crosswalk, pure functions over frames.

Only «verificado» rows count in a figure; «propuesto» rows are shown as unverified and never counted; «descartado»
rows never. Crosswalk money (what an instrument programs) is shown beside the commitments' budgets, never added to
them: ``overlaps`` names the rows that sit on a project of ours that also has commitment budget.
"""

from __future__ import annotations

from datetime import date

import pandas as pd

from core.adoption.records import AdoptionData
from core.metrics.rule import DONE
from core.metrics.snapshots import Snapshot
from core.models import ALIGNMENT_LEVELS
from core.plan.rules import VERIFIED

PROPOSED, DISCARDED = "propuesto", "descartado"
PROGRAMMED = 2  # from this level a line counts as taken up by the instrument
IN_EXECUTION = 4  # derived, never recorded: the actor has live commitments on the line
LEVEL_LABELS: dict[int, str] = {**ALIGNMENT_LEVELS, IN_EXECUTION: "en ejecución"}
PUBLIC = "público"
WITHOUT_PROGRAMMING = "con compromisos"  # executes on a line its instruments do not (yet, or verifiably) program
REVIEW_FRESH_DAYS, REVIEW_OUTDATED_DAYS = 365, 730  # a Plan de Acción is yearly: a review a year old is due
REVIEW_FRESH, REVIEW_OUTDATED, REVIEW_OLD, NOT_VERIFIED = "al día", "desactualizada", "vencida", "sin verificar"

HOW_COVERAGE = (
    "**Cobertura de los instrumentos de un actor** = líneas del plan que sus instrumentos toman al menos en el nivel "
    "2 (*programado*) ÷ líneas del plan que sus instrumentos dicen tocar. Solo cuentan las filas *verificadas*; una "
    "fila *propuesta* se muestra como sin verificar y no cuenta; una *descartada*, nunca. Un actor sin instrumentos "
    "no tiene cobertura (queda en blanco, no en cero). **Líneas ausentes**: las que sus instrumentos dicen tocar y "
    "no tienen ninguna fila verificada de nivel 1 o más."
)
HOW_ANCHORING = (
    "**Anclaje** = recursos que el actor programó en líneas del plan (filas verificadas de nivel 2 o 3) ÷ todo lo "
    "que programó en la comuna, que es la suma de los recursos de todas sus filas verificadas, incluidas las de "
    "nivel 0 (programas suyos en la comuna que no son del plan) y 1. Filas sin recursos no suman (en blanco no es "
    "cero). Con un año elegido, solo cuentan los recursos de ese año."
)
HOW_TRANSVERSALITY = (
    "**Transversalidad de una línea**: cuántos sectores y cuántas entidades públicas la toman al menos en el nivel "
    "2 (*programado*) en una fila verificada. Una línea que ninguna entidad pública programa queda señalada. "
    "**Recursos en la planeación de otros**: la suma de los recursos de las filas verificadas de la línea, por año "
    "y por fuente (tipo de instrumento o sector). Se muestran al lado del presupuesto de los compromisos, nunca "
    "sumados a él: una fila sobre un proyecto nuestro que ya tiene presupuesto comprometido se señala como posible "
    "doble conteo."
)
HOW_LEVELS = (
    "**Niveles**: 0 ausente · 1 mencionado · 2 programado · 3 con recursos este año (de las filas verificadas, el "
    "más alto de los instrumentos del actor). **4 en ejecución** no se registra: una línea que el actor programa "
    "(nivel 2 o 3) sube a 4 cuando tiene compromisos vivos en ella (activos, con el proyecto ya empezado a la fecha "
    "de corte y sin cumplir). Si tiene compromisos vivos en una línea que sus instrumentos no programan, la celda "
    "dice *con compromisos*. Una celda solo con filas propuestas se dibuja como *sin verificar*; ✓ marca que la "
    "fila verificada trae evidencia."
)
HOW_FRESHNESS = (
    f"**Frescura de la revisión**: días desde la última fila verificada del actor (su «Verificado el»): hasta "
    f"{REVIEW_FRESH_DAYS} días *al día*, hasta {REVIEW_OUTDATED_DAYS} *desactualizada*, más *vencida*; un actor con "
    "instrumentos y ninguna fila verificada está *sin verificar*."
)


def counted(alignment: pd.DataFrame) -> pd.DataFrame:
    """The rows every figure counts: the verified ones."""
    return alignment.loc[alignment.state == VERIFIED]


def _codes(values: pd.Series) -> str:
    return ", ".join(sorted(set(values.astype(str))))


def concerned_lines(data: AdoptionData) -> pd.DataFrame:
    """actor_code, line_code: the lines an actor's instruments say they concern (once per actor)."""
    owners = data.instruments[["code", "actor_code"]].rename(columns={"code": "instrument_code"})
    pairs = data.instrument_lines.merge(owners, on="instrument_code")
    return pairs[["actor_code", "line_code"]].drop_duplicates().reset_index(drop=True)


def coverage(data: AdoptionData) -> pd.DataFrame:
    """One row per active actor: instruments, lines concerned, lines programmed (level ≥ 2, verified, among the
    concerned), coverage in 0–1 (blank without instruments or lines), absent lines and unverified rows."""
    concerned = concerned_lines(data)
    verified = counted(data.alignment)
    best = verified.groupby(["actor_code", "line_code"])["level"].max().rename("level").reset_index()
    cells = concerned.merge(best, on=["actor_code", "line_code"], how="left")
    programmed = cells.loc[cells.level >= PROGRAMMED]
    absent = cells.loc[cells.level.isna() | (cells.level < 1)]
    out = data.actors[["code", "name", "short_name", "sector"]].set_index("code")
    out["instruments"] = data.instruments.groupby("actor_code").size()
    out["lines_concerned"] = concerned.groupby("actor_code").size()
    out["lines_programmed"] = programmed.groupby("actor_code").size()
    for column in ("instruments", "lines_concerned", "lines_programmed"):
        out[column] = out[column].fillna(0).astype(int)
    out["coverage"] = (out.lines_programmed / out.lines_concerned.where(out.lines_concerned > 0)).astype(float)
    out["absent_lines"] = absent.groupby("actor_code").line_code.agg(_codes)
    out["absent_lines"] = out.absent_lines.fillna("").astype(str)
    proposed = data.alignment.loc[data.alignment.state == PROPOSED]
    out["unverified"] = proposed.groupby("actor_code").size()
    out["unverified"] = out.unverified.fillna(0).astype(int)
    return out.rename_axis("actor_code").reset_index()


def anchoring(data: AdoptionData) -> pd.DataFrame:
    """actor_code, resources_on_plan_cop, resources_total_cop, anchoring (0–1; blank when nothing programmed)."""
    verified = counted(data.alignment)
    money = verified.loc[verified.resources_cop.notna()]
    total = money.groupby("actor_code").resources_cop.sum()
    on_plan = money.loc[money.level >= PROGRAMMED].groupby("actor_code").resources_cop.sum()
    out = pd.DataFrame({"resources_total_cop": total})
    out["resources_on_plan_cop"] = on_plan.reindex(out.index).fillna(0.0)
    out["anchoring"] = out.resources_on_plan_cop / out.resources_total_cop.where(out.resources_total_cop > 0)
    out = out.reindex(data.actors.code)
    return out.rename_axis("actor_code").reset_index()[
        ["actor_code", "resources_on_plan_cop", "resources_total_cop", "anchoring"]
    ]


def review_freshness(data: AdoptionData, on: date) -> pd.DataFrame:
    """Per actor with instruments: the last verification date, the days since, and the band."""
    verified = counted(data.alignment)
    last = verified.groupby("actor_code").verified_on.max()
    actors = pd.Index(sorted(set(data.instruments.actor_code)), name="actor_code")
    out = pd.DataFrame({"last_verified_on": last.reindex(actors)})
    out["days_since_review"] = (pd.Timestamp(on) - out.last_verified_on).dt.days.astype("Float64")
    days = out.days_since_review
    out["review"] = NOT_VERIFIED
    out.loc[days.notna(), "review"] = REVIEW_OLD
    out.loc[days <= REVIEW_OUTDATED_DAYS, "review"] = REVIEW_OUTDATED
    out.loc[days <= REVIEW_FRESH_DAYS, "review"] = REVIEW_FRESH
    return out.reset_index()


def actor_cards(data: AdoptionData, on: date) -> pd.DataFrame:
    """What each actor's card shows: coverage, anchoring and resources, absent lines, review freshness."""
    cards = coverage(data).merge(anchoring(data), on="actor_code", how="left")
    return cards.merge(review_freshness(data, on), on="actor_code", how="left")


def transversality(data: AdoptionData) -> pd.DataFrame:
    """One row per active line: actors, sectors and public entities that program it (verified, level ≥ 2), the
    flag of a line no public entity programs, unverified rows and the crosswalk money on it."""
    verified = counted(data.alignment)
    taking = verified.loc[verified.level >= PROGRAMMED]
    out = data.lines[["code", "name", "color"]].set_index("code")
    grouped = taking.groupby("line_code")
    out["actors"] = grouped.actor_code.nunique()
    out["sectors"] = grouped.sector.nunique()
    out["sector_names"] = grouped.sector.agg(_codes)
    public = taking.loc[taking.sector == PUBLIC]
    out["public_entities"] = public.groupby("line_code").actor_code.nunique()
    for column in ("actors", "sectors", "public_entities"):
        out[column] = out[column].fillna(0).astype(int)
    out["sector_names"] = out.sector_names.fillna("").astype(str)
    out["no_public_entity"] = out.public_entities == 0
    out["unverified"] = data.alignment.loc[data.alignment.state == PROPOSED].groupby("line_code").size()
    out["unverified"] = out.unverified.fillna(0).astype(int)
    out["resources_cop"] = verified.groupby("line_code").resources_cop.sum(min_count=1)
    return out.rename_axis("line_code").reset_index()


SOURCES = {"kind": "tipo de instrumento", "sector": "sector"}


def resources_by_line(data: AdoptionData, by: str = "kind") -> pd.DataFrame:
    """line_code, year, source, resources_cop: verified crosswalk money per line and year, by instrument kind or
    sector (``by``); rows without money are left out, a row without a year is kept with a blank year."""
    verified = counted(data.alignment)
    money = verified.loc[verified.resources_cop.notna()]
    grouped = money.groupby(["line_code", "year", by], dropna=False).resources_cop.sum()
    out = grouped.rename("resources_cop").reset_index().rename(columns={by: "source"})
    return out.sort_values(["line_code", "year", "source"], na_position="last").reset_index(drop=True)


def live_pairs(assessed: pd.DataFrame, snapshot: Snapshot) -> pd.DataFrame:
    """actor_code, line_code where the actor has a live commitment: active, its project started by the cut-off,
    not yet cumplido."""
    started = assessed.start_date.notna() & (assessed.start_date <= pd.Timestamp(snapshot.on))
    live = assessed.loc[assessed.active & started & (assessed.status != DONE), ["commitment_id", "line_code"]]
    actors = snapshot.commitment_actors.merge(snapshot.actors[["id", "code"]], left_on="actor_id", right_on="id")
    pairs = live.merge(actors[["commitment_id", "code"]], on="commitment_id")
    return pairs.rename(columns={"code": "actor_code"})[["actor_code", "line_code"]].drop_duplicates()


MATRIX_COLUMNS = ("actor_code", "actor_name", "sector", "line_code", "level", "evidence", "unverified", "executing",
                  "shown_level", "label")  # fmt: skip


def level_matrix(data: AdoptionData, live: pd.DataFrame) -> pd.DataFrame:
    """Actor × line cells of the actors with instruments: the highest verified level, whether it has evidence,
    whether only unverified rows exist, whether the actor executes there (``live``: ``live_pairs``) and the level
    shown (4 when executing)."""
    rows = data.alignment.loc[data.alignment.state != DISCARDED]
    actors = data.actors.loc[data.actors.code.isin(data.instruments.actor_code)]
    grid = actors[["code", "name", "sector"]].merge(data.lines[["code"]], how="cross", suffixes=("", "_line"))
    grid = grid.rename(columns={"code": "actor_code", "name": "actor_name", "code_line": "line_code"})
    verified = counted(rows)
    best = verified.sort_values("level").drop_duplicates(["actor_code", "line_code"], keep="last")
    best = best.assign(evidence=best.evidence.fillna("").str.strip() != "")[
        ["actor_code", "line_code", "level", "evidence"]
    ]
    grid = grid.merge(best, on=["actor_code", "line_code"], how="left")
    proposed = rows.loc[rows.state == PROPOSED, ["actor_code", "line_code"]].drop_duplicates().assign(unverified=True)
    grid = grid.merge(proposed, on=["actor_code", "line_code"], how="left")
    grid["unverified"] = grid.unverified.fillna(False).astype(bool) & grid.level.isna()
    grid["evidence"] = grid.evidence.fillna(False).astype(bool)
    executing = live.assign(executing=True)
    grid = grid.merge(executing, on=["actor_code", "line_code"], how="left")
    grid["executing"] = grid.executing.fillna(False).astype(bool)
    on_the_ladder = grid.executing & (grid.level >= PROGRAMMED).fillna(False)
    grid["shown_level"] = grid.level.astype("Float64").mask(on_the_ladder, float(IN_EXECUTION))
    grid["label"] = [
        _cell_label(*cell)
        for cell in zip(grid.shown_level, grid.unverified, grid.evidence, grid.executing, strict=True)
    ]
    return grid[list(MATRIX_COLUMNS)]


def _cell_label(shown: float | None, unverified: bool, evidence: bool, executing: bool) -> str:
    parts = []
    level = None if shown is None or pd.isna(shown) else int(shown)
    if level is not None:
        parts.append(f"{level} {LEVEL_LABELS[level]}{' ✓' if evidence else ''}")
    elif unverified:
        parts.append("sin verificar")
    if executing and (level is None or level < IN_EXECUTION):
        parts.append(WITHOUT_PROGRAMMING)
    return " · ".join(parts)


NOT_REVIEWED = "sin fila verificada"
PLANNING_COLUMNS = ("line_code", "name", "label", "resources_cop", "absent")


def actor_planning(data: AdoptionData, live: pd.DataFrame, actor_code: str) -> pd.DataFrame:
    """«Su planeación y el plan»: the lines an actor's instruments concern or take up, with the level shown (as in
    the matrix), its verified resources and whether the line is absent (concerned, no verified row at level ≥ 1)."""
    matrix = level_matrix(data, live)
    mine = matrix.loc[matrix.actor_code == actor_code]
    pairs = concerned_lines(data)
    concerned = set(pairs.loc[pairs.actor_code == actor_code, "line_code"])
    kept = mine.loc[mine.line_code.isin(concerned) | (mine.label != "")]
    verified = counted(data.alignment)
    money = verified.loc[verified.actor_code == actor_code].groupby("line_code").resources_cop.sum(min_count=1)
    out = kept.merge(data.lines[["code", "name"]], left_on="line_code", right_on="code")
    out["resources_cop"] = out.line_code.map(money).astype(float)
    out["absent"] = out.line_code.isin(concerned) & (out.level.isna() | (out.level < 1)).astype(bool)
    out["label"] = out.label.where(out.label != "", NOT_REVIEWED)
    return out[list(PLANNING_COLUMNS)].reset_index(drop=True)


def overlaps(data: AdoptionData, assessed: pd.DataFrame) -> pd.DataFrame:
    """Verified rows with money on a project of ours that also has commitment budget: shown side by side, never
    added (possible double counting)."""
    verified = counted(data.alignment)
    on_projects = verified.loc[verified.project_code.notna() & verified.resources_cop.notna()]
    active = assessed.loc[assessed.active & (assessed.budget_cop > 0)]
    budgets = active.groupby("project_code").budget_cop.sum().rename("commitment_budget_cop")
    out = on_projects.merge(budgets, left_on="project_code", right_index=True)
    return out[["code", "actor_code", "instrument_code", "line_code", "project_code", "resources_cop",
                "commitment_budget_cop"]].reset_index(drop=True)  # fmt: skip
