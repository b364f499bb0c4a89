"""Attachments (issue 7) through the real stack: real files made with Pillow and zipfile,
real SQLite, real data folder. Accepted types, spoofed types and polyglots, sizes, bombs,
metadata stripping, permissions on every path, file names, versions, soft delete, backups."""
from __future__ import annotations

import gc
import hashlib
import io
import os
import struct
import warnings
import zipfile
import zlib
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from PIL import ExifTags, Image, PngImagePlugin

from wiki import create_app
from wiki.attachments.models import Attachment
from wiki.auth.models import User
from wiki.extensions import db
from wiki.groups import services as groups
from wiki.pages import services as pages

# Files -------------------------------------------------------------------------

GPS = {1: "N", 2: (12.0, 39.0, 1.5), 3: "W", 4: (8.0, 0.0, 2.5)}  # Bamako-ish


def exif_with_gps(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Artist] = "Awa Traoré"
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.BodySerialNumber] = "SN-0042-SECRET"
    exif.get_ifd(ExifTags.IFD.GPSInfo).update(GPS)
    return exif


def picture(size=(300, 200)) -> Image.Image:
    """Left half red, right half blue: orientation can be checked from the pixels."""
    image = Image.new("RGB", size, (200, 20, 20))
    image.paste((20, 20, 200), (size[0] // 2, 0, size[0], size[1]))
    return image


def jpeg(size=(300, 200), orientation: int = 1, **save) -> bytes:
    out = io.BytesIO()
    picture(size).save(out, "JPEG", exif=exif_with_gps(orientation), quality=90, **save)
    return out.getvalue()


def png(size=(300, 200)) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Awa Traoré")
    info.add_text("GPS", "12.65 N, 8.0 W")
    image = picture(size).convert("RGBA")
    image.paste((0, 0, 0, 0), (0, 0, 10, 10))  # a transparent corner
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif_with_gps(), pnginfo=info)
    return out.getvalue()


def webp(size=(300, 200)) -> bytes:
    out = io.BytesIO()
    picture(size).save(out, "WEBP", exif=exif_with_gps().tobytes(), xmp=b"<x:xmpmeta>Awa</x:xmpmeta>")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def zipped(members: dict[str, bytes], first_stored: str | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored:
            archive.writestr(zipfile.ZipInfo(first_stored), members.pop(first_stored), zipfile.ZIP_STORED)
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def odf(kind: str = "text", extra: dict | None = None) -> bytes:
    return zipped({"mimetype": f"application/vnd.oasis.opendocument.{kind}".encode(),
                   "content.xml": b"<office:document-content>Forage</office:document-content>",
                   "META-INF/manifest.xml": b"<manifest:manifest/>", **(extra or {})}, first_stored="mimetype")


def ooxml(part: str, extra: dict | None = None) -> bytes:
    return zipped({"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>",
                   part: b"<document>Budget</document>", **(extra or {})})


DOCX = ooxml("word/document.xml")
XLSX = ooxml("xl/workbook.xml")
PPTX = ooxml("ppt/presentation.xml")
CSV_UTF8 = "commune;forages;coût\nSégou;3;4500\nKati;1;1500\n".encode()
CSV_LATIN1 = "commune;coût\nSégou;4500\n".encode("cp1252")


def png_header(width: int, height: int) -> bytes:
    """A valid PNG signature and header declaring width × height, with one tiny IDAT."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + \
        chunk(b"IEND", b"")


def jpeg_declaring(width: int, height: int) -> bytes:
    """A small real JPEG whose frame header (SOF0) claims another size."""
    data = bytearray(jpeg((16, 16)))
    sof = data.index(b"\xff\xc0")
    data[sof + 5:sof + 9] = struct.pack(">HH", height, width)
    return bytes(data)


# Fixtures ----------------------------------------------------------------------

class BufferedClient(FlaskClient):
    """Reads each answer whole and closes it: files are streamed from disk (send_file), and
    an answer left open would keep its file open."""

    def open(self, *args, **kwargs):
        kwargs.setdefault("buffered", True)
        return super().open(*args, **kwargs)


@pytest.fixture(autouse=True)
def buffered_clients(app):
    app.test_client_class = BufferedClient


@pytest.fixture
def login_client(auth):
    """login_client(app, user_id) → a new client logged in as that user (several at once)."""
    def make(app, user_id):
        client = app.test_client()
        type(auth)(client, auth.email_of).login(user_id)
        return client
    return make


@pytest.fixture
def wiki(app, make_user):
    """A coordinator, contributors (a Nord member of « eau », a Sud outsider), a reader, and
    pages of every visibility."""
    ids = {"coord": make_user("coordinateur", "nord"), "nord": make_user("contributeur", "nord", groups_=("eau",)),
           "sud": make_user("contributeur", "sud"), "lecteur": make_user("lecteur", "sud")}
    with app.app_context():
        nord = db.session.get(User, ids["nord"])
        pages.create_page(author=nord, title="Puits public", visibility="membres", body="Public bientôt.")
        public = pages.find_page("puits-public")[0]
        public.visibility = "public"
        db.session.commit()
        pages.create_page(author=nord, title="Forage de Ségou", body="![Le forage](fichier:forage.jpg)\n\n"
                                                                       "[Le budget](fichier:budget.pdf)")
        pages.create_page(author=nord, title="Réunion du groupe eau", visibility="groupe",
                          group=groups.find_group("eau"), body="Confidentiel.")
        pages.create_page(author=nord, title="Cantine de Kati", kind="fiche", themes=["eau"],
                          fields={"region": "Koulikoro", "results": "![La cantine](fichier:cantine.jpg)"})
        pages.create_page(author=nord, title="Brouillon de fiche", kind="fiche", themes=["eau"], status="brouillon",
                          fields={"region": "Kayes"})
    return ids


def send(api, slug, user, content: bytes, name: str, declared: str = "application/octet-stream"):
    return api("POST", f"/pages/{slug}/attachments", user_id=user,
               data={"file": (io.BytesIO(content), name, declared)})


def multipart(content: bytes, name: str) -> dict:
    """A request body built here, for big files: the test client's own encoder spools them to
    a temporary file that it leaves open when the app refuses early."""
    boundary = "frontiere-de-test"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n").encode() + content + f"\r\n--{boundary}--\r\n".encode()
    return {"data": body, "content_type": f"multipart/form-data; boundary={boundary}"}


def send_big(api, slug, user, content: bytes, name: str):
    return api("POST", f"/pages/{slug}/attachments", user_id=user, **multipart(content, name))


def stored_files(app) -> list[Path]:
    uploads = Path(app.config["UPLOADS_DIR"])
    return sorted(p for p in uploads.rglob("*") if p.is_file()) if uploads.exists() else []


def attachment_count(app) -> int:
    with app.app_context():
        return db.session.query(Attachment).count()


def assert_nothing_stored(app):
    assert stored_files(app) == []
    assert attachment_count(app) == 0


def size_of(data: bytes) -> tuple[int, int]:
    with Image.open(io.BytesIO(data)) as image:
        return image.size


def assert_no_metadata(data: bytes):
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "WEBP"
        assert not image.getexif(), dict(image.getexif())
        assert not image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "exif" not in image.info and "xmp" not in image.info and "icc_profile" not in image.info
    for secret in (b"SN-0042", b"Traor", b"PhoneMaker", b"GPS", b"Exif"):
        assert secret not in data


# Accepted types ------------------------------------------------------------------

DOCUMENTS = [
    ("rapport.pdf", PDF, "application/pdf"),
    ("compte-rendu.odt", odf("text"), "application/vnd.oasis.opendocument.text"),
    ("budget.ods", odf("spreadsheet"), "application/vnd.oasis.opendocument.spreadsheet"),
    ("presentation.odp", odf("presentation"), "application/vnd.oasis.opendocument.presentation"),
    ("rapport.docx", DOCX, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("budget.xlsx", XLSX, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    ("atelier.pptx", PPTX, "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ("forages.csv", CSV_UTF8, "text/csv; charset=utf-8"),
    ("ancien.csv", CSV_LATIN1, "text/csv; charset=windows-1252"),
]


@pytest.mark.parametrize("name, content, content_type", DOCUMENTS, ids=[d[0] for d in DOCUMENTS])
def test_each_document_type_is_accepted_stored_and_served_as_a_download(app, api, client, wiki, name, content,
                                                                       content_type, login_client):
    response = send(api, "forage-de-segou", wiki["nord"], content, name)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["name"] == name and body["size"] == len(content) and body["content_type"] == content_type
    assert body["thumbnail_url"] is None
    assert body["url"] == f"http://wiki.test/api/v1/pages/forage-de-segou/attachments/{name}"
    # The addresses the API gives are readable with the uploader's token alone, not anonymously.
    assert_download(api("GET", f"/pages/forage-de-segou/attachments/{name}", wiki["nord"]), content,
                    content_type, name)
    assert api("GET", f"/pages/forage-de-segou/attachments/{name}").status_code == 404
    [path] = stored_files(app)
    assert path.read_bytes() == content and path.parent.parent.name == "uploads"
    assert name not in str(path)  # generated name: the content hash
    assert path.stem == hashlib.sha256(content).hexdigest()

    listing = api("GET", "/pages/forage-de-segou/attachments", user_id=wiki["lecteur"]).json
    assert [a["name"] for a in listing["attachments"]] == [name]
    assert client.get(f"/p/forage-de-segou/fichiers/{name}").status_code == 404  # anonymous: a members' page
    assert_download(login_client(app, wiki["lecteur"]).get(f"/p/forage-de-segou/fichiers/{name}"), content,
                    content_type, name)




def assert_download(response, content: bytes, content_type: str, name: str):
    assert response.status_code == 200
    assert response.data == content
    assert response.headers["Content-Type"] == content_type
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert name.encode("ascii", "ignore").decode() in response.headers["Content-Disposition"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response.headers["Content-Security-Policy"]


PHOTOS = [("forage.jpg", jpeg, "image/jpeg"), ("schema.png", png, "image/png"), ("puits.webp", webp, "image/webp")]


@pytest.mark.parametrize("name, make, declared", PHOTOS, ids=[p[0] for p in PHOTOS])
def test_photos_are_reencoded_without_metadata_with_a_thumbnail(app, api, wiki, name, make, declared):
    original = make((3000, 2000))
    with Image.open(io.BytesIO(original)) as image:  # the test file does carry GPS and the rest
        assert image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    response = send(api, "puits-public", wiki["nord"], original, name, declared)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["content_type"] == "image/webp" and (body["width"], body["height"]) == (1600, 1067)
    assert body["thumbnail_url"] == f"http://wiki.test/api/v1/pages/puits-public/attachments/{name}/thumbnail"
    thumbnail = api("GET", f"/pages/puits-public/attachments/{name}/thumbnail", wiki["nord"])
    assert thumbnail.status_code == 200 and thumbnail.headers["Content-Type"] == "image/webp"
    files = stored_files(app)
    assert len(files) == 2 and all(p.suffix == ".webp" for p in files)
    for path in files:  # every stored file: no EXIF, no GPS, no XMP, no ICC, no text chunks
        assert_no_metadata(path.read_bytes())
    sizes = sorted(size_of(p.read_bytes()) for p in files)
    assert sizes == [(400, 267), (1600, 1067)]

    client = app.test_client()  # a public page: anyone, inline (the page shows it)
    full = client.get(f"/p/puits-public/fichiers/{name}")
    assert full.status_code == 200 and full.headers["Content-Type"] == "image/webp"
    assert full.headers["Content-Disposition"].startswith("inline;")
    assert f'filename={name.rsplit(".", 1)[0]}.webp' in full.headers["Content-Disposition"]
    assert full.headers["X-Content-Type-Options"] == "nosniff" and "sandbox" in full.headers["Content-Security-Policy"]
    assert_no_metadata(full.data)
    thumb = client.get(f"/p/puits-public/fichiers/{name}/miniature")
    assert thumb.status_code == 200 and size_of(thumb.data) == (400, 267)
    assert_no_metadata(thumb.data)


def test_exif_orientation_is_applied_before_the_metadata_goes(app, api, wiki):
    # Orientation 6: the camera was turned; the picture must be shown rotated 90° clockwise.
    response = send(api, "puits-public", wiki["nord"], jpeg((300, 200), orientation=6), "debout.jpg")
    assert response.status_code == 201
    assert (response.json["width"], response.json["height"]) == (200, 300)
    data = app.test_client().get("/p/puits-public/fichiers/debout.jpg").data
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        assert image.size == (200, 300)
        top, bottom = image.getpixel((100, 10)), image.getpixel((100, 290))
        assert top[0] > 150 > top[2] and bottom[2] > 150 > bottom[0]  # red (left) went up, blue down
        assert not image.getexif()


def test_small_photos_are_not_enlarged_and_transparency_is_kept(app, api, wiki):
    response = send(api, "puits-public", wiki["nord"], png((120, 80)), "logo.png")
    assert response.status_code == 201 and (response.json["width"], response.json["height"]) == (120, 80)
    with Image.open(io.BytesIO(app.test_client().get("/p/puits-public/fichiers/logo.png").data)) as image:
        assert image.mode == "RGBA"


# Refused: spoofed types, polyglots, other formats -----------------------------------

SPOOFED = [
    ("html-named-png", b"<!DOCTYPE html><html><script>alert(document.cookie)</script></html>", "photo.png",
     "image/png"),
    ("html-without-doctype", b"<script>alert(1)</script>;a;b\n", "tableau.csv", "text/csv"),
    ("svg-named-png", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "logo.png", "image/png"),
    ("svg", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
     "logo.svg", "image/svg+xml"),
    ("gif-svg-polyglot", b'GIF89a/*\x00\x00<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>*/=1;',
     "anim.gif", "image/gif"),
    ("gif", b"GIF89a\x01\x00\x01\x00\x80\x00\x00\x00\x00\x00\xff\xff\xff,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02"
            b"\x02D\x01\x00;", "anim.gif", "image/gif"),
    ("html-then-zip-polyglot", b"<html><script>alert(1)</script></html>" + DOCX, "rapport.docx",
     "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("exe-named-pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64, "rapport.pdf",
     "application/pdf"),
    ("plain-zip", zipped({"photo.jpg": b"x"}), "archive.docx", "application/zip"),
    ("zip-with-fake-mimetype", zipped({"mimetype": b"text/html", "index.html": b"<p>"}, first_stored="mimetype"),
     "page.odt", "application/vnd.oasis.opendocument.text"),
    ("macro-docx", ooxml("word/document.xml", {"word/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"}), "macro.docx",
     "application/msword"),
    ("truncated-zip", DOCX[:40], "coupe.docx", "application/zip"),
    ("binary-text", b"commune;cout\n\x00\x01\x02", "donnees.csv", "text/csv"),
    ("text-without-separator", b"juste une phrase sans colonnes\n", "notes.csv", "text/csv"),
]


@pytest.mark.parametrize("content, name, declared", [s[1:] for s in SPOOFED], ids=[s[0] for s in SPOOFED])
def test_spoofed_and_unaccepted_types_are_refused_with_nothing_stored(app, api, wiki, content, name, declared):
    response = send(api, "forage-de-segou", wiki["nord"], content, name, declared)
    assert response.status_code == 422, response.json
    assert response.json["error"] == "invalid"
    assert "accepté" in response.json["message"] or "endommagé" in response.json["message"]
    assert_nothing_stored(app)


def test_old_office_formats_get_an_explanation(app, api, wiki):
    response = send(api, "forage-de-segou", wiki["nord"], b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
                    "vieux.doc")
    assert response.status_code == 422 and ".docx" in response.json["message"]
    assert_nothing_stored(app)


def test_polyglots_that_are_accepted_are_harmless(app, api, wiki):
    """A JPEG carrying HTML in a comment is re-encoded (the HTML is gone); a PDF carrying HTML
    stays a PDF served as a sandboxed download that no browser renders as a page."""
    hostile = b"<html><script>alert(document.cookie)</script></html>"
    assert send(api, "puits-public", wiki["nord"], jpeg(comment=hostile), "piege.jpg").status_code == 201
    assert send(api, "puits-public", wiki["nord"], PDF + hostile, "piege.pdf").status_code == 201
    for path in stored_files(app):
        assert (b"<script" in path.read_bytes()) == (path.suffix == ".pdf")
    client = app.test_client()
    image = client.get("/p/puits-public/fichiers/piege.jpg")
    assert image.headers["Content-Type"] == "image/webp" and b"<script" not in image.data
    pdf = client.get("/p/puits-public/fichiers/piege.pdf")
    assert pdf.headers["Content-Type"] == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment;")
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.headers["Content-Security-Policy"].startswith("sandbox")


def test_a_real_photo_named_like_a_document_gets_the_right_extension(app, api, wiki):
    response = send(api, "forage-de-segou", wiki["nord"], PDF, "budget.png")
    assert response.status_code == 201 and response.json["name"] == "budget.png.pdf"
    response = send(api, "forage-de-segou", wiki["nord"], jpeg(), "photo.png")  # both images: kept
    assert response.status_code == 201 and response.json["name"] == "photo.png"


# Sizes and bombs ---------------------------------------------------------------------

def test_oversized_upload_is_413_with_nothing_stored(app, api, wiki):
    big = PDF + b"0" * (20 * 1024 * 1024)  # default limit: 20 MB
    response = send_big(api, "forage-de-segou", wiki["nord"], big, "enorme.pdf")
    assert response.status_code == 413
    assert response.json["error"] == "too_large" and "20 Mo" in response.json["message"]
    assert_nothing_stored(app)
    # Other routes keep the 2 MB request limit.
    response = api("POST", "/pages", user_id=wiki["nord"], json={"title": "Gros", "body": "x" * (3 * 1024 * 1024)})
    assert response.status_code == 413


def test_limit_is_configurable_and_checked_on_the_file_too(app, api, wiki):
    app.config["ATTACHMENT_MAX_BYTES"] = 100_000
    # Just above the limit but within the multipart margin: refused by the file check.
    response = send_big(api, "forage-de-segou", wiki["nord"], PDF + b"0" * 100_000, "un-peu-gros.pdf")
    assert response.status_code == 413 and "Fichier trop volumineux" in response.json["message"]
    # Far above: refused while reading the body.
    response = send_big(api, "forage-de-segou", wiki["nord"], PDF + b"0" * 500_000, "gros.pdf")
    assert response.status_code == 413
    assert_nothing_stored(app)
    assert send(api, "forage-de-segou", wiki["nord"], PDF, "petit.pdf").status_code == 201


def test_web_form_oversized_is_413_in_french(app, auth, client, wiki):
    app.config["ATTACHMENT_MAX_BYTES"] = 1024 * 1024
    auth.login(wiki["nord"])
    response = client.post("/p/forage-de-segou/fichiers", **multipart(PDF + b"0" * 2 * 1024 * 1024, "gros.pdf"))
    assert response.status_code == 413 and "1 Mo" in response.text and "Traceback" not in response.text
    assert_nothing_stored(app)


BOMBS = [
    ("png-50000x50000", lambda: png_header(50_000, 50_000), "bombe.png"),
    ("png-over-our-limit", lambda: png_header(8_000, 8_000), "grande.png"),
    ("jpeg-30000x30000", lambda: jpeg_declaring(30_000, 30_000), "bombe.jpg"),
    ("jpeg-over-our-limit", lambda: jpeg_declaring(7_000, 7_000), "grande.jpg"),
]


@pytest.mark.parametrize("make, name", [b[1:] for b in BOMBS], ids=[b[0] for b in BOMBS])
def test_pixel_bombs_are_refused_before_decoding(app, api, wiki, make, name):
    response = send(api, "forage-de-segou", wiki["nord"], make(), name)
    assert response.status_code == 422, response.json
    assert "trop grande" in response.json["message"]
    assert_nothing_stored(app)


def solid(size: tuple[int, int], kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, kind)
    return out.getvalue()


def test_images_decoded_whole_have_a_lower_pixel_limit(app, api, wiki):
    """Issue 21: a 131 KB single-colour 6,300 × 6,300 PNG took 3 s of CPU to process. PNG and
    WebP, which decode only whole, stop at 16 million pixels; JPEG, which decodes scaled down,
    keeps the configured 40 million."""
    crafted = solid((6300, 6300), "PNG")
    assert len(crafted) < 200_000
    response = send_big(api, "forage-de-segou", wiki["nord"], crafted, "aplat.png")
    assert response.status_code == 422 and "16 millions de pixels" in response.json["message"]
    assert_nothing_stored(app)
    assert send_big(api, "forage-de-segou", wiki["nord"], solid((4000, 4000), "PNG"), "carte.png").status_code == 201
    photo = send_big(api, "forage-de-segou", wiki["nord"], solid((6300, 6300), "JPEG"), "photo.jpg")
    assert photo.status_code == 201 and photo.json["width"] == 1600


def test_zip_bombs_are_refused(app, api, wiki):
    bomb = odf("text", {"Pictures/zeros.xml": b"\0" * (20 * 1024 * 1024)})  # ~20 kB compressed
    assert len(bomb) < 100_000
    response = send(api, "forage-de-segou", wiki["nord"], bomb, "bombe.odt")
    assert response.status_code == 422 and "décompress" in response.json["message"]
    # Many moderately compressed parts adding up beyond the configured total.
    app.config["ATTACHMENT_MAX_UNZIPPED_BYTES"] = 50_000
    response = send(api, "forage-de-segou", wiki["nord"],
                    ooxml("xl/workbook.xml", {f"xl/sheet{i}.xml": os.urandom(20_000).hex().encode()
                                              for i in range(3)}), "gros.xlsx")
    assert response.status_code == 422 and "décompress" in response.json["message"]
    assert_nothing_stored(app)


def test_damaged_photo_is_refused(app, api, wiki):
    response = send(api, "forage-de-segou", wiki["nord"], jpeg((800, 600))[:600], "coupee.jpg")
    assert response.status_code == 422 and "endommagée" in response.json["message"]
    assert_nothing_stored(app)


def test_empty_file_and_missing_field(app, api, wiki):
    assert send(api, "forage-de-segou", wiki["nord"], b"", "vide.pdf").status_code == 422
    response = api("POST", "/pages/forage-de-segou/attachments", user_id=wiki["nord"], data={"autre": "x"})
    assert response.status_code == 400 and "file" in response.json["message"]
    assert_nothing_stored(app)


def test_interrupted_upload_leaves_nothing(app, client, auth, wiki):
    auth.login(wiki["nord"])
    boundary = "frontiere"
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"coupe.pdf\"\r\n"
            "Content-Type: application/pdf\r\n\r\n").encode() + PDF + b"0" * 50_000
    with warnings.catch_warnings():
        # Werkzeug drops the half-received part's spool file without closing it (the garbage
        # collector does): not ours to fix, but pytest would turn its warning into an error.
        warnings.simplefilter("ignore", ResourceWarning)
        response = client.post("/p/forage-de-segou/fichiers", input_stream=io.BytesIO(body),
                               content_type=f"multipart/form-data; boundary={boundary}",
                               headers={"Content-Length": str(len(body) + 10_000), "Accept": "application/json"})
        gc.collect()
    assert response.status_code == 400 and "Choisissez un fichier" in response.json["message"]
    assert_nothing_stored(app)


class BrokenStream(io.BytesIO):
    """A client connection that drops in the middle of the file."""

    def read(self, size=-1):
        if self.tell() > 0:
            raise OSError("connection reset")
        return super().read(min(size, 1024) if size and size > 0 else 1024)


@pytest.mark.parametrize("raw, cleaned", [
    ("..\\..\\Windows\\system32\\x.pdf", "x.pdf"),
    ("C:\\Users\\awa\\Photos\\forage.jpg", "forage.jpg"),
    ('rapport "final" <b>.pdf', "rapport _final_ _b_.pdf"),
    ("  . . cache .pdf", "cache.pdf"),
    ("a" * 300 + ".tar.gz", "a" * 117 + ".gz"),
    ("sans extension", "sans extension"),
])
def test_clean_name(raw, cleaned):
    """Names a browser may send that the test client cannot (backslashes, quotes)."""
    from wiki.attachments.names import clean_name
    assert clean_name(raw) == cleaned


def test_failure_while_storing_leaves_no_partial_file(app, wiki):
    from wiki.attachments import services
    with app.test_request_context():
        page = pages.find_page("forage-de-segou")[0]
        user = db.session.get(User, wiki["nord"])
        with pytest.raises(OSError):
            services.upload(page, user, BrokenStream(PDF + b"0" * 10_000), "rapport.pdf")
    assert stored_files(app) == []  # no temporary file either
    assert attachment_count(app) == 0


# File names ---------------------------------------------------------------------------

NAMES = [
    ("../../x.pdf", "x.pdf"),
    ("/etc/passwd", "passwd.pdf"),
    (".htaccess", "htaccess.pdf"),
    ("", "fichier.pdf"),
    ("..", "fichier.pdf"),
    ("rapport <b>:*?.pdf", "rapport _b____.pdf"),
    ("Compte rendu « été » Ségou.pdf", "Compte rendu « été » Ségou.pdf"),
]


@pytest.mark.parametrize("raw, cleaned", NAMES, ids=[n[1] + "-" + str(i) for i, n in enumerate(NAMES)])
def test_file_names_are_cleaned(app, api, wiki, raw, cleaned):
    response = send(api, "forage-de-segou", wiki["nord"], PDF, raw)
    assert response.status_code == 201, response.json
    assert response.json["name"] == cleaned
    data_dir = Path(app.config["DATA_DIR"])
    assert not (data_dir / "x.pdf").exists() and not (data_dir.parent / "x.pdf").exists()
    assert all(p.is_relative_to(data_dir / "uploads") for p in stored_files(app))


def test_long_names_are_cut_keeping_the_extension(app, api, wiki):
    response = send(api, "forage-de-segou", wiki["nord"], PDF, "é" * 500 + ".pdf")
    assert response.status_code == 201
    name = response.json["name"]
    assert len(name) <= 120 and name.endswith(".pdf") and name.startswith("éé")


@pytest.mark.parametrize("name", ["\u202egpj.exe.pdf", "rapport\u2066.pdf", "nul\x00.pdf", "bip\x07.pdf"])
def test_hostile_characters_in_names_are_refused_before_anything(app, api, auth, client, wiki, name):
    response = send(api, "forage-de-segou", wiki["nord"], PDF, name)
    assert response.status_code == 400 and "nom du fichier" in response.json["message"]
    auth.login(wiki["nord"])
    response = client.post("/p/forage-de-segou/fichiers", data={"file": (io.BytesIO(PDF), name)})
    assert response.status_code == 400 and "nom du fichier" in response.text
    assert_nothing_stored(app)


def test_download_name_is_rfc6266_encoded(app, api, client, wiki):
    name = "Budget « été » 2024.pdf"
    assert send(api, "puits-public", wiki["nord"], PDF, name).status_code == 201
    response = client.get("/p/puits-public/fichiers/" + name)
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''Budget%20%C2%AB%20%C3%A9t%C3%A9%20%C2%BB%202024.pdf" in disposition
    assert disposition.encode("latin-1")  # the header itself is plain ASCII
    assert all(ord(c) < 128 for c in disposition)


# Permissions on every path -----------------------------------------------------------

def paths(slug, name, thumbnail=True):
    urls = [f"/p/{slug}/fichiers/{name}", f"/p/{slug}/fichiers/{name}?version=1"]
    return urls + ([f"/p/{slug}/fichiers/{name}/miniature"] if thumbnail else [])


def test_group_page_files_are_404_to_non_members_everywhere(app, api, client, wiki, login_client):
    slug = "reunion-du-groupe-eau"
    assert send(api, slug, wiki["nord"], jpeg(), "reunion.jpg").status_code == 201
    assert send(api, slug, wiki["nord"], PDF, "cr.pdf").status_code == 201
    outsider = login_client(app, wiki["sud"])
    for url in paths(slug, "reunion.jpg") + paths(slug, "cr.pdf", thumbnail=False):
        assert client.get(url).status_code == 404, url  # visitor
        assert outsider.get(url).status_code == 404, url  # member of the network, not of the group
    for user in (None, wiki["sud"]):
        assert api("GET", f"/pages/{slug}/attachments", user_id=user).status_code == 404
    assert send(api, slug, wiki["sud"], PDF, "intrus.pdf").status_code == 404
    response = outsider.post(f"/p/{slug}/fichiers", data={"file": (io.BytesIO(PDF), "intrus.pdf")})
    assert response.status_code == 404
    assert attachment_count(app) == 2
    member = login_client(app, wiki["nord"])
    for url in paths(slug, "reunion.jpg"):
        assert member.get(url).status_code == 200, url
    assert login_client(app, wiki["coord"]).get(paths(slug, "reunion.jpg")[0]).status_code == 200


def test_members_page_files_are_404_to_visitors(app, api, client, wiki, login_client):
    assert send(api, "forage-de-segou", wiki["nord"], jpeg(), "forage.jpg").status_code == 201
    for url in paths("forage-de-segou", "forage.jpg"):
        assert client.get(url).status_code == 404, url
    assert api("GET", "/pages/forage-de-segou/attachments").status_code == 404
    reader = login_client(app, wiki["lecteur"])
    for url in paths("forage-de-segou", "forage.jpg"):
        assert reader.get(url).status_code == 200, url
    assert "forage.jpg" in reader.get("/p/forage-de-segou").text


def test_readers_cannot_upload_and_visitors_must_log_in(app, api, client, wiki, login_client):
    assert send(api, "forage-de-segou", wiki["lecteur"], PDF, "x.pdf").status_code == 403
    assert send(api, "puits-public", None, PDF, "x.pdf").status_code == 401
    response = client.post("/p/puits-public/fichiers", data={"file": (io.BytesIO(PDF), "x.pdf")})
    assert response.status_code == 302 and "/connexion" in response.headers["Location"]
    reader = login_client(app, wiki["lecteur"])
    assert reader.post("/p/forage-de-segou/fichiers", data={"file": (io.BytesIO(PDF), "x.pdf")}).status_code == 403
    assert 'action="/p/forage-de-segou/fichiers"' not in reader.get("/p/forage-de-segou").text
    assert_nothing_stored(app)


def test_deleted_page_and_draft_sheet_files_are_hidden(app, api, wiki, login_client):
    assert send(api, "puits-public", wiki["nord"], PDF, "plan.pdf").status_code == 201
    assert send(api, "brouillon-de-fiche", wiki["nord"], PDF, "plan.pdf").status_code == 201
    with app.app_context():
        pages.set_deleted(pages.find_page("puits-public")[0], True, by=db.session.get(User, wiki["coord"]))
    other = login_client(app, wiki["sud"])
    assert other.get("/p/puits-public/fichiers/plan.pdf").status_code == 404
    assert other.get("/p/brouillon-de-fiche/fichiers/plan.pdf").status_code == 404  # a draft: its authors
    assert api("GET", "/pages/brouillon-de-fiche/attachments", user_id=wiki["sud"]).status_code == 404
    assert login_client(app, wiki["nord"]).get("/p/brouillon-de-fiche/fichiers/plan.pdf").status_code == 200


def test_a_page_cannot_show_another_pages_file(app, api, client, wiki):
    """`fichier:` only ever names the page's own files: a public page pointing at a group
    page's photo name finds nothing."""
    assert send(api, "reunion-du-groupe-eau", wiki["nord"], jpeg(), "secret.jpg").status_code == 201
    with app.app_context():
        page = pages.find_page("puits-public")[0]
        pages.update_page(page, author=db.session.get(User, wiki["coord"]), base_revision=1, title=page.title,
                          body="![x](fichier:secret.jpg)")
    assert client.get("/p/puits-public/fichiers/secret.jpg/miniature").status_code == 404
    assert "secret.jpg" not in client.get("/p/reunion-du-groupe-eau").text


# Versions, deletion, listing, Markdown ------------------------------------------------

def test_versions_under_the_same_name(app, api, wiki):
    first, second = jpeg((300, 200)), jpeg((200, 300))
    assert send(api, "puits-public", wiki["nord"], first, "forage.jpg").json["version"] == 1
    again = send(api, "puits-public", wiki["nord"], first, "forage.jpg")  # a retry: nothing new
    assert again.status_code == 200 and again.json["version"] == 1
    response = send(api, "puits-public", wiki["sud"], second, "forage.jpg")
    assert response.status_code == 201 and response.json["version"] == 2 and response.json["side"] == "sud"
    listing = api("GET", "/pages/puits-public/attachments").json["attachments"]
    assert [(a["name"], a["version"], [o["version"] for o in a["older"]]) for a in listing] == [("forage.jpg", 2, [1])]
    assert listing[0]["older"][0]["url"].endswith("/api/v1/pages/puits-public/attachments/forage.jpg?version=1")
    assert size_of(api("GET", "/pages/puits-public/attachments/forage.jpg?version=1").data) == (300, 200)
    client = app.test_client()
    assert size_of(client.get("/p/puits-public/fichiers/forage.jpg").data) == (200, 300)
    assert size_of(client.get("/p/puits-public/fichiers/forage.jpg?version=1").data) == (300, 200)
    assert client.get("/p/puits-public/fichiers/forage.jpg?version=3").status_code == 404
    assert client.get("/p/puits-public/fichiers/forage.jpg?version=x").status_code == 404
    page = client.get("/p/puits-public").text
    assert "Versions précédentes (1)" in page and "forage.jpg?version=1" in page


def test_coordinators_soft_delete_and_restore(app, api, auth, client, wiki, login_client):
    send(api, "puits-public", wiki["nord"], jpeg((300, 200)), "forage.jpg")
    send(api, "puits-public", wiki["nord"], jpeg((200, 300)), "forage.jpg")
    with app.app_context():
        latest = db.session.query(Attachment).filter_by(version=2).one().id
    contributor = login_client(app, wiki["nord"])
    assert contributor.post(f"/p/puits-public/fichiers/{latest}/supprimer").status_code == 403
    coordinator = login_client(app, wiki["coord"])
    response = coordinator.post(f"/p/puits-public/fichiers/{latest}/supprimer")
    assert response.status_code == 302
    # The name now serves version 1; version 2 is gone for everyone but coordinators.
    assert size_of(client.get("/p/puits-public/fichiers/forage.jpg").data) == (300, 200)
    assert client.get("/p/puits-public/fichiers/forage.jpg?version=2").status_code == 404
    assert coordinator.get("/p/puits-public/fichiers/forage.jpg?version=2").status_code == 200
    assert [a["version"] for a in api("GET", "/pages/puits-public/attachments").json["attachments"]] == [1]
    assert "Fichiers supprimés (1)" in coordinator.get("/p/puits-public").text
    assert "Fichiers supprimés" not in contributor.get("/p/puits-public").text
    assert len(stored_files(app)) == 4  # nothing erased from disk
    assert coordinator.post(f"/p/puits-public/fichiers/{latest}/retablir").status_code == 302
    assert size_of(client.get("/p/puits-public/fichiers/forage.jpg").data) == (200, 300)
    with app.app_context():
        from wiki.audit.models import AuditEvent
        actions = [e.action for e in db.session.query(AuditEvent).order_by(AuditEvent.id)]
    assert actions[-2:] == ["attachment.delete", "attachment.restore"]


def test_identical_files_are_stored_once(app, api, wiki):
    photo = jpeg()
    for slug in ("puits-public", "forage-de-segou"):
        assert send(api, slug, wiki["nord"], photo, "meme.jpg").status_code == 201
    assert send(api, "puits-public", wiki["nord"], PDF, "a.pdf").status_code == 201
    assert send(api, "puits-public", wiki["nord"], PDF, "b.pdf").status_code == 201
    assert len(stored_files(app)) == 3  # one photo + its thumbnail, one PDF
    assert attachment_count(app) == 4


def test_page_lists_files_with_thumbnails_size_uploader_and_side(app, api, wiki, login_client):
    send(api, "puits-public", wiki["sud"], jpeg(), "forage.jpg")
    send(api, "puits-public", wiki["nord"], PDF, "budget.pdf")
    html = app.test_client().get("/p/puits-public").text
    assert 'id="fichiers"' in html
    assert ('<a href="/p/puits-public/fichiers/forage.jpg"><img src="/p/puits-public/fichiers/forage.jpg/miniature" '
            'alt="forage.jpg" loading="lazy"') in html
    assert "budget.pdf" in html and "Contributeur 3" in html and "side-sud" in html and "side-nord" in html
    assert f"{len(PDF)} o" in html
    contributor = login_client(app, wiki["nord"]).get("/p/puits-public").text
    assert 'enctype="multipart/form-data"' in contributor and "js/upload." in contributor


def test_markdown_shows_attached_photos_and_links_files_by_name(app, api, wiki, login_client):
    """The page was written before the files were sent: the cached HTML names files, and
    resolves to whatever is attached now."""
    reader = login_client(app, wiki["lecteur"])
    before = reader.get("/p/forage-de-segou").text
    link = '<a href="/p/forage-de-segou/fichiers/forage.jpg" rel="noopener noreferrer nofollow">' \
           '<img alt="Le forage" loading="lazy" src="/p/forage-de-segou/fichiers/forage.jpg/miniature"></a>'
    assert link in before
    assert 'href="/p/forage-de-segou/fichiers/budget.pdf"' in before
    assert reader.get("/p/forage-de-segou/fichiers/forage.jpg/miniature").status_code == 404  # not yet sent
    send(api, "forage-de-segou", wiki["nord"], jpeg(), "forage.jpg")
    send(api, "forage-de-segou", wiki["nord"], PDF, "budget.pdf")
    assert link in reader.get("/p/forage-de-segou").text
    assert reader.get("/p/forage-de-segou/fichiers/forage.jpg/miniature").status_code == 200
    assert reader.get("/p/forage-de-segou/fichiers/budget.pdf").data == PDF
    # The API's html too, and sheet sections.
    assert link in api("GET", "/pages/forage-de-segou", user_id=wiki["lecteur"]).json["html"]
    send(api, "cantine-de-kati", wiki["nord"], jpeg(), "cantine.jpg")
    sheet = reader.get("/p/cantine-de-kati").text
    assert 'src="/p/cantine-de-kati/fichiers/cantine.jpg/miniature"' in sheet and "cantine.jpg" in sheet


def test_renamed_page_keeps_its_files(app, api, wiki):
    send(api, "puits-public", wiki["nord"], PDF, "plan.pdf")
    with app.app_context():
        page = pages.find_page("puits-public")[0]
        pages.update_page(page, author=db.session.get(User, wiki["nord"]), base_revision=1,
                          title="Puits public de Kati", body=page.current.body)
    client = app.test_client()
    response = client.get("/p/puits-public/fichiers/plan.pdf")
    assert response.status_code == 301 and response.headers["Location"].endswith(
        "/p/puits-public-de-kati/fichiers/plan.pdf")
    assert client.get("/p/puits-public-de-kati/fichiers/plan.pdf").data == PDF


# Web upload (plain form and upload.js) ----------------------------------------------

def test_plain_form_upload_and_script_upload(app, auth, client, wiki):
    auth.login(wiki["nord"])
    response = client.post("/p/forage-de-segou/fichiers",
                           data={"file": [(io.BytesIO(jpeg()), "forage.jpg"), (io.BytesIO(PDF), "budget.pdf")]})
    assert response.status_code == 302 and response.headers["Location"].endswith("/p/forage-de-segou#fichiers")
    assert "2 fichiers joints" in client.get("/p/forage-de-segou").text
    response = client.post("/p/forage-de-segou/fichiers", data={"file": (io.BytesIO(CSV_UTF8), "t.csv")},
                           headers={"Accept": "application/json"})
    assert response.status_code == 201 and response.json["attachments"][0]["name"] == "t.csv"
    response = client.post("/p/forage-de-segou/fichiers", data={"file": (io.BytesIO(b"<html>"), "x.png")},
                           headers={"Accept": "application/json"})
    assert response.status_code == 422 and "accepté" in response.json["message"]
    response = client.post("/p/forage-de-segou/fichiers", data={"file": (io.BytesIO(b"<html>"), "x.png")})
    assert response.status_code == 302
    assert "pas accepté" in client.get("/p/forage-de-segou").text
    assert attachment_count(app) == 3


def test_upload_script_is_served(client):  # (templates without inline code: test_security)
    response = client.get("/static/js/upload.js")
    assert response.status_code == 200 and b"XMLHttpRequest" in response.data and b"toBlob" in response.data


# Backups -------------------------------------------------------------------------------

def test_backup_and_restore_keep_attachments(app, api, runner, wiki, tmp_path, another_database):
    send(api, "puits-public", wiki["nord"], jpeg(), "forage.jpg")
    send(api, "puits-public", wiki["nord"], PDF, "budget.pdf")
    dest = tmp_path / "sauvegarde"
    result = runner.invoke(args=["backup", str(dest)])
    assert result.exit_code == 0, result.output
    restored = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path / "restauree"),
                           **({"SQLALCHEMY_DATABASE_URI": another_database} if another_database else {})})
    restored.test_client_class = BufferedClient
    result = restored.test_cli_runner().invoke(args=["restore", str(dest)])
    assert result.exit_code == 0, result.output
    client = restored.test_client()
    assert client.get("/p/puits-public/fichiers/budget.pdf").data == PDF
    photo = client.get("/p/puits-public/fichiers/forage.jpg/miniature")
    assert photo.status_code == 200 and photo.headers["Content-Type"] == "image/webp"
    with restored.app_context():
        db.engine.dispose()


def test_a_multipart_part_without_a_name_is_not_a_server_error(app, api, wiki):
    boundary = "b"
    body = (f'--{boundary}\r\nContent-Disposition: form-data; filename="x.pdf"\r\n\r\n').encode() + PDF + \
        f"\r\n--{boundary}\r\nContent-Disposition: form-data\r\n\r\nvaleur\r\n--{boundary}--\r\n".encode()
    response = api("POST", "/pages/forage-de-segou/attachments", user_id=wiki["nord"], data=body,
                   content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    assert_nothing_stored(app)


def test_the_file_limit_comes_from_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("WIKI_ATTACHMENT_MAX_BYTES", "1048576")
    configured = create_app({"TESTING": True, "SECRET_KEY": "x", "DATA_DIR": str(tmp_path)})
    with configured.test_request_context():
        from wiki.attachments import services
        assert services.max_bytes() == 1024 * 1024 and "1 Mo" in services.too_large_message()
