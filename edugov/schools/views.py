"""Legal vice-principals: the bureau's list (coverage, who is behind, appoint), an appointment's
page (classes, evaluation, letter of appointment, end or replace)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation, Role
from edugov.accounts.permissions import active_grants, has_role
from edugov.documents.official import OfficialDocument, Paragraph, to_docx
from edugov.kernel import query
from edugov.kernel.errors import EdugovError
from edugov.kernel.forms import first_error
from edugov.kernel.validators import as_date, as_pk

from . import actions, selectors
from .forms import AppointForm, ReplaceForm
from .models import school_year_of
from .permissions import can_appoint, can_evaluate, can_log_class, can_read_school_lvps


def _scope(request: HttpRequest) -> Organisation:
    """A school's own people see their school; bureau staff their district."""
    grants = active_grants(request.user)  # type: ignore[arg-type]
    for g in grants:
        if g.role in (Role.SCHOOL_ADMIN, Role.LEGAL_VP):
            return g.organisation
    for g in grants:
        bureau = g.organisation.bureau or g.organisation
        if can_read_school_lvps(request.user, bureau):  # type: ignore[arg-type]
            return bureau
    raise PermissionDenied(_("You may not see legal vice-principals."))


@staff_required
@require_http_methods(["GET", "POST"])
def lvp_list(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    may_appoint = can_appoint(request.user, scope)  # type: ignore[arg-type]
    if request.method == "POST":
        if not may_appoint:
            raise PermissionDenied(_("Legal vice-principals are appointed by the bureau's departments."))
        form = AppointForm(request.POST, actor=request.user)
        try:
            if not form.is_valid():
                raise EdugovError(first_error(form))
            appointment = actions.appoint(actor=request.user, person=form.cleaned_data["person"],  # type: ignore[arg-type]
                                          school=form.cleaned_data["school"], starts_on=form.cleaned_data["starts_on"])
            messages.success(request, _("Appointed: %(letter)s.") % {"letter": appointment.letter_number})
            return redirect("schools:lvp", appointment.pk)
        except EdugovError as exc:
            messages.error(request, exc.message)
    today = timezone.localdate()
    qs = (selectors.active(scope, today).select_related("person", "school").order_by("school__name"))
    query = request.GET.get("q", "").strip()
    if query:
        qs = qs.filter(Q(school__name__icontains=query) | Q(person__name__icontains=query))
    page = Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))
    hours = selectors.hours_by_appointment(scope, school_year_of(today))
    rows = [{"a": a, "hours": hours.get(a.pk, 0)} for a in page]
    context = {"scope": scope, "page": page, "rows": rows, "q": query, "may_appoint": may_appoint,
               "school_year": school_year_of(today), "behind": selectors.behind(scope, today)[:100]}
    if scope.kind != "school":
        context.update(without=selectors.schools_without(scope, today)[:200],
                       short=selectors.large_schools_short(scope, today)[:100],
                       points=selectors.coverage_map(scope, today),
                       people=selectors.legal_vps_for(request.user).filter(organisation__path__startswith=scope.path),  # type: ignore[arg-type]
                       schools=selectors.public_schools(scope).order_by("name"), today=today)
    return render(request, "schools/lvp_list.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def lvp_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appointment = selectors.access_appointment(request.user, pk)  # type: ignore[arg-type]
    user, post = request.user, request.POST
    if request.method == "POST":
        try:
            step = post.get("step")
            if step == "class":
                actions.log_class(actor=user, appointment=appointment, on=as_date(post.get("on")),  # type: ignore[arg-type]
                                  topic=post.get("topic", ""), class_name=post.get("class_name", ""),
                                  hours=post.get("hours", ""), photo=request.FILES.get("photo"))
            elif step == "evaluate":
                scores = {k: int(post.get(k) or -1) for k in ("staff", "students", "parents")}
                actions.evaluate(actor=user, appointment=appointment, school_year=int(post.get("school_year") or 0),  # type: ignore[arg-type]
                                 scores=scores, comment=post.get("comment", ""))
            elif step == "end":
                actions.end(actor=user, appointment=appointment, on=as_date(post.get("on")),  # type: ignore[arg-type]
                            reason=post.get("reason", ""))
            elif step == "replace":
                form = ReplaceForm(post, actor=user)
                if not form.is_valid():
                    raise EdugovError(first_error(form))
                new = actions.replace(actor=user, appointment=appointment, person=form.cleaned_data["person"],  # type: ignore[arg-type]
                                      on=form.cleaned_data["on"], reason=form.cleaned_data["reason"])
                messages.success(request, _("Appointed: %(letter)s.") % {"letter": new.letter_number})
                return redirect("schools:lvp", new.pk)
            else:
                raise EdugovError(_("Unknown step; please reload the page."))
            messages.success(request, _("Recorded."))
        except (EdugovError, ValueError) as exc:
            messages.error(request, getattr(exc, "message", _("Please check the numbers you entered.")))
        return redirect("schools:lvp", appointment.pk)
    today = timezone.localdate()
    org = appointment.school.organisation
    bureau = org.bureau or org
    return render(request, "schools/lvp_detail.html", {
        "a": appointment, "sessions": appointment.sessions.all()[:200], "evaluations": appointment.evaluations.all(),
        "school_year": school_year_of(today), "today": today,
        "hours": selectors.hours_by_appointment(org, school_year_of(today)).get(appointment.pk, 0),
        "can_log": can_log_class(user, org), "can_evaluate": can_evaluate(user, org),  # type: ignore[arg-type]
        "can_adjust": appointment.ended_on is None and can_appoint(user, bureau),  # type: ignore[arg-type]
        "people": selectors.legal_vps_for(user).filter(organisation__path__startswith=bureau.path)  # type: ignore[arg-type]
        if has_role(user, {Role.DEPARTMENT_HEAD, Role.DEPARTMENT_STAFF, Role.BUREAU_LEADER}) else [],  # type: ignore[arg-type]
    })


@staff_required
def lvp_letter(request: HttpRequest, pk: int) -> HttpResponse:
    """The letter of appointment, in the official layout."""
    a = selectors.access_appointment(request.user, pk)  # type: ignore[arg-type]
    bureau = a.school.organisation.bureau or a.school.organisation
    doc = OfficialDocument(
        title=_("Letter of appointment: legal vice-principal"), issuer=bureau.name, date=a.starts_on,
        document_number=a.letter_number, recipients=a.person.agency_name,
        blocks=[Paragraph(_("%(name)s (%(agency)s) is appointed legal vice-principal of %(school)s for the term from "
                            "%(start)s to %(end)s, under the Measures on the work of legal vice-principals in "
                            "primary and secondary schools.") % {
                                "name": a.person.name, "agency": a.person.agency_name, "school": a.school.name,
                                "start": a.starts_on.isoformat(), "end": a.ends_on.isoformat()}),
                Paragraph(_("The duties include teaching at least 4 class hours of rule-of-law education each "
                            "school year, helping the school prevent and resolve disputes, and advising on "
                            "safety and the protection of minors."))])
    response = HttpResponse(to_docx(doc), content_type="application/vnd.openxmlformats-officedocument."
                                                       "wordprocessingml.document")
    response["Content-Disposition"] = f'attachment; filename="appointment-{a.pk}.docx"'
    return response


# ---- the special school ----------------------------------------------------------------------

@staff_required
@require_http_methods(["GET", "POST"])
def special_list(request: HttpRequest) -> HttpResponse:
    """The correction cases assigned to the signed-in staff member, and admission for the school's
    administrators. Nobody else sees a case, not even the bureau."""

    from . import special

    user = request.user
    schools = selectors.special_schools_for(user)  # type: ignore[arg-type]
    if request.method == "POST":
        school = next((s for s in schools if s.pk == as_pk(request.POST.get("school"))), None)
        try:
            if school is None:
                raise EdugovError(_("Only the special school's administrators open correction cases."))
            staff = selectors.resolve_colleagues(school, request.POST.getlist("assigned"))
            case = special.admit(actor=user, school=school, student_name=request.POST.get("student_name", ""),  # type: ignore[arg-type]
                                 admitted_on=as_date(request.POST.get("admitted_on")), assigned=staff)
            messages.success(request, _("Recorded."))
            return redirect("schools:special_case", case.pk)
        except EdugovError as exc:
            messages.error(request, exc.message)
    colleagues = selectors.colleagues_at(schools) if schools else []
    return render(request, "schools/special_list.html", {"cases": special.visible(user), "schools": schools,  # type: ignore[arg-type]
                                                         "colleagues": colleagues, "today": timezone.localdate()})


@staff_required
@require_http_methods(["GET", "POST"])
def special_case(request: HttpRequest, pk: int) -> HttpResponse:
    from . import special

    case = selectors.access_correction_case(request.user, pk)  # type: ignore[arg-type]
    user, post = request.user, request.POST
    if request.method == "POST":
        try:
            step = post.get("step")
            if step == "release":
                special.release(actor=user, case=case, on=as_date(post.get("on")))  # type: ignore[arg-type]
            elif step == "follow_up":
                special.follow_up(actor=user, case=case, on=as_date(post.get("on")), method=post.get("method", ""),  # type: ignore[arg-type]
                                  note=post.get("note", ""))
            elif step == "reoffence":
                special.record_reoffence(actor=user, case=case, on=as_date(post.get("on")),  # type: ignore[arg-type]
                                         description=post.get("description", ""), source=post.get("source", ""))
            else:
                raise EdugovError(_("Unknown step; please reload the page."))
            messages.success(request, _("Recorded."))
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect("schools:special_case", case.pk)
    special.log_view(user, case)  # type: ignore[arg-type]
    return render(request, "schools/special_case.html", {"case": case, "follow_ups": case.follow_ups.all(),
                                                         "reoffences": case.reoffences.all(),
                                                         "today": timezone.localdate()})


# ---- demonstration schools and legal education ------------------------------------------------

@staff_required
@require_http_methods(["GET", "POST"])
def education(request: HttpRequest) -> HttpResponse:
    """依法治校示范校 and 普法 on one page: applications and their stages, the course catalogue,
    campaign returns (XLSX), contest entries."""

    from . import education as edu
    from .models import ContestKind

    scope = _scope(request)
    bureau = scope.bureau or scope if scope.kind == "school" else scope
    user, post = request.user, request.POST
    year = query.year(request)
    if request.method == "POST":
        step = post.get("step")
        try:
            if step == "apply":
                school = selectors.resolve_school(scope, post.get("school"))
                edu.demo_apply(actor=user, school=school, year=as_pk(post.get("year")) or year,  # type: ignore[arg-type]
                               case_title=post.get("case_title", ""))
            elif step in ("advance", "reject", "adopt"):
                application = selectors.resolve_demo_application(bureau, post.get("application"))
                if step == "adopt":
                    edu.demo_case_adopted(actor=user, application=application, on=timezone.localdate())  # type: ignore[arg-type]
                else:
                    edu.demo_advance(actor=user, application=application, passed=step == "advance",  # type: ignore[arg-type]
                                     on=timezone.localdate())
            elif step == "course":
                edu.add_course(actor=user, organisation=bureau, title=post.get("title", ""),  # type: ignore[arg-type]
                               teacher=post.get("teacher", ""), officer=post.get("officer", ""))
            elif step == "quiz" and request.FILES.get("file"):
                n = edu.import_quiz(actor=user, organisation=bureau, campaign=post.get("campaign", ""),  # type: ignore[arg-type]
                                    year=as_pk(post.get("year")) or year, data=request.FILES["file"].read())
                messages.success(request, _("Imported: %(c)d new items, %(u)d updated.") % {"c": n, "u": 0})
            else:
                raise EdugovError(_("Unknown step; please reload the page."))
            if step != "quiz":
                messages.success(request, _("Recorded."))
        except EdugovError as exc:
            messages.error(request, exc.message)
        return redirect(f"{request.path}?year={year}")
    shown = selectors.education_year(scope, bureau, year)
    labels = dict(ContestKind.choices)
    return render(request, "schools/education.html", {
        "year": year, "scope": scope, "applications": shown["applications"],
        "is_bureau": can_appoint(user, bureau),  # type: ignore[arg-type]
        "schools": selectors.schools_in(scope)[:500], "courses": shown["courses"],
        "contests": [{**c, "label": labels.get(c["kind"], c["kind"])} for c in shown["contests"]],
        "returns": shown["returns"],
    })
