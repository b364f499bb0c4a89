"""THE rendering pipeline: Markdown → HTML → nh3 (ammonia) allowlist → Markup.

Every piece of user text shown as HTML goes through render_markdown()."""
from __future__ import annotations

import re
import threading
from functools import cache
from html import escape, unescape
from urllib.parse import quote, unquote
import unicodedata
import xml.etree.ElementTree as etree

import markdown
import nh3
from flask_babel import gettext as _, lazy_gettext as _l
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

from .time_limit import Overrun, TimeLimited

# Bump when the pipeline's output changes: cached revision HTML is then rebuilt.
MARKUP_VERSION = 3

WIKILINK_PREFIX = "/p/"


def slugify(text: str, max_length: int = 80) -> str:
    """French title → address: accents folded, lower case, dashes; stable for a given title."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").replace("Æ", "ae")
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text).strip("-").lower()
    return text[:max_length].strip("-")


def _heading_id(value: str, separator: str) -> str:
    return slugify(value) or "section"


class WikiLinkProcessor(InlineProcessor):
    """[[Titre de page]] or [[Titre de page|texte affiché]] → link to /p/<slug>."""

    def handleMatch(self, m, data):
        target, _bar, label = m.group(1).partition("|")
        slug = slugify(target)
        if not slug:
            return None, None, None
        link = etree.Element("a")
        link.set("href", WIKILINK_PREFIX + slug)
        link.set("class", "wikilink")
        link.set("title", target.strip())
        link.text = (label or target).strip()
        return link, m.start(0), m.end(0)


class WikiLinkExtension(Extension):
    def extendMarkdown(self, md):
        md.inlinePatterns.register(WikiLinkProcessor(r"\[\[([^\[\]\n]{1,200})\]\]", md), "wikilink", 175)


FILE_PREFIX = "fichier:"


class AttachmentLinks(Treeprocessor):
    """`![légende](fichier:forage.jpg)` → the attached photo's thumbnail (lazy), opening the
    1600 px version; `[budget](fichier:budget.pdf)` → the file. Addresses name the file, not a
    version, so the cached HTML stays right when files are uploaded later. Without a page
    (`files_url` None) the sanitizer drops them: `fichier:` is not an allowed scheme."""

    def run(self, root):
        base = getattr(self.md, "files_url", None)
        if not base:
            return
        for parent in list(root.iter()):
            for index, child in enumerate(list(parent)):
                if child.tag == "a" and child.get("href", "").startswith(FILE_PREFIX):
                    child.set("href", base + _file_part(child.get("href")))
                elif child.tag == "img" and child.get("src", "").startswith(FILE_PREFIX):
                    full = base + _file_part(child.get("src"))
                    child.set("src", full + "/miniature")
                    child.set("loading", "lazy")
                    if parent.tag != "a":
                        link = etree.Element("a", {"href": full})
                        link.tail, child.tail = child.tail, None
                        parent.remove(child)
                        link.append(child)
                        parent.insert(index, link)


def _file_part(reference: str) -> str:
    name = unquote(reference[len(FILE_PREFIX):]).strip().replace("/", "_").replace("\\", "_")
    return quote(name, safe="")


class AttachmentExtension(Extension):
    def extendMarkdown(self, md):
        md.treeprocessors.register(AttachmentLinks(md), "attachments", 15)  # after "inline" (20)


# An image is fetched by every reader's browser, with their session: it may only show a page's
# attached file (`fichier:` or its address, under any mount point), never another address of
# the site (an invitation link, a comparison of versions) nor another host (that would leak
# readers' addresses and cost them bandwidth).
_ATTACHMENT_IMAGE = re.compile(r"(?:/[\w.~-]+)*/p/[a-z0-9-]+/fichiers/[^/?#]+(?:/miniature)?(?:\?version=[0-9]{1,9})?")
# Browsers resolve "." and ".." segments (also written %2e) before sending the request.
_DOT_SEGMENT = re.compile(r"(?:^|/)(?:\.|%2e)+(?:/|\?|$)", re.IGNORECASE)


def _only_attachment_images(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        # Browsers drop tabs and newlines inside URLs and read "\\" as "/".
        if any(ord(c) < 33 or c == "\\" for c in value) or _DOT_SEGMENT.search(value):
            return None
        return value if _ATTACHMENT_IMAGE.fullmatch(value) else None
    return value


ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd", "li", "ol", "p",
    "pre", "s", "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th",
    "thead", "tr", "ul",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "id"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "abbr": {"title"},
    "td": {"align"}, "th": {"align"},
    "h1": {"id"}, "h2": {"id"}, "h3": {"id"}, "h4": {"id"}, "h5": {"id"}, "h6": {"id"},
    "li": {"id"}, "sup": {"id"},
    "ol": {"start"},
}
ALLOWED_CLASSES = {
    "a": {"wikilink", "footnote-ref", "footnote-backref"},
    "div": {"footnote"},
}


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_only_attachment_images,
        link_rel="noopener noreferrer nofollow",
        strip_comments=True,
    )


_converters = threading.local()


def _converter() -> markdown.Markdown:
    """One Markdown instance per thread: building one (8 extensions) costs more than most
    conversions; reset() clears what the previous document left (footnotes, abbreviations)."""
    md = getattr(_converters, "md", None)
    if md is None:
        md = _converters.md = markdown.Markdown(extensions=[
            "tables", "fenced_code", "footnotes", "sane_lists", "def_list", "abbr",
            "toc", WikiLinkExtension(), AttachmentExtension(),
        ], extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"slugify": _heading_id, "permalink": False},
            "footnotes": {"BACKLINK_TITLE": "Revenir à la note %d"},
        }, output_format="html")
    return md.reset()


def _render(text: str, files_url: str | None) -> str:
    md = _converter()
    md.files_url = files_url
    return sanitize(md.convert(text))


# A page at the body limit (200,000 characters) dense with tables, headings and links renders
# in about 0.7 s here, real prose in 0.2 s; crafted text takes minutes. Room for slower servers.
RENDER_SECONDS = 3.0
_bounded_render = TimeLimited(f"{__name__}:_render")


class TooComplex(Exception):
    """The text cannot be rendered within RENDER_SECONDS (crafted, or absurdly nested)."""


TOO_COMPLEX_MESSAGE = _l("Ce texte est trop complexe à mettre en forme (crochets, listes ou définitions "
                         "imbriqués à l'excès ?) : simplifiez-le.")


def render_html(text: str, files_url: str | None = None) -> str:
    """Markdown source → sanitized HTML, or TooComplex. `files_url`: prefix of the page's
    attachment addresses, for `fichier:` references (see AttachmentLinks)."""
    if not text:
        return ""
    try:
        return _bounded_render(text, files_url, seconds=RENDER_SECONDS)
    except Overrun as exc:
        raise TooComplex(str(exc)) from None


UNRENDERED_CLASS = "unrendered"


def render_markdown(text: str, files_url: str | None = None) -> Markup:
    """render_html() safe to insert in a template; text that cannot be rendered is shown as
    its escaped source (UNRENDERED_CLASS), so a page saved before a limit stays readable."""
    try:
        return Markup(render_html(text or "", files_url))
    except TooComplex:
        return Markup(f'<pre class="{UNRENDERED_CLASS}">{escape(text)}</pre>')


def is_unrendered(html: str) -> bool:
    return html.startswith(f'<pre class="{UNRENDERED_CLASS}">')


_WIKILINK_TAG = re.compile(r'<a class="wikilink" [^>]*>')
_HREF = re.compile(r'href="/p/([a-z0-9-]+)"')
_TITLE = re.compile(r'title="([^"]*)"')


def wikilink_slugs(html: str) -> set[str]:
    return {m.group(1) for tag in _WIKILINK_TAG.findall(html) if (m := _HREF.search(tag))}


def mark_missing_links(html: str, existing: set[str]) -> Markup:
    """Flag [[links]] whose page does not exist (for this reader) as « à créer »."""
    @cache
    def to_create() -> str:  # once per document, and only when a link is missing
        return escape(_("Page à créer"))

    def replace(tag_match: re.Match) -> str:
        tag = tag_match.group(0)
        href = _HREF.search(tag)
        if href is None or href.group(1) in existing:
            return tag
        title = _TITLE.search(tag)
        target = quote(unescape(title.group(1))) if title else href.group(1)
        return f'<a class="wikilink missing" href="/pages/nouvelle?titre={target}" title="{to_create()}">'
    # Runs on nh3's output, whose tags we know; the values inserted are URL-quoted or escaped.
    return Markup(_WIKILINK_TAG.sub(replace, html))


def plain_text(text: str) -> str:
    """Markdown source → the words a reader sees (for search snippets); the source itself
    when it cannot be rendered."""
    try:
        html = render_html(text)
    except TooComplex:
        return text.strip()
    return unescape(nh3.clean(html, tags=set())).strip()
