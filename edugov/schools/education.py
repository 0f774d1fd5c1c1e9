"""Demonstration schools and legal education: applications through their stages, the course
catalogue, campaign returns imported from XLSX, contest entries and their awards."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, Role, User
from edugov.accounts.permissions import can_read_within, has_role_over
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.errors import Conflict, PermissionDenied, ValidationFailed
from edugov.kernel.xlsx import Column, read_rows
from edugov.registries.models import School

from .models import (
    DEMO_ORDER,
    Award,
    ContestEntry,
    ContestKind,
    Course,
    DemoApplication,
    DemoStage,
    QuizParticipation,
)

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("demo_school", ("case", "on", "stage", "year"))
ledger_port.declare("law_campaign", ("campaign", "participants", "schools", "year"))
ledger_port.declare("law_contest", ("award", "finalist", "forwarded", "kind", "year"))
ledger_port.declare("law_course", ("dual_teacher", "title"))


BUREAU = {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}


def _bureau_staff(actor: User | None, org: Organisation) -> None:
    if actor is not None and not can_read_within(actor, org, BUREAU):
        raise PermissionDenied(_("This is recorded by the bureau's departments."))


@transaction.atomic
def demo_apply(*, actor: User | None, school: School, year: int, case_title: str = "",
               at: dt.datetime | None = None) -> DemoApplication:
    if actor is not None and not (has_role_over(actor, school.organisation, {Role.SCHOOL_ADMIN})
                                  or can_read_within(actor, school.organisation, BUREAU)):
        raise PermissionDenied(_("A school applies for itself."))
    if DemoApplication.objects.filter(school=school, year=year).exists():
        raise Conflict(_("%(school)s has applied for %(year)d already.") % {"school": school, "year": year})
    application = DemoApplication.objects.create(school=school, year=year, case_title=case_title.strip()[:200],
                                                 created_at=at or timezone.now())
    record(actor=actor, action="demo_school.apply", target=application, organisation=school.organisation, at=at,
           after={"year": year, "case": application.case_title})
    return application


@transaction.atomic
def demo_advance(*, actor: User | None, application: DemoApplication, passed: bool, on: dt.date,
                 at: dt.datetime | None = None) -> DemoApplication:
    """The next stage (资料审查 → 实地评估 → 命名), or not passed."""
    application = DemoApplication.objects.select_for_update().select_related("school__organisation").get(
        pk=application.pk)
    _bureau_staff(actor, application.school.organisation)
    if application.stage in (DemoStage.NAMED, DemoStage.NOT_PASSED):
        raise Conflict(_("This application has been decided."))
    before = application.stage
    application.stage = DEMO_ORDER[DEMO_ORDER.index(DemoStage(application.stage)) + 1] if passed else DemoStage.NOT_PASSED
    if application.stage == DemoStage.MATERIALS_PASSED:
        application.materials_passed_on = on
    application.save(update_fields=["stage", "materials_passed_on"])
    record(actor=actor, action="demo_school.stage", target=application, organisation=application.school.organisation,
           at=at, before={"stage": before}, after={"stage": application.stage, "on": on})
    return application


@transaction.atomic
def demo_case_adopted(*, actor: User | None, application: DemoApplication, on: dt.date,
                      at: dt.datetime | None = None) -> DemoApplication:
    application = DemoApplication.objects.select_for_update().select_related("school__organisation").get(
        pk=application.pk)
    _bureau_staff(actor, application.school.organisation)
    if not application.case_title:
        raise ValidationFailed(_("The application has no rule-of-law case to adopt."))
    application.case_adopted_on = on
    application.save(update_fields=["case_adopted_on"])
    record(actor=actor, action="demo_school.case_adopted", target=application,
           organisation=application.school.organisation, at=at, after={"on": on, "case": application.case_title})
    return application


@transaction.atomic
def add_course(*, actor: User | None, organisation: Organisation, title: str, teacher: str, officer: str = "",
               added_on: dt.date | None = None) -> Course:
    _bureau_staff(actor, organisation)
    if not title.strip() or not teacher.strip():
        raise ValidationFailed(_("Please give the course's title and teacher."), field="title")
    course = Course.objects.create(organisation=organisation, title=title.strip()[:200], teacher=teacher.strip()[:60],
                                   officer=officer.strip()[:60], added_on=added_on or timezone.localdate())
    record(actor=actor, action="law_course.add", target=course, organisation=organisation,
           after={"title": course.title, "dual_teacher": course.dual_teacher})
    return course


QUIZ_COLUMNS = [Column("school", "", required=True, aliases=("学校代码", "school code")),
                Column("participants", "", required=True, aliases=("参与人数",)),
                Column("enrolled", "", required=True, aliases=("在校学生数",))]


def _whole(value: object) -> int:
    """A count from a spreadsheet cell: 12, 12.0 or "12"; anything else (12.5, inf, text) is refused."""
    if isinstance(value, bool) or value is None:
        raise ValueError(value)
    if isinstance(value, float):
        if not value.is_integer():  # also refuses inf and nan
            raise ValueError(value)
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        raise ValueError(value)
    return int(text)


@transaction.atomic
def import_quiz(*, actor: User | None, organisation: Organisation, campaign: str, year: int, data: bytes) -> int:
    """Schools' returns for a campaign from XLSX (school code, participants, enrolled). A file with
    any bad line imports nothing and names the lines; a school's earlier return is replaced."""
    _bureau_staff(actor, organisation)
    if not campaign.strip():
        raise ValidationFailed(_("Name the campaign."), field="campaign")
    rows = read_rows(data, [Column(c.key, {"school": _("School code"), "participants": _("Participants"),
                                            "enrolled": _("Enrolled students")}[c.key], True, c.aliases)
                            for c in QUIZ_COLUMNS])
    schools = {s.code: s for s in School.objects.filter(organisation__path__startswith=organisation.path)}
    problems, parsed = [], []
    for line, row in rows:
        code = str(row.get("school") or "").strip()
        try:
            participants, enrolled = _whole(row.get("participants")), _whole(row.get("enrolled"))
        except ValueError:
            problems.append(_("line %(n)d: participants and enrolled students are whole numbers") % {"n": line})
            continue
        if code not in schools:
            problems.append(_("line %(n)d: no school with code %(c)s") % {"n": line, "c": code})
        elif not 0 <= participants <= enrolled:
            problems.append(_("line %(n)d: participants cannot exceed enrolled students") % {"n": line})
        else:
            parsed.append((schools[code], participants, enrolled))
    if problems:
        raise ValidationFailed(_("Nothing was imported. Please fix: %(p)s") % {"p": "；".join(problems[:20])})
    for school, participants, enrolled in parsed:
        QuizParticipation.objects.update_or_create(campaign=campaign.strip(), year=year, school=school,
                                                   defaults={"participants": participants, "enrolled": enrolled})
    record(actor=actor, action="law_campaign.import", target=organisation, organisation=organisation,
           after={"campaign": campaign.strip(), "year": year, "schools": len(parsed),
                  "participants": sum(p for _s, p, _e in parsed)})
    return len(parsed)


@transaction.atomic
def add_entry(*, actor: User | None, kind: str, year: int, school: School, entrant: str, title: str = "",
              forwarded: bool = False, finalist: bool = False, award: str = "") -> ContestEntry:
    _bureau_staff(actor, school.organisation)
    if kind not in ContestKind.values:
        raise ValidationFailed(_("Choose the contest."), field="kind")
    if award not in Award.values:
        raise ValidationFailed(_("Choose the award."), field="award")
    if not entrant.strip():
        raise ValidationFailed(_("Name the student or teacher."), field="entrant")
    entry = ContestEntry.objects.create(kind=kind, year=year, school=school, entrant=entrant.strip()[:60],
                                        title=title.strip()[:200], forwarded=forwarded or finalist or bool(award),
                                        finalist=finalist, award=award)
    record(actor=actor, action="law_contest.entry", target=entry, organisation=school.organisation,
           after={"kind": kind, "year": year, "forwarded": entry.forwarded, "finalist": finalist, "award": award})
    return entry
