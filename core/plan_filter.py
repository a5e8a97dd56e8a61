"""Narrowing the plan to a line, a sector, a stage or a barrio before any figure is computed.

Filtering the snapshot (not the results) keeps every figure of a filtered view computed by the same rules as the
unfiltered one: weights are normalized again inside what is left, and breakdowns share their shape.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from core.metrics import WHOLE_COMUNA_KEY, Snapshot


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


def filter_snapshot(snapshot: Snapshot, plan_filter: PlanFilter) -> Snapshot:
    """The snapshot restricted to the commitments that match every criterion of ``plan_filter``.

    Sector: commitments with at least one actor of that sector. Barrio: commitments located there (their own
    barrios, else their project's); ``WHOLE_COMUNA_KEY`` selects those located nowhere in particular.
    """
    if plan_filter.is_empty:
        return snapshot
    commitments = snapshot.commitments
    keep = commitments.commitment_id.notna()
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
    kept = commitments.loc[keep].reset_index(drop=True)
    ids = kept.commitment_id
    return replace(
        snapshot,
        commitments=kept,
        reports=snapshot.reports.loc[snapshot.reports.commitment_id.isin(ids)].reset_index(drop=True),
        commitment_actors=snapshot.commitment_actors.loc[snapshot.commitment_actors.commitment_id.isin(ids)],
        commitment_barrios=snapshot.commitment_barrios.loc[snapshot.commitment_barrios.commitment_id.isin(ids)],
    )
