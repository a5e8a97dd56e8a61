"""The one rule with names: per line, program, project, actor, barrio and the whole plan, in one shape."""

from __future__ import annotations

import pandas as pd

from core.metrics.rule import BREAKDOWN_COLUMNS, COUNT_COLUMNS, NO_REPORT, figures_by
from core.metrics.snapshots import DEFAULT_THRESHOLDS, Snapshot, Thresholds

WHOLE_COMUNA_KEY = "C12"
WHOLE_COMUNA_NAME = "Toda la comuna"


def named_breakdown(figures: pd.DataFrame, names: pd.DataFrame) -> pd.DataFrame:
    """``figures_by``'s figures as breakdown rows, one per name (``key`` index, with ``name`` and ``color``);
    a name without commitments gets zero counts and blank figures."""
    out = names.join(figures, how="left")
    out["status"] = out.status.fillna(NO_REPORT)
    out["freshness"] = out.freshness.fillna(NO_REPORT)
    for column in COUNT_COLUMNS:
        out[column] = out[column].fillna(0).astype(int)
    return out.reset_index()[list(BREAKDOWN_COLUMNS)]


def by_line(assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per strategic line of the plan."""
    names = snapshot.lines.set_index("code")[["name", "color"]]
    names.index.name = "key"
    return named_breakdown(figures_by(assessed, assessed.line_code, thresholds), names)


def by_program(assessed: pd.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per program with commitments in ``assessed``, with its line; key is the program's id."""
    attrs = assessed.drop_duplicates("program_id").set_index("program_id")[
        ["program_code", "program_name", "line_id", "line_code"]
    ]
    figures = figures_by(assessed, assessed.program_id, thresholds)
    return attrs.join(figures).rename_axis("program_id").reset_index()


def by_project(assessed: pd.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per project with commitments in ``assessed``; key is the project's id."""
    figures = figures_by(assessed, assessed.project_id, thresholds)
    return figures.rename_axis("project_id").reset_index()


def by_actor(assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per actor; a commitment shared by several actors counts in each, its money split by share."""
    links = snapshot.commitment_actors.merge(snapshot.actors[["id", "code"]], left_on="actor_id", right_on="id")
    # Shares are normalized per commitment, so co-responsible actors never count its money twice.
    total_share = links.groupby("commitment_id").share.transform("sum")
    links["share"] = (links.share / total_share.where(total_share > 0)).fillna(
        1 / links.groupby("commitment_id").share.transform("size")
    )
    exploded = assessed.merge(links[["commitment_id", "code", "share"]], on="commitment_id", suffixes=("", "_actor"))
    figures = figures_by(exploded, exploded.code_actor, thresholds, exploded.share)
    names = snapshot.actors.set_index("code")[["name"]].assign(color=None)
    names.index.name = "key"
    result = named_breakdown(figures, names)
    return result.merge(snapshot.actors[["code", "short_name", "sector"]], left_on="key", right_on="code").drop(
        columns="code"
    )


def by_barrio(assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.DataFrame:
    """One row per barrio, plus one for commitments of the whole comuna (kept apart, never spread)."""
    links = snapshot.commitment_barrios.merge(snapshot.barrios[["id", "code"]], left_on="barrio_id", right_on="id")
    located = assessed.merge(links[["commitment_id", "code"]], on="commitment_id", how="left", suffixes=("", "_b"))
    keys = located.code_b.fillna(WHOLE_COMUNA_KEY)
    names = pd.concat(
        [
            snapshot.barrios.set_index("code")[["name"]],
            pd.DataFrame({"name": [WHOLE_COMUNA_NAME]}, index=[WHOLE_COMUNA_KEY]),
        ]
    ).assign(color=None)
    names.index.name = "key"
    return named_breakdown(figures_by(located, keys, thresholds), names)


PLAN_NAME = "Plan Estratégico Comuna 12"


def plan_totals(assessed: pd.DataFrame, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> pd.Series:
    """The set ``assessed`` (the plan, or what a filter kept) as one breakdown row."""
    figures = figures_by(assessed, pd.Series("plan", index=assessed.index), thresholds)
    names = pd.DataFrame({"name": [PLAN_NAME], "color": [None]}, index=pd.Index(["plan"], name="key"))
    return named_breakdown(figures, names).iloc[0]
