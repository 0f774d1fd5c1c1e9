"""Writes to the registries. Each checks access, writes, and appends its ledger entry."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from edugov.accounts.models import Organisation, OrgKind, User
from edugov.audit.ledger import record
from edugov.kernel import ledger_port
from edugov.kernel.crypto import blind_index
from edugov.kernel.errors import PermissionDenied, ValidationFailed
from edugov.kernel.xlsx import Column, read_rows, write_workbook

from . import hooks
from . import permissions as perms
from .forms import InstitutionForm, PersonForm, SchoolForm, cell_to_text
from .models import ImportRun, Institution, Person, School

# What this module's ledger entries record (the ledger refuses any other field).
ledger_port.declare("institution", ("address", "contact_phone", "credit_code", "kind", "legal_representative", "name",
                                    "permit_number", "permit_valid_until", "source", "status"))
ledger_port.declare("person", ("agency_name", "certificate_number", "certificate_valid_until", "enforcement_field",
                               "identity_number", "kind", "name", "phone", "sending_agency", "source", "title"))
ledger_port.declare("school", ("address", "code", "contact_phone", "enrolled_students", "level", "name", "principal",
                               "source"))
ledger_port.declare(("institutions", "people", "schools"), ("file", "imported", "rejected", "rows"))


def _snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    return {f: getattr(obj, f) for f in fields}


def _diff(before: dict[str, Any], after: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    changed = [k for k in after if before.get(k) != after.get(k)]
    return {k: before.get(k) for k in changed}, {k: after.get(k) for k in changed}


def _locked_update(obj: Any, data: dict[str, Any]) -> tuple[Any, dict[str, Any], dict[str, Any]]:
    """Apply `data` to the row, re-read under a lock (a bound ModelForm has already written its
    values onto the caller's instance); return the row and what changed, before and after."""
    obj = type(obj).objects.select_for_update().get(pk=obj.pk)
    fields = list(data)
    before = _snapshot(obj, fields)
    for k, v in data.items():
        setattr(obj, k, v)
    obj.save(update_fields=fields)
    b, a = _diff(before, _snapshot(obj, fields))
    return obj, b, a


def _bureau_check(bureau: Organisation) -> None:
    if bureau.kind != OrgKind.BUREAU:
        raise ValidationFailed(_("Registers are kept per district bureau."))


@transaction.atomic
def school_create(*, actor: User, bureau: Organisation, data: dict[str, Any]) -> School:
    """Register a school: it becomes an organisation under the bureau (its access scope)."""
    _bureau_check(bureau)
    if not perms.can_edit_institution(actor, bureau):
        raise PermissionDenied(_("You may not add schools to this district."))
    if Organisation.objects.filter(code=data["code"]).exists() or School.objects.filter(code=data["code"]).exists():
        raise ValidationFailed(_("A school with code %(code)s exists already.") % {"code": data["code"]}, field="code")
    org = Organisation.objects.create(code=data["code"], name=data["name"], kind=OrgKind.SCHOOL, parent=bureau)
    school = School.objects.create(organisation=org, **data)
    record(actor=actor, action="school.create", target=school, organisation=org,
           after=_snapshot(school, SchoolForm.Meta.fields))
    return school


@transaction.atomic
def school_update(*, actor: User, school: School, data: dict[str, Any]) -> School:
    if not perms.can_edit_school(actor, school.organisation):
        raise PermissionDenied(_("You may not change this school."))
    school, b, a = _locked_update(school, data)
    if "name" in data and school.organisation.name != school.name:
        school.organisation.name = school.name
        school.organisation.save(update_fields=["name"])
    if a:
        record(actor=actor, action="school.update", target=school, organisation=school.organisation, before=b, after=a)
    return school


@transaction.atomic
def institution_create(*, actor: User, bureau: Organisation, data: dict[str, Any]) -> Institution:
    _bureau_check(bureau)
    if not perms.can_edit_institution(actor, bureau):
        raise PermissionDenied(_("You may not add institutions to this district."))
    if Institution.objects.filter(credit_code=data["credit_code"]).exists():
        raise ValidationFailed(_("An institution with this credit code is registered already."), field="credit_code")
    inst = Institution.objects.create(organisation=bureau, **data)
    record(actor=actor, action="institution.create", target=inst, organisation=bureau,
           after=_snapshot(inst, InstitutionForm.Meta.fields))
    return inst


@transaction.atomic
def institution_update(*, actor: User, institution: Institution, data: dict[str, Any]) -> Institution:
    if not perms.can_edit_institution(actor, institution.organisation):
        raise PermissionDenied(_("You may not change this institution."))
    institution, b, a = _locked_update(institution, data)
    if a:
        record(actor=actor, action="institution.update", target=institution, organisation=institution.organisation,
               before=b, after=a)
    return institution


@transaction.atomic
def person_create(*, actor: User, organisation: Organisation, data: dict[str, Any]) -> Person:
    if not perms.can_edit_people(actor, organisation):
        raise PermissionDenied(_("You may not add people here."))
    if Person.objects.filter(identity_index=blind_index(data["identity_number"], purpose="identity_number")).exists():
        raise ValidationFailed(_("A person with this identity number is registered already."), field="identity_number")
    from edugov.kernel.validators import birth_date_of, gender_of

    person = Person(organisation=organisation, birth_date=birth_date_of(data["identity_number"]),
                    gender=gender_of(data["identity_number"]), **data)
    person.save()
    record(actor=actor, action="person.create", target=person, organisation=organisation,
           after=_snapshot(person, PersonForm.Meta.fields))
    return person


@transaction.atomic
def person_update(*, actor: User, person: Person, data: dict[str, Any]) -> Person:
    if not perms.can_edit_people(actor, person.organisation):
        raise PermissionDenied(_("You may not change this person."))
    new_until = data.get("certificate_valid_until")
    if new_until is not None:  # a renewal (换证) asks the hooks: training hours, the yearly assessment
        current = Person.objects.filter(pk=person.pk).values_list("certificate_valid_until", flat=True).first()
        if current is None or new_until > current:
            objections = hooks.renewal_objections(person, timezone.localdate())
            if objections:
                raise ValidationFailed(_("The certificate cannot be renewed: %(why)s")
                                       % {"why": "；".join(objections)}, field="certificate_valid_until")
    person, b, a = _locked_update(person, data)
    if a:
        record(actor=actor, action="person.update", target=person, organisation=person.organisation, before=b, after=a)
    return person


# --- XLSX import/export ---------------------------------------------------------------------

@dataclass
class RegistrySpec:
    key: str
    form: type[forms.ModelForm]
    create: Callable[..., Any]
    unique: Callable[[dict[str, Any]], str]

    def columns(self) -> list[Column]:
        """Columns labelled in the active language; imports also accept every other language's label."""
        from django.conf import settings
        from django.utils import translation

        form = self.form()
        aliases: dict[str, set[str]] = {name: {name} for name in form.fields}
        for code, _name in settings.LANGUAGES:
            with translation.override(code):
                for name, field in self.form().fields.items():
                    aliases[name].add(str(field.label))
        return [Column(name, str(field.label), field.required, tuple(sorted(aliases[name])))
                for name, field in form.fields.items()]


REGISTRIES: dict[str, RegistrySpec] = {
    "schools": RegistrySpec("schools", SchoolForm,
                            lambda actor, bureau, data: school_create(actor=actor, bureau=bureau, data=data),
                            lambda d: str(d.get("code", ""))),
    "institutions": RegistrySpec("institutions", InstitutionForm,
                                 lambda actor, bureau, data: institution_create(actor=actor, bureau=bureau, data=data),
                                 lambda d: str(d.get("credit_code", ""))),
    "people": RegistrySpec("people", PersonForm,
                           lambda actor, bureau, data: person_create(actor=actor, organisation=bureau, data=data),
                           lambda d: blind_index(str(d.get("identity_number", "")), purpose="identity_number")),
}


def _choice_maps(form: forms.BaseForm) -> dict[str, dict[str, str]]:
    """Exports show choice labels (学科类); imports accept the label or the stored value."""
    maps: dict[str, dict[str, str]] = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.ChoiceField):
            choices: Iterable[tuple[Any, Any]] = field.choices  # type: ignore[assignment]  # a list by then
            maps[name] = {str(label): str(value) for value, label in choices if value}
    return maps


def _form_errors(form: forms.BaseForm) -> str:
    parts = []
    for name, errs in form.errors.items():
        label = form.fields[name].label if name in form.fields else ""
        parts.append(f"{label}：{'；'.join(str(e) for e in errs)}" if label else "；".join(str(e) for e in errs))
    return "；".join(parts)


@transaction.atomic
def registry_import(*, actor: User, registry: str, bureau: Organisation, filename: str, data: bytes,
                    good_rows_only: bool) -> ImportRun:
    """Validate every row; write nothing from a file with errors unless asked to import the valid rows,
    in which case the rejected rows are kept as a file with a reason column."""
    spec = REGISTRIES[registry]
    if not perms.can_import(actor, bureau):
        raise PermissionDenied(_("You may not import into this district's registers."))
    columns = spec.columns()
    rows = read_rows(data, columns)
    if not rows:
        raise ValidationFailed(_("The file has a header row but no data rows."))
    good: list[tuple[int, dict[str, Any]]] = []
    errors: list[dict[str, Any]] = []
    seen: dict[str, int] = {}
    choice_maps = _choice_maps(spec.form())
    for line, raw in rows:
        values = {k: cell_to_text(v) for k, v in raw.items()}
        for k, mapping in choice_maps.items():
            if values.get(k) in mapping:
                values[k] = mapping[values[k]]
        form = spec.form(data=values)
        if not form.is_valid():
            errors.append({"line": line, "reason": _form_errors(form), "row": raw})
            continue
        key = spec.unique(form.cleaned_data)
        if key in seen:
            errors.append({"line": line, "reason": _("Same record as line %(n)d of this file.") % {"n": seen[key]},
                           "row": raw})
            continue
        seen[key] = line
        good.append((line, form.cleaned_data))
    run = ImportRun(registry=registry, organisation=bureau, created_by=actor, filename=filename[:200],
                    total_rows=len(rows))
    imported = 0
    if not errors or good_rows_only:
        for line, cleaned in good:
            try:
                with transaction.atomic():
                    spec.create(actor, bureau, cleaned)
                imported += 1
            except ValidationFailed as exc:
                errors.append({"line": line, "reason": exc.message, "row": {k: cell_to_text(v) for k, v in cleaned.items()}})
    run.imported_rows = imported
    errors.sort(key=lambda e: e["line"])
    run.errors = [{"line": e["line"], "reason": e["reason"]} for e in errors]
    if errors and good_rows_only:
        run.rejected_file = write_workbook(
            columns, ([cell_to_text(e["row"].get(c.key)) for c in columns] + [e["line"], e["reason"]] for e in errors),
            title=_("Rejected rows"), extra=[_("Line"), _("Reason")])
    run.save()
    record(actor=actor, action=f"{registry}.import", target=run, organisation=bureau,
           after={"file": filename, "rows": len(rows), "imported": imported, "rejected": len(errors)})
    return run


def registry_export(registry: str, queryset: Any) -> bytes:
    spec = REGISTRIES[registry]
    columns = spec.columns()
    masked = {"identity_number": "masked_identity_number", "phone": "masked_phone"}

    def row(obj: Any) -> list[Any]:
        values = []
        for c in columns:
            attr = masked.get(c.key, c.key) if registry == "people" else c.key
            value = getattr(obj, attr)
            display = getattr(obj, f"get_{c.key}_display", None)
            values.append(display() if display and value else value)
        return values

    return write_workbook(columns, (row(o) for o in queryset.iterator(chunk_size=2000)), title=registry)
