"""The student-record list (学籍) import."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Role, User
from edugov.accounts.permissions import can_read_within
from edugov.audit.ledger import record
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.kernel.validators import validate_identity_number

from ..models import (
    StudentRecord,
    child_index,
)


@transaction.atomic
def student_records_import(*, actor: User | None, bureau: Any, data: bytes) -> int:
    """Import the student-record list (XLSX: identity number, school, grade); known children are
    updated. A file with a bad row imports nothing and names the rows."""
    from edugov.kernel.xlsx import Column, read_rows

    if actor is not None and not can_read_within(actor, bureau, {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF}):
        raise PermissionDenied(_("Student records are imported by the basic education staff."))
    rows = read_rows(data, [Column("id_number", _("Identity number"), required=True, aliases=("身份证号码", "证件号码")),
                            Column("school", _("School"), required=True), Column("grade", _("Grade"), required=True)])
    problems, parsed = [], []
    for line, row in rows:
        try:
            number = validate_identity_number(str(row.get("id_number") or ""))
        except ValidationFailed as exc:
            problems.append(_("line %(n)d: %(why)s") % {"n": line, "why": exc.message})
            continue
        parsed.append((child_index(number), str(row.get("school") or "").strip()[:120],
                       str(row.get("grade") or "").strip()[:20]))
    if problems:
        raise ValidationFailed(_("Nothing was imported. Please fix: %(p)s") % {"p": "；".join(problems[:20])})
    now = timezone.now()
    for key, school, grade in parsed:
        StudentRecord.objects.update_or_create(organisation=bureau, child_index=key,
                                               defaults={"school_name": school, "grade": grade, "imported_at": now})
    record(actor=actor, action="enrollment.student_records_import", target=bureau, organisation=bureau, at=now,
           after={"records": len(parsed)})
    return len(parsed)
