"""What changed in what members follow (news from the field included), where they were
@mentioned, and calls for funding on followed themes, by e-mail: at once
(each run of `flask --app wiki digest send`), daily or weekly, as each member chooses. Every
item is read as its member would read it (the policy, through activity.services), their own
changes left out. Running the command twice sends nothing twice: a member's `digest_until`
moves forward in the same transaction that queues their message."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app, render_template
from flask_babel import force_locale, lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import func, select

from .. import policy
from ..activity import follows, services as activity
from ..auth.models import User
from ..discussions.models import Comment
from ..extensions import db
from ..funding import services as funding
from ..models import utcnow
from ..pages.models import Page
from . import outbox

FREQUENCIES = {"immediate": timedelta(0), "daily": timedelta(days=1), "weekly": timedelta(days=7), "never": None}
FREQUENCY_LABELS = {"immediate": _l("À chaque nouveauté"), "daily": _l("Une fois par jour"),
                    "weekly": _l("Une fois par semaine"), "never": _l("Jamais")}
MAX_ITEMS = 50  # per message; the rest is one click away on « Mon fil »


def send_digests(now: datetime | None = None) -> int:
    """Queue the digests that are due; returns how many."""
    now = now or utcnow()
    queued = 0
    for user in db.session.scalars(select(User).where(User.is_enabled.is_(True), User.password_hash.is_not(None),
                                                      User.mail_frequency != "never").order_by(User.id)):
        since = user.digest_until or user.created_at
        if since + FREQUENCIES.get(user.mail_frequency, FREQUENCIES["weekly"]) > now:
            continue
        digest = _digest(user, since, now)
        if digest:
            _queue(user, digest)
            queued += 1
        user.digest_until = now
        db.session.commit()
    return queued


@dataclass(frozen=True)
class Digest:
    items: list  # activity.Change: what changed in what the member follows, and @mentions
    new_calls: list  # funding.Call on followed themes
    closing_calls: list

    def __bool__(self) -> bool:
        return bool(self.items or self.new_calls or self.closing_calls)

    def __len__(self) -> int:
        return len(self.items) + len(self.new_calls) + len(self.closing_calls)


def _digest(user: User, since: datetime, until: datetime) -> Digest:
    followed = follows.followed(user)
    new_calls, closing_calls = funding.calls_for_digest(user, since, until, followed.themes)
    return Digest(items=_items(user, since, until, followed), new_calls=new_calls, closing_calls=closing_calls)


def _items(user: User, since: datetime, until: datetime, followed: follows.Followed) -> list[activity.Change]:
    changes = activity.recent_changes(user, activity.Filters(followed=followed, since=since), limit=MAX_ITEMS)
    items = {c.key: c for c in changes + _mentions(user, since)
             if c.at <= until and (c.author.id if c.author else None) != user.id}
    return sorted(items.values(), key=lambda c: c.at)[-MAX_ITEMS:]


def _mentions(user: User, since: datetime) -> list[activity.Change]:
    """Comments that name the member with @, which they may read."""
    query = (select(Comment).join(Page, Comment.page_id == Page.id)
             .where(Comment.created_at > since, Comment.is_deleted.is_(False),
                    func.lower(Comment.body).contains(f"@{user.name.lower()}"),
                    policy.readable_comments_clause(user)).order_by(Comment.id).limit(MAX_ITEMS))
    return [activity.comment_change(c) for c in db.session.scalars(query)]


def _queue(user: User, digest: Digest) -> None:
    unsubscribe = outbox.absolute_url("mail.unsubscribe", token=unsubscribe_token(user))
    with force_locale(user.language or "fr"):
        context = {"user": user, "items": digest.items, "new_calls": digest.new_calls,
                   "closing_calls": digest.closing_calls, "my_feed": outbox.absolute_url("activity.my_feed"),
                   "unsubscribe": unsubscribe, "page_url": _link, "call_url": _call_link}
        count = len(digest)
        outbox.queue(user.email, str(_l("Passerelle : %(count)d nouveauté(s) dans ce que vous suivez",
                                         count=count)),
                     render_template("mail/digest.txt", **context), render_template("mail/digest.html", **context),
                     headers={"List-Unsubscribe": f"<{unsubscribe}>",
                              "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})


def _link(change: activity.Change) -> str:
    anchor = {"comment": f"commentaire-{change.source_id}", "news": f"nouvelle-{change.source_id}"}.get(change.kind)
    return outbox.absolute_url("pages.view", slug=change.page.slug, _anchor=anchor)


def _call_link(call: funding.Call) -> str:
    return outbox.absolute_url("pages.view", slug=call.page.slug)


def _signer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="unsubscribe")


def unsubscribe_token(user: User) -> str:
    return _signer().dumps(user.id)


def check_unsubscribe_token(token: str) -> User | None:
    try:
        return db.session.get(User, int(_signer().loads(token)))
    except (BadSignature, TypeError, ValueError):
        return None


def unsubscribe(token: str) -> User | None:
    """One click, no login (RFC 8058): the member receives no more digests."""
    user = check_unsubscribe_token(token)
    if user is not None:
        user.mail_frequency = "never"
        db.session.commit()
    return user


def set_frequency(user: User, frequency: str) -> None:
    if frequency not in FREQUENCIES:
        raise ValueError(frequency)
    user.mail_frequency = frequency
    db.session.commit()
