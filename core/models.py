"""Every table of the plan database (DESIGN.md §3), in one place.

Codes (``L4``, ``P-012``, ``C-0123``) are the keys people use in Excel; integer ids are the keys the database
uses. Money is stored in Colombian pesos as floating point: sums up to 10^12 stay exact to the cent.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, MetaData, UniqueConstraint
from sqlmodel import Field, SQLModel

# Named constraints let later Alembic revisions alter them, including SQLite batch migrations.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

STAGES: tuple[str, ...] = (
    "perfil",
    "formulado",
    "financiado",
    "en ejecución",
    "terminado",
    "suspendido",
    "cancelado",
)
SECTORS: tuple[str, ...] = (
    "público",
    "comunitario",
    "ONG/corporación",
    "privado",
    "académico",
    "cooperación",
)
FUNDING_SOURCES: tuple[str, ...] = ("PP", "municipal", "otra")
EVENT_KINDS: tuple[str, ...] = (
    "asamblea",
    "mesa temática",
    "comité de gestión",
    "jornada barrial",
    "reunión de pacto",
)


def utcnow() -> datetime:
    return datetime.now(UTC)


def _fk(target: str, *, nullable: bool = False, ondelete: str | None = None) -> Column[int]:
    return Column(Integer, ForeignKey(target, ondelete=ondelete), nullable=nullable, index=True)


class Barrio(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=8)
    name: str = Field(max_length=120)
    comuna: str = Field(default="12", max_length=4)
    area_m2: float | None = None
    population: int | None = None


class StrategicLine(SQLModel, table=True):
    __tablename__ = "strategic_line"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str = Field(max_length=200)
    description: str = ""
    color: str = Field(default="#0B5394", max_length=9)
    sort_order: int = 0
    weight: float = Field(default=1.0, ge=0)
    archived_on: date | None = None  # archived: off the dashboards, kept in exports and audit (also below)


class Program(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    line_id: int = Field(sa_column=_fk("strategic_line.id"))
    name: str = Field(max_length=200)
    component: str = ""
    weight: float = Field(default=1.0, ge=0)
    archived_on: date | None = None


class Actor(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str = Field(unique=True, max_length=200)
    short_name: str = Field(default="", max_length=60)
    sector: str = Field(max_length=40)
    kind: str = Field(default="", max_length=80)
    # Personal data (Ley 1581 de 2012): never shown to the public role or in assembly mode.
    contact_person: str | None = None
    contact_phone: str | None = None
    contact_email: str | None = None
    archived_on: date | None = None


class Project(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    program_id: int = Field(sa_column=_fk("program.id"))
    name: str = Field(max_length=300)
    objective: str = ""
    stage: str = Field(default="perfil", max_length=20)
    start_date: date | None = None
    end_date: date | None = None
    budget_cop: float | None = Field(default=None, ge=0)
    weight: float = Field(default=1.0, ge=0)
    lead_actor_id: int | None = Field(default=None, sa_column=_fk("actor.id", nullable=True))
    funding_source: str | None = Field(default=None, max_length=20)
    archived_on: date | None = None


class ProjectBarrio(SQLModel, table=True):
    """Barrios where a project acts; a project with none acts on the whole comuna."""

    __tablename__ = "project_barrio"
    project_id: int = Field(sa_column=Column(Integer, ForeignKey("project.id", ondelete="CASCADE"), primary_key=True))
    barrio_id: int = Field(sa_column=Column(Integer, ForeignKey("barrio.id"), primary_key=True))


class Pact(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str = Field(max_length=200)
    kind: str = Field(default="pacto", max_length=20)  # pacto | alianza
    signed_date: date | None = None
    description: str = ""
    archived_on: date | None = None


class PactLine(SQLModel, table=True):
    __tablename__ = "pact_line"
    pact_id: int = Field(sa_column=Column(Integer, ForeignKey("pact.id", ondelete="CASCADE"), primary_key=True))
    line_id: int = Field(sa_column=Column(Integer, ForeignKey("strategic_line.id"), primary_key=True))


class PactMember(SQLModel, table=True):
    __tablename__ = "pact_member"
    pact_id: int = Field(sa_column=Column(Integer, ForeignKey("pact.id", ondelete="CASCADE"), primary_key=True))
    actor_id: int = Field(sa_column=Column(Integer, ForeignKey("actor.id"), primary_key=True))
    role: str = Field(default="firmante", max_length=60)


class Commitment(SQLModel, table=True):
    """A deliverable an actor commits to a project (compromiso)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    project_id: int = Field(sa_column=_fk("project.id"))
    description: str = Field(max_length=500)
    unit: str = Field(default="", max_length=60)
    baseline: float | None = None
    target: float | None = Field(default=None, ge=0)
    due_date: date | None = None
    weight: float = Field(default=1.0, ge=0)
    budget_cop: float | None = Field(default=None, ge=0)
    pact_id: int | None = Field(default=None, sa_column=_fk("pact.id", nullable=True))
    cancelled: bool = False
    archived_on: date | None = None


class CommitmentActor(SQLModel, table=True):
    """Actors responsible for a commitment; ``share`` splits its budget when several co-commit."""

    __tablename__ = "commitment_actor"
    commitment_id: int = Field(
        sa_column=Column(Integer, ForeignKey("commitment.id", ondelete="CASCADE"), primary_key=True)
    )
    actor_id: int = Field(sa_column=Column(Integer, ForeignKey("actor.id"), primary_key=True))
    share: float = Field(default=1.0, ge=0, le=1)


class CommitmentBarrio(SQLModel, table=True):
    """Barrios of a commitment; none means it inherits its project's barrios."""

    __tablename__ = "commitment_barrio"
    commitment_id: int = Field(
        sa_column=Column(Integer, ForeignKey("commitment.id", ondelete="CASCADE"), primary_key=True)
    )
    barrio_id: int = Field(sa_column=Column(Integer, ForeignKey("barrio.id"), primary_key=True))


class ImportBatch(SQLModel, table=True):
    __tablename__ = "import_batch"
    id: int | None = Field(default=None, primary_key=True)
    file_name: str = Field(max_length=255)
    sha256: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=40)  # avance | libro del plan | asistencia | ...
    created_by: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow)
    rows_total: int = 0
    rows_applied: int = 0
    rows_rejected: int = 0
    status: str = Field(default="applied", max_length=20)  # applied | undone


class ProgressReport(SQLModel, table=True):
    """Reporte de avance of one commitment at one cut-off date (cumulative figures)."""

    __tablename__ = "progress_report"
    __table_args__ = (
        UniqueConstraint("commitment_id", "cut_off_date", name="uq_progress_report_commitment_cut_off"),
        CheckConstraint("physical_pct IS NULL OR (physical_pct >= 0 AND physical_pct <= 100)", name="pct_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    commitment_id: int = Field(sa_column=_fk("commitment.id", ondelete="CASCADE"))
    cut_off_date: date = Field(index=True)
    physical_pct: float | None = None
    achieved_value: float | None = None
    budget_executed_cop: float | None = Field(default=None, ge=0)
    note: str = ""
    import_batch_id: int | None = Field(default=None, sa_column=_fk("import_batch.id", nullable=True))
    reported_by: str = Field(default="", max_length=80)
    created_at: datetime = Field(default_factory=utcnow)


class Event(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    held_on: date = Field(index=True)
    kind: str = Field(max_length=30)
    title: str = Field(max_length=200)
    barrio_id: int | None = Field(default=None, sa_column=_fk("barrio.id", nullable=True))
    line_id: int | None = Field(default=None, sa_column=_fk("strategic_line.id", nullable=True))
    convened_by_actor_id: int | None = Field(default=None, sa_column=_fk("actor.id", nullable=True))


class Attendance(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("event_id", "actor_id", name="uq_attendance_event_actor"),)
    id: int | None = Field(default=None, primary_key=True)
    event_id: int = Field(sa_column=_fk("event.id", ondelete="CASCADE"))
    actor_id: int = Field(sa_column=_fk("actor.id"))
    invited: bool = True
    attended: bool = False
    delegates: int | None = Field(default=None, ge=0)


class MotivationRating(SQLModel, table=True):
    __tablename__ = "motivation_rating"
    __table_args__ = (CheckConstraint("score >= 1 AND score <= 5", name="score_range"),)
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int = Field(sa_column=_fk("actor.id"))
    rated_on: date = Field(index=True)
    score: int
    note: str = ""
    rated_by: str = Field(default="", max_length=80)


# --- Vision and adoption of the plan (DESIGN.md §8). No personal data in any of these tables. ---

INSTRUMENT_KINDS: tuple[str, ...] = (
    "Plan de Desarrollo Distrital",
    "Plan Indicativo",
    "Plan de Acción",
    "POAI",
    "PDL componente estratégico",
    "PDL programa",
    "Plan Estratégico de Desarrollo Comunal",
    "plan estratégico o de RSE",
    "otro",
)
ALIGNMENT_LEVELS: dict[int, str] = {0: "ausente", 1: "mencionado", 2: "programado", 3: "con recursos este año"}
ALIGNMENT_STATES: tuple[str, ...] = ("propuesto", "verificado", "descartado")
MILESTONE_GROUPS: tuple[str, ...] = (
    "reconocimiento",
    "incorporación",
    "financiación",
    "apropiación",
    "difusión",
    "control social",
    "contexto normativo",
)
MILESTONE_STATUSES: tuple[str, ...] = ("por gestionar", "en trámite", "logrado", "vencido", "anulado")
MILESTONE_SCOPES: tuple[str, ...] = ("plan", "líneas", "programas")
PP_STATUSES: tuple[str, ...] = ("priorizado", "votado", "contratado", "en ejecución", "terminado")


class PlanProfile(SQLModel, table=True):
    """The plan itself: its name, horizon and vision (one row; the code is its key in the plan workbook)."""

    __tablename__ = "plan_profile"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str = Field(max_length=200)
    start_year: int
    horizon_years: int = Field(ge=1)
    vision: str = ""
    adopted_act: str = Field(default="", max_length=200)  # e.g. "Acuerdo JAL 03 de 2015"
    adopted_on: date | None = None
    source_document: str = Field(default="", max_length=300)


class IdeaFuerza(SQLModel, table=True):
    """One of the 3–6 driving ideas of the vision, tied to the lines that carry it."""

    __tablename__ = "idea_fuerza"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    text: str = Field(max_length=300)
    sort_order: int = 0
    archived_on: date | None = None


class IdeaLine(SQLModel, table=True):
    __tablename__ = "idea_line"
    idea_id: int = Field(sa_column=Column(Integer, ForeignKey("idea_fuerza.id", ondelete="CASCADE"), primary_key=True))
    line_id: int = Field(sa_column=Column(Integer, ForeignKey("strategic_line.id"), primary_key=True))


class Instrument(SQLModel, table=True):
    """An actor's own planning instrument (its Plan de Acción, a JAC's plan, a company's CSR plan...)."""

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    actor_id: int = Field(sa_column=_fk("actor.id"))
    kind: str = Field(max_length=60)  # one of INSTRUMENT_KINDS
    name: str = Field(max_length=200)
    period_start: int | None = None  # years
    period_end: int | None = None
    adopted_act: str = Field(default="", max_length=200)
    adopted_on: date | None = None
    link: str = Field(default="", max_length=300)
    archived_on: date | None = None


class InstrumentLine(SQLModel, table=True):
    """The plan lines an instrument concerns: the denominator of its coverage."""

    __tablename__ = "instrument_line"
    instrument_id: int = Field(
        sa_column=Column(Integer, ForeignKey("instrument.id", ondelete="CASCADE"), primary_key=True)
    )
    line_id: int = Field(sa_column=Column(Integer, ForeignKey("strategic_line.id"), primary_key=True))


class Alignment(SQLModel, table=True):
    """One row of the crosswalk: how an instrument takes up one plan line (optionally a program or project of ours).

    Only ``verificado`` rows count in a figure; ``propuesto`` ones are drawn as unverified, ``descartado`` ones kept.
    """

    __table_args__ = (
        CheckConstraint("level >= 0 AND level <= 3", name="level_range"),
        CheckConstraint("year IS NULL OR (year >= 1990 AND year <= 2100)", name="year_range"),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    instrument_id: int = Field(sa_column=_fk("instrument.id"))
    line_id: int = Field(sa_column=_fk("strategic_line.id"))
    program_id: int | None = Field(default=None, sa_column=_fk("program.id", nullable=True))
    project_id: int | None = Field(default=None, sa_column=_fk("project.id", nullable=True))
    their_code: str = Field(default="", max_length=60)  # the instrument's own program/goal/project code
    their_text: str = Field(default="", max_length=500)
    level: int = 0  # ALIGNMENT_LEVELS
    resources_cop: float | None = Field(default=None, ge=0)
    year: int | None = None
    evidence: str = Field(default="", max_length=300)
    state: str = Field(default="propuesto", max_length=20)  # one of ALIGNMENT_STATES
    verified_by: str = Field(default="", max_length=80)
    verified_on: date | None = None
    archived_on: date | None = None


class MilestoneKind(SQLModel, table=True):
    """The editable catalogue of institutionalization milestones (seeded with the Colombian ones of DESIGN §8)."""

    __tablename__ = "milestone_kind"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str = Field(max_length=200)
    group_name: str = Field(max_length=40)  # one of MILESTONE_GROUPS
    description: str = ""
    sort_order: int = 0
    archived_on: date | None = None


class Milestone(SQLModel, table=True):
    """A fact of institutionalization, recorded with its act and evidence (never one reading of the law)."""

    __table_args__ = (
        CheckConstraint(
            "status <> 'logrado' OR act_number <> '' OR evidence <> ''", name="achieved_has_act_or_evidence"
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    kind_id: int = Field(sa_column=_fk("milestone_kind.id"))
    title: str = Field(max_length=300)
    issuer: str = Field(default="", max_length=200)
    act_type: str = Field(default="", max_length=60)
    act_number: str = Field(default="", max_length=60)
    act_date: date | None = None
    scope: str = Field(default="plan", max_length=20)  # one of MILESTONE_SCOPES
    status: str = Field(default="por gestionar", max_length=20)  # one of MILESTONE_STATUSES
    target_date: date | None = None
    evidence: str = Field(default="", max_length=300)
    note: str = ""
    archived_on: date | None = None


class MilestoneLine(SQLModel, table=True):
    """The lines a milestone with scope "líneas" (or "programas", through their lines) concerns."""

    __tablename__ = "milestone_line"
    milestone_id: int = Field(
        sa_column=Column(Integer, ForeignKey("milestone.id", ondelete="CASCADE"), primary_key=True)
    )
    line_id: int = Field(sa_column=Column(Integer, ForeignKey("strategic_line.id"), primary_key=True))


class PPCeiling(SQLModel, table=True):
    """The comuna's Presupuesto Participativo ceiling for one year."""

    __tablename__ = "pp_ceiling"
    id: int | None = Field(default=None, primary_key=True)
    year: int = Field(unique=True)
    ceiling_cop: float = Field(ge=0)


class PPProject(SQLModel, table=True):
    """A Presupuesto Participativo project of one year, executed by a dependencia (an actor of the plan)."""

    __tablename__ = "pp_project"
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=20)
    year: int = Field(index=True)
    name: str = Field(max_length=300)
    dependencia_id: int = Field(sa_column=_fk("actor.id"))
    assigned_cop: float | None = Field(default=None, ge=0)
    executed_cop: float | None = Field(default=None, ge=0)
    status: str = Field(default="priorizado", max_length=20)  # one of PP_STATUSES
    line_id: int | None = Field(default=None, sa_column=_fk("strategic_line.id", nullable=True))  # none: off-plan
    program_id: int | None = Field(default=None, sa_column=_fk("program.id", nullable=True))
    project_id: int | None = Field(default=None, sa_column=_fk("project.id", nullable=True))
    archived_on: date | None = None


class PPProjectBarrio(SQLModel, table=True):
    __tablename__ = "pp_project_barrio"
    pp_project_id: int = Field(
        sa_column=Column(Integer, ForeignKey("pp_project.id", ondelete="CASCADE"), primary_key=True)
    )
    barrio_id: int = Field(sa_column=Column(Integer, ForeignKey("barrio.id"), primary_key=True))


# --- Reporting rounds (issue 17): ask every actor for its progress at one cut-off, know who answered. ---


class ReportingRound(SQLModel, table=True):
    """A round (ronda de reporte): its members are asked for their progress at ``cut_off_date`` by ``deadline``."""

    __tablename__ = "reporting_round"
    __table_args__ = (CheckConstraint("deadline >= cut_off_date", name="deadline_after_cut_off"),)
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    cut_off_date: date = Field(index=True)
    deadline: date
    opened_by: str = Field(default="", max_length=80)
    opened_at: datetime = Field(default_factory=utcnow)
    closed_by: str = Field(default="", max_length=80)
    closed_at: datetime | None = None  # closed: reports for its cut-off still load, with a notice


class RoundMember(SQLModel, table=True):
    """An actor asked in a round, and when it was last reminded."""

    __tablename__ = "round_member"
    round_id: int = Field(
        sa_column=Column(Integer, ForeignKey("reporting_round.id", ondelete="CASCADE"), primary_key=True)
    )
    actor_id: int = Field(sa_column=Column(Integer, ForeignKey("actor.id"), primary_key=True))
    reminded_on: date | None = None
    reminded_by: str = Field(default="", max_length=80)
    reminders: int = Field(default=0, ge=0)


class RoundCommitment(SQLModel, table=True):
    """What a round asked of a member: its commitments open at the cut-off, frozen when the round opened (a later
    change of the plan does not rewrite what was asked)."""

    __tablename__ = "round_commitment"
    round_id: int = Field(
        sa_column=Column(Integer, ForeignKey("reporting_round.id", ondelete="CASCADE"), primary_key=True)
    )
    actor_id: int = Field(sa_column=Column(Integer, ForeignKey("actor.id"), primary_key=True))
    commitment_id: int = Field(sa_column=Column(Integer, ForeignKey("commitment.id"), primary_key=True, index=True))


class ContactConsent(SQLModel, table=True):
    """A decision of an actor's contact (Ley 1581 de 2012) to allow, or withdraw, the use of its contact data for the
    plan's messages. Rows are history: the latest (by date, then id) decides."""

    __tablename__ = "contact_consent"
    id: int | None = Field(default=None, primary_key=True)
    actor_id: int = Field(sa_column=_fk("actor.id"))
    granted: bool = True  # False: the authorization was withdrawn
    decided_on: date
    evidence: str = Field(default="", max_length=300)  # e.g. "formato firmado en la asamblea del 12/11/2026"
    recorded_by: str = Field(default="", max_length=80)
    recorded_at: datetime = Field(default_factory=utcnow)


class AuditEntry(SQLModel, table=True):
    __tablename__ = "audit_entry"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utcnow, index=True)
    user_name: str = Field(default="", max_length=80)
    action: str = Field(max_length=40)
    table_name: str = Field(max_length=60)
    row_id: str = Field(default="", max_length=60)
    before: str | None = None  # JSON
    after: str | None = None  # JSON
    # The upload this write belongs to: undoing the batch replays its entries backwards.
    import_batch_id: int | None = Field(default=None, sa_column=_fk("import_batch.id", nullable=True))


class User(SQLModel, table=True):
    __tablename__ = "app_user"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=80)
    password_hash: str | None = None
    email: str | None = Field(default=None, max_length=200)
    role: str = Field(default="coordinador", max_length=20)
    actor_id: int | None = Field(default=None, sa_column=_fk("actor.id", nullable=True))
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)


class LoginFailure(SQLModel, table=True):
    """One refused login, kept in the database so throttling holds across browser sessions and processes."""

    __tablename__ = "login_failure"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, index=True)  # as typed (lower-cased); may name no account
    at: datetime = Field(default_factory=utcnow, index=True)


class LoginSession(SQLModel, table=True):
    """One open login: only the SHA-256 of its cookie token is kept, so a copy of the database opens nothing.

    Held in the database, not in a process, so a reload, a new tab or another app process behind a load balancer
    finds it; deleting the row is what logging out means.
    """

    __tablename__ = "login_session"
    token_hash: str = Field(primary_key=True, max_length=64)
    username: str = Field(max_length=80, index=True)
    created_at: datetime = Field(default_factory=utcnow)
    last_seen_at: datetime = Field(default_factory=utcnow)  # the idle expiry counts from here, for every tab
    expires_at: datetime = Field(index=True)  # the latest it can live, however active


class Setting(SQLModel, table=True):
    """Key/value settings of this database: data version, demo flag, metric thresholds."""

    key: str = Field(primary_key=True, max_length=60)
    value: str = ""
