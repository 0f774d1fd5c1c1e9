"""Writes for legal vice-principals: appoint, end, replace, log a class, evaluate. Each checks the
actor and the rules of 教育部令第52号 and leaves its ledger entry."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.cases.attachments import as_content_file, check_upload
from edugov.kernel import ledger_port, numbering, rules
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.registries.models import Person, PersonKind, School

from .models import (
    MAX_AGE,
    MAX_SCHOOLS_PER_PERSON,
    MIN_HOURS_PER_SCHOOL_YEAR,
    Appointment,
    AppointmentKind,
    ClassSession,
    Evaluation,
    school_year_of,
)
from .permissions import can_appoint, can_evaluate, can_log_class
from .workflow import hours_key

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("legal_vp", ("class", "ended_on", "ends_on", "hours", "kind", "letter", "on", "person", "replaces", "school",
                                 "school_year", "sent_to", "starts_on", "topic", "total"))




def _age_on(person: Person, day: dt.date) -> int:
    b = person.birth_date
    return day.year - b.year - ((day.month, day.day) < (b.month, b.day))


@transaction.atomic
def appoint(*, actor: User | None, person: Person, school: School, starts_on: dt.date, ends_on: dt.date | None = None,
            replaces: Appointment | None = None, kind: str = AppointmentKind.VICE_PRINCIPAL,
            at: dt.datetime | None = None) -> Appointment:
    """Appoint a legal vice-principal (法治副校长) or a legal counsellor (法治辅导员, `kind`): the same
    register, letter and limits."""
    bureau = school.organisation.bureau or school.organisation
    if kind not in AppointmentKind.values:
        raise ValidationFailed(_("Choose what the person is appointed as."), field="kind")
    if actor is not None and not can_appoint(actor, bureau):
        raise PermissionDenied(_("Legal vice-principals are appointed by the bureau's departments."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.organisation.path.startswith(bureau.path):
        # the people register of another district: never theirs to appoint here (issue 22.4)
        raise ValidationFailed(_("%(name)s is not in this district's people register.") % {"name": person.name},
                               field="person")
    if person.kind != PersonKind.LEGAL_VP or not person.is_active:
        raise ValidationFailed(_("%(name)s is not an active legal vice-principal in the people register.")
                               % {"name": person.name}, field="person")
    if _age_on(person, starts_on) > MAX_AGE:
        raise ValidationFailed(_("%(name)s would be older than %(max)d at the start of the term.")
                               % {"name": person.name, "max": MAX_AGE}, field="person")
    ends_on = ends_on or rules.get("schools.legal_vp_term").ends(starts_on) - dt.timedelta(days=1)
    if ends_on <= starts_on:
        raise ValidationFailed(_("The term ends after it starts."), field="ends_on")
    active = [a for a in person.appointments.filter(ended_on__isnull=True) if a.ends_on >= starts_on]
    if replaces is not None:
        active = [a for a in active if a.pk != replaces.pk]
    if any(a.school_id == school.pk for a in active):
        raise Conflict(_("%(name)s is already appointed at %(school)s.") % {"name": person.name, "school": school})
    if len(active) >= MAX_SCHOOLS_PER_PERSON:
        raise ValidationFailed(_("%(name)s serves %(n)d schools already; a legal vice-principal serves at most %(max)d.")
                               % {"name": person.name, "n": len(active), "max": MAX_SCHOOLS_PER_PERSON}, field="person")
    now = at or timezone.now()
    year = starts_on.year
    number = numbering.next_number("legal_vp_letter", bureau, year, floor=lambda: Appointment.objects.filter(
        starts_on__year=year, school__organisation__path__startswith=bureau.path).count())
    appointment = Appointment.objects.create(
        person=person, school=school, starts_on=starts_on, ends_on=ends_on, replaces=replaces, created_at=now, kind=kind,
        created_by=actor, letter_number=f"{bureau.case_prefix or bureau.code}法聘〔{year}〕{number:03d}号")
    record(actor=actor, action="legal_vp.appoint", target=appointment, organisation=bureau, at=now,
           after={"person": person.pk, "school": school.code, "starts_on": starts_on, "ends_on": ends_on,
                  "letter": appointment.letter_number, "replaces": replaces.pk if replaces else None, "kind": kind})
    return appointment


@transaction.atomic
def end(*, actor: User | None, appointment: Appointment, on: dt.date, reason: str,
        at: dt.datetime | None = None) -> Appointment:
    appointment = Appointment.objects.select_for_update().select_related("school__organisation").get(pk=appointment.pk)
    bureau = appointment.school.organisation.bureau or appointment.school.organisation
    if actor is not None and not can_appoint(actor, bureau):
        raise PermissionDenied(_("Legal vice-principals are appointed by the bureau's departments."))
    if appointment.ended_on is not None:
        raise Conflict(_("This appointment has ended already."))
    if not reason.strip():
        raise ValidationFailed(_("Please give the reason the appointment ends."), field="reason")
    appointment.ended_on, appointment.end_reason = on, reason.strip()[:200]
    appointment.save(update_fields=["ended_on", "end_reason"])
    record(actor=actor, action="legal_vp.end", target=appointment, organisation=bureau, at=at or timezone.now(),
           after={"ended_on": on}, note=appointment.end_reason)
    return appointment


@transaction.atomic
def replace(*, actor: User | None, appointment: Appointment, person: Person, on: dt.date, reason: str,
            at: dt.datetime | None = None) -> Appointment:
    """Dynamic adjustment: the school keeps a legal vice-principal without a gap."""
    end(actor=actor, appointment=appointment, on=on, reason=reason, at=at)
    return appoint(actor=actor, person=person, school=appointment.school, starts_on=on, replaces=appointment,
                   kind=appointment.kind, at=at)


@transaction.atomic
def log_class(*, actor: User | None, appointment: Appointment, on: dt.date, topic: str, class_name: str, hours: Any,
              photo: UploadedFile | None = None, at: dt.datetime | None = None) -> ClassSession:
    appointment = Appointment.objects.select_related("school__organisation").get(pk=appointment.pk)
    # actor=None: records taken over from the bureau's earlier register (the demo's history)
    if actor is not None and not can_log_class(actor, appointment.school.organisation):
        raise PermissionDenied(_("Classes are recorded by the school or its legal vice-principal."))
    if not appointment.active_on(on):
        raise ValidationFailed(_("The appointment was not in force on %(day)s.") % {"day": on.isoformat()}, field="on")
    if on > timezone.localdate(at or timezone.now()):
        raise ValidationFailed(_("A class is recorded once it has been taught."), field="on")
    try:
        amount = Decimal(str(hours)).quantize(Decimal("0.1"))
    except (InvalidOperation, ValueError):
        raise ValidationFailed(_("Class hours are a number such as 1 or 1.5."), field="hours") from None
    if not Decimal("0.5") <= amount <= Decimal("8"):
        raise ValidationFailed(_("A class lasts 0.5 to 8 class hours."), field="hours")
    if not topic.strip() or not class_name.strip():
        raise ValidationFailed(_("Please give the topic and the class taught."), field="topic")
    now = at or timezone.now()
    session = ClassSession(appointment=appointment, on=on, topic=topic.strip()[:120],
                           class_name=class_name.strip()[:60], hours=amount, school_year=school_year_of(on),
                           recorded_by=actor, recorded_at=now)
    files = []
    if photo is not None:
        checked = check_upload(photo)  # a wrong type or an oversize file is refused before anything is saved
        if not checked.content_type.startswith("image/"):
            raise ValidationFailed(_("The photo must be an image (JPEG or PNG)."), field="photo")
        session.photo.save(str(as_content_file(checked).name), ContentFile(checked.content), save=False)
        session.photo_sha256 = checked.sha256
        files = [{"name": checked.name, "sha256": checked.sha256}]
    session.save()
    record(actor=actor, action="legal_vp.class", target=appointment, organisation=appointment.school.organisation,
           at=now, after={"on": on, "topic": session.topic, "class": session.class_name, "hours": str(amount)},
           files=files)
    total = sum(ClassSession.objects.filter(appointment=appointment, school_year=session.school_year)
                .values_list("hours", flat=True), Decimal(0))
    if total >= MIN_HOURS_PER_SCHOOL_YEAR:  # the follow-up of a short appointment is done
        engine.duty_close(key=hours_key(appointment.pk, session.school_year), actor=actor, at=now,
                          note=_("%(hours)s class hours recorded this school year") % {"hours": total})
    return session


@transaction.atomic
def evaluate(*, actor: User | None, appointment: Appointment, school_year: int, scores: dict[str, int], comment: str,
             at: dt.datetime | None = None) -> Evaluation:
    """Scores heard from staff, students and parents (0–100 each); the total is their mean."""
    appointment = Appointment.objects.select_related("school__organisation", "person").get(pk=appointment.pk)
    if actor is not None and not can_evaluate(actor, appointment.school.organisation):
        raise PermissionDenied(_("The school evaluates its legal vice-principal."))
    if set(scores) != {"staff", "students", "parents"} or not all(0 <= int(v) <= 100 for v in scores.values()):
        raise ValidationFailed(_("Give a score from 0 to 100 for staff, students and parents."), field="scores")
    if not comment.strip():
        raise ValidationFailed(_("Please write the evaluation."), field="comment")
    if Evaluation.objects.filter(appointment=appointment, school_year=school_year).exists():
        raise Conflict(_("This school year's evaluation has been made already."))
    now = at or timezone.now()
    total = (Decimal(sum(int(v) for v in scores.values())) / 3).quantize(Decimal("0.1"))
    evaluation = Evaluation.objects.create(appointment=appointment, school_year=school_year,
                                           scores={k: int(v) for k, v in scores.items()}, total=total,
                                           comment=comment.strip(), evaluated_by=actor, evaluated_at=now,
                                           sent_to=appointment.person.agency_name)
    record(actor=actor, action="legal_vp.evaluate", target=appointment, organisation=appointment.school.organisation,
           at=now, after={"school_year": school_year, "total": str(total), "sent_to": evaluation.sent_to})
    return evaluation
