"""What the API accepts and answers, as pydantic models: the routes validate requests with
them (api/operations.py) and the OpenAPI document is generated from them (api/openapi.py).

Limits set in the configuration are written `Setting("KEY")`: services check them and the
document states the configured value. Rules that need the database (a known group, who may
write a « regard ») stay in the services."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any, Literal

from pydantic import (BaseModel, ConfigDict, Field, PlainValidator, StrictBool, StrictInt, StrictStr, WithJsonSchema,
                      create_model)
from pydantic_core import PydanticCustomError

from ..agenda.fields import EVENT_KINDS, TIME_ZONES
from ..agenda.models import ANSWERS, DECISION_STATUS_LABELS, MAX_DECISION
from ..auth.models import Side
from ..directory.services import TEXT_LIMITS
from ..funding.fields import CURRENCIES, ELIGIBILITY, MAX_AMOUNT
from ..discussions.services import MAX_COMMENT
from ..groups.services import MAX_MESSAGE
from ..models import MAX_ID
from ..news.models import MAX_NEWS, MAX_PHOTOS, NEWS_KINDS
from ..pages.models import CONTENT_LANGUAGES, Kind, Status, Visibility
from ..pages.services import MAX_THEMES
from ..sheets.fields import LIST_FIELDS, MAX_FIELD_LENGTH, SHEET_FIELDS, YEAR_FIELDS

KINDS = Literal[tuple(k.value for k in Kind)]
VISIBILITIES = Literal[tuple(v.value for v in Visibility)]
SIDES = Literal[tuple(s.value for s in Side)]
STATUSES = Literal[tuple(s.value for s in Status)]
LANGUAGES = Literal[CONTENT_LANGUAGES]
DRAFT_OR_PUBLISHED = Literal[Status.BROUILLON.value, Status.PUBLIEE.value]
ERROR_CODES = Literal["bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed",
                      "conflict", "too_large", "invalid", "too_many_requests", "unavailable", "error"]


@dataclass(frozen=True)
class Setting:
    """A bound read from the configuration (`maxLength` of a text, by default): the document
    states its configured value (api/openapi.py), the services enforce it."""

    key: str
    keyword: str = "maxLength"

    def __get_pydantic_json_schema__(self, core_schema, handler):
        schema = handler(core_schema)
        schema.setdefault("x-settings", {})[self.keyword] = self.key
        return schema


class Request(BaseModel):
    """A JSON body: texts must be texts (no 5 for "5"), unknown keys are refused."""

    model_config = ConfigDict(strict=True, extra="forbid")


class Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


# Requests -----------------------------------------------------------------------

YEAR_TEXT = re.compile(r"[0-9]{1,4}")


def _year(value: Any) -> int | str | None:
    """An integer, or up to 4 ASCII digits as text ("²".isdigit() is true but int("²") fails, and
    int() refuses over 4300 digits); the sheet rules check the range."""
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    if isinstance(value, str) and (not value.strip() or YEAR_TEXT.fullmatch(value.strip())):
        return value
    raise PydanticCustomError("year", "year")


Year = Annotated[Any, PlainValidator(_year), WithJsonSchema({
    "anyOf": [{"type": "integer", "minimum": 1900, "maximum": 2100}, {"type": "string", "pattern": "^[0-9]{4}$"},
              {"type": "null"}],
    "description": "Year (a string of digits is accepted too on input)."})]
FieldText = Annotated[StrictStr | None, Field(max_length=MAX_FIELD_LENGTH)]
PartnerList = Annotated[list[Annotated[StrictStr, Field(max_length=200)]] | None,
                        Field(max_length=50, description="Partner organisations (slugs or names).")]
FIELD_DESCRIPTIONS = {
    "region": "Region in Mali; a sheet needs `region` or `town_fr`.",
    "town_fr": "Town in France.",
    "regard_nord": "Written by Nord contributors only (and coordinators).",
    "regard_sud": "Written by Sud contributors only (and coordinators).",
    "period_end": "Year; not before `period_start`.",
}


def _sheet_field(key: str):
    kind = PartnerList if key in LIST_FIELDS else Year if key in YEAR_FIELDS else FieldText
    return kind, Field(None, description=FIELD_DESCRIPTIONS.get(key))


SheetFields = create_model(
    "SheetFields", __base__=Request, __doc__="Structured fields of an experience sheet (kind `fiche`); ignored "
    "for other kinds. Empty values (null, \"\", []) are dropped; unknown keys are rejected (422).",
    **{key: _sheet_field(key) for key in SHEET_FIELDS})


Title = Annotated[StrictStr, Setting("MAX_TITLE_LENGTH")]
Body = Annotated[StrictStr, Setting("MAX_BODY_LENGTH")]
Summary = Annotated[StrictStr, Setting("MAX_SUMMARY_LENGTH")]
Themes = Annotated[list[StrictStr], Field(max_length=MAX_THEMES)]


class PageCreate(Request):
    """Unknown keys and non-string text values are rejected (422)."""

    title: Title = Field(description="Whitespace is collapsed; must contain a letter or digit.")
    kind: KINDS = "page"
    visibility: VISIBILITIES = Field("membres", description="`public` needs a coordinator; `groupe` needs "
                                     "`group` and membership of it (or a coordinator).")
    group: StrictStr | None = Field(None, description="Group slug (unknown slug: 422).")
    themes: Themes = Field([], description="Themes, slugified; a `fiche` needs at least one.")
    fields: SheetFields | None = None
    body: Body = Field("", description="Markdown source.")
    summary: Summary = Field("", description="Edit summary (\"Création\" when empty).")
    status: DRAFT_OR_PUBLISHED | None = Field(None, description="Sheets only: start as a draft with `brouillon`.")
    language: LANGUAGES = Field("fr", description="The language the page is written in.")


class PageUpdate(Request):
    """Omitted keys keep their value. Unknown keys and non-string text values give 422."""

    base_revision: StrictInt = Field(ge=1, description="Revision the edit started from. Concurrent "
                                     "non-overlapping changes are merged; overlapping ones give 409.")
    title: Title | None = Field(None, description="Default: the base revision's title. A new title gives a "
                                "new slug.")
    kind: KINDS | None = Field(None, description="Must equal the page's kind (the kind never changes).")
    visibility: VISIBILITIES | None = Field(None, description="Default: unchanged. Making a page `public` "
                                            "needs a coordinator.")
    group: StrictStr | None = Field(None, description="Group slug; null or \"\" removes it. Default: unchanged.")
    themes: Themes | None = Field(None, description="Replaces the themes. Default: the base revision's.")
    fields: SheetFields | None = Field(None, description="Replaces the whole object. Default: the base "
                                       "revision's fields.")
    body: Body | None = Field(None, description="Default: the base revision's body.")
    summary: Summary = Field("", description="Edit summary.")
    status: DRAFT_OR_PUBLISHED | None = Field(None, description="Sheets only: `publiee` publishes a draft; "
                                              "`brouillon` (coordinators) takes it back. A substantive edit "
                                              "of a validated sheet returns it to `publiee`.")
    language: LANGUAGES | None = Field(None, description="The language the page is written in. Default: "
                                       "unchanged.")


class GroupCreate(Request):
    name: Annotated[StrictStr, Field(max_length=200)] = Field(description="Must be new and contain a letter or "
                                                              "digit.")
    description: Annotated[StrictStr, Field(max_length=5000)] | None = ""


class MemberAdd(Request):
    email: Annotated[StrictStr, Field(max_length=254)] = Field(description="Email of an existing account "
                                                               "(unknown: 422).")
    animator: StrictBool = Field(False, description="Make (or unmake) the member a co-animator.")


class JoinRequest(Request):
    model_config = ConfigDict(extra="ignore")

    message: Annotated[StrictStr, Field(max_length=MAX_MESSAGE)] | None = Field(
        "", description="A word for the animators (whitespace collapsed).")


def _organisation_text(key: str, description: str | None = None):
    return Annotated[StrictStr | None, Field(max_length=TEXT_LIMITS[key], description=description)]


class OrganisationUpdate(Request):
    """Only the keys sent change; an unknown key is refused (422)."""

    name: _organisation_text("name", "Contains a letter or digit and is not another organisation's name; "
                             "the slug does not change.") = None
    side: SIDES | None = None
    kind: _organisation_text("kind", "Empty: `association`.") = None
    town: _organisation_text("town") = None
    region: _organisation_text("region") = None
    description: _organisation_text("description", "Markdown.") = None
    website: _organisation_text("website", "http:// or https:// address, or empty.") = None
    contact: _organisation_text("contact", "Shown to members only.") = None


class OrganisationCreate(OrganisationUpdate):
    name: _organisation_text("name", "Must be new and contain a letter or digit.")
    side: SIDES


# Query strings ------------------------------------------------------------------

class Query(BaseModel):
    """Query parameters: texts converted to numbers, unknown parameters ignored."""

    model_config = ConfigDict(extra="ignore")


class PageListQuery(Query):
    kind: KINDS | None = Field(None, description="Only pages of this kind.")
    group: str | None = Field(None, description="Only pages of this group (slug); an unknown slug gives an "
                              "empty list.")
    theme: str | None = Field(None, description="Only pages with this theme (slug).")
    limit: int = Field(50, ge=1, le=200, description="Page size.")
    offset: int = Field(0, ge=0, le=1_000_000, description="Items to skip.")


class SearchQuery(Query):
    q: str = Field("", description="Words to find (first 500 characters); empty: everything readable.")
    kind: KINDS | None = Field(None, description="Page kind.")
    theme: str | None = Field(None, description="Theme slug.")
    region: str | None = Field(None, description="Region of a sheet (`fields.region`).")
    group: str | None = Field(None, description="Group slug.")
    side: SIDES | None = Field(None, description="Pages with a contribution from this side.")
    year: str | None = Field(None, description="A year of the sheet's period (of the last update for other "
                             "pages).", examples=["2024"])
    page: int = Field(1, ge=1, le=1000, description="Results page (20 per page).")
    sort: Literal["relevance", "date"] = Field("relevance", description="`date` for newest first.")
    exact: Literal["1"] | None = Field(None, description="`1`: search the words as typed, never their "
                                       "spelling correction.")


class GroupQuery(Query):
    region: str | None = Field(None, description="Only sheets of this region (`fields.region`, exact value).")
    theme: str | None = Field(None, description="Only pages with this theme (slug).")
    year: int | None = Field(None, ge=1900, le=2100, description="Only sheets whose period (`period_start`.."
                             "`period_end`, an open end running to the last update) contains this year, and "
                             "other pages last updated that year.")


class OrganisationQuery(Query):
    side: SIDES | None = Field(None, description="Only this side.")
    kind: str | None = Field(None, description="Only this kind (case and accents ignored).")
    region: str | None = Field(None, description="Only this region (case and accents ignored: `segou` finds "
                               "« Ségou »).")


class FileQuery(Query):
    version: int | None = Field(None, ge=1, le=2**31 - 1, description="An older version (default: the current "
                                "one).")


# Answers ------------------------------------------------------------------------

Slug = Annotated[str, Field(description="Stable address part of the page (after a rename, the old slug keeps "
                                        "working).")]
Url = Annotated[str, Field(description="Address in the web interface.", json_schema_extra={"format": "uri"})]
Author = Annotated[str | None, Field(description="Display name of the author, or null when the account is gone.")]
Timestamp = Annotated[str, Field(json_schema_extra={"format": "date-time"})]
GroupSlug = Annotated[str | None, Field(description="Slug of the thematic group, or null.")]
Count = Annotated[int, Field(ge=0)]
GROUP_PAGES_SHOWN = 200
Number = Annotated[int, Field(ge=1)]


class Error(BaseModel):
    """Every error answer. Some statuses add keys (`fields`, `slug`, see Conflict)."""

    model_config = ConfigDict(extra="allow")

    error: ERROR_CODES = Field(description="Machine-readable code.")
    message: str = Field(description="Human-readable message, in the language of the Accept-Language header "
                         "(French by default).")
    fields: dict[str, str] | None = Field(None, description="Present on 422: offending key → message (sheet "
                                          "fields as `fields.KEY`).")
    slug: str | None = Field(None, description="Present on 409 from POST /pages: the existing page with that "
                             "address.")


class PageData(Answer):
    """A page at one revision, without the rendered HTML."""

    slug: Slug
    url: Url
    title: str
    kind: KINDS
    visibility: VISIBILITIES = Field(description="Current visibility of the page.")
    group: GroupSlug
    themes: list[str] = Field(description="Theme slugs.")
    fields: dict[str, Any] = Field(description="Structured fields of an experience sheet (see SheetFields).")
    body: str = Field(description="Markdown source.")
    revision: Number = Field(description="Revision number.")
    author: Author
    side: SIDES = Field(description="Side of the author at the time of writing.")
    summary: str = Field(description="Edit summary of this revision.")
    updated: Timestamp = Field(description="When this revision was saved.")
    status: STATUSES = Field(description="`brouillon` (visible to its authors and coordinators), `publiee`, or "
                             "`validee` (confirmed by a contributor of the other side).")
    validated_by: str | None = Field(description="Who validated the sheet, or null.")
    validated_at: Timestamp | None = Field(description="When the sheet was validated, or null.")
    language: LANGUAGES = Field(description="The language the page is written in (not translated).")


class Page(PageData):
    """A page at one revision. `visibility` and `group` are always the page's current ones."""

    html: str = Field(description="Sanitized HTML rendering of `body`.")


class Conflict(Answer):
    """409 on PUT: someone saved in between and the changes overlap; nothing was saved."""

    error: Literal["conflict"]
    message: str
    conflicts: list[str] = Field(description="Keys changed on both sides (`title`, `body`, `visibility`, "
                                 "`group`, `themes` or `fields.KEY`).")
    base_revision: Number = Field(description="The base_revision sent.")
    current: PageData
    yours: dict[str, Any] = Field(description="The page keys of the rejected request body, as sent.")


class PageSummary(Answer):
    slug: Slug
    title: str
    kind: KINDS
    visibility: VISIBILITIES
    group: GroupSlug
    themes: list[str]
    revision: Number = Field(description="Current revision number.")
    updated: Timestamp
    url: Url


class PageList(Answer):
    total: Count = Field(description="Number of matching readable pages.")
    pages: list[PageSummary] = Field(description="Newest first.")


class PageCreated(Answer):
    slug: Slug
    revision: Number
    url: Url


class PageSaved(Answer):
    slug: Slug
    revision: Number = Field(description="Current revision number after the save.")
    merged: bool = Field(description="True when a concurrent save was merged in.")
    changed: bool = Field(description="False when the save changed nothing (no revision was created).")
    url: Url


class Validated(Answer):
    slug: Slug
    status: STATUSES
    validated_by: str
    validated_at: Timestamp


class RevisionSummary(Answer):
    revision: Number
    title: str
    author: Author
    side: SIDES
    summary: str
    base_revision: Number | None = Field(description="Revision the author started from; null for the first one.")
    created: Timestamp


class RevisionList(Answer):
    slug: Slug
    revisions: list[RevisionSummary] = Field(description="Newest first.")


class SearchHit(Answer):
    slug: Slug
    title: str
    kind: KINDS
    snippet: str = Field(description="Safe HTML: escaped text with matched words in <mark>.")
    score: float
    url: Url


class Facets(Answer):
    """For each filter, value → number of matching pages (empty without matches)."""

    kind: dict[str, Count]
    theme: dict[str, Count]
    region: dict[str, Count]
    side: dict[str, Count]
    year: dict[str, Count]
    group: dict[str, Count]


class SearchResult(Answer):
    total: Count = Field(description="Number of readable matches.")
    page: Number
    complete: bool = Field(description="False when the search index is not available.")
    suggestion: str | None = Field(description="« Vouliez-vous dire » : a spelling of the query that finds "
                                   "readable pages.")
    corrected_from: str | None = Field(description="When the typed query found few pages and the results are "
                                       "for its correction (`suggestion`), the typed query (`exact=1` searches "
                                       "it as typed).")
    facets: Facets
    results: list[SearchHit] = Field(max_length=20, description="At most 20 per page.")


class Group(Answer):
    slug: str
    name: str
    description: str


class GroupList(Answer):
    groups: list[Group] = Field(description="Sorted by name.")


class Person(Answer):
    name: str
    side: SIDES


class GroupMember(Person):
    animator: bool


class PageLink(Answer):
    slug: Slug
    title: str
    kind: KINDS
    url: Url


class GroupDetail(Group):
    members: list[GroupMember] = Field(description="Empty for anonymous callers.")
    animators: list[Person] = Field(description="Co-animators; empty for anonymous callers.")
    missing_animator_sides: list[SIDES] = Field(description="Sides with no co-animator yet (a group wants one "
                                                "Nord and one Sud); shown to everyone.")
    pages: list[PageLink] = Field(max_length=GROUP_PAGES_SHOWN, description="Pages of the group the caller "
                                  "may read, newest first, after the `region`, `theme` and `year` filters.")


class GroupCreated(Answer):
    slug: str


class JoinRequested(Answer):
    group: str = Field(description="Group slug.")
    status: Literal["pending"] = Field(description="The request waits for an animator.")


class MemberAdded(Answer):
    group: str = Field(description="Group slug.")
    email: str
    animator: bool


class Organisation(Answer):
    slug: str = Field(description="Stable: a rename keeps it.")
    name: str
    side: SIDES
    kind: str = Field(description="association, collectivité, comité de jumelage, ONG, école, coopérative, "
                      "groupement, service de l'État…")
    town: str
    region: str
    description: str = Field(description="Markdown.")
    website: str = Field(description="http(s) address, or empty.")
    contact: str | None = Field(description="Contact of the organisation; null for anonymous callers (it often "
                                "names a person).")
    url: Url


class OrganisationList(Answer):
    organisations: list[Organisation] = Field(description="Sorted by name.")


class SheetLink(Answer):
    slug: Slug
    title: str
    url: Url


class OrganisationDetail(Organisation):
    members: list[Person] = Field(description="Active accounts of the organisation, by name; empty for "
                                  "anonymous callers.")
    sheets: list[SheetLink] = Field(description="Experience sheets the caller may read that name the "
                                    "organisation (slug or name) among their Nord or Sud partners, newest first.")


class Attachment(Answer):
    name: str = Field(description="File name on the page (cleaned; the extension matches the real type). "
                      "Markdown shows or links it as `fichier:NAME`.")
    version: Number = Field(description="1 for the first upload under this name, then 2, 3…")
    url: Url = Field(description="The file. Without `?version=`, the newest version under this name.")
    thumbnail_url: Url | None = Field(description="Photos: a 400 px WebP thumbnail; null for other files.")
    size: Number = Field(description="Bytes stored (photos: after re-encoding).")
    content_type: str = Field(description="Type as served: photos are re-encoded as image/webp (at most "
                              "1600 px, no metadata); PDF, OpenDocument, Office Open XML or CSV otherwise.")
    width: Number | None = Field(description="Photos: width in pixels; null otherwise.")
    height: Number | None = Field(description="Photos: height in pixels; null otherwise.")
    uploader: Author
    side: SIDES = Field(description="Side of the uploader at the time.")
    created: Timestamp


class AttachmentVersions(Attachment):
    older: list[Attachment] = Field(description="Older versions, newest first (their `url` names the version).")


class AttachmentList(Answer):
    slug: Slug
    attachments: list[AttachmentVersions] = Field(description="Current version of each file, by name.")


class AttachmentUpload(BaseModel):
    """multipart/form-data with the field `file`."""

    file: Annotated[bytes, Setting("ATTACHMENT_MAX_BYTES", "maxLength")] = Field(
        description="The file: JPEG, PNG, WebP, PDF, OpenDocument (odt, ods, odp, odg), Office Open XML (docx, "
                    "xlsx, pptx) or CSV, at most `maxLength` bytes (ATTACHMENT_MAX_BYTES). The type is read from "
                    "the content, never from the name or the declared type.", json_schema_extra={"format": "binary"})


class ChangesQuery(Query):
    since: datetime = Field(description="Only changes after this moment (ISO 8601; UTC when no offset is "
                            "given), oldest first.")
    limit: int = Field(100, ge=1, le=500, description="Changes at most.")


class ChangeItem(Answer):
    id: str = Field(description="Stable identifier of the change (`edit-123`, `attachment-7`…).")
    kind: Literal["creation", "edit", "validation", "attachment", "comment", "news"]
    at: Timestamp = Field(description="When it happened (UTC).")
    slug: Slug
    title: str = Field(description="The page's current title.")
    page_kind: KINDS
    author: Author
    side: SIDES = Field(description="Side of the author at the time.")
    summary: str = Field(description="Edit summary (creations and edits), the start of a comment or of a news "
                         "item, else empty.")
    revision: Number | None = Field(description="The revision saved (creations and edits), else null.")
    file: str | None = Field(description="The attached file's name (attachments), else null.")
    voice: SIDES | None = Field(description="An edit that gave a sheet its « Regard du Nord » or « Regard du "
                                "Sud »: that side; else null.")
    url: Url


class ChangeList(Answer):
    changes: list[ChangeItem] = Field(description="Oldest first: read on with `since` = the last `at`.")
    next_since: Timestamp | None = Field(description="The `at` of the last change, to ask for the next ones; "
                                         "null when there was none.")


class CommentCreate(Request):
    body: Annotated[StrictStr, Field(min_length=1, max_length=MAX_COMMENT)] = Field(description="Markdown.")
    parent: StrictInt | None = Field(None, ge=1, le=MAX_ID, description="The comment this one answers (one level "
                                     "deep: an answer to an answer joins its thread).")


class CommentItem(Answer):
    id: Number
    parent: Number | None = Field(description="The comment it answers, or null.")
    author: Author
    side: SIDES = Field(description="Side of the author at the time.")
    body: str = Field(description="Markdown source; empty when deleted.")
    html: str = Field(description="Sanitized HTML; empty when deleted.")
    created: Timestamp
    edited: Timestamp | None
    deleted: bool = Field(description="Deleted (kept as a placeholder while it has answers).")


class CommentList(Answer):
    slug: Slug
    comments: list[CommentItem] = Field(description="Oldest first, each answer after its comment.")


# Agenda ------------------------------------------------------------------------------

LocalTime = Annotated[StrictStr, Field(max_length=20, description="Wall-clock time in `timezone`, "
                                       "`YYYY-MM-DDTHH:MM`.", examples=["2027-03-29T10:00"])]
Day = Annotated[StrictStr, Field(max_length=10, description="`YYYY-MM-DD`.", examples=["2027-04-15"])]


class EventFields(Request):
    """Structured fields of an event. Empty values (null, \"\") are dropped."""

    event_kind: Literal[tuple(EVENT_KINDS)] | None = Field(None, description="Default `autre`.")
    starts: LocalTime | None = Field(None, description="Required. A time skipped by a daylight-saving change "
                                     "gives 422.")
    ends: LocalTime | None = Field(None, description="At or after `starts`, 31 days at most.")
    timezone: Literal[tuple(TIME_ZONES)] | None = Field(None, description="Zone of `starts` and `ends`; default "
                                                        "Europe/Paris.")
    place: Annotated[StrictStr, Field(max_length=200)] | None = Field(None, description="A town; `place` or "
                                                                       "`online_url` is required.")
    online_url: Annotated[StrictStr, Field(max_length=500)] | None = Field(None, description="http(s) address "
                                                                            "of an online meeting.")


class EventCreate(Request):
    title: Title
    fields: EventFields
    body: Body = Field("", description="Markdown description.")
    visibility: VISIBILITIES = Field("membres", description="As for pages.")
    group: StrictStr | None = Field(None, description="Group slug (unknown slug: 422).")
    language: LANGUAGES = "fr"
    summary: Summary = ""


class EventUpdate(Request):
    """Omitted keys keep their value."""

    base_revision: StrictInt = Field(ge=1, description="Revision the edit started from (see PUT /pages/{slug}).")
    title: Title | None = None
    fields: EventFields | None = Field(None, description="Replaces the event's fields (its minutes' page is "
                                       "kept).")
    body: Body | None = None
    visibility: VISIBILITIES | None = None
    group: StrictStr | None = None
    language: LANGUAGES | None = None
    summary: Summary = ""


BySide = Annotated[dict[str, Count], Field(description="By side: `nord`, `sud`.")]


class EventTime(Answer):
    zone: str = Field(description="Europe/Paris or Africa/Bamako.")
    starts: Timestamp = Field(description="Local time with its offset.")
    ends: Timestamp


class EventSummary(Answer):
    id: Number = Field(description="The event's id (its page's).")
    slug: Slug
    title: str
    kind: str = Field(description="formation, comite, rencontre, reunion or autre.")
    visibility: VISIBILITIES
    group: GroupSlug
    starts: Timestamp = Field(description="UTC.")
    ends: Timestamp = Field(description="UTC (the start when no end was given).")
    times: list[EventTime] = Field(description="The same moments in France and in Mali, the organiser's zone "
                                   "first.")
    place: str | None
    online_url: str | None
    url: Url


class EventList(Answer):
    events: list[EventSummary] = Field(description="Upcoming: soonest first; past: latest first.")


class Event(EventSummary):
    fields: dict[str, Any]
    body: str
    revision: Number
    attendance: dict[str, BySide] = Field(description="Answer (`oui`, `peut-etre`, `non`) → counts by side.")
    my_answer: Literal[tuple(ANSWERS)] | None = Field(description="The caller's answer, or null.")
    minutes: Slug | None = Field(description="The minutes' page, when the caller may read it.")


class EventQuery(Query):
    past: bool = Field(False, description="Past events instead of upcoming ones.")
    group: str | None = Field(None, description="Only this group's events (slug).")
    kind: Literal[tuple(EVENT_KINDS)] | None = Field(None, description="Only this kind of event.")


class AttendanceAnswer(Request):
    answer: Literal[tuple(ANSWERS)] = Field(description="`oui` (je viens), `peut-etre` or `non`.")


class Attendance(Answer):
    answer: Literal[tuple(ANSWERS)]
    attendance: dict[str, BySide]


Owner = Annotated[StrictStr, Field(max_length=254, description="Email of the account in charge.")]


class DecisionCreate(Request):
    text: Annotated[StrictStr, Field(min_length=1, max_length=MAX_DECISION)]
    owner: Owner | None = None
    due_on: Day | None = None


class DecisionUpdate(Request):
    """The person in charge may send `status` only; who may edit the event may send every key."""

    status: Literal[tuple(DECISION_STATUS_LABELS)] | None = None
    text: Annotated[StrictStr, Field(min_length=1, max_length=MAX_DECISION)] | None = None
    owner: Owner | None = Field(None, description="null removes the person in charge.")
    due_on: Day | None = Field(None, description="null removes the due date.")


class Decision(Answer):
    id: Number
    event: Number = Field(description="The event's id.")
    text: str
    owner: Person | None = Field(description="Null when nobody is in charge, or when the caller may not see "
                                 "names (visitors).")
    due_on: str | None
    status: Literal[tuple(DECISION_STATUS_LABELS)]
    overdue: bool = Field(description="Past its due date and not done nor dropped.")


class DecisionList(Answer):
    decisions: list[Decision]


class Created(Answer):
    id: Number
    slug: Slug
    revision: Number
    url: Url


# Calls for funding -------------------------------------------------------------------

Amount = Annotated[StrictInt, Field(ge=0, le=MAX_AMOUNT)]


class CallFields(Request):
    """Structured fields of a call. Empty values (null, \"\", []) are dropped."""

    funder: Annotated[StrictStr, Field(max_length=200)] | None = Field(None, description="Required.")
    link: Annotated[StrictStr, Field(max_length=500)] | None = None
    opens_on: Day | None = None
    closes_on: Day | None = Field(None, description="Required: the deadline.")
    amount_min: Amount | None = None
    amount_max: Amount | None = None
    currency: Literal[tuple(CURRENCIES)] | None = Field(None, description="EUR, or XOF (franc CFA); default EUR "
                                                        "when an amount is given.")
    eligibility: Annotated[list[Literal[tuple(ELIGIBILITY)]], Field(max_length=3)] | None = Field(
        None, description="Required: who may apply (`nord`, `sud`, `conjoint`).")
    regions: Annotated[list[Annotated[StrictStr, Field(max_length=100)]], Field(max_length=20)] | None = None


class CallCreate(Request):
    title: Title
    fields: CallFields
    themes: Themes = Field([], description="Theme slugs.")
    body: Body = ""
    visibility: VISIBILITIES = "membres"
    group: StrictStr | None = None
    language: LANGUAGES = "fr"
    summary: Summary = ""


class CallUpdate(Request):
    base_revision: StrictInt = Field(ge=1, description="Revision the edit started from (see PUT /pages/{slug}).")
    title: Title | None = None
    fields: CallFields | None = Field(None, description="Replaces the call's fields.")
    themes: Themes | None = None
    body: Body | None = None
    visibility: VISIBILITIES | None = None
    group: StrictStr | None = None
    language: LANGUAGES | None = None
    summary: Summary = ""


class CallSummary(Answer):
    id: Number
    slug: Slug
    title: str
    visibility: VISIBILITIES
    group: GroupSlug
    themes: list[str]
    funder: str
    closes_on: str
    open: bool = Field(description="The deadline is today or later.")
    url: Url


class CallList(Answer):
    calls: list[CallSummary] = Field(description="Open: nearest deadline first; closed: latest first.")


class Preparer(Person):
    organisation: str | None


class Call(CallSummary):
    fields: dict[str, Any]
    body: str
    revision: Number
    preparing: Count = Field(description="How many members say their structure prepares an answer.")
    preparers: list[Preparer] | None = Field(description="Who, for members (null for visitors).")
    funded_sheets: list[Slug] = Field(description="Readable sheets whose « Financeurs » name this funder.")


class CallQuery(Query):
    closed: bool = Field(False, description="Closed calls (history) instead of open ones.")
    theme: str | None = Field(None, max_length=200)
    region: str | None = Field(None, max_length=200)
    eligibility: Literal[tuple(ELIGIBILITY)] | None = None
    funder: str | None = Field(None, max_length=200, description="Case and accents ignored, whole words.")


class Interest(Request):
    preparing: StrictBool = Field(True, description="false: no longer preparing an answer.")


class InterestState(Answer):
    preparing: bool
    count: Count


# News from the field -----------------------------------------------------------------

ClientId = Annotated[StrictStr, Field(pattern=r"^[A-Za-z0-9_-]{8,64}$", description="Made on the phone: the same "
                                      "identifier sent again by the same member answers the news already stored.")]


class NewsCreate(Request):
    """JSON, or multipart/form-data with the same fields and up to four `photos`."""

    text: Annotated[StrictStr, Field(min_length=1, max_length=MAX_NEWS)] = Field(description="Markdown; no GPS "
                                                                                  "coordinates (422).")
    kind: Literal[tuple(NEWS_KINDS)] | Literal[""] | None = None
    commune: Annotated[StrictStr, Field(max_length=100)] | None = Field(None, description="A place by its name, "
                                                                        "never coordinates.")
    client_id: ClientId | None = None


class NewsUpload(BaseModel):
    """multipart/form-data: the fields of NewsCreate, and `photos`."""

    text: str = Field(max_length=MAX_NEWS)
    kind: Literal[tuple(NEWS_KINDS)] | None = None
    commune: str | None = Field(None, max_length=100)
    client_id: str | None = Field(None, pattern=r"^[A-Za-z0-9_-]{8,64}$")
    photos: list[bytes] = Field([], max_length=MAX_PHOTOS, description="JPEG, PNG or WebP; re-encoded without "
                                "metadata (no GPS).", json_schema_extra={"items": {"format": "binary"}})


class NewsPhoto(Answer):
    url: Url = Field(description="The photo (WebP, 1600 px at most), with the caller's token.")
    thumbnail: Url


class NewsItem(Answer):
    id: Number
    page: Slug
    text: str
    kind: Literal[tuple(NEWS_KINDS)] | None
    commune: str | None
    author: Person | None = Field(description="Null for visitors (names are for members) or a removed account.")
    side: SIDES
    created: Timestamp
    photos: list[NewsPhoto]
    url: Url


class NewsList(Answer):
    news: list[NewsItem] = Field(description="Newest first.")


class NewsQuery(Query):
    region: str | None = Field(None, max_length=200, description="Only news of sheets in this region of Mali.")
    group: str | None = Field(None, max_length=200, description="Only news of this group's pages (slug).")
    since: datetime | None = Field(None, description="Only news after this moment (ISO 8601; UTC without offset).")
    limit: int = Field(50, ge=1, le=200)
