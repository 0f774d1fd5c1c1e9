"""Leaders' areas and departments' linked schools (领导包片、科室联校, issue 31): who covers which
schools, and their visits. A visit that finds something enters the patrol records (marked as a
visit) and so the school's rectification, due on the rule `oversight.rectification`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, OrgKind, User
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.kernel.validators import not_after
from edugov.registries.models import School

from .models import Liaison, LiaisonKind, LiaisonVisit, PatrolSource
from .permissions import can_screen
from .screening import patrol

ledger_port.declare("liaison", ("found", "holder", "kind", "name", "school", "schools", "since", "visited_on"))


def _bureau_only(actor: User | None, org: Organisation) -> None:
    if actor is not None and not can_screen(actor, org):
        raise PermissionDenied(_("This is recorded by the bureau."))


@transaction.atomic
def liaison_create(*, actor: User | None, organisation: Organisation, kind: str, name: str, schools: Iterable[School],
                   since: dt.date, holder: str = "", department: Organisation | None = None,
                   at: dt.datetime | None = None) -> Liaison:
    """A leader's area or a department's link. A school has one leader and one department at a time:
    one already covered by another current area (or link) is refused, naming it."""
    _bureau_only(actor, organisation)
    if kind not in LiaisonKind.values:
        raise ValidationFailed(_("Choose the kind."), field="kind")
    if kind == LiaisonKind.DEPARTMENT:
        if department is None or department.kind != OrgKind.DEPARTMENT or department.parent_id != organisation.pk:
            raise ValidationFailed(_("Choose one of the bureau's departments."), field="department")
        holder = department.name
    if not name.strip() or not holder.strip():
        raise ValidationFailed(_("Please give the area's name and who covers it."), field="name" if not name.strip()
                               else "holder")
    chosen = list(schools)
    if not chosen:
        raise ValidationFailed(_("Choose the schools."), field="schools")
    if any(not s.organisation.path.startswith(organisation.path) for s in chosen):
        raise ValidationFailed(_("Choose schools of the district."), field="schools")
    taken = (School.objects.filter(pk__in=[s.pk for s in chosen], liaisons__kind=kind, liaisons__until__isnull=True,
                                   liaisons__organisation=organisation)
             .values_list("name", "liaisons__name"))
    if taken:
        raise ValidationFailed(_("Already covered by another current one: %(list)s.")
                               % {"list": "、".join(f"{s}（{a}）" for s, a in taken[:10])}, field="schools")
    if since > timezone.localdate() + dt.timedelta(days=366):
        raise ValidationFailed(_("The start is at most a year ahead."), field="since")
    liaison = Liaison.objects.create(organisation=organisation, kind=kind, name=name.strip()[:80],
                                     holder=holder.strip()[:80], department=department, since=since, recorded_by=actor)
    liaison.schools.set(chosen)
    record(actor=actor, action="liaison.create", target=liaison, organisation=organisation, at=at,
           after={"kind": kind, "name": liaison.name, "holder": liaison.holder, "since": since,
                  "schools": len(chosen)})
    return liaison


@transaction.atomic
def liaison_visit(*, actor: User | None, liaison: Liaison, school: School, visited_on: dt.date, visitors: str,
                  checked: str, found: str = "", at: dt.datetime | None = None) -> LiaisonVisit:
    """A visit to one of the area's (or the link's) schools; a finding opens the school's rectification."""
    _bureau_only(actor, liaison.organisation)
    if not liaison.schools.filter(pk=school.pk).exists():
        raise ValidationFailed(_("%(school)s is not among the schools of %(area)s; record the visit under the area "
                                 "or link that covers it.") % {"school": school.name, "area": liaison.name},
                               field="school")
    not_after(visited_on, timezone.localdate(), "visited_on")
    if visited_on < liaison.since or (liaison.until is not None and visited_on > liaison.until):
        raise ValidationFailed(_("The day is outside the time this area or link was in force."), field="visited_on")
    if not visitors.strip() or not checked.strip():
        raise ValidationFailed(_("Please say who visited and what was checked."),
                               field="visitors" if not visitors.strip() else "checked")
    if LiaisonVisit.objects.filter(liaison=liaison, school=school, visited_on=visited_on).exists():
        raise ValidationFailed(_("This visit has been recorded already."), field="visited_on")
    found = found.strip()[:300]
    try:
        with transaction.atomic():
            visit = LiaisonVisit.objects.create(liaison=liaison, school=school, visited_on=visited_on,
                                                visitors=visitors.strip()[:120], checked=checked.strip()[:200],
                                                found=found, by=actor)
    except IntegrityError:  # the same visit submitted twice at once
        raise ValidationFailed(_("This visit has been recorded already."), field="visited_on") from None
    if found:
        visit.patrol = patrol(actor=actor, school=school, on=visited_on, checked=checked, finding=found, at=at,
                              source=PatrolSource.VISIT)
        visit.save(update_fields=["patrol"])
    record(actor=actor, action="liaison.visit", target=visit, organisation=liaison.organisation, at=at,
           after={"school": school.code, "visited_on": visited_on, "found": found})
    return visit
