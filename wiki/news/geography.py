"""« Carte »: where the network acts, as an SVG drawn by the server (no tiles, no map library,
no third-party request): Mali's outline and a bubble per regional capital, sized by a count.

The outline is Natural Earth's, simplified and shipped in wiki/data/mali_outline.json (see
scripts/mali_outline.py); the capitals' positions are data with their source, in
wiki/data/mali_capitals.json."""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from importlib import resources

from sqlalchemy import func, select

from .. import policy
from ..extensions import db
from ..models import utcnow
from ..pages.models import Kind, Page, Revision
from .models import News

WIDTH = 320  # SVG units; the image scales to the screen
LATITUDE = math.radians(17.5)  # the country's middle: east-west distances shrink by its cosine
MAX_RADIUS, MIN_RADIUS = 26.0, 4.0
NEWS_DAYS = 90


def _data(name: str) -> dict:
    return json.loads(resources.files("wiki").joinpath(f"data/{name}").read_text(encoding="utf-8"))


@cache
def _frame() -> tuple[float, float, float, float]:
    """(west, north, scale, height) of the drawing."""
    points = [p for ring in _data("mali_outline.json")["rings"] for p in ring]
    west, east = min(x for x, _ in points), max(x for x, _ in points)
    south, north = min(y for _, y in points), max(y for _, y in points)
    scale = WIDTH / ((east - west) * math.cos(LATITUDE))
    return west, north, scale, (north - south) * scale


def _xy(lon: float, lat: float) -> tuple[float, float]:
    west, north, scale, _height = _frame()
    return round((lon - west) * math.cos(LATITUDE) * scale, 1), round((north - lat) * scale, 1)


@cache
def outline_path() -> str:
    """The SVG path of the country's outline."""
    return " ".join("M" + " L".join(f"{x},{y}" for x, y in (_xy(lon, lat) for lon, lat in ring)) + " Z"
                    for ring in _data("mali_outline.json")["rings"])


def height() -> float:
    return round(_frame()[3], 1)


@dataclass(frozen=True)
class Bubble:
    region: str
    town: str
    count: int
    x: float
    y: float
    radius: float


def bubbles(counts: dict[str, int]) -> list[Bubble]:
    """One per region, by the capital; the area grows with the count. Regions without a
    capital on file (a name typed by hand) are left out of the drawing, not of the text list."""
    capitals = {k: v for k, v in _data("mali_capitals.json").items() if not k.startswith("_")}
    top = max(counts.values(), default=0) or 1
    drawn = []
    for region, (town, lon, lat) in capitals.items():
        count = counts.get(region, 0)
        radius = MIN_RADIUS + (MAX_RADIUS - MIN_RADIUS) * math.sqrt(count / top) if count else 2.0
        drawn.append(Bubble(region, town, count, *_xy(lon, lat), round(radius, 1)))
    return sorted(drawn, key=lambda b: -b.radius)  # small bubbles drawn last, on top


def sheets_by_region(reader) -> dict[str, int]:
    """Readable experience sheets per region (the sheet's « Région (Mali) » field)."""
    region = Revision.fields["region"].as_string()
    rows = db.session.execute(
        select(region, func.count()).select_from(Page).join(Revision, Revision.id == Page.current_revision_id)
        .where(policy.readable_clause(reader), Page.kind == Kind.FICHE, Page.is_deleted.is_(False))
        .group_by(region))
    return {name: count for name, count in rows if name}


def news_by_region(reader, days: int = NEWS_DAYS) -> dict[str, int]:
    """Readable news of the last `days` days per region of their sheet."""
    region = Revision.fields["region"].as_string()
    rows = db.session.execute(
        select(region, func.count()).select_from(News).join(Page, Page.id == News.page_id)
        .join(Revision, Revision.id == Page.current_revision_id)
        .where(policy.readable_news_clause(reader), Page.is_deleted.is_(False), Page.kind == Kind.FICHE,
               News.created_at >= utcnow() - timedelta(days=days))
        .group_by(region))
    return {name: count for name, count in rows if name}
