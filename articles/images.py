"""Photos: checking an upload, re-encoding it, and making the renditions pages serve.

An upload is checked in this order, cheapest first, so nothing large or hostile is decoded:
its size in bytes, its format as Pillow detects it from the header (JPEG, PNG, WebP, GIF;
never the file name), its pixel count from the header, markup or an archive hidden in the
file (polyglots), and only then is it decoded. What is stored is a fresh encoding of the
pixels, turned upright by its EXIF orientation, without EXIF, GPS, XMP or comments, under a
random name.
"""

import io
import re
import uuid
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone
from PIL import Image as PillowImage
from PIL import ImageCms, ImageOps, UnidentifiedImageError

ACCEPTED_FORMATS = ("JPEG", "PNG", "WEBP", "GIF")
# Photos stay JPEG and WebP stays WebP; PNG and GIF (first frame) are kept lossless as PNG.
STORED_FORMAT = {"JPEG": "JPEG", "WEBP": "WEBP", "PNG": "PNG", "GIF": "PNG"}
EXTENSION = {"JPEG": "jpg", "WEBP": "webp", "PNG": "png"}
OPEN_GRAPH_SIZE = (1200, 630)
JPEG_QUALITY = 85
WEBP_QUALITY = 80

# Browsers sniff the start of a file and polyglots append their payload at the end, so the
# head and tail are searched for markup; a tag name followed by a delimiter keeps chance
# matches in compressed pixel data negligible. XMP metadata (<?xpacket, <x:xmpmeta) is normal
# in photos and is not markup a browser would run.
MARKUP_SIGNATURE = re.compile(
    rb"<(?:script|html|svg|iframe|object|embed|body|!doctype|\?php)[\s>/]", re.IGNORECASE
)
SCAN_WINDOW = 256 * 1024


class UploadRefused(ValidationError):
    pass


def _refuse(message, code):
    raise UploadRefused(message, code=code)


def _read_all(upload):
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _looks_like_markup(data):
    head, tail = data[:SCAN_WINDOW], data[-SCAN_WINDOW:]
    return bool(MARKUP_SIGNATURE.search(head) or MARKUP_SIGNATURE.search(tail))


def _open_header(data):
    """Open without decoding pixels; Pillow reads only the header here."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
        try:
            return PillowImage.open(io.BytesIO(data), formats=ACCEPTED_FORMATS)
        except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
            _refuse_too_many_pixels()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
            if _looks_like_markup(data):
                _refuse(
                    "Filen er SVG, HTML eller annen kode, ikke et bilde. "
                    "Last opp et bilde i JPEG, PNG, WebP eller GIF.",
                    "markup",
                )
            _refuse(
                "Filen er ikke et bilde vi kan bruke. Last opp JPEG, PNG, WebP eller GIF.",
                "not_an_image",
            )


def _refuse_too_many_pixels():
    megapixels = settings.IMAGE_UPLOAD_MAX_PIXELS / 1_000_000
    _refuse(
        f"Bildet har for mange piksler. Største tillatte størrelse er {megapixels:g} megapiksler.",
        "too_many_pixels",
    )


def _decode(picture):
    with warnings.catch_warnings():
        warnings.simplefilter("error", PillowImage.DecompressionBombWarning)
        try:
            picture.load()
        except (PillowImage.DecompressionBombError, PillowImage.DecompressionBombWarning):
            _refuse_too_many_pixels()
        except (OSError, SyntaxError, ValueError):
            _refuse(
                "Bildefilen er skadet eller ufullstendig. Prøv å eksportere den på nytt.", "broken"
            )
    return picture


def _cmyk_to_rgb(picture, icc_profile):
    """Agency and print files can be CMYK; convert through their own profile so colours hold."""
    if icc_profile:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc_profile))
            srgb = ImageCms.createProfile("sRGB")
            return ImageCms.profileToProfile(picture, source, srgb, outputMode="RGB")
        except (ImageCms.PyCMSError, OSError):
            pass
    return picture.convert("RGB")


def _stripped(picture, target_format, icc_profile):
    """An upright copy of the pixels with no metadata left to leak."""
    upright = ImageOps.exif_transpose(picture)
    if upright.mode == "CMYK":
        upright = _cmyk_to_rgb(upright, icc_profile)
    if target_format == "JPEG":
        upright = _without_transparency(upright)
    elif upright.mode not in {"RGB", "RGBA", "L", "LA"}:
        upright = upright.convert("RGBA" if _has_transparency(upright) else "RGB")
    upright.info = {}
    return upright


def _has_transparency(picture):
    return picture.mode in {"RGBA", "LA", "PA"} or "transparency" in picture.info


def _without_transparency(picture):
    if not _has_transparency(picture):
        return picture.convert("RGB") if picture.mode != "RGB" else picture
    rgba = picture.convert("RGBA")
    background = PillowImage.new("RGB", rgba.size, "white")
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _encode(picture, target_format, icc_profile=None):
    buffer = io.BytesIO()
    options = {"icc_profile": icc_profile} if icc_profile else {}
    if target_format == "JPEG":
        options.update(quality=JPEG_QUALITY, optimize=True, progressive=True)
    elif target_format == "WEBP":
        options.update(quality=WEBP_QUALITY, method=4)
    else:
        options.update(optimize=True)
    picture.save(buffer, target_format, **options)
    return buffer.getvalue()


def sanitise_upload(upload):
    """Check an uploaded file and return it re-encoded as a ContentFile with a random name.

    Raises UploadRefused (a ValidationError) with a message for the editor.
    """
    max_bytes = settings.IMAGE_UPLOAD_MAX_BYTES
    if upload.size > max_bytes:
        _refuse(
            f"Filen er for stor ({upload.size / 1_000_000:.1f} MB). "
            f"Største tillatte størrelse er {max_bytes / 1_000_000:g} MB.",
            "too_large",
        )
    data = _read_all(upload)
    picture = _open_header(data)
    width, height = picture.size
    if width * height > settings.IMAGE_UPLOAD_MAX_PIXELS:
        _refuse_too_many_pixels()
    if _looks_like_markup(data) or zipfile.is_zipfile(io.BytesIO(data)):
        _refuse(
            "Filen inneholder kode eller en annen fil i tillegg til bildet, og kan ikke brukes. "
            "Eksporter bildet på nytt fra et bildeprogram.",
            "polyglot",
        )
    target_format = STORED_FORMAT[picture.format]
    icc_profile = picture.info.get("icc_profile")
    clean = _stripped(_decode(picture), target_format, icc_profile)
    # A CMYK profile does not describe the RGB pixels stored; those are sRGB.
    kept_profile = icc_profile if picture.mode != "CMYK" else None
    encoded = _encode(clean, target_format, kept_profile)
    return ContentFile(encoded, name=f"{uuid.uuid4().hex}.{EXTENSION[target_format]}")


def upload_path(instance, filename):
    """Random names: an editor's file name never reaches the URL or the disk."""
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else "jpg"
    return f"bilder/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


@dataclass(frozen=True)
class Rendition:
    width: int
    height: int
    format: str
    name: str

    @property
    def url(self):
        return default_storage.url(self.name)


def rendition_stem(original_name):
    stem = original_name.rsplit(".", 1)[0]
    return f"versjoner/{stem.removeprefix('bilder/')}"


def rendition_name(original_name, width, extension):
    return f"{rendition_stem(original_name)}-{width}.{extension}"


def open_graph_name(original_name):
    return f"{rendition_stem(original_name)}-og.jpg"


def rendition_widths(original_width):
    """The configured widths up to the original's; a small original gets one at its own width."""
    widths = [w for w in settings.IMAGE_RENDITION_WIDTHS if w <= original_width]
    return widths or [original_width]


def scaled_height(width, original_width, original_height):
    return max(1, round(original_height * width / original_width))


def _save_to_storage(name, data):
    if default_storage.exists(name):
        default_storage.delete(name)
    default_storage.save(name, ContentFile(data))


def make_renditions(original_name):
    """Write JPEG and WebP renditions and the Open Graph crop; return the widths written."""
    with default_storage.open(original_name, "rb") as original:
        picture = PillowImage.open(original)
        picture.load()
    picture = _without_transparency(ImageOps.exif_transpose(picture))
    widths = rendition_widths(picture.width)
    for width in widths:
        size = (width, scaled_height(width, picture.width, picture.height))
        resized = picture.resize(size, PillowImage.Resampling.LANCZOS)
        _save_to_storage(rendition_name(original_name, width, "jpg"), _encode(resized, "JPEG"))
        _save_to_storage(rendition_name(original_name, width, "webp"), _encode(resized, "WEBP"))
    cropped = ImageOps.fit(picture, OPEN_GRAPH_SIZE, PillowImage.Resampling.LANCZOS)
    _save_to_storage(open_graph_name(original_name), _encode(cropped, "JPEG"))
    return widths


def rendition_names(original_name, widths):
    names = [open_graph_name(original_name)]
    for width in widths:
        names += [rendition_name(original_name, width, ext) for ext in ("jpg", "webp")]
    return names
