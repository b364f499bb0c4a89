"""Attachments in a real browser (static/js/upload.js, templates/attachments/_list.html): the
file input with a progress bar, big photos shrunk in the browser before they cross the wire,
drag and drop, the plain form without JavaScript, a refused file, and axe on the listing."""
import io
import os
import re
import uuid
from urllib.parse import urlsplit

import pytest
from PIL import ExifTags, Image
from playwright.sync_api import expect

from wiki.attachments.types import REFUSED
from wiki.demo_content import BERNARD
from wiki.templating import format_size

from axe import axe_violations, report

# Kept in sessionStorage, so it survives the reload upload.js does once the files are in: every
# change of the progress bar (shown or not, value) and of the status line, in order.
RECORD_PROGRESS = """
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form.upload");
  if (!form) { return; }
  const bar = form.querySelector(".upload-progress");
  const status = form.querySelector(".upload-status");
  const note = () => {
    const seen = JSON.parse(sessionStorage.getItem("upload-log") || "[]");
    seen.push({hidden: bar.hidden, value: bar.value, status: status.textContent});
    sessionStorage.setItem("upload-log", JSON.stringify(seen));
  };
  new MutationObserver(note).observe(bar, {attributes: true, attributeFilter: ["hidden", "value"]});
  new MutationObserver(note).observe(status, {childList: true, characterData: true, subtree: true});
});
"""


def jpeg(width: int, height: int, *, quality: int = 92, gps: bool = True, orientation: int = 0) -> bytes:
    """A noisy photo (hard to compress, like a real one), with the camera's make and a GPS
    position in its EXIF when `gps`."""
    grain = Image.frombytes("RGB", (width // 4, height // 4), os.urandom(width // 4 * (height // 4) * 3))
    image = grain.resize((width, height), Image.Resampling.BICUBIC)
    exif = Image.Exif()
    if orientation:
        exif[ExifTags.Base.Orientation] = orientation
    if gps:
        exif[ExifTags.Base.Make] = "Fairphone"
        exif.get_ifd(ExifTags.IFD.GPSInfo).update({
            ExifTags.GPS.GPSLatitudeRef: "N", ExifTags.GPS.GPSLatitude: (12.0, 39.0, 0.0),
            ExifTags.GPS.GPSLongitudeRef: "W", ExifTags.GPS.GPSLongitude: (8.0, 0.0, 0.0)})
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, exif=exif)
    return out.getvalue()


def gps_of(data: bytes) -> dict:
    with Image.open(io.BytesIO(data)) as image:
        return dict(image.getexif().get_ifd(ExifTags.IFD.GPSInfo))


def multipart_files(request) -> dict[str, tuple[str, bytes]]:
    """The file parts of a multipart/form-data request as it crossed the wire: name → (type, bytes)."""
    content_type = request.header_value("content-type") or ""
    match = re.search(r"boundary=(?:\"([^\"]+)\"|([^;\s]+))", content_type)
    assert match, f"not a multipart body: {content_type!r}"
    boundary = (match.group(1) or match.group(2)).encode()
    body = request.post_data_buffer
    assert body, "the browser's network log holds no request body"
    files = {}
    for part in body.split(b"--" + boundary)[1:-1]:
        head, _, content = part.removeprefix(b"\r\n").partition(b"\r\n\r\n")
        headers = head.decode("utf-8", "replace")
        filename = re.search(r'filename="([^"]*)"', headers)
        if filename:
            part_type = re.search(r"(?im)^content-type:\s*(\S+)", headers)
            files[filename.group(1)] = (part_type.group(1) if part_type else "", content.removesuffix(b"\r\n"))
    return files


def is_upload(request) -> bool:
    return request.method == "POST" and request.url.endswith("/fichiers")


def row(page, name: str):
    return page.locator(".attachment-list tbody tr").filter(
        has=page.get_by_role("link", name=name, exact=True))


def choose_and_send(page, *files: dict):
    """Picks files in the plain file input and presses « Envoyer »; → the upload request (with
    JavaScript the script's XHR, which must answer 201)."""
    page.set_input_files("#upload-file", list(files))
    with page.expect_response(lambda response: is_upload(response.request)) as answered:
        page.locator("form.upload").get_by_role("button", name="Envoyer").click()
    return answered.value


def see_request_bodies(page) -> None:
    """Files in a request body are not copied into Chromium's network log (post_data_buffer is
    None); a request that goes through interception carries its whole body. So the uploads pass
    through a route that changes nothing."""
    page.route(re.compile(r"/fichiers$"), lambda route: route.continue_())


def upload_log(page) -> list[dict]:
    return page.evaluate("JSON.parse(sessionStorage.getItem('upload-log') || '[]')")


@pytest.fixture
def new_page(page, login, server):
    """A fresh page written by Bernard (contributor, Nord), so he may attach files; → its address."""
    page.add_init_script(RECORD_PROGRESS)
    see_request_bodies(page)
    login(page, BERNARD)
    page.goto(server.url + "/pages/nouvelle")
    page.fill("#title", f"Essai fichiers {uuid.uuid4().hex[:8]}")
    page.fill("#body", "Page pour les fichiers joints.")
    with page.expect_navigation():
        page.click("form[data-editor] .form-actions button[type=submit]")
    assert re.search(r"/p/essai-fichiers-[0-9a-f]{8}$", page.url), page.url
    expect(page.locator(".attachment-list")).to_have_count(0)  # nothing attached yet
    return page.url


def test_photo_through_the_file_input_with_progress(page, new_page):
    photo = jpeg(800, 600, quality=80)
    assert len(photo) < 500 * 1024  # small enough to go as it is
    expect(page.locator(".upload-drop-hint")).to_be_visible()  # the script runs
    response = choose_and_send(page, {"name": "puits-nord.jpg", "mimeType": "image/jpeg", "buffer": photo})
    assert response.status == 201
    assert response.request.header_value("accept") == "application/json"  # the script's XHR, not the form
    assert multipart_files(response.request) == {"puits-nord.jpg": ("image/jpeg", photo)}  # not shrunk

    entry = row(page, "puits-nord.jpg")
    expect(entry).to_be_visible()  # after the script's reload
    assert page.url == new_page + "#fichiers"
    log = upload_log(page)
    assert any(not step["hidden"] for step in log), f"the progress bar never showed: {log}"
    assert any(not step["hidden"] and step["value"] == 100 for step in log), f"never reached 100 %: {log}"
    assert any(re.fullmatch(r"Envoi : \d+ Ko sur \d+ Ko", step["status"]) for step in log), log
    assert log[-1]["status"] == "Fichiers joints. Actualisation de la page…", log

    serve_path = urlsplit(new_page).path + "/fichiers/puits-nord.jpg"
    stored = page.request.get(new_page + "/fichiers/puits-nord.jpg")
    assert stored.ok and stored.headers["content-type"] == "image/webp"
    cells = entry.locator("td")
    expect(cells.nth(0).get_by_role("link")).to_have_attribute("href", serve_path)
    expect(cells.nth(1)).to_have_text(format_size(len(stored.body())))
    expect(cells.nth(2)).to_have_text(re.compile(r"^\s*Bernard Lachaux\s+Nord\s*$"))
    expect(cells.nth(2).locator(".badge.side-nord")).to_have_text("Nord")
    expect(cells.nth(3)).not_to_be_empty()

    thumbnail = page.locator(".attachment-photos img[alt='puits-nord.jpg']")
    expect(thumbnail).to_have_attribute("loading", "lazy")
    expect(thumbnail).to_have_attribute("src", serve_path + "/miniature")
    link = page.locator(".attachment-photos a").filter(has=page.locator("img[alt='puits-nord.jpg']"))
    expect(link).to_have_attribute("href", serve_path)
    thumbnail.scroll_into_view_if_needed()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    shown = thumbnail.evaluate("img => [img.naturalWidth, img.naturalHeight]")
    assert shown == [400, 300]  # the thumbnail, not the large version
    with Image.open(io.BytesIO(stored.body())) as large:
        assert large.size == (800, 600)

    with page.expect_navigation():
        link.click()
    assert page.url == new_page + "/fichiers/puits-nord.jpg"


def test_big_photo_is_shrunk_in_the_browser(page, new_page):
    original = jpeg(4000, 3000)
    assert len(original) > 3 * 1024 * 1024 and gps_of(original)  # several MB, and it tells where
    sent = []
    page.on("request", lambda request: sent.append(request) if is_upload(request) else None)
    response = choose_and_send(page, {"name": "forage.jpg", "mimeType": "image/jpeg", "buffer": original})
    assert response.status == 201
    expect(row(page, "forage.jpg")).to_be_visible()

    assert len(sent) == 1
    on_the_wire = sent[0].post_data_buffer
    assert len(on_the_wire) < len(original) / 2, f"{len(on_the_wire)} bytes sent for {len(original)}"
    files = multipart_files(sent[0])
    assert list(files) == ["forage.jpg"]
    content_type, shrunk = files["forage.jpg"]
    assert content_type == "image/jpeg"
    with Image.open(io.BytesIO(shrunk)) as image:
        assert image.format == "JPEG" and image.size == (1600, 1200)  # shrunk before leaving the phone
        assert not image.getexif() and "exif" not in image.info  # the position did not leave either

    stored = page.request.get(new_page + "/fichiers/forage.jpg")
    assert stored.ok
    with Image.open(io.BytesIO(stored.body())) as image:
        assert max(image.size) <= 1600
        assert not image.getexif() and "exif" not in image.info and "xmp" not in image.info


def test_shrunk_photo_stays_upright(page, new_page):
    """A phone held upright stores its photo sideways with EXIF orientation 6: the canvas copy
    carries no EXIF, so it must be drawn already turned."""
    sideways = jpeg(4000, 3000, orientation=6)
    response = choose_and_send(page, {"name": "portrait.jpg", "mimeType": "image/jpeg", "buffer": sideways})
    assert response.status == 201
    _type, shrunk = multipart_files(response.request)["portrait.jpg"]
    with Image.open(io.BytesIO(shrunk)) as image:
        assert image.size == (1200, 1600)
    expect(row(page, "portrait.jpg")).to_be_visible()
    stored = page.request.get(new_page + "/fichiers/portrait.jpg")
    with Image.open(io.BytesIO(stored.body())) as image:
        assert image.size == (1200, 1600)


def test_drag_and_drop(page, new_page):
    text = "commune;puits;profondeur\nDialakoro;3;42\nFanébougou;1;38\n"
    transfer = page.evaluate_handle("""([name, text]) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([text], name, {type: "text/csv"}));
        return transfer;
    }""", ["releve-puits.csv", text])
    zone = page.locator("form.upload")
    # A real drop only happens where dragover was cancelled.
    assert zone.evaluate("f => !f.dispatchEvent(new DragEvent('dragover', {bubbles: true, cancelable: true}))")
    zone.dispatch_event("dragenter", {"dataTransfer": transfer})
    expect(zone).to_have_class(re.compile(r"\bdragging\b"))
    with page.expect_response(lambda response: is_upload(response.request)) as answered:
        zone.dispatch_event("drop", {"dataTransfer": transfer})
    assert answered.value.status == 201
    assert multipart_files(answered.value.request) == {"releve-puits.csv": ("text/csv", text.encode())}

    entry = row(page, "releve-puits.csv")
    expect(entry).to_be_visible()
    expect(entry.locator("td").nth(1)).to_have_text(format_size(len(text.encode())))
    expect(page.locator("form.upload")).not_to_have_class(re.compile(r"\bdragging\b"))
    stored = page.request.get(new_page + "/fichiers/releve-puits.csv")
    assert stored.ok and stored.body() == text.encode()


def test_plain_form_without_javascript(browser, login, new_page):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 800},
                                  locale="fr-FR")
    try:
        page = context.new_page()
        see_request_bodies(page)
        login(page, BERNARD)
        page.goto(new_page)
        expect(page.locator(".upload-drop-hint")).to_be_hidden()  # no script: no promise of a drop zone
        pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
        photo = jpeg(2000, 1500)
        page.set_input_files("#upload-file", [
            {"name": "compte-rendu.pdf", "mimeType": "application/pdf", "buffer": pdf},
            {"name": "margelle.jpg", "mimeType": "image/jpeg", "buffer": photo}])
        with page.expect_request(is_upload) as posted, page.expect_navigation():
            page.locator("form.upload").get_by_role("button", name="Envoyer").click()
        assert posted.value.header_value("accept") != "application/json"  # the form itself
        assert page.url == new_page + "#fichiers"
        expect(page.locator(".flash.success")).to_have_text("2 fichiers joints.")
        expect(row(page, "compte-rendu.pdf").locator("td").nth(1)).to_have_text(format_size(len(pdf)))
        expect(row(page, "margelle.jpg").locator("td").nth(2)).to_contain_text("Bernard Lachaux")
        expect(page.locator(".attachment-photos img[alt='margelle.jpg']")).to_have_attribute("loading", "lazy")
        stored = page.request.get(new_page + "/fichiers/margelle.jpg")  # sent whole: the server shrinks it
        with Image.open(io.BytesIO(stored.body())) as image:
            assert image.size == (1600, 1200) and not image.getexif()
    finally:
        context.close()


def test_refused_file_shows_the_french_message(page, new_page):
    html = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
    response = choose_and_send(page, {"name": "photo.png", "mimeType": "image/png", "buffer": html})
    assert response.status == 422
    status = page.get_by_role("status").filter(has_text="photo.png")
    expect(status).to_have_text(f"photo.png : {REFUSED}")
    expect(status).to_contain_text("Ce type de fichier n'est pas accepté.")
    expect(status).to_have_class(re.compile(r"\berror\b"))
    expect(page.locator(".upload-progress")).to_be_hidden()
    assert page.url == new_page  # no reload: the choice stays for another try
    page.reload()
    expect(page.locator(".attachment-list")).to_have_count(0)  # nothing stored


def test_attachment_listing_is_accessible(page, new_page, axe_source):
    choose_and_send(page, {"name": "forage-nord.jpg", "mimeType": "image/jpeg", "buffer": jpeg(1200, 900)},
                    {"name": "budget.csv", "mimeType": "text/csv", "buffer": b"poste;montant\npompe;1200\n"})
    expect(row(page, "budget.csv")).to_be_visible()
    choose_and_send(page, {"name": "budget.csv", "mimeType": "text/csv", "buffer": b"poste;montant\npompe;1350\n"})
    expect(row(page, "budget.csv")).to_contain_text("version 2")  # older versions listed too
    expect(page.locator(".attachment-photos img")).to_have_count(1)
    violations = axe_violations(page, axe_source)
    assert not violations, report(violations)

    # While a file goes, and after a refusal: the progress bar, the status line in red.
    choose_and_send(page, {"name": "photo.png", "mimeType": "image/png", "buffer": b"<html></html>"})
    expect(page.locator(".upload-status.error")).to_contain_text("photo.png")
    page.locator(".upload-progress").evaluate("bar => { bar.hidden = false; bar.value = 40; }")
    violations = axe_violations(page, axe_source)
    assert not violations, report(violations)
