"""API: news from the field, with the page's permissions."""
from __future__ import annotations

from flask import jsonify, request, url_for

from .. import policy
from ..attachments.types import RejectedFile
from ..errors import NotFound, error_response
from ..groups import services as groups
from ..news import services
from ..news.views import photo_response
from ..pages import services as pages
from ..policy import PermissionDenied
from . import schemas
from .common import api_user, as_utc, iso
from .operations import operation
from .pages import denied

NO_PAGE = "No such page, or the caller may not read it (both answer the same)."


def news_json(news) -> dict:
    author = news.author if news.author and policy.may(api_user(), "see_people") else None
    return {"id": news.id, "page": news.page.slug, "text": news.text, "kind": news.kind, "commune": news.commune,
            "author": {"name": author.name, "side": author.side} if author else None, "side": news.author_side,
            "created": iso(news.created_at),
            "photos": [{"url": url_for("api.news_photo", photo_id=p.id, _external=True),
                        "thumbnail": url_for("api.news_thumbnail", photo_id=p.id, _external=True)}
                       for p in news.photos],
            "url": url_for("pages.view", slug=news.page.slug, _anchor=f"nouvelle-{news.id}", _external=True)}


@operation("GET", "/pages/<slug>/news", tag="news", summary="A page's news from the field, newest first",
           answers={200: (schemas.NewsList, "The news the caller may read."), 404: NO_PAGE})
def list_page_news(slug: str):
    page, _by_alias = pages.get_readable_page(api_user(), slug)
    return jsonify({"news": [news_json(n) for n in services.of_page(api_user(), page, limit=100)]})


@operation("POST", "/pages/<slug>/news", tag="news", writes=True, body=schemas.NewsCreate, upload=schemas.NewsUpload,
           summary="Post news on a sheet or a group page (contributors who may read it)",
           description="JSON, or multipart/form-data with up to four `photos`. Send a `client_id` made on the "
                       "phone: a retry with the same one answers 200 with the news already stored.",
           answers={201: (schemas.NewsItem, "Stored."), 200: (schemas.NewsItem, "Already stored (same client_id)."),
                    403: "Below contributor, or not a sheet nor a group page.", 404: NO_PAGE,
                    422: "Empty or too long text, coordinates, an unknown kind, too many photos or not a photo."})
def post_news(slug: str, body: schemas.NewsCreate):
    user = api_user()
    page, _by_alias = pages.get_readable_page(user, slug)
    photos = [f.stream for f in request.files.getlist("photos") if f]
    try:
        news, created = services.post(user, page, text=body.text, kind=body.kind or None, commune=body.commune,
                                      photos=photos, client_id=body.client_id)
    except PermissionDenied as exc:
        return denied(exc)
    except RejectedFile as exc:
        return error_response(exc.status, exc.message, fields={"photos": exc.message})
    return jsonify(news_json(news)), 201 if created else 200


@operation("GET", "/news", tag="news", query=schemas.NewsQuery, summary="News from the field across the network",
           answers={200: (schemas.NewsList, "The news the caller may read, newest first.")})
def list_news(query: schemas.NewsQuery):
    group = groups.find_group(query.group) if query.group else None
    if query.group and group is None:
        return jsonify({"news": []})
    items = services.across_network(api_user(), region=query.region, group_id=group.id if group else None,
                                    since=as_utc(query.since) if query.since else None, limit=query.limit)
    return jsonify({"news": [news_json(n) for n in items]})


@operation("GET", "/news/photos/<int:photo_id>", tag="news", summary="A news photo (WebP), with the caller's token",
           answers={200: (None, "The photo."), 404: "No such photo, or the caller may not read its news."})
def news_photo(photo_id: int):
    return _photo(photo_id, thumbnail=False)


@operation("GET", "/news/photos/<int:photo_id>/thumbnail", tag="news", summary="A news photo's 400 px thumbnail",
           answers={200: (None, "The thumbnail (WebP)."), 404: "No such photo, or the caller may not read its news."})
def news_thumbnail(photo_id: int):
    return _photo(photo_id, thumbnail=True)


def _photo(photo_id: int, thumbnail: bool):
    try:
        return photo_response(services.readable_photo(api_user(), photo_id), thumbnail)
    except NotFound:
        return error_response(404)
