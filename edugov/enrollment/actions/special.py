"""Deferral (缓学) and disability placement requests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import User
from edugov.cases import actions as engine
from edugov.kernel.errors import Conflict, ValidationFailed
from edugov.kernel.masking import mask_name
from edugov.kernel.sms import send_sms

from ..models import (
    Intake,
    IntakeState,
    SpecialKind,
    SpecialRequest,
    child_index,
)
from ..workflow import DEFERRAL, PLACEMENT, PLACEMENTS
from ._common import Form, _now
from .applications import _check


@transaction.atomic
def special_request_submit(*, actor: User, intake: Intake, kind: str, child_name: str, child_id_number: str, reason: str,
                    uploads: Sequence[UploadedFile], at: dt.datetime | None = None) -> SpecialRequest:
    """A deferral (缓学, with a hospital's diagnosis) or a disability placement (with the
    disability certificate or an assessment), each its own case for the bureau to decide."""
    if kind not in SpecialKind.values:
        raise ValidationFailed(_("Please choose what you request."), field="kind")
    now = _now(at)
    intake = Intake.objects.select_related("organisation").get(pk=intake.pk)
    if intake.state != IntakeState.PUBLISHED or now > intake.closes_at:
        raise ValidationFailed(_("Requests are made while applications are open."))
    data = _check(intake, Form(child_id_number=child_id_number), timezone.localdate(now), complete=False)
    if not (child_name or "").strip():
        raise ValidationFailed(_("Please give %(what)s.") % {"what": _("the child's name")}, field="child_name")
    if not (reason or "").strip():
        raise ValidationFailed(_("Please describe the child's situation."), field="reason")
    if not uploads:
        raise ValidationFailed(_("Please upload the hospital's diagnosis.") if kind == SpecialKind.DEFERRAL else
                               _("Please upload the disability certificate or an assessment report."),
                               field="documents")
    if SpecialRequest.objects.filter(intake=intake, kind=kind, child_index=child_index(data["child_id_number"])).exists():
        raise Conflict(_("This request has been made for this child already."))
    wf = DEFERRAL if kind == SpecialKind.DEFERRAL else PLACEMENT
    case = engine.case_open(actor=actor, kind=wf.kind, organisation=intake.organisation, department=intake.department,
                            public=True, applicant=actor, contact_phone=actor.phone, at=now,
                            title=f"{SpecialKind(kind).label}：{mask_name(child_name.strip())}", note=reason.strip()[:1000])
    req = SpecialRequest.objects.create(intake=intake, kind=kind, case=case, account=actor, child_name=child_name.strip(),
                                        child_id_number=data["child_id_number"], reason=reason.strip())
    for upload in uploads:
        engine.case_attach(actor=actor, case=case, upload=upload, at=now, check_access=False)
    return req


@transaction.atomic
def special_request_decide(*, actor: User, request: SpecialRequest, transition: str, data: Mapping[str, Any],
                   expected_version: int | None = None, at: dt.datetime | None = None) -> SpecialRequest:
    """A step of a special request (through the engine); a placement decision records the placement."""
    req = SpecialRequest.objects.select_for_update(of=("self",)).select_related("case").get(pk=request.pk)
    engine.case_transition(actor=actor, case=req.case, transition=transition, data=data,
                           expected_version=expected_version, at=at)
    if transition == "decide":
        value = str(data.get("placement", "")).strip()
        req.placement = PLACEMENTS.get(value, value)
        req.save(update_fields=["placement"])
    if actor is not None and req.account.phone:
        text = _("[%(org)s] %(ref)s: %(state)s. %(d)s") % {
            "org": req.intake.organisation.name, "ref": req.case.reference,
            "state": req.case.workflow.state_label(req.case.state),
            "d": str(data.get("decision", "") or data.get("assessment", ""))[:120]}
        phone = req.account.phone
        transaction.on_commit(lambda: send_sms(phone, text))
    return req
