"""The 13 official barrios of Comuna 12 and their boundaries, from the bundled GeoJSON."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

BOUNDARIES_PATH = Path(__file__).resolve().parents[2] / "data" / "comuna12_barrios.geojson"
ATTRIBUTION = (
    "Fuente: Alcaldía de Medellín – Departamento Administrativo de Planeación, "
    "capa Barrio Vereda (MEData/GeoMedellín). CC BY-SA 4.0."
)


@dataclass(frozen=True)
class BarrioShape:
    code: str
    name: str
    area_m2: float
    rings: tuple[tuple[tuple[float, float], ...], ...]  # (lon, lat) rings of the polygon


@cache
def barrio_shapes() -> tuple[BarrioShape, ...]:
    collection = json.loads(BOUNDARIES_PATH.read_text(encoding="utf-8"))
    shapes = []
    for feature in collection["features"]:
        props = feature["properties"]
        geometry = feature["geometry"]
        polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        rings = tuple(tuple((float(x), float(y)) for x, y in ring) for polygon in polygons for ring in polygon)
        shapes.append(BarrioShape(str(props["CODIGO"]), str(props["NOMBRE"]), float(props["SHAPEAREA"]), rings))
    return tuple(sorted(shapes, key=lambda shape: shape.code))
