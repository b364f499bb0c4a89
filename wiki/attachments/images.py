"""Photos: sized up from their header before any pixel is decoded (pixel bombs), turned
upright (EXIF orientation), then re-encoded from the bare pixels: no EXIF (GPS position,
camera serial, author), no XMP, no ICC profile, no comments survive. WebP: smaller than JPEG
at the same quality and shown by every current phone browser."""
from __future__ import annotations

import io
import warnings
from dataclasses import dataclass
from typing import BinaryIO

from flask_babel import gettext as _, lazy_gettext as _l
from PIL import Image, ImageOps

from .types import RejectedFile

FULL_SIZE = 1600  # px, long side
THUMBNAIL_SIZE = 400
FULL_QUALITY = 80
THUMBNAIL_QUALITY = 72
PIL_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}
# JPEG decodes at 1/2, 1/4 or 1/8 of its size on request (see _decode_upright); PNG and WebP
# only whole: a 131 KB single-colour 6,300 × 6,300 PNG took 3 s of CPU. Screenshots and
# scans stay well below this (an A4 page at 300 dpi: 8.7 million pixels).
WHOLE_DECODE_MAX_PIXELS = 16_000_000
ORIENTATION = 0x0112  # EXIF tag
DAMAGED = _l("Cette image est endommagée ou incomplète ; elle n'a pas pu être lue.")


@dataclass(frozen=True)
class Processed:
    full: bytes  # WebP, at most FULL_SIZE px on the long side
    thumbnail: bytes  # WebP, at most THUMBNAIL_SIZE px
    width: int
    height: int


def process(stream: BinaryIO, content_type: str, max_pixels: int) -> Processed:
    if content_type != "image/jpeg":
        max_pixels = min(max_pixels, WHOLE_DECODE_MAX_PIXELS)
    stream.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb guard warns, or raises above twice its limit: both refused.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(stream, formats=[PIL_FORMATS[content_type]]) as image:
                _check_pixels(image, max_pixels)
                upright = _decode_upright(image)
    except RejectedFile:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise RejectedFile(_too_many_pixels(max_pixels)) from None
    except (OSError, SyntaxError, ValueError, EOFError, TypeError, IndexError, KeyError,
            Image.UnidentifiedImageError):
        raise RejectedFile(str(DAMAGED)) from None
    upright.thumbnail((FULL_SIZE, FULL_SIZE), Image.Resampling.LANCZOS, reducing_gap=3.0)
    full = _bare(upright)
    small = full.copy()
    small.thumbnail((THUMBNAIL_SIZE, THUMBNAIL_SIZE), Image.Resampling.LANCZOS)
    return Processed(_webp(full, FULL_QUALITY), _webp(small, THUMBNAIL_QUALITY), full.width, full.height)


def _too_many_pixels(max_pixels: int) -> str:
    return _("Cette image est trop grande (%(millions)g millions de pixels au plus) : réduisez-la avant de l'envoyer.",
             millions=max_pixels / 1_000_000)


def _check_pixels(image: Image.Image, max_pixels: int) -> None:
    """The header's size, before decoding: a 50000 × 50000 PNG is a few kilobytes on the wire
    and 10 GB in memory."""
    width, height = image.size
    if width < 1 or height < 1:
        raise RejectedFile(str(DAMAGED))
    if width * height > max_pixels:
        raise RejectedFile(_too_many_pixels(max_pixels))


def _decode_upright(image: Image.Image) -> Image.Image:
    if image.format == "JPEG":
        # Let the JPEG decoder scale down by 2, 4 or 8 while decoding: a 12 Mpx phone photo
        # then takes a quarter of the memory and time.
        ratio = max(image.size) / FULL_SIZE
        if ratio > 1:
            image.draft("RGB", (int(image.width / ratio), int(image.height / ratio)))
    image.load()
    upright = image
    if image.getexif().get(ORIENTATION, 1) != 1:
        upright = ImageOps.exif_transpose(image)  # turned as the camera was held
    has_alpha = upright.mode in ("RGBA", "LA", "PA") or (upright.mode == "P" and "transparency" in upright.info)
    if upright.mode.startswith("I"):  # 16-bit greyscale PNG
        upright = upright.point(lambda value: value / 256).convert("L")
    return upright.convert("RGBA" if has_alpha else "RGB")


def _bare(image: Image.Image) -> Image.Image:
    """The pixels alone, in a new image: nothing of the original's metadata can follow."""
    bare = Image.new(image.mode, image.size)
    bare.paste(image)
    return bare


def _webp(image: Image.Image, quality: int) -> bytes:
    out = io.BytesIO()
    image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()
