from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation, User
from edugov.accounts.permissions import is_staff_user
from edugov.accounts.selectors import access_bureau
from edugov.audit.ledger import record
from edugov.cases.actions import case_answer_part, case_attach
from edugov.cases.attachments import check_upload
from edugov.cases.models import Case
from edugov.cases.permissions import can_act_on_case, can_answer_part
from edugov.documents.responses import download
from edugov.documents.selectors import document_of, documents_of
from edugov.kernel.calendar import month_start
from edugov.kernel.errors import EdugovError
from edugov.kernel.forms import first_error
from edugov.kernel.ratelimit import limit_posts, normalised_phone

from . import actions, closure, letters, permissions, routing, selectors
from .forms import (
    ComplainantActForm,
    IntakeForm,
    PetitionStepForm,
    RateForm,
    RecontactCheckForm,
    RecontactDrawForm,
    TrackDocumentForm,
    TrackForm,
)
from .models import AbuseStatus, Channel, Petition, Validity
from .workflow import UNIT

INVALID_REASONS = ["不属于教育部门职责", "信息不全无法核实", "重复件", "咨询类，已当场答复"]


def _public_bureau(request: HttpRequest) -> Organisation:
    """The bureau a member of the public complains to: the hotline named by ``?org=`` (any
    published hotline: this is the citizen's choice of district, not a scope), or the only one."""
    bureau = selectors.public_hotline_bureau(request.GET.get("org"))
    if bureau is None:
        raise Http404(_("No supervision hotline is set up here."))
    return bureau


def _staff_bureau(request: HttpRequest) -> Organisation:
    """The bureau whose hotline this member of staff works for, from their grants (``?org=`` may
    only choose among their own bureaus; any other is a 404)."""
    has_hotline = selectors.bureaus_with_hotline()
    try:
        return access_bureau(request.user, lambda b: b.pk in has_hotline,  # type: ignore[arg-type]
                             request.GET.get("org"))
    except PermissionDenied:
        raise Http404(_("No supervision hotline is set up here.")) from None


def _intake(request: HttpRequest, public: bool) -> HttpResponse:
    bureau = _public_bureau(request) if public else _staff_bureau(request)
    form = IntakeForm(request.POST or None, request.FILES or None, bureau=bureau, public=public)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data.get("attachment")
        try:
            if upload:
                check_upload(upload)  # refuse a wrong or oversize file before anything is saved
                upload.seek(0)
            client = _client(request)  # before the transaction: a session made inside it would be rolled back with it
            with transaction.atomic():
                intake = _record(request, bureau, public, data, form, client)
                if upload and not intake.replayed:
                    case_attach(actor=None if public else request.user, case=intake.petition.case,  # type: ignore[arg-type]
                                upload=upload, check_access=False)
        except EdugovError as exc:
            field = exc.field if exc.field in form.fields else ("attachment" if upload and not exc.field else None)
            form.add_error(field, exc.message)
        else:
            if public:
                return render(request, "petitions/receipt.html", {"intake": intake, "case": intake.petition.case})
            if intake.petition.duplicate_of:
                messages.warning(request, _("Possible duplicate of %(ref)s (same subject and category from the same "
                                            "phone within 30 days); linked, not merged.")
                                 % {"ref": intake.petition.duplicate_of.case.reference})
            messages.success(request, _("Recorded as %(ref)s.") % {"ref": intake.petition.case.reference})
            return redirect(intake.petition.case)
    # (name, pinyin initials): the browser's list matches either, so “btxx” finds 白土小学
    names = selectors.subject_names(bureau)
    return render(request, "petitions/intake.html", {"form": form, "public": public, "subjects": names,
                                                     "channels": Channel.choices, "bureau": bureau})


def _record(request: HttpRequest, bureau: Organisation, public: bool, data: dict[str, Any], form: IntakeForm,
            client: str) -> Any:
    return actions.petition_intake(
                actor=request.user if request.user.is_authenticated else None,  # type: ignore[arg-type]
                organisation=bureau, channel=Channel.WEB if public else (data.get("channel") or Channel.HOTLINE),
                category=data["category"], nature=data["nature"], description=data["description"],
                complainant_name=data["complainant_name"], complainant_phone=data["complainant_phone"],
                is_key=data.get("is_key", False), identity_disclosure=data["identity_disclosure"],
                idempotency_key=actions.scoped_key(client, data["idempotency_key"]) if data["idempotency_key"] else None,
                client=client, **form.resolve_subject())


def _client(request: HttpRequest) -> str:
    """Who submits, for recognising a double submit: the account, or the visitor's session."""
    if request.user.is_authenticated:
        return f"user:{request.user.pk}"
    if not request.session.session_key:
        request.session.save()
    return f"session:{request.session.session_key}"


@staff_required
@require_http_methods(["GET", "POST"])
def staff_intake(request: HttpRequest) -> HttpResponse:
    if not permissions.is_hotline_office(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Hotline intake is the supervision office's."))
    return _intake(request, public=False)


@require_http_methods(["GET", "POST"])
@limit_posts("complaint")
@limit_posts("complaint_phone", key=normalised_phone("complainant_phone"))
def public_intake(request: HttpRequest) -> HttpResponse:
    return _intake(request, public=True)


def _track_page(request: HttpRequest, form: TrackForm, petition: Any) -> HttpResponse:
    events = list(petition.case.events.filter(public=True).order_by("at")) if petition else []
    closed_recently = bool(petition and petition.case.state == "closed" and petition.case.closed_at
                           and timezone.localdate() <= selectors.reopen_last_day(petition.case))
    can_reopen = closed_recently and petition.case.kind == "complaint"
    review_last_day = selectors.review_request_last_day(petition) if petition else None
    can_review = bool(petition and petition.case.kind == "petition" and petition.case.state == "closed"
                      and petition.review_stage != "rereview" and petition.case.closed_at
                      and (review_last_day is None or timezone.localdate() <= review_last_day))
    body = selectors.review_body(petition.case, petition.review_stage == "review") if can_review else ""
    for e in events:
        e.to_label = petition.case.workflow.state_label(e.to_state) if e.to_state else ""
    hops = list(petition.hops.select_related("from_unit", "to_unit")) if petition else []
    for h in hops:
        h.sentence = routing.hop_sentence(h)
    parts = list(petition.case.parts.select_related("organisation")) if petition else []
    rate_form = RateForm(initial={"code": form.cleaned_data.get("code", "")}) if petition else None
    return render(request, "petitions/track.html", {"form": form, "petition": petition, "events": events,
                                                   "rate_form": rate_form, "can_reopen": can_reopen,
                                                   "hops": hops, "parts": parts, "today": timezone.localdate(),
                                                   "can_review": can_review, "review_body": body,
                                                   "review_last_day": review_last_day,
                                                   "issued_documents": documents_of(letters.subject(petition))
                                                   if petition else []})


@require_POST
@limit_posts("lookup")
def track_document(request: HttpRequest) -> HttpResponse:
    """A document of the complainant's own matter, by query code (POST: the code stays out of addresses)."""
    form = TrackDocumentForm(request.POST)
    petition = actions.find_by_query_code(form.cleaned_data["code"]) if form.is_valid() else None
    doc = document_of(letters.subject(petition), form.cleaned_data["document"]) if petition else None
    if doc is None:
        raise Http404
    return download(doc)


@require_http_methods(["GET", "POST"])
@limit_posts("lookup")
def track(request: HttpRequest) -> HttpResponse:
    """The complainant's page, by query code (no account needed). POST only, so the code stays out
    of addresses, logs and browser history."""
    form = TrackForm(request.POST or None)
    petition = None
    if form.is_bound and form.is_valid():
        petition = actions.find_by_query_code(form.cleaned_data["code"])
        if petition is None:
            form.add_error("code", _("No matter has this query code; please check it (letters and digits, "
                                     "like ABCD-EFGH-JKLM)."))
    return _track_page(request, form, petition)


def _complainant_act(request: HttpRequest, act: Callable[[Petition, dict[str, Any]], Petition],
                     done: str) -> HttpResponse:
    """A complainant's act on their own matter, by query code; the tracking page shows the outcome."""
    form = ComplainantActForm(request.POST)
    petition = actions.find_by_query_code(form.cleaned_data["code"]) if form.is_valid() else None
    if petition is None:
        raise Http404
    try:
        petition = act(petition, form.cleaned_data)
        messages.success(request, done)
    except EdugovError as exc:
        messages.error(request, exc.message)
    track_form = TrackForm({"code": form.cleaned_data["code"]})
    track_form.is_valid()
    return _track_page(request, track_form, petition)


@require_POST
@limit_posts("lookup")
def reopen(request: HttpRequest) -> HttpResponse:
    return _complainant_act(request, lambda p, d: actions.petition_reopen(petition=p, reason=d["reason"]),
                            _("Your matter has been reopened; the supervision office will follow it up."))


@require_POST
@limit_posts("lookup")
def request_review(request: HttpRequest) -> HttpResponse:
    return _complainant_act(request, lambda p, d: actions.petition_request_review(petition=p),
                            _("Your request has been recorded; it will be answered within 30 days."))


@staff_required
def return_visits(request: HttpRequest) -> HttpResponse:
    if not permissions.is_hotline_office(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("Return visits are the supervision office's."))
    bureau = _staff_bureau(request)
    due = selectors.return_visits_due(bureau)
    return render(request, "petitions/return_visits.html", {"due": due})


@require_POST
@limit_posts("lookup")
def rate(request: HttpRequest) -> HttpResponse:
    form = RateForm(request.POST)

    def act(petition: Petition, _data: dict[str, Any]) -> Petition:
        if is_staff_user(request.user):  # type: ignore[arg-type]
            # A rating comes from the complainant only: staff cannot enter one, and the attempt is kept.
            with transaction.atomic():
                record(actor=request.user, action=f"{petition.case.kind}.rate_refused", target=petition.case,
                       organisation=petition.case.organisation, after={"from": "staff session"})
            raise EdugovError(_("Ratings come from the complainant only; staff cannot enter one. "
                                "This attempt has been recorded."))
        if not form.is_valid():
            raise EdugovError(_("Please choose one of the five ratings."))
        return actions.petition_rate(petition=petition, rating=form.cleaned_data["rating"],
                                     resolution=form.cleaned_data["resolution"])

    return _complainant_act(request, act, _("Thank you: your rating has been recorded."))


def _unit(case: Case, pk: str | None) -> Organisation | None:
    return selectors.resolve_unit(case, pk)


Data = dict[str, Any]


def _extend(user: User, petition: Petition, d: Data) -> str:
    """The 信访 time limit, once, with a leader's approval."""
    actions.petition_extend(actor=user, petition=petition, days=d["days"] or 0, reason=d["reason"])
    return _("The time limit has been extended and the petitioner told.")


def _return_visit(user: User, petition: Petition, d: Data) -> str:
    actions.petition_return_visit(actor=user, petition=petition, outcome=d["outcome"])
    return _("Return visit recorded.")


def _dispute(user: User, petition: Petition, d: Data) -> str:
    routing.petition_dispute(actor=user, petition=petition, reason=d["reason"],
                             better_unit=_unit(petition.case, d["better_unit"]))
    return _("Your disagreement has gone to the supervision office, whose decision is final. Keep handling the "
             "case meanwhile: its clock is running.")


def _rule(user: User, petition: Petition, d: Data) -> str:
    unit = _unit(petition.case, d["unit"])
    if unit is None:
        raise EdugovError(_("Please choose the unit that handles the case."))
    routing.petition_rule(actor=user, petition=petition, unit=unit, reason=d["reason"])
    return _("Decision recorded; it is final.")


def _add_part(user: User, petition: Petition, d: Data) -> str:
    unit = _unit(petition.case, d["unit"])
    if unit is None:
        raise EdugovError(_("Please choose the assisting unit."))
    routing.add_assisting_unit(actor=user, petition=petition, unit=unit, task=d["task"],
                               working_days=d["working_days"] or 0)
    return _("%(unit)s has been asked to assist.") % {"unit": unit}


def _answer_part(user: User, petition: Petition, d: Data) -> str:
    part = selectors.resolve_part(petition.case, d["part"])
    case_answer_part(actor=user, part=part, answer=d["answer"])
    return _("Your part has been answered.")


def _mark(user: User, petition: Petition, d: Data) -> str:
    closure.mark_unreasonable(actor=user, petition=petition, reason=d["reason"])
    return _("Marked; the supervision office will review the mark.")


def _answer_received(user: User, petition: Petition, d: Data) -> str:
    if d["received_on"] is None:
        raise EdugovError(_("Please give the day the petitioner received the written answer."))
    actions.petition_answer_received(actor=user, petition=petition, received_on=d["received_on"])
    last = selectors.review_request_last_day(petition)
    return _("Recorded; a review can be asked for until %(day)s.") % {"day": last.isoformat() if last else "—"}


def _review_mark(user: User, petition: Petition, d: Data) -> str:
    closure.review_unreasonable(actor=user, petition=petition, agree=d["agree"] == "yes", note=d["note"])
    return _("Your view of the mark has been recorded.")


_OTHER_ACTS: dict[str, Callable[[User, Petition, Data], str]] = {
    "extend": _extend, "return_visit": _return_visit, "dispute": _dispute, "rule": _rule, "add_part": _add_part,
    "answer_part": _answer_part, "mark_unreasonable": _mark, "review_mark": _review_mark,
    "answer_received": _answer_received,
}


@staff_required
@require_POST
def step(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    """One step of a hotline case, named by its URL, each through its petition action (which goes
    through the case engine); the acts that change no state through their own actions."""
    case = selectors.access_hotline_case(request.user, pk)  # type: ignore[arg-type]
    petition, user = case.petition, request.user
    form = PetitionStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, first_error(form))
        return redirect(case)
    d = form.cleaned_data
    other = _OTHER_ACTS.get(name)
    if other is not None:  # acts that are not state changes: each through its own action
        try:
            messages.success(request, other(user, petition, d))  # type: ignore[arg-type]
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect(case)
    version = d["version"]
    t = case.workflow.transition(name)
    if t is None or not can_act_on_case(user, case, t.roles, t.assignee_may):  # type: ignore[arg-type]
        raise PermissionDenied(_("You may not do this step on this case."))
    if t.confirm and not d["confirmed"]:
        messages.error(request, _("Please tick the confirmation box for “%(step)s”.") % {"step": t.label})
        return redirect(case)
    try:
        if name in ("mark_valid", "mark_invalid", "transfer"):
            decision = {"mark_valid": Validity.VALID, "mark_invalid": Validity.INVALID,
                        "transfer": Validity.TRANSFERRED}[name]
            actions.petition_triage(actor=user, petition=petition, decision=decision, reason=d["reason"],  # type: ignore[arg-type]
                                    agency=d["agency"], expected_version=version)
        elif name == "route":
            unit = _unit(case, d["unit"])
            if unit is None:
                raise EdugovError(_("Please choose the unit to route the case to."))
            routing.petition_route(actor=user, petition=petition, unit=unit, note=d["note"],  # type: ignore[arg-type]
                                   expected_version=version)
        elif name == "send_back":
            routing.petition_send_back(actor=user, petition=petition, reason=d["reason"],  # type: ignore[arg-type]
                                       better_unit=_unit(case, d["better_unit"]))
        elif name == "close":
            actions.petition_close(actor=user, petition=petition, result=d["result"],  # type: ignore[arg-type]
                                   override_reason=d["override_reason"], expected_version=version)
        elif name in ("answer_review", "answer_rereview"):
            actions.petition_answer_review(actor=user, petition=petition, transition=name,  # type: ignore[arg-type]
                                           result=d["result"], note=d["note"], expected_version=version)
        else:
            from edugov.cases.actions import case_transition

            case_transition(actor=user, case=case, transition=name,  # type: ignore[arg-type]
                            data={"note": d["note"], "result": d["result"]}, expected_version=version)
    except EdugovError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Done: %(step)s.") % {"step": t.label})
    return redirect(case)


def detail_context(case: Case, viewer: Any) -> dict[str, Any]:
    """What the case page shows of a hotline case (registered as its cases.presentation in apps.py)."""
    petition = case.petition
    units = selectors.units_of(case)
    show = permissions.can_see_complainant(viewer, petition.identity_disclosure)
    can_extend = (case.kind == "petition" and not petition.extended_days and case.state in ("triaged", "handling")
                  and permissions.can_extend_petition(viewer))
    office = permissions.is_hotline_office(viewer)
    unit_may = can_act_on_case(viewer, case, UNIT, True)
    handling = case.state == "handling"
    parts = list(case.parts.select_related("organisation"))
    return {"petition": petition, "rule_3233": actions.rule_3233(petition), "units": units,
            "invalid_reasons": INVALID_REASONS, "send_back_reasons": routing.SEND_BACK_REASONS,
            "show_identity": show, "hide_contact": not show, "can_extend": can_extend,
            "suggestions": routing.suggest_units(petition) if case.state == "triaged" and office else [],
            "hops": list(petition.hops.select_related("from_unit", "to_unit", "better_unit")),
            "hop_count": routing.hop_count(petition), "parts": parts,
            "can_send_back": handling and petition.send_backs < 1 and not petition.ruled,
            "can_dispute": handling and unit_may and petition.send_backs >= 1 and not petition.ruled
            and not petition.dispute_pending,
            "can_rule": petition.dispute_pending and office,
            "can_add_part": handling and permissions.can_add_part(viewer),
            "my_parts": [p for p in parts if p.answered_at is None and can_answer_part(viewer, p)],
            "can_mark": case.state in ("handling", "closed") and unit_may and not office
            and petition.abuse_status not in (AbuseStatus.PENDING, AbuseStatus.AGREED),
            "can_review_mark": petition.abuse_status == AbuseStatus.PENDING and office,
            "can_record_receipt": office and case.kind == "petition" and case.state == "closed",
            "review_last_day": selectors.review_request_last_day(petition) if case.kind == "petition" else None,
            "review_body": selectors.review_body(case, case.state == "rereview" or (
                case.state == "closed" and petition.review_stage == "review")) if case.kind == "petition" else ""}




@staff_required
def bulletin_view(request: HttpRequest) -> HttpResponse:
    """The monthly efficiency bulletin: page, Word (official layout) and XLSX."""
    import base64

    from django.utils import timezone

    from edugov.documents import charts
    from edugov.documents.official import Image, OfficialDocument, Paragraph, Table, to_docx
    from edugov.kernel.xlsx import Column, write_workbook

    from . import bulletin

    if not permissions.can_read_bulletin(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("The bulletin is for the supervision office, leaders and department heads."))
    bureau = _staff_bureau(request)
    first = month_start(timezone.localdate(), -1)
    try:
        year = int(request.GET.get("year") or first.year)
        month = int(request.GET.get("month") or first.month)
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        raise Http404(_("Choose a year and a month.")) from None
    b = bulletin.monthly(bureau, year, month)
    header, rows = bulletin.as_table(b)
    fc_header, fc_rows = bulletin.false_closure_table(b)
    title = _("%(bureau)s supervision hotline: efficiency bulletin for %(y)d-%(m)02d") % {
        "bureau": bureau.name, "y": year, "m": month}
    labels = [r.unit.name for r in b.rows]
    rates = [r.completion_rate or 0 for r in b.rows]
    summary = _("In the month the hotline received %(received)d matters, %(valid)d of them valid; %(units)d units "
                "handled the valid ones routed to them.") % {"received": b.received, "valid": b.valid,
                                                            "units": len(b.rows)}
    export = request.GET.get("export")
    if export == "docx":
        blocks = [Paragraph(summary), Table(header, rows, caption=_("Units ranked by completion rate"))]
        if fc_rows:
            blocks.append(Table(fc_header, fc_rows, caption=_("False closures found by the re-contact sample")))
        if b.rows:
            blocks.append(Image(charts.bar_chart(labels, rates, title=_("Completion rate"), unit="%", fmt="png"),
                                caption=_("Completion rate by unit")))
        doc = OfficialDocument(title=title, blocks=blocks, issuer=bureau.name, date=timezone.localdate())
        response = HttpResponse(to_docx(doc), content_type="application/vnd.openxmlformats-officedocument."
                                                            "wordprocessingml.document")
        response["Content-Disposition"] = f'attachment; filename="bulletin-{year}-{month:02d}.docx"'
        return response
    if export == "xlsx":
        data = write_workbook([Column(str(i), h) for i, h in enumerate(header)], rows, title=f"{year}-{month:02d}")
        response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="bulletin-{year}-{month:02d}.xlsx"'
        return response
    chart = (base64.b64encode(charts.bar_chart(labels, rates, title=str(_("Completion rate")), unit="%")).decode()
             if b.rows else "")
    return render(request, "petitions/bulletin.html", {"b": b, "header": header, "rows": rows, "title": title,
                                                       "summary": summary, "chart": chart, "year": year,
                                                       "fc_header": fc_header, "fc_rows": fc_rows,
                                                       "month": month})


def _month(request: HttpRequest) -> tuple[int, int]:

    last = month_start(timezone.localdate(), -1)
    try:
        year = int(request.GET.get("year") or last.year)
        month = int(request.GET.get("month") or last.month)
        if not (2000 <= year <= 2100 and 1 <= month <= 12):
            raise ValueError
    except ValueError:
        raise Http404(_("Choose a year and a month.")) from None
    return year, month


@staff_required
@require_http_methods(["GET", "POST"])
def recontact(request: HttpRequest) -> HttpResponse:
    """The supervision office's monthly re-contact sample: draw it (a published, verifiable draw),
    then call each complainant drawn and record whether the closure was true."""
    from edugov.metrics.registry import Period

    if not permissions.is_hotline_office(request.user):  # type: ignore[arg-type]
        raise PermissionDenied(_("The re-contact sample is the supervision office's."))
    bureau = _staff_bureau(request)
    year, month = _month(request)
    if request.method == "POST":
        try:
            checked = RecontactCheckForm(request.POST)
            if "check" in checked.fields and checked["check"].value():  # a call's outcome, not the draw
                if not checked.is_valid():
                    raise EdugovError(first_error(checked))
                check = selectors.resolve_recontact(bureau, checked.cleaned_data["check"])
                closure.record_recontact(actor=request.user, check=check,  # type: ignore[arg-type]
                                         closure_true=checked.cleaned_data["closure_true"] == "yes",
                                         note=checked.cleaned_data["note"])
                messages.success(request, _("Re-contact of %(ref)s recorded.") % {"ref": check.petition.case.reference})
            else:
                drawn = RecontactDrawForm(request.POST)
                if not drawn.is_valid():
                    raise EdugovError(first_error(drawn))
                if selectors.recontact_sample(closure.sample_draw_id(bureau, year, month))[0] is None:
                    # step 1: the month's closed complaints frozen, the commitment published
                    draw = closure.recontact_sample_commit(actor=request.user, bureau=bureau,  # type: ignore[arg-type]
                                                           year=year, month=month)
                    messages.success(request, _("The sample's commitment is published over %(n)d closed complaints; "
                                                "draw it once the public value you name is announced.")
                                     % {"n": len(draw.candidates)})
                else:
                    draw = closure.draw_recontact_sample(actor=request.user, bureau=bureau, year=year,  # type: ignore[arg-type]
                                                         month=month, public_value=drawn.cleaned_data["public_value"].strip())
                    messages.success(request, _("Sample drawn: %(n)d of the month's closed complaints.")
                                     % {"n": len(draw.selected or [])})
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?year={year}&month={month}")
    draw, checks = selectors.recontact_sample(closure.sample_draw_id(bureau, year, month))
    closed = closure.closed_in(bureau, Period.month(year, month)).count()
    return render(request, "petitions/recontact.html", {"year": year, "month": month, "draw": draw, "checks": checks,
                                                       "closed": closed})
