"""Issue 11, uploads: files built to exhaust the server (a small file that decodes to billions of
pixels, an archive that inflates to gigabytes) are refused from their headers, quickly, with a
message, and nothing is stored; a name with path tricks is made harmless."""

from __future__ import annotations

import io
import struct
import time
import zipfile
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from edugov.cases.attachments import check_upload, safe_name
from edugov.enrollment.documents import check_picture
from edugov.kernel.errors import ValidationFailed
from edugov.kernel.xlsx import read_rows


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_bomb(side: int = 40_000) -> bytes:
    """A 1-bit PNG of side × side pixels (1.6 billion at 40,000), all black: about 200 KB on disk."""
    row = b"\x00" + b"\x00" * (side // 8)
    compressor = zlib.compressobj(9)
    data = b"".join(compressor.compress(row) for _ in range(side)) + compressor.flush()
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", side, side, 1, 0, 0, 0, 0))
            + _chunk(b"IDAT", data) + _chunk(b"IEND", b""))


def jpeg_claiming(width: int, height: int) -> bytes:
    """A JPEG header declaring width × height, with no picture data behind it."""
    sof = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00" + sof + b"\xff\xd9"


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return png_bomb()


def test_a_png_that_decodes_to_a_billion_pixels_is_refused_from_its_header(bomb):
    assert len(bomb) < 1_000_000
    started = time.monotonic()
    with pytest.raises(ValidationFailed, match="图片尺寸异常"):
        check_upload(SimpleUploadedFile("证件.png", bomb))
    # 81 million pixels: under Pillow's own alarm (89 million), over edugov's limit (60 million)
    with pytest.raises(ValidationFailed, match="图片尺寸异常（9000×9000像素）"):
        check_upload(SimpleUploadedFile("证件.png", png_bomb(9000)))
    assert time.monotonic() - started < 20  # refused from the header, not after decoding 1.6 billion pixels


def test_the_enrollment_picture_check_leaves_a_bomb_to_the_upload_check(bomb):
    upload = SimpleUploadedFile("户口簿.png", bomb)
    check_picture(upload, "户口簿")  # does not decode it (that would take gigabytes), does not raise
    assert upload.tell() == 0  # and leaves the file for the upload check, which refuses it
    with pytest.raises(ValidationFailed):
        check_upload(upload)


def test_a_jpeg_declaring_an_impossible_size_is_refused():
    with pytest.raises(ValidationFailed, match="图片"):
        check_upload(SimpleUploadedFile("照片.jpg", jpeg_claiming(60_000, 60_000)))


def test_a_zip_bomb_named_xlsx_is_refused_before_it_is_inflated():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.xml", "<workbook/>")
        zf.writestr("xl/worksheets/sheet1.xml", b"<" * (300 * 1024 * 1024))  # 300 MB of one byte
    assert len(buf.getvalue()) < 1_000_000
    with pytest.raises(ValidationFailed):
        read_rows(buf.getvalue(), [])


@pytest.mark.parametrize("given, kept", [
    ("../../etc/passwd", "passwd"), ("..\\..\\windows\\win.ini", "win.ini"), ("/abs/证据.png", "证据.png"),
    (".htaccess", "htaccess"), ("a\x00b.pdf", "a_b.pdf"), ("名字<script>.pdf", "名字_script_.pdf"), ("", "file"),
    ("x" * 400 + ".pdf", "x" * 150),
])
def test_path_tricks_in_file_names_are_made_harmless(given, kept):
    assert safe_name(given) == kept
