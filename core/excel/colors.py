"""Line colours as plotly and Excel take them: '#RRGGBB'. People write '#0b5394', '0B5394', '#15c' or 'rojo'."""

from __future__ import annotations

import re

from core.excel.cells import CellError, normalized

# Spanish names first (what a coordinator types), then the English CSS names people copy from the web.
NAMED: dict[str, str] = {
    "rojo": "#D62728",
    "vinotinto": "#7B1E3A",
    "naranja": "#FF7F0E",
    "anaranjado": "#FF7F0E",
    "amarillo": "#F2C500",
    "dorado": "#D4A017",
    "verde": "#2CA02C",
    "verde claro": "#8BC34A",
    "verde oscuro": "#1B5E20",
    "azul": "#1F77B4",
    "azul claro": "#64B5F6",
    "azul oscuro": "#0B3C73",
    "celeste": "#56B4E9",
    "turquesa": "#1ABC9C",
    "morado": "#7B3FA0",
    "violeta": "#8E44AD",
    "lila": "#B39DDB",
    "rosado": "#E377C2",
    "rosa": "#E377C2",
    "fucsia": "#D81B60",
    "cafe": "#8C564B",
    "marron": "#8C564B",
    "gris": "#7F7F7F",
    "negro": "#111111",
    "blanco": "#FFFFFF",
    "red": "#FF0000",
    "orange": "#FFA500",
    "yellow": "#FFFF00",
    "gold": "#FFD700",
    "green": "#008000",
    "lime": "#00FF00",
    "olive": "#808000",
    "teal": "#008080",
    "cyan": "#00FFFF",
    "blue": "#0000FF",
    "navy": "#000080",
    "purple": "#800080",
    "violet": "#EE82EE",
    "magenta": "#FF00FF",
    "pink": "#FFC0CB",
    "maroon": "#800000",
    "brown": "#A52A2A",
    "gray": "#808080",
    "grey": "#808080",
    "silver": "#C0C0C0",
    "black": "#000000",
    "white": "#FFFFFF",
}
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")


def hex_color(raw: str) -> str:
    """'#0b5394' -> '#0B5394', '#15c' -> '#1155CC', 'Rojo' -> '#D62728'; ``CellError`` for anything else."""
    written = raw.strip()
    if found := _HEX.fullmatch(written):
        digits = found.group(1).upper()
        return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))
    if named := NAMED.get(normalized(written)):
        return named
    raise CellError(
        f"«{written[:40]}» no es un color: escriba un código como #0B5394 o un nombre (rojo, azul, verde, naranja…)"
    )


def color_or(value: object, fallback: str) -> str:
    """A stored colour that plotly can draw; ``fallback`` for one written before colours were checked."""
    try:
        return hex_color(value) if isinstance(value, str) else fallback
    except CellError:
        return fallback
