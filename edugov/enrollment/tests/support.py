"""Helpers of the enrollment tests (plain functions and data, not fixtures), shared with the
browser tests."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile

from edugov.enrollment import actions
from edugov.enrollment.models import Category
from edugov.kernel.validators import identity_check_char

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="证件.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def ident(birth: str, seq: int) -> str:
    first = f"500101{birth}{seq:03d}"
    return first + identity_check_char(first)


def born(intake) -> str:
    """A birth date (YYYYMMDD) inside the intake's range, whatever today is."""
    return f"{intake.born_from.year + 1}0301"


def form(intake, seq: int, **over) -> actions.Form:
    birth = born(intake)
    values = {"child_name": f"孩子{seq}", "child_id_number": ident(birth, seq), "household": "甲区和平街道",
                  "guardian_name": f"家长{seq}", "guardian_id_number": ident("19880101", seq), "guardian_phone": "13912345678",
                  "address": "和平街道1号", "community": "幸福小区", "category": Category.HOUSEHOLD_AND_HOME, "consent": True}
    values.update(over)
    return actions.Form(**values)


def docs(category=Category.HOUSEHOLD_AND_HOME):
    from edugov.enrollment.models import REQUIRED_DOCUMENTS

    return {k: pdf() for k in REQUIRED_DOCUMENTS[category]}


def _page_picture(blur: float, size=(1200, 900)) -> bytes:
    import io

    from PIL import Image, ImageDraw, ImageFilter

    img = Image.new("RGB", size, "white")
    d = ImageDraw.Draw(img)
    for y in range(40, size[1] - 20, 36):
        d.text((40, y), "常住人口登记卡 户主 姓名 张三 性别 男 出生 2019年3月1日 住址 幸福小区", fill="black")
        d.line((30, y + 28, size[0] - 30, y + 28), fill="gray")
    if blur:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85)
    return buf.getvalue()
