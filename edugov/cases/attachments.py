"""Attachment checks: type by content (not by name), size, image decompression bombs, thumbnails."""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image

from edugov.kernel.errors import ValidationFailed

MAX_IMAGE_PIXELS = 60_000_000
TYPE_NAMES = {
    "application/pdf": "PDF", "image/jpeg": "JPG", "image/png": "PNG", "image/webp": "WEBP",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word (.docx)",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "Excel (.xlsx)",
}


@dataclass
class CheckedFile:
    name: str
    content: bytes
    content_type: str
    sha256: str
    thumbnail: bytes | None


def safe_name(name: str) -> str:
    base = os.path.basename((name or "").replace("\\", "/")).strip().lstrip(".")
    base = re.sub(r"[\x00-\x1f<>:\"|?*]", "_", base)
    return base[:150] or "file"


def check_upload(upload: UploadedFile, allowed: list[str] | None = None, max_bytes: int | None = None) -> CheckedFile:
    allowed = allowed or settings.EDUGOV["ATTACHMENT_TYPES"]
    max_bytes = max_bytes or settings.EDUGOV["ATTACHMENT_MAX_BYTES"]
    if upload.size is not None and upload.size > max_bytes:
        raise ValidationFailed(_("The file is larger than %(mb)s MB; please compress it or split it.")
                               % {"mb": max_bytes // (1024 * 1024)})
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        raise ValidationFailed(_("The file is larger than %(mb)s MB; please compress it or split it.")
                               % {"mb": max_bytes // (1024 * 1024)})
    if not content:
        raise ValidationFailed(_("The file is empty."))
    kind = filetype.guess(content)
    mime = kind.mime if kind else "application/octet-stream"
    if mime not in allowed:
        names = "、".join(TYPE_NAMES.get(a, a) for a in allowed)
        raise ValidationFailed(_("This file's content is not an accepted type; accepted: %(types)s.") % {"types": names})
    thumb = None
    if mime.startswith("image/"):
        thumb = _check_image(content)
    return CheckedFile(safe_name(upload.name or "file"), content, mime, hashlib.sha256(content).hexdigest(), thumb)


def _check_image(content: bytes) -> bytes:
    try:
        with Image.open(io.BytesIO(content)) as img:
            w, h = img.size
            if w * h > MAX_IMAGE_PIXELS:
                raise ValidationFailed(_("The image is implausibly large (%(w)d×%(h)d pixels) and was refused.")
                                       % {"w": w, "h": h})
            img.load()
            img.thumbnail((320, 320))
            out = io.BytesIO()
            img.convert("RGB").save(out, "JPEG", quality=80)
            return out.getvalue()
    except ValidationFailed:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationFailed(_("The image is implausibly large and was refused.")) from None
    except Exception:
        raise ValidationFailed(_("The image is damaged and cannot be opened.")) from None


def as_content_file(checked: CheckedFile) -> ContentFile:
    ext = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png", "image/webp": ".webp"}.get(
        checked.content_type, ".bin")
    if "wordprocessingml" in checked.content_type:
        ext = ".docx"
    elif "spreadsheetml" in checked.content_type:
        ext = ".xlsx"
    return ContentFile(checked.content, name=checked.sha256[:24] + ext)
