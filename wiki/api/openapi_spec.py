"""The OpenAPI 3.0.3 document of the HTTP API v1, served at /api/v1/openapi.json.

It describes the routes of api/pages.py, api/attachments.py and api/directory.py as they behave:
keep it in step with them; test_api checks that every route is documented."""
from __future__ import annotations

from ..pages.models import CONTENT_LANGUAGES
from ..sheets.fields import LIST_FIELDS, MAX_FIELD_LENGTH, SHEET_FIELDS, YEAR_FIELDS

# Bounds mirrored from config.Defaults, pages.services and the int_arg() calls.
MAX_TITLE = 200
MAX_BODY = 200_000
MAX_SUMMARY = 300
MAX_THEMES = 10
MAX_BODY_BYTES = 2 * 1024 * 1024
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024  # config.Defaults.ATTACHMENT_MAX_BYTES

KINDS = ["page", "fiche", "groupe"]
VISIBILITIES = ["public", "membres", "groupe"]
SIDES = ["nord", "sud"]
STATUSES = ["brouillon", "publiee", "validee"]
ERROR_CODES = ["bad_request", "unauthorized", "forbidden", "not_found", "method_not_allowed",
               "conflict", "too_large", "invalid", "too_many_requests", "error"]


# Small builders ----------------------------------------------------------------

def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def json_content(schema: dict) -> dict:
    return {"application/json": {"schema": schema}}


def ok(description: str, schema: dict) -> dict:
    return {"description": description, "content": json_content(schema)}


def error(description: str, schema: str = "Error") -> dict:
    return {"description": description, "content": json_content(ref(schema))}


def string(description: str | None = None, **extra) -> dict:
    schema = {"type": "string", **extra}
    if description:
        schema["description"] = description
    return schema


def integer(description: str | None = None, **extra) -> dict:
    schema = {"type": "integer", **extra}
    if description:
        schema["description"] = description
    return schema


def obj(properties: dict, required: list[str] | None = None, description: str | None = None,
        additional: bool | None = None) -> dict:
    schema = {"type": "object", "properties": properties}
    if required:
        schema["required"] = required
    if description:
        schema["description"] = description
    if additional is not None:
        schema["additionalProperties"] = additional
    return schema


def array(items: dict, description: str | None = None, **extra) -> dict:
    schema = {"type": "array", "items": items, **extra}
    if description:
        schema["description"] = description
    return schema


def path_param(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "path", "required": True, "description": description,
            "schema": schema or {"type": "string"}}


def query_param(name: str, description: str, schema: dict | None = None) -> dict:
    return {"name": name, "in": "query", "required": False, "description": description,
            "schema": schema or {"type": "string"}}


def json_body(schema_name: str, description: str) -> dict:
    return {"required": True, "description": description, "content": json_content(ref(schema_name))}


URL = string("Address of the page in the web interface.", format="uri")
SLUG = string("Stable address part of the page (after a rename, the old slug keeps working).")
TIMESTAMP = string(format="date-time")
NULLABLE_GROUP = string("Slug of the thematic group, or null.", nullable=True)
AUTHOR = string("Display name of the author, or null when the account is gone.", nullable=True)
SIDE = string("Side of the author at the time of writing.", enum=SIDES)

# Responses shared by many operations.
BAD_TOKEN = error("The Authorization header carries an invalid or revoked token "
                  "(or the token's account is disabled).")
NEED_TOKEN = error("No token (writes need one), or an invalid or revoked token.")
NOT_JSON = error("The body is not a JSON object (send Content-Type: application/json).")
TOO_LARGE = error(f"The request body exceeds {MAX_BODY_BYTES} bytes.")
INVALID = error("Invalid data; `fields` maps each offending key to a message.")
BAD_QUERY = error("A numeric query parameter is not an integer or is out of bounds.")
PAGE_NOT_FOUND = error("No such page, or the caller may not read it (both answer the same).")

READ_SECURITY = [{}, {"bearerAuth": []}]
WRITE_SECURITY = [{"bearerAuth": []}]


# Schemas -----------------------------------------------------------------------

def sheet_fields_schema() -> dict:
    properties = {}
    for key in SHEET_FIELDS:
        if key in LIST_FIELDS:
            properties[key] = array(string(minLength=1, maxLength=200), maxItems=50,
                                    description="Partner organisations (slugs or names).")
        elif key in YEAR_FIELDS:
            properties[key] = integer("Year (a string of digits is accepted too on input).",
                                      minimum=1900, maximum=2100)
        else:
            properties[key] = string(maxLength=MAX_FIELD_LENGTH)
    properties["region"]["description"] = "Region in Mali; a sheet needs `region` or `town_fr`."
    properties["town_fr"]["description"] = "Town in France."
    properties["regard_nord"]["description"] = "Written by Nord contributors only (and coordinators)."
    properties["regard_sud"]["description"] = "Written by Sud contributors only (and coordinators)."
    properties["period_end"]["description"] = "Year; not before `period_start`."
    return obj(properties, additional=False, description=(
        "Structured fields of an experience sheet (kind `fiche`); ignored for other kinds. "
        "Empty values (null, \"\", []) are dropped; unknown keys are rejected (422)."))


PAGE_DATA_PROPERTIES = {
    "slug": SLUG,
    "url": URL,
    "title": string(maxLength=MAX_TITLE),
    "kind": string(enum=KINDS),
    "visibility": string("Current visibility of the page.", enum=VISIBILITIES),
    "group": NULLABLE_GROUP,
    "themes": array(string(), "Theme slugs."),
    "fields": ref("SheetFields"),
    "body": string("Markdown source."),
    "revision": integer("Revision number.", minimum=1),
    "author": AUTHOR,
    "side": SIDE,
    "summary": string("Edit summary of this revision."),
    "updated": string("When this revision was saved.", format="date-time"),
    "status": string("`brouillon` (visible to its authors and coordinators), `publiee`, or `validee` "
                     "(confirmed by a contributor of the other side).", enum=STATUSES),
    "validated_by": string("Who validated the sheet, or null.", nullable=True),
    "validated_at": string("When the sheet was validated, or null.", format="date-time", nullable=True),
    "language": string("The language the page is written in (not translated).", enum=list(CONTENT_LANGUAGES)),
}

SCHEMAS = {
    "Error": obj(
        {
            "error": string("Machine-readable code.", enum=ERROR_CODES),
            "message": string("Human-readable message, in the language of the Accept-Language header (French by default)."),
            "fields": obj({}, additional=string(), description="Present on 422: offending key → message "
                          "(sheet fields as `fields.KEY`)."),
            "slug": string("Present on 409 from POST /pages: the existing page with that address."),
        },
        required=["error", "message"],
        description="Every error answer. Some statuses add keys (`fields`, `slug`, see Conflict).",
        additional=True,
    ),
    "Conflict": obj(
        {
            "error": string(enum=["conflict"]),
            "message": string(),
            "conflicts": array(string(), "Keys changed on both sides (`title`, `body`, `visibility`, "
                                         "`group`, `themes` or `fields.KEY`)."),
            "base_revision": integer("The base_revision sent.", minimum=1),
            "current": ref("PageData"),
            "yours": obj({}, additional=True,
                         description="The page keys of the rejected request body, as sent."),
        },
        required=["error", "message", "conflicts", "base_revision", "current", "yours"],
        description="409 on PUT: someone saved in between and the changes overlap; nothing was saved.",
    ),
    "SheetFields": sheet_fields_schema(),
    "PageData": obj(PAGE_DATA_PROPERTIES, required=list(PAGE_DATA_PROPERTIES),
                    description="A page at one revision, without the rendered HTML."),
    "Page": {
        "allOf": [
            ref("PageData"),
            obj({"html": string("Sanitized HTML rendering of `body`.")}, required=["html"]),
        ],
        "description": "A page at one revision. `visibility` and `group` are always the page's current ones.",
    },
    "PageSummary": obj(
        {
            "slug": SLUG,
            "title": string(),
            "kind": string(enum=KINDS),
            "visibility": string(enum=VISIBILITIES),
            "group": NULLABLE_GROUP,
            "themes": array(string()),
            "revision": integer("Current revision number.", minimum=1),
            "updated": TIMESTAMP,
            "url": URL,
        },
        required=["slug", "title", "kind", "visibility", "group", "themes", "revision", "updated", "url"],
    ),
    "PageList": obj(
        {
            "total": integer("Number of matching readable pages.", minimum=0),
            "pages": array(ref("PageSummary"), "Newest first."),
        },
        required=["total", "pages"],
    ),
    "PageCreate": obj(
        {
            "title": string("Whitespace is collapsed; must contain a letter or digit.",
                            minLength=1, maxLength=MAX_TITLE),
            "kind": string(enum=KINDS, default="page"),
            "visibility": string("`public` needs a coordinator; `groupe` needs `group` and membership "
                                 "of it (or a coordinator).", enum=VISIBILITIES, default="membres"),
            "group": string("Group slug (unknown slug: 422).", nullable=True),
            "themes": array(string(), "Themes, slugified; a `fiche` needs at least one.",
                            maxItems=MAX_THEMES),
            "fields": ref("SheetFields"),
            "body": string("Markdown source.", maxLength=MAX_BODY, default=""),
            "summary": string("Edit summary (\"Création\" when empty).", maxLength=MAX_SUMMARY),
            "status": string("Sheets only: start as a draft with `brouillon`.", enum=["brouillon", "publiee"],
                             default="publiee"),
            "language": string("The language the page is written in.", enum=list(CONTENT_LANGUAGES), default="fr"),
        },
        required=["title"],
        additional=False,
        description="Unknown keys and non-string text values are rejected (422).",
    ),
    "PageUpdate": obj(
        {
            "base_revision": integer("Revision the edit started from. Concurrent non-overlapping "
                                     "changes are merged; overlapping ones give 409.", minimum=1),
            "title": string("Default: the base revision's title. A new title gives a new slug.",
                            minLength=1, maxLength=MAX_TITLE),
            "kind": string("Must equal the page's kind (the kind never changes).", enum=KINDS),
            "visibility": string("Default: unchanged. Making a page `public` needs a coordinator.",
                                 enum=VISIBILITIES),
            "group": string("Group slug; null or \"\" removes it. Default: unchanged.", nullable=True),
            "themes": array(string(), "Replaces the themes. Default: the base revision's.",
                            maxItems=MAX_THEMES),
            "fields": {
                "allOf": [ref("SheetFields")],
                "description": "Replaces the whole object. Default: the base revision's fields.",
            },
            "body": string("Default: the base revision's body.", maxLength=MAX_BODY),
            "summary": string("Edit summary.", maxLength=MAX_SUMMARY, default=""),
            "status": string("Sheets only: `publiee` publishes a draft; `brouillon` (coordinators) takes it "
                             "back. A substantive edit of a validated sheet returns it to `publiee`.",
                             enum=["brouillon", "publiee"]),
            "language": string("The language the page is written in. Default: unchanged.",
                               enum=list(CONTENT_LANGUAGES)),
        },
        required=["base_revision"],
        additional=False,
        description="Omitted keys keep their value. Unknown keys and non-string text values give 422.",
    ),
    "PageCreated": obj(
        {"slug": SLUG, "revision": integer(minimum=1), "url": URL},
        required=["slug", "revision", "url"],
    ),
    "PageSaved": obj(
        {
            "slug": SLUG,
            "revision": integer("Current revision number after the save.", minimum=1),
            "merged": {"type": "boolean", "description": "True when a concurrent save was merged in."},
            "changed": {"type": "boolean", "description": "False when the save changed nothing "
                                                          "(no revision was created)."},
            "url": URL,
        },
        required=["slug", "revision", "merged", "changed", "url"],
    ),
    "RevisionSummary": obj(
        {
            "revision": integer(minimum=1),
            "title": string(),
            "author": AUTHOR,
            "side": SIDE,
            "summary": string(),
            "base_revision": integer("Revision the author started from; null for the first one.",
                                     minimum=1, nullable=True),
            "created": TIMESTAMP,
        },
        required=["revision", "title", "author", "side", "summary", "base_revision", "created"],
    ),
    "RevisionList": obj(
        {"slug": SLUG, "revisions": array(ref("RevisionSummary"), "Newest first.")},
        required=["slug", "revisions"],
    ),
    "SearchHit": obj(
        {
            "slug": SLUG,
            "title": string(),
            "kind": string(enum=KINDS),
            "snippet": string("Safe HTML: escaped text with matched words in <mark>."),
            "score": {"type": "number"},
            "url": URL,
        },
        required=["slug", "title", "kind", "snippet", "score", "url"],
    ),
    "SearchResult": obj(
        {
            "total": integer("Number of readable matches.", minimum=0),
            "page": integer(minimum=1),
            "complete": {"type": "boolean", "description": "False when the search index is not available."},
            "suggestion": string("« Vouliez-vous dire » : a spelling of the query that finds readable pages.",
                                 nullable=True),
            "corrected_from": string("When the typed query found few pages and the results are for its "
                                     "correction (`suggestion`), the typed query (`exact=1` searches it "
                                     "as typed).", nullable=True),
            "facets": obj(
                {name: obj({}, additional=integer(minimum=0))
                 for name in ("kind", "theme", "region", "side", "year", "group")},
                required=["kind", "theme", "region", "side", "year", "group"],
                description="For each filter, value → number of matching pages (empty without matches).",
            ),
            "results": array(ref("SearchHit"), "At most 20 per page.", maxItems=20),
        },
        required=["total", "page", "complete", "suggestion", "corrected_from", "facets", "results"],
    ),
    "Group": obj(
        {"slug": string(), "name": string(), "description": string()},
        required=["slug", "name", "description"],
    ),
    "GroupList": obj({"groups": array(ref("Group"), "Sorted by name.")}, required=["groups"]),
    "GroupDetail": obj(
        {
            "slug": string(),
            "name": string(),
            "description": string(),
            "members": array(
                obj({"name": string(), "side": string(enum=SIDES), "animator": {"type": "boolean"}},
                    required=["name", "side", "animator"]),
                "Empty for anonymous callers."),
            "animators": array(
                obj({"name": string(), "side": string(enum=SIDES)}, required=["name", "side"]),
                "Co-animators; empty for anonymous callers."),
            "missing_animator_sides": array(
                string(enum=SIDES),
                "Sides with no co-animator yet (a group wants one Nord and one Sud); shown to everyone."),
            "pages": array(
                obj({"slug": SLUG, "title": string(), "kind": string(enum=KINDS), "url": URL},
                    required=["slug", "title", "kind", "url"]),
                "Pages of the group the caller may read, newest first (200 at most), after the "
                "`region`, `theme` and `year` filters.", maxItems=200),
        },
        required=["slug", "name", "description", "members", "animators", "missing_animator_sides", "pages"],
    ),
    "GroupCreate": obj(
        {
            "name": string("Must be new and contain a letter or digit.", minLength=1, maxLength=200),
            "description": string(maxLength=5000, default=""),
        },
        required=["name"],
    ),
    "GroupCreated": obj({"slug": string()}, required=["slug"]),
    "MemberAdd": obj(
        {
            "email": string("Email of an existing account (unknown: 422).", format="email"),
            "animator": {"type": "boolean", "default": False,
                         "description": "Make (or unmake) the member a co-animator."},
        },
        required=["email"],
    ),
    "JoinRequest": obj(
        {"message": string("A word for the animators (whitespace collapsed).", maxLength=500, default="")},
        additional=True,
    ),
    "JoinRequested": obj(
        {"group": string("Group slug."), "status": string("The request waits for an animator.", enum=["pending"])},
        required=["group", "status"],
    ),
    "MemberAdded": obj(
        {"group": string("Group slug."), "email": string(format="email"), "animator": {"type": "boolean"}},
        required=["group", "email", "animator"],
    ),
    "Organisation": obj(
        {
            "slug": string("Stable: a rename keeps it."),
            "name": string(),
            "side": string(enum=SIDES),
            "kind": string("association, collectivité, comité de jumelage, ONG, école, coopérative, "
                           "groupement, service de l'État…"),
            "town": string(),
            "region": string(),
            "description": string("Markdown."),
            "website": string("http(s) address, or empty."),
            "contact": string("Contact of the organisation; null for anonymous callers (it often names "
                              "a person).", nullable=True),
            "url": string("Address of the organisation's entry in the web interface.", format="uri"),
        },
        required=["slug", "name", "side", "kind", "town", "region", "description", "website", "contact", "url"],
    ),
    "OrganisationList": obj({"organisations": array(ref("Organisation"), "Sorted by name.")},
                            required=["organisations"]),
    "OrganisationDetail": {
        "allOf": [
            ref("Organisation"),
            obj(
                {
                    "members": array(
                        obj({"name": string(), "side": string(enum=SIDES)}, required=["name", "side"]),
                        "Active accounts of the organisation, by name; empty for anonymous callers."),
                    "sheets": array(
                        obj({"slug": SLUG, "title": string(), "url": URL}, required=["slug", "title", "url"]),
                        "Experience sheets the caller may read that name the organisation (slug or name) "
                        "among their Nord or Sud partners, newest first."),
                },
                required=["members", "sheets"],
            ),
        ],
    },
    "OrganisationCreate": obj(
        {
            "name": string("Must be new and contain a letter or digit.", minLength=1, maxLength=200),
            "side": string(enum=SIDES),
            "kind": string("Default `association` when empty.", maxLength=60, default="association"),
            "town": string(maxLength=120, default=""),
            "region": string(maxLength=120, default=""),
            "description": string("Markdown.", maxLength=5000, default=""),
            "website": string("http:// or https:// address, or empty.", maxLength=300, default=""),
            "contact": string("Shown to members only.", maxLength=300, default=""),
        },
        required=["name", "side"],
        additional=False,
    ),
    "Attachment": obj(
        {
            "name": string("File name on the page (cleaned; the extension matches the real type). "
                           "Markdown shows or links it as `fichier:NAME`."),
            "version": integer("1 for the first upload under this name, then 2, 3…", minimum=1),
            "url": string("The file. Without `?version=`, the newest version under this name.", format="uri"),
            "thumbnail_url": string("Photos: a 400 px WebP thumbnail; null for other files.", format="uri",
                                    nullable=True),
            "size": integer("Bytes stored (photos: after re-encoding).", minimum=1),
            "content_type": string("Type as served: photos are re-encoded as image/webp (at most 1600 px, "
                                   "no metadata); PDF, OpenDocument, Office Open XML or CSV otherwise."),
            "width": integer("Photos: width in pixels; null otherwise.", minimum=1, nullable=True),
            "height": integer("Photos: height in pixels; null otherwise.", minimum=1, nullable=True),
            "uploader": AUTHOR,
            "side": string("Side of the uploader at the time.", enum=SIDES),
            "created": TIMESTAMP,
        },
        required=["name", "version", "url", "thumbnail_url", "size", "content_type", "width", "height",
                  "uploader", "side", "created"],
    ),
    "AttachmentList": obj(
        {
            "slug": SLUG,
            "attachments": array({
                "allOf": [ref("Attachment"), obj({"older": array(ref("Attachment"), "Older versions, newest "
                                                                                     "first (their `url` names "
                                                                                     "the version).")},
                                                 required=["older"])],
            }, "Current version of each file, by name."),
        },
        required=["slug", "attachments"],
    ),
    "AttachmentUpload": obj(
        {"file": string(f"The file: JPEG, PNG, WebP, PDF, OpenDocument (odt, ods, odp, odg), Office Open XML "
                        f"(docx, xlsx, pptx) or CSV, at most {MAX_ATTACHMENT_BYTES} bytes. The type is read from "
                        "the content, never from the name or the declared type.", format="binary")},
        required=["file"],
    ),
    "OrganisationUpdate": obj(
        {
            "name": string("Contains a letter or digit and is not another organisation's name; "
                           "the slug does not change.", minLength=1, maxLength=200),
            "side": string(enum=SIDES),
            "kind": string("Empty: `association`.", maxLength=60),
            "town": string(maxLength=120),
            "region": string(maxLength=120),
            "description": string("Markdown.", maxLength=5000),
            "website": string("http:// or https:// address, or empty.", maxLength=300),
            "contact": string("Shown to members only.", maxLength=300),
        },
        description="Only the keys sent change; an unknown key is refused (422).",
        additional=False,
    ),
}


# Paths -------------------------------------------------------------------------

PAGE_SLUG = path_param("slug", "Page slug (a former slug of a renamed page works too).")
FILE_NAME = {"name": "name", "in": "path", "required": True, "schema": {"type": "string"},
             "description": "The file's name, as in `url` of the attachment list."}
FILE_VERSION = {"name": "version", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1},
                "description": "An older version (default: the current one)."}

PATHS = {
    "/pages": {
        "get": {
            "tags": ["pages"],
            "operationId": "listPages",
            "summary": "List the pages the caller may read, newest first",
            "security": READ_SECURITY,
            "parameters": [
                query_param("kind", "Only pages of this kind.", string(enum=KINDS)),
                query_param("group", "Only pages of this group (slug); an unknown slug gives an empty list."),
                query_param("theme", "Only pages with this theme (slug)."),
                query_param("limit", "Page size.", integer(minimum=1, maximum=200, default=50)),
                query_param("offset", "Items to skip.", integer(minimum=0, maximum=1_000_000, default=0)),
            ],
            "responses": {
                "200": ok("Readable pages.", ref("PageList")),
                "400": BAD_QUERY,
                "401": BAD_TOKEN,
            },
        },
        "post": {
            "tags": ["pages"],
            "operationId": "createPage",
            "summary": "Create a page or an experience sheet (contributors)",
            "security": WRITE_SECURITY,
            "requestBody": json_body("PageCreate", "The new page."),
            "responses": {
                "201": ok("Created.", ref("PageCreated")),
                "400": NOT_JSON,
                "401": NEED_TOKEN,
                "403": error("Role below contributor, `public` without being coordinator, a group the "
                             "caller is not in, or the other side's `regard_*` field."),
                "409": error("A page the caller can read already has this title's address; "
                             "`slug` names it."),
                "413": TOO_LARGE,
                "422": INVALID,
            },
        },
    },
    "/pages/{slug}": {
        "parameters": [PAGE_SLUG],
        "get": {
            "tags": ["pages"],
            "operationId": "getPage",
            "summary": "Read a page at its current revision",
            "security": READ_SECURITY,
            "responses": {
                "200": ok("The page.", ref("Page")),
                "401": BAD_TOKEN,
                "404": PAGE_NOT_FOUND,
            },
        },
        "put": {
            "tags": ["pages"],
            "operationId": "updatePage",
            "summary": "Edit a page from a base revision (contributors)",
            "description": "Changes made by others since `base_revision` are merged when they do not "
                           "overlap; otherwise 409 returns both versions and nothing is saved.",
            "security": WRITE_SECURITY,
            "requestBody": json_body("PageUpdate", "The edit."),
            "responses": {
                "200": ok("Saved (or nothing to change).", ref("PageSaved")),
                "400": NOT_JSON,
                "401": NEED_TOKEN,
                "403": error("Role below contributor, `public` without being coordinator, a group the "
                             "caller is not in, or a change to the other side's `regard_*` field."),
                "404": PAGE_NOT_FOUND,
                "409": error("Overlapping concurrent edit: the current version and yours.", "Conflict"),
                "413": TOO_LARGE,
                "422": error("Invalid data, missing or unknown `base_revision`, or a change of `kind`; "
                             "`fields` maps each offending key to a message."),
            },
        },
    },
    "/pages/{slug}/validation": {
        "parameters": [PAGE_SLUG],
        "post": {
            "tags": ["pages"],
            "summary": "Validate a published sheet (a contributor of the other side than its first author).",
            "security": WRITE_SECURITY,
            "responses": {
                "200": ok("Validated.", obj({"slug": SLUG, "status": string(enum=STATUSES),
                                             "validated_by": string(), "validated_at": TIMESTAMP},
                                            required=["slug", "status", "validated_by", "validated_at"])),
                "401": NEED_TOKEN,
                "403": error("Not a published sheet, not a contributor, or the same side as its first author."),
                "404": PAGE_NOT_FOUND,
            },
        },
    },
    "/pages/{slug}/attachments": {
        "parameters": [PAGE_SLUG],
        "get": {
            "tags": ["pages"],
            "operationId": "listAttachments",
            "summary": "Files attached to a page (deleted versions are left out)",
            "security": READ_SECURITY,
            "responses": {
                "200": ok("The files.", ref("AttachmentList")),
                "401": BAD_TOKEN,
                "404": PAGE_NOT_FOUND,
            },
        },
        "post": {
            "tags": ["pages"],
            "operationId": "uploadAttachment",
            "summary": "Attach a file to a page (contributors who may edit it)",
            "description": "Photos are turned upright (EXIF orientation), reduced to 1600 px and re-encoded "
                           "as WebP without metadata (GPS position, camera, author), with a 400 px thumbnail. "
                           "A new upload under an existing name becomes a new version; the same content "
                           "again under the same name changes nothing (200).",
            "security": WRITE_SECURITY,
            "requestBody": {"required": True, "description": "multipart/form-data with the field `file`.",
                            "content": {"multipart/form-data": {"schema": ref("AttachmentUpload")}}},
            "responses": {
                "201": ok("Stored.", ref("Attachment")),
                "200": ok("Identical to the current version under this name: nothing new stored.",
                          ref("Attachment")),
                "400": error("No `file` field in a multipart/form-data body, or a file name holding control "
                             "characters or bidi overrides."),
                "401": NEED_TOKEN,
                "403": error("The caller may read the page but not edit it."),
                "404": PAGE_NOT_FOUND,
                "413": error(f"The file exceeds {MAX_ATTACHMENT_BYTES} bytes (ATTACHMENT_MAX_BYTES); "
                             "nothing is stored."),
                "422": error("Refused file: a type not accepted (whatever its name says), empty, damaged, "
                             "a photo of too many pixels, a document that would decompress to too much, "
                             "encrypted or with macros. Nothing is stored."),
            },
        },
    },
    "/pages/{slug}/attachments/{name}": {
        "parameters": [PAGE_SLUG, FILE_NAME, FILE_VERSION],
        "get": {
            "tags": ["pages"],
            "operationId": "getAttachment",
            "summary": "The file's bytes (the current version, or `version`), with the caller's token",
            "security": READ_SECURITY,
            "responses": {
                "200": {"description": "The file, with its stored content type."},
                "401": BAD_TOKEN,
                "404": error("No such page, file or version, or not readable by the caller."),
            },
        },
    },
    "/pages/{slug}/attachments/{name}/thumbnail": {
        "parameters": [PAGE_SLUG, FILE_NAME, FILE_VERSION],
        "get": {
            "tags": ["pages"],
            "operationId": "getAttachmentThumbnail",
            "summary": "The 400 px WebP thumbnail of an image, with the caller's token",
            "security": READ_SECURITY,
            "responses": {
                "200": {"description": "The thumbnail (image/webp)."},
                "401": BAD_TOKEN,
                "404": error("Not an image, or no such page, file or version readable by the caller."),
            },
        },
    },
    "/pages/{slug}/revisions": {
        "parameters": [PAGE_SLUG],
        "get": {
            "tags": ["pages"],
            "operationId": "listRevisions",
            "summary": "History of a page, newest first",
            "description": "Only the revisions the caller may read: a revision saved while the page "
                           "was reserved to a narrower audience stays reserved to it when the page is "
                           "made more visible later.",
            "security": READ_SECURITY,
            "responses": {
                "200": ok("The revisions the caller may read.", ref("RevisionList")),
                "401": BAD_TOKEN,
                "404": PAGE_NOT_FOUND,
            },
        },
    },
    "/pages/{slug}/revisions/{number}": {
        "parameters": [PAGE_SLUG, path_param("number", "Revision number.", integer(minimum=1))],
        "get": {
            "tags": ["pages"],
            "operationId": "getRevision",
            "summary": "Read a page at one revision",
            "security": READ_SECURITY,
            "responses": {
                "200": ok("The page at that revision (visibility and group are the current ones).",
                          ref("Page")),
                "401": BAD_TOKEN,
                "404": error("No such page or revision, or the caller may not read it (a revision saved "
                             "while the page had a narrower audience keeps that audience)."),
            },
        },
    },
    "/search": {
        "get": {
            "tags": ["search"],
            "operationId": "search",
            "summary": "Full-text search over the pages the caller may read",
            "description": "All words must match; when nothing does, any word may. Filters narrow "
                           "the results and `facets` counts them.",
            "security": READ_SECURITY,
            "parameters": [
                query_param("q", "Words to find (first 500 characters); empty: everything readable."),
                query_param("kind", "Page kind.", string(enum=KINDS)),
                query_param("theme", "Theme slug."),
                query_param("region", "Region of a sheet (`fields.region`)."),
                query_param("group", "Group slug."),
                query_param("side", "Pages with a contribution from this side.", string(enum=SIDES)),
                query_param("year", "A year of the sheet's period (of the last update for other pages).",
                            string(example="2024")),
                query_param("page", "Results page (20 per page).",
                            integer(minimum=1, maximum=1000, default=1)),
                query_param("sort", "`date` for newest first; relevance otherwise.",
                            string(enum=["relevance", "date"])),
                query_param("exact", "`1`: search the words as typed, never their spelling correction.",
                            string(enum=["1"])),
            ],
            "responses": {
                "200": ok("Matches with facets.", ref("SearchResult")),
                "400": BAD_QUERY,
                "401": BAD_TOKEN,
            },
        },
    },
    "/groups": {
        "get": {
            "tags": ["groups"],
            "operationId": "listGroups",
            "summary": "List thematic groups",
            "security": READ_SECURITY,
            "responses": {
                "200": ok("All groups.", ref("GroupList")),
                "401": BAD_TOKEN,
            },
        },
        "post": {
            "tags": ["groups"],
            "operationId": "createGroup",
            "summary": "Create a thematic group (coordinators)",
            "security": WRITE_SECURITY,
            "requestBody": json_body("GroupCreate", "The new group."),
            "responses": {
                "201": ok("Created.", ref("GroupCreated")),
                "400": NOT_JSON,
                "401": NEED_TOKEN,
                "403": error("The caller is not a coordinator."),
                "413": TOO_LARGE,
                "422": error("Missing, too long or already used name, too long description, or a value that is "
                             "not a text."),
            },
        },
    },
    "/groups/{slug}": {
        "parameters": [path_param("slug", "Group slug.")],
        "get": {
            "tags": ["groups"],
            "operationId": "getGroup",
            "summary": "A group with its members, co-animators and readable pages",
            "description": "Member and co-animator names are for members (a token); anonymous callers "
                           "get empty lists. The filters narrow `pages` as on the group's web page.",
            "security": READ_SECURITY,
            "parameters": [
                query_param("region", "Only sheets of this region (`fields.region`, exact value)."),
                query_param("theme", "Only pages with this theme (slug)."),
                query_param("year", "Only sheets whose period (`period_start`..`period_end`, an open end "
                                    "running to the last update) contains this year, and other pages last "
                                    "updated that year.", integer(minimum=1900, maximum=2100)),
            ],
            "responses": {
                "200": ok("The group.", ref("GroupDetail")),
                "400": BAD_QUERY,
                "401": BAD_TOKEN,
                "404": error("No such group."),
            },
        },
    },
    "/groups/{slug}/requests": {
        "parameters": [path_param("slug", "Group slug.")],
        "post": {
            "tags": ["groups"],
            "operationId": "requestToJoinGroup",
            "summary": "Ask to join a group (members); an animator or a coordinator answers",
            "description": "Asking again while a request waits keeps it (a new message replaces the old).",
            "security": WRITE_SECURITY,
            "requestBody": {"required": False, "description": "An optional message.",
                            "content": json_content(ref("JoinRequest"))},
            "responses": {
                "201": ok("The request waits for an animator.", ref("JoinRequested")),
                "400": NOT_JSON,
                "401": NEED_TOKEN,
                "404": error("No such group."),
                "413": TOO_LARGE,
                "422": error("The caller is already a member, or the message is not a text of at most "
                             "500 characters."),
            },
        },
    },
    "/groups/{slug}/members": {
        "parameters": [path_param("slug", "Group slug.")],
        "post": {
            "tags": ["groups"],
            "operationId": "addGroupMember",
            "summary": "Add a member to a group, or change their animator flag (coordinators, animators)",
            "security": WRITE_SECURITY,
            "requestBody": json_body("MemberAdd", "The account to add."),
            "responses": {
                "201": ok("Added (or updated).", ref("MemberAdded")),
                "400": NOT_JSON,
                "401": NEED_TOKEN,
                "403": error("The caller is neither a coordinator nor an animator of the group."),
                "404": error("No such group."),
                "413": TOO_LARGE,
                "422": error("No account with this email, or `animator` is not a boolean."),
            },
        },
    },
    "/organisations": {
        "get": {
            "tags": ["organisations"],
            "operationId": "listOrganisations",
            "summary": "The directory of organisations, optionally filtered",
            "security": READ_SECURITY,
            "parameters": [
                query_param("side", "Only this side (another value gives an empty list).", string(enum=SIDES)),
                query_param("kind", "Only this kind (case and accents ignored)."),
                query_param("region", "Only this region (case and accents ignored: `segou` finds « Ségou »)."),
            ],
            "responses": {
                "200": ok("Matching organisations.", ref("OrganisationList")),
                "401": BAD_TOKEN,
            },
        },
        "post": {
            "tags": ["organisations"],
            "operationId": "createOrganisation",
            "summary": "Add an organisation to the directory (coordinators)",
            "security": WRITE_SECURITY,
            "requestBody": json_body("OrganisationCreate", "The new organisation."),
            "responses": {
                "201": ok("Created.", ref("Organisation")),
                "400": NOT_JSON,
                "401": NEED_TOKEN,
                "403": error("The caller is not a coordinator."),
                "413": TOO_LARGE,
                "422": INVALID,
            },
        },
    },
    "/organisations/{slug}": {
        "parameters": [path_param("slug", "Organisation slug.")],
        "get": {
            "tags": ["organisations"],
            "operationId": "getOrganisation",
            "summary": "One organisation with its members and the sheets citing it",
            "security": READ_SECURITY,
            "responses": {
                "200": ok("The organisation.", ref("OrganisationDetail")),
                "401": BAD_TOKEN,
                "404": error("No such organisation."),
            },
        },
        "put": {
            "tags": ["organisations"],
            "operationId": "updateOrganisation",
            "summary": "Edit an organisation (coordinators, and contributors belonging to it)",
            "security": WRITE_SECURITY,
            "requestBody": json_body("OrganisationUpdate", "The values to change."),
            "responses": {
                "200": ok("Saved.", ref("OrganisationDetail")),
                "400": NOT_JSON,
                "401": NEED_TOKEN,
                "403": error("The caller is neither a coordinator nor a contributor of this organisation."),
                "404": error("No such organisation."),
                "413": TOO_LARGE,
                "422": INVALID,
            },
        },
    },
    "/openapi.json": {
        "get": {
            "tags": ["meta"],
            "operationId": "getOpenApi",
            "summary": "This document",
            "security": READ_SECURITY,
            "responses": {
                "200": ok("OpenAPI 3.0.3 document.", {"type": "object"}),
                "401": BAD_TOKEN,
            },
        },
    },
}


# wiki/security.py refuses hostile bytes on every route, before the route runs.
HOSTILE_INPUT = ("The path, a query parameter or a JSON text holds a NUL byte, another control character "
                 "(tab, LF and CR are accepted in JSON texts), a bidi override (U+202A-U+202E, U+2066-U+2069) "
                 "or invalid UTF-8.")
HOSTILE_FIELD = ("A JSON text (named in `fields`, e.g. `fields.context` or `themes.0`) holds a NUL byte, "
                 "another control character, a bidi override or a lone surrogate.")


def _document_input_checks(paths: dict) -> None:
    """Every operation may answer 400 (hostile bytes); those with a JSON body 422 as well."""
    for item in paths.values():
        for method, operation in item.items():
            if method == "parameters":
                continue
            responses = operation["responses"]
            if "400" in responses:
                first = responses["400"]["description"].rstrip(".")
                responses["400"] = error(f"{first}; or: {HOSTILE_INPUT[0].lower()}{HOSTILE_INPUT[1:]}")
            else:
                responses["400"] = error(HOSTILE_INPUT)
            if "requestBody" in operation:
                responses.setdefault("413", TOO_LARGE)
                if "422" in responses:
                    first = responses["422"]["description"].rstrip(".")
                    responses["422"] = error(f"{first}; or: {HOSTILE_FIELD[0].lower()}{HOSTILE_FIELD[1:]}")
                else:
                    responses["422"] = error(HOSTILE_FIELD)


_document_input_checks(PATHS)

SPEC = {
    "openapi": "3.0.3",
    "info": {
        "title": "Passerelle API",
        "version": "1",
        "description": (
            "JSON API of the Passerelle wiki. Authenticate with `Authorization: Bearer TOKEN`; "
            "tokens come from `flask --app wiki token create EMAIL` or the \"Jetons d'API\" page. "
            "Anonymous calls see only public pages; every write needs a token. An invalid or revoked "
            "token is refused (401) on every route, even reads. Errors are JSON `{error, message}`, "
            "sometimes with extra keys. Answers carry `Cache-Control: no-store`."
        ),
    },
    "servers": [{"url": "/api/v1"}],
    "tags": [
        {"name": "pages", "description": "Pages, experience sheets and their revisions."},
        {"name": "search", "description": "Full-text search with facets."},
        {"name": "groups", "description": "Thematic groups."},
        {"name": "organisations", "description": "Directory of organisations (Nord and Sud)."},
        {"name": "meta", "description": "This description."},
    ],
    "security": READ_SECURITY,
    "paths": PATHS,
    "components": {
        "securitySchemes": {
            "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "description": "API token from `flask --app wiki token create EMAIL` or the "
                               "\"Jetons d'API\" page of the web interface.",
            },
        },
        "schemas": SCHEMAS,
    },
}
