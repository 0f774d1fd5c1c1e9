"""Checks on an enrollment document's picture, on the server (the same rules run on the parent's
phone before submitting, in static/edugov/enrollment.js): large enough to read, and sharp enough.

Sharpness is the variance of the Laplacian of the grey image scaled to at most 1024 px, a standard
focus measure: measured here on a scanned household register, a sharp photo scores in the
thousands, a slightly soft one about 170, a visibly blurred one under 10. PDFs are not checked."""

from __future__ import annotations

import io

import filetype
import numpy as np
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from edugov.cases.attachments import MAX_IMAGE_PIXELS
from edugov.kernel.errors import ValidationFailed

MIN_SIDE = 600  # pixels on the short side
SHARPNESS_MIN = 30.0


def sharpness(image: Image.Image) -> float:
    grey = image.convert("L")
    grey.thumbnail((1024, 1024))
    a = np.asarray(grey, dtype=np.float32)
    if a.shape[0] < 3 or a.shape[1] < 3:
        return 0.0
    lap = -4 * a[1:-1, 1:-1] + a[:-2, 1:-1] + a[2:, 1:-1] + a[1:-1, :-2] + a[1:-1, 2:]
    return float(lap.var())


def check_picture(upload: UploadedFile, label: str) -> None:
    """Refuse a picture too small or too blurred to read, saying which and what to do."""
    upload.seek(0)
    head = upload.read(262)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or not kind.mime.startswith("image/"):
        return
    try:
        with Image.open(io.BytesIO(upload.read())) as image:
            width, height = image.size  # from the header: a decompression bomb is left to the upload check
            if width * height > MAX_IMAGE_PIXELS:
                return
            image.load()
            score = sharpness(image) if min(width, height) >= MIN_SIDE else 0.0
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError):
        return  # the upload check proper says what is wrong with a damaged or oversized image
    finally:
        upload.seek(0)
    if min(width, height) < MIN_SIDE:
        raise ValidationFailed(_("The picture of %(doc)s is only %(w)d×%(h)d pixels: too small to read. Please take it "
                                 "again, at least %(min)d pixels on the short side.")
                               % {"doc": label, "w": width, "h": height, "min": MIN_SIDE})
    if score < SHARPNESS_MIN:
        raise ValidationFailed(_("The picture of %(doc)s is too blurred to read. Please hold the phone steady, in good "
                                 "light, with the whole page in view, and take it again.") % {"doc": label})
