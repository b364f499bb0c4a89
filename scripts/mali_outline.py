"""Build wiki/data/mali_outline.json: Mali's outline from Natural Earth, simplified.

Source: the `world-atlas` npm package, version 2.0.2 (countries-50m.json: Natural Earth
1:50m admin-0 countries, public domain, as TopoJSON). Run once when updating the data:

    curl -O https://registry.npmjs.org/world-atlas/-/world-atlas-2.0.2.tgz
    tar xzf world-atlas-2.0.2.tgz
    python scripts/mali_outline.py package/countries-50m.json > wiki/data/mali_outline.json
"""
from __future__ import annotations

import json
import math
import sys

MALI = "466"  # ISO 3166-1 numeric
TOLERANCE = 0.04  # degrees (about 4 km): far below what a phone screen shows


def _decode_arcs(topology: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points[1:] if ring else points)
    return ring


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker."""
    if len(points) < 3:
        return points
    (x1, y1), (x2, y2) = points[0], points[-1]
    length = math.hypot(x2 - x1, y2 - y1) or 1e-12
    distances = [abs((y2 - y1) * x - (x2 - x1) * y + x2 * y1 - y2 * x1) / length for x, y in points[1:-1]]
    farthest = max(range(len(distances)), key=distances.__getitem__)
    if distances[farthest] <= tolerance:
        return [points[0], points[-1]]
    split = farthest + 1
    return _simplify(points[:split + 1], tolerance)[:-1] + _simplify(points[split:], tolerance)


def _simplify_ring(ring: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """A closed ring in two halves, split at the point farthest from its start."""
    x0, y0 = ring[0]
    far = max(range(len(ring)), key=lambda i: math.hypot(ring[i][0] - x0, ring[i][1] - y0))
    return _simplify(ring[:far + 1], tolerance)[:-1] + _simplify(ring[far:], tolerance)


def main(path: str) -> None:
    topology = json.load(open(path))
    arcs = _decode_arcs(topology)
    [mali] = [g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == MALI]
    polygons = mali["arcs"] if mali["type"] == "MultiPolygon" else [mali["arcs"]]
    rings = [_simplify_ring(_ring(polygon[0], arcs), TOLERANCE) for polygon in polygons]  # outer rings only
    json.dump({"_source": "Natural Earth 1:50m admin-0 countries (public domain), from the world-atlas npm "
                          "package 2.0.2 (countries-50m.json), simplified by scripts/mali_outline.py",
               "rings": [[[round(x, 2), round(y, 2)] for x, y in ring] for ring in rings]}, sys.stdout)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main(sys.argv[1])
