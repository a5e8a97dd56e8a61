"""Narrowing the plan to a line, a sector, a stage or a barrio: a filter selects assessed commitments.

The whole plan is assessed first (``metrics.assess_commitments``), then a filter keeps rows: each commitment keeps
its plan weight, so a set's figure is the same whether it is reached through a filter, a page or a breakdown
(DESIGN.md §4). Filtering before assessing would normalize the weights again inside what is left.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from core.metrics.breakdowns import WHOLE_COMUNA_KEY
from core.metrics.snapshots import Snapshot


@dataclass(frozen=True)
class PlanFilter:
    """None means "todas/todos". ``barrio_code`` may be ``WHOLE_COMUNA_KEY`` for commitments of the whole comuna."""

    line_code: str | None = None
    sector: str | None = None
    stage: str | None = None
    barrio_code: str | None = None

    @property
    def is_empty(self) -> bool:
        return self == PlanFilter()


NO_FILTER = PlanFilter()


def matching(snapshot: Snapshot, plan_filter: PlanFilter) -> pd.Series:
    """Whether each row of ``snapshot.commitments`` matches every criterion of ``plan_filter``.

    Sector: commitments with at least one actor of that sector. Barrio: commitments located there (their own
    barrios, else their project's); ``WHOLE_COMUNA_KEY`` selects those located nowhere in particular.
    """
    commitments = snapshot.commitments
    keep = pd.Series(True, index=commitments.index)
    if plan_filter.line_code is not None:
        keep &= commitments.line_code == plan_filter.line_code
    if plan_filter.stage is not None:
        keep &= commitments.stage == plan_filter.stage
    if plan_filter.sector is not None:
        actor_ids = snapshot.actors.loc[snapshot.actors.sector == plan_filter.sector, "id"]
        links = snapshot.commitment_actors
        keep &= commitments.commitment_id.isin(links.loc[links.actor_id.isin(actor_ids), "commitment_id"])
    if plan_filter.barrio_code is not None:
        located = snapshot.commitment_barrios.commitment_id
        if plan_filter.barrio_code == WHOLE_COMUNA_KEY:
            keep &= ~commitments.commitment_id.isin(located)
        else:
            barrio_ids = snapshot.barrios.loc[snapshot.barrios.code == plan_filter.barrio_code, "id"]
            links = snapshot.commitment_barrios
            keep &= commitments.commitment_id.isin(links.loc[links.barrio_id.isin(barrio_ids), "commitment_id"])
    return keep


def restrict(snapshot: Snapshot, commitment_ids: pd.Series) -> Snapshot:
    """The snapshot's rows that concern these commitments (their reports, actors and barrios)."""

    def kept(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.loc[frame.commitment_id.isin(commitment_ids)].reset_index(drop=True)

    return replace(
        snapshot,
        commitments=kept(snapshot.commitments),
        reports=kept(snapshot.reports),
        commitment_actors=kept(snapshot.commitment_actors),
        commitment_barrios=kept(snapshot.commitment_barrios),
    )


def filter_plan(snapshot: Snapshot, assessed: pd.DataFrame, plan_filter: PlanFilter) -> tuple[Snapshot, pd.DataFrame]:
    """The commitments ``plan_filter`` keeps: the snapshot restricted to them, and their assessed rows (whose plan
    weights are the whole plan's). ``assessed`` must come from ``snapshot``, row for row."""
    if plan_filter.is_empty:
        return snapshot, assessed
    keep = matching(snapshot, plan_filter)
    ids = snapshot.commitments.commitment_id.loc[keep]
    return restrict(snapshot, ids), assessed.loc[keep.to_numpy()].reset_index(drop=True)
