"""The school register as open data (names, levels, addresses, school-running permits)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext_lazy as _

from edugov.kernel.publishing import CHUNK, Dataset, latest, register

from .models import School, SchoolLevel


def _rows() -> Iterator[dict[str, Any]]:
    for s in School.objects.order_by("code").iterator(CHUNK):
        yield {"code": s.code, "name": s.name, "initials": s.initials, "level": s.level,
               "is_private": s.is_private, "address": s.address,
               "permit_number": s.permit_number, "permit_valid_until": s.permit_valid_until}


register(Dataset(
    "schools", _("Schools"), _("The schools of the district with their level, address and school-running permit."),
    (("code", _("School code")), ("name", _("School name")), ("initials", _("Pinyin initials")),
     ("level", _("Level")), ("is_private", _("Private")), ("address", _("Address")),
     ("permit_number", _("Permit number")), ("permit_valid_until", _("Permit valid until"))),
    _rows, lambda: latest(School.objects.all(), "updated_at"), lambda: School.objects.count(), order=50,
    values={"level": dict(SchoolLevel.choices)}))
