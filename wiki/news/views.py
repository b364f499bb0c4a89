"""« Nouvelles du terrain »: the form on sheets and group pages, the network's list, photos.

The form posts normally without JavaScript; static/js/outbox.js sends the same form from the
phone's outbox (Accept: application/json) with an identifier made on the phone."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from .. import policy
from ..activity import follows
from ..attachments.types import RejectedFile
from ..auth.models import SIDE_LABELS
from ..errors import NotFound, ValidationError
from ..groups import services as groups
from ..pages import services as pages
from ..pages.models import Kind, Page
from ..sheets.services import mali_regions
from . import geography, services
from .models import MAX_NEWS, MAX_PHOTOS, NEWS_KINDS

bp = Blueprint("news", __name__)
OFFLINE_FOLLOWED = 20  # the service worker keeps 40 pages at most
POST_ENDPOINTS = {"news.post", "api.post_news"}  # their body limit: see below


@bp.app_url_value_preprocessor
def raise_body_limit_for_photos(endpoint, _values):
    """Four photos shrunk by the phone fit well below this; the other routes keep MAX_CONTENT_LENGTH."""
    if endpoint in POST_ENDPOINTS:
        request.max_content_length = MAX_PHOTOS * int(current_app.config["ATTACHMENT_MAX_BYTES"]) + 64 * 1024


def _wants_json() -> bool:
    return request.accept_mimetypes.best == "application/json"


def _json_error(status: int, message: str, fields: dict | None = None):
    """The API's error shape, for the outbox (which posts the web form)."""
    code = {403: "forbidden", 413: "too_large"}.get(status, "invalid")
    return jsonify({"error": code, "message": message, **({"fields": fields} if fields else {})}), status


def _page(slug: str) -> Page:
    page, _by_alias = pages.get_readable_page(current_user, slug)
    return page


@bp.route("/p/<slug>/nouvelles", methods=["POST"])
@login_required
def post(slug: str):
    page = _page(slug)
    if not policy.may(current_user, "post_news", page):
        if _wants_json():
            return _json_error(403, str(policy.MESSAGES["post_news"]))
        abort(403)
    form = request.form
    photos = [f.stream for f in request.files.getlist("photos") if f and f.filename]
    try:
        news, created = services.post(current_user, page, text=form.get("text", ""), kind=form.get("kind") or None,
                                      commune=form.get("commune"), photos=photos,
                                      client_id=form.get("client_id") or None)
    except (ValidationError, RejectedFile) as exc:
        errors = exc.errors if isinstance(exc, ValidationError) else {"photos": exc.message}
        status = 422 if isinstance(exc, ValidationError) else exc.status
        if _wants_json():
            return _json_error(status, "; ".join(str(m) for m in errors.values()), errors)
        return render_template("news/write.html", page=page, errors=errors, values=form, kinds=NEWS_KINDS,
                               max_text=MAX_NEWS, max_photos=MAX_PHOTOS), status
    if _wants_json():
        return jsonify({"id": news.id, "created": created,
                        "url": url_for("pages.view", slug=page.slug, _anchor=f"nouvelle-{news.id}")}), \
            201 if created else 200
    flash(_("Nouvelle publiée.") if created else _("Cette nouvelle était déjà arrivée."), "success")
    return redirect(url_for("pages.view", slug=page.slug, _anchor="nouvelles"))


@bp.route("/p/<slug>/nouvelles/ecrire")
@login_required
def write(slug: str):
    """The form alone (a link from the timeline, and where a refused news comes back)."""
    page = _page(slug)
    policy.abort_unless("post_news", page)
    return render_template("news/write.html", page=page, errors={}, values={}, kinds=NEWS_KINDS,
                           max_text=MAX_NEWS, max_photos=MAX_PHOTOS)


@bp.route("/sw.js")
def service_worker():
    """At the root, so that it may serve every page of the site (its scope is its folder)."""
    response = send_file(Path(current_app.static_folder) / "js" / "sw.js", mimetype="text/javascript",
                         max_age=0)
    response.headers["Cache-Control"] = "no-cache"  # a new version is picked up at the next visit
    return response


@bp.route("/hors-ligne/suivies")
@login_required
def followed_pages():
    """The followed pages the service worker keeps for reading offline, when the member asks."""
    followed = follows.recently_followed_pages(current_user, limit=OFFLINE_FOLLOWED)
    return jsonify({"urls": [url_for("pages.view", slug=page.slug) for page in followed]})


@bp.route("/nouvelles/jeton")
@login_required
def token():
    """A fresh form token for the outbox, which may send news long after its page was loaded
    (or from the service worker): readable by this origin's scripts only."""
    response = jsonify({"csrf_token": generate_csrf(), "reader": current_user.id})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/nouvelles")
def index():
    group = groups.find_group(request.args.get("groupe"))
    region = request.args.get("region") or None
    side = request.args.get("cote") if request.args.get("cote") in SIDE_LABELS else None
    items = services.across_network(current_user, region=region, group_id=group.id if group else None, side=side)
    return render_template("news/index.html", items=items, group=group, region=region, side=side,
                           regions=mali_regions(), groups=groups.list_groups(), sides=SIDE_LABELS, kinds=NEWS_KINDS)


@bp.route("/nouvelles/photo/<int:photo_id>")
@bp.route("/nouvelles/photo/<int:photo_id>/miniature", defaults={"thumbnail": True})
def photo(photo_id: int, thumbnail: bool = False):
    try:
        item = services.readable_photo(current_user, photo_id)
    except NotFound:
        abort(404)
    return photo_response(item, thumbnail)


def photo_response(item, thumbnail: bool):
    path = services.photo_path(item, thumbnail)
    if not path.is_file():
        raise NotFound()
    response = send_file(path, mimetype="image/webp", conditional=True,
                         etag=item.thumbnail_hash if thumbnail else item.content_hash)
    response.headers["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.app_template_global()
def news_of(page: Page) -> dict:
    """What a sheet or group page shows (the page is readable for this reader)."""
    return {"entries": services.of_page(current_user, page, limit=10), "kinds": NEWS_KINDS,
            "may_post": policy.may(current_user, "post_news", page), "max_text": MAX_NEWS,
            "max_photos": MAX_PHOTOS}


@bp.app_template_global()
def group_news(group) -> dict:
    """The group page: its news across its pages, and the form of its group page if any."""
    page = next((p for p in pages.list_pages(current_user, kind=Kind.GROUPE, group_id=group.id, limit=1,
                                             with_total=False)[0]), None)
    return {"entries": services.across_network(current_user, group_id=group.id, limit=10), "kinds": NEWS_KINDS,
            "page": page, "may_post": page is not None and policy.may(current_user, "post_news", page),
            "max_text": MAX_NEWS, "max_photos": MAX_PHOTOS}


@bp.route("/carte", endpoint="map")
def network_map():
    """Readable sheets per region, and news of the last 90 days."""
    return render_template("news/map.html", sheets=geography.sheets_by_region(current_user),
                           news=geography.news_by_region(current_user),
                           search_link=lambda region: url_for("search.results", region=region),
                           news_link=lambda region: url_for("news.index", region=region))


@bp.app_template_global()
def map_bubbles(counts: dict[str, int]) -> list:
    return geography.bubbles(counts)


bp.add_app_template_global(geography.outline_path, "map_outline")
bp.add_app_template_global(geography.height, "map_height")
