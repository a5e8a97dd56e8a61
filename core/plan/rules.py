"""Rules every plan record keeps, however it arrives: the plan workbook import and the in-app editor share them.

Each rule returns the problem in plain Spanish, or ``None`` when the value is fine, so each caller words the
place (an Excel cell, a form field) its own way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from core.excel import cells
from core.excel.parsing import NARROW_SCALE as NARROW_SCALE
from core.excel.parsing import range_problem as range_problem
from core.models import STAGES

ACTIVE_PATH: tuple[str, ...] = ("perfil", "formulado", "financiado", "en ejecución", "terminado")
PAUSED, CANCELLED, FINISHED = "suspendido", "cancelado", "terminado"
FINAL_STAGES: frozenset[str] = frozenset({FINISHED, CANCELLED})

STAGE_RULES = (
    "Un proyecto avanza por perfil → formulado → financiado → en ejecución → terminado; puede saltarse etapas hacia "
    "adelante, pero no volver atrás.",
    "Desde cualquier etapa abierta puede pasar a «suspendido» o «cancelado».",
    "Un proyecto suspendido se reanuda en cualquier etapa abierta (perfil, formulado, financiado o en ejecución) o "
    "se cancela.",
    "«Terminado» y «cancelado» son finales: para retomar el trabajo, cree un proyecto nuevo.",
)


def allowed_stages(current: str) -> tuple[str, ...]:
    """The stages a project in ``current`` may move to, itself included, in the plan's order."""
    if current in FINAL_STAGES:
        return (current,)
    if current == PAUSED:
        return (*ACTIVE_PATH[:-1], PAUSED, CANCELLED)
    if current not in ACTIVE_PATH:  # an unknown stage (old data): any move puts it right
        return STAGES
    return (*ACTIVE_PATH[ACTIVE_PATH.index(current) :], PAUSED, CANCELLED)


def stage_move_problem(current: str, new: str) -> str | None:
    if new in allowed_stages(current):
        return None
    if current in FINAL_STAGES:
        return f"un proyecto {current} no cambia de etapa (pasaría a «{new}»); si se retoma, cree uno nuevo"
    return f"no se permite pasar de «{current}» a «{new}»: las etapas no vuelven atrás"


def end_before_start_problem(start: date | None, end: date | None) -> str | None:
    if start and end and end < start:
        return f"la fecha de fin ({end:%d/%m/%Y}) es anterior a la de inicio ({start:%d/%m/%Y})"
    return None


def due_before_start_problem(due: date | None, start: date | None, project_code: object) -> str | None:
    if due and start and due < start:
        return (
            f"la fecha de entrega ({due:%d/%m/%Y}) es anterior al inicio del proyecto {project_code} ({start:%d/%m/%Y})"
        )
    return None


def start_after_due_problem(start: date | None, due_dates: Mapping[str, date]) -> str | None:
    """A project may not start after the delivery date of a commitment it already has (``code -> due date``)."""
    early = sorted((due, code) for code, due in due_dates.items() if start and due < start)
    if not early:
        return None
    shown = ", ".join(f"{code} ({due:%d/%m/%Y})" for due, code in early[:3])
    more = f" y {len(early) - 3} más" if len(early) > 3 else ""
    whose = "del compromiso" if len(early) == 1 else f"de {len(early)} compromisos:"
    return (
        f"la fecha de inicio ({start:%d/%m/%Y}) es posterior a la entrega {whose} {shown}{more}; "
        "cambie primero esas entregas o elija un inicio anterior"
    )


def length_problem(value: str, length: int | None) -> str | None:
    if length and len(value) > length:
        return f"tiene {cells.plain_number(len(value))} caracteres; el máximo es {cells.plain_number(length)}"
    return None


# ---------------------------------------------------------------------------------------------- institutionalization

ACHIEVED = "logrado"


def achieved_without_act_problem(status: str | None, act_number: str | None, evidence: str | None) -> str | None:
    """A milestone is «logrado» only with the number of its act or its evidence (the database checks the same)."""
    if status == ACHIEVED and not (act_number or "").strip() and not (evidence or "").strip():
        return "un hito «logrado» necesita el número del acto o la evidencia (un enlace, un acta, un documento)"
    return None


def executed_over_assigned_problem(assigned: float | None, executed: float | None) -> str | None:
    """A warning, not a refusal: additions and adjustments can make a PP project execute more than it was assigned."""
    if assigned is not None and executed is not None and executed > assigned:
        return "lo ejecutado es mayor que lo asignado; revise si hubo una adición"
    return None


def _same_code(a: str, b: str) -> bool:
    return cells.normalized(a) == cells.normalized(b)


def pp_path_problem(
    line: str | None,
    program: str | None,
    project: str | None,
    *,
    line_of_program: Mapping[str, str],
    program_of_project: Mapping[str, str],
) -> str | None:
    """A PP project's program must be one of its line's and its project one of its program's. Codes match with case
    and accents aside; the maps go from a program's (a project's) code to its line's (its program's)."""
    lines = {cells.normalized(k): v for k, v in line_of_program.items()}
    programs = {cells.normalized(k): v for k, v in program_of_project.items()}
    if project is not None:
        parent = programs.get(cells.normalized(project))
        if program is None:
            program = parent
        elif parent is not None and not _same_code(parent, program):
            return f"el proyecto {project} es del programa {parent}, no del {program}"
    if program is not None:
        owner = lines.get(cells.normalized(program))
        if line is None:
            return f"indique la línea: el programa {program} es de la línea {owner}"
        if owner is not None and not _same_code(owner, line):
            return f"el programa {program} es de la línea {owner}, no de la {line}"
    return None


# ---------------------------------------------------------------------------------------------- vision and adoption

VERIFIED = "verificado"  # the one crosswalk state that counts in a figure (core.models.ALIGNMENT_STATES)
PROPOSED = "propuesto"  # what a blank state means


def period_problem(first_year: int | None, last_year: int | None) -> str | None:
    """An instrument's period runs forwards."""
    if first_year is not None and last_year is not None and last_year < first_year:
        return f"el año final ({last_year}) es anterior al año inicial ({first_year})"
    return None


def verification_problems(state: str | None, verified_by: str | None, verified_on: date | None) -> dict[str, str]:
    """A crosswalk row is «verificado» only with who verified it and when (field -> problem)."""
    if state != VERIFIED:
        return {}
    problems = {}
    if not (verified_by or "").strip():
        problems["verified_by"] = "una fila «verificado» necesita quién la verificó («Verificado por»)"
    if verified_on is None:
        problems["verified_on"] = "una fila «verificado» necesita la fecha de verificación («Verificado el»)"
    return problems


def record_problems(table: str, record: Mapping[str, object]) -> dict[str, str]:
    """The rules across fields of the vision records (``table``: the table's name), field -> problem: the editor,
    the plan workbook and the plantilla de articulación all ask here."""
    if table == "instrument":
        problem = period_problem(_year(record.get("period_start")), _year(record.get("period_end")))
        return {"period_end": problem} if problem else {}
    if table == "alignment":
        verified_on = record.get("verified_on")
        return verification_problems(
            _text(record.get("state")),
            _text(record.get("verified_by")),
            verified_on if isinstance(verified_on, date) else None,
        )
    return {}


def _year(value: object) -> int | None:
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None
