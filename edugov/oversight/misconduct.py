"""Reports of enforcement misconduct (行政执法监督举报, issue 32): the published channel, intake from
the phone, a letter, a visit or the web, and what the case's steps record. The unit of the officer
reported is recused from intake (cases.Recusal: it is never given the case, never answers or closes
it, and does not see it: the kind is need-to-know); the report goes to a receiving unit the channel
names (the legal office or the discipline group), which accepts it or not within the rule
`misconduct_report.acceptance` and tells the reporter the result within `misconduct_report.result`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Grant, Organisation, OrgKind, Role, User
from edugov.accounts.permissions import can_read_within
from edugov.audit.ledger import record
from edugov.cases import actions as engine
from edugov.cases.models import Case
from edugov.kernel import ledger_port
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.kernel.sms import send_sms
from edugov.kernel.validators import not_after, validate_mobile

from .models import Decision, DisciplineKind, DisciplineNotice, MisconductChannel, MisconductReport
from .permissions import can_keep_registers
from .workflow import MISCONDUCT_HANDLERS, MISCONDUCT_REPORT

ledger_port.declare("misconduct", ("address", "phone", "published_on", "receivers", "supervisor"))

CHANNELS = ("web", "phone", "letter", "visit")
WHAT_MAX = 4000
SAME_REPORT_SECONDS = 60


@dataclass(frozen=True)
class Taken:
    report: MisconductReport
    existing: bool  # the same report submitted twice: the first is returned, nothing is made twice


def _keeps_channel(actor: User | None, bureau: Organisation) -> bool:
    return can_read_within(actor, bureau, {Role.BUREAU_LEADER, Role.SYSADMIN})


@transaction.atomic
def channel_set(*, actor: User | None, organisation: Organisation, phone: str, address: str,
                receivers: Iterable[Organisation], supervisor: str, published_on: dt.date,
                at: dt.datetime | None = None) -> MisconductChannel:
    """Publish how misconduct is reported and who receives it. The supervision office (督导室) may not
    receive: it oversees schools and is not independent of the enforcement reported."""
    if actor is not None and not _keeps_channel(actor, organisation):
        raise PermissionDenied(_("The reporting channel is set by the bureau's leaders."))
    chosen = list(receivers)
    if not chosen:
        raise ValidationFailed(_("Choose the units that receive reports."), field="receivers")
    for unit in chosen:
        if unit.kind != OrgKind.DEPARTMENT or unit.parent_id != organisation.pk:
            raise ValidationFailed(_("Choose units of the bureau."), field="receivers")
        if Grant.objects.filter(organisation=unit, role=Role.SUPERVISION_STAFF, active=True).exists():
            raise ValidationFailed(_("%(unit)s supervises schools and is not independent of the enforcement "
                                     "reported; choose the legal office or the discipline group.")
                                   % {"unit": unit.name}, field="receivers")
    if not phone.strip() or not address.strip() or not supervisor.strip():
        raise ValidationFailed(_("Please fill in every field."), field="phone" if not phone.strip() else
                               "address" if not address.strip() else "supervisor")
    channel, _created = MisconductChannel.objects.update_or_create(
        organisation=organisation, defaults={"phone": phone.strip()[:40], "address": address.strip()[:200],
                                             "supervisor": supervisor.strip()[:120], "published_on": published_on})
    channel.receivers.set(chosen)
    record(actor=actor, action="misconduct.channel", target=channel, organisation=organisation, at=at,
           after={"phone": channel.phone, "address": channel.address, "supervisor": channel.supervisor,
                  "published_on": published_on, "receivers": [u.code for u in chosen]})
    return channel


def _overlaps(a: Organisation, b: Organisation) -> bool:
    return a.path.startswith(b.path) or b.path.startswith(a.path)


@transaction.atomic
def report_take(*, actor: User | None, organisation: Organisation, channel: str, officer_named: str,
                officer_unit: Organisation, what: str, receiver: Organisation | None = None,
                happened_on: dt.date | None = None, reporter_name: str = "", reporter_phone: str = "",
                anonymous: bool = False, applicant: User | None = None, received_on: dt.date | None = None,
                at: dt.datetime | None = None) -> Taken:
    """Record a report. Staff of a receiving unit enter what came by phone, letter or visit; a member
    of the public files online (`actor` public, channel web). A receiving unit that is, or lies within,
    the officer's unit is refused: a report is never handled by the unit it names."""
    now = at or timezone.now()
    what = (what or "").strip()
    if not what:
        raise ValidationFailed(_("Please say what the officer did."), field="what")
    if len(what) > WHAT_MAX:
        raise ValidationFailed(_("This field takes at most %(n)d characters (it has %(m)d).")
                               % {"n": WHAT_MAX, "m": len(what)}, field="what")
    if channel not in CHANNELS:
        raise ValidationFailed(_("Choose how the report came."), field="channel")
    if not officer_unit.path.startswith(organisation.path) or officer_unit.pk == organisation.pk:
        raise ValidationFailed(_("Choose the unit of the bureau the officer works in."), field="officer_unit")
    for day, field in ((happened_on, "happened_on"), (received_on, "received_on")):
        if day is not None:
            not_after(day, timezone.localdate(now), field)
    phone = "" if anonymous else (validate_mobile(reporter_phone) if reporter_phone.strip() else "")
    published = MisconductChannel.objects.filter(organisation=organisation).first()
    if published is None:
        raise ValidationFailed(_("This bureau has not published how misconduct is reported."))
    receivers = list(published.receivers.all())
    public = actor is None or actor.is_public
    if public:
        channel = "web"
        receiver = next((u for u in receivers if not _overlaps(u, officer_unit)), None)
        if receiver is None:
            raise ValidationFailed(_("No receiving unit is independent of that unit; please call the number "
                                     "published."), field="officer_unit")
    else:
        if receiver is None or receiver.pk not in {u.pk for u in receivers}:
            raise ValidationFailed(_("Choose one of the units that receive reports."), field="receiver")
    if _overlaps(receiver, officer_unit):
        raise ValidationFailed(_("%(unit)s is the unit reported: a report is never handled by the unit it names. "
                                 "Choose another receiving unit.") % {"unit": officer_unit.name}, field="receiver")
    if not public and actor is not None and not actor.grants.filter(
            organisation__path__startswith=receiver.path, active=True, role__in=MISCONDUCT_HANDLERS).exists():
        raise PermissionDenied(_("Reports are entered by the units that receive them."))
    same = (MisconductReport.objects.filter(what=what, officer_unit=officer_unit,
                                            case__opened_at__gte=now - dt.timedelta(seconds=SAME_REPORT_SECONDS))
            .select_related("case").first())
    submitter = applicant or actor
    if same is not None and same.case.applicant_id == (submitter.pk if submitter and submitter.is_public else None):
        return Taken(same, True)  # the same form sent twice
    case = engine.case_open(actor=None if public else actor, kind=MISCONDUCT_REPORT.kind, organisation=organisation,
                            department=receiver, title=_("Report about an officer of %(unit)s") % {"unit": officer_unit.name},
                            applicant=applicant or (actor if public else None),
                            contact_name="" if anonymous else reporter_name.strip()[:60], contact_phone=phone,
                            at=now, public=public, clocks_from=received_on)
    report = MisconductReport.objects.create(case=case, channel=channel, officer_named=officer_named.strip()[:80],
                                             officer_unit=officer_unit, what=what, happened_on=happened_on,
                                             anonymous=anonymous)
    engine.case_recuse(actor=None, case=case, organisation=officer_unit,
                       reason=_("the officer reported works there"), at=now)
    record(actor=actor, action="misconduct_report.take", target=case, organisation=organisation, at=now,
           after={"channel": channel, "officer_unit": officer_unit.code, "receiver": receiver.code,
                  "anonymous": anonymous})
    return Taken(report, False)


def record_forwarding(case: Case, agency: str, at: dt.datetime) -> None:
    """The `forward` step's effect: the body the report went to and the day."""
    MisconductReport.objects.filter(case=case).update(forwarded_to=agency.strip()[:120],
                                                      forwarded_on=timezone.localdate(at))


def record_result(case: Case, result: str, upheld: bool, at: dt.datetime) -> None:
    """The closing steps' effect: the result, whether it was substantiated, the day the reporter was told
    (by SMS when they left a number)."""
    told = timezone.localdate(at)
    MisconductReport.objects.filter(case=case).update(result=result.strip(), substantiated=upheld, told_on=told)
    if case.contact_phone:
        phone = case.contact_phone
        text = _("Your report %(ref)s has been dealt with. Result: %(result)s") % {
            "ref": case.reference, "result": result.strip()[:120]}
        transaction.on_commit(lambda: send_sms(phone, text))


# ---- the discipline inspection group (纪检监察组) ------------------------------------------------

ledger_port.declare("discipline", ("attended_by", "decision", "kind", "on", "subject"))


@transaction.atomic
def discipline_notice_add(*, actor: User | None, organisation: Organisation, kind: str, on: dt.date, subject: str,
                          attended_by: str, decision: Decision | None = None, note: str = "",
                          at: dt.datetime | None = None) -> DisciplineNotice:
    """A meeting the group was invited to attend, or a decision and its execution notified to it. A
    notified decision names its 三重一大 matter, which must have been executed (the group is told of
    the decision and how it was carried out)."""
    if actor is not None and not can_keep_registers(actor, organisation):
        raise PermissionDenied(_("These records are kept by the bureau's departments."))
    if kind not in DisciplineKind.values:
        raise ValidationFailed(_("Choose the kind."), field="kind")
    not_after(on, timezone.localdate(at or timezone.now()), "on")
    subject, attended_by = subject.strip()[:200], attended_by.strip()[:80]
    if kind == DisciplineKind.DECISION:
        if decision is None:
            raise ValidationFailed(_("Choose the 三重一大 matter notified."), field="decision")
        if decision.organisation_id != organisation.pk:
            raise ValidationFailed(_("Choose one of the bureau's matters."), field="decision")
        if decision.executed_on is None:
            raise ValidationFailed(_("%(matter)s has not been executed yet: the group is notified of the decision "
                                     "and its execution once it is.") % {"matter": decision.matter}, field="decision")
        subject = subject or decision.matter[:200]
    if not subject or not attended_by:
        raise ValidationFailed(_("Please fill in every field."), field="subject" if not subject else "attended_by")
    if DisciplineNotice.objects.filter(organisation=organisation, kind=kind, on=on, subject=subject).exists():
        raise ValidationFailed(_("This has been recorded already; it is not counted twice."), field="subject")
    notice = DisciplineNotice.objects.create(organisation=organisation, kind=kind, on=on, subject=subject,
                                             attended_by=attended_by, decision=decision,
                                             note=note.strip()[:300], recorded_by=actor)
    record(actor=actor, action="discipline.notice", target=notice, organisation=organisation, at=at,
           after={"kind": kind, "on": on, "subject": subject, "attended_by": attended_by,
                  "decision": decision.pk if decision else None})
    return notice
