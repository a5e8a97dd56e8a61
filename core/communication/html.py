"""HTML from Jinja2 templates (``core/templates``) with autoescaping: every value from the data is text, never markup.

Used for the assembly slides and the printable communication packs; the es-CO formats are template filters, so a
template writes ``{{ row.physical_progress | percent }}`` and reads like the page it draws.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from core import formatting

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _count(value: object) -> str:
    return formatting.number(value)  # type: ignore[arg-type]


def _signed_points(value: float | None) -> str:
    """A change in percentage points: +3,4 · −1,2 · 0,0."""
    if value is None or formatting.number(value, 1) == formatting.BLANK:
        return formatting.BLANK
    sign = "+" if value > 0.05 else ("−" if value < -0.05 else "")
    return f"{sign}{formatting.number(abs(value), 1)}"


@cache
def environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,  # a misspelt name fails the tests instead of printing nothing
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters.update(
        percent=formatting.percent,
        number=formatting.number,
        count=_count,
        money=formatting.money,
        millions=formatting.millions,
        day=formatting.day,
        long_day=formatting.long_day,
        points=_signed_points,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)
