"""Tests for wiki.markup: XSS resistance of the rendering pipeline, legitimate
Markdown features, wikilinks and slugs.

Security assertions are made on the *parsed output* (never on the absence of
words such as "alert": escaped text is harmless)."""
from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

import wiki.markup
from wiki.markup import mark_missing_links, render_markdown, sanitize, slugify, wikilink_slugs

# --------------------------------------------------------------------------- helpers

FORBIDDEN_TAGS = {
    "script", "iframe", "object", "embed", "form", "input", "style", "link", "meta",
    "base", "svg", "math", "textarea", "frame", "frameset", "applet", "noscript",
    "template", "button", "select", "video", "audio", "source", "details", "title",
}
SAFE_URL_PREFIXES = ("http://", "https://", "mailto:", "/", "#")
SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:")
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
C0_OR_SPACE = "".join(map(chr, range(0x21)))


class Collector(HTMLParser):
    """Records every start tag with its attributes (values already unescaped).
    Self-closing tags reach handle_starttag through the default handle_startendtag."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict[str, str | None]]]:
    collector = Collector()
    collector.feed(str(html))
    collector.close()
    return collector.elements


def normalize_url(value: str) -> str:
    # HTMLParser has already decoded character references. Like a browser
    # (WHATWG URL parser): trim C0 controls and spaces at both ends, drop
    # tabs/newlines anywhere, compare case-insensitively.
    return TAB_OR_NEWLINE.sub("", value.strip(C0_OR_SPACE).strip()).lower()


def is_safe_url(value: str) -> bool:
    url = normalize_url(value)
    return url.startswith(SAFE_URL_PREFIXES) or not SCHEME.match(url)


def is_local_image(value: str) -> bool:
    # Browsers treat "\" like "/" in http(s) URLs: "/\host" means "//host".
    url = normalize_url(value).replace("\\", "/")
    return url.startswith("/") and not url.startswith("//")


def assert_safe(html: str) -> None:
    """Fail if the HTML contains a dangerous element, attribute or URL."""
    for tag, attrs in parse(html):
        assert tag not in FORBIDDEN_TAGS, f"<{tag}> in output: {html!r}"
        assert tag in wiki.markup.ALLOWED_TAGS, f"unexpected <{tag}>: {html!r}"
        for name, value in attrs.items():
            assert not name.startswith("on"), f"event handler {name} in {html!r}"
            assert name != "style", f"style attribute in {html!r}"
            allowed = wiki.markup.ALLOWED_ATTRIBUTES.get(tag, set()) | {"class", "rel"}
            assert name in allowed, f"unexpected attribute {name} on <{tag}>: {html!r}"
            if name in ("href", "src"):
                assert is_safe_url(value or ""), f"unsafe {name}={value!r} in {html!r}"
            if tag == "img" and name == "src":
                assert is_local_image(value or ""), f"remote image {value!r} in {html!r}"


# --------------------------------------------------------------------------- XSS vectors

B64_SCRIPT = "PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=="  # <script>alert(1)</script>
IMG_XSS = "<img src=x onerror=alert(1)>"

VECTORS = [
    # Raw HTML elements and event handlers
    ("script", "<script>alert(1)</script>"),
    ("script-uppercase", "<SCRIPT>alert(1)</SCRIPT>"),
    ("script-src", '<script src="http://evil.example/x.js"></script>'),
    ("svg-onload", "<svg onload=alert(1)>"),
    ("svg-script", "<svg><script>alert(1)</script></svg>"),
    ("svg-animate-href", "<svg><a><animate attributeName=href values=javascript:alert(1) /><text>x</text></a></svg>"),
    ("svg-use-data", f'<svg><use href="data:image/svg+xml;base64,{B64_SCRIPT}#x"/></svg>'),
    ("img-onerror", IMG_XSS),
    ("img-slash-separators", "<img/src=x/onerror=alert(1)>"),
    ("img-src-javascript", '<img src="javascript:alert(1)">'),
    ("img-srcset", '<img srcset="javascript:alert(1)">'),
    ("body-onload", "<body onload=alert(1)>"),
    ("iframe-src", '<iframe src="javascript:alert(1)"></iframe>'),
    ("iframe-srcdoc", '<iframe srcdoc="<script>alert(1)</script>"></iframe>'),
    ("object-data", '<object data="javascript:alert(1)"></object>'),
    ("embed-src", '<embed src="data:text/html,<script>alert(1)</script>">'),
    ("form-action", '<form action="javascript:alert(1)"><button>x</button></form>'),
    ("button-formaction", '<button formaction="javascript:alert(1)">x</button>'),
    ("input-autofocus", "<input autofocus onfocus=alert(1)>"),
    ("style-tag", "<style>@import 'http://evil.example/x.css';</style>"),
    ("link-stylesheet", '<link rel=stylesheet href="http://evil.example/x.css">'),
    ("meta-refresh", '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">'),
    ("base-href", '<base href="http://evil.example/">'),
    ("details-ontoggle", "<details open ontoggle=alert(1)>x</details>"),
    ("video-source-onerror", "<video><source onerror=alert(1)></video>"),
    ("audio-onerror", "<audio src=x onerror=alert(1)>"),
    ("marquee-onstart", "<marquee onstart=alert(1)>x</marquee>"),
    ("a-onmouseover", '<a href="/ok" onmouseover="alert(1)">x</a>'),
    ("a-attr-no-space", '<a href="/ok"onclick="alert(1)">x</a>'),
    # Style attributes
    ("style-expression", '<div style="width: expression(alert(1))">x</div>'),
    ("style-url-javascript", '<span style="background:url(javascript:alert(1))">x</span>'),
    ("style-behavior", '<p style="behavior: url(x.htc)">x</p>'),
    # Namespace confusion and mutation XSS
    ("math-mglyph-style", f"<math><mtext><table><mglyph><style>{IMG_XSS}"),
    ("math-href", '<math href="javascript:alert(1)">x</math>'),
    ("svg-foreignobject", "<svg><foreignObject><iframe src=javascript:alert(1)></iframe></foreignObject></svg>"),
    ("noscript-mxss", f'<noscript><p title="</noscript>{IMG_XSS}">'),
    ("template-mxss", "<template><script>alert(1)</script></template>"),
    ("textarea-mxss", f'<textarea><img title="</textarea>{IMG_XSS}">'),
    ("title-mxss", f'<title><img title="</title>{IMG_XSS}">'),
    ("select-style-mxss", f"<select><style></select>{IMG_XSS}</style>"),
    ("xmp-mxss", f'<xmp><p title="</xmp>{IMG_XSS}">'),
    # Markdown links and images
    ("md-link-javascript", "[x](javascript:alert(1))"),
    ("md-link-angle-javascript", "[x](<javascript:alert(1)>)"),
    ("md-image-javascript", "![x](javascript:alert(1))"),
    ("md-image-title-breakout", '![x](/a.png "t\\" onerror=\\"alert(1)")'),
    ("md-reference-link", "[x][r]\n\n[r]: javascript:alert(1)"),
    ("md-reference-image", "![x][r]\n\n[r]: javascript:alert(1)"),
    ("md-autolink-javascript", "<javascript:alert(1)>"),
    ("md-autolink-data", f"<data:text/html;base64,{B64_SCRIPT}>"),
    ("md-link-text-html", f"[{IMG_XSS}](/ok)"),
    ("md-image-remote", "![x](http://evil.example/a.png)"),
    ("md-image-protocol-relative", "![x](//evil.example/a.png)"),
    # Encoded or disguised schemes
    ("entity-decimal-s", "[x](java&#115;cript:alert(1))"),
    ("entity-hex-j", "[x](&#x6A;avascript:alert(1))"),
    ("entity-no-semicolons", '<a href="&#106&#97&#118&#97&#115&#99&#114&#105&#112&#116&#58alert(1)">x</a>'),
    ("entity-zero-padded", '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058alert(1)">x</a>'),
    ("entity-colon-named", '<a href="javascript&colon;alert(1)">x</a>'),
    ("entity-double-encoded", '<a href="&amp;#106;avascript:alert(1)">x</a>'),
    ("tab-literal", '<a href="jav\tascript:alert(1)">x</a>'),
    ("tab-entity", '<a href="jav&#x09;ascript:alert(1)">x</a>'),
    ("newline-entity", '<a href="jav&#x0A;ascript:alert(1)">x</a>'),
    ("mixed-case", "[x](JaVaScRiPt:alert(1))"),
    ("percent-encoded", "[x](%6Aavascript:alert(1))"),
    ("leading-spaces", '<a href="   javascript:alert(1)">x</a>'),
    ("leading-newline", '<a href="\njavascript:alert(1)">x</a>'),
    ("leading-nul-entity", '<a href="&#0;javascript:alert(1)">x</a>'),
    ("leading-nul-literal", '<a href="\x00javascript:alert(1)">x</a>'),
    ("leading-control-char", '<a href="\x01javascript:alert(1)">x</a>'),
    ("data-html-base64", f"[x](data:text/html;base64,{B64_SCRIPT})"),
    ("data-svg-image", f"![x](data:image/svg+xml;base64,{B64_SCRIPT})"),
    ("vbscript", "[x](vbscript:msgbox(1))"),
    ("livescript", "[x](livescript:alert(1))"),
    # Attribute injection
    ("md-title-double-quote", '[x](/ok "t\\" onmouseover=\\"alert(1)")'),
    ("md-title-single-quote", "[x](/ok 'a\" onmouseover=alert(1) x=\"')"),
    ("html-title-breakout", '<a href="/ok" title="x" onmouseover=alert(1)//">x</a>'),
    ("backticks", "<img src=`x` onerror=`alert(1)`>"),
    ("unquoted-handler", "<a href=/ok onclick=alert(1)>x</a>"),
    # Nested and malformed markup
    ("nested-script", "<scr<script>ipt>alert(1)</script>"),
    ("double-angle", "<<script>script>alert(1)<</script>/script>"),
    ("unclosed-script", "<script src=http://evil.example/x.js"),
    ("unclosed-img", "<img src=x onerror=alert(1)//"),
    ("unclosed-quote", '<img src="x onerror=alert(1)//>'),
    ("attr-then-script", '<a href="x"<script>alert(1)</script>'),
    ("comment-short", "<!--><script>alert(1)</script>-->"),
    ("comment-bang", "<!-- --!><script>alert(1)</script> -->"),
    ("cdata", "<![CDATA[<script>alert(1)</script>]]>"),
    ("processing-instruction", "<?xml version='1.0'?><script>alert(1)</script>"),
    ("close-p-then-script", "</p><script>alert(1)</script>"),
    ("unclosed-a-javascript", '<div><a href="javascript:alert(1)">x</div>'),
    # Wikilinks with HTML or quotes inside
    ("wikilink-script", "[[<script>alert(1)</script>]]"),
    ("wikilink-double-quote", '[[a" onclick="x]]'),
    ("wikilink-single-quote", "[[x' onmouseover='alert(1)]]"),
    ("wikilink-img-target", f"[[{IMG_XSS}|label]]"),
    ("wikilink-img-label", f"[[ok|{IMG_XSS}]]"),
    ("wikilink-javascript", "[[javascript:alert(1)]]"),
    ("wikilink-gt-in-title", f"[[x>{IMG_XSS}]]"),
    ("fake-wikilink-attr-breakout", f'<a class="wikilink" href="/p/x" title="x>{IMG_XSS}">y</a>'),
    # Footnotes, tables, headings, abbreviations, definition lists
    ("footnote-body-script", "x[^1]\n\n[^1]: <script>alert(1)</script>"),
    ("footnote-label-img", f"x[^{IMG_XSS}]\n\n[^{IMG_XSS}]: note"),
    ("footnote-label-quote", 'x[^a"onmouseover="alert(1)]\n\n[^a"onmouseover="alert(1)]: note'),
    ("table-cell-img", f"| a | b |\n|---|---|\n| {IMG_XSS} | 2 |"),
    ("table-cell-js-link", "| a |\n|---|\n| [x](javascript:alert(1)) |"),
    ("table-header-script", "| <script>alert(1)</script> |\n|---|\n| x |"),
    ("heading-img", f"## {IMG_XSS}"),
    ("heading-quote", '## x" onmouseover="alert(1)'),
    ("abbr-title-quote", '*[HTML]: " onmouseover="alert(1)\n\nHTML'),
    ("deflist-script", "term\n: <script>alert(1)</script>"),
    ("fenced-lang-quote", '```" onmouseover="alert(1)\nx\n```'),
    # HTML entities in text
    ("entities-escaped-script", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("entities-numeric-script", "&#60;script&#62;alert(1)&#60;/script&#62;"),
    ("entity-encoded-href", '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>'),
]

# Image sources that look local to a naive prefix check but that browsers
# resolve to another host (WHATWG URL parsing turns "\\" into "/" and drops
# tabs/newlines).
REMOTE_IMAGE_TRICKS = [
    ("img-backslash-html", '<img src="/\\evil.example/a.png">'),
    ("img-backslash-markdown", "![x](/\\evil.example/a.png)"),
    ("img-tab-entity", '<img src="/&#9;/evil.example/a.png">'),
]

VECTOR_PARAMS = [pytest.param(src, id=name) for name, src in VECTORS + REMOTE_IMAGE_TRICKS]


def test_vector_ids_are_unique_and_numerous():
    names = [name for name, _ in VECTORS + REMOTE_IMAGE_TRICKS]
    assert len(names) == len(set(names))
    assert len(names) >= 70


@pytest.mark.parametrize("source", VECTOR_PARAMS)
def test_xss_vector_is_neutralised(source):
    rendered = render_markdown(source)
    assert_safe(rendered)
    # The post-processing of wikilinks runs on sanitized HTML: it must not reopen holes.
    assert_safe(mark_missing_links(rendered, set()))
    # The sanitizer alone must also cope with the raw input.
    assert_safe(sanitize(source))


@pytest.mark.parametrize("html", [
    "<script>alert(1)</script>", "<br/><svg/>", '<p onclick="x">a</p>', '<p style="color:red">a</p>',
    '<a href="JaVa&#x09;Script:alert(1)">a</a>', '<a href=" data:text/html,x">a</a>',
    '<img src="https://evil.example/a.png">', '<img src="/\\evil.example/a.png">',
    '<a href="/ok" srcdoc="x">a</a>',
])
def test_assert_safe_detects_unsafe_html(html):
    # Guard against a checker that silently accepts everything.
    with pytest.raises(AssertionError):
        assert_safe(html)


# --------------------------------------------------------------------------- legitimate Markdown

def elements(html: str, tag: str) -> list[dict[str, str | None]]:
    return [attrs for name, attrs in parse(html) if name == tag]


def test_table_with_alignment():
    html = render_markdown("| Gauche | Centre | Droite |\n|:--|:-:|--:|\n| a | b | c |")
    assert [c.get("align") for c in elements(html, "th")] == ["left", "center", "right"]
    assert [c.get("align") for c in elements(html, "td")] == ["left", "center", "right"]
    assert "<table>" in html and "<thead>" in html and "<tbody>" in html


def test_fenced_code_escapes_html():
    html = render_markdown("```python\nif a < b and c > d:\n    print('<b>')\n```")
    assert "<pre><code>" in html and "a &lt; b and c &gt; d" in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_footnotes_keep_ids_and_backlinks():
    html = render_markdown("Texte[^1].\n\n[^1]: La note.")
    assert elements(html, "sup") == [{"id": "fnref:1"}]
    links = elements(html, "a")
    ref = next(a for a in links if a.get("class") == "footnote-ref")
    back = next(a for a in links if a.get("class") == "footnote-backref")
    assert ref["href"] == "#fn:1" and back["href"] == "#fnref:1"
    assert {"id": "fn:1"} in elements(html, "li")
    assert {"class": "footnote"} in elements(html, "div")
    assert_safe(html)


def test_heading_ids_are_accent_folded():
    html = render_markdown("## Éducation des filles\n\n### Cœur & âme !\n\n## ???")
    assert [h["id"] for h in elements(html, "h2") + elements(html, "h3")] == [
        "education-des-filles", "section", "coeur-ame",
    ]


@pytest.mark.parametrize("url", [
    "http://example.org/a", "https://example.org/a?b=1&c=2#d", "mailto:contact@example.org",
    "/p/forage-a-segou", "#section", "autre-page", "../docs/guide.pdf",
])
def test_safe_links_are_kept(url):
    html = render_markdown(f"[lien]({url})")
    assert [a["href"] for a in elements(html, "a")] == [url]
    assert_safe(html)


def test_local_image_is_kept_and_remote_dropped():
    html = render_markdown('![Puits](/p/puits/fichiers/puits.jpg "Le puits") ![x](https://cdn.example/a.png)')
    local, remote = elements(html, "img")
    assert local == {"alt": "Puits", "src": "/p/puits/fichiers/puits.jpg", "title": "Le puits"}
    assert "src" not in remote and remote["alt"] == "x"


def test_wikilink_to_slug():
    html = render_markdown("Voir [[Forage à Ségou]].")
    (link,) = elements(html, "a")
    assert link["href"] == "/p/forage-a-segou"
    assert link["class"] == "wikilink" and link["title"] == "Forage à Ségou"
    assert ">Forage à Ségou</a>" in html and wikilink_slugs(html) == {"forage-a-segou"}


def test_wikilink_with_label():
    html = render_markdown("[[Titre de page|texte affiché]]")
    assert elements(html, "a")[0]["href"] == "/p/titre-de-page" and ">texte affiché</a>" in html


def test_wikilink_without_slug_is_left_as_text():
    html = render_markdown("[[ !!! ]]")
    assert elements(html, "a") == [] and "[[ !!! ]]" in html


def test_mark_missing_links():
    html = render_markdown("[[Forage à Ségou]], [[Accueil]] et [[A&B \"x\"|ici]]")
    assert wikilink_slugs(html) == {"forage-a-segou", "accueil", "a-b-x"}
    marked = mark_missing_links(html, {"accueil"})
    links = elements(marked, "a")
    assert links[0] == {"class": "wikilink missing", "title": "Page à créer",
                        "href": "/pages/nouvelle?titre=Forage%20%C3%A0%20S%C3%A9gou"}
    assert links[1]["class"] == "wikilink" and links[1]["href"] == "/p/accueil"
    assert links[2]["href"] == "/pages/nouvelle?titre=A%26B%20%22x%22"
    assert ">ici</a>" in marked
    assert_safe(marked)
    # Nothing missing: the HTML is unchanged.
    assert mark_missing_links(html, {"forage-a-segou", "accueil", "a-b-x"}) == html


def test_render_markdown_handles_empty_input():
    assert render_markdown("") == "" and render_markdown(None) == ""


# --------------------------------------------------------------------------- slugs

@pytest.mark.parametrize("title, slug", [
    ("Éducation des filles", "education-des-filles"), ("Forage à Ségou", "forage-a-segou"),
    ("Cœur de l'Œuvre", "coeur-de-l-oeuvre"), ("Ex æquo", "ex-aequo"),
    ("  Bonjour,   le -- monde !!! ", "bonjour-le-monde"), ("Projet n°3 (2024)", "projet-n-3-2024"),
    ("", ""), ("!!! --- ???", ""), (None, ""),
])
def test_slugify(title, slug):
    assert slugify(title) == slug


def test_slugify_is_stable_and_idempotent():
    title = "Réunion du comité de jumelage — Kayes/Dijon"
    assert slugify(title) == slugify(title) == "reunion-du-comite-de-jumelage-kayes-dijon"
    assert slugify(slugify(title)) == slugify(title)


def test_slugify_respects_max_length():
    assert slugify("a" * 200) == "a" * 80
    slug = slugify("mot " * 50, max_length=10)
    assert len(slug) <= 10 and not slug.endswith("-") and slug == "mot-mot-mo"
    assert slugify("abc def", max_length=4) == "abc"


def test_converter_reuse_leaves_nothing_behind():
    # One Markdown instance serves every document: footnotes and abbreviations must not leak.
    first = render_markdown("Texte[^1].\n\n[^1]: Note secrète.\n\n*[ONG]: Organisation non gouvernementale")
    assert "Note secrète" in first
    second = render_markdown("Une ONG sans note.")
    assert "Note secrète" not in second and "<abbr" not in second


@pytest.mark.parametrize("src", [
    "/invitation/piege1",  # each reader's browser would count a bad invitation against them
    "/p/accueil/comparer?de=1&a=2",  # each reader's browser would compute a diff
    "/deconnexion", "/static/css/wiki.css", "/p/a/fichiers/../../invitation/x",
    "/p/a/fichiers/%2e%2e", "/p/a/fichiers/b/supprimer",
])
def test_images_only_show_attachments_never_other_addresses_of_the_site(src):
    (image,) = elements(render_markdown(f"![piège]({src})"), "img")
    assert "src" not in image


def test_images_of_attachments_are_kept_under_a_mount_point():
    for src in ("/p/puits/fichiers/pompe.jpg/miniature", "/wiki/p/puits/fichiers/pompe%20neuve.jpg?version=2"):
        (image,) = elements(render_markdown(f"![pompe]({src})"), "img")
        assert image["src"] == src
