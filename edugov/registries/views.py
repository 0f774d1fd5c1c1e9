from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from edugov.accounts.decorators import staff_required
from edugov.accounts.models import Organisation
from edugov.audit.ledger import record
from edugov.kernel.errors import EdugovError

from . import actions, permissions, selectors
from .forms import ImportForm, InstitutionForm, PersonForm, SchoolContactForm, SchoolForm
from .models import (
    InstitutionKind,
    InstitutionStatus,
    PersonKind,
    SchoolLevel,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _page(request: HttpRequest, qs: Any) -> Any:
    from django.conf import settings

    return Paginator(qs, settings.EDUGOV["PAGE_SIZE"]).get_page(request.GET.get("page"))


def _xlsx_response(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX)
    stamp = timezone.localdate().strftime("%Y%m%d")
    response["Content-Disposition"] = f"attachment; filename=\"{name}-{stamp}.xlsx\""
    return response


def _bureau(request: HttpRequest, roles: set[str] | None = None) -> Organisation | None:
    bureaus = selectors.bureaus_for(request.user, roles)  # type: ignore[arg-type]
    return bureaus.first()


def _list_or_export(request: HttpRequest, registry: str, qs: Any, template: str, context: dict[str, Any],
                    roles: set[str]) -> HttpResponse:
    """A registry list page, or its XLSX export (a ledger entry records what was exported)."""
    if request.GET.get("export") == "xlsx":
        data = actions.registry_export(registry, qs)
        record(actor=request.user, action=f"{registry}.export", organisation=_bureau(request),
               after={"rows": qs.count(), "query": dict(request.GET.items())})
        return _xlsx_response(data, registry)
    bureau = _bureau(request, roles)
    can_add = bureau is not None and (permissions.can_edit_people if registry == "people"
                                      else permissions.can_edit_institution)(request.user, bureau)  # type: ignore[arg-type]
    return render(request, template, {"page": _page(request, qs), "total": qs.count(), "can_add": can_add, **context})


def _save(request: HttpRequest, form: Any, save: Any) -> HttpResponse | None:
    """Run the action; on success say so and show the record, on refusal put the reason on the form."""
    try:
        obj = save()
    except EdugovError as exc:
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        return None
    messages.success(request, _("Saved."))
    return redirect(obj)


@staff_required
def schools(request: HttpRequest) -> HttpResponse:
    qs = selectors.search(selectors.schools_for(request.user), request.GET.get("q", ""),  # type: ignore[arg-type]
                          ("name", "code", "principal"))
    level = request.GET.get("level", "")
    if level in SchoolLevel.values:
        qs = qs.filter(level=level)
    ownership = request.GET.get("ownership", "")
    if ownership in ("public", "private"):
        qs = qs.filter(is_private=ownership == "private")
    return _list_or_export(request, "schools", qs, "registries/schools.html", {"levels": SchoolLevel.choices},
                           permissions.EDITORS)


@staff_required
def school_detail(request: HttpRequest, pk: int) -> HttpResponse:
    school = selectors.access_school(request.user, pk)  # type: ignore[arg-type]
    return render(request, "registries/school_detail.html", {
        "school": school, "can_edit": permissions.can_edit_school(request.user, school.organisation)})  # type: ignore[arg-type]


@staff_required
@require_http_methods(["GET", "POST"])
def school_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    school = selectors.access_school(request.user, pk) if pk else None  # type: ignore[arg-type]
    bureau = school.organisation.parent if school else _bureau(request, permissions.EDITORS)
    if bureau is None:
        raise DjangoPermissionDenied(_("You may not add schools."))
    full = permissions.can_edit_institution(request.user, bureau)  # type: ignore[arg-type]
    if school and not permissions.can_edit_school(request.user, school.organisation):  # type: ignore[arg-type]
        raise DjangoPermissionDenied(_("You may not change this school."))
    if not school and not full:
        raise DjangoPermissionDenied(_("You may not add schools."))
    form_class = SchoolForm if full else SchoolContactForm
    form = form_class(request.POST or None, instance=school)
    if request.method == "POST" and form.is_valid():
        changed = {f: form.cleaned_data[f] for f in form.changed_data}
        done = _save(request, form, lambda: actions.school_update(actor=request.user, school=school, data=changed)
                     if school else actions.school_create(actor=request.user, bureau=bureau, data=form.cleaned_data))
        if done:
            return done
    return render(request, "registries/edit.html", {"form": form, "object": school,
                                                     "title": _("School"), "back": "registries:schools"})


@staff_required
def institutions(request: HttpRequest) -> HttpResponse:
    qs = selectors.search(selectors.institutions_for(request.user), request.GET.get("q", ""),  # type: ignore[arg-type]
                          ("name", "credit_code", "legal_representative"))
    kind = request.GET.get("kind", "")
    if kind in InstitutionKind.values:
        qs = qs.filter(kind=kind)
    status = request.GET.get("status", "")
    if status in InstitutionStatus.values:
        qs = qs.filter(status=status)
    return _list_or_export(request, "institutions", qs, "registries/institutions.html",
                           {"kinds": InstitutionKind.choices, "statuses": InstitutionStatus.choices},
                           permissions.EDITORS)


@staff_required
def institution_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inst = selectors.access_institution(request.user, pk)  # type: ignore[arg-type]
    return render(request, "registries/institution_detail.html", {
        "inst": inst, "can_edit": permissions.can_edit_institution(request.user, inst.organisation)})  # type: ignore[arg-type]


@staff_required
@require_http_methods(["GET", "POST"])
def institution_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    inst = selectors.access_institution(request.user, pk) if pk else None  # type: ignore[arg-type]
    bureau = inst.organisation if inst else _bureau(request, permissions.EDITORS)
    if bureau is None or not permissions.can_edit_institution(request.user, bureau):  # type: ignore[arg-type]
        raise DjangoPermissionDenied(_("You may not change institutions."))
    form = InstitutionForm(request.POST or None, instance=inst)
    if request.method == "POST" and form.is_valid():
        changed = {f: form.cleaned_data[f] for f in form.changed_data}
        done = _save(request, form, lambda: actions.institution_update(actor=request.user, institution=inst,
                                                                       data=changed)
                     if inst else actions.institution_create(actor=request.user, bureau=bureau, data=form.cleaned_data))
        if done:
            return done
    return render(request, "registries/edit.html", {"form": form, "object": inst, "title": _("Training institution"),
                                                     "back": "registries:institutions"})


@staff_required
def people(request: HttpRequest) -> HttpResponse:
    qs = selectors.people_for(request.user)  # type: ignore[arg-type]
    if not selectors.bureaus_for(request.user, permissions.PEOPLE_READERS).exists():  # type: ignore[arg-type]
        raise DjangoPermissionDenied(_("You may not see the people registry."))
    query = request.GET.get("q", "").strip()
    if query:
        from django.db.models import Q

        from edugov.kernel.crypto import blind_index

        qs = qs.filter(Q(name__icontains=query) | Q(certificate_number__icontains=query)
                       | Q(identity_index=blind_index(query, purpose="identity_number")))
    kind = request.GET.get("kind", "")
    if kind in PersonKind.values:
        qs = qs.filter(kind=kind)
    return _list_or_export(request, "people", qs, "registries/people.html",
                           {"kinds": PersonKind.choices, "today": timezone.localdate()}, permissions.EDITORS)


@staff_required
def person_detail(request: HttpRequest, pk: int) -> HttpResponse:
    person = selectors.access_person(request.user, pk)  # type: ignore[arg-type]
    unmask = request.GET.get("unmask") == "1" and permissions.can_unmask_people(request.user, person.organisation)  # type: ignore[arg-type]
    if unmask:
        record(actor=request.user, action="person.unmask", target=person, organisation=person.organisation)
    return render(request, "registries/person_detail.html", {
        "person": person, "unmask": unmask, "today": timezone.localdate(),
        "can_unmask": permissions.can_unmask_people(request.user, person.organisation),  # type: ignore[arg-type]
        "can_edit": permissions.can_edit_people(request.user, person.organisation)})  # type: ignore[arg-type]


@staff_required
@require_http_methods(["GET", "POST"])
def person_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    person = selectors.access_person(request.user, pk) if pk else None  # type: ignore[arg-type]
    org = person.organisation if person else _bureau(request, permissions.EDITORS)
    if org is None or not permissions.can_edit_people(request.user, org):  # type: ignore[arg-type]
        raise DjangoPermissionDenied(_("You may not change the people registry."))
    form = PersonForm(request.POST or None, instance=person,
                      initial={"identity_number": "", "phone": ""} if person else None)
    if person:
        form.fields["identity_number"].required = False
        form.fields["identity_number"].help_text = _("Leave empty to keep the number on record (%(masked)s).") % {
            "masked": person.masked_identity_number}
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        changed = {f: data[f] for f in form.changed_data if f in data}
        if not data.get("identity_number"):
            changed.pop("identity_number", None)  # left empty: keep the number on record
        done = _save(request, form, lambda: actions.person_update(actor=request.user, person=person, data=changed)
                     if person else actions.person_create(actor=request.user, organisation=org, data=data))
        if done:
            return done
    return render(request, "registries/edit.html", {"form": form, "object": person, "title": _("Person"),
                                                     "back": "registries:people"})


@staff_required
@require_http_methods(["GET", "POST"])
def import_view(request: HttpRequest, registry: str) -> HttpResponse:
    if registry not in actions.REGISTRIES:
        raise Http404
    bureau = _bureau(request, permissions.EDITORS)
    if bureau is None or not permissions.can_import(request.user, bureau):  # type: ignore[arg-type]
        raise DjangoPermissionDenied(_("You may not import into the registers."))
    form = ImportForm(request.POST or None, request.FILES or None)
    run = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = actions.registry_import(actor=request.user, registry=registry, bureau=bureau,  # type: ignore[arg-type]
                                          filename=upload.name, data=upload.read(settings_max() + 1),
                                          good_rows_only=form.cleaned_data["good_rows_only"])
        except EdugovError as exc:
            form.add_error("file", exc.message)
        else:
            return redirect("registries:import_result", pk=run.pk)
    template_cols = actions.REGISTRIES[registry].columns()
    return render(request, "registries/import.html", {"form": form, "registry": registry, "columns": template_cols})


def settings_max() -> int:
    from django.conf import settings

    return int(settings.EDUGOV["IMPORT_MAX_BYTES"])


@staff_required
def import_template(request: HttpRequest, registry: str) -> HttpResponse:
    if registry not in actions.REGISTRIES:
        raise Http404
    from edugov.kernel.xlsx import write_workbook

    return _xlsx_response(write_workbook(actions.REGISTRIES[registry].columns(), []), f"{registry}-template")


@staff_required
def import_result(request: HttpRequest, pk: int) -> HttpResponse:
    run = selectors.access_import_run(request.user, pk)  # type: ignore[arg-type]
    if request.GET.get("download") == "rejected" and run.rejected_file:
        return _xlsx_response(bytes(run.rejected_file), f"{run.registry}-rejected")
    return render(request, "registries/import_result.html", {"run": run})


