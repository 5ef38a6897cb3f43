"""Image files made for tests: real photos, hostile ones and broken ones, all in memory."""

import io
import struct
import zipfile
import zlib

from PIL import ExifTags
from PIL import Image as PillowImage

CAMERA_MAKE = "Hemmelig Kamerafabrikk"
GPS_LATITUDE = (59.0, 54.0, 41.0)


def photo_bytes(width=400, height=300, fmt="JPEG", mode="RGB", color="darkorange", **save):
    buffer = io.BytesIO()
    PillowImage.new(mode, (width, height), color).save(buffer, fmt, **save)
    return buffer.getvalue()


XMP_PACKET = (
    b'<?xpacket begin="\xef\xbb\xbf" id="W5M0MpCehiHzreSzNTczkc9d"?>'
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">'
    b'<rdf:Description xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="59,54.68N"/>'
    b'</rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def photo_with_gps_and_orientation(width=400, height=200):
    """A JPEG taken 'on its side' (orientation 6) with the camera make and a GPS position."""
    exif = PillowImage.Exif()
    exif[ExifTags.Base.Make] = CAMERA_MAKE
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: GPS_LATITUDE,
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (10.0, 45.0, 7.0),
    }
    picture = PillowImage.new("RGB", (width, height), "white")
    # The left half red so the turn can be seen in the pixels.
    picture.paste("red", (0, 0, width // 2, height))
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", exif=exif, comment=b"Tatt hjemme hos kilden")
    return buffer.getvalue()


def png_declaring(width, height):
    """A tiny PNG whose header claims a huge size: a decompression bomb in a few bytes."""

    def chunk(kind, data):
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00" * 64)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", pixels)
        + chunk(b"IEND", b"")
    )


SVG_WITH_SCRIPT = (
    b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
    b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
)

HTML_PAGE = b"<!doctype html><html><body><script>alert(1)</script></body></html>"


def jpeg_with_zip_appended():
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as bundle:
        bundle.writestr("index.html", "<p>hei</p>")
    return photo_bytes() + archive.getvalue()


def jpeg_with_html_comment():
    return photo_bytes(comment=b"<html><script>alert(1)</script></html>")


def jpeg_with_html_appended():
    return photo_bytes() + HTML_PAGE
