"""Articulación: pacts and alliances, who works on which line, the coordination gaps, and the network of actors.

Every function takes the assessed commitments (``rule.assess_commitments``) of a possibly filtered snapshot, so
its figures are the dashboards' own. "Active" here is ``assessed.active``: not cancelled, nor of a cancelled project.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

import pandas as pd
from sqlalchemy import select
from sqlmodel import Session

from core import formatting
from core.db import table_columns
from core.metrics import breakdowns, rule
from core.metrics.detail import NAME_SEPARATOR, commitment_table, lines_without_public_sector
from core.metrics.snapshots import DEFAULT_THRESHOLDS, Snapshot, Thresholds
from core.models import SECTORS, Actor, Pact, PactLine, PactMember, StrategicLine
from core.participation.attendance import ParticipationData, shift_months

KEY_SEPARATOR = "\x1f"  # joins two codes into one group key; no code can contain it


@dataclass(frozen=True)
class PactData:
    pacts: pd.DataFrame  # id, code, name, kind, signed_date, description
    members: pd.DataFrame  # pact_id, actor_id, actor_code, actor_name, short_name, sector, role
    lines: pd.DataFrame  # pact_id, line_code, line_name


def load_pacts(*, session: Session) -> PactData:
    p, m, pl = table_columns(Pact), table_columns(PactMember), table_columns(PactLine)
    a, ln = table_columns(Actor), table_columns(StrategicLine)
    connection = session.connection()
    pacts = pd.read_sql(
        select(p.id, p.code, p.name, p.kind, p.signed_date, p.description)
        .where(p.archived_on.is_(None))
        .order_by(p.signed_date, p.code),
        connection,
    )
    members = pd.read_sql(
        select(
            m.pact_id,
            m.actor_id,
            a.code.label("actor_code"),
            a.name.label("actor_name"),
            a.short_name,
            a.sector,
            m.role,
        )
        .join_from(m.pact_id.table, a.id.table, a.id == m.actor_id)
        .where(a.archived_on.is_(None))
        .order_by(m.pact_id, a.name),
        connection,
    )
    lines = pd.read_sql(
        select(pl.pact_id, ln.code.label("line_code"), ln.name.label("line_name"))
        .join_from(pl.pact_id.table, ln.id.table, ln.id == pl.line_id)
        .where(ln.archived_on.is_(None))
        .order_by(pl.pact_id, ln.sort_order, ln.code),
        connection,
    )
    return PactData(pacts=pacts, members=members, lines=lines)


def _label(frame: pd.DataFrame) -> pd.Series:
    """Short name, else name."""
    label: pd.Series = frame.short_name.where(frame.short_name.fillna("") != "", frame.actor_name)
    return label


PACT_COLUMNS: tuple[str, ...] = (
    *rule.BREAKDOWN_COLUMNS,
    "kind",
    "signed_date",
    "lines",
    "members",
    "member_count",
    "sectors",
)


def pact_table(
    pacts: PactData, assessed: pd.DataFrame, snapshot: Snapshot, thresholds: Thresholds = DEFAULT_THRESHOLDS
) -> pd.DataFrame:
    """One row per pact or alliance, in the breakdown shape (``key`` is the pact code): its linked commitments and
    their combined progress weighted as every breakdown is (plan weight), plus kind, signed date, lines and members
    ("SMA (convocante) · DAGRD (firmante)") and how many sectors the members span."""
    codes = pacts.pacts.set_index("id").code
    linked = assessed.loc[assessed.pact_id.notna()]
    keys = linked.pact_id.astype(int).map(codes)
    names = pacts.pacts.set_index("code")[["name"]].assign(color=None)
    names.index.name = "key"
    if linked.empty:  # the breakdown of nothing, with every pact listed
        empty = rule.figures_by(assessed.iloc[:0], pd.Series(dtype=object), thresholds)
        table = breakdowns.named_breakdown(empty, names)
    else:
        table = breakdowns.named_breakdown(rule.figures_by(linked, keys, thresholds), names)
    members = pacts.members.assign(label=lambda f: _label(f) + " (" + f.role + ")")
    by_pact = pacts.pacts.set_index("id")
    by_pact["lines"] = pacts.lines.groupby("pact_id").line_code.agg(NAME_SEPARATOR.join)
    by_pact["members"] = members.groupby("pact_id").label.agg(NAME_SEPARATOR.join)
    by_pact["member_count"] = members.groupby("pact_id").actor_id.nunique()
    by_pact["sectors"] = members.groupby("pact_id").sector.nunique()
    extra = by_pact.set_index("code")[["kind", "signed_date", "lines", "members", "member_count", "sectors"]]
    table = table.join(extra, on="key")
    table[["lines", "members"]] = table[["lines", "members"]].fillna("")
    table[["member_count", "sectors"]] = table[["member_count", "sectors"]].fillna(0).astype(int)
    return table[list(PACT_COLUMNS)]


def pact_members(pacts: PactData, pact_code: str) -> pd.DataFrame:
    """The members of one pact with their role and sector."""
    pact_ids = pacts.pacts.loc[pacts.pacts.code == pact_code, "id"]
    members = pacts.members.loc[pacts.members.pact_id.isin(pact_ids)]
    return members[["actor_code", "actor_name", "short_name", "sector", "role"]].reset_index(drop=True)


def pact_commitments(pacts: PactData, assessed: pd.DataFrame, snapshot: Snapshot, pact_code: str) -> pd.DataFrame:
    """The commitments linked to one pact (``detail_tables.commitment_table`` rows, cancelled ones included)."""
    pact_ids = set(pacts.pacts.loc[pacts.pacts.code == pact_code, "id"])
    linked = assessed.loc[assessed.pact_id.isin(pact_ids)]
    return commitment_table(linked, snapshot)


MATRIX_COLUMNS: tuple[str, ...] = (
    "key",
    "name",
    "sector",
    "line_code",
    "line_name",
    "commitments",
    "reported",
    "physical_progress",
    "coverage",
)


def line_matrix(
    assessed: pd.DataFrame, snapshot: Snapshot, *, by: Literal["actor", "sector"] = "actor"
) -> pd.DataFrame:
    """Long frame (actor or sector) × strategic line: active commitments and their physical progress, weighted by
    plan weight as every breakdown is, over those reported (``coverage`` beside it). A commitment shared by two
    actors counts for each; by sector, once per sector. Only pairs with an active commitment appear."""
    active = assessed.loc[assessed.active]
    links = snapshot.commitment_actors[["commitment_id", "actor_id"]].merge(
        snapshot.actors[["id", "code", "name", "short_name", "sector"]], left_on="actor_id", right_on="id"
    )
    exploded = active.merge(links, on="commitment_id", suffixes=("", "_actor"))
    if by == "sector":
        exploded = exploded.drop_duplicates(["commitment_id", "sector"])
        group = exploded.sector.astype(str)
    else:
        group = exploded.code_actor.astype(str)
    if exploded.empty:
        return pd.DataFrame(columns=list(MATRIX_COLUMNS))
    keys = group + KEY_SEPARATOR + exploded.line_code.astype(str)
    out = rule.figures_by(exploded, keys).reset_index()
    out[["key", "line_code"]] = out.key.str.split(KEY_SEPARATOR, n=1, expand=True)
    if by == "sector":
        out["name"] = out.key
        out["sector"] = out.key
    else:
        actors = snapshot.actors.set_index("code")
        out["name"] = out.key.map(actors.short_name.where(actors.short_name.fillna("") != "", actors.name))
        out["sector"] = out.key.map(actors.sector)
    out["line_name"] = out.line_code.map(snapshot.lines.set_index("code").name)
    out["commitments"] = out.commitments.astype(int)
    out["reported"] = out.reported.astype(int)
    order = {code: position for position, code in enumerate(snapshot.lines.code)}
    sectors = {sector: position for position, sector in enumerate(SECTORS)}
    out = out.assign(_line=out.line_code.map(order), _sector=out.sector.map(sectors).fillna(len(sectors)))
    first = ["_sector", "name"] if by == "actor" else ["_sector"]
    return out.sort_values([*first, "_line"]).reset_index(drop=True)[list(MATRIX_COLUMNS)]


# ---------------------------------------------------------------------------------------------- gaps


def barrios_without_active_actor(assessed: pd.DataFrame, snapshot: Snapshot) -> pd.DataFrame:
    """Barrios where no actor has an active commitment located there (commitments of the whole comuna are kept
    apart, as in every barrio figure, so they do not fill a barrio's gap)."""
    active = assessed.loc[assessed.active, ["commitment_id"]]
    located = active.merge(snapshot.commitment_barrios, on="commitment_id").merge(
        snapshot.commitment_actors[["commitment_id", "actor_id"]], on="commitment_id"
    )
    covered = set(located.barrio_id)
    missing = snapshot.barrios.loc[~snapshot.barrios.id.isin(covered)]
    return missing.rename(columns={"code": "barrio_code", "name": "barrio_name"})[
        ["barrio_code", "barrio_name"]
    ].reset_index(drop=True)


ABSENT, NOT_INVITED = "ausente", "sin invitación"
ABSENT_COLUMNS: tuple[str, ...] = (
    "actor_id",
    "actor_code",
    "actor_name",
    "short_name",
    "sector",
    "commitments",
    "invited",
    "situation",  # ausente | sin invitación
    "last_attended",
    "reason",
)


def absent_actors(
    assessed: pd.DataFrame, snapshot: Snapshot, participation: ParticipationData, *, on: date, months: int = 6
) -> pd.DataFrame:
    """Actors with active commitments who came to no event in the ``months`` up to ``on``: either invited and
    absent every time ("ausente"), or not invited at all ("sin invitación", saying whether ever invited).
    An actor who came to any event in the period, invited or not, is not listed."""
    start = shift_months(on, -months)
    active = assessed.loc[assessed.active, ["commitment_id"]].merge(snapshot.commitment_actors, on="commitment_id")
    commitments = active.groupby("actor_id").commitment_id.nunique()
    rows = participation.attendance.loc[participation.attendance.held_on <= pd.Timestamp(on)]
    period = rows.loc[rows.held_on >= pd.Timestamp(start)]
    invited = period.loc[period.invited].groupby("actor_id").size()
    came = set(period.loc[period.attended, "actor_id"])
    ever_invited = set(rows.loc[rows.invited, "actor_id"])
    last_attended = rows.loc[rows.attended].groupby("actor_id").held_on.max()
    records = []
    for actor_id, count in commitments.items():
        if actor_id in came:
            continue
        times = int(invited.get(actor_id, 0))
        last = last_attended.get(actor_id)
        last_date = None if last is None or pd.isna(last) else last.date()
        if times:
            situation = ABSENT
            plural = "evento" if times == 1 else "eventos"
            reason = f"invitado a {times} {plural} desde el {formatting.day(start)} y no asistió a ninguno"
            reason += f" (última asistencia: {formatting.day(last_date)})" if last_date else " (nunca ha asistido)"
        else:
            situation = NOT_INVITED
            reason = (
                f"no fue invitado a ningún evento desde el {formatting.day(start)}"
                if actor_id in ever_invited
                else "nunca ha sido invitado a un evento"
            )
        records.append((actor_id, int(count), times, situation, last_date, reason))
    frame = pd.DataFrame(
        records, columns=["actor_id", "commitments", "invited", "situation", "last_attended", "reason"]
    )
    actors = snapshot.actors.rename(columns={"id": "actor_id", "code": "actor_code", "name": "actor_name"})
    frame = frame.merge(actors[["actor_id", "actor_code", "actor_name", "short_name", "sector"]], on="actor_id")
    return frame.sort_values(["situation", "actor_name"]).reset_index(drop=True)[list(ABSENT_COLUMNS)]


@dataclass(frozen=True)
class Gaps:
    lines_without_public_sector: pd.DataFrame  # line_code, line_name
    barrios_without_active_actor: pd.DataFrame  # barrio_code, barrio_name
    absent_actors: pd.DataFrame  # ABSENT_COLUMNS


def coordination_gaps(
    assessed: pd.DataFrame, snapshot: Snapshot, participation: ParticipationData, *, on: date, months: int = 6
) -> Gaps:
    return Gaps(
        lines_without_public_sector=lines_without_public_sector(assessed, snapshot),
        barrios_without_active_actor=barrios_without_active_actor(assessed, snapshot),
        absent_actors=absent_actors(assessed, snapshot, participation, on=on, months=months),
    )


# ---------------------------------------------------------------------------------------------- network


@dataclass(frozen=True)
class ActorNetwork:
    nodes: pd.DataFrame  # actor_id, actor_code, actor_name, short_name, label, sector, commitments, pacts
    edges: pd.DataFrame  # source, target (actor ids), projects, pacts, weight


def actor_network(assessed: pd.DataFrame, snapshot: Snapshot, pacts: PactData) -> ActorNetwork:
    """Actors with at least one active commitment, linked when they share a project (both have an active commitment
    in it) or a pact (both are members); ``weight`` = shared projects + shared pacts."""
    active = assessed.loc[assessed.active, ["commitment_id", "project_id"]].merge(
        snapshot.commitment_actors[["commitment_id", "actor_id"]], on="commitment_id"
    )
    nodes = active.groupby("actor_id").commitment_id.nunique().rename("commitments").reset_index()
    actors = snapshot.actors.rename(columns={"id": "actor_id", "code": "actor_code", "name": "actor_name"})
    nodes = nodes.merge(actors[["actor_id", "actor_code", "actor_name", "short_name", "sector"]], on="actor_id")
    nodes["label"] = _label(nodes)
    members = pacts.members.loc[pacts.members.actor_id.isin(nodes.actor_id), ["pact_id", "actor_id"]]
    nodes["pacts"] = nodes.actor_id.map(members.groupby("actor_id").pact_id.nunique()).fillna(0).astype(int)
    shared_projects = _pairs(active.drop_duplicates(["project_id", "actor_id"]), "project_id").rename("projects")
    shared_pacts = _pairs(members.drop_duplicates(), "pact_id").rename("pacts")
    edges = pd.concat([shared_projects, shared_pacts], axis=1).fillna(0).astype(int)
    edges["weight"] = edges.projects + edges.pacts
    edges = edges.reset_index()
    nodes = nodes.sort_values(["commitments", "actor_name"], ascending=[False, True]).reset_index(drop=True)
    columns = ["actor_id", "actor_code", "actor_name", "short_name", "label", "sector", "commitments", "pacts"]
    return ActorNetwork(nodes=nodes[columns], edges=edges[["source", "target", "projects", "pacts", "weight"]])


def _pairs(links: pd.DataFrame, group: str) -> pd.Series:
    """How many ``group`` values each pair of actors shares (source < target)."""
    pairs = links.merge(links, on=group, suffixes=("_a", "_b"))
    pairs = pairs.loc[pairs.actor_id_a < pairs.actor_id_b]
    counted = pairs.groupby(["actor_id_a", "actor_id_b"])[group].nunique()
    counted.index = counted.index.set_names(["source", "target"])
    return counted
