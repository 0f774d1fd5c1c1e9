"""Legal vice-principals: the bureau's list (coverage, who is behind, appoint), an appointment's
page (classes, evaluation, letter of appointment, end or replace)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_POST

from edugov.accounts.decorators import staff_required
from edugov.accounts.http import AuthedRequest
from edugov.accounts.models import Organisation
from edugov.documents.official import OfficialDocument, Paragraph, to_docx
from edugov.kernel import query
from edugov.kernel.errors import EdugovError
from edugov.kernel.forms import submit

from . import actions, selectors
from .forms import (
    AdmitForm,
    AppointForm,
    ClassForm,
    CourseForm,
    DemoApplyForm,
    EndForm,
    EvaluateForm,
    FollowUpForm,
    QuizForm,
    ReleaseForm,
    ReoffenceForm,
    ReplaceForm,
)
from .models import Appointment, AppointmentKind, school_year_of
from .permissions import can_appoint, can_evaluate, can_log_class


def _scope(request: AuthedRequest) -> Organisation:
    return selectors.lvp_scope(request.user)


@staff_required
@require_GET
def lvp_list(request: AuthedRequest) -> HttpResponse:
    return _lvp_list_page(request)


@staff_required
@require_POST
def lvp_appoint(request: AuthedRequest) -> HttpResponse:
    scope = _scope(request)
    if not can_appoint(request.user, scope):
        raise PermissionDenied(_("Legal vice-principals are appointed by the bureau's departments."))
    form = AppointForm(request.POST, actor=request.user, prefix="appoint")
    done, appointment = submit(form, lambda d: actions.appoint(actor=request.user, **d))
    if done:
        messages.success(request, _("Appointed: %(letter)s.") % {"letter": appointment.letter_number})
        return redirect("schools:lvp", appointment.pk)
    return _lvp_list_page(request, appoint_form=form, status=400)


def _lvp_list_page(request: AuthedRequest, appoint_form: AppointForm | None = None, status: int = 200) -> HttpResponse:
    scope = _scope(request)
    may_appoint = can_appoint(request.user, scope)
    today = timezone.localdate()
    qs = (selectors.active(scope, today).select_related("person", "school").order_by("school__name"))
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(school__name__icontains=query) | Q(person__name__icontains=query))
    page = Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    hours = selectors.hours_by_appointment(scope, school_year_of(today))
    rows = [{"a": a, "hours": hours.get(a.pk, 0)} for a in page]
    context = {"scope": scope, "page": page, "rows": rows, "q": query, "may_appoint": may_appoint,
               "school_year": school_year_of(today), "behind": selectors.behind(scope, today)[:100],
               "appoint_form": appoint_form or AppointForm(actor=request.user, prefix="appoint",
                                                           initial={"starts_on": today})}
    if scope.kind != "school":
        context.update(without=selectors.schools_without(scope, today)[:200],
                       short=selectors.large_schools_short(scope, today)[:100],
                       points=selectors.coverage_map(scope, today),
                       people=selectors.legal_vps_for(request.user).filter(organisation__path__startswith=scope.path),
                       schools=selectors.public_schools(scope).order_by("name"), today=today)
    return render(request, "schools/lvp_list.html", context, status=status)


@staff_required
@require_GET
def lvp_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    return _lvp_page(request, selectors.access_appointment(request.user, pk))


def _lvp_page(request: AuthedRequest, appointment: Appointment, status: int = 200, **bound: Any) -> HttpResponse:
    """The appointment's page, with the forms of its writes; a form that failed comes back bound,
    with its errors and what was typed."""
    user, today = request.user, timezone.localdate()
    org = appointment.school.organisation
    bureau = org.bureau or org
    forms = {
        "class_form": ClassForm(prefix="class", initial={"on": today, "hours": 1}),
        "evaluate_form": EvaluateForm(prefix="evaluate", initial={"school_year": school_year_of(today)}),
        "replace_form": ReplaceForm(actor=user, prefix="replace", initial={"on": today}),
        "end_form": EndForm(prefix="end", initial={"on": today}),
        **bound,
    }
    return render(request, "schools/lvp_detail.html", {
        "a": appointment, "sessions": appointment.sessions.all()[:200], "evaluations": appointment.evaluations.all(),
        "school_year": school_year_of(today), "today": today,
        "hours": selectors.hours_by_appointment(org, school_year_of(today)).get(appointment.pk, 0),
        "can_log": can_log_class(user, org), "can_evaluate": can_evaluate(user, org),
        "can_adjust": appointment.ended_on is None and can_appoint(user, bureau),
        **forms,
    }, status=status)


def _lvp_write(request: AuthedRequest, pk: int, name: str, form_class: Any, act: Any, **form_kwargs: Any) -> HttpResponse:
    """One write on an appointment: its form, its action, back to the page (with the form's errors)."""
    appointment = selectors.access_appointment(request.user, pk)
    form = form_class(request.POST, request.FILES, prefix=name, **form_kwargs)
    done, result = submit(form, lambda d: act(appointment, d))
    if not done:
        return _lvp_page(request, appointment, status=400, **{f"{name}_form": form})
    if isinstance(result, Appointment) and result.pk != appointment.pk:
        messages.success(request, _("Appointed: %(letter)s.") % {"letter": result.letter_number})
        return redirect("schools:lvp", result.pk)
    messages.success(request, _("Recorded."))
    return redirect("schools:lvp", appointment.pk)


@staff_required
@require_POST
def lvp_class(request: AuthedRequest, pk: int) -> HttpResponse:
    return _lvp_write(request, pk, "class", ClassForm, lambda a, d: actions.log_class(
        actor=request.user, appointment=a, **d))


@staff_required
@require_POST
def lvp_evaluate(request: AuthedRequest, pk: int) -> HttpResponse:
    return _lvp_write(request, pk, "evaluate", EvaluateForm, lambda a, d: actions.evaluate(
        actor=request.user, appointment=a, school_year=d["school_year"], comment=d["comment"],
        scores={k: d[k] for k in ("staff", "students", "parents")}))


@staff_required
@require_POST
def lvp_end(request: AuthedRequest, pk: int) -> HttpResponse:
    return _lvp_write(request, pk, "end", EndForm, lambda a, d: actions.end(
        actor=request.user, appointment=a, **d))


@staff_required
@require_POST
def lvp_replace(request: AuthedRequest, pk: int) -> HttpResponse:
    return _lvp_write(request, pk, "replace", ReplaceForm, lambda a, d: actions.replace(
        actor=request.user, appointment=a, **d), actor=request.user)


@staff_required
def lvp_letter(request: AuthedRequest, pk: int) -> HttpResponse:
    """The letter of appointment, in the official layout."""
    a = selectors.access_appointment(request.user, pk)
    bureau = a.school.organisation.bureau or a.school.organisation
    facts = {"name": a.person.name, "agency": a.person.agency_name, "school": a.school.name,
             "start": a.starts_on.isoformat(), "end": a.ends_on.isoformat()}
    counsellor = a.kind == AppointmentKind.COUNSELLOR
    doc = OfficialDocument(
        title=_("Letter of appointment: legal counsellor") if counsellor
        else _("Letter of appointment: legal vice-principal"), issuer=bureau.name, date=a.starts_on,
        document_number=a.letter_number, recipients=a.person.agency_name,
        blocks=[Paragraph(_("%(name)s (%(agency)s) is appointed legal counsellor of %(school)s for the term from "
                            "%(start)s to %(end)s.") % facts if counsellor else
                          _("%(name)s (%(agency)s) is appointed legal vice-principal of %(school)s for the term from "
                            "%(start)s to %(end)s, under the Measures on the work of legal vice-principals in "
                            "primary and secondary schools.") % facts),
                Paragraph(_("The duties include teaching at least 4 class hours of rule-of-law education each "
                            "school year, helping the school prevent and resolve disputes, and advising on "
                            "safety and the protection of minors."))])
    response = HttpResponse(to_docx(doc), content_type="application/vnd.openxmlformats-officedocument."
                                                       "wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="appointment-{a.pk}.docx"'
    return response


# ---- the special school ----------------------------------------------------------------------

@staff_required
@require_GET
def special_list(request: AuthedRequest) -> HttpResponse:
    return _special_list_page(request)


@staff_required
@require_POST
def special_admit(request: AuthedRequest) -> HttpResponse:
    from . import special

    form = AdmitForm(request.POST, actor=request.user, prefix="admit")
    done, case = submit(form, lambda d: special.admit(
        actor=request.user, school=d["school"], student_name=d["student_name"],
        admitted_on=d["admitted_on"],
        assigned=selectors.resolve_colleagues(d["school"], [u.pk for u in d["assigned"]])))
    if done:
        messages.success(request, _("Recorded."))
        return redirect("schools:special_case", case.pk)
    return _special_list_page(request, form, status=400)


def _special_list_page(request: AuthedRequest, admit_form: AdmitForm | None = None, status: int = 200) -> HttpResponse:
    """The correction cases assigned to the signed-in staff member, and admission for the school's
    administrators. Nobody else sees a case, not even the bureau."""
    from . import special

    user = request.user
    schools = selectors.special_schools_for(user)
    form = admit_form or AdmitForm(actor=user, prefix="admit", initial={"admitted_on": timezone.localdate()})
    return render(request, "schools/special_list.html", {"cases": special.visible(user), "schools": schools,
                                                         "admit_form": form, "today": timezone.localdate()},
                  status=status)


@staff_required
@require_GET
def special_case(request: AuthedRequest, pk: int) -> HttpResponse:
    from . import special

    case = selectors.access_correction_case(request.user, pk)
    special.log_view(request.user, case)
    return _special_case_page(request, case)


def _special_case_page(request: AuthedRequest, case: Any, status: int = 200, **bound: Any) -> HttpResponse:
    today = timezone.localdate()
    forms = {"release_form": ReleaseForm(prefix="release", initial={"on": today}),
             "follow_up_form": FollowUpForm(prefix="follow_up", initial={"on": today}),
             "reoffence_form": ReoffenceForm(prefix="reoffence", initial={"on": today}), **bound}
    return render(request, "schools/special_case.html", {"case": case, "follow_ups": case.follow_ups.all(),
                                                         "reoffences": case.reoffences.all(), "today": today,
                                                         **forms}, status=status)


def _special_write(request: AuthedRequest, pk: int, name: str, form_class: Any, act: Any) -> HttpResponse:
    case = selectors.access_correction_case(request.user, pk)
    form = form_class(request.POST, prefix=name)
    done, _result = submit(form, lambda d: act(case, d))
    if not done:
        return _special_case_page(request, case, status=400, **{f"{name}_form": form})
    messages.success(request, _("Recorded."))
    return redirect("schools:special_case", case.pk)


@staff_required
@require_POST
def special_release(request: AuthedRequest, pk: int) -> HttpResponse:
    from . import special

    return _special_write(request, pk, "release", ReleaseForm,
                          lambda c, d: special.release(actor=request.user, case=c, **d))


@staff_required
@require_POST
def special_follow_up(request: AuthedRequest, pk: int) -> HttpResponse:
    from . import special

    return _special_write(request, pk, "follow_up", FollowUpForm,
                          lambda c, d: special.follow_up(actor=request.user, case=c, **d))


@staff_required
@require_POST
def special_reoffence(request: AuthedRequest, pk: int) -> HttpResponse:
    from . import special

    return _special_write(request, pk, "reoffence", ReoffenceForm,
                          lambda c, d: special.record_reoffence(actor=request.user, case=c, **d))


# ---- demonstration schools and legal education ------------------------------------------------

@staff_required
@require_GET
def education(request: AuthedRequest) -> HttpResponse:
    return _education_page(request, query.year(request))


def _education_page(request: AuthedRequest, year: int, status: int = 200, **bound: Any) -> HttpResponse:
    """依法治校示范校 and 普法 on one page: applications and their stages, the course catalogue,
    campaign returns (XLSX), contest entries."""
    from .models import ContestKind

    scope = _scope(request)
    bureau = selectors.education_bureau(scope)
    user = request.user
    shown = selectors.education_year(scope, bureau, year)
    labels = dict(ContestKind.choices)
    forms = {"apply_form": DemoApplyForm(actor=user, prefix="apply", initial={"year": year}),
             "course_form": CourseForm(prefix="course"),
             "quiz_form": QuizForm(prefix="quiz", initial={"year": year, "campaign": "宪法知识网络答题"}), **bound}
    return render(request, "schools/education.html", {
        "year": year, "scope": scope, "applications": shown["applications"],
        "is_bureau": can_appoint(user, bureau),
        "courses": shown["courses"],
        "contests": [{**c, "label": labels.get(c["kind"], c["kind"])} for c in shown["contests"]],
        "returns": shown["returns"], **forms,
    }, status=status)


def _education_write(request: AuthedRequest, name: str, form: Any, act: Any, done_message: Any = None) -> HttpResponse:
    year = query.year(request)
    done, result = submit(form, act)
    if not done:
        return _education_page(request, year, status=400, **{f"{name}_form": form})
    messages.success(request, done_message(result) if done_message else _("Recorded."))
    return redirect(f"{reverse('schools:education')}?year={form.cleaned_data.get('year') or year}")


@staff_required
@require_POST
def education_apply(request: AuthedRequest) -> HttpResponse:
    from . import education as edu

    form = DemoApplyForm(request.POST, actor=request.user, prefix="apply")
    return _education_write(request, "apply", form, lambda d: edu.demo_apply(actor=request.user, **d))


@staff_required
@require_POST
def education_course(request: AuthedRequest) -> HttpResponse:
    from . import education as edu

    bureau = selectors.education_bureau(_scope(request))
    form = CourseForm(request.POST, prefix="course")
    return _education_write(request, "course", form, lambda d: edu.add_course(
        actor=request.user, organisation=bureau, **d))


@staff_required
@require_POST
def education_quiz(request: AuthedRequest) -> HttpResponse:
    from . import education as edu

    bureau = selectors.education_bureau(_scope(request))
    form = QuizForm(request.POST, request.FILES, prefix="quiz")
    return _education_write(request, "quiz", form, lambda d: edu.import_quiz(
        actor=request.user, organisation=bureau, campaign=d["campaign"], year=d["year"],
        data=d["file"].read()), lambda n: _("Imported: %(c)d new items, %(u)d updated.") % {"c": n, "u": 0})


@staff_required
@require_POST
def education_decide(request: AuthedRequest, pk: int, decision: str) -> HttpResponse:
    """A stage passed or not, or the school's case adopted by the city: the button is the form."""
    from . import education as edu

    application = selectors.access_demo_application(request.user, pk)
    today = timezone.localdate()
    try:
        if decision == "adopt":
            edu.demo_case_adopted(actor=request.user, application=application, on=today)
        elif decision in ("advance", "reject"):
            edu.demo_advance(actor=request.user, application=application, passed=decision == "advance",
                             on=today)
        else:
            raise Http404(_("No such decision."))
        messages.success(request, _("Recorded."))
    except EdugovError as exc:
        messages.error(request, exc.message)
    return redirect(f"{reverse('schools:education')}?year={application.year}")


# ---- the school's own rule of law (issue 32): charter, lessons, constitution week, families --------

RULE_OF_LAW_TABS: dict[str, tuple[str, ...]] = {
    "charter": ("charter", "decide", "publish"), "lesson": ("lesson",), "week": ("week",),
    "meeting": ("meeting",), "opinion": ("opinion", "answer")}
RULE_OF_LAW_COLUMNS: dict[str, list[tuple[Any, Any]]] = {
    "charter": [(gettext_lazy("School"), lambda o: o.school.name), (gettext_lazy("Revision"), lambda o: o.version),
                (gettext_lazy("What the revision changes"), lambda o: o.summary),
                (gettext_lazy("Submitted on"), lambda o: o.submitted_on), (gettext_lazy("Status"), lambda o: o.get_status_display()),
                (gettext_lazy("Approved or returned on"), lambda o: o.decided_on or "—"),
                (gettext_lazy("Published on"), lambda o: o.published_on or "—")],
    "lesson": [(gettext_lazy("School"), lambda o: o.school.name), (gettext_lazy("Date"), lambda o: o.held_on),
               (gettext_lazy("Class or grade"), lambda o: o.class_name), (gettext_lazy("Topic"), lambda o: o.topic),
               (gettext_lazy("Taught by"), lambda o: o.teacher)],
    "week": [(gettext_lazy("School"), lambda o: o.school.name), (gettext_lazy("Year"), lambda o: o.year),
             (gettext_lazy("Morning reading"), lambda o: _("Yes") if o.morning_reading else _("No")),
             (gettext_lazy("Took part"), lambda o: o.participants), (gettext_lazy("What the school held"), lambda o: o.activities)],
    "meeting": [(gettext_lazy("School"), lambda o: o.school.name), (gettext_lazy("Date"), lambda o: o.held_on),
                (gettext_lazy("Channel"), lambda o: o.get_kind_display()), (gettext_lazy("Topic"), lambda o: o.topic),
                (gettext_lazy("Families present"), lambda o: o.attended)],
    "opinion": [(gettext_lazy("School"), lambda o: o.school.name), (gettext_lazy("Received on"), lambda o: o.received_on),
                (gettext_lazy("Channel"), lambda o: o.get_kind_display()), (gettext_lazy("What the families said"), lambda o: o.summary),
                (gettext_lazy("What the school did"), lambda o: o.response or "—"),
                (gettext_lazy("Answered on"), lambda o: o.answered_on or "—")],
}


def _rule_of_law_actor(request: AuthedRequest) -> None:
    if not selectors.rule_of_law_schools_for(request.user).exists():
        raise PermissionDenied(_("This page is not among your duties."))


@staff_required
@require_GET
def rule_of_law(request: AuthedRequest) -> HttpResponse:
    kind = request.GET.get("kind") or "charter"
    return _rule_of_law_page(request, kind if kind in RULE_OF_LAW_TABS else "charter")


def _rule_of_law_page(request: AuthedRequest, tab: str, bound: dict[str, Any] | None = None,
                      status: int = 200) -> HttpResponse:
    from edugov.kernel.calendar import school_term
    from edugov.kernel.xlsx import Column, write_workbook

    from .forms import RULE_OF_LAW_FORMS

    _rule_of_law_actor(request)
    year = query.year(request)
    rows = selectors.rule_of_law_rows(request.user, tab, year)
    columns = RULE_OF_LAW_COLUMNS[tab]
    if request.GET.get("export") == "xlsx":
        body = write_workbook([Column(f"c{i}", str(label)) for i, (label, _get) in enumerate(columns)],
                              ([str(get(o)) for _label, get in columns] for o in rows[:50000]), title=f"{tab}-{year}")
        response = HttpResponse(body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        response["Content-Disposition"] = f'attachment; filename="school-{tab}-{year}.xlsx"'
        return response
    today = timezone.localdate()
    initial = {"submitted_on": today, "adopted_on": today, "decided_on": today, "published_on": today,
               "held_on": today, "received_on": today, "answered_on": today, "year": today.year}
    shown = [k for k in RULE_OF_LAW_TABS[tab]
             if k not in ("decide", "publish", "answer") or _has_choices(request, k)]
    forms_ = {k: RULE_OF_LAW_FORMS[k](actor=request.user, prefix=k, initial=initial) for k in shown}
    forms_.update({k: f for k, f in (bound or {}).items() if k in RULE_OF_LAW_TABS[tab]})
    page = Paginator(rows, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    term = school_term(today)
    return render(request, "schools/rule_of_law.html", {
        "tab": tab, "year": year, "forms": forms_, "count": rows.count(), "page": page,
        "headers": [label for label, _get in columns], "rows": [[get(o) for _label, get in columns] for o in page],
        "term": term, "short": selectors.lesson_shortfall(request.user, term[0]) if tab == "lesson" else None},
        status=status)


def _has_choices(request: AuthedRequest, kind: str) -> bool:
    scope = {"decide": selectors.charters_waiting_for, "publish": selectors.charters_to_publish_for,
             "answer": selectors.opinions_unanswered_for}[kind]
    return scope(request.user).exists()


@staff_required
@require_POST
def rule_of_law_add(request: AuthedRequest, kind: str) -> HttpResponse:
    """One write: a charter revision submitted, decided or published; a lesson; the constitution week;
    a meeting with families; an opinion or its answer."""
    from . import governance as gv
    from .forms import RULE_OF_LAW_FORMS

    tab = next((t for t, kinds in RULE_OF_LAW_TABS.items() if kind in kinds), None)
    if tab is None:
        raise Http404
    _rule_of_law_actor(request)
    form_class = RULE_OF_LAW_FORMS[kind]
    form = form_class(request.POST, actor=request.user, prefix=kind)
    user = request.user
    acts: dict[str, Any] = {"charter": gv.charter_submit, "decide": gv.charter_decide, "publish": gv.charter_publish,
                            "lesson": gv.lesson_record, "week": gv.constitution_week_record,
                            "meeting": gv.parent_meeting_add, "opinion": gv.parent_opinion_add,
                            "answer": gv.parent_opinion_answer}
    done, _item = submit(form, lambda d: acts[kind](actor=user, **d))
    if not done:
        return _rule_of_law_page(request, tab, {kind: form}, status=400)
    messages.success(request, _("Recorded."))
    return redirect(f"{reverse('schools:rule_of_law')}?kind={tab}&year={query.year(request)}")
