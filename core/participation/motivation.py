"""The motivation index of each actor, month by month (DESIGN.md §4), its curve, and who is cooling off.

Three components, each 0–100, each blank when there is nothing to measure (blank is never zero):
- participation: invitations kept ÷ invitations, over the events of the three calendar months up to the month end;
- reporting: share of the actor's commitments in force that, at the month end, are "al día" or "cumplido" and were
  reported within ``fresh_days`` (a "cumplido" needs no fresh report: nothing is left to report), with the
  reporting rounds whose deadline fell in the three months up to the month end as more items: each round counts 1
  when it was answered in full on time, the share answered on time when in part, 0 when ignored
  (``core.rounds.members``);
- rating: the coordinator's latest rating on or before the month end, (score − 1) ÷ 4 × 100.
The index is the weighted mean of the components present, the weights renormalized over them.

"In force" at a month end means not cancelled (``metrics.assess_commitments``'s ``active``) and with its project
started by then (or without a start date): a commitment of a project that has not begun cannot be reported on, and
counting it would mark every actor with future work as disengaged.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

import numpy as np
import pandas as pd
from sqlmodel import Session

from core import formatting
from core.metrics.history import day_number, monthly_values
from core.metrics.rule import DONE, ON_TRACK, classify, expected_progress, is_active
from core.metrics.snapshots import Snapshot, Thresholds, load_snapshot, load_thresholds
from core.models import SECTORS, Setting
from core.participation.attendance import (
    ParticipationData,
    load_participation,
    month_end_before,
    month_start,
    shift_months,
)

HIGH, MEDIUM, LOW, NO_DATA = "alta", "media", "baja", "sin dato"
BANDS: tuple[tuple[str, float, float], ...] = ((HIGH, 70.0, 100.0), (MEDIUM, 40.0, 70.0), (LOW, 0.0, 40.0))
WINDOW_MONTHS = 3  # participation looks at the month of the point and the two before
COMPONENTS: tuple[str, ...] = ("participation", "reporting", "rating")
COMPONENT_NAMES = {"participation": "participación", "reporting": "reporte y entrega", "rating": "calificación"}
RATING_LEVELS = {
    1: "Muy baja: no responde a las convocatorias ni a los compromisos",
    2: "Baja: participa poco y sin compromiso visible",
    3: "Media: cumple lo básico cuando se le convoca",
    4: "Alta: participa activamente y cumple lo acordado",
    5: "Muy alta: lidera, convoca a otros y propone",
}
PLAN_KEY, PLAN_NAME = "plan", "Todos los actores"


@dataclass(frozen=True)
class MotivationWeights:
    participation: float = 0.4
    reporting: float = 0.3
    rating: float = 0.3


DEFAULT_WEIGHTS = MotivationWeights()
WEIGHT_SETTING_PREFIX = "motivation.weight."  # e.g. Setting(key="motivation.weight.rating", value="0,2")


def load_weights(*, session: Session) -> MotivationWeights:
    """The weights of this database (``motivation.weight.*`` settings); a typo or a negative falls back to the
    default of that weight, and all-zero weights to the defaults."""
    values: dict[str, float] = {}
    for field in fields(MotivationWeights):
        default = float(getattr(DEFAULT_WEIGHTS, field.name))
        setting = session.get(Setting, WEIGHT_SETTING_PREFIX + field.name)
        try:
            value = float(setting.value.replace(",", ".")) if setting else default
        except ValueError:
            value = default  # a typo in a setting must never break a page
        values[field.name] = value if math.isfinite(value) and value >= 0 else default
    weights = MotivationWeights(**values)
    return weights if sum(values.values()) > 0 else DEFAULT_WEIGHTS


def band(value: float | None) -> str:
    """alta ≥ 70, media 40–69, baja < 40; "sin dato" when blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA
    return HIGH if value >= 70 else MEDIUM if value >= 40 else LOW


INDEX_COLUMNS: tuple[str, ...] = (
    "actor_id",
    "actor_code",
    "actor_name",
    "short_name",
    "sector",
    "month_end",
    "window_start",  # first day of the participation window
    "invited",
    "attended",
    "participation",
    "commitments",  # in force at the month end
    "reported_on_track",
    "rounds",  # reporting rounds with their deadline in the window, up to the month end
    "rounds_on_time",  # Σ of their share answered on time
    "reporting",
    "rating_score",
    "rating_date",
    "rating",
    "weight_participation",  # the configured weights, kept beside the figures they produced
    "weight_reporting",
    "weight_rating",
    "fresh_days",
    "index",
    "band",
    "missing",  # the components left out, in Spanish ("" when none)
)


STATE_COLUMNS = ("month_end", "commitment_id", "actor_id", "start_date", "last_report_date", "on_track", "done")


def commitment_states(snapshot: Snapshot, months: Sequence[date], thresholds: Thresholds) -> pd.DataFrame:
    """One row per (month end, commitment in force then, responsible actor): whether it counts as reported on
    track, and whether it was done.

    Each month end is assessed with the reports known then and the progress expected then (the final assessment
    cannot give those back), for every month at once: a commitments × months grid, as ``progress_history`` does.
    """
    months = sorted(set(months))
    commitments = snapshot.commitments.loc[is_active(snapshot.commitments)].reset_index(drop=True)
    if not months or commitments.empty:
        kinds: dict[str, Any] = {"month_end": object, "commitment_id": int, "actor_id": int,
                                 "start_date": "datetime64[ns]", "last_report_date": "datetime64[ns]",
                                 "on_track": bool, "done": bool}  # fmt: skip
        return pd.DataFrame({column: pd.Series(dtype=kind) for column, kind in kinds.items()})
    grid = monthly_values(commitments, snapshot.reports, months)
    due = commitments.due_date.fillna(commitments.project_end_date)
    expected = np.column_stack([expected_progress(commitments.start_date, due, m).to_numpy() for m in months])
    flat = classify(pd.Series(grid.progress.ravel()), pd.Series(expected.ravel()), thresholds)
    status = flat.to_numpy().reshape(grid.progress.shape)
    days_since = day_number(pd.DatetimeIndex([pd.Timestamp(m) for m in months]))[None, :] - grid.last_report_day
    fresh = days_since <= thresholds.fresh_days  # NaN (never reported) is not fresh
    on_track = (status == DONE) | ((status == ON_TRACK) & fresh)
    started = day_number(commitments.start_date)[:, None]
    in_force = np.isnan(started) | (started <= day_number(pd.DatetimeIndex([pd.Timestamp(m) for m in months])))
    rows, columns = np.nonzero(in_force)
    state = pd.DataFrame(
        {
            "month_end": np.array(months, dtype=object)[columns],
            "commitment_id": commitments.commitment_id.to_numpy()[rows],
            "start_date": commitments.start_date.to_numpy()[rows],
            "last_report_date": pd.to_datetime(grid.last_report_day[rows, columns], unit="D"),
            "on_track": on_track[rows, columns],
            "done": grid.progress[rows, columns] >= 100,
        }
    )
    links = snapshot.commitment_actors[["commitment_id", "actor_id"]]
    return state.merge(links, on="commitment_id")[list(STATE_COLUMNS)]


def index_frame(
    data: ParticipationData,
    snapshot: Snapshot,
    months: Sequence[date],
    weights: MotivationWeights,
    thresholds: Thresholds,
) -> pd.DataFrame:
    """The index of every actor at every month end of ``months`` (a pure function of data already loaded)."""
    invitations = data.attendance.loc[data.attendance.invited]
    ratings = data.ratings.sort_values(["rated_on", "rating_id"])
    states = commitment_states(snapshot, months, thresholds).groupby("month_end")
    parts = []
    for month_end in sorted(set(months)):
        end = pd.Timestamp(month_end)
        start = month_start(shift_months(month_end, 1 - WINDOW_MONTHS))
        window = invitations.loc[(invitations.held_on >= pd.Timestamp(start)) & (invitations.held_on <= end)]
        state = states.get_group(month_end) if month_end in states.groups else states.obj.iloc[:0]
        latest = ratings.loc[ratings.rated_on <= end].groupby("actor_id").last()
        part = pd.DataFrame(index=pd.Index(data.actors.id, name="actor_id"))
        part["invited"] = window.groupby("actor_id").size()
        part["attended"] = window.groupby("actor_id").attended.sum()
        part["commitments"] = state.groupby("actor_id").commitment_id.nunique()
        part["reported_on_track"] = state.loc[state.on_track].groupby("actor_id").commitment_id.nunique()
        due = data.rounds.loc[(data.rounds.deadline >= pd.Timestamp(start)) & (data.rounds.deadline <= end)]
        due = due.loc[due.asked > 0]
        part["rounds"] = due.groupby("actor_id").size()
        part["rounds_on_time"] = (due.on_time / due.asked).groupby(due.actor_id).sum()
        part["rating_score"] = latest.score
        part["rating_date"] = latest.rated_on.dt.date
        parts.append(part.assign(month_end=month_end, window_start=start).reset_index())
    if not parts:
        return pd.DataFrame(columns=list(INDEX_COLUMNS))
    frame = pd.concat(parts, ignore_index=True)
    for column in ("invited", "attended", "commitments", "reported_on_track", "rounds"):
        frame[column] = frame[column].fillna(0).astype(int)
    frame["rounds_on_time"] = frame.rounds_on_time.fillna(0.0).astype(float)
    frame["participation"] = frame.attended / frame.invited.where(frame.invited > 0) * 100
    items = frame.commitments + frame.rounds
    frame["reporting"] = (frame.reported_on_track + frame.rounds_on_time) / items.where(items > 0) * 100
    frame["rating"] = (frame.rating_score.astype(float) - 1) / 4 * 100
    for name in COMPONENTS:
        frame[f"weight_{name}"] = float(getattr(weights, name))
    frame["fresh_days"] = float(thresholds.fresh_days)
    frame["index"] = weighted_index(frame, weights)
    frame["band"] = frame["index"].map(band)
    present = frame[list(COMPONENTS)].notna().to_numpy()
    frame["missing"] = [
        ", ".join(COMPONENT_NAMES[name] for name, there in zip(COMPONENTS, row, strict=True) if not there)
        for row in present
    ]
    actors = data.actors.rename(columns={"id": "actor_id", "code": "actor_code", "name": "actor_name"})
    frame = frame.merge(actors, on="actor_id")
    return frame.sort_values(["actor_name", "month_end"]).reset_index(drop=True)[list(INDEX_COLUMNS)]


def weighted_index(components: pd.DataFrame, weights: MotivationWeights) -> pd.Series:
    """Weighted mean of the components present in each row; blank when none is (or the present ones weigh 0)."""
    values = components[list(COMPONENTS)].astype(float)
    w = np.array([getattr(weights, name) for name in COMPONENTS], dtype=float)
    present = values.notna().to_numpy()
    total = (present * w).sum(axis=1)
    weighted = (values.fillna(0).to_numpy() * w).sum(axis=1)
    index = np.where(total > 0, weighted / np.where(total > 0, total, 1), np.nan)
    return pd.Series(index, index=components.index, dtype=float)


def motivation_index(
    *,
    session: Session,
    months: Sequence[date],
    weights: MotivationWeights | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """One row per (actor, month end) with the three components, the index, its band and what was missing.

    Events, attendance, ratings and the plan are read once; only the commitments are assessed again per month end.
    """
    if not months:
        return pd.DataFrame(columns=list(INDEX_COLUMNS))
    data = load_participation(session=session)
    snapshot = load_snapshot(session=session, on=max(months))
    return index_frame(
        data,
        snapshot,
        months,
        weights or load_weights(session=session),
        thresholds or load_thresholds(session=session),
    )


CURVE_COLUMNS: tuple[str, ...] = ("month_end", "key", "name", "index", "actors")


def curve(index: pd.DataFrame, by: str | Sequence[str] = "plan") -> pd.DataFrame:
    """The curva motivacional: mean index per month end, for the plan (``by="plan"``), per sector
    (``by="sector"``) or for the actors whose codes are given. Blank indexes are left out of the means; ``actors``
    counts those that were averaged. For chosen actors every month appears, blank where the index was."""
    if isinstance(by, str) and by == "plan":
        groups = pd.Series(PLAN_KEY, index=index.index)
        names = {PLAN_KEY: PLAN_NAME}
    elif isinstance(by, str) and by == "sector":
        groups = index.sector
        names = {str(sector): str(sector) for sector in index.sector.unique()}
    elif isinstance(by, str):
        raise ValueError(f"Agrupación desconocida: «{by}»; use «plan», «sector» o una lista de códigos de actor.")
    else:
        chosen = index.loc[index.actor_code.isin(list(by))]
        label = chosen.short_name.where(chosen.short_name.fillna("") != "", chosen.actor_name)
        out = chosen.assign(key=chosen.actor_code, name=label, actors=chosen["index"].notna().astype(int))
        order = {code: position for position, code in enumerate(by)}
        out = out.sort_values(["month_end"]).sort_values("key", key=lambda s: s.map(order), kind="stable")
        return out[list(CURVE_COLUMNS)].reset_index(drop=True)
    frame = index.assign(key=groups.to_numpy())
    grouped = frame.groupby(["key", "month_end"], sort=False)["index"]
    out = pd.DataFrame({"index": grouped.mean(), "actors": grouped.count()}).reset_index()
    out["name"] = out.key.map(names)
    order = {sector: position for position, sector in enumerate(SECTORS)}
    out = out.sort_values(["key", "month_end"], key=lambda s: s.map(order).fillna(len(order)) if s.name == "key" else s)
    return out[list(CURVE_COLUMNS)].reset_index(drop=True)


@dataclass(frozen=True)
class Explanation:
    """What «¿Cómo se calcula?» shows for one actor and month."""

    actor_code: str
    actor_name: str
    month_end: date
    components: pd.DataFrame  # component, value, weight, effective_weight, contribution, detail
    index: float | None
    band: str


def explain(index: pd.DataFrame, actor_code: str, month: date) -> Explanation:
    """The three components of one actor's index in ``month`` (any day of it), with their weights and the result.

    ``effective_weight`` is the weight renormalized over the components present; contributions add up to the index.
    """
    rows = index.loc[
        (index.actor_code == actor_code)
        & index.month_end.map(lambda d: (d.year, d.month) == (month.year, month.month)).astype(bool)
    ]
    if rows.empty:
        raise ValueError(f"No hay índice del actor «{actor_code}» en {formatting.MONTHS[month.month - 1]}.")
    row = rows.iloc[-1]
    values = {name: _blank_none(row[name]) for name in COMPONENTS}
    weights = {name: float(row[f"weight_{name}"]) for name in COMPONENTS}
    total = sum(weights[name] for name in COMPONENTS if values[name] is not None)
    components = pd.DataFrame(
        {
            "component": [COMPONENT_NAMES[name].capitalize() for name in COMPONENTS],
            "value": [values[name] for name in COMPONENTS],
            "weight": [weights[name] for name in COMPONENTS],
            "effective_weight": [
                weights[name] / total if values[name] is not None and total > 0 else None for name in COMPONENTS
            ],
            "detail": [_detail(name, row) for name in COMPONENTS],
        }
    )
    components["contribution"] = components.value.astype(float) * components.effective_weight.astype(float)
    result = _blank_none(row["index"])
    return Explanation(
        actor_code=str(row.actor_code),
        actor_name=str(row.actor_name),
        month_end=row.month_end,
        components=components[["component", "value", "weight", "effective_weight", "contribution", "detail"]],
        index=result,
        band=band(result),
    )


def _as_int(value: Any) -> int:
    """Ids read back from frames (numpy integers) as plain ints."""
    return int(value)


def _blank_none(value: object) -> float | None:
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    return float(value)  # type: ignore[arg-type]


def _detail(name: str, row: pd.Series) -> str:
    period = f"entre el {formatting.day(row.window_start)} y el {formatting.day(row.month_end)}"
    if name == "participation":
        if row.invited == 0:
            return f"Sin dato: no fue invitado a ningún evento {period}."
        return f"Asistió a {row.attended} de los {row.invited} eventos a los que fue invitado {period}."
    if name == "reporting":
        if row.commitments == 0 and row.rounds == 0:
            return "Sin dato: no tiene compromisos vigentes ni rondas de reporte a esa fecha."
        said = (
            f"{row.reported_on_track} de sus {row.commitments} compromisos vigentes estaban cumplidos, o al día y "
            f"reportados en los últimos {formatting.number(row.fresh_days)} días"
        )
        if row.rounds == 0:
            return said + "."
        return (
            f"{said}; y de las {row.rounds} rondas de reporte con plazo {period} respondió a tiempo "
            f"{formatting.number(row.rounds_on_time, 1)} (cada ronda vale 1 si respondió todo a tiempo, la parte "
            f"respondida a tiempo si respondió una parte y 0 si no respondió): "
            f"({row.reported_on_track} + {formatting.number(row.rounds_on_time, 1)}) ÷ "
            f"({row.commitments} + {row.rounds})."
        )
    if pd.isna(row.rating_score):
        return "Sin dato: la coordinación no lo ha calificado hasta esa fecha."
    score = int(row.rating_score)
    return (
        f"Última calificación: {score} de 5 ({RATING_LEVELS[score].split(':')[0].lower()}) el "
        f"{formatting.day(row.rating_date)}; ({score} − 1) ÷ 4 × 100 = {formatting.number((score - 1) * 25)}."
    )


# ---------------------------------------------------------------------------------------------- cooling off

DROP, ABSENCES, SILENCE = "caída del índice", "ausencias seguidas", "sin reportes"
RULE_ORDER: tuple[str, ...] = (DROP, ABSENCES, SILENCE)


@dataclass(frozen=True)
class CoolingRules:
    """When an actor is cooling off (DESIGN.md §4). Boundaries: a drop of exactly ``drop_points`` alerts;
    ``days_without_report`` days do not, one more does ("after 90 days", as the freshness band "> 90")."""

    drop_points: float = 15.0
    drop_months: int = 3
    absences_in_a_row: int = 2
    days_without_report: int = 90


DEFAULT_RULES = CoolingRules()
ALERT_COLUMNS: tuple[str, ...] = (
    "actor_id",
    "actor_code",
    "actor_name",
    "short_name",
    "sector",
    "rule",
    "reason",
    "value",  # points dropped, absences in a row, days without a report (blank: never reported)
    "since",  # the date the problem runs from
    "index",  # the index at the date of the alerts
    "band",
)


def cooling_alerts(
    *,
    session: Session,
    on: date,
    rules: CoolingRules = DEFAULT_RULES,
    weights: MotivationWeights | None = None,
    thresholds: Thresholds | None = None,
) -> pd.DataFrame:
    """One row per (actor, reason) for actors cooling off at ``on``, the reason in plain Spanish."""
    data = load_participation(session=session)
    snapshot = load_snapshot(session=session, on=on)
    weights = weights or load_weights(session=session)
    thresholds = thresholds or load_thresholds(session=session)
    window = [month_end_before(on, months) for months in range(rules.drop_months, 0, -1)]
    index = index_frame(data, snapshot, [*window, on], weights, thresholds)
    return alerts_from(index, data, snapshot, on=on, rules=rules, thresholds=thresholds)


def alerts_from(
    index: pd.DataFrame,
    data: ParticipationData,
    snapshot: Snapshot,
    *,
    on: date,
    rules: CoolingRules = DEFAULT_RULES,
    thresholds: Thresholds,
) -> pd.DataFrame:
    """The alerts from data already loaded; ``index`` must hold ``on`` and the ``drop_months`` month ends before."""
    parts = [
        found
        for found in (
            index_drops(index, on=on, rules=rules),
            absence_streaks(data, on=on, rules=rules),
            silent_actors(snapshot, on=on, rules=rules, thresholds=thresholds),
        )
        if len(found)
    ]
    if not parts:
        return pd.DataFrame(columns=list(ALERT_COLUMNS))
    found = pd.concat(parts, ignore_index=True)
    now = index.loc[index.month_end == on].set_index("actor_id")["index"]
    actors = data.actors.rename(columns={"id": "actor_id", "code": "actor_code", "name": "actor_name"})
    found = found.merge(actors, on="actor_id")
    found["index"] = found.actor_id.map(now).astype(float)
    found["band"] = found["index"].map(band)
    order = {rule: position for position, rule in enumerate(RULE_ORDER)}
    found = found.assign(_order=found.rule.map(order)).sort_values(["actor_name", "_order"])
    return found.reset_index(drop=True)[list(ALERT_COLUMNS)]


def _alerts(
    actor_ids: Sequence[int], rule: str, reasons: Sequence[str], values: Sequence[float], since: Sequence[object]
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "actor_id": list(actor_ids),
            "rule": rule,
            "reason": list(reasons),
            "value": list(values),
            "since": list(since),
        }
    )


def index_drops(index: pd.DataFrame, *, on: date, rules: CoolingRules = DEFAULT_RULES) -> pd.DataFrame:
    """Actors whose index at ``on`` stands at least ``drop_points`` below its highest value at the month ends of the
    last ``drop_months`` months: a rise and fall inside the window counts, not only a fall against its first month.
    The index at ``on`` and at least one of those month ends must exist."""
    window = [month_end_before(on, months) for months in range(1, rules.drop_months + 1)]
    now = index.loc[index.month_end == on].set_index("actor_id")["index"].dropna()
    earlier = index.loc[index.month_end.isin(window)].dropna(subset=["index"])
    peaks = earlier.sort_values(["actor_id", "index", "month_end"], ascending=[True, False, False])
    peaks = peaks.drop_duplicates("actor_id").set_index("actor_id")  # the highest; the latest of equal ones
    drop = (peaks["index"] - now.reindex(peaks.index)).dropna()
    hit = drop.loc[drop >= rules.drop_points - 1e-9]  # exactly 15 points is a drop of 15
    actor_ids = [int(actor) for actor in hit.index.tolist()]
    peak_values: list[float] = peaks["index"].reindex(hit.index).tolist()
    since: list[date] = peaks.month_end.reindex(hit.index).tolist()
    reasons = [
        f"su índice bajó {formatting.number(points, 1)} puntos desde su mayor valor de los últimos "
        f"{rules.drop_months} meses (de {formatting.number(peak, 1)} el "
        f"{formatting.day(peak_day)} a {formatting.number(now[actor], 1)})"
        for actor, points, peak, peak_day in zip(actor_ids, hit.tolist(), peak_values, since, strict=True)
    ]
    return _alerts(actor_ids, DROP, reasons, hit.tolist(), since)


def absence_streaks(data: ParticipationData, *, on: date, rules: CoolingRules = DEFAULT_RULES) -> pd.DataFrame:
    """Actors who missed their last ``absences_in_a_row`` events they were invited to, up to ``on``."""
    invitations = data.attendance.loc[data.attendance.invited & (data.attendance.held_on <= pd.Timestamp(on))]
    invitations = invitations.merge(data.events[["event_id", "title"]], on="event_id")
    invitations = invitations.sort_values(["actor_id", "held_on", "event_id"])
    actor_ids, reasons, values, since = [], [], [], []
    for actor_id, rows in invitations.groupby("actor_id", sort=False):
        attended = rows.attended.to_numpy()[::-1]
        streak = int(np.argmax(attended)) if attended.any() else len(attended)
        if streak < rules.absences_in_a_row:
            continue
        missed = rows.iloc[len(rows) - streak :]
        if streak == 2:
            first, last = missed.iloc[0], missed.iloc[1]
            reason = (
                f"no asistió a sus 2 últimos eventos: «{first.title}» ({formatting.day(first.held_on)}) y "
                f"«{last.title}» ({formatting.day(last.held_on)})"
            )
        else:
            reason = (
                f"no asistió a sus {streak} últimos eventos, desde «{missed.iloc[0].title}» "
                f"({formatting.day(missed.iloc[0].held_on)})"
            )
        actor_ids.append(_as_int(actor_id))
        reasons.append(reason)
        values.append(float(streak))
        since.append(missed.held_on.iloc[0].date())
    return _alerts(actor_ids, ABSENCES, reasons, values, since)


def silent_actors(
    snapshot: Snapshot, *, on: date, thresholds: Thresholds, rules: CoolingRules = DEFAULT_RULES
) -> pd.DataFrame:
    """Actors with pending commitments in force whose last progress report (on any commitment in force) is more
    than ``days_without_report`` days old, or who never reported one. Actors whose commitments are all done are
    left alone: they have nothing left to report."""
    state = commitment_states(snapshot, [on], thresholds)
    pending = state.loc[~state.done].groupby("actor_id").commitment_id.nunique()
    last = state.groupby("actor_id").last_report_date.max().reindex(pending.index)
    days = (pd.Timestamp(on) - last).dt.days
    never = last.isna()
    # Never reported: the clock runs from when its first pending commitment came in force (unknown start: now late).
    in_force_since = state.loc[~state.done].groupby("actor_id").start_date.min().reindex(pending.index)
    days_in_force = (pd.Timestamp(on) - in_force_since).dt.days.fillna(math.inf)
    late = (days > rules.days_without_report) | (never & (days_in_force > rules.days_without_report))
    actor_ids: list[int] = []
    reasons: list[str] = []
    values: list[float] = []
    since: list[date | None] = []
    for actor_id in pending.index[late].tolist():
        count = int(pending[actor_id])
        if never[actor_id]:
            noun = "compromiso vigente" if count == 1 else "compromisos vigentes"
            started = in_force_since[actor_id]
            known = not pd.isna(started)
            reasons.append(
                f"tiene {count} {noun} y nunca ha reportado avance"
                + (f" (vigente desde el {formatting.day(started)})" if known else "")
            )
            values.append(float(days_in_force[actor_id]) if known else math.nan)
            since.append(started.date() if known else None)
        else:
            reasons.append(
                f"lleva {formatting.number(days[actor_id])} días sin reportar avance "
                f"(último reporte: {formatting.day(last[actor_id])})"
            )
            values.append(float(days[actor_id]))
            since.append(last[actor_id].date())
        actor_ids.append(int(actor_id))
    return _alerts(actor_ids, SILENCE, reasons, values, since)
